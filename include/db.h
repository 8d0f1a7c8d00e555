/*
 * db.h: a worker's PostgreSQL connection and the request transaction.
 *
 * A worker holds one connection, kept in libpq's pipeline mode, with every
 * statement of every *_db.c table prepared once per connection.  A
 * request's transaction is lazy: nothing is sent until the handler's first
 * query, which goes out in the same round trip as the transaction
 * prologue (BEGIN READ WRITE for writes, then the set_config() calls that
 * tell row-level security who is acting; an anonymous read has nothing to
 * set and sends no prologue).  Sessions default to read-only
 * transactions, and a read-only transaction is the implicit one that ends
 * at the pipeline's sync point.
 *
 * Return convention, of db_query() and of every *_db.c function: 1 a row
 * (or done), 0 none, -1 failed.  A failure keeps its class (db_failure()):
 * the connection is down (answer 503), PostgreSQL refused the statement
 * with a SQLSTATE the statement's own refusals or the generic table map
 * to an answer (db_refusal(); logged at info), or any other error
 * (logged at error; answer 500).  After a failure the transaction is
 * aborted: later statements of the request fail the same way, until
 * db_tx_restart().
 */
#ifndef DB_H
#define DB_H

#include <stddef.h>

#include <libpq-fe.h>

struct arena;
struct db_cols;

/*
 * A refusal PostgreSQL answers with a SQLSTATE, and the answer the client
 * gets for it: HTTP status, error code, the field it concerns (or NULL),
 * the message, and for a status 429 the seconds of Retry-After (else 0).
 * A sqlstate of two characters matches its whole class.  Lists end with
 * an entry whose sqlstate is NULL.
 */
struct db_refusal {
	const char	*sqlstate;
	int		 status;
	const char	*code;
	const char	*field;
	const char	*message;
	int		 retry_after;
};

struct db_stmt {
	const char		*name;	/* unique prepared statement name */
	const char		*sql;
	const struct db_cols	*cols;	/* its columns (dbrow.h), or NULL */
};

/* The class of a request's failure (db_failure()). */
enum db_fail {
	DB_FAIL_NONE,		/* nothing failed (or not in the database) */
	DB_FAIL_DOWN,		/* the connection is down: 503 */
	DB_FAIL_REFUSED,	/* a mapped SQLSTATE: db_refusal()'s 4xx */
	DB_FAIL_ERROR		/* anything else: 500 */
};

/*
 * A module's statement table, and beside it what each statement's own
 * refusals answer, looked up before the generic table: refusals[i] is
 * the list of v[i] (NULL: none), or refusals is NULL for a module whose
 * statements have none.
 */
struct db_stmts {
	const struct db_stmt		 *v;
	size_t				  n;
	const struct db_refusal *const	 *refusals;
};

enum db_tx {
	DB_TX_NONE,
	DB_TX_RO,
	DB_TX_RW
};

/*
 * A plain PostgreSQL connection and what it takes to make it again: the
 * part of the connection's life the request layer (struct db, which puts
 * it in pipeline mode) and the job worker (jobs_db.c, which does not)
 * share.  down_logged is set while an outage has been reported, so an
 * outage is logged once, not at every attempt.
 */
struct db_conn {
	char		*conninfo;
	char		 timeout[16];	/* connect_timeout, seconds */
	char		*appname;	/* fallback_application_name */
	PGconn		*conn;		/* NULL when not connected */
	int		 down_logged;
	int		 guard;		/* refuse a role RLS does not hold */
	int		 refused;	/* the last connect was refused so */
};

/* Fill pg for conninfo; nothing is connected yet.  Free with _fini(). */
void		 db_conn_init(struct db_conn *pg, const char *conninfo,
		    int connect_timeout, const char *appname);

/*
 * Connect anew (dropping any connection first).  Returns 1, or 0 when
 * PostgreSQL cannot be reached (logged at the first failure of an outage
 * only) or, with guard set, when the role logged in as is one row-level
 * security does not hold (role_db_check(): refused is set, the first
 * refusal logged, the connection dropped).  The caller prepares its
 * statements, then calls db_conn_up().
 */
