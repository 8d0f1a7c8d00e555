/*
 * public_db.c: statements of the public pages.  Each page is one
 * statement: lists come back as JSON built by PostgreSQL in the row of
 * their page, newest first by (published_at, post_id), a page at a time
 * by keyset (never OFFSET but to find where a page of the sitemap
 * begins, in one unit's posts).  Nobody acts, and the
 * pages' statements run as chapterhouse_anon (db_public_row(),
 * sql/033_public_anon.sql), which reads the public copies and the public
 * columns of units and nothing else: the rows of approved units are all
 * that row-level security shows it, and every
 * statement asks for approved units and published posts again, so that
 * the partial indexes of sql/027_public.sql serve it.
 */
#include "config.h"

#include "arena.h"
#include "db.h"
#include "dbrow.h"
#include "public_db.h"
#include "req.h"
#include "stmts.h"
#include "util.h"

enum {
	PUBLIC_FRONT,
	PUBLIC_UNIT,
	PUBLIC_TAG,
	PUBLIC_POST,
	PUBLIC_SITEMAP_START,
	PUBLIC_SITEMAP,
	PUBLIC_POST_PATH,
	PUBLIC_CHANGED_UNIT,
	PUBLIC_CHANGED,
	ADVISORY_LIST,
	ADVISORY_CURRENT,
	ADVISORY_GET,
	ADVISORY_ADD,
	ADVISORY_PUT,
	ADVISORY_DELETE,
	PUBLIC__MAX
};

#define ISO(c) \
	"to_char(" c " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"

/* A post of a list as a JSON object; b is the parameter "with body". */
#define ROW(b) \
	"json_build_object('id', p.post_id, 'unit', u.slug, 'unit_name', " \
	"u.name, 'slug', p.slug, 'title', p.title, 'author', " \
	"nullif(p.author_name, ''), 'published_at', " \
	ISO("p.published_at") ", 'updated_at', " ISO("p.updated_at") ", " \
	"'description', nullif(p.description, ''), 'tags', " TAGS ", " \
	"'cursor', (extract(epoch FROM p.published_at) * 1000000)::bigint " \
	"|| '-' || p.post_id, 'body', CASE WHEN " b "::boolean " \
	"THEN p.body END)"

/* A post's tags as its tag pages name them: in lower case, once each. */
#define TAGS \
	"to_json(ARRAY(SELECT DISTINCT lower(t) FROM unnest(p.tags) t " \
	"WHERE trim(t) <> '' ORDER BY 1))"

/* Strictly before the cursor $u (microseconds since the epoch), $i. */
#define BEFORE(u, i) \
	"(p.published_at, p.post_id) < ('epoch'::timestamptz + (" u \
	"::bigint / 1000000) * interval '1 second' + (" u "::bigint % " \
	"1000000) * interval '1 microsecond', " i "::bigint) "

#define NEWEST \
	"ORDER BY p.published_at DESC, p.post_id DESC LIMIT 21"

/*
 * The same by a tag's rows g, which carry their post's published_at:
 * the order of the tag's index, so a page reads 21 rows of it and not
 * every post that ever had the tag.
 */
#define TAG_BEFORE(u, i) \
	"(g.published_at, g.post_id) < ('epoch'::timestamptz + (" u \
	"::bigint / 1000000) * interval '1 second' + (" u "::bigint % " \
	"1000000) * interval '1 microsecond', " i "::bigint) "

#define TAG_NEWEST \
	"ORDER BY g.published_at DESC, g.post_id DESC LIMIT 21"

/*
 * The posts whose tags a unit's page counts (each tag once a post, in
 * lower case, as public_post_tags has them): its latest 200, so that the
 * page costs the same however long the unit's history.
 */
#define NEWEST_TAGGED \
	"ORDER BY p.published_at DESC, p.post_id DESC LIMIT 200"

/* A list of rows x as JSON text, [] for none. */
#define LIST(x) "coalesce((SELECT json_agg(x.o) FROM (" x ") x), '[]')::text"

static const struct db_col front_c[] = {
	{ "posts", DB_JSON, 0 },
	{ "directory", DB_JSON, 0 },
	{ "advisories", DB_JSON, 0 },
};
static const struct db_cols front_cols = DB_COLS(front_c);

