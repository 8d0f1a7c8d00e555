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
#include "digests.h"
#include "jobs_db.h"
#include "jobs_db_impl.h"
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

/* A new digest for the person of row, with no course yet. */
static json_t *
digest_new(json_t *row, const void *arg)
{
	(void)arg;
	return json_pack("{s:s, s:s}", "to", digests_str(row, "email"), "name",
	    digests_str(row, "name"));
}

/* The course of row as a digest lists it. */
static json_t *
course_new(json_t *row)
{
	const char	*kind = digests_str(row, "kind");
	const char	*due = digests_str(row, "due");

	return json_pack("{s:I, s:s, s:s, s:s, s:s, s:b, s:b}",
	    "id", json_integer_value(json_object_get(row, "course_id")),
	    "title", digests_str(row, "title"), "due", due,
	    "note", digests_str(row, "note"), "state", kind_words(kind),
	    "has_due", *due != '\0', "overdue", strcmp(kind, "overdue") == 0);
}

json_t *
training_remind_group(json_t *rows)
{
	return digests_group(rows, "courses", digest_new, course_new, NULL);
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

static json_t *
group(json_t *rows, const struct conf *c)
{
	(void)c;
	return training_remind_group(rows);
}

static const struct digest_kind training = {
	"training", "training reminder", claim, group
};

int
training_remind_send(struct jobs_db *db, const struct conf *c,
    const struct mustache_set *views, json_t *site, int *sent)
{
	*sent = 0;
	if (!c->training_remind_assigned && !c->training_remind_overdue &&
	    c->training_remind_before == 0)
		return 1;
	return digests_send(db, c, views, site, &training, sent);
}
