/*
 * fuzz_auth.c: libFuzzer target for what accounts take from outside:
 * session and link tokens (shape check, digest), redirect targets
 * (req_local_path), query-value encoding and the password policy's
 * reading of a password, e-mail address and name.  The first byte picks
 * the function; invariants that break call __builtin_trap().
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "pwpolicy.h"
#include "req.h"
#include "token.h"
#include "urlenc.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena	*a;
	char		*s, *e, h[TOKEN_HEXLEN + 1];
	const char	*third;

	if (size < 1)
		return 0;
	s = malloc(size);
	memcpy(s, data + 1, size - 1);
	s[size - 1] = '\0';
	switch (data[0] % 4) {
	case 0:
		if (token_valid(s) && strlen(s) != TOKEN_LEN)
			__builtin_trap();
		token_hash_hex(s, h);
		if (strlen(h) != TOKEN_HEXLEN)
			__builtin_trap();
		break;
	case 1:
		if (req_local_path(s) && (s[0] != '/' || s[1] == '/' ||
		    strpbrk(s, "\\\r\n\t ") != NULL))
			__builtin_trap();
		break;
	case 2:
		a = arena_new(4096);
		e = urlenc_component(a, s);
		if (strpbrk(e, "&=?#+ ") != NULL)
			__builtin_trap();
		arena_free(a);
		break;
	case 3:
		/* password \0 address \0 name, cut where the input ends */
		third = s + strlen(s);
		if (third < s + size - 1)
			third++;
		(void)pwpolicy_check(s, third, third);
		break;
	}
	free(s);
	return 0;
}
