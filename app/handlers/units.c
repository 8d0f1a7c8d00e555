/*
 * units.c: units (workspaces): requesting one, seeing them, and the
 * hub's decisions, as pages and as the JSON API.  Row-level security
 * decides what each person sees: a unit that is not visible is "not
 * found" (404), never "forbidden", so existence does not leak.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "app.h"
#include "arena.h"
#include "audit.h"
#include "db.h"
#include "form.h"
#include "handlers.h"
#include "log.h"
#include "outbox.h"
#include "req.h"
#include "session.h"
#include "unit_db.h"

static const char *const kinds[] = {
	"chapter", "franchise", "dealership", "regional_market", "department",
	"agency_team", "other", NULL
};

static const char *const channel_names[] = {
	"blog", "linkedin", "x", "facebook", "instagram", "other", NULL
};

/* Slugs that name, or may one day name, the site's own pages. */
static const char *const reserved[] = {
	"about", "account", "admin", "api", "confirm", "edit", "healthz",
	"help", "hub", "login", "logout", "me", "new", "password", "rules",
	"settings", "signup", "static", "units", "www", NULL
};

static int
in(const char *const *list, const char *s)
{
	for (; *list != NULL; list++)
		if (strcmp(*list, s) == 0)
			return 1;
	return 0;
}

/* Why slug is not acceptable, or NULL. */
const char *
unit_slug_problem(const char *s)
{
	size_t	 len = strlen(s), i;

	if (len < 2 || len > 50)
		return "the address must have 2 to 50 characters";
	for (i = 0; i < len; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' &&
		    s[i] <= '9') || s[i] == '-'))
			return "the address may only have lowercase letters, "
			    "digits and hyphens (no spaces or capitals)";
	if (s[0] == '-' || s[len - 1] == '-')
		return "the address may not start or end with a hyphen";
	if (in(reserved, s))
		return "this address is reserved; choose another";
	return NULL;
}

static json_t *
form_data(struct req *r)
{
	json_t	*d, *v;
	size_t	 i;

	v = json_object();
	d = json_pack("{s:o, s:s}", "values", v, "csrf",
	    r->fmt == FMT_JSON ? "" : csrf_token(r));
	for (i = 0; i < r->form.n; i++)
		if (strcmp(r->form.v[i].key, "kind") == 0)
			json_object_set_new(v, arena_printf(r->a, "k_%s",
			    r->form.v[i].val), json_true());
		else if (strcmp(r->form.v[i].key, "channels") != 0)
			json_object_set_new(v, r->form.v[i].key,
			    json_string(r->form.v[i].val));
		else
			json_object_set_new(v, arena_printf(r->a, "ch_%s",
			    r->form.v[i].val), json_true());
	return d;
}

/* The channels as an array literal; NULL after answering 422. */
static const char *
channels(struct req *r, const char *view, json_t *data)
{
	json_t		*arr = r->json ? json_object_get(r->json, "channels") :
			    NULL, *e;
	const char	*c;
	char		*lit = arena_alloc(r->a, 128);
	size_t		 i, n = 0, k;
	int		 seen[8] = { 0 };

	lit[0] = '{';
	lit[1] = '\0';
	for (i = 0; ; i++) {
		if (r->json != NULL) {
			if (arr != NULL && !json_is_array(arr))
				goto bad;
			if (arr == NULL || i >= json_array_size(arr))
				break;
			e = json_array_get(arr, i);
			if (!json_is_string(e))
				goto bad;
			c = json_string_value(e);
		} else {
			if (i >= r->form.n)
				break;
			if (strcmp(r->form.v[i].key, "channels") != 0)
				continue;
			c = r->form.v[i].val;
		}
		if (!in(channel_names, c))
			goto bad;
		for (k = 0; strcmp(channel_names[k], c) != 0; k++)
			;
		if (seen[k]++)
			continue;
		strcat(lit, n++ ? "," : "");
		strcat(lit, c);
	}
	strcat(lit, "}");
	json_decref(data);
	return lit;
bad:
	form_fail(r, 422, view, data, "invalid", "channels", "channels "
	    "are blog, linkedin, x, facebook, instagram or other");
	return NULL;
}

static const char *
optional(struct req *r, const char *name)
{
	const char	*v = req_field(r, name);

	return v != NULL ? v : "";
}

