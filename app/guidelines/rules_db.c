/* rules_db.c: statements of guideline rules, mutes and checks. */
#include "config.h"

#include <string.h>

#include "arena.h"
#include "db.h"
#include "dbrow.h"
#include "req.h"
#include "rules_db.h"
#include "stmts.h"
#include "util.h"

enum {
	RULES_HUB_LIST,
	RULES_HUB_ADD,
	RULES_HUB_PUT,
	RULES_HUB_DELETE,
	RULES_UNIT_LIST,
	RULES_UNIT_ADD,
	RULES_UNIT_PUT,
	RULES_UNIT_DELETE,
	RULES_UNIT_PAGE,
	RULES_MUTE,
	RULES_UNMUTE,
	RULES_ACTIVE,
	RULES_UNITS_MISSING,
	RULES__MAX
};

#define ISO_UTC(col) \
	"to_char(" col " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"

/* Rule x as the API shows it: its columns, then its kind's fields. */
#define RULE_JSON(x) \
	"(jsonb_build_object('id', " x ".id, 'kind', " x ".kind, " \
	"'message', " x ".message, 'link', " x ".link, " \
	"'enabled', " x ".enabled, " \
	"'created_at', " ISO_UTC(x ".created_at") ", " \
	"'updated_at', " ISO_UTC(x ".updated_at") ") || " x ".fields)"

/* A hub rule x with the mutes the person sees. */
#define HUB_RULE_JSON(x) \
	"(" RULE_JSON(x) " || jsonb_build_object('mutes', coalesce((SELECT " \
	"jsonb_agg(jsonb_build_object('unit', mu.slug, 'reason', m.reason, " \
	"'muted_at', " ISO_UTC("m.muted_at") ") ORDER BY mu.slug) " \
	"FROM guide_mutes m JOIN units mu ON mu.id = m.unit_id " \
	"WHERE m.rule_id = " x ".id), '[]')))"

/*
 * The columns a change of a rule sets from parameters kind, fields,
 * message, link and enabled; a switch on or off gives enabled alone and
 * the others as null, a change from a page no enabled.
 */
#define RULE_SET(k, f, m, l, e) \
	"kind = coalesce(" k ", x.kind), " \
	"fields = coalesce(" f "::jsonb, x.fields), " \
	"message = coalesce(" m ", x.message), " \
	"link = CASE WHEN " k " IS NULL THEN x.link ELSE nullif(" l ", '') " \
	"END, enabled = coalesce(" e "::boolean, x.enabled)"

/* Today's quiet period (fields f) is running. */
#define QUIET_NOW(f) \
	"(now() AT TIME ZONE 'UTC')::date BETWEEN (" f "->>'starts')::date " \
	"AND (" f "->>'ends')::date"

static const struct db_col list_c[] = {
	{ "rules", DB_JSON, 0 },
};
static const struct db_cols list_cols = DB_COLS(list_c);

static const struct db_col unit_list_c[] = {
	{ "rules", DB_JSON, 0 },
	{ "mutes", DB_JSON, 0 },
};
static const struct db_cols unit_list_cols = DB_COLS(unit_list_c);

static const struct db_col page_c[] = {
	{ "hub", DB_JSON, 0 },
	{ "own", DB_JSON, 0 },
};
static const struct db_cols page_cols = DB_COLS(page_c);

static const struct db_col add_c[] = {
	{ "unit_id", DB_INT, 0 },
	{ "rule", DB_JSON, 0 },
};
static const struct db_cols add_cols = DB_COLS(add_c);

/* A change of one rule: whether it was found, before and after. */
static const struct db_col change_c[] = {
	{ "found", DB_BOOL, 0 },
	{ "unit_id", DB_INT, 0 },
	{ "before", DB_JSON, 0 },
	{ "made", DB_JSON, 0 },
};
static const struct db_cols change_cols = DB_COLS(change_c);

static const struct db_col mute_c[] = {
	{ "found", DB_BOOL, 0 },
	{ "unit_id", DB_INT, 0 },
	{ "before", DB_TEXT, 0 },
	{ "made", DB_JSON, 0 },
};
static const struct db_cols mute_cols = DB_COLS(mute_c);

static const struct db_col unmute_c[] = {
	{ "unit_id", DB_INT, 0 },
	{ "before", DB_TEXT, 0 },
};
static const struct db_cols unmute_cols = DB_COLS(unmute_c);

static const struct db_col active_c[] = {
	{ "found", DB_BOOL, 0 },
	{ "rules", DB_JSON, 0 },
};
static const struct db_cols active_cols = DB_COLS(active_c);

