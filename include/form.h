/*
 * form.h: passwords of forms and the API, hashed and checked within the
 * hash cap; the sizes of names and addresses.  Fields are declared and
 * checked in input.h.
 */
#ifndef FORM_H
#define FORM_H

#include <jansson.h>

struct req;

#define NAME_MAX_CHARS	100
#define EMAIL_MAX	254

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
