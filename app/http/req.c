/* req.c: a request from CGI meta-variables and body, with limits. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "arena.h"
#include "cookie.h"
#include "jsonbody.h"
#include "req.h"
#include "urlenc.h"
#include "utf8.h"
#include "util.h"

void
req_init(struct req *r, struct arena *a, char **envp)
{
	memset(r, 0, sizeof(*r));
	r->a = a;
	r->envp = envp;
	r->resp.status = 200;
}

const char *
req_env(const struct req *r, const char *name)
{
	size_t	 n = strlen(name);
	char	**e;

	if (r->envp == NULL)
		return NULL;
	for (e = r->envp; *e != NULL; e++)
		if (strncmp(*e, name, n) == 0 && (*e)[n] == '=')
			return *e + n + 1;
	return NULL;
}

/* A request id from the front server if it looks like one, else new. */
static const char *
request_id(struct req *r)
{
	static const char	 hex[] = "0123456789abcdef";
	const char		*id = req_env(r, "REQUEST_ID");
	unsigned char		 raw[8];
	char			*out;
	size_t			 i;

	if (id != NULL && id[0] != '\0' && strlen(id) <= 64 &&
	    strspn(id, "0123456789abcdefABCDEF-") == strlen(id))
		return arena_strdup(r->a, id);	/* outlives the FastCGI env */
	random_bytes(raw, sizeof(raw));
	out = arena_alloc(r->a, 2 * sizeof(raw) + 1);
	for (i = 0; i < sizeof(raw); i++) {
		out[2 * i] = hex[raw[i] >> 4];
		out[2 * i + 1] = hex[raw[i] & 0xf];
	}
	out[2 * sizeof(raw)] = '\0';
	return out;
}

int
req_parse_env(struct req *r, const struct req_limits *lim, struct perr *e)
{
	struct urlenc_limits	 ul = { lim->max_fields, lim->max_value };
	const char		*s, *q;
	long long		 cl;

	r->id = request_id(r);
	r->remote_addr = req_env(r, "REMOTE_ADDR");
	if (r->remote_addr == NULL)
		r->remote_addr = "";
	s = req_env(r, "HTTPS");
	r->https = s != NULL && strcasecmp(s, "on") == 0;
	r->accept = req_env(r, "HTTP_ACCEPT");

	if ((s = req_env(r, "REQUEST_METHOD")) == NULL ||
	    (r->method = http_method_parse(s)) == 0) {
		perr_set(e, r->a, 501, "not_implemented", NULL, "the method "
		    "is not supported");
		return 0;
	}
	r->method_name = s;

	if ((s = req_env(r, "REQUEST_URI")) == NULL || s[0] != '/') {
		perr_set(e, r->a, 400, "bad_target", NULL, "the request target "
		    "must be a path starting with /");
		return 0;
	}
	r->uri = s;
	if ((q = strchr(s, '?')) != NULL) {
		r->path = arena_strndup(r->a, s, (size_t)(q - s));
		r->query_string = q + 1;
	} else {
		r->path = s;
		r->query_string = "";
	}
	if ((s = strchr(r->query_string, '#')) != NULL)
		r->query_string = arena_strndup(r->a, r->query_string,
		    (size_t)(s - r->query_string));
	if (!urlenc_parse(r->a, r->query_string, strlen(r->query_string), &ul,
	    "query string", &r->query, e))
		return 0;

	if ((s = req_env(r, "HTTP_COOKIE")) != NULL)
		cookie_parse(r->a, s, strlen(s), &r->cookies);

	r->content_type = req_env(r, "CONTENT_TYPE");
	if ((s = req_env(r, "CONTENT_LENGTH")) != NULL && s[0] != '\0') {
		/*
		 * Content-Length is 1*DIGIT (RFC 9110 section 8.6): digits
		 * too many for a long long are merely too large.
		 */
		if (s[strspn(s, "0123456789")] != '\0') {
			perr_set(e, r->a, 400, "bad_length", NULL, "the "
			    "Content-Length header is not a number");
			return 0;
		}
		if (!parse_ll(s, 0, 1LL << 62, &cl) ||
		    (unsigned long long)cl > lim->max_body) {
			perr_set(e, r->a, 413, "body_too_large", NULL, "the "
			    "request body is larger than %zu bytes",
			    lim->max_body);
			return 0;
		}
		r->content_length = (size_t)cl;
	}
	return 1;
}