static const struct db_col unit_c[] = {
	{ "slug", DB_TEXT, 0 },
	{ "name", DB_TEXT, 0 },
	{ "kind", DB_TEXT, 0 },
	{ "region", DB_TEXT, 0 },
	{ "purpose", DB_TEXT, 0 },
	{ "created_at", DB_TEXT, 0 },
	{ "tags", DB_JSON, 0 },
	{ "posts", DB_JSON, 0 },
};
static const struct db_cols unit_cols = DB_COLS(unit_c);

static const struct db_col tag_c[] = {
	{ "posts", DB_JSON, 0 },
};
static const struct db_cols tag_cols = DB_COLS(tag_c);

static const struct db_col post_c[] = {
	{ "id", DB_INT, 0 },
	{ "unit", DB_TEXT, 0 },
	{ "unit_name", DB_TEXT, 0 },
	{ "slug", DB_TEXT, 0 },
	{ "state", DB_TEXT, 0 },
	{ "title", DB_TEXT, 0 },
	{ "body", DB_TEXT, 0 },
	{ "description", DB_TEXT, 0 },
	{ "author", DB_TEXT, 0 },
	{ "published_at", DB_TEXT, 0 },
	{ "updated_at", DB_TEXT, 0 },
	{ "tags", DB_JSON, 0 },
};
static const struct db_cols post_cols = DB_COLS(post_c);

static const struct db_col start_c[] = {
	{ "n", DB_INT, 0 },
	{ "k", DB_INT, 0 },
	{ "a", DB_INT, 0 },
	{ "b", DB_INT, 0 },
};
static const struct db_cols start_cols = DB_COLS(start_c);

static const struct db_col sitemap_c[] = {
	{ "path", DB_TEXT, 0 },
	{ "lastmod", DB_TEXT, DB_OMIT_NULL },
};
static const struct db_cols sitemap_cols = DB_COLS(sitemap_c);

static const struct db_col path_c[] = {
	{ "path", DB_TEXT, 0 },
};
static const struct db_cols path_cols = DB_COLS(path_c);

static const struct db_col changed_c[] = {
	{ "version", DB_INT, 0 },
	{ "changed", DB_INT, 0 },
};
static const struct db_cols changed_cols = DB_COLS(changed_c);

static const struct db_col changed_day_c[] = {
	{ "version", DB_INT, 0 },
	{ "changed", DB_INT, 0 },
	{ "day_left", DB_INT, 0 },
};
static const struct db_cols changed_day_cols = DB_COLS(changed_day_c);

static const struct db_col advisories_c[] = {
	{ "advisories", DB_JSON, 0 },
};
static const struct db_cols advisories_cols = DB_COLS(advisories_c);

static const struct db_col advisory_c[] = {
	{ "advisory", DB_JSON, 0 },
};
static const struct db_cols advisory_cols = DB_COLS(advisory_c);

static const struct db_col change_c[] = {
	{ "found", DB_BOOL, 0 },
	{ "before", DB_JSON, DB_OMIT_NULL },
	{ "made", DB_JSON, DB_OMIT_NULL },
};
static const struct db_cols change_cols = DB_COLS(change_c);

/* Advisory a as the API shows it; "current" by today's day in UTC. */
#define ADVISORY(a) \
	"json_build_object('id', " a ".id, 'title', " a ".title, 'body', " \
	a ".body, 'public', " a ".public, 'from', " a ".starts_on, " \
	"'until', " a ".ends_on, 'current', ch_advisory_current(" \
	a ".starts_on, " a ".ends_on), 'created_at', " \
	ISO(a ".created_at") ", 'updated_at', " ISO(a ".updated_at") ")"

/* The newest first: the latest first day, then the latest written. */
#define ADVISORY_ORDER(a) a ".starts_on DESC, " a ".id DESC"

/* The current public advisories the front page shows, at most 10. */
#define FRONT_ADVISORIES \
	"coalesce((SELECT json_agg(x.o ORDER BY x.s DESC, x.id DESC) FROM " \
	"(SELECT json_build_object('id', a.id, 'title', a.title, 'body', " \
	"a.body, 'from', a.starts_on, 'until', a.ends_on) AS o, " \
	"a.starts_on AS s, a.id FROM hub_advisories a WHERE a.unit_id = 0 " \
	"AND a.public AND ch_advisory_current(a.starts_on, a.ends_on) " \
	"ORDER BY " ADVISORY_ORDER("a") " LIMIT 10) x), '[]')::text"

