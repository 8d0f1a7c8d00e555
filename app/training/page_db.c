/*
 * page_db.c: what the training pages read beside the API's statements
 * (training_db.c): the guideline rules that link to a course, the units
 * whose courses the person writes, and badges of completed courses.
 */
#include "config.h"

#include "arena.h"
#include "db.h"
#include "dbrow.h"
#include "req.h"
#include "stmts.h"
#include "training_page.h"
#include "util.h"

enum {
	TP_RULES,
	TP_WRITER,
	TP_BADGES,
	TP__MAX
};

static const struct db_col rules_c[] = {
	{ "rules", DB_JSON, 0 },
};
static const struct db_cols rules_cols = DB_COLS(rules_c);

static const struct db_col writer_c[] = {
	{ "writer", DB_JSON, 0 },
};
static const struct db_cols writer_cols = DB_COLS(writer_c);

static const struct db_col badges_c[] = {
	{ "badges", DB_JSON, 0 },
};
static const struct db_cols badges_cols = DB_COLS(badges_c);

static const struct db_stmt sqls[TP__MAX] = {
	/* The rules the person reads whose link is the course's address
	 * ($1, with or without a final slash). */
	[TP_RULES] = { "training_page_rules",
	    "SELECT coalesce(jsonb_agg(jsonb_build_object('id', x.id, "
	    "'unit', u.slug, 'unit_name', u.name, 'kind', x.kind, "
	    "'message', x.message) ORDER BY x.unit_id NULLS FIRST, x.id), "
	    "'[]')::text AS rules FROM (SELECT h.id, NULL::bigint AS unit_id, "
	    "h.kind, h.message, h.link FROM guide_hub_rules h "
	    "WHERE rtrim(h.link, '/') = $1 UNION ALL SELECT g.id, g.unit_id, "
	    "g.kind, g.message, g.link FROM guide_unit_rules g "
	    "WHERE rtrim(g.link, '/') = $1) x "
	    "LEFT JOIN units u ON u.id = x.unit_id", &rules_cols },
	/* Whether the person writes the hub's courses, and the units whose
	 * courses they write or assign. */
	[TP_WRITER] = { "training_page_writer",
	    "SELECT jsonb_build_object('hr', ch_hub_role('hr'), "
	    "'units', coalesce((SELECT jsonb_agg(jsonb_build_object("
	    "'slug', u.slug, 'name', u.name, 'owner', u.id = ANY (w.own)) "
	    "ORDER BY u.name, u.slug) FROM units u "
	    "WHERE u.id = ANY (w.review) AND u.state = 'approved'), "
	    "'[]'))::text AS writer FROM (SELECT ch_post_units('review') AS "
	    "review, ch_post_units('own') AS own) w", &writer_cols },
	[TP_BADGES] = { "training_page_badges",
	    "SELECT ch_training_badges(ch_person(), NULL)::text AS badges",
	    &badges_cols },
};

const struct db_stmts training_page_stmts = { sqls, NELEM(sqls), NULL };

/* Run statement i with n parameters v; its one JSON column as *out. */
static int
one_json(struct req *r, int i, int n, const char *const *v,
    const struct db_cols *k, const char *name, json_t **out)
{
	PGresult	*res;
	int		 rc;

	*out = NULL;
	if ((rc = db_query_row(r->db, r->a, &sqls[i], n, v, &res)) != 1)
		return rc < 0 ? rc : -1;
	*out = req_json_own(r, db_get_json(res, 0, k, name));
	return *out != NULL ? 1 : -1;
}

int
training_page_db_rules(struct req *r, const char *url, json_t **out)
{
	return one_json(r, TP_RULES, 1, &url, &rules_cols, "rules", out);
}

int
training_page_db_writer(struct req *r, json_t **out)
{
	return one_json(r, TP_WRITER, 0, NULL, &writer_cols, "writer", out);
}

int
training_page_db_badges(struct req *r, json_t **out)
{
	return one_json(r, TP_BADGES, 0, NULL, &badges_cols, "badges", out);
}
