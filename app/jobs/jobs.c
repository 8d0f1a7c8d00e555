/*
 * jobs.c: the job worker loop: claim due jobs one at a time, carry them
 * out, record the outcome, and sleep on LISTEN until the next is due.
 *
 * SIGTERM and SIGINT are blocked except while the worker sleeps (ppoll()
 * unblocks them for the wait only), so a delivery is never interrupted:
 * a stop that arrives meanwhile stays pending, is seen once the job's
 * outcome is recorded, and the worker leaves.  The Message-ID of a job is
 * made of its id and its creation time, both fixed, so a job delivered
 * twice (a worker died after sending, before recording it) arrives twice
 * with the same Message-ID and can be recognised as one.
 *
 * Housekeeping (at start, then every ten minutes) also queues the reminder
 * digests that are due (reminders.c); with --once it runs once, before
 * the due jobs, so the digests it queues go out in the same run.
 */
#include "config.h"

#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "buf.h"
#include "conf.h"
#include "jobs.h"
#include "jobs_db.h"
#include "linkjob.h"
#include "log.h"
#include "mail.h"
#include "mustache.h"
#include "reminders.h"
#include "training_remind.h"
#include "util.h"
#include "views.h"

#define WAIT_CAP_MS	60000		/* longest sleep without a check */
#define SWEEP_EVERY_US	(600LL * 1000000)	/* housekeeping interval */
#define RECONNECT_MAX_MS 30000
#define ERROR_MAX	500		/* bytes of last_error */
#define BODY_MAX	(1024 * 1024)	/* largest mail body */

enum outcome {
	OUT_DONE,		/* carried out */
	OUT_RETRY,		/* this attempt failed; may be tried again */
	OUT_FAIL		/* cannot succeed: give up now */
};

struct worker {
	const struct conf	*c;
	struct jobs_db		*db;
	char			 from[MESSAGE_ADDR_MAX + 1];
	sigset_t		 wait_mask;	/* stop signals open */
	long long		 swept_at;	/* now_usec(), 0: never */
	/* The mail views and {"name": site_name}; NULL: no reminders. */
	struct mustache_set	*views;
	json_t			*site;
};

static volatile sig_atomic_t	 stop_signal;

static void
on_stop(int sig)
{
	stop_signal = sig;
}

/* Has a stop been asked for, even while the signals are blocked? */
static int
stopping(void)
{
	sigset_t	 pending;

	if (stop_signal)
		return 1;
	if (sigpending(&pending) == 0 && (sigismember(&pending, SIGTERM) ||
	    sigismember(&pending, SIGINT)))
		return 1;
	return 0;
}

/* Handlers installed, stop signals blocked, x->wait_mask set. */
static void
signals_setup(struct worker *x)
{
	struct sigaction sa;
	sigset_t	 block;

	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_stop;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigprocmask(SIG_BLOCK, &block, &x->wait_mask);
	sigdelset(&x->wait_mask, SIGTERM);
	sigdelset(&x->wait_mask, SIGINT);
}

/* Sleep ms milliseconds, or until a stop signal. */
static void
nap(const struct worker *x, int ms)
{
	struct timespec	 ts;

	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (long)(ms % 1000) * 1000000L;
	ppoll(NULL, 0, &ts, &x->wait_mask);
}

/*
 * Copy msg into dst (size n, at most ERROR_MAX + 1) as a last_error: one
 * line of printable ASCII, whatever it held, so that the column always
 * takes it.
 */
static void
error_text(char *dst, size_t n, const char *msg)
{
	size_t	 i;

	snprintf(dst, n, "%s", msg);
	for (i = 0; dst[i] != '\0'; i++)
		if ((unsigned char)dst[i] < 0x20 ||
		    (unsigned char)dst[i] > 0x7e)
			dst[i] = '?';
}

