/*
 * page_passage.c: the span a page form names by quoting a passage of
 * the revision the page showed (page_suggest.c, page_comment.c): the
 * revision read, the passage found (passage.h), and when it cannot be
 * found as asked, the answer that says so.
 */
#include "config.h"

#include "app.h"
#include "arena.h"
#include "input.h"
#include "page.h"
#include "passage.h"
#include "post.h"
#include "post_db.h"
#include "req.h"

/* The page again at form f, asking which of found places of passage. */
static int
which(struct req *r, const char *f, const char *body, const char *passage,
    size_t found)
{
	const char	*msg;
	json_t		*v, *form;

	msg = arena_printf(r->a, "this passage occurs %zu times in the text: "
	    "choose which one you mean", found);
	if ((v = post_page_again(r, input_values(r), "occurrence", msg)) ==
	    NULL)
		return r->resp.status;
	form = json_object_get(v, f);
	json_object_set(form, "places", passage_places(r, body, passage));
	json_object_set_new(form, "has_places", json_true());
	return input_show(r, 422, "posts/post", v, "invalid", "occurrence",
	    msg);
}

int
page_passage_span(struct req *r, const struct page_passage *q,
    long long *s, long long *e)
{
	const char	*body;
	json_t		*revj;
	long long	 pid;
	size_t		 found = 0;
	int		 rc;

	if ((rc = post_id(r, &pid)) != 0)
		return rc;
	if ((rc = post_db_revision(r, pid, q->revision, &revj)) < 0)
		return req_db_fail(r);
	if (rc == 0)
		return req_fail(r, 404, "not_found", NULL, "there is no post "
		    "at this address with a revision %lld", q->revision);
	body = json_string_value(json_object_get(revj, "body"));
	if (passage_find(body, q->passage, q->given, q->start, q->end,
	    q->occurrence, s, e, &found))
		return 0;
	if (found == 0)
		return input_fail(r, 422, "invalid", "passage", "this passage "
		    "is not in the text of revision %lld: quote it exactly as "
		    "it is written", q->revision);
	return which(r, q->form, body, q->passage, found);
}