/*
 * The groups (kind, region) of approved units, in the order of their
 * index (sql/042_public_directory.sql, no region last): from each group
 * the next is one probe of the index, a later region of the kind, no
 * region, or the next kind; never a read of every unit.  Plain
 * comparisons of columns only, which row-level security lets the index
 * answer (a qual with coalesce() would wait for the policy's filter).
 */
#define GROUPS \
	"WITH RECURSIVE g (kind, region) AS ((SELECT kind, region " \
	"FROM units WHERE state = 'approved' ORDER BY kind, region LIMIT 1) " \
	"UNION ALL (SELECT n.kind, n.region FROM g, LATERAL ((" \
	"SELECT kind, region FROM units WHERE state = 'approved' " \
	"AND kind = g.kind AND region > g.region ORDER BY region LIMIT 1) " \
	"UNION ALL (SELECT kind, region FROM units " \
	"WHERE state = 'approved' AND kind = g.kind AND region IS NULL " \
	"AND g.region IS NOT NULL LIMIT 1) UNION ALL (SELECT kind, region " \
	"FROM units WHERE state = 'approved' AND kind > g.kind " \
	"ORDER BY kind, region LIMIT 1) LIMIT 1) n)) "

/* Group g's units by name, 13 at most, from the same index. */
#define GROUP_13 \
	"(SELECT slug, name FROM units WHERE state = 'approved' " \
	"AND kind = g.kind AND region = g.region ORDER BY lower(name), slug " \
	"LIMIT 13) UNION ALL (SELECT slug, name FROM units " \
	"WHERE state = 'approved' AND kind = g.kind AND region IS NULL " \
	"AND g.region IS NULL ORDER BY lower(name), slug LIMIT 13)"

/*
 * The first 12 units of group g by name, and whether there are more (a
 * 13th is read, never counted).
 */
#define GROUP_UNITS \
	"LATERAL (SELECT json_agg(json_build_object('slug', x.slug, " \
	"'name', x.name) ORDER BY x.i) FILTER (WHERE x.i <= 12) AS units, " \
	"count(*) > 12 AS more FROM (SELECT y.slug, y.name, row_number() " \
	"OVER (ORDER BY lower(y.name), y.slug) AS i FROM (" GROUP_13 \
	") y) x) s "

/* The front page's directory: by kind, then region (none last). */
#define DIRECTORY \
	"coalesce((" GROUPS "SELECT json_agg(json_build_object('kind', " \
	"k.kind, 'regions', k.regions) ORDER BY k.kind) FROM (SELECT " \
	"replace(g.kind, '_', ' ') AS kind, json_agg(json_build_object(" \
	"'region', nullif(g.region, ''), 'units', s.units, 'more', s.more) " \
	"ORDER BY g.region IS NULL, g.region) AS regions FROM g, " \
	GROUP_UNITS "GROUP BY 1) k), '[]')"

/* The published posts of approved units, their units joined. */
#define LISTED \
	"FROM public_posts p JOIN units u ON u.id = p.unit_id " \
	"AND u.state = 'approved' WHERE p.state = 'published' AND p.listed "