/* Seconds before the retry after attempt number attempts. */
static double
backoff(const struct conf *c, int attempts)
{
	double	 d = c->job_retry_base;
	int	 i;

	for (i = 1; i < attempts && d < c->job_retry_max; i++)
		d *= 2;
	return d < c->job_retry_max ? d : c->job_retry_max;
}

/*
 * The string member name of o, NUL-free; NULL when it is missing, not a
 * string, or holds a NUL (which would cut it short in C).
 */
static const char *
member(json_t *o, const char *name)
{
	json_t	*v = json_object_get(o, name);

	if (!json_is_string(v) ||
	    strlen(json_string_value(v)) != json_string_length(v))
		return NULL;
	return json_string_value(v);
}

/*
 * Carry out a mail job: payload {"to", "subject", "body"}, composed and
 * sent through SMTP.  Fills err (size n) unless the outcome is OUT_DONE.
 */
static enum outcome
run_mail(const struct worker *x, const struct job *j, char *err, size_t n)
{
	json_t		*root;
	json_error_t	 je;
	struct message	 m;
	struct buf	 msg;
	const char	*why;
	char		 id[512], smtp_err[ERROR_MAX - 8];
	enum outcome	 out = OUT_FAIL;

	buf_init(&msg);
	if ((root = json_loads(j->payload, JSON_REJECT_DUPLICATES, &je)) ==
	    NULL || !json_is_object(root)) {
		snprintf(err, n, "malformed payload: %s", root == NULL ?
		    je.text : "not a JSON object");
		goto out;
	}
	memset(&m, 0, sizeof(m));
	m.from = x->c->mail_from;
	if ((m.to = member(root, "to")) == NULL ||
	    (m.subject = member(root, "subject")) == NULL ||
	    (m.body = member(root, "body")) == NULL) {
		snprintf(err, n, "malformed payload: \"to\", \"subject\" and "
		    "\"body\" must be strings without NUL");
		goto out;
	}
	if (strlen(m.body) > BODY_MAX) {
		snprintf(err, n, "malformed payload: body over %d bytes",
		    BODY_MAX);
		goto out;
	}
	if (!message_id(id, sizeof(id), j->id, j->created, x->from)) {
		snprintf(err, n, "could not make a Message-ID");
		goto out;
	}
	m.message_id = id;
	m.date = time(NULL);
	if (!message_compose(&msg, &m, &why)) {
		snprintf(err, n, "message refused: %s", why);
		goto out;
	}
	if (!smtp_send(x->c, x->from, m.to, msg.data, msg.len, smtp_err,
	    sizeof(smtp_err))) {
		snprintf(err, n, "smtp: %s", smtp_err);
		out = OUT_RETRY;
		goto out;
	}
	out = OUT_DONE;
out:
	json_decref(root);
	buf_free(&msg);
	return out;
}

/* Record the outcome of attempt j; 1, or -1 when the database is gone. */
static int
settle(struct worker *x, const struct job *j, enum outcome out,
    const char *why)
{
	const struct conf	*c = x->c;
	char			 err[ERROR_MAX + 1];
	double			 delay = 0;
	int			 rc;

	error_text(err, sizeof(err), why);
	if (out == OUT_DONE)
		rc = jobs_db_done(x->db, j);
	else if (out == OUT_RETRY && j->attempts < c->job_max_attempts) {
		delay = backoff(c, j->attempts);
		rc = jobs_db_retry(x->db, j, delay, err);
	} else
		rc = jobs_db_fail(x->db, j, err);
	if (rc < 0)
		return -1;
	if (rc == 0)
		log_warn("job %lld attempt %d: lease expired before the "
		    "outcome was recorded; another worker has the job",
		    j->id, j->attempts);
	else if (out == OUT_DONE)
		log_info("job %lld attempt %d: done", j->id, j->attempts);
	else if (out == OUT_RETRY && j->attempts < c->job_max_attempts)
		log_warn("job %lld attempt %d of %d failed, next in %.0f s: %s",
		    j->id, j->attempts, c->job_max_attempts, delay, err);
	else
		log_error("job %lld attempt %d: failed for good: %s", j->id,
		    j->attempts, err);
	return 1;
}

