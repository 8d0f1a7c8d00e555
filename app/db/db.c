/*
 * db.c: one PostgreSQL connection per worker, in pipeline mode.
 *
 * libpq traps handled here: after a server crash the first failing call
 * may return an error without SQLSTATE while PQstatus() still says OK, so
 * any error without SQLSTATE, in class 08, or 57P01-57P03 marks the
 * connection dead; a dead connection is closed and a fresh one made and
 * re-prepared (prepared statements do not survive a reconnect).  A
 * connection found dead under a transaction's first statements is
 * replaced and the statements sent again, since nothing can have run:
 * a PostgreSQL restart between two requests costs no failed request.
 *
 * A failure keeps its class for the request (down, refused, error): a
 * SQLSTATE the failed statement's own refusals or the generic table below
 * list is an expected refusal, logged at info and answered with its 4xx;
 * anything else is a fault, logged at error.
 *
 * A statement may be queued to travel behind the next one sent
 * (db_prefetch()): the session lookup carries a page's first statement,
 * and, when that is the request's last, the end of the read, so the
 * whole request costs one round trip.  Its result is read when the
 * statement is asked for, or dropped.
 *
 * The plain connection underneath (struct db_conn: connect, report an
 * outage once, drop) is shared with the job worker's jobs_db.c.
 */
#include "config.h"

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "db.h"
#include "log.h"
#include "role_db.h"
#include "util.h"

void
db_conn_init(struct db_conn *pg, const char *conninfo, int connect_timeout,
    const char *appname)
{
	memset(pg, 0, sizeof(*pg));
	pg->conninfo = xstrdup(conninfo);
	pg->appname = xstrdup(appname);
	snprintf(pg->timeout, sizeof(pg->timeout), "%d", connect_timeout);
}

void
db_conn_drop(struct db_conn *pg)
{
	if (pg->conn != NULL)
		PQfinish(pg->conn);
	pg->conn = NULL;
}

void
db_conn_fini(struct db_conn *pg)
{
	db_conn_drop(pg);
	free(pg->conninfo);
	free(pg->appname);
	pg->conninfo = pg->appname = NULL;
}

const char *
db_firstline(const char *msg, char *dst, size_t n)
{
	size_t	 len = strcspn(msg, "\n");

	if (len >= n)
		len = n - 1;
	memcpy(dst, msg, len);
	dst[len] = '\0';
	return dst;
}

int
db_conn_open(struct db_conn *pg)
{
	const char	*keys[] = { "dbname", "connect_timeout",
			    "fallback_application_name", NULL };
	const char	*vals[] = { pg->conninfo, pg->timeout, pg->appname,
			    NULL };
	char		 line[256];
	int		 rc;

	db_conn_drop(pg);
	pg->conn = PQconnectdbParams(keys, vals, 1);
	if (PQstatus(pg->conn) != CONNECTION_OK) {
		if (!pg->down_logged)
			log_warn("could not connect to the database: %s",
			    db_firstline(PQerrorMessage(pg->conn), line,
			    sizeof(line)));
		pg->down_logged = 1;
		db_conn_drop(pg);
		return 0;
	}
	if (pg->guard && (rc = role_db_check(pg->conn, line,
	    sizeof(line))) != 1) {
		if (rc == 0 && !pg->refused)
			log_error("refusing to work as the database role of "
			    "this connection: %s; row-level security would "
			    "not hold it (use a role that owns nothing, is "
			    "no superuser and has no BYPASSRLS)", line);
		else if (rc < 0 && !pg->down_logged)
			log_warn("could not check the database role: %s",
			    line);
		pg->refused = rc == 0;
		pg->down_logged = 1;
		db_conn_drop(pg);
		return 0;
	}
	pg->refused = 0;
	return 1;
}

void
db_conn_up(struct db_conn *pg)
{
	if (pg->down_logged)
		log_info("connected to the database");
	pg->down_logged = 0;
}

enum {
	INT_BEGIN,
	INT_PROLOGUE,
	INT_COMMIT,
	INT_ROLLBACK,
	INT__MAX
};

/*
 * Refusals any statement may meet, and their answers unless the statement
 * or the call site says better: row-level security and the privilege
 * checks of triggers (42501), a unique violation, values the schema
 * refuses, and the codes the project's own triggers raise (in sql/).
 */
