/* util.h: allocation that cannot fail, and helpers shared by all modules. */
#ifndef UTIL_H
#define UTIL_H

#include <stddef.h>

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/*
 * The x* allocators abort the process with a message when memory runs out:
 * callers never test for NULL.  Memory is released with free().
 */
void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xrealloc(void *, size_t);
void	*xreallocarray(void *, size_t, size_t);
char	*xstrdup(const char *);

/*
 * Parse a decimal integer in [min, max] from the whole of s.
 * Returns 1 and stores it in *out, or 0 when s is not such a number.
 */
int	 parse_ll(const char *s, long long min, long long max, long long *out);

/*
 * Parse a byte size: a decimal number with an optional k, m or g suffix
 * (powers of 1024), in [min, max].  Returns 1 on success, 0 otherwise.
 */
int	 parse_size(const char *s, size_t min, size_t max, size_t *out);

/*
 * Read the whole file at path into a new NUL-terminated buffer (free()
 * it) and store its length.  Returns NULL with errno set when the file
 * cannot be read or is larger than max bytes (EFBIG).
 */
char	*read_file(const char *path, size_t max, size_t *len);

/* Fill buf with n bytes from the kernel's random source; aborts on failure. */
void	 random_bytes(void *buf, size_t n);

/* Monotonic time in microseconds. */
long long	now_usec(void);

#endif