static const struct db_stmt sqls[PUBLIC__MAX] = {
	[PUBLIC_FRONT] = { "public_front",
	    "SELECT " LIST("SELECT " ROW("$3") " AS o " LISTED "AND "
	    BEFORE("$1", "$2") NEWEST) " AS posts, CASE WHEN $4::boolean "
	    "THEN " DIRECTORY " END::text AS directory, "
	    "CASE WHEN $4::boolean THEN " FRONT_ADVISORIES " END "
	    "AS advisories", &front_cols },
	/*
	 * A unit's posts, or those with tag $2 (one branch runs), and the
	 * 40 tags most used by its latest posts.
	 */
	[PUBLIC_UNIT] = { "public_unit",
	    "SELECT u.slug, u.name, replace(u.kind, '_', ' ') AS kind, "
	    "nullif(u.region, '') AS region, u.purpose, "
	    ISO("u.created_at") " AS created_at, "
	    "coalesce((SELECT json_agg(t.tag ORDER BY t.n DESC, t.tag) "
	    "FROM (SELECT x.tag, count(*) AS n FROM (SELECT p.tags "
	    "FROM public_posts p WHERE p.unit_id = u.id "
	    "AND p.state = 'published' AND p.listed " NEWEST_TAGGED ") l, "
	    "LATERAL (SELECT DISTINCT lower(t) AS tag FROM unnest(l.tags) t "
	    "WHERE trim(t) <> '') x GROUP BY x.tag "
	    "ORDER BY 2 DESC, 1 LIMIT 40) t), '[]')::text AS tags, "
	    "CASE WHEN $2 = '' THEN " LIST("SELECT " ROW("$5") " AS o "
	    "FROM public_posts p WHERE p.unit_id = u.id "
	    "AND p.state = 'published' AND p.listed AND " BEFORE("$3", "$4")
	    NEWEST) " ELSE " LIST("SELECT " ROW("$5") " AS o "
	    "FROM public_post_tags g JOIN public_posts p ON p.unit_id = "
	    "g.unit_id AND p.post_id = g.post_id WHERE g.unit_id = u.id "
	    "AND g.tag = lower($2) AND g.listed AND p.state = 'published' "
	    "AND p.listed AND " TAG_BEFORE("$3", "$4") TAG_NEWEST)
	    " END AS posts "
	    "FROM units u WHERE u.slug = $1 AND u.state = 'approved'",
	    &unit_cols },
	[PUBLIC_TAG] = { "public_tag",
	    "SELECT " LIST("SELECT " ROW("$4") " AS o FROM public_post_tags g "
	    "JOIN public_posts p ON p.unit_id = g.unit_id "
	    "AND p.post_id = g.post_id JOIN units u ON u.id = p.unit_id "
	    "AND u.state = 'approved' WHERE g.tag = lower($1) AND g.listed "
	    "AND p.state = 'published' AND p.listed AND "
	    TAG_BEFORE("$2", "$3") TAG_NEWEST) " AS posts", &tag_cols },
	[PUBLIC_POST] = { "public_post",
	    "SELECT p.post_id AS id, u.slug AS unit, u.name AS unit_name, "
	    "p.slug, p.state, p.title, p.body, "
	    "nullif(p.description, '') AS description, "
	    "nullif(p.author_name, '') AS author, " ISO("p.published_at")
	    " AS published_at, " ISO("p.updated_at") " AS updated_at, "
	    TAGS "::text AS tags FROM public_posts p JOIN units u "
	    "ON u.id = p.unit_id AND u.state = 'approved' "
	    "WHERE u.slug = $1 AND p.slug = $2 AND p.listed", &post_cols },
	/*
	 * How many addresses, and the key after which page $1 of $2 begins,
	 * from the counts sql/046_sitemap_counts.sql keeps.
	 */
	[PUBLIC_SITEMAP_START] = { "public_sitemap_start",
	    "SELECT s.n, s.k, s.a, s.b FROM ch_sitemap_page($1::bigint, "
	    "$2::bigint) s", &start_cols },
	/*
	 * Up to $5 addresses: the front page when $1, the approved units
	 * after id $2, then the listed posts after ($3, $4); each part read
	 * from its key's index at its first key, in the sitemap's order.
	 */
	[PUBLIC_SITEMAP] = { "public_sitemap",
	    "SELECT x.path, x.lastmod FROM ("
	    "SELECT 0 AS k, 0::bigint AS a, 0::bigint AS b, '/' AS path, "
	    "NULL::text AS lastmod WHERE $1::boolean UNION ALL "
	    "(SELECT 1, u.id, 0, '/u/' || u.slug, " ISO("u.updated_at")
	    " FROM units u WHERE u.state = 'approved' AND u.id > $2::bigint "
	    "ORDER BY u.id LIMIT $5::bigint) UNION ALL "
	    "(SELECT 2, p.unit_id, p.post_id, '/u/' || u.slug || '/' || "
	    "p.slug, " ISO("p.updated_at") " " LISTED "AND (p.unit_id, "
	    "p.post_id) > ($3::bigint, $4::bigint) ORDER BY p.unit_id, "
	    "p.post_id LIMIT $5::bigint)) x "
	    "ORDER BY x.k, x.a, x.b LIMIT $5::bigint", &sitemap_cols },
	[PUBLIC_POST_PATH] = { "public_post_path",
	    "SELECT '/u/' || u.slug || '/' || p.slug AS path " LISTED
	    "AND p.post_id = $1::bigint", &path_cols },
	/* The validators of a unit's pages and of the others. */
	[PUBLIC_CHANGED_UNIT] = { "public_changed_unit",
	    "SELECT c.version, floor(extract(epoch FROM c.changed_at))::bigint "
	    "AS changed FROM units u JOIN public_changes c "
	    "ON c.unit_id = u.id AND c.listed "
	    "WHERE u.slug = $1 AND u.state = 'approved'", &changed_cols },
	/* With the seconds to the next UTC midnight by the database's
	 * clock, when an advisory may begin or end (ch_advisories_edge()). */
	[PUBLIC_CHANGED] = { "public_changed",
	    "SELECT c.version, floor(extract(epoch FROM greatest("
	    "c.changed_at, ch_advisories_edge())))::bigint AS changed, "
	    "floor(extract(epoch FROM date_trunc('day', t.now) "
	    "+ interval '1 day' - t.now))::bigint AS day_left "
	    "FROM public_changes c, (SELECT ch_clock() AT TIME ZONE 'UTC' "
	    "AS now) t WHERE c.unit_id = 0 AND c.listed",
	    &changed_day_cols },
	/* What the caller reads of the advisories (sql/037_advisories.sql). */
	[ADVISORY_LIST] = { "advisory_list",
	    "SELECT coalesce((SELECT json_agg(" ADVISORY("a") " ORDER BY "
	    ADVISORY_ORDER("a") ") FROM hub_advisories a "
	    "WHERE a.unit_id = 0), '[]')::text AS advisories",
	    &advisories_cols },
	[ADVISORY_CURRENT] = { "advisory_current",
	    "SELECT coalesce((SELECT json_agg(x.o) FROM (SELECT "
	    ADVISORY("a") " AS o FROM hub_advisories a WHERE a.unit_id = 0 "
	    "AND ch_advisory_current(a.starts_on, a.ends_on) ORDER BY "
	    ADVISORY_ORDER("a") " LIMIT 10) x), '[]')::text AS advisories",
	    &advisories_cols },
	[ADVISORY_GET] = { "advisory_get",
	    "SELECT " ADVISORY("a") "::text AS advisory FROM hub_advisories a "
	    "WHERE a.unit_id = 0 AND a.id = $1::bigint", &advisory_cols },
	[ADVISORY_ADD] = { "advisory_add",
	    "INSERT INTO hub_advisories AS a (unit_id, title, body, public, "
	    "starts_on, ends_on, created_by, updated_by) VALUES (0, $1, $2, "
	    "$3::boolean, $4::date, nullif($5, '')::date, ch_person(), "
	    "ch_person()) RETURNING " ADVISORY("a") "::text AS advisory",
	    &advisory_cols },
	[ADVISORY_PUT] = { "advisory_put",
	    "WITH f AS (SELECT a.id, " ADVISORY("a") " AS before "
	    "FROM hub_advisories a WHERE a.unit_id = 0 AND a.id = $1::bigint), "
	    "u AS (UPDATE hub_advisories a SET title = $2, body = $3, "
	    "public = $4::boolean, starts_on = $5::date, "
	    "ends_on = nullif($6, '')::date, updated_by = ch_person() FROM f "
	    "WHERE a.unit_id = 0 AND a.id = f.id RETURNING a.*) "
	    "SELECT EXISTS (SELECT 1 FROM f) AS found, (SELECT before "
	    "FROM f)::text AS before, (SELECT " ADVISORY("u") " FROM u)::text "
	    "AS made", &change_cols },
	[ADVISORY_DELETE] = { "advisory_delete",
	    "WITH f AS (SELECT a.id, " ADVISORY("a") " AS before "
	    "FROM hub_advisories a WHERE a.unit_id = 0 AND a.id = $1::bigint), "
	    "d AS (DELETE FROM hub_advisories a USING f WHERE a.unit_id = 0 "
	    "AND a.id = f.id RETURNING a.id) "
	    "SELECT EXISTS (SELECT 1 FROM f) AS found, (SELECT before "
	    "FROM f)::text AS before, (SELECT to_json(d.id) FROM d)::text "
	    "AS made", &change_cols },
};

