/*
 * units.c: units (workspaces): requesting one and seeing them, as pages
 * and as the JSON API (the hub's decisions are in decide.c).  Row-level
 * security decides what each person sees: a unit that is not visible is
 * "not found" (404), never "forbidden", so existence does not leak.
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
#include "input.h"
#include "log.h"
#include "member_db.h"
#include "outbox.h"
#include "policy_db.h"
#include "req.h"
#include "session.h"
#include "unit_db.h"
#include "utf8.h"
#include "util.h"

const char *const unit_kinds[] = {
	"chapter", "franchise", "dealership", "regional_market", "department",
	"agency_team", "other", NULL
};

static const char *const channel_names[] = {
	"blog", "linkedin", "x", "facebook", "instagram", "other", NULL
};

/* The request form's fields, read in this order. */
enum { U_NAME, U_SLUG, U_KIND, U_PURPOSE, U_AUDIENCE, U_PARENT, U_REGION,
	U_CHANNELS, U__MAX };

#define UNIT_FIELDS \
	[U_NAME] = { .name = "name", .type = IN_TEXT, .flags = IN_REQUIRED, \
	    .max = 120, .label = "the name" }, \
	[U_KIND] = { .name = "kind", .type = IN_ENUM, .flags = IN_REQUIRED, \
	    .allowed = unit_kinds, .label = "the kind", .echo = "k_", \
	    .invalid = "choose one of the kinds listed" }, \
	[U_PURPOSE] = { .name = "purpose", .type = IN_TEXT, \
	    .flags = IN_REQUIRED, .max = 4000, .label = "the purpose" }, \
	[U_AUDIENCE] = { .name = "audience", .type = IN_TEXT, \
	    .flags = IN_REQUIRED, .max = 2000, .label = "the audience" }, \
	[U_PARENT] = { .name = "parent", .type = IN_TEXT, \
	    .label = "the parent" }, \
	[U_REGION] = { .name = "region", .type = IN_TEXT, \
	    .label = "the region" }, \
	[U_CHANNELS] = { .name = "channels", .type = IN_LIST, \
	    .allowed = channel_names, .echo = "ch_", .invalid = "channels " \
	    "are blog, linkedin, x, facebook, instagram or other" }

static const struct input_field new_fields[U__MAX] = {
	UNIT_FIELDS,
	[U_SLUG] = { .name = "slug", .type = IN_SLUG, .flags = IN_REQUIRED,
	    .label = "the address" },
};

/* An edit keeps the address: the slug is not read. */
static const struct input_field edit_fields[U__MAX] = { UNIT_FIELDS };

static json_t	*unit_form_page(struct req *, json_t *, const char *,
		    const char *);

const struct input_form unit_new_input = {
	new_fields, U__MAX, "unit_new", unit_form_page, 0
};
const struct input_form unit_edit_input = {
	edit_fields, U__MAX, "unit_edit", unit_form_page, 0
};

/*
 * The hub's screening questions, as data["questions"] for the form, each
 * with the answer given (form field answer_<id>, or "answers" {"<id>":
 * "…"} in JSON), else the one in prefill (the unit's answers), else "".
 * qs is the list of questions (arena-owned).
 */
static void
questions_put(struct req *r, json_t *data, json_t *qs, json_t *prefill)
{
	json_t		*q, *a, *given;
	const char	*v, *id;
	size_t		 i, j;

	given = r->json != NULL ? json_object_get(r->json, "answers") : NULL;
	json_array_foreach(qs, i, q) {
		id = arena_printf(r->a, "%lld", (long long)json_integer_value(
		    json_object_get(q, "id")));
		v = r->json != NULL ?
		    json_string_value(json_object_get(given, id)) :
		    kv_get(&r->form, arena_printf(r->a, "answer_%s", id));
		for (j = 0; v == NULL && j < json_array_size(prefill); j++) {
			a = json_array_get(prefill, j);
			if (json_integer_value(json_object_get(a, "id")) ==
			    json_integer_value(json_object_get(q, "id")))
				v = json_string_value(json_object_get(a,
				    "answer"));
		}
		json_object_set_new(q, "value", json_string(v ? v : ""));
	}
	json_object_set(data, "questions", qs);
}

/* The questions (arena-owned), or NULL after answering a database
 * failure. */
static json_t *
questions_load(struct req *r)
{
	json_t	*qs = req_array(r);

	if (question_db_list(r, 0, qs) < 0) {
		req_db_fail(r);
		return NULL;
	}
	return qs;
}