static const struct db_refusal generic[] = {
	{ "42501", 403, "forbidden", NULL, "you may not make this change", 0 },
	{ "23505", 409, "taken", NULL, "this is taken already; choose "
	  "another", 0 },
	{ "22001", 422, "invalid", NULL, "a field is too long or not "
	  "allowed", 0 },
	{ "22003", 422, "invalid", NULL, "a field is too long or not "
	  "allowed", 0 },
	{ "22007", 422, "invalid", NULL, "a field is too long or not "
	  "allowed", 0 },
	{ "22008", 422, "invalid", NULL, "a field is too long or not "
	  "allowed", 0 },
	{ "22P02", 422, "invalid", NULL, "a field is too long or not "
	  "allowed", 0 },
	{ "23502", 422, "invalid", NULL, "a field is too long or not "
	  "allowed", 0 },
	{ "23514", 422, "invalid", NULL, "a field is too long or not "
	  "allowed", 0 },
	{ "CH403", 403, "forbidden", NULL, "you may not make this change", 0 },
	{ "CH409", 409, "conflict", NULL, "this change is not possible in "
	  "the present state", 0 },
	{ "CH422", 422, "invalid", NULL, "a field is not allowed", 0 },
	{ "CH429", 429, "too_many", NULL, "too many at once; try again "
	  "later", 3600 },
	{ NULL, 0, NULL, NULL, NULL, 0 }
};

static const struct db_stmt internal[INT__MAX] = {
	[INT_BEGIN] = { "db_begin", "BEGIN READ WRITE", NULL },
	[INT_PROLOGUE] = { "db_prologue",
	    "SELECT set_config('role', 'none', true), "
	    "set_config('chapterhouse.person', $1, true), "
	    "set_config('chapterhouse.hub_roles', $2, true), "
	    "set_config('chapterhouse.request_id', $3, true)", NULL },
	[INT_COMMIT] = { "db_commit", "COMMIT", NULL },
	[INT_ROLLBACK] = { "db_rollback", "ROLLBACK", NULL },
};

/*
 * Where the request's transaction stands.  Each state says what may
 * happen next: a statement opens the transaction from TX_IDLE (or
 * TX_UNKNOWN), runs in TX_OPEN, is refused in TX_FAILED (0) and in the
 * ending, broken states (-1); db_tx_wait() reads the end and returns to
 * TX_IDLE, or to TX_UNKNOWN when a COMMIT's outcome was lost.
 */
enum tx_state {
	TX_IDLE,	/* nothing sent: BEGIN and prologue go with a
			   statement */
	TX_OPEN,	/* statements sent, every one succeeded */
	TX_ACTING,	/* open; the acting person changed: prologue again */
	TX_FAILED,	/* a statement failed: the rest fails, the end rolls
			   back */
	TX_COMMITTING,	/* COMMIT (a read: its sync) sent, not yet read */
	TX_ROLLING_BACK, /* ROLLBACK (a failed read: its sync) sent */
	TX_ABORTING,	/* a failed write's sync and ROLLBACK sent: two syncs */
	TX_BROKEN,	/* the connection went away under the transaction */
	TX_UNKNOWN	/* it went away after COMMIT was sent */
};

/* Where a statement queued by db_prefetch() stands. */
enum pre_state {
	PRE_NONE,
	PRE_QUEUED,	/* goes behind the next statement sent */
	PRE_SENT,	/* sent: its result is the next to read */
	PRE_READ	/* read: pre_res holds it for the caller */
};

#define PRE_MAX	4	/* parameters a prefetched statement may have */

struct db {
	struct db_conn	 pg;
	const struct db_stmts *const *tables;
	int		 anon;		/* the connection's role is
					   chapterhouse_anon (db_anon_role()) */
	char		 listen[80];	/* LISTEN on each connection, or "" */
	unsigned	 gen;		/* connections made so far */

	/* per request */
	enum db_tx	 mode;
	enum tx_state	 state;
	const char	*person, *roles;
	int		 wide;		/* runs as the login role: the prologue
					   went, or the session set it */
	char		 reqid[72];	/* a copy: it outlives the request */
	enum db_fail	 fail;		/* the request's failure, if any */
	const struct db_stmt *fail_st;	/* the statement that failed */
	char		 sqlstate[6];	/* its SQLSTATE, or "" */

	/* the statement that travels behind the next (db_prefetch()) */
	enum pre_state	 pre;
	const struct db_stmt *pre_st;
	int		 pre_n;
	const char	*pre_v[PRE_MAX];	/* the request's */
	int		 pre_last;	/* the read ends with it */
	int		 pre_synced;	/* ...and its sync went with it */
	PGresult	*pre_res;	/* PRE_READ: its result */
	int		 quiet;		/* a failure is expected: no log */
};

