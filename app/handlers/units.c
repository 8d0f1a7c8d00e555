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
#include "member_db.h"
#include "outbox.h"
#include "policy_db.h"
#include "req.h"
#include "session.h"
#include "unit_db.h"
#include "util.h"

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

/*
 * The hub's screening questions, as data["questions"] for the form, each
 * with the answer given (form field answer_<id>, or "answers" {"<id>":
 * "…"} in JSON), else the one in prefill (the unit's answers), else "".
 * 1, or the status after answering a database failure (data consumed).
 */
static int
questions_attach(struct req *r, json_t *data, json_t *prefill)
{
	json_t		*qs = json_array(), *q, *a, *given;
	const char	*v, *id;
	size_t		 i, j;
	int		 rc;

	if ((rc = question_db_list(r, 0, qs)) != 1) {
		json_decref(qs);
		json_decref(data);
		return req_db_fail(r, rc);
	}
	given = r->json != NULL ? json_object_get(r->json, "answers") : NULL;
	for (i = 0; i < json_array_size(qs); i++) {
		q = json_array_get(qs, i);
		id = arena_printf(r->a, "%lld", (long long)json_integer_value(
		    json_object_get(q, "id")));
		v = r->json != NULL ? json_string_value(json_object_get(given,
		    id)) : kv_get(&r->form, arena_printf(r->a, "answer_%s", id));
		for (j = 0; v == NULL && j < json_array_size(prefill); j++) {
			a = json_array_get(prefill, j);
			if (json_integer_value(json_object_get(a, "id")) ==
			    json_integer_value(json_object_get(q, "id")))
				v = json_string_value(json_object_get(a,
				    "answer"));
		}
		json_object_set_new(q, "value", json_string(v ? v : ""));
	}
	json_object_set_new(data, "questions", qs);
	return 1;
}

/*
 * Check the answers attached by questions_attach() into *out
 * ({"<id>": "answer"}, non-empty ones, new reference): 0, or the status
 * after answering 422 naming the question (data consumed).
 */
static int
answers_check(struct req *r, const char *view, json_t *data, json_t **out)
{
	json_t		*qs = json_object_get(data, "questions"), *q, *given;
	const char	*v, *id, *key, *field;
	const char	*p;
	size_t		 i, n;

	*out = NULL;
	if (r->json != NULL && (given = json_object_get(r->json,
	    "answers")) != NULL) {
		if (!json_is_object(given))
			return form_fail(r, 422, view, data, "invalid",
			    "answers", "answers is an object of question id "
			    "to answer");
		json_object_foreach(given, key, q) {
			for (i = 0; i < json_array_size(qs); i++)
				if (strcmp(key, arena_printf(r->a, "%lld",
				    (long long)json_integer_value(json_object_get(
				    json_array_get(qs, i), "id")))) == 0)
					break;
			if (i == json_array_size(qs) || !json_is_string(q))
				return form_fail(r, 422, view, data, "invalid",
				    arena_printf(r->a, "answers.%s", key),
				    "each answer is text, to a question the "
				    "hub asks (see GET /api/v1/approval-policy)");
		}
	}
	*out = json_object();
	for (i = 0; i < json_array_size(qs); i++) {
		q = json_array_get(qs, i);
		id = arena_printf(r->a, "%lld", (long long)json_integer_value(
		    json_object_get(q, "id")));
		field = r->json != NULL ? arena_printf(r->a, "answers.%s", id) :
		    arena_printf(r->a, "answer_%s", id);
		v = json_string_value(json_object_get(q, "value"));
		for (n = 0, p = v; *p != '\0'; p++)
			n += ((unsigned char)*p & 0xc0) != 0x80;
		if (n > 4000 || (json_is_true(json_object_get(q, "required")) &&
		    strspn(v, " \t\r\n") == strlen(v))) {
			json_decref(*out);
			*out = NULL;
			json_object_set_new(q, "error", json_string(n > 4000 ?
			    "an answer must be at most 4,000 characters" :
			    "this question needs an answer"));
			return form_fail(r, 422, view, data, n > 4000 ?
			    "too_long" : "missing", field, json_string_value(
			    json_object_get(q, "error")));
		}
		if (*v != '\0')
			json_object_set_new(*out, id, json_string(v));
	}
	return 0;
}

