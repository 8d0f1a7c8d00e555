/*
 * jobs_db.c: statements of the job queue and the job worker's connection.
 *
 * The worker does not share the request layer's pipeline (db.c): it needs
 * LISTEN and a socket to sleep on, and every statement is its own
 * transaction, so a claim is committed before the job is carried out.  It
 * shares the plain connection underneath (struct db_conn, db.c).  The
 * statement table is also listed in db_tables, so the statement test
 * prepares it against a freshly migrated schema.  A claim, done, retry or
 * fail names the worker and the attempt it holds, so a worker whose lease
 * expired cannot overwrite the outcome of the worker that took the job
 * over.
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libpq-fe.h>

#include "db.h"
#include "jobs_db.h"
#include "jobs_db_impl.h"
#include "log.h"
#include "stmts.h"
#include "util.h"

enum {
	JOBS_LISTEN,
	JOBS_CLAIM,
	JOBS_DONE,
	JOBS_RETRY,
	JOBS_FAIL,
	JOBS_NEXT_DUE,
	JOBS_SWEEP_SESSIONS,
	JOBS_SWEEP_TOKENS,
	JOBS_SWEEP_FAILURES,
	JOBS_SWEEP_UNCONFIRMED,
	JOBS_SWEEP_JOBS,
	JOBS_BEGIN,
	JOBS_COMMIT,
	JOBS_ROLLBACK,
	JOBS_QUEUE_MAIL,
	JOBS__MAX
};

/* What identifies one claim: the job, the worker, the attempt. */
#define CLAIMED	"id = $1 AND state = 'running' AND locked_by = $2 " \
		"AND attempts = $3"

static const struct db_stmt sqls[JOBS__MAX] = {
	[JOBS_LISTEN] = { "jobs_listen", "LISTEN chapterhouse_jobs", NULL },
	[JOBS_CLAIM] = { "jobs_claim",
	    "UPDATE jobs SET state = 'running', attempts = attempts + 1, "
	    "lease_until = now() + make_interval(secs => $1), "
	    "locked_by = $2 "
	    "WHERE id = (SELECT id FROM jobs "
	    "WHERE (state = 'queued' AND run_at <= now()) "
	    "OR (state = 'running' AND lease_until < now()) "
	    "ORDER BY run_at, id FOR UPDATE SKIP LOCKED LIMIT 1) "
	    "RETURNING id, kind, payload::text, attempts, "
	    "(extract(epoch FROM created_at) * 1000000)::bigint", NULL },
	[JOBS_DONE] = { "jobs_done",
	    "UPDATE jobs SET state = 'done', done_at = now(), "
	    "lease_until = NULL, payload = payload - 'body' WHERE " CLAIMED,
	    NULL },
	[JOBS_RETRY] = { "jobs_retry",
	    "UPDATE jobs SET state = 'queued', "
	    "run_at = now() + make_interval(secs => $4), "
	    "lease_until = NULL, locked_by = NULL, last_error = $5 "
	    "WHERE " CLAIMED, NULL },
	[JOBS_FAIL] = { "jobs_fail",
	    "UPDATE jobs SET state = 'failed', done_at = now(), "
	    "lease_until = NULL, locked_by = NULL, last_error = $4, "
	    "payload = payload - 'body' WHERE " CLAIMED, NULL },
	[JOBS_NEXT_DUE] = { "jobs_next_due",
	    "SELECT extract(epoch FROM min(t) - now())::float8 FROM ("
	    "SELECT min(run_at) AS t FROM jobs WHERE state = 'queued' "
	    "UNION ALL SELECT min(lease_until) FROM jobs "
	    "WHERE state = 'running') AS due", NULL },
	[JOBS_SWEEP_SESSIONS] = { "jobs_sweep_sessions",
	    "DELETE FROM sessions "
	    "WHERE last_seen_at < now() - make_interval(secs => $1) "
	    "OR created_at < now() - make_interval(secs => $2)", NULL },
	[JOBS_SWEEP_TOKENS] = { "jobs_sweep_tokens",
	    "DELETE FROM email_tokens "
	    "WHERE expires_at < now() - interval '1 day'", NULL },
	[JOBS_SWEEP_FAILURES] = { "jobs_sweep_failures",
	    "DELETE FROM login_failures WHERE at < now() - interval '1 day'",
	    NULL },
	/*
	 * An account never confirmed within the life of its link is
	 * forgotten (its address is free again); so are mail cooldowns
	 * older than any period they enforce.
	 */
	[JOBS_SWEEP_UNCONFIRMED] = { "jobs_sweep_unconfirmed",
	    "WITH c AS (DELETE FROM mail_cooldowns "
	    "WHERE sent_at < now() - interval '1 day') "
	    "DELETE FROM people WHERE confirmed_at IS NULL "
	    "AND created_at < now() - make_interval(secs => $1)", NULL },
	[JOBS_SWEEP_JOBS] = { "jobs_sweep_jobs",
	    "DELETE FROM jobs "
	    "WHERE state = 'done' AND done_at < now() - interval '30 days'",
	    NULL },
	[JOBS_BEGIN] = { "jobs_begin", "BEGIN", NULL },
	[JOBS_COMMIT] = { "jobs_commit", "COMMIT", NULL },
	[JOBS_ROLLBACK] = { "jobs_rollback", "ROLLBACK", NULL },
	[JOBS_QUEUE_MAIL] = { "jobs_queue_mail",
	    "INSERT INTO jobs (kind, payload) VALUES ('mail', $1::jsonb)",
	    NULL },
};