static const struct db_col missing_c[] = {
	{ "missing", DB_JSON, 0 },
};
static const struct db_cols missing_cols = DB_COLS(missing_c);

static const struct db_stmt sqls[RULES__MAX] = {
	[RULES_HUB_LIST] = { "rules_hub_list",
	    "SELECT coalesce((SELECT jsonb_agg(" HUB_RULE_JSON("x") " ORDER "
	    "BY x.id) FROM guide_hub_rules x), '[]')::text AS rules",
	    &list_cols },
	[RULES_HUB_ADD] = { "rules_hub_add",
	    "INSERT INTO guide_hub_rules AS x (kind, fields, message, link, "
	    "enabled, created_by, updated_by) VALUES ($1, $2::jsonb, $3, "
	    "nullif($4, ''), $5::boolean, ch_person(), ch_person()) "
	    "RETURNING NULL::bigint AS unit_id, (" RULE_JSON("x")
	    " || '{\"mutes\": []}')::text AS rule", &add_cols },
	[RULES_HUB_PUT] = { "rules_hub_put",
	    "WITH f AS (SELECT x.id, " HUB_RULE_JSON("x") " AS before "
	    "FROM guide_hub_rules x WHERE x.id = $1::bigint), "
	    "u AS (UPDATE guide_hub_rules x SET " RULE_SET("$2", "$3", "$4",
	    "$5", "$6") ", updated_by = ch_person() FROM f "
	    "WHERE x.id = f.id RETURNING x.*) "
	    "SELECT EXISTS (SELECT 1 FROM f) AS found, NULL::bigint AS "
	    "unit_id, (SELECT before FROM f)::text AS before, (SELECT "
	    HUB_RULE_JSON("u") " FROM u)::text AS made", &change_cols },
	[RULES_HUB_DELETE] = { "rules_hub_delete",
	    "WITH f AS (SELECT x.id, " HUB_RULE_JSON("x") " AS before "
	    "FROM guide_hub_rules x WHERE x.id = $1::bigint), "
	    "d AS (DELETE FROM guide_hub_rules x USING f WHERE x.id = f.id "
	    "RETURNING x.id) "
	    "SELECT EXISTS (SELECT 1 FROM f) AS found, NULL::bigint AS "
	    "unit_id, (SELECT before FROM f)::text AS before, (SELECT "
	    "to_jsonb(d.id) FROM d)::text AS made", &change_cols },
	[RULES_UNIT_LIST] = { "rules_unit_list",
	    "SELECT coalesce((SELECT jsonb_agg(" RULE_JSON("x") " ORDER BY "
	    "x.id) FROM guide_unit_rules x JOIN units u ON u.id = x.unit_id "
	    "WHERE u.slug = $1), '[]')::text AS rules, "
	    "coalesce((SELECT jsonb_agg(jsonb_build_object('rule', m.rule_id, "
	    "'reason', m.reason, 'muted_at', " ISO_UTC("m.muted_at") ") "
	    "ORDER BY m.rule_id) FROM guide_mutes m JOIN units u "
	    "ON u.id = m.unit_id WHERE u.slug = $1), '[]')::text AS mutes",
	    &unit_list_cols },
	[RULES_UNIT_ADD] = { "rules_unit_add",
	    "INSERT INTO guide_unit_rules AS x (unit_id, kind, fields, "
	    "message, link, enabled, created_by, updated_by) SELECT u.id, $2, "
	    "$3::jsonb, $4, nullif($5, ''), $6::boolean, ch_person(), "
	    "ch_person() FROM units u WHERE u.slug = $1 "
	    "RETURNING x.unit_id AS unit_id, " RULE_JSON("x") "::text AS rule",
	    &add_cols },
	[RULES_UNIT_PUT] = { "rules_unit_put",
	    "WITH f AS (SELECT x.unit_id, x.id, " RULE_JSON("x") " AS before "
	    "FROM guide_unit_rules x JOIN units n ON n.id = x.unit_id "
	    "WHERE n.slug = $1 AND x.id = $2::bigint), "
	    "u AS (UPDATE guide_unit_rules x SET " RULE_SET("$3", "$4", "$5",
	    "$6", "$7") ", updated_by = ch_person() FROM f "
	    "WHERE x.unit_id = f.unit_id AND x.id = f.id RETURNING x.*) "
	    "SELECT EXISTS (SELECT 1 FROM f) AS found, (SELECT unit_id FROM f) "
	    "AS unit_id, (SELECT before FROM f)::text AS before, (SELECT "
	    RULE_JSON("u") " FROM u)::text AS made", &change_cols },
	[RULES_UNIT_DELETE] = { "rules_unit_delete",
	    "WITH f AS (SELECT x.unit_id, x.id, " RULE_JSON("x") " AS before "
	    "FROM guide_unit_rules x JOIN units n ON n.id = x.unit_id "
	    "WHERE n.slug = $1 AND x.id = $2::bigint), "
	    "d AS (DELETE FROM guide_unit_rules x USING f "
	    "WHERE x.unit_id = f.unit_id AND x.id = f.id RETURNING x.id) "
	    "SELECT EXISTS (SELECT 1 FROM f) AS found, (SELECT unit_id FROM f) "
	    "AS unit_id, (SELECT before FROM f)::text AS before, (SELECT "
	    "to_jsonb(d.id) FROM d)::text AS made", &change_cols },
	/* Each hub rule with the unit's reason for muting it ("muted", null
	 * when it does not) and whether it applies to the unit (a quiet
	 * period may target others), then the unit's own rules. */
	[RULES_UNIT_PAGE] = { "rules_unit_page",
	    "WITH n AS (SELECT id, slug, region FROM units WHERE slug = $1) "
	    "SELECT coalesce((SELECT jsonb_agg(" RULE_JSON("x") " || "
	    "jsonb_build_object('muted', m.reason, 'applies', "
	    "x.kind <> 'quiet' OR (x.fields->'units' = '[]' AND "
	    "x.fields->'regions' = '[]') OR x.fields->'units' ? n.slug "
	    "OR coalesce(x.fields->'regions' ? n.region, false)) "
	    "ORDER BY x.id) FROM guide_hub_rules x CROSS JOIN n "
	    "LEFT JOIN guide_mutes m ON m.unit_id = n.id "
	    "AND m.rule_id = x.id), '[]')::text AS hub, "
	    "coalesce((SELECT jsonb_agg(" RULE_JSON("x") " ORDER BY x.id) "
	    "FROM guide_unit_rules x JOIN n ON x.unit_id = n.id), '[]')::text "
	    "AS own", &page_cols },
	/* The reason before is read in the statement's snapshot. */
	[RULES_MUTE] = { "rules_mute",
	    "WITH n AS (SELECT id, slug FROM units WHERE slug = $1), "
	    "h AS (SELECT id FROM guide_hub_rules WHERE id = $2::bigint), "
	    "o AS (SELECT m.reason FROM guide_mutes m, n "
	    "WHERE m.unit_id = n.id AND m.rule_id = $2::bigint), "
	    "k AS (INSERT INTO guide_mutes AS g (unit_id, rule_id, reason, "
	    "muted_by) SELECT n.id, h.id, $3, ch_person() FROM n, h "
	    "ON CONFLICT (unit_id, rule_id) DO UPDATE SET "
	    "reason = EXCLUDED.reason, muted_by = EXCLUDED.muted_by "
	    "RETURNING g.*) "
	    "SELECT EXISTS (SELECT 1 FROM h) AS found, (SELECT id FROM n) "
	    "AS unit_id, (SELECT reason FROM o) AS before, (SELECT "
	    "json_build_object('unit', n.slug, 'rule', k.rule_id, "
	    "'reason', k.reason, 'muted_at', " ISO_UTC("k.muted_at") ") "
	    "FROM k, n)::text AS made", &mute_cols },
	[RULES_UNMUTE] = { "rules_unmute",
	    "DELETE FROM guide_mutes m USING units n WHERE n.slug = $1 "
	    "AND m.unit_id = n.id AND m.rule_id = $2::bigint "
	    "RETURNING m.unit_id AS unit_id, m.reason AS before",
	    &unmute_cols },
	[RULES_ACTIVE] = { "rules_active",
	    "WITH n AS (SELECT id, slug, region FROM units WHERE slug = $1 "
	    "AND (id = ANY ((SELECT ch_post_units('read'))::bigint[]) "
	    "OR (SELECT ch_hub_any()))), "
	    "r AS (SELECT h.id, h.kind, h.fields, h.message "
	    "FROM guide_hub_rules h WHERE h.enabled "
	    "AND NOT EXISTS (SELECT 1 FROM guide_mutes m, n "
	    "WHERE m.unit_id = n.id AND m.rule_id = h.id) "
	    "AND (h.kind <> 'quiet' OR (" QUIET_NOW("h.fields") " "
	    "AND ((h.fields->'units' = '[]' AND h.fields->'regions' = '[]') "
	    "OR EXISTS (SELECT 1 FROM n WHERE h.fields->'units' ? n.slug "
	    "OR h.fields->'regions' ? n.region)))) "
	    "UNION ALL SELECT l.id, l.kind, l.fields, l.message "
	    "FROM guide_unit_rules l JOIN n ON l.unit_id = n.id "
	    "WHERE l.enabled AND (l.kind <> 'quiet' OR "
	    QUIET_NOW("l.fields") ")) "
	    "SELECT ($1 = '' OR EXISTS (SELECT 1 FROM n)) AS found, "
	    "coalesce((SELECT json_agg(json_build_object('id', r.id, "
	    "'kind', r.kind, 'fields', r.fields, 'message', r.message) "
	    "ORDER BY r.id) FROM r), '[]')::text AS rules", &active_cols },
	[RULES_UNITS_MISSING] = { "rules_units_missing",
	    "SELECT coalesce(json_agg(x ORDER BY x), '[]')::text AS missing "
	    "FROM json_array_elements_text($1::json) x WHERE NOT EXISTS "
	    "(SELECT 1 FROM units u WHERE u.slug = x)", &missing_cols },
};

