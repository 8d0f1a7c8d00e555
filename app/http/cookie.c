/* cookie.c: lenient Cookie header parsing, RFC 6265 sections 4.2.1 and 5.4. */
#include "config.h"

#include <string.h>

#include "arena.h"
#include "cookie.h"
#include "utf8.h"

/* RFC 6265 cookie-name is an RFC 7230 token. */
static int
is_token(const char *s, size_t n)
{
	size_t	 i;

	if (n == 0)
		return 0;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c <= 0x20 || c >= 0x7f || strchr("()<>@,;:\\\"/[]?={}", c))
			return 0;
	}
	return 1;
}

void
cookie_parse(struct arena *a, const char *s, size_t n, struct kvlist *out)
{
	const char	*p = s, *end = s + n, *semi, *eq, *k, *ke, *v, *ve;
	size_t		 count = 0;

	while (p < end && count < COOKIE_MAX) {
		if ((semi = memchr(p, ';', (size_t)(end - p))) == NULL)
			semi = end;
		k = p;
		p = semi + 1;
		while (k < semi && (*k == ' ' || *k == '\t'))
			k++;
		if ((eq = memchr(k, '=', (size_t)(semi - k))) == NULL)
			continue;
		ke = eq;
		while (ke > k && (ke[-1] == ' ' || ke[-1] == '\t'))
			ke--;
		v = eq + 1;
		ve = semi;
		while (v < ve && (*v == ' ' || *v == '\t'))
			v++;
		while (ve > v && (ve[-1] == ' ' || ve[-1] == '\t'))
			ve--;
		if (ve - v >= 2 && *v == '"' && ve[-1] == '"') {
			v++;
			ve--;
		}
		if (!is_token(k, (size_t)(ke - k)) ||
		    !utf8_valid(v, (size_t)(ve - v)))
			continue;
		kv_add(a, out, arena_strndup(a, k, (size_t)(ke - k)),
		    arena_strndup(a, v, (size_t)(ve - v)), (size_t)(ve - v));
		count++;
	}
}
