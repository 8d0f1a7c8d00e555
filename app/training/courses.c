/*
 * courses.c: courses through the JSON API: the list, one course, and
 * writing one.  The flat fields are declared input; the lessons and the
 * quiz are nested JSON, read here item by item with the path of the
 * field at fault ("lessons.2.body", "quiz.questions.0.correct") before
 * anything is written; sql/026_training.sql checks the same again.
 */
#include "config.h"

#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "arena.h"
#include "audit.h"
#include "input.h"
#include "log.h"
#include "req.h"
#include "resp.h"
#include "router.h"
#include "session.h"
#include "training.h"
#include "training_db.h"
#include "utf8.h"
#include "util.h"

#define NO_COURSE	"there is no course at this address"
#define LESSONS_MAX	100
#define QUESTIONS_MAX	100
#define CHOICES_MAX	10

static const char *const states[] = { "draft", "published", NULL };

enum {
	C_TITLE, C_SUMMARY, C_MINUTES, C_STATE, C_UNIT, C__MAX
};

#define COURSE_FIELDS \
	[C_TITLE] = { .name = "title", .type = IN_TEXT, \
	    .flags = IN_REQUIRED, .max = 200, .label = "the title" }, \
	[C_SUMMARY] = { .name = "summary", .type = IN_TEXT, .max = 2000, \
	    .label = "the summary" }, \
	[C_MINUTES] = { .name = "minutes", .type = IN_INT, \
	    .flags = IN_REQUIRED, .min = 1, .max = 6000, \
	    .label = "the minutes", .invalid = "minutes is the time the " \
	    "course takes, 1 to 6000 minutes" }, \
	[C_STATE] = { .name = "state", .type = IN_ENUM, .allowed = states, \
	    .label = "the state", .invalid = "state is draft or published" }

static const struct input_field new_fields[C__MAX] = {
	COURSE_FIELDS,
	[C_UNIT] = { .name = "unit", .type = IN_SLUG, .label = "the unit",
	    .invalid = "unit is the address of a unit" },
};

/* A course keeps its owner: a replacement does not read "unit". */
static const struct input_field put_fields[C__MAX] = {
	COURSE_FIELDS,
};

const struct input_form training_course_input = {
	new_fields, C__MAX, NULL, NULL, 0
};
const struct input_form training_course_put_input = {
	put_fields, C__MAX, NULL, NULL, 0
};

/*
 * Whether s is a text of 1 to max characters, not blank, without control
 * characters (but for line breaks and tabs when lines is set).
 */
static int
text_ok(const char *s, size_t max, int lines)
{
	const char	*p;
	size_t		 n;

	if (s == NULL || s[strspn(s, " \t\r\n")] == '\0')
		return 0;
	n = utf8_chars(s);
	if (n < 1 || n > max)
		return 0;
	for (p = s; *p != '\0'; p++)
		if (((unsigned char)*p < 0x20 && !(lines &&
		    strchr("\t\r\n", *p) != NULL)) || *p == 0x7f)
			return 0;
	return 1;
}

/* Refuse field path (printf-like) with 422 code and message msg. */
static int
refuse(struct req *r, const char *code, const char *msg, const char *fmt,
    ...) __attribute__((format(printf, 4, 5)));

static int
refuse(struct req *r, const char *code, const char *msg, const char *fmt,
    ...)
{
	va_list	 ap;
	char	*field;

	va_start(ap, fmt);
	field = arena_vprintf(r->a, fmt, ap);
	va_end(ap);
	return req_fail(r, 422, code, field, "%s", msg);
}

/* The lessons sent into *out (a JSON text): 0, or the status. */
static int
lessons_read(struct req *r, const char **out)
{
	json_t	*all = r->json != NULL ? json_object_get(r->json, "lessons") :
		    NULL, *l, *keep = req_array(r);
	size_t	 i;
	char	*dump;

	if (all == NULL || json_is_null(all) || (json_is_array(all) &&
	    json_array_size(all) == 0))
		return refuse(r, "missing", "a course has 1 to 100 lessons",
		    "lessons");
	if (!json_is_array(all))
		return refuse(r, "invalid", "lessons is a list of "
		    "{\"title\", \"body\"}", "lessons");
	if (json_array_size(all) > LESSONS_MAX)
		return refuse(r, "too_many", "a course has at most 100 lessons",
		    "lessons");
	json_array_foreach(all, i, l) {
		if (!json_is_object(l))
			return refuse(r, "invalid", "a lesson is "
			    "{\"title\", \"body\"}", "lessons.%zu", i);
		if (!text_ok(json_string_value(json_object_get(l, "title")),
		    200, 0))
			return refuse(r, "invalid", "a lesson's title is a "
			    "text of 1 to 200 characters", "lessons.%zu.title",
			    i);
		if (!text_ok(json_string_value(json_object_get(l, "body")),
		    100000, 1))
			return refuse(r, "invalid", "a lesson's body is "
			    "CommonMark of 1 to 100,000 characters",
			    "lessons.%zu.body", i);
		json_array_append_new(keep, json_pack("{s:O, s:O}", "title",
		    json_object_get(l, "title"), "body",
		    json_object_get(l, "body")));
	}
	dump = json_dumps(keep, JSON_COMPACT);
	*out = arena_strdup(r->a, dump);
	free(dump);
	return 0;
}

