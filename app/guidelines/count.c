/*
 * count.c: lengths as channels count them, and the links in a text.
 *
 * The channels count code points, the unit their own limits are written
 * in (X also weights some scripts double; that is not modelled here, so
 * a text in such a script can pass this count and still be too long for
 * X).  Links are found by a small scanner rather than a regular
 * expression: it sees only http and https, which is what channels
 * shorten and what the link checker may visit.
 */
#include "config.h"

#include <stdint.h>
#include <strings.h>

#include "guide_count.h"
#include "util.h"

static const struct guide_channel channels[] = {
	{ "x", 280, 23 },
	{ "mastodon", 500, 23 },
	{ "linkedin", 3000, 0 },
};

const struct guide_channel *
guide_channel_find(const char *name)
{
	size_t	 i;

	for (i = 0; i < NELEM(channels); i++)
		if (strcasecmp(channels[i].name, name) == 0)
			return &channels[i];
	return NULL;
}

/*
 * The code point at t[i] and its length in *n; a byte that does not
 * start a well-formed sequence is taken as one code point of its own.
 */
static uint32_t
decode(const unsigned char *t, size_t len, size_t i, size_t *n)
{
	uint32_t	 cp;
	size_t		 k, more;
	unsigned char	 c = t[i];

	*n = 1;
	if (c < 0xc2 || c > 0xf4)
		return c;
	more = c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : 1;
	if (len - i <= more)
		return c;
	cp = c & (0x3f >> more);
	for (k = 1; k <= more; k++) {
		if ((t[i + k] & 0xc0) != 0x80)
			return c;
		cp = cp << 6 | (t[i + k] & 0x3f);
	}
	*n = more + 1;
	return cp;
}

/* White space that ends a link, Unicode's included. */
static int
is_space_cp(uint32_t cp)
{
	return cp == 0x85 || cp == 0xa0 || cp == 0x1680 ||
	    (cp >= 0x2000 && cp <= 0x200a) || cp == 0x2028 || cp == 0x2029 ||
	    cp == 0x202f || cp == 0x205f || cp == 0x3000;
}

/* A byte that cannot be part of a link. */
static int
ends_link(unsigned char c)
{
	return c <= 0x20 || c == 0x7f || c == '<' || c == '>' || c == '"' ||
	    c == '`' || c == '{' || c == '}' || c == '|' || c == '\\' ||
	    c == '^';
}

/* A byte before "http" that glues the scheme to a word. */
static int
glued(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.' ||
	    c == '@' || c == '/' || c == ':' || c == '_';
}

/* The length of the scheme and "://" at t[i], or 0. */
static size_t
scheme_at(const unsigned char *t, size_t len, size_t i)
{
	size_t	 n;

	if (len - i < 8 || strncasecmp((const char *)t + i, "http", 4) != 0)
		return 0;
	n = 4;
	if (t[i + n] == 's' || t[i + n] == 'S')
		n++;
	if (len - i - n < 3 || t[i + n] != ':' || t[i + n + 1] != '/' ||
	    t[i + n + 2] != '/')
		return 0;
	return n + 3;
}

/* A byte that may start a host: a letter, a digit, non-ASCII or "[". */
static int
host_start(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c >= 0x80 || c == '[';
}

/*
 * The end of the link at t[b] whose scheme is s bytes long, trailing
 * punctuation left out, or b when no host follows the scheme.  Linear
 * in the link: brackets are counted once, then as they are dropped.
 */
static size_t
link_end(const unsigned char *t, size_t len, size_t b, size_t s)
{
	size_t		 e = b + s, n, open = 0, close = 0, sqo = 0, sqc = 0;
	unsigned char	 c;

	if (e >= len || !host_start(t[e]) ||
	    is_space_cp(decode(t, len, e, &n)))
		return b;
	while (e < len && !ends_link(t[e])) {
		if (is_space_cp(decode(t, len, e, &n)))
			break;
		open += t[e] == '(';
		close += t[e] == ')';
		sqo += t[e] == '[';
		sqc += t[e] == ']';
		e += n;
	}
	while (e > b + s + 1) {
		c = t[e - 1];
		if (c == '.' || c == ',' || c == ';' || c == ':' || c == '!' ||
		    c == '?' || c == '\'' || c == '*')
			e--;
		else if (c == ')' && close > open) {
			close--;
			e--;
		} else if (c == ']' && sqc > sqo) {
			sqc--;
			e--;
		} else
			break;
	}
	return e;
}

/*
 * The next link at or after byte *pos: stores its byte span and moves
 * *pos past it.  Returns 1, or 0 when there is none.
 */
static int
next_link(const unsigned char *t, size_t len, size_t *pos, size_t *bs,
    size_t *be)
{
	size_t	 i, s, e;

	for (i = *pos; i < len; i++) {
		if (t[i] != 'h' && t[i] != 'H')
			continue;
		if (i > 0 && glued(t[i - 1]))
			continue;
		if ((s = scheme_at(t, len, i)) == 0)
			continue;
		if ((e = link_end(t, len, i, s)) == i)
			continue;
		*bs = i;
		*be = e;
		*pos = e;
		return 1;
	}
	*pos = len;
	return 0;
}

/* The code points in t[b..e). */
static size_t
chars(const unsigned char *t, size_t b, size_t e)
{
	size_t	 c = 0;

	for (; b < e; b++)
		if ((t[b] & 0xc0) != 0x80)
			c++;
	return c;
}

size_t
guide_links(const char *text, size_t len, struct guide_link *out,
    size_t max)
{
	const unsigned char	*t = (const unsigned char *)text;
	size_t			 pos = 0, bs, be, cp = 0, last = 0, n = 0;

	while (next_link(t, len, &pos, &bs, &be)) {
		if (n < max) {
			cp += chars(t, last, bs);
			out[n].start = cp;
			cp += chars(t, bs, be);
			out[n].end = cp;
			out[n].bstart = bs;
			out[n].bend = be;
			last = be;
		}
		n++;
	}
	return n;
}

size_t
guide_count(const char *text, size_t len, size_t link_length)
{
	const unsigned char	*t = (const unsigned char *)text;
	size_t			 pos = 0, bs, be, total;

	total = chars(t, 0, len);
	if (link_length == 0)
		return total;
	while (next_link(t, len, &pos, &bs, &be))
		total = total - chars(t, bs, be) + link_length;
	return total;
}
