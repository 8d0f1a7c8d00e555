/*
 * mutes.c: a unit's owners mute a hub rule for their unit, with a
 * reason the hub reads, and unmute it.  A muted rule runs no more in the
 * unit's checks.
 */
#include "config.h"

#include <limits.h>

#include "app.h"
#include "arena.h"
#include "audit.h"
#include "guidelines.h"
#include "input.h"
#include "log.h"
#include "req.h"
#include "router.h"
#include "rules_db.h"
#include "session.h"

const struct route_unit guide_unit_mute = { "owner", UNIT_HIDE, "approved",
	"only the unit's owners mute the hub's rules for it", "a unit mutes "
	"the hub's rules while it is approved" };

enum { M_REASON, M__MAX };

static const struct input_field mute_fields[M__MAX] = {
	[M_REASON] = { .name = "reason", .type = IN_TEXT, .flags = IN_REQUIRED,
	    .max = 1000, .label = "the reason", .missing = "a mute says why: "
	    "the hub reads the reason" },
};

const struct input_form guide_mute_input = {
	mute_fields, M__MAX, NULL, NULL, 0
};
const struct input_form guide_mute_form = {
	mute_fields, M__MAX, "guidelines/unit", guide_rules_page, 0
};

/* The route's {rule} when it is an identifier, else NULL. */
static const char *
route_rule(struct req *r)
{
	const char	*id = kv_get(&r->params, "rule");
	long long	 n;

	return input_digits(id, 1, LLONG_MAX, &n) ? id : NULL;
}

int
guide_mute_put(struct req *r)
{
	const char	*slug = kv_get(&r->params, "slug");
	const char	*rule = route_rule(r), *reason, *before;
	json_t		*out;
	long long	 unit;
	int		 rc;

	if (rule == NULL)
		return req_fail(r, 404, "not_found", NULL, "there is no hub "
		    "rule at this address");
	reason = input_text(r, M_REASON);
	if ((rc = rules_db_mute(r, slug, rule, reason, &before, &out,
	    &unit)) < 0)
		return req_db_fail(r);
	if (rc == 0)
		return req_fail(r, 404, "not_found", NULL, "there is no hub "
		    "rule at this address");
	if (audit_add(r, "guideline.mute", "guideline_rule", rule, unit,
	    before != NULL ? req_pack(r, "{s:s}", "reason", before) : NULL,
	    req_pack(r, "{s:s}", "reason", reason)) < 0)
		return req_db_fail(r);
	logm(L_INFO, r->id, "guideline rule %s muted unit=%s person=%lld",
	    rule, slug, r->sess->p.id);
	if (r->fmt != FMT_JSON)
		return req_redirect(r, arena_printf(r->a,
		    "/units/%s/guidelines?done=muted", slug));
	return req_view(r, 200, NULL, out);
}

int
guide_mute_delete(struct req *r)
{
	const char	*slug = kv_get(&r->params, "slug");
	const char	*rule = route_rule(r), *before;
	long long	 unit;
	int		 rc;

	if (rule == NULL || (rc = rules_db_unmute(r, slug, rule, &before,
	    &unit)) == 0)
		return req_fail(r, 404, "not_found", NULL, "this unit does "
		    "not mute that rule");
	if (rc < 0)
		return req_db_fail(r);
	if (audit_add(r, "guideline.unmute", "guideline_rule", rule, unit,
	    req_pack(r, "{s:s}", "reason", before), NULL) < 0)
		return req_db_fail(r);
	if (r->fmt != FMT_JSON)
		return req_redirect(r, arena_printf(r->a,
		    "/units/%s/guidelines?done=unmuted", slug));
	return req_view(r, 204, NULL, NULL);
}
