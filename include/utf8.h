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

#endif
