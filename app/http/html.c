/* html.c: context-named escapers for HTML text, attributes and XML. */
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

void
xml_text(struct buf *b, const char *s)
{
	const unsigned char	*u = (const unsigned char *)s;
	size_t			 i, run = 0;

	if (s == NULL)
		return;

	for (i = 0; u[i] != '\0'; i++) {
		if (u[i] < 0x20 && u[i] != '\t' && u[i] != '\n' &&
		    u[i] != '\r') {
			html_text_n(b, s + run, i - run);
			run = i + 1;
		} else if (u[i] == 0xef && u[i + 1] == 0xbf &&
		    (u[i + 2] == 0xbe || u[i + 2] == 0xbf)) {
			/* U+FFFE, U+FFFF */
			html_text_n(b, s + run, i - run);
			i += 2;
			run = i + 1;
		}
	}
	html_text_n(b, s + run, i - run);
}
