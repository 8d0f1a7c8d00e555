/* review_db.c: statements of suggestions, comments, review requests,
 * the inbox and review modes. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "db.h"
#include "dbrow.h"
#include "req.h"
#include "review_db.h"
#include "review_sql.h"
#include "stmts.h"
#include "util.h"

enum {
	REVIEW_SUGGESTIONS,
	REVIEW_SUGGEST,
	REVIEW_SUGGESTION,
	REVIEW_ACCEPT,
	REVIEW_DECLINE,
	REVIEW_COMMENTS,
	REVIEW_COMMENT,
	REVIEW_RESOLVE,
	REVIEW_REQUEST,
	REVIEW_INBOX,
	REVIEW_INBOX_READ,
	REVIEW_MODE,
	REVIEW__MAX
};

static const struct db_col list_c[] = {
	{ "current", DB_INT, 0 },
	{ "suggestions", DB_JSON, 0 },
	{ "texts", DB_JSON, 0 },
};
static const struct db_cols list_cols = DB_COLS(list_c);

/* A statement that writes one thing and tells whether it found it. */
static const struct db_col made_c[] = {
	{ "found", DB_BOOL, 0 },
	{ "made", DB_JSON, 0 },
};
static const struct db_cols made_cols = DB_COLS(made_c);

static const struct db_col sugg_c[] = {
	{ "unit_id", DB_INT, 0 },
	{ "post_id", DB_INT, 0 },
	{ "state", DB_TEXT, 0 },
	{ "revision", DB_INT, 0 },
	{ "span_start", DB_INT, 0 },
	{ "span_end", DB_INT, 0 },
	{ "replacement", DB_TEXT, 0 },
	{ "base", DB_TEXT, 0 },
	{ "current", DB_INT, 0 },
	{ "latest", DB_TEXT, 0 },
	{ "reviewer", DB_TEXT, 0 },
};
static const struct db_cols sugg_cols = DB_COLS(sugg_c);

static const struct db_col accept_c[] = {
	{ "revision", DB_INT, 0 },
	{ "title", DB_TEXT, 0 },
	{ "body", DB_TEXT, 0 },
	{ "created_at", DB_TEXT, 0 },
	{ "decided", DB_BOOL, DB_HIDDEN },
};
static const struct db_cols accept_cols = DB_COLS(accept_c);

static const struct db_col comments_c[] = {
	{ "comments", DB_JSON, 0 },
};
static const struct db_cols comments_cols = DB_COLS(comments_c);

static const struct db_col resolve_c[] = {
	{ "found", DB_BOOL, 0 },
	{ "resolved", DB_BOOL, 0 },
	{ "made", DB_JSON, 0 },
};
static const struct db_cols resolve_cols = DB_COLS(resolve_c);

static const struct db_col request_c[] = {
	{ "post", DB_INT, 0 },
	{ "title", DB_TEXT, 0 },
	{ "slug", DB_TEXT, 0 },
	{ "unit", DB_TEXT, 0 },
	{ "asked", DB_JSON, 0 },
};
static const struct db_cols request_cols = DB_COLS(request_c);

static const struct db_col inbox_c[] = {
	{ "unread", DB_INT, 0 },
	{ "items", DB_JSON, 0 },
};
static const struct db_cols inbox_cols = DB_COLS(inbox_c);

static const struct db_col read_c[] = {
	{ "read", DB_JSON, 0 },
	{ "unread", DB_INT, 0 },
};
static const struct db_cols read_cols = DB_COLS(read_c);

static const struct db_col mode_c[] = {
	{ "mode", DB_TEXT, 0 },
	{ "before", DB_TEXT, 0 },
	{ "unit_id", DB_INT, 0 },
};
static const struct db_cols mode_cols = DB_COLS(mode_c);

