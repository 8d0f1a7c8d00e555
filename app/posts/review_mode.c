/*
 * review_mode.c: a unit's review mode, chosen by its owners: none, peer
 * (the unit's editors are asked) or hub_advisory (the hub's
 * communicators are asked).  No mode blocks publishing.
 */
#include "config.h"

#include "app.h"
#include "arena.h"
#include "audit.h"
#include "input.h"
#include "log.h"
#include "req.h"
#include "review.h"
#include "review_db.h"
#include "router.h"
#include "session.h"

const struct route_unit review_mode_unit = { "owner", UNIT_HIDE | UNIT_LIGHT,
	"approved",
	"only the unit's owners choose its review mode", "a review mode is "
	"chosen while the unit is approved" };

static const char *const modes[] = { "none", "peer", "hub_advisory", NULL };

enum { M_MODE, M__MAX };

static const struct input_field mode_fields[M__MAX] = {
	[M_MODE] = { .name = "mode", .type = IN_ENUM, .flags = IN_REQUIRED,
	    .allowed = modes, .label = "the mode", .invalid = "mode is none, "
	    "peer or hub_advisory", .missing = "mode is none, peer or "
	    "hub_advisory" },
};

const struct input_form review_mode_input = {
	mode_fields, M__MAX, NULL, NULL, 0
};

int
review_mode_put(struct req *r)
{
	const char	*slug = kv_get(&r->params, "slug");
	const char	*mode = input_text(r, M_MODE), *before;
	long long	 unit;
	int		 rc;

	if ((rc = review_db_mode(r, slug, mode, &before, &unit)) < 0)
		return req_db_fail(r);
	if (rc == 0)
		return req_fail(r, 404, "not_found", NULL, "there is no unit "
		    "at this address");
	if (audit_add(r, "unit.review_mode", "unit", slug, unit, req_pack(r,
	    "{s:s?}", "mode", before), req_pack(r, "{s:s}", "mode",
	    mode)) < 0)
		return req_db_fail(r);
	logm(L_INFO, r->id, "review mode unit=%s mode=%s person=%lld", slug,
	    mode, r->sess->p.id);
	if (r->fmt != FMT_JSON)
		return req_redirect(r, arena_printf(r->a,
		    "/units/%s/review-mode?saved=1", slug));
	return req_view(r, 200, NULL, req_pack(r, "{s:s, s:s}", "slug", slug,
	    "mode", mode));
}
