/*
 * diff.c: the word-level diff of two revisions (include/diff.h).
 *
 * Texts are cut into tokens, equal tokens are given equal numbers, and
 * the two arrays of numbers are compared by Myers' algorithm in linear
 * space: trim the common prefix and suffix, find the middle snake by
 * searching forward and backward at once, split there and recurse.
 * Each half of a split holds at most half the edits, so the recursion is
 * O(log D) deep.  Work (comparisons, diagonals visited, the search
 * arrays cleared) is counted against a budget; a part that cannot be
 * afforded is emitted as one deletion and one insertion.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "diff.h"
#include "util.h"

enum cls {
	CL_WORD,
	CL_SPACE,
	CL_OTHER,
	CL_EXTEND,
	CL_RI		/* regional indicator: two make a flag */
};

struct tok {
	size_t		 byte;
	size_t		 cp;
};

struct text {
	const unsigned char *s;
	size_t		 len;
	struct tok	*tok;		/* ntok + 1, the last one the end */
	size_t		 ntok;
	int		*id;
};

struct raw {
	enum diff_op	 op;
	size_t		 alo, ahi, blo, bhi;	/* token indices */
};

struct ctx {
	const int	*a, *b;
	long		*v1, *v2;
	size_t		 work, max;
	int		 capped;
	struct raw	*out;
	size_t		 nout, cap;
};

/*
 * Decode one code point at s[i] (i < n) into *cp and return its length;
 * a byte that starts no valid sequence is one code point of its own.
 */
static size_t
decode(const unsigned char *s, size_t n, size_t i, uint32_t *cp)
{
	unsigned char	 c = s[i];
	size_t		 len, k;
	uint32_t	 v, min;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if ((c & 0xe0) == 0xc0) {
		len = 2;
		v = c & 0x1f;
		min = 0x80;
	} else if ((c & 0xf0) == 0xe0) {
		len = 3;
		v = c & 0x0f;
		min = 0x800;
	} else if ((c & 0xf8) == 0xf0) {
		len = 4;
		v = c & 0x07;
		min = 0x10000;
	} else
		goto bad;
	if (n - i < len)
		goto bad;
	for (k = 1; k < len; k++) {
		if ((s[i + k] & 0xc0) != 0x80)
			goto bad;
		v = v << 6 | (s[i + k] & 0x3f);
	}
	if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		goto bad;
	*cp = v;
	return len;
bad:
	*cp = 0xfffd;
	return 1;
}

static int
in(uint32_t c, uint32_t lo, uint32_t hi)
{
	return c >= lo && c <= hi;
}

/* The class of a code point; see diff.h for what makes a token. */
static enum cls
classify(uint32_t c)
{
	if (c < 0x80) {
		if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
		    (c >= 'A' && c <= 'Z') || c == '_')
			return CL_WORD;
		if (c == ' ' || (c >= 0x09 && c <= 0x0d))
			return CL_SPACE;
		return CL_OTHER;
	}
	if (c == 0x85 || c == 0xa0 || c == 0x1680 || in(c, 0x2000, 0x200a) ||
	    c == 0x2028 || c == 0x2029 || c == 0x202f || c == 0x205f ||
	    c == 0x3000)
		return CL_SPACE;
	if (in(c, 0x0300, 0x036f) || in(c, 0x0483, 0x0489) ||
	    in(c, 0x1ab0, 0x1aff) || in(c, 0x1dc0, 0x1dff) ||
	    in(c, 0x200c, 0x200d) || in(c, 0x20d0, 0x20ff) ||
	    in(c, 0xfe00, 0xfe0f) || in(c, 0xfe20, 0xfe2f) ||
	    in(c, 0x1f3fb, 0x1f3ff) || in(c, 0xe0020, 0xe007f) ||
	    in(c, 0xe0100, 0xe01ef))
		return CL_EXTEND;
	if (in(c, 0x1f1e6, 0x1f1ff))
		return CL_RI;
	if ((in(c, 0x80, 0xbf) && c != 0xaa && c != 0xb5 && c != 0xba) ||
	    c == 0xd7 || c == 0xf7 || in(c, 0x2010, 0x2027) ||
	    in(c, 0x2030, 0x205e) || in(c, 0x2060, 0x206f) ||
	    in(c, 0x20a0, 0x20cf) || in(c, 0x2100, 0x2bff) ||
	    in(c, 0x2e00, 0x2e7f) || in(c, 0x3001, 0x303f) ||
	    in(c, 0x3040, 0x30ff) || in(c, 0x3400, 0x4dbf) ||
	    in(c, 0x4e00, 0x9fff) || in(c, 0xf900, 0xfaff) ||
	    in(c, 0xfe10, 0xfe1f) || in(c, 0xfe30, 0xfe6f) ||
	    in(c, 0xff01, 0xff0f) || in(c, 0xff1a, 0xff20) ||
	    in(c, 0xff3b, 0xff40) || in(c, 0xff5b, 0xff65) ||
	    c == 0xfffd || in(c, 0x1f000, 0x1faff) ||
	    in(c, 0x20000, 0x3ffff))
		return CL_OTHER;
	return CL_WORD;
}

