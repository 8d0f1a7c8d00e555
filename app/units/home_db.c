/* home_db.c: statements of a signed-in person's home. */
#include "config.h"

#include "db.h"
#include "home_db.h"
#include "req.h"
#include "stmts.h"
#include "util.h"

enum {
	HOME_INVITATIONS,
	HOME__MAX
};

static const struct db_stmt sqls[HOME__MAX] = {
	[HOME_INVITATIONS] = { "home_invitations",
	    "SELECT slug, unit, role, inviter, "
	    "coalesce(to_char(last_day, 'YYYY-MM-DD'), ''), "
	    "to_char(expires_at AT TIME ZONE 'UTC', "
	    "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') FROM ch_my_invitations()" },
};

const struct db_stmts home_stmts = { sqls, NELEM(sqls) };

int
home_db_invitations(struct req *r, json_t *out)
{
	PGresult	*res;
	int		 rc, i;

	if ((rc = db_query(r->db, r->a, &sqls[HOME_INVITATIONS], 0, NULL,
	    &res)) != 1)
		return rc;
	for (i = 0; i < PQntuples(res); i++)
		json_array_append_new(out, json_pack("{s:s, s:s, s:s, s:s, "
		    "s:s?, s:s}", "slug", PQgetvalue(res, i, 0), "unit",
		    PQgetvalue(res, i, 1), "role", PQgetvalue(res, i, 2),
		    "inviter", PQgetvalue(res, i, 3), "last_day",
		    *PQgetvalue(res, i, 4) != '\0' ? PQgetvalue(res, i, 4) :
		    NULL, "expires_at", PQgetvalue(res, i, 5)));
	return 1;
}
