/*
 * span.c: carrying a suggestion's or a comment's span through a diff to
 * the revision that followed (include/span.h).
 *
 * A position p of a maps to a range of positions of b: before and after
 * whatever was inserted exactly at p.  A span's start takes the later
 * end of that range and its end the earlier one, so insertions at the
 * edges stay outside the span; a span touched by a deletion, or with an
 * insertion strictly inside, is outdated.
 */
#include "config.h"

#include "diff.h"
#include "span.h"

struct place {
	size_t	 lo, hi;	/* in b, before and after insertions at p */
	int	 found;
	int	 inside;	/* p is strictly inside deleted text */
};

/* Where position p of a lands in b. */
static struct place
locate(const struct diff *d, size_t p)
{
	struct place		 w = { 0, 0, 0, 0 };
	const struct diff_seg	*s;
	size_t			 i, at;

	for (i = 0; i < d->n; i++) {
		s = &d->seg[i];
		if (p < s->a_start || p > s->a_end)
			continue;
		switch (s->op) {
		case DIFF_EQUAL:
			at = s->b_start + (p - s->a_start);
			break;
		case DIFF_DELETE:
			if (p > s->a_start && p < s->a_end)
				w.inside = 1;
			at = s->b_start;
			break;
		default:
			if (!w.found)
				w.lo = s->b_start;
			w.found = 1;
			w.hi = s->b_end;
			continue;
		}
		if (!w.found)
			w.lo = at;
		w.found = 1;
		w.hi = at;
	}
	return w;
}

int
span_carry(const struct diff *d, size_t start, size_t end, size_t *nstart,
    size_t *nend)
{
	const struct diff_seg	*s;
	struct place		 ps, pe;
	size_t			 i;

	if (start > end || end > d->a_len)
		return -1;
	if (d->n == 0) {
		/* Both texts are empty. */
		*nstart = *nend = 0;
		return 1;
	}
	ps = locate(d, start);
	if (start == end) {
		if (!ps.found || ps.inside)
			return 0;
		*nstart = *nend = ps.hi;
		return 1;
	}
	for (i = 0; i < d->n; i++) {
		s = &d->seg[i];
		if (s->op == DIFF_DELETE && s->a_start < end &&
		    s->a_end > start)
			return 0;
		if (s->op == DIFF_INSERT && s->a_start > start &&
		    s->a_start < end)
			return 0;
	}
	pe = locate(d, end);
	if (!ps.found || !pe.found || pe.lo < ps.hi ||
	    pe.lo - ps.hi != end - start)
		return 0;
	*nstart = ps.hi;
	*nend = pe.lo;
	return 1;
}
