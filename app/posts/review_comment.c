/*
 * review_comment.c: comments on a post or on a span of one of its
 * revisions, answered in threads (reply_to) and resolved by the post's
 * authors.  The unit's members and the hub's reviewers comment.
 */
#include "config.h"

#include <limits.h>

#include "app.h"
#include "arena.h"
#include "input.h"
#include "log.h"
#include "page.h"
#include "req.h"
#include "review.h"
#include "review_db.h"
#include "session.h"

enum { C_BODY, C_START, C_END, C_REVISION, C_REPLY_TO, C__MAX };

static const struct input_field comment_fields[C__MAX] = {
	[C_BODY] = { .name = "body", .type = IN_TEXT, .flags = IN_REQUIRED |
	    IN_RAW, .max = 10000, .label = "the comment" },
	[C_START] = { .name = "start", .type = IN_INT, .min = 0,
	    .max = 100000, .label = "the start", .invalid = "start is a "
	    "position in the text, in characters from 0" },
	[C_END] = { .name = "end", .type = IN_INT, .min = 0, .max = 100000,
	    .label = "the end", .invalid = "end is a position in the text, "
	    "in characters from 0" },
	[C_REVISION] = { .name = "revision", .type = IN_INT, .min = 1,
	    .max = INT_MAX, .label = "the revision", .invalid = "revision is "
	    "the number of a revision of the post" },
	[C_REPLY_TO] = { .name = "reply_to", .type = IN_INT, .min = 1,
	    .max = LLONG_MAX, .label = "the comment answered", .invalid =
	    "reply_to is the id of a comment on this post" },
};

const struct input_form comment_input = {
	comment_fields, C__MAX, NULL, NULL, 0
};

/* The same, from the post's page, which shows it again. */
const struct input_form page_comment_input = {
	comment_fields, C__MAX, "posts/post", post_page_again, 0
};

/* After a page's form: back to the post, at comment made. */
static int
back(struct req *r, json_t *made, const char *done)
{
	return req_redirect(r, arena_printf(r->a, "/posts/%lld?done=%s#c-%lld",
	    (long long)json_integer_value(json_object_get(made, "post")), done,
	    (long long)json_integer_value(json_object_get(made, "id"))));
}

/* The route's {id}, or NULL when it is no identifier at all. */
static const char *
route_id(struct req *r)
{
	const char	*id = kv_get(&r->params, "id");
	long long	 n;

	return input_digits(id, 1, LLONG_MAX, &n) ? id : NULL;
}

int
comments_get(struct req *r)
{
	const char	*id = route_id(r);
	json_t		*list;
	int		 rc = 0;

	if (id == NULL || (rc = review_db_comments(r, id, &list)) == 0 ||
	    (rc > 0 && list == NULL))
		return req_fail(r, 404, "not_found", NULL, "there is no such "
		    "post");
	if (rc < 0)
		return req_db_fail(r);
	return req_view(r, 200, NULL, req_pack(r, "{s:O}", "comments", list));
}

/* Why the span of the comment asked for is no span, or NULL. */
static const char *
span_problem(struct req *r, const char **field)
{
	*field = input_has(r, C_START) ? "end" : "start";
	if (input_has(r, C_START) != input_has(r, C_END))
		return "a span has a start and an end";
	*field = "revision";
	if (input_has(r, C_REVISION) && !input_has(r, C_START))
		return "a revision is given with a span (start and end)";
	*field = "end";
	if (input_int(r, C_END, 0) < input_int(r, C_START, 0))
		return "a span ends at or after its start";
	return NULL;
}

int
comment_post(struct req *r)
{
	const char		*id = route_id(r), *why, *field;
	struct review_comment	 c;
	json_t			*made;
	int			 rc = 0, found = 0;

	if (id == NULL)
		return req_fail(r, 404, "not_found", NULL, "there is no such "
		    "post");
	if ((why = span_problem(r, &field)) != NULL)
		return input_fail(r, 422, "invalid", field, "%s", why);
	c.body = input_text(r, C_BODY);
	c.start = input_text(r, C_START);
	c.end = input_text(r, C_END);
	c.revision = input_text(r, C_REVISION);
	c.reply_to = input_text(r, C_REPLY_TO);
	if ((rc = review_db_comment(r, id, &c, &made, &found)) < 0)
		return req_db_fail(r);
	if (rc == 0 && found)
		return input_fail(r, 422, "invalid", "reply_to", "comment %s "
		    "is not on this post", c.reply_to);
	if (rc == 0)
		return req_fail(r, 404, "not_found", NULL, "there is no post "
		    "%s", id);
	logm(L_INFO, r->id, "comment post=%s person=%lld", id, r->sess->p.id);
	if (r->fmt == FMT_HTML)
		return back(r, made, "commented");
	return req_view(r, 201, NULL, made);
}

int
comment_resolve(struct req *r)
{
	const char	*id = route_id(r);
	json_t		*made;
	int		 rc = 0, found = 0, resolved = 0;

	if (id != NULL && (rc = review_db_resolve(r, id, &made, &found,
	    &resolved)) < 0)
		return req_db_fail(r);
	if (rc == 1) {
		logm(L_INFO, r->id, "comment resolved id=%s person=%lld", id,
		    r->sess->p.id);
		if (r->fmt == FMT_HTML)
			return back(r, made, "resolved");
		return req_view(r, 200, NULL, made);
	}
	if (!found)
		return req_fail(r, 404, "not_found", NULL, "there is no such "
		    "comment");
	if (resolved)
		return req_fail(r, 409, "resolved", NULL, "this comment was "
		    "resolved already");
	return req_fail(r, 403, "forbidden", NULL, "only the post's author "
	    "and co-authors resolve comments");
}
