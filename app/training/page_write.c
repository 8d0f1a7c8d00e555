/*
 * page_write.c: the writers' form of a course, new (/courses/new) or
 * changed (/courses/{id}/edit): title, summary, minutes, state, and a
 * fixed number of lesson and question slots, so that it works without
 * JavaScript: "Add a lesson" and "Add a question" send the form back
 * with one slot more, nothing saved.  Empty slots are skipped.  A
 * question's choices are one a line; its right answers the numbers of
 * the right choices, from 1 ("2" or "1, 3").  The course is written by
 * training_db_save(), under the schema's policies: HR the hub's courses,
 * a unit's owners and editors its own.
 */
#include "config.h"

#include <limits.h>
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
#include "utf8.h"
#include "util.h"

#define NO_COURSE	"there is no course at this address"
#define NOT_WRITER	"only HR writes the hub's courses, and a unit's " \
			"owners and editors its own"
#define SLOTS		20	/* lesson and question slots at most */
#define SLOTS_FIRST	3	/* lesson slots of a new course */

static const char *const states[] = { "draft", "published", NULL };
static const char *const adds[] = { "lesson", "question", NULL };

enum {
	W_TITLE, W_SUMMARY, W_MINUTES, W_STATE, W_UNIT, W_PASS, W_LSHOWN,
	W_QSHOWN, W_ADD, W_L, W_Q = W_L + 2 * SLOTS, W__MAX = W_Q + 3 * SLOTS
};

