/*
 * public.h: the public face (app/public/): the pages and feeds anyone
 * reads without an account, of the published posts of approved units.
 *
 * Their routes are ROUTE_PUBLIC: no session is looked up, whatever
 * cookie comes, so every visitor gets the same bytes.  An address that
 * never existed and one that is not public (a draft, a scheduled post,
 * a unit that is not approved) are the same 404; a withdrawn post is
 * 410.  Lists are newest first, PUBLIC_PER_PAGE a page, paged by the
 * cursor ?before= of the link to the next page.
 */
#ifndef PUBLIC_H
#define PUBLIC_H

#include <jansson.h>

#include "input.h"

struct buf;
struct req;
struct public_page;

/* Declared input: a list's cursor, the sitemap's page. */
extern const struct input_form	 public_list_input, public_sitemap_input;

/* GET /u/{slug}: the unit, its tags and latest posts; 404. */
int	public_unit(struct req *);

/* GET /u/{slug}/t/{tag}: the unit's posts with a tag; 404. */
int	public_unit_tag(struct req *);

/* GET /t/{tag}: the posts with a tag across approved units; 404. */
int	public_tag(struct req *);

/* GET /u/{slug}/{post}: the published version of a post; 404, 410. */
int	public_post(struct req *);

/*
 * Atom 1.0 feeds (RFC 4287) of the latest posts: GET /feed.atom (all
 * approved units), /u/{slug}/feed.atom, /t/{tag}/feed.atom; 404.
 */
int	public_feed(struct req *);
int	public_unit_feed(struct req *);
int	public_tag_feed(struct req *);

/* GET /sitemap.xml[?page=n] (an index past PUBLIC_SITEMAP_MAX). */
int	public_sitemap(struct req *);

/* GET /robots.txt. */
int	public_robots(struct req *);

/*
 * HTTP caching of the public pages (public_cache.c): a route with
 * ROUTE_CACHE (router.h) answers GET and HEAD with a weak ETag and a
 * Last-Modified of the last public change of its unit (ROUTE_CACHE_UNIT)
 * or of the confederation, and Cache-Control: public, max-age=
 * PUBLIC_MAX_AGE, when it is ROUTE_PUBLIC or when the request has no
 * session and sends no cookie at all.  Called by the dispatcher after
 * the gate and before the handler: returns 304 when the request's
 * If-None-Match (else If-Modified-Since) shows the client's copy is
 * current, so nothing is rendered; 0 to run the handler.
 *
 * PUBLIC_MAX_AGE is one second: a publication or a withdrawal must be
 * seen by the public within one second, browsers and shared caches
 * included; after it a client asks again and a 304 costs one row.
 */
#define PUBLIC_MAX_AGE	1
int		 public_cache_check(struct req *);

/*
 * The hub's advisories (public_advisory.c, sql/037_advisories.sql):
 * GET /api/v1/advisories and /hub/advisories (the page: the list and
 * the new one's form), POST to either (201 with Location, or back to the
 * page), GET /hub/advisories/{id} (its form), PUT /api/v1/advisories/{id}
 * or POST /hub/advisories/{id}, GET /hub/advisories/{id}/delete (the
 * confirmation), DELETE /api/v1/advisories/{id} or POST
 * /hub/advisories/{id}/delete (204, or back to the page).  403 for
 * someone who reads an advisory but may not write it, 404 for one the
 * caller does not read, 422 naming the field.
 */
extern const struct input_form	 public_advisory_input,
				 public_advisory_new, public_advisory_edit;
int		 public_advisories_get(struct req *);
int		 public_advisory_post(struct req *);
int		 public_advisory_get(struct req *);
int		 public_advisory_put(struct req *);
int		 public_advisory_delete_get(struct req *);
int		 public_advisory_delete(struct req *);

/* Addresses in one sitemap file (the protocol's limit). */
#define PUBLIC_SITEMAP_MAX	50000

/*
 * What public_common.c shares with the pages and the feeds.
 *
 * public_cursor() reads the route's ?before= into pg (bodies off).
 * public_posts() readies a list of posts (the rows of public_db.h) for
 * a page: each gains "href" and its tags links (to the unit's tag page
 * when unit is set, else to the confederation's); it is cut to
 * PUBLIC_PER_PAGE and returns the path of the next page after base
 * (arena memory), or NULL when there is none.
 */
void		 public_cursor(struct req *, struct public_page *pg);
const char	*public_posts(struct req *, json_t *posts, const char *unit,
		    const char *base);

/* The tags (strings) as links: [{"tag", "href"}], arena-owned. */
json_t		*public_tag_links(struct req *, json_t *tags,
		    const char *unit);

/* public_url without its trailing "/" (arena memory). */
const char	*public_base(struct req *);

/*
 * Whether s could be the slug of a post (sql/027_public.sql): a-z, 0-9
 * and inner "-", at most 70 bytes.  A path that cannot is 404 at once.
 */
int		 public_slug_ok(const char *s);

/*
 * The HTML of a post's CommonMark body as its pages and feeds show it
 * (markdown.h), without the control characters (but tab, LF and CR)
 * that neither HTML nor XML carries: arena memory, "" for none.
 */
const char	*public_html(struct req *, const char *body);

/* Whether s could be a tag of a path: 1 to 400 bytes, no control. */
int		 public_tag_ok(const char *s);

/* The post's path /u/{unit}/{slug}, for GET /api/v1/posts/{id} and
 * publishing: sets "url" in post (the absolute address, or null while
 * it is not public).  0, or -1 when the database failed. */
int		 public_post_url(struct req *, long long id, json_t *post);

#endif