/*
 * The request form again around values, with the questions qs (both
 * arena-owned) and, for an edit, the unit being edited; arena-owned.
 */
static json_t *
unit_form(struct req *r, json_t *values, json_t *qs)
{
	json_t	*d;

	d = req_json_own(r, r->unit != NULL ? json_deep_copy(r->unit) :
	    json_object());
	json_object_set(d, "values", values);
	json_object_set_new(d, "csrf", json_string(csrf_token(r)));
	questions_put(r, d, qs, NULL);
	return d;
}

/* The form's page data, read only when it is shown again. */
static json_t *
unit_form_page(struct req *r, json_t *values, const char *field,
    const char *msg)
{
	json_t	*qs;

	(void)field;
	(void)msg;
	if ((qs = questions_load(r)) == NULL)
		return NULL;
	return unit_form(r, values, qs);
}

/*
 * Refuse answer id (a question of qs, borrowed) or, id NULL, the request
 * as a whole: the form again with the message beside it.  Returns status.
 */
static int
unit_refuse(struct req *r, json_t *qs, const char *id, int status,
    const char *code, const char *field, const char *msg)
{
	json_t	*d, *q;
	size_t	 i;

	if (r->fmt == FMT_JSON)
		return req_fail(r, status, code, field, "%s", msg);
	d = unit_form(r, input_values(r), req_json_own(r,
	    json_deep_copy(qs)));
	json_array_foreach(json_object_get(d, "questions"), i, q)
		if (id != NULL && strcmp(id, arena_printf(r->a, "%lld",
		    (long long)json_integer_value(json_object_get(q,
		    "id")))) == 0)
			json_object_set_new(q, "error", json_string(msg));
	return input_show(r, status, r->route->input->view, d, code, field,
	    msg);
}

/*
 * The answers to the hub's questions qs (borrowed) into *out ({"<id>":
 * "answer"}, non-empty ones, arena-owned): 0, or the status after
 * answering 422 naming the question.
 */
static int
answers_read(struct req *r, json_t *qs, json_t **out)
{
	json_t		*q, *given = NULL;
	const char	*v, *id, *key;
	size_t		 i;

	*out = NULL;
	if (r->json != NULL && (given = json_object_get(r->json,
	    "answers")) != NULL && !json_is_object(given))
		return req_fail(r, 422, "invalid", "answers", "answers is an "
		    "object of question id to answer");
	json_object_foreach(given, key, q) {
		for (i = 0; i < json_array_size(qs); i++)
			if (strcmp(key, arena_printf(r->a, "%lld", (long long)
			    json_integer_value(json_object_get(json_array_get(
			    qs, i), "id")))) == 0)
				break;
		if (i == json_array_size(qs) || !json_is_string(q))
			return req_fail(r, 422, "invalid", arena_printf(r->a,
			    "answers.%s", key), "each answer is text, to a "
			    "question the hub asks (see GET "
			    "/api/v1/approval-policy)");
	}
	*out = req_json_own(r, json_object());
	json_array_foreach(qs, i, q) {
		id = arena_printf(r->a, "%lld", (long long)json_integer_value(
		    json_object_get(q, "id")));
		v = r->json != NULL ?
		    json_string_value(json_object_get(given, id)) :
		    kv_get(&r->form, arena_printf(r->a, "answer_%s", id));
		if (v == NULL)
			v = "";
		if (utf8_chars(v) > 4000)
			return unit_refuse(r, qs, id, 422, "too_long",
			    arena_printf(r->a, r->json ? "answers.%s" :
			    "answer_%s", id), "an answer must be at most 4,000 "
			    "characters");
		if (json_is_true(json_object_get(q, "required")) &&
		    strspn(v, " \t\r\n") == strlen(v))
			return unit_refuse(r, qs, id, 422, "missing",
			    arena_printf(r->a, r->json ? "answers.%s" :
			    "answer_%s", id), "this question needs an answer");
		if (*v != '\0')
			json_object_set_new(*out, id, json_string(v));
	}
	return 0;
}

int
units_new_get(struct req *r)
{
	json_t	*qs;

	if ((qs = questions_load(r)) == NULL)
		return r->resp.status;
	return req_view(r, 200, "unit_new", unit_form(r, req_object(r), qs));
}

