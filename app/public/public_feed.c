/*
 * public_feed.c: Atom 1.0 feeds (RFC 4287) of the latest published
 * posts: the confederation's (/feed.atom), a unit's and a tag's.
 *
 * Written here with xml_text(), which escapes and drops what XML 1.0
 * cannot carry.  Each entry's id is a tag: URI (RFC 4151) made of the
 * site's host, the day of the post's first publication and its number,
 * so it stays the same across edits and publications; the feed's id is
 * its own address.  The content is the post's HTML, as the post's page
 * shows it, escaped as text of type="html" (section 3.1.1.2); the
 * summary is the post's description as plain text.
 */
#include "config.h"

#include <string.h>

#include "app.h"
#include "arena.h"
#include "buf.h"
#include "conf.h"
#include "html.h"
#include "input.h"
#include "kv.h"
#include "public.h"
#include "public_db.h"
#include "req.h"
#include "urlenc.h"

#define ATOM_TYPE	"application/atom+xml; charset=utf-8"

/* What a feed says of itself. */
struct feed {
	const char	*title;
	const char	*self;		/* its path */
	const char	*page;		/* the page it follows */
	const char	*empty;		/* updated when it has no entry */
};

/* The host of the site's address: the authority of tag: URIs. */
static const char *
feed_host(struct req *r)
{
	const char	*u = r->conf->public_url, *p;

	if ((p = strstr(u, "://")) != NULL)
		u = p + 3;
	return arena_strndup(r->a, u, strcspn(u, ":/"));
}

/* <name>text</name> with an element around it. */
static void
feed_elem(struct buf *b, const char *name, const char *text)
{
	buf_printf(b, "<%s>", name);
	xml_text(b, text != NULL ? text : "");
	buf_printf(b, "</%s>\n", name);
}

/* <link rel="rel" type="type" href="base + path"/>. */
static void
feed_link(struct buf *b, const char *rel, const char *type,
    const char *base, const char *path)
{
	buf_printf(b, "<link rel=\"%s\" type=\"%s\" href=\"", rel, type);
	xml_text(b, base);
	xml_text(b, path);
	buf_puts(b, "\"/>\n");
}

/* One post as an entry. */
static void
feed_entry(struct req *r, struct buf *b, json_t *p, const char *base,
    const char *host)
{
	const char	*pub = json_string_value(json_object_get(p,
			    "published_at"));
	const char	*body = json_string_value(json_object_get(p, "body"));
	const char	*author = json_string_value(json_object_get(p,
			    "author")), *desc;
	json_t		*t;
	size_t		 i;

	buf_puts(b, "<entry>\n<id>tag:");
	xml_text(b, host);
	buf_printf(b, ",%.10s:post-%lld</id>\n", pub, (long long)
	    json_integer_value(json_object_get(p, "id")));
	buf_puts(b, "<title type=\"text\">");
	xml_text(b, json_string_value(json_object_get(p, "title")));
	buf_puts(b, "</title>\n");
	feed_link(b, "alternate", "text/html", base, arena_printf(r->a,
	    "/u/%s/%s", json_string_value(json_object_get(p, "unit")),
	    json_string_value(json_object_get(p, "slug"))));
	feed_elem(b, "published", pub);
	feed_elem(b, "updated", json_string_value(json_object_get(p,
	    "updated_at")));
	buf_puts(b, "<author>");
	feed_elem(b, "name", author != NULL && *author != '\0' ? author :
	    json_string_value(json_object_get(p, "unit_name")));
	buf_puts(b, "</author>\n");
	json_array_foreach(json_object_get(p, "tags"), i, t) {
		buf_puts(b, "<category term=\"");
		xml_text(b, json_string_value(t));
		buf_puts(b, "\"/>\n");
	}
	if ((desc = json_string_value(json_object_get(p, "description"))) !=
	    NULL) {
		buf_puts(b, "<summary type=\"text\">");
		xml_text(b, desc);
		buf_puts(b, "</summary>\n");
	}
	buf_puts(b, "<content type=\"html\">");
	xml_text(b, public_html(r, body));
	buf_puts(b, "</content>\n</entry>\n");
}