int
units_new_get(struct req *r)
{
	json_t	*data = form_data(r);
	int	 rc;

	if ((rc = questions_attach(r, data, NULL)) != 1)
		return rc;
	return req_view(r, 200, "unit_new", data);
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
	const char	*why, *state;
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
		if (u->slug != NULL && strcmp(u->parent, u->slug) == 0)
			return form_fail(r, 422, view, data, "invalid",
			    "parent", "a unit cannot be its own parent");
		if ((rc = unit_db_state(r, u->parent, &state)) < 0 ||
		    (rc == 0 && db_sqlstate(r->db)[0] != '\0')) {
			json_decref(data);
			return req_db_fail(r, rc);
		}
		if (rc == 0)
			return form_fail(r, 422, view, data, "not_found",
			    "parent", "there is no unit with that address");
		if (strcmp(state, "approved") != 0)
			return form_fail(r, 422, view, data, "invalid",
			    "parent", "the parent must be an approved unit");
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
	/* The parent trigger: below itself, or not approved (any more). */
	if (strcmp(db_sqlstate(r->db), "CH422") == 0)
		return form_fail(r, 422, view, data, "invalid", "parent",
		    "the parent must be another approved unit, not one of "
		    "this unit's own units");
	if (db_sqlstate(r->db)[0] != '2')
		return 0;
	return form_fail(r, 422, view, data, "invalid", NULL, "a field is "
	    "too long or not allowed");
}

int
units_post(struct req *r)
{
	struct unit_new	 u;
	json_t		*data = form_data(r), *after, *answers = NULL;
	const char	*why = NULL;
	long long	 id;
	int		 rc;

	memset(&u, 0, sizeof(u));
	if ((rc = questions_attach(r, data, NULL)) != 1)
		return rc;
	json_incref(data);
	if ((rc = unit_parse(r, "unit_new", data, &u, 1)) != 0 ||
	    (rc = answers_check(r, "unit_new", data, &answers)) != 0) {
		json_decref(data);
		return rc;
	}
	json_decref(data);
	rc = unit_db_create(r, &u, &id);
	if (rc == 1)
		rc = answers_db_put(r, u.slug, answers);
	json_decref(answers);
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
	/* The policy may approve it at once, in this transaction. */
	if (rc == 1)
		rc = policy_db_auto(r, id, &why);
	if (rc == 1 && why != NULL)
		rc = outbox_mail(r, r->sess->p.email, "unit_decision", json_pack(
		    "{s:s, s:s, s:s, s:s, s:b}", "name", r->sess->p.name,
		    "unit", u.name, "slug", u.slug, "reason", arena_printf(r->a,
		    "Approved automatically by the approval policy (%s).",
		    why), "approved", 1));
	if (rc != 1)
		return req_db_fail(r, rc);
	logm(L_INFO, r->id, "unit requested slug=%s person=%lld%s", u.slug,
	    r->sess->p.id, why != NULL ? " approved=automatic" : "");
	if (r->fmt == FMT_JSON)
		return req_view(r, 201, NULL, json_pack("{s:s, s:s}", "slug",
		    u.slug, "state", why != NULL ? "approved" : "requested"));
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
	if ((rc = questions_attach(r, u, json_object_get(u, "answers"))) != 1)
		return rc;
	return req_view(r, 200, "unit_edit", u);
}

/*
 * Why unit slug's request could not be edited: 404 when it may not be
 * seen, 403 for anyone but its current owners, else 409 (decided).
 */
