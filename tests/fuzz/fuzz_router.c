/*
 * fuzz_router.c: libFuzzer target for route matching and compilation.
 *
 * When the first byte has its high bit clear, its low bits choose a
 * method and the rest is a path matched against a fixed table (with dummy
 * handlers, not the application's); the result must be consistent.  With
 * the high bit set, the rest is a table of patterns, one a line, that
 * router_new() must either compile or refuse with a message.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "router.h"
#include "utf8.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static int
h_dummy(struct req *r)
{
	(void)r;
	return 200;
}

static const struct route routes[] = {
	{ M_GET, "/", h_dummy, 0, ACCESS_ANON, NULL, NULL },
	{ M_GET, "/healthz", h_dummy, 0, ACCESS_ANON, NULL, NULL },
	{ M_GET, "/units/{slug}", h_dummy, 0, ACCESS_ANON, NULL, NULL },
	{ M_POST, "/units/{slug}", h_dummy, 0, ACCESS_ANON, NULL, NULL },
	{ M_GET, "/units/new", h_dummy, 0, ACCESS_ANON, NULL, NULL },
	{ M_GET, "/units/{slug}/posts/{id}", h_dummy, 0, ACCESS_ANON,
	  NULL, NULL },
	{ M_DELETE, "/units/{slug}/posts/{id}", h_dummy, 0, ACCESS_ANON,
	  NULL, NULL },
	{ M_PATCH, "/units/{slug}/posts/{id}/edit", h_dummy, 0, ACCESS_ANON,
	  NULL, NULL },
	{ M_POST, "/login", h_dummy, 0, ACCESS_ANON, NULL, NULL },
	{ M_PUT, "/a/{b}/c/{d}/e", h_dummy, 0, ACCESS_ANON, NULL, NULL },
};
#define NROUTES	(sizeof(routes) / sizeof(routes[0]))

static const unsigned	 methods[8] = {
	M_GET, M_HEAD, M_POST, M_PUT, M_PATCH, M_DELETE, M_OPTIONS, M_GET
};

static size_t
nparams(const char *pattern)
{
	size_t	 n = 0;

	for (; *pattern != '\0'; pattern++)
		if (*pattern == '{')
			n++;
	return n;
}

static void
fuzz_match(unsigned method, const char *path)
{
	static struct router	*r;
	struct arena		*a = arena_new(0);
	const struct route	*rt = NULL;
	struct kvlist		 params;
	struct perr		 e;
	unsigned		 allow = 0, want;
	char			 list[128];
	size_t			 i;

	if (r == NULL && (r = router_new(routes, NROUTES, list,
	    sizeof(list))) == NULL)
		abort();
	want = method == M_HEAD ? M_GET : method;
	memset(&params, 0, sizeof(params));
	memset(&e, 0, sizeof(e));
	if (router_match(r, method, path, a, &rt, &params, &allow, &e)) {
		if (rt == NULL || rt->method != want ||
		    params.n != nparams(rt->pattern))
			__builtin_trap();
		for (i = 0; i < params.n; i++)
			if (params.v[i].vlen == 0 ||
			    strlen(params.v[i].val) != params.v[i].vlen ||
			    !utf8_valid(params.v[i].val, params.v[i].vlen))
				__builtin_trap();
	} else {
		if (params.n != 0)
			__builtin_trap();
		switch (e.status) {
		case 400:
		case 404:
			if (allow != 0)
				__builtin_trap();
			break;
		case 405:
			if (allow == 0 || (allow & want) != 0)
				__builtin_trap();
			http_methods_format(allow, list, sizeof(list));
			if (list[0] == '\0')
				__builtin_trap();
			break;
		default:
			__builtin_trap();
		}
	}
	arena_free(a);
}

static void
fuzz_compile(const char *text)
{
	struct route	 t[16];
	struct router	*r;
	char		*copy = strdup(text), *p = copy, *nl, err[256];
	size_t		 n = 0;

	if (copy == NULL)
		return;
	while (n < 16) {
		t[n].method = methods[n % 8];
		t[n].pattern = p;
		t[n].handler = h_dummy;
		t[n].flags = 0;
		t[n].access = ACCESS_ANON;
		n++;
		if ((nl = strchr(p, '\n')) == NULL)
			break;
		*nl = '\0';
		p = nl + 1;
	}
	err[0] = '\0';
	if ((r = router_new(t, n, err, sizeof(err))) == NULL) {
		if (err[0] == '\0')
			__builtin_trap();
	} else
		router_free(r);
	free(copy);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	*s;

	if (size < 1)
		return 0;
	if ((s = malloc(size)) == NULL)
		return 0;
	memcpy(s, data + 1, size - 1);
	s[size - 1] = '\0';
	if (data[0] & 0x80)
		fuzz_compile(s);
	else
		fuzz_match(methods[data[0] & 7], s);
	free(s);
	return 0;
}
