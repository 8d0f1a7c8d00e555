/* preview_db.c: statements of preview links, for their makers and for
 * the outside reviewers who hold one. */
#include "config.h"

#include <stdio.h>

#include "arena.h"
#include "db.h"
#include "dbrow.h"
#include "preview_db.h"
#include "req.h"
#include "stmts.h"
#include "util.h"

enum {
	PREVIEW_CREATE,
	PREVIEW_LIST,
	PREVIEW_REVOKE,
	PREVIEW_GET,
	PREVIEW_COMMENT,
	PREVIEW__MAX
};

#define TS(x) \
	"to_char(" x " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"

static const struct db_col create_c[] = {
	{ "unit", DB_INT, DB_HIDDEN },
	{ "state", DB_TEXT, 0 },
	{ "made", DB_JSON, 0 },
};
static const struct db_cols create_cols = DB_COLS(create_c);

static const struct db_col list_c[] = {
	{ "title", DB_TEXT, 0 },
	{ "writer", DB_BOOL, 0 },
	{ "links", DB_JSON, 0 },
};
static const struct db_cols list_cols = DB_COLS(list_c);

static const struct db_col revoke_c[] = {
	{ "unit", DB_INT, DB_HIDDEN },
	{ "id", DB_INT, 0 },
	{ "post", DB_INT, 0 },
	{ "revoked_at", DB_TEXT, 0 },
	{ "changed", DB_BOOL, 0 },
};
static const struct db_cols revoke_cols = DB_COLS(revoke_c);

static const struct db_col get_c[] = {
	{ "outcome", DB_TEXT, 0 },
	{ "post", DB_INT, 0 },
	{ "revision", DB_INT, DB_OMIT_NULL },
	{ "title", DB_TEXT, DB_OMIT_NULL },
	{ "body", DB_TEXT, DB_OMIT_NULL },
	{ "comments", DB_JSON, DB_OMIT_NULL },
};
static const struct db_cols get_cols = DB_COLS(get_c);

static const struct db_col comment_c[] = {
	{ "id", DB_INT, 0 },
};
static const struct db_cols comment_cols = DB_COLS(comment_c);

/* Whether the acting person writes post p: its author or a co-author. */
#define WRITER(p) \
	"(" p ".author_id = ch_person() OR EXISTS (SELECT 1 " \
	"FROM post_authors a WHERE a.unit_id = " p ".unit_id " \
	"AND a.post_id = " p ".id AND a.person_id = ch_person()))"

static const struct db_stmt sqls[PREVIEW__MAX] = {
	/* A withdrawn post takes no link: nobody could read through it. */
	[PREVIEW_CREATE] = { "preview_create",
	    "WITH p AS (SELECT unit_id, id, state FROM posts "
	    "WHERE id = $1::bigint), "
	    "n AS (INSERT INTO post_preview_links (unit_id, post_id, "
	    "token_hash, created_by, expires_at) SELECT unit_id, id, "
	    "$2::bytea, ch_person(), (coalesce(nullif($3, '')::date, "
	    "(now() AT TIME ZONE 'UTC')::date + 14) + 1)::timestamp "
	    "AT TIME ZONE 'UTC' FROM p "
	    "WHERE state <> 'withdrawn' "
	    "RETURNING id, post_id, expires_at, created_at) "
	    "SELECT p.unit_id AS unit, p.state AS state, "
	    "(SELECT json_build_object('id', n.id, "
	    "'post', n.post_id, 'expires_at', " TS("n.expires_at") ", "
	    "'created_at', " TS("n.created_at") ") FROM n)::text AS made "
	    "FROM p", &create_cols },
	[PREVIEW_LIST] = { "preview_list",
	    "SELECT p.title AS title, " WRITER("p") " AS writer, "
	    "coalesce((SELECT json_agg("
	    "json_build_object('id', l.id, 'created_at', "
	    TS("l.created_at") ", 'expires_at', " TS("l.expires_at") ", "
	    "'revoked_at', " TS("l.revoked_at") ", 'created_by', w.name, "
	    "'state', CASE WHEN l.revoked_at IS NOT NULL THEN 'revoked' "
	    "WHEN l.expires_at <= now() THEN 'expired' ELSE 'active' END, "
	    "'comments', (SELECT count(*) FROM post_comments c "
	    "WHERE c.unit_id = l.unit_id AND c.preview_link_id = l.id)) "
	    "ORDER BY l.created_at DESC, l.id DESC) "
	    "FROM post_preview_links l JOIN people w ON w.id = l.created_by "
	    "WHERE l.unit_id = p.unit_id AND l.post_id = p.id), '[]')::text "
	    "AS links FROM posts p WHERE p.id = $1::bigint", &list_cols },
	[PREVIEW_REVOKE] = { "preview_revoke",
	    "WITH l AS (SELECT unit_id, id, post_id, revoked_at "
	    "FROM post_preview_links WHERE id = $1::bigint), "
	    "u AS (UPDATE post_preview_links k SET revoked_at = now(), "
	    "revoked_by = ch_person() FROM l WHERE k.unit_id = l.unit_id "
	    "AND k.id = l.id AND k.revoked_at IS NULL "
	    "RETURNING k.revoked_at) "
	    "SELECT l.unit_id AS unit, l.id AS id, l.post_id AS post, "
	    TS("coalesce((SELECT revoked_at FROM u), l.revoked_at)")
	    " AS revoked_at, EXISTS (SELECT 1 FROM u) AS changed FROM l",
	    &revoke_cols },
	[PREVIEW_GET] = { "preview_get",
	    "SELECT v.outcome AS outcome, v.post_id AS post, "
	    "v.revision AS revision, v.title AS title, v.body AS body, "
	    "CASE WHEN v.outcome = 'ok' THEN coalesce((SELECT json_agg("
	    "json_build_object('id', c.id, 'name', c.name, 'body', c.body, "
	    "'created_at', " TS("c.created_at") ") ORDER BY c.created_at, "
	    "c.id) FROM ch_preview_comments($1::bytea) c), '[]') "
	    "END::text AS comments FROM ch_preview_post($1::bytea) v",
	    &get_cols },
	[PREVIEW_COMMENT] = { "preview_comment",
	    "SELECT ch_preview_comment($1::bytea, $2, $3, NULL, NULL, NULL) "
	    "AS id", &comment_cols },
};