static int
edit_refused(struct req *r, const char *slug)
{
	const char	*role;
	json_t		*u;
	int		 rc, owner;

	if ((rc = unit_db_get(r, slug, &u)) != 1) {
		if (rc < 0 || db_sqlstate(r->db)[0] != '\0')
			return req_db_fail(r, rc);
		return req_fail(r, 404, "not_found", NULL, "there is no unit "
		    "at this address");
	}
	role = json_string_value(json_object_get(u, "my_role"));
	owner = role != NULL && strcmp(role, "owner") == 0;
	json_decref(u);
	if (!owner)
		return req_fail(r, 403, "forbidden", NULL, "only the unit's "
		    "owners edit its request");
	return req_fail(r, 409, "illegal_transition", NULL, "a request can "
	    "only be edited while it waits for a decision or for changes");
}

int
unit_put(struct req *r)
{
	struct unit_new	 u;
	const char	*slug = kv_get(&r->params, "slug"), *state;
	json_t		*data = form_data(r), *before = NULL, *after = NULL;
	json_t		*answers = NULL;
	long long	 id;
	int		 rc;

	json_object_set_new(data, "slug", json_string(slug));
	memset(&u, 0, sizeof(u));
	u.slug = slug;
	if ((rc = questions_attach(r, data, NULL)) != 1)
		return rc;
	json_incref(data);
	if ((rc = unit_parse(r, "unit_edit", data, &u, 0)) != 0 ||
	    (rc = answers_check(r, "unit_edit", data, &answers)) != 0) {
		json_decref(data);
		return rc;
	}
	json_decref(data);
	rc = unit_db_update(r, &u, &id, &state, &before, &after);
	if (rc == 1 && (rc = answers_db_put(r, slug, answers)) != 1) {
		json_decref(before);
		json_decref(after);
		before = after = NULL;
	}
	json_decref(answers);
	if (rc != 1 && refused_value(r, "unit_edit", data))
		return r->resp.status;
	if (rc == 0 && strcmp(db_sqlstate(r->db), "CH409") == 0)
		return form_fail(r, 409, "unit_edit", data, "parent_locked",
		    "parent", "the parent cannot change while the request "
		    "waits for a decision");
	json_decref(data);
	if (rc == 0 && (db_sqlstate(r->db)[0] == '\0' ||
	    strcmp(db_sqlstate(r->db), "42501") == 0))
		return edit_refused(r, slug);
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
	const char	*state = kv_get(&r->query, "state"), *n;
	json_t		*list = json_array(), *reasons, *page;
	int		 rc;

	if (state == NULL)
		state = r->fmt == FMT_JSON ? "" : "requested";
	if (*state != '\0' && !in(states, state)) {
		json_decref(list);
		return req_fail(r, 400, "invalid", "state", "state is one of "
		    "requested, approved, rejected, changes_requested, "
		    "suspended, archived");
	}
	/* The reason codes first: the list is the transaction's last read. */
	reasons = json_array();
	if ((r->fmt != FMT_JSON && (rc = reason_db_list(r, 0,
	    reasons)) != 1) || (rc = unit_db_list(r, state, list)) != 1) {
		json_decref(list);
		json_decref(reasons);
		return req_db_fail(r, rc);
	}
	if (r->fmt == FMT_JSON)
		json_decref(reasons);
	if (r->fmt == FMT_JSON)
		return req_view(r, 200, NULL, json_pack("{s:o}", "units", list));
	page = json_pack("{s:b, s:o, s:o, s:s, s:s}", "has_units",
	    json_array_size(list) > 0, "units", list, "reasons", reasons,
	    "state", state, "csrf", csrf_token(r));
	if ((n = kv_get(&r->query, "approved")) != NULL && strlen(n) < 4 &&
	    strspn(n, "0123456789") == strlen(n))
		json_object_set_new(page, "notice", json_string(arena_printf(
		    r->a, "%s approved; each requester is told by e-mail.",
		    strcmp(n, "1") == 0 ? "One request" : arena_printf(r->a,
		    "%s requests", n))));
	return req_view(r, 200, "hub_queue", page);
}