enum fmt
req_format(const struct req *r)
{
	const char	*uri = req_env(r, "REQUEST_URI");

	if (r->route != NULL && (r->route->flags & ROUTE_API))
		return FMT_JSON;
	if (r->route != NULL && (r->route->flags & ROUTE_PUBLIC))
		return FMT_HTML;
	if (uri != NULL && strncmp(uri, "/api/", 5) == 0)
		return FMT_JSON;
	return fmt_negotiate(req_env(r, "HTTP_ACCEPT"));
}

/* Does the Content-Type's media type equal type (case-insensitive)? */
static int
media_is(const char *ct, const char *type)
{
	size_t	 n = strlen(type);

	if (strncasecmp(ct, type, n) != 0)
		return 0;
	ct += n;
	while (*ct == ' ' || *ct == '\t')
		ct++;
	return *ct == '\0' || *ct == ';';
}

int
req_parse_body(struct req *r, const struct req_limits *lim, struct perr *e)
{
	struct urlenc_limits	 ul = { lim->max_fields, lim->max_value };
	struct jsonbody_limits	 jl = { lim->max_fields, lim->max_value };
	const char		*ct = r->content_type ? r->content_type : "";

	if (r->body_len == 0)
		return 1;
	if (media_is(ct, "application/x-www-form-urlencoded"))
		return urlenc_parse(r->a, r->body, r->body_len, &ul, "form",
		    &r->form, e);
	if (media_is(ct, "application/json")) {
		if (!jsonbody_parse(r->a, r->body, r->body_len, &jl, &r->json,
		    e))
			return 0;
		req_json_own(r, r->json);
		return 1;
	}
	perr_set(e, r->a, 415, "unsupported_media_type", NULL, "the body must "
	    "be application/x-www-form-urlencoded or application/json");
	return 0;
}

int
req_fail(struct req *r, int status, const char *code, const char *field,
    const char *fmt, ...)
{
	va_list	 ap;

	r->resp.status = status;
	r->resp.has_err = 1;
	r->resp.err.status = status;
	r->resp.err.code = code;
	r->resp.err.field = field;
	va_start(ap, fmt);
	vsnprintf(r->resp.err.message, sizeof(r->resp.err.message), fmt, ap);
	va_end(ap);
	r->resp.err.message[utf8_cut(r->resp.err.message,
	    strlen(r->resp.err.message))] = '\0';
	return status;
}

static void
json_release(void *p)
{
	json_decref(p);
}

json_t *
req_json_own(struct req *r, json_t *v)
{
	if (v != NULL)
		arena_cleanup(r->a, json_release, v);
	return v;
}

json_t *
req_pack(struct req *r, const char *fmt, ...)
{
	va_list	 ap;
	json_t	*v;

	va_start(ap, fmt);
	v = json_vpack_ex(NULL, 0, fmt, ap);
	va_end(ap);
	return req_json_own(r, v);
}

json_t *
req_object(struct req *r)
{
	return req_json_own(r, json_object());
}

json_t *
req_array(struct req *r)
{
	return req_json_own(r, json_array());
}

int
req_view(struct req *r, int status, const char *view, json_t *data)
{
	r->resp.status = status;
	r->resp.view = view;
	r->resp.data = data;
	return status;
}

const char *
req_field(const struct req *r, const char *name)
{
	json_t	*v;

	if (r->json != NULL) {
		v = json_object_get(r->json, name);
		return json_is_string(v) ? json_string_value(v) : NULL;
	}
	return kv_get(&r->form, name);
}

int
req_local_path(const char *s)
{
	if (s == NULL || s[0] != '/' || s[1] == '/' || s[1] == '\\')
		return 0;
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x21 || *s == '\\' || *s == 0x7f)
			return 0;
	return 1;
}