static const struct db_stmt sqls[REVIEW__MAX] = {
	[REVIEW_SUGGESTIONS] = { "review_suggestions",
	    "SELECT p.revision AS current, coalesce((SELECT json_agg("
	    SUGGESTION_JSON " ORDER BY s.created_at, s.id) "
	    "FROM post_suggestions s " SUGGESTION_JOIN
	    "WHERE s.unit_id = p.unit_id AND s.post_id = p.id "
	    "AND (s.source = 'reviewer' OR s.state <> 'outdated')), "
	    "'[]')::text AS suggestions, coalesce((SELECT "
	    "json_object_agg(t.number, "
	    "t.body) FROM post_revisions t WHERE t.unit_id = p.unit_id "
	    "AND t.post_id = p.id AND (t.number = p.revision OR t.number IN "
	    "(SELECT o.revision FROM post_suggestions o WHERE o.unit_id = "
	    "p.unit_id AND o.post_id = p.id AND o.state = 'open'))), "
	    "'{}')::text AS texts FROM posts p WHERE p.id = $1::bigint",
	    &list_cols },
	/* The post is read as the acting person: not found, nothing made. */
	[REVIEW_SUGGEST] = { "review_suggest",
	    "WITH p AS (SELECT unit_id, id FROM posts WHERE id = $1::bigint), "
	    "s AS (INSERT INTO post_suggestions (unit_id, post_id, revision, "
	    "span_start, span_end, replacement, comment, author_id) "
	    "SELECT p.unit_id, p.id, $2::int, $3::int, $4::int, $5, "
	    "nullif($6, ''), ch_person() FROM p RETURNING *) "
	    "SELECT EXISTS (SELECT 1 FROM p) AS found, (SELECT "
	    SUGGESTION_JSON " FROM s " SUGGESTION_JOIN ")::text AS made",
	    &made_cols },
	/* The latest body only when it is not the suggestion's own. */
	[REVIEW_SUGGESTION] = { "review_suggestion",
	    "SELECT s.unit_id AS unit_id, s.post_id AS post_id, "
	    "s.state AS state, s.revision AS revision, "
	    "s.span_start AS span_start, s.span_end AS span_end, "
	    "s.replacement AS replacement, r.body AS base, "
	    "p.revision AS current, CASE WHEN p.revision <> s.revision "
	    "THEN c.body END AS latest, coalesce(a.name, 'Guidelines') "
	    "AS reviewer "
	    "FROM post_suggestions s " SUGGESTION_JOIN
	    "JOIN posts p ON p.unit_id = s.unit_id AND p.id = s.post_id "
	    "JOIN post_revisions c ON c.unit_id = p.unit_id "
	    "AND c.post_id = p.id AND c.number = p.revision "
	    "WHERE s.id = $1::bigint", &sugg_cols },
	/*
	 * The new revision follows the one the body was computed from
	 * (its trigger refuses it with CH412 when the post moved on), and
	 * the suggestion names it (its trigger refuses a decided one).
	 */
	[REVIEW_ACCEPT] = { "review_accept",
	    "WITH v AS (INSERT INTO post_revisions (unit_id, post_id, base, "
	    "author_id, title, body, tags, channels) SELECT t.unit_id, "
	    "t.post_id, t.number, ch_person(), t.title, $4, t.tags, "
	    "t.channels FROM post_revisions t WHERE t.unit_id = $1::bigint "
	    "AND t.post_id = $2::bigint AND t.number = $3::int "
	    "RETURNING unit_id, number, title, body, created_at), "
	    "d AS (UPDATE post_suggestions s SET state = 'accepted', "
	    "decided_by = ch_person(), accepted_revision = v.number FROM v "
	    "WHERE s.unit_id = v.unit_id AND s.id = $5::bigint "
	    "RETURNING s.id) "
	    "SELECT v.number AS revision, v.title AS title, v.body AS body, "
	    ISO_UTC("v.created_at") " AS created_at, "
	    "EXISTS (SELECT 1 FROM d) AS decided FROM v", &accept_cols },
	[REVIEW_DECLINE] = { "review_decline",
	    "WITH f AS (SELECT unit_id, id FROM post_suggestions "
	    "WHERE id = $1::bigint), "
	    "s AS (UPDATE post_suggestions k SET state = 'declined', "
	    "decided_by = ch_person(), reply = nullif($2, '') FROM f "
	    "WHERE k.unit_id = f.unit_id AND k.id = f.id RETURNING k.*) "
	    "SELECT EXISTS (SELECT 1 FROM f) AS found, (SELECT "
	    SUGGESTION_JSON " FROM s " SUGGESTION_JOIN ")::text AS made",
	    &made_cols },
	[REVIEW_COMMENTS] = { "review_comments",
	    "SELECT coalesce((SELECT json_agg(" COMMENT_JSON " ORDER BY "
	    "c.created_at, c.id) FROM post_comments c LEFT JOIN people a "
	    "ON a.id = c.author_id WHERE c.unit_id = p.unit_id "
	    "AND c.post_id = p.id), '[]')::text AS comments "
	    "FROM posts p WHERE p.id = $1::bigint", &comments_cols },
	/*
	 * A span without a revision is on the latest one; a reply answers
	 * a comment on the same post, or nothing is written.
	 */
	[REVIEW_COMMENT] = { "review_comment",
	    "WITH p AS (SELECT unit_id, id, revision FROM posts "
	    "WHERE id = $1::bigint), "
	    "q AS (SELECT p.* FROM p WHERE $6 = '' OR EXISTS (SELECT 1 "
	    "FROM post_comments o WHERE o.unit_id = p.unit_id "
	    "AND o.post_id = p.id AND o.id = nullif($6, '')::bigint)), "
	    "c AS (INSERT INTO post_comments (unit_id, post_id, revision, "
	    "span_start, span_end, reply_to, author_id, body) "
	    "SELECT q.unit_id, q.id, CASE WHEN $3 <> '' THEN "
	    "coalesce(nullif($5, '')::int, q.revision) END, "
	    "nullif($3, '')::int, nullif($4, '')::int, "
	    "nullif($6, '')::bigint, ch_person(), $2 FROM q RETURNING *) "
	    "SELECT EXISTS (SELECT 1 FROM p) AS found, (SELECT "
	    COMMENT_JSON " FROM c LEFT JOIN people a ON a.id = c.author_id)"
	    "::text AS made", &made_cols },
	[REVIEW_RESOLVE] = { "review_resolve",
	    "WITH f AS (SELECT unit_id, id, resolved_at FROM post_comments "
	    "WHERE id = $1::bigint), "
	    "c AS (UPDATE post_comments k SET resolved_at = now(), "
	    "resolved_by = ch_person() FROM f WHERE k.unit_id = f.unit_id "
	    "AND k.id = f.id AND k.resolved_at IS NULL RETURNING k.*) "
	    "SELECT EXISTS (SELECT 1 FROM f) AS found, EXISTS (SELECT 1 "
	    "FROM f WHERE f.resolved_at IS NOT NULL) AS resolved, (SELECT "
	    COMMENT_JSON " FROM c LEFT JOIN people a ON a.id = c.author_id)"
	    "::text AS made", &resolve_cols },
	/* Addresses nobody has are left out: the caller compares. */
	[REVIEW_REQUEST] = { "review_request",
	    "WITH p AS (SELECT unit_id, id, title FROM posts "
	    "WHERE id = $1::bigint), "
	    "e AS (SELECT DISTINCT lower(x) AS email "
	    "FROM json_array_elements_text($2::json) x), "
	    "n AS (INSERT INTO post_review_requests (unit_id, post_id, "
	    "reviewer_id, requested_by) SELECT p.unit_id, p.id, w.id, "
	    "ch_person() FROM p, e JOIN people w ON lower(w.email) = e.email "
	    "RETURNING id, reviewer_id) "
	    "SELECT p.id AS post, p.title AS title, u.slug AS slug, "
	    "u.name AS unit, coalesce((SELECT json_agg(json_build_object("
	    "'id', n.id, 'email', w.email, 'name', w.name) ORDER BY n.id) "
	    "FROM n JOIN people w ON w.id = n.reviewer_id), '[]')::text "
	    "AS asked FROM p LEFT JOIN units u ON u.id = p.unit_id",
	    &request_cols },
	[REVIEW_INBOX] = { "review_inbox",
	    "SELECT (SELECT count(*) FROM inbox_items i WHERE i.person_id = "
	    "ch_person() AND i.read_at IS NULL) AS unread, "
	    "coalesce((SELECT json_agg(x) FROM (SELECT i.id, i.kind, "
	    "i.post_id AS post, i.ref_id AS ref, p.title, u.slug AS unit, "
	    "a.name AS actor, " ISO_UTC("i.created_at") " AS created_at, "
	    "i.read_at IS NOT NULL AS read FROM inbox_items i "
	    "LEFT JOIN posts p ON p.unit_id = i.unit_id AND p.id = i.post_id "
	    "LEFT JOIN units u ON u.id = i.unit_id "
	    "LEFT JOIN people a ON a.id = i.actor_id "
	    "WHERE i.person_id = ch_person() ORDER BY i.read_at IS NOT NULL, "
	    "i.created_at DESC, i.id DESC LIMIT 200) x), '[]')::text "
	    "AS items", &inbox_cols },
	/* The count is read before the update: what it marked is taken off. */
	[REVIEW_INBOX_READ] = { "review_inbox_read",
	    "WITH m AS (UPDATE inbox_items i SET read_at = now() "
	    "WHERE i.person_id = ch_person() AND i.read_at IS NULL "
	    "AND ($1::boolean OR i.id IN (SELECT x::bigint "
	    "FROM json_array_elements_text($2::json) x)) RETURNING i.id) "
	    "SELECT coalesce((SELECT json_agg(m.id ORDER BY m.id) FROM m), "
	    "'[]')::text AS read, (SELECT count(*) FROM inbox_items i "
	    "WHERE i.person_id = ch_person() AND i.read_at IS NULL) - "
	    "(SELECT count(*) FROM m) AS unread", &read_cols },
	[REVIEW_MODE] = { "review_mode",
	    "WITH u AS (SELECT id, ch_review_mode(id) AS mode FROM units "
	    "WHERE slug = $1) "
	    "INSERT INTO unit_review_modes AS k (unit_id, mode, updated_by) "
	    "SELECT u.id, $2, ch_person() FROM u ON CONFLICT (unit_id) "
	    "DO UPDATE SET mode = EXCLUDED.mode, "
	    "updated_by = EXCLUDED.updated_by RETURNING k.mode AS mode, "
	    "(SELECT u.mode FROM u) AS before, k.unit_id AS unit_id",
	    &mode_cols },
};

