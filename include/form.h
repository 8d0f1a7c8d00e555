/*
 * form.h: what the pages and the JSON API share about input: field
 * validators and the answer to a bad form.
 */
#ifndef FORM_H
#define FORM_H

#include <jansson.h>

struct req;

#define NAME_MAX_CHARS	100
#define EMAIL_MAX	254

/*
 * Answer bad input.  For a page: view again with data plus
 * "errors": {field: message} and "alert": message, with status; for JSON:
 * {"error": {code, message, field}}.  Returns status.
 */
int		 form_fail(struct req *, int status, const char *view,
		    json_t *data, const char *code, const char *field,
		    const char *msg);

/*
 * A required text field, trimmed of surrounding white space: its value,
 * or NULL after form_fail() with 422 (missing, empty, too long, control
 * characters).  label names the field in the message.
 */
const char	*form_text(struct req *, const char *view, json_t *data,
		    const char *field, const char *label, size_t max_chars);

/* An e-mail address (RFC 5321 sizes, no spaces, quotes or brackets). */
int		 form_email_valid(const char *);

/* A role in a unit: owner, editor, author or guest. */
int		 form_unit_role(const char *);

/*
 * A guest's last day: YYYY-MM-DD, from tomorrow (UTC) to a year ahead.
 * NULL is not one.
 */
int		 form_last_day(const char *);

/*
 * Hash a new password (within the hash cap): 1 with out filled, 0 after
 * answering 503 (busy) or 500; the caller returns r->resp.status.
 */
int		 form_hash(struct req *, const char *pw, char *out);

/*
 * Check pw against stored.  NULL (an unknown account) and a hash that
 * cannot be checked (such as "!") are no match, found after hashing a
 * decoy, so every answer takes the time of one hash.  1 match, 0 no
 * match, -1 after answering 503 (busy).
 */
int		 form_verify(struct req *, const char *stored, const char *pw);

#endif