struct db *
db_new(const char *conninfo, int connect_timeout, const char *appname,
    const struct db_stmts *const *tables)
{
	struct db	*db = xcalloc(1, sizeof(*db));

	db->tables = tables;
	db_conn_init(&db->pg, conninfo, connect_timeout, appname);
	return db;
}

static int	tx_idle(const struct db *);
static void	lost(struct db *, const char *);

static void
drop(struct db *db)
{
	db_conn_drop(&db->pg);
}

void
db_refuse_privileged(struct db *db)
{
	db->pg.guard = 1;
}

void
db_anon_role(struct db *db)
{
	db->anon = 1;
}

void
db_listen(struct db *db, const char *channel)
{
	snprintf(db->listen, sizeof(db->listen), "LISTEN %s", channel);
}

unsigned
db_generation(const struct db *db)
{
	return db->gen;
}

int
db_notified(struct db *db, void (*fn)(void *, const char *), void *arg)
{
	PGnotify	*n;
	struct pollfd	 pfd;
	int		 i;

	if (db->pg.conn == NULL || PQstatus(db->pg.conn) != CONNECTION_OK ||
	    !tx_idle(db))
		return -1;
	/*
	 * Read while the socket has something: a server that shut down
	 * sends its last message, then the end of the stream, which only
	 * a read after that message shows.  Idle, it costs one poll().
	 */
	pfd.fd = PQsocket(db->pg.conn);
	pfd.events = POLLIN;
	for (i = 0; i < 8; i++) {
		pfd.revents = 0;
		if (poll(&pfd, 1, 0) <= 0)
			break;
		if (!PQconsumeInput(db->pg.conn) ||
		    PQstatus(db->pg.conn) != CONNECTION_OK) {
			lost(db, "a wait for notifications");
			db->state = TX_IDLE;
			db->fail = DB_FAIL_NONE;
			return -1;
		}
	}
	while ((n = PQnotifies(db->pg.conn)) != NULL) {
		fn(arg, n->extra);
		PQfreemem(n);
	}
	return 1;
}

void
db_free(struct db *db)
{
	if (db == NULL)
		return;
	db_conn_fini(&db->pg);
	free(db);
}

/* Does this failed result mean the connection cannot be used? */
static int
conn_lost(const struct db *db, const PGresult *res)
{
	const char	*st;

	if (db->pg.conn == NULL || PQstatus(db->pg.conn) != CONNECTION_OK)
		return 1;
	if (res == NULL)
		return 1;
	if (PQresultStatus(res) != PGRES_FATAL_ERROR)
		return 0;
	/*
	 * Class 08 is also what postgres_fdw or dblink report about a remote
	 * server; PQstatus() above already caught a dead connection of ours.
	 */
	st = PQresultErrorField(res, PG_DIAG_SQLSTATE);
	return st == NULL || strcmp(st, "57P01") == 0 ||
	    strcmp(st, "57P02") == 0 || strcmp(st, "57P03") == 0 ||
	    strcmp(st, "57P05") == 0;
}

static void
lost(struct db *db, const char *what)
{
	char	 line[256];

	logm(L_WARN, db->reqid, "database connection lost during %s: %s",
	    what, db->pg.conn ? db_firstline(PQerrorMessage(db->pg.conn), line,
	    sizeof(line)) : "not connected");
	db->pg.down_logged = 1;
	drop(db);
	db->state = TX_BROKEN;
	db->fail = DB_FAIL_DOWN;
}

/* The entry of list (NULL-ended, may be NULL) matching sqlstate, or NULL. */
static const struct db_refusal *
refusal_find(const struct db_refusal *list, const char *sqlstate)
{
	size_t	 n;

	for (; list != NULL && list->sqlstate != NULL; list++) {
		n = strlen(list->sqlstate);
		if (strncmp(list->sqlstate, sqlstate, n) == 0 &&
		    (n == 2 || sqlstate[n] == '\0'))
			return list;
	}
	return NULL;
}

/* The refusals declared for st beside the table that holds it, or NULL. */
static const struct db_refusal *
stmt_refusals(const struct db *db, const struct db_stmt *st)
{
	const struct db_stmts *const *t;
	size_t			 i;

	for (t = db->tables; st != NULL && *t != NULL; t++)
		for (i = 0; (*t)->refusals != NULL && i < (*t)->n; i++)
			if (&(*t)->v[i] == st)
				return (*t)->refusals[i];
	return NULL;
}

int
db_refused(const struct db *db, const struct db_stmt *st,
    const char *sqlstate)
{
	if (sqlstate == NULL || *sqlstate == '\0')
		return 0;
	return refusal_find(stmt_refusals(db, st), sqlstate) != NULL ||
	    refusal_find(generic, sqlstate) != NULL;
}

