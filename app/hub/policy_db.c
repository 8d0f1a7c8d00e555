/* policy_db.c: statements of the approval policy, reason codes,
 * screening questions and answers. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "db.h"
#include "dbrow.h"
#include "policy_db.h"
#include "req.h"
#include "stmts.h"
#include "util.h"

enum {
	POLICY_GET,
	POLICY_SET,
	REASON_LIST,
	REASON_ADD,
	REASON_SET,
	REASON_COMPOSE,
	QUESTION_LIST,
	QUESTION_ADD,
	QUESTION_SET,
	ANSWERS_PUT,
	POLICY_AUTO,
	MAY_DECIDE,
	POLICY__MAX
};

#define POLICY_JSON(t) \
	"jsonb_build_object('mode', " t ".mode, 'domains', " t ".domains, " \
	"'kinds', " t ".kinds, 'match', " t ".match, " \
	"'delegate_to_parent_owners', " t ".delegate)"
#define UTC(c) \
	"to_char(" c " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"

static const struct db_col policy_c[] = {
	{ "policy", DB_JSON, 0 },
};
static const struct db_col change_c[] = {
	{ "before", DB_JSON, 0 },
	{ "after", DB_JSON, 0 },
};
static const struct db_col reason_c[] = {
	{ "code", DB_TEXT, 0 },
	{ "label", DB_TEXT, 0 },
	{ "template", DB_TEXT, 0 },
	{ "active", DB_BOOL, 0 },
};
static const struct db_col message_c[] = {
	{ "message", DB_TEXT, 0 },
};
static const struct db_col question_c[] = {
	{ "id", DB_INT, 0 },
	{ "prompt", DB_TEXT, 0 },
	{ "help", DB_TEXT, 0 },
	{ "required", DB_BOOL, 0 },
	{ "active", DB_BOOL, 0 },
};
static const struct db_col id_c[] = {
	{ "id", DB_INT, 0 },
};
static const struct db_col why_c[] = {
	{ "why", DB_TEXT, 0 },
};
static const struct db_col may_c[] = {
	{ "may_decide", DB_BOOL, 0 },
};
static const struct db_cols policy_cols = DB_COLS(policy_c);
static const struct db_cols change_cols = DB_COLS(change_c);
static const struct db_cols reason_cols = DB_COLS(reason_c);
static const struct db_cols message_cols = DB_COLS(message_c);
static const struct db_cols question_cols = DB_COLS(question_c);
static const struct db_cols id_cols = DB_COLS(id_c);
static const struct db_cols why_cols = DB_COLS(why_c);
static const struct db_cols may_cols = DB_COLS(may_c);

static const struct db_stmt sqls[POLICY__MAX] = {
	/* Who changed it is for hub admins only. */
	[POLICY_GET] = { "policy_get",
	    "SELECT (" POLICY_JSON("a") " || jsonb_build_object('updated_at', "
	    UTC("a.updated_at") ", 'updated_by', CASE WHEN "
	    "ch_hub_role('admin') THEN p.email END))::text AS policy "
	    "FROM approval_policy a LEFT JOIN people p ON p.id = a.updated_by",
	    &policy_cols },
	[POLICY_SET] = { "policy_set",
	    "WITH old AS (SELECT " POLICY_JSON("o") " AS j FROM "
	    "approval_policy o FOR UPDATE) UPDATE approval_policy a SET "
	    "mode = $1, domains = ARRAY(SELECT jsonb_array_elements_text("
	    "$2::jsonb)), kinds = ARRAY(SELECT jsonb_array_elements_text("
	    "$3::jsonb)), match = $4, delegate = $5::boolean, "
	    "updated_by = ch_person(), updated_at = now() FROM old "
	    "RETURNING old.j::text AS before, " POLICY_JSON("a")
	    "::text AS after", &change_cols },
	[REASON_LIST] = { "reason_list",
	    "SELECT code, label, template, active FROM reason_codes "
	    "WHERE $1::boolean OR active ORDER BY NOT active, label, code",
	    &reason_cols },
	[REASON_ADD] = { "reason_add",
	    "INSERT INTO reason_codes (code, label, template) "
	    "VALUES ($1, $2, $3)", NULL },
	[REASON_SET] = { "reason_set",
	    "WITH old AS (SELECT code, to_jsonb(o.*) - 'created_at' AS j "
	    "FROM reason_codes o WHERE code = $1 FOR UPDATE) "
	    "UPDATE reason_codes r SET label = $2, template = $3, "
	    "active = $4::boolean FROM old WHERE r.code = old.code "
	    "RETURNING old.j::text AS before, "
	    "(to_jsonb(r.*) - 'created_at')::text AS after", &change_cols },
	[REASON_COMPOSE] = { "reason_compose",
	    "SELECT replace(replace(r.template, '{unit}', u.name), "
	    "'{requester}', p.name) AS message FROM reason_codes r, units u "
	    "JOIN people p ON p.id = u.requested_by "
	    "WHERE r.code = $1 AND r.active AND u.slug = $2", &message_cols },
	[QUESTION_LIST] = { "question_list",
	    "SELECT id, prompt, help, required, active FROM "
	    "screening_questions WHERE $1::boolean OR active "
	    "ORDER BY NOT active, id", &question_cols },
	[QUESTION_ADD] = { "question_add",
	    "INSERT INTO screening_questions (prompt, help, required) "
	    "VALUES ($1, $2, $3::boolean) RETURNING id", &id_cols },
	[QUESTION_SET] = { "question_set",
	    "WITH old AS (SELECT id, to_jsonb(o.*) - 'created_at' AS j "
	    "FROM screening_questions o WHERE id = $1::bigint FOR UPDATE) "
	    "UPDATE screening_questions q SET prompt = $2, help = $3, "
	    "required = $4::boolean, active = $5::boolean FROM old "
	    "WHERE q.id = old.id "
	    "RETURNING old.j::text AS before, "
	    "(to_jsonb(q.*) - 'created_at')::text AS after", &change_cols },
	/* Answers to retired or unknown questions are left out. */
	[ANSWERS_PUT] = { "answers_put",
	    "INSERT INTO unit_answers (unit_id, question_id, answer) "
	    "SELECT u.id, q.id, x.value FROM units u, "
	    "jsonb_each_text($2::jsonb) x JOIN screening_questions q "
	    "ON q.id::text = x.key AND q.active WHERE u.slug = $1 "
	    "ON CONFLICT (unit_id, question_id) DO UPDATE "
	    "SET answer = EXCLUDED.answer", NULL },
	[POLICY_AUTO] = { "policy_auto",
	    "SELECT ch_auto_approve($1::bigint) AS why", &why_cols },
	[MAY_DECIDE] = { "may_decide",
	    "SELECT ch_may_decide(id) AS may_decide FROM units WHERE slug = $1",
	    &may_cols },
};

