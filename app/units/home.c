/*
 * home.c: the front page: the visitors' page (the latest published posts
 * and the directory of approved units), or, for someone signed in, what
 * needs them.
 */
#include "config.h"

#include <string.h>

#include <jansson.h>

#include "app.h"
#include "conf.h"
#include "db.h"
#include "handlers.h"
#include "home_db.h"
#include "public.h"
#include "public_db.h"
#include "req.h"
#include "session.h"
#include "unit_db.h"

#define HOME_DECIDE_MAX	10	/* requests listed; the queue has them all */

/* The fields of v named in keys (NULL-terminated), as a new object. */
static json_t *
home_pick(json_t *v, const char *const *keys)
{
	json_t	*o = json_object();

	for (; *keys != NULL; keys++)
		if (json_object_get(v, *keys) != NULL)
			json_object_set(o, *keys, json_object_get(v, *keys));
	return o;
}

/* The advisories list (borrowed), each with its body as "html". */
static json_t *
home_advisories(struct req *r, json_t *list)
{
	json_t	*a;
	size_t	 i;

	if (!json_is_array(list))
		return req_array(r);
	json_array_foreach(list, i, a)
		json_object_set_new(a, "html", json_string(public_html(r,
		    json_string_value(json_object_get(a, "body")))));
	return list;
}

/*
 * A signed-in person's home: their pending invitations, the requests
 * waiting for their decision (as a hub admin or a delegated approver,
 * oldest first), the hub's current advisories they read (the members
 * of approved units read them all; sql/037_advisories.sql) and their
 * units with their state.  Later features add
 * their own sections (inbox, training, drafts).
 */
static int
home_mine(struct req *r)
{
	static const char *const ukeys[] = { "slug", "name", "state",
		"my_role", "mine", "last_reason", NULL };
	static const char *const dkeys[] = { "slug", "name", "waiting",
		"waiting_seconds", NULL };
	json_t		*inv, *waiting, *list, *units, *decide, *u, *o, *d;
	json_t		*adv;
	const char	*state;
	size_t		 i, n = 0;

	inv = req_array(r);
	waiting = req_array(r);
	list = req_array(r);
	/* Their units are the last read of the transaction. */
	if (home_db_invitations(r, inv) < 0 ||
	    public_db_advisories(r, 1, &adv) < 0 ||
	    unit_db_list(r, "requested", waiting) < 0 ||
	    unit_db_list_mine(r, list) < 0)
		return req_db_fail(r);
	decide = json_array();
	json_array_foreach(waiting, i, u)
		if (json_is_true(json_object_get(u, "can_decide")) &&
		    !json_is_true(json_object_get(u, "mine")) &&
		    n++ < HOME_DECIDE_MAX)
			json_array_append_new(decide, home_pick(u, dkeys));
	units = json_array();
	json_array_foreach(list, i, u) {
		o = home_pick(u, ukeys);
		state = json_string_value(json_object_get(u, "state"));
		json_object_set_new(o, "needs_changes", json_boolean(
		    json_is_true(json_object_get(u, "mine")) &&
		    strcmp(state, "changes_requested") == 0));
		json_array_append_new(units, o);
	}
	d = req_pack(r, "{s:s, s:s, s:o, s:o, s:I, s:O, s:O}", "site_name",
	    r->conf->site_name, "version", PACKAGE_VERSION, "units", units,
	    "to_decide", decide, "to_decide_total", (json_int_t)n,
	    "invitations", inv, "advisories", home_advisories(r, adv));
	if (r->fmt == FMT_JSON)
		return req_view(r, 200, NULL, d);
	json_object_set_new(d, "signed_in", json_true());
	json_object_set_new(d, "has_units", json_boolean(json_array_size(
	    units) > 0));
	json_object_set_new(d, "has_to_decide", json_boolean(n > 0));
	json_object_set_new(d, "more_to_decide", json_boolean(
	    n > HOME_DECIDE_MAX));
	json_object_set_new(d, "has_invitations", json_boolean(
	    json_array_size(inv) > 0));
	json_object_set_new(d, "has_advisories", json_boolean(
	    json_array_size(adv) > 0));
	return req_view(r, 200, "home", d);
}

/*
 * The visitors' front page: the latest posts of approved units, their
 * directory by kind and region and the hub's current public advisories
 * (public_db.h), in one statement;
 * its JSON stays the site's name and version.  While the database is
 * down the page still answers, without them.
 */
static int
home_public(struct req *r)
{
	struct public_page	 pg = { NULL, NULL, 0 };
	json_t			*d, *posts, *adv;
	const char		*next;

	if (r->fmt == FMT_JSON)
		return req_view(r, 200, NULL, req_pack(r, "{s:s, s:s}",
		    "site_name", r->conf->site_name, "version",
		    PACKAGE_VERSION));
	if (public_db_front(r, &pg, 1, &d) < 0) {
		if (r->db == NULL || db_failure(r->db) != DB_FAIL_DOWN)
			return req_db_fail(r);
		return req_view(r, 200, "home", req_pack(r, "{s:s, s:s, s:b}",
		    "site_name", r->conf->site_name, "version",
		    PACKAGE_VERSION, "unavailable", 1));
	}
	posts = json_object_get(d, "posts");
	next = public_posts(r, posts, NULL, "/");
	adv = home_advisories(r, json_object_get(d, "advisories"));
	json_object_set_new(d, "has_advisories", json_boolean(
	    json_array_size(adv) > 0));
	json_object_set_new(d, "has_posts", json_boolean(json_array_size(
	    posts) > 0));
	json_object_set_new(d, "more_posts", json_boolean(next != NULL));
	json_object_set_new(d, "site_name", json_string(r->conf->site_name));
	json_object_set_new(d, "version", json_string(PACKAGE_VERSION));
	return req_view(r, 200, "home", d);
}

int
home_get(struct req *r)
{
	if (r->sess != NULL)
		return home_mine(r);
	return home_public(r);
}