/*
 * Record the failure of st with result res (the request's first one
 * counts) and log it: at info when it is an expected refusal, at error
 * when it is a fault.
 */
static void
failed(struct db *db, const struct db_stmt *st, const PGresult *res)
{
	const char	*code = PQresultErrorField(res, PG_DIAG_SQLSTATE);
	char		 line[256];
	int		 refused;

	if (code == NULL)
		code = "";
	refused = db_refused(db, st, code);
	if (!db->quiet)
		logm(refused ? L_INFO : L_ERROR, db->reqid, "%s %s: %s",
		    st->name, refused ? "refused" : "failed", db_firstline(
		    PQresultErrorMessage(res), line, sizeof(line)));
	if (db->fail != DB_FAIL_NONE)
		return;
	db->fail = refused ? DB_FAIL_REFUSED : DB_FAIL_ERROR;
	db->fail_st = st;
	snprintf(db->sqlstate, sizeof(db->sqlstate), "%s", code);
}

/* Queue the prepare of each statement of t. */
static void
send_prepares(struct db *db, const struct db_stmt *v, size_t n, int *count)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		PQsendPrepare(db->pg.conn, v[i].name, v[i].sql, 0, NULL);
		(*count)++;
	}
}

/* Read prepare results up to the sync; returns 1 when all succeeded. */
static int
read_prepares(struct db *db, int count)
{
	PGresult	*res;
	int		 ok = 1, nulls = 0;
	char		 line[256];

	for (;;) {
		res = PQgetResult(db->pg.conn);
		if (res == NULL) {
			/* One NULL ends each statement's results. */
			if (PQstatus(db->pg.conn) != CONNECTION_OK ||
			    ++nulls > count)
				return 0;
			continue;
		}
		switch (PQresultStatus(res)) {
		case PGRES_PIPELINE_SYNC:
			PQclear(res);
			return ok;
		case PGRES_COMMAND_OK:
		case PGRES_PIPELINE_ABORTED:
			break;
		default:
			if (ok)
				log_error("could not prepare statements (has "
				    "migrate been run?): %s",
				    db_firstline(PQresultErrorMessage(res),
				    line, sizeof(line)));
			ok = 0;
			if (PQstatus(db->pg.conn) != CONNECTION_OK) {
				PQclear(res);
				return 0;
			}
		}
		PQclear(res);
	}
}

int
db_connect(struct db *db)
{
	const struct db_stmts *const *t;
	char		 line[256];
	int		 count = 0;

	if (!db_conn_open(&db->pg))
		return 0;
	if (!PQenterPipelineMode(db->pg.conn)) {
		log_error("could not enter pipeline mode: %s",
		    db_firstline(PQerrorMessage(db->pg.conn), line,
		    sizeof(line)));
		drop(db);
		return 0;
	}
	/*
	 * Transactions are read-only unless they begin with BEGIN READ WRITE,
	 * so an anonymous read needs no prologue at all.
	 */
	PQsendQueryParams(db->pg.conn, "SET default_transaction_read_only = on",
	    0, NULL, NULL, NULL, NULL, 0);
	count++;
	/*
	 * The session's role is the anonymous one; each transaction that
	 * needs more says so in its prologue (SET LOCAL ROLE NONE), or the
	 * session lookup does when it finds the session.
	 */
	if (db->anon) {
		PQsendQueryParams(db->pg.conn, "SET ROLE chapterhouse_anon",
		    0, NULL, NULL, NULL, NULL, 0);
		count++;
	}
	/*
	 * Before any statement: a change committed after this connection's
	 * first read is notified to it.
	 */
	if (db->listen[0] != '\0') {
		PQsendQueryParams(db->pg.conn, db->listen, 0, NULL, NULL, NULL,
		    NULL, 0);
		count++;
	}
	send_prepares(db, internal, INT__MAX, &count);
	for (t = db->tables; *t != NULL; t++)
		send_prepares(db, (*t)->v, (*t)->n, &count);
	if (!PQpipelineSync(db->pg.conn) || !read_prepares(db, count)) {
		drop(db);
		db->pg.down_logged = 1;
		return 0;
	}
	db_conn_up(&db->pg);
	db->gen++;
	return 1;
}

