/*
 * fuzz_guide_links.c: the links of a CommonMark body on any text: each
 * link's span lies inside the body, in code points, holds its URL and
 * starts with http; no two share a start; never more than asked.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "guide_links.h"
#include "utf8.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* The byte offset of code point cp in t, or -1 past its end. */
static long
at(const char *t, size_t n, long long cp)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (((unsigned char)t[i] & 0xc0) != 0x80 && cp-- == 0)
			return (long)i;
	return cp == 0 ? (long)n : -1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char		*t;
	json_t		*a, *l;
	size_t		 i, k;
	long		 b, e;
	const char	*url;

	if (size > 65536 || memchr(data, '\0', size) != NULL ||
	    !utf8_valid((const char *)data, size))
		return 0;
	t = malloc(size + 1);
	memcpy(t, data, size);
	t[size] = '\0';
	a = guide_links_extract(t, 8);
	if (json_array_size(a) > 8)
		__builtin_trap();
	json_array_foreach(a, i, l) {
		url = json_string_value(json_object_get(l, "url"));
		b = at(t, size, json_integer_value(json_object_get(l,
		    "start")));
		e = at(t, size, json_integer_value(json_object_get(l,
		    "end")));
		if (url == NULL || b < 0 || e < b || (size_t)(e - b) !=
		    strlen(url) || strncmp(t + b, url, strlen(url)) != 0 ||
		    strncasecmp(url, "http", 4) != 0)
			__builtin_trap();
		for (k = 0; k < i; k++)
			if (json_integer_value(json_object_get(
			    json_array_get(a, k), "start")) ==
			    json_integer_value(json_object_get(l, "start")))
				__builtin_trap();
	}
	json_decref(a);
	free(t);
	return 0;
}
