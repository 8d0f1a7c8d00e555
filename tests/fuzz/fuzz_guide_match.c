/*
 * fuzz_guide_match.c: term rules from hostile patterns on hostile texts
 * never crash, never run past their limits (libFuzzer's -timeout stops
 * a slow input) and only report spans inside the text, in order.
 *
 * Input: one flags byte (bit 0 regex, bit 1 case-sensitive, bit 2 a
 * second rule), then the pattern up to the first 0xff byte, the text
 * after it.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "guide_match.h"
#include "log.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* The code points of the n bytes at s (valid UTF-8). */
static size_t
chars(const uint8_t *s, size_t n)
{
	size_t	 i, c = 0;

	for (i = 0; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			c++;
	return c;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct guide_rule	*rs[2] = { NULL, NULL };
	struct guide_error	 err;
	struct guide_result	 res;
	struct guide_budget	 bud;
	const uint8_t		*sep, *pat, *text;
	size_t			 plen, tlen, i, n = 0, cps;
	unsigned int		 flags;

	log_setup(L_ERROR, "fuzz");
	if (size < 2)
		return 0;
	flags = data[0] & (GUIDE_REGEX | GUIDE_CASE);
	pat = data + 1;
	if ((sep = memchr(pat, 0xff, size - 1)) == NULL)
		return 0;
	plen = (size_t)(sep - pat);
	text = sep + 1;
	tlen = size - 1 - plen - 1;

	if (guide_rule_compile(1, (const char *)pat, plen, flags, "r", &rs[0],
	    &err)) {
		n = 1;
		if (data[0] & 4 && guide_rule_compile(2, (const char *)pat,
		    plen, flags ^ GUIDE_REGEX, NULL, &rs[1], &err))
			n = 2;
	} else if (err.offset > plen || err.msg[0] == '\0')
		__builtin_trap();

	guide_budget_default(&bud);
	bud.max_usec = 0;	/* the limits alone must bound the work */
	if (n > 0 && guide_match(rs, n, (const char *)text, tlen, &bud, &res)) {
		cps = chars(text, tlen);
		if (res.nfindings > bud.max_findings)
			__builtin_trap();
		for (i = 0; i < res.nfindings; i++) {
			if (res.findings[i].start >= res.findings[i].end ||
			    res.findings[i].end > cps)
				__builtin_trap();
			if (i > 0 && res.findings[i - 1].start >
			    res.findings[i].start)
				__builtin_trap();
		}
		guide_result_free(&res);
	}
	guide_rule_free(rs[0]);
	guide_rule_free(rs[1]);
	return 0;
}
