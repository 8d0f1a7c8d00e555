/*
 * page_db.c: statements of the post page, and of accepting or declining
 * every open suggestion of a post at once.  The page is one statement:
 * the post, what the acting person may do with it, its suggestions with
 * the texts they are carried through, its comments and who may be asked
 * for a review, read in one round trip.
 */
#include "config.h"

#include "arena.h"
#include "db.h"
#include "dbrow.h"
#include "page_db.h"
#include "req.h"
#include "review_sql.h"
#include "stmts.h"
#include "util.h"

enum {
	PAGE_POST,
	PAGE_ACCEPT_ALL,
	PAGE_DECLINE_ALL,
	PAGE__MAX
};

/* Whether the acting person is post p's author or one of its co-authors. */
#define WRITER \
	"(p.author_id = ch_person() OR EXISTS (SELECT 1 FROM post_authors w " \
	"WHERE w.unit_id = p.unit_id AND w.post_id = p.id " \
	"AND w.person_id = ch_person()))"

/* Whether the hub's reviewers act on the posts of unit u (approved). */
#define HUB_REVIEWS \
	"((SELECT ch_post_hub_reviewer()) AND u.state = 'approved')"

/* Post p of unit u by author a, its latest revision r, as the page shows
 * it. */
#define POST_JSON \
	"json_build_object('id', p.id, 'unit', u.slug, 'unit_name', u.name, " \
	"'unit_state', u.state, 'state', p.state, 'revision', p.revision, " \
	"'title', r.title, 'body', r.body, 'tags', r.tags, " \
	"'channels', r.channels, 'author', json_build_object('name', " \
	"a.name, 'email', a.email), 'co_authors', coalesce((SELECT " \
	"json_agg(json_build_object('name', c.name, 'email', c.email) " \
	"ORDER BY c.name, c.email) FROM post_authors pa JOIN people c " \
	"ON c.id = pa.person_id WHERE pa.unit_id = p.unit_id " \
	"AND pa.post_id = p.id), '[]'), " \
	"'created_at', " ISO_UTC("p.created_at") ", " \
	"'revised_at', " ISO_UTC("r.created_at") ", " \
	"'scheduled_at', " ISO_UTC("p.scheduled_at") ", " \
	"'published_revision', p.published_revision, " \
	"'published_at', " ISO_UTC("p.published_at") ")"

/* The suggestions of post p, and the bodies they are carried through. */
#define SUGGESTIONS \
	"coalesce((SELECT json_agg(" SUGGESTION_JSON " ORDER BY " \
	"s.created_at, s.id) FROM post_suggestions s " SUGGESTION_JOIN \
	"WHERE s.unit_id = p.unit_id AND s.post_id = p.id " \
	"AND (s.source = 'reviewer' OR s.state <> 'outdated')), " \
	"'[]')::text AS suggestions, coalesce((SELECT " \
	"json_object_agg(t.number, " \
	"t.body) FROM post_revisions t WHERE t.unit_id = p.unit_id " \
	"AND t.post_id = p.id AND (t.number = p.revision OR t.number IN " \
	"(SELECT o.revision FROM post_suggestions o WHERE o.unit_id = " \
	"p.unit_id AND o.post_id = p.id AND o.state = 'open'))), " \
	"'{}')::text AS texts"

/* The comments of post p, each with the text of its span. */
#define COMMENTS \
	"coalesce((SELECT json_agg((" COMMENT_JSON "::jsonb || " \
	"jsonb_build_object('quote', substr(q.body, c.span_start + 1, " \
	"c.span_end - c.span_start))) ORDER BY c.created_at, c.id) " \
	"FROM post_comments c LEFT JOIN people a ON a.id = c.author_id " \
	"LEFT JOIN post_revisions q ON q.unit_id = c.unit_id " \
	"AND q.post_id = c.post_id AND q.number = c.revision " \
	"WHERE c.unit_id = p.unit_id AND c.post_id = p.id), '[]')::text " \
	"AS comments"

