/*
 * t_req.c: requests from hand-built CGI environments and bodies: method,
 * target, query, cookies, lengths and limits, body types.
 */
#include "config.h"

#include <string.h>

#include "arena.h"
#include "req.h"
#include "tap.h"
#include "utf8.h"

static const struct req_limits	 lim = { 100, 3, 8 };

/* Initialise r on envp and parse it; returns req_parse_env's result. */
static int
env(struct req *r, struct arena *a, char **envp, struct perr *e)
{
	req_init(r, a, envp);
	memset(e, 0, sizeof(*e));
	return req_parse_env(r, &lim, e);
}

/* Parse body of content type ct; returns req_parse_body's result. */
static int
body(struct req *r, struct arena *a, const char *ct, const char *b,
    struct perr *e)
{
	req_init(r, a, NULL);
	r->content_type = ct;
	r->body = b;
	r->body_len = strlen(b);
	memset(e, 0, sizeof(*e));
	return req_parse_body(r, &lim, e);
}

static int
is_hex_id(const char *s)
{
	return s != NULL && strlen(s) == 16 &&
	    strspn(s, "0123456789abcdef") == 16;
}

static void
test_init_env(void)
{
	struct arena	*a = arena_new(0);
	struct req	 r;
	char		*envp[] = { "HTTP_COOKIE2=no", "HTTP_COOKIE=yes",
	    "X=a=b", "EMPTY=", NULL };

	memset(&r, 0x5a, sizeof(r));
	req_init(&r, a, envp);
	ok(r.a == a && r.envp == envp, "req_init attaches arena and "
	    "environment");
	ok(r.method == 0 && r.path == NULL && r.query.n == 0 &&
	    r.json == NULL && r.route == NULL && r.resp.has_err == 0,
	    "and zeroes the rest");
	is_int(r.resp.status, 200, "the response starts as 200");
	is_str(req_env(&r, "HTTP_COOKIE"), "yes", "req_env matches the "
	    "whole name, not a prefix");
	is_str(req_env(&r, "X"), "a=b", "a value may contain '='");
	is_str(req_env(&r, "EMPTY"), "", "an empty value");
	ok(req_env(&r, "HTTP_COOKIE3") == NULL, "a missing name is NULL");
	ok(req_env(&r, "HTTP") == NULL, "a prefix of a name is not the name");
	req_init(&r, a, NULL);
	ok(req_env(&r, "X") == NULL, "no environment: NULL");
	arena_free(a);
}

static void
test_method_target(void)
{
	struct arena	*a = arena_new(0);
	struct req	 r;
	struct perr	 e;
	char		*minimal[] = { "REQUEST_METHOD=GET", "REQUEST_URI=/",
	    NULL };
	char		*nomethod[] = { "REQUEST_URI=/", NULL };
	char		*lower[] = { "REQUEST_METHOD=get", "REQUEST_URI=/",
	    NULL };
	char		*brew[] = { "REQUEST_METHOD=BREW", "REQUEST_URI=/",
	    NULL };
	char		*empty[] = { "REQUEST_METHOD=", "REQUEST_URI=/", NULL };
	char		*nouri[] = { "REQUEST_METHOD=GET", NULL };
	char		*emptyuri[] = { "REQUEST_METHOD=GET", "REQUEST_URI=",
	    NULL };
	char		*absuri[] = { "REQUEST_METHOD=GET",
	    "REQUEST_URI=http://example.com/", NULL };
	char		*star[] = { "REQUEST_METHOD=OPTIONS", "REQUEST_URI=*",
	    NULL };
	char		*post[] = { "REQUEST_METHOD=POST",
	    "REQUEST_URI=/units/x", NULL };

	ok(env(&r, a, minimal, &e), "GET / parses");
	is_int(r.method, M_GET, "method GET");
	is_str(r.method_name, "GET", "method name");
	is_str(r.uri, "/", "uri");
	is_str(r.path, "/", "path");
	is_str(r.query_string, "", "an empty query string");
	is_int(r.query.n, 0, "no query fields");
	is_int(r.cookies.n, 0, "no cookies");
	is_str(r.remote_addr, "", "no REMOTE_ADDR gives \"\"");
	is_int(r.https, 0, "not https");
	is_int(req_format(&r), FMT_HTML, "HTML without Accept");
	ok(r.accept == NULL, "no Accept header");
	ok(r.content_type == NULL, "no content type");
	is_int(r.content_length, 0, "no body");
	ok(is_hex_id(r.id), "a request id is made up: %s", r.id);
	ok(env(&r, a, post, &e) && r.method == M_POST, "POST parses");

	ok(!env(&r, a, nomethod, &e), "a missing method is refused");
	is_int(e.status, 501, "with 501");
	is_str(e.code, "not_implemented", "code not_implemented");
	ok(!env(&r, a, lower, &e) && e.status == 501, "a lower-case method "
	    "is 501");
	ok(!env(&r, a, brew, &e) && e.status == 501, "an unknown method is "
	    "501");
	ok(!env(&r, a, empty, &e) && e.status == 501, "an empty method is "
	    "501");

	ok(!env(&r, a, nouri, &e), "a missing REQUEST_URI is refused");
	is_int(e.status, 400, "with 400");
	is_str(e.code, "bad_target", "code bad_target");
	ok(!env(&r, a, emptyuri, &e) && e.status == 400, "an empty target "
	    "is 400");
	ok(!env(&r, a, absuri, &e) && e.status == 400, "an absolute URI is "
	    "400");
	ok(!env(&r, a, star, &e) && e.status == 400, "the asterisk form is "
	    "400");
	arena_free(a);
}

