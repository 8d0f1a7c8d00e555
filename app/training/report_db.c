/*
 * report_db.c: the statement of the training reports: the rows of
 * ch_training_report() (sql/035_training_reports.sql), which keeps the
 * reader's units alone, shaped into every section in one statement.
 */
#include "config.h"

#include "db.h"
#include "dbrow.h"
#include "req.h"
#include "stmts.h"
#include "training_report.h"

enum {
	REPORT_READ,
	REPORT__MAX
};

#define ISO_UTC(col) \
	"to_char(" col " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"

/* A row r of the report: one person, one course, one unit. */
#define PERSON_JSON \
	"jsonb_build_object('unit', r.unit_slug, 'unit_name', r.unit_name, " \
	"'person', r.person_name, 'email', r.person_email, " \
	"'course', r.course_id, 'title', r.title, " \
	"'course_unit', r.course_unit, 'due', r.due, 'state', r.state, " \
	"'assigned_at', " ISO_UTC("r.assigned_at") ", " \
	"'completed_at', " ISO_UTC("r.completed_at") ")"

static const struct db_col read_c[] = {
	{ "reader", DB_BOOL, 0 },
	{ "unit_ok", DB_BOOL, 0 },
	{ "course_ok", DB_BOOL, 0 },
	{ "report", DB_JSON, 0 },
};
static const struct db_cols read_cols = DB_COLS(read_c);

/*
 * $1 a unit's address, $2 a course's number, $3 and $4 the first and
 * last day of the weeks, each '' when not given.  A filter that names
 * nothing the reader reads is dropped (its flag says so), so a page can
 * show every row beside its message.  Days are ch_clock()'s, in UTC;
 * weeks start on Monday; the weeks default to the 26 up to today's.
 */
