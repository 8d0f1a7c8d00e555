/* health_db.c: statements of the health check. */
#include "config.h"

#include "db.h"
#include "health_db.h"
#include "req.h"
#include "stmts.h"
#include "util.h"

enum {
	HEALTH_PING,
	HEALTH__MAX
};

static const struct db_stmt sqls[HEALTH__MAX] = {
	[HEALTH_PING] = { "health_ping", "SELECT 1", NULL },
};

const struct db_stmts health_stmts = { sqls, NELEM(sqls), NULL };

int
health_db_ping(struct req *r)
{
	PGresult	*res;
	int		 rc;

	if ((rc = db_public_last(r->db, r->a, &sqls[HEALTH_PING], 0, NULL,
	    &res)) != 1)
		return rc;
	return PQntuples(res) == 1 ? 1 : 0;
}
