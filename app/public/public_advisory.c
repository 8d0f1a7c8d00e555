/*
 * public_advisory.c: the hub's advisories, through the JSON API
 * (/api/v1/advisories) and the hub's page /hub/advisories: a list, a
 * form for a new one, a form per advisory and a confirmation before
 * deleting.  One handler per action serves both.  Who reads and writes
 * what is the schema's to say (sql/037_advisories.sql): a member's
 * attempt to write is refused there, 403, and writes nothing.  Every
 * write is in the audit log.  The front page shows the current public
 * ones (public_db_front()), a member's home all current ones.
 */
#include "config.h"

#include <limits.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "arena.h"
#include "audit.h"
#include "input.h"
#include "kv.h"
#include "log.h"
#include "public.h"
#include "public_db.h"
#include "req.h"
#include "resp.h"
#include "session.h"
#include "util.h"

#define NO_ADVISORY	"there is no advisory at this address"
#define PAGE		"/hub/advisories"

enum { A_TITLE, A_BODY, A_PUBLIC, A_FROM, A_UNTIL, A__MAX };

static const struct input_field advisory_fields[A__MAX] = {
	[A_TITLE] = { .name = "title", .type = IN_TEXT, .flags = IN_REQUIRED,
	    .max = 200, .label = "the title" },
	[A_BODY] = { .name = "body", .type = IN_TEXT, .flags = IN_REQUIRED |
	    IN_RAW | IN_BYTES, .max = 20000, .label = "the text" },
	[A_PUBLIC] = { .name = "public", .type = IN_BOOL, .label = "public",
	    .invalid = "public is true or false" },
	[A_FROM] = { .name = "from", .type = IN_DATE, .flags = IN_REQUIRED,
	    .label = "the first day", .invalid = "from is a day, "
	    "YYYY-MM-DD" },
	[A_UNTIL] = { .name = "until", .type = IN_DATE,
	    .label = "the last day", .invalid = "until is a day, "
	    "YYYY-MM-DD" },
};

static json_t	*list_page(struct req *, json_t *, const char *,
		    const char *);
static json_t	*edit_page(struct req *, json_t *, const char *,
		    const char *);

const struct input_form public_advisory_input = {
	advisory_fields, A__MAX, NULL, NULL, 0
};
const struct input_form public_advisory_new = {
	advisory_fields, A__MAX, "advisories/list", list_page, 0
};
const struct input_form public_advisory_edit = {
	advisory_fields, A__MAX, "advisories/edit", edit_page, 0
};

static const struct {
	const char	*done;
	const char	*notice;
} notices[] = {
	{ "added", "The advisory is added." },
	{ "saved", "The advisory is saved." },
	{ "deleted", "The advisory is deleted." },
};

/* The notice of ?done=, or NULL. */
static const char *
notice(struct req *r)
{
	const char	*done = kv_get(&r->query, "done");
	size_t		 i;

	for (i = 0; done != NULL && i < NELEM(notices); i++)
		if (strcmp(done, notices[i].done) == 0)
			return notices[i].notice;
	return NULL;
}

/* Today's day in UTC, YYYY-MM-DD (arena memory). */
static const char *
today(struct req *r)
{
	time_t		 now = time(NULL);
	struct tm	 tm;

	gmtime_r(&now, &tm);
	return arena_printf(r->a, "%04d-%02d-%02d", tm.tm_year + 1900,
	    tm.tm_mon + 1, tm.tm_mday);
}

/* The route's {id} when it is an identifier, else NULL. */
static const char *
route_id(struct req *r)
{
	const char	*id = kv_get(&r->params, "id");
	long long	 n;

	return input_digits(id, 1, LLONG_MAX, &n) ? id : NULL;
}

/* Advisory a readied for a page: its body as HTML, its page's link. */
static json_t *
shown(struct req *r, json_t *a)
{
	json_object_set_new(a, "html", json_string(public_html(r,
	    json_string_value(json_object_get(a, "body")))));
	json_object_set_new(a, "href", json_string(arena_printf(r->a,
	    PAGE "/%lld", (long long)json_integer_value(json_object_get(a,
	    "id")))));
	return a;
}

/* An advisory's fields as a form shows them. */
static json_t *
form_values(struct req *r, json_t *a)
{
	json_t	*until = json_object_get(a, "until");

	return req_pack(r, "{s:O, s:O, s:b, s:O, s:s}", "title",
	    json_object_get(a, "title"), "body", json_object_get(a, "body"),
	    "public", json_is_true(json_object_get(a, "public")), "from",
	    json_object_get(a, "from"), "until", json_is_string(until) ?
	    json_string_value(until) : "");
}

/* The hub's page: every advisory, and the new one's form with values. */
static json_t *
list_page(struct req *r, json_t *values, const char *field, const char *msg)
{
	json_t	*list, *a;
	size_t	 i;

	(void)field;
	(void)msg;
	if (public_db_advisories(r, 0, &list) < 0) {
		req_db_fail(r);
		return NULL;
	}
	json_array_foreach(list, i, a)
		shown(r, a);
	return req_pack(r, "{s:O, s:b, s:O, s:s}", "advisories", list,
	    "has_advisories", json_array_size(list) > 0, "values",
	    values != NULL ? values : req_object(r), "prefix", "new");
}

/* Advisory {id} into *a: 1, or 0 after answering 404 or a failure. */
static int
find(struct req *r, json_t **a)
{
	const char	*id = route_id(r);
	int		 rc;

	*a = NULL;
	if (id == NULL || (rc = public_db_advisory(r, id, a)) == 0) {
		req_fail(r, 404, "not_found", NULL, NO_ADVISORY);
		return 0;
	}
	if (rc < 0) {
		req_db_fail(r);
		return 0;
	}
	shown(r, *a);
	return 1;
}

