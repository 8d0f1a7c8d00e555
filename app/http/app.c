/*
 * app.c: the request pipeline, one request from accept to finish.
 *
 *   accept   worker.c takes a FastCGI request and calls app_serve()
 *   input    request line, query, cookies and body, with their limits
 *            (400/413/415/501): checked before routing, so they hold for
 *            every URL
 *   route    method and path to a route (404/405); then the one decision
 *            of the format, HTML or JSON (req_format())
 *   handler  the transaction the route declares (lazy: nothing is sent
 *            before the first query), gate() (session, which names the
 *            acting person for row-level security, access 303/401/403,
 *            CSRF, use rules), the handler
 *   render   status, headers and body into the worker's buffers
 *   finish   tx_finish(): a write's COMMIT is read back before the answer
 *            is written (503 when the database went away during it); a
 *            read's end is sent, the answer written, the end read after;
 *            then the session's after-work in a short write of its own
 *
 * Every failure becomes an error response naming its cause; nothing a
 * client sends can make this code crash or answer 500.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "app.h"
#include "arena.h"
#include "buf.h"
#include "conf.h"
#include "db.h"
#include "handlers.h"
#include "input.h"
#include "log.h"
#include "mustache.h"
#include "page_mem.h"
#include "public.h"
#include "pwpolicy.h"
#include "req.h"
#include "resp.h"
#include "router.h"
#include "scope.h"
#include "session.h"
#include "urlenc.h"
#include "views.h"

int
app_init(struct app *app, const struct conf *c, char *err, size_t n)
{
	memset(app, 0, sizeof(*app));
	app->conf = c;
	app->lim.max_body = c->max_body;
	app->lim.max_fields = (size_t)c->max_fields;
	app->lim.max_value = c->max_field_length;
	if ((app->router = router_new(routes, nroutes, err, n)) == NULL)
		return 0;
	if ((app->views = views_load(c->templates_dir, err, n)) == NULL) {
		app_free(app);
		return 0;
	}
	if (!pwpolicy_ready(err, n)) {
		app_free(app);
		return 0;
	}
	app->site = json_pack("{s:s, s:s}", "name", c->site_name, "version",
	    PACKAGE_VERSION);
	if (app->site == NULL) {
		snprintf(err, n, "site_name is not valid UTF-8");
		app_free(app);
		return 0;
	}
	return 1;
}

void
app_free(struct app *app)
{
	router_free(app->router);
	mustache_set_free(app->views);
	json_decref(app->site);
	app->site = NULL;
	app->router = NULL;
	app->views = NULL;
}

/*
 * The refusal that answers r's failed database call (local first) in
 * *m, with its Retry-After set: 0, or the status after answering 503
 * (down) or 500 (no refusal: a fault).
 */
static int
db_fail_map(struct req *r, const struct db_refusal *local,
    const struct db_refusal **m)
{
	char	 s[16];

	if (r->db == NULL || db_failure(r->db) == DB_FAIL_DOWN)
		return req_fail(r, 503, "database_unavailable", NULL, "the "
		    "database is unavailable; please try again shortly");
	if ((*m = db_refusal(r->db, local)) == NULL)
		return req_fail(r, 500, "database_error", NULL, "the request "
		    "could not be completed; the error has been logged");
	if ((*m)->retry_after > 0) {
		snprintf(s, sizeof(s), "%d", (*m)->retry_after);
		resp_header(r, "Retry-After", arena_strdup(r->a, s));
	}
	return 0;
}

int
req_db_refuse(struct req *r, const struct db_refusal *local,
    const char *view, json_t *data)
{
	const struct db_refusal	*m;
	const struct input_form	*f = r->route != NULL ? r->route->input :
				    NULL;
	int			 rc;

	if ((rc = db_fail_map(r, local, &m)) != 0)
		return rc;
	if (r->fmt == FMT_JSON || (view == NULL && (f == NULL ||
	    f->view == NULL)))
		return req_fail(r, m->status, m->code, m->field, "%s",
		    m->message);
	/* The form's page may read: end the aborted transaction first. */
	if (db_tx_restart(r->db) < 0)
		return req_db_fail(r);
	if (view != NULL)
		return input_show(r, m->status, view, data, m->code, m->field,
		    m->message);
	return input_fail(r, m->status, m->code, m->field, "%s", m->message);
}

int
req_db_fail(struct req *r)
{
	return req_db_refuse(r, NULL, NULL, NULL);
}

