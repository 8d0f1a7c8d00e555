/*
 * html.h: escapers named for the context they write into.
 *
 * html_text() is for element content (html_text_n() for n bytes that need
 * not end in NUL), html_attr() for a double-quoted attribute value.
 * Both escape & < > " ' so a value can never end the
 * element or the attribute it is placed in.
 */
#ifndef HTML_H
#define HTML_H

#include <stddef.h>

struct buf;

void	html_text(struct buf *, const char *);
void	html_text_n(struct buf *, const char *, size_t);
void	html_attr(struct buf *, const char *);

#endif
