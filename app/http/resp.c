/*
 * resp.c: response rendering.  Security headers are set here and only
 * here, for every response, errors included.
 */
#include "config.h"

#include <string.h>

#include <jansson.h>

#include "arena.h"
#include "buf.h"
#include "pages.h"
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

void
resp_render(struct req *r, struct buf *head, struct buf *body)
{
	int	 json = r->fmt == FMT_JSON;
	size_t	 i;

	if (r->resp.status < 100 || r->resp.status > 599)
		r->resp.status = 500;
	if (r->resp.status == 204 && !r->resp.has_err)
		;	/* no body, no Content-Length (RFC 9110 section 8.6) */
	else if (r->resp.raw != NULL && !r->resp.has_err)
		buf_add(body, r->resp.raw, r->resp.raw_len);
	else if (json)
		render_json(r, body);
	else
		render_html(r, body);

	buf_printf(head, "Status: %d %s\r\n", r->resp.status,
	    http_reason(r->resp.status));
	if (r->resp.raw != NULL && !r->resp.has_err)
		buf_printf(head, "Content-Type: %s\r\n", r->resp.raw_type);
	else
		buf_puts(head, json ? "Content-Type: application/json\r\n" :
		    "Content-Type: text/html; charset=utf-8\r\n");
	if (r->resp.status != 204)
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
	buf_puts(head, r->resp.no_store || r->resp.status >= 400 ?
	    "Cache-Control: no-store\r\n" : "Cache-Control: no-cache\r\n");
	if (r->route == NULL || !(r->route->flags & (ROUTE_API |
	    ROUTE_PUBLIC)))
		buf_puts(head, "Vary: Accept\r\n");
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
