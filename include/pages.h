/*
 * pages.h: the HTML pages, rendered from a view name and its data.
 *
 * Every page shares one layout.  Values from the data are written with
 * the escapers of html.h; no page writes an unescaped value.
 */
#ifndef PAGES_H
#define PAGES_H

#include <jansson.h>

struct buf;
struct req;

/*
 * Render view with data into out, inside the layout.  Returns 1, or 0 when
 * no page has that name (a programming error the caller answers with 500).
 */
int	page_render(const struct req *, const char *view, json_t *data,
	    struct buf *out);

/* Render the error page for status with a message. */
void	page_error(const struct req *, int status, const char *reason,
	    const char *message, struct buf *out);

#endif
