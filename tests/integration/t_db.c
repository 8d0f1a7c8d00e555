/*
 * t_db.c: the transaction layer against a real PostgreSQL (driven by
 * test_db.py, which creates the db_probe table and passes CH_TEST_DB).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "../unit/tap.h"
#include "arena.h"
#include "db.h"
#include "dbrow.h"
#include "req.h"
#include "stmts.h"
#include "unit_db.h"
#include "util.h"

enum {
	P_INSERT,
	P_INSERT_OWN,
	P_COUNT,
	P_WHO,
	P_NOW,
	P_BAD,
	P_BAD_OWN,
	P_ROW,
	P_NONE,
	P_ECHO,
	P__MAX
};

/* A statement's own refusals: a unique violation, a whole class. */
static const struct db_refusal own_refusals[] = {
	{ "23505", 409, "probe_taken", "id", "this id is taken", 0 },
	{ "22", 422, "probe_data", NULL, "a data exception", 0 },
	{ NULL, 0, NULL, NULL, NULL, 0 }
};

/* A call site's: the same unique violation, worded otherwise. */
static const struct db_refusal site_refusals[] = {
	{ "23505", 409, "site_taken", "who", "taken, says the call site", 0 },
	{ NULL, 0, NULL, NULL, NULL, 0 }
};

static const struct db_col row_c[] = {
	{ "t", DB_TEXT, 0 },
	{ "i", DB_INT, 0 },
	{ "b", DB_BOOL, 0 },
	{ "j", DB_JSON, 0 },
	{ "n", DB_TEXT, 0 },
	{ "gone", DB_TEXT, DB_OMIT_NULL },
	{ "empty", DB_TEXT, DB_OMIT_EMPTY },
	{ "kept", DB_TEXT, DB_OMIT_EMPTY },
	{ "secret", DB_TEXT, DB_HIDDEN },
};
static const struct db_cols row_cols = DB_COLS(row_c);

static const struct db_stmt probe[P__MAX] = {
	[P_INSERT] = { "probe_insert", "INSERT INTO db_probe (id, who) VALUES "
	    "($1, current_setting('chapterhouse.person', true))", NULL },
	[P_INSERT_OWN] = { "probe_insert_own", "INSERT INTO db_probe (id, who) "
	    "VALUES ($1, 'own')", NULL },
	[P_COUNT] = { "probe_count", "SELECT count(*) FROM db_probe", NULL },
	[P_WHO] = { "probe_who", "SELECT coalesce(current_setting("
	    "'chapterhouse.person', true), ''), "
	    "current_setting('transaction_read_only')", NULL },
	[P_NOW] = { "probe_now", "SELECT now()::text", NULL },
	[P_BAD] = { "probe_bad", "SELECT 1 / 0", NULL },
	[P_BAD_OWN] = { "probe_bad_own", "SELECT 1 / 0", NULL },
	[P_NONE] = { "probe_none", "SELECT 1 WHERE false", NULL },
	[P_ECHO] = { "probe_echo", "SELECT $1::text", NULL },
	[P_ROW] = { "probe_row", "SELECT 'a\"b' AS t, 42::bigint AS i, "
	    "true AS b, '{\"k\": [1, null]}'::json AS j, NULL::text AS n, "
	    "NULL::text AS gone, '' AS empty, 'x' AS kept, 's' AS secret",
	    &row_cols },
};

static const struct db_refusal *const probe_refusals[P__MAX] = {
	[P_INSERT_OWN] = own_refusals,
	[P_BAD_OWN] = own_refusals,
};

static const struct db_stmts probe_stmts = { probe, P__MAX, probe_refusals };
static const struct db_stmts *tables[64];

static struct arena	*a;

static const char *
val(PGresult *res, int col)
{
	return res != NULL && PQntuples(res) > 0 ? PQgetvalue(res, 0, col) :
	    NULL;
}

static long
count(struct db *db)
{
	PGresult	*res = NULL;

	db_tx_setup(db, DB_TX_RO, "", "", "count");
	if (db_query_last(db, a, &probe[P_COUNT], 0, NULL, &res) != 1)
		return -1;
	return atol(val(res, 0));
}

static int
insert(struct db *db, const char *id, const char *person, int commit,
    int *qrc)
{
	const char	*v[1] = { id };

	db_tx_setup(db, DB_TX_RW, person, "", "insert");
	*qrc = db_query(db, a, &probe[P_INSERT], 1, v, NULL);
	db_tx_end(db, commit);
	return db_tx_wait(db);
}