/* Who may be asked to review post p (the trigger of 014_posts.sql). */
#define REVIEWERS \
	"coalesce((SELECT json_agg(json_build_object('email', e.email, " \
	"'name', e.name, 'asked', EXISTS (SELECT 1 FROM post_review_requests " \
	"k WHERE k.unit_id = p.unit_id AND k.post_id = p.id " \
	"AND k.reviewer_id = e.id)) ORDER BY e.name, e.email) " \
	"FROM (SELECT m.person_id FROM unit_members m " \
	"WHERE m.unit_id = p.unit_id AND m.role IN ('owner', 'editor') " \
	"AND (m.expires_at IS NULL OR m.expires_at > now()) UNION " \
	"SELECT h.person_id FROM hub_roles h " \
	"WHERE h.role IN ('admin', 'communicator')) x " \
	"JOIN people e ON e.id = x.person_id " \
	"WHERE x.person_id IS DISTINCT FROM ch_person()), '[]')::text " \
	"AS reviewers"

static const struct db_col page_c[] = {
	{ "post", DB_JSON, 0 },
	{ "writer", DB_BOOL, 0 },
	{ "can_write", DB_BOOL, 0 },
	{ "can_suggest", DB_BOOL, 0 },
	{ "can_comment", DB_BOOL, 0 },
	{ "suggestions", DB_JSON, 0 },
	{ "texts", DB_JSON, 0 },
	{ "comments", DB_JSON, 0 },
	{ "reviewers", DB_JSON, 0 },
};
static const struct db_cols page_cols = DB_COLS(page_c);

static const struct db_col accept_c[] = {
	{ "revision", DB_INT, 0 },
	{ "title", DB_TEXT, 0 },
	{ "body", DB_TEXT, 0 },
	{ "created_at", DB_TEXT, 0 },
	{ "decided", DB_INT, DB_HIDDEN },
};
static const struct db_cols accept_cols = DB_COLS(accept_c);

static const struct db_col decline_c[] = {
	{ "found", DB_BOOL, 0 },
	{ "open", DB_INT, 0 },
	{ "declined", DB_JSON, 0 },
};
static const struct db_cols decline_cols = DB_COLS(decline_c);

static const struct db_stmt sqls[PAGE__MAX] = {
	[PAGE_POST] = { "page_post",
	    "SELECT " POST_JSON "::text AS post, " WRITER " AS writer, "
	    "(" WRITER " AND p.state <> 'withdrawn' AND p.unit_id = ANY "
	    "((SELECT ch_post_units('write'))::bigint[])) AS can_write, "
	    "(p.state <> 'withdrawn' AND (p.unit_id = ANY "
	    "((SELECT ch_post_units('review'))::bigint[]) OR " HUB_REVIEWS
	    ")) AS can_suggest, (p.unit_id = ANY "
	    "((SELECT ch_post_units('write'))::bigint[]) OR " HUB_REVIEWS
	    ") AS can_comment, " SUGGESTIONS ", " COMMENTS ", " REVIEWERS
	    " FROM posts p JOIN units u ON u.id = p.unit_id "
	    "JOIN people a ON a.id = p.author_id "
	    "JOIN post_revisions r ON r.unit_id = p.unit_id "
	    "AND r.post_id = p.id AND r.number = p.revision "
	    "WHERE p.id = $1::bigint", &page_cols },
	/*
	 * The new revision follows base (its trigger refuses it with CH412
	 * when the post moved on); every suggestion named is accepted with
	 * it, or the caller sees fewer decided than it asked for.
	 */
	[PAGE_ACCEPT_ALL] = { "page_accept_all",
	    "WITH v AS (INSERT INTO post_revisions (unit_id, post_id, base, "
	    "author_id, title, body, tags, channels) SELECT t.unit_id, "
	    "t.post_id, t.number, ch_person(), t.title, $3, t.tags, "
	    "t.channels FROM posts p JOIN post_revisions t "
	    "ON t.unit_id = p.unit_id AND t.post_id = p.id "
	    "AND t.number = $2::int WHERE p.id = $1::bigint "
	    "RETURNING unit_id, post_id, number, title, body, created_at), "
	    "d AS (UPDATE post_suggestions s SET state = 'accepted', "
	    "decided_by = ch_person(), accepted_revision = v.number FROM v "
	    "WHERE s.unit_id = v.unit_id AND s.post_id = v.post_id "
	    "AND s.state = 'open' AND s.id IN (SELECT x::bigint "
	    "FROM json_array_elements_text($4::json) x) RETURNING s.id) "
	    "SELECT v.number AS revision, v.title AS title, v.body AS body, "
	    ISO_UTC("v.created_at") " AS created_at, "
	    "(SELECT count(*) FROM d) AS decided FROM v", &accept_cols },
	[PAGE_DECLINE_ALL] = { "page_decline_all",
	    "WITH p AS (SELECT unit_id, id FROM posts WHERE id = $1::bigint), "
	    "o AS (SELECT s.unit_id, s.id FROM post_suggestions s JOIN p "
	    "ON s.unit_id = p.unit_id AND s.post_id = p.id "
	    "WHERE s.state = 'open'), "
	    "d AS (UPDATE post_suggestions k SET state = 'declined', "
	    "decided_by = ch_person(), reply = nullif($2, '') FROM o "
	    "WHERE k.unit_id = o.unit_id AND k.id = o.id "
	    "AND k.state = 'open' RETURNING k.id) "
	    "SELECT EXISTS (SELECT 1 FROM p) AS found, "
	    "(SELECT count(*) FROM o) AS open, coalesce((SELECT "
	    "json_agg(d.id ORDER BY d.id) FROM d), '[]')::text AS declined",
	    &decline_cols },
};

