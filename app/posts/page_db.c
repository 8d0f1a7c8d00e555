/*
 * page_db.c: statements of the post page, and of accepting or declining
 * every open suggestion of a post at once.  The page is one statement
 * over the view ch_post_page (sql/047_post_page.sql): the post, what the
 * acting person may do with it, its suggestions with the texts they are
 * carried through, its comments and who may be asked for a review, read
 * in one round trip behind the session lookup, with one reach check.
 */
#include "config.h"

#include "arena.h"
#include "db.h"
#include "dbrow.h"
#include "input.h"
#include "kv.h"
#include "page_db.h"
#include "page_mem.h"
#include "req.h"
#include "review_sql.h"
#include "stmts.h"
#include "util.h"

enum {
	PAGE_POST,
	PAGE_STAMP,
	PAGE_ACCEPT_ALL,
	PAGE_DECLINE_ALL,
	PAGE__MAX
};

/* The fields of a suggestion's array in ch_post_page, in order. */
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
	{ "stamp", DB_TEXT, DB_OMIT_NULL },
};
static const struct db_cols page_cols = DB_COLS(page_c);

static const struct db_col stamp_c[] = {
	{ "stamp", DB_TEXT, 0 },
};
static const struct db_cols stamp_cols = DB_COLS(stamp_c);

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
	/*
	 * The view (sql/047_post_page.sql) reads the post and what the page
	 * shows of it with one reach check; id is its index condition.
	 */
	[PAGE_POST] = { "page_post",
	    "SELECT v.post, v.body, v.writer, v.can_write, v.can_suggest, "
	    "v.can_comment, v.suggestions, v.texts, v.comments, v.reviewers, "
	    "v.author_badges, (SELECT s.stamp FROM ch_post_stamp s "
	    "WHERE s.id = v.id) AS stamp FROM ch_post_page v "
	    "WHERE v.id = $1::bigint", &page_cols },
	/*
	 * The counters a worker's kept page was built from (page_mem.h,
	 * sql/051_post_stamps.sql): a row for a post the caller reads.  The
	 * page's statement reads them too, in its own snapshot.
	 */
	[PAGE_STAMP] = { "page_stamp",
	    "SELECT s.stamp FROM ch_post_stamp s WHERE s.id = $1::bigint",
	    &stamp_cols },
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

	if (!input_digits(id, 1, 9007199254740991LL, &n))
		return;
	if (page_mem_candidate(r))
		db_prefetch(r->db, &sqls[PAGE_STAMP], 1, &id, 1);
	else
		db_prefetch(r->db, &sqls[PAGE_POST], 1, &id, 1);
}

int
page_db_stamp(struct req *r, const char *id, const char **stamp)
{
	PGresult	*res;
	int		 rc;

	*stamp = NULL;
	if ((rc = db_query_row(r->db, r->a, &sqls[PAGE_STAMP], 1, &id,
	    &res)) != 1)
		return rc;
	*stamp = db_get(res, 0, &stamp_cols, "stamp");
	return *stamp != NULL;
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