/* Carry out one claimed job and record it; 1, or -1 (database gone). */
static int
handle(struct worker *x, const struct job *j)
{
	char		 err[ERROR_MAX + 1] = "";
	enum outcome	 out;
	int		 rc;

	if (j->attempts > x->c->job_max_attempts) {
		snprintf(err, sizeof(err), "gave up: attempt %d did not "
		    "finish before its lease expired", j->attempts - 1);
		out = OUT_FAIL;
	} else if (strcmp(j->kind, "mail") == 0)
		out = run_mail(x, j, err, sizeof(err));
	else if (strcmp(j->kind, "links.check") == 0) {
		rc = linkjob_run(x->db, x->c, j->payload, err, sizeof(err));
		out = rc > 0 ? OUT_DONE : rc < 0 ? OUT_RETRY : OUT_FAIL;
	} else if (strcmp(j->kind, "post.published") == 0 ||
	    strcmp(j->kind, "post.withdrawn") == 0) {
		/*
		 * The hook of the integrations to come: none is configured
		 * yet, so the event is done once the worker has seen it.
		 */
		log_info("job %lld: %s, no integration to tell", j->id,
		    j->kind);
		out = OUT_DONE;
	} else {
		snprintf(err, sizeof(err), "unknown job kind \"%s\"", j->kind);
		out = OUT_FAIL;
	}
	return settle(x, j, out, err);
}

/* Carry out every job due now; 0 when none is left, -1, 1 on a stop. */
static int
run_due(struct worker *x)
{
	struct job	 j;
	int		 rc;

	for (;;) {
		if (stopping())
			return 1;
		if ((rc = jobs_db_claim(x->db, x->c->job_lease, &j)) <= 0)
			return rc;
		rc = handle(x, &j);
		jobs_db_release(&j);
		if (rc < 0)
			return -1;
	}
}

/* Queue the reminder digests due now; 1, or -1 (database gone). */
static int
remind(struct worker *x)
{
	int	 sent;

	if (x->views == NULL)
		return 1;
	if (reminders_send(x->db, x->c, x->views, x->site, &sent) < 0)
		return -1;
	logm(sent > 0 ? L_INFO : L_DEBUG, NULL, "queued %d reminder "
	    "digest%s", sent, sent == 1 ? "" : "s");
	if (training_remind_send(x->db, x->c, x->views, x->site, &sent) < 0)
		return -1;
	logm(sent > 0 ? L_INFO : L_DEBUG, NULL, "queued %d training "
	    "reminder%s", sent, sent == 1 ? "" : "s");
	return 1;
}

/* Housekeeping when it is due; 1, or -1 when the database is gone. */
static int
sweep(struct worker *x)
{
	struct jobs_swept	 n;
	long long		 now = now_usec();

	if (x->swept_at != 0 && now - x->swept_at < SWEEP_EVERY_US)
		return 1;
	if (jobs_db_sweep(x->db, x->c->session_idle_timeout,
	    x->c->session_max_age, x->c->confirm_token_ttl, &n) < 0 ||
	    remind(x) < 0)
		return -1;
	x->swept_at = now;
	logm(n.sessions + n.tokens + n.failures + n.unconfirmed + n.jobs > 0 ?
	    L_INFO : L_DEBUG, NULL, "housekeeping removed %lld sessions, "
	    "%lld e-mail tokens, %lld failed logins, %lld unconfirmed "
	    "accounts, %lld done jobs", n.sessions, n.tokens, n.failures,
	    n.unconfirmed, n.jobs);
	return 1;
}

