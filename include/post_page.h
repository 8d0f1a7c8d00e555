/*
 * post_page.h: the author's pages of posts (app/posts/page_*.c): a
 * unit's posts, the editor (new post, edit, preview, the conflict page
 * after a stale save), publishing and withdrawing, the history with the
 * word diff between any two revisions and restoring one.  They work
 * without JavaScript; static/editor.js adds a live preview and autosave
 * through the JSON API.
 *
 * Row-level security decides who reads and writes, as for the API
 * (post.h): a post the acting person may not read is 404, a reader who
 * is neither its author nor a co-author is 403 on its editor.
 */
#ifndef POST_PAGE_H
#define POST_PAGE_H

#include <jansson.h>

#include "input.h"

struct req;
struct post_head;

/* Declared input of the editor, publishing, withdrawing, restoring. */
extern const struct input_form	 post_page_new_input, post_page_edit_input;
extern const struct input_form	 post_page_publish_input;
extern const struct input_form	 post_page_withdraw_input;
extern const struct input_form	 post_page_restore_input;
extern const struct input_form	 post_page_list_input;
extern const struct input_form	 post_page_history_input;

/* GET /units/{slug}/posts[?state=]: the unit's posts, newest change
 * first; "New post" for those who may write. */
int	post_page_list(struct req *);

/* GET /units/{slug}/posts/new: the empty editor. */
int	post_page_new(struct req *);

/*
 * POST /units/{slug}/posts/new: Preview (200, the form again with the
 * body rendered, nothing saved) or Save (303 to the new post's editor);
 * 422 naming the field or 413 naming the body, the form again.
 */
int	post_page_create(struct req *);

/* GET /posts/{id}/edit: the editor of a post's latest revision; 403
 * for its readers who do not write it, 404. */
int	post_page_edit(struct req *);

/*
 * POST /posts/{id}/edit: Preview, or Save from the form's base: 303 to
 * the editor with a notice, or 409 the conflict page (both texts, the
 * diff, the merge form on the current revision) after another save.
 */
int	post_page_save(struct req *);

/* POST /posts/{id}/publish [at]: 303 to the editor; 422 naming at. */
int	post_page_publish(struct req *);

/* POST /posts/{id}/withdraw: 303 to the editor with a notice. */
int	post_page_withdraw(struct req *);

/* GET /posts/{id}/history[?from=&to=]: the revisions, and the word diff
 * between two of them. */
int	post_page_history(struct req *);

/* POST /posts/{id}/revisions/{n}/restore: 303 to the editor; 409 the
 * history again when another save came first. */
int	post_page_restore(struct req *);

/*
 * The editor's view (arena-owned) of post p (post_db_get()'s, borrowed)
 * with values (borrowed; NULL: the post's own text), for page_edit.c
 * and page_publish.c.
 */
json_t	*post_page_editor(struct req *, json_t *p, const struct post_head *h,
	    json_t *values);

/*
 * The editor's view of the route's post {id} with values (borrowed), or
 * NULL after answering 404 or a failure: the forms' page callback.
 */
json_t	*post_page_reload(struct req *, json_t *values, const char *field,
	    const char *msg);

/* The same for the publishing forms: the post's own text, and values
 * (what was typed in the form to publish) as "publish_values". */
json_t	*post_page_reload_publish(struct req *, json_t *values,
	    const char *field, const char *msg);

/* The channels' checkboxes of d's "values" into d "boxes"; returns d. */
json_t	*post_page_boxes(struct req *, json_t *d);

/* The notice of the query (?saved=, ?published, ...) into d. */
void	post_page_notice(struct req *, json_t *d);

#endif
