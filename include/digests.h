/*
 * digests.h: the job worker's mail digests, one per person: the rows due
 * are claimed, grouped per person, and each group is composed from a mail
 * view and queued, all in one transaction, so a digest is recorded as
 * sent exactly when its mail is queued.  Reminders of waiting workspace
 * requests (reminders.h) and of assigned courses (training_remind.h) are
 * the two kinds.
 */
#ifndef DIGESTS_H
#define DIGESTS_H

#include <jansson.h>

struct conf;
struct jobs_db;
struct mustache_set;

/*
 * A kind of digest.  claim() selects and marks the rows due, in the open
 * transaction, ordered by their "person_id": 1 with *rows set (an array
 * the caller releases), or -1.  group() turns them into digests, each an
 * object with at least "to" (the address), which the view
 * "mail_<view>.txt" composes.  what names the kind in the log.
 */
struct digest_kind {
	const char	*view;
	const char	*what;
	int		(*claim)(struct jobs_db *, const struct conf *,
			    json_t **rows);
	json_t		*(*group)(json_t *rows, const struct conf *);
};

/*
 * Group rows, ordered by "person_id", into one digest per person: head()
 * makes a digest from a person's first row (arg passed along), item()
 * one entry of its array list from each row; a NULL from either leaves
 * that out.  Each digest also gets "count" (its entries) and "several"
 * (more than one).  Returns a new array.
 */
json_t		*digests_group(json_t *rows, const char *list,
		    json_t *(*head)(json_t *row, const void *arg),
		    json_t *(*item)(json_t *row), const void *arg);

/*
 * Claim, group, compose and queue the digests of kind k due now, in one
 * transaction of db; *sent is how many were queued.  Returns 1; 0 when a
 * digest could not be composed (logged; nothing is recorded as sent); -1
 * when the database failed.
 */
int		 digests_send(struct jobs_db *, const struct conf *,
		    const struct mustache_set *views, json_t *site,
		    const struct digest_kind *k, int *sent);

/* The string member name of o, "" when it is not a string. */
const char	*digests_str(json_t *o, const char *name);

#endif
