/*
 * report.c: the reports of training (training_report.h): the JSON and
 * CSV answers of GET /api/v1/reports/training and the page
 * /reports/training with its tables and its chart of completions per
 * week.  Whose rows is the database's to say (report_db.c): the handler
 * answers 403 to a caller who reads no unit's reports and 404 for a
 * filter naming nothing they read, and filters nothing itself.
 */
#include "config.h"

#include <string.h>
#include <time.h>

#include "app.h"
#include "arena.h"
#include "buf.h"
#include "csv.h"
#include "date.h"
#include "input.h"
#include "req.h"
#include "training_chart.h"
#include "training_report.h"
#include "urlenc.h"
#include "util.h"

#define NOT_READER	"the reports of training are read by HR and by " \
			"units' owners"
#define NO_UNIT		"there is no unit at this address whose reports " \
			"you read"
#define NO_COURSE	"there is no published course with this number"
#define BAD_RANGE	"the last day comes before the first"
#define LONG_RANGE	"the range spans at most 104 weeks"
#define MAX_WEEKS	104

enum { RQ_UNIT, RQ_COURSE, RQ_FROM, RQ_TO, RQ_FORMAT, RQ_REPORT, RQ__MAX };

static const char *const formats[] = { "json", "csv", NULL };
static const char *const reports[] = { "matrix", "people", "overdue",
    "weekly", NULL };

static const struct input_field report_fields[RQ__MAX] = {
	[RQ_UNIT] = { .name = "unit", .type = IN_SLUG, .label = "the unit",
	    .invalid = "unit is the address of a unit" },
	[RQ_COURSE] = { .name = "course", .type = IN_INT, .min = 1,
	    .max = 999999999999LL, .label = "the course",
	    .invalid = "course is the number of a course" },
	[RQ_FROM] = { .name = "from", .type = IN_DATE,
	    .label = "the first day", .invalid = "from is a day, YYYY-MM-DD" },
	[RQ_TO] = { .name = "to", .type = IN_DATE, .label = "the last day",
	    .invalid = "to is a day, YYYY-MM-DD" },
	[RQ_FORMAT] = { .name = "format", .type = IN_ENUM,
	    .allowed = formats, .label = "the format",
	    .invalid = "format is json or csv" },
	[RQ_REPORT] = { .name = "report", .type = IN_ENUM,
	    .allowed = reports, .label = "the report",
	    .invalid = "report is matrix, people, overdue or weekly" },
};

const struct input_form training_report_query = {
	report_fields, RQ__MAX, NULL, NULL, 1
};

static json_t	*report_again(struct req *, json_t *, const char *,
		    const char *);

const struct input_form training_report_page_query = {
	report_fields, RQ_FORMAT, "training/reports", report_again, 1
};

/* The columns of each section's CSV. */
static const char *const matrix_cols[] = { "course", "title",
    "course_unit", "unit", "unit_name", "assigned", "completed",
    "overdue" };
static const char *const people_cols[] = { "unit", "unit_name", "person",
    "email", "course", "title", "due", "state", "completed_at" };
static const char *const overdue_cols[] = { "unit", "unit_name", "person",
    "email", "course", "title", "due", "days_overdue" };
static const char *const weekly_cols[] = { "week", "completed" };

static const struct {
	const char		*name;
	const char *const	*cols;
	size_t			 ncols;
} sections[] = {
	{ "matrix", matrix_cols, NELEM(matrix_cols) },
	{ "people", people_cols, NELEM(people_cols) },
	{ "overdue", overdue_cols, NELEM(overdue_cols) },
	{ "weekly", weekly_cols, NELEM(weekly_cols) },
};

/* The request's filters, as given. */
static void
filter_get(struct req *r, struct report_filter *f)
{
	f->unit = input_text(r, RQ_UNIT);
	f->course = input_has(r, RQ_COURSE) ? arena_printf(r->a, "%lld",
	    input_int(r, RQ_COURSE, 0)) : "";
	f->from = input_text(r, RQ_FROM);
	f->to = input_text(r, RQ_TO);
}

/*
 * Whether the range of f is acceptable; else *field and *msg say why.
 * Either end alone is kept within 104 weeks by the statement.
 */
static int
range_ok(const struct report_filter *f, const char **field,
    const char **msg)
{
	time_t	 a, b;

	if (*f->from == '\0' || *f->to == '\0' || !date_parse(f->from, &a) ||
	    !date_parse(f->to, &b))
		return 1;
	if (b < a) {
		*field = "to";
		*msg = BAD_RANGE;
		return 0;
	}
	if ((b - a) / 86400 >= MAX_WEEKS * 7) {
		*field = "from";
		*msg = LONG_RANGE;
		return 0;
	}
	return 1;
}

