/*
 * assignments.c: courses assigned to a person, a unit or everyone with a
 * unit role, through the JSON API and the course page's form.  HR
 * assigns any course; a unit's owners assign their unit's own courses to
 * its members.  Which targets
 * exist and may be reached is the database's to say
 * (ch_assignment_add(), sql/026_training.sql); this file names the field
 * at fault.
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
#include "resp.h"
#include "router.h"
#include "session.h"
#include "training.h"
#include "training_page.h"
#include "training_db.h"
#include "util.h"

static const char *const roles[] = {
	"owner", "editor", "author", "guest", NULL
};

enum {
	A_COURSE, A_PERSON, A_UNIT, A_ROLE, A_DUE, A_NOTE, A__MAX
};

static const struct input_field assign_fields[A__MAX] = {
	[A_COURSE] = { .name = "course", .type = IN_INT,
	    .flags = IN_REQUIRED, .min = 1, .max = LLONG_MAX,
	    .label = "the course", .invalid = "course is a course's id" },
	[A_PERSON] = { .name = "person", .type = IN_EMAIL,
	    .label = "the person", .invalid = "person is a person's e-mail "
	    "address" },
	[A_UNIT] = { .name = "unit", .type = IN_SLUG, .label = "the unit",
	    .invalid = "unit is the address of a unit" },
	[A_ROLE] = { .name = "role", .type = IN_ENUM, .allowed = roles,
	    .label = "the role", .invalid = "role is owner, editor, author "
	    "or guest" },
	[A_DUE] = { .name = "due", .type = IN_DATE, .label = "the due day",
	    .invalid = "due is a day, YYYY-MM-DD" },
	[A_NOTE] = { .name = "note", .type = IN_TEXT, .max = 1000,
	    .label = "the note" },
};

const struct input_form training_assign_input = {
	assign_fields, A__MAX, NULL, NULL, 0
};

/* The course page's form: the same fields, the page again on a refusal. */
const struct input_form training_assign_form = {
	assign_fields, A__MAX, "training/course", training_course_again, 0
};

enum {
	Q_COURSE, Q_UNIT, Q__MAX
};

static const struct input_field query_fields[Q__MAX] = {
	[Q_COURSE] = { .name = "course", .type = IN_INT, .min = 1,
	    .max = LLONG_MAX, .label = "the course",
	    .invalid = "course is a course's id" },
	[Q_UNIT] = { .name = "unit", .type = IN_SLUG, .label = "the unit",
	    .invalid = "unit is the address of a unit" },
};

const struct input_form training_assignments_query = {
	query_fields, Q__MAX, NULL, NULL, 1
};

/* Why field (of an "invalid" or "closed" outcome) is refused. */
static const struct {
	const char	*outcome, *field, *msg;
} why[] = {
	{ "invalid", "course", "there is no published course with this id "
	  "that you read" },
	{ "invalid", "due", "the due day is today or later (UTC)" },
	{ "invalid", "person", "there is no person with this address (for "
	  "a unit's course: no current member of the unit)" },
	{ "invalid", "unit", "there is no unit at this address (a unit's "
	  "course is assigned to that unit only)" },
	{ "invalid", "role", "a unit's course is assigned to its members, "
	  "not to a role" },
	{ "closed", "unit", "the unit is not approved (archived, suspended "
	  "or waiting): it takes no assignments" },
};

/* 0 when exactly one of person, unit and role was given, else 422. */
static int
one_target(struct req *r)
{
	int	 n = input_has(r, A_PERSON) + input_has(r, A_UNIT) +
		    input_has(r, A_ROLE);

	if (n == 0)
		return input_fail(r, 422, "missing", "person", "an assignment "
		    "names a person, a unit or a role");
	if (n > 1)
		return input_fail(r, 422, "invalid", input_has(r, A_PERSON) ?
		    (input_has(r, A_UNIT) ? "unit" : "role") : "role",
		    "an assignment names one of a person, a unit or a role");
	return 0;
}

int
training_assign_post(struct req *r)
{
	struct assign_text	 t;
	struct assign_done	 d;
	json_t			*after;
	size_t			 i;
	int			 status;

	if ((status = one_target(r)) != 0)
		return status;
	t.course = input_text(r, A_COURSE);
	t.person = input_text(r, A_PERSON);
	t.unit = input_text(r, A_UNIT);
	t.role = input_text(r, A_ROLE);
	t.due = input_text(r, A_DUE);
	t.note = input_text(r, A_NOTE);
	if (training_db_assign(r, &t, &d) < 0)
		return req_db_fail(r);
	if (strcmp(d.outcome, "forbidden") == 0)
		return req_fail(r, 403, "forbidden", NULL, "only HR assigns "
		    "courses, and a unit's owners their unit's own courses to "
		    "its members");
	for (i = 0; i < NELEM(why); i++)
		if (d.field != NULL && strcmp(why[i].outcome, d.outcome) == 0 &&
		    strcmp(why[i].field, d.field) == 0)
			return input_fail(r, 422, "invalid", d.field, "%s",
			    why[i].msg);
	if (strcmp(d.outcome, "ok") != 0)
		return input_fail(r, 422, "invalid", d.field, "this "
		    "assignment is not possible");
	after = req_pack(r, "{s:s, s:s, s:s, s:s, s:s, s:s}", "course",
	    t.course, "person", t.person, "unit", t.unit, "role", t.role,
	    "due", t.due, "note", t.note);
	if (audit_add(r, "assignment.create", "course_assignment", d.id,
	    d.unit, NULL, after) < 0)
		return req_db_fail(r);
	logm(L_INFO, r->id, "assignment %s of course %s person=%lld", d.id,
	    t.course, r->sess->p.id);
	if (r->fmt != FMT_JSON)
		return req_redirect(r, arena_printf(r->a, "/courses/%s"
		    "?done=assigned", t.course));
	return req_view(r, 201, NULL, req_pack(r, "{s:I}", "id",
	    (json_int_t)strtoll(d.id, NULL, 10)));
}

int
training_assignments_get(struct req *r)
{
	json_t	*out;

	if (training_db_assignments(r, input_text(r, Q_COURSE),
	    input_text(r, Q_UNIT), &out) <= 0)
		return req_db_fail(r);
	return req_view(r, 200, NULL, out);
}

int
training_assign_delete(struct req *r)
{
	const char	*id = kv_get(&r->params, "id");
	json_t		*before;
	long long	 n, unit;
	int		 rc, found;

	if (!input_digits(id, 1, LLONG_MAX, &n))
		return req_fail(r, 404, "not_found", NULL, "there is no "
		    "assignment at this address");
	if ((rc = training_db_unassign(r, id, &before, &unit, &found)) < 0)
		return req_db_fail(r);
	if (rc == 0)
		return req_fail(r, found ? 403 : 404, found ? "forbidden" :
		    "not_found", NULL, found ? "only HR and the owners of the "
		    "course's unit remove an assignment" : "there is no "
		    "assignment at this address");
	if (audit_add(r, "assignment.delete", "course_assignment", id, unit,
	    before, NULL) < 0)
		return req_db_fail(r);
	return req_view(r, 204, NULL, NULL);
}
