/*
 * resp.c: response rendering.  Security headers are set here and only
 * here, for every response, errors included.
 */
#include "config.h"

#include <string.h>
#include <strings.h>
#include <time.h>

#include <jansson.h>

#include "arena.h"
#include "buf.h"
#include "pages.h"
#include "public.h"
#include "req.h"
#include "resp.h"
#include "util.h"

#define CSP	"default-src 'self'; img-src 'self' data:; " \
		"object-src 'none'; base-uri 'none'; frame-ancestors 'none'; " \
		"form-action 'self'"

const char *
http_reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 201: return "Created";
	case 202: return "Accepted";
	case 204: return "No Content";
	case 303: return "See Other";
	case 304: return "Not Modified";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 409: return "Conflict";
	case 410: return "Gone";
	case 412: return "Precondition Failed";
	case 413: return "Content Too Large";
	case 415: return "Unsupported Media Type";
	case 422: return "Unprocessable Content";
	case 428: return "Precondition Required";
	case 429: return "Too Many Requests";
	case 500: return "Internal Server Error";
	case 501: return "Not Implemented";
	case 503: return "Service Unavailable";
	default:  return status < 500 ? "Bad Request" : "Internal Server Error";
	}
}

void
resp_header(struct req *r, const char *name, const char *value)
{
	char	*v = arena_strdup(r->a, value), *p;

	for (p = v; *p != '\0'; p++)
		if (*p == '\r' || *p == '\n')
			*p = ' ';
	kv_add(r->a, &r->resp.headers, name, v, strlen(v));
}

static int
dump_cb(const char *p, size_t n, void *arg)
{
	buf_add(arg, p, n);
	return 0;
}

static void
render_json(struct req *r, struct buf *body)
{
	json_t	*e;

	if (r->resp.has_err) {
		e = json_pack("{s:{s:s, s:s, s:s?}}", "error",
		    "code", r->resp.err.code ? r->resp.err.code : "error",
		    "message", r->resp.err.message,
		    "field", r->resp.err.field);
		if (e == NULL)	/* message not UTF-8: never from our code */
			e = json_pack("{s:{s:s, s:s, s:n}}", "error", "code",
			    "error", "message", "the error could not be "
			    "described", "field");
		json_dump_callback(e, dump_cb, body, JSON_COMPACT);
		json_decref(e);
	} else if (r->resp.data != NULL && r->resp.status != 303)
		json_dump_callback(r->resp.data, dump_cb, body,
		    JSON_COMPACT | JSON_ENCODE_ANY);
	else
		buf_puts(body, "{}");
	buf_putc(body, '\n');
}

static void
render_html(struct req *r, struct buf *body)
{
	if (r->resp.status == 303 && !r->resp.has_err) {
		buf_puts(body, "<!doctype html>\n<title>See Other</title>\n"
		    "<p>This page has moved on.</p>\n");
		return;
	}
	if (r->resp.has_err) {
		page_error(r, r->resp.status, http_reason(r->resp.status),
		    r->resp.err.message, body);
		return;
	}
	if (r->resp.view == NULL ||
	    !page_render(r, r->resp.view, r->resp.data, body)) {
		r->resp.status = 500;
		buf_reset(body);
		page_error(r, 500, http_reason(500), "this page could not be "
		    "shown; the error has been logged", body);
	}
}

/* Whether r's extra headers set a cookie. */
static int
sets_cookie(const struct req *r)
{
	size_t	 i;

	for (i = 0; i < r->resp.headers.n; i++)
		if (strcasecmp(r->resp.headers.v[i].key, "Set-Cookie") == 0)
			return 1;
	return 0;
}

/*
 * Cache-Control, the validators and Vary.  A public answer (a 200, 304,
 * 404 or 410 of public.h's cached pages, which sets no cookie) may be
 * kept by any cache for PUBLIC_MAX_AGE seconds and revalidated after;
 * anything else is never stored (another error, no_store) or checked
 * again at every use.  A page a session or the Accept header could
 * change says so.
 */
