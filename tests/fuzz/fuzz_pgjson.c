/*
 * fuzz_pgjson.c: libFuzzer target for the one-pass parser of
 * PostgreSQL's JSON output.  Whatever it takes, json_loadb() takes as
 * the same value; pgjson_load() agrees with json_loadb() on every input.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "pgjson.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char	*s = (const char *)data;
	json_t		*a, *b, *c;

	a = pgjson_parse(s, size);
	b = json_loadb(s, size, JSON_DECODE_ANY, NULL);
	c = pgjson_load(s, size);
	if ((a != NULL && (b == NULL || !json_equal(a, b))) ||
	    (b == NULL) != (c == NULL) || (b != NULL && !json_equal(b, c)))
		__builtin_trap();
	json_decref(a);
	json_decref(b);
	json_decref(c);
	return 0;
}