/* Whether correct is 1 to n distinct integers from 0 to n - 1. */
static int
correct_ok(json_t *correct, size_t n)
{
	json_t		*x, *y;
	size_t		 i, k;

	if (!json_is_array(correct) || json_array_size(correct) < 1 ||
	    json_array_size(correct) > n)
		return 0;
	json_array_foreach(correct, i, x) {
		if (!json_is_integer(x) || json_integer_value(x) < 0 ||
		    json_integer_value(x) >= (json_int_t)n)
			return 0;
		for (k = 0; k < i; k++) {
			y = json_array_get(correct, k);
			if (json_integer_value(y) == json_integer_value(x))
				return 0;
		}
	}
	return 1;
}

/* Question i of the quiz (q) into keep: 0, or the status. */
static int
question_read(struct req *r, size_t i, json_t *q, json_t *keep)
{
	json_t	*choices, *c;
	size_t	 k;

	if (!json_is_object(q))
		return refuse(r, "invalid", "a question is {\"text\", "
		    "\"choices\", \"correct\"}", "quiz.questions.%zu", i);
	if (!text_ok(json_string_value(json_object_get(q, "text")), 1000, 1))
		return refuse(r, "invalid", "a question is a text of 1 to "
		    "1,000 characters", "quiz.questions.%zu.text", i);
	choices = json_object_get(q, "choices");
	if (!json_is_array(choices) || json_array_size(choices) < 2 ||
	    json_array_size(choices) > CHOICES_MAX)
		return refuse(r, "invalid", "a question has 2 to 10 choices",
		    "quiz.questions.%zu.choices", i);
	json_array_foreach(choices, k, c)
		if (!text_ok(json_string_value(c), 500, 0))
			return refuse(r, "invalid", "a choice is a text of 1 "
			    "to 500 characters",
			    "quiz.questions.%zu.choices.%zu", i, k);
	if (!correct_ok(json_object_get(q, "correct"),
	    json_array_size(choices)))
		return refuse(r, "invalid", "correct lists the indexes (from "
		    "0) of the right choices, each once",
		    "quiz.questions.%zu.correct", i);
	json_array_append_new(keep, json_pack("{s:O, s:O, s:O}", "text",
	    json_object_get(q, "text"), "choices", choices, "correct",
	    json_object_get(q, "correct")));
	return 0;
}

/* The quiz sent, if any, into *out (a JSON text, "" for none): 0, or the
 * status. */
static int
quiz_read(struct req *r, const char **out)
{
	json_t	*quiz = r->json != NULL ? json_object_get(r->json, "quiz") :
		    NULL, *qs, *mark, *q, *keep;
	size_t	 i;
	char	*dump;
	int	 status;

	*out = "";
	if (quiz == NULL || json_is_null(quiz))
		return 0;
	if (!json_is_object(quiz))
		return refuse(r, "invalid", "quiz is {\"pass_mark\", "
		    "\"questions\"}", "quiz");
	mark = json_object_get(quiz, "pass_mark");
	if (mark == NULL || json_is_null(mark))
		return refuse(r, "missing", "a quiz has a pass mark, a "
		    "percentage from 1 to 100", "quiz.pass_mark");
	if (!json_is_integer(mark) || json_integer_value(mark) < 1 ||
	    json_integer_value(mark) > 100)
		return refuse(r, "invalid", "the pass mark is a percentage "
		    "from 1 to 100", "quiz.pass_mark");
	qs = json_object_get(quiz, "questions");
	if (!json_is_array(qs) || json_array_size(qs) < 1)
		return refuse(r, "missing", "a quiz has 1 to 100 questions",
		    "quiz.questions");
	if (json_array_size(qs) > QUESTIONS_MAX)
		return refuse(r, "too_many", "a quiz has at most 100 questions",
		    "quiz.questions");
	keep = req_array(r);
	json_array_foreach(qs, i, q)
		if ((status = question_read(r, i, q, keep)) != 0)
			return status;
	q = req_pack(r, "{s:O, s:O}", "pass_mark", mark, "questions", keep);
	dump = json_dumps(q, JSON_COMPACT);
	*out = arena_strdup(r->a, dump);
	free(dump);
	return 0;
}

