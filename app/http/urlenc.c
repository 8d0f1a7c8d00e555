/* urlenc.c: percent-decoding and form/query parsing with limits. */
#include "config.h"

#include <string.h>

#include "arena.h"
#include "urlenc.h"
#include "utf8.h"

static int
hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int
urlenc_decode(struct arena *a, const char *s, size_t n, int plus, char **out,
    size_t *outlen, int *bad_utf8)
{
	char	*d = arena_alloc(a, n + 1);
	size_t	 i, o = 0;
	int	 h, l;

	*bad_utf8 = 0;
	for (i = 0; i < n; i++) {
		if (s[i] == '%') {
			if (n - i < 3 ||
			    (h = hexval((unsigned char)s[i + 1])) < 0 ||
			    (l = hexval((unsigned char)s[i + 2])) < 0)
				return 0;
			d[o++] = (char)(h << 4 | l);
			i += 2;
		} else if (s[i] == '+' && plus)
			d[o++] = ' ';
		else
			d[o++] = s[i];
	}
	d[o] = '\0';
	if (!utf8_valid(d, o)) {
		*bad_utf8 = 1;
		return 0;
	}
	*out = d;
	*outlen = o;
	return 1;
}

/* Report a decoding failure of a name (field NULL) or of key's value. */
static void
bad(struct perr *e, struct arena *a, const char *what, const char *key,
    int bad_utf8)
{
	if (bad_utf8)
		perr_set(e, a, 400, "invalid_utf8", key, "%s %s is not valid "
		    "UTF-8 text", what, key ? "field" : "field name");
	else
		perr_set(e, a, 400, "bad_encoding", key, "%s %s has a "
		    "malformed percent-escape", what,
		    key ? "field" : "field name");
}

int
urlenc_parse(struct arena *a, const char *s, size_t n,
    const struct urlenc_limits *lim, const char *what, struct kvlist *out,
    struct perr *e)
{
	const char	*p = s, *end = s + n, *amp, *eq;
	char		*key, *val;
	size_t		 klen, vlen, fields = 0;
	int		 bu;

	while (p < end) {
		if ((amp = memchr(p, '&', (size_t)(end - p))) == NULL)
			amp = end;
		if (amp == p) {
			p++;
			continue;
		}
		if (++fields > lim->max_fields) {
			perr_set(e, a, 413, "too_many_fields", NULL, "the %s "
			    "has more than %zu fields", what, lim->max_fields);
			return 0;
		}
		if ((eq = memchr(p, '=', (size_t)(amp - p))) == NULL)
			eq = amp;
		if ((size_t)(eq - p) > URLENC_MAX_KEY * 3) {
			perr_set(e, a, 413, "field_too_long", NULL, "a %s "
			    "field name is longer than %d bytes", what,
			    URLENC_MAX_KEY);
			return 0;
		}
		if (!urlenc_decode(a, p, (size_t)(eq - p), 1, &key, &klen,
		    &bu)) {
			bad(e, a, what, NULL, bu);
			return 0;
		}
		if (klen > URLENC_MAX_KEY) {
			perr_set(e, a, 413, "field_too_long", NULL, "a %s "
			    "field name is longer than %d bytes", what,
			    URLENC_MAX_KEY);
			return 0;
		}
		if (eq == amp) {
			val = arena_strdup(a, "");
			vlen = 0;
		} else {
			if ((size_t)(amp - eq - 1) > lim->max_value * 3 ||
			    !urlenc_decode(a, eq + 1, (size_t)(amp - eq - 1),
			    1, &val, &vlen, &bu)) {
				if ((size_t)(amp - eq - 1) > lim->max_value * 3)
					goto too_long;
				bad(e, a, what, key, bu);
				return 0;
			}
			if (vlen > lim->max_value)
				goto too_long;
		}
		kv_add(a, out, key, val, vlen);
		p = amp;
		continue;
too_long:
		perr_set(e, a, 413, "field_too_long", key, "%s field %s is "
		    "longer than %zu bytes", what, key, lim->max_value);
		return 0;
	}
	return 1;
}

/* Percent-encode s but for unreserved characters and those of keep. */
static char *
encode(struct arena *a, const char *s, const char *keep)
{
	static const char	 hex[] = "0123456789ABCDEF";
	char			*out, *o;
	unsigned char		 c;

	if (s == NULL)
		s = "";
	o = out = arena_alloc(a, 3 * strlen(s) + 1);
	for (; (c = (unsigned char)*s) != '\0'; s++) {
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '_' ||
		    c == '.' || c == '~' || strchr(keep, c) != NULL) {
			*o++ = (char)c;
			continue;
		}
		*o++ = '%';
		*o++ = hex[c >> 4];
		*o++ = hex[c & 15];
	}
	*o = '\0';
	return out;
}

char *
urlenc_component(struct arena *a, const char *s)
{
	return encode(a, s, "/");
}

char *
urlenc_segment(struct arena *a, const char *s)
{
	return encode(a, s, "@");
}
