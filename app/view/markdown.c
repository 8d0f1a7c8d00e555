/*
 * markdown.c: CommonMark rendering.  cmark's HTML renderer cannot add
 * attributes, so each external link is replaced by a custom inline node
 * that carries its own opening and closing tags around the link's
 * children; everything else is cmark's safe rendering.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cmark.h>

#include "buf.h"
#include "html.h"
#include "markdown.h"
#include "util.h"

static int
is_external(const char *url)
{
	return strncasecmp(url, "http://", 7) == 0 ||
	    strncasecmp(url, "https://", 8) == 0 || strncmp(url, "//", 2) == 0;
}

/* Replace link by a custom inline with rel="nofollow noopener". */
static void
mark_external(cmark_node *link)
{
	cmark_node	*custom, *child;
	const char	*title = cmark_node_get_title(link);
	struct buf	 open;

	buf_init(&open);
	buf_puts(&open, "<a href=\"");
	html_attr(&open, cmark_node_get_url(link));
	buf_puts(&open, "\" rel=\"nofollow noopener\"");
	if (title != NULL && *title != '\0') {
		buf_puts(&open, " title=\"");
		html_attr(&open, title);
		buf_puts(&open, "\"");
	}
	buf_puts(&open, ">");
	custom = cmark_node_new(CMARK_NODE_CUSTOM_INLINE);
	cmark_node_set_on_enter(custom, open.data);
	cmark_node_set_on_exit(custom, "</a>");
	buf_free(&open);
	while ((child = cmark_node_first_child(link)) != NULL)
		cmark_node_append_child(custom, child);
	cmark_node_replace(link, custom);
	cmark_node_free(link);
}

int
markdown_html(const char *src, size_t n, struct buf *out)
{
	cmark_node	*doc, *node, **links = NULL;
	cmark_iter	*it;
	size_t		 nlinks = 0, i;
	char		*html;
	const char	*url;
	int		 level;

	if (n > MARKDOWN_MAX)
		return 0;
	doc = cmark_parse_document(src, n, CMARK_OPT_VALIDATE_UTF8);
	/* Collect first: the tree may not change under the iterator. */
	it = cmark_iter_new(doc);
	while (cmark_iter_next(it) != CMARK_EVENT_DONE) {
		node = cmark_iter_get_node(it);
		if (cmark_iter_get_event_type(it) != CMARK_EVENT_ENTER)
			continue;
		/* The page's own <h1> stays the only one. */
		if (cmark_node_get_type(node) == CMARK_NODE_HEADING &&
		    (level = cmark_node_get_heading_level(node)) < 6)
			cmark_node_set_heading_level(node, level + 1);
		if (cmark_node_get_type(node) != CMARK_NODE_LINK)
			continue;
		url = cmark_node_get_url(node);
		if (url == NULL || !is_external(url))
			continue;
		links = xreallocarray(links, nlinks + 1, sizeof(*links));
		links[nlinks++] = node;
	}
	cmark_iter_free(it);
	for (i = 0; i < nlinks; i++)
		mark_external(links[i]);
	free(links);
	/* Safe is the default from 0.29 on (configure requires it); asked for
	 * all the same, so raw HTML and dangerous URLs never depend on it. */
	html = cmark_render_html(doc, CMARK_OPT_SAFE);
	buf_puts(out, html);
	free(html);
	cmark_node_free(doc);
	return 1;
}
