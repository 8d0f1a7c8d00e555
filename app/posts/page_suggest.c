/*
 * page_suggest.c: a suggestion made from the post's page.  Without
 * JavaScript the reviewer quotes the passage to replace (or to insert
 * after) and the server finds it in the text of the revision the page
 * showed (passage.h); a passage found more than once is answered with
 * each place in its context, to choose one.  With JavaScript
 * (static/review.js) the passage is chosen in the source text and its
 * offsets come along; they are used when they hold exactly the passage
 * quoted.
 */
#include "config.h"

#include <limits.h>
#include <string.h>

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

static const char *const modes[] = { "replace", "insert", NULL };

enum { G_REVISION, G_MODE, G_PASSAGE, G_OCCURRENCE, G_REPLACEMENT,
	G_COMMENT, G_START, G_END, G__MAX };

static const struct input_field suggest_fields[G__MAX] = {
	[G_REVISION] = { .name = "revision", .type = IN_INT,
	    .flags = IN_REQUIRED, .min = 1, .max = INT_MAX,
	    .label = "the revision", .invalid = "revision is the number of "
	    "a revision of the post" },
	[G_MODE] = { .name = "mode", .type = IN_ENUM, .flags = IN_REQUIRED,
	    .allowed = modes, .invalid = "mode is replace or insert" },
	[G_PASSAGE] = { .name = "passage", .type = IN_TEXT,
	    .flags = IN_REQUIRED | IN_RAW | IN_BLANK, .max = BODY_MAX,
	    .label = "the passage", .missing = "quote the passage of the "
	    "text, exactly as it is written" },
	[G_OCCURRENCE] = { .name = "occurrence", .type = IN_INT, .min = 1,
	    .max = BODY_MAX, .label = "the occurrence", .invalid =
	    "choose one of the places where the passage occurs" },
	[G_REPLACEMENT] = { .name = "replacement", .type = IN_TEXT,
	    .flags = IN_RAW | IN_BLANK, .max = BODY_MAX,
	    .label = "the replacement" },
	[G_COMMENT] = { .name = "comment", .type = IN_TEXT, .flags = IN_RAW,
	    .max = 4000, .label = "the comment" },
	[G_START] = { .name = "start", .type = IN_INT, .min = 0,
	    .max = BODY_MAX, .label = "the start" },
	[G_END] = { .name = "end", .type = IN_INT, .min = 0,
	    .max = BODY_MAX, .label = "the end" },
};

const struct input_form page_suggest_input = {
	suggest_fields, G__MAX, "posts/post", post_page_again, 0
};

int
page_suggest(struct req *r)
{
	const char		*id = kv_get(&r->params, "id"), *repl;
	int			 insert = strcmp(input_text(r, G_MODE),
				    "insert") == 0;
	struct page_passage	 q = { input_int(r, G_REVISION, 0),
				    input_text(r, G_PASSAGE),
				    input_has(r, G_START) &&
				    input_has(r, G_END),
				    input_int(r, G_START, 0),
				    input_int(r, G_END, 0),
				    input_int(r, G_OCCURRENCE, 0),
				    insert ? "insert_form" : "replace_form" };
	long long		 s = 0, e = 0;
	json_t			*made;
	int			 rc;

	if ((rc = page_passage_span(r, &q, &s, &e)) != 0)
		return rc;
	repl = input_text(r, G_REPLACEMENT);
	if (insert && *repl == '\0')
		return input_fail(r, 422, "missing", "replacement", "write the "
		    "text to insert after the passage");
	if (!insert && strcmp(repl, q.passage) == 0)
		return input_fail(r, 422, "invalid", "replacement", "the "
		    "replacement is the passage itself: change it, or leave "
		    "it empty to suggest deleting the passage");
	if (insert)
		s = e;
	if ((rc = review_db_suggest(r, id, q.revision, s, e, repl,
	    input_text(r, G_COMMENT), &made)) < 0)
		return req_db_fail(r);
	if (rc == 0)
		return req_fail(r, 404, "not_found", NULL, "there is no post "
		    "at this address");
	logm(L_INFO, r->id, "suggestion post=%s person=%lld", id,
	    r->sess->p.id);
	return req_redirect(r, arena_printf(r->a, "/posts/%s?done=suggested"
	    "#s-%lld", id, (long long)json_integer_value(json_object_get(made,
	    "id"))));
}
