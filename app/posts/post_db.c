/* post_db.c: statements of posts, their revisions and their publishing. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "db.h"
#include "dbrow.h"
#include "post_db.h"
#include "req.h"
#include "stmts.h"
#include "util.h"

enum {
	POST_LIST,
	POST_CREATE,
	POST_SAVE,
	POST_GET,
	POST_REVISIONS,
	POST_REVISION,
	POST_BODIES,
	POST_PUBLISH,
	POST_WITHDRAW,
	POST_AUTHORS_UNKNOWN,
	POST_AUTHORS_SET,
	POST_RESTORE,
	POST__MAX
};

/* A time as the API writes it: UTC, to the second. */
#define TS(x) \
	"to_char(" x " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"

/* A person as {"name","email"}. */
#define WHO(p) \
	"json_build_object('name', " p ".name, 'email', " p ".email)::text"

/* Whether the acting person is post p's author or one of its co-authors. */
#define WRITER \
	"(p.author_id = ch_person() OR EXISTS (SELECT 1 FROM post_authors w " \
	"WHERE w.unit_id = p.unit_id AND w.post_id = p.id " \
	"AND w.person_id = ch_person()))"

static const struct db_col list_c[] = {
	{ "id", DB_INT, 0 },
	{ "title", DB_TEXT, 0 },
	{ "state", DB_TEXT, 0 },
	{ "revision", DB_INT, 0 },
	{ "author", DB_JSON, 0 },
	{ "created_at", DB_TEXT, 0 },
	{ "updated_at", DB_TEXT, 0 },
	{ "scheduled_at", DB_TEXT, 0 },
	{ "published_revision", DB_INT, 0 },
	{ "published_at", DB_TEXT, 0 },
	{ "writer", DB_BOOL, 0 },
};
static const struct db_cols list_cols = DB_COLS(list_c);

static const struct db_col create_c[] = {
	{ "unit_id", DB_INT, 0 },
	{ "id", DB_INT, 0 },
	{ "rules", DB_JSON, 0 },
	{ "mode", DB_TEXT, 0 },
};
static const struct db_cols create_cols = DB_COLS(create_c);

static const struct db_col save_c[] = {
	{ "id", DB_INT, 0 },
	{ "revision", DB_INT, 0 },
	{ "base", DB_INT, 0 },
	{ "state", DB_TEXT, 0 },
	{ "title", DB_TEXT, 0 },
	{ "saved_at", DB_TEXT, 0 },
};
static const struct db_cols save_cols = DB_COLS(save_c);

static const struct db_col post_c[] = {
	{ "id", DB_INT, 0 },
	{ "unit", DB_TEXT, 0 },
	{ "state", DB_TEXT, 0 },
	{ "revision", DB_INT, 0 },
	{ "title", DB_TEXT, 0 },
	{ "body", DB_TEXT, 0 },
	{ "tags", DB_JSON, 0 },
	{ "channels", DB_JSON, 0 },
	{ "author", DB_JSON, 0 },
	{ "co_authors", DB_JSON, 0 },
	{ "created_at", DB_TEXT, 0 },
	{ "updated_at", DB_TEXT, 0 },
	{ "scheduled_at", DB_TEXT, 0 },
	{ "scheduled_revision", DB_INT, 0 },
	{ "published_revision", DB_INT, 0 },
	{ "published_at", DB_TEXT, 0 },
	{ "open_suggestions", DB_INT, 0 },
	{ "can_edit", DB_BOOL, 0 },
	{ "guideline_notes", DB_JSON, 0 },
	{ "unit_id", DB_INT, DB_HIDDEN },
	{ "unit_state", DB_TEXT, DB_HIDDEN },
	{ "writer", DB_BOOL, DB_HIDDEN },
	{ "is_author", DB_BOOL, DB_HIDDEN },
};
static const struct db_cols post_cols = DB_COLS(post_c);

#define REVISION_C \
	{ "revision", DB_INT, 0 }, \
	{ "base", DB_INT, 0 }, \
	{ "restored_from", DB_INT, DB_OMIT_NULL }, \
	{ "title", DB_TEXT, 0 }, \
	{ "author", DB_JSON, 0 }, \
	{ "created_at", DB_TEXT, 0 }, \
	{ "published", DB_BOOL, 0 }

