/*
 * page_edit.c: the author's editor, without JavaScript: a new post in a
 * unit, the edit page of a post, Preview (the body rendered by the safe
 * CommonMark renderer, nothing saved, everything typed kept) and Save.
 * The edit form carries the revision it was written from; a save from a
 * stale base shows the conflict page: the current text, what was typed,
 * the word diff between them, and the form again on the current
 * revision with what was typed, so nothing is lost.
 */
#include "config.h"

#include <string.h>

#include "app.h"
#include "arena.h"
#include "audit.h"
#include "buf.h"
#include "db.h"
#include "guide_save.h"
#include "input.h"
#include "kv.h"
#include "log.h"
#include "markdown.h"
#include "post.h"
#include "post_db.h"
#include "post_page.h"
#include "req.h"
#include "session.h"
#include "utf8.h"

#define NO_POST	"there is no post at this address"

/* The editor's fields; the first five as post_input's (post.h). */
enum { E_TITLE, E_BODY, E_TAGS, E_CHANNELS, E_CO_AUTHORS, E_BASE, E_ACTION,
	E__MAX };

static const char *const actions[] = { "save", "preview", NULL };

/* A co-author: an e-mail address, kept as given. */
static const char *
email_item(struct arena *a, const char *s)
{
	(void)a;
	return input_email_valid(s) ? s : NULL;
}

/* The title is checked by Save only: a preview needs none. */
#define EDIT_FIELDS \
	[E_TITLE] = { .name = "title", .type = IN_TEXT, .max = 300, \
	    .label = "the title" }, \
	[E_BODY] = { .name = "body", .type = IN_TEXT, .flags = IN_RAW, \
	    .label = "the body" }, \
	[E_TAGS] = { .name = "tags", .type = IN_TEXT, .max = 1100, \
	    .label = "the tags" }, \
	[E_CHANNELS] = { .name = "channels", .type = IN_LIST, \
	    .allowed = post_channels, .echo = "ch_", .label = "channels", \
	    .invalid = "channels are blog, linkedin, x, facebook, instagram " \
	    "or other" }, \
	[E_CO_AUTHORS] = { .name = "co_authors", .type = IN_LIST, \
	    .flags = IN_SPLIT, .max = 20, .item = email_item, \
	    .label = "co-authors", .invalid = "name each co-author by their " \
	    "e-mail address, separated by commas" }, \
	[E_ACTION] = { .name = "action", .type = IN_ENUM, .allowed = actions, \
	    .invalid = "press Save or Preview" }

static json_t	*new_page(struct req *, json_t *, const char *,
		    const char *);

static const struct input_field new_fields[E__MAX] = { EDIT_FIELDS };
static const struct input_field edit_fields[E__MAX] = {
	EDIT_FIELDS,
	[E_BASE] = { .name = "base", .type = IN_INT, .flags = IN_REQUIRED,
	    .min = 1, .max = 2147483647, .label = "the revision",
	    .invalid = "the form names the revision it was written from; "
	    "open the editor again", .missing = "the form names the revision "
	    "it was written from; open the editor again" },
};

const struct input_form post_page_new_input = {
	new_fields, E__MAX, "posts/edit", new_page, 0
};
const struct input_form post_page_edit_input = {
	edit_fields, E__MAX, "posts/edit", post_page_reload, 0
};

/*
 * The guidelines of the editor (guide_db_editor()) into d: "guide_notices"
 * and "guide_open", with "has_guide_open".  0, or -1 after a database
 * failure.
 */
static int
guidelines(struct req *r, json_t *d, const char *slug, long long id)
{
	json_t	*notices, *open;

	if (guide_db_editor(r, slug, id, &notices, &open) < 0)
		return -1;
	json_object_set(d, "guide_notices", notices);
	json_object_set(d, "guide_open", open);
	json_object_set_new(d, "has_guide_open", json_boolean(
	    json_array_size(open) > 0));
	return 0;
}