static const struct db_refusal accept_all_refusals[] = {
	{ "42501", 403, "forbidden", NULL, "only the post's author and "
	  "co-authors accept suggestions", 0 },
	{ "CH412", 409, "conflict", NULL, "the post changed meanwhile: "
	  "load it again and accept once more", 0 },
	{ "23505", 409, "conflict", NULL, "the post changed meanwhile: "
	  "load it again and accept once more", 0 },
	{ "CH409", 409, "withdrawn", NULL, "this post was withdrawn: its "
	  "text is not changed", 0 },
	{ NULL, 0, NULL, NULL, NULL, 0 }
};
static const struct db_refusal decline_all_refusals[] = {
	{ "CH409", 409, "decided", NULL, "a suggestion was decided "
	  "meanwhile: load the post again", 0 },
	{ NULL, 0, NULL, NULL, NULL, 0 }
};

/* What the statements' own refusals answer (db.h). */
static const struct db_refusal *const refusals[PAGE__MAX] = {
	[PAGE_ACCEPT_ALL] = accept_all_refusals,
	[PAGE_DECLINE_ALL] = decline_all_refusals,
};

const struct db_stmts page_stmts = { sqls, NELEM(sqls), refusals };

int
page_db_post(struct req *r, const char *id, json_t **out)
{
	PGresult	*res;
	int		 rc;

	*out = NULL;
	if ((rc = db_query_last(r->db, r->a, &sqls[PAGE_POST], 1, &id,
	    &res)) != 1)
		return rc;
	if (PQntuples(res) != 1)
		return 0;
	*out = req_json_own(r, db_row_json(res, 0, &page_cols));
	return 1;
}

int
page_db_accept_all(struct req *r, const char *id, long long base,
    const char *body, const char *ids, json_t **out)
{
	const char	*v[4] = { id, arena_printf(r->a, "%lld", base), body,
			    ids };
	PGresult	*res;
	json_t		*want;
	int		 rc;

	*out = NULL;
	if ((rc = db_query(r->db, r->a, &sqls[PAGE_ACCEPT_ALL], 4, v,
	    &res)) != 1)
		return rc;
	want = req_json_own(r, json_loads(ids, 0, NULL));
	if (PQntuples(res) != 1 || db_get_int(res, 0, &accept_cols,
	    "decided") != (long long)json_array_size(want))
		return 0;
	*out = req_json_own(r, db_row_json(res, 0, &accept_cols));
	return 1;
}

int
page_db_decline_all(struct req *r, const char *id, const char *reply,
    json_t **out, long long *open)
{
	const char	*v[2] = { id, reply };
	PGresult	*res;
	int		 rc;

	*out = NULL;
	*open = 0;
	if ((rc = db_query(r->db, r->a, &sqls[PAGE_DECLINE_ALL], 2, v,
	    &res)) != 1)
		return rc;
	if (!db_get_bool(res, 0, &decline_cols, "found"))
		return 0;
	*open = db_get_int(res, 0, &decline_cols, "open");
	*out = req_json_own(r, db_get_json(res, 0, &decline_cols,
	    "declined"));
	return 1;
}
