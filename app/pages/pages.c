/*
 * pages.c: the layout and the pages of the site.
 *
 * The layout holds the landmarks (banner, navigation, main, contentinfo),
 * a skip link and the stylesheet; pages fill the main element.  Styles
 * live in static/ so the Content-Security-Policy needs no unsafe-inline.
 */
#include "config.h"

#include <string.h>

#include "buf.h"
#include "conf.h"
#include "html.h"
#include "pages.h"
#include "req.h"
#include "util.h"

static void
layout_open(const struct req *r, const char *title, struct buf *b)
{
	const char	*site = r->conf ? r->conf->site_name : PACKAGE_NAME;

	buf_puts(b, "<!doctype html>\n<html lang=\"en\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n"
	    "<meta name=\"viewport\" content=\"width=device-width, "
	    "initial-scale=1\">\n<title>");
	html_text(b, title);
	buf_puts(b, " \xc2\xb7 ");
	html_text(b, site);
	buf_puts(b, "</title>\n<link rel=\"stylesheet\" "
	    "href=\"/static/style.css\">\n</head>\n<body>\n"
	    "<a class=\"skip\" href=\"#main\">Skip to content</a>\n"
	    "<header class=\"site\">\n<a class=\"brand\" href=\"/\">");
	html_text(b, site);
	buf_puts(b, "</a>\n<nav aria-label=\"Main\">\n<ul>\n"
	    "<li><a href=\"/\">Home</a></li>\n"
	    "<li><a href=\"/healthz\">Status</a></li>\n"
	    "</ul>\n</nav>\n</header>\n<main id=\"main\">\n");
}

static void
layout_close(const struct req *r, struct buf *b)
{
	const char	*site = r->conf ? r->conf->site_name : PACKAGE_NAME;

	buf_puts(b, "</main>\n<footer class=\"site\">\n<p>");
	html_text(b, site);
	buf_puts(b, " runs on Chapterhouse " PACKAGE_VERSION
	    ".</p>\n</footer>\n</body>\n</html>\n");
}

static void
page_home(const struct req *r, json_t *data, struct buf *b)
{
	(void)data;
	layout_open(r, "Home", b);
	buf_puts(b,
	    "<section class=\"hero\" aria-labelledby=\"hero-title\">\n"
	    "<h1 id=\"hero-title\">Equip your units, do not police them</h1>\n"
	    "<p class=\"lead\">A home for confederated organizations: "
	    "autonomous local units publish in their own workspace, learn "
	    "at their own pace and improve their writing through "
	    "suggestions, never through enforcement.</p>\n"
	    "</section>\n"
	    "<section class=\"cards\" aria-label=\"What you can do here\">\n"
	    "<article class=\"card\">\n<h2>Workspaces</h2>\n"
	    "<p>Each chapter, franchise, market or office registers its own "
	    "workspace, states its purpose and audience, and gets admitted "
	    "by the hub.</p>\n</article>\n"
	    "<article class=\"card\">\n<h2>Training, optional by design</h2>\n"
	    "<p>Short courses and guidelines that people take because they "
	    "help, with reminders instead of gates.</p>\n</article>\n"
	    "<article class=\"card\">\n<h2>Review by suggestion</h2>\n"
	    "<p>Reviewers and automatic checks suggest; authors accept or "
	    "decline and publish when they decide.</p>\n</article>\n"
	    "</section>\n");
	layout_close(r, b);
}

static const struct {
	const char	*name;
	void		(*render)(const struct req *, json_t *, struct buf *);
} pages[] = {
	{ "home", page_home },
};

int
page_render(const struct req *r, const char *view, json_t *data,
    struct buf *out)
{
	size_t	 i;

	for (i = 0; i < NELEM(pages); i++)
		if (strcmp(pages[i].name, view) == 0) {
			pages[i].render(r, data, out);
			return 1;
		}
	return 0;
}

void
page_error(const struct req *r, int status, const char *reason,
    const char *message, struct buf *b)
{
	layout_open(r, reason, b);
	buf_printf(b, "<section class=\"error\" aria-labelledby=\"err-title\">\n"
	    "<h1 id=\"err-title\">%d ", status);
	html_text(b, reason);
	buf_puts(b, "</h1>\n<p>");
	html_text(b, message);
	buf_puts(b, "</p>\n<p><a href=\"/\">Go to the front page</a></p>\n"
	    "</section>\n");
	layout_close(r, b);
}