static const struct db_refusal suggest_refusals[] = {
	{ "42501", 403, "forbidden", NULL, "only the unit's editors and "
	  "owners and the hub's communicators and admins suggest changes, "
	  "while the unit is approved", 0 },
	{ "CH409", 409, "withdrawn", NULL, "this post was withdrawn: it "
	  "takes no suggestions", 0 },
	{ "CH422", 422, "invalid", "end", "the span ends after the text of "
	  "this revision", 0 },
	{ "23503", 422, "invalid", "revision", "this post has no such "
	  "revision", 0 },
	{ "23514", 422, "invalid", "end", "a span starts at or before its "
	  "end", 0 },
	{ NULL, 0, NULL, NULL, NULL, 0 }
};
static const struct db_refusal accept_refusals[] = {
	{ "42501", 403, "forbidden", NULL, "only the post's author and "
	  "co-authors accept suggestions", 0 },
	{ "CH412", 409, "conflict", NULL, "the post changed meanwhile: "
	  "load it again and accept once more", 0 },
	{ "23505", 409, "conflict", NULL, "the post changed meanwhile: "
	  "load it again and accept once more", 0 },
	{ "CH409", 409, "decided", NULL, "this suggestion was decided "
	  "already", 0 },
	{ NULL, 0, NULL, NULL, NULL, 0 }
};
static const struct db_refusal decline_refusals[] = {
	{ "CH409", 409, "decided", NULL, "this suggestion was decided "
	  "already", 0 },
	{ NULL, 0, NULL, NULL, NULL, 0 }
};
static const struct db_refusal comment_refusals[] = {
	{ "42501", 403, "forbidden", NULL, "only the unit's members and the "
	  "hub's communicators and admins comment, while the unit is "
	  "approved", 0 },
	{ "CH422", 422, "invalid", "end", "the span ends after the text of "
	  "this revision", 0 },
	{ "23503", 422, "invalid", "revision", "this post has no such "
	  "revision", 0 },
	{ "23514", 422, "invalid", "end", "a span starts at or before its "
	  "end, on a revision of the post", 0 },
	{ NULL, 0, NULL, NULL, NULL, 0 }
};
static const struct db_refusal request_refusals[] = {
	{ "42501", 403, "forbidden", NULL, "only the post's author and "
	  "co-authors ask for reviews", 0 },
	{ "23505", 409, "asked", "reviewers", "one of them was asked to "
	  "review this post already", 0 },
	{ "CH422", 422, "invalid", "reviewers", "a reviewer is an editor or "
	  "owner of the unit or a hub communicator or admin", 0 },
	{ NULL, 0, NULL, NULL, NULL, 0 }
};
static const struct db_refusal mode_refusals[] = {
	{ "42501", 403, "forbidden", NULL, "only the unit's owners choose "
	  "its review mode", 0 },
	{ NULL, 0, NULL, NULL, NULL, 0 }
};

