/*
 * page.h: the pages of reviewing posts: a post as its readers see it,
 * with suggestions beside its paragraphs, comments and the forms that
 * act on them (page_post.c, page_suggest.c), and the inbox
 * (page_inbox.c).  The forms post to routes whose handlers also serve
 * the JSON API (review.h); for a page they answer with a redirect back
 * to the post, or with the post's page again beside bad input.
 */
#ifndef PAGE_H
#define PAGE_H

#include <jansson.h>

struct input_form;
struct req;

/* GET /posts/{id}: the post's page; 404 when the person does not read
 * it. */
int	post_page(struct req *);

/*
 * The view of post id's page, arena-owned, with the form of the route
 * being answered (if any) filled from values and showing msg beside
 * field: the page callback of the forms on it (input.h).  NULL after
 * answering a failure (404, a database failure).
 */
json_t	*post_page_again(struct req *, json_t *values, const char *field,
	    const char *msg);

/*
 * POST /posts/{id}/suggestions (page_suggest.c): a suggestion made
 * without JavaScript, by quoting the passage to replace (mode
 * "replace") or the passage to insert after (mode "insert"), which the
 * server finds in the revision shown; with JavaScript, start and end of
 * the passage chosen in the source text come along.  303 to the post;
 * 422 naming "passage" when it is not in the text, "occurrence" when it
 * occurs more than once and none was chosen, "replacement" when there
 * is nothing to change.
 */
int	page_suggest(struct req *);

/*
 * POST /posts/{id}/comments/span (page_comment.c): a comment on a
 * passage of revision "revision", quoted ("passage") and found by the
 * server like a suggestion's; with JavaScript, start and end of the
 * passage chosen in the source text come along.  303 to the comment;
 * 422 naming "passage" when it is not in the text, "occurrence" when it
 * occurs more than once and none (or none of its places) was chosen,
 * "body" when the comment is empty; 403 or 404 as the comment API.
 */
int	page_span_comment(struct req *);

/*
 * A passage quoted in a page's form: revision, the passage, the
 * occurrence chosen (0: none), start and end when given (with
 * JavaScript), and the member of the page's view that holds the form.
 */
struct page_passage {
	long long	 revision;
	const char	*passage;
	int		 given;
	long long	 start, end, occurrence;
	const char	*form;
};

/*
 * The span [*s, *e) of q's passage in its revision of the post of the
 * route's {id}, in code points: 0; else the status of the answer made
 * instead: 404 (no such post or revision), 422 naming "passage" (not in
 * the text) or "occurrence" (the page again, q->form offering each
 * place), or a database failure.
 */
int	page_passage_span(struct req *, const struct page_passage *q,
	    long long *s, long long *e);

/* The declared input of the page's forms, each shown again on the
 * post's page. */
extern const struct input_form	 page_suggest_input, page_comment_input,
				 page_decline_input, page_request_input,
				 page_span_input;

/* GET /inbox (page_inbox.c): the inbox as a page, unread first. */
int	inbox_page(struct req *);

#endif
