/*
 * preview_db.h: the database side of preview links, the expiring links
 * through which an outside reviewer reads a post's current draft and
 * comments on it without an account.
 *
 * Only the SHA-256 of a link's token is stored (token.h): the functions
 * taking a digest are handed its "\x" hex form.  Row-level security
 * decides who makes, lists and revokes links (sql/014_posts.sql: the
 * post's author and co-authors, while the unit is approved); the visitor
 * reads and comments through definer functions that answer for one
 * digest only.  Every JSON value returned belongs to the request's
 * arena.  Return convention of db.h.
 */
#ifndef PREVIEW_DB_H
#define PREVIEW_DB_H

#include <jansson.h>

struct req;

/*
 * Make a link to post id, stored as digest hex, working through the day
 * expires (YYYY-MM-DD, UTC; "" for 14 days from today): 1 with *out
 * {"id","post","expires_at","created_at"}, 0 when the acting person
 * does not see the post (*state NULL) or it is withdrawn (*state
 * "withdrawn"); *unit the post's unit.  Refused 403 when they do not
 * write it or the unit is not approved.
 */
int	preview_db_create(struct req *, const char *id, const char *hex,
	    const char *expires, json_t **out, const char **state,
	    long long *unit);

/*
 * The links of post id, newest first, as *list ([{"id","created_at",
 * "expires_at","revoked_at","created_by","state","comments"}], state
 * "active", "expired" or "revoked"), with *writer whether the acting
 * person writes the post and *title its title: 0 when they do not see
 * it.
 */
int	preview_db_list(struct req *, const char *id, json_t **list,
	    int *writer, const char **title);

/*
 * Revoke link id: 1 with *out {"id","post","revoked_at","changed"}
 * (changed false when it was revoked already) and *unit its unit, 0
 * when the acting person does not see it.
 */
int	preview_db_revoke(struct req *, const char *id, json_t **out,
	    long long *unit);

/*
 * What the link with digest hex shows: 1 with *out {"outcome","post",
 * "revision","title","body","comments":[{"id","name","body",
 * "created_at"}]} (outcome "ok"; "expired", "revoked" or "unavailable"
 * without the text), 0 when no link has that digest.  The request's
 * last statement.
 */
int	preview_db_get(struct req *, const char *hex, json_t **out);

/*
 * Comment on the post through the link with digest hex under name: 1
 * done, 0 when no link has that digest.
 * Refused 410 when the link is expired, revoked or unavailable, 429
 * after 30 comments in an hour through it.
 */
int	preview_db_comment(struct req *, const char *hex, const char *name,
	    const char *body);

#endif
