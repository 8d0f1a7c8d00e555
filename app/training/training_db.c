/* training_db.c: statements of courses, lessons, quizzes and progress. */
#include "config.h"

#include <string.h>

#include "arena.h"
#include "db.h"
#include "dbrow.h"
#include "req.h"
#include "stmts.h"
#include "training_db.h"
#include "util.h"

enum {
	TRAINING_LIST,
	TRAINING_SAVE,
	TRAINING_GET,
	TRAINING_LESSON,
	TRAINING_QUIZ,
	TRAINING_MINE,
	TRAINING_ASSIGN,
	TRAINING_ASSIGNMENTS,
	TRAINING_UNASSIGN,
	TRAINING__MAX
};

#define ISO_UTC(col) \
	"to_char(" col " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"

/* Course c at its current version v, of unit u (NULL: the hub's). */
#define COURSE_JSON \
	"jsonb_build_object('id', c.id, 'unit', u.slug, 'unit_name', u.name, " \
	"'state', c.state, 'version', c.version, 'title', v.title, " \
	"'summary', v.summary, 'minutes', v.minutes, " \
	"'quiz', v.pass_mark IS NOT NULL, " \
	"'updated_at', " ISO_UTC("c.updated_at") ")"

#define COURSE_FROM \
	"FROM courses c JOIN course_versions v ON v.course_id = c.id " \
	"AND v.version = c.version LEFT JOIN units u ON u.id = c.unit_id "

static const struct db_col list_c[] = {
	{ "courses", DB_JSON, 0 },
};
static const struct db_cols list_cols = DB_COLS(list_c);

static const struct db_col save_c[] = {
	{ "outcome", DB_TEXT, 0 },
	{ "id", DB_TEXT, 0 },
	{ "unit_id", DB_INT, 0 },
	{ "version", DB_INT, 0 },
	{ "before", DB_JSON, 0 },
};
static const struct db_cols save_cols = DB_COLS(save_c);

static const struct db_col get_c[] = {
	{ "course", DB_JSON, 0 },
};
static const struct db_cols get_cols = DB_COLS(get_c);

static const struct db_col lesson_c[] = {
	{ "outcome", DB_TEXT, 0 },
	{ "lessons", DB_INT, 0 },
	{ "completed", DB_BOOL, 0 },
	{ "unit_id", DB_INT, 0 },
	{ "version", DB_INT, 0 },
};
static const struct db_cols lesson_cols = DB_COLS(lesson_c);

static const struct db_col quiz_c[] = {
	{ "outcome", DB_TEXT, 0 },
	{ "field", DB_TEXT, 0 },
	{ "score", DB_INT, 0 },
	{ "passed", DB_BOOL, 0 },
	{ "completed", DB_BOOL, 0 },
	{ "unit_id", DB_INT, 0 },
	{ "version", DB_INT, 0 },
	{ "attempt", DB_INT, 0 },
};
static const struct db_cols quiz_cols = DB_COLS(quiz_c);

static const struct db_col mine_c[] = {
	{ "training", DB_JSON, 0 },
};
static const struct db_cols mine_cols = DB_COLS(mine_c);

static const struct db_col assign_c[] = {
	{ "outcome", DB_TEXT, 0 },
	{ "field", DB_TEXT, 0 },
	{ "id", DB_TEXT, 0 },
	{ "unit_id", DB_INT, 0 },
};
static const struct db_cols assign_cols = DB_COLS(assign_c);

static const struct db_col assignments_c[] = {
	{ "assignments", DB_JSON, 0 },
};
static const struct db_cols assignments_cols = DB_COLS(assignments_c);

static const struct db_col unassign_c[] = {
	{ "found", DB_BOOL, 0 },
	{ "unit_id", DB_INT, 0 },
	{ "before", DB_JSON, 0 },
	{ "done", DB_BOOL, 0 },
};
static const struct db_cols unassign_cols = DB_COLS(unassign_c);

/* Assignment a as the API shows it: course c at version v (of unit cu),
 * to person p, unit tu or a role, by b. */
#define ASSIGNMENT_JSON \
	"jsonb_build_object('id', a.id, 'course', a.course_id, " \
	"'course_title', v.title, 'course_unit', cu.slug, " \
	"'person', p.email, 'person_name', p.name, 'unit', tu.slug, " \
	"'role', a.to_role, 'due', a.due, 'note', a.note, " \
	"'assigned_by', b.name, " \
	"'assigned_at', " ISO_UTC("a.assigned_at") ")"