static void
test_query(void)
{
	struct arena	*a = arena_new(0);
	struct req	 r;
	struct perr	 e;
	char		*q[] = { "REQUEST_METHOD=GET",
	    "REQUEST_URI=/search?q=a+b&n=%31", NULL };
	char		*qempty[] = { "REQUEST_METHOD=GET",
	    "REQUEST_URI=/p?", NULL };
	char		*frag[] = { "REQUEST_METHOD=GET",
	    "REQUEST_URI=/p?x=1#frag=2", NULL };
	char		*qq[] = { "REQUEST_METHOD=GET",
	    "REQUEST_URI=/p?a=1?b=2", NULL };
	char		*bad[] = { "REQUEST_METHOD=GET",
	    "REQUEST_URI=/p?a=%zz", NULL };
	char		*badutf[] = { "REQUEST_METHOD=GET",
	    "REQUEST_URI=/p?a=%ff", NULL };
	char		*many[] = { "REQUEST_METHOD=GET",
	    "REQUEST_URI=/p?a&b&c&d", NULL };
	char		*three[] = { "REQUEST_METHOD=GET",
	    "REQUEST_URI=/p?a&b&c", NULL };
	char		*longv[] = { "REQUEST_METHOD=GET",
	    "REQUEST_URI=/p?v=123456789", NULL };
	char		*exactv[] = { "REQUEST_METHOD=GET",
	    "REQUEST_URI=/p?v=12345678", NULL };

	ok(env(&r, a, q, &e), "a query string parses");
	is_str(r.uri, "/search?q=a+b&n=%31", "uri is the raw target");
	is_str(r.path, "/search", "path stops at '?'");
	is_str(r.query_string, "q=a+b&n=%31", "query_string is raw");
	is_int(r.query.n, 2, "two query fields");
	is_str(kv_get(&r.query, "q"), "a b", "decoded with '+' as space");
	is_str(kv_get(&r.query, "n"), "1", "and escapes");
	ok(env(&r, a, qempty, &e) && strcmp(r.path, "/p") == 0 &&
	    strcmp(r.query_string, "") == 0 && r.query.n == 0,
	    "a bare '?' gives an empty query");
	ok(env(&r, a, frag, &e), "a fragment is accepted");
	is_str(r.query_string, "x=1", "and cut from the query string");
	ok(r.query.n == 1 && kv_get(&r.query, "frag") == NULL,
	    "it is not parsed as a field");
	ok(env(&r, a, qq, &e) && strcmp(kv_get(&r.query, "a"), "1?b=2") == 0,
	    "a second '?' is part of the query");

	ok(!env(&r, a, bad, &e), "a malformed escape in the query is "
	    "refused");
	is_int(e.status, 400, "with 400");
	is_str(e.code, "bad_encoding", "code bad_encoding");
	is_str(e.field, "a", "naming the field");
	ok(strstr(e.message, "query string") != NULL, "the message says "
	    "where: %s", e.message);
	ok(!env(&r, a, badutf, &e) && e.status == 400 &&
	    strcmp(e.code, "invalid_utf8") == 0, "a query value that is not "
	    "UTF-8 is 400");
	ok(env(&r, a, three, &e) && r.query.n == 3, "max_fields fields are "
	    "accepted");
	ok(!env(&r, a, many, &e) && e.status == 413 &&
	    strcmp(e.code, "too_many_fields") == 0, "one more is 413");
	ok(env(&r, a, exactv, &e), "a value of max_value bytes is accepted");
	ok(!env(&r, a, longv, &e) && e.status == 413 &&
	    strcmp(e.code, "field_too_long") == 0, "one byte more is 413");
	arena_free(a);
}

