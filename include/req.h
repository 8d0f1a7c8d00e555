/*
 * req.h: one HTTP request as the application sees it, and its response.
 *
 * A request is built from the FastCGI parameters (CGI/1.1 meta-variables,
 * RFC 3875 section 4.1) and the body, all in the request's arena.  Nothing
 * here knows about libfcgi, so the parsers can be driven by tests and
 * fuzzers directly.
 */
#ifndef REQ_H
#define REQ_H

#include <stddef.h>

#include <jansson.h>

#include "kv.h"
#include "router.h"

struct arena;
struct conf;
struct db;
struct app;
struct session;
struct input;

enum fmt {
	FMT_HTML,
	FMT_JSON
};

struct resp {
	int		 status;
	const char	*view;		/* page name for HTML */
	json_t		*data;		/* view data / JSON body (borrowed) */
	struct kvlist	 headers;	/* extra headers */
	int		 no_store;	/* Cache-Control: no-store */
	int		 cache_public;	/* Cache-Control: public (a 200,
					   304, 404 or 410 that sets no
					   cookie) */
	const char	*etag;		/* ETag, Last-Modified of a 200 or */
	const char	*last_modified;	/* 304, or NULL */
	long long	 mem_until;	/* a worker's memory keeps the
					   answer before this instant
					   (seconds since the epoch), 0:
					   until notified (public_mem.h) */
	const char	*referrer;	/* Referrer-Policy, NULL: the
					   default */
	int		 commit;	/* commit even when status >= 400 */
	const char	*raw_type;	/* a body that is neither page nor
					   JSON */
	const char	*raw;		/* (e.g. CSV), arena memory */
	size_t		 raw_len;
	int		 has_err;
	struct perr	 err;		/* rendered when has_err */
};

struct req {
	struct arena		*a;
	const struct conf	*conf;
	const struct app	*app;
	struct db		*db;
	char			**envp;

	unsigned		 method;
	const char		*method_name;
	const char		*uri;		/* raw request target */
	const char		*path;		/* raw path, before '?' */
	const char		*query_string;
	const char		*content_type;
	size_t			 content_length;
	const char		*accept;
	const char		*remote_addr;
	const char		*id;		/* request id for logs */
	int			 https;

	struct kvlist		 query;
	struct kvlist		 form;
	struct kvlist		 cookies;
	struct kvlist		 params;	/* route parameters */
	json_t			*json;		/* JSON body, arena-owned */
	const char		*body;
	size_t			 body_len;

	struct session		*sess;		/* NULL: nobody signed in */
	json_t			*unit;		/* the route's {slug}
						   (scope.h) */
	const char		*unit_role;	/* the caller's role in it,
						   or "" */
	struct input		*in;		/* declared input (input.h) */
	const char		*csrf;		/* token for forms, or NULL */

	enum fmt		 fmt;		/* req_format(), once */
	const struct route	*route;
	struct resp		 resp;

	struct keep		*pages;		/* the worker's signed-in pages
						   (page_mem.h), or NULL */
	struct page_mem_req	*page_mem;	/* r's use of them, or NULL */
};

struct req_limits {
	size_t	 max_body;
	size_t	 max_fields;
	size_t	 max_value;
};

/* Zero r and attach its arena and environment. */
void		 req_init(struct req *, struct arena *, char **envp);

/* The CGI meta-variable name (e.g. "HTTP_USER_AGENT"), or NULL. */
const char	*req_env(const struct req *, const char *name);

/*
 * Read the meta-variables: method, target, query string (parsed),
 * cookies, content type and length.  Returns 1, or 0
 * with e set (400 malformed, 413 declared body too large, 501 unknown
 * method).
 */
int		 req_parse_env(struct req *, const struct req_limits *,
		    struct perr *e);

/*
 * Parse the body already stored in r->body by content type: forms into
 * r->form, JSON into r->json.  Returns 1, or 0 with e set (400, 413, 415).
 */
int		 req_parse_body(struct req *, const struct req_limits *,
		    struct perr *e);

/* FMT_JSON when the Accept header prefers application/json to HTML. */
enum fmt	 fmt_negotiate(const char *accept);

/*
 * 1 when the Accept header prefers text/csv to both application/json and
 * text/html (a wildcard ranks them alike: no), else 0.
 */
int		 fmt_wants_csv(const char *accept);

/*
 * The format of r's answer, decided once per request (after routing, or
 * after the input failed): JSON for an API route (ROUTE_API) and for any
 * target under /api/, HTML for a public page (ROUTE_PUBLIC), else what
 * the Accept header prefers.
 */
enum fmt	 req_format(const struct req *);

/*
 * Record an error response and return its status, so a handler can
 * "return req_fail(r, 409, "conflict", "slug", "...")".  field may be NULL.
 */
int		 req_fail(struct req *, int status, const char *code,
		    const char *field, const char *fmt, ...)
		    __attribute__((format(printf, 5, 6)));

/*
 * Ownership of JSON values: every value a request builds belongs to the
 * request's arena and is released at its reset.  req_json_own() hands
 * the arena a new reference (json_object(), json_deep_copy(), ...) and
 * returns it; req_pack() is json_pack() owned by the arena (NULL when a
 * string is not UTF-8).  The *_db.c functions return arena-owned values
 * too, and every function that takes a value borrows it (req_view(),
 * input_show(), audit_add(), outbox_mail(), ...).  An arena-owned value
 * goes into another with json_object_set(), json_array_append() or
 * json_pack()'s "O", which add a reference, never with the *_new()
 * functions or "o", which would take the arena's.
 */
json_t		*req_json_own(struct req *, json_t *);
json_t		*req_pack(struct req *, const char *fmt, ...);

/* A new empty object, a new empty array, owned by the arena. */
json_t		*req_object(struct req *);
json_t		*req_array(struct req *);

/*
 * The named field of a form or of a JSON object body (a string member),
 * or NULL when absent.  The same handler thus serves both.
 */
const char	*req_field(const struct req *, const char *name);

/*
 * Redirect with 303 See Other to a local path (which the caller built or
 * checked with req_local_path()).  Returns 303.
 */
int		 req_redirect(struct req *, const char *path);

/* Whether s is a safe local redirect target: "/x", not "//x" or "/\x". */
int		 req_local_path(const char *s);

/*
 * Set the view (HTML page name, or NULL for JSON) and data of a response
 * and return status.  data is borrowed: an arena-owned value, or part of
 * one, or NULL for no body.
 */
int		 req_view(struct req *, int status, const char *view,
		    json_t *data);

#endif
