/*
 * review_policy.c: the hub's default review mode, and the page where a
 * unit's owners choose their own.  The hub's admins set the default
 * (none until they do); a unit without a choice of its own follows it.
 * No mode blocks publishing: a mode only says whom a new post asks
 * (review_auto.c).
 */
#include "config.h"

#include <string.h>

#include "app.h"
#include "arena.h"
#include "audit.h"
#include "db.h"
#include "dbrow.h"
#include "input.h"
#include "kv.h"
#include "log.h"
#include "req.h"
#include "review.h"
#include "router.h"
#include "session.h"
#include "stmts.h"
#include "util.h"

enum { RP_GET, RP_SET, RP_UNIT, RP__MAX };

#define TS(x) \
	"to_char(" x " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"

static const struct db_col policy_c[] = {
	{ "default_mode", DB_TEXT, 0 },
	{ "updated_at", DB_TEXT, 0 },
	{ "updated_by", DB_TEXT, 0 },
	{ "before", DB_TEXT, DB_HIDDEN },
};
static const struct db_cols policy_cols = DB_COLS(policy_c);

static const struct db_col unit_c[] = {
	{ "slug", DB_TEXT, 0 },
	{ "name", DB_TEXT, 0 },
	{ "mode", DB_TEXT, 0 },
	{ "own", DB_TEXT, 0 },
	{ "default_mode", DB_TEXT, 0 },
	{ "updated_at", DB_TEXT, 0 },
	{ "updated_by", DB_TEXT, 0 },
};
static const struct db_cols unit_cols = DB_COLS(unit_c);

static const struct db_stmt sqls[RP__MAX] = {
	/* Who changed the default is for hub admins to see only. */
	[RP_GET] = { "review_policy_get",
	    "SELECT p.default_mode, " TS("p.updated_at") " AS updated_at, "
	    "CASE WHEN ch_hub_role('admin') THEN w.name END AS updated_by, "
	    "NULL::text AS before FROM review_policy p "
	    "LEFT JOIN people w ON w.id = p.updated_by", &policy_cols },
	[RP_SET] = { "review_policy_set",
	    "WITH old AS (SELECT default_mode FROM review_policy) "
	    "UPDATE review_policy p SET default_mode = $1, "
	    "updated_by = ch_person() "
	    "RETURNING p.default_mode, " TS("p.updated_at") " AS updated_at, "
	    "(SELECT name FROM people WHERE id = p.updated_by) AS updated_by, "
	    "(SELECT default_mode FROM old) AS before", &policy_cols },
	[RP_UNIT] = { "review_policy_unit",
	    "SELECT u.slug, u.name, ch_review_mode(u.id) AS mode, "
	    "m.mode AS own, "
	    "(SELECT default_mode FROM review_policy) AS default_mode, "
	    TS("m.updated_at") " AS updated_at, w.name AS updated_by "
	    "FROM units u LEFT JOIN unit_review_modes m ON m.unit_id = u.id "
	    "LEFT JOIN people w ON w.id = m.updated_by WHERE u.slug = $1",
	    &unit_cols },
};

static const struct db_refusal set_refusals[] = {
	{ "42501", 403, "forbidden", NULL, "only hub admins set the default "
	  "review mode", 0 },
	{ NULL, 0, NULL, NULL, NULL, 0 }
};

static const struct db_refusal *const refusals[RP__MAX] = {
	[RP_SET] = set_refusals,
};

const struct db_stmts review_policy_stmts = { sqls, NELEM(sqls), refusals };

static const char *const modes[] = { "none", "peer", "hub_advisory", NULL };

enum { D_MODE, D__MAX };

static const struct input_field default_fields[D__MAX] = {
	[D_MODE] = { .name = "default_mode", .type = IN_ENUM, .flags =
	    IN_REQUIRED, .allowed = modes, .label = "the default mode",
	    .invalid = "default_mode is none, peer or hub_advisory",
	    .missing = "default_mode is none, peer or hub_advisory" },
};

const struct input_form review_policy_input = {
	default_fields, D__MAX, NULL, NULL, 0
};

/* Flags is_none, is_peer, is_hub_advisory of d's mode under key. */
static void
mode_flags(struct req *r, json_t *d, const char *key)
{
	const char	*m = json_string_value(json_object_get(d, key));
	size_t		 i;

	for (i = 0; modes[i] != NULL; i++)
		json_object_set_new(d, arena_printf(r->a, "is_%s", modes[i]),
		    json_boolean(m != NULL && strcmp(m, modes[i]) == 0));
}

/* The policy row as the API shows it: 1, 0 when missing, -1 failed. */
static int
load(struct req *r, json_t **out)
{
	PGresult	*res;
	int		 rc;

	*out = NULL;
	if ((rc = db_query_row(r->db, r->a, &sqls[RP_GET], 0, NULL, &res)) !=
	    1)
		return rc;
	*out = req_json_own(r, db_row_json(res, 0, &policy_cols));
	return 1;
}

int
review_policy_load(struct req *r, json_t **out)
{
	int	 rc;

	if ((rc = load(r, out)) == 1)
		mode_flags(r, *out, "default_mode");
	return rc;
}

int
review_policy_get(struct req *r)
{
	json_t	*p;

	if (load(r, &p) < 0)
		return req_db_fail(r);
	if (p == NULL)
		return req_fail(r, 500, "internal", NULL, "the review policy "
		    "is missing");
	return req_view(r, 200, NULL, p);
}

int
review_policy_put(struct req *r)
{
	const char	*mode = input_text(r, D_MODE), *before;
	PGresult	*res;
	json_t		*p;
	int		 rc;

	if ((rc = db_query_row(r->db, r->a, &sqls[RP_SET], 1, &mode,
	    &res)) < 0)
		return req_db_fail(r);
	if (rc == 0)
		return req_fail(r, 500, "internal", NULL, "the review policy "
		    "is missing");
	before = db_get(res, 0, &policy_cols, "before");
	p = req_json_own(r, db_row_json(res, 0, &policy_cols));
	if (audit_add(r, "policy.review_mode", "policy", "review",
	    0, req_pack(r, "{s:s?}", "default_mode", before), req_pack(r,
	    "{s:s}", "default_mode", mode)) < 0)
		return req_db_fail(r);
	logm(L_INFO, r->id, "default review mode=%s person=%lld", mode,
	    r->sess->p.id);
	if (r->fmt == FMT_JSON)
		return req_view(r, 200, NULL, p);
	return req_redirect(r, "/hub/policy?saved=review#review");
}

int
review_mode_get(struct req *r)
{
	const char	*slug = kv_get(&r->params, "slug");
	PGresult	*res;
	json_t		*d;
	int		 rc;

	if ((rc = db_query_last(r->db, r->a, &sqls[RP_UNIT], 1, &slug,
	    &res)) < 0)
		return req_db_fail(r);
	if (PQntuples(res) != 1)
		return req_fail(r, 404, "not_found", NULL, "there is no unit "
		    "at this address");
	d = req_json_own(r, db_row_json(res, 0, &unit_cols));
	mode_flags(r, d, "mode");
	json_object_set_new(d, "csrf", json_string(csrf_token(r)));
	if (kv_get(&r->query, "saved") != NULL)
		json_object_set_new(d, "saved", json_true());
	return req_view(r, 200, "posts/review_mode", d);
}
