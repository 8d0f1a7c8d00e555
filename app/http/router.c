/*
 * router.c: compiled route patterns matched segment by segment.
 *
 * The table is small and scanned linearly; segments are compared as
 * decoded strings so "/units/a%62c" matches the slug "abc".
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "router.h"
#include "urlenc.h"
#include "util.h"

struct seg {
	char	*text;		/* literal, or parameter name */
	int	 param;
};

struct croute {
	const struct route	*route;
	struct seg		*segs;
	size_t			 nsegs;
};

struct router {
	struct croute	*routes;
	size_t		 n;
};

static const struct {
	const char	*name;
	unsigned	 bit;
} methods[] = {
	{ "GET", M_GET }, { "HEAD", M_HEAD }, { "POST", M_POST },
	{ "PUT", M_PUT }, { "PATCH", M_PATCH }, { "DELETE", M_DELETE },
	{ "OPTIONS", M_OPTIONS },
};

unsigned
http_method_parse(const char *s)
{
	size_t	 i;

	for (i = 0; i < NELEM(methods); i++)
		if (strcmp(s, methods[i].name) == 0)
			return methods[i].bit;
	return 0;
}

void
http_methods_format(unsigned mask, char *dst, size_t n)
{
	size_t	 i, o = 0;
	int	 w;

	if (n == 0)
		return;
	dst[0] = '\0';
	for (i = 0; i < NELEM(methods); i++) {
		if (!(mask & methods[i].bit))
			continue;
		w = snprintf(dst + o, n - o, "%s%s", o ? ", " : "",
		    methods[i].name);
		if (w < 0 || (size_t)w >= n - o)
			return;
		o += (size_t)w;
	}
}

/* Compile one pattern; returns 1, or 0 with err set. */
static int
compile(struct croute *cr, const struct route *r, char *err, size_t errlen)
{
	const char	*p = r->pattern, *e;
	size_t		 len;

	cr->route = r;
	cr->segs = xcalloc(ROUTER_MAX_SEGMENTS, sizeof(*cr->segs));
	cr->nsegs = 0;
	if (p[0] != '/') {
		snprintf(err, errlen, "route \"%s\": must start with /", p);
		return 0;
	}
	if (strcmp(p, "/") == 0)
		return 1;
	while (*p == '/') {
		p++;
		e = p + strcspn(p, "/");
		len = (size_t)(e - p);
		if (len == 0 || cr->nsegs == ROUTER_MAX_SEGMENTS) {
			snprintf(err, errlen, "route \"%s\": empty segment or "
			    "too many segments", r->pattern);
			return 0;
		}
		if (p[0] == '{') {
			if (len < 3 || p[len - 1] != '}') {
				snprintf(err, errlen, "route \"%s\": malformed "
				    "parameter", r->pattern);
				return 0;
			}
			cr->segs[cr->nsegs].param = 1;
			cr->segs[cr->nsegs].text = strndup(p + 1, len - 2);
		} else if (memchr(p, '{', len) || memchr(p, '}', len)) {
			snprintf(err, errlen, "route \"%s\": a parameter "
			    "must be a whole segment", r->pattern);
			return 0;
		} else
			cr->segs[cr->nsegs].text = strndup(p, len);
		if (cr->segs[cr->nsegs].text == NULL)
			abort();
		cr->nsegs++;
		p = e;
	}
	return 1;
}

static int
same(const struct croute *a, const struct croute *b)
{
	size_t	 i;

	if (a->route->method != b->route->method || a->nsegs != b->nsegs)
		return 0;
	for (i = 0; i < a->nsegs; i++)
		if (a->segs[i].param != b->segs[i].param ||
		    (!a->segs[i].param &&
		    strcmp(a->segs[i].text, b->segs[i].text) != 0))
			return 0;
	return 1;
}

struct router *
router_new(const struct route *routes, size_t n, char *err, size_t errlen)
{
	struct router	*r = xcalloc(1, sizeof(*r));
	size_t		 i, j;

	r->routes = xcalloc(n, sizeof(*r->routes));
	for (i = 0; i < n; i++) {
		r->n = i + 1;	/* so router_free() releases this one too */
		if (!compile(&r->routes[i], &routes[i], err, errlen))
			goto fail;
		for (j = 0; j < i; j++)
			if (same(&r->routes[i], &r->routes[j])) {
				snprintf(err, errlen, "routes \"%s\" and "
				    "\"%s\" overlap", routes[i].pattern,
				    routes[j].pattern);
				goto fail;
			}
	}
	return r;
fail:
	router_free(r);
	return NULL;
}

void
router_free(struct router *r)
{
	size_t	 i, j;

	if (r == NULL)
		return;
	for (i = 0; i < r->n; i++) {
		for (j = 0; j < r->routes[i].nsegs; j++)
			free(r->routes[i].segs[j].text);
		free(r->routes[i].segs);
	}
	free(r->routes);
	free(r);
}

/* Split and decode path; returns segment count, or -1 with e set. */
static int
split(const char *path, struct arena *a, char **segs, struct perr *e)
{
	const char	*p = path, *end;
	size_t		 n = 0, len;
	int		 bu;

	if (p[0] != '/') {
		perr_set(e, a, 400, "bad_path", NULL, "the path must start "
		    "with /");
		return -1;
	}
	if (p[1] == '\0')
		return 0;
	while (*p == '/') {
		p++;
		end = p + strcspn(p, "/");
		if (n == ROUTER_MAX_SEGMENTS) {
			perr_set(e, a, 404, "not_found", NULL, "there is no "
			    "page at this address");
			return -1;
		}
		if (!urlenc_decode(a, p, (size_t)(end - p), 0, &segs[n], &len,
		    &bu)) {
			perr_set(e, a, 400,
			    bu ? "invalid_utf8" : "bad_encoding", "path",
			    bu ? "the path is not valid UTF-8 text" :
			    "the path has a malformed percent-escape");
			return -1;
		}
		n++;
		p = end;
	}
	return (int)n;
}

int
router_match(const struct router *r, unsigned method, const char *path,
    struct arena *a, const struct route **rt, struct kvlist *params,
    unsigned *allow, struct perr *e)
{
	char		*segs[ROUTER_MAX_SEGMENTS];
	unsigned	 want = method == M_HEAD ? M_GET : method;
	size_t		 i, j;
	int		 n;

	*allow = 0;
	if ((n = split(path, a, segs, e)) < 0)
		return 0;
	for (i = 0; i < r->n; i++) {
		const struct croute *cr = &r->routes[i];

		if (cr->nsegs != (size_t)n)
			continue;
		for (j = 0; j < cr->nsegs; j++) {
			if (cr->segs[j].param ? segs[j][0] == '\0' :
			    strcmp(cr->segs[j].text, segs[j]) != 0)
				break;
		}
		if (j < cr->nsegs)
			continue;
		if (cr->route->method != want) {
			*allow |= cr->route->method;
			if (cr->route->method == M_GET)
				*allow |= M_HEAD;
			continue;
		}
		for (j = 0; j < cr->nsegs; j++)
			if (cr->segs[j].param)
				kv_add(a, params, cr->segs[j].text, segs[j],
				    strlen(segs[j]));
		*rt = cr->route;
		return 1;
	}
	if (*allow)
		perr_set(e, a, 405, "method_not_allowed", NULL, "this address "
		    "does not accept the method");
	else
		perr_set(e, a, 404, "not_found", NULL, "there is no page at "
		    "this address");
	return 0;
}
