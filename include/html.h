/*
 * html.h: escapers named for the context they write into.
 *
 * html_text() is for element content, html_attr() for a double-quoted
 * attribute value.  Both escape & < > " ' so a value can never end the
 * element or the attribute it is placed in.
 */
#ifndef HTML_H
#define HTML_H

#include <stddef.h>

struct buf;

void	html_text(struct buf *, const char *);
void	html_attr(struct buf *, const char *);

/* Append s as a JSON string body without quotes (for hand-made JSON). */
void	json_str(struct buf *, const char *);

#endif