#define REVISION_COLS \
	"r.number AS revision, r.base, r.restored_from, r.title, " \
	WHO("a") " AS author, " TS("r.created_at") " AS created_at, " \
	"EXISTS (SELECT 1 FROM post_publications x WHERE " \
	"x.unit_id = r.unit_id AND x.post_id = r.post_id " \
	"AND x.revision = r.number) AS published"
#define REVISION_FROM \
	"FROM posts p JOIN post_revisions r ON r.unit_id = p.unit_id " \
	"AND r.post_id = p.id JOIN people a ON a.id = r.author_id "

static const struct db_col revisions_c[] = {
	REVISION_C,
	{ "chars", DB_INT, 0 },
};
static const struct db_cols revisions_cols = DB_COLS(revisions_c);

static const struct db_col revision_c[] = {
	{ "id", DB_INT, 0 },
	REVISION_C,
	{ "body", DB_TEXT, 0 },
	{ "tags", DB_JSON, 0 },
	{ "channels", DB_JSON, 0 },
};
static const struct db_cols revision_cols = DB_COLS(revision_c);

static const struct db_col bodies_c[] = {
	{ "from_body", DB_TEXT, 0 },
	{ "to_body", DB_TEXT, 0 },
};
static const struct db_cols bodies_cols = DB_COLS(bodies_c);

static const struct db_col publish_c[] = {
	{ "id", DB_INT, 0 },
	{ "state", DB_TEXT, 0 },
	{ "revision", DB_INT, 0 },
	{ "published_revision", DB_INT, 0 },
	{ "published_at", DB_TEXT, 0 },
	{ "scheduled_at", DB_TEXT, 0 },
	{ "open_suggestions", DB_INT, 0 },
	{ "changed", DB_BOOL, 0 },
	{ "before", DB_TEXT, DB_HIDDEN },
	{ "unit_id", DB_INT, DB_HIDDEN },
};
static const struct db_cols publish_cols = DB_COLS(publish_c);

static const struct db_col withdraw_c[] = {
	{ "id", DB_INT, 0 },
	{ "state", DB_TEXT, 0 },
	{ "revision", DB_INT, 0 },
	{ "before", DB_TEXT, DB_HIDDEN },
	{ "unit_id", DB_INT, DB_HIDDEN },
};
static const struct db_cols withdraw_cols = DB_COLS(withdraw_c);

static const struct db_col unknown_c[] = {
	{ "email", DB_TEXT, 0 },
};
static const struct db_cols unknown_cols = DB_COLS(unknown_c);

static const struct db_col authors_c[] = {
	{ "found", DB_INT, 0 },
	{ "removed", DB_INT, 0 },
	{ "added", DB_INT, 0 },
};
static const struct db_cols authors_cols = DB_COLS(authors_c);

static const struct db_col restore_c[] = {
	{ "id", DB_INT, 0 },
	{ "revision", DB_INT, 0 },
	{ "base", DB_INT, 0 },
	{ "restored_from", DB_INT, 0 },
	{ "state", DB_TEXT, 0 },
	{ "title", DB_TEXT, 0 },
	{ "saved_at", DB_TEXT, 0 },
};
static const struct db_cols restore_cols = DB_COLS(restore_c);

/* A current member of the unit of post p whose address is e.email. */
#define MEMBER \
	"FROM unit_members m JOIN people x ON x.id = m.person_id " \
	"WHERE m.unit_id = p.unit_id AND (m.expires_at IS NULL " \
	"OR m.expires_at > now()) "

/* A JSON array of strings ($n::json) as a text[]. */
#define TEXTS(n) "ARRAY(SELECT json_array_elements_text(" n "::json))"

