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
struct post_made;
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
extern const struct input_form	 post_preview_input;

/* GET /api/v1/units/{slug}/posts[?state=]: {"posts":[...]}. */
int	post_list(struct req *);

/*
 * POST /api/v1/units/{slug}/posts: 201 {"id","revision":1,
 * "state":"draft","suggestions":[...]}, the open suggestions of the
 * guideline checks; 413 when the body is too long.
 */
int	post_create(struct req *);

/*
 * GET /api/v1/posts/{id}: the post with ETag "<revision>" and its public
 * "url" (null while it is not public: public.h); 404.
 */
int	post_get(struct req *);

/*
 * PUT /api/v1/posts/{id} with If-Match "<revision>": 200 the new
 * revision with "suggestions", the post's open guideline suggestions
 * after the checks of the save (guide_save.h); 428 without If-Match,
 * 400 for a malformed one, 412 with the current post and the text sent
 * when another save came first, 413, 403, 404, 409.  With "co_authors"
 * (a list of e-mails), the post's co-authors become those members of
 * the unit: 403 for anyone but its author, 422 naming co_authors for an
 * address of no current member.
 */
int	post_put(struct req *);

/*
 * POST /api/v1/posts/{id}/revisions/{n}/restore with If-Match: 201 the
 * new revision, whose text is revision n's (restored_from n), with
 * "suggestions" as for PUT; 404 for
 * no such revision, 428, 400, 412 with the current post, 403, 409.
 */
int	post_restore(struct req *);

/*
 * POST /api/v1/preview {"body"}: 200 {"html"}, the body rendered as the
 * post's pages render it; nothing is saved.  413 over POST_BODY_MAX.
 */
int	post_preview(struct req *);

/* GET /api/v1/posts/{id}/revisions: {"revisions":[...]}, newest first. */
int	post_revisions_get(struct req *);

/* GET /api/v1/posts/{id}/revisions/{n}: one revision with its text. */
int	post_revision_get(struct req *);

/* GET /api/v1/posts/{id}/diff?from=n&to=m: the word diff's segments. */
int	post_diff_get(struct req *);

/*
 * POST /api/v1/posts/{id}/publish {"at"}: 200 {"state":..., "url"} (url
 * null until it is public); 422 for a
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

/*
 * The revision If-Match names (one strong entity tag "<n>") in *base: 0,
 * or the status after answering 428 when it is absent, 400 when it is
 * anything else.
 */
int	post_if_match(struct req *, long long *base);

/* A list of strings as JSON text, arena-owned ("[]" for none). */
const char *post_list_text(struct req *, json_t *list);

/*
 * The tags of text, cut at commas, appended to out (arena-owned
 * strings): NULL, or why they are not acceptable.
 */
const char *post_tags_split(struct req *, const char *text, json_t *out);

/*
 * The co-authors named (field 4 of post_input and of the editor's
 * forms): a list of strings, borrowed, or NULL.
 */
json_t	*post_authors_read(const struct req *);

/* Whether the request names co-authors at all (an empty list too). */
int	post_authors_given(const struct req *);

/*
 * Make the members named in emails (a list of strings, borrowed; NULL
 * for none) post id's co-authors: 0, or the status after answering 422
 * naming co_authors for an address of no current member of the unit,
 * 403 when the acting person is not the post's author, or a refusal.
 */
int	post_authors_put(struct req *, long long id, json_t *emails);

/*
 * What follows making post m (post_db_create()) in unit slug with text t
 * in the acting person's name, for the API and the editor alike (the
 * audit entry was written with it): the guideline checks of its first
 * revision (*open, its open guideline suggestions, and *notes, its
 * guideline notes; guide_save.h), the reviewers its unit's review mode
 * asks (*asked; see review_auto(); no statement when the mode asks
 * nobody) and the log line; all arena-owned.  1, or -1 after a database
 * failure.
 */
int	post_created(struct req *, const char *slug,
	    const struct post_made *m, const struct post_text *t,
	    json_t **open, json_t **notes, json_t **asked);

/*
 * The word diff from a to b as HTML (arena-owned, escaped): the text of
 * b with what a had and b has not in <del>, what b adds in <ins>.
 */
const char *post_diff_html(struct req *, const char *a, const char *b);

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
