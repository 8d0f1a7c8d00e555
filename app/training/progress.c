/*
 * progress.c: the signed-in person's progress through the JSON API:
 * lessons marked read, quiz answers scored by the database (the right
 * answers never leave it), and "my training".  A completion is audited;
 * lesson reads and attempts are kept in their own tables.
 */
#include "config.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "arena.h"
#include "audit.h"
#include "input.h"
#include "log.h"
#include "req.h"
#include "router.h"
#include "session.h"
#include "training.h"
#include "training_db.h"
#include "util.h"

#define NO_COURSE	"there is no course at this address"
#define ANSWERS_MAX	100
#define CHOSEN_MAX	10

/* The route's {name} when it is a number from 1 to max, else NULL. */
static const char *
route_num(struct req *r, const char *name, long long max)
{
	const char	*s = kv_get(&r->params, name);
	long long	 n;

	return input_digits(s, 1, max, &n) ? s : NULL;
}

/* Record that the acting person completed version d of course id. */
static int
completed_audit(struct req *r, const char *id, const struct training_done *d)
{
	logm(L_INFO, r->id, "course %s completed version=%lld person=%lld",
	    id, d->version, r->sess->p.id);
	return audit_add(r, "course.complete", "course", id, d->unit, NULL,
	    req_pack(r, "{s:I}", "version", (json_int_t)d->version));
}

int
training_lesson_post(struct req *r)
{
	struct training_done	 d;
	const char		*id = route_num(r, "id", LLONG_MAX);
	const char		*n = kv_get(&r->params, "n");
	long long		 num = 0;

	if (id == NULL)
		return req_fail(r, 404, "not_found", NULL, NO_COURSE);
	if (!input_digits(n, 1, 1000, &num))
		n = "0";
	if (training_db_lesson(r, id, n, &d) < 0)
		return req_db_fail(r);
	if (strcmp(d.outcome, "no_course") == 0)
		return req_fail(r, 404, "not_found", NULL, NO_COURSE);
	if (strcmp(d.outcome, "no_lesson") == 0)
		return req_fail(r, 404, "not_found", "n", "the course has "
		    "lessons 1 to %lld", d.lessons);
	if (d.completed && completed_audit(r, id, &d) < 0)
		return req_db_fail(r);
	return req_view(r, 200, NULL, req_pack(r, "{s:I, s:I, s:I, s:b}",
	    "lesson", (json_int_t)num, "lessons", (json_int_t)d.lessons,
	    "version", (json_int_t)d.version, "completed", d.completed));
}

/*
 * The answers sent, as a JSON text in *out: a list of at most 100 lists
 * of at most 10 whole numbers each.  0, or the status after answering
 * 422 naming the answer at fault.  Whether each question is answered,
 * and within its choices, is the database's to say.
 */
static int
answers_read(struct req *r, const char **out)
{
	json_t	*all = r->json != NULL ? json_object_get(r->json, "answers") :
		    NULL, *a, *x;
	size_t	 i, k;
	char	*dump;

	if (all == NULL || json_is_null(all))
		return req_fail(r, 422, "missing", "answers", "answers lists, "
		    "for each question in order, the indexes of the chosen "
		    "choices (from 0)");
	if (!json_is_array(all))
		return req_fail(r, 422, "invalid", "answers", "answers is a "
		    "list of lists of choice indexes");
	if (json_array_size(all) > ANSWERS_MAX)
		return req_fail(r, 422, "too_many", "answers", "a quiz has at "
		    "most 100 questions");
	json_array_foreach(all, i, a) {
		if (!json_is_array(a) || json_array_size(a) > CHOSEN_MAX)
			return req_fail(r, 422, "invalid", arena_printf(r->a,
			    "answers.%zu", i), "an answer is a list of at most "
			    "10 choice indexes");
		json_array_foreach(a, k, x)
			if (!json_is_integer(x) || json_integer_value(x) < 0 ||
			    json_integer_value(x) >= CHOSEN_MAX)
				return req_fail(r, 422, "invalid",
				    arena_printf(r->a, "answers.%zu", i),
				    "an answer lists indexes of the question's "
				    "choices, from 0");
	}
	dump = json_dumps(all, JSON_COMPACT);
	*out = arena_strdup(r->a, dump);
	free(dump);
	return 0;
}

int
training_quiz_post(struct req *r)
{
	struct training_done	 d;
	const char		*id = route_num(r, "id", LLONG_MAX);
	const char		*answers = NULL;
	int			 status;

	if (id == NULL)
		return req_fail(r, 404, "not_found", NULL, NO_COURSE);
	if ((status = answers_read(r, &answers)) != 0)
		return status;
	if (training_db_quiz(r, id, answers, &d) < 0)
		return req_db_fail(r);
	if (strcmp(d.outcome, "no_course") == 0)
		return req_fail(r, 404, "not_found", NULL, NO_COURSE);
	if (strcmp(d.outcome, "no_quiz") == 0)
		return req_fail(r, 409, "no_quiz", NULL, "this course has no "
		    "quiz: reading every lesson completes it");
	if (strcmp(d.outcome, "missing") == 0)
		return req_fail(r, 422, "missing", d.field, "every question "
		    "needs an answer, in order");
	if (strcmp(d.outcome, "invalid") == 0)
		return req_fail(r, 422, "invalid", d.field, "there is no such "
		    "question, or no such choice: one answer per question, "
		    "each the indexes of its chosen choices, from 0");
	if (d.completed && completed_audit(r, id, &d) < 0)
		return req_db_fail(r);
	return req_view(r, 200, NULL, req_pack(r, "{s:I, s:b, s:b, s:I, s:I}",
	    "score", (json_int_t)d.score, "passed", d.passed, "completed",
	    d.completed, "version", (json_int_t)d.version, "attempt",
	    (json_int_t)d.attempt));
}

int
training_mine_get(struct req *r)
{
	json_t	*out;

	if (training_db_mine(r, &out) <= 0)
		return req_db_fail(r);
	return req_view(r, 200, NULL, out);
}
