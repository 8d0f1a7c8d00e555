/*
 * reminders.h: digests of the workspace requests that wait for a
 * decision, mailed to the people who may decide them.
 *
 * A request waits from its updated_at (a resubmission starts the wait
 * again).  When some have waited longer than reminder_after seconds,
 * each approver (today: every hub admin) is mailed one digest listing
 * every such request they may decide, at most once in 24 hours; the
 * database records each digest in the transaction that queues its mail
 * (sql/007_reminders.sql), so two workers cannot both send one.  The job
 * worker checks at start and with its housekeeping.
 */
#ifndef REMINDERS_H
#define REMINDERS_H

#include <stddef.h>

#include <jansson.h>

struct conf;
struct jobs_db;
struct mustache_set;

/*
 * Write how long secs seconds is, as the digest says it, into dst (size
 * n): "3 days" from two days on, "5 hours" from two hours on, "12
 * minutes", "1 minute", "less than a minute".  Whole units, rounded down.
 */
void	reminders_duration(long long secs, char *dst, size_t n);

/*
 * Group claimed rows (reminders_db_claim(): one per approver and request,
 * the rows of an approver together) into one digest per approver, the
 * data of templates/mail_reminder.txt: {"to", "name", "after" (after
 * seconds as words), "count", "several" (count > 1), "units": [{"name",
 * "slug", "requester", "requester_email", "waited"}]}, requests in the
 * rows' order.  Returns a new array, empty when rows is.
 */
json_t	*reminders_group(json_t *rows, int after);

/*
 * Claim the digests due now and queue their mail, all in one transaction
 * on the worker's connection; *sent is the number of digests queued.
 * Returns 1; 0 when a digest could not be composed (logged; nothing is
 * claimed or queued); -1 when the connection is lost (nothing either).
 */
int	reminders_send(struct jobs_db *, const struct conf *,
	    const struct mustache_set *views, json_t *site, int *sent);

#endif