static void
test_headers(void)
{
	struct arena	*a = arena_new(0);
	struct req	 r;
	struct perr	 e;
	char		*full[] = { "REQUEST_METHOD=GET", "REQUEST_URI=/",
	    "HTTP_COOKIE=sid=abc; junk; theme=\"dark\"",
	    "HTTPS=on", "HTTP_ACCEPT=application/json",
	    "REMOTE_ADDR=192.0.2.1", "REQUEST_ID=0123-abcd-EF",
	    "CONTENT_TYPE=application/json", NULL };
	char		*off[] = { "REQUEST_METHOD=GET", "REQUEST_URI=/",
	    "HTTPS=off", "HTTP_ACCEPT=text/html", "REQUEST_ID=not an id!",
	    NULL };
	char		*upper[] = { "REQUEST_METHOD=GET", "REQUEST_URI=/",
	    "HTTPS=ON", "REQUEST_ID=", NULL };
	char		 id64[80] = "REQUEST_ID=", id65[80] = "REQUEST_ID=";
	char		*e64[] = { "REQUEST_METHOD=GET", "REQUEST_URI=/", id64,
	    NULL };
	char		*e65[] = { "REQUEST_METHOD=GET", "REQUEST_URI=/", id65,
	    NULL };
	const char	*first;

	ok(env(&r, a, full, &e), "a request with headers parses");
	is_int(r.cookies.n, 2, "cookies are parsed, junk skipped");
	is_str(kv_get(&r.cookies, "sid"), "abc", "cookie sid");
	is_str(kv_get(&r.cookies, "theme"), "dark", "quoted cookie");
	is_int(r.https, 1, "HTTPS=on");
	is_int(req_format(&r), FMT_JSON, "Accept: application/json gives JSON");
	is_str(r.accept, "application/json", "accept is kept");
	is_str(r.remote_addr, "192.0.2.1", "remote address");
	is_str(r.id, "0123-abcd-EF", "a request id from the front server");
	is_str(r.content_type, "application/json", "content type");

	ok(env(&r, a, off, &e), "another request parses");
	is_int(r.https, 0, "HTTPS=off is not https");
	is_int(req_format(&r), FMT_HTML, "Accept: text/html gives HTML");
	ok(is_hex_id(r.id), "a request id that is not hex is replaced: %s",
	    r.id);
	first = r.id;
	ok(env(&r, a, upper, &e) && r.https == 1, "HTTPS=ON is https");
	ok(is_hex_id(r.id) && strcmp(r.id, first) != 0, "an empty request id "
	    "is replaced, by a different id");
	memset(id64 + 11, 'a', 64);
	id64[75] = '\0';
	memset(id65 + 11, 'a', 65);
	id65[76] = '\0';
	ok(env(&r, a, e64, &e) && strcmp(r.id, id64 + 11) == 0,
	    "a 64-character request id is kept");
	ok(env(&r, a, e65, &e) && is_hex_id(r.id), "a 65-character one is "
	    "replaced");
	arena_free(a);
}