void
db_tx_setup(struct db *db, enum db_tx mode, const char *person,
    const char *roles, const char *reqid)
{
	db->mode = mode;
	db->state = TX_IDLE;
	db->person = person;
	db->roles = roles;
	db->wide = 0;
	snprintf(db->reqid, sizeof(db->reqid), "%s", reqid ? reqid : "");
	db->fail = DB_FAIL_NONE;
	db->fail_st = NULL;
	db->sqlstate[0] = '\0';
	db->pre = PRE_NONE;
	db->pre_synced = 0;
	PQclear(db->pre_res);	/* left by a connection lost under it */
	db->pre_res = NULL;
	db->quiet = 0;
}

void
db_prefetch(struct db *db, const struct db_stmt *st, int nparams,
    const char *const *values, int last)
{
	int	 i;

	if (db->pre != PRE_NONE || nparams > PRE_MAX || !tx_idle(db))
		return;
	db->pre = PRE_QUEUED;
	db->pre_st = st;
	db->pre_n = nparams;
	for (i = 0; i < nparams; i++)
		db->pre_v[i] = values[i];
	db->pre_last = last && db->mode != DB_TX_RW;
	db->pre_synced = 0;
	db->pre_res = NULL;
}

void
db_tx_act(struct db *db, const char *person, const char *roles)
{
	db->person = person;
	db->roles = roles;
	if (db->state == TX_OPEN)
		db->state = TX_ACTING;
}

void
db_tx_acted(struct db *db, const char *person, const char *roles)
{
	db->person = person;
	db->roles = roles;
	db->wide = 1;
	if (db->state == TX_ACTING)
		db->state = TX_OPEN;
}

/* Nothing of the request's transaction has been sent yet. */
static int
tx_idle(const struct db *db)
{
	return db->state == TX_IDLE || db->state == TX_UNKNOWN;
}

int
db_tx_open(const struct db *db)
{
	return !tx_idle(db);
}

enum db_tx
db_tx_mode(const struct db *db)
{
	return db->mode;
}

const char *
db_sqlstate(const struct db *db)
{
	return db->sqlstate;
}

enum db_fail
db_failure(const struct db *db)
{
	return db->fail;
}

const struct db_refusal *
db_refusal(const struct db *db, const struct db_refusal *local)
{
	const struct db_refusal	*m;

	if (db->fail == DB_FAIL_NONE || db->fail == DB_FAIL_DOWN ||
	    db->sqlstate[0] == '\0')
		return NULL;
	if ((m = refusal_find(local, db->sqlstate)) != NULL)
		return m;
	if ((m = refusal_find(stmt_refusals(db, db->fail_st),
	    db->sqlstate)) != NULL)
		return m;
	return refusal_find(generic, db->sqlstate);
}

/* Make sure a usable connection exists; 1 or -1 (down). */
static int
ensure(struct db *db)
{
	if (db->pg.conn != NULL && PQstatus(db->pg.conn) == CONNECTION_OK)
		return 1;
	if (db_connect(db))
		return 1;
	db->fail = DB_FAIL_DOWN;
	return -1;
}

/*
 * Does the transaction need a prologue?  set_config(..., true) values
 * die with their transaction, so an anonymous read-only request, which
 * has nothing to set, sends none: it costs PostgreSQL one statement less.
 */
static int
needs_prologue(const struct db *db)
{
	return db->mode == DB_TX_RW || (db->person && *db->person) ||
	    (db->roles && *db->roles);
}

/* Queue the prologue: the acting person, their hub roles, the request. */
static int
send_prologue(struct db *db)
{
	const char	*v[3];

	v[0] = db->person ? db->person : "";
	v[1] = db->roles ? db->roles : "";
	v[2] = db->reqid;
	if (!PQsendQueryPrepared(db->pg.conn, internal[INT_PROLOGUE].name, 3, v,
	    NULL, NULL, 0)) {
		lost(db, "the transaction prologue");
		return -1;
	}
	return 1;
}

/*
 * Queue what must go before the next statement: BEGIN (a write) and the
 * prologue when the transaction opens, the prologue alone when the
 * acting person changed since.  On a connection whose role is the
 * anonymous one, a read with nobody acting sends no prologue for a
 * public statement (pub) and runs it as that role; any other statement
 * gets the prologue, which returns to the login role.  Returns the
 * statements queued, or -1.
 */
static int
lead(struct db *db, int pub)
{
	int	 n = 0;

	if (db->state == TX_ACTING ||
	    (db->state == TX_OPEN && !db->wide && !pub && db->anon)) {
		db->state = TX_OPEN;
		db->wide = 1;
		return send_prologue(db);
	}
	if (!tx_idle(db))
		return 0;
	if (ensure(db) < 0)
		return -1;
	db->state = TX_OPEN;
	db->wide = 0;
	if (db->mode == DB_TX_RW) {
		PQsendQueryPrepared(db->pg.conn, internal[INT_BEGIN].name, 0,
		    NULL, NULL, NULL, 0);
		n++;
	}
	if (!needs_prologue(db) && (pub || !db->anon))
		return n;
	db->wide = 1;
	return send_prologue(db) < 0 ? -1 : n + 1;
}