static const struct db_refusal reason_add_refusals[] = {
	{ "23505", 409, "taken", "code", "this code exists; change it in the "
	  "list instead", 0 },
	{ NULL, 0, NULL, NULL, NULL, 0 }
};

/* What the statements' own refusals answer (db.h). */
static const struct db_refusal *const refusals[POLICY__MAX] = {
	[REASON_ADD] = reason_add_refusals,
};

const struct db_stmts policy_stmts = { sqls, NELEM(sqls), refusals };

/* The before and after images of a one-row change, arena-owned. */
static void
change(struct req *r, PGresult *res, json_t **before, json_t **after)
{
	*before = req_json_own(r, db_get_json(res, 0, &change_cols, "before"));
	*after = req_json_own(r, db_get_json(res, 0, &change_cols, "after"));
}

int
policy_db_get(struct req *r, json_t **out)
{
	PGresult	*res;
	int		 rc;

	*out = NULL;
	if ((rc = db_query(r->db, r->a, &sqls[POLICY_GET], 0, NULL,
	    &res)) != 1)
		return rc;
	if (PQntuples(res) == 0 ||
	    (*out = req_json_own(r, db_get_json(res, 0, &policy_cols,
	    "policy"))) == NULL)
		return -1;	/* the one row is always there */
	return 1;
}

int
policy_db_set(struct req *r, const struct policy *p, json_t **before,
    json_t **after)
{
	const char	*v[5] = { p->mode, p->domains, p->kinds, p->match,
			    p->delegate ? "true" : "false" };
	PGresult	*res;
	int		 rc;

	*before = *after = NULL;
	if ((rc = db_query(r->db, r->a, &sqls[POLICY_SET], 5, v,
	    &res)) != 1)
		return rc;
	change(r, res, before, after);
	return 1;
}