/* The pending invitations of unit slug into its page u, with notices. */
static int
unit_invitations(struct req *r, const char *slug, json_t *u)
{
	json_t	*inv = json_array();
	int	 rc;

	json_object_set_new(u, "invitations", inv);
	if ((rc = member_db_invitations(r, slug, inv)) != 1)
		return rc;
	json_object_set_new(u, "has_invitations", json_boolean(
	    json_array_size(inv) > 0));
	if (kv_get(&r->query, "revoked") != NULL)
		json_object_set_new(u, "notice", json_string("The invitation "
		    "is revoked: its link no longer works."));
	return 1;
}

int
unit_get(struct req *r)
{
	const char	*slug = kv_get(&r->params, "slug");
	json_t		*u, *reasons;
	int		 rc;

	if ((rc = unit_load(r, slug, &u)) != 0)
		return rc;
	if (r->fmt == FMT_JSON)
		return req_view(r, 200, NULL, u);
	unit_page(r, u);
	if (json_is_true(json_object_get(u, "can_manage")) &&
	    (rc = unit_invitations(r, slug, u)) != 1) {
		json_decref(u);
		return req_db_fail(r, rc);
	}
	/* A request this person may decide: the decision form's codes. */
	if (json_is_true(json_object_get(u, "can_decide")) && strcmp(
	    json_string_value(json_object_get(u, "state")), "requested") == 0) {
		reasons = json_array();
		if ((rc = reason_db_list(r, 0, reasons)) != 1) {
			json_decref(reasons);
			json_decref(u);
			return req_db_fail(r, rc);
		}
		json_object_set_new(u, "reasons", reasons);
		json_object_set_new(u, "decide_now", json_true());
	}
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
	json_object_set_new(u, "has_answers", json_boolean(json_array_size(
	    json_object_get(u, "answers")) > 0));
	json_object_set_new(u, "is_approved", json_boolean(strcmp(state,
	    "approved") == 0));
	json_object_set_new(u, "is_suspended", json_boolean(strcmp(state,
	    "suspended") == 0));
	json_object_set_new(u, "is_archived", json_boolean(strcmp(state,
	    "archived") == 0));
	json_object_set_new(u, "lifecycle", json_boolean(r->sess != NULL &&
	    (r->sess->roles & HUB_ADMIN) && strcmp(state, "archived") != 0));
	membership_view(r, u);
}

/*
 * decision → the state it leads to, whether a reason is required, and
 * whether only hub admins make it (delegated approvers decide requests
 * only).  The database checks the same (units_check_move).
 */
static const struct move {
	const char	*decision, *state, *action, *mail;
	int		 needs_reason, hub_only;
} moves[] = {
	{ "approve", "approved", "unit.approve", "approved", 0, 0 },
	{ "reject", "rejected", "unit.reject", "rejected", 1, 0 },
	{ "request_changes", "changes_requested", "unit.request_changes",
	  "changes", 1, 0 },
	{ "suspend", "suspended", "unit.suspend", "suspended", 1, 1 },
	{ "reinstate", "approved", "unit.reinstate", "reinstated", 0, 1 },
	{ "archive", "archived", "unit.archive", "archived", 0, 1 },
};

static const struct move *
move_find(const char *decision)
{
	size_t	 i;

	for (i = 0; decision != NULL && i < NELEM(moves); i++)
		if (strcmp(moves[i].decision, decision) == 0)
			return &moves[i];
	return NULL;
}

/*
 * Make move m on unit slug: check that the acting person may, compose
 * the reason (code's message, then the free text), move, record, audit
 * and mail the requester.  0, or the status after answering.
 */