/*
 * Read the results of one queued statement, up to its terminating NULL.
 * Returns 1 with *out (may be NULL when not wanted), 0 on a statement
 * error (the transaction has failed), -1 when the connection went down.
 */
static int
read_one(struct db *db, PGresult **out, const struct db_stmt *st)
{
	PGresult	*res, *keep = NULL;
	int		 rc = 1;
	const char	*what = st->name;

	while ((res = PQgetResult(db->pg.conn)) != NULL) {
		switch (PQresultStatus(res)) {
		case PGRES_TUPLES_OK:
		case PGRES_COMMAND_OK:
			if (keep == NULL && out != NULL) {
				keep = res;
				continue;
			}
			break;
		case PGRES_PIPELINE_ABORTED:
			rc = 0;
			break;
		default:
			if (conn_lost(db, res)) {
				PQclear(res);
				PQclear(keep);
				lost(db, what);
				return -1;
			}
			failed(db, st, res);
			rc = 0;
		}
		PQclear(res);
	}
	if (PQstatus(db->pg.conn) != CONNECTION_OK) {
		PQclear(keep);
		lost(db, what);
		return -1;
	}
	if (rc != 1) {
		PQclear(keep);
		db->state = TX_FAILED;
		return 0;
	}
	if (out != NULL)
		*out = keep;
	return 1;
}

static void
pq_clear(void *p)
{
	PQclear(p);
}

/*
 * Queue the prefetched statement, if one waits, behind the one just
 * queued; when the read ends with it, its sync goes too.  0 when the
 * connection failed.
 */
static int
send_pre(struct db *db)
{
	if (db->pre != PRE_QUEUED)
		return 1;
	if (!PQsendQueryPrepared(db->pg.conn, db->pre_st->name, db->pre_n,
	    db->pre_v, NULL, NULL, 0))
		return 0;
	db->pre = PRE_SENT;
	db->pre_synced = db->pre_last;
	return 1;
}

/*
 * Read the prefetched statement's result, which comes before anything
 * sent after it.  Its failure fails the transaction as any statement's
 * would.  1, 0 (it failed), -1 (the connection went down).
 */
static int
pre_read(struct db *db)
{
	int	 rc;

	if (db->pre != PRE_SENT)
		return 1;
	db->pre = PRE_READ;
	db->pre_res = NULL;
	if ((rc = read_one(db, &db->pre_res, db->pre_st)) != 1)
		db->pre_res = NULL;
	return rc;
}

/* Is st with these values the prefetched statement? */
static int
pre_match(const struct db *db, const struct db_stmt *st, int nparams,
    const char *const *values)
{
	int	 i;

	if (db->pre != PRE_READ || st != db->pre_st || nparams != db->pre_n)
		return 0;
	for (i = 0; i < nparams; i++)
		if (strcmp(values[i], db->pre_v[i]) != 0)
			return 0;
	return 1;
}

/*
 * The sync that went with the prefetched statement: read it, ending the
 * read-only transaction.  1, 0 (the transaction had failed), -1.
 */
static int
pre_end(struct db *db)
{
	int	 failed = db->state == TX_FAILED;

	if (!db->pre_synced)
		return 1;
	db->pre_synced = 0;
	db->state = failed ? TX_ROLLING_BACK : TX_COMMITTING;
	if (db_tx_wait(db) < 0)
		return -1;
	return !failed;
}

/*
 * Queue st (after pre statements of prologue), then either a flush
 * request (more statements may follow) or the sync that ends a read-only
 * transaction; read everything back.  1, 0 (a statement failed), -1.
 */
static int
exchange(struct db *db, const struct db_stmt *st, int nparams,
    const char *const *values, PGresult **res, int pre, int sync)
{
	int	 failed;

	if (!PQsendQueryPrepared(db->pg.conn, st->name, nparams, values, NULL,
	    NULL, 0) || (!sync && !send_pre(db)) ||
	    !(sync || db->pre_synced ? PQpipelineSync(db->pg.conn) :
	    PQsendFlushRequest(db->pg.conn)) ||
	    PQflush(db->pg.conn) != 0) {
		lost(db, st->name);
		return -1;
	}
	/* A failure aborts the rest: each read_one() still drains its part. */
	while (pre-- > 0)
		if (read_one(db, NULL, &internal[INT_PROLOGUE]) < 0)
			return -1;
	if (read_one(db, res, st) < 0)
		return -1;
	failed = db->state == TX_FAILED;
	if (sync) {
		db->state = failed ? TX_ROLLING_BACK : TX_COMMITTING;
		if (db_tx_wait(db) < 0) {
			PQclear(*res);
			*res = NULL;
			return -1;
		}
	}
	return failed ? 0 : 1;
}

