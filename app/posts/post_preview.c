/*
 * post_preview.c: a body rendered as the post's pages render it (the
 * safe CommonMark renderer, markdown.h), for the editor's live preview.
 * Nothing is read or written in the database.
 */
#include "config.h"

#include <string.h>

#include "app.h"
#include "buf.h"
#include "input.h"
#include "markdown.h"
#include "post.h"
#include "req.h"
#include "utf8.h"

static const struct input_field preview_fields[] = {
	{ .name = "body", .type = IN_TEXT, .flags = IN_RAW,
	  .label = "the body" },
};

const struct input_form post_preview_input = {
	preview_fields, 1, NULL, NULL, 0
};

int
post_preview(struct req *r)
{
	const char	*body = input_text(r, 0);
	struct buf	 html;
	json_t		*out;
	size_t		 n;

	if ((n = utf8_chars(body)) > POST_BODY_MAX)
		return req_fail(r, 413, "too_long", "body", "the body must be "
		    "at most 100,000 characters; this one has %zu", n);
	buf_init(&html);
	buf_puts(&html, "");
	markdown_html(body, strlen(body), &html);
	out = req_pack(r, "{s:s}", "html", html.data);
	buf_free(&html);
	return req_view(r, 200, NULL, out);
}