/* The latest update of posts (ISO 8601 texts compare as times), or dflt. */
static const char *
feed_updated(json_t *posts, const char *dflt)
{
	const char	*max = dflt, *u;
	json_t		*p;
	size_t		 i;

	json_array_foreach(posts, i, p) {
		u = json_string_value(json_object_get(p, "updated_at"));
		if (u != NULL && (max == NULL || strcmp(u, max) > 0))
			max = u;
	}
	return max;
}

/* Answer the feed f of posts (at most PUBLIC_PER_PAGE). */
static int
feed_answer(struct req *r, const struct feed *f, json_t *posts)
{
	const char	*base = public_base(r), *host = feed_host(r);
	struct buf	 b;
	json_t		*p;
	size_t		 i;

	buf_init(&b);
	buf_puts(&b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
	    "<feed xmlns=\"http://www.w3.org/2005/Atom\">\n<id>");
	xml_text(&b, base);
	xml_text(&b, f->self);
	buf_puts(&b, "</id>\n");
	feed_elem(&b, "title", f->title);
	feed_elem(&b, "updated", feed_updated(posts, f->empty));
	feed_link(&b, "self", "application/atom+xml", base, f->self);
	feed_link(&b, "alternate", "text/html", base, f->page);
	buf_puts(&b, "<author>");
	feed_elem(&b, "name", r->conf->site_name);
	buf_puts(&b, "</author>\n<generator>Chapterhouse</generator>\n");
	json_array_foreach(posts, i, p) {
		if (i == PUBLIC_PER_PAGE)
			break;
		feed_entry(r, &b, p, base, host);
	}
	buf_puts(&b, "</feed>\n");
	r->resp.raw = arena_strndup(r->a, b.data, b.len);
	r->resp.raw_len = b.len;
	r->resp.raw_type = ATOM_TYPE;
	buf_free(&b);
	return 200;
}

int
public_feed(struct req *r)
{
	struct public_page	 pg = { NULL, NULL, 1 };
	struct feed		 f;
	json_t			*d;

	if (public_db_front(r, &pg, 0, &d) < 0)
		return req_db_fail(r);
	f.title = r->conf->site_name;
	f.self = "/feed.atom";
	f.page = "/";
	f.empty = "1970-01-01T00:00:00Z";
	return feed_answer(r, &f, json_object_get(d, "posts"));
}

int
public_unit_feed(struct req *r)
{
	const char		*slug = kv_get(&r->params, "slug");
	struct public_page	 pg = { NULL, NULL, 1 };
	struct feed		 f;
	json_t			*u;
	int			 rc;

	if (input_slug_problem(slug) != NULL)
		return req_fail(r, 404, "not_found", NULL, "there is no unit "
		    "at this address");
	if ((rc = public_db_unit(r, slug, "", &pg, &u)) < 0)
		return req_db_fail(r);
	if (rc == 0)
		return req_fail(r, 404, "not_found", NULL, "there is no unit "
		    "at this address");
	f.title = json_string_value(json_object_get(u, "name"));
	f.self = arena_printf(r->a, "/u/%s/feed.atom", slug);
	f.page = arena_printf(r->a, "/u/%s", slug);
	f.empty = json_string_value(json_object_get(u, "created_at"));
	return feed_answer(r, &f, json_object_get(u, "posts"));
}

int
public_tag_feed(struct req *r)
{
	const char		*tag = kv_get(&r->params, "tag"), *path;
	struct public_page	 pg = { NULL, NULL, 1 };
	struct feed		 f;
	json_t			*d, *posts;

	if (!public_tag_ok(tag))
		return req_fail(r, 404, "not_found", NULL, "no published post "
		    "has this tag");
	if (public_db_tag(r, tag, &pg, &d) < 0)
		return req_db_fail(r);
	posts = json_object_get(d, "posts");
	if (json_array_size(posts) == 0)
		return req_fail(r, 404, "not_found", NULL, "no published post "
		    "has this tag");
	path = arena_printf(r->a, "/t/%s", urlenc_segment(r->a, tag));
	f.title = arena_printf(r->a, "%s: %s", r->conf->site_name, tag);
	f.self = arena_printf(r->a, "%s/feed.atom", path);
	f.page = path;
	f.empty = NULL;
	return feed_answer(r, &f, posts);
}
