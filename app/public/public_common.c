/*
 * public_common.c: what the public pages and feeds share: the cursor of
 * a list's next page, links of posts and tags, the site's base address
 * and the checks of path parameters.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "conf.h"
#include "input.h"
#include "kv.h"
#include "markdown.h"
#include "public.h"
#include "public_db.h"
#include "req.h"
#include "urlenc.h"

enum { PL_BEFORE, PL__MAX };

/* Whether s is 1 to 18 digits up to stop (which *end gets). */
static int
digits(const char *s, char stop, const char **end)
{
	size_t	 n = 0;

	while (s[n] >= '0' && s[n] <= '9')
		n++;
	*end = s + n;
	return n >= 1 && n <= 18 && s[n] == stop;
}

/*
 * A cursor: microseconds since the epoch up to the end of 9999 (what a
 * timestamp holds), "-", a post's id; or NULL.
 */
static const char *
cursor_item(struct arena *a, const char *s)
{
	const char	*e;

	(void)a;
	if (!digits(s, '-', &e) || !digits(e + 1, '\0', &e))
		return NULL;
	if (strtoll(s, NULL, 10) > PUBLIC_USEC_MAX)
		return NULL;
	return s;
}

static const struct input_field list_fields[PL__MAX] = {
	[PL_BEFORE] = { .name = "before", .type = IN_TEXT, .max = 40,
	    .item = cursor_item, .label = "before", .invalid = "before is "
	    "the cursor of a next page's link, such as 1764770000000000-42" },
};

const struct input_form public_list_input = {
	list_fields, PL__MAX, NULL, NULL, 1
};

void
public_cursor(struct req *r, struct public_page *pg)
{
	const char	*b = input_text(r, PL_BEFORE), *dash;

	memset(pg, 0, sizeof(*pg));
	if (*b == '\0' || (dash = strchr(b, '-')) == NULL)
		return;
	pg->usec = arena_strndup(r->a, b, (size_t)(dash - b));
	pg->id = dash + 1;
}

const char *
public_base(struct req *r)
{
	const char	*u = r->conf->public_url;
	size_t		 n = strlen(u);

	while (n > 0 && u[n - 1] == '/')
		n--;
	return arena_strndup(r->a, u, n);
}

json_t *
public_tag_links(struct req *r, json_t *tags, const char *unit)
{
	json_t		*out = req_array(r), *t;
	const char	*s;
	size_t		 i;

	json_array_foreach(tags, i, t) {
		if ((s = json_string_value(t)) == NULL)
			continue;
		json_array_append_new(out, json_pack("{s:s, s:s}", "tag", s,
		    "href", unit != NULL ? arena_printf(r->a, "/u/%s/t/%s",
		    unit, urlenc_segment(r->a, s)) : arena_printf(r->a,
		    "/t/%s", urlenc_segment(r->a, s))));
	}
	return out;
}

const char *
public_posts(struct req *r, json_t *posts, const char *unit,
    const char *base)
{
	json_t		*p;
	const char	*next = NULL;
	size_t		 i;

	if (json_array_size(posts) > PUBLIC_PER_PAGE) {
		p = json_array_get(posts, PUBLIC_PER_PAGE - 1);
		next = arena_printf(r->a, "%s?before=%s", base,
		    json_string_value(json_object_get(p, "cursor")));
		while (json_array_size(posts) > PUBLIC_PER_PAGE)
			json_array_remove(posts, PUBLIC_PER_PAGE);
	}
	json_array_foreach(posts, i, p) {
		json_object_set_new(p, "href", json_string(arena_printf(r->a,
		    "/u/%s/%s", json_string_value(json_object_get(p, "unit")),
		    json_string_value(json_object_get(p, "slug")))));
		json_object_set(p, "tags", public_tag_links(r,
		    json_object_get(p, "tags"), unit));
		json_object_set_new(p, "has_tags", json_boolean(
		    json_array_size(json_object_get(p, "tags")) > 0));
	}
	return next;
}

const char *
public_html(struct req *r, const char *body)
{
	char		*src = arena_strdup(r->a, body != NULL ? body : "");
	const char	*out;
	size_t		 i, n = 0;
	struct buf	 html;

	for (i = 0; src[i] != '\0'; i++)
		if ((unsigned char)src[i] >= 0x20 || src[i] == '\t' ||
		    src[i] == '\n' || src[i] == '\r')
			src[n++] = src[i];
	src[n] = '\0';
	buf_init(&html);
	out = markdown_html(src, n, &html) && html.len > 0 ?
	    arena_strndup(r->a, html.data, html.len) : "";
	buf_free(&html);
	return out;
}

int
public_slug_ok(const char *s)
{
	size_t	 n;

	for (n = 0; s[n] != '\0'; n++)
		if (!((s[n] >= 'a' && s[n] <= 'z') || (s[n] >= '0' &&
		    s[n] <= '9') || (s[n] == '-' && n > 0 && s[n + 1] != '\0' &&
		    s[n + 1] != '-')))
			return 0;
	return n >= 1 && n <= 70;
}

int
public_tag_ok(const char *s)
{
	size_t	 n;

	for (n = 0; s[n] != '\0'; n++)
		if ((unsigned char)s[n] < 0x20 || s[n] == 0x7f)
			return 0;
	return n >= 1 && n <= 400;
}

int
public_post_url(struct req *r, long long id, json_t *post)
{
	const char	*path;
	int		 rc;

	if ((rc = public_db_post_path(r, id, &path)) < 0)
		return -1;
	json_object_set_new(post, "url", rc == 1 ? json_string(arena_printf(
	    r->a, "%s%s", public_base(r), path)) : json_null());
	return 0;
}
