/*
 * links.c: the links of a post's body as CommonMark reads them, for the
 * link checks of the job worker.
 *
 * cmark gives each link's URL but not where it is written (inline
 * nodes carry no source positions), so the URL is looked for in the
 * text: the first place at or after the previous link where it stands
 * whole (followed by the end, white space or one of ) > " ' ]), which
 * is the destination of an inline link or the autolink; a link through
 * a reference definition written above it is found at its first place.
 * A URL cmark had to unescape is not found, and is left out.
 */
#include "config.h"

#include <string.h>
#include <strings.h>

#include <cmark.h>

#include "guide_links.h"

/* Whether the len bytes at url begin with http:// or https://. */
static int
is_web(const char *url)
{
	return strncasecmp(url, "http://", 7) == 0 ||
	    strncasecmp(url, "https://", 8) == 0;
}

/* Whether the byte after a URL ends it. */
static int
ends_url(const char *p)
{
	return *p == '\0' || strchr(" \t\r\n)>\"']", *p) != NULL;
}

/* The first place of url whole at or after from, or NULL. */
static const char *
find_whole(const char *from, const char *url)
{
	const char	*p;
	size_t		 n = strlen(url);

	for (p = from; (p = strstr(p, url)) != NULL; p++)
		if (ends_url(p + n))
			return p;
	return NULL;
}

/* Code points between two places of a UTF-8 text. */
static size_t
cps(const char *b, const char *e)
{
	size_t	 n = 0;

	for (; b < e; b++)
		if (((unsigned char)*b & 0xc0) != 0x80)
			n++;
	return n;
}

/* Whether a link at byte offset at is in out already. */
static int
taken(json_t *out, json_int_t start)
{
	size_t	 i;
	json_t	*l;

	json_array_foreach(out, i, l)
		if (json_integer_value(json_object_get(l, "start")) == start)
			return 1;
	return 0;
}

json_t *
guide_links_extract(const char *body, size_t max)
{
	cmark_node		*doc, *node;
	cmark_iter		*it;
	cmark_event_type	 ev;
	json_t			*out = json_array();
	const char		*url, *at, *cur = body;
	json_int_t		 start;
	size_t			 len;

	doc = cmark_parse_document(body, strlen(body), CMARK_OPT_DEFAULT);
	it = cmark_iter_new(doc);
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE &&
	    json_array_size(out) < max) {
		node = cmark_iter_get_node(it);
		if (ev != CMARK_EVENT_ENTER ||
		    cmark_node_get_type(node) != CMARK_NODE_LINK)
			continue;
		url = cmark_node_get_url(node);
		if (url == NULL || !is_web(url) ||
		    (len = strlen(url)) > GUIDE_LINK_URL_MAX)
			continue;
		if ((at = find_whole(cur, url)) == NULL &&
		    (at = find_whole(body, url)) == NULL)
			continue;
		start = (json_int_t)cps(body, at);
		if (taken(out, start))
			continue;
		json_array_append_new(out, json_pack("{s:s, s:I, s:I}",
		    "url", url, "start", start, "end",
		    start + (json_int_t)cps(at, at + len)));
		cur = at + len;
	}
	cmark_iter_free(it);
	cmark_node_free(doc);
	return out;
}
