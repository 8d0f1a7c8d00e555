/*
 * reminders.c: the job worker's reminder digests: claim those due, group
 * the rows per approver, compose each digest from
 * templates/mail_reminder.txt and queue it, in one transaction, so a
 * digest is recorded as sent exactly when its mail is queued.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "conf.h"
#include "digests.h"
#include "jobs_db.h"
#include "reminders.h"
#include "reminders_db.h"

void
reminders_duration(long long secs, char *dst, size_t n)
{
	if (secs >= 2 * 86400)
		snprintf(dst, n, "%lld days", secs / 86400);
	else if (secs >= 2 * 3600)
		snprintf(dst, n, "%lld hours", secs / 3600);
	else if (secs >= 120)
		snprintf(dst, n, "%lld minutes", secs / 60);
	else if (secs >= 60)
		snprintf(dst, n, "1 minute");
	else
		snprintf(dst, n, "less than a minute");
}

/* A new digest for the approver of row, with no request yet. */
static json_t *
digest_new(json_t *row, const void *after)
{
	return json_pack("{s:s, s:s, s:s}", "to", digests_str(row, "email"),
	    "name", digests_str(row, "name"), "after", (const char *)after);
}

/* The request of row as a digest lists it. */
static json_t *
unit_new(json_t *row)
{
	char	 waited[64];

	reminders_duration(json_integer_value(json_object_get(row,
	    "waited_seconds")), waited, sizeof(waited));
	return json_pack("{s:s, s:s, s:s, s:s, s:s}",
	    "name", digests_str(row, "unit"),
	    "slug", digests_str(row, "slug"),
	    "requester", digests_str(row, "requester"),
	    "requester_email", digests_str(row, "requester_email"),
	    "waited", waited);
}

json_t *
reminders_group(json_t *rows, int after)
{
	char	 words[64];

	reminders_duration(after, words, sizeof(words));
	return digests_group(rows, "units", digest_new, unit_new, words);
}

/* The requests waiting for their approvers: 1, or -1. */
static int
claim(struct jobs_db *db, const struct conf *c, json_t **rows)
{
	return reminders_db_claim(db, c->reminder_after, rows);
}

static json_t *
group(json_t *rows, const struct conf *c)
{
	return reminders_group(rows, c->reminder_after);
}

static const struct digest_kind reminder = {
	"reminder", "reminder", claim, group
};

int
reminders_send(struct jobs_db *db, const struct conf *c,
    const struct mustache_set *views, json_t *site, int *sent)
{
	return digests_send(db, c, views, site, &reminder, sent);
}
