/*
 * preview_visit.c: the page an outside reviewer opens through a
 * preview link: the post's current draft, the comments left through
 * that link, and a form to leave one under a typed name.  No account,
 * no session needed; the token is the only credential, so the page is
 * never indexed, cached or named in a Referer.
 */
#include "config.h"

#include <string.h>

#include "app.h"
#include "arena.h"
#include "buf.h"
#include "input.h"
#include "kv.h"
#include "log.h"
#include "markdown.h"
#include "preview.h"
#include "preview_db.h"
#include "req.h"
#include "resp.h"
#include "session.h"
#include "token.h"

enum { V_NAME, V_BODY, V__MAX };

static json_t	*visit_page(struct req *, json_t *, const char *,
		    const char *);

static const struct input_field comment_fields[V__MAX] = {
	[V_NAME] = { .name = "name", .type = IN_TEXT, .flags = IN_REQUIRED,
	    .max = 100, .label = "your name", .missing = "write your name: "
	    "the authors see it beside your comment" },
	[V_BODY] = { .name = "body", .type = IN_TEXT, .flags = IN_REQUIRED |
	    IN_RAW, .max = 10000, .label = "the comment", .missing = "write "
	    "your comment" },
};

const struct input_form preview_comment_input = {
	comment_fields, V__MAX, "posts/preview", visit_page, 0
};

/* What the outcome of a link that shows nothing says. */
static const char *
gone_message(const char *outcome)
{
	if (strcmp(outcome, "expired") == 0)
		return "this preview link has expired; ask the post's author "
		    "for a new one";
	if (strcmp(outcome, "revoked") == 0)
		return "this preview link was revoked by the post's author";
	return "this post can no longer be previewed";
}

/*
 * Load the link of the route's token into *d (the page's data, with
 * values): 200, or 404 or 410 with *msg saying why.  -1 when the
 * database failed.
 */
static int
visit_load(struct req *r, json_t *values, json_t **d, const char **msg)
{
	const char	*tok = kv_get(&r->params, "token"), *outcome;
	char		 hex[TOKEN_HEXLEN + 1];
	json_t		*v;
	struct buf	 html;
	int		 rc;

	/* The token is a credential: keep it out of indexes, caches and
	 * other sites' logs, whatever the answer. */
	resp_header(r, "X-Robots-Tag", "noindex, nofollow, noarchive");
	r->resp.referrer = "no-referrer";
	r->resp.no_store = 1;
	*d = NULL;
	*msg = "there is no preview at this address; check the link you "
	    "were sent";
	if (!token_valid(tok))
		return 404;
	token_hash_hex(tok, hex);
	if ((rc = preview_db_get(r, hex, &v)) < 0)
		return -1;
	if (rc == 0)
		return 404;
	outcome = json_string_value(json_object_get(v, "outcome"));
	if (outcome == NULL || strcmp(outcome, "ok") != 0) {
		*msg = gone_message(outcome != NULL ? outcome : "");
		return 410;
	}
	buf_init(&html);
	if (markdown_html(json_string_value(json_object_get(v, "body")),
	    strlen(json_string_value(json_object_get(v, "body"))), &html))
		json_object_set_new(v, "body_html", json_string(html.data));
	buf_free(&html);
	json_object_set_new(v, "token", json_string(tok));
	json_object_set_new(v, "csrf", json_string(csrf_token(r)));
	json_object_set(v, "values", values != NULL ? values :
	    req_object(r));
	*d = v;
	return 200;
}

/* The form's page again; NULL after answering when it cannot be. */
static json_t *
visit_page(struct req *r, json_t *values, const char *field,
    const char *msg)
{
	const char	*why;
	json_t		*d;
	int		 st;

	(void)field;
	(void)msg;
	if ((st = visit_load(r, values, &d, &why)) < 0)
		req_db_fail(r);
	else if (st != 200)
		req_fail(r, st, st == 404 ? "not_found" : "gone", NULL, "%s",
		    why);
	return st == 200 ? d : NULL;
}

int
preview_visit_get(struct req *r)
{
	const char	*why;
	json_t		*d;
	int		 st;

	if ((st = visit_load(r, NULL, &d, &why)) < 0)
		return req_db_fail(r);
	if (st != 200)
		return req_fail(r, st, st == 404 ? "not_found" : "gone", NULL,
		    "%s", why);
	if (kv_get(&r->query, "sent") != NULL)
		json_object_set_new(d, "sent", json_true());
	return req_view(r, 200, "posts/preview", d);
}

int
preview_visit_post(struct req *r)
{
	const char	*tok = kv_get(&r->params, "token");
	char		 hex[TOKEN_HEXLEN + 1];
	int		 rc = 0;

	resp_header(r, "X-Robots-Tag", "noindex, nofollow, noarchive");
	r->resp.referrer = "no-referrer";
	r->resp.no_store = 1;
	if (token_valid(tok)) {
		token_hash_hex(tok, hex);
		rc = preview_db_comment(r, hex, input_text(r, V_NAME),
		    input_text(r, V_BODY));
	}
	if (rc < 0)
		return req_db_fail(r);
	if (rc == 0)
		return req_fail(r, 404, "not_found", NULL, "there is no "
		    "preview at this address; check the link you were sent");
	logm(L_INFO, r->id, "preview comment");
	if (r->fmt == FMT_JSON)
		return req_view(r, 201, NULL, NULL);
	return req_redirect(r, arena_printf(r->a, "/preview/%s?sent=1#sent",
	    tok));
}
