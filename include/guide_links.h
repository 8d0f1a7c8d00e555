/*
 * guide_links.h: the links rule's side of a save and of the job worker.
 * A save of a post whose unit meets an enabled links rule queues one
 * job for the new revision with the links of its body (links.c,
 * links_db.c); the worker checks them (app/jobs/linkjob.c) and the
 * database turns each dead one into a suggestion (sql/029_link_checks.
 * sql).
 */
#ifndef GUIDE_LINKS_H
#define GUIDE_LINKS_H

#include <stddef.h>

#include <jansson.h>

struct req;

/* The most links of one revision that are checked. */
#define GUIDE_LINKS_MAX	50

/* The longest URL that is checked, in bytes. */
#define GUIDE_LINK_URL_MAX	2048

/*
 * The http:// and https:// links of the CommonMark text body (UTF-8, no
 * NUL) as cmark reads it: inline links, autolinks and links through a
 * reference definition; not images, not code, not bare URLs (which
 * CommonMark leaves as text).  Each is {"url","start","end"}, its span
 * [start, end) in code points of body: where the URL is written (the
 * destination of an inline link, the autolink, the reference
 * definition), the first place at or after the previous link where it
 * stands whole, else its first place in the text.  A link whose URL is
 * not written as such (entities or backslash escapes in it), or longer
 * than GUIDE_LINK_URL_MAX, is left out, and so is a second link at the
 * same place.  At most max links, in order.  Returns a new array (the
 * caller's reference).
 */
json_t	*guide_links_extract(const char *body, size_t max);

/*
 * Queue the link check of revision rev of post id of unit, just saved
 * by the acting person with body: nothing when the body has no link;
 * else one job when a links rule applies (ch_guide_links_queue()).
 * Return convention of db.h: 1 (queued or not), -1 after a database
 * failure.
 */
int	guide_links_queue(struct req *, long long unit, long long id,
	    long long rev, const char *body);

/*
 * GET /api/v1/posts/{id}/link-checks: 200 {"post","revision","checks":
 * [{"url","start","end","status","http_status","error","checked_at"}]},
 * the checks of the post's latest revision (none until the worker has
 * been); 404 for a post the caller does not read.
 */
int	guide_link_checks_get(struct req *);

#endif