static void
test_length(void)
{
	struct arena	*a = arena_new(0);
	struct req	 r;
	struct perr	 e;
	char		*envp[4] = { "REQUEST_METHOD=POST", "REQUEST_URI=/",
	    NULL, NULL };
	struct {
		const char	*cl;
		int		 status;	/* 0: accepted */
		size_t		 len;
		const char	*what;
	} t[] = {
		{ "CONTENT_LENGTH=10", 0, 10, "a length is read" },
		{ "CONTENT_LENGTH=0", 0, 0, "zero" },
		{ "CONTENT_LENGTH=", 0, 0, "an empty length is no length" },
		{ "CONTENT_LENGTH=100", 0, 100, "exactly max_body" },
		{ "CONTENT_LENGTH=0100", 0, 100, "leading zeros" },
		{ "CONTENT_LENGTH=101", 413, 0, "one byte over max_body" },
		{ "CONTENT_LENGTH=4611686018427387904", 413, 0, "2^62" },
		{ "CONTENT_LENGTH=99999999999999999999999", 413, 0,
		    "a well-formed length too large for any integer" },
		{ "CONTENT_LENGTH=abc", 400, 0, "not a number" },
		{ "CONTENT_LENGTH=-1", 400, 0, "negative" },
		{ "CONTENT_LENGTH=+5", 400, 0, "a sign" },
		{ "CONTENT_LENGTH= 5", 400, 0, "a leading space" },
		{ "CONTENT_LENGTH=5 ", 400, 0, "a trailing space" },
		{ "CONTENT_LENGTH=1e3", 400, 0, "an exponent" },
		{ "CONTENT_LENGTH=0x10", 400, 0, "hexadecimal" },
		{ "CONTENT_LENGTH=5,5", 400, 0, "a list" },
	};
	size_t		 i;
	int		 rc;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		envp[2] = (char *)t[i].cl;
		rc = env(&r, a, envp, &e);
		if (t[i].status == 0)
			ok(rc == 1 && r.content_length == t[i].len,
			    "%s: %s", t[i].cl, t[i].what);
		else
			ok(rc == 0 && e.status == t[i].status &&
			    strcmp(e.code, t[i].status == 413 ?
			    "body_too_large" : "bad_length") == 0,
			    "%s: %s is %d", t[i].cl, t[i].what, t[i].status);
	}
	arena_free(a);
}

static void
test_body(void)
{
	struct arena	*a = arena_new(0);
	struct req	 r;
	struct perr	 e;
	static const char *forms[] = {
		"application/x-www-form-urlencoded",
		"application/x-www-form-urlencoded; charset=UTF-8",
		"Application/X-WWW-Form-URLEncoded",
		"application/x-www-form-urlencoded ;charset=utf-8",
	};
	size_t		 i;

	for (i = 0; i < sizeof(forms) / sizeof(forms[0]); i++)
		ok(body(&r, a, forms[i], "a=1&b=x+y", &e) && r.form.n == 2 &&
		    strcmp(kv_get(&r.form, "b"), "x y") == 0 &&
		    r.json == NULL, "a form body as \"%s\"", forms[i]);
	ok(!body(&r, a, forms[0], "a=%zz", &e) && e.status == 400 &&
	    strcmp(e.code, "bad_encoding") == 0 &&
	    strcmp(e.field, "a") == 0, "a malformed form escape is 400");
	ok(strstr(e.message, "form") != NULL, "the message says form: %s",
	    e.message);
	ok(!body(&r, a, forms[0], "a&b&c&d", &e) && e.status == 413,
	    "too many form fields is 413");
	ok(!body(&r, a, forms[0], "v=123456789", &e) && e.status == 413 &&
	    strcmp(e.code, "field_too_long") == 0, "a form value too long is "
	    "413");
	req_init(&r, a, NULL);
	r.content_type = forms[0];
	r.body = "a=1&b=2";
	r.body_len = 3;
	ok(req_parse_body(&r, &lim, &e) && r.form.n == 1,
	    "only body_len bytes are parsed");

	ok(body(&r, a, "application/json", "{\"a\":[1,2]}", &e),
	    "a JSON body parses");
	ok(r.json != NULL && json_is_object(r.json) &&
	    json_array_size(json_object_get(r.json, "a")) == 2,
	    "into r->json");
	ok(r.form.n == 0, "and not into the form");
	ok(body(&r, a, "application/json; charset=utf-8", "[]", &e) &&
	    json_is_array(r.json), "application/json with a charset");
	ok(!body(&r, a, "application/json", "{\"a\":", &e) &&
	    e.status == 400 && strcmp(e.code, "invalid_json") == 0 &&
	    r.json == NULL, "invalid JSON is 400");
	ok(!body(&r, a, "application/json", "{\"a\":1,\"a\":2}", &e) &&
	    e.status == 400, "a duplicate key is 400");
	ok(!body(&r, a, "application/json", "[1,2,3,4]", &e) &&
	    e.status == 413 && strcmp(e.code, "too_many_fields") == 0,
	    "JSON over max_fields is 413");
	ok(!body(&r, a, "application/json", "[\"123456789\"]", &e) &&
	    e.status == 413 && strcmp(e.code, "field_too_long") == 0,
	    "a JSON string over max_value is 413");

	ok(!body(&r, a, "text/plain", "hello", &e), "text/plain is refused");
	is_int(e.status, 415, "with 415");
	is_str(e.code, "unsupported_media_type", "code "
	    "unsupported_media_type");
	ok(!body(&r, a, NULL, "a=1", &e) && e.status == 415, "a body without "
	    "a content type is 415");
	ok(!body(&r, a, "application/jsonx", "{}", &e) && e.status == 415,
	    "application/jsonx is 415");
	ok(!body(&r, a, "application/json-seq", "{}", &e) && e.status == 415,
	    "application/json-seq is 415");
	ok(!body(&r, a, "multipart/form-data; boundary=x", "--x--", &e) &&
	    e.status == 415, "multipart is 415");
	ok(!body(&r, a, "", "a=1", &e) && e.status == 415, "an empty content "
	    "type is 415");
	ok(body(&r, a, "text/plain", "", &e), "an empty body is fine "
	    "whatever its type");
	ok(body(&r, a, "application/json", "", &e) && r.json == NULL,
	    "an empty JSON body is no body");
	arena_free(a);	/* releases r->json: the leak checker watches */
}