int
units_new_get(struct req *r)
{
	return req_view(r, 200, "unit_new", form_data(r));
}

/*
 * Read and check the fields of a request into u, for view; the slug only
 * when with_slug.  Returns 0, or the status after answering (data is
 * then consumed).
 */
static int
unit_parse(struct req *r, const char *view, json_t *data,
    struct unit_new *u, int with_slug)
{
	const char	*why;
	int		 rc;

	if ((u->name = form_text(r, view, data, "name", "the name",
	    120)) == NULL)
		return r->resp.status;
	if (with_slug) {
		if ((u->slug = form_text(r, view, data, "slug", "the address",
		    300)) == NULL)
			return r->resp.status;
		if ((why = unit_slug_problem(u->slug)) != NULL)
			return form_fail(r, 422, view, data, "invalid", "slug",
			    why);
	}
	if ((u->kind = form_text(r, view, data, "kind", "the kind",
	    40)) == NULL)
		return r->resp.status;
	if (!in(kinds, u->kind))
		return form_fail(r, 422, view, data, "invalid", "kind",
		    "choose one of the kinds listed");
	if ((u->purpose = form_text(r, view, data, "purpose", "the purpose",
	    4000)) == NULL ||
	    (u->audience = form_text(r, view, data, "audience",
	    "the audience", 2000)) == NULL)
		return r->resp.status;
	u->parent = optional(r, "parent");
	u->region = optional(r, "region");
	if (*u->parent != '\0') {
		if ((rc = unit_db_exists(r, u->parent)) < 0 ||
		    (rc == 0 && db_sqlstate(r->db)[0] != '\0')) {
			json_decref(data);
			return req_db_fail(r, rc);
		}
		if (rc == 0)
			return form_fail(r, 422, view, data, "not_found",
			    "parent", "there is no unit with that address");
	}
	json_incref(data);
	if ((u->channels = channels(r, view, data)) == NULL) {
		json_decref(data);
		return r->resp.status;
	}
	return 0;
}

/* A statement refused a value (class 22 or 23): 422, else 0. */
static int
refused_value(struct req *r, const char *view, json_t *data)
{
	if (db_sqlstate(r->db)[0] != '2')
		return 0;
	return form_fail(r, 422, view, data, "invalid", NULL, "a field is "
	    "too long or not allowed");
}

int
units_post(struct req *r)
{
	struct unit_new	 u;
	json_t		*data = form_data(r), *after;
	long long	 id;
	int		 rc;

	memset(&u, 0, sizeof(u));
	if ((rc = unit_parse(r, "unit_new", data, &u, 1)) != 0)
		return rc;
	rc = unit_db_create(r, &u, &id);
	if (rc == 0 && strcmp(db_sqlstate(r->db), "23505") == 0)
		return form_fail(r, 409, "unit_new", data, "taken", "slug",
		    "this address is taken; choose another");
	if (rc != 1 && refused_value(r, "unit_new", data))
		return r->resp.status;
	json_decref(data);
	if (rc != 1)
		return req_db_fail(r, rc);
	after = json_pack("{s:s, s:s, s:s, s:s}", "slug", u.slug, "name",
	    u.name, "kind", u.kind, "state", "requested");
	rc = audit_add(r, "unit.request", "unit", u.slug, id, NULL, after);
	json_decref(after);
	if (rc != 1)
		return req_db_fail(r, rc);
	logm(L_INFO, r->id, "unit requested slug=%s person=%lld", u.slug,
	    r->sess->p.id);
	if (r->fmt == FMT_JSON)
		return req_view(r, 201, NULL, json_pack("{s:s, s:s}", "slug",
		    u.slug, "state", "requested"));
	return req_redirect(r, arena_printf(r->a, "/units/%s", u.slug));
}

/* The visible unit slug into *u: 0, or the status of the answer (404). */
static int
unit_load(struct req *r, const char *slug, json_t **u)
{
	int	 rc;

	if ((rc = unit_db_get(r, slug, u)) == 1)
		return 0;
	if (rc < 0 || db_sqlstate(r->db)[0] != '\0')
		return req_db_fail(r, rc);
	return req_fail(r, 404, "not_found", NULL, "there is no unit at this "
	    "address");
}

