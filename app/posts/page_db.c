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
#include "input.h"
#include "kv.h"
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

/*
 * The page reads each table of the post once: the post, its
 * suggestions, its comments and the revisions they need are CTEs, so
 * each table's policy asks ch_post_units() once per statement instead
 * of once per subquery that reads it.
 */
#define PAGE_CTES \
	"WITH p AS MATERIALIZED (SELECT p.id, p.unit_id, p.author_id, " \
	"p.state, p.revision, p.created_at, p.scheduled_at, " \
	"p.published_revision, p.published_at FROM posts p " \
	"WHERE p.id = $1::bigint), " \
	"s AS MATERIALIZED (SELECT s.id, s.revision, s.span_start, " \
	"s.span_end, s.replacement, s.comment, s.state, s.author_id, " \
	"s.created_at, s.decided_at, s.reply, s.accepted_revision, " \
	"s.source, s.rule_id FROM post_suggestions s JOIN p " \
	"ON s.unit_id = p.unit_id AND s.post_id = p.id " \
	"WHERE s.source = 'reviewer' OR s.state <> 'outdated'), " \
	"c AS MATERIALIZED (SELECT c.id, c.post_id, c.body, c.revision, " \
	"c.span_start, c.span_end, c.reply_to, c.author_id, c.guest_name, " \
	"c.created_at, c.resolved_at FROM post_comments c JOIN p " \
	"ON c.unit_id = p.unit_id AND c.post_id = p.id), " \
	"t AS MATERIALIZED (SELECT t.number, t.title, t.body, t.tags, " \
	"t.channels, t.created_at FROM post_revisions t JOIN p " \
	"ON t.unit_id = p.unit_id AND t.post_id = p.id " \
	"WHERE t.number = p.revision OR t.number IN (SELECT s.revision " \
	"FROM s) OR t.number IN (SELECT c.revision FROM c " \
	"WHERE c.span_start IS NOT NULL)) "

/* Whether the acting person writes post p (w: its co-authors). */
#define WRITER "(p.author_id = ch_person() OR w.co)"

/* Whether the hub's reviewers act on the posts of unit u (approved). */
#define HUB_REVIEWS "(SELECT ch_post_hub_reviewer())"

/* Post p of unit u by author a, its latest revision r (but its body),
 * as the page shows it. */
#define POST_JSON \
	"json_build_object('id', p.id, 'unit', u.slug, 'unit_name', u.name, " \
	"'unit_state', u.state, 'state', p.state, 'revision', p.revision, " \
	"'title', r.title, 'tags', r.tags, 'channels', r.channels, " \
	"'author', json_build_object('name', a.name, 'email', a.email), " \
	"'co_authors', w.co_authors, " \
	"'created_at', " ISO_UTC("p.created_at") ", " \
	"'revised_at', " ISO_UTC("r.created_at") ", " \
	"'scheduled_at', " ISO_UTC("p.scheduled_at") ", " \
	"'published_revision', p.published_revision, " \
	"'published_at', " ISO_UTC("p.published_at") ")"

/*
 * What the acting person may do with post p of unit u, from their own
 * membership me (what ch_post_units() asks, for this one unit): write
 * (a writer, a current member of an approved unit), suggest (its
 * editors and owners, the hub's reviewers), comment (its members, the
 * hub's reviewers).  Each action's own policy still decides.
 */
#define MAY \
	WRITER " AS writer, (" WRITER " AND p.state <> 'withdrawn' " \
	"AND u.state = 'approved' AND me.role IS NOT NULL) AS can_write, " \
	"(p.state <> 'withdrawn' AND u.state = 'approved' " \
	"AND (coalesce(me.role IN ('owner', 'editor'), false) OR " \
	HUB_REVIEWS ")) AS can_suggest, (u.state = 'approved' " \
	"AND (me.role IS NOT NULL OR " HUB_REVIEWS ")) AS can_comment"

/*
 * The suggestions of post p, each an array of the fields of sugg_keys
 * (page_db_post() makes them objects: an array is a third of the JSON
 * to parse), and the bodies they are carried through but the latest.
 */
#define SUGGESTIONS \
	"coalesce((SELECT json_agg(json_build_array(s.id, s.revision, " \
	"s.span_start, s.span_end, substr(o.body, s.span_start + 1, " \
	"s.span_end - s.span_start), s.replacement, s.comment, s.state, " \
	"coalesce(e.name, 'Guidelines'), " ISO_UTC("s.created_at") ", " \
	ISO_UTC("s.decided_at") ", s.reply, s.accepted_revision, " \
	"s.source, s.rule_id, g.link, s.source = 'guidelines' AND " \
	"s.replacement = substr(o.body, s.span_start + 1, " \
	"s.span_end - s.span_start)) ORDER BY s.created_at, s.id) " \
	"FROM s JOIN t o ON o.number = s.revision " \
	"LEFT JOIN people e ON e.id = s.author_id " \
	"LEFT JOIN guide_rule_links g ON g.id = s.rule_id), " \
	"'[]')::text AS suggestions, " \
	"coalesce((SELECT json_object_agg(t.number, t.body) FROM t " \
	"WHERE t.number <> p.revision AND (t.number IN (SELECT s.revision " \
	"FROM s WHERE s.state = 'open') OR t.number IN (SELECT c.revision " \
	"FROM c WHERE c.span_start IS NOT NULL))), '{}')::text AS texts"

