/*
 * public_db.h: what the public pages read (sql/027_public.sql): the
 * published version of the posts of approved units, their units and
 * tags.  One statement per page; nobody acts (no session is looked up),
 * and row-level security shows the rows of approved units alone.
 */
#ifndef PUBLIC_DB_H
#define PUBLIC_DB_H

#include <jansson.h>

struct req;

/* Posts on a page; a statement reads one more to know of the next. */
#define PUBLIC_PER_PAGE		20

/* The latest cursor time: 9999-12-31T23:59:59.999999Z, in microseconds
 * since the epoch (the first page's cursor is after every post). */
#define PUBLIC_USEC_MAX		253402300799999999LL

/*
 * A page of a list, newest first: the posts published strictly before
 * the cursor (microseconds since the epoch and post id: "" for the
 * first page), with their bodies when body is set (for feeds).
 */
struct public_page {
	const char	*usec;
	const char	*id;
	int		 body;
};

/*
 * The latest posts across approved units as out's "posts" (up to
 * PUBLIC_PER_PAGE + 1), and with directory set the approved units by
 * kind and region as its "directory" and the current public advisories
 * of the hub (at most 10, newest first: {"id", "title", "body", "from",
 * "until"}) as its "advisories".  1 or -1 as db.h; out is
 * arena-owned.
 */
int	public_db_front(struct req *, const struct public_page *,
	    int directory, json_t **out);

/*
 * The approved unit at slug (name, kind, region, purpose) with its
 * tags and a page of its posts, those tagged tag when it is not "".
 * 1, 0 when there is no such approved unit, -1.
 */
int	public_db_unit(struct req *, const char *slug, const char *tag,
	    const struct public_page *, json_t **out);

/* A page of the posts tagged tag across approved units: 1 or -1. */
int	public_db_tag(struct req *, const char *tag, const struct public_page *,
	    json_t **out);

/*
 * The post at slug of the approved unit at unit: its published version,
 * or only its state when it is withdrawn.  1, 0 when there is none, -1.
 */
int	public_db_post(struct req *, const char *unit, const char *slug,
	    json_t **out);

/*
 * How many addresses the sitemap lists, into *n, and the key after
 * which its page (from 1) of per addresses begins, into after ([-1, 0,
 * 0] for the first page, or one past the last: see
 * public_db_sitemap()), from the counts the database keeps: the same
 * cost at any size.  1 or -1.
 */
int	public_db_sitemap_start(struct req *, long long page, long long per,
	    long long *n, long long after[3]);

/*
 * Up to limit addresses of the sitemap after the key after (a page's
 * first has [-1, 0, 0]), appended to out as {"path", "lastmod"}: the
 * front page (key [0, 0, 0]), the approved units ([1, id, 0]), then
 * their posts ([2, unit, id]), by key, by keyset (never OFFSET).
 * 1 or -1.
 */
int	public_db_sitemap(struct req *, const long long after[3],
	    long long limit, json_t *out);

/*
 * The public path of post id (/u/unit/slug) while it is published in an
 * approved unit, into *path (arena memory): 1, 0 when it has none, -1.
 */
int	public_db_post_path(struct req *, long long id, const char **path);

/*
 * When the approved unit at slug (NULL: the confederation) last changed
 * publicly (sql/034_public_cache.sql): its version and the time in
 * seconds since the epoch; for the confederation, *day_left is the
 * seconds to the next UTC midnight by the database's clock (ch_clock()),
 * when the advisories of the front page may change without a write (0
 * for a unit).  1, 0 when there is no such unit, -1.
 */
int	public_db_changed(struct req *, const char *slug, long long *version,
	    long long *changed, long long *day_left);

/*
 * The hub's advisories (sql/037_advisories.sql).  An advisory as the
 * API shows it: {"id", "title", "body" (CommonMark), "public", "from",
 * "until" (YYYY-MM-DD or null), "current", "created_at", "updated_at"}.
 * What a writer sends: until is "" for none.
 */
struct advisory_text {
	const char	*title;
	const char	*body;
	int		 public;
	const char	*from;
	const char	*until;
};

/*
 * The advisories the caller reads (row-level security: every one for
 * the hub's writers, the current ones for members of approved units,
 * the current public ones for anyone else), newest first; with current
 * set only the current ones, at most 10.
 * 1 with *out an arena-owned array, or -1.
 */
int	public_db_advisories(struct req *, int current, json_t **out);

/* Advisory id, when the caller reads it: 1, 0 when not, -1. */
int	public_db_advisory(struct req *, const char *id, json_t **out);

/* A new advisory in the caller's name: 1 with *out, or -1 (a refusal:
 * 403 when the caller is not a hub admin or communicator). */
int	public_db_advisory_add(struct req *, const struct advisory_text *,
	    json_t **out);

/*
 * Change or delete advisory id: 1 with *before (and *out, the advisory
 * now); 0 when nothing changed, *found telling whether the caller reads
 * it (then it may not write it); -1.
 */
int	public_db_advisory_put(struct req *, const char *id,
	    const struct advisory_text *, json_t **before, json_t **out,
	    int *found);
int	public_db_advisory_delete(struct req *, const char *id,
	    json_t **before, int *found);

#endif
