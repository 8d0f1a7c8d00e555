/*
 * jobs.h: the job worker, which carries out the jobs queued in the jobs
 * table (outgoing e-mail, link checks) outside of any request.
 *
 * Delivery is at least once: a job is claimed with a lease committed
 * before the work starts, and a worker that dies leaves the lease to
 * expire, after which any worker claims the job again.  A failed attempt
 * is retried after job_retry_base * 2^(attempts - 1) seconds, at most
 * job_retry_max, until job_max_attempts; a job that cannot succeed (an
 * unknown kind, a malformed payload) fails at once.
 */
#ifndef JOBS_H
#define JOBS_H

struct conf;

/*
 * Run the worker with the configuration c until SIGTERM or SIGINT (the
 * job in hand is finished first), sleeping on LISTEN chapterhouse_jobs
 * while nothing is due and reconnecting when PostgreSQL goes away.  With
 * once set, carry out every job due now and return.  Every ten minutes
 * (and at start) expired sessions, e-mail tokens, failed logins and old
 * done jobs are deleted.  Returns the process exit status: 0, or 1 when
 * the configuration is unusable or, with once, PostgreSQL is unreachable.
 */
int	jobs_run(const struct conf *c, int once);

#endif