/* The course sent, into t: 0, or the status after answering. */
static int
course_read(struct req *r, int with_unit, struct course_text *t)
{
	int	 status;

	t->unit = with_unit ? input_text(r, C_UNIT) : "";
	t->state = input_has(r, C_STATE) ? input_text(r, C_STATE) : "draft";
	t->title = input_text(r, C_TITLE);
	t->summary = input_text(r, C_SUMMARY);
	t->minutes = input_text(r, C_MINUTES);
	if ((status = lessons_read(r, &t->lessons)) != 0)
		return status;
	return quiz_read(r, &t->quiz);
}

/* What the audit log keeps of course s as written from t. */
static json_t *
course_after(struct req *r, const struct course_saved *s,
    const struct course_text *t)
{
	return req_pack(r, "{s:s, s:I, s:s, s:s}", "id", s->id, "version",
	    (json_int_t)s->version, "state", t->state, "title", t->title);
}

/* The route's {name} when it is an identifier, else NULL. */
static const char *
route_id(struct req *r, const char *name)
{
	const char	*id = kv_get(&r->params, name);
	long long	 n;

	return input_digits(id, 1, LLONG_MAX, &n) ? id : NULL;
}

int
training_courses_get(struct req *r)
{
	json_t	*out;

	if (training_db_list(r, &out) <= 0)
		return req_db_fail(r);
	return req_view(r, 200, NULL, out);
}

int
training_course_get(struct req *r)
{
	const char	*id = route_id(r, "id");
	json_t		*out;
	int		 rc;

	if (id == NULL)
		return req_fail(r, 404, "not_found", NULL, NO_COURSE);
	if ((rc = training_db_get(r, id, &out)) < 0)
		return req_db_fail(r);
	if (rc == 0)
		return req_fail(r, 404, "not_found", NULL, NO_COURSE);
	return req_view(r, 200, NULL, out);
}

int
training_course_post(struct req *r)
{
	struct course_text	 t;
	struct course_saved	 s;
	int			 status;

	if ((status = course_read(r, 1, &t)) != 0)
		return status;
	if (training_db_save(r, NULL, &t, &s) < 0)
		return req_db_fail(r);
	if (strcmp(s.outcome, "no_unit") == 0)
		return req_fail(r, 422, "invalid", "unit", "there is no unit "
		    "at the address %s", t.unit);
	if (audit_add(r, "course.create", "course", s.id, s.unit, NULL,
	    course_after(r, &s, &t)) < 0)
		return req_db_fail(r);
	logm(L_INFO, r->id, "course %s created unit=%lld person=%lld", s.id,
	    s.unit, r->sess->p.id);
	resp_header(r, "Location", arena_printf(r->a, "/api/v1/courses/%s",
	    s.id));
	return req_view(r, 201, NULL, req_pack(r, "{s:I, s:I}", "id",
	    (json_int_t)strtoll(s.id, NULL, 10), "version",
	    (json_int_t)s.version));
}

int
training_course_put(struct req *r)
{
	struct course_text	 t;
	struct course_saved	 s;
	const char		*id = route_id(r, "id");
	int			 status;

	if (id == NULL)
		return req_fail(r, 404, "not_found", NULL, NO_COURSE);
	if ((status = course_read(r, 0, &t)) != 0)
		return status;
	if (training_db_save(r, id, &t, &s) < 0)
		return req_db_fail(r);
	if (strcmp(s.outcome, "not_found") == 0)
		return req_fail(r, 404, "not_found", NULL, NO_COURSE);
	if (strcmp(s.outcome, "forbidden") == 0)
		return req_fail(r, 403, "forbidden", NULL, "only HR writes the "
		    "hub's courses, and a unit's owners and editors its own, "
		    "while it is approved");
	if (audit_add(r, "course.update", "course", s.id, s.unit, s.before,
	    course_after(r, &s, &t)) < 0)
		return req_db_fail(r);
	return req_view(r, 200, NULL, req_pack(r, "{s:I, s:I}", "id",
	    (json_int_t)strtoll(s.id, NULL, 10), "version",
	    (json_int_t)s.version));
}
