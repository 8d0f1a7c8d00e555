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
 * kind and region as its "directory".  1 or -1 as db.h; out is
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

/* How many addresses the sitemap lists: 1 or -1. */
int	public_db_sitemap_count(struct req *, long long *n);

/*
 * Up to limit addresses of the sitemap from offset, appended to out as
 * {"path", "lastmod"}: the front page, the approved units, then their
 * posts.  1 or -1.
 */
int	public_db_sitemap(struct req *, long long offset, long long limit,
	    json_t *out);

/*
 * The public path of post id (/u/unit/slug) while it is published in an
 * approved unit, into *path (arena memory): 1, 0 when it has none, -1.
 */
int	public_db_post_path(struct req *, long long id, const char **path);

/*
 * When the approved unit at slug (NULL: the confederation) last changed
 * publicly (sql/034_public_cache.sql): its version and the time in
 * seconds since the epoch.  1, 0 when there is no such unit, -1.
 */
int	public_db_changed(struct req *, const char *slug, long long *version,
	    long long *changed);

#endif