/* The section's CSV of report x, named after it and its unit. */
static int
report_csv(struct req *r, json_t *x, const char *name, const char *unit)
{
	size_t	 i;

	for (i = 0; i < NELEM(sections) - 1; i++)
		if (strcmp(sections[i].name, name) == 0)
			break;
	return csv_answer(r, arena_printf(r->a, "training-%s%s%s.csv",
	    sections[i].name, *unit != '\0' ? "-" : "", unit),
	    sections[i].cols, sections[i].ncols, json_object_get(x,
	    sections[i].name));
}

int
training_report_get(struct req *r)
{
	struct training_report	 t;
	struct report_filter	 f;
	const char		*field, *msg;
	json_t			*x;

	filter_get(r, &f);
	if (!range_ok(&f, &field, &msg))
		return req_fail(r, 400, "invalid", field, "%s", msg);
	if (report_db_read(r, &f, &t) < 0)
		return req_db_fail(r);
	if (!t.reader)
		return req_fail(r, 403, "forbidden", NULL, NOT_READER);
	if (!t.unit_ok)
		return req_fail(r, 404, "not_found", "unit", NO_UNIT);
	if (!t.course_ok)
		return req_fail(r, 404, "not_found", "course", NO_COURSE);
	if (strcmp(input_text(r, RQ_FORMAT), "csv") == 0 ||
	    (!input_has(r, RQ_FORMAT) && fmt_wants_csv(r->accept)))
		return report_csv(r, t.report, input_has(r, RQ_REPORT) ?
		    input_text(r, RQ_REPORT) : "matrix", f.unit);
	x = t.report;
	json_object_del(x, "units");
	json_object_del(x, "courses");
	json_object_set_new(x, "unit", *f.unit != '\0' ?
	    json_string(f.unit) : json_null());
	json_object_set_new(x, "course", *f.course != '\0' ?
	    json_integer(input_int(r, RQ_COURSE, 0)) : json_null());
	return req_view(r, 200, NULL, x);
}

/* The member k of x as a string, or "". */
static const char *
str(json_t *x, const char *k)
{
	const char	*s = json_string_value(json_object_get(x, k));

	return s != NULL ? s : "";
}

/* The key of the matrix cell of course c in unit u. */
static const char *
cell_key(struct req *r, json_t *c, const char *unit)
{
	return arena_printf(r->a, "%lld|%s", (long long)
	    json_integer_value(json_object_get(c, "course")), unit);
}

/*
 * The matrix as the page's table: "columns" the units (the reader's
 * units that have a cell, in their order, then "no unit"), "rows" a
 * course each with a cell per column.
 */
static void
matrix_view(struct req *r, json_t *x, json_t *d)
{
	json_t		*m = json_object_get(x, "matrix");
	json_t		*cells = req_object(r);
	json_t		*cols = req_array(r), *rows = req_array(r), *seen;
	json_t		*c, *u, *row = NULL, *line;
	const char	*slug;
	long long	 last = -1, id;
	size_t		 i, k;

	json_array_foreach(m, i, c)
		json_object_set(cells, cell_key(r, c, str(c, "unit")), c);
	json_array_foreach(json_object_get(x, "units"), i, u) {
		json_array_foreach(m, k, c)
			if (strcmp(str(c, "unit"), str(u, "slug")) == 0)
				break;
		if (k < json_array_size(m))
			json_array_append(cols, u);
	}
	json_array_foreach(m, i, c)
		if (json_is_null(json_object_get(c, "unit"))) {
			json_array_append_new(cols, json_pack("{s:s, s:s}",
			    "slug", "", "name", "No unit"));
			break;
		}
	json_array_foreach(m, i, c) {
		id = json_integer_value(json_object_get(c, "course"));
		if (id == last)
			continue;
		last = id;
		line = req_array(r);
		json_array_foreach(cols, k, u) {
			slug = str(u, "slug");
			seen = json_object_get(cells, cell_key(r, c, slug));
			json_array_append_new(line, seen != NULL ?
			    json_pack("{s:O, s:O, s:O, s:b}", "assigned",
			    json_object_get(seen, "assigned"), "completed",
			    json_object_get(seen, "completed"), "overdue",
			    json_object_get(seen, "overdue"), "some_overdue",
			    json_integer_value(json_object_get(seen,
			    "overdue")) > 0) : json_pack("{s:b}", "none", 1));
		}
		row = json_pack("{s:O, s:O, s:O, s:O}", "course",
		    json_object_get(c, "course"), "title", json_object_get(c,
		    "title"), "course_unit", json_object_get(c, "course_unit"),
		    "cells", line);
		json_array_append_new(rows, row);
	}
	json_object_set(d, "columns", cols);
	json_object_set(d, "rows", rows);
	json_object_set_new(d, "has_matrix", json_boolean(
	    json_array_size(rows) > 0));
}

