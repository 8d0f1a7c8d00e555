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
#include "jobs_db.h"
#include "log.h"
#include "outbox.h"
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

/* The string member name of o, "" when it is not a string. */
static const char *
str(json_t *o, const char *name)
{
	const char	*s = json_string_value(json_object_get(o, name));

	return s != NULL ? s : "";
}

/* A new digest for the approver of row, with no request yet. */
static json_t *
digest_new(json_t *row, const char *after)
{
	return json_pack("{s:s, s:s, s:s, s:[]}", "to", str(row, "email"),
	    "name", str(row, "name"), "after", after, "units");
}

/* The request of row as a digest lists it. */
static json_t *
unit_new(json_t *row)
{
	char	 waited[64];

	reminders_duration(json_integer_value(json_object_get(row,
	    "waited_seconds")), waited, sizeof(waited));
	return json_pack("{s:s, s:s, s:s, s:s, s:s}", "name", str(row, "unit"),
	    "slug", str(row, "slug"), "requester", str(row, "requester"),
	    "requester_email", str(row, "requester_email"), "waited", waited);
}

json_t *
reminders_group(json_t *rows, int after)
{
	json_t		*out = json_array(), *row, *d = NULL, *u;
	json_int_t	 who = 0;
	size_t		 i, count;
	char		 words[64];

	reminders_duration(after, words, sizeof(words));
	json_array_foreach(rows, i, row) {
		if (d == NULL || json_integer_value(json_object_get(row,
		    "person_id")) != who) {
			who = json_integer_value(json_object_get(row,
			    "person_id"));
			if ((d = digest_new(row, words)) == NULL)
				continue;
			json_array_append_new(out, d);
		}
		if ((u = unit_new(row)) != NULL)
			json_array_append_new(json_object_get(d, "units"), u);
	}
	json_array_foreach(out, i, d) {
		count = json_array_size(json_object_get(d, "units"));
		json_object_set_new(d, "count",
		    json_integer((json_int_t)count));
		json_object_set_new(d, "several", json_boolean(count > 1));
	}
	return out;
}

/* Compose and queue every digest; 1, 0 (one did not compose), -1. */
static int
queue_all(struct jobs_db *db, const struct conf *c,
    const struct mustache_set *views, json_t *site, json_t *digests,
    int *sent)
{
	json_t	*d;
	char	*payload, err[512];
	size_t	 i;
	int	 rc;

	json_array_foreach(digests, i, d) {
		if ((payload = outbox_payload(views, site, c->public_url,
		    str(d, "to"), "reminder", d, err, sizeof(err))) == NULL) {
			log_error("could not compose the reminder to %s: %s",
			    str(d, "to"), err);
			return 0;
		}
		rc = jobs_db_queue_mail(db, payload);
		free(payload);
		if (rc < 0)
			return -1;
		(*sent)++;
	}
	return 1;
}

int
reminders_send(struct jobs_db *db, const struct conf *c,
    const struct mustache_set *views, json_t *site, int *sent)
{
	json_t	*rows = NULL, *digests = NULL;
	int	 rc;

	*sent = 0;
	if (jobs_db_begin(db) < 0)
		return -1;
	if ((rc = reminders_db_claim(db, c->reminder_after, &rows)) < 0)
		goto out;
	digests = reminders_group(rows, c->reminder_after);
	rc = queue_all(db, c, views, site, digests, sent);
	if (rc >= 0 && jobs_db_end(db, rc == 1) < 0)
		rc = -1;
	if (rc != 1)
		*sent = 0;
out:
	json_decref(rows);
	json_decref(digests);
	return rc;
}
