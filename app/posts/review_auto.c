/*
 * review_auto.c: telling reviewers by e-mail, and the reviewers a unit's
 * review mode asks by itself when a post is made: in "peer" mode the
 * unit's editors (its owners when it has none), in "hub_advisory" mode
 * the hub's communicators (sql/020_preview_auto.sql).  No mode blocks
 * anything: a request only asks.
 */
#include "config.h"

#include "app.h"
#include "arena.h"
#include "db.h"
#include "dbrow.h"
#include "log.h"
#include "outbox.h"
#include "req.h"
#include "review.h"
#include "session.h"
#include "stmts.h"
#include "util.h"

enum { AUTO_ASK, AUTO__MAX };

static const struct db_col ask_c[] = {
	{ "post", DB_INT, 0 },
	{ "title", DB_TEXT, 0 },
	{ "slug", DB_TEXT, 0 },
	{ "unit", DB_TEXT, 0 },
	{ "asked", DB_JSON, 0 },
};
static const struct db_cols ask_cols = DB_COLS(ask_c);

static const struct db_stmt sqls[AUTO__MAX] = {
	/* ch_auto_reviewers() answers the post's writers only. */
	[AUTO_ASK] = { "review_auto_ask",
	    "WITH p AS (SELECT unit_id, id, title FROM posts "
	    "WHERE id = $1::bigint), "
	    "n AS (INSERT INTO post_review_requests (unit_id, post_id, "
	    "reviewer_id, requested_by) SELECT p.unit_id, p.id, a.id, "
	    "ch_person() FROM p, ch_auto_reviewers(p.id) a "
	    "ON CONFLICT DO NOTHING RETURNING id, reviewer_id) "
	    "SELECT p.id AS post, p.title AS title, u.slug AS slug, "
	    "u.name AS unit, coalesce((SELECT json_agg(json_build_object("
	    "'id', n.id, 'email', w.email, 'name', w.name) ORDER BY n.id) "
	    "FROM n JOIN people w ON w.id = n.reviewer_id), '[]')::text "
	    "AS asked FROM p LEFT JOIN units u ON u.id = p.unit_id",
	    &ask_cols },
};

const struct db_stmts review_auto_stmts = { sqls, NELEM(sqls), NULL };

int
review_tell(struct req *r, json_t *out, int automatic)
{
	json_t		*a;
	const char	*title = json_string_value(json_object_get(out,
			    "title"));
	size_t		 i;

	json_array_foreach(json_object_get(out, "asked"), i, a)
		if (outbox_mail(r, json_string_value(json_object_get(a,
		    "email")), "review_request", req_pack(r, "{s:s, s:O, s:s, "
		    "s:O, s:O, s:O, s:b}", "requester", r->sess->p.name,
		    "name", json_object_get(a, "name"), "title", title != NULL ?
		    title : "", "unit", json_object_get(out, "unit"), "slug",
		    json_object_get(out, "slug"), "post", json_object_get(out,
		    "post"), "automatic", automatic)) < 0)
			return -1;
	return 1;
}

int
review_auto(struct req *r, long long id, json_t **asked)
{
	const char	*v[1] = { arena_printf(r->a, "%lld", id) };
	PGresult	*res;
	json_t		*out;
	int		 rc;

	*asked = NULL;
	if ((rc = db_query_row(r->db, r->a, &sqls[AUTO_ASK], 1, v, &res)) !=
	    1)
		return rc;
	out = req_json_own(r, db_row_json(res, 0, &ask_cols));
	*asked = json_object_get(out, "asked");
	if (json_array_size(*asked) == 0)
		return 1;
	logm(L_INFO, r->id, "reviewers asked by the review mode post=%lld "
	    "reviewers=%zu", id, json_array_size(*asked));
	return review_tell(r, out, 1);
}