static const struct db_refusal advisory_refusals[] = {
	{ "42501", 403, "forbidden", NULL, "only the hub's admins and "
	  "communicators write advisories", 0 },
	{ NULL, 0, NULL, NULL, NULL, 0 }
};

/* What the statements' own refusals answer (db.h). */
static const struct db_refusal *const refusals[PUBLIC__MAX] = {
	[ADVISORY_ADD] = advisory_refusals,
	[ADVISORY_PUT] = advisory_refusals,
	[ADVISORY_DELETE] = advisory_refusals,
};

const struct db_stmts public_stmts = { sqls, NELEM(sqls), refusals };

/* The cursor of pg, the first page's when it has none. */
static void
cursor(const struct public_page *pg, const char **usec, const char **id)
{
	/* PUBLIC_USEC_MAX: after every post. */
	*usec = pg->usec != NULL && *pg->usec != '\0' ? pg->usec :
	    "253402300799999999";
	*id = pg->id != NULL && *pg->id != '\0' ? pg->id : "0";
}

/* Row 0 of res as an arena-owned object. */
static json_t *
row(struct req *r, PGresult *res, const struct db_cols *cols)
{
	return req_json_own(r, db_row_json(res, 0, cols));
}

int
public_db_front(struct req *r, const struct public_page *pg, int directory,
    json_t **out)
{
	const char	*v[4];
	PGresult	*res;
	int		 rc;

	cursor(pg, &v[0], &v[1]);
	v[2] = pg->body ? "t" : "f";
	v[3] = directory ? "t" : "f";
	if ((rc = db_public_row(r->db, r->a, &sqls[PUBLIC_FRONT], 4, v,
	    &res)) < 0)
		return -1;
	*out = rc == 1 ? row(r, res, &front_cols) : req_object(r);
	return 1;
}

