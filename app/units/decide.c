/*
 * decide.c: the hub's decisions on units, one at a time or approved in
 * bulk, as pages and as the JSON API.  Who may decide what is checked
 * by PostgreSQL too (the units_check_move trigger, ch_may_decide()).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "app.h"
#include "arena.h"
#include "audit.h"
#include "db.h"
#include "handlers.h"
#include "input.h"
#include "log.h"
#include "outbox.h"
#include "policy_db.h"
#include "req.h"
#include "session.h"
#include "unit_db.h"
#include "util.h"

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
 * Whether the acting person may make move m on unit slug: 0, or the
 * status after answering (404 when they may not see it, 403 when it is
 * not theirs to decide).  Hub admins decide every unit.
 */
static int
decide_may(struct req *r, const char *slug, const struct move *m)
{
	int	 rc;

	if (r->sess->roles & HUB_ADMIN)
		return 0;
	if ((rc = policy_db_may_decide(r, slug)) < 0)
		return req_db_fail(r);
	if (rc == 0)
		return req_fail(r, 404, "not_found", NULL, "there is no "
		    "unit at this address");
	if (rc == 2 || m->hub_only)
		return req_fail(r, 403, "forbidden", "decision", "%s",
		    m->hub_only ? "only hub admins suspend, reinstate or "
		    "archive a unit" : "only the hub's approvers decide this "
		    "request");
	return 0;
}

/*
 * The reason of a decision on unit slug into *reason: the message of
 * code (if any), then the free text.  0, or the status after answering
 * (422 when the code is not in use).
 */
static int
decide_reason(struct req *r, const char *slug, const char *code,
    const char *text, const char **reason)
{
	int	 rc;

	*reason = text;
	if (*code == '\0')
		return 0;
	if ((rc = reason_db_compose(r, code, slug, reason)) < 0)
		return req_db_fail(r);
	if (rc == 0)
		return req_fail(r, 422, "invalid", "reason_code", "choose one "
		    "of the reason codes in use");
	if (*text != '\0')
		*reason = arena_printf(r->a, "%s\n\n%s", *reason, text);
	return 0;
}

/*
 * Make move m on unit slug: check that the acting person may, compose
 * the reason, move, record, audit and mail the requester.  0, or the
 * status after answering.
 */
static int
decide_one(struct req *r, const char *slug, const struct move *m,
    const char *code, const char *text)
{
	const char	*before, *email, *rname, *uname, *reason;
	json_t		*b, *a;
	long long	 id;
	int		 rc;
	/* The units_check_move trigger: not from the unit's present state. */
	struct db_refusal moved[] = {
		{ "CH409", 409, "illegal_transition", "decision", arena_printf(
		  r->a, "%s: %s", m->decision, m->hub_only ? "not possible for "
		  "a unit in its present state" : "this request is no longer "
		  "waiting for a decision"), 0 },
		{ NULL, 0, NULL, NULL, NULL, 0 }
	};

	if ((rc = decide_may(r, slug, m)) != 0 ||
	    (rc = decide_reason(r, slug, code, text, &reason)) != 0)
		return rc;
	if ((rc = unit_db_decide(r, slug, m->state, m->decision, reason, code,
	    &before, &id, &email, &rname, &uname)) < 0)
		return req_db_refuse(r, moved, NULL, NULL);
	if (rc == 0) {
		/* Nothing moved: no such unit, or it is in that state. */
		if ((rc = unit_db_exists(r, slug)) < 0)
			return req_db_fail(r);
		if (rc == 1)
			return req_fail(r, 409, "illegal_transition",
			    "decision", "%s: the unit is %s already",
			    m->decision, m->state);
		return req_fail(r, 404, "not_found", NULL, "there is no unit "
		    "at this address");
	}
	b = req_pack(r, "{s:s}", "state", before);
	a = req_pack(r, "{s:s, s:s, s:s?}", "state", m->state, "reason",
	    reason, "reason_code", *code ? code : NULL);
	if (audit_add(r, m->action, "unit", slug, id, b, a) < 0 ||
	    outbox_mail(r, email, "unit_decision", req_pack(r,
	    "{s:s, s:s, s:s, s:s, s:b}", "name", rname, "unit", uname, "slug",
	    slug, "reason", reason, m->mail, 1)) < 0)
		return req_db_fail(r);
	logm(L_INFO, r->id, "unit decision slug=%s decision=%s person=%lld",
	    slug, m->decision, r->sess->p.id);
	return 0;
}

