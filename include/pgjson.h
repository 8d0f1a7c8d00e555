/*
 * pgjson.h: PostgreSQL's JSON output parsed into jansson values.
 */
#ifndef PGJSON_H
#define PGJSON_H

#include <stddef.h>

#include <jansson.h>

/*
 * The len bytes of s as a new value (the caller owns it), parsed in one
 * pass when they keep to what PostgreSQL writes: objects, arrays,
 * strings without \u escapes, integers in the bigint range, true, false,
 * null.  Returns NULL for anything else, valid JSON or not.
 */
json_t	*pgjson_parse(const char *s, size_t len);

/*
 * pgjson_parse(), or json_loadb() (JSON_DECODE_ANY) when it answers
 * NULL: the same value json_loadb() makes.  Returns a new value, or NULL
 * when the text is not JSON.
 */
json_t	*pgjson_load(const char *s, size_t len);

#endif
