/*
 * fuzz_jsonbody.c: libFuzzer target for JSON bodies.  The first byte
 * chooses the limits; an accepted value is walked again to check that it
 * really is within them.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "arena.h"
#include "jsonbody.h"
#include "utf8.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Check v at container level depth; adds its members to *count. */
static void
check(json_t *v, int depth, const struct jsonbody_limits *lim,
    size_t *count)
{
	const char	*key;
	json_t		*m;
	size_t		 i;

	switch (json_typeof(v)) {
	case JSON_OBJECT:
		if (depth > JSONBODY_MAX_DEPTH)
			__builtin_trap();
		json_object_foreach(v, key, m) {
			if (!utf8_valid(key, strlen(key)))
				__builtin_trap();
			(*count)++;
			check(m, depth + 1, lim, count);
		}
		break;
	case JSON_ARRAY:
		if (depth > JSONBODY_MAX_DEPTH)
			__builtin_trap();
		json_array_foreach(v, i, m) {
			(*count)++;
			check(m, depth + 1, lim, count);
		}
		break;
	case JSON_STRING:
		if (json_string_length(v) > lim->max_value ||
		    !utf8_valid(json_string_value(v), json_string_length(v)) ||
		    strlen(json_string_value(v)) != json_string_length(v))
			__builtin_trap();
		break;
	default:
		break;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena		*a;
	struct jsonbody_limits	 lim;
	struct perr		 e;
	json_t			*v = NULL;
	size_t			 count = 0;

	if (size < 1)
		return 0;
	lim.max_fields = 1 + (size_t)(data[0] & 0x3f);
	lim.max_value = (size_t)(data[0] >> 6) * 8;
	a = arena_new(0);
	memset(&e, 0, sizeof(e));
	if (jsonbody_parse(a, (const char *)data + 1, size - 1, &lim, &v,
	    &e)) {
		if (v == NULL)
			__builtin_trap();
		check(v, 1, &lim, &count);
		if (count > lim.max_fields)
			__builtin_trap();
		json_decref(v);
	} else if (v != NULL || (e.status != 400 && e.status != 413) ||
	    e.code == NULL || e.message[0] == '\0' ||
	    !utf8_valid(e.message, strlen(e.message)))
		__builtin_trap();
	arena_free(a);
	return 0;
}
