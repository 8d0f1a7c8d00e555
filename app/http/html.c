/* html.c: context-named escapers for HTML text, attributes and JSON. */
#include "config.h"

#include <string.h>

#include "buf.h"
#include "html.h"

static void
escape(struct buf *b, const char *s)
{
	const char	*run = s;

	for (; *s != '\0'; s++) {
		const char *rep;

		switch (*s) {
		case '&':  rep = "&amp;"; break;
		case '<':  rep = "&lt;"; break;
		case '>':  rep = "&gt;"; break;
		case '"':  rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		default:   continue;
		}
		buf_add(b, run, (size_t)(s - run));
		buf_puts(b, rep);
		run = s + 1;
	}
	buf_add(b, run, (size_t)(s - run));
}

void
html_text(struct buf *b, const char *s)
{
	escape(b, s);
}

void
html_attr(struct buf *b, const char *s)
{
	escape(b, s);
}

void
json_str(struct buf *b, const char *s)
{
	static const char	 hex[] = "0123456789abcdef";
	unsigned char		 c;

	for (; (c = (unsigned char)*s) != '\0'; s++) {
		if (c == '"' || c == '\\') {
			buf_putc(b, '\\');
			buf_putc(b, (char)c);
		} else if (c < 0x20) {
			buf_puts(b, "\\u00");
			buf_putc(b, hex[c >> 4]);
			buf_putc(b, hex[c & 0xf]);
		} else
			buf_putc(b, (char)c);
	}
}