size_t
diff_cp_count(const char *s, size_t n)
{
	size_t	 i = 0, cps = 0;
	uint32_t c;

	while (i < n) {
		i += decode((const unsigned char *)s, n, i, &c);
		cps++;
	}
	return cps;
}

size_t
diff_cp_offset(const char *s, size_t n, size_t cp)
{
	size_t	 i = 0;
	uint32_t c;

	while (i < n && cp > 0) {
		i += decode((const unsigned char *)s, n, i, &c);
		cp--;
	}
	return i;
}

/* Cut t->s into tokens: t->tok and t->ntok. */
static void
tokenize(struct text *t)
{
	size_t		 i = 0, cp = 0, len, cap = 16;
	uint32_t	 c;
	enum cls	 k, cur = CL_OTHER;
	int		 open = 0, join = 0, ri = 0;

	t->tok = xreallocarray(NULL, cap, sizeof(*t->tok));
	t->ntok = 0;
	while (i < t->len) {
		len = decode(t->s, t->len, i, &c);
		k = classify(c);
		if (open && (join || k == CL_EXTEND ||
		    (k == cur && (k == CL_WORD || k == CL_SPACE)) ||
		    (k == CL_RI && cur == CL_RI && ri == 1))) {
			if (k == CL_RI)
				ri++;
		} else {
			if (t->ntok + 2 > cap) {
				cap *= 2;
				t->tok = xreallocarray(t->tok, cap,
				    sizeof(*t->tok));
			}
			t->tok[t->ntok].byte = i;
			t->tok[t->ntok].cp = cp;
			t->ntok++;
			open = 1;
			cur = k;
			ri = k == CL_RI;
		}
		join = c == 0x200d;
		i += len;
		cp++;
	}
	t->tok[t->ntok].byte = t->len;
	t->tok[t->ntok].cp = cp;
}

/* Compare token i of t with token j of u, byte by byte. */
static int
tokcmp(const struct text *t, size_t i, const struct text *u, size_t j)
{
	size_t	 li = t->tok[i + 1].byte - t->tok[i].byte;
	size_t	 lj = u->tok[j + 1].byte - u->tok[j].byte;
	int	 r;

	r = memcmp(t->s + t->tok[i].byte, u->s + u->tok[j].byte,
	    li < lj ? li : lj);
	if (r != 0)
		return r;
	return li < lj ? -1 : li > lj;
}

/* Entries of the merge sort: a token of text 0 or 1. */
struct ref {
	unsigned	 which;
	size_t		 i;
};

static int
refcmp(const struct text *tx, const struct ref *x, const struct ref *y)
{
	return tokcmp(&tx[x->which], x->i, &tx[y->which], y->i);
}

