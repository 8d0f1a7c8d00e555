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
	AUDIT__MAX
};

static const struct db_stmt sqls[AUDIT__MAX] = {
	[AUDIT_ADD] = { "audit_add",
	    "INSERT INTO audit_log (actor_id, action, object_type, object_id, "
	    "unit_id, before, after) VALUES (ch_person(), $1, $2, $3, "
	    "nullif($4, '0')::bigint, $5::jsonb, $6::jsonb)" },
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
