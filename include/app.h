/*
 * app.h: what every worker shares, built once at startup (or reload) and
 * read-only afterwards: configuration, compiled routes, request limits.
 */
#ifndef APP_H
#define APP_H

#include <jansson.h>

#include "req.h"

struct buf;
struct conf;
struct hashcap;
struct mustache_set;
struct router;

struct app {
	const struct conf	*conf;
	struct router		*router;
	struct mustache_set	*views;		/* templates/ */
	json_t			*site;		/* {name, version} for views */
	struct req_limits	 lim;
	struct hashcap		*hashcap;	/* NULL: no cap (tools,
						   tests) */
};

/*
 * Build the shared state from c: routes and compiled templates (the
 * server then attaches its shared hash cap).  Also checks that the
 * password dictionary opens.  Returns
 * 1, or 0 with a message in err (a malformed route table, a template that
 * does not compile: "templates/x.html:3:7: ...").
 */
int	app_init(struct app *, const struct conf *c, char *err, size_t n);
void	app_free(struct app *);

/* Reads up to n body bytes into dst; returns bytes read, 0 at end, -1. */
typedef long	(*body_read_fn)(void *ctx, char *dst, size_t n);

/*
 * What the pipeline needs from the server around it: the request body,
 * buffers to render into (reused from request to request), and a way to
 * send the rendered answer and end the exchange with the client (after
 * which the request's environment, r->envp and what points into it, is
 * gone).
 */
struct app_io {
	body_read_fn	 read;
	void		(*send)(void *ctx, const struct buf *head,
			    const struct buf *body);
	void		*ctx;
	struct buf	*head;
	struct buf	*body;
};

/*
 * Serve one request from input to finish (the path is told atop app.c):
 * parse, route, run the handler in its transaction, render, end the
 * transaction and send the answer through io (exactly once), then the
 * session's after-work.  r comes from req_init() with r->db set (or NULL
 * for a server without a database).
 */
void	app_serve(const struct app *, struct req *, const struct app_io *io);

struct db_refusal;

/*
 * Answer the request's failed database call (a *_db.c function that
 * returned -1) and return the status: 503 database_unavailable when the
 * connection is down; for a refused statement its mapped status, code,
 * field and message (db_refusal()), shown on the route's form again when
 * it has one (input_fail()), else as the error; 500 database_error for
 * anything else.
 */
int	req_db_fail(struct req *);

/*
 * req_db_fail() with the call site's own refusals (local, NULL-ended, or
 * NULL), looked up before the statement's and the generic ones; when
 * view is not NULL, a refusal shows view with data (borrowed) rather
 * than the route's form.
 */
int	req_db_refuse(struct req *, const struct db_refusal *local,
	    const char *view, json_t *data);

#endif