/* The editor's view of a new post in the route's unit, with values. */
static json_t *
new_view(struct req *r, json_t *values)
{
	json_t	*d, *g = req_object(r);

	d = req_pack(r, "{s:b, s:b, s:b, s:s, s:O}", "new", 1, "is_author", 1,
	    "can_edit", 1, "action", arena_printf(r->a,
	    "/units/%s/posts/new", json_string_value(json_object_get(r->unit,
	    "slug"))), "unit", r->unit);
	json_object_set_new(d, "unit_slug", json_string(json_string_value(
	    json_object_get(r->unit, "slug"))));
	json_object_set(d, "values", values);
	if (guidelines(r, g, json_string_value(json_object_get(r->unit,
	    "slug")), 0) < 0) {
		req_db_fail(r);
		return NULL;
	}
	json_object_update(d, g);
	return post_page_boxes(r, d);
}

static json_t *
new_page(struct req *r, json_t *values, const char *field, const char *msg)
{
	(void)field;
	(void)msg;
	return new_view(r, values);
}

int
post_page_new(struct req *r)
{
	json_t	*d;

	if ((d = new_view(r, req_object(r))) == NULL)
		return r->resp.status;
	return req_view(r, 200, "posts/edit", d);
}

int
post_page_edit(struct req *r)
{
	struct post_head	 h;
	json_t			*p, *d, *g = req_object(r), *notes, *n;
	long long		 id;
	size_t			 i;
	int			 rc;

	if ((rc = post_id(r, &id)) != 0)
		return rc;
	if (guidelines(r, g, "", id) < 0 ||
	    (rc = post_db_get(r, id, &p, &h)) < 0)
		return req_db_fail(r);
	if (rc == 0)
		return req_fail(r, 404, "not_found", NULL, NO_POST);
	if (!h.writer)
		return req_fail(r, 403, "forbidden", NULL, "only the post's "
		    "author and the co-authors they name edit it; reviewers "
		    "suggest and comment on the post's page");
	d = post_page_editor(r, p, &h, NULL);
	json_object_update(d, g);
	notes = json_object_get(p, "guideline_notes");
	json_array_foreach(notes, i, n)
		json_object_set_new(n, "title_field", json_boolean(strcmp(
		    json_string_value(json_object_get(n, "field")), "title")
		    == 0));
	json_object_set_new(d, "has_guide_notes", json_boolean(
	    json_array_size(notes) > 0));
	post_page_notice(r, d);
	return req_view(r, 200, "posts/edit", d);
}

/*
 * What was typed, into t: 0, or the status after answering 422 naming
 * tags or title (a title only for a save) or 413 naming the body, the
 * form again.
 */
static int
typed(struct req *r, struct post_text *t, int save)
{
	json_t		*tags = req_array(r);
	const char	*why, *s;
	char		*body, *o;
	size_t		 n;

	/* A browser sends a textarea's lines ended by CR LF. */
	s = input_text(r, E_BODY);
	body = arena_strdup(r->a, s);
	for (o = body; *s != '\0'; s++)
		if (!(s[0] == '\r' && s[1] == '\n'))
			*o++ = *s;
	*o = '\0';
	t->title = input_text(r, E_TITLE);
	t->body = body;
	t->channels = post_list_text(r, input_list(r, E_CHANNELS));
	if ((n = utf8_chars(t->body)) > POST_BODY_MAX)
		return input_fail(r, 413, "too_long", "body", "the body must "
		    "be at most 100,000 characters; this one has %zu", n);
	if ((why = post_tags_split(r, input_text(r, E_TAGS), tags)) != NULL)
		return input_fail(r, 422, "invalid", "tags", "%s", why);
	t->tags = post_list_text(r, tags);
	if (save && *t->title == '\0')
		return input_fail(r, 422, "missing", "title", "a post needs a "
		    "title");
	return 0;
}

/* Preview: the form again with the body rendered, nothing saved. */
static int
preview(struct req *r, const char *body)
{
	struct buf	 html;
	json_t		*d;

	if ((d = r->route->input->page(r, input_values(r), NULL, NULL)) ==
	    NULL)
		return r->resp.status;
	buf_init(&html);
	if (markdown_html(body, strlen(body), &html))
		json_object_set_new(d, "preview_html", json_string(html.data));
	buf_free(&html);
	json_object_set_new(d, "previewed", json_true());
	return req_view(r, 200, "posts/edit", d);
}