#define LESSON(i) \
	[W_L + 2 * ((i) - 1)] = { .name = "l" #i "_title", .type = IN_TEXT, \
	    .max = 200, .label = "the title of lesson " #i }, \
	[W_L + 2 * ((i) - 1) + 1] = { .name = "l" #i "_body", \
	    .type = IN_TEXT, .flags = IN_RAW, .max = 100000, \
	    .label = "the text of lesson " #i }

#define QUESTION(i) \
	[W_Q + 3 * ((i) - 1)] = { .name = "q" #i "_text", .type = IN_TEXT, \
	    .flags = IN_RAW, .max = 1000, .label = "question " #i }, \
	[W_Q + 3 * ((i) - 1) + 1] = { .name = "q" #i "_choices", \
	    .type = IN_LIST, .flags = IN_LINES, .max = 10, \
	    .item = choice_item, .label = "the choices of question " #i, \
	    .invalid = "each choice is a line of 1 to 500 characters" }, \
	[W_Q + 3 * ((i) - 1) + 2] = { .name = "q" #i "_correct", \
	    .type = IN_TEXT, .max = 40, \
	    .label = "the right choices of question " #i }

/* A choice: a line of 1 to 500 characters. */
static const char *
choice_item(struct arena *a, const char *s)
{
	size_t	 n = utf8_chars(s);

	(void)a;
	return n >= 1 && n <= 500 ? s : NULL;
}

#define WRITE_FIELDS \
	[W_TITLE] = { .name = "title", .type = IN_TEXT, \
	    .max = 200, .label = "the title" }, \
	[W_SUMMARY] = { .name = "summary", .type = IN_TEXT, .max = 2000, \
	    .label = "the summary" }, \
	[W_MINUTES] = { .name = "minutes", .type = IN_INT, \
	    .min = 1, .max = 6000, \
	    .label = "the minutes", .invalid = "the minutes are the time " \
	    "the course takes, 1 to 6000" }, \
	[W_STATE] = { .name = "state", .type = IN_ENUM, .allowed = states, \
	    .label = "the state", .invalid = "the state is draft or " \
	    "published" }, \
	[W_PASS] = { .name = "pass_mark", .type = IN_INT, .min = 1, \
	    .max = 100, .label = "the pass mark", .invalid = "the pass " \
	    "mark is a percentage from 1 to 100" }, \
	[W_LSHOWN] = { .name = "lessons_shown", .type = IN_INT, .min = 1, \
	    .max = SLOTS, .label = "the lesson slots" }, \
	[W_QSHOWN] = { .name = "questions_shown", .type = IN_INT, .min = 0, \
	    .max = SLOTS, .label = "the question slots" }, \
	[W_ADD] = { .name = "add", .type = IN_ENUM, .allowed = adds, \
	    .label = "what to add" }, \
	LESSON(1), \
	LESSON(2), \
	LESSON(3), \
	LESSON(4), \
	LESSON(5), \
	LESSON(6), \
	LESSON(7), \
	LESSON(8), \
	LESSON(9), \
	LESSON(10), \
	LESSON(11), \
	LESSON(12), \
	LESSON(13), \
	LESSON(14), \
	LESSON(15), \
	LESSON(16), \
	LESSON(17), \
	LESSON(18), \
	LESSON(19), \
	LESSON(20), \
	QUESTION(1), \
	QUESTION(2), \
	QUESTION(3), \
	QUESTION(4), \
	QUESTION(5), \
	QUESTION(6), \
	QUESTION(7), \
	QUESTION(8), \
	QUESTION(9), \
	QUESTION(10), \
	QUESTION(11), \
	QUESTION(12), \
	QUESTION(13), \
	QUESTION(14), \
	QUESTION(15), \
	QUESTION(16), \
	QUESTION(17), \
	QUESTION(18), \
	QUESTION(19), \
	QUESTION(20),

static const struct input_field new_fields[W__MAX] = {
	WRITE_FIELDS
	[W_UNIT] = { .name = "unit", .type = IN_SLUG, .label = "the unit",
	    .invalid = "the unit is the address of a unit" },
};

/* A course keeps its unit. */
static const struct input_field edit_fields[W__MAX] = {
	WRITE_FIELDS
};

static json_t	*write_again(struct req *, json_t *, const char *,
		    const char *);

const struct input_form training_write_form = {
	new_fields, W__MAX, "training/write", write_again, 0
};
const struct input_form training_edit_form = {
	edit_fields, W__MAX, "training/write", write_again, 0
};

/* Member k of o as text ("" when it is no string). */
static const char *
str(json_t *o, const char *k)
{
	const char	*s = json_string_value(json_object_get(o, k));

	return s != NULL ? s : "";
}

/* The route's course id, NULL on /courses/new (or not a number). */
static const char *
route_id(struct req *r)
{
	const char	*s = kv_get(&r->params, "id");
	long long	 n;

	return input_digits(s, 1, LLONG_MAX, &n) ? s : NULL;
}

/* Number member k of values (text as typed), within [lo, hi], or dflt. */
static long long
shown(json_t *values, const char *k, long long lo, long long hi,
    long long dflt)
{
	long long	 n;

	if (!input_digits(str(values, k), 0, hi, &n) && strcmp(str(values,
	    k), "0") != 0)
		return dflt;
	if (strcmp(str(values, k), "0") == 0)
		n = 0;
	return n < lo ? lo : n;
}

static const char *const lparts[] = { "title", "body", NULL };
static const char *const qparts[] = { "text", "choices", "correct", NULL };

/*
 * Slot i of kind ("l" a lesson, "q" a question) of the form: n, each
 * part's value and, for the part named field, "<part>_error": msg.
 */
static json_t *
slot(struct req *r, json_t *values, const char *kind, long long i,
    const char *const *parts, const char *field, const char *msg)
{
	json_t		*o = json_pack("{s:I}", "n", (json_int_t)i);
	const char	*name;
	size_t		 k;

	for (k = 0; parts[k] != NULL; k++) {
		name = arena_printf(r->a, "%s%lld_%s", kind, i, parts[k]);
		json_object_set_new(o, parts[k], json_string(str(values,
		    name)));
		if (field != NULL && msg != NULL && strcmp(field, name) == 0)
			json_object_set_new(o, arena_printf(r->a, "%s_error",
			    parts[k]), json_string(msg));
	}
	return o;
}

/*
 * The form's view: values (what the fields show), nl lesson and nq
 * question slots, the units the person may write for (a new course), msg
 * beside the slot's field (NULL: none).  NULL after answering.
 */
static json_t *
form_view(struct req *r, json_t *values, long long nl, long long nq,
    const char *field, const char *msg)
{
	json_t		*d, *ls = req_array(r), *qs = req_array(r), *w, *u;
	const char	*id = route_id(r), *unit = str(values, "unit");
	long long	 i;
	size_t		 k;

	if (training_page_db_writer(r, &w) < 0) {
		req_db_fail(r);
		return NULL;
	}
	for (i = 1; i <= nl; i++)
		json_array_append_new(ls, slot(r, values, "l", i, lparts,
		    field, msg));
	for (i = 1; i <= nq; i++)
		json_array_append_new(qs, slot(r, values, "q", i, qparts,
		    field, msg));
	json_array_foreach(json_object_get(w, "units"), k, u)
		json_object_set_new(u, "selected", json_boolean(strcmp(str(u,
		    "slug"), unit) == 0));
	d = req_pack(r, "{s:O, s:O, s:O, s:I, s:I, s:b, s:b, s:b, s:O, "
	    "s:O, s:s, s:{}}", "values", values, "lessons", ls, "questions",
	    qs, "lessons_shown", (json_int_t)nl, "questions_shown",
	    (json_int_t)nq, "is_new", id == NULL, "more_lessons", nl < SLOTS,
	    "more_questions", nq < SLOTS, "hr", json_object_get(w, "hr"),
	    "units", json_object_get(w, "units"), "csrf", csrf_token(r),
	    "errors");
	json_object_set_new(d, "action", json_string(id == NULL ?
	    "/courses/new" : arena_printf(r->a, "/courses/%s/edit", id)));
	json_object_set_new(d, "published", json_boolean(strcmp(str(values,
	    "state"), "published") == 0));
	if (id != NULL)
		json_object_set_new(d, "id", json_string(id));
	return d;
}

/* The form again with what was typed, as many slots as it showed. */
static json_t *
write_again(struct req *r, json_t *values, const char *field,
    const char *msg)
{
	long long	 nl = shown(values, "lessons_shown", 1, SLOTS,
			    SLOTS_FIRST);
	long long	 nq = shown(values, "questions_shown", 0, SLOTS, 1);

	return form_view(r, values, nl, nq, field, msg);
}

/* Whether writer info w lets the person write any course. */
static int
writes(json_t *w)
{
	return json_is_true(json_object_get(w, "hr")) ||
	    json_array_size(json_object_get(w, "units")) > 0;
}

int
training_page_new(struct req *r)
{
	json_t	*w, *d;

	if (training_page_db_writer(r, &w) < 0)
		return req_db_fail(r);
	if (!writes(w))
		return req_fail(r, 403, "forbidden", NULL, NOT_WRITER);
	if ((d = form_view(r, req_pack(r, "{s:s}", "state", "draft"),
	    SLOTS_FIRST, 1, NULL, NULL)) == NULL)
		return r->resp.status;
	return req_view(r, 200, "training/write", d);
}

/* The numbers of choices, from 1, as written in s ("1, 3"): the API's
 * "correct" (from 0), or NULL when s is no such list of n choices. */
static json_t *
correct_of(struct req *r, const char *s, size_t n)
{
	json_t		*out = req_array(r), *x;
	long long	 k;
	size_t		 i;
	char		*dup = arena_strdup(r->a, s), *tok, *save = NULL;

	for (tok = strtok_r(dup, " ,;", &save); tok != NULL;
	    tok = strtok_r(NULL, " ,;", &save)) {
		if (!input_digits(tok, 1, (long long)n, &k))
			return NULL;
		json_array_foreach(out, i, x)
			if (json_integer_value(x) == k - 1)
				return NULL;
		json_array_append_new(out, json_integer(k - 1));
	}
	return json_array_size(out) > 0 ? out : NULL;
}

/* Whether s holds a control character but line breaks and tabs. */
static int
has_controls(const char *s)
{
	for (; *s != '\0'; s++)
		if (((unsigned char)*s < 0x20 && strchr("\t\r\n", *s) ==
		    NULL) || *s == 0x7f)
			return 1;
	return 0;
}

/* The lessons of the slots as the API's JSON text: 0, or the status. */
static int
lessons_of(struct req *r, const char **out)
{
	json_t		*all = req_array(r);
	size_t		 i, t, b;
	char		*dump;

	for (i = 0; i < SLOTS; i++) {
		t = W_L + 2 * i;
		b = t + 1;
		if (!input_has(r, t) && !input_has(r, b))
			continue;
		if (!input_has(r, t))
			return input_fail(r, 422, "missing", arena_printf(r->a,
			    "l%zu_title", i + 1), "lesson %zu needs a title",
			    i + 1);
		if (!input_has(r, b) || input_text(r, b)[strspn(input_text(r,
		    b), " \t\r\n")] == '\0')
			return input_fail(r, 422, "missing", arena_printf(r->a,
			    "l%zu_body", i + 1), "lesson %zu needs its text",
			    i + 1);
		if (has_controls(input_text(r, b)))
			return input_fail(r, 422, "invalid", arena_printf(r->a,
			    "l%zu_body", i + 1), "the text of lesson %zu must "
			    "not contain control characters", i + 1);
		json_array_append_new(all, json_pack("{s:s, s:s}", "title",
		    input_text(r, t), "body", input_text(r, b)));
	}
	if (json_array_size(all) == 0)
		return input_fail(r, 422, "missing", "l1_title", "a course has "
		    "at least one lesson: give it a title and a text");
	dump = json_dumps(all, JSON_COMPACT);
	*out = arena_strdup(r->a, dump);
	free(dump);
	return 0;
}

/* Question slot i into keep: 0, skipped or added; or the status. */
static int
question_of(struct req *r, size_t i, json_t *keep)
{
	size_t		 t = W_Q + 3 * i;
	json_t		*choices = input_list(r, t + 1), *correct;
	const char	*text = input_text(r, t);

	if (!input_has(r, t) && json_array_size(choices) == 0 &&
	    !input_has(r, t + 2))
		return 0;
	if (!input_has(r, t) || text[strspn(text, " \t\r\n")] == '\0' ||
	    has_controls(text))
		return input_fail(r, 422, "missing", arena_printf(r->a,
		    "q%zu_text", i + 1), "question %zu needs its text", i + 1);
	if (json_array_size(choices) < 2)
		return input_fail(r, 422, "invalid", arena_printf(r->a,
		    "q%zu_choices", i + 1), "question %zu needs 2 to 10 "
		    "choices, one a line", i + 1);
	if ((correct = correct_of(r, input_text(r, t + 2),
	    json_array_size(choices))) == NULL)
		return input_fail(r, 422, "invalid", arena_printf(r->a,
		    "q%zu_correct", i + 1), "the right choices of question "
		    "%zu are their numbers, from 1 to %zu, such as 2 or 1, 3",
		    i + 1, json_array_size(choices));
	json_array_append_new(keep, json_pack("{s:s, s:O, s:O}", "text", text,
	    "choices", choices, "correct", correct));
	return 0;
}

/* The quiz of the slots as the API's JSON text ("" for none): 0, or the
 * status. */
static int
quiz_of(struct req *r, const char **out)
{
	json_t	*qs = req_array(r), *quiz;
	size_t	 i;
	int	 status;
	char	*dump;

	*out = "";
	for (i = 0; i < SLOTS; i++)
		if ((status = question_of(r, i, qs)) != 0)
			return status;
	if (json_array_size(qs) == 0) {
		if (input_has(r, W_PASS))
			return input_fail(r, 422, "invalid", "q1_text", "a "
			    "pass mark needs a quiz: write a question, or "
			    "leave the pass mark empty");
		return 0;
	}
	if (!input_has(r, W_PASS))
		return input_fail(r, 422, "missing", "pass_mark", "a quiz has "
		    "a pass mark, a percentage from 1 to 100");
	quiz = req_pack(r, "{s:I, s:O}", "pass_mark",
	    (json_int_t)input_int(r, W_PASS, 0), "questions", qs);
	dump = json_dumps(quiz, JSON_COMPACT);
	*out = arena_strdup(r->a, dump);
	free(dump);
	return 0;
}

/* "Add a lesson" or "Add a question": the form again, a slot more. */
static int
add_slot(struct req *r)
{
	json_t		*v = input_values(r), *d;
	long long	 nl = shown(v, "lessons_shown", 1, SLOTS, SLOTS_FIRST);
	long long	 nq = shown(v, "questions_shown", 0, SLOTS, 1);

	if (strcmp(input_text(r, W_ADD), "lesson") == 0 && nl < SLOTS)
		nl++;
	else if (strcmp(input_text(r, W_ADD), "question") == 0 && nq < SLOTS)
		nq++;
	if ((d = form_view(r, v, nl, nq, NULL, NULL)) == NULL)
		return r->resp.status;
	return req_view(r, 200, "training/write", d);
}

/* Write the course of the form (id NULL: a new one): the answer. */
static int
write_course(struct req *r, const char *id)
{
	struct course_text	 t;
	struct course_saved	 s;
	int			 status;

	if (input_has(r, W_ADD))
		return add_slot(r);
	/* Required only to save: "add" sends the form back as it is. */
	if (!input_has(r, W_TITLE))
		return input_fail(r, 422, "missing", "title", "the title is "
		    "required");
	if (!input_has(r, W_MINUTES))
		return input_fail(r, 422, "missing", "minutes", "the minutes "
		    "are required: about how long the course takes");
	t.unit = id == NULL ? input_text(r, W_UNIT) : "";
	t.state = input_has(r, W_STATE) ? input_text(r, W_STATE) : "draft";
	t.title = input_text(r, W_TITLE);
	t.summary = input_text(r, W_SUMMARY);
	t.minutes = input_text(r, W_MINUTES);
	if ((status = lessons_of(r, &t.lessons)) != 0 ||
	    (status = quiz_of(r, &t.quiz)) != 0)
		return status;
	if (training_db_save(r, id, &t, &s) < 0)
		return req_db_refuse(r, NULL, NULL, NULL);
	if (strcmp(s.outcome, "no_unit") == 0)
		return input_fail(r, 422, "invalid", "unit", "there is no unit "
		    "at the address %s", t.unit);
	if (strcmp(s.outcome, "not_found") == 0)
		return req_fail(r, 404, "not_found", NULL, NO_COURSE);
	if (strcmp(s.outcome, "forbidden") == 0)
		return req_fail(r, 403, "forbidden", NULL, NOT_WRITER);
	if (audit_add(r, id == NULL ? "course.create" : "course.update",
	    "course", s.id, s.unit, s.before, req_pack(r, "{s:s, s:I, s:s, "
	    "s:s}", "id", s.id, "version", (json_int_t)s.version, "state",
	    t.state, "title", t.title)) < 0)
		return req_db_fail(r);
	logm(L_INFO, r->id, "course %s saved version=%lld person=%lld", s.id,
	    s.version, r->sess->p.id);
	return req_redirect(r, arena_printf(r->a, "/courses/%s?done=saved",
	    s.id));
}

int
training_page_new_post(struct req *r)
{
	return write_course(r, NULL);
}

/* Course c's fields as the form's values (arena-owned). */
static json_t *
course_values(struct req *r, json_t *c, long long *nl, long long *nq)
{
	json_t		*v = req_object(r), *x, *k, *quiz;
	const char	*s;
	size_t		 i, j;

	json_object_set(v, "title", json_object_get(c, "title"));
	json_object_set(v, "summary", json_object_get(c, "summary"));
	json_object_set_new(v, "minutes", json_string(arena_printf(r->a,
	    "%lld", (long long)json_integer_value(json_object_get(c,
	    "minutes")))));
	json_object_set(v, "state", json_object_get(c, "state"));
	json_array_foreach(json_object_get(c, "lessons"), i, x) {
		json_object_set(v, arena_printf(r->a, "l%zu_title", i + 1),
		    json_object_get(x, "title"));
		json_object_set(v, arena_printf(r->a, "l%zu_body", i + 1),
		    json_object_get(x, "body"));
	}
	*nl = (long long)json_array_size(json_object_get(c, "lessons"));
	*nq = 0;
	if (!json_is_object(quiz = json_object_get(c, "quiz")))
		return v;
	json_object_set_new(v, "pass_mark", json_string(arena_printf(r->a,
	    "%lld", (long long)json_integer_value(json_object_get(quiz,
	    "pass_mark")))));
	json_array_foreach(json_object_get(quiz, "questions"), i, x) {
		json_object_set(v, arena_printf(r->a, "q%zu_text", i + 1),
		    json_object_get(x, "text"));
		s = "";
		json_array_foreach(json_object_get(x, "choices"), j, k)
			s = arena_printf(r->a, "%s%s%s", s, j ? "\n" : "",
			    json_string_value(k));
		json_object_set_new(v, arena_printf(r->a, "q%zu_choices",
		    i + 1), json_string(s));
		s = "";
		json_array_foreach(json_object_get(x, "correct"), j, k)
			s = arena_printf(r->a, "%s%s%lld", s, j ? ", " : "",
			    (long long)json_integer_value(k) + 1);
		json_object_set_new(v, arena_printf(r->a, "q%zu_correct",
		    i + 1), json_string(s));
	}
	*nq = (long long)json_array_size(json_object_get(quiz, "questions"));
	return v;
}

int
training_page_edit(struct req *r)
{
	const char	*id = route_id(r);
	json_t		*c, *d, *v;
	long long	 nl, nq;
	int		 rc;

	if (id == NULL || (rc = training_db_get(r, id, &c)) == 0)
		return req_fail(r, 404, "not_found", NULL, NO_COURSE);
	if (rc < 0)
		return req_db_fail(r);
	if (!json_is_true(json_object_get(c, "writable")))
		return req_fail(r, 403, "forbidden", NULL, NOT_WRITER);
	v = course_values(r, c, &nl, &nq);
	if (nl > SLOTS || nq > SLOTS)
		return req_fail(r, 409, "too_long", NULL, "this course has "
		    "more than %d lessons or questions: change it through the "
		    "API",
		    SLOTS);
	if ((d = form_view(r, v, nl < SLOTS ? nl + 1 : nl, nq < SLOTS ?
	    nq + 1 : nq, NULL, NULL)) == NULL)
		return r->resp.status;
	json_object_set(d, "course", c);
	return req_view(r, 200, "training/write", d);
}

int
training_page_edit_post(struct req *r)
{
	const char	*id = route_id(r);

	if (id == NULL)
		return req_fail(r, 404, "not_found", NULL, NO_COURSE);
	return write_course(r, id);
}