/* Sleep until a job is due, one arrives, housekeeping is due, or a stop. */
static int
sleep_until_due(struct worker *x)
{
	double		 secs;
	long long	 ms = WAIT_CAP_MS, left;
	int		 rc;

	if ((rc = jobs_db_next_due(x->db, &secs)) < 0)
		return -1;
	if (rc == 1)
		ms = secs <= 0 ? 100 : (long long)(secs * 1000) + 10;
	left = (x->swept_at + SWEEP_EVERY_US - now_usec()) / 1000;
	if (ms > left)
		ms = left > 0 ? left : 0;
	if (ms > WAIT_CAP_MS)
		ms = WAIT_CAP_MS;
	return jobs_db_wait(x->db, (int)ms, &x->wait_mask) < 0 ? -1 : 1;
}

/* One worker identity for jobs.locked_by: host:pid. */
static void
identity(char *dst, size_t n)
{
	char	 host[256];

	if (gethostname(host, sizeof(host)) != 0)
		snprintf(host, sizeof(host), "unknown");
	host[sizeof(host) - 1] = '\0';
	snprintf(dst, n, "%.200s:%ld", host, (long)getpid());
}

/* Wait before reconnecting: 0.5 s, doubling up to RECONNECT_MAX_MS. */
static void
backoff_nap(const struct worker *x, int *delay)
{
	*delay = *delay ? *delay * 2 : 500;
	if (*delay > RECONNECT_MAX_MS)
		*delay = RECONNECT_MAX_MS;
	nap(x, *delay);
}

/* The loop proper; returns the exit status. */
static int
loop(struct worker *x, int once)
{
	int	 ready = 0, delay = 0;

	while (!stopping()) {
		if (!jobs_db_connected(x->db)) {
			if (jobs_db_connect(x->db) != 1) {
				if (once || jobs_db_refused(x->db))
					return 1;
				backoff_nap(x, &delay);
				continue;
			}
			if (!ready++)
				log_info("listening for jobs%s",
				    once ? " (once)" : "");
		}
		/* Either drops the connection when it fails. */
		if (sweep(x) < 0 || run_due(x) < 0) {
			if (once)
				return 1;
			backoff_nap(x, &delay);
			continue;
		}
		delay = 0;
		if (once || stopping())
			break;
		(void)sleep_until_due(x);
	}
	return 0;
}

/*
 * What reminders need: the mail views and the site's name.  Returns 1
 * (also when reminders are off), 0 when they cannot be had (logged).
 */
static int
remind_setup(struct worker *x)
{
	char	 err[1024];

	if (x->c->reminder_after == 0)
		return 1;
	if ((x->views = views_load(x->c->templates_dir, err,
	    sizeof(err))) == NULL) {
		log_error("reminders need the mail views: %s", err);
		return 0;
	}
	if ((x->site = json_pack("{s:s}", "name", x->c->site_name)) == NULL) {
		log_error("site_name is not valid UTF-8");
		return 0;
	}
	return 1;
}

int
jobs_run(const struct conf *c, int once)
{
	struct worker	 x;
	char		 who[256];
	int		 rc = 1;

	memset(&x, 0, sizeof(x));
	x.c = c;
	if (!message_from_address(c->mail_from, x.from, sizeof(x.from))) {
		log_error("mail_from \"%s\" holds no usable address",
		    c->mail_from);
		return 1;
	}
	if (c->job_lease <= c->smtp_timeout)
		log_warn("job_lease (%d s) should exceed smtp_timeout (%d s): "
		    "a slow delivery may be claimed again and sent twice",
		    c->job_lease, c->smtp_timeout);
	if (c->job_lease <= c->link_check_job_timeout)
		log_warn("job_lease (%d s) should exceed "
		    "link_check_job_timeout (%d s): a slow link check may be "
		    "claimed again",
		    c->job_lease, c->link_check_job_timeout);
	signals_setup(&x);
	if (smtp_init() < 0 || !remind_setup(&x))
		goto out;
	identity(who, sizeof(who));
	x.db = jobs_db_new(c->worker_database, c->db_connect_timeout, who);
	rc = loop(&x, once);
	jobs_db_free(x.db);
	log_info("job worker stopped");
out:
	mustache_set_free(x.views);
	json_decref(x.site);
	return rc;
}
