/* audit_db.c: writing audit rows. */
#include "config.h"

#include <stdlib.h>

#include "arena.h"
#include "audit.h"
#include "db.h"
#include "dbrow.h"
#include "req.h"
#include "stmts.h"
#include "util.h"

enum {
	AUDIT_ADD,
	AUDIT_LIST,
	AUDIT__MAX
};

/* An entry; before and after are the JSON text as stored, or "". */
static const struct db_col entry_c[] = {
	{ "at", DB_TEXT, 0 },
	{ "actor", DB_TEXT, 0 },
	{ "actor_name", DB_TEXT, 0 },
	{ "action", DB_TEXT, 0 },
	{ "object_type", DB_TEXT, 0 },
	{ "object_id", DB_TEXT, 0 },
	{ "unit", DB_TEXT, 0 },
	{ "before", DB_TEXT, 0 },
	{ "after", DB_TEXT, 0 },
};
static const struct db_cols entry_cols = DB_COLS(entry_c);

static const struct db_stmt sqls[AUDIT__MAX] = {
	[AUDIT_ADD] = { "audit_add",
	    "INSERT INTO audit_log (actor_id, action, object_type, object_id, "
	    "unit_id, before, after) VALUES (ch_person(), $1, $2, $3, "
	    "nullif($4, '0')::bigint, $5::jsonb, $6::jsonb)", NULL },
	[AUDIT_LIST] = { "audit_list",
	    "SELECT to_char(a.at AT TIME ZONE 'UTC', "
	    "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') AS at, coalesce(p.email, '') "
	    "AS actor, coalesce(p.name, '') AS actor_name, a.action, "
	    "a.object_type, a.object_id, coalesce(u.slug, '') AS unit, "
	    "coalesce(a.before::text, '') AS before, "
	    "coalesce(a.after::text, '') AS after FROM audit_log a "
	    "LEFT JOIN people p ON p.id = a.actor_id "
	    "LEFT JOIN units u ON u.id = a.unit_id "
	    "WHERE ($1 = '' OR lower(p.email) = lower($1)) "
	    "AND ($2 = '' OR u.slug = $2) AND ($3 = '' OR a.action = $3) "
	    "AND (nullif($4, '') IS NULL OR a.at >= nullif($4, '')::date) "
	    "AND (nullif($5, '') IS NULL OR "
	    "a.at < nullif($5, '')::date + 1) "
	    "ORDER BY a.at DESC, a.id DESC LIMIT 1000", &entry_cols },
};

const struct db_stmts audit_stmts = { sqls, NELEM(sqls), NULL };

static const char *
dump(struct req *r, json_t *v)
{
	char		*s;
	const char	*out;

	if (v == NULL || (s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY))
	    == NULL)
		return NULL;
	out = arena_strdup(r->a, s);
	free(s);
	return out;
}

int
audit_add(struct req *r, const char *action, const char *type,
    const char *id, long long unit, json_t *before, json_t *after)
{
	const char	*v[6];
	PGresult	*res;

	v[0] = action;
	v[1] = type;
	v[2] = id;
	v[3] = arena_printf(r->a, "%lld", unit);
	v[4] = dump(r, before);
	v[5] = dump(r, after);
	return db_query(r->db, r->a, &sqls[AUDIT_ADD], 6, v, &res);
}

int
audit_list(struct req *r, const struct audit_filter *f, json_t *out)
{
	const char	*v[5] = { f->actor, f->unit, f->action, f->from,
			    f->to };
	PGresult	*res;
	int		 rc;

	if ((rc = db_query_last(r->db, r->a, &sqls[AUDIT_LIST], 5, v,
	    &res)) != 1)
		return rc;
	db_rows_json(res, &entry_cols, out);
	return 1;
}
