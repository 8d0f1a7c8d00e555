/*
 * reminders_db.c: the statement that claims due reminder digests.
 *
 * The worker's role (chapterhouse_worker) may not read units at all; the
 * statement goes through the one SECURITY DEFINER function that reads
 * what a digest needs (sql/007_reminders.sql) rather than have the worker
 * claim a hub role, which would let it change every unit.  The table is
 * also listed in db_tables, so the statement test prepares it against a
 * freshly migrated schema.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include <libpq-fe.h>

#include "db.h"
#include "dbrow.h"
#include "jobs_db_impl.h"
#include "reminders_db.h"
#include "stmts.h"
#include "util.h"

enum {
	REMINDERS_CLAIM,
	REMINDERS__MAX
};

/* One digest line: an owner to remind, and the request waiting. */
static const struct db_col claim_c[] = {
	{ "person_id", DB_INT, 0 },
	{ "email", DB_TEXT, 0 },
	{ "name", DB_TEXT, 0 },
	{ "slug", DB_TEXT, 0 },
	{ "unit", DB_TEXT, 0 },
	{ "requester", DB_TEXT, 0 },
	{ "requester_email", DB_TEXT, 0 },
	{ "waited_seconds", DB_INT, 0 },
};
static const struct db_cols claim_cols = DB_COLS(claim_c);

static const struct db_stmt sqls[REMINDERS__MAX] = {
	[REMINDERS_CLAIM] = { "reminders_claim",
	    "SELECT person_id, email, name, slug, unit, requester, "
	    "requester_email, waited_seconds "
	    "FROM ch_claim_reminders(make_interval(secs => $1))",
	    &claim_cols },
};

const struct db_stmts reminders_stmts = { sqls, NELEM(sqls), NULL };

int
reminders_db_claim(struct jobs_db *db, int after, json_t **rows)
{
	PGresult	*res;
	char		 secs[16];
	const char	*v[1] = { secs };

	snprintf(secs, sizeof(secs), "%d", after);
	if (jobs_db_exec(db, &sqls[REMINDERS_CLAIM], 1, v, &res) != 1)
		return -1;
	*rows = json_array();
	db_rows_json(res, &claim_cols, *rows);
	PQclear(res);
	return 1;
}
