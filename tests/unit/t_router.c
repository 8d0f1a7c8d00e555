/*
 * t_router.c: method names, route compilation and matching: parameters
 * (e-mail addresses among them), 404, 405 with Allow, HEAD as GET, and
 * badly encoded paths; and the access rules of unit-scoped routes.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "router.h"
#include "scope.h"
#include "session.h"
#include "tap.h"

static int
h_ok(struct req *r)
{
	(void)r;
	return 200;
}

static const struct route routes[] = {
	{ M_GET, "/", h_ok, 0, ACCESS_ANON, NULL, NULL },
	{ M_GET, "/healthz", h_ok, ROUTE_API, ACCESS_ANON, NULL, NULL },
	{ M_GET, "/units/{slug}", h_ok, ROUTE_TX_RO, ACCESS_ANON, NULL, NULL },
	{ M_POST, "/units/{slug}", h_ok, ROUTE_TX_RW, ACCESS_ANON, NULL, NULL },
	{ M_GET, "/units/{slug}/posts/{id}", h_ok, 0, ACCESS_ANON, NULL, NULL },
	{ M_DELETE, "/units/{slug}/posts/{id}", h_ok, 0, ACCESS_ANON,
	  NULL, NULL },
	{ M_POST, "/login", h_ok, 0, ACCESS_ANON, NULL, NULL },
	{ M_PUT, "/a/b/c", h_ok, 0, ACCESS_ANON, NULL, NULL },
	{ M_PUT, "/units/{slug}/members/{email}", h_ok, 0, ACCESS_ANON,
	  NULL, NULL },
};
#define NROUTES	(sizeof(routes) / sizeof(routes[0]))

struct m {
	int			 rc;
	const struct route	*rt;
	struct kvlist		 params;
	unsigned		 allow;
	struct perr		 e;
};

static struct m
match(const struct router *r, struct arena *a, unsigned method,
    const char *path)
{
	struct m	 m;

	memset(&m, 0, sizeof(m));
	m.allow = 0xdead;
	m.rc = router_match(r, method, path, a, &m.rt, &m.params, &m.allow,
	    &m.e);
	return m;
}

static void
test_methods(void)
{
	char	 buf[128];

	is_int(http_method_parse("GET"), M_GET, "GET");
	is_int(http_method_parse("HEAD"), M_HEAD, "HEAD");
	is_int(http_method_parse("POST"), M_POST, "POST");
	is_int(http_method_parse("PUT"), M_PUT, "PUT");
	is_int(http_method_parse("PATCH"), M_PATCH, "PATCH");
	is_int(http_method_parse("DELETE"), M_DELETE, "DELETE");
	is_int(http_method_parse("OPTIONS"), M_OPTIONS, "OPTIONS");
	is_int(http_method_parse("get"), 0, "method names are case-sensitive "
	    "(RFC 9110 section 9.1)");
	is_int(http_method_parse(""), 0, "the empty method is unknown");
	is_int(http_method_parse("GETX"), 0, "a prefix is not enough");
	is_int(http_method_parse("TRACE"), 0, "TRACE is unknown");
	is_int(http_method_parse("CONNECT"), 0, "CONNECT is unknown");

	http_methods_format(M_POST | M_GET | M_HEAD, buf, sizeof(buf));
	is_str(buf, "GET, HEAD, POST", "a mask is formatted in a fixed order");
	http_methods_format(M_DELETE, buf, sizeof(buf));
	is_str(buf, "DELETE", "a single method");
	http_methods_format(0, buf, sizeof(buf));
	is_str(buf, "", "an empty mask gives an empty string");
	http_methods_format(0x7f, buf, sizeof(buf));
	is_str(buf, "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS",
	    "every method");
	memset(buf, 'X', sizeof(buf));
	http_methods_format(0x7f, buf, 8);
	ok(memchr(buf, '\0', 8) != NULL && buf[8] == 'X',
	    "a small buffer is terminated and not overrun");
	buf[0] = 'X';
	http_methods_format(M_GET, buf, 0);
	ok(buf[0] == 'X', "a buffer of size 0 is not touched");
}

static void
test_match(const struct router *r)
{
	struct arena	*a = arena_new(0);
	struct m	 m;

	m = match(r, a, M_GET, "/");
	ok(m.rc == 1 && m.rt == &routes[0], "GET / matches the root route");
	is_int(m.params.n, 0, "without parameters");
	m = match(r, a, M_GET, "/healthz");
	ok(m.rc == 1 && m.rt == &routes[1], "GET /healthz matches exactly");
	m = match(r, a, M_GET, "/units/abc");
	ok(m.rc == 1 && m.rt == &routes[2], "GET /units/abc matches the "
	    "GET parameter route");
	is_int(m.params.n, 1, "one parameter");
	is_str(kv_get(&m.params, "slug"), "abc", "named slug, value abc");
	is_int(m.params.n ? m.params.v[0].vlen : 0, 3, "its length");
	m = match(r, a, M_POST, "/units/abc");
	ok(m.rc == 1 && m.rt == &routes[3], "POST picks the POST route of "
	    "the same pattern");
	m = match(r, a, M_GET, "/units/x/posts/42");
	ok(m.rc == 1 && m.rt == &routes[4], "two parameters match");
	ok(m.params.n == 2 && strcmp(m.params.v[0].key, "slug") == 0 &&
	    strcmp(m.params.v[0].val, "x") == 0 &&
	    strcmp(m.params.v[1].key, "id") == 0 &&
	    strcmp(m.params.v[1].val, "42") == 0,
	    "in pattern order, with their values");

	m = match(r, a, M_GET, "/units/a%62c");
	is_str(kv_get(&m.params, "slug"), "abc", "parameters are "
	    "percent-decoded");
	m = match(r, a, M_GET, "/units/caf%C3%A9");
	is_str(kv_get(&m.params, "slug"), "caf\xc3\xa9", "into UTF-8");
	m = match(r, a, M_GET, "/units/a%2Fb");
	ok(m.rc == 1 && m.rt == &routes[2], "an encoded slash stays in its "
	    "segment");
	is_str(kv_get(&m.params, "slug"), "a/b", "and is decoded in the value");
	m = match(r, a, M_GET, "/units/a+b");
	is_str(kv_get(&m.params, "slug"), "a+b", "'+' in a path is not a "
	    "space");
	m = match(r, a, M_GET, "/units/a%20b");
	is_str(kv_get(&m.params, "slug"), "a b", "%%20 is a space");
	m = match(r, a, M_GET, "/heal%74hz");
	ok(m.rc == 1 && m.rt == &routes[1], "literal segments are compared "
	    "decoded");

	m = match(r, a, M_PUT, "/units/n/members/ann+news@example.org");
	ok(m.rc == 1 && m.rt == &routes[8], "an e-mail address is a "
	    "parameter");
	is_str(kv_get(&m.params, "email"), "ann+news@example.org",
	    "with its '@' and '+' as they are");
	m = match(r, a, M_PUT, "/units/n/members/ann%2Bnews%40example.org");
	is_str(kv_get(&m.params, "email"), "ann+news@example.org",
	    "or percent-encoded");
	m = match(r, a, M_PUT, "/units/n/members/a%2Fb%3F%23@example.org");
	ok(m.rc == 1 && m.rt == &routes[8] &&
	    strcmp(kv_get(&m.params, "email"), "a/b?#@example.org") == 0,
	    "an encoded '/', '?' and '#' stay in the address");
	m = match(r, a, M_PUT, "/units/n/members/a/b@example.org");
	ok(m.rc == 0 && m.e.status == 404, "a raw '/' splits it: 404");

	memset(&m, 0, sizeof(m));
	kv_add(a, &m.params, "pre", "1", 1);
	ok(router_match(r, M_GET, "/units/s", a, &m.rt, &m.params, &m.allow,
	    &m.e) && m.params.n == 2 && strcmp(m.params.v[1].val, "s") == 0,
	    "parameters are appended");

	m = match(r, a, M_HEAD, "/healthz");
	ok(m.rc == 1 && m.rt == &routes[1], "HEAD matches the GET route");
	m = match(r, a, M_HEAD, "/units/h");
	ok(m.rc == 1 && m.rt == &routes[2] &&
	    strcmp(kv_get(&m.params, "slug"), "h") == 0,
	    "HEAD matches a GET parameter route, with parameters");
	m = match(r, a, M_HEAD, "/");
	ok(m.rc == 1 && m.rt == &routes[0], "HEAD / matches GET /");
	arena_free(a);
}

static void
test_not_found(const struct router *r)
{
	struct arena	*a = arena_new(0);
	struct m	 m;

	m = match(r, a, M_GET, "/nope");
	ok(m.rc == 0 && m.e.status == 404, "an unknown path is 404");
	is_str(m.e.code, "not_found", "code not_found");
	is_int(m.allow, 0, "and allow is cleared");
	m = match(r, a, M_GET, "/healthz/");
	ok(m.rc == 0 && m.e.status == 404, "a trailing slash is 404");
	m = match(r, a, M_GET, "/units/");
	ok(m.rc == 0 && m.e.status == 404, "an empty parameter at the end "
	    "is 404");
	m = match(r, a, M_GET, "/units//posts/1");
	ok(m.rc == 0 && m.e.status == 404, "an empty parameter in the middle "
	    "is 404");
	m = match(r, a, M_GET, "//");
	ok(m.rc == 0 && m.e.status == 404, "// is 404");
	m = match(r, a, M_GET, "//healthz");
	ok(m.rc == 0 && m.e.status == 404, "//healthz is 404");
	m = match(r, a, M_GET, "/units");
	ok(m.rc == 0 && m.e.status == 404, "a prefix of a pattern is 404");
	m = match(r, a, M_GET, "/units/x/posts/1/more");
	ok(m.rc == 0 && m.e.status == 404, "a longer path is 404");
	m = match(r, a, M_GET, "/HEALTHZ");
	ok(m.rc == 0 && m.e.status == 404, "literals are case-sensitive");
	m = match(r, a, M_GET, "/a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/q/r/s/t/u/v/"
	    "w/x/y/z/0/1/2/3/4/5/6/7/8/9");
	ok(m.rc == 0 && m.e.status == 404, "a path of 36 segments is 404");
	arena_free(a);
}

static void
test_not_allowed(const struct router *r)
{
	struct arena	*a = arena_new(0);
	struct m	 m;

	m = match(r, a, M_DELETE, "/units/abc");
	ok(m.rc == 0 && m.e.status == 405, "DELETE on a GET/POST path is 405");
	is_str(m.e.code, "method_not_allowed", "code method_not_allowed");
	is_int(m.allow, M_GET | M_HEAD | M_POST, "Allow lists GET, HEAD "
	    "and POST");
	is_int(m.params.n, 0, "no parameters are returned with a 405");
	m = match(r, a, M_PUT, "/healthz");
	ok(m.rc == 0 && m.e.status == 405 && m.allow == (M_GET | M_HEAD),
	    "Allow of a GET-only path includes HEAD");
	m = match(r, a, M_GET, "/login");
	ok(m.rc == 0 && m.e.status == 405 && m.allow == M_POST,
	    "Allow of a POST-only path is POST alone");
	m = match(r, a, M_HEAD, "/login");
	ok(m.rc == 0 && m.e.status == 405 && m.allow == M_POST,
	    "HEAD on a POST-only path is 405");
	m = match(r, a, M_POST, "/units/x/posts/1");
	ok(m.rc == 0 && m.e.status == 405 &&
	    m.allow == (M_GET | M_HEAD | M_DELETE),
	    "Allow of a parameter path gathers every route");
	m = match(r, a, M_OPTIONS, "/a/b/c");
	ok(m.rc == 0 && m.e.status == 405 && m.allow == M_PUT,
	    "OPTIONS is 405 where no route has it");
	arena_free(a);
}

static void
test_bad_path(const struct router *r)
{
	struct arena	*a = arena_new(0);
	struct m	 m;

	m = match(r, a, M_GET, "/units/%zz");
	ok(m.rc == 0 && m.e.status == 400, "a malformed escape is 400");
	is_str(m.e.code, "bad_encoding", "code bad_encoding");
	is_str(m.e.field, "path", "field path");
	m = match(r, a, M_GET, "/units/%");
	ok(m.rc == 0 && m.e.status == 400, "a lone %% is 400");
	m = match(r, a, M_GET, "/units/%4");
	ok(m.rc == 0 && m.e.status == 400, "%%4 is 400");
	m = match(r, a, M_GET, "/nope/%zz");
	ok(m.rc == 0 && m.e.status == 400, "even where no route exists");
	m = match(r, a, M_GET, "/units/%ff");
	ok(m.rc == 0 && m.e.status == 400, "an escape that is not UTF-8 is "
	    "400");
	is_str(m.e.code, "invalid_utf8", "code invalid_utf8");
	m = match(r, a, M_GET, "/units/%00");
	ok(m.rc == 0 && m.e.status == 400 &&
	    strcmp(m.e.code, "invalid_utf8") == 0, "an escaped NUL is 400");
	m = match(r, a, M_GET, "/units/%C0%AE");
	ok(m.rc == 0 && m.e.status == 400, "an overlong '.' is 400");
	m = match(r, a, M_GET, "/units/\xed\xa0\x80");
	ok(m.rc == 0 && m.e.status == 400, "a raw surrogate is 400");
	m = match(r, a, M_GET, "");
	ok(m.rc == 0 && m.e.status == 400, "an empty path is 400");
	m = match(r, a, M_GET, "healthz");
	ok(m.rc == 0 && m.e.status == 400, "a path without / is 400");
	arena_free(a);
}

/* Compile one table; returns router_new's result, freed, and the error. */
static int
compiles(const struct route *t, size_t n, char *err, size_t errlen)
{
	struct router	*r;

	err[0] = '\0';
	if ((r = router_new(t, n, err, errlen)) == NULL)
		return 0;
	router_free(r);
	return 1;
}

