/* unit_db.c: statements of units and their members. */
#include "config.h"

#include "db.h"
#include "req.h"
#include "stmts.h"
#include "unit_db.h"
#include "util.h"

enum {
	UNIT_MINE,
	UNIT__MAX
};

static const struct db_stmt sqls[UNIT__MAX] = {
	/* Who "I" am comes from the transaction, as for every policy. */
	[UNIT_MINE] = { "unit_mine",
	    "SELECT u.slug, u.name, u.state, m.role FROM unit_members m "
	    "JOIN units u ON u.id = m.unit_id WHERE m.person_id = ch_person() "
	    "AND (m.expires_at IS NULL OR m.expires_at > now()) "
	    "ORDER BY u.name, u.slug" },
};

const struct db_stmts unit_stmts = { sqls, NELEM(sqls) };

int
unit_db_mine(struct req *r, json_t *out)
{
	PGresult	*res;
	int		 rc, i;

	if ((rc = db_query_last(r->db, r->a, &sqls[UNIT_MINE], 0, NULL,
	    &res)) != 1)
		return rc;
	for (i = 0; i < PQntuples(res); i++)
		json_array_append_new(out, json_pack("{s:s, s:s, s:s, s:s}",
		    "slug", PQgetvalue(res, i, 0), "name", PQgetvalue(res, i, 1),
		    "state", PQgetvalue(res, i, 2), "role",
		    PQgetvalue(res, i, 3)));
	return 1;
}