int
post_page_create(struct req *r)
{
	struct post_text	 t;
	const char		*slug = kv_get(&r->params, "slug");
	json_t			*names = input_list(r, E_CO_AUTHORS), *asked;
	json_t			*open, *notes;
	struct post_made	 m;
	int			 rc, save;

	save = strcmp(input_text(r, E_ACTION), "preview") != 0;
	if ((rc = typed(r, &t, save)) != 0)
		return rc;
	if (!save)
		return preview(r, t.body);
	if ((rc = post_db_create(r, slug, &t, &m)) < 0)
		return req_db_fail(r);
	if (rc == 0)
		return req_fail(r, 404, "not_found", NULL, "there is no unit "
		    "at this address");
	if (json_array_size(names) > 0 &&
	    (rc = post_authors_put(r, m.id, names)) != 0)
		return rc;
	if (post_created(r, slug, &m, &t, &open, &notes, &asked) < 0)
		return req_db_fail(r);
	return req_redirect(r, arena_printf(r->a, "/posts/%lld/edit?saved=1",
	    m.id));
}

/*
 * Another save came first: 409, the conflict page.  The current post
 * and its text beside what was typed (t) and the diff between them;
 * the form holds what was typed, on the current revision.
 */
static int
conflict(struct req *r, long long id, const struct post_text *t)
{
	struct post_head	 h;
	json_t			*now, *values, *d;
	const char		*body;
	int			 rc;

	if (db_tx_restart(r->db) < 0 ||
	    (rc = post_db_get(r, id, &now, &h)) < 0)
		return req_db_fail(r);
	if (rc == 0)
		return req_fail(r, 404, "not_found", NULL, NO_POST);
	values = input_values(r);
	json_object_set_new(values, "body", json_string(t->body));
	json_object_set_new(values, "base", json_integer(h.revision));
	d = post_page_editor(r, now, &h, values);
	body = json_string_value(json_object_get(now, "body"));
	json_object_set(d, "conflict", req_pack(r, "{s:O, s:s, s:s, s:s, "
	    "s:I}", "theirs", now, "yours_title", t->title, "yours_body",
	    t->body, "diff_html", post_diff_html(r, body != NULL ? body : "",
	    t->body), "base", (json_int_t)input_int(r, E_BASE, 0)));
	return input_show(r, 409, "posts/edit", d, "stale", "body",
	    arena_printf(r->a, "Someone else saved this post while you "
	    "wrote: it is at revision %lld, you started from revision %lld. "
	    "Merge below and save again; nothing you typed is lost.",
	    h.revision, input_int(r, E_BASE, 0)));
}

int
post_page_save(struct req *r)
{
	const struct db_refusal	*m;
	struct post_text	 t;
	json_t			*saved, *open, *notes;
	long long		 id, rev;
	int			 rc, save;

	if ((rc = post_id(r, &id)) != 0)
		return rc;
	save = strcmp(input_text(r, E_ACTION), "preview") != 0;
	if ((rc = typed(r, &t, save)) != 0)
		return rc;
	if (!save)
		return preview(r, t.body);
	if ((rc = post_db_save(r, id, input_int(r, E_BASE, 0), &t,
	    &saved)) == 0)
		return req_fail(r, 404, "not_found", NULL, NO_POST);
	if (rc < 0) {
		if ((m = db_refusal(r->db, NULL)) != NULL && m->status == 412)
			return conflict(r, id, &t);
		return post_refused(r, id);
	}
	if (post_authors_given(r) && (rc = post_authors_put(r, id,
	    input_list(r, E_CO_AUTHORS))) != 0)
		return rc;
	rev = json_integer_value(json_object_get(saved, "revision"));
	if (guide_save_check(r, id, rev, &open, &notes) < 0)
		return req_db_fail(r);
	logm(L_INFO, r->id, "post saved id=%lld revision=%lld person=%lld",
	    id, rev, r->sess->p.id);
	return req_redirect(r, arena_printf(r->a, "/posts/%lld/edit?saved="
	    "%lld", id, rev));
}
