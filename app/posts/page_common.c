/*
 * page_common.c: what the author's pages share: the editor's view of a
 * post, the channels' checkboxes, the notices after a redirect and the
 * word diff as HTML.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "app.h"
#include "arena.h"
#include "buf.h"
#include "diff.h"
#include "html.h"
#include "kv.h"
#include "post.h"
#include "post_db.h"
#include "post_page.h"
#include "req.h"

static const char *const box_labels[] = {
	"Blog", "LinkedIn", "X", "Facebook", "Instagram", "Other"
};

json_t *
post_page_boxes(struct req *r, json_t *d)
{
	json_t	*values = json_object_get(d, "values"), *boxes = req_array(r);
	size_t	 i;

	for (i = 0; post_channels[i] != NULL; i++)
		json_array_append_new(boxes, json_pack("{s:s, s:s, s:b}",
		    "name", post_channels[i], "label", box_labels[i],
		    "checked", json_is_true(json_object_get(values,
		    arena_printf(r->a, "ch_%s", post_channels[i])))));
	json_object_set(d, "boxes", boxes);
	return d;
}

/* The strings of list (or member key of its objects), joined by ", ". */
static const char *
joined(struct req *r, json_t *list, const char *key)
{
	struct buf	 b;
	const char	*s, *out;
	json_t		*v;
	size_t		 i;

	buf_init(&b);
	buf_puts(&b, "");
	json_array_foreach(list, i, v) {
		s = json_string_value(key != NULL ? json_object_get(v, key) :
		    v);
		if (s == NULL)
			continue;
		if (b.len > 0)
			buf_puts(&b, ", ");
		buf_puts(&b, s);
	}
	out = arena_strdup(r->a, b.data);
	buf_free(&b);
	return out;
}

/* The editor's values of post p: its latest text. */
static json_t *
own_values(struct req *r, json_t *p)
{
	json_t	*v, *ch;
	size_t	 i;

	v = req_pack(r, "{s:O, s:O, s:s, s:s, s:O}", "title",
	    json_object_get(p, "title"), "body", json_object_get(p, "body"),
	    "tags", joined(r, json_object_get(p, "tags"), NULL), "co_authors",
	    joined(r, json_object_get(p, "co_authors"), "email"), "base",
	    json_object_get(p, "revision"));
	ch = json_object_get(p, "channels");
	for (i = 0; i < json_array_size(ch); i++)
		json_object_set_new(v, arena_printf(r->a, "ch_%s",
		    json_string_value(json_array_get(ch, i))), json_true());
	return v;
}

json_t *
post_page_editor(struct req *r, json_t *p, const struct post_head *h,
    json_t *values)
{
	const char	*state = h->state;
	json_t		*d;
	long long	 n;

	d = req_pack(r, "{s:O, s:b, s:O, s:s, s:O, s:b, s:b, s:b, s:b, s:b}",
	    "post", p, "is_author", h->author, "can_edit",
	    json_object_get(p, "can_edit"), "action", arena_printf(r->a,
	    "/posts/%lld/edit", h->id), "unit_slug", json_object_get(p,
	    "unit"), "is_draft", strcmp(state, "draft") == 0, "is_scheduled",
	    strcmp(state, "scheduled") == 0, "is_published",
	    strcmp(state, "published") == 0, "is_withdrawn",
	    strcmp(state, "withdrawn") == 0, "can_withdraw",
	    strcmp(state, "published") == 0 ||
	    strcmp(state, "scheduled") == 0);
	json_object_set(d, "values", values != NULL ? values :
	    own_values(r, p));
	json_object_set_new(d, "publish_values", json_object());
	n = json_integer_value(json_object_get(p, "open_suggestions"));
	if (n > 0)
		json_object_set_new(d, "open_text", json_string(arena_printf(
		    r->a, n == 1 ? "%lld suggestion is still open" :
		    "%lld suggestions are still open", n)));
	return post_page_boxes(r, d);
}

/* The route's post as the editor shows it, with values; NULL after
 * answering. */
static json_t *
reload(struct req *r, json_t *values, int publish)
{
	struct post_head	 h;
	json_t			*p, *d;
	long long		 id;
	int			 rc;

	if (post_id(r, &id) != 0)
		return NULL;
	if ((rc = post_db_get(r, id, &p, &h)) < 0) {
		req_db_fail(r);
		return NULL;
	}
	if (rc == 0) {
		req_fail(r, 404, "not_found", NULL, "there is no post at this "
		    "address");
		return NULL;
	}
	d = post_page_editor(r, p, &h, publish ? NULL : values);
	if (publish)
		json_object_set(d, "publish_values", values);
	return d;
}

json_t *
post_page_reload(struct req *r, json_t *values, const char *field,
    const char *msg)
{
	(void)field;
	(void)msg;
	return reload(r, values, 0);
}

json_t *
post_page_reload_publish(struct req *r, json_t *values, const char *field,
    const char *msg)
{
	(void)field;
	(void)msg;
	return reload(r, values, 1);
}

void
post_page_notice(struct req *r, json_t *d)
{
	const char	*n;

	if ((n = kv_get(&r->query, "saved")) != NULL)
		json_object_set_new(d, "notice", json_string(arena_printf(r->a,
		    "Saved as revision %.12s.", n)));
	else if ((n = kv_get(&r->query, "restored")) != NULL)
		json_object_set_new(d, "notice", json_string(arena_printf(r->a,
		    "Restored as revision %.12s.", n)));
	else if (kv_get(&r->query, "published") != NULL)
		json_object_set_new(d, "notice", json_string("Published."));
	else if (kv_get(&r->query, "scheduled") != NULL)
		json_object_set_new(d, "notice", json_string("Scheduled."));
	else if (kv_get(&r->query, "withdrawn") != NULL)
		json_object_set_new(d, "notice", json_string("Withdrawn."));
	else if (kv_get(&r->query, "dismissed") != NULL)
		json_object_set_new(d, "notice", json_string("Note dismissed: "
		    "the guidelines will not raise it again while that text "
		    "stays as it is."));
}

const char *
post_diff_html(struct req *r, const char *a, const char *b)
{
	struct diff		 d;
	const struct diff_seg	*g;
	struct buf		 out;
	const char		*s;
	size_t			 i;

	diff_words(r->a, a, strlen(a), b, strlen(b), 0, &d);
	buf_init(&out);
	buf_puts(&out, "");
	for (i = 0; i < d.n; i++) {
		g = &d.seg[i];
		if (g->op == DIFF_INSERT) {
			buf_puts(&out, "<ins>");
			html_text_n(&out, b + g->b_byte,
			    g->b_byte_end - g->b_byte);
			buf_puts(&out, "</ins>");
		} else if (g->op == DIFF_DELETE) {
			buf_puts(&out, "<del>");
			html_text_n(&out, a + g->a_byte,
			    g->a_byte_end - g->a_byte);
			buf_puts(&out, "</del>");
		} else
			html_text_n(&out, a + g->a_byte,
			    g->a_byte_end - g->a_byte);
	}
	s = arena_strdup(r->a, out.data);
	buf_free(&out);
	return s;
}
