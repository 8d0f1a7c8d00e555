/* directory_db.c: statements of the hub's directory of units. */
#include "config.h"

#include <stdlib.h>

#include "arena.h"
#include "db.h"
#include "dbrow.h"
#include "directory_db.h"
#include "req.h"
#include "stmts.h"
#include "util.h"

enum {
	DIRECTORY_REGIONS,
	DIRECTORY_LIST,
	DIRECTORY__MAX
};

#define ISO(c) \
	"to_char(" c " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"

static const struct db_col region_c[] = {
	{ "region", DB_TEXT, 0 },
};
static const struct db_cols region_cols = DB_COLS(region_c);

/* A unit of the page; total is the count of all that match. */
static const struct db_col unit_c[] = {
	{ "slug", DB_TEXT, 0 },
	{ "name", DB_TEXT, 0 },
	{ "kind", DB_TEXT, 0 },
	{ "region", DB_TEXT, 0 },
	{ "state", DB_TEXT, 0 },
	{ "created_at", DB_TEXT, 0 },
	{ "owners", DB_JSON, 0 },
	{ "members", DB_INT, 0 },
	{ "last_decision", DB_JSON, 0 },
	{ "total", DB_INT, DB_HIDDEN },
};
static const struct db_cols unit_cols = DB_COLS(unit_c);

/*
 * Members are counted as the unit's page lists them: guests whose last
 * day has passed are no longer members.  $1 is matched as plain text
 * (strpos), so % and _ in a search mean themselves.
 */
static const struct db_stmt sqls[DIRECTORY__MAX] = {
	[DIRECTORY_REGIONS] = { "directory_regions",
	    "SELECT DISTINCT region FROM units WHERE region IS NOT NULL "
	    "ORDER BY 1", &region_cols },
	/* One row at least: the count, with the page's units, if any. */
	[DIRECTORY_LIST] = { "directory_list",
	    "WITH m AS (SELECT u.* FROM units u "
	    "WHERE ($1 = '' OR strpos(lower(u.name), lower($1)) > 0 "
	    "OR strpos(u.slug, lower($1)) > 0) "
	    "AND ($2 = '' OR u.state = $2) AND ($3 = '' OR u.kind = $3) "
	    "AND ($4 = '' OR u.region = $4)) "
	    "SELECT x.slug AS slug, x.name AS name, x.kind AS kind, "
	    "x.region AS region, x.state AS state, x.created AS created_at, "
	    "x.owners AS owners, x.members AS members, x.last AS "
	    "last_decision, c.n AS total "
	    "FROM (SELECT count(*) AS n FROM m) c LEFT JOIN LATERAL ("
	    "SELECT u.slug, u.name, u.kind, coalesce(u.region, '') AS region, "
	    "u.state, " ISO("u.created_at") " AS created, "
	    "coalesce((SELECT json_agg(json_build_object('name', p.name, "
	    "'email', p.email) ORDER BY p.name, p.email) FROM unit_members mb "
	    "JOIN people p ON p.id = mb.person_id WHERE mb.unit_id = u.id "
	    "AND mb.role = 'owner' AND (mb.expires_at IS NULL OR "
	    "mb.expires_at > now())), '[]')::text AS owners, "
	    "(SELECT count(*) FROM unit_members mb WHERE mb.unit_id = u.id "
	    "AND (mb.expires_at IS NULL OR mb.expires_at > now())) "
	    "AS members, "
	    "(SELECT json_build_object('decision', d.decision, 'reason', "
	    "d.reason, 'automatic', d.automatic, 'decided_at', "
	    ISO("d.decided_at") ") FROM unit_decisions d "
	    "WHERE d.unit_id = u.id ORDER BY d.decided_at DESC, d.id DESC "
	    "LIMIT 1)::text AS last, "
	    "CASE WHEN $5 = 'state' THEN array_position(ARRAY['requested', "
	    "'changes_requested', 'approved', 'suspended', 'rejected', "
	    "'archived'], u.state) END AS k1, "
	    "CASE WHEN $5 = 'created' THEN u.created_at END AS k2, "
	    "lower(u.name) AS k3 FROM m u "
	    "ORDER BY k1, k2 DESC, k3, u.slug "
	    "LIMIT $6::bigint OFFSET $7::bigint) x ON true "
	    "ORDER BY x.k1, x.k2 DESC, x.k3, x.slug", &unit_cols },
};

const struct db_stmts directory_stmts = { sqls, NELEM(sqls), NULL };

int
directory_db_regions(struct req *r, json_t *out)
{
	PGresult	*res;
	int		 rc, i;

	if ((rc = db_query(r->db, r->a, &sqls[DIRECTORY_REGIONS], 0, NULL,
	    &res)) != 1)
		return rc;
	for (i = 0; i < PQntuples(res); i++)
		json_array_append_new(out, json_string(db_get(res, i,
		    &region_cols, "region")));
	return 1;
}

int
directory_db_list(struct req *r, const struct directory_filter *f,
    json_t *out, long long *total)
{
	const char	*v[7];
	PGresult	*res;
	int		 rc, i;

	v[0] = f->q;
	v[1] = f->state;
	v[2] = f->kind;
	v[3] = f->region;
	v[4] = f->sort;
	v[5] = arena_printf(r->a, "%lld", f->per_page);
	v[6] = arena_printf(r->a, "%lld", (f->page - 1) * f->per_page);
	*total = 0;
	if ((rc = db_query_last(r->db, r->a, &sqls[DIRECTORY_LIST], 7, v,
	    &res)) != 1)
		return rc;
	for (i = 0; i < PQntuples(res); i++) {
		*total = db_get_int(res, i, &unit_cols, "total");
		if (db_get(res, i, &unit_cols, "slug") != NULL)
			json_array_append_new(out, db_row_json(res, i,
			    &unit_cols));
	}
	return 1;
}