#define ASSIGNMENT_FROM \
	"FROM course_assignments a JOIN courses c ON c.id = a.course_id " \
	"JOIN course_versions v ON v.course_id = c.id " \
	"AND v.version = c.version LEFT JOIN units cu ON cu.id = a.unit_id " \
	"LEFT JOIN units tu ON tu.id = a.to_unit " \
	"LEFT JOIN people p ON p.id = a.to_person " \
	"JOIN people b ON b.id = a.assigned_by "

static const struct db_stmt sqls[TRAINING__MAX] = {
	[TRAINING_LIST] = { "training_list",
	    "SELECT jsonb_build_object('courses', coalesce(jsonb_agg("
	    COURSE_JSON " || jsonb_build_object('lessons', n.lessons, "
	    "'writable', (c.unit_id IS NULL AND w.hr) "
	    "OR coalesce(c.unit_id = ANY (w.units), false)) "
	    "ORDER BY c.unit_id NULLS FIRST, v.title, c.id), '[]'))::text "
	    "AS courses " COURSE_FROM
	    "CROSS JOIN (SELECT ch_hub_role('hr') AS hr, "
	    "ch_post_units('review') AS units) w "
	    "CROSS JOIN LATERAL (SELECT count(*) AS lessons "
	    "FROM course_lessons l WHERE l.course_id = c.id "
	    "AND l.version = c.version) n", &list_cols },
	[TRAINING_SAVE] = { "training_save",
	    "SELECT s.outcome, s.id::text AS id, s.unit_id, s.version, "
	    "s.before::text AS before FROM ch_course_save($1::bigint, $2, $3, "
	    "$4, $5, $6::integer, $7::jsonb, $8::jsonb) s", &save_cols },
	[TRAINING_GET] = { "training_get",
	    "SELECT (" COURSE_JSON " || jsonb_build_object("
	    "'writable', ch_course_writer(c.unit_id), "
	    "'lessons', coalesce(ls.lessons, '[]'), "
	    "'quiz', CASE WHEN v.pass_mark IS NULL THEN NULL "
	    "ELSE jsonb_build_object('pass_mark', v.pass_mark, "
	    "'questions', coalesce(qs.questions, '[]')) END, "
	    "'progress', jsonb_build_object("
	    "'completed', coalesce(pc.completed, '[]'), "
	    "'attempts', pa.attempts, 'best_score', pa.best, "
	    "'last_score', pa.last_score, 'last_passed', pa.last_passed)))"
	    "::text "
	    "AS course " COURSE_FROM
	    "CROSS JOIN LATERAL (SELECT ch_course_answers(c.id, c.version) "
	    "AS answers) x "
	    "CROSS JOIN LATERAL (SELECT jsonb_agg(jsonb_build_object("
	    "'n', l.n, 'title', l.title, 'body', l.body, "
	    "'read', r.n IS NOT NULL) ORDER BY l.n) AS lessons "
	    "FROM course_lessons l LEFT JOIN lesson_reads r "
	    "ON r.person_id = ch_person() AND r.course_id = l.course_id "
	    "AND r.version = l.version AND r.n = l.n "
	    "WHERE l.course_id = c.id AND l.version = c.version) ls "
	    "CROSS JOIN LATERAL (SELECT jsonb_agg(jsonb_build_object("
	    "'n', k.n, 'text', k.text, 'choices', k.choices) || "
	    "CASE WHEN x.answers IS NULL THEN '{}'::jsonb ELSE "
	    "jsonb_build_object('correct', x.answers -> (k.n - 1)) END "
	    "ORDER BY k.n) AS questions FROM course_questions k "
	    "WHERE k.course_id = c.id AND k.version = c.version) qs "
	    "CROSS JOIN LATERAL (SELECT jsonb_agg(jsonb_build_object("
	    "'version', y.version, 'completed_at', "
	    ISO_UTC("y.completed_at") ") ORDER BY y.version) AS completed "
	    "FROM course_completions y WHERE y.person_id = ch_person() "
	    "AND y.course_id = c.id) pc "
	    "CROSS JOIN LATERAL (SELECT count(*) AS attempts, "
	    "max(t.score) AS best, (array_agg(t.score ORDER BY t.id DESC))[1] "
	    "AS last_score, (array_agg(t.passed ORDER BY t.id DESC))[1] "
	    "AS last_passed FROM quiz_attempts t "
	    "WHERE t.person_id = ch_person() AND t.course_id = c.id "
	    "AND t.version = c.version) pa "
	    "WHERE c.id = $1::bigint", &get_cols },
	[TRAINING_LESSON] = { "training_lesson",
	    "SELECT outcome, lessons, completed, unit_id, version "
	    "FROM ch_training_lesson($1::bigint, $2::integer)", &lesson_cols },
	[TRAINING_QUIZ] = { "training_quiz",
	    "SELECT outcome, field, score, passed, completed, unit_id, "
	    "version, attempt FROM ch_training_quiz($1::bigint, $2::jsonb)",
	    &quiz_cols },
	/* The catalog: published courses of the hub and of one's units; what
	 * is assigned to one, one's unit or a role one holds. */
	[TRAINING_MINE] = { "training_mine",
	    "WITH me AS (SELECT ch_person() AS id, "
	    "ch_post_units('read') AS units, ch_unit_ids() AS mine, "
	    "ch_training_roles() AS roles), "
	    "cur AS (SELECT c.id, c.unit_id, c.version, v.title, v.summary, "
	    "v.minutes, v.pass_mark, u.slug, u.name " COURSE_FROM
	    "CROSS JOIN me WHERE c.state = 'published' "
	    "AND (c.unit_id IS NULL OR c.unit_id = ANY (me.units))), "
	    "st AS (SELECT cur.id, "
	    "(SELECT count(*) FROM course_lessons l WHERE l.course_id = cur.id "
	    "AND l.version = cur.version) AS lessons, "
	    "(SELECT count(*) FROM lesson_reads r WHERE r.person_id = me.id "
	    "AND r.course_id = cur.id AND r.version = cur.version) AS nread, "
	    "t.attempts, t.best, EXISTS (SELECT 1 FROM course_completions y "
	    "WHERE y.person_id = me.id AND y.course_id = cur.id "
	    "AND y.version = cur.version) AS done "
	    "FROM cur CROSS JOIN me CROSS JOIN LATERAL (SELECT count(*) AS "
	    "attempts, max(a.score) AS best FROM quiz_attempts a "
	    "WHERE a.person_id = me.id AND a.course_id = cur.id "
	    "AND a.version = cur.version) t) "
	    "SELECT jsonb_build_object('assigned', coalesce((SELECT "
	    "jsonb_agg(jsonb_build_object('id', a.id, 'course', a.course_id, "
	    "'title', v.title, 'unit', cu.slug, 'due', a.due, 'note', a.note, "
	    "'completed', y.done, 'overdue', NOT y.done AND coalesce(a.due < "
	    "(now() AT TIME ZONE 'UTC')::date, false)) "
	    "ORDER BY a.due NULLS LAST, "
	    "a.id) FROM course_assignments a JOIN courses c "
	    "ON c.id = a.course_id AND c.state = 'published' "
	    "JOIN course_versions v ON v.course_id = c.id "
	    "AND v.version = c.version LEFT JOIN units cu ON cu.id = c.unit_id "
	    "CROSS JOIN me CROSS JOIN LATERAL (SELECT EXISTS (SELECT 1 "
	    "FROM course_completions k WHERE k.person_id = me.id "
	    "AND k.course_id = c.id AND k.version = c.version) AS done) y "
	    "WHERE a.to_person = me.id OR a.to_unit = ANY (me.mine) "
	    "OR a.to_role = ANY (me.roles)), '[]'), "
	    "'in_progress', coalesce((SELECT jsonb_agg(jsonb_build_object("
	    "'id', cur.id, 'unit', cur.slug, 'title', cur.title, "
	    "'version', cur.version, 'lessons', st.lessons, "
	    "'lessons_read', st.nread, 'attempts', st.attempts, "
	    "'best_score', st.best) ORDER BY cur.title, cur.id) "
	    "FROM cur JOIN st USING (id) WHERE NOT st.done "
	    "AND (st.nread > 0 OR st.attempts > 0)), '[]'), "
	    "'completed', coalesce((SELECT jsonb_agg(jsonb_build_object("
	    "'id', y.course_id, 'title', v.title, 'version', y.version, "
	    "'current', y.version = c.version, 'completed_on', "
	    "to_char(y.completed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD'), "
	    "'completed_at', " ISO_UTC("y.completed_at") ") "
	    "ORDER BY y.completed_at DESC, y.course_id) "
	    "FROM course_completions y JOIN courses c ON c.id = y.course_id "
	    "JOIN course_versions v ON v.course_id = y.course_id "
	    "AND v.version = y.version CROSS JOIN me "
	    "WHERE y.person_id = me.id), '[]'), "
	    "'catalog', coalesce((SELECT jsonb_agg(jsonb_build_object("
	    "'id', cur.id, 'unit', cur.slug, 'unit_name', cur.name, "
	    "'title', cur.title, 'summary', cur.summary, "
	    "'minutes', cur.minutes, 'version', cur.version, "
	    "'lessons', st.lessons, 'quiz', cur.pass_mark IS NOT NULL, "
	    "'completed', st.done) ORDER BY cur.unit_id NULLS FIRST, "
	    "cur.title, cur.id) FROM cur JOIN st USING (id)), '[]'))::text "
	    "AS training", &mine_cols },
	[TRAINING_ASSIGN] = { "training_assign",
	    "SELECT s.outcome, s.field, s.id::text AS id, s.unit_id "
	    "FROM ch_assignment_add($1::bigint, $2, $3, $4, "
	    "nullif($5, '')::date, $6) s", &assign_cols },
	[TRAINING_ASSIGNMENTS] = { "training_assignments",
	    "SELECT jsonb_build_object('assignments', coalesce(jsonb_agg("
	    ASSIGNMENT_JSON " ORDER BY a.id), '[]'))::text AS assignments "
	    ASSIGNMENT_FROM "WHERE ($1 = '' OR a.course_id = "
	    "nullif($1, '')::bigint) AND ($2 = '' OR cu.slug = $2 "
	    "OR tu.slug = $2)", &assignments_cols },
	[TRAINING_UNASSIGN] = { "training_unassign",
	    "WITH f AS (SELECT a.id, a.unit_id, " ASSIGNMENT_JSON " AS before "
	    ASSIGNMENT_FROM "WHERE a.id = $1::bigint), "
	    "d AS (DELETE FROM course_assignments x USING f WHERE x.id = f.id "
	    "RETURNING x.id) "
	    "SELECT EXISTS (SELECT 1 FROM f) AS found, (SELECT unit_id FROM f) "
	    "AS unit_id, (SELECT before FROM f)::text AS before, "
	    "EXISTS (SELECT 1 FROM d) AS done", &unassign_cols },
};