static void
fail_perr(struct req *r, const struct perr *e)
{
	req_fail(r, e->status, e->code, e->field, "%s", e->message);
}

/* Read exactly content_length bytes; 1, or 0 with an error response. */
static int
read_body(struct req *r, body_read_fn rd, void *ctx)
{
	char	*dst;
	size_t	 got = 0;
	long	 n;

	if (r->content_length == 0)
		return 1;
	dst = arena_alloc(r->a, r->content_length + 1);
	while (got < r->content_length) {
		n = rd(ctx, dst + got, r->content_length - got);
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	if (got != r->content_length) {
		req_fail(r, 400, "incomplete_body", NULL, "the request body "
		    "ended after %zu of %zu bytes", got, r->content_length);
		return 0;
	}
	dst[got] = '\0';
	r->body = dst;
	r->body_len = got;
	return 1;
}

/* Send an anonymous visitor of a page for people to the login form. */
static int
to_login(struct req *r)
{
	const char	*next = req_env(r, "REQUEST_URI");

	if (r->fmt == FMT_JSON || !(r->method & (M_GET | M_HEAD)))
		return req_fail(r, 401, "not_signed_in", NULL, "sign in first");
	if (!req_local_path(next) || strlen(next) > 1024)
		next = "/";
	return req_redirect(r, arena_printf(r->a, "/login?next=%s",
	    urlenc_component(r->a, next)));
}

/*
 * What the route table declares, enforced before the handler runs:
 * the session (none for a public page: ROUTE_PUBLIC), who may call it,
 * the CSRF token of unsafe methods, the use rules, the unit it works on
 * and its input.
 * Returns 0 to run the handler, or the status of the refusal.
 */
static int
gate(struct req *r)
{
	const struct route	*rt = r->route;
	char			 pv[LOG_VALUE_MAX];
	int			 rc, unsafe;

	/*
	 * A public page looks no session up.  Otherwise, what the route
	 * reads first travels with the session lookup.
	 */
	if (!(rt->flags & ROUTE_PUBLIC) && session_present(r))
		scope_prefetch(r);
	if (!(rt->flags & ROUTE_PUBLIC) && session_resolve(r) < 0)
		return req_db_fail(r);
	if (rt->access != ACCESS_ANON && r->sess == NULL)
		return to_login(r);
	if (rt->access == ACCESS_HUB_ADMIN && !(r->sess->roles & HUB_ADMIN))
		return req_fail(r, 403, "forbidden", NULL, "this is for hub "
		    "administrators");
	if (rt->access == ACCESS_HUB_COMMS &&
	    !(r->sess->roles & (HUB_ADMIN | HUB_COMMS)))
		return req_fail(r, 403, "forbidden", NULL, "this is for hub "
		    "administrators and communicators");
	unsafe = !(r->method & (M_GET | M_HEAD | M_OPTIONS));
	if (unsafe && !(rt->flags & ROUTE_NO_CSRF) && !csrf_check(r)) {
		logm(L_WARN, r->id, "refused %s %s: CSRF token missing or "
		    "wrong", r->method_name, log_value(pv, sizeof(pv),
		    r->path));
		return req_fail(r, 403, "csrf", "csrf_token", "the form had "
		    "expired or did not come from this site: reload the page "
		    "and try again");
	}
	if (r->sess != NULL && !r->sess->rules_ok &&
	    !(rt->flags & ROUTE_ANY_RULES)) {
		if (r->fmt == FMT_JSON || unsafe)
			return req_fail(r, 403, "use_rules_not_accepted", NULL,
			    "accept the current use rules first (GET /rules)");
		return req_redirect(r, arena_printf(r->a, "/rules?next=%s",
		    urlenc_component(r->a, req_env(r, "REQUEST_URI"))));
	}
	if ((rc = scope_check(r)) != 0)
		return rc;
	return input_check(r);
}

/* Run the route's handler behind gate(), in the transaction it declares. */
static void
handle(struct req *r)
{
	enum db_tx	 mode = DB_TX_NONE;
	int		 status;

	if (r->route->flags & ROUTE_TX_RW)
		mode = DB_TX_RW;
	else if (r->route->flags & ROUTE_TX_RO)
		mode = DB_TX_RO;
	/* Nobody acts until gate() finds the session. */
	if (r->db != NULL)
		db_tx_setup(r->db, mode, "", "", r->id);
	if ((status = gate(r)) == 0 && page_mem_hit(r))
		status = 200;
	else if (status == 0 && (status = public_cache_check(r)) == 0)
		status = r->route->handler(r);
	r->resp.status = status;
}

/* Read and parse what the client sent; 1, or 0 with an error response. */
static int
input(const struct app *app, struct req *r, const struct app_io *io)
{
	struct perr	 e;

	if (!req_parse_env(r, &app->lim, &e) ||
	    !read_body(r, io->read, io->ctx)) {
		if (!r->resp.has_err)
			fail_perr(r, &e);
		return 0;
	}
	if (!(r->method & (M_GET | M_HEAD | M_OPTIONS)) &&
	    !req_parse_body(r, &app->lim, &e)) {
		fail_perr(r, &e);
		return 0;
	}
	return 1;
}

/* Find r's route; 1, or 0 with a 404 or 405 (and its Allow). */
static int
route(const struct app *app, struct req *r)
{
	struct perr	 e;
	unsigned	 allow;
	char		 methods[64];

	if (router_match(app->router, r->method, r->path, r->a, &r->route,
	    &r->params, &allow, &e))
		return 1;
	fail_perr(r, &e);
	if (e.status == 405) {
		http_methods_format(allow, methods, sizeof(methods));
		resp_header(r, "Allow", methods);
	}
	return 0;
}

/* Render r's response into the worker's buffers, or write it as kept. */
static void
render(struct req *r, const struct app_io *io)
{
	if (page_mem_hit(r) && r->resp.status == 200) {
		page_mem_render(r, io->head, io->body);
		return;
	}
	buf_reset(io->head);
	buf_reset(io->body);
	resp_render(r, io->head, io->body);
}

/*
 * Send the rendered answer (a server error logged first).  What r holds
 * of the server's environment (method, path) is gone after this.
 */
static void
answer(struct req *r, const struct app_io *io)
{
	char	 pv[LOG_VALUE_MAX];

	if (io == NULL)
		return;
	if (r->route != NULL && r->resp.status >= 500)
		logm(L_ERROR, r->id, "%s %s answered %d", r->method_name,
		    log_value(pv, sizeof(pv), r->path), r->resp.status);
	io->send(io->ctx, io->head, io->body);
}

/*
 * End the transaction open on r->db, committing when commit is set and
 * nothing failed, and write the rendered answer (io; NULL when there is
 * none) at the right moment.  The only place a transaction of the
 * pipeline ends.  A write is answered only once its COMMIT is read back:
 * a failed COMMIT turns the answer into 503 (database_unavailable, or
 * commit_outcome_unknown when the connection died after COMMIT was sent,
 * so the client checks before trying again) or 500.  A read's end is
 * sent before the answer is written and read after it.
 */
static void
tx_finish(struct req *r, int commit, const struct app_io *io)
{
	const struct db_refusal	*m;
	struct db		*db = r->db;
	int			 write, rc;

	if (db == NULL || !db_tx_open(db)) {
		answer(r, io);
		return;
	}
	write = db_tx_mode(db) == DB_TX_RW;
	db_tx_end(db, commit);
	if (write && (rc = db_tx_wait(db)) != 1 && commit && io != NULL) {
		if (rc < 0 && db_outcome_unknown(db))
			req_fail(r, 503, "commit_outcome_unknown", NULL, "the "
			    "database went away while saving; the change may "
			    "or may not have been saved, so check before "
			    "trying again");
		else if (db_fail_map(r, NULL, &m) == 0)
			/* No form: a page's reads would open a transaction. */
			req_fail(r, m->status, m->code, m->field, "%s",
			    m->message);
		render(r, io);
	}
	answer(r, io);
	if (!write)
		db_tx_wait(db);
}

/* The session's after-work, in a short write of its own. */
static void
after(struct req *r)
{
	if (r->db == NULL || !session_after_due(r))
		return;
	db_tx_setup(r->db, DB_TX_RW, "", "", r->id);
	tx_finish(r, session_after(r), NULL);
}

void
app_serve(const struct app *app, struct req *r, const struct app_io *io)
{
	int	 routed;

	r->app = app;
	r->conf = app->conf;
	routed = input(app, r, io) && route(app, r);
	r->fmt = req_format(r);		/* the one decision of the format */
	if (routed)
		handle(r);
	render(r, io);
	page_mem_keep(r, io->head, io->body);
	tx_finish(r, r->resp.status < 400 || r->resp.commit, io);
	after(r);
}
