/*
 * passage.c: a passage quoted from a revision's text, found again in it
 * (include/passage.h).  Without JavaScript a reviewer names a span by
 * quoting it; a passage found more than once is answered with each
 * place in its context, to choose one.  With JavaScript the offsets of
 * a selection come along and are used when they hold exactly the
 * passage quoted.
 */
#include "config.h"

#include <string.h>

#include "app.h"
#include "passage.h"
#include "req.h"

/* The code points of the n bytes at s. */
static long long
cps(const char *s, size_t n)
{
	long long	 c = 0;
	size_t		 i;

	for (i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			c++;
	return c;
}

/* The byte of code point cp of s, or -1 beyond its end. */
static long long
byte_of(const char *s, long long cp)
{
	long long	 c = 0;
	size_t		 i;

	for (i = 0; s[i] != '\0'; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80 && c++ == cp)
			return (long long)i;
	return c == cp ? (long long)i : -1;
}

int
passage_find(const char *body, const char *passage, int given,
    long long start, long long end, long long occurrence, long long *s,
    long long *e, size_t *places)
{
	const char	*p = body;
	size_t		 n = strlen(passage);
	long long	 bs, be;

	*places = 0;
	if (given && (bs = byte_of(body, start)) >= 0 &&
	    (be = byte_of(body, end)) >= bs && (size_t)(be - bs) == n &&
	    strncmp(body + bs, passage, n) == 0) {
		*s = start;
		*e = end;
		return 1;
	}
	while ((p = strstr(p, passage)) != NULL) {
		if (++*places == (size_t)occurrence || occurrence == 0)
			*s = cps(body, (size_t)(p - body));
		p++;
	}
	*e = *s + cps(passage, n);
	return *places == 1 || (occurrence > 0 && (size_t)occurrence <=
	    *places);
}

json_t *
passage_places(struct req *r, const char *body, const char *passage)
{
	json_t		*out = req_array(r);
	const char	*p = body, *a, *b;
	size_t		 n = strlen(passage), i = 0;
	int		 k;

	while ((p = strstr(p, passage)) != NULL && i < PASSAGE_PLACES_MAX) {
		for (a = p, k = 0; a > body && k < 30; k++)
			do
				a--;
			while (a > body && ((unsigned char)*a & 0xc0) == 0x80);
		for (b = p + n, k = 0; *b != '\0' && k < 30; k++)
			do
				b++;
			while (((unsigned char)*b & 0xc0) == 0x80);
		json_array_append(out, req_pack(r, "{s:I, s:s%, s:s%, s:s%}",
		    "n", (json_int_t)++i, "before", a, (size_t)(p - a),
		    "passage", p, n, "after", p + n, (size_t)(b - p - n)));
		p++;
	}
	return out;
}