/* What the statements' own refusals answer (db.h). */
static const struct db_refusal *const refusals[REVIEW__MAX] = {
	[REVIEW_SUGGEST] = suggest_refusals,
	[REVIEW_ACCEPT] = accept_refusals,
	[REVIEW_DECLINE] = decline_refusals,
	[REVIEW_COMMENT] = comment_refusals,
	[REVIEW_REQUEST] = request_refusals,
	[REVIEW_MODE] = mode_refusals,
};

const struct db_stmts review_stmts = { sqls, NELEM(sqls), refusals };

/* A number as a statement's text parameter, in the arena. */
static const char *
num(struct req *r, long long n)
{
	return arena_printf(r->a, "%lld", n);
}

/*
 * Run statement i and read its found and made columns: 1 with *out the
 * thing made, 0 when none was (*found says whether what it works on was
 * found).
 */
static int
made(struct req *r, int i, int n, const char *const *v, json_t **out,
    int *found)
{
	PGresult	*res;
	int		 rc;

	*out = NULL;
	*found = 0;
	if ((rc = db_query(r->db, r->a, &sqls[i], n, v, &res)) != 1)
		return rc;
	*found = db_get_bool(res, 0, &made_cols, "found");
	*out = req_json_own(r, db_get_json(res, 0, &made_cols, "made"));
	return *out != NULL;
}

