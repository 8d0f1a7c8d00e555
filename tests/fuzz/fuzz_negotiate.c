/*
 * fuzz_negotiate.c: libFuzzer target for the Accept header.  JSON can only
 * be chosen when the header names json or a wildcard.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "req.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static int
mentions_json(const char *s)
{
	for (; *s != '\0'; s++)
		if ((s[0] == 'j' || s[0] == 'J') &&
		    (s[1] == 's' || s[1] == 'S') &&
		    (s[2] == 'o' || s[2] == 'O') &&
		    (s[3] == 'n' || s[3] == 'N'))
			return 1;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char		*s = malloc(size + 1);
	enum fmt	 f;

	if (s == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	f = fmt_negotiate(s);
	if (f != FMT_HTML && f != FMT_JSON)
		__builtin_trap();
	if (f == FMT_JSON && !mentions_json(s) && strchr(s, '*') == NULL)
		__builtin_trap();
	if (fmt_negotiate(s) != f)
		__builtin_trap();
	free(s);
	return 0;
}
