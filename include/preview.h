/*
 * preview.h: preview links, through which an outside reviewer (an
 * agency, a partner) reads a post's current draft and comments under a
 * name they type, without an account.
 *
 * The post's author and co-authors make, list and revoke them
 * (preview.c): as JSON under /api/v1 and as the page
 * /posts/{id}/preview-links.  A link's token is shown once, when it is
 * made; only its SHA-256 is kept.  The visitor's page (preview_visit.c)
 * is /preview/{token}: not indexed, sent without a Referer, never
 * cached; 404 for a token no link has, 410 once the link has expired or
 * been revoked or the post is no longer available.
 */
#ifndef PREVIEW_H
#define PREVIEW_H

struct input_form;
struct req;

/* POST /api/v1/posts/{id}/preview-links, POST /posts/{id}/preview-links:
 * 201 {"id","url","post","expires_at","created_at"} (the page shows the
 * links again with the new one's address). */
int	preview_create(struct req *);

/* GET /api/v1/posts/{id}/preview-links and the page: 200 {"post",
 * "links"}; 403 for a reader who does not write the post; 404. */
int	preview_list(struct req *);

/* DELETE /api/v1/preview-links/{id}, POST /preview-links/{id}/revoke:
 * 200 {"id","post","revoked_at","changed"} (the page: 303 back). */
int	preview_revoke(struct req *);

/* GET and POST /preview/{token}: the draft, and a comment on it. */
int	preview_visit_get(struct req *);
int	preview_visit_post(struct req *);

extern const struct input_form	 preview_create_input, preview_comment_input;

#endif
