/* utf8.h: strict UTF-8 validation (RFC 3629). */
#ifndef UTF8_H
#define UTF8_H

#include <stddef.h>

/*
 * Returns 1 when the n bytes at s are well-formed UTF-8 as RFC 3629
 * defines it (no overlong forms, no surrogates, nothing above U+10FFFF)
 * and contain no NUL byte; 0 otherwise.
 */
int	utf8_valid(const char *s, size_t n);

/*
 * Returns n, less the bytes of an incomplete multi-byte sequence at the
 * end of the n bytes at s: where to cut a string that was truncated (by
 * snprintf, say) so that it does not end inside a character.
 */
size_t	utf8_cut(const char *s, size_t n);

/*
 * Copy the n bytes at s into out, which has room for 3 * n + 1 bytes,
 * as well-formed UTF-8: every byte that does not start a valid sequence
 * (and every NUL) becomes U+FFFD.  For text from a client that is stored
 * or shown rather than refused (a User-Agent header).  Returns the
 * length written; out is NUL-terminated.
 */
size_t	utf8_repair(const char *s, size_t n, char *out);

/*
 * The characters of the NUL-terminated UTF-8 text s: its bytes that do
 * not continue a multi-byte sequence.
 */
size_t	utf8_chars(const char *s);

#endif