/*
 * Run st in the request's transaction: 1, or -1 with the failure's class
 * recorded.  When the connection turns out to be dead under the
 * transaction's first statements (PostgreSQL restarted since the last
 * request), nothing of the transaction can have happened: it is run once
 * more on a fresh connection instead of failing.
 */
static int
query(struct db *db, struct arena *a, const struct db_stmt *st,
    int nparams, const char *const *values, PGresult **out, int last,
    int pub)
{
	PGresult	*res = NULL;
	int		 pre, rc, first = tx_idle(db), retried = 0;

	switch (db->state) {
	case TX_FAILED:
		return -1;	/* the earlier failure's class stands */
	case TX_COMMITTING:
	case TX_ROLLING_BACK:
	case TX_ABORTING:
	case TX_BROKEN:
		/* Ended, or went down, earlier in this request. */
		if (db->fail == DB_FAIL_NONE)
			db->fail = DB_FAIL_DOWN;
		return -1;
	default:
		break;
	}
	if (db->pre == PRE_SENT) {
		if (pre_read(db) < 0)
			return -1;
		if (db->state == TX_FAILED)
			return -1;
	}
	if (pre_match(db, st, nparams, values)) {
		res = db->pre_res;
		db->pre = PRE_NONE;
		db->pre_res = NULL;
		arena_cleanup(a, pq_clear, res);
		if (pre_end(db) < 0)
			return -1;
		if (out != NULL)
			*out = res;
		return 1;
	}
	if (db->pre == PRE_READ) {
		/* Not asked for: it is dropped with the request. */
		arena_cleanup(a, pq_clear, db->pre_res);
		db->pre = PRE_NONE;
		db->pre_res = NULL;
	}
	if (db->pre_synced) {
		/* The read ended behind the prefetched statement. */
		if (pre_end(db) < 0)
			return -1;
		first = 1;
	}
	for (;;) {
		if ((pre = lead(db, pub)) < 0)
			return -1;
		rc = exchange(db, st, nparams, values, &res,
		    pre, last && db->mode != DB_TX_RW);
		if (rc >= 0 || !first || retried++)
			break;
		if (db->pre == PRE_SENT)
			db->pre = PRE_QUEUED;
		db->pre_synced = 0;
		db->state = TX_IDLE;
		db->fail = DB_FAIL_NONE;
		db->fail_st = NULL;
		db->sqlstate[0] = '\0';
	}
	if (rc != 1) {
		PQclear(res);
		return -1;
	}
	arena_cleanup(a, pq_clear, res);
	if (out != NULL)
		*out = res;
	return 1;
}

int
db_query(struct db *db, struct arena *a, const struct db_stmt *st,
    int nparams, const char *const *values, PGresult **out)
{
	return query(db, a, st, nparams, values, out, 0, 0);
}

int
db_query_row(struct db *db, struct arena *a, const struct db_stmt *st,
    int nparams, const char *const *values, PGresult **out)
{
	int	 rc;

	if ((rc = query(db, a, st, nparams, values, out, 0, 0)) != 1)
		return rc;
	return PQntuples(*out) > 0;
}

int
db_public_row(struct db *db, struct arena *a, const struct db_stmt *st,
    int nparams, const char *const *values, PGresult **out)
{
	int	 rc;

	if ((rc = query(db, a, st, nparams, values, out, 0, 1)) != 1)
		return rc;
	return PQntuples(*out) > 0;
}

int
db_query_last(struct db *db, struct arena *a, const struct db_stmt *st,
    int nparams, const char *const *values, PGresult **out)
{
	return query(db, a, st, nparams, values, out, 1, 0);
}

int
db_public_last(struct db *db, struct arena *a, const struct db_stmt *st,
    int nparams, const char *const *values, PGresult **out)
{
	return query(db, a, st, nparams, values, out, 1, 1);
}