static const struct db_refusal save_refusals[] = {
	{ "42501", 403, "forbidden", NULL, "only HR writes the hub's courses, "
	  "and a unit's owners and editors its own, while it is approved",
	  0 },
	{ "CH409", 409, "conflict", NULL, "a published version of a course is "
	  "kept as it was", 0 },
	{ "23", 422, "invalid", NULL, "a field of the course is not "
	  "acceptable", 0 },
	{ NULL, 0, NULL, NULL, NULL, 0 }
};

static const struct db_refusal assign_refusals[] = {
	{ "42501", 403, "forbidden", NULL, "only HR assigns courses, and a "
	  "unit's owners their unit's own courses to its members", 0 },
	{ NULL, 0, NULL, NULL, NULL, 0 }
};

/* What the statements' own refusals answer (db.h). */
static const struct db_refusal *const refusals[TRAINING__MAX] = {
	[TRAINING_SAVE] = save_refusals,
	[TRAINING_ASSIGN] = assign_refusals,
	[TRAINING_UNASSIGN] = assign_refusals,
};

const struct db_stmts training_stmts = { sqls, NELEM(sqls), refusals };

/* Run statement i, the request's last, and keep column name of its one
 * row as *out. */
static int
one_json(struct req *r, int i, int n, const char *const *v,
    const struct db_cols *k, const char *name, json_t **out)
{
	PGresult	*res;
	int		 rc;

	*out = NULL;
	if ((rc = db_query_last(r->db, r->a, &sqls[i], n, v, &res)) != 1)
		return rc;
	*out = req_json_own(r, db_get_json(res, 0, k, name));
	return *out != NULL;
}

