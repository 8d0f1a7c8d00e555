/*
 * urlenc.h: percent-decoding and the application/x-www-form-urlencoded
 * format used by query strings and form bodies (WHATWG URL standard,
 * section 5.1; RFC 3986 section 2.1 for percent-encoding).
 */
#ifndef URLENC_H
#define URLENC_H

#include <stddef.h>

#include "kv.h"

#define URLENC_MAX_KEY	256

struct urlenc_limits {
	size_t	 max_fields;	/* more pairs than this: 413 too_many_fields */
	size_t	 max_value;	/* longer decoded value: 413 field_too_long */
};

/*
 * Decode n bytes of s into a NUL-terminated arena string; '+' becomes a
 * space when plus is set.  The result must be valid UTF-8 without NUL.
 * Returns 1, or 0 when an escape is malformed or the result is not UTF-8
 * (*bad_utf8 tells which).
 */
int	urlenc_decode(struct arena *, const char *s, size_t n, int plus,
	    char **out, size_t *outlen, int *bad_utf8);

/*
 * Parse "k=v&k2=v2" (n bytes at s) into out, appending.  Empty pairs are
 * skipped; a pair without '=' has an empty value; names are limited to
 * URLENC_MAX_KEY bytes.  what names the input in messages ("query string",
 * "form").  Returns 1, or 0 with e describing the first problem.
 */
int	urlenc_parse(struct arena *, const char *s, size_t n,
	    const struct urlenc_limits *, const char *what, struct kvlist *out,
	    struct perr *e);

/*
 * Percent-encode s for a query value (RFC 3986 section 2.1): everything
 * but unreserved characters and '/' is encoded.  Returns arena memory.
 */
char	*urlenc_component(struct arena *, const char *s);

/*
 * Percent-encode s as one path segment (RFC 3986 section 3.3), such as an
 * e-mail address in /units/{slug}/members/{email}: everything but
 * unreserved characters and '@' is encoded, '/' included.  Returns arena
 * memory.
 */
char	*urlenc_segment(struct arena *, const char *s);

#endif