static const struct db_stmt sqls[POST__MAX] = {
	[POST_LIST] = { "post_list",
	    "SELECT p.id, p.title, p.state, p.revision, " WHO("a")
	    " AS author, " TS("p.created_at") " AS created_at, "
	    TS("p.updated_at") " AS updated_at, " TS("p.scheduled_at")
	    " AS scheduled_at, p.published_revision, " TS("p.published_at")
	    " AS published_at, (" WRITER " AND p.unit_id = ANY "
	    "((SELECT ch_post_units('write'))::bigint[])) AS writer "
	    "FROM posts p JOIN units u ON u.id = p.unit_id "
	    "JOIN people a ON a.id = p.author_id WHERE u.slug = $1 "
	    "AND ($2 = '' OR p.state = $2) "
	    "ORDER BY p.updated_at DESC, p.id DESC LIMIT 1000", &list_cols },
	/*
	 * The post, its first revision and the audit entry, as the acting
	 * person (row-level security: a current member of an approved
	 * unit), and the unit's rules and review mode
	 * (sql/028_post_create.sql).
	 */
	[POST_CREATE] = { "post_create",
	    "SELECT unit_id, id, rules, mode FROM ch_post_create($1, $2, $3, "
	    TEXTS("$4") ", " TEXTS("$5") ")", &create_cols },
	/*
	 * The post_revisions_next trigger numbers the revision base + 1
	 * after locking the post, or refuses an outdated base (CH412).
	 */
	[POST_SAVE] = { "post_save",
	    "INSERT INTO post_revisions (unit_id, post_id, base, author_id, "
	    "title, body, tags, channels) SELECT p.unit_id, p.id, "
	    "nullif($2, '0')::integer, ch_person(), $3, $4, " TEXTS("$5")
	    ", " TEXTS("$6") " FROM posts p WHERE p.id = $1 "
	    "RETURNING post_id AS id, number AS revision, "
	    "coalesce(base, 0) AS base, (SELECT q.state FROM posts q "
	    "WHERE q.unit_id = post_revisions.unit_id "
	    "AND q.id = post_revisions.post_id) AS state, title, "
	    TS("created_at") " AS saved_at", &save_cols },
	[POST_GET] = { "post_get",
	    "SELECT p.id, u.slug AS unit, p.state, p.revision, r.title, "
	    "r.body, array_to_json(r.tags)::text AS tags, "
	    "array_to_json(r.channels)::text AS channels, " WHO("a")
	    " AS author, coalesce((SELECT json_agg(json_build_object("
	    "'name', c.name, 'email', c.email) ORDER BY c.name, c.email) "
	    "FROM post_authors pa JOIN people c ON c.id = pa.person_id "
	    "WHERE pa.unit_id = p.unit_id AND pa.post_id = p.id), "
	    "'[]')::text AS co_authors, " TS("p.created_at") " AS created_at, "
	    TS("p.updated_at") " AS updated_at, " TS("p.scheduled_at")
	    " AS scheduled_at, p.scheduled_revision, p.published_revision, "
	    TS("p.published_at") " AS published_at, (SELECT count(*) "
	    "FROM post_suggestions s WHERE s.unit_id = p.unit_id "
	    "AND s.post_id = p.id AND s.state = 'open') AS open_suggestions, "
	    "(" WRITER " AND p.state <> 'withdrawn' AND p.unit_id = ANY "
	    "((SELECT ch_post_units('write'))::bigint[])) AS can_edit, "
	    "coalesce((SELECT json_agg(json_build_object('id', g.id, 'post', "
	    "g.post_id, 'revision', g.revision, 'rule', g.rule_id, 'field', "
	    "g.field, 'original', g.original, 'replacement', g.replacement, "
	    "'message', g.message, 'link', k.link, 'state', g.state) "
	    "ORDER BY g.field, g.id) FROM guide_notes g "
	    "LEFT JOIN guide_rule_links k ON k.id = g.rule_id "
	    "WHERE g.unit_id = p.unit_id AND g.post_id = p.id "
	    "AND g.state = 'open'), '[]')::text AS guideline_notes, "
	    "p.unit_id, u.state AS unit_state, " WRITER " AS writer, "
	    "p.author_id = ch_person() AS is_author "
	    "FROM posts p JOIN units u ON u.id = p.unit_id "
	    "JOIN people a ON a.id = p.author_id "
	    "LEFT JOIN post_revisions r ON r.unit_id = p.unit_id "
	    "AND r.post_id = p.id AND r.number = p.revision WHERE p.id = $1",
	    &post_cols },
	[POST_REVISIONS] = { "post_revisions",
	    "SELECT " REVISION_COLS ", char_length(r.body) AS chars "
	    REVISION_FROM "WHERE p.id = $1 ORDER BY r.number DESC LIMIT 1000",
	    &revisions_cols },
	[POST_REVISION] = { "post_revision",
	    "SELECT p.id, " REVISION_COLS ", r.body, "
	    "array_to_json(r.tags)::text AS tags, "
	    "array_to_json(r.channels)::text AS channels " REVISION_FROM
	    "WHERE p.id = $1 AND r.number = $2", &revision_cols },
	[POST_BODIES] = { "post_bodies",
	    "SELECT f.body AS from_body, t.body AS to_body FROM posts p "
	    "LEFT JOIN post_revisions f ON f.unit_id = p.unit_id "
	    "AND f.post_id = p.id AND f.number = $2 "
	    "LEFT JOIN post_revisions t ON t.unit_id = p.unit_id "
	    "AND t.post_id = p.id AND t.number = $3 WHERE p.id = $1",
	    &bodies_cols },
	/*
	 * FOR UPDATE reads through the posts_write policy: a post the
	 * acting person may not write is not found.  The posts_check_move
	 * trigger checks the move and the time, posts_published records
	 * the publication and queues its job.
	 */
	[POST_PUBLISH] = { "post_publish",
	    "WITH old AS (SELECT unit_id, id, state, published_revision, "
	    "scheduled_at, scheduled_revision FROM posts WHERE id = $1 "
	    "FOR UPDATE) UPDATE posts p SET state = CASE WHEN $2 = '' "
	    "THEN 'published' ELSE 'scheduled' END, published_revision = "
	    "CASE WHEN $2 = '' THEN p.revision ELSE p.published_revision END, "
	    "scheduled_at = nullif($2, '')::timestamptz, scheduled_revision = "
	    "CASE WHEN $2 = '' THEN NULL ELSE p.revision END FROM old "
	    "WHERE p.unit_id = old.unit_id AND p.id = old.id RETURNING p.id, "
	    "p.state, p.revision, p.published_revision, "
	    TS("p.published_at") " AS published_at, " TS("p.scheduled_at")
	    " AS scheduled_at, (SELECT count(*) FROM post_suggestions s "
	    "WHERE s.unit_id = p.unit_id AND s.post_id = p.id "
	    "AND s.state = 'open') AS open_suggestions, (old.state, "
	    "old.published_revision, old.scheduled_at, old.scheduled_revision) "
	    "IS DISTINCT FROM (p.state, p.published_revision, p.scheduled_at, "
	    "p.scheduled_revision) AS changed, old.state AS before, p.unit_id",
	    &publish_cols },
	[POST_WITHDRAW] = { "post_withdraw",
	    "WITH old AS (SELECT unit_id, id, state FROM posts WHERE id = $1 "
	    "FOR UPDATE) UPDATE posts p SET state = CASE old.state "
	    "WHEN 'scheduled' THEN 'draft' ELSE 'withdrawn' END FROM old "
	    "WHERE p.unit_id = old.unit_id AND p.id = old.id RETURNING p.id, "
	    "p.state, p.revision, old.state AS before, p.unit_id",
	    &withdraw_cols },
	/* The addresses of $2 that name no current member of the unit. */
	[POST_AUTHORS_UNKNOWN] = { "post_authors_unknown",
	    "SELECT e.email FROM json_array_elements_text($2::json) "
	    "AS e(email) WHERE NOT EXISTS (SELECT 1 FROM posts p "
	    "WHERE p.id = $1 AND EXISTS (SELECT 1 " MEMBER
	    "AND lower(x.email) = lower(e.email))) ORDER BY 1",
	    &unknown_cols },
	/*
	 * The co-authors of post $1 become the members named in $2 (the
	 * author left out), when the acting person is its author: found 0
	 * otherwise.  Row-level security (post_authors_add, _remove) says
	 * the same.
	 */
	[POST_AUTHORS_SET] = { "post_authors_set",
	    "WITH p AS (SELECT unit_id, id, author_id FROM posts "
	    "WHERE id = $1 AND author_id = ch_person()), "
	    "want AS (SELECT m.unit_id, m.person_id FROM p, LATERAL (SELECT "
	    "m.unit_id, m.person_id " MEMBER "AND m.person_id <> p.author_id "
	    "AND lower(x.email) IN (SELECT lower(j) FROM "
	    "json_array_elements_text($2::json) AS j)) m), "
	    "gone AS (DELETE FROM post_authors a USING p "
	    "WHERE a.unit_id = p.unit_id AND a.post_id = p.id "
	    "AND a.person_id NOT IN (SELECT person_id FROM want) "
	    "RETURNING a.person_id), "
	    "added AS (INSERT INTO post_authors (unit_id, post_id, person_id, "
	    "added_by) SELECT w.unit_id, p.id, w.person_id, ch_person() "
	    "FROM want w JOIN p ON p.unit_id = w.unit_id "
	    "ON CONFLICT DO NOTHING RETURNING person_id) "
	    "SELECT (SELECT count(*) FROM p) AS found, "
	    "(SELECT count(*) FROM gone) AS removed, "
	    "(SELECT count(*) FROM added) AS added", &authors_cols },
	/*
	 * Revision $2's text as the revision after $3 ('0': the latest),
	 * restored_from $2; numbered and checked like POST_SAVE.
	 */
	[POST_RESTORE] = { "post_restore",
	    "INSERT INTO post_revisions (unit_id, post_id, base, author_id, "
	    "title, body, tags, channels, restored_from) SELECT r.unit_id, "
	    "r.post_id, CASE WHEN $3 = '0' THEN p.revision "
	    "ELSE $3::integer END, ch_person(), r.title, r.body, r.tags, "
	    "r.channels, r.number FROM posts p JOIN post_revisions r "
	    "ON r.unit_id = p.unit_id AND r.post_id = p.id "
	    "AND r.number = $2::integer WHERE p.id = $1 "
	    "RETURNING post_id AS id, number AS revision, "
	    "coalesce(base, 0) AS base, restored_from, (SELECT q.state "
	    "FROM posts q WHERE q.unit_id = post_revisions.unit_id "
	    "AND q.id = post_revisions.post_id) AS state, title, "
	    TS("created_at") " AS saved_at", &restore_cols },
};