static void
cache_headers(struct req *r, struct buf *head)
{
	int	 s = r->resp.status;
	int	 pub = (s == 200 || s == 304 || s == 404 || s == 410) &&
	    r->resp.cache_public && !r->resp.no_store && !sets_cookie(r);

	/*
	 * nginx keeps seconds whole: max-age=1 would keep a copy up to the
	 * end of the next second.  X-Accel-Expires (which nginx reads
	 * first and never passes on) keeps it to the end of this one.
	 */
	if (pub)
		buf_printf(head, "Cache-Control: public, max-age=%d\r\n"
		    "X-Accel-Expires: @%lld\r\n", PUBLIC_MAX_AGE,
		    (long long)time(NULL));
	else
		buf_puts(head, r->resp.no_store || r->resp.status >= 400 ?
		    "Cache-Control: no-store\r\n" :
		    "Cache-Control: no-cache\r\n");
	if (pub && s < 400 && r->resp.etag != NULL)
		buf_printf(head, "ETag: %s\r\n", r->resp.etag);
	if (pub && s < 400 && r->resp.last_modified != NULL)
		buf_printf(head, "Last-Modified: %s\r\n",
		    r->resp.last_modified);
	if (r->route == NULL || !(r->route->flags & (ROUTE_API |
	    ROUTE_PUBLIC)))
		buf_puts(head, "Vary: Accept, Cookie\r\n");
}

void
resp_render(struct req *r, struct buf *head, struct buf *body)
{
	int	 json = r->fmt == FMT_JSON;
	size_t	 i;

	if (r->resp.status < 100 || r->resp.status > 599)
		r->resp.status = 500;
	if ((r->resp.status == 204 || r->resp.status == 304) &&
	    !r->resp.has_err)
		;	/* no body, no Content-Length (RFC 9110 section 8.6) */
	else if (r->resp.raw != NULL && !r->resp.has_err)
		buf_add(body, r->resp.raw, r->resp.raw_len);
	else if (json)
		render_json(r, body);
	else
		render_html(r, body);

	buf_printf(head, "Status: %d %s\r\n", r->resp.status,
	    http_reason(r->resp.status));
	if (r->resp.status == 304)
		;	/* the metadata of section 15.4.5 only */
	else if (r->resp.raw != NULL && !r->resp.has_err)
		buf_printf(head, "Content-Type: %s\r\n", r->resp.raw_type);
	else
		buf_puts(head, json ? "Content-Type: application/json\r\n" :
		    "Content-Type: text/html; charset=utf-8\r\n");
	if (r->resp.status != 204 && r->resp.status != 304)
		buf_printf(head, "Content-Length: %zu\r\n", body->len);
	buf_puts(head, "Content-Security-Policy: " CSP "\r\n"
	    "X-Content-Type-Options: nosniff\r\n"
	    "X-Frame-Options: DENY\r\n"
	    "Cross-Origin-Opener-Policy: same-origin\r\n");
	buf_printf(head, "Referrer-Policy: %s\r\n", r->resp.referrer != NULL ?
	    r->resp.referrer : "strict-origin-when-cross-origin");
	if (r->https)
		buf_puts(head, "Strict-Transport-Security: max-age=63072000; "
		    "includeSubDomains\r\n");
	cache_headers(r, head);
	for (i = 0; i < r->resp.headers.n; i++)
		buf_printf(head, "%s: %s\r\n", r->resp.headers.v[i].key,
		    r->resp.headers.v[i].val);
	buf_puts(head, "\r\n");
	if (r->method == M_HEAD)
		buf_reset(body);
}

int
req_redirect(struct req *r, const char *path)
{
	resp_header(r, "Location", path);
	r->resp.status = 303;
	r->resp.view = NULL;
	return 303;
}