static const struct db_refusal hub_refusals[] = {
	{ "42501", 403, "forbidden", NULL, "only the hub's admins and "
	  "communicators keep the hub's rules", 0 },
	{ NULL, 0, NULL, NULL, NULL, 0 }
};
static const struct db_refusal unit_refusals[] = {
	{ "42501", 403, "forbidden", NULL, "only the unit's owners keep its "
	  "rules, while it is approved", 0 },
	{ NULL, 0, NULL, NULL, NULL, 0 }
};
static const struct db_refusal mute_refusals[] = {
	{ "42501", 403, "forbidden", NULL, "only the unit's owners mute the "
	  "hub's rules for it, while it is approved", 0 },
	{ NULL, 0, NULL, NULL, NULL, 0 }
};

/* What the statements' own refusals answer (db.h). */
static const struct db_refusal *const refusals[RULES__MAX] = {
	[RULES_HUB_ADD] = hub_refusals,
	[RULES_HUB_PUT] = hub_refusals,
	[RULES_HUB_DELETE] = hub_refusals,
	[RULES_UNIT_ADD] = unit_refusals,
	[RULES_UNIT_PUT] = unit_refusals,
	[RULES_UNIT_DELETE] = unit_refusals,
	[RULES_MUTE] = mute_refusals,
	[RULES_UNMUTE] = mute_refusals,
};

