/*
 * audit.h: the audit log.  A row is written in the transaction of the
 * change it records, in the acting person's name; nobody can change or
 * remove it afterwards (sql/004_decisions.sql).
 */
#ifndef AUDIT_H
#define AUDIT_H

#include <jansson.h>

struct req;

/*
 * Record action (e.g. "unit.approve") on object type/id, in unit (0 for
 * none), with before and after values (either may be NULL; not stolen).
 * Returns 1, 0 or -1 as db.h.
 */
int	audit_add(struct req *, const char *action, const char *type,
	    const char *id, long long unit, json_t *before, json_t *after);

#endif
