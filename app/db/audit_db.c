/* audit_db.c: writing audit rows. */
#include "config.h"

#include <stdlib.h>

#include "arena.h"
#include "audit.h"
#include "db.h"
#include "req.h"
#include "stmts.h"
#include "util.h"

enum {
	AUDIT_ADD,
	AUDIT_LIST,
	AUDIT__MAX
};

static const struct db_stmt sqls[AUDIT__MAX] = {
	[AUDIT_ADD] = { "audit_add",
	    "INSERT INTO audit_log (actor_id, action, object_type, object_id, "
	    "unit_id, before, after) VALUES (ch_person(), $1, $2, $3, "
	    "nullif($4, '0')::bigint, $5::jsonb, $6::jsonb)" },
	[AUDIT_LIST] = { "audit_list",
	    "SELECT to_char(a.at AT TIME ZONE 'UTC', "
	    "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), coalesce(p.email, ''), "
	    "coalesce(p.name, ''), a.action, a.object_type, a.object_id, "
	    "coalesce(u.slug, ''), coalesce(a.before::text, ''), "
	    "coalesce(a.after::text, '') FROM audit_log a "
	    "LEFT JOIN people p ON p.id = a.actor_id "
	    "LEFT JOIN units u ON u.id = a.unit_id "
	    "WHERE ($1 = '' OR lower(p.email) = lower($1)) "
	    "AND ($2 = '' OR u.slug = $2) AND ($3 = '' OR a.action = $3) "
	    "AND (nullif($4, '') IS NULL OR a.at >= nullif($4, '')::date) "
	    "AND (nullif($5, '') IS NULL OR "
	    "a.at < nullif($5, '')::date + 1) "
	    "ORDER BY a.at DESC, a.id DESC LIMIT 1000" },
};

const struct db_stmts audit_stmts = { sqls, NELEM(sqls) };

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
	const char	*v[5] = { f->actor, f->unit, f->action, f->from, f->to };
	PGresult	*res;
	int		 rc, i;

	if ((rc = db_query_last(r->db, r->a, &sqls[AUDIT_LIST], 5, v,
	    &res)) != 1)
		return rc;
	for (i = 0; i < PQntuples(res); i++)
		json_array_append_new(out, json_pack("{s:s, s:s, s:s, s:s, "
		    "s:s, s:s, s:s, s:s, s:s}", "at", PQgetvalue(res, i, 0),
		    "actor", PQgetvalue(res, i, 1), "actor_name",
		    PQgetvalue(res, i, 2), "action", PQgetvalue(res, i, 3),
		    "object_type", PQgetvalue(res, i, 4), "object_id",
		    PQgetvalue(res, i, 5), "unit", PQgetvalue(res, i, 6),
		    "before", PQgetvalue(res, i, 7), "after",
		    PQgetvalue(res, i, 8)));
	return 1;
}