/*
 * Every statement that declares its columns returns exactly those: the
 * names, their order and types that read as declared.  Returns how many
 * statements were checked, or -1 after a failed check (reported).
 */
static int
check_columns(const char *ci)
{
	PGconn			*c = PQconnectdb(ci);
	PGresult		*res;
	const struct db_stmt	*s;
	char			 err[256];
	int			 i, n = 0, bad = 0;
	size_t			 j;

	if (PQstatus(c) != CONNECTION_OK) {
		printf("# connect: %s", PQerrorMessage(c));
		PQfinish(c);
		return -1;
	}
	for (i = 0; db_tables[i] != NULL; i++)
		for (j = 0; j < db_tables[i]->n; j++) {
			s = &db_tables[i]->v[j];
			if (s->cols == NULL)
				continue;
			PQclear(PQprepare(c, s->name, s->sql, 0, NULL));
			res = PQdescribePrepared(c, s->name);
			if (PQresultStatus(res) != PGRES_COMMAND_OK) {
				printf("# %s: %s", s->name, PQerrorMessage(c));
				bad = 1;
			} else if (!db_cols_match(res, s->cols, err,
			    sizeof(err))) {
				printf("# %s: %s\n", s->name, err);
				bad = 1;
			}
			PQclear(res);
			n++;
		}
	PQfinish(c);
	return bad ? -1 : n;
}