const struct db_stmts jobs_stmts = { sqls, NELEM(sqls), NULL };

/* What the worker's connection prepares: the queue's and the reminders'. */
static const struct db_stmts *const worker_tables[] = {
	&jobs_stmts,
	&reminders_stmts,
	&training_remind_stmts,
	&linkjob_stmts,
};

struct jobs_db {
	struct db_conn	 pg;
	char		*who;
};

struct jobs_db *
jobs_db_new(const char *conninfo, int connect_timeout, const char *who)
{
	struct jobs_db	*db = xcalloc(1, sizeof(*db));

	db_conn_init(&db->pg, conninfo, connect_timeout, "chapterhouse worker");
	db->pg.guard = 1;
	db->who = xstrdup(who);
	return db;
}

static void
drop(struct jobs_db *db)
{
	db_conn_drop(&db->pg);
}

void
jobs_db_free(struct jobs_db *db)
{
	if (db == NULL)
		return;
	db_conn_fini(&db->pg);
	free(db->who);
	free(db);
}

int
jobs_db_connected(const struct jobs_db *db)
{
	return db->pg.conn != NULL;
}

int
jobs_db_refused(const struct jobs_db *db)
{
	return db->pg.refused;
}

/*
 * libpq's notices (and the FATAL a server sends as it shuts down) go to
 * the log as logfmt lines instead of raw to standard error.
 */
static void
notice(void *arg, const char *msg)
{
	char	 line[256];

	(void)arg;
	log_debug("postgresql said: %s", db_firstline(msg, line, sizeof(line)));
}

/* The connection is gone: report it once for the outage and drop it. */
static void
lost(struct jobs_db *db, const char *what, const char *msg)
{
	char	 line[256];

	if (!db->pg.down_logged)
		log_warn("database connection lost during %s: %s", what,
		    db_firstline(msg, line, sizeof(line)));
	db->pg.down_logged = 1;
	drop(db);
}

/* Does this failed result mean the connection cannot be used? */
static int
conn_lost(const struct jobs_db *db, const PGresult *res)
{
	const char	*st;

	if (PQstatus(db->pg.conn) != CONNECTION_OK || res == NULL)
		return 1;
	st = PQresultErrorField(res, PG_DIAG_SQLSTATE);
	return st == NULL || strncmp(st, "08", 2) == 0 ||
	    strcmp(st, "57P01") == 0 || strcmp(st, "57P02") == 0 ||
	    strcmp(st, "57P03") == 0 || strcmp(st, "57P05") == 0;
}

