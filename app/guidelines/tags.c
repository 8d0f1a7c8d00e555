/*
 * tags.c: suggest the allowed tag nearest to an unknown one.
 *
 * Tags are short, so a plain dynamic programme over code points is
 * enough; both lengths are capped and the search for each candidate
 * gives up as soon as a row cannot beat the best distance so far, so a
 * long taxonomy costs little.  Case is folded with the C library's
 * Unicode tables of the C.UTF-8 locale, asked for explicitly, so the
 * process locale does not matter.
 */
#include "config.h"

#include <limits.h>
#include <locale.h>
#include <stdint.h>
#include <wctype.h>

#include "guide_tags.h"

/*
 * Decode the NUL-terminated UTF-8 s into at most GUIDE_TAG_MAX folded
 * code points in out.  Returns their number, or -1 when s is longer or
 * not well-formed.
 */
static int
decode_fold(const char *str, uint32_t *out, locale_t loc)
{
	const unsigned char	*s = (const unsigned char *)str;
	uint32_t		 cp, min;
	int			 n = 0, more, k;

	while (*s != '\0') {
		if (n == GUIDE_TAG_MAX)
			return -1;
		if (*s < 0x80) {
			cp = *s++;
			out[n++] = cp >= 'A' && cp <= 'Z' ? cp + 32 : cp;
			continue;
		}
		if (*s >= 0xc2 && *s <= 0xdf) {
			more = 1;
			min = 0x80;
		} else if (*s >= 0xe0 && *s <= 0xef) {
			more = 2;
			min = 0x800;
		} else if (*s >= 0xf0 && *s <= 0xf4) {
			more = 3;
			min = 0x10000;
		} else
			return -1;
		cp = *s++ & (0x3f >> more);
		for (k = 0; k < more; k++, s++) {
			if ((*s & 0xc0) != 0x80)
				return -1;
			cp = cp << 6 | (*s & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return -1;
		if (loc != (locale_t)0)
			cp = (uint32_t)towlower_l((wint_t)cp, loc);
		out[n++] = cp;
	}
	return n;
}

static unsigned int
min3(unsigned int a, unsigned int b, unsigned int c)
{
	unsigned int	 m = a < b ? a : b;

	return m < c ? m : c;
}

/*
 * The distance between a and b (insertions, deletions, substitutions
 * and swaps of neighbours), or a number above cap once it must exceed
 * cap.
 */
static unsigned int
distance(const uint32_t *a, int la, const uint32_t *b, int lb,
    unsigned int cap)
{
	unsigned int	 rows[3][GUIDE_TAG_MAX + 1], *pp, *p, *c, best;
	int		 i, j;

	if ((unsigned int)(la > lb ? la - lb : lb - la) > cap)
		return cap + 1;
	for (j = 0; j <= lb; j++)
		rows[0][j] = (unsigned int)j;
	for (i = 1; i <= la; i++) {
		pp = rows[(i + 1) % 3];	/* row i - 2, once i > 1 */
		p = rows[(i - 1) % 3];
		c = rows[i % 3];
		c[0] = best = (unsigned int)i;
		for (j = 1; j <= lb; j++) {
			c[j] = min3(p[j] + 1, c[j - 1] + 1,
			    p[j - 1] + (a[i - 1] != b[j - 1]));
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && pp[j - 2] + 1 < c[j])
				c[j] = pp[j - 2] + 1;
			if (c[j] < best)
				best = c[j];
		}
		if (best > cap)
			return cap + 1;
	}
	return rows[la % 3][lb];
}

long
guide_tag_nearest(const char *tag, const char *const *allowed, size_t n,
    unsigned int maxdist, unsigned int *dist)
{
	uint32_t	 a[GUIDE_TAG_MAX], b[GUIDE_TAG_MAX];
	locale_t	 loc;
	unsigned int	 d, cap;
	long		 best = -1;
	size_t		 i;
	int		 la, lb;

	loc = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
	if ((la = decode_fold(tag, a, loc)) <= 0)
		goto out;
	/* Never as far as the whole tag: that would be any other tag. */
	cap = maxdist < (unsigned int)la ? maxdist : (unsigned int)la - 1;
	for (i = 0; i < n && i < (size_t)LONG_MAX; i++) {
		if ((lb = decode_fold(allowed[i], b, loc)) < 0)
			continue;
		if ((d = distance(a, la, b, lb, cap)) > cap)
			continue;
		best = (long)i;
		if (dist != NULL)
			*dist = d;
		if (d == 0)
			break;
		cap = d - 1;	/* ties go to the first */
	}
out:
	if (loc != (locale_t)0)
		freelocale(loc);
	return best;
}
