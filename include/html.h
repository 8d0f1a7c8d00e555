/*
 * html.h: escapers named for the context they write into.
 *
 * html_text() is for element content (html_text_n() for n bytes that need
 * not end in NUL), html_attr() for a double-quoted attribute value.
 * Both escape & < > " ' so a value can never end the
 * element or the attribute it is placed in.
 *
 * xml_text() is for XML 1.0 content and attribute values (Atom feeds,
 * sitemaps): it escapes the same five characters and leaves out every
 * character XML 1.0 does not allow (section 2.2: the C0 controls but
 * tab, LF and CR; U+FFFE and U+FFFF), which no escape could carry.  The
 * text must be valid UTF-8; NULL writes nothing.
 */
#ifndef HTML_H
#define HTML_H

#include <stddef.h>

struct buf;

void	html_text(struct buf *, const char *);
void	html_text_n(struct buf *, const char *, size_t);
void	html_attr(struct buf *, const char *);
void	xml_text(struct buf *, const char *);

#endif
