/*
 * t_resp.c: the renderer: status line, lengths, security headers, HEAD,
 * 204 without a body, JSON error bodies, escaped HTML error pages and
 * header injection.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "app.h"
#include "arena.h"
#include "buf.h"
#include "conf.h"
#include "req.h"
#include "resp.h"
#include "tap.h"
#include "urlenc.h"
#include "views.h"
#include "mustache.h"

/* The views of templates/, as a worker has them. */
static struct app	 app;

struct out {
	struct buf	 head;
	struct buf	 body;
};

static void
render(struct req *r, struct out *o)
{
	buf_init(&o->head);
	buf_init(&o->body);
	resp_render(r, &o->head, &o->body);
}

static void
out_free(struct out *o)
{
	buf_free(&o->head);
	buf_free(&o->body);
}

/* The value of header name in head, copied into the arena, or NULL. */
static const char *
header(struct arena *a, const struct out *o, const char *name)
{
	const char	*p = o->head.data, *end;
	size_t		 n = strlen(name);

	if (p == NULL)
		return NULL;
	while (*p != '\0') {
		if ((end = strstr(p, "\r\n")) == NULL)
			return NULL;
		if (strncasecmp(p, name, n) == 0 && p[n] == ':' &&
		    p[n + 1] == ' ')
			return arena_strndup(a, p + n + 2,
			    (size_t)(end - p - n - 2));
		p = end + 2;
	}
	return NULL;
}

/* Every line ends with CRLF, no bare CR or LF, and a blank line ends. */
static int
well_formed_head(const struct out *o)
{
	const char	*s = o->head.data;
	size_t		 i, n = o->head.len;

	if (s == NULL || n < 4 || strcmp(s + n - 4, "\r\n\r\n") != 0 ||
	    strstr(s, "\r\n\r\n") != s + n - 4)
		return 0;
	for (i = 0; i < n; i++) {
		if (s[i] == '\r' && (i + 1 == n || s[i + 1] != '\n'))
			return 0;
		if (s[i] == '\n' && (i == 0 || s[i - 1] != '\r'))
			return 0;
	}
	return 1;
}

static int
content_length_ok(struct arena *a, const struct out *o, size_t want)
{
	const char	*v = header(a, o, "Content-Length");

	return v != NULL && strtoull(v, NULL, 10) == want &&
	    strspn(v, "0123456789") == strlen(v);
}

static void
test_reason(void)
{
	is_str(http_reason(200), "OK", "200 OK");
	is_str(http_reason(303), "See Other", "303 See Other");
	is_str(http_reason(404), "Not Found", "404 Not Found");
	is_str(http_reason(405), "Method Not Allowed", "405");
	is_str(http_reason(413), "Content Too Large", "413 (RFC 9110 name)");
	is_str(http_reason(415), "Unsupported Media Type", "415");
	is_str(http_reason(501), "Not Implemented", "501");
	is_str(http_reason(418), "Bad Request", "an unknown 4xx is a bad "
	    "request");
	is_str(http_reason(599), "Internal Server Error", "an unknown 5xx is "
	    "an internal error");
}