int
jobs_db_exec(struct jobs_db *db, const struct db_stmt *st, int n,
    const char *const *v, PGresult **out)
{
	PGresult	*res;
	char		 line[256];

	if (db->pg.conn == NULL)
		return -1;
	res = PQexecPrepared(db->pg.conn, st->name, n, v, NULL, NULL, 0);
	if (res != NULL && (PQresultStatus(res) == PGRES_TUPLES_OK ||
	    PQresultStatus(res) == PGRES_COMMAND_OK)) {
		if (out != NULL)
			*out = res;
		else
			PQclear(res);
		return 1;
	}
	if (conn_lost(db, res))
		lost(db, st->name, PQerrorMessage(db->pg.conn));
	else {
		log_error("%s failed: %s", st->name,
		    db_firstline(PQresultErrorMessage(res), line,
		    sizeof(line)));
		drop(db);
	}
	PQclear(res);
	return -1;
}

/* Run this module's statement st: jobs_db_exec() of sqls[st]. */
static int
run(struct jobs_db *db, int st, int n, const char *const *v, PGresult **out)
{
	return jobs_db_exec(db, &sqls[st], n, v, out);
}

/* Prepare the n statements of v; 1, or 0 (logged, connection dropped). */
static int
prepare(struct jobs_db *db, const struct db_stmt *v, size_t n)
{
	PGresult	*res;
	char		 line[256];
	size_t		 i;

	for (i = 0; i < n; i++) {
		res = PQprepare(db->pg.conn, v[i].name, v[i].sql, 0, NULL);
		if (PQresultStatus(res) != PGRES_COMMAND_OK) {
			log_error("could not prepare %s (has migrate been "
			    "run?): %s", v[i].name, db_firstline(
			    PQresultErrorMessage(res), line, sizeof(line)));
			PQclear(res);
			db->pg.down_logged = 1;
			drop(db);
			return 0;
		}
		PQclear(res);
	}
	return 1;
}

int
jobs_db_connect(struct jobs_db *db)
{
	size_t		 i;

	if (!db_conn_open(&db->pg))
		return 0;
	PQsetNoticeProcessor(db->pg.conn, notice, NULL);
	for (i = 0; i < NELEM(worker_tables); i++)
		if (!prepare(db, worker_tables[i]->v, worker_tables[i]->n))
			return 0;
	if (run(db, JOBS_LISTEN, 0, NULL, NULL) != 1)
		return 0;
	db_conn_up(&db->pg);
	return 1;
}

int
jobs_db_claim(struct jobs_db *db, int lease, struct job *j)
{
	PGresult	*res;
	char		 ls[16];
	const char	*v[2] = { ls, db->who };

	snprintf(ls, sizeof(ls), "%d", lease);
	if (run(db, JOBS_CLAIM, 2, v, &res) != 1)
		return -1;
	if (PQntuples(res) != 1) {
		PQclear(res);
		return 0;
	}
	memset(j, 0, sizeof(*j));
	j->id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	snprintf(j->kind, sizeof(j->kind), "%s", PQgetvalue(res, 0, 1));
	j->payload = xstrdup(PQgetvalue(res, 0, 2));
	j->attempts = atoi(PQgetvalue(res, 0, 3));
	snprintf(j->created, sizeof(j->created), "%s", PQgetvalue(res, 0, 4));
	PQclear(res);
	return 1;
}

void
jobs_db_release(struct job *j)
{
	free(j->payload);
	j->payload = NULL;
}

/* Run one of the statements that end a claim; 1, 0 (claim lost), -1. */
static int
settle(struct jobs_db *db, int st, const struct job *j, const char *p4,
    const char *p5)
{
	PGresult	*res;
	char		 id[24], att[16];
	const char	*v[5] = { id, db->who, att, p4, p5 };
	int		 n;

	snprintf(id, sizeof(id), "%lld", j->id);
	snprintf(att, sizeof(att), "%d", j->attempts);
	if (run(db, st, p5 ? 5 : p4 ? 4 : 3, v, &res) != 1)
		return -1;
	n = atoi(PQcmdTuples(res));
	PQclear(res);
	return n == 1 ? 1 : 0;
}

int
jobs_db_done(struct jobs_db *db, const struct job *j)
{
	return settle(db, JOBS_DONE, j, NULL, NULL);
}