static int
bad_pattern(const char *pattern, char *err, size_t errlen)
{
	struct route	 t[2] = {
		{ M_GET, "/fine", h_ok, 0, ACCESS_ANON, NULL, NULL },
		{ M_GET, pattern, h_ok, 0, ACCESS_ANON, NULL, NULL },
	};

	return !compiles(t, 2, err, errlen) && err[0] != '\0' &&
	    strstr(err, pattern) != NULL;
}

static void
test_compile(void)
{
	struct arena	*a = arena_new(0);
	struct router	*r;
	struct m	 m;
	char		 err[256], *p32, *p33, *path;
	int		 i;

	ok(bad_pattern("", err, sizeof(err)), "an empty pattern is refused: "
	    "%s", err);
	ok(bad_pattern("units", err, sizeof(err)), "a pattern without a "
	    "leading / is refused: %s", err);
	ok(bad_pattern("/units/", err, sizeof(err)), "a trailing slash is "
	    "refused: %s", err);
	ok(bad_pattern("//units", err, sizeof(err)), "an empty first segment "
	    "is refused");
	ok(bad_pattern("/a//b", err, sizeof(err)), "an empty middle segment "
	    "is refused");
	ok(bad_pattern("/u/{}", err, sizeof(err)), "an unnamed parameter is "
	    "refused: %s", err);
	ok(bad_pattern("/u/{id", err, sizeof(err)), "an unclosed parameter "
	    "is refused");
	ok(bad_pattern("/u/{id}x", err, sizeof(err)), "text after a "
	    "parameter is refused");
	ok(bad_pattern("/u/{", err, sizeof(err)), "a lone { is refused");
	ok(bad_pattern("/x{a}", err, sizeof(err)), "a parameter inside a "
	    "literal segment is refused: %s", err);
	ok(bad_pattern("/a}b", err, sizeof(err)), "a stray } is refused");

	p32 = arena_strdup(a, "");
	for (i = 0; i < ROUTER_MAX_SEGMENTS; i++)
		p32 = arena_printf(a, "%s/s%d", p32, i);
	p33 = arena_printf(a, "%s/last", p32);
	ok(bad_pattern(p33, err, sizeof(err)), "a pattern of %d segments is "
	    "refused", ROUTER_MAX_SEGMENTS + 1);
	{
		struct route t[1] = {
			{ M_GET, p32, h_ok, 0, ACCESS_ANON, NULL, NULL }
		};

		r = router_new(t, 1, err, sizeof(err));
		ok(r != NULL, "a pattern of exactly %d segments is accepted",
		    ROUTER_MAX_SEGMENTS);
		if (r != NULL) {
			m = match(r, a, M_GET, p32);
			ok(m.rc == 1 && m.rt == &t[0], "and a path of %d "
			    "segments matches it", ROUTER_MAX_SEGMENTS);
			path = arena_printf(a, "%s/x", p32);
			m = match(r, a, M_GET, path);
			ok(m.rc == 0 && m.e.status == 404, "%d segments are 404",
			    ROUTER_MAX_SEGMENTS + 1);
			router_free(r);
		}
	}
	{
		struct route t[2] = {
			{ M_GET, "/u/{a}", h_ok, 0, ACCESS_ANON, NULL, NULL },
			{ M_GET, "/u/{b}", h_ok, 0, ACCESS_ANON, NULL, NULL },
		};

		ok(!compiles(t, 2, err, sizeof(err)), "two parameter routes "
		    "differing only in the name overlap: %s", err);
		ok(strstr(err, "/u/{a}") && strstr(err, "/u/{b}"),
		    "the message names both");
	}
	{
		struct route t[3] = {
			{ M_GET, "/x", h_ok, 0, ACCESS_ANON, NULL, NULL },
			{ M_POST, "/y", h_ok, 0, ACCESS_ANON, NULL, NULL },
			{ M_GET, "/x", h_ok, 0, ACCESS_ANON, NULL, NULL },
		};

		ok(!compiles(t, 3, err, sizeof(err)), "the same method and "
		    "literal pattern twice overlap: %s", err);
	}
	{
		struct route t[4] = {
			{ M_GET, "/u/{a}", h_ok, 0, ACCESS_ANON, NULL, NULL },
			{ M_POST, "/u/{b}", h_ok, 0, ACCESS_ANON, NULL, NULL },
			{ M_GET, "/u/{a}/x", h_ok, 0, ACCESS_ANON, NULL, NULL },
			{ M_GET, "/u", h_ok, 0, ACCESS_ANON, NULL, NULL },
		};

		ok(compiles(t, 4, err, sizeof(err)), "different methods or "
		    "lengths do not overlap");
	}
	ok(compiles(routes, 0, err, sizeof(err)), "an empty table compiles");
	arena_free(a);
}

