/*
 * fuzz_urlenc.c: libFuzzer target for percent-decoding and query/form
 * parsing.  The first byte chooses the limits and the '+' rule; the rest
 * is the input.  Whatever is accepted must be UTF-8 within the limits.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "arena.h"
#include "urlenc.h"
#include "utf8.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
check_list(const struct kvlist *l, const struct urlenc_limits *lim)
{
	size_t	 i;

	if (l->n > lim->max_fields)
		__builtin_trap();
	for (i = 0; i < l->n; i++) {
		const struct kv *kv = &l->v[i];
		size_t kl = strlen(kv->key);

		if (kl > URLENC_MAX_KEY || !utf8_valid(kv->key, kl))
			__builtin_trap();
		if (kv->vlen > lim->max_value || strlen(kv->val) != kv->vlen ||
		    !utf8_valid(kv->val, kv->vlen))
			__builtin_trap();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena		*a;
	struct urlenc_limits	 lim;
	struct kvlist		 l;
	struct perr		 e;
	const char		*s;
	char			*out = NULL;
	size_t			 n, outlen;
	int			 bu, plus;

	if (size < 1)
		return 0;
	lim.max_fields = 1 + (data[0] & 0x0f);
	lim.max_value = (size_t)(data[0] >> 4) * 4;
	plus = data[0] & 1;
	s = (const char *)data + 1;
	n = size - 1;
	a = arena_new(0);

	if (urlenc_decode(a, s, n, plus, &out, &outlen, &bu)) {
		if (outlen > n || strlen(out) != outlen ||
		    !utf8_valid(out, outlen))
			__builtin_trap();
	} else if (bu != 0 && bu != 1)
		__builtin_trap();

	memset(&l, 0, sizeof(l));
	memset(&e, 0, sizeof(e));
	if (urlenc_parse(a, s, n, &lim, "query string", &l, &e))
		check_list(&l, &lim);
	else if ((e.status != 400 && e.status != 413) || e.code == NULL ||
	    e.message[0] == '\0' ||
	    !utf8_valid(e.message, strlen(e.message)))
		__builtin_trap();
	arena_free(a);
	return 0;
}
