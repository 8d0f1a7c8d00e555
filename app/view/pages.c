/*
 * pages.c: HTML pages rendered from the views of templates/.
 *
 * A view's context is the handler's data plus "site" (name, version),
 * built once per configuration, "me" (the person signed in: name, email,
 * is_admin, is_hr, is_communicator, is_hub: any of the three,
 * keeps_guidelines: an admin or a communicator, and unread: the unread
 * items of their inbox, read with the session) and
 * "csrf" (the token forms carry); every time in the data gains a readable
 * "K_time" beside it (timefmt.h).  Views escape every {{value}};
 * {{{value}}} is kept for HTML the application produced itself.  When
 * the error view itself cannot be rendered (no templates loaded, a broken
 * view), a minimal page written here with the escapers of html.h takes
 * its place: an error never turns into a blank answer.
 */
#include "config.h"

#include <string.h>
#include <time.h>

#include "app.h"
#include "buf.h"
#include "conf.h"
#include "html.h"
#include "log.h"
#include "mustache.h"
#include "pages.h"
#include "req.h"
#include "session.h"
#include "timefmt.h"

/*
 * The context of a view: the handler's data (the request owns it, so it
 * may be extended) with "site" added.
 */
static json_t *
context(const struct req *r, json_t *data)
{
	json_t		*ctx = json_is_object(data) ? json_incref(data) :
			    json_object();
	const struct session *s = r->sess;

	/* Times as people read them, beside the ISO values (timefmt.h). */
	timefmt_annotate(ctx, time(NULL));
	if (r->app->site != NULL)
		json_object_set(ctx, "site", r->app->site);
	if (s != NULL)
		json_object_set_new(ctx, "me", json_pack("{s:s, s:s, s:b, s:b, "
		    "s:b, s:b, s:b, s:I, s:b}", "name", s->p.name, "email",
		    s->p.email, "is_admin", (s->roles & HUB_ADMIN) != 0,
		    "is_hr", (s->roles & HUB_HR) != 0, "is_communicator",
		    (s->roles & HUB_COMMS) != 0, "is_hub", s->roles != 0,
		    "keeps_guidelines", (s->roles & (HUB_ADMIN | HUB_COMMS)) !=
		    0, "unread", (json_int_t)s->unread, "has_unread",
		    s->unread > 0));
	if (s != NULL || r->csrf != NULL)
		json_object_set_new(ctx, "csrf", json_string(r->csrf != NULL ?
		    r->csrf : s->csrf));
	return ctx;
}

/* Render view; 1, or 0 when it is missing or fails (logged). */
static int
render(const struct req *r, const char *view, json_t *data, struct buf *out)
{
	const struct mustache	*t;
	json_t			*ctx;
	char			 err[512];
	int			 ok;

	if (r->app == NULL || r->app->views == NULL ||
	    (t = mustache_set_get(r->app->views, view)) == NULL) {
		logm(L_ERROR, r->id, "no view named \"%s\"", view);
		return 0;
	}
	ctx = context(r, data);
	ok = mustache_render(t, r->app->views, ctx, MUSTACHE_ESC_HTML, out,
	    err, sizeof(err));
	json_decref(ctx);
	if (!ok)
		logm(L_ERROR, r->id, "could not render view \"%s\": %s", view,
		    err);
	return ok;
}

int
page_render(const struct req *r, const char *view, json_t *data,
    struct buf *out)
{
	return render(r, view, data, out);
}

/* The page of last resort, escaped by construction. */
static void
fallback(int status, const char *reason, const char *message,
    struct buf *b)
{
	buf_puts(b, "<!doctype html>\n<html lang=\"en\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n<title>");
	html_text(b, reason);
	buf_printf(b, "</title>\n</head>\n<body>\n<main>\n<h1>%d ", status);
	html_text(b, reason);
	buf_puts(b, "</h1>\n<p>");
	html_text(b, message);
	buf_puts(b, "</p>\n<p><a href=\"/\">Go to the front page</a></p>\n"
	    "</main>\n</body>\n</html>\n");
}

void
page_error(const struct req *r, int status, const char *reason,
    const char *message, struct buf *b)
{
	json_t	*data;
	size_t	 mark = b->len;
	int	 ok;

	data = json_pack("{s:i, s:s, s:s, s:s?}", "status", status, "reason",
	    reason, "message", message, "field", r->resp.has_err ?
	    r->resp.err.field : NULL);
	ok = data != NULL && render(r, "error", data, b);
	json_decref(data);
	if (!ok) {
		b->len = mark;
		if (b->cap > 0)
			b->data[mark] = '\0';
		fallback(status, reason, message, b);
	}
}