static const char *const decisions[] = {
	"approve", "reject", "request_changes", "suspend", "reinstate",
	"archive", NULL
};

enum { D_DECISION, D_CODE, D_REASON, D_NEXT, D__MAX };

static const struct input_field decide_fields[D__MAX] = {
	[D_DECISION] = { .name = "decision", .type = IN_ENUM,
	    .flags = IN_REQUIRED, .allowed = decisions, .invalid = "decision "
	    "is approve, reject, request_changes, suspend, reinstate or "
	    "archive", .missing = "decision is approve, reject, "
	    "request_changes, suspend, reinstate or archive" },
	[D_CODE] = { .name = "reason_code", .type = IN_TEXT, .max = 40,
	    .label = "the reason code" },
	[D_REASON] = { .name = "reason", .type = IN_TEXT, .flags = IN_RAW,
	    .max = 4000, .label = "the reason" },
	[D_NEXT] = { .name = "next", .type = IN_TEXT, .flags = IN_RAW },
};

const struct input_form unit_decide_input = {
	decide_fields, D__MAX, NULL, NULL, 0
};

int
unit_decide(struct req *r)
{
	const struct move	*m = move_find(input_text(r, D_DECISION));
	const char		*slug = kv_get(&r->params, "slug");
	const char		*code = input_text(r, D_CODE);
	const char		*text = input_text(r, D_REASON);
	const char		*next = input_text(r, D_NEXT);
	int			 rc;

	if (*code != '\0' && strcmp(m->decision, "reject") != 0 &&
	    strcmp(m->decision, "request_changes") != 0)
		return req_fail(r, 422, "invalid", "reason_code", "a reason "
		    "code goes with a rejection or a change request only");
	if (m->needs_reason && *code == '\0' && *text == '\0')
		return req_fail(r, 422, "missing", "reason", "say why: the "
		    "requester sees this reason");
	if ((rc = decide_one(r, slug, m, code, text)) != 0)
		return rc;
	if (r->fmt == FMT_JSON)
		return req_view(r, 200, NULL, req_pack(r, "{s:s, s:s}", "slug",
		    slug, "state", m->state));
	return req_redirect(r, req_local_path(next) ? next : "/hub/queue");
}

static const char *const approve[] = { "approve", NULL };

/* A unit's address, as an item of a list. */
static const char *
units_slug_item(struct arena *a, const char *s)
{
	(void)a;
	return input_slug_problem(s) == NULL ? s : NULL;
}

enum { B_DECISION, B_SLUGS, B__MAX };

static const struct input_field bulk_fields[B__MAX] = {
	[B_DECISION] = { .name = "decision", .type = IN_ENUM,
	    .allowed = approve, .invalid = "only approve is made in bulk" },
	[B_SLUGS] = { .name = "slugs", .form = "slug", .type = IN_LIST,
	    .flags = IN_REQUIRED, .max = 100, .item = units_slug_item,
	    .label = "the requests", .missing = "choose at least one request",
	    .invalid = "each item is the address of a unit" },
};

const struct input_form units_bulk_input = {
	bulk_fields, B__MAX, NULL, NULL, 0
};

/*
 * Approve many requests at once: all of them or, when one cannot be
 * approved, none (the transaction is rolled back; the answer names it).
 */
int
units_bulk_approve(struct req *r)
{
	const struct move *m = move_find("approve");
	json_t		*slugs = input_list(r, B_SLUGS), *v;
	const char	*slug;
	size_t		 i;
	int		 rc;

	/* The queue's form selects; the API says what it asks. */
	if (r->fmt == FMT_JSON && !input_has(r, B_DECISION))
		return req_fail(r, 422, "invalid", "decision", "only approve "
		    "is made in bulk");
	json_array_foreach(slugs, i, v) {
		slug = json_string_value(v);
		if ((rc = decide_one(r, slug, m, "", "")) != 0)
			return req_fail(r, rc, r->resp.err.code, "slugs",
			    "%s: %s; nothing was approved", slug,
			    arena_strdup(r->a, r->resp.err.message));
	}
	if (r->fmt == FMT_JSON)
		return req_view(r, 200, NULL, req_pack(r, "{s:O, s:s}",
		    "approved", slugs, "state", "approved"));
	return req_redirect(r, arena_printf(r->a, "/hub/queue?approved=%zu",
	    json_array_size(slugs)));
}