static const struct db_refusal create_refusals[] = {
	{ "42501", 403, "forbidden", NULL, "only the unit's current members "
	  "write posts (a guest until their last day)", 0 },
	{ NULL, 0, NULL, NULL, NULL, 0 }
};

/* The post_revisions_next trigger, or a save that raced past it. */
#define STALE(s) \
	{ s, 412, "stale", "If-Match", "the post has a newer revision than " \
	  "the one this text was written from", 0 }

static const struct db_refusal save_refusals[] = {
	STALE("CH412"),
	STALE("23505"),
	{ "CH409", 409, "illegal_transition", NULL, "a withdrawn post is not "
	  "edited: its text stays as it was withdrawn", 0 },
	{ NULL, 0, NULL, NULL, NULL, 0 }
};

/* The posts_check_move trigger. */
static const struct db_refusal publish_refusals[] = {
	{ "CH422", 422, "invalid", "at", "a post is scheduled for a time in "
	  "the future; leave at out to publish now", 0 },
	{ "CH409", 409, "illegal_transition", "at", "a published post is "
	  "published again (its latest revision) or withdrawn, not "
	  "scheduled", 0 },
	{ NULL, 0, NULL, NULL, NULL, 0 }
};

static const struct db_refusal withdraw_refusals[] = {
	{ "CH409", 409, "illegal_transition", NULL, "only a published or a "
	  "scheduled post is withdrawn", 0 },
	{ NULL, 0, NULL, NULL, NULL, 0 }
};

