/*
 * page_quiz.c: a course's quiz as a page: every question's choices as
 * boxes to tick (a question may have several right answers, and the
 * page never says which or how many), scored by the database on
 * submission, every attempt kept; then the result.  A box is the value
 * "question:choice" (from 1 and 0) of the repeated field "answers".
 */
#include "config.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "arena.h"
#include "audit.h"
#include "input.h"
#include "kv.h"
#include "log.h"
#include "req.h"
#include "session.h"
#include "training_db.h"
#include "training_page.h"
#include "util.h"

#define NO_COURSE	"there is no course at this address"
#define NO_QUIZ		"this course has no quiz: reading every lesson " \
			"completes it"
#define QUESTIONS_MAX	100
#define CHOICES_MAX	10

/* A box ticked: "question:choice", question 1 to 100, choice 0 to 9. */
static const char *
box_item(struct arena *a, const char *s)
{
	long long	 q;
	const char	*colon = strchr(s, ':');
	char		*head;

	(void)a;
	if (colon == NULL || colon[1] < '0' || colon[1] > '9' ||
	    colon[2] != '\0')
		return NULL;
	head = arena_strndup(a, s, (size_t)(colon - s));
	return input_digits(head, 1, QUESTIONS_MAX, &q) ? s : NULL;
}

enum { Q_ANSWERS, Q__MAX };

static const struct input_field quiz_fields[Q__MAX] = {
	[Q_ANSWERS] = { .name = "answers", .type = IN_LIST,
	    .max = QUESTIONS_MAX * CHOICES_MAX, .item = box_item,
	    .label = "the answers", .invalid = "each answer is a choice of "
	    "a question of the quiz" },
};

static json_t	*quiz_again(struct req *, json_t *, const char *,
		    const char *);

const struct input_form training_quiz_form = {
	quiz_fields, Q__MAX, "training/quiz", quiz_again, 0
};

/* The route's course id, or NULL. */
static const char *
route_id(struct req *r)
{
	const char	*s = kv_get(&r->params, "id");
	long long	 n;

	return input_digits(s, 1, LLONG_MAX, &n) ? s : NULL;
}

/* Whether box "q:k" is in the list ticked. */
static int
ticked(json_t *list, size_t q, size_t k)
{
	json_t		*x;
	size_t		 i;
	char		 want[48];

	snprintf(want, sizeof(want), "%zu:%zu", q, k);
	json_array_foreach(list, i, x)
		if (strcmp(json_string_value(x), want) == 0)
			return 1;
	return 0;
}

/*
 * Course id with its quiz shaped for the page, boxes of list ticked,
 * into *c: 1; 0 or -1 after answering (404 for no course or no quiz).
 */
static int
quiz_load(struct req *r, const char *id, json_t *list, json_t **c)
{
	json_t		*qs, *q, *ch, *opts;
	size_t		 i, k;
	int		 rc;

	if (id == NULL || (rc = training_db_get(r, id, c)) == 0) {
		req_fail(r, 404, "not_found", NULL, NO_COURSE);
		return 0;
	}
	if (rc < 0) {
		req_db_fail(r);
		return -1;
	}
	if (!json_is_object(json_object_get(*c, "quiz"))) {
		req_fail(r, 404, "no_quiz", NULL, NO_QUIZ);
		return 0;
	}
	qs = json_object_get(json_object_get(*c, "quiz"), "questions");
	json_array_foreach(qs, i, q) {
		/* Whatever the person may see, the page shows no answer. */
		json_object_del(q, "correct");
		opts = json_array();
		json_array_foreach(json_object_get(q, "choices"), k, ch)
			json_array_append_new(opts, json_pack("{s:O, s:s, "
			    "s:s, s:b}", "text", ch, "value", arena_printf(
			    r->a, "%zu:%zu", i + 1, k), "id", arena_printf(
			    r->a, "q%zu-%zu", i + 1, k), "checked",
			    ticked(list, i + 1, k)));
		json_object_set_new(q, "options", opts);
		json_object_set_new(q, "field", json_string(arena_printf(r->a,
		    "q%zu", i + 1)));
	}
	json_object_set_new(*c, "csrf", json_string(csrf_token(r)));
	json_object_set_new(*c, "errors", json_object());
	return 1;
}

