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

struct req;

/*
 * Queue a message to address to, rendered from the view "mail_<name>.txt"
 * whose first line is "Subject: ..." followed by a blank line and the
 * body.  The view sees data plus "site" and "public_url".  Returns 1,
 * 0 when the view is missing or broken (logged) or the insert failed,
 * -1 when the database is down.
 */
int	outbox_mail(struct req *, const char *to, const char *name,
	    json_t *data);

#endif