/* Stable bottom-up merge sort of n refs (O(n log n) comparisons). */
static void
sort_refs(const struct text *tx, struct ref *r, size_t n)
{
	struct ref	*tmp, *src = r, *dst, *sw;
	size_t		 w, lo, mid, hi, i, j, k;

	tmp = xreallocarray(NULL, n ? n : 1, sizeof(*tmp));
	dst = tmp;
	for (w = 1; w < n; w *= 2) {
		for (lo = 0; lo < n; lo += 2 * w) {
			mid = lo + w < n ? lo + w : n;
			hi = lo + 2 * w < n ? lo + 2 * w : n;
			i = lo;
			j = mid;
			k = lo;
			while (i < mid && j < hi)
				dst[k++] = refcmp(tx, &src[j], &src[i]) < 0 ?
				    src[j++] : src[i++];
			while (i < mid)
				dst[k++] = src[i++];
			while (j < hi)
				dst[k++] = src[j++];
		}
		sw = src;
		src = dst;
		dst = sw;
	}
	if (src != r)
		memcpy(r, src, n * sizeof(*r));
	free(tmp);
}

/* Number the tokens of both texts so that equal tokens get equal ids. */
static void
number(struct text *tx)
{
	struct ref	*r;
	size_t		 n = tx[0].ntok + tx[1].ntok, i, k = 0;
	int		 id = 0;

	r = xreallocarray(NULL, n ? n : 1, sizeof(*r));
	for (i = 0; i < tx[0].ntok; i++) {
		r[k].which = 0;
		r[k++].i = i;
	}
	for (i = 0; i < tx[1].ntok; i++) {
		r[k].which = 1;
		r[k++].i = i;
	}
	sort_refs(tx, r, n);
	tx[0].id = xreallocarray(NULL, tx[0].ntok + 1, sizeof(int));
	tx[1].id = xreallocarray(NULL, tx[1].ntok + 1, sizeof(int));
	for (i = 0; i < n; i++) {
		if (i > 0 && refcmp(tx, &r[i - 1], &r[i]) != 0)
			id++;
		tx[r[i].which].id[r[i].i] = id;
	}
	free(r);
}

/* Spend one unit of work; 0 when the budget is gone. */
static int
spend(struct ctx *c)
{
	if (c->work >= c->max) {
		c->capped = 1;
		return 0;
	}
	c->work++;
	return 1;
}

/* Append a segment of token ranges, merging it into the last if alike. */
static void
emit(struct ctx *c, enum diff_op op, size_t alo, size_t ahi, size_t blo,
    size_t bhi)
{
	struct raw	*r;

	if (ahi == alo && bhi == blo)
		return;
	if (c->nout > 0 && c->out[c->nout - 1].op == op) {
		r = &c->out[c->nout - 1];
		r->ahi = ahi;
		r->bhi = bhi;
		return;
	}
	if (c->nout == c->cap) {
		c->cap = c->cap ? 2 * c->cap : 16;
		c->out = xreallocarray(c->out, c->cap, sizeof(*c->out));
	}
	r = &c->out[c->nout++];
	r->op = op;
	r->alo = alo;
	r->ahi = ahi;
	r->blo = blo;
	r->bhi = bhi;
}

/*
 * Find the middle snake of a[alo, ahi) and b[blo, bhi), both non-empty,
 * and store where to split in *sx, *sy.  Returns 1, or 0 when the budget
 * ran out first.  After E. Myers, "An O(ND) difference algorithm and its
 * variations" (1986), section 4b, searching forward and backward by
 * turns.
 */