/* Column name of res as text in the arena, or NULL. */
static const char *
text_of(struct req *r, PGresult *res, const struct db_cols *k,
    const char *name)
{
	const char	*s = db_get(res, 0, k, name);

	return s != NULL ? arena_strdup(r->a, s) : NULL;
}

int
training_db_list(struct req *r, json_t **out)
{
	return one_json(r, TRAINING_LIST, 0, NULL, &list_cols, "courses",
	    out);
}

int
training_db_save(struct req *r, const char *id, const struct course_text *t,
    struct course_saved *s)
{
	const char	*v[8] = { id, t->unit, t->state, t->title, t->summary,
			    t->minutes, t->lessons, *t->quiz != '\0' ?
			    t->quiz : NULL };
	PGresult	*res;
	int		 rc;

	memset(s, 0, sizeof(*s));
	if ((rc = db_query_row(r->db, r->a, &sqls[TRAINING_SAVE], 8, v,
	    &res)) != 1)
		return rc < 0 ? rc : -1;
	s->outcome = text_of(r, res, &save_cols, "outcome");
	s->id = text_of(r, res, &save_cols, "id");
	s->unit = db_get_int(res, 0, &save_cols, "unit_id");
	s->version = db_get_int(res, 0, &save_cols, "version");
	s->before = req_json_own(r, db_get_json(res, 0, &save_cols,
	    "before"));
	return 1;
}