/* An advisory's page: its form with values. */
static json_t *
edit_page(struct req *r, json_t *values, const char *field, const char *msg)
{
	json_t	*a;

	(void)field;
	(void)msg;
	if (!find(r, &a))
		return NULL;
	return req_pack(r, "{s:O, s:O, s:s}", "advisory", a, "values",
	    values, "prefix", "edit");
}

/* The advisory sent, into t: 0, or the status after answering 422. */
static int
advisory_read(struct req *r, struct advisory_text *t)
{
	t->title = input_text(r, A_TITLE);
	t->body = input_text(r, A_BODY);
	t->public = input_bool(r, A_PUBLIC, 0);
	t->from = input_text(r, A_FROM);
	t->until = input_text(r, A_UNTIL);
	if (*t->until != '\0' && strcmp(t->until, t->from) < 0)
		return input_fail(r, 422, "invalid", "until", "an advisory "
		    "ends on or after the day it starts");
	return 0;
}

/* The id of advisory a as text, in the arena. */
static const char *
advisory_id(struct req *r, json_t *a)
{
	return arena_printf(r->a, "%lld", (long long)json_integer_value(
	    json_object_get(a, "id")));
}

/* Audit action on advisory id: 0, or the status after a failure. */
static int
audited(struct req *r, const char *action, const char *id, json_t *before,
    json_t *after)
{
	if (audit_add(r, action, "advisory", id, 0, before, after) < 0)
		return req_db_fail(r);
	logm(L_INFO, r->id, "%s %s person=%lld", action, id, r->sess->p.id);
	return 0;
}

/*
 * After a change of advisory {id} answered rc: 0, or the status after
 * answering (403 for one the caller reads but may not change, 404).
 */
static int
changed(struct req *r, int rc, int found)
{
	if (rc < 0)
		return req_db_fail(r);
	if (rc == 0 && !found)
		return req_fail(r, 404, "not_found", NULL, NO_ADVISORY);
	if (rc == 0)
		return req_fail(r, 403, "forbidden", NULL, "only the hub's "
		    "admins and communicators write advisories");
	return 0;
}

/* The answer to a change done: status with a (JSON), or the page. */
static int
done(struct req *r, int status, json_t *a, const char *what)
{
	if (r->fmt == FMT_JSON)
		return req_view(r, status, NULL, a);
	return req_redirect(r, arena_printf(r->a, PAGE "?done=%s", what));
}

int
public_advisories_get(struct req *r)
{
	const char	*n;
	json_t		*d;

	if (r->fmt == FMT_JSON) {
		if (public_db_advisories(r, 0, &d) < 0)
			return req_db_fail(r);
		return req_view(r, 200, NULL, req_pack(r, "{s:O}",
		    "advisories", d));
	}
	if ((d = list_page(r, NULL, NULL, NULL)) == NULL)
		return r->resp.status;
	json_object_set_new(json_object_get(d, "values"), "from",
	    json_string(today(r)));
	if ((n = notice(r)) != NULL)
		json_object_set_new(d, "notice", json_string(n));
	return req_view(r, 200, "advisories/list", d);
}

int
public_advisory_post(struct req *r)
{
	struct advisory_text	 t;
	const char		*id;
	json_t			*a;
	int			 status;

	if ((status = advisory_read(r, &t)) != 0)
		return status;
	if (public_db_advisory_add(r, &t, &a) != 1)
		return req_db_fail(r);
	id = advisory_id(r, a);
	if ((status = audited(r, "advisory.create", id, NULL, a)) != 0)
		return status;
	if (r->fmt == FMT_JSON)
		resp_header(r, "Location", arena_printf(r->a,
		    "/api/v1/advisories/%s", id));
	return done(r, 201, a, "added");
}

int
public_advisory_get(struct req *r)
{
	json_t	*a;

	if (!find(r, &a))
		return r->resp.status;
	return req_view(r, 200, "advisories/edit", req_pack(r,
	    "{s:O, s:O, s:s}", "advisory", a, "values", form_values(r, a),
	    "prefix", "edit"));
}

int
public_advisory_put(struct req *r)
{
	struct advisory_text	 t;
	const char		*id = route_id(r);
	json_t			*before, *a;
	int			 status, rc, found;

	if (id == NULL)
		return req_fail(r, 404, "not_found", NULL, NO_ADVISORY);
	if ((status = advisory_read(r, &t)) != 0)
		return status;
	rc = public_db_advisory_put(r, id, &t, &before, &a, &found);
	if ((status = changed(r, rc, found)) != 0 ||
	    (status = audited(r, "advisory.update", id, before, a)) != 0)
		return status;
	return done(r, 200, a, "saved");
}

int
public_advisory_delete_get(struct req *r)
{
	json_t	*a;

	if (!find(r, &a))
		return r->resp.status;
	return req_view(r, 200, "advisories/delete", req_pack(r, "{s:O}",
	    "advisory", a));
}

int
public_advisory_delete(struct req *r)
{
	const char	*id = route_id(r);
	json_t		*before;
	int		 status, rc, found;

	if (id == NULL)
		return req_fail(r, 404, "not_found", NULL, NO_ADVISORY);
	rc = public_db_advisory_delete(r, id, &before, &found);
	if ((status = changed(r, rc, found)) != 0 ||
	    (status = audited(r, "advisory.delete", id, before, NULL)) != 0)
		return status;
	return done(r, 204, NULL, "deleted");
}
