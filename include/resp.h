/*
 * resp.h: the one place that turns a handled request into bytes:
 * status line, security headers, content type, and the body as a page or
 * as JSON.
 */
#ifndef RESP_H
#define RESP_H

struct buf;
struct req;

/* Reason phrase of an HTTP status (RFC 9110 section 15). */
const char	*http_reason(int status);

/* Add a response header; CR and LF in value are replaced by spaces. */
void		 resp_header(struct req *, const char *name, const char *value);

/*
 * Render r's response: CGI header lines into head (ending with the blank
 * line) and the body into body (empty for HEAD).  A view that does not
 * exist becomes a 500 error page, never a crash.
 */
void		 resp_render(struct req *, struct buf *head, struct buf *body);

#endif