int
review_db_suggestions(struct req *r, const char *id, long long *current,
    json_t **list, json_t **texts)
{
	PGresult	*res;
	int		 rc;

	*list = *texts = NULL;
	if ((rc = db_query_last(r->db, r->a, &sqls[REVIEW_SUGGESTIONS], 1,
	    &id, &res)) != 1)
		return rc;
	if (PQntuples(res) != 1)
		return 0;
	*current = db_get_int(res, 0, &list_cols, "current");
	*list = req_json_own(r, db_get_json(res, 0, &list_cols, "suggestions"));
	*texts = req_json_own(r, db_get_json(res, 0, &list_cols, "texts"));
	return 1;
}

int
review_db_suggest(struct req *r, const char *id, long long rev,
    long long start, long long end, const char *replacement,
    const char *comment, json_t **out)
{
	const char	*v[6] = { id, num(r, rev), num(r, start), num(r, end),
			    replacement, comment };
	int		 found;

	return made(r, REVIEW_SUGGEST, 6, v, out, &found);
}

int
review_db_suggestion(struct req *r, const char *id, struct review_sugg *s)
{
	const struct db_cols	*k = &sugg_cols;
	PGresult		*res;
	int			 rc;

	memset(s, 0, sizeof(*s));
	if ((rc = db_query(r->db, r->a, &sqls[REVIEW_SUGGESTION], 1, &id,
	    &res)) != 1)
		return rc;
	if (PQntuples(res) != 1)
		return 0;
	s->unit = db_get_int(res, 0, k, "unit_id");
	s->post = db_get_int(res, 0, k, "post_id");
	s->state = db_get(res, 0, k, "state");
	s->revision = db_get_int(res, 0, k, "revision");
	s->start = db_get_int(res, 0, k, "span_start");
	s->end = db_get_int(res, 0, k, "span_end");
	s->replacement = db_get(res, 0, k, "replacement");
	s->base = db_get(res, 0, k, "base");
	s->current = db_get_int(res, 0, k, "current");
	if ((s->latest = db_get(res, 0, k, "latest")) == NULL)
		s->latest = s->base;
	s->reviewer = db_get(res, 0, k, "reviewer");
	return 1;
}