const struct db_stmts rules_stmts = { sqls, NELEM(sqls), refusals };

/* Run list statement i (its last) and keep its one row as *out. */
static int
list(struct req *r, int i, int n, const char *const *v,
    const struct db_cols *k, json_t **out)
{
	PGresult	*res;
	int		 rc;

	*out = NULL;
	if ((rc = db_query_last(r->db, r->a, &sqls[i], n, v, &res)) != 1)
		return rc;
	*out = req_json_own(r, db_row_json(res, 0, k));
	return 1;
}

/*
 * Run change statement i: 1 with *before and *out, 0 when nothing was
 * changed (*found: whether the rule was read).
 */
static int
change(struct req *r, int i, int n, const char *const *v, json_t **before,
    json_t **out, long long *unit, int *found)
{
	PGresult	*res;
	int		 rc;

	*before = *out = NULL;
	*found = 0;
	if (unit != NULL)
		*unit = 0;
	if ((rc = db_query(r->db, r->a, &sqls[i], n, v, &res)) != 1)
		return rc;
	*found = db_get_bool(res, 0, &change_cols, "found");
	if (unit != NULL)
		*unit = db_get_int(res, 0, &change_cols, "unit_id");
	*before = req_json_own(r, db_get_json(res, 0, &change_cols, "before"));
	*out = req_json_own(r, db_get_json(res, 0, &change_cols, "made"));
	return *out != NULL;
}

int
rules_db_hub_list(struct req *r, json_t **out)
{
	return list(r, RULES_HUB_LIST, 0, NULL, &list_cols, out);
}

/* Run add statement i: 1 with *out the rule and *unit. */
static int
add(struct req *r, int i, int n, const char *const *v, json_t **out,
    long long *unit)
{
	PGresult	*res;
	int		 rc;

	*out = NULL;
	if ((rc = db_query_row(r->db, r->a, &sqls[i], n, v, &res)) != 1)
		return rc;
	if (unit != NULL)
		*unit = db_get_int(res, 0, &add_cols, "unit_id");
	*out = req_json_own(r, db_get_json(res, 0, &add_cols, "rule"));
	return 1;
}