int
unit_edit_get(struct req *r)
{
	const char	*slug = kv_get(&r->params, "slug");
	json_t		*u, *v, *ch;
	size_t		 i;
	int		 rc;

	if ((rc = unit_load(r, slug, &u)) != 0)
		return rc;
	/* The form's values, as unit_new.html reads them. */
	v = json_deep_copy(u);
	json_object_set_new(v, arena_printf(r->a, "k_%s",
	    json_string_value(json_object_get(u, "kind"))), json_true());
	ch = json_object_get(u, "channels");
	for (i = 0; i < json_array_size(ch); i++)
		json_object_set_new(v, arena_printf(r->a, "ch_%s",
		    json_string_value(json_array_get(ch, i))), json_true());
	json_object_set_new(u, "values", v);
	json_object_set_new(u, "csrf", json_string(csrf_token(r)));
	return req_view(r, 200, "unit_edit", u);
}

int
unit_put(struct req *r)
{
	struct unit_new	 u;
	const char	*slug = kv_get(&r->params, "slug"), *state;
	json_t		*data = form_data(r), *before = NULL, *after = NULL;
	long long	 id;
	int		 rc;

	json_object_set_new(data, "slug", json_string(slug));
	memset(&u, 0, sizeof(u));
	u.slug = slug;
	if ((rc = unit_parse(r, "unit_edit", data, &u, 0)) != 0)
		return rc;
	rc = unit_db_update(r, &u, &id, &state, &before, &after);
	if (rc != 1 && refused_value(r, "unit_edit", data))
		return r->resp.status;
	json_decref(data);
	if (rc == 0 && db_sqlstate(r->db)[0] == '\0') {
		if ((rc = unit_db_exists(r, slug)) < 0)
			return req_db_fail(r, rc);
		if (rc == 1)
			return req_fail(r, 409, "illegal_transition", NULL,
			    "a request can only be edited while it waits for "
			    "a decision or for changes");
		return req_fail(r, 404, "not_found", NULL, "there is no unit "
		    "at this address");
	}
	if (rc != 1)
		return req_db_fail(r, rc);
	rc = audit_add(r, "unit.resubmit", "unit", slug, id, before, after);
	json_decref(before);
	json_decref(after);
	if (rc != 1)
		return req_db_fail(r, rc);
	logm(L_INFO, r->id, "unit resubmitted slug=%s person=%lld", slug,
	    r->sess->p.id);
	if (r->fmt == FMT_JSON)
		return req_view(r, 200, NULL, json_pack("{s:s, s:s}", "slug",
		    slug, "state", state));
	return req_redirect(r, arena_printf(r->a, "/units/%s", slug));
}

static const char *const states[] = {
	"requested", "approved", "rejected", "changes_requested",
	"suspended", "archived", NULL
};

int
units_list(struct req *r)
{
	const char	*state = kv_get(&r->query, "state");
	json_t		*list = json_array();
	int		 rc;

	if (state == NULL)
		state = r->fmt == FMT_JSON ? "" : "requested";
	if (*state != '\0' && !in(states, state)) {
		json_decref(list);
		return req_fail(r, 400, "invalid", "state", "state is one of "
		    "requested, approved, rejected, changes_requested, "
		    "suspended, archived");
	}
	if ((rc = unit_db_list(r, state, list)) != 1) {
		json_decref(list);
		return req_db_fail(r, rc);
	}
	if (r->fmt == FMT_JSON)
		return req_view(r, 200, NULL, json_pack("{s:o}", "units", list));
	return req_view(r, 200, "hub_queue", json_pack("{s:o, s:s}", "units",
	    list, "state", state));
}

int
unit_get(struct req *r)
{
	const char	*slug = kv_get(&r->params, "slug");
	json_t		*u;
	int		 rc;

	if ((rc = unit_load(r, slug, &u)) != 0)
		return rc;
	if (r->fmt == FMT_JSON)
		return req_view(r, 200, NULL, u);
	unit_page(r, u);
	return req_view(r, 200, "unit", u);
}

