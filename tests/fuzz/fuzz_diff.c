/*
 * fuzz_diff.c: libFuzzer target for the word diff and for carrying
 * spans through it.  The first byte chooses the budget; the rest is two
 * texts separated by the first NUL byte.  Every diff must rebuild both
 * texts and keep within its budget; a span carried must cover the same
 * text in the second text as in the first.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "arena.h"
#include "diff.h"
#include "span.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
check(const char *a, size_t alen, const char *b, size_t blen,
    const struct diff *d, size_t budget)
{
	const struct diff_seg *s;
	size_t	 i, ac = 0, bc = 0, ab = 0, bb = 0;

	if (d->work > budget || d->a_len != diff_cp_count(a, alen) ||
	    d->b_len != diff_cp_count(b, blen))
		__builtin_trap();
	for (i = 0; i < d->n; i++) {
		s = &d->seg[i];
		if (s->a_start != ac || s->b_start != bc || s->a_byte != ab ||
		    s->b_byte != bb || s->a_end < s->a_start ||
		    s->b_end < s->b_start || (s->a_end == s->a_start &&
		    s->b_end == s->b_start))
			__builtin_trap();
		if (i > 0 && (d->seg[i - 1].op == s->op ||
		    (d->seg[i - 1].op == DIFF_INSERT && s->op != DIFF_EQUAL)))
			__builtin_trap();
		if (s->op == DIFF_EQUAL && (s->a_byte_end - s->a_byte !=
		    s->b_byte_end - s->b_byte || memcmp(a + s->a_byte,
		    b + s->b_byte, s->a_byte_end - s->a_byte) != 0))
			__builtin_trap();
		if ((s->op == DIFF_DELETE && s->b_end != s->b_start) ||
		    (s->op == DIFF_INSERT && s->a_end != s->a_start))
			__builtin_trap();
		ac = s->a_end;
		bc = s->b_end;
		ab = s->a_byte_end;
		bb = s->b_byte_end;
	}
	if (ab != alen || bb != blen || ac != d->a_len || bc != d->b_len)
		__builtin_trap();
}

static void
carry(const char *a, size_t alen, const char *b, size_t blen,
    const struct diff *d, size_t s, size_t e)
{
	size_t	 ns, ne, as, ae, bs, be;
	int	 rc;

	rc = span_carry(d, s, e, &ns, &ne);
	if (s > e || e > d->a_len) {
		if (rc != -1)
			__builtin_trap();
		return;
	}
	if (rc == 0)
		return;
	if (rc != 1 || ne < ns || ne > d->b_len || ne - ns != e - s)
		__builtin_trap();
	as = diff_cp_offset(a, alen, s);
	ae = diff_cp_offset(a, alen, e);
	bs = diff_cp_offset(b, blen, ns);
	be = diff_cp_offset(b, blen, ne);
	if (ae - as != be - bs || memcmp(a + as, b + bs, ae - as) != 0)
		__builtin_trap();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const size_t budgets[4] = { 1, 50, 2000, 0 };
	struct arena	*ar;
	struct diff	 d;
	const char	*a, *b, *z;
	size_t		 alen, blen, budget, i;

	if (size < 1)
		return 0;
	budget = budgets[data[0] & 3];
	a = (const char *)data + 1;
	z = memchr(a, '\0', size - 1);
	alen = z != NULL ? (size_t)(z - a) : size - 1;
	b = z != NULL ? z + 1 : a + alen;
	blen = size - 1 - alen - (z != NULL);
	ar = arena_new(0);
	diff_words(ar, a, alen, b, blen, budget, &d);
	check(a, alen, b, blen, &d, budget ? budget : DIFF_WORK_DEFAULT);
	for (i = 0; i + 1 < size && i < 24; i += 2)
		carry(a, alen, b, blen, &d, data[i] % (d.a_len + 2),
		    data[i + 1] % (d.a_len + 2));
	diff_words(ar, a, alen, a, alen, budget, &d);
	if (!d.capped && (d.n > 1 || d.equal_tokens != d.a_tokens))
		__builtin_trap();
	arena_free(ar);
	return 0;
}