int
public_db_unit(struct req *r, const char *slug, const char *tag,
    const struct public_page *pg, json_t **out)
{
	const char	*v[5];
	PGresult	*res;
	int		 rc;

	v[0] = slug;
	v[1] = tag != NULL ? tag : "";
	cursor(pg, &v[2], &v[3]);
	v[4] = pg->body ? "t" : "f";
	if ((rc = db_public_row(r->db, r->a, &sqls[PUBLIC_UNIT], 5, v,
	    &res)) != 1)
		return rc;
	*out = row(r, res, &unit_cols);
	return 1;
}

int
public_db_tag(struct req *r, const char *tag, const struct public_page *pg,
    json_t **out)
{
	const char	*v[4];
	PGresult	*res;
	int		 rc;

	v[0] = tag;
	cursor(pg, &v[1], &v[2]);
	v[3] = pg->body ? "t" : "f";
	if ((rc = db_public_row(r->db, r->a, &sqls[PUBLIC_TAG], 4, v,
	    &res)) < 0)
		return -1;
	*out = rc == 1 ? row(r, res, &tag_cols) : req_object(r);
	return 1;
}

int
public_db_post(struct req *r, const char *unit, const char *slug,
    json_t **out)
{
	const char	*v[2] = { unit, slug };
	PGresult	*res;
	int		 rc;

	if ((rc = db_public_row(r->db, r->a, &sqls[PUBLIC_POST], 2, v,
	    &res)) != 1)
		return rc;
	*out = row(r, res, &post_cols);
	return 1;
}

int
public_db_sitemap_start(struct req *r, long long page, long long per,
    long long *n, long long after[3])
{
	const char	*v[2];
	PGresult	*res;
	int		 rc;

	v[0] = arena_printf(r->a, "%lld", page);
	v[1] = arena_printf(r->a, "%lld", per);
	*n = 0;
	after[0] = -1;
	after[1] = after[2] = 0;
	if ((rc = db_public_row(r->db, r->a, &sqls[PUBLIC_SITEMAP_START], 2,
	    v, &res)) < 0)
		return -1;
	if (rc == 1) {
		*n = db_get_int(res, 0, &start_cols, "n");
		after[0] = db_get_int(res, 0, &start_cols, "k");
		after[1] = db_get_int(res, 0, &start_cols, "a");
		after[2] = db_get_int(res, 0, &start_cols, "b");
	}
	return 1;
}

int
public_db_sitemap(struct req *r, const long long after[3], long long limit,
    json_t *out)
{
	const char	*v[5];
	PGresult	*res;

	/* The parts the page begins after are read from past their end. */
	v[0] = after[0] < 0 ? "t" : "f";
	v[1] = after[0] < 1 ? "0" : after[0] == 1 ? arena_printf(r->a,
	    "%lld", after[1]) : "9223372036854775807";
	v[2] = after[0] < 2 ? "0" : arena_printf(r->a, "%lld", after[1]);
	v[3] = after[0] < 2 ? "0" : arena_printf(r->a, "%lld", after[2]);
	v[4] = arena_printf(r->a, "%lld", limit);
	if (db_public_row(r->db, r->a, &sqls[PUBLIC_SITEMAP], 5, v,
	    &res) < 0)
		return -1;
	db_rows_json(res, &sitemap_cols, out);
	return 1;
}