/*
 * The request's fields into u (its slug already set), with the parent
 * checked and the channels as an array literal.  Returns 0, or the
 * status after answering; qs (borrowed) shows the form again.
 */
static int
unit_read(struct req *r, json_t *qs, struct unit_new *u)
{
	const char	*state;
	json_t		*ch;
	size_t		 i;
	int		 rc;

	u->name = input_text(r, U_NAME);
	u->kind = input_text(r, U_KIND);
	u->purpose = input_text(r, U_PURPOSE);
	u->audience = input_text(r, U_AUDIENCE);
	u->parent = input_text(r, U_PARENT);
	u->region = input_text(r, U_REGION);
	u->channels = "{";
	ch = input_list(r, U_CHANNELS);
	for (i = 0; i < json_array_size(ch); i++)
		u->channels = arena_printf(r->a, "%s%s%s", u->channels,
		    i ? "," : "", json_string_value(json_array_get(ch, i)));
	u->channels = arena_printf(r->a, "%s}", u->channels);
	if (*u->parent == '\0')
		return 0;
	if (strcmp(u->parent, u->slug) == 0)
		return unit_refuse(r, qs, NULL, 422, "invalid", "parent",
		    "a unit cannot be its own parent");
	if ((rc = unit_db_state(r, u->parent, &state)) < 0)
		return req_db_fail(r);
	if (rc == 0)
		return unit_refuse(r, qs, NULL, 422, "not_found", "parent",
		    "there is no unit with that address");
	if (strcmp(state, "approved") != 0)
		return unit_refuse(r, qs, NULL, 422, "invalid", "parent",
		    "the parent must be an approved unit");
	return 0;
}

/* Mail the requester of a unit the policy approved at once. */
static int
units_auto_mail(struct req *r, const struct unit_new *u, const char *why)
{
	return outbox_mail(r, r->sess->p.email, "unit_decision", req_pack(r,
	    "{s:s, s:s, s:s, s:s, s:b}", "name", r->sess->p.name, "unit",
	    u->name, "slug", u->slug, "reason", arena_printf(r->a, "Approved "
	    "automatically by the approval policy (%s).", why), "approved",
	    1));
}

int
units_post(struct req *r)
{
	struct unit_new	 u;
	json_t		*qs, *after, *answers;
	const char	*why = NULL;
	long long	 id;
	int		 rc;

	memset(&u, 0, sizeof(u));
	u.slug = input_text(r, U_SLUG);
	if ((qs = questions_load(r)) == NULL)
		return r->resp.status;
	if ((rc = unit_read(r, qs, &u)) != 0 ||
	    (rc = answers_read(r, qs, &answers)) != 0)
		return rc;
	/* A taken address or a refused parent: the statement's refusals. */
	if (unit_db_create(r, &u, &id) < 0 ||
	    answers_db_put(r, u.slug, answers) < 0)
		return req_db_fail(r);
	after = req_pack(r, "{s:s, s:s, s:s, s:s}", "slug", u.slug, "name",
	    u.name, "kind", u.kind, "state", "requested");
	/* The policy may approve it at once, in this transaction. */
	if (audit_add(r, "unit.request", "unit", u.slug, id, NULL, after) < 0 ||
	    policy_db_auto(r, id, &why) < 0 ||
	    (why != NULL && units_auto_mail(r, &u, why) < 0))
		return req_db_fail(r);
	logm(L_INFO, r->id, "unit requested slug=%s person=%lld%s", u.slug,
	    r->sess->p.id, why != NULL ? " approved=automatic" : "");
	if (r->fmt == FMT_JSON)
		return req_view(r, 201, NULL, req_pack(r, "{s:s, s:s}", "slug",
		    u.slug, "state", why != NULL ? "approved" : "requested"));
	return req_redirect(r, arena_printf(r->a, "/units/%s", u.slug));
}

int
unit_edit_get(struct req *r)
{
	json_t		*u = r->unit, *v, *ch, *qs;
	size_t		 i;

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
	if ((qs = questions_load(r)) == NULL)
		return r->resp.status;
	questions_put(r, u, qs, json_object_get(u, "answers"));
	return req_view(r, 200, "unit_edit", u);
}