void
unit_page(struct req *r, json_t *u)
{
	const char	*state;

	state = json_string_value(json_object_get(u, "state"));
	json_object_set_new(u, "has_changes", json_boolean(json_array_size(
	    json_object_get(u, "changes")) > 0));
	json_object_set_new(u, "has_members", json_boolean(json_array_size(
	    json_object_get(u, "members")) > 0));
	json_object_set_new(u, "can_invite", json_boolean(strcmp(
	    json_string_value(json_object_get(u, "my_role")), "owner") == 0 ||
	    (r->sess != NULL && (r->sess->roles & HUB_ADMIN))));
	if (kv_get(&r->query, "invited") != NULL)
		json_object_set_new(u, "notice", json_string("The invitation "
		    "is on its way."));
	json_object_set_new(u, "can_edit", json_boolean(json_is_true(
	    json_object_get(u, "mine")) && (strcmp(state, "requested") == 0 ||
	    strcmp(state, "changes_requested") == 0)));
	membership_view(r, u);
}

/* decision → the state it leads to, and whether a reason is required. */
static const struct {
	const char	*decision, *state, *action;
	int		 needs_reason;
} moves[] = {
	{ "approve", "approved", "unit.approve", 0 },
	{ "reject", "rejected", "unit.reject", 1 },
	{ "request_changes", "changes_requested", "unit.request_changes", 1 },
};

int
unit_decide(struct req *r)
{
	const char	*slug = kv_get(&r->params, "slug");
	const char	*decision = req_field(r, "decision");
	const char	*reason = req_field(r, "reason");
	const char	*before, *email, *rname, *uname;
	json_t		*b, *a;
	long long	 id;
	size_t		 i;
	int		 rc;

	for (i = 0; decision != NULL && i < sizeof(moves) / sizeof(moves[0]);
	    i++)
		if (strcmp(moves[i].decision, decision) == 0)
			break;
	if (decision == NULL || i == sizeof(moves) / sizeof(moves[0]))
		return req_fail(r, 422, "invalid", "decision", "decision is "
		    "approve, reject or request_changes");
	if (reason == NULL)
		reason = "";
	if (strlen(reason) > 4000)
		return req_fail(r, 422, "too_long", "reason", "the reason must "
		    "be at most 4,000 characters");
	if (moves[i].needs_reason && strspn(reason, " \t\r\n") ==
	    strlen(reason))
		return req_fail(r, 422, "missing", "reason", "say why: the "
		    "requester sees this reason");
	rc = unit_db_decide(r, slug, moves[i].state, decision, reason,
	    &before, &id, &email, &rname, &uname);
	if (rc == 0 && strcmp(db_sqlstate(r->db), "CH409") == 0)
		return req_fail(r, 409, "illegal_transition", "decision",
		    "this request is no longer waiting for a decision");
	if (rc == 0 && db_sqlstate(r->db)[0] == '\0')
		return req_fail(r, 404, "not_found", NULL, "there is no unit "
		    "at this address");
	if (rc != 1)
		return req_db_fail(r, rc);
	b = json_pack("{s:s}", "state", before);
	a = json_pack("{s:s, s:s}", "state", moves[i].state, "reason", reason);
	rc = audit_add(r, moves[i].action, "unit", slug, id, b, a);
	json_decref(b);
	json_decref(a);
	if (rc != 1 || (rc = outbox_mail(r, email, "unit_decision", json_pack(
	    "{s:s, s:s, s:s, s:s, s:b, s:b, s:b}", "name", rname, "unit",
	    uname, "slug", slug, "reason", reason, "approved", i == 0,
	    "rejected", i == 1, "changes", i == 2))) != 1)
		return req_db_fail(r, rc);
	logm(L_INFO, r->id, "unit decision slug=%s decision=%s person=%lld",
	    slug, decision, r->sess->p.id);
	if (r->fmt == FMT_JSON)
		return req_view(r, 200, NULL, json_pack("{s:s, s:s}", "slug",
		    slug, "state", moves[i].state));
	return req_redirect(r, "/hub/queue");
}

int
units_mine(struct req *r)
{
	json_t	*list = json_array();
	int	 rc;

	if ((rc = unit_db_list_mine(r, list)) != 1) {
		json_decref(list);
		return req_db_fail(r, rc);
	}
	if (kv_get(&r->query, "left") != NULL)
		return req_view(r, 200, "units", json_pack("{s:o, s:s}",
		    "units", list, "notice", "You left the unit."));
	return req_view(r, 200, "units", json_pack("{s:o}", "units", list));
}