static int
decide_one(struct req *r, const char *slug, const struct move *m,
    const char *code, const char *text)
{
	const char	*before, *email, *rname, *uname, *reason = text;
	json_t		*b, *a;
	long long	 id;
	int		 rc, admin = (r->sess->roles & HUB_ADMIN) != 0;

	if (!admin) {
		if ((rc = policy_db_may_decide(r, slug)) < 0 ||
		    (rc == 0 && db_sqlstate(r->db)[0] != '\0'))
			return req_db_fail(r, rc);
		if (rc == 0)
			return req_fail(r, 404, "not_found", NULL, "there is "
			    "no unit at this address");
		if (rc == 2 || m->hub_only)
			return req_fail(r, 403, "forbidden", "decision", "%s",
			    m->hub_only ? "only hub admins suspend, reinstate "
			    "or archive a unit" : "only the hub's approvers "
			    "decide this request");
	}
	if (*code != '\0') {
		if ((rc = reason_db_compose(r, code, slug, &reason)) == 0 &&
		    db_sqlstate(r->db)[0] == '\0')
			return req_fail(r, 422, "invalid", "reason_code",
			    "choose one of the reason codes in use");
		if (rc != 1)
			return req_db_fail(r, rc);
		if (*text != '\0')
			reason = arena_printf(r->a, "%s\n\n%s", reason, text);
	}
	rc = unit_db_decide(r, slug, m->state, m->decision, reason, code,
	    &before, &id, &email, &rname, &uname);
	if (rc == 0 && db_sqlstate(r->db)[0] == '\0') {
		/* Nothing moved: no such unit, or it is in that state. */
		if ((rc = unit_db_exists(r, slug)) == 1)
			return req_fail(r, 409, "illegal_transition",
			    "decision", "%s: the unit is %s already",
			    m->decision, m->state);
		if (rc < 0 || db_sqlstate(r->db)[0] != '\0')
			return req_db_fail(r, rc);
		return req_fail(r, 404, "not_found", NULL, "there is no unit "
		    "at this address");
	}
	if (rc == 0 && strcmp(db_sqlstate(r->db), "CH409") == 0)
		return req_fail(r, 409, "illegal_transition", "decision",
		    m->hub_only ? "%s: not possible for a unit in its present "
		    "state" : "%s: this request is no longer waiting for a "
		    "decision", m->decision);
	if (rc == 0 && strcmp(db_sqlstate(r->db), "42501") == 0)
		return req_fail(r, 403, "forbidden", "decision", "only the "
		    "hub's approvers decide this request");
	if (rc != 1)
		return req_db_fail(r, rc);
	b = json_pack("{s:s}", "state", before);
	a = json_pack("{s:s, s:s, s:s?}", "state", m->state, "reason", reason,
	    "reason_code", *code ? code : NULL);
	rc = audit_add(r, m->action, "unit", slug, id, b, a);
	json_decref(b);
	json_decref(a);
	if (rc != 1 || (rc = outbox_mail(r, email, "unit_decision", json_pack(
	    "{s:s, s:s, s:s, s:s, s:b}", "name", rname, "unit", uname, "slug",
	    slug, "reason", reason, m->mail, 1))) != 1)
		return req_db_fail(r, rc);
	logm(L_INFO, r->id, "unit decision slug=%s decision=%s person=%lld",
	    slug, m->decision, r->sess->p.id);
	return 0;
}

/*
 * The decision's fields: the move, the reason code and the free text.
 * NULL move after answering 422.
 */
static const struct move *
decision_read(struct req *r, const char **code, const char **text)
{
	const struct move *m = move_find(req_field(r, "decision"));

	if ((*code = req_field(r, "reason_code")) == NULL)
		*code = "";
	if ((*text = req_field(r, "reason")) == NULL)
		*text = "";
	if (strspn(*text, " \t\r\n") == strlen(*text))
		*text = "";
	if (m == NULL)
		req_fail(r, 422, "invalid", "decision", "decision is approve, "
		    "reject, request_changes, suspend, reinstate or archive");
	else if (strlen(*text) > 4000) {
		req_fail(r, 422, "too_long", "reason", "the reason must be at "
		    "most 4,000 characters");
		m = NULL;
	} else if (**code != '\0' && strcmp(m->decision, "reject") != 0 &&
	    strcmp(m->decision, "request_changes") != 0) {
		req_fail(r, 422, "invalid", "reason_code", "a reason code goes "
		    "with a rejection or a change request only");
		m = NULL;
	} else if (m->needs_reason && **code == '\0' && **text == '\0') {
		req_fail(r, 422, "missing", "reason", "say why: the requester "
		    "sees this reason");
		m = NULL;
	}
	return m;
}