/* What the statements' own refusals answer (db.h). */
static const struct db_refusal *const refusals[POST__MAX] = {
	[POST_CREATE] = create_refusals,
	[POST_SAVE] = save_refusals,
	[POST_PUBLISH] = publish_refusals,
	[POST_WITHDRAW] = withdraw_refusals,
	[POST_RESTORE] = save_refusals,
};

const struct db_stmts post_stmts = { sqls, NELEM(sqls), refusals };

static const char *
num(struct req *r, long long v)
{
	return arena_printf(r->a, "%lld", v);
}

int
post_db_list(struct req *r, const char *slug, const char *state,
    json_t *out)
{
	const char	*v[2] = { slug, state };
	PGresult	*res;
	int		 rc;

	if ((rc = db_query_last(r->db, r->a, &sqls[POST_LIST], 2, v,
	    &res)) != 1)
		return rc;
	db_rows_json(res, &list_cols, out);
	return 1;
}

/* The parameters of POST_SAVE for post id after base. */
static void
save_params(struct req *r, long long id, long long base,
    const struct post_text *t, const char **v)
{
	v[0] = num(r, id);
	v[1] = num(r, base);
	v[2] = t->title;
	v[3] = t->body;
	v[4] = t->tags;
	v[5] = t->channels;
}