static int
bisect(struct ctx *c, size_t alo, size_t ahi, size_t blo, size_t bhi,
    size_t *sx, size_t *sy)
{
	const int	*A = c->a + alo, *B = c->b + blo;
	long		 n = (long)(ahi - alo), m = (long)(bhi - blo);
	long		 max_d = (n + m + 1) / 2, off = max_d;
	long		 vlen = 2 * max_d + 2, delta = n - m;
	long		 d, k, ko, x1, y1, x2, y2, i;
	long		 k1start = 0, k1end = 0, k2start = 0, k2end = 0;
	long		*v1 = c->v1, *v2 = c->v2;
	int		 front = delta % 2 != 0;

	if (c->max - c->work < (size_t)vlen) {
		c->capped = 1;
		return 0;
	}
	c->work += (size_t)vlen;
	for (i = 0; i < vlen; i++)
		v1[i] = v2[i] = -1;
	v1[off + 1] = 0;
	v2[off + 1] = 0;
	for (d = 0; d < max_d; d++) {
		for (k = -d + k1start; k <= d - k1end; k += 2) {
			if (!spend(c))
				return 0;
			ko = off + k;
			if (k == -d || (k != d && v1[ko - 1] < v1[ko + 1]))
				x1 = v1[ko + 1];
			else
				x1 = v1[ko - 1] + 1;
			y1 = x1 - k;
			while (x1 < n && y1 >= 0 && y1 < m && A[x1] == B[y1]) {
				if (!spend(c))
					return 0;
				x1++;
				y1++;
			}
			v1[ko] = x1;
			if (x1 > n)
				k1end += 2;
			else if (y1 > m)
				k1start += 2;
			else if (front) {
				long k2o = off + delta - k;

				if (k2o >= 0 && k2o < vlen && v2[k2o] != -1 &&
				    x1 >= n - v2[k2o]) {
					*sx = alo + (size_t)x1;
					*sy = blo + (size_t)y1;
					return 1;
				}
			}
		}
		for (k = -d + k2start; k <= d - k2end; k += 2) {
			if (!spend(c))
				return 0;
			ko = off + k;
			if (k == -d || (k != d && v2[ko - 1] < v2[ko + 1]))
				x2 = v2[ko + 1];
			else
				x2 = v2[ko - 1] + 1;
			y2 = x2 - k;
			while (x2 < n && y2 >= 0 && y2 < m &&
			    A[n - x2 - 1] == B[m - y2 - 1]) {
				if (!spend(c))
					return 0;
				x2++;
				y2++;
			}
			v2[ko] = x2;
			if (x2 > n)
				k2end += 2;
			else if (y2 > m)
				k2start += 2;
			else if (!front) {
				long k1o = off + delta - k;

				if (k1o >= 0 && k1o < vlen && v1[k1o] != -1) {
					x1 = v1[k1o];
					y1 = off + x1 - k1o;
					if (x1 >= n - x2) {
						*sx = alo + (size_t)x1;
						*sy = blo + (size_t)y1;
						return 1;
					}
				}
			}
		}
	}
	return 0;
}

/* Diff a[alo, ahi) against b[blo, bhi) into c->out. */
static void
diff_range(struct ctx *c, size_t alo, size_t ahi, size_t blo, size_t bhi)
{
	size_t	 pre = 0, suf = 0, x, y;

	while (alo + pre < ahi && blo + pre < bhi && spend(c) &&
	    c->a[alo + pre] == c->b[blo + pre])
		pre++;
	emit(c, DIFF_EQUAL, alo, alo + pre, blo, blo + pre);
	alo += pre;
	blo += pre;
	while (ahi - suf > alo && bhi - suf > blo && spend(c) &&
	    c->a[ahi - suf - 1] == c->b[bhi - suf - 1])
		suf++;
	ahi -= suf;
	bhi -= suf;
	if (alo == ahi || blo == bhi ||
	    !bisect(c, alo, ahi, blo, bhi, &x, &y) ||
	    (x == alo && y == blo) || (x == ahi && y == bhi) ||
	    x < alo || x > ahi || y < blo || y > bhi) {
		emit(c, DIFF_DELETE, alo, ahi, blo, blo);
		emit(c, DIFF_INSERT, ahi, ahi, blo, bhi);
	} else {
		diff_range(c, alo, x, blo, y);
		diff_range(c, x, ahi, y, bhi);
	}
	emit(c, DIFF_EQUAL, ahi, ahi + suf, bhi, bhi + suf);
}