int
unit_decide(struct req *r)
{
	const char		*slug = kv_get(&r->params, "slug");
	const char		*code, *text, *next;
	const struct move	*m;
	int			 rc;

	if ((m = decision_read(r, &code, &text)) == NULL)
		return r->resp.status;
	if ((rc = decide_one(r, slug, m, code, text)) != 0)
		return rc;
	if (r->fmt == FMT_JSON)
		return req_view(r, 200, NULL, json_pack("{s:s, s:s}", "slug",
		    slug, "state", m->state));
	next = req_field(r, "next");
	return req_redirect(r, req_local_path(next) ? next : "/hub/queue");
}

#define BULK_MAX	100

/*
 * Approve many requests at once: all of them or, when one cannot be
 * approved, none (the transaction is rolled back; the answer names it).
 */
int
units_bulk_approve(struct req *r)
{
	const struct move *m = move_find("approve");
	json_t		*slugs = r->json ? json_object_get(r->json, "slugs") :
			    NULL, *done;
	const char	*slug, *d = req_field(r, "decision");
	size_t		 i, n = 0;
	int		 rc;

	if (r->json != NULL && (d == NULL || strcmp(d, "approve") != 0))
		return req_fail(r, 422, "invalid", "decision", "only approve "
		    "is made in bulk");
	if (r->json != NULL && !json_is_array(slugs))
		return req_fail(r, 422, "invalid", "slugs", "slugs is a list "
		    "of unit addresses");
	done = json_array();
	for (i = 0; ; i++) {
		if (r->json != NULL) {
			if (i >= json_array_size(slugs))
				break;
			slug = json_string_value(json_array_get(slugs, i));
		} else {
			if (i >= r->form.n)
				break;
			if (strcmp(r->form.v[i].key, "slug") != 0)
				continue;
			slug = r->form.v[i].val;
		}
		if (slug == NULL || unit_slug_problem(slug) != NULL) {
			json_decref(done);
			return req_fail(r, 422, "invalid", "slugs", "each item "
			    "is the address of a unit");
		}
		if (++n > BULK_MAX) {
			json_decref(done);
			return req_fail(r, 422, "too_many", "slugs", "at most "
			    "100 requests at once");
		}
		if ((rc = decide_one(r, slug, m, "", "")) != 0) {
			json_decref(done);
			return req_fail(r, rc, r->resp.err.code, "slugs",
			    "%s: %s; nothing was approved", slug,
			    arena_strdup(r->a, r->resp.err.message));
		}
		json_array_append_new(done, json_string(slug));
	}
	if (n == 0) {
		json_decref(done);
		return req_fail(r, 422, "missing", "slugs", "choose at least "
		    "one request");
	}
	if (r->fmt == FMT_JSON)
		return req_view(r, 200, NULL, json_pack("{s:o, s:s}",
		    "approved", done, "state", "approved"));
	json_decref(done);
	return req_redirect(r, arena_printf(r->a, "/hub/queue?approved=%zu",
	    n));
}

int
units_mine(struct req *r)
{
	json_t	*list = json_array(), *waiting = json_array(), *mine, *u;
	json_t	*page;
	size_t	 i;
	int	 rc;

	/* Requests this person may decide as a delegated approver (hub
	 * admins have the queue), then their own units, the last read. */
	if ((!(r->sess->roles & HUB_ADMIN) && (rc = unit_db_list(r,
	    "requested", waiting)) != 1) ||
	    (rc = unit_db_list_mine(r, list)) != 1) {
		json_decref(list);
		json_decref(waiting);
		return req_db_fail(r, rc);
	}
	mine = json_array();
	json_array_foreach(waiting, i, u)
		if (json_is_true(json_object_get(u, "can_decide")))
			json_array_append(mine, u);
	json_decref(waiting);
	page = json_pack("{s:o, s:o, s:b}", "units", list, "to_decide", mine,
	    "has_to_decide", json_array_size(mine) > 0);
	if (kv_get(&r->query, "left") != NULL)
		json_object_set_new(page, "notice", json_string("You left the "
		    "unit."));
	return req_view(r, 200, "units", page);
}
