/*
 * page_post.c: a post as its readers see it.  Its latest revision is
 * rendered paragraph by paragraph (the safe CommonMark renderer of
 * markdown.h), each open suggestion and each open comment on a span
 * beside the paragraph it touches, carried to the latest revision like
 * the API carries it; decided suggestions, comments in threads and the
 * forms of the review below.
 *
 * Paragraphs are the blocks of the text between blank lines, a fenced
 * code block kept whole; each is rendered on its own, so a reference
 * link defined in another paragraph is not resolved.  The page works
 * without JavaScript; static/review.js only prefills the forms that
 * quote a passage (a suggestion, a comment on a span) from a selection
 * in the source text.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "arena.h"
#include "buf.h"
#include "input.h"
#include "kv.h"
#include "markdown.h"
#include "page.h"
#include "page_db.h"
#include "page_mem.h"
#include "req.h"
#include "review.h"

#define NO_POST	"there is no post at this address"

/* What ?done= may say after a form; nothing else is ever shown. */
static const struct {
	const char	*key, *notice;
} dones[] = {
	{ "suggested", "Your suggestion is beside the text." },
	{ "accepted", "The suggestion is accepted: it is in a new revision." },
	{ "declined", "The suggestion is declined." },
	{ "commented", "Your comment is posted." },
	{ "resolved", "The comment is resolved." },
	{ "requested", "The review is requested: each reviewer is told by "
	  "e-mail and in their inbox." },
};

/* A count of ?n= or ?k=: digits, or "0". */
static const char *
count(struct req *r, const char *key)
{
	const char	*s = kv_get(&r->query, key);
	long long	 n;

	return input_digits(s, 0, 100000, &n) || (s != NULL &&
	    strcmp(s, "0") == 0) ? s : "0";
}

/* The notice of ?done=, if it is one of dones. */
static void
notice(struct req *r, json_t *v)
{
	const char	*done = kv_get(&r->query, "done");
	size_t		 i;

	if (done == NULL)
		return;
	for (i = 0; i < sizeof(dones) / sizeof(dones[0]); i++)
		if (strcmp(done, dones[i].key) == 0)
			json_object_set_new(v, "notice",
			    json_string(dones[i].notice));
	if (strcmp(done, "accepted_all") == 0)
		json_object_set_new(v, "notice", json_string(arena_printf(r->a,
		    "Suggestions accepted into one new revision: %s; skipped "
		    "(still open): %s.", count(r, "n"), count(r, "k"))));
	if (strcmp(done, "declined_all") == 0)
		json_object_set_new(v, "notice", json_string(arena_printf(r->a,
		    "Suggestions declined: %s.", count(r, "n"))));
}

