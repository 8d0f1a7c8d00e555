/*
 * training_remind.c: the job worker's reminders of assigned courses:
 * claim those due at the database's clock (sql/030_training_pages.sql),
 * gather each person's into one digest, compose it from
 * templates/mail_training.txt and queue it, all in one transaction, so
 * a reminder is recorded as sent exactly when its mail is queued.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <libpq-fe.h>

#include "conf.h"
#include "db.h"
#include "dbrow.h"
#include "jobs_db.h"
#include "jobs_db_impl.h"
#include "log.h"
#include "outbox.h"
#include "stmts.h"
#include "training_remind.h"
#include "util.h"

enum {
	TREMIND_CLAIM,
	TREMIND__MAX
};

/* One reminder: a person, a course assigned to them, its kind. */
static const struct db_col claim_c[] = {
	{ "person_id", DB_INT, 0 },
	{ "email", DB_TEXT, 0 },
	{ "name", DB_TEXT, 0 },
	{ "course_id", DB_INT, 0 },
	{ "title", DB_TEXT, 0 },
	{ "unit", DB_TEXT, 0 },
	{ "due", DB_TEXT, 0 },
	{ "note", DB_TEXT, 0 },
	{ "kind", DB_TEXT, 0 },
};
static const struct db_cols claim_cols = DB_COLS(claim_c);

static const struct db_stmt sqls[TREMIND__MAX] = {
	[TREMIND_CLAIM] = { "training_remind_claim",
	    "SELECT person_id, email, name, course_id, title, unit, "
	    "due::text AS due, note, kind FROM ch_training_claim_reminders("
	    "$1::boolean, $2::integer, $3::boolean)", &claim_cols },
};

const struct db_stmts training_remind_stmts = { sqls, NELEM(sqls), NULL };

/* The string member name of o, "" when it is not a string. */
static const char *
str(json_t *o, const char *name)
{
	const char	*s = json_string_value(json_object_get(o, name));

	return s != NULL ? s : "";
}

/* What a reminder of kind says of its course. */
static const char *
kind_words(const char *kind)
{
	if (strcmp(kind, "overdue") == 0)
		return "overdue";
	if (strcmp(kind, "due_soon") == 0)
		return "due soon";
	return "newly assigned";
}

json_t *
training_remind_group(json_t *rows)
{
	json_t		*out = json_array(), *row, *d = NULL, *c;
	json_int_t	 who = 0;
	size_t		 i, count;

	json_array_foreach(rows, i, row) {
		if (d == NULL || json_integer_value(json_object_get(row,
		    "person_id")) != who) {
			who = json_integer_value(json_object_get(row,
			    "person_id"));
			d = json_pack("{s:s, s:s, s:[]}", "to", str(row,
			    "email"), "name", str(row, "name"), "courses");
			if (d == NULL)
				continue;
			json_array_append_new(out, d);
		}
		c = json_pack("{s:I, s:s, s:s, s:s, s:s, s:b, s:b}", "id",
		    json_integer_value(json_object_get(row, "course_id")),
		    "title", str(row, "title"), "due", str(row, "due"),
		    "note", str(row, "note"), "state", kind_words(str(row,
		    "kind")), "has_due", *str(row, "due") != '\0',
		    "overdue", strcmp(str(row, "kind"), "overdue") == 0);
		if (c != NULL)
			json_array_append_new(json_object_get(d, "courses"), c);
	}
	json_array_foreach(out, i, d) {
		count = json_array_size(json_object_get(d, "courses"));
		json_object_set_new(d, "count",
		    json_integer((json_int_t)count));
		json_object_set_new(d, "several", json_boolean(count > 1));
	}
	return out;
}

/* Claim the reminders due into *rows: 1, or -1. */
static int
claim(struct jobs_db *db, const struct conf *c, json_t **rows)
{
	PGresult	*res;
	char		 before[16];
	const char	*v[3] = { c->training_remind_assigned ? "t" : "f",
			    before, c->training_remind_overdue ? "t" : "f" };

	snprintf(before, sizeof(before), "%d", c->training_remind_before);
	if (jobs_db_exec(db, &sqls[TREMIND_CLAIM], 3, v, &res) != 1)
		return -1;
	*rows = json_array();
	db_rows_json(res, &claim_cols, *rows);
	PQclear(res);
	return 1;
}

/* Compose and queue every digest: 1, 0 (one did not compose), -1. */
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
		    str(d, "to"), "training", d, err, sizeof(err))) == NULL) {
			log_error("could not compose the training reminder to "
			    "%s: %s", str(d, "to"), err);
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
training_remind_send(struct jobs_db *db, const struct conf *c,
    const struct mustache_set *views, json_t *site, int *sent)
{
	json_t	*rows = NULL, *digests = NULL;
	int	 rc;

	*sent = 0;
	if (!c->training_remind_assigned && !c->training_remind_overdue &&
	    c->training_remind_before == 0)
		return 1;
	if (jobs_db_begin(db) < 0)
		return -1;
	if ((rc = claim(db, c, &rows)) < 0)
		goto out;
	digests = training_remind_group(rows);
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
