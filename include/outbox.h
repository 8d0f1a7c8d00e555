/*
 * outbox.h: e-mail from request handlers.  A handler never talks to an
 * SMTP server: it renders the message from a text template and queues it
 * as a job in the same transaction as the change that caused it, so a
 * rolled-back change sends nothing and a committed one is delivered by
 * "chapterhouse worker".
 */
#ifndef OUTBOX_H
#define OUTBOX_H

#include <jansson.h>

struct mustache_set;
struct req;

/*
 * The payload of a mail job to address to, rendered from the view
 * "mail_<name>.txt" of views: its first line is "Subject: ...", then a
 * blank line and the body.  The view sees data plus "site" and
 * "public_url".  Returns the compact JSON text {"to", "subject", "body"}
 * (free() it), or NULL with the reason in err (size n) when the view is
 * missing, fails to render, lacks its Subject line or yields text that
 * is not UTF-8.  Pure: the job worker composes its mail with it too.
 */
char	*outbox_payload(const struct mustache_set *views, json_t *site,
	    const char *public_url, const char *to, const char *name,
	    json_t *data, char *err, size_t n);

/*
 * Queue a message to address to, rendered from the view "mail_<name>.txt"
 * whose first line is "Subject: ..." followed by a blank line and the
 * body.  The view sees data plus "site" and "public_url".  data is
 * borrowed (arena-owned, so that a caller may pass req_pack()'s result
 * directly); a NULL data (req_pack() failed) queues nothing.  Returns 1,
 * or -1 when data is NULL or the view is missing or broken (logged, as
 * an error: db_failure() says none) or the insert failed (db.h).
 */
int	outbox_mail(struct req *, const char *to, const char *name,
	    json_t *data);

#endif
