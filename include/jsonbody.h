/* jsonbody.h: JSON request bodies (RFC 8259) parsed with jansson, bounded. */
#ifndef JSONBODY_H
#define JSONBODY_H

#include <stddef.h>

#include <jansson.h>

#include "kv.h"

#define JSONBODY_MAX_DEPTH	32
#define JSONBODY_MAX_KEY	256	/* bytes of a member name */

struct jsonbody_limits {
	size_t	 max_fields;	/* members and elements, all levels */
	size_t	 max_value;	/* bytes of one string */
};

/*
 * Parse the n bytes at s.  Duplicate object keys, NUL in strings, invalid
 * UTF-8, nesting deeper than JSONBODY_MAX_DEPTH, member names longer than
 * JSONBODY_MAX_KEY and values beyond the limits are refused.  Returns 1
 * and a new reference in *out (the caller owns it), or 0 with e set
 * (e->field is a dotted path where known).
 */
int	jsonbody_parse(struct arena *, const char *s, size_t n,
	    const struct jsonbody_limits *, json_t **out, struct perr *e);

#endif
