/* cookie.h: the Cookie request header (RFC 6265 section 5.4). */
#ifndef COOKIE_H
#define COOKIE_H

#include <stddef.h>

#include "kv.h"

#define COOKIE_MAX	64

/*
 * Parse the n bytes of a Cookie header into out.  Pairs that are
 * malformed, not UTF-8, or beyond COOKIE_MAX are skipped rather than
 * refused: a browser sends every cookie of the host, including other
 * applications' junk.  Surrounding double quotes of a value are removed.
 */
void	cookie_parse(struct arena *, const char *s, size_t n,
	    struct kvlist *out);

#endif
