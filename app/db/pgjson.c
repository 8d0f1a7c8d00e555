/*
 * pgjson.c: PostgreSQL's JSON output into jansson values in one pass.
 *
 * A json column PostgreSQL wrote is valid JSON (json_build_object(),
 * json_agg(), array_to_json(), a json value it checked on input), so it
 * needs no lexer with token buffers: this walks the text once and makes
 * each value directly, where json_loads() cost about 3,000 instructions
 * a value on the signed-in unit page (bench/RESULTS.md).  It keeps to a
 * subset: text it does not expect (a \u escape, a number with a fraction
 * or an exponent or past the integer range, nesting deeper than
 * PGJSON_DEPTH, anything invalid) makes it answer NULL, and the caller
 * parses with json_loads() instead.  Strings and keys are checked as
 * UTF-8 by jansson as before.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "pgjson.h"
#include "util.h"

#define PGJSON_DEPTH	32

struct pgjson {
	const char	*p, *end;
};

static json_t	*pgjson_value(struct pgjson *, int);

static void
pgjson_space(struct pgjson *j)
{
	while (j->p < j->end && (*j->p == ' ' || *j->p == '\n' ||
	    *j->p == '\t' || *j->p == '\r'))
		j->p++;
}

/*
 * The string at j->p (past its opening quote) into *out, its length in
 * *len: the text itself when it has no escape, else a copy the caller
 * frees (*copy).  Returns 0, or -1 for text outside the subset (and
 * nothing to free).
 */
static int
pgjson_str(struct pgjson *j, const char **out, size_t *len, char **copy)
{
	const char	*s = j->p, *q;
	char		*d;

	*copy = NULL;
	while (j->p < j->end && *j->p != '"' && *j->p != '\\' &&
	    (unsigned char)*j->p >= 0x20)
		j->p++;
	if (j->p >= j->end || (unsigned char)*j->p < 0x20)
		return -1;
	if (*j->p == '"') {
		*out = s;
		*len = (size_t)(j->p++ - s);
		return 0;
	}
	d = *copy = xmalloc((size_t)(j->end - s));
	for (q = s; q < j->end && *q != '"'; q++) {
		if ((unsigned char)*q < 0x20)
			goto fail;
		if (*q != '\\') {
			*d++ = *q;
			continue;
		}
		if (++q >= j->end)
			goto fail;
		switch (*q) {
		case '"': case '\\': case '/':
			*d++ = *q;
			break;
		case 'b':
			*d++ = '\b';
			break;
		case 'f':
			*d++ = '\f';
			break;
		case 'n':
			*d++ = '\n';
			break;
		case 'r':
			*d++ = '\r';
			break;
		case 't':
			*d++ = '\t';
			break;
		default:
			goto fail;	/* \u and anything else */
		}
	}
	if (q >= j->end)
		goto fail;
	j->p = q + 1;
	*out = *copy;
	*len = (size_t)(d - *copy);
	return 0;
fail:
	free(*copy);
	*copy = NULL;
	return -1;
}

static json_t *
pgjson_string(struct pgjson *j)
{
	const char	*s;
	char		*copy;
	size_t		 len;
	json_t		*v = NULL;

	if (pgjson_str(j, &s, &len, &copy) == 0)
		v = json_stringn(s, len);
	free(copy);
	return v;
}

static json_t *
pgjson_number(struct pgjson *j)
{
	const char	*s = j->p;
	char		 buf[24], *e;
	long long	 n;
	size_t		 len, neg;

	if (j->p < j->end && *j->p == '-')
		j->p++;
	while (j->p < j->end && *j->p >= '0' && *j->p <= '9')
		j->p++;
	len = (size_t)(j->p - s);
	neg = len > 0 && *s == '-';
	/* A leading zero before a digit is not JSON: json_loadb() says so. */
	if (len <= neg || len >= sizeof(buf) || (s[neg] == '0' &&
	    len > neg + 1) || (j->p < j->end &&
	    (*j->p == '.' || *j->p == 'e' || *j->p == 'E')))
		return NULL;
	memcpy(buf, s, len);
	buf[len] = '\0';
	errno = 0;
	n = strtoll(buf, &e, 10);
	if (errno != 0 || *e != '\0')
		return NULL;
	return json_integer(n);
}

static json_t *
pgjson_object(struct pgjson *j, int depth)
{
	json_t		*o = json_object(), *v;
	const char	*k;
	char		*copy;
	size_t		 klen;

	pgjson_space(j);
	if (j->p < j->end && *j->p == '}') {
		j->p++;
		return o;
	}
	for (;;) {
		if (j->p >= j->end || *j->p++ != '"' ||
		    pgjson_str(j, &k, &klen, &copy) < 0)
			goto fail;
		pgjson_space(j);
		if (j->p >= j->end || *j->p++ != ':' ||
		    (v = pgjson_value(j, depth)) == NULL) {
			free(copy);
			goto fail;
		}
		if (json_object_setn_new(o, k, klen, v) < 0) {
			free(copy);
			goto fail;
		}
		free(copy);
		pgjson_space(j);
		if (j->p < j->end && *j->p == ',') {
			j->p++;
			pgjson_space(j);
			continue;
		}
		if (j->p < j->end && *j->p++ == '}')
			return o;
		goto fail;
	}
fail:
	json_decref(o);
	return NULL;
}

static json_t *
pgjson_array(struct pgjson *j, int depth)
{
	json_t	*a = json_array(), *v;

	pgjson_space(j);
	if (j->p < j->end && *j->p == ']') {
		j->p++;
		return a;
	}
	for (;;) {
		if ((v = pgjson_value(j, depth)) == NULL ||
		    json_array_append_new(a, v) < 0)
			goto fail;
		pgjson_space(j);
		if (j->p < j->end && *j->p == ',') {
			j->p++;
			continue;
		}
		if (j->p < j->end && *j->p++ == ']')
			return a;
		goto fail;
	}
fail:
	json_decref(a);
	return NULL;
}

/* The literal word at j->p, when it is one. */
static int
pgjson_word(struct pgjson *j, const char *w, size_t n)
{
	if ((size_t)(j->end - j->p) < n || memcmp(j->p, w, n) != 0)
		return 0;
	j->p += n;
	return 1;
}

static json_t *
pgjson_value(struct pgjson *j, int depth)
{
	pgjson_space(j);
	if (j->p >= j->end || depth >= PGJSON_DEPTH)
		return NULL;
	switch (*j->p) {
	case '{':
		j->p++;
		return pgjson_object(j, depth + 1);
	case '[':
		j->p++;
		return pgjson_array(j, depth + 1);
	case '"':
		j->p++;
		return pgjson_string(j);
	case 't':
		return pgjson_word(j, "true", 4) ? json_true() : NULL;
	case 'f':
		return pgjson_word(j, "false", 5) ? json_false() : NULL;
	case 'n':
		return pgjson_word(j, "null", 4) ? json_null() : NULL;
	default:
		return pgjson_number(j);
	}
}

json_t *
pgjson_parse(const char *s, size_t len)
{
	struct pgjson	 j = { s, s + len };
	json_t		*v;

	if ((v = pgjson_value(&j, 0)) == NULL)
		return NULL;
	pgjson_space(&j);
	if (j.p != j.end) {
		json_decref(v);
		return NULL;
	}
	return v;
}

json_t *
pgjson_load(const char *s, size_t len)
{
	json_t	*v;

	if ((v = pgjson_parse(s, len)) != NULL)
		return v;
	return json_loadb(s, len, JSON_DECODE_ANY, NULL);
}
