/*
 * training_remind.h: reminders of assigned courses, mailed by the job
 * worker.
 *
 * A person to whom a published course is assigned (to them, their unit
 * or a role they hold), and who has not completed it, is reminded when
 * it is assigned (training_remind_assigned), training_remind_before days
 * before its due day, and once it is overdue (training_remind_overdue):
 * each once, gathered into one digest a person at most once a day.  The
 * time is the database's clock, ch_clock() (sql/030_training_pages.sql).
 * The worker checks at start and with its housekeeping.
 */
#ifndef TRAINING_REMIND_H
#define TRAINING_REMIND_H

#include <jansson.h>

struct conf;
struct jobs_db;
struct mustache_set;

/*
 * Group claimed rows (one per person and course, a person's together)
 * into one digest a person, the data of templates/mail_training.txt:
 * {"to", "name", "count", "several", "courses": [{"id", "title", "due",
 * "has_due", "note", "state", "overdue"}]}.  Returns a new array.
 */
json_t	*training_remind_group(json_t *rows);

/*
 * Claim the reminders due now and queue one digest a person, in one
 * transaction on the worker's connection; *sent is the number queued.
 * Returns 1; 0 when a digest could not be composed (logged; nothing is
 * claimed or queued); -1 when the connection is lost.
 */
int	training_remind_send(struct jobs_db *, const struct conf *,
	    const struct mustache_set *views, json_t *site, int *sent);

#endif