int
post_db_create(struct req *r, const char *slug, const struct post_text *t,
    struct post_made *m)
{
	const char	*v[5] = { slug, t->title, t->body, t->tags,
			    t->channels };
	PGresult	*res;
	int		 rc;

	if ((rc = db_query(r->db, r->a, &sqls[POST_CREATE], 5, v,
	    &res)) != 1)
		return rc;
	if (PQntuples(res) == 0)
		return 0;
	m->unit = db_get_int(res, 0, &create_cols, "unit_id");
	m->id = db_get_int(res, 0, &create_cols, "id");
	m->mode = arena_strdup(r->a, db_get(res, 0, &create_cols, "mode"));
	if ((m->rules = req_json_own(r, db_get_json(res, 0, &create_cols,
	    "rules"))) == NULL)
		return -1;
	return 1;
}

int
post_db_save(struct req *r, long long id, long long base,
    const struct post_text *t, json_t **out)
{
	const char	*v[6];
	PGresult	*res;
	int		 rc;

	*out = NULL;
	save_params(r, id, base, t, v);
	if ((rc = db_query(r->db, r->a, &sqls[POST_SAVE], 6, v, &res)) != 1)
		return rc;
	if (PQntuples(res) == 0)
		return 0;
	*out = req_json_own(r, db_row_json(res, 0, &save_cols));
	return 1;
}

int
post_db_get(struct req *r, long long id, json_t **out, struct post_head *h)
{
	const char	*v = num(r, id);
	PGresult	*res;
	int		 rc;

	if (out != NULL)
		*out = NULL;
	if ((rc = db_query_last(r->db, r->a, &sqls[POST_GET], 1, &v,
	    &res)) != 1)
		return rc;
	if (PQntuples(res) == 0)
		return 0;
	if (out != NULL)
		*out = req_json_own(r, db_row_json(res, 0, &post_cols));
	if (h != NULL) {
		h->id = id;
		h->unit_id = db_get_int(res, 0, &post_cols, "unit_id");
		h->revision = db_get_int(res, 0, &post_cols, "revision");
		h->state = arena_strdup(r->a, db_get(res, 0, &post_cols,
		    "state"));
		h->unit_state = arena_strdup(r->a, db_get(res, 0, &post_cols,
		    "unit_state"));
		h->writer = db_get_bool(res, 0, &post_cols, "writer");
		h->author = db_get_bool(res, 0, &post_cols, "is_author");
	}
	return 1;
}

int
post_db_revisions(struct req *r, long long id, json_t *out)
{
	const char	*v = num(r, id);
	PGresult	*res;
	int		 rc;

	if ((rc = db_query_last(r->db, r->a, &sqls[POST_REVISIONS], 1, &v,
	    &res)) != 1)
		return rc;
	/* A visible post has its first revision from the start. */
	if (PQntuples(res) == 0)
		return 0;
	db_rows_json(res, &revisions_cols, out);
	return 1;
}