int		 db_conn_open(struct db_conn *pg);

/* The connection is ready: log the end of an outage, if one was logged. */
void		 db_conn_up(struct db_conn *pg);

/* Close the connection, if any; pg can be opened again. */
void		 db_conn_drop(struct db_conn *pg);

/* Close and release what db_conn_init() allocated. */
void		 db_conn_fini(struct db_conn *pg);

/* Copy the first line of a libpq message into dst (size n); returns dst. */
const char	*db_firstline(const char *msg, char *dst, size_t n);

struct db;

/*
 * A connection handle; nothing is connected yet.  tables is the
 * NULL-terminated list of statement tables prepared on each connection
 * (db_tables from stmts.h; tests add their own).
 */
struct db	*db_new(const char *conninfo, int connect_timeout,
		    const char *appname, const struct db_stmts *const *tables);
void		 db_free(struct db *);

/*
 * Connect and prepare every statement.  Returns 1, or 0 when PostgreSQL
 * is unreachable or a statement does not prepare (logged once per outage).
 */
int		 db_connect(struct db *);

/*
 * From now on refuse any connection whose role row-level security does
 * not hold (a superuser, BYPASSRLS, the schema owner): db_connect()
 * fails as when the database is down.  For serving; call before
 * db_connect().
 */
void		 db_refuse_privileged(struct db *);

/*
 * Make the connection's own role chapterhouse_anon (sql/025_rls_roles.sql),
 * whose only policies are the public ones: a read with nobody acting
 * runs public statements (db_public_row(), db_public_last()) as that
 * role and sends no prologue; anything else goes back to the login role
 * for its transaction (SET LOCAL ROLE NONE in the prologue, or in the
 * session lookup).  For serving; call before db_connect().
 */
void		 db_anon_role(struct db *);

/*
 * LISTEN on channel (an identifier) on every connection made from
 * now on, before any statement, so that a change committed after the
 * connection's first read reaches it as a notification.  For serving;
 * call before db_connect().
 */
void		 db_listen(struct db *, const char *channel);

/*
 * Between requests: read what PostgreSQL sent without waiting, and call
 * fn(arg, payload) for each notification received since the last call.
 * Returns 1, or -1 when there is no connection, a transaction is open,
 * or the connection is lost (then closed: the next request connects
 * again).  After -1 a notification may have been missed.
 */
int		 db_notified(struct db *, void (*fn)(void *, const char *),
		    void *arg);

/*
 * How many connections were made so far: it changes when a connection
 * lost (and the notifications sent meanwhile) was replaced.
 */
unsigned	 db_generation(const struct db *);

/*
 * Start describing a request's transaction; sends nothing.  person and
 * roles may be empty strings; reqid is recorded for PostgreSQL's logs.
 */
void		 db_tx_setup(struct db *, enum db_tx, const char *person,
		    const char *roles, const char *reqid);

/*
 * Tell row-level security who acts from now on (person id and hub roles,
 * kept by reference: they must live as long as the request).  Sends
 * nothing: the prologue goes out again in front of the transaction's
 * next statement, in the same round trip.  The request pipeline calls
 * this once, when the session is found (session_resolve()).
 */
void		 db_tx_act(struct db *, const char *person, const char *roles);

/*
 * The same when the statement that found the session has itself set
 * who acts in the transaction (and its role back to the login role):
 * no prologue follows.  person and roles are kept by reference.
 */
void		 db_tx_acted(struct db *, const char *person,
		    const char *roles);

/*
 * Run a prepared statement with text parameters within the request's
 * transaction.  Returns 1 with *out the result (when out is not NULL),
 * freed with the arena, or -1 when it failed (db_failure() tells how).
 */
int		 db_query(struct db *, struct arena *, const struct db_stmt *,
		    int nparams, const char *const *values, PGresult **out);

/*
 * db_query() for a statement whose answer is one row: 1 with *out when
 * it returned a row, 0 when none, -1 when it failed.
 */
