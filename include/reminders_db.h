/*
 * reminders_db.h: the reminder digests that are due, claimed on the job
 * worker's connection (see sql/007_reminders.sql).
 *
 * Return convention: 1 success, -1 the connection is unusable (logged;
 * the open transaction is gone with it).
 */
#ifndef REMINDERS_DB_H
#define REMINDERS_DB_H

#include <jansson.h>

struct jobs_db;

/*
 * Claim the digests due now for requests that have waited longer than
 * after seconds, in the transaction the caller opened with
 * jobs_db_begin(): rolling it back gives them back.  Returns 1 with *rows,
 * a new array of one object per (approver, request), by approver, then
 * oldest request first: {"person_id", "email", "name", "slug", "unit",
 * "requester", "requester_email", "waited_seconds"} (see
 * reminders_group()); or -1.
 */
int	reminders_db_claim(struct jobs_db *, int after, json_t **rows);

#endif