int
rules_db_add(struct req *r, const char *slug, const struct rule_text *t,
    json_t **out, long long *unit)
{
	const char	*v[6] = { slug, t->kind, t->fields, t->message, t->link,
			    t->enabled != 0 ? "true" : "false" };

	*unit = 0;
	if (slug == NULL)
		return add(r, RULES_HUB_ADD, 5, v + 1, out, NULL);
	return add(r, RULES_UNIT_ADD, 6, v, out, unit);
}

int
rules_db_put(struct req *r, const char *slug, const char *id,
    const struct rule_text *t, json_t **before, json_t **out,
    long long *unit, int *found)
{
	const char	*v[7] = { slug, id, t->kind, t->fields, t->message,
			    t->link, t->enabled < 0 ? NULL : t->enabled ?
			    "true" : "false" };

	if (slug == NULL)
		return change(r, RULES_HUB_PUT, 6, v + 1, before, out, unit,
		    found);
	return change(r, RULES_UNIT_PUT, 7, v, before, out, unit, found);
}

int
rules_db_switch(struct req *r, const char *slug, const char *id, int on,
    json_t **before, json_t **out, long long *unit, int *found)
{
	const char	*v[7] = { slug, id, NULL, NULL, NULL, NULL,
			    on ? "true" : "false" };

	if (slug == NULL)
		return change(r, RULES_HUB_PUT, 6, v + 1, before, out, unit,
		    found);
	return change(r, RULES_UNIT_PUT, 7, v, before, out, unit, found);
}

int
rules_db_delete(struct req *r, const char *slug, const char *id,
    json_t **before, long long *unit, int *found)
{
	const char	*v[2] = { slug, id };
	json_t		*done;

	if (slug == NULL)
		return change(r, RULES_HUB_DELETE, 1, v + 1, before, &done,
		    unit, found);
	return change(r, RULES_UNIT_DELETE, 2, v, before, &done, unit,
	    found);
}

int
rules_db_unit_list(struct req *r, const char *slug, json_t **out)
{
	return list(r, RULES_UNIT_LIST, 1, &slug, &unit_list_cols, out);
}

int
rules_db_unit_page(struct req *r, const char *slug, json_t **out)
{
	return list(r, RULES_UNIT_PAGE, 1, &slug, &page_cols, out);
}

int
rules_db_mute(struct req *r, const char *slug, const char *rule,
    const char *reason, const char **before, json_t **out, long long *unit)
{
	const char	*v[3] = { slug, rule, reason };
	PGresult	*res;
	int		 rc;

	*before = NULL;
	*out = NULL;
	*unit = 0;
	if ((rc = db_query(r->db, r->a, &sqls[RULES_MUTE], 3, v,
	    &res)) != 1)
		return rc;
	*unit = db_get_int(res, 0, &mute_cols, "unit_id");
	if ((*before = db_get(res, 0, &mute_cols, "before")) != NULL)
		*before = arena_strdup(r->a, *before);
	*out = req_json_own(r, db_get_json(res, 0, &mute_cols, "made"));
	return *out != NULL;
}

int
rules_db_unmute(struct req *r, const char *slug, const char *rule,
    const char **before, long long *unit)
{
	const char	*v[2] = { slug, rule };
	PGresult	*res;
	int		 rc;

	*before = NULL;
	*unit = 0;
	if ((rc = db_query_row(r->db, r->a, &sqls[RULES_UNMUTE], 2, v,
	    &res)) != 1)
		return rc;
	*unit = db_get_int(res, 0, &unmute_cols, "unit_id");
	*before = arena_strdup(r->a, db_get(res, 0, &unmute_cols, "before"));
	return 1;
}

int
rules_db_active(struct req *r, const char *slug, json_t **rules)
{
	PGresult	*res;
	int		 rc;

	*rules = NULL;
	if ((rc = db_query_last(r->db, r->a, &sqls[RULES_ACTIVE], 1, &slug,
	    &res)) != 1)
		return rc;
	if (!db_get_bool(res, 0, &active_cols, "found"))
		return 0;
	*rules = req_json_own(r, db_get_json(res, 0, &active_cols, "rules"));
	return 1;
}

int
rules_db_units_missing(struct req *r, const char *slugs, json_t **missing)
{
	PGresult	*res;
	int		 rc;

	*missing = NULL;
	if ((rc = db_query(r->db, r->a, &sqls[RULES_UNITS_MISSING], 1,
	    &slugs, &res)) != 1)
		return rc;
	*missing = req_json_own(r,
	    db_get_json(res, 0, &missing_cols, "missing"));
	return 1;
}
