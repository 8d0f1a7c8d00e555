/*
 * linkjob_db.c: the worker's one statement of the links rule: the
 * results of a job go to ch_guide_links_record() (sql/029_link_checks.
 * sql), a SECURITY DEFINER function, so the worker's role reads no
 * post, rule or unit.  The table is also listed in db_tables, so the
 * statement test prepares it against a freshly migrated schema.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include <libpq-fe.h>

#include "db.h"
#include "dbrow.h"
#include "jobs_db_impl.h"
#include "linkjob.h"
#include "stmts.h"
#include "util.h"

enum {
	LINKJOB_RECORD,
	LINKJOB__MAX
};

static const struct db_col record_c[] = {
	{ "raised", DB_INT, 0 },
};
static const struct db_cols record_cols = DB_COLS(record_c);

static const struct db_stmt sqls[LINKJOB__MAX] = {
	[LINKJOB_RECORD] = { "linkjob_record",
	    "SELECT ch_guide_links_record($1::bigint, $2::bigint, $3::int, "
	    "$4::jsonb) AS raised", &record_cols },
};

const struct db_stmts linkjob_stmts = { sqls, NELEM(sqls), NULL };

int
linkjob_db_record(struct jobs_db *db, long long u, long long p,
    long long rev, const char *results, int *raised)
{
	PGresult	*res;
	char		 su[24], sp[24], sr[24];
	const char	*v[4] = { su, sp, sr, results };

	snprintf(su, sizeof(su), "%lld", u);
	snprintf(sp, sizeof(sp), "%lld", p);
	snprintf(sr, sizeof(sr), "%lld", rev);
	if (jobs_db_exec(db, &sqls[LINKJOB_RECORD], 4, v, &res) != 1)
		return -1;
	*raised = PQntuples(res) == 1 ? (int)db_get_int(res, 0, &record_cols,
	    "raised") : 0;
	PQclear(res);
	return 1;
}