/* The rules of routes under /units/{slug} (scope_decide()). */
static void
test_scope(void)
{
	static const struct route_unit seen = { NULL, 0, NULL, NULL, NULL };
	static const struct route_unit edit = { "owner", 0,
	    "requested changes_requested", "owners", "waiting" };
	static const struct route_unit invite = { "owner", UNIT_ADMIN, NULL,
	    "owners", NULL };
	static const struct route_unit roles = { "owner", UNIT_ADMIN |
	    UNIT_HIDE, NULL, "owners", NULL };
	static const struct route_unit removal = { "owner", UNIT_ADMIN |
	    UNIT_HIDE | UNIT_SELF, NULL, "owners", NULL };
	static const struct route_unit members = { "guest", UNIT_HUB |
	    UNIT_DENY_404, NULL, "no unit", NULL };
	static const struct route_unit leave = { "guest", UNIT_DENY_404, NULL,
	    "not a member", NULL };
	static const struct route_unit editors = { "editor", 0, NULL, "x",
	    NULL };

	is_int(scope_decide(&seen, "", 0, 0, "approved"), SCOPE_OK,
	    "a unit one sees needs no role");
	is_int(scope_decide(&edit, "owner", 0, 0, "requested"), SCOPE_OK,
	    "an owner edits a waiting request");
	is_int(scope_decide(&edit, "owner", 0, 0, "changes_requested"),
	    SCOPE_OK, "or one waiting for changes");
	is_int(scope_decide(&edit, "owner", 0, 0, "approved"),
	    SCOPE_WRONG_STATE, "not a decided one (409)");
	is_int(scope_decide(&edit, "editor", 0, 0, "approved"),
	    SCOPE_FORBIDDEN, "the role is checked before the state (403)");
	is_int(scope_decide(&edit, "", HUB_ADMIN, 0, "requested"),
	    SCOPE_FORBIDDEN, "hub admins do not pass where not declared");
	is_int(scope_decide(&invite, "", HUB_ADMIN, 0, "approved"), SCOPE_OK,
	    "where declared they do");
	is_int(scope_decide(&invite, "", HUB_HR, 0, "approved"),
	    SCOPE_FORBIDDEN, "other hub roles do not");
	is_int(scope_decide(&invite, "", 0, 0, "approved"), SCOPE_FORBIDDEN,
	    "an outsider is refused with 403 where not hidden");
	is_int(scope_decide(&roles, "", 0, 0, "approved"), SCOPE_HIDDEN,
	    "and with 404 where hidden");
	is_int(scope_decide(&roles, "editor", 0, 0, "approved"),
	    SCOPE_FORBIDDEN, "a member who may not is 403");
	is_int(scope_decide(&roles, "", HUB_HR, 0, "approved"),
	    SCOPE_FORBIDDEN, "so is a hub role, who sees the members");
	is_int(scope_decide(&roles, "editor", 0, 1, "approved"),
	    SCOPE_FORBIDDEN, "one's own address passes only where declared");
	is_int(scope_decide(&removal, "author", 0, 1, "approved"), SCOPE_OK,
	    "as for leaving by removing oneself");
	is_int(scope_decide(&removal, "author", 0, 0, "approved"),
	    SCOPE_FORBIDDEN, "not for removing another");
	is_int(scope_decide(&removal, "", 0, 1, "approved"), SCOPE_OK,
	    "(the database still finds no such member)");
	is_int(scope_decide(&members, "", HUB_COMMS, 0, "approved"), SCOPE_OK,
	    "every hub role sees the members where declared");
	is_int(scope_decide(&members, "guest", 0, 0, "approved"), SCOPE_OK,
	    "so does a guest");
	is_int(scope_decide(&members, "", 0, 0, "approved"), SCOPE_HIDDEN,
	    "an outsider is told there is no such unit");
	is_int(scope_decide(&leave, "", HUB_ADMIN, 0, "approved"),
	    SCOPE_HIDDEN, "leaving is 404 for everyone who is not a member");
	is_int(scope_decide(&leave, "guest", 0, 0, "approved"), SCOPE_OK,
	    "any member leaves");
	is_int(scope_decide(&editors, "owner", 0, 0, "approved"), SCOPE_OK,
	    "roles rank: an owner is at least an editor");
	is_int(scope_decide(&editors, "editor", 0, 0, "approved"), SCOPE_OK,
	    "an editor is");
	is_int(scope_decide(&editors, "author", 0, 0, "approved"),
	    SCOPE_FORBIDDEN, "an author is not");
	is_int(scope_decide(&editors, "king", 0, 0, "approved"),
	    SCOPE_FORBIDDEN, "nor is an unknown role");
	is_int(scope_decide(&edit, "owner", 0, 0, NULL), SCOPE_WRONG_STATE,
	    "no state is not an allowed state");
	is_int(scope_decide(&edit, "owner", 0, 0, "request"),
	    SCOPE_WRONG_STATE, "states are whole words");
}

int
main(void)
{
	struct router	*r;
	char		 err[256] = "";

	test_methods();
	r = router_new(routes, NROUTES, err, sizeof(err));
	ok(r != NULL, "the test table compiles: %s", err);
	if (r == NULL)
		return tap_done();
	test_match(r);
	test_not_found(r);
	test_not_allowed(r);
	test_bad_path(r);
	router_free(r);
	test_compile();
	test_scope();
	return tap_done();
}
