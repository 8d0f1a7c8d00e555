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
#include "jobs_db_impl.h"
#include "reminders_db.h"
#include "stmts.h"
#include "util.h"

enum {
	REMINDERS_CLAIM,
	REMINDERS__MAX
};

static const struct db_stmt sqls[REMINDERS__MAX] = {
	[REMINDERS_CLAIM] = { "reminders_claim",
	    "SELECT person_id, email, name, slug, unit, requester, "
	    "requester_email, waited_seconds "
	    "FROM ch_claim_reminders(make_interval(secs => $1))" },
};

const struct db_stmts reminders_stmts = { sqls, NELEM(sqls) };

/* Row i of a claim as an object. */
static json_t *
row_json(PGresult *res, int i)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:I}",
	    "person_id", (json_int_t)strtoll(PQgetvalue(res, i, 0), NULL, 10),
	    "email", PQgetvalue(res, i, 1), "name", PQgetvalue(res, i, 2),
	    "slug", PQgetvalue(res, i, 3), "unit", PQgetvalue(res, i, 4),
	    "requester", PQgetvalue(res, i, 5),
	    "requester_email", PQgetvalue(res, i, 6),
	    "waited_seconds", (json_int_t)strtoll(PQgetvalue(res, i, 7),
	    NULL, 10));
}

int
reminders_db_claim(struct jobs_db *db, int after, json_t **rows)
{
	PGresult	*res;
	json_t		*row;
	char		 secs[16];
	const char	*v[1] = { secs };
	int		 i;

	snprintf(secs, sizeof(secs), "%d", after);
	if (jobs_db_exec(db, &sqls[REMINDERS_CLAIM], 1, v, &res) != 1)
		return -1;
	*rows = json_array();
	for (i = 0; i < PQntuples(res); i++)
		/* The database holds UTF-8 text: a row always packs. */
		if ((row = row_json(res, i)) != NULL)
			json_array_append_new(*rows, row);
	PQclear(res);
	return 1;
}
