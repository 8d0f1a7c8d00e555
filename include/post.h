/*
 * post.h: the posts API (app/posts/post*.c): drafting, revisions, the
 * word diff between them, publishing and withdrawing, as JSON.
 *
 * Row-level security decides who reads and writes a post (see
 * sql/014_posts.sql): a post the acting person may not read is 404; a
 * write the database refuses is answered from the post's context (403
 * for a reader who is neither its author nor a co-author, 409 for a
 * suspended or archived unit), never re-checked by the handlers.
 */
#ifndef POST_H
#define POST_H

#include <jansson.h>

#include "input.h"
#include "router.h"

struct req;
struct post_text;

/* The longest body a revision may have, in characters (code points). */
#define POST_BODY_MAX	100000

/* The channels a post may target, as the schema allows them. */
extern const char *const	 post_channels[];

/* The states of a post. */
extern const char *const	 post_states[];

/*
 * What the routes under /api/v1/units/{slug}/posts need of the unit
 * (router.h): reading, by its members and the hub; writing, by its
 * members while it is approved.
 */
extern const struct route_unit	 post_unit_read, post_unit_write;

/* Declared input: a post's text, the list's state, a diff, publishing. */
extern const struct input_form	 post_input, post_list_input;
extern const struct input_form	 post_diff_input, post_publish_input;

/* GET /api/v1/units/{slug}/posts[?state=]: {"posts":[...]}. */
int	post_list(struct req *);

/*
 * POST /api/v1/units/{slug}/posts: 201 {"id","revision":1,
 * "state":"draft","suggestions":[]}; 413 when the body is too long.
 */
int	post_create(struct req *);

/* GET /api/v1/posts/{id}: the post with ETag "<revision>"; 404. */
int	post_get(struct req *);

/*
 * PUT /api/v1/posts/{id} with If-Match "<revision>": 200 the new
 * revision; 428 without If-Match, 400 for a malformed one, 412 with the
 * current post and the text sent when another save came first, 413,
 * 403, 404, 409.
 */
int	post_put(struct req *);

/* GET /api/v1/posts/{id}/revisions: {"revisions":[...]}, newest first. */
int	post_revisions_get(struct req *);

/* GET /api/v1/posts/{id}/revisions/{n}: one revision with its text. */
int	post_revision_get(struct req *);

/* GET /api/v1/posts/{id}/diff?from=n&to=m: the word diff's segments. */
int	post_diff_get(struct req *);

/*
 * POST /api/v1/posts/{id}/publish {"at"}: 200 {"state":...}; 422 for a
 * time in the past, 409 for a move the post's state does not allow.
 */
int	post_publish(struct req *);

/* POST /api/v1/posts/{id}/withdraw: 200 {"state":"withdrawn"}. */
int	post_withdraw(struct req *);

/*
 * The route's {id} (post_common.c) in *id: 0, or the status after
 * answering 404 for anything that is not a post's number.
 */
int	post_id(struct req *, long long *id);

/*
 * The text of post_input's fields into t (arena-owned): 0, or the
 * status after answering 413 naming body when it is longer than
 * POST_BODY_MAX characters.
 */
int	post_text_read(struct req *, struct post_text *t);

/* Tell the client the post's revision: ETag: "<revision>". */
void	post_etag(struct req *, long long revision);

/*
 * Answer a write on post id that the database refused (a *_db.c call
 * that returned -1) or that found nothing to change (0), from the post
 * as the acting person sees it: 404 when it is not visible, 409 when
 * its unit is suspended or archived, 403 when they are neither its
 * author nor a co-author, else the statement's own refusal.  Returns
 * the status.
 */
int	post_refused(struct req *, long long id);

#endif
