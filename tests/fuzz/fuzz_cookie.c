/*
 * fuzz_cookie.c: libFuzzer target for the Cookie header.  Every cookie
 * kept has a token name and a UTF-8 value, and there are at most
 * COOKIE_MAX of them.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "arena.h"
#include "cookie.h"
#include "utf8.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static int
is_token(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (c <= 0x20 || c >= 0x7f || strchr("()<>@,;:\\\"/[]?={}", c))
			return 0;
	}
	return 1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena	*a = arena_new(0);
	struct kvlist	 l;
	size_t		 i;

	memset(&l, 0, sizeof(l));
	cookie_parse(a, (const char *)data, size, &l);
	if (l.n > COOKIE_MAX)
		__builtin_trap();
	for (i = 0; i < l.n; i++) {
		if (!is_token(l.v[i].key) ||
		    strlen(l.v[i].val) != l.v[i].vlen ||
		    !utf8_valid(l.v[i].val, l.v[i].vlen) ||
		    l.v[i].vlen > size)
			__builtin_trap();
	}
	arena_free(a);
	return 0;
}