int
public_db_post_path(struct req *r, long long id, const char **path)
{
	const char	*v = arena_printf(r->a, "%lld", id);
	PGresult	*res;
	int		 rc;

	*path = NULL;
	if ((rc = db_query_row(r->db, r->a, &sqls[PUBLIC_POST_PATH], 1, &v,
	    &res)) != 1)
		return rc;
	*path = arena_strdup(r->a, db_get(res, 0, &path_cols, "path"));
	return 1;
}

int
public_db_changed(struct req *r, const char *slug, long long *version,
    long long *changed, long long *day_left)
{
	PGresult	*res;
	int		 rc;

	rc = slug != NULL ? db_public_row(r->db, r->a,
	    &sqls[PUBLIC_CHANGED_UNIT], 1, &slug, &res) : db_public_row(r->db,
	    r->a, &sqls[PUBLIC_CHANGED], 0, NULL, &res);
	if (rc != 1)
		return rc;
	*version = db_get_int(res, 0, &changed_cols, "version");
	*changed = db_get_int(res, 0, &changed_cols, "changed");
	*day_left = slug != NULL ? 0 : db_get_int(res, 0, &changed_day_cols,
	    "day_left");
	return 1;
}

/* Run the list statement i into *out. */
static int
advisory_rows(struct req *r, int i, json_t **out)
{
	PGresult	*res;
	int		 rc;

	*out = NULL;
	if ((rc = db_query_row(r->db, r->a, &sqls[i], 0, NULL, &res)) < 0)
		return -1;
	if (rc == 1)
		*out = req_json_own(r, db_get_json(res, 0, &advisories_cols,
		    "advisories"));
	if (*out == NULL)
		*out = req_array(r);
	return 1;
}

int
public_db_advisories(struct req *r, int current, json_t **out)
{
	return advisory_rows(r, current ? ADVISORY_CURRENT : ADVISORY_LIST,
	    out);
}

int
public_db_advisory(struct req *r, const char *id, json_t **out)
{
	PGresult	*res;
	int		 rc;

	*out = NULL;
	if ((rc = db_query_row(r->db, r->a, &sqls[ADVISORY_GET], 1, &id,
	    &res)) != 1)
		return rc;
	*out = req_json_own(r, db_get_json(res, 0, &advisory_cols,
	    "advisory"));
	return 1;
}

int
public_db_advisory_add(struct req *r, const struct advisory_text *t,
    json_t **out)
{
	const char	*v[5] = { t->title, t->body, t->public ? "true" :
			    "false", t->from, t->until };
	PGresult	*res;
	int		 rc;

	*out = NULL;
	if ((rc = db_query_row(r->db, r->a, &sqls[ADVISORY_ADD], 5, v,
	    &res)) != 1)
		return rc;
	*out = req_json_own(r, db_get_json(res, 0, &advisory_cols,
	    "advisory"));
	return 1;
}

/* Run change statement i: 1 with *before and *out, 0 when nothing was
 * changed (*found: whether the caller reads the advisory). */
static int
advisory_change(struct req *r, int i, int n, const char *const *v,
    json_t **before, json_t **out, int *found)
{
	PGresult	*res;
	int		 rc;

	*before = *out = NULL;
	*found = 0;
	if ((rc = db_query(r->db, r->a, &sqls[i], n, v, &res)) != 1)
		return rc;
	*found = db_get_bool(res, 0, &change_cols, "found");
	*before = req_json_own(r, db_get_json(res, 0, &change_cols,
	    "before"));
	*out = req_json_own(r, db_get_json(res, 0, &change_cols, "made"));
	return *out != NULL;
}

int
public_db_advisory_put(struct req *r, const char *id,
    const struct advisory_text *t, json_t **before, json_t **out,
    int *found)
{
	const char	*v[6] = { id, t->title, t->body, t->public ? "true" :
			    "false", t->from, t->until };

	return advisory_change(r, ADVISORY_PUT, 6, v, before, out, found);
}

int
public_db_advisory_delete(struct req *r, const char *id, json_t **before,
    int *found)
{
	json_t	*done;

	return advisory_change(r, ADVISORY_DELETE, 1, &id, before, &done,
	    found);
}
