/* html.c: context-named escapers for HTML text, attributes and JSON. */
#include "config.h"

#include <string.h>

#include "buf.h"
#include "html.h"

void
html_text_n(struct buf *b, const char *s, size_t len)
{
	const char	*rep;
	size_t		 i, run = 0;

	for (i = 0; i < len; i++) {
		switch (s[i]) {
		case '&':  rep = "&amp;"; break;
		case '<':  rep = "&lt;"; break;
		case '>':  rep = "&gt;"; break;
		case '"':  rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		default:   continue;
		}
		buf_add(b, s + run, i - run);
		buf_puts(b, rep);
		run = i + 1;
	}
	buf_add(b, s + run, len - run);
}

void
html_text(struct buf *b, const char *s)
{
	html_text_n(b, s, strlen(s));
}

void
html_attr(struct buf *b, const char *s)
{
	html_text_n(b, s, strlen(s));
}
