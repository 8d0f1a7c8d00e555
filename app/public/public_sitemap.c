/*
 * public_sitemap.c: /sitemap.xml (the Sitemaps protocol 0.9) and
 * /robots.txt.  The sitemap lists the front page, every approved unit's
 * page and every published post's; past PUBLIC_SITEMAP_MAX addresses,
 * /sitemap.xml is an index of its pages /sitemap.xml?page=1, 2, ...
 * A page is read by keyset from the key it begins after, which the
 * database finds from the counts it keeps (sql/046_sitemap_counts.sql):
 * a request costs the same whatever the number of posts, and a page
 * past the last answers 404 from the counts alone.
 * robots.txt leaves the public pages to crawlers, keeps them out of the
 * rest, and names the sitemap.
 */
#include "config.h"

#include "app.h"
#include "arena.h"
#include "buf.h"
#include "html.h"
#include "input.h"
#include "public.h"
#include "public_db.h"
#include "req.h"

#define XML_TYPE	"application/xml; charset=utf-8"
#define SITEMAP_NS	"http://www.sitemaps.org/schemas/sitemap/0.9"

enum { S_PAGE, S__MAX };

static const struct input_field sitemap_fields[S__MAX] = {
	[S_PAGE] = { .name = "page", .type = IN_INT, .min = 1,
	    .max = 1000000, .label = "page", .invalid = "page is the number "
	    "of a page of the sitemap, from 1" },
};

const struct input_form public_sitemap_input = {
	sitemap_fields, S__MAX, NULL, NULL, 1
};

/* Answer b's text as the response of type. */
static int
sitemap_answer(struct req *r, struct buf *b, const char *type)
{
	r->resp.raw = arena_strndup(r->a, b->data, b->len);
	r->resp.raw_len = b->len;
	r->resp.raw_type = type;
	buf_free(b);
	return 200;
}

/* The index of the n pages of the sitemap. */
static int
sitemap_index(struct req *r, long long pages)
{
	const char	*base = public_base(r);
	struct buf	 b;
	long long	 i;

	buf_init(&b);
	buf_puts(&b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
	    "<sitemapindex xmlns=\"" SITEMAP_NS "\">\n");
	for (i = 1; i <= pages; i++) {
		buf_puts(&b, "<sitemap><loc>");
		xml_text(&b, base);
		buf_printf(&b, "/sitemap.xml?page=%lld</loc></sitemap>\n", i);
	}
	buf_puts(&b, "</sitemapindex>\n");
	return sitemap_answer(r, &b, XML_TYPE);
}

int
public_sitemap(struct req *r)
{
	const char	*base = public_base(r), *mod;
	long long	 n, pages, page = input_int(r, S_PAGE, 0), after[3];
	struct buf	 b;
	json_t		*list = req_array(r), *u;
	size_t		 i;

	if (public_db_sitemap_start(r, page, PUBLIC_SITEMAP_MAX, &n,
	    after) < 0)
		return req_db_fail(r);
	pages = (n + PUBLIC_SITEMAP_MAX - 1) / PUBLIC_SITEMAP_MAX;
	if (page == 0 && pages > 1)
		return sitemap_index(r, pages);
	if (page > (pages > 0 ? pages : 1))
		return req_fail(r, 404, "not_found", NULL, "the sitemap has "
		    "%lld pages", pages);
	if (public_db_sitemap(r, after, PUBLIC_SITEMAP_MAX, list) < 0)
		return req_db_fail(r);
	buf_init(&b);
	buf_puts(&b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
	    "<urlset xmlns=\"" SITEMAP_NS "\">\n");
	json_array_foreach(list, i, u) {
		buf_puts(&b, "<url><loc>");
		xml_text(&b, base);
		xml_text(&b, json_string_value(json_object_get(u, "path")));
		buf_puts(&b, "</loc>");
		if ((mod = json_string_value(json_object_get(u, "lastmod"))) !=
		    NULL) {
			buf_puts(&b, "<lastmod>");
			xml_text(&b, mod);
			buf_puts(&b, "</lastmod>");
		}
		buf_puts(&b, "</url>\n");
	}
	buf_puts(&b, "</urlset>\n");
	return sitemap_answer(r, &b, XML_TYPE);
}

int
public_robots(struct req *r)
{
	struct buf	 b;

	buf_init(&b);
	buf_puts(&b, "User-agent: *\n"
	    "Allow: /$\n"
	    "Allow: /u/\n"
	    "Allow: /t/\n"
	    "Allow: /feed.atom\n"
	    "Allow: /sitemap.xml\n"
	    "Allow: /static/\n"
	    "Disallow: /\n"
	    "Sitemap: ");
	buf_puts(&b, public_base(r));
	buf_puts(&b, "/sitemap.xml\n");
	return sitemap_answer(r, &b, "text/plain; charset=utf-8");
}
