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
 * Decimal digits, without sign or leading zero, whose value is in
 * [min, max]: 1 with *out set, else 0 (NULL included).
 */
int		 form_digits(const char *, long long min, long long max,
		    long long *out);

/*
 * Typed fields, read alike from a form and a JSON body: a JSON field is
 * taken in the type the API answers with (and a number also as its
 * digits, as a form sends it).  Each returns 1 with *out set, 0 when the
 * field is absent, -1 when it is there but not of its type; the caller
 * answers, naming the field.
 */

/* A whole number in [min, max]: a JSON integer or form_digits() text.
 * Absent: no member, JSON null, or an empty form field. */
int		 form_int(struct req *, const char *field, long long min,
		    long long max, long long *out);

/*
 * Yes or no: JSON true or false; in a form "on" (a checked box), "true"
 * or "1" for yes and "off", "false", "0" or "" for no.  A form that does
 * not send the field says no (an unchecked box is not sent); a JSON body
 * without it returns 0 and leaves *out, the caller's default.
 */
int		 form_bool(struct req *, const char *field, int *out);

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