int
reason_db_list(struct req *r, int all, json_t *out)
{
	const char	*v = all ? "true" : "false";
	PGresult	*res;
	int		 rc;

	if ((rc = db_query(r->db, r->a, &sqls[REASON_LIST], 1, &v,
	    &res)) != 1)
		return rc;
	db_rows_json(res, &reason_cols, out);
	return 1;
}

int
reason_db_add(struct req *r, const char *code, const char *label,
    const char *template)
{
	const char	*v[3] = { code, label, template };
	PGresult	*res;

	return db_query(r->db, r->a, &sqls[REASON_ADD], 3, v, &res);
}

int
reason_db_set(struct req *r, const char *code, const char *label,
    const char *template, int active, json_t **before, json_t **after)
{
	const char	*v[4] = { code, label, template,
			    active ? "true" : "false" };
	PGresult	*res;
	int		 rc;

	*before = *after = NULL;
	if ((rc = db_query_row(r->db, r->a, &sqls[REASON_SET], 4, v,
	    &res)) != 1)
		return rc;
	change(r, res, before, after);
	return 1;
}

int
reason_db_compose(struct req *r, const char *code, const char *slug,
    const char **msg)
{
	const char	*v[2] = { code, slug };
	PGresult	*res;
	int		 rc;

	if ((rc = db_query_row(r->db, r->a, &sqls[REASON_COMPOSE], 2, v,
	    &res)) != 1)
		return rc;
	*msg = arena_strdup(r->a, db_get(res, 0, &message_cols, "message"));
	return 1;
}

int
question_db_list(struct req *r, int all, json_t *out)
{
	const char	*v = all ? "true" : "false";
	PGresult	*res;
	int		 rc;

	if ((rc = db_query(r->db, r->a, &sqls[QUESTION_LIST], 1, &v,
	    &res)) != 1)
		return rc;
	db_rows_json(res, &question_cols, out);
	return 1;
}

int
question_db_add(struct req *r, const char *prompt, const char *help,
    int required, long long *id)
{
	const char	*v[3] = { prompt, help, required ? "true" : "false" };
	PGresult	*res;
	int		 rc;

	if ((rc = db_query(r->db, r->a, &sqls[QUESTION_ADD], 3, v,
	    &res)) != 1)
		return rc;
	*id = db_get_int(res, 0, &id_cols, "id");
	return 1;
}

int
question_db_set(struct req *r, long long id, const char *prompt,
    const char *help, int required, int active, json_t **before,
    json_t **after)
{
	const char	*v[5] = { arena_printf(r->a, "%lld", id), prompt, help,
			    required ? "true" : "false",
			    active ? "true" : "false" };
	PGresult	*res;
	int		 rc;

	*before = *after = NULL;
	if ((rc = db_query_row(r->db, r->a, &sqls[QUESTION_SET], 5, v,
	    &res)) != 1)
		return rc;
	change(r, res, before, after);
	return 1;
}

int
answers_db_put(struct req *r, const char *slug, json_t *answers)
{
	const char	*v[2];
	char		*s;
	PGresult	*res;
	int		 rc;

	if (json_object_size(answers) == 0)
		return 1;
	if ((s = json_dumps(answers, JSON_COMPACT)) == NULL)
		return -1;
	v[0] = slug;
	v[1] = arena_strdup(r->a, s);
	free(s);
	rc = db_query(r->db, r->a, &sqls[ANSWERS_PUT], 2, v, &res);
	return rc;
}

int
policy_db_auto(struct req *r, long long unit, const char **why)
{
	const char	*v = arena_printf(r->a, "%lld", unit);
	PGresult	*res;
	int		 rc;

	*why = NULL;
	if ((rc = db_query(r->db, r->a, &sqls[POLICY_AUTO], 1, &v,
	    &res)) != 1)
		return rc;
	if (db_get(res, 0, &why_cols, "why") != NULL)
		*why = arena_strdup(r->a, db_get(res, 0, &why_cols, "why"));
	return 1;
}

int
policy_db_may_decide(struct req *r, const char *slug)
{
	PGresult	*res;
	int		 rc;

	if ((rc = db_query_row(r->db, r->a, &sqls[MAY_DECIDE], 1, &slug,
	    &res)) != 1)
		return rc;
	return db_get_bool(res, 0, &may_cols, "may_decide") ? 1 : 2;
}