int		 db_query_row(struct db *, struct arena *,
		    const struct db_stmt *, int nparams,
		    const char *const *values, PGresult **out);

/*
 * Queue st with values (kept by reference: they must live as long as
 * the request) to travel behind the next statement sent, in the same
 * round trip, when the transaction has not started: the session lookup
 * carries the request's first statement.  A later db_query*() call of
 * st with equal values returns its result instead of sending it again;
 * any other statement first reads it, and it is dropped unless asked
 * for.  With last set, a read-only transaction ends behind it (its sync
 * goes with it): a statement after it starts a new transaction.  At
 * most 4 values, one prefetch per transaction; more is ignored.
 */
void		 db_prefetch(struct db *, const struct db_stmt *st,
		    int nparams, const char *const *values, int last);

/*
 * Forget the prefetched statement when the lookup it travelled with
 * found nobody: it ran with nobody acting, so its result is read and
 * dropped without a log; when it failed (the anonymous role may not
 * read its tables) or ended the transaction, the transaction starts
 * again, as nothing else has run in it.
 */
void		 db_prefetch_drop(struct db *);

/*
 * The same for the request's last statement: a read-only transaction
 * ends with it, in the same round trip (the sync travels with it).  A
 * statement after it would start a new transaction.
 */
int		 db_query_last(struct db *, struct arena *,
		    const struct db_stmt *, int nparams,
		    const char *const *values, PGresult **out);

/*
 * db_query_row() and db_query_last() for a public statement, one whose
 * tables the anonymous role may read (db_anon_role()): while nobody acts
 * in a read, it runs as that role, with its policies only.  A statement
 * run both ways keeps two plans' worth of work: give each caller its own.
 */
int		 db_public_row(struct db *, struct arena *,
		    const struct db_stmt *, int nparams,
		    const char *const *values, PGresult **out);
int		 db_public_last(struct db *, struct arena *,
		    const struct db_stmt *, int nparams,
		    const char *const *values, PGresult **out);

/* SQLSTATE of the request's failed statement, or "" when none. */
const char	*db_sqlstate(const struct db *);

/* The class of the request's failure; DB_FAIL_NONE when none. */
enum db_fail	 db_failure(const struct db *);

/*
 * The answer to the request's refused statement: the first entry matching
 * its SQLSTATE in local (a call site's own list, or NULL), then in the
 * failed statement's refusals, then in the generic table (insufficient
 * privilege and row-level security 403, unique violation 409, bad values
 * 422, the project's own CH403, CH409, CH422 and CH429).  NULL when
 * nothing failed, the connection is down, or no entry matches.
 */
const struct db_refusal *db_refusal(const struct db *,
		    const struct db_refusal *local);

/*
 * Whether sqlstate is a refusal of st (its own list in the tables of db,
 * or the generic table), that is, an expected outcome rather than a
 * fault.
 */
int		 db_refused(const struct db *, const struct db_stmt *st,
		    const char *sqlstate);

/*
 * After a failure, end the aborted transaction (rolled back) so that the
 * request may read again, to show a form once more; the failure stays
 * reported.  A write that follows runs in a transaction of its own.
 * Returns 1, or -1 when the connection is down.
 */
int		 db_tx_restart(struct db *);

/* The mode given to db_tx_setup() for the current request. */
enum db_tx	 db_tx_mode(const struct db *);

/* Whether the request has sent anything (its transaction is open). */
int		 db_tx_open(const struct db *);

/*
 * End the transaction: COMMIT when commit is set and nothing failed,
 * ROLLBACK otherwise; db_tx_end() sends, db_tx_wait() reads the outcome.
 * db_tx_wait() returns 1 when committed (or nothing was open), 0 when the
 * transaction was rolled back, -1 when the connection is down.
 */
void		 db_tx_end(struct db *, int commit);
int		 db_tx_wait(struct db *);

/*
 * After db_tx_wait() returned -1 for a write: was the connection lost
 * after COMMIT was sent, so that the write may or may not have been
 * applied?  The client must then check before trying again.
 */
int		 db_outcome_unknown(const struct db *);

#endif