int
post_db_revision(struct req *r, long long id, long long n, json_t **out)
{
	const char	*v[2] = { num(r, id), num(r, n) };
	PGresult	*res;
	int		 rc;

	*out = NULL;
	if ((rc = db_query_last(r->db, r->a, &sqls[POST_REVISION], 2, v,
	    &res)) != 1)
		return rc;
	if (PQntuples(res) == 0)
		return 0;
	*out = req_json_own(r, db_row_json(res, 0, &revision_cols));
	return 1;
}

int
post_db_bodies(struct req *r, long long id, long long from, long long to,
    const char **a, const char **b, const char **missing)
{
	const char	*v[3] = { num(r, id), num(r, from), num(r, to) };
	PGresult	*res;
	int		 rc;

	*a = *b = NULL;
	*missing = "post";
	if ((rc = db_query_last(r->db, r->a, &sqls[POST_BODIES], 3, v,
	    &res)) != 1)
		return rc;
	if (PQntuples(res) == 0)
		return 0;
	*a = db_get(res, 0, &bodies_cols, "from_body");
	*b = db_get(res, 0, &bodies_cols, "to_body");
	if (*a == NULL || *b == NULL) {
		*missing = *a == NULL ? "from" : "to";
		return 0;
	}
	*a = arena_strdup(r->a, *a);
	*b = arena_strdup(r->a, *b);
	return 1;
}

/* Row 0 of a move (publish or withdraw) into *out, *before and *unit. */
static void
moved(struct req *r, PGresult *res, const struct db_cols *cols,
    json_t **out, const char **before, long long *unit)
{
	*out = req_json_own(r, db_row_json(res, 0, cols));
	*before = arena_strdup(r->a, db_get(res, 0, cols, "before"));
	*unit = db_get_int(res, 0, cols, "unit_id");
}

int
post_db_publish(struct req *r, long long id, const char *at, json_t **out,
    const char **before, long long *unit)
{
	const char	*v[2] = { num(r, id), at };
	PGresult	*res;
	int		 rc;

	*out = NULL;
	if ((rc = db_query(r->db, r->a, &sqls[POST_PUBLISH], 2, v,
	    &res)) != 1)
		return rc;
	if (PQntuples(res) == 0)
		return 0;
	moved(r, res, &publish_cols, out, before, unit);
	return 1;
}

int
post_db_withdraw(struct req *r, long long id, json_t **out,
    const char **before, long long *unit)
{
	const char	*v = num(r, id);
	PGresult	*res;
	int		 rc;

	*out = NULL;
	if ((rc = db_query(r->db, r->a, &sqls[POST_WITHDRAW], 1, &v,
	    &res)) != 1)
		return rc;
	if (PQntuples(res) == 0)
		return 0;
	moved(r, res, &withdraw_cols, out, before, unit);
	return 1;
}

int
post_db_authors_unknown(struct req *r, long long id, const char *emails,
    json_t *out)
{
	const char	*v[2] = { num(r, id), emails };
	PGresult	*res;
	int		 i, rc;

	if ((rc = db_query(r->db, r->a, &sqls[POST_AUTHORS_UNKNOWN], 2, v,
	    &res)) != 1)
		return rc;
	for (i = 0; i < PQntuples(res); i++)
		json_array_append_new(out, json_string(db_get(res, i,
		    &unknown_cols, "email")));
	return 1;
}

int
post_db_authors_set(struct req *r, long long id, const char *emails)
{
	const char	*v[2] = { num(r, id), emails };
	PGresult	*res;
	int		 rc;

	if ((rc = db_query_row(r->db, r->a, &sqls[POST_AUTHORS_SET], 2, v,
	    &res)) != 1)
		return rc;
	return db_get_int(res, 0, &authors_cols, "found") > 0;
}

int
post_db_restore(struct req *r, long long id, long long n, long long base,
    json_t **out)
{
	const char	*v[3] = { num(r, id), num(r, n), num(r, base) };
	PGresult	*res;
	int		 rc;

	*out = NULL;
	if ((rc = db_query(r->db, r->a, &sqls[POST_RESTORE], 3, v,
	    &res)) != 1)
		return rc;
	if (PQntuples(res) == 0)
		return 0;
	*out = req_json_own(r, db_row_json(res, 0, &restore_cols));
	return 1;
}