int
training_db_get(struct req *r, const char *id, json_t **out)
{
	PGresult	*res;
	int		 rc;

	*out = NULL;
	if ((rc = db_query_last(r->db, r->a, &sqls[TRAINING_GET], 1, &id,
	    &res)) != 1)
		return rc;
	if (PQntuples(res) == 0)
		return 0;
	*out = req_json_own(r, db_get_json(res, 0, &get_cols, "course"));
	return *out != NULL;
}

int
training_db_lesson(struct req *r, const char *id, const char *n,
    struct training_done *d)
{
	const char	*v[2] = { id, n };
	PGresult	*res;
	int		 rc;

	memset(d, 0, sizeof(*d));
	if ((rc = db_query_row(r->db, r->a, &sqls[TRAINING_LESSON], 2, v,
	    &res)) != 1)
		return rc < 0 ? rc : -1;
	d->outcome = text_of(r, res, &lesson_cols, "outcome");
	d->lessons = db_get_int(res, 0, &lesson_cols, "lessons");
	d->completed = db_get_bool(res, 0, &lesson_cols, "completed");
	d->unit = db_get_int(res, 0, &lesson_cols, "unit_id");
	d->version = db_get_int(res, 0, &lesson_cols, "version");
	return 1;
}

int
training_db_quiz(struct req *r, const char *id, const char *answers,
    struct training_done *d)
{
	const char	*v[2] = { id, answers };
	PGresult	*res;
	int		 rc;

	memset(d, 0, sizeof(*d));
	if ((rc = db_query_row(r->db, r->a, &sqls[TRAINING_QUIZ], 2, v,
	    &res)) != 1)
		return rc < 0 ? rc : -1;
	d->outcome = text_of(r, res, &quiz_cols, "outcome");
	d->field = text_of(r, res, &quiz_cols, "field");
	d->score = db_get_int(res, 0, &quiz_cols, "score");
	d->passed = db_get_bool(res, 0, &quiz_cols, "passed");
	d->completed = db_get_bool(res, 0, &quiz_cols, "completed");
	d->unit = db_get_int(res, 0, &quiz_cols, "unit_id");
	d->version = db_get_int(res, 0, &quiz_cols, "version");
	d->attempt = db_get_int(res, 0, &quiz_cols, "attempt");
	return 1;
}

int
training_db_mine(struct req *r, json_t **out)
{
	return one_json(r, TRAINING_MINE, 0, NULL, &mine_cols, "training",
	    out);
}

int
training_db_assign(struct req *r, const struct assign_text *t,
    struct assign_done *d)
{
	const char	*v[6] = { t->course, t->person, t->unit, t->role,
			    t->due, t->note };
	PGresult	*res;
	int		 rc;

	memset(d, 0, sizeof(*d));
	if ((rc = db_query_row(r->db, r->a, &sqls[TRAINING_ASSIGN], 6, v,
	    &res)) != 1)
		return rc < 0 ? rc : -1;
	d->outcome = text_of(r, res, &assign_cols, "outcome");
	d->field = text_of(r, res, &assign_cols, "field");
	d->id = text_of(r, res, &assign_cols, "id");
	d->unit = db_get_int(res, 0, &assign_cols, "unit_id");
	return 1;
}

int
training_db_assignments(struct req *r, const char *course, const char *unit,
    json_t **out)
{
	const char	*v[2] = { course, unit };

	return one_json(r, TRAINING_ASSIGNMENTS, 2, v, &assignments_cols,
	    "assignments", out);
}

int
training_db_unassign(struct req *r, const char *id, json_t **before,
    long long *unit, int *found)
{
	PGresult	*res;
	int		 rc;

	*before = NULL;
	*unit = 0;
	*found = 0;
	if ((rc = db_query(r->db, r->a, &sqls[TRAINING_UNASSIGN], 1, &id,
	    &res)) != 1)
		return rc;
	*found = db_get_bool(res, 0, &unassign_cols, "found");
	*unit = db_get_int(res, 0, &unassign_cols, "unit_id");
	*before = req_json_own(r, db_get_json(res, 0, &unassign_cols,
	    "before"));
	return db_get_bool(res, 0, &unassign_cols, "done");
}