int
unit_put(struct req *r)
{
	struct unit_new	 u;
	const char	*slug = kv_get(&r->params, "slug"), *state;
	json_t		*qs, *before, *after, *answers;
	long long	 id;
	int		 rc;

	memset(&u, 0, sizeof(u));
	u.slug = slug;
	if ((qs = questions_load(r)) == NULL)
		return r->resp.status;
	if ((rc = unit_read(r, qs, &u)) != 0 ||
	    (rc = answers_read(r, qs, &answers)) != 0)
		return rc;
	/* Decided or taken over since the dispatcher looked. */
	if ((rc = unit_db_update(r, &u, &id, &state, &before, &after)) == 0)
		return req_fail(r, 409, "illegal_transition", NULL, "%s",
		    unit_db_not_waiting);
	if (rc < 0 || answers_db_put(r, slug, answers) < 0 ||
	    audit_add(r, "unit.resubmit", "unit", slug, id, before,
	    after) < 0)
		return req_db_fail(r);
	logm(L_INFO, r->id, "unit resubmitted slug=%s person=%lld", slug,
	    r->sess->p.id);
	if (r->fmt == FMT_JSON)
		return req_view(r, 200, NULL, req_pack(r, "{s:s, s:s}", "slug",
		    slug, "state", state));
	return req_redirect(r, arena_printf(r->a, "/units/%s", slug));
}

const char *const unit_states[] = {
	"requested", "approved", "rejected", "changes_requested",
	"suspended", "archived", NULL
};

int
units_list(struct req *r)
{
	const char	*state = kv_get(&r->query, "state"), *n;
	json_t		*list = req_array(r), *reasons = req_array(r), *page;

	if (state == NULL)
		state = r->fmt == FMT_JSON ? "" : "requested";
	if (*state != '\0' && !input_one_of(unit_states, state))
		return req_fail(r, 400, "invalid", "state", "state is one of "
		    "requested, approved, rejected, changes_requested, "
		    "suspended, archived");
	/* The reason codes first: the list is the transaction's last read. */
	if ((r->fmt != FMT_JSON && reason_db_list(r, 0, reasons) < 0) ||
	    unit_db_list(r, state, list) < 0)
		return req_db_fail(r);
	if (r->fmt == FMT_JSON)
		return req_view(r, 200, NULL, req_pack(r, "{s:O}", "units",
		    list));
	page = req_pack(r, "{s:b, s:O, s:O, s:s, s:s}", "has_units",
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

/*
 * The pending invitations of unit page u (loaded with it: unit_db_page()),
 * with notices.
 */
static void
unit_invitations(struct req *r, json_t *u)
{
	json_object_set_new(u, "has_invitations", json_boolean(
	    json_array_size(json_object_get(u, "invitations")) > 0));
	if (kv_get(&r->query, "revoked") != NULL)
		json_object_set_new(u, "notice", json_string("The invitation "
		    "is revoked: its link no longer works."));
}

int
unit_get(struct req *r)
{
	json_t		*u = r->unit, *reasons;

	if (r->fmt == FMT_JSON)
		return req_view(r, 200, NULL, u);
	unit_page(r, u);
	if (json_is_true(json_object_get(u, "can_manage")))
		unit_invitations(r, u);
	/* A request this person may decide: the decision form's codes. */
	if (json_is_true(json_object_get(u, "can_decide")) && strcmp(
	    json_string_value(json_object_get(u, "state")), "requested") == 0) {
		reasons = json_array();
		json_object_set_new(u, "reasons", reasons);
		json_object_set_new(u, "decide_now", json_true());
		if (reason_db_list(r, 0, reasons) < 0)
			return req_db_fail(r);
	}
	return req_view(r, 200, "unit", u);
}

int
units_mine(struct req *r)
{
	json_t	*list = req_array(r), *waiting = req_array(r), *u, *page;
	json_t	*mine = req_array(r);
	size_t	 i;

	/* Requests this person may decide as a delegated approver (hub
	 * admins have the queue), then their own units, the last read. */
	if ((!(r->sess->roles & HUB_ADMIN) && unit_db_list(r, "requested",
	    waiting) < 0) || unit_db_list_mine(r, list) < 0)
		return req_db_fail(r);
	json_array_foreach(waiting, i, u)
		if (json_is_true(json_object_get(u, "can_decide")))
			json_array_append(mine, u);
	page = req_pack(r, "{s:O, s:O, s:b}", "units", list, "to_decide", mine,
	    "has_to_decide", json_array_size(mine) > 0);
	if (kv_get(&r->query, "left") != NULL)
		json_object_set_new(page, "notice", json_string("You left the "
		    "unit."));
	return req_view(r, 200, "units", page);
}