int
main(void)
{
	const char	*ci = getenv("CH_TEST_DB");
	struct db	*db, *down;
	PGresult	*res = NULL, *res2 = NULL;
	long		 rows;
	int		 qrc, i;

	if (ci == NULL) {
		printf("1..0 # SKIP CH_TEST_DB not set (run by test_db.py)\n");
		return 0;
	}
	/* Every statement of the application, plus this test's own. */
	for (i = 0; db_tables[i] != NULL && i < (int)NELEM(tables) - 2; i++)
		tables[i] = db_tables[i];
	tables[i++] = &probe_stmts;
	tables[i] = NULL;
	a = arena_new(0);
	db = db_new(ci, 5, "t_db", tables);
	is_int(db_connect(db), 1, "connects and prepares every statement of "
	    "every module against the migrated schema");
	ok(check_columns(ci) > 0, "every declared column list matches its "
	    "statement's columns");

	db_tx_setup(db, DB_TX_RO, "", "", "r1");
	is_int(db_query_last(db, a, &probe[P_WHO], 0, NULL, &res), 1,
	    "anonymous read");
	is_str(val(res, 0), "", "an anonymous read acts as nobody");
	is_str(val(res, 1), "on", "reads are read-only transactions");
	is_int(db_tx_open(db), 0, "the last query ended the transaction");

	db_tx_setup(db, DB_TX_RO, "7", "admin", "r2");
	is_int(db_query(db, a, &probe[P_WHO], 0, NULL, &res), 1,
	    "a read on behalf of a person");
	is_str(val(res, 0), "7", "the prologue sets the acting person");
	is_str(val(res, 1), "on", "and stays read-only");
	db_tx_end(db, 1);
	is_int(db_tx_wait(db), 1, "a read ends cleanly");

	db_tx_setup(db, DB_TX_RO, "", "", "r2a");
	is_int(db_query(db, a, &probe[P_WHO], 0, NULL, &res), 1,
	    "a read that starts anonymous");
	is_str(val(res, 0), "", "acts as nobody at first");
	db_tx_act(db, "8", "hr");
	is_int(db_query(db, a, &probe[P_WHO], 0, NULL, &res), 1,
	    "a statement after db_tx_act()");
	is_str(val(res, 0), "8", "acts as the person named in the same "
	    "transaction");
	db_tx_end(db, 1);
	is_int(db_tx_wait(db), 1, "and ends cleanly");

	db_tx_setup(db, DB_TX_RW, "", "", "w0");
	db_tx_act(db, "9", "");
	is_int(db_query(db, a, &probe[P_WHO], 0, NULL, &res), 1,
	    "a write named before its first statement");
	is_str(val(res, 0), "9", "acts as that person from the start");
	is_str(val(res, 1), "off", "and is a read-write transaction");
	db_tx_end(db, 0);
	db_tx_wait(db);

	db_tx_setup(db, DB_TX_RO, "", "", "r3");
	{
		const char *v[1] = { "9" };

		is_int(db_query(db, a, &probe[P_INSERT], 1, v, NULL), -1,
		    "a write in a read-only transaction fails: -1");
	}
	is_str(db_sqlstate(db), "25006", "with read_only_sql_transaction");
	is_int(db_failure(db), DB_FAIL_ERROR, "which is an error, not an "
	    "expected refusal");
	ok(db_refusal(db, NULL) == NULL, "and maps to no refusal (500)");
	db_tx_end(db, 1);
	is_int(db_tx_wait(db), 0, "and the transaction is not committed");
	is_int(count(db), 0, "nothing was written");

	is_int(insert(db, "1", "42", 1, &qrc), 1, "a write commits");
	is_int(qrc, 1, "its statement succeeded");
	is_int(count(db), 1, "the row is there");

	db_tx_setup(db, DB_TX_RW, "42", "", "w");
	db_query(db, a, &probe[P_WHO], 0, NULL, &res);
	is_str(val(res, 1), "off", "writes are read-write transactions");
	is_str(val(res, 0), "42", "acting as the person");
	db_tx_end(db, 0);
	db_tx_wait(db);

	is_int(insert(db, "2", "42", 0, &qrc), 0, "a write the handler "
	    "rejects is rolled back");
	is_int(count(db), 1, "nothing more was written");

	is_int(insert(db, "1", "42", 1, &qrc), 0, "a duplicate key fails");
	is_int(qrc, -1, "its statement reports the failure: -1");
	is_str(db_sqlstate(db), "23505", "as unique_violation");
	is_int(db_failure(db), DB_FAIL_REFUSED, "an expected refusal");
	{
		const struct db_refusal *m = db_refusal(db, NULL);

		ok(m != NULL && m->status == 409 && strcmp(m->code,
		    "taken") == 0 && m->field == NULL, "the generic table "
		    "maps a unique violation to 409 taken");
	}
	is_int(insert(db, "3", "43", 1, &qrc), 1, "the next write works: the "
	    "aborted block was cleaned up");
	is_int(count(db), 2, "two rows");

	db_tx_setup(db, DB_TX_RO, "", "", "r4");
	db_query(db, a, &probe[P_WHO], 0, NULL, &res);
	is_str(val(res, 0), "", "the person does not leak into the next request");
	db_tx_end(db, 1);
	db_tx_wait(db);

	db_tx_setup(db, DB_TX_RO, "", "", "r5");
	db_query(db, a, &probe[P_NOW], 0, NULL, &res);
	db_query(db, a, &probe[P_NOW], 0, NULL, &res2);
	ok(val(res, 0) && val(res2, 0) && strcmp(val(res, 0), val(res2, 0)) == 0,
	    "two queries of one request share one transaction");
	db_tx_end(db, 1);
	db_tx_wait(db);

	db_tx_setup(db, DB_TX_RW, "45", "", "w5");
	{
		const char		*v[1] = { "1" };
		const struct db_refusal	*m;

		is_int(db_query(db, a, &probe[P_INSERT_OWN], 1, v, NULL), -1,
		    "a statement with its own refusals fails: -1");
		is_int(db_failure(db), DB_FAIL_REFUSED, "refused");
		m = db_refusal(db, NULL);
		ok(m != NULL && m->status == 409 && strcmp(m->code,
		    "probe_taken") == 0 && strcmp(m->field, "id") == 0,
		    "its own refusal comes before the generic one, with its "
		    "field");
		m = db_refusal(db, site_refusals);
		ok(m != NULL && strcmp(m->code, "site_taken") == 0 &&
		    strcmp(m->message, "taken, says the call site") == 0,
		    "a call site's refusal comes first");
		is_int(db_query(db, a, &probe[P_WHO], 0, NULL, &res), -1,
		    "later statements of the transaction fail: -1");
		is_int(db_failure(db), DB_FAIL_REFUSED, "and the first "
		    "failure's class stands");
		is_str(db_sqlstate(db), "23505", "with its SQLSTATE");
		is_int(db_tx_restart(db), 1, "the aborted transaction is "
		    "ended on request");
		is_int(db_query(db, a, &probe[P_WHO], 0, NULL, &res), 1,
		    "then the request reads again");
		is_str(val(res, 0), "45", "still acting as the person");
		is_int(db_failure(db), DB_FAIL_REFUSED, "and the failure is "
		    "still reported");
		db_tx_end(db, 0);
		db_tx_wait(db);
	}
	is_int(count(db), 2, "nothing was written by the refused request");
	is_int(db_failure(db), DB_FAIL_NONE, "a new request starts with no "
	    "failure");

	db_tx_setup(db, DB_TX_RO, "", "", "r5a");
	is_int(db_query(db, a, &probe[P_BAD_OWN], 0, NULL, &res), -1,
	    "a data exception fails");
	is_int(db_failure(db), DB_FAIL_REFUSED, "refused by its statement's "
	    "list, which names the whole class");
	ok(db_refusal(db, NULL) != NULL && db_refusal(db, NULL)->status ==
	    422, "and answered 422");
	db_tx_end(db, 1);
	db_tx_wait(db);

	db_tx_setup(db, DB_TX_RO, "", "", "r5b");
	{
		struct req	 r;
		const char	*state = "unset";

		req_init(&r, a, NULL);
		r.db = db;
		is_int(unit_db_state(&r, "no-such-unit", &state), 0,
		    "a *_db.c call that finds no row returns 0");
		is_int(db_failure(db), DB_FAIL_NONE, "which is no failure");
		is_str(state, "unset", "and sets nothing");
		db_tx_end(db, 1);
		db_tx_wait(db);
	}

	db_tx_setup(db, DB_TX_RO, "", "", "r6");
	is_int(db_query(db, a, &probe[P_BAD], 0, NULL, &res), -1,
	    "a failing statement returns -1");
	is_str(db_sqlstate(db), "22012", "with its SQLSTATE");
	is_int(db_failure(db), DB_FAIL_ERROR, "a division by zero is an error");
	ok(!db_refused(db, &probe[P_BAD], "22012") &&
	    db_refused(db, &probe[P_BAD_OWN], "22012") &&
	    db_refused(db, &probe[P_BAD], "42501") &&
	    db_refused(db, &probe[P_BAD], "CH409") &&
	    !db_refused(db, &probe[P_BAD], ""), "db_refused() knows the "
	    "generic table and the statement's list");
	is_int(db_query(db, a, &probe[P_COUNT], 0, NULL, &res), -1,
	    "later statements of the request fail too");
	db_tx_end(db, 1);
	db_tx_wait(db);
	is_int(count(db), 2, "the next request works");

	db_tx_setup(db, DB_TX_RO, "", "", "r7");
	db_query_last(db, a, &probe[P_NOW], 0, NULL, &res);
	is_int(db_query(db, a, &probe[P_NOW], 0, NULL, &res2), 1,
	    "a query after the last one starts a new transaction");
	db_tx_end(db, 1);
	is_int(db_tx_wait(db), 1, "which is ended too");
	is_int(insert(db, "4", "44", 1, &qrc), 1, "so the next write is not "
	    "caught in a leftover transaction");

	db_tx_setup(db, DB_TX_RO, "", "", "r8");
	is_int(db_query_last(db, a, &probe[P_BAD], 0, NULL, &res), -1,
	    "a failing last statement returns -1");
	is_str(db_sqlstate(db), "22012", "with its SQLSTATE");
	is_int(count(db), 3, "and the connection goes on");

	db_tx_setup(db, DB_TX_RO, "", "", "r10");
	is_int(db_query_row(db, a, &probe[P_COUNT], 0, NULL, &res), 1,
	    "a statement's one row: 1");
	is_int(db_query_row(db, a, &probe[P_NONE], 0, NULL, &res), 0,
	    "no row: 0");
	is_int(db_query_row(db, a, &probe[P_BAD], 0, NULL, &res), -1,
	    "a failure: -1");
	db_tx_end(db, 1);
	db_tx_wait(db);

	db_tx_setup(db, DB_TX_RO, "", "", "r9");
	if (db_query_last(db, a, &probe[P_ROW], 0, NULL, &res) == 1) {
		json_t	*o = db_row_json(res, 0, &row_cols);
		char	*s = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);

		is_str(s, "{\"b\":true,\"i\":42,\"j\":{\"k\":[1,null]},"
		    "\"kept\":\"x\",\"n\":null,\"t\":\"a\\\"b\"}",
		    "a row maps to JSON by its column list: types, nulls, "
		    "omitted and hidden columns");
		free(s);
		json_decref(o);
		is_str(db_get(res, 0, &row_cols, "secret"), "s",
		    "a hidden column is read by name");
		ok(db_get(res, 0, &row_cols, "n") == NULL, "NULL reads as NULL");
		is_int(db_get_int(res, 0, &row_cols, "i"), 42, "an integer");
		is_int(db_get_bool(res, 0, &row_cols, "b"), 1, "a boolean");
	} else
		ok(0, "the row probe runs");

	/* A statement that travels behind the first one (db_prefetch()). */
	rows = count(db);
	db_tx_setup(db, DB_TX_RO, "46", "", "p1");
	db_prefetch(db, &probe[P_WHO], 0, NULL, 1);
	is_int(db_query(db, a, &probe[P_NOW], 0, NULL, &res), 1,
	    "the first statement runs with a prefetched one behind it");
	ok(db_tx_open(db), "the read is open after the first");
	res2 = NULL;
	is_int(db_query_last(db, a, &probe[P_WHO], 0, NULL, &res2), 1,
	    "asking for the prefetched statement returns its result");
	is_str(val(res2, 0), "46", "which ran in the transaction, acting as "
	    "the person");
	is_str(val(res2, 1), "on", "read-only");
	ok(!db_tx_open(db), "and the read ended with it: its sync went along");
	db_tx_end(db, 1);
	is_int(db_tx_wait(db), 1, "nothing is left to end");

	db_tx_setup(db, DB_TX_RO, "", "", "p2");
	{
		const char	*va[1] = { "a" }, *vb[1] = { "b" };

		db_prefetch(db, &probe[P_ECHO], 1, va, 0);
		db_query(db, a, &probe[P_NOW], 0, NULL, &res);
		is_int(db_query(db, a, &probe[P_ECHO], 1, vb, &res2), 1,
		    "the same statement with other values is sent anew");
		is_str(val(res2, 0), "b", "and answers for its own values");
		is_int(db_query(db, a, &probe[P_ECHO], 1, va, &res2), 1,
		    "with the prefetched values, once it was passed by");
		is_str(val(res2, 0), "a", "it is sent anew too");
		db_tx_end(db, 1);
		db_tx_wait(db);
	}
	is_int(count(db), rows, "a prefetched statement nobody asked for "
	    "leaves the connection in order");

	db_tx_setup(db, DB_TX_RO, "", "", "p3");
	db_prefetch(db, &probe[P_BAD], 0, NULL, 1);
	is_int(db_query(db, a, &probe[P_NOW], 0, NULL, &res), 1,
	    "a failing prefetched statement does not fail the one before it");
	db_prefetch_drop(db);
	is_int(db_failure(db), DB_FAIL_NONE, "dropped, its failure is none");
	is_int(db_query(db, a, &probe[P_WHO], 0, NULL, &res), 1,
	    "and the request reads on, in a transaction started again");
	db_tx_end(db, 1);
	db_tx_wait(db);

	db_tx_setup(db, DB_TX_RO, "", "", "p4");
	db_prefetch(db, &probe[P_BAD], 0, NULL, 0);
	db_query(db, a, &probe[P_NOW], 0, NULL, &res);
	is_int(db_query(db, a, &probe[P_COUNT], 0, NULL, &res), -1,
	    "not dropped, its failure fails the next statement");
	is_int(db_failure(db), DB_FAIL_ERROR, "as the request's failure");
	db_tx_end(db, 0);
	db_tx_wait(db);
	is_int(count(db), rows, "the next request reads again");

	db_tx_setup(db, DB_TX_RW, "47", "", "p5");
	db_prefetch(db, &probe[P_WHO], 0, NULL, 1);
	is_int(db_query(db, a, &probe[P_NOW], 0, NULL, &res), 1,
	    "in a write, the prefetched statement goes along too");
	is_int(db_query(db, a, &probe[P_WHO], 0, NULL, &res2), 1,
	    "and is returned");
	is_str(val(res2, 1), "off", "in the read-write transaction, which it "
	    "does not end");
	ok(db_tx_open(db), "still open");
	db_tx_end(db, 1);
	is_int(db_tx_wait(db), 1, "the write commits");

	down = db_new("host=/nonexistent dbname=none", 1, "t_db", tables);
	is_int(db_connect(down), 0, "an unreachable server does not connect");
	db_tx_setup(down, DB_TX_RO, "", "", "d");
	is_int(db_query(down, a, &probe[P_COUNT], 0, NULL, &res), -1,
	    "and a query fails: -1");
	is_int(db_failure(down), DB_FAIL_DOWN, "of class down (503)");
	ok(db_refusal(down, NULL) == NULL, "which is no refusal");
	db_free(down);

	db_free(db);
	arena_free(a);
	return tap_done();
}