/* The quiz again, with what was ticked and the message beside field. */
static json_t *
quiz_again(struct req *r, json_t *values, const char *field,
    const char *msg)
{
	json_t	*c, *q;
	size_t	 i;

	(void)values;
	if (quiz_load(r, route_id(r), r->in != NULL ? input_list(r,
	    Q_ANSWERS) : NULL, &c) != 1)
		return NULL;
	json_array_foreach(json_object_get(json_object_get(c, "quiz"),
	    "questions"), i, q)
		if (field != NULL && strcmp(field, json_string_value(
		    json_object_get(q, "field"))) == 0)
			json_object_set_new(q, "error", json_string(msg));
	return c;
}

int
training_page_quiz(struct req *r)
{
	json_t	*c;

	if (quiz_load(r, route_id(r), NULL, &c) != 1)
		return r->resp.status;
	return req_view(r, 200, "training/quiz", c);
}

/*
 * The boxes ticked as the API's answers (a JSON text) for n questions
 * into *out: 0, or the status after answering 422 naming the first
 * question without a box ticked, or one that is no question.
 */
static int
answers_of(struct req *r, size_t n, const char **out)
{
	json_t		*all = req_array(r), *x;
	size_t		 i, q, k;
	char		*dump;

	for (i = 0; i < n; i++)
		json_array_append_new(all, json_array());
	json_array_foreach(input_list(r, Q_ANSWERS), i, x) {
		q = (size_t)strtoul(json_string_value(x), NULL, 10);
		k = (size_t)(strchr(json_string_value(x), ':')[1] - '0');
		if (q > n)
			return input_fail(r, 422, "invalid", "answers",
			    "the quiz has questions 1 to %zu", n);
		json_array_append_new(json_array_get(all, q - 1),
		    json_integer((json_int_t)k));
	}
	for (i = 0; i < n; i++)
		if (json_array_size(json_array_get(all, i)) == 0)
			return input_fail(r, 422, "missing", arena_printf(r->a,
			    "q%zu", i + 1), "question %zu needs an answer: "
			    "tick every right choice", i + 1);
	dump = json_dumps(all, JSON_COMPACT);
	*out = arena_strdup(r->a, dump);
	free(dump);
	return 0;
}

int
training_page_quiz_post(struct req *r)
{
	struct training_done	 d;
	const char		*id = route_id(r), *answers = NULL;
	json_t			*c;
	int			 status;

	if (id == NULL || (status = training_db_get(r, id, &c)) == 0)
		return req_fail(r, 404, "not_found", NULL, NO_COURSE);
	if (status < 0)
		return req_db_fail(r);
	if (!json_is_object(json_object_get(c, "quiz")))
		return req_fail(r, 404, "no_quiz", NULL, NO_QUIZ);
	if ((status = answers_of(r, json_array_size(json_object_get(
	    json_object_get(c, "quiz"), "questions")), &answers)) != 0)
		return status;
	if (training_db_quiz(r, id, answers, &d) < 0)
		return req_db_fail(r);
	if (strcmp(d.outcome, "no_course") == 0)
		return req_fail(r, 404, "not_found", NULL, "there is no "
		    "published course at this address that you read");
	if (strcmp(d.outcome, "no_quiz") == 0)
		return req_fail(r, 404, "no_quiz", NULL, NO_QUIZ);
	if (strcmp(d.outcome, "ok") != 0)
		return input_fail(r, 422, "invalid", "answers", "the quiz "
		    "changed meanwhile: answer it again");
	if (d.completed) {
		logm(L_INFO, r->id, "course %s completed version=%lld "
		    "person=%lld", id, d.version, r->sess->p.id);
		if (audit_add(r, "course.complete", "course", id, d.unit, NULL,
		    req_pack(r, "{s:I}", "version", (json_int_t)d.version)) < 0)
			return req_db_fail(r);
	}
	return req_redirect(r, arena_printf(r->a, "/courses/%s/quiz/result",
	    id));
}

int
training_page_result(struct req *r)
{
	const char	*id = route_id(r);
	json_t		*c, *p;
	int		 rc;

	if (id == NULL || (rc = training_db_get(r, id, &c)) == 0)
		return req_fail(r, 404, "not_found", NULL, NO_COURSE);
	if (rc < 0)
		return req_db_fail(r);
	p = json_object_get(c, "progress");
	if (json_integer_value(json_object_get(p, "attempts")) == 0)
		return req_fail(r, 404, "not_found", NULL, "you have not "
		    "answered this course's quiz yet");
	json_object_set(c, "pass_mark", json_object_get(json_object_get(c,
	    "quiz"), "pass_mark"));
	json_object_del(c, "quiz");
	json_object_set_new(c, "passed", json_boolean(json_is_true(
	    json_object_get(p, "last_passed"))));
	return req_view(r, 200, "training/result", c);
}
