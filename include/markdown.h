/*
 * markdown.h: CommonMark to HTML with libcmark, safe for {{{ }}}.
 *
 * Raw HTML in the source is omitted (cmark's safe default), links and
 * images with dangerous schemes (javascript:, vbscript:, file:, data:
 * other than images) lose their URL, invalid UTF-8 is replaced, and every
 * external link (an absolute http or https URL, or one starting with //)
 * gets rel="nofollow noopener".  Headings go one level down (# is <h2>,
 * ###### stays <h6>): the page around the text has its own <h1>.  The
 * output is escaped by construction.
 */
#ifndef MARKDOWN_H
#define MARKDOWN_H

#include <stddef.h>

#define MARKDOWN_MAX	(1024 * 1024)

struct buf;

/*
 * Append the HTML of the n bytes of CommonMark at src to out.  Returns 1,
 * or 0 (out untouched) when n exceeds MARKDOWN_MAX.
 */
int	markdown_html(const char *src, size_t n, struct buf *out);

#endif