/* The chart of completions per week, and its total. */
static void
chart_view(struct req *r, json_t *x, json_t *d)
{
	json_t			*weeks = json_object_get(x, "weekly"), *w;
	struct chart_bar	*bars;
	struct buf		 b;
	size_t			 i, n = json_array_size(weeks);
	long long		 total = 0;
	char			*svg;

	bars = arena_alloc(r->a, (n ? n : 1) * sizeof(*bars));
	json_array_foreach(weeks, i, w) {
		bars[i].label = str(w, "week");
		bars[i].value = json_integer_value(json_object_get(w,
		    "completed"));
		total += bars[i].value;
	}
	buf_init(&b);
	training_chart_svg(&b, "weekly-chart", "Completions per week",
	    arena_printf(r->a, "A bar for each week from %s to %s, each as "
	    "high as the courses completed that week; %lld in all.  The "
	    "table beside it gives the same numbers.", str(x, "from"),
	    str(x, "to"), total), bars, n);
	svg = arena_alloc(r->a, b.len + 1);
	memcpy(svg, b.data, b.len + 1);
	buf_free(&b);
	json_object_set_new(d, "chart", json_string(svg));
	json_object_set_new(d, "weekly_total", json_integer(total));
}

/* The options of a filter's select: selected the one equal to typed. */
static void
options(struct req *r, json_t *list, const char *key,
    const char *typed)
{
	json_t		*o, *v;
	size_t		 i;
	const char	*s;

	json_array_foreach(list, i, o) {
		v = json_object_get(o, key);
		s = json_is_integer(v) ? NULL : json_string_value(v);
		json_object_set_new(o, "value", json_is_integer(v) ?
		    json_string(arena_printf(r->a, "%lld",
		    (long long)json_integer_value(v))) :
		    json_string(s != NULL ? s : ""));
		json_object_set_new(o, "selected", json_boolean(strcmp(
		    str(o, "value"), typed) == 0));
	}
}

/* The CSV links of the sections, with the filters f. */
static json_t *
csv_links(struct req *r, const struct report_filter *f)
{
	json_t		*out = req_object(r);
	const char	*q = "";
	size_t		 i;

	if (*f->unit != '\0')
		q = arena_printf(r->a, "%s&unit=%s", q,
		    urlenc_component(r->a, f->unit));
	if (*f->course != '\0')
		q = arena_printf(r->a, "%s&course=%s", q, f->course);
	if (*f->from != '\0')
		q = arena_printf(r->a, "%s&from=%s", q, f->from);
	if (*f->to != '\0')
		q = arena_printf(r->a, "%s&to=%s", q, f->to);
	for (i = 0; i < NELEM(sections); i++)
		json_object_set_new(out, sections[i].name, json_string(
		    arena_printf(r->a, "/api/v1/reports/training?format=csv"
		    "&report=%s%s", sections[i].name, q)));
	return out;
}

/*
 * The page's data from report x read under filters f (what was typed in
 * typed, an object of the filters' texts).
 */
static json_t *
report_view(struct req *r, json_t *x, const struct report_filter *f,
    json_t *typed)
{
	json_t	*d = req_object(r);

	options(r, json_object_get(x, "units"), "slug", str(typed, "unit"));
	options(r, json_object_get(x, "courses"), "id", str(typed, "course"));
	json_object_update(d, x);
	matrix_view(r, x, d);
	chart_view(r, x, d);
	json_object_set_new(d, "has_people", json_boolean(json_array_size(
	    json_object_get(x, "people")) > 0));
	json_object_set_new(d, "has_overdue", json_boolean(json_array_size(
	    json_object_get(x, "overdue")) > 0));
	json_object_set(d, "values", typed);
	json_object_set(d, "csv", csv_links(r, f));
	json_object_set_new(d, "filtered", json_boolean(*f->unit != '\0' ||
	    *f->course != '\0' || *f->from != '\0' || *f->to != '\0'));
	return d;
}

/* The page again for a refused filter: every row, what was typed. */
static json_t *
report_again(struct req *r, json_t *values, const char *field,
    const char *msg)
{
	struct training_report	 t;
	struct report_filter	 f = { "", "", "", "" };

	(void)field;
	(void)msg;
	if (report_db_read(r, &f, &t) < 0) {
		req_db_fail(r);
		return NULL;
	}
	if (!t.reader) {
		req_fail(r, 403, "forbidden", NULL, NOT_READER);
		return NULL;
	}
	return report_view(r, t.report, &f, values);
}

int
training_report_page(struct req *r)
{
	struct training_report	 t;
	struct report_filter	 f;
	const char		*field, *msg;
	json_t			*d;

	filter_get(r, &f);
	if (!range_ok(&f, &field, &msg))
		return input_fail(r, 400, "invalid", field, "%s", msg);
	if (report_db_read(r, &f, &t) < 0)
		return req_db_fail(r);
	if (!t.reader)
		return req_fail(r, 403, "forbidden", NULL, NOT_READER);
	if (!t.unit_ok || !t.course_ok) {
		f.unit = f.course = f.from = f.to = "";
		d = report_view(r, t.report, &f, input_values(r));
		return input_show(r, 404, "training/reports", d, "not_found",
		    !t.unit_ok ? "unit" : "course", !t.unit_ok ? NO_UNIT :
		    NO_COURSE);
	}
	return req_view(r, 200, "training/reports", report_view(r, t.report,
	    &f, input_values(r)));
}