int
jobs_db_retry(struct jobs_db *db, const struct job *j, double delay,
    const char *error)
{
	char	 d[32];

	snprintf(d, sizeof(d), "%.3f", delay);
	return settle(db, JOBS_RETRY, j, d, error);
}

int
jobs_db_fail(struct jobs_db *db, const struct job *j, const char *error)
{
	return settle(db, JOBS_FAIL, j, error, NULL);
}

int
jobs_db_next_due(struct jobs_db *db, double *secs)
{
	PGresult	*res;
	int		 rc = 0;

	if (run(db, JOBS_NEXT_DUE, 0, NULL, &res) != 1)
		return -1;
	if (PQntuples(res) == 1 && !PQgetisnull(res, 0, 0)) {
		*secs = strtod(PQgetvalue(res, 0, 0), NULL);
		rc = 1;
	}
	PQclear(res);
	return rc;
}

/* Take the notifications libpq has read; returns how many. */
static int
drain(struct jobs_db *db)
{
	PGnotify	*n;
	int		 count = 0;

	while ((n = PQnotifies(db->pg.conn)) != NULL) {
		PQfreemem(n);
		count++;
	}
	return count;
}

int
jobs_db_wait(struct jobs_db *db, int timeout_ms, const sigset_t *mask)
{
	struct pollfd	 pfd;
	struct timespec	 ts;
	int		 r;

	if (db->pg.conn == NULL)
		return -1;
	/* Notifications may have come in with the last results. */
	if (drain(db) > 0)
		return 1;
	pfd.fd = PQsocket(db->pg.conn);
	pfd.events = POLLIN;
	pfd.revents = 0;
	ts.tv_sec = timeout_ms / 1000;
	ts.tv_nsec = (long)(timeout_ms % 1000) * 1000000L;
	if ((r = ppoll(&pfd, 1, &ts, mask)) <= 0) {
		if (r < 0 && errno != EINTR)
			log_warn("could not wait for jobs: %s",
			    strerror(errno));
		return 0;
	}
	if (!PQconsumeInput(db->pg.conn) ||
	    PQstatus(db->pg.conn) != CONNECTION_OK) {
		lost(db, "the wait for jobs", PQerrorMessage(db->pg.conn));
		return -1;
	}
	return drain(db) > 0 ? 1 : 0;
}

/* Rows a DELETE removed, or -1. */
static long long
sweep_one(struct jobs_db *db, int st, int n, const char *const *v)
{
	PGresult	*res;
	long long	 count;

	if (run(db, st, n, v, &res) != 1)
		return -1;
	count = strtoll(PQcmdTuples(res), NULL, 10);
	PQclear(res);
	return count;
}

int
jobs_db_sweep(struct jobs_db *db, int idle, int max_age, int confirm_ttl,
    struct jobs_swept *n)
{
	char		 si[16], sm[16], sc[16];
	const char	*v[2] = { si, sm }, *vc = sc;

	snprintf(si, sizeof(si), "%d", idle);
	snprintf(sm, sizeof(sm), "%d", max_age);
	snprintf(sc, sizeof(sc), "%d", confirm_ttl);
	if ((n->sessions = sweep_one(db, JOBS_SWEEP_SESSIONS, 2, v)) < 0 ||
	    (n->tokens = sweep_one(db, JOBS_SWEEP_TOKENS, 0, NULL)) < 0 ||
	    (n->failures = sweep_one(db, JOBS_SWEEP_FAILURES, 0, NULL)) < 0 ||
	    (n->unconfirmed = sweep_one(db, JOBS_SWEEP_UNCONFIRMED, 1,
	    &vc)) < 0 ||
	    (n->jobs = sweep_one(db, JOBS_SWEEP_JOBS, 0, NULL)) < 0)
		return -1;
	return 1;
}

int
jobs_db_begin(struct jobs_db *db)
{
	return run(db, JOBS_BEGIN, 0, NULL, NULL);
}

int
jobs_db_end(struct jobs_db *db, int commit)
{
	return run(db, commit ? JOBS_COMMIT : JOBS_ROLLBACK, 0, NULL, NULL);
}

int
jobs_db_queue_mail(struct jobs_db *db, const char *payload)
{
	return run(db, JOBS_QUEUE_MAIL, 1, &payload, NULL);
}
