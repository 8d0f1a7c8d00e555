/*
 * page_course.c: the reading pages of training: "my training", a
 * course's page (with the form assigning it), a lesson's page and its
 * "mark as read".  The data are the API's (training_db.c); this file
 * shapes them for templates/training/ and answers a form by a redirect.
 */
#include "config.h"

#include <limits.h>
#include <string.h>

#include "app.h"
#include "arena.h"
#include "audit.h"
#include "buf.h"
#include "conf.h"
#include "input.h"
#include "kv.h"
#include "log.h"
#include "markdown.h"
#include "req.h"
#include "session.h"
#include "training_db.h"
#include "training_page.h"
#include "util.h"

#define NO_COURSE	"there is no course at this address"

/* What a change done says on the page it returns to (?done=). */
static const struct {
	const char	*done;
	const char	*notice;
} notices[] = {
	{ "assigned", "The course is assigned; the worker mails a reminder." },
	{ "saved", "The course is saved." },
	{ "read", "Every lesson is read." },
	{ "completed", "Course completed: it shows as a badge on your "
	  "account." },
};

static const char *const roles[] = {
	"owner", "editor", "author", "guest", NULL
};

/* The notice of ?done= into d, if it is one. */
static void
notice(struct req *r, json_t *d)
{
	const char	*done = kv_get(&r->query, "done");
	size_t		 i;

	for (i = 0; done != NULL && i < NELEM(notices); i++)
		if (strcmp(done, notices[i].done) == 0)
			json_object_set_new(d, "notice",
			    json_string(notices[i].notice));
}

/* The route's {name} when it is a number from 1 to max, else NULL. */
static const char *
route_num(struct req *r, const char *name, long long max)
{
	const char	*s = kv_get(&r->params, name);
	long long	 n;

	return input_digits(s, 1, max, &n) ? s : NULL;
}

/* Whether writer data w says the person reads the training reports:
 * HR, or an owner of a unit (sql/035_training_reports.sql decides). */
static int
reads_reports(json_t *w)
{
	json_t	*u;
	size_t	 i;

	if (json_is_true(json_object_get(w, "hr")))
		return 1;
	json_array_foreach(json_object_get(w, "units"), i, u)
		if (json_is_true(json_object_get(u, "owner")))
			return 1;
	return 0;
}

int
training_page_mine(struct req *r)
{
	json_t		*w, *d;
	const char	*keys[] = { "assigned", "in_progress", "completed",
			    "catalog" };
	size_t		 i;

	if (training_page_db_writer(r, &w) < 0 || training_db_mine(r, &d) <= 0)
		return req_db_fail(r);
	for (i = 0; i < NELEM(keys); i++)
		json_object_set_new(d, arena_printf(r->a, "has_%s", keys[i]),
		    json_boolean(json_array_size(json_object_get(d,
		    keys[i])) > 0));
	json_object_set_new(d, "writes", json_boolean(json_is_true(
	    json_object_get(w, "hr")) || json_array_size(json_object_get(w,
	    "units")) > 0));
	json_object_set_new(d, "reports", json_boolean(reads_reports(w)));
	notice(r, d);
	return req_view(r, 200, "training/mine", d);
}

/* Whether the person completed course c's current version. */
static int
completed(json_t *c)
{
	json_t		*p = json_object_get(json_object_get(c, "progress"),
			    "completed"), *x;
	json_int_t	 v = json_integer_value(json_object_get(c, "version"));
	size_t		 i;

	json_array_foreach(p, i, x)
		if (json_integer_value(json_object_get(x, "version")) == v)
			return 1;
	return 0;
}

/*
 * Course id as its pages show it, into *c: 1; 0 after answering 404; -1
 * after answering a database failure.  The request's last statement.
 */
static int
course_load(struct req *r, const char *id, json_t **c)
{
	json_t	*lessons, *l;
	size_t	 i, read = 0;
	int	 rc;

	if (id == NULL || (rc = training_db_get(r, id, c)) == 0) {
		req_fail(r, 404, "not_found", NULL, NO_COURSE);
		return 0;
	}
	if (rc < 0) {
		req_db_fail(r);
		return -1;
	}
	lessons = json_object_get(*c, "lessons");
	json_array_foreach(lessons, i, l) {
		json_object_set_new(l, "href", json_string(arena_printf(r->a,
		    "/courses/%s/lessons/%lld", id, (long long)
		    json_integer_value(json_object_get(l, "n")))));
		read += json_is_true(json_object_get(l, "read"));
	}
	json_object_set_new(*c, "lessons_read", json_integer((json_int_t)read));
	json_object_set_new(*c, "lessons_count",
	    json_integer((json_int_t)json_array_size(lessons)));
	json_object_set_new(*c, "is_completed", json_boolean(completed(*c)));
	json_object_set_new(*c, "is_draft", json_boolean(strcmp(
	    json_string_value(json_object_get(*c, "state")), "draft") == 0));
	json_object_set_new(*c, "has_quiz", json_boolean(json_is_object(
	    json_object_get(*c, "quiz"))));
	return 1;
}

/* Whether writer info w lets the person assign course c. */
static int
assigns(json_t *w, json_t *c)
{
	const char	*unit = json_string_value(json_object_get(c, "unit"));
	json_t		*u;
	size_t		 i;

	if (json_is_true(json_object_get(w, "hr")))
		return 1;
	if (unit == NULL)
		return 0;
	json_array_foreach(json_object_get(w, "units"), i, u)
		if (strcmp(json_string_value(json_object_get(u, "slug")),
		    unit) == 0 && json_is_true(json_object_get(u, "owner")))
			return 1;
	return 0;
}