/* The code point of byte b of s (b at a character's start). */
static size_t
cp_of(const char *s, size_t b)
{
	size_t	 i, n = 0;

	for (i = 0; i < b; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			n++;
	return n;
}

/* Whether the line at p (up to its end) opens or closes a code fence. */
static int
fence(const char *p)
{
	p += strspn(p, " ");
	return strncmp(p, "```", 3) == 0 || strncmp(p, "~~~", 3) == 0;
}

/* Whether the line at p is blank. */
static int
blank(const char *p)
{
	p += strspn(p, " \t\r");
	return *p == '\n' || *p == '\0';
}

/*
 * Append to blocks the paragraph of body from byte s to e: {"from"
 * (its first code point), "html"} with empty "notes" (suggestions) and
 * "comments" lists.
 */
static void
block(json_t *blocks, const char *body, size_t s, size_t e)
{
	struct buf	 b;

	buf_init(&b);
	if (!markdown_html(body + s, e - s, &b))
		buf_puts(&b, "");
	json_array_append_new(blocks, json_pack("{s:I, s:s, s:[], s:[]}",
	    "from", (json_int_t)cp_of(body, s), "html", b.data != NULL ?
	    b.data : "", "notes", "comments"));
	buf_free(&b);
}

/* The paragraphs of body, in order (at least one). */
static json_t *
blocks_of(struct req *r, const char *body)
{
	json_t		*blocks = req_array(r);
	const char	*p = body, *nl;
	size_t		 start = 0, end = 0;
	int		 in_fence = 0, open = 0;

	while (*p != '\0') {
		nl = strchr(p, '\n');
		nl = nl != NULL ? nl + 1 : p + strlen(p);
		if (!in_fence && blank(p)) {
			if (open)
				block(blocks, body, start, end);
			open = 0;
		} else {
			if (!open)
				start = (size_t)(p - body);
			open = 1;
			if (fence(p))
				in_fence = !in_fence;
			end = (size_t)(nl - body);
		}
		p = nl;
	}
	if (open || json_array_size(blocks) == 0)
		block(blocks, body, start, open ? end : 0);
	return blocks;
}

/* The block of blocks where code point at lies. */
static json_t *
block_at(json_t *blocks, long long at)
{
	json_t	*b, *found = json_array_get(blocks, 0);
	size_t	 i;

	json_array_foreach(blocks, i, b)
		if (json_integer_value(json_object_get(b, "from")) <= at)
			found = b;
	return found;
}

/*
 * Each open suggestion beside the paragraph it touches (an outdated one
 * beside the paragraph where its span began), the decided ones in
 * "decided", newest first.
 */
static void
place_suggestions(struct req *r, json_t *v, json_t *list, json_t *blocks)
{
	json_t		*s, *cur, *decided = req_array(r);
	const char	*state;
	long long	 at;
	size_t		 i;

	json_array_foreach(list, i, s) {
		state = json_string_value(json_object_get(s, "state"));
		json_object_set_new(s, "is_insert", json_boolean(
		    json_integer_value(json_object_get(s, "start")) ==
		    json_integer_value(json_object_get(s, "end"))));
		json_object_set_new(s, "is_delete", json_boolean(
		    *json_string_value(json_object_get(s, "replacement")) ==
		    '\0'));
		json_object_set_new(s, "accepted", json_boolean(strcmp(state,
		    "accepted") == 0));
		if (strcmp(state, "open") != 0) {
			json_array_insert(decided, 0, s);
			continue;
		}
		cur = json_object_get(s, "current");
		at = json_integer_value(json_object_get(json_is_object(cur) ?
		    cur : s, "start"));
		json_array_append(json_object_get(block_at(blocks, at),
		    "notes"), s);
	}
	json_object_set(v, "decided", decided);
	json_object_set_new(v, "has_decided", json_boolean(json_array_size(
	    decided) > 0));
}

/*
 * Each open thread on a span beside the paragraph where its span now
 * begins (one whose text was changed stays in the comments alone); then
 * whether each paragraph has anything beside it.
 */
static void
place_comments(json_t *threads, json_t *blocks)
{
	json_t		*t, *cur, *b;
	size_t		 i;
	int		 s, c;

	json_array_foreach(threads, i, t) {
		cur = json_object_get(t, "current");
		if (json_is_object(cur) && !json_is_true(json_object_get(t,
		    "resolved")))
			json_array_append(json_object_get(block_at(blocks,
			    json_integer_value(json_object_get(cur, "start"))),
			    "comments"), t);
	}
	json_array_foreach(blocks, i, b) {
		s = json_array_size(json_object_get(b, "notes")) > 0;
		c = json_array_size(json_object_get(b, "comments")) > 0;
		json_object_set_new(b, "has_suggestions", json_boolean(s));
		json_object_set_new(b, "has_comments", json_boolean(c));
		json_object_set_new(b, "has_notes", json_boolean(s || c));
	}
}

/* Comments as threads: each first comment with its "replies" below. */
static json_t *
threads(struct req *r, json_t *comments)
{
	json_t		*out = req_array(r), *c, *t, *root;
	json_t		*roots = req_object(r);
	const char	*parent;
	char		 k[24];
	size_t		 i;

	json_array_foreach(comments, i, c) {
		snprintf(k, sizeof(k), "%lld",
		    (long long)json_integer_value(json_object_get(c, "id")));
		json_object_set_new(c, "has_quote", json_boolean(
		    json_is_string(json_object_get(c, "quote"))));
		t = json_object_get(c, "reply_to");
		parent = json_is_integer(t) ? arena_printf(r->a, "%lld",
		    (long long)json_integer_value(t)) : NULL;
		root = parent != NULL ? json_object_get(roots, parent) : NULL;
		if (root == NULL) {
			json_object_set_new(c, "replies", json_array());
			json_object_set_new(c, "has_replies", json_false());
			json_array_append(out, c);
			root = c;
		} else {
			json_array_append(json_object_get(root, "replies"), c);
			json_object_set_new(root, "has_replies", json_true());
		}
		json_object_set(roots, k, root);
	}
	return out;
}

/* An empty form: no values, no errors. */
static json_t *
form(struct req *r)
{
	return req_pack(r, "{s:{}, s:{}}", "values", "errors");
}

/* The page's view from page_db_post()'s row d. */
static json_t *
view(struct req *r, json_t *d)
{
	json_t		*v = json_object_get(d, "post"), *texts, *blocks, *th;
	json_t		*list = json_object_get(d, "suggestions");
	const char	*keys[] = { "writer", "can_write", "can_suggest",
			    "can_comment", "reviewers" };
	const char	*state;
	size_t		 i;
	long long	 cur;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		json_object_set(v, keys[i], json_object_get(d, keys[i]));
	cur = json_integer_value(json_object_get(v, "revision"));
	texts = json_object_get(d, "texts");
	review_carry_all(r, list, texts, cur);
	review_carry_spans(r, json_object_get(d, "comments"), texts, cur);
	blocks = blocks_of(r, json_string_value(json_object_get(v, "body")));
	place_suggestions(r, v, list, blocks);
	th = threads(r, json_object_get(d, "comments"));
	place_comments(th, blocks);
	json_object_set(v, "blocks", blocks);
	json_object_set(v, "threads", th);
	state = json_string_value(json_object_get(v, "state"));
	json_object_set_new(v, "is_withdrawn", json_boolean(strcmp(state,
	    "withdrawn") == 0));
	json_object_set_new(v, "is_published", json_boolean(strcmp(state,
	    "published") == 0));
	json_object_set_new(v, "has_reviewers", json_boolean(json_array_size(
	    json_object_get(v, "reviewers")) > 0));
	json_object_set_new(v, "author_training", json_pack("{s:O, s:b}",
	    "badges", json_object_get(d, "author_badges"), "has_badges",
	    json_array_size(json_object_get(d, "author_badges")) > 0));
	json_object_set(v, "replace_form", form(r));
	json_object_set(v, "insert_form", form(r));
	json_object_set(v, "comment_form", form(r));
	json_object_set(v, "span_form", form(r));
	json_object_set(v, "request_form", form(r));
	notice(r, v);
	return v;
}

/* How many suggestions of v are open. */
static size_t
open_count(json_t *v)
{
	json_t	*b, *s;
	size_t	 i, j, n = 0;

	json_array_foreach(json_object_get(v, "blocks"), i, b)
		json_array_foreach(json_object_get(b, "notes"), j, s)
			n++;
	return n;
}

/*
 * Post id's page view in *out, and its stamp in *stamp when stamp is not
 * NULL: 1, 0 when it is not found, -1 failed.
 */
static int
load(struct req *r, const char *id, json_t **out, const char **stamp)
{
	json_t	*d;
	int	 rc;

	*out = NULL;
	if ((rc = page_db_post(r, id, &d)) != 1)
		return rc;
	if (stamp != NULL)
		*stamp = json_string_value(json_object_get(d, "stamp"));
	*out = view(r, d);
	json_object_set_new(*out, "has_open", json_boolean(open_count(*out) >
	    0));
	return 1;
}

/* The route's post: {post} beside another {id}, else {id}; or NULL. */
static const char *
route_post(struct req *r)
{
	const char	*id = kv_get(&r->params, "post");
	long long	 n;

	if (id == NULL)
		id = kv_get(&r->params, "id");
	return input_digits(id, 1, 9007199254740991LL, &n) ? id : NULL;
}

int
post_page(struct req *r)
{
	const char	*id = route_post(r), *stamp;
	json_t		*v;
	int		 rc = 0;

	if (id == NULL)
		return req_fail(r, 404, "not_found", NULL, NO_POST);
	/* The worker's kept page while its stamp is unchanged (page_mem.h). */
	if (r->sess != NULL && page_mem_candidate(r)) {
		if ((rc = page_db_stamp(r, id, &stamp)) < 0)
			return req_db_fail(r);
		if (rc == 1 && page_mem_answer(r, stamp))
			return 200;
	}
	if ((rc = load(r, id, &v, &stamp)) < 0)
		return req_db_fail(r);
	if (rc == 0)
		return req_fail(r, 404, "not_found", NULL, NO_POST);
	page_mem_built(r, stamp);
	return req_view(r, 200, "posts/post", v);
}

/* The open suggestion id of page v, or NULL. */
static json_t *
note_of(json_t *v, long long id)
{
	json_t	*b, *x;
	size_t	 i, j;

	json_array_foreach(json_object_get(v, "blocks"), i, b)
		json_array_foreach(json_object_get(b, "notes"), j, x)
			if (json_integer_value(json_object_get(x, "id")) == id)
				return x;
	return NULL;
}

/* The thread of page v that comment id is in, or NULL. */
static json_t *
thread_of(json_t *v, long long id)
{
	json_t	*t, *x;
	size_t	 i, j;

	json_array_foreach(json_object_get(v, "threads"), i, t) {
		if (json_integer_value(json_object_get(t, "id")) == id)
			return t;
		json_array_foreach(json_object_get(t, "replies"), j, x)
			if (json_integer_value(json_object_get(x, "id")) == id)
				return t;
	}
	return NULL;
}

/* A form of its own in x (a suggestion, a thread) under key. */
static json_t *
own_form(struct req *r, json_t *x, const char *key)
{
	if (x == NULL)
		return NULL;
	json_object_set(x, key, form(r));
	return json_object_get(x, key);
}

/* The form of the route answered, on page v, or NULL. */
static json_t *
form_of(struct req *r, json_t *v, json_t *values)
{
	const struct input_form	*f = r->route->input;
	const char		*mode, *to;
	long long		 n;

	if (f == &page_suggest_input) {
		mode = json_string_value(json_object_get(values, "mode"));
		return json_object_get(v, mode != NULL && strcmp(mode,
		    "insert") == 0 ? "insert_form" : "replace_form");
	}
	if (f == &page_request_input)
		return json_object_get(v, "request_form");
	if (f == &page_span_input)
		return json_object_get(v, "span_form");
	if (f == &page_decline_input && kv_get(&r->params, "post") != NULL &&
	    input_digits(kv_get(&r->params, "id"), 1, 9007199254740991LL, &n))
		return own_form(r, note_of(v, n), "decline_form");
	if (f != &page_comment_input)
		return NULL;
	to = json_string_value(json_object_get(values, "reply_to"));
	if (to != NULL && input_digits(to, 1, 9007199254740991LL, &n))
		return own_form(r, thread_of(v, n), "reply_form");
	return json_object_get(v, "comment_form");
}

json_t *
post_page_again(struct req *r, json_t *values, const char *field,
    const char *msg)
{
	const char	*id = route_post(r);
	json_t		*v, *f;
	int		 rc = 0;

	if (id != NULL && (rc = load(r, id, &v, NULL)) < 0) {
		req_db_fail(r);
		return NULL;
	}
	if (rc == 0) {
		req_fail(r, 404, "not_found", NULL, NO_POST);
		return NULL;
	}
	if ((f = form_of(r, v, values)) != NULL) {
		json_object_set(f, "values", values);
		if (field != NULL)
			json_object_set_new(json_object_get(f, "errors"),
			    field, json_string(msg));
		json_object_set_new(f, "shown", json_true());
	}
	return v;
}