int
review_db_accept(struct req *r, const char *id, const struct review_sugg *s,
    const char *body, json_t **out)
{
	const char	*v[5] = { num(r, s->unit), num(r, s->post),
			    num(r, s->current), body, id };
	PGresult	*res;
	int		 rc;

	*out = NULL;
	if ((rc = db_query(r->db, r->a, &sqls[REVIEW_ACCEPT], 5, v,
	    &res)) != 1)
		return rc;
	if (PQntuples(res) != 1 || !db_get_bool(res, 0, &accept_cols,
	    "decided"))
		return 0;
	*out = req_json_own(r, db_row_json(res, 0, &accept_cols));
	return 1;
}

int
review_db_decline(struct req *r, const char *id, const char *reply,
    json_t **out, int *found)
{
	const char	*v[2] = { id, reply };

	return made(r, REVIEW_DECLINE, 2, v, out, found);
}

int
review_db_comments(struct req *r, const char *id, json_t **list)
{
	PGresult	*res;
	int		 rc;

	*list = NULL;
	if ((rc = db_query_last(r->db, r->a, &sqls[REVIEW_COMMENTS], 1, &id,
	    &res)) != 1)
		return rc;
	if (PQntuples(res) != 1)
		return 0;
	*list = req_json_own(r,
	    db_get_json(res, 0, &comments_cols, "comments"));
	return 1;
}

int
review_db_comment(struct req *r, const char *id,
    const struct review_comment *c, json_t **out, int *found)
{
	const char	*v[6] = { id, c->body, c->start, c->end, c->revision,
			    c->reply_to };

	return made(r, REVIEW_COMMENT, 6, v, out, found);
}

int
review_db_resolve(struct req *r, const char *id, json_t **out, int *found,
    int *resolved)
{
	PGresult	*res;
	int		 rc;

	*out = NULL;
	*found = *resolved = 0;
	if ((rc = db_query(r->db, r->a, &sqls[REVIEW_RESOLVE], 1, &id,
	    &res)) != 1)
		return rc;
	*found = db_get_bool(res, 0, &resolve_cols, "found");
	*resolved = db_get_bool(res, 0, &resolve_cols, "resolved");
	*out = req_json_own(r, db_get_json(res, 0, &resolve_cols, "made"));
	return *out != NULL;
}

int
review_db_request(struct req *r, const char *id, const char *emails,
    json_t **out)
{
	const char	*v[2] = { id, emails };
	PGresult	*res;
	int		 rc;

	*out = NULL;
	if ((rc = db_query(r->db, r->a, &sqls[REVIEW_REQUEST], 2, v,
	    &res)) != 1)
		return rc;
	if (PQntuples(res) != 1)
		return 0;
	*out = req_json_own(r, db_row_json(res, 0, &request_cols));
	return 1;
}

int
review_db_inbox(struct req *r, json_t **out)
{
	PGresult	*res;
	int		 rc;

	*out = NULL;
	if ((rc = db_query_last(r->db, r->a, &sqls[REVIEW_INBOX], 0, NULL,
	    &res)) != 1)
		return rc;
	*out = req_json_own(r, db_row_json(res, 0, &inbox_cols));
	return 1;
}

int
review_db_inbox_read(struct req *r, int all, const char *ids, json_t **out)
{
	const char	*v[2] = { all ? "true" : "false", ids };
	PGresult	*res;
	int		 rc;

	*out = NULL;
	if ((rc = db_query(r->db, r->a, &sqls[REVIEW_INBOX_READ], 2, v,
	    &res)) != 1)
		return rc;
	*out = req_json_own(r, db_row_json(res, 0, &read_cols));
	return 1;
}

int
review_db_mode(struct req *r, const char *slug, const char *mode,
    const char **before, long long *unit)
{
	const char	*v[2] = { slug, mode };
	PGresult	*res;
	int		 rc;

	*before = NULL;
	*unit = 0;
	if ((rc = db_query(r->db, r->a, &sqls[REVIEW_MODE], 2, v,
	    &res)) != 1)
		return rc;
	if (PQntuples(res) != 1)
		return 0;
	*before = db_get(res, 0, &mode_cols, "before");
	*unit = db_get_int(res, 0, &mode_cols, "unit_id");
	return 1;
}