/*
 * The course page's view: values and errors of its assign form (what
 * was typed; NULL: empty).  NULL after answering.
 */
static json_t *
course_page(struct req *r, json_t *values)
{
	const char	*id = route_num(r, "id", LLONG_MAX);
	json_t		*c, *w, *rules, *opts;
	const char	*role;
	size_t		 i;

	if (id == NULL) {
		req_fail(r, 404, "not_found", NULL, NO_COURSE);
		return NULL;
	}
	if (training_page_db_rules(r, arena_printf(r->a, "%s/courses/%s",
	    r->conf->public_url, id), &rules) < 0 ||
	    training_page_db_writer(r, &w) < 0) {
		req_db_fail(r);
		return NULL;
	}
	if (course_load(r, id, &c) != 1)
		return NULL;
	json_object_set(c, "rules", rules);
	json_object_set_new(c, "has_rules", json_boolean(json_array_size(
	    rules) > 0));
	if (values == NULL)
		values = req_object(r);
	role = json_string_value(json_object_get(values, "role"));
	opts = json_array();
	for (i = 0; roles[i] != NULL; i++)
		json_array_append_new(opts, json_pack("{s:s, s:b}", "value",
		    roles[i], "selected", role != NULL && strcmp(role,
		    roles[i]) == 0));
	json_object_set_new(c, "roles", opts);
	json_object_set_new(c, "assigns", json_boolean(!json_is_true(
	    json_object_get(c, "is_draft")) && assigns(w, c)));
	json_object_set_new(c, "hub_course", json_boolean(json_is_null(
	    json_object_get(c, "unit"))));
	json_object_set(c, "values", values);
	json_object_set_new(c, "errors", json_object());
	json_object_set_new(c, "csrf", json_string(csrf_token(r)));
	notice(r, c);
	return c;
}

int
training_page_course(struct req *r)
{
	json_t	*c;

	if ((c = course_page(r, NULL)) == NULL)
		return r->resp.status;
	return req_view(r, 200, "training/course", c);
}

json_t *
training_course_again(struct req *r, json_t *values, const char *field,
    const char *msg)
{
	json_t	*c;

	(void)field;
	(void)msg;
	if ((c = course_page(r, values)) != NULL)
		json_object_set_new(c, "assign_open", json_true());
	return c;
}

int
training_page_lesson(struct req *r)
{
	const char	*id = route_num(r, "id", LLONG_MAX);
	const char	*n = route_num(r, "n", 100);
	json_t		*c, *lessons, *l;
	struct buf	 html;
	long long	 k = 0, count;

	if (course_load(r, id, &c) != 1)
		return r->resp.status;
	lessons = json_object_get(c, "lessons");
	count = (long long)json_array_size(lessons);
	if (n == NULL || !input_digits(n, 1, count, &k))
		return req_fail(r, 404, "not_found", "n", "the course has "
		    "lessons 1 to %lld", count);
	l = json_array_get(lessons, (size_t)k - 1);
	buf_init(&html);
	if (markdown_html(json_string_value(json_object_get(l, "body")),
	    strlen(json_string_value(json_object_get(l, "body"))), &html))
		json_object_set_new(l, "html", json_string(html.data));
	buf_free(&html);
	json_object_set(c, "lesson", l);
	if (k > 1)
		json_object_set(c, "previous", json_array_get(lessons,
		    (size_t)k - 2));
	if (k < count)
		json_object_set(c, "next", json_array_get(lessons, (size_t)k));
	json_object_set_new(c, "csrf", json_string(csrf_token(r)));
	return req_view(r, 200, "training/lesson", c);
}

int
training_page_read(struct req *r)
{
	struct training_done	 d;
	const char		*id = route_num(r, "id", LLONG_MAX);
	const char		*n = route_num(r, "n", 100);
	long long		 k = 0;

	if (id == NULL)
		return req_fail(r, 404, "not_found", NULL, NO_COURSE);
	if (training_db_lesson(r, id, n != NULL ? n : "0", &d) < 0)
		return req_db_fail(r);
	if (strcmp(d.outcome, "no_course") == 0)
		return req_fail(r, 404, "not_found", NULL, "there is no "
		    "published course at this address that you read");
	if (strcmp(d.outcome, "no_lesson") == 0 || n == NULL ||
	    !input_digits(n, 1, 100, &k))
		return req_fail(r, 404, "not_found", "n", "the course has "
		    "lessons 1 to %lld", d.lessons);
	if (d.completed) {
		logm(L_INFO, r->id, "course %s completed version=%lld "
		    "person=%lld", id, d.version, r->sess->p.id);
		if (audit_add(r, "course.complete", "course", id, d.unit, NULL,
		    req_pack(r, "{s:I}", "version", (json_int_t)d.version)) < 0)
			return req_db_fail(r);
		return req_redirect(r, arena_printf(r->a, "/courses/%s"
		    "?done=completed", id));
	}
	if (k < d.lessons)
		return req_redirect(r, arena_printf(r->a, "/courses/%s/lessons/"
		    "%lld", id, k + 1));
	return req_redirect(r, arena_printf(r->a, "/courses/%s?done=read",
	    id));
}
