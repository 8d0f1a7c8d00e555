/*
 * app.h: what every worker shares, built once at startup (or reload) and
 * read-only afterwards: configuration, compiled routes, request limits.
 */
#ifndef APP_H
#define APP_H

#include <jansson.h>

#include "req.h"

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
	struct hashcap		*hashcap;	/* NULL: no cap (tools, tests) */
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
 * Run one request through the pipeline: parse, route, read and parse the
 * body, run the handler inside its transaction, and leave r->resp ready
 * for resp_render().  A read-only transaction is left to be synced after
 * the response is written (db_tx_wait()).
 */
void	app_dispatch(const struct app *, struct req *, body_read_fn, void *ctx);

/*
 * Work left for after the response was sent and the request's
 * transaction ended (a session's once-a-minute activity stamp).
 */
void	app_after(const struct app *, struct req *);

/*
 * Map a db_query() failure to the response: -1 gives 503 (database
 * unavailable), 0 gives 500.  Returns the status.
 */
int	req_db_fail(struct req *, int rc);

#endif
