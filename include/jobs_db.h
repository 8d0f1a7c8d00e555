/*
 * jobs_db.h: the job worker's PostgreSQL connection and the job queue.
 *
 * The worker has its own plain connection (no pipeline: one statement at
 * a time, each in its own transaction, which is what claiming needs: a
 * claim is committed before the job is carried out; only work that must
 * be all or nothing, such as a reminder digest and its mail, opens a
 * transaction with jobs_db_begin()).  The connection
 * LISTENs on chapterhouse_jobs, which the jobs table's trigger notifies
 * at every insert, so an idle worker sleeps until a job arrives.
 *
 * Return convention: 1 success, 0 the negative outcome each function
 * names, -1 the connection is unusable (logged; reconnect with
 * jobs_db_connect()).
 */
#ifndef JOBS_DB_H
#define JOBS_DB_H

#include <signal.h>

/* A claimed job. */
struct job {
	long long	 id;
	char		 kind[32];
	char		*payload;	/* JSON text; freed by
					   jobs_db_release() */
	int		 attempts;	/* including this one */
	char		 created[24];	/* created_at in microseconds,
					   decimal */
};

/* Rows removed by one housekeeping pass. */
struct jobs_swept {
	long long	 sessions, tokens, failures, unconfirmed, jobs;
};

struct jobs_db;

/*
 * A handle for conninfo; who identifies this worker in jobs.locked_by.
 * Nothing is connected yet.
 */
struct jobs_db	*jobs_db_new(const char *conninfo, int connect_timeout,
		    const char *who);
void		 jobs_db_free(struct jobs_db *);

/*
 * Connect, prepare the statements and LISTEN.  Returns 1, or 0 when
 * PostgreSQL cannot be reached, the schema is not there, or the role is
 * one row-level security does not hold (a superuser, BYPASSRLS, the
 * schema owner: see jobs_db_refused()); the first failure of an outage
 * is logged, the rest are not.
 */
int		 jobs_db_connect(struct jobs_db *);

/* Whether a connection is up (it may still turn out to be dead). */
int		 jobs_db_connected(const struct jobs_db *);

/*
 * Whether the last jobs_db_connect() failed because of the role it logged
 * in as (logged): trying again will not help.
 */
int		 jobs_db_refused(const struct jobs_db *);

/*
 * Claim the next due job for lease seconds: a queued job whose run_at has
 * come, or a running one whose lease expired (its worker died); the
 * claim commits at once.  Returns 1 with *j filled, 0 when nothing is
 * due, -1.
 */
int		 jobs_db_claim(struct jobs_db *, int lease, struct job *j);

/* Free what a claim allocated in j. */
void		 jobs_db_release(struct job *j);

/*
 * The claimed job j was carried out: mark it done and drop its payload's
 * "body" member.  Returns 1, 0 when the claim was lost (the lease expired
 * and another worker took the job), -1.
 */
int		 jobs_db_done(struct jobs_db *, const struct job *j);

/*
 * The attempt failed: queue j again to run in delay seconds, keeping
 * error as last_error.  Returns 1, 0 when the claim was lost, -1.
 */
int		 jobs_db_retry(struct jobs_db *, const struct job *j,
		    double delay, const char *error);

/*
 * Give j up for good: state failed, error kept, payload's "body"
 * dropped.  Returns 1, 0 when the claim was lost, -1.
 */
int		 jobs_db_fail(struct jobs_db *, const struct job *j,
		    const char *error);

/*
 * Seconds until the next job falls due (a queued run_at, or a running
 * job's lease_until; negative when overdue).  Returns 1 with *secs, 0
 * when there is no pending job at all, -1.
 */
int		 jobs_db_next_due(struct jobs_db *, double *secs);

/*
 * Sleep until a notification arrives on the connection, timeout_ms
 * passes, or a signal not in mask is delivered (the mask is installed
 * only for the wait, as ppoll() does).  Returns 1 when notified, 0 on a
 * timeout or a signal, -1 when the connection is lost.
 */
int		 jobs_db_wait(struct jobs_db *, int timeout_ms,
		    const sigset_t *mask);

/*
 * Remove expired state: sessions idle for idle seconds or older than
 * max_age, e-mail tokens expired over a day ago, failed logins older than
 * a day, accounts left unconfirmed for confirm_ttl seconds, mail
 * cooldowns older than a day, done jobs older than 30 days.  Returns 1
 * with *n, -1.
 */
int		 jobs_db_sweep(struct jobs_db *, int idle, int max_age,
		    int confirm_ttl,
		    struct jobs_swept *n);

/*
 * Open a transaction: the statements that follow, until jobs_db_end(),
 * commit or roll back together.  Never around a claim, which must commit
 * on its own.  Returns 1, -1 (the transaction is gone with the
 * connection).
 */
int		 jobs_db_begin(struct jobs_db *);

/* COMMIT (commit set) or ROLLBACK the open transaction.  Returns 1, -1. */
int		 jobs_db_end(struct jobs_db *, int commit);

/*
 * Queue a mail job whose payload is the JSON text payload ({"to",
 * "subject", "body"}; see outbox_payload()), in the open transaction if
 * there is one.  Returns 1, -1.
 */
int		 jobs_db_queue_mail(struct jobs_db *, const char *payload);

#endif