/* The comments of post p, each with the text of its span. */
#define COMMENTS \
	"coalesce((SELECT json_agg((" COMMENT_JSON "::jsonb || " \
	"jsonb_build_object('quote', substr(q.body, c.span_start + 1, " \
	"c.span_end - c.span_start))) ORDER BY c.created_at, c.id) " \
	"FROM c LEFT JOIN people a ON a.id = c.author_id " \
	"LEFT JOIN t q ON q.number = c.revision), '[]')::text AS comments"

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

/* The author's courses completed, for the post's reviewers (not the
 * author): sql/030_training_pages.sql. */
#define BADGES \
	"CASE WHEN p.author_id = ch_person() THEN '[]' " \
	"ELSE ch_training_badges(p.author_id, p.unit_id) END::text " \
	"AS author_badges"

/* The co-authors of post p, and whether the acting person is one. */
#define CO_AUTHORS \
	"CROSS JOIN LATERAL (SELECT coalesce(json_agg(json_build_object(" \
	"'name', ca.name, 'email', ca.email) ORDER BY ca.name, ca.email), " \
	"'[]') AS co_authors, coalesce(bool_or(pa.person_id = ch_person()), " \
	"false) AS co FROM post_authors pa JOIN people ca " \
	"ON ca.id = pa.person_id WHERE pa.unit_id = p.unit_id " \
	"AND pa.post_id = p.id) w "

/* The fields of a suggestion's array in SUGGESTIONS, in order. */
static const char *const sugg_keys[] = {
	"id", "revision", "start", "end", "original", "replacement",
	"comment", "state", "author", "created_at", "decided_at", "reply",
	"accepted_revision", "source", "rule", "link", "advice"
};

static const struct db_col page_c[] = {
	{ "post", DB_JSON, 0 },
	{ "body", DB_TEXT, 0 },
	{ "writer", DB_BOOL, 0 },
	{ "can_write", DB_BOOL, 0 },
	{ "can_suggest", DB_BOOL, 0 },
	{ "can_comment", DB_BOOL, 0 },
	{ "suggestions", DB_JSON, 0 },
	{ "texts", DB_JSON, 0 },
	{ "comments", DB_JSON, 0 },
	{ "reviewers", DB_JSON, 0 },
	{ "author_badges", DB_JSON, 0 },
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
	    PAGE_CTES "SELECT " POST_JSON "::text AS post, r.body AS body, "
	    MAY ", " SUGGESTIONS ", " COMMENTS ", " REVIEWERS ", " BADGES
	    " FROM p JOIN units u ON u.id = p.unit_id "
	    "JOIN people a ON a.id = p.author_id "
	    "JOIN t r ON r.number = p.revision " CO_AUTHORS
	    "LEFT JOIN unit_members me ON me.unit_id = p.unit_id "
	    "AND me.person_id = ch_person() "
	    "AND (me.expires_at IS NULL OR me.expires_at > now())",
	    &page_cols },
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

/* Suggestion a (an array of sugg_keys' fields) of post, as an object. */
static json_t *
sugg_object(json_t *a, json_t *post)
{
	json_t	*o = json_object();
	size_t	 i;

	for (i = 0; i < NELEM(sugg_keys); i++)
		json_object_set(o, sugg_keys[i], json_array_get(a, i));
	json_object_set_new(o, "author", json_pack("{s:O}", "name",
	    json_object_get(o, "author")));
	json_object_set(o, "post", post);
	return o;
}

int
page_db_post(struct req *r, const char *id, json_t **out)
{
	PGresult	*res;
	json_t		*d, *post, *body, *list, *s;
	size_t		 i;
	int		 rc;

	*out = NULL;
	if ((rc = db_query_last(r->db, r->a, &sqls[PAGE_POST], 1, &id,
	    &res)) != 1)
		return rc;
	if (PQntuples(res) != 1)
		return 0;
	d = req_json_own(r, db_row_json(res, 0, &page_cols));
	/* The latest body once: in the post, and the texts' latest. */
	post = json_object_get(d, "post");
	body = json_object_get(d, "body");
	json_object_set(post, "body", body);
	json_object_set(json_object_get(d, "texts"), arena_printf(r->a,
	    "%lld", (long long)json_integer_value(json_object_get(post,
	    "revision"))), body);
	list = json_object_get(d, "suggestions");
	json_array_foreach(list, i, s)
		json_array_set_new(list, i, sugg_object(s, json_object_get(post,
		    "id")));
	*out = d;
	return 1;
}

void
page_db_prefetch(struct req *r)
{
	const char	*id = kv_get(&r->params, "id");
	long long	 n;

	if (input_digits(id, 1, 9007199254740991LL, &n))
		db_prefetch(r->db, &sqls[PAGE_POST], 1, &id, 1);
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
