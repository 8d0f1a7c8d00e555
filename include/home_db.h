/* home_db.h: what a signed-in person's home reads beyond their units. */
#ifndef HOME_DB_H
#define HOME_DB_H

#include <jansson.h>

struct req;

/*
 * The acting person's pending invitations (ch_my_invitations(),
 * sql/012_home.sql), soonest to expire first, appended to out as
 * {"slug", "unit", "role", "inviter", "last_day" (YYYY-MM-DD, guests) or
 * null, "expires_at"}.  1, 0 or -1 as db.h.
 */
int	home_db_invitations(struct req *, json_t *out);

#endif
