/*
 * stats_db.c: the statement of what each guideline rule achieves: the
 * view guide_rule_stats (sql/032_guide_stats.sql) per unit and rule,
 * summed per rule and kept per unit in one GROUPING SETS aggregate.
 */
#include "config.h"

#include "db.h"
#include "dbrow.h"
#include "req.h"
#include "stats_db.h"
#include "stmts.h"

enum {
	STATS_READ,
	STATS__MAX
};

/* The numbers of a row g of the aggregate, as JSON members. */
#define STATS_JSON(g) \
	"jsonb_build_object('fired', " g ".fired, 'muted', " g ".muted, " \
	"'saves', " g ".saves, 'suggested', " g ".suggested, " \
	"'accepted', " g ".accepted, 'declined', " g ".declined, " \
	"'left_open', " g ".left_open, 'rate', round(" g ".accepted::numeric " \
	"/ nullif(" g ".accepted + " g ".declined, 0), 3))"

static const struct db_col read_c[] = {
	{ "reader", DB_BOOL, 0 },
	{ "unit_ok", DB_BOOL, 0 },
	{ "rules", DB_JSON, 0 },
};
static const struct db_cols read_cols = DB_COLS(read_c);

/*
 * $1: a unit's address, or '' for every unit.  reader and unit_ok say
 * only what the caller is answered (403, 404); the numbers are the rows
 * the view returns under the caller's policies, never filtered here by
 * who asks.
 */
static const struct db_stmt sqls[STATS__MAX] = {
	[STATS_READ] = { "stats_read",
	    "WITH n AS (SELECT id FROM units WHERE slug = nullif($1, '')), "
	    "x AS (SELECT s.rule_id, s.fired, s.muted, s.saves, s.suggested, "
	    "s.accepted, s.declined, s.left_open, u.slug, u.name "
	    "FROM guide_rule_stats s JOIN units u ON u.id = s.unit_id "
	    "WHERE nullif($1, '') IS NULL OR s.unit_id = (SELECT id FROM n)), "
	    "g AS (SELECT x.rule_id, x.slug, min(x.name) AS name, "
	    "grouping(x.slug) = 1 AS total, sum(x.fired) AS fired, "
	    "sum(x.muted) AS muted, sum(x.saves) AS saves, "
	    "sum(x.suggested) AS suggested, sum(x.accepted) AS accepted, "
	    "sum(x.declined) AS declined, sum(x.left_open) AS left_open "
	    "FROM x GROUP BY GROUPING SETS ((x.rule_id), "
	    "(x.rule_id, x.slug))), "
	    "pu AS (SELECT g.rule_id, jsonb_agg(" STATS_JSON("g") " || "
	    "jsonb_build_object('unit', g.slug, 'name', g.name) "
	    "ORDER BY g.slug) AS units FROM g WHERE NOT g.total "
	    "GROUP BY g.rule_id) "
	    "SELECT (SELECT ch_guide_hub_writer()) OR "
	    "cardinality(ch_owned_unit_ids()) > 0 AS reader, "
	    "nullif($1, '') IS NULL OR EXISTS (SELECT 1 FROM n "
	    "WHERE (SELECT ch_guide_hub_writer()) "
	    "OR n.id = ANY (ch_owned_unit_ids())) AS unit_ok, "
	    "coalesce((SELECT jsonb_agg(jsonb_build_object('rule', g.rule_id, "
	    "'kind', coalesce(h.kind, l.kind), 'scope', CASE WHEN h.id IS NOT "
	    "NULL THEN 'hub' WHEN l.id IS NOT NULL THEN 'unit' END, "
	    "'message', coalesce(h.message, l.message)) || " STATS_JSON("g")
	    " || jsonb_build_object('units', coalesce(pu.units, '[]')) "
	    "ORDER BY g.rule_id) FROM g LEFT JOIN pu ON pu.rule_id = g.rule_id "
	    "LEFT JOIN guide_hub_rules h ON h.id = g.rule_id "
	    "LEFT JOIN guide_unit_rules l ON l.id = g.rule_id "
	    "WHERE g.total), '[]')::text AS rules", &read_cols },
};

const struct db_stmts stats_stmts = { sqls, STATS__MAX, NULL };

/* Read the statistics; last: as the request's last statement. */
static int
stats_read(struct req *r, const char *slug, struct guide_stats *out,
    int last)
{
	PGresult	*res;
	int		 rc;

	out->reader = out->unit_ok = 0;
	out->rules = NULL;
	rc = (last ? db_query_last : db_query_row)(r->db, r->a,
	    &sqls[STATS_READ], 1, &slug, &res);
	if (rc != 1)
		return rc < 0 ? -1 : 1;
	out->reader = db_get_bool(res, 0, &read_cols, "reader");
	out->unit_ok = db_get_bool(res, 0, &read_cols, "unit_ok");
	out->rules = req_json_own(r, db_get_json(res, 0, &read_cols,
	    "rules"));
	if (out->rules == NULL)
		out->rules = req_array(r);
	return 1;
}

int
stats_db_read(struct req *r, const char *slug, struct guide_stats *out)
{
	return stats_read(r, slug, out, 0);
}

int
stats_db_read_last(struct req *r, const char *slug, struct guide_stats *out)
{
	return stats_read(r, slug, out, 1);
}