static const struct db_refusal create_refusals[] = {
	{ "42501", 403, "forbidden", NULL, "only the post's author and "
	  "co-authors make preview links, while its unit is approved", 0 },
	{ NULL, 0, NULL, NULL, NULL, 0 }
};
static const struct db_refusal revoke_refusals[] = {
	{ "42501", 403, "forbidden", NULL, "only the post's author and "
	  "co-authors revoke its preview links", 0 },
	{ NULL, 0, NULL, NULL, NULL, 0 }
};
static const struct db_refusal comment_refusals[] = {
	{ "CH410", 410, "gone", NULL, "this preview link no longer works: "
	  "it has expired or been revoked, or the post is no longer "
	  "available; ask its author for a new one", 0 },
	{ "CH429", 429, "rate_limited", "body", "at most 30 comments an "
	  "hour go through one preview link; try again later", 3600 },
	{ NULL, 0, NULL, NULL, NULL, 0 }
};

/* What the statements' own refusals answer (db.h). */
static const struct db_refusal *const refusals[PREVIEW__MAX] = {
	[PREVIEW_CREATE] = create_refusals,
	[PREVIEW_REVOKE] = revoke_refusals,
	[PREVIEW_COMMENT] = comment_refusals,
};

const struct db_stmts preview_stmts = { sqls, NELEM(sqls), refusals };

int
preview_db_create(struct req *r, const char *id, const char *hex,
    const char *expires, json_t **out, const char **state, long long *unit)
{
	const char	*v[3] = { id, hex, expires };
	PGresult	*res;
	int		 rc;

	*out = NULL;
	*state = NULL;
	if ((rc = db_query_row(r->db, r->a, &sqls[PREVIEW_CREATE], 3, v,
	    &res)) != 1)
		return rc;
	*state = arena_strdup(r->a, db_get(res, 0, &create_cols, "state"));
	*unit = db_get_int(res, 0, &create_cols, "unit");
	*out = req_json_own(r, db_get_json(res, 0, &create_cols, "made"));
	return *out != NULL;
}

int
preview_db_list(struct req *r, const char *id, json_t **list, int *writer,
    const char **title)
{
	const char	*v[1] = { id };
	PGresult	*res;
	int		 rc;

	*list = NULL;
	*writer = 0;
	if ((rc = db_query_row(r->db, r->a, &sqls[PREVIEW_LIST], 1, v,
	    &res)) != 1)
		return rc;
	*writer = db_get_bool(res, 0, &list_cols, "writer");
	*title = arena_strdup(r->a, db_get(res, 0, &list_cols, "title"));
	*list = req_json_own(r, db_get_json(res, 0, &list_cols, "links"));
	return *list != NULL;
}

int
preview_db_revoke(struct req *r, const char *id, json_t **out,
    long long *unit)
{
	const char	*v[1] = { id };
	PGresult	*res;
	int		 rc;

	*out = NULL;
	if ((rc = db_query_row(r->db, r->a, &sqls[PREVIEW_REVOKE], 1, v,
	    &res)) != 1)
		return rc;
	*out = req_json_own(r, db_row_json(res, 0, &revoke_cols));
	*unit = db_get_int(res, 0, &revoke_cols, "unit");
	return 1;
}

int
preview_db_get(struct req *r, const char *hex, json_t **out)
{
	const char	*v[1] = { hex };
	PGresult	*res;
	int		 rc;

	*out = NULL;
	if ((rc = db_query_last(r->db, r->a, &sqls[PREVIEW_GET], 1, v,
	    &res)) != 1)
		return rc;
	if (PQntuples(res) != 1)
		return 0;
	*out = req_json_own(r, db_row_json(res, 0, &get_cols));
	return 1;
}

int
preview_db_comment(struct req *r, const char *hex, const char *name,
    const char *body)
{
	const char	*v[3] = { hex, name, body };
	PGresult	*res;
	int		 rc;

	if ((rc = db_query_row(r->db, r->a, &sqls[PREVIEW_COMMENT], 3, v,
	    &res)) != 1)
		return rc;
	return db_get(res, 0, &comment_cols, "id") != NULL;
}
