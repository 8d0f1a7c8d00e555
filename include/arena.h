/*
 * arena.h: a memory pool per request.
 *
 * Everything a request allocates comes from its arena and is released at
 * once by arena_reset() at the top of the next request.  Foreign resources
 * (PGresult, json_t) are registered with arena_cleanup() and released by
 * the same reset, in reverse order of registration.
 */
#ifndef ARENA_H
#define ARENA_H

#include <stdarg.h>
#include <stddef.h>

struct arena;

/* A new arena whose first block holds at least size bytes. */
struct arena	*arena_new(size_t size);

/* Release everything and the arena itself. */
void		 arena_free(struct arena *);

/* Run cleanups, free all blocks but the first, and rewind it. */
void		 arena_reset(struct arena *);

/* Allocate n bytes aligned for any type; never returns NULL. */
void		*arena_alloc(struct arena *, size_t n);
void		*arena_calloc(struct arena *, size_t nmemb, size_t size);

/* Copies that are NUL-terminated and owned by the arena. */
char		*arena_strdup(struct arena *, const char *);
char		*arena_strndup(struct arena *, const char *, size_t);
char		*arena_printf(struct arena *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
char		*arena_vprintf(struct arena *, const char *, va_list)
		    __attribute__((format(printf, 2, 0)));

/* Call fn(arg) at the next reset or free. */
void		 arena_cleanup(struct arena *, void (*fn)(void *), void *arg);

/* Bytes handed out since the last reset (for tests and statistics). */
size_t		 arena_used(const struct arena *);

#endif