/* One decision of the format: route, then target, then Accept. */
static void
test_format(void)
{
	static const struct route	 api = { M_GET, "/healthz", NULL,
	    ROUTE_API, ACCESS_ANON, NULL, NULL };
	static const struct route	 page = { M_GET, "/", NULL, 0,
	    ACCESS_ANON, NULL, NULL };
	struct arena	*a = arena_new(0);
	struct req	 r;
	struct perr	 e;
	char		*html[] = { "REQUEST_METHOD=GET", "REQUEST_URI=/healthz",
	    "HTTP_ACCEPT=text/html", NULL };
	char		*under[] = { "REQUEST_METHOD=GET",
	    "REQUEST_URI=/api/v1/nothing?x=1", "HTTP_ACCEPT=text/html", NULL };
	char		*bad[] = { "REQUEST_METHOD=BREW",
	    "REQUEST_URI=/api/v1/me", NULL };
	char		*json[] = { "REQUEST_METHOD=GET", "REQUEST_URI=/",
	    "HTTP_ACCEPT=text/html;q=0.5, application/json", NULL };

	ok(env(&r, a, html, &e), "a page request parses");
	is_int(req_format(&r), FMT_HTML, "unrouted, Accept: text/html is HTML");
	r.route = &api;
	is_int(req_format(&r), FMT_JSON, "an API route answers JSON whatever "
	    "Accept says");
	ok(env(&r, a, under, &e), "a request under /api/ parses");
	is_int(req_format(&r), FMT_JSON, "a target under /api/ is JSON, even "
	    "without a route");
	ok(!env(&r, a, bad, &e), "an unknown method fails to parse");
	is_int(req_format(&r), FMT_JSON, "and its error under /api/ is JSON");
	ok(env(&r, a, json, &e), "a request preferring JSON parses");
	r.route = &page;
	is_int(req_format(&r), FMT_JSON, "a page route follows Accept");
	arena_free(a);
}

static void
test_fail_view(void)
{
	struct arena	*a = arena_new(0);
	struct req	 r;
	json_t		*data;

	req_init(&r, a, NULL);
	is_int(req_fail(&r, 409, "conflict", "slug", "slug %s is taken",
	    "abc"), 409, "req_fail returns the status");
	is_int(r.resp.status, 409, "and sets it");
	is_int(r.resp.has_err, 1, "marks an error");
	is_int(r.resp.err.status, 409, "err.status");
	is_str(r.resp.err.code, "conflict", "err.code");
	is_str(r.resp.err.field, "slug", "err.field");
	is_str(r.resp.err.message, "slug abc is taken", "err.message is "
	    "formatted");
	req_fail(&r, 400, "x", NULL, "%0198d\xc3\xa9", 0);
	is_int(strlen(r.resp.err.message), 198, "a message cut inside a "
	    "character loses the partial character");
	ok(utf8_valid(r.resp.err.message, strlen(r.resp.err.message)),
	    "and stays UTF-8");

	req_init(&r, a, NULL);
	data = req_pack(&r, "{s:s}", "k", "v");
	is_int(req_view(&r, 201, "home", data), 201, "req_view returns the "
	    "status");
	ok(r.resp.status == 201 && strcmp(r.resp.view, "home") == 0 &&
	    r.resp.data == data, "and sets status, view and data");
	ok(req_json_own(&r, NULL) == NULL, "req_json_own(NULL) is NULL");
	arena_free(a);	/* releases data */
}

int
main(void)
{
	test_init_env();
	test_method_target();
	test_query();
	test_headers();
	test_length();
	test_body();
	test_format();
	test_fail_view();
	return tap_done();
}