static const struct db_stmt sqls[REPORT__MAX] = {
	[REPORT_READ] = { "report_read",
	    "WITH w AS (SELECT ch_training_report_units() AS units, "
	    "ch_hub_role('hr') AS hr, "
	    "(ch_clock() AT TIME ZONE 'UTC')::date AS today), "
	    "n AS (SELECT u.id FROM units u CROSS JOIN w "
	    "WHERE u.slug = nullif($1, '') AND u.id = ANY (w.units)), "
	    "k AS (SELECT c.id FROM courses c "
	    "WHERE c.id = nullif($2, '')::bigint AND c.state = 'published'), "
	    "f AS (SELECT nullif($1, '') IS NULL OR EXISTS (SELECT 1 FROM n) "
	    "AS unit_ok, nullif($2, '') IS NULL OR EXISTS (SELECT 1 FROM k) "
	    "AS course_ok), "
	    "r AS (SELECT x.*, CASE WHEN x.completed_at IS NOT NULL "
	    "THEN 'completed' WHEN x.due < w.today THEN 'overdue' "
	    "ELSE 'open' END AS state FROM w CROSS JOIN f "
	    "CROSS JOIN LATERAL ch_training_report("
	    "CASE WHEN f.unit_ok AND f.course_ok THEN (SELECT id FROM n) END, "
	    "CASE WHEN f.unit_ok AND f.course_ok THEN (SELECT id FROM k) END) "
	    "x), "
	    "wk AS (SELECT d::date AS week FROM w CROSS JOIN generate_series("
	    "date_trunc('week', coalesce(nullif($3, '')::date, "
	    "w.today - 175)::timestamp), date_trunc('week', "
	    "coalesce(nullif($4, '')::date, w.today)::timestamp), "
	    "interval '1 week') d), "
	    "done AS (SELECT DISTINCT r.person_id, r.course_id, "
	    "date_trunc('week', r.completed_at AT TIME ZONE 'UTC')::date "
	    "AS week FROM r WHERE r.completed_at IS NOT NULL), "
	    "m AS (SELECT r.course_id, min(r.title) AS title, "
	    "min(r.course_unit) AS course_unit, r.unit_slug, "
	    "min(r.unit_name) AS unit_name, count(*) AS assigned, "
	    "count(*) FILTER (WHERE r.state = 'completed') AS completed, "
	    "count(*) FILTER (WHERE r.state = 'overdue') AS overdue "
	    "FROM r GROUP BY r.course_id, r.unit_slug) "
	    "SELECT w.hr OR cardinality(w.units) > 0 AS reader, f.unit_ok, "
	    "f.course_ok, jsonb_build_object("
	    "'today', to_char(w.today, 'YYYY-MM-DD'), "
	    "'from', (SELECT to_char(min(wk.week), 'YYYY-MM-DD') FROM wk), "
	    "'to', (SELECT to_char(max(wk.week) + 6, 'YYYY-MM-DD') FROM wk), "
	    "'matrix', coalesce((SELECT jsonb_agg(jsonb_build_object("
	    "'course', m.course_id, 'title', m.title, "
	    "'course_unit', m.course_unit, 'unit', m.unit_slug, "
	    "'unit_name', m.unit_name, 'assigned', m.assigned, "
	    "'completed', m.completed, 'overdue', m.overdue) "
	    "ORDER BY m.title, m.course_id, m.unit_slug NULLS LAST) FROM m), "
	    "'[]'), "
	    "'people', coalesce((SELECT jsonb_agg(" PERSON_JSON " "
	    "ORDER BY r.unit_slug NULLS LAST, r.person_name, r.person_id, "
	    "r.title, r.course_id) FROM r), '[]'), "
	    "'overdue', coalesce((SELECT jsonb_agg(" PERSON_JSON " || "
	    "jsonb_build_object('days_overdue', w.today - r.due) "
	    "ORDER BY r.due, r.unit_slug NULLS LAST, r.person_name, "
	    "r.person_id, r.course_id) FROM r WHERE r.state = 'overdue'), "
	    "'[]'), "
	    "'weekly', coalesce((SELECT jsonb_agg(jsonb_build_object("
	    "'week', to_char(wk.week, 'YYYY-MM-DD'), 'completed', "
	    "(SELECT count(*) FROM done WHERE done.week = wk.week)) "
	    "ORDER BY wk.week) FROM wk), '[]'), "
	    "'units', coalesce((SELECT jsonb_agg(jsonb_build_object("
	    "'slug', u.slug, 'name', u.name) ORDER BY u.name, u.slug) "
	    "FROM units u WHERE u.id = ANY (w.units)), '[]'), "
	    "'courses', coalesce((SELECT jsonb_agg(jsonb_build_object("
	    "'id', c.id, 'title', v.title) ORDER BY v.title, c.id) "
	    "FROM courses c JOIN course_versions v ON v.course_id = c.id "
	    "AND v.version = c.version WHERE c.state = 'published'), '[]'))"
	    "::text AS report FROM w CROSS JOIN f", &read_cols },
};

const struct db_stmts report_stmts = { sqls, REPORT__MAX, NULL };

int
report_db_read(struct req *r, const struct report_filter *f,
    struct training_report *out)
{
	PGresult	*res;
	const char	*p[4] = { f->unit, f->course, f->from, f->to };
	int		 rc;

	out->reader = out->unit_ok = out->course_ok = 0;
	out->report = NULL;
	rc = db_query_last(r->db, r->a, &sqls[REPORT_READ], 4, p, &res);
	if (rc != 1)
		return rc < 0 ? -1 : 1;
	out->reader = db_get_bool(res, 0, &read_cols, "reader");
	out->unit_ok = db_get_bool(res, 0, &read_cols, "unit_ok");
	out->course_ok = db_get_bool(res, 0, &read_cols, "course_ok");
	out->report = req_json_own(r, db_get_json(res, 0, &read_cols,
	    "report"));
	if (out->report == NULL)
		return -1;
	return 1;
}