static void
test_html_page(void)
{
	struct arena	*a = arena_new(0);
	struct req	 r;
	struct out	 o, h;
	const char	*csp;

	req_init(&r, a, NULL);
	r.app = &app;
	r.method = M_GET;
	req_view(&r, 200, "home", NULL);
	render(&r, &o);
	ok(well_formed_head(&o), "the head is CRLF lines ending in a blank "
	    "line");
	ok(strncmp(o.head.data, "Status: 200 OK\r\n", 16) == 0,
	    "it starts with the Status line");
	is_str(header(a, &o, "Content-Type"), "text/html; charset=utf-8",
	    "HTML content type");
	ok(o.body.len > 0 && content_length_ok(a, &o, o.body.len),
	    "Content-Length is the body length (%zu)", o.body.len);
	ok(strncmp(o.body.data, "<!doctype html>", 15) == 0, "the body is "
	    "an HTML document");
	csp = header(a, &o, "Content-Security-Policy");
	ok(csp != NULL, "a Content-Security-Policy is sent: %s", csp);
	ok(csp && strstr(csp, "object-src 'none'"), "CSP: object-src 'none'");
	ok(csp && strstr(csp, "base-uri 'none'"), "CSP: base-uri 'none'");
	ok(csp && strstr(csp, "frame-ancestors 'none'"),
	    "CSP: frame-ancestors 'none'");
	ok(csp && strstr(csp, "default-src 'self'"), "CSP: default-src "
	    "'self'");
	ok(csp && !strstr(csp, "unsafe-inline") && !strstr(csp, "unsafe-eval"),
	    "CSP: neither unsafe-inline nor unsafe-eval");
	is_str(header(a, &o, "X-Content-Type-Options"), "nosniff",
	    "X-Content-Type-Options: nosniff");
	is_str(header(a, &o, "X-Frame-Options"), "DENY", "X-Frame-Options");
	ok(header(a, &o, "Referrer-Policy") != NULL, "Referrer-Policy");
	ok(header(a, &o, "Strict-Transport-Security") == NULL,
	    "no HSTS without https");
	is_str(header(a, &o, "Cache-Control"), "no-cache", "a page is "
	    "revalidated");
	is_str(header(a, &o, "Vary"), "Accept, Cookie", "Vary: Accept, "
	    "Cookie for a negotiated response a session may change");

	req_init(&r, a, NULL);
	r.app = &app;
	r.method = M_HEAD;
	req_view(&r, 200, "home", NULL);
	render(&r, &h);
	is_int(h.body.len, 0, "HEAD has an empty body");
	ok(content_length_ok(a, &h, o.body.len), "but GET's Content-Length");
	ok(h.head.len == o.head.len && strcmp(h.head.data, o.head.data) == 0,
	    "and the same head as GET");
	out_free(&h);
	out_free(&o);

	req_init(&r, a, NULL);
	r.app = &app;
	r.method = M_GET;
	r.https = 1;
	r.resp.no_store = 1;
	req_view(&r, 200, "home", NULL);
	render(&r, &o);
	ok(header(a, &o, "Strict-Transport-Security") != NULL &&
	    strstr(header(a, &o, "Strict-Transport-Security"), "max-age="),
	    "HSTS with https");
	is_str(header(a, &o, "Cache-Control"), "no-store", "no_store is "
	    "honoured");
	out_free(&o);
	arena_free(a);
}

static void
test_html_error(void)
{
	struct arena	*a = arena_new(0);
	struct req	 r;
	struct out	 o;
	struct app	 evil;

	req_init(&r, a, NULL);
	r.app = &app;
	r.method = M_GET;
	req_fail(&r, 400, "bad", "x", "<script>alert(\"x\")</script> & 'q'");
	render(&r, &o);
	ok(strncmp(o.head.data, "Status: 400 Bad Request\r\n", 25) == 0,
	    "an error page has its status");
	is_str(header(a, &o, "Cache-Control"), "no-store", "errors are not "
	    "stored");
	ok(content_length_ok(a, &o, o.body.len), "Content-Length matches");
	ok(strstr(o.body.data, "<script>") == NULL, "the message cannot open "
	    "a script element");
	ok(strstr(o.body.data, "&lt;script&gt;alert(&quot;x&quot;)"
	    "&lt;/script&gt; &amp; &#39;q&#39;") != NULL,
	    "it is escaped: < > \" & '");
	ok(strstr(o.body.data, "Bad Request") != NULL, "the reason is shown");
	out_free(&o);

	evil = app;
	evil.site = json_pack("{s:s, s:s}", "name", "<b>Evil</b> & \"Co\"",
	    "version", "1");
	req_init(&r, a, NULL);
	r.app = &evil;
	r.method = M_GET;
	req_fail(&r, 404, "not_found", NULL, "nothing here");
	render(&r, &o);
	ok(strstr(o.body.data, "<b>") == NULL &&
	    strstr(o.body.data, "&lt;b&gt;Evil&lt;/b&gt; &amp; &quot;Co&quot;")
	    != NULL, "the site name is escaped too");
	json_decref(evil.site);
	out_free(&o);

	req_init(&r, a, NULL);
	r.app = &app;
	r.method = M_GET;
	req_view(&r, 200, "no-such-view", NULL);
	render(&r, &o);
	ok(strncmp(o.head.data, "Status: 500 Internal Server Error\r\n", 35)
	    == 0, "a view that does not exist is a 500");
	ok(o.body.len > 0 && content_length_ok(a, &o, o.body.len),
	    "with an error page of the right length");
	ok(strstr(o.body.data, "<!doctype html>") == o.body.data &&
	    strstr(o.body.data + 1, "<!doctype html>") == NULL,
	    "holding one document");
	out_free(&o);

	req_init(&r, a, NULL);
	r.app = &app;
	r.method = M_GET;
	render(&r, &o);
	ok(strncmp(o.head.data, "Status: 500 ", 12) == 0, "no view is a 500");
	out_free(&o);

	req_init(&r, a, NULL);
	r.app = &app;
	r.method = M_GET;
	req_view(&r, 42, "home", NULL);
	render(&r, &o);
	ok(strncmp(o.head.data, "Status: 500 ", 12) == 0, "status 42 becomes "
	    "500");
	out_free(&o);
	req_init(&r, a, NULL);
	r.app = &app;
	r.method = M_GET;
	req_fail(&r, 600, "x", NULL, "x");
	render(&r, &o);
	ok(strncmp(o.head.data, "Status: 500 ", 12) == 0, "status 600 becomes "
	    "500");
	out_free(&o);
	arena_free(a);
}

