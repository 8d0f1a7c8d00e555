/*
 * links_db.c: the links rule on the web's side: a save queues the link
 * check of its revision (ch_guide_links_queue(), sql/029_link_checks.
 * sql), and the posts API shows what the worker found.
 *
 * Only a body with links costs a statement: the links are read with
 * cmark first, and the database decides whether a links rule applies
 * (enabled, and the hub's not muted by the unit) in the statement that
 * queues the job.
 */
#include "config.h"

#include <limits.h>
#include <stdlib.h>

#include <libpq-fe.h>

#include "app.h"
#include "arena.h"
#include "db.h"
#include "dbrow.h"
#include "guide_links.h"
#include "input.h"
#include "kv.h"
#include "log.h"
#include "req.h"
#include "stmts.h"
#include "util.h"

enum {
	LINKS_QUEUE,
	LINKS_CHECKS,
	LINKS__MAX
};

static const struct db_col queue_c[] = {
	{ "queued", DB_BOOL, 0 },
};
static const struct db_cols queue_cols = DB_COLS(queue_c);

static const struct db_col checks_c[] = {
	{ "post", DB_INT, 0 },
	{ "revision", DB_INT, 0 },
	{ "checks", DB_JSON, 0 },
};
static const struct db_cols checks_cols = DB_COLS(checks_c);

static const struct db_stmt sqls[LINKS__MAX] = {
	[LINKS_QUEUE] = { "links_queue",
	    "SELECT ch_guide_links_queue($1::bigint, $2::bigint, $3::int, "
	    "$4::jsonb) AS queued", &queue_cols },
	/* Post $1 as the acting person reads it, its latest checks. */
	[LINKS_CHECKS] = { "links_checks",
	    "SELECT p.id AS post, p.revision, coalesce((SELECT json_agg("
	    "json_build_object('url', c.url, 'start', c.span_start, "
	    "'end', c.span_end, 'status', c.status, 'http_status', "
	    "c.http_status, 'error', c.error, 'checked_at', "
	    "to_char(c.checked_at AT TIME ZONE 'UTC', "
	    "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')) ORDER BY c.span_start) "
	    "FROM guide_link_checks c WHERE c.unit_id = p.unit_id "
	    "AND c.post_id = p.id AND c.revision = p.revision), "
	    "'[]')::text AS checks FROM posts p WHERE p.id = $1::bigint",
	    &checks_cols },
};

const struct db_stmts links_stmts = { sqls, NELEM(sqls), NULL };

int
guide_links_queue(struct req *r, long long unit, long long id,
    long long rev, const char *body)
{
	json_t		*links;
	const char	*v[4];
	char		*s;
	PGresult	*res;
	size_t		 n;
	int		 rc;

	links = req_json_own(r, guide_links_extract(body, GUIDE_LINKS_MAX));
	if ((n = json_array_size(links)) == 0)
		return 1;
	if ((s = json_dumps(links, JSON_COMPACT)) == NULL)
		return 1;
	v[0] = arena_printf(r->a, "%lld", unit);
	v[1] = arena_printf(r->a, "%lld", id);
	v[2] = arena_printf(r->a, "%lld", rev);
	v[3] = arena_strdup(r->a, s);
	free(s);
	if ((rc = db_query_row(r->db, r->a, &sqls[LINKS_QUEUE], 4, v,
	    &res)) < 0)
		return -1;
	if (rc == 1 && db_get_bool(res, 0, &queue_cols, "queued"))
		logm(L_INFO, r->id, "link check queued post=%lld "
		    "revision=%lld links=%zu", id, rev, n);
	return 1;
}

int
guide_link_checks_get(struct req *r)
{
	const char	*id = kv_get(&r->params, "id");
	long long	 n;
	PGresult	*res;
	json_t		*checks;
	int		 rc;

	if (!input_digits(id, 1, LLONG_MAX, &n))
		return req_fail(r, 404, "not_found", NULL, "there is no such "
		    "post");
	if ((rc = db_query_last(r->db, r->a, &sqls[LINKS_CHECKS], 1, &id,
	    &res)) < 0)
		return req_db_fail(r);
	if (rc == 0 || PQntuples(res) != 1)
		return req_fail(r, 404, "not_found", NULL, "there is no post "
		    "%s", id);
	if ((checks = req_json_own(r, db_get_json(res, 0, &checks_cols,
	    "checks"))) == NULL)
		return req_fail(r, 500, "internal", NULL, "the checks could "
		    "not be read");
	return req_view(r, 200, NULL, req_pack(r, "{s:I, s:I, s:O}",
	    "post", (json_int_t)db_get_int(res, 0, &checks_cols, "post"),
	    "revision", (json_int_t)db_get_int(res, 0, &checks_cols,
	    "revision"), "checks", checks));
}
