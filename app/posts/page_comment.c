/*
 * page_comment.c: a comment on a span, made from the post's page.
 * Like a suggestion (page_suggest.c), without JavaScript the commenter
 * quotes the passage and the server finds it in the text of the
 * revision the page showed (passage.h), asking which place when it
 * occurs more than once; with JavaScript (static/review.js) the offsets
 * of a selection in the source text come along.  The comment itself is
 * written as the API writes it (review_db_comment()), so who may is the
 * schema's to say.
 */
#include "config.h"

#include <limits.h>

#include "app.h"
#include "arena.h"
#include "input.h"
#include "log.h"
#include "page.h"
#include "req.h"
#include "review_db.h"
#include "session.h"

/* A post's longest body, in code points (sql/014_posts.sql). */
#define BODY_MAX	100000

enum { K_REVISION, K_PASSAGE, K_OCCURRENCE, K_BODY, K_START, K_END,
	K__MAX };

static const struct input_field span_fields[K__MAX] = {
	[K_REVISION] = { .name = "revision", .type = IN_INT,
	    .flags = IN_REQUIRED, .min = 1, .max = INT_MAX,
	    .label = "the revision", .invalid = "revision is the number of "
	    "a revision of the post" },
	[K_PASSAGE] = { .name = "passage", .type = IN_TEXT,
	    .flags = IN_REQUIRED | IN_RAW, .max = BODY_MAX,
	    .label = "the passage", .missing = "quote the passage you "
	    "comment on, exactly as it is written" },
	[K_OCCURRENCE] = { .name = "occurrence", .type = IN_INT, .min = 1,
	    .max = BODY_MAX, .label = "the occurrence", .invalid =
	    "choose one of the places where the passage occurs" },
	[K_BODY] = { .name = "body", .type = IN_TEXT, .flags = IN_REQUIRED |
	    IN_RAW, .max = 10000, .label = "the comment" },
	[K_START] = { .name = "start", .type = IN_INT, .min = 0,
	    .max = BODY_MAX, .label = "the start" },
	[K_END] = { .name = "end", .type = IN_INT, .min = 0,
	    .max = BODY_MAX, .label = "the end" },
};

const struct input_form page_span_input = {
	span_fields, K__MAX, "posts/post", post_page_again, 0
};

int
page_span_comment(struct req *r)
{
	const char		*id = kv_get(&r->params, "id");
	struct page_passage	 q = { input_int(r, K_REVISION, 0),
				    input_text(r, K_PASSAGE),
				    input_has(r, K_START) &&
				    input_has(r, K_END),
				    input_int(r, K_START, 0),
				    input_int(r, K_END, 0),
				    input_int(r, K_OCCURRENCE, 0),
				    "span_form" };
	struct review_comment	 c;
	long long		 s = 0, e = 0;
	json_t			*made;
	int			 rc, reply = 0;

	if ((rc = page_passage_span(r, &q, &s, &e)) != 0)
		return rc;
	c.body = input_text(r, K_BODY);
	c.start = arena_printf(r->a, "%lld", s);
	c.end = arena_printf(r->a, "%lld", e);
	c.revision = arena_printf(r->a, "%lld", q.revision);
	c.reply_to = "";
	if ((rc = review_db_comment(r, id, &c, &made, &reply)) < 0)
		return req_db_fail(r);
	if (rc == 0)
		return req_fail(r, 404, "not_found", NULL, "there is no post "
		    "at this address");
	logm(L_INFO, r->id, "span comment post=%s person=%lld", id,
	    r->sess->p.id);
	return req_redirect(r, arena_printf(r->a, "/posts/%s?done=commented"
	    "#c-%lld", id, (long long)json_integer_value(json_object_get(made,
	    "id"))));
}