/* Parse the body back; returns the "error" object or NULL. */
static json_t *
error_of(const struct out *o, json_t **root)
{
	json_error_t	 je;

	*root = json_loadb(o->body.data, o->body.len, 0, &je);
	if (*root == NULL) {
		printf("# body is not JSON: %s\n", je.text);
		return NULL;
	}
	return json_object_get(*root, "error");
}

static void
test_json(void)
{
	struct arena	*a = arena_new(0);
	struct req	 r;
	struct out	 o, h;
	json_t		*root, *err;
	struct urlenc_limits ul = { 10, 4 };
	struct kvlist	 kv;
	struct perr	 pe;
	char		*q;
	int		 i;

	req_init(&r, a, NULL);
	r.app = &app;
	r.method = M_POST;
	r.fmt = FMT_JSON;
	req_fail(&r, 409, "conflict", "slug", "slug \"a\" is taken");
	render(&r, &o);
	ok(strncmp(o.head.data, "Status: 409 Conflict\r\n", 22) == 0,
	    "a JSON error has its status");
	is_str(header(a, &o, "Content-Type"), "application/json",
	    "JSON content type");
	ok(content_length_ok(a, &o, o.body.len), "Content-Length matches");
	ok(header(a, &o, "Content-Security-Policy") != NULL &&
	    header(a, &o, "X-Content-Type-Options") != NULL,
	    "security headers are sent with JSON too");
	err = error_of(&o, &root);
	ok(err != NULL && json_is_object(err), "the body is "
	    "{\"error\":{...}}");
	is_int(json_object_size(root), 1, "with nothing else");
	is_str(json_string_value(json_object_get(err, "code")), "conflict",
	    "error.code");
	is_str(json_string_value(json_object_get(err, "message")),
	    "slug \"a\" is taken", "error.message");
	is_str(json_string_value(json_object_get(err, "field")), "slug",
	    "error.field");
	is_int(json_object_size(err), 3, "three members");
	json_decref(root);
	out_free(&o);

	req_init(&r, a, NULL);
	r.app = &app;
	r.method = M_DELETE;
	r.fmt = FMT_JSON;
	req_view(&r, 204, NULL, req_object(&r));
	render(&r, &o);
	ok(strncmp(o.head.data, "Status: 204 No Content\r\n", 24) == 0,
	    "204 has its status line");
	is_int(o.body.len, 0, "204 has no body");
	ok(header(a, &o, "Content-Length") == NULL, "nor a Content-Length "
	    "(RFC 9110 section 8.6)");
	ok(well_formed_head(&o), "and a well-formed head");
	out_free(&o);

	req_init(&r, a, NULL);
	r.app = &app;
	r.method = M_HEAD;
	r.fmt = FMT_JSON;
	req_fail(&r, 409, "conflict", "slug", "slug \"a\" is taken");
	render(&r, &h);
	is_int(h.body.len, 0, "a HEAD JSON error has no body");
	ok(header(a, &h, "Content-Length") != NULL &&
	    atoi(header(a, &h, "Content-Length")) > 0,
	    "but the GET Content-Length");
	out_free(&h);

	req_init(&r, a, NULL);
	r.app = &app;
	r.method = M_GET;
	r.fmt = FMT_JSON;
	req_fail(&r, 404, "not_found", NULL, "no <such> thing");
	render(&r, &o);
	err = error_of(&o, &root);
	ok(err != NULL && json_is_null(json_object_get(err, "field")),
	    "a missing field is null");
	is_str(json_string_value(json_object_get(err, "message")),
	    "no <such> thing", "the message is JSON, not HTML-escaped");
	json_decref(root);
	out_free(&o);

	req_init(&r, a, NULL);
	r.app = &app;
	r.method = M_GET;
	r.fmt = FMT_JSON;
	req_fail(&r, 400, "bad", "f\xff", "bad byte \xff\xfe here");
	render(&r, &o);
	err = error_of(&o, &root);
	ok(err != NULL, "a message that is not UTF-8 still gives JSON");
	is_str(json_string_value(json_object_get(err, "code")), "error",
	    "with a generic code");
	ok(strncmp(o.head.data, "Status: 400 ", 12) == 0, "and the status");
	json_decref(root);
	out_free(&o);

	/* A long UTF-8 name makes a message longer than struct perr holds. */
	req_init(&r, a, NULL);
	r.app = &app;
	r.method = M_GET;
	r.fmt = FMT_JSON;
	q = arena_strdup(a, "a");
	for (i = 0; i < 85; i++)
		q = arena_printf(a, "%s\xe2\x82\xac", q);
	q = arena_printf(a, "%s=toolong", q);
	memset(&kv, 0, sizeof(kv));
	ok(!urlenc_parse(a, q, strlen(q), &ul, "query string", &kv, &pe) &&
	    pe.status == 413, "the parser refuses a long value after a long "
	    "UTF-8 name");
	req_fail(&r, pe.status, pe.code, pe.field, "%s", pe.message);
	render(&r, &o);
	err = error_of(&o, &root);
	is_str(json_string_value(json_object_get(err, "code")),
	    "field_too_long", "a message truncated by its buffer keeps its "
	    "code in JSON");
	ok(json_string_value(json_object_get(err, "message")) != NULL &&
	    strncmp(json_string_value(json_object_get(err, "message")),
	    "query string field", 18) == 0, "and its message");
	json_decref(root);
	out_free(&o);

	req_init(&r, a, NULL);
	r.app = &app;
	r.method = M_GET;
	r.fmt = FMT_JSON;
	req_view(&r, 200, NULL, req_pack(&r, "{s:i, s:s}", "n", 1, "s",
	    "<x>"));
	render(&r, &o);
	root = json_loadb(o.body.data, o.body.len, 0, NULL);
	ok(root != NULL && json_integer_value(json_object_get(root, "n")) == 1
	    && strcmp(json_string_value(json_object_get(root, "s")), "<x>")
	    == 0, "data is the JSON body");
	json_decref(root);
	ok(content_length_ok(a, &o, o.body.len), "with its length");
	out_free(&o);

	req_init(&r, a, NULL);
	r.app = &app;
	r.method = M_GET;
	r.fmt = FMT_JSON;
	render(&r, &o);
	ok(strncmp(o.head.data, "Status: 200 ", 12) == 0 &&
	    strcmp(o.body.data, "{}\n") == 0, "no data is {}");
	out_free(&o);
	arena_free(a);
}