void
db_prefetch_drop(struct db *db)
{
	int	 rc;

	if (db->pre == PRE_QUEUED)
		db->pre = PRE_NONE;
	if (db->pre == PRE_NONE)
		return;
	db->quiet = 1;
	rc = pre_read(db);
	db->quiet = 0;
	if (rc < 0)
		return;
	PQclear(db->pre_res);
	db->pre_res = NULL;
	db->pre = PRE_NONE;
	if (db->state != TX_FAILED && !db->pre_synced)
		return;
	/* Start again: only a lookup that found nobody has run. */
	if (!db->pre_synced)
		db_tx_end(db, 0);
	else if (pre_end(db) < 0)
		return;
	if (db_tx_wait(db) < 0)
		return;
	db->fail = DB_FAIL_NONE;
	db->fail_st = NULL;
	db->sqlstate[0] = '\0';
}

/* A prefetched statement nobody asked for: read and drop it. */
static int
pre_forget(struct db *db)
{
	if (db->pre == PRE_SENT && pre_read(db) < 0)
		return -1;
	if (db->pre == PRE_READ) {
		PQclear(db->pre_res);
		db->pre_res = NULL;
	}
	db->pre = PRE_NONE;
	return 1;
}

void
db_tx_end(struct db *db, int commit)
{
	int	 failed;

	if (db->pre != PRE_NONE && db->pg.conn != NULL && pre_forget(db) < 0)
		return;
	failed = db->state == TX_FAILED;
	if (db->pre_synced && (db->state == TX_OPEN || failed)) {
		/* The sync is on its way already: only read it. */
		db->pre_synced = 0;
		db->state = commit && !failed ? TX_COMMITTING :
		    TX_ROLLING_BACK;
		return;
	}
	if ((db->state != TX_OPEN && db->state != TX_ACTING && !failed) ||
	    db->pg.conn == NULL)
		return;
	if (db->mode == DB_TX_RW && failed) {
		/*
		 * The error skipped everything up to the sync, but an explicit
		 * block stays open and aborted after it.
		 */
		db->state = TX_ABORTING;
		if (!PQpipelineSync(db->pg.conn))
			goto lost;
	} else
		db->state = commit && !failed ? TX_COMMITTING :
		    TX_ROLLING_BACK;
	if (db->mode == DB_TX_RW &&
	    !PQsendQueryPrepared(db->pg.conn, db->state == TX_COMMITTING ?
	    internal[INT_COMMIT].name : internal[INT_ROLLBACK].name,
	    0, NULL, NULL, NULL, 0))
		goto lost;
	/* A read-only transaction is the implicit one: the sync ends it. */
	if (!PQpipelineSync(db->pg.conn))
		goto lost;
	return;
lost:
	lost(db, "the end of a transaction");
}

/* The connection went away while the end was in flight. */
static int
wait_lost(struct db *db)
{
	/* A COMMIT may have been applied: the caller must not say "retry". */
	int	 unknown = db->mode == DB_TX_RW && db->state == TX_COMMITTING;

	lost(db, "the end of a transaction");
	db->state = unknown ? TX_UNKNOWN : TX_IDLE;
	return -1;
}

int
db_tx_wait(struct db *db)
{
	PGresult	*res;
	int		 rc, syncs, nulls = 0;

	if (tx_idle(db))
		return 1;
	if (db->pg.conn == NULL) {
		db->state = TX_IDLE;
		return -1;
	}
	db_tx_end(db, 0);	/* when not ended yet: roll back */
	if (db->pg.conn == NULL)
		return wait_lost(db);
	rc = db->state == TX_COMMITTING;
	syncs = db->state == TX_ABORTING ? 2 : 1;
	while (syncs > 0) {
		if ((res = PQgetResult(db->pg.conn)) == NULL) {
			if (PQstatus(db->pg.conn) != CONNECTION_OK ||
			    ++nulls > 16)
				return wait_lost(db);
			continue;
		}
		switch (PQresultStatus(res)) {
		case PGRES_PIPELINE_SYNC:
			syncs--;
			break;
		case PGRES_FATAL_ERROR:
			if (conn_lost(db, res)) {
				PQclear(res);
				return wait_lost(db);
			}
			/* A deferred constraint or a serialization failure. */
			failed(db, &internal[INT_COMMIT], res);
			rc = 0;
			break;
		case PGRES_PIPELINE_ABORTED:
			rc = 0;
			break;
		default:
			break;
		}
		PQclear(res);
	}
	db->state = TX_IDLE;
	return rc;
}

int
db_tx_restart(struct db *db)
{
	if (db->state != TX_FAILED)
		return db->state == TX_BROKEN ? -1 : 1;
	db_tx_end(db, 0);
	return db_tx_wait(db) < 0 ? -1 : 1;
}

int
db_outcome_unknown(const struct db *db)
{
	return db->state == TX_UNKNOWN;
}
