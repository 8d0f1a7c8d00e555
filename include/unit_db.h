/*
 * unit_db.h: the database side of units (workspaces) and their members.
 * Row-level security decides what the acting person may see; these
 * statements never widen it.  Return convention of db.h.
 */
#ifndef UNIT_DB_H
#define UNIT_DB_H

#include <jansson.h>

struct req;

/*
 * The acting person's units, as [{"slug","name","state","role"}] by name,
 * appended to out.  The request's last statement.
 */
int	unit_db_mine(struct req *, json_t *out);

#endif