static int
h_ok(struct req *r)
{
	(void)r;
	return 200;
}

static void
test_headers(void)
{
	struct arena		*a = arena_new(0);
	struct req		 r;
	struct out		 o;
	static const struct route api = { M_GET, "/api", h_ok, ROUTE_API,
	    ACCESS_ANON, NULL, NULL };

	req_init(&r, a, NULL);
	r.app = &app;
	r.method = M_GET;
	r.fmt = FMT_JSON;
	resp_header(&r, "X-Test", "a\r\nSet-Cookie: evil=1");
	resp_header(&r, "X-Lf", "b\nLocation: /x\rc");
	resp_header(&r, "Allow", "GET, HEAD");
	render(&r, &o);
	ok(well_formed_head(&o), "a value with CR and LF cannot break the "
	    "head");
	ok(strstr(o.head.data, "\nSet-Cookie") == NULL &&
	    strstr(o.head.data, "\nLocation") == NULL,
	    "and cannot start a header of its own");
	is_str(header(a, &o, "X-Test"), "a  Set-Cookie: evil=1", "CR and LF "
	    "became spaces");
	is_str(header(a, &o, "X-Lf"), "b Location: /x c", "a lone LF or CR "
	    "too");
	is_str(header(a, &o, "Allow"), "GET, HEAD", "extra headers are sent");
	is_int(r.resp.headers.n, 3, "and recorded in order");
	is_str(r.resp.headers.v[0].key, "X-Test", "first");
	is_str(r.resp.headers.v[2].key, "Allow", "last");
	out_free(&o);

	req_init(&r, a, NULL);
	r.app = &app;
	r.method = M_GET;
	r.fmt = FMT_JSON;
	r.route = &api;
	render(&r, &o);
	ok(header(a, &o, "Vary") == NULL, "an API route does not vary on "
	    "Accept");
	out_free(&o);
	arena_free(a);
}

int
main(void)
{
	char		 err[1024];
	const char	*src = getenv("CH_SRCDIR");
	char		 dir[4096];

	snprintf(dir, sizeof(dir), "%s/templates", src ? src : ".");
	app.views = views_load(dir, err, sizeof(err));
	app.site = json_pack("{s:s, s:s}", "name", "Chapterhouse", "version",
	    PACKAGE_VERSION);
	ok(app.views != NULL, "the views of templates/ compile: %s",
	    app.views ? "yes" : err);
	test_reason();
	test_html_page();
	test_html_error();
	test_json();
	test_headers();
	mustache_set_free(app.views);
	json_decref(app.site);
	return tap_done();
}