/* Set the code-point and byte offsets of s from token ranges. */
static void
place(struct diff_seg *s, const struct text *tx, const struct raw *r)
{
	s->a_start = tx[0].tok[r->alo].cp;
	s->a_end = tx[0].tok[r->ahi].cp;
	s->a_byte = tx[0].tok[r->alo].byte;
	s->a_byte_end = tx[0].tok[r->ahi].byte;
	s->b_start = tx[1].tok[r->blo].cp;
	s->b_end = tx[1].tok[r->bhi].cp;
	s->b_byte = tx[1].tok[r->blo].byte;
	s->b_byte_end = tx[1].tok[r->bhi].byte;
}

/*
 * Turn c->out into d->seg: every run of changes between two EQUAL
 * segments becomes one DELETE (all of a's tokens in the run) followed
 * by one INSERT (all of b's).
 */
static void
finish(struct arena *ar, struct ctx *c, const struct text *tx, struct diff *d)
{
	struct raw	 r;
	size_t		 i = 0, j;

	d->seg = arena_calloc(ar, c->nout ? c->nout : 1, sizeof(*d->seg));
	d->n = 0;
	while (i < c->nout) {
		if (c->out[i].op == DIFF_EQUAL) {
			d->seg[d->n].op = DIFF_EQUAL;
			place(&d->seg[d->n++], tx, &c->out[i]);
			d->equal_tokens += c->out[i].ahi - c->out[i].alo;
			i++;
			continue;
		}
		r = c->out[i];
		for (j = i; j < c->nout && c->out[j].op != DIFF_EQUAL; j++) {
			r.ahi = c->out[j].ahi;
			r.bhi = c->out[j].bhi;
		}
		i = j;
		if (r.ahi > r.alo) {
			struct raw del = r;

			del.bhi = del.blo;
			d->seg[d->n].op = DIFF_DELETE;
			place(&d->seg[d->n++], tx, &del);
		}
		if (r.bhi > r.blo) {
			struct raw ins = r;

			ins.alo = ins.ahi;
			d->seg[d->n].op = DIFF_INSERT;
			place(&d->seg[d->n++], tx, &ins);
		}
	}
}

void
diff_words(struct arena *ar, const char *a, size_t alen, const char *b,
    size_t blen, size_t max_work, struct diff *d)
{
	struct text	 tx[2];
	struct ctx	 c;
	size_t		 vlen;

	memset(d, 0, sizeof(*d));
	memset(tx, 0, sizeof(tx));
	memset(&c, 0, sizeof(c));
	tx[0].s = (const unsigned char *)a;
	tx[0].len = alen;
	tx[1].s = (const unsigned char *)b;
	tx[1].len = blen;
	tokenize(&tx[0]);
	tokenize(&tx[1]);
	number(tx);

	vlen = tx[0].ntok + tx[1].ntok + 3;
	c.a = tx[0].id;
	c.b = tx[1].id;
	c.v1 = xreallocarray(NULL, vlen, sizeof(long));
	c.v2 = xreallocarray(NULL, vlen, sizeof(long));
	c.max = max_work ? max_work : DIFF_WORK_DEFAULT;
	diff_range(&c, 0, tx[0].ntok, 0, tx[1].ntok);
	finish(ar, &c, tx, d);

	d->a_len = tx[0].tok[tx[0].ntok].cp;
	d->b_len = tx[1].tok[tx[1].ntok].cp;
	d->a_tokens = tx[0].ntok;
	d->b_tokens = tx[1].ntok;
	d->work = c.work;
	d->capped = c.capped;
	free(c.out);
	free(c.v1);
	free(c.v2);
	free(tx[0].tok);
	free(tx[1].tok);
	free(tx[0].id);
	free(tx[1].id);
}
