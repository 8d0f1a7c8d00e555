/* home_db.c: statements of a signed-in person's home. */
#include "config.h"

#include "db.h"
#include "dbrow.h"
#include "home_db.h"
#include "req.h"
#include "stmts.h"
#include "util.h"

enum {
	HOME_INVITATIONS,
	HOME__MAX
};

static const struct db_col invitation_c[] = {
	{ "slug", DB_TEXT, 0 },
	{ "unit", DB_TEXT, 0 },
	{ "role", DB_TEXT, 0 },
	{ "inviter", DB_TEXT, 0 },
	{ "last_day", DB_TEXT, 0 },
	{ "expires_at", DB_TEXT, 0 },
};
static const struct db_cols invitation_cols = DB_COLS(invitation_c);

static const struct db_stmt sqls[HOME__MAX] = {
	[HOME_INVITATIONS] = { "home_invitations",
	    "SELECT slug, unit, role, inviter, "
	    "to_char(last_day, 'YYYY-MM-DD') AS last_day, "
	    "to_char(expires_at AT TIME ZONE 'UTC', "
	    "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') AS expires_at "
	    "FROM ch_my_invitations()", &invitation_cols },
};

const struct db_stmts home_stmts = { sqls, NELEM(sqls), NULL };

int
home_db_invitations(struct req *r, json_t *out)
{
	PGresult	*res;
	int		 rc;

	if ((rc = db_query(r->db, r->a, &sqls[HOME_INVITATIONS], 0, NULL,
	    &res)) != 1)
		return rc;
	db_rows_json(res, &invitation_cols, out);
	return 1;
}
