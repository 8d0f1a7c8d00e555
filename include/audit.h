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
 * none), with before and after values (either may be NULL; borrowed).
 * Returns 1, or -1 as db.h.
 */
int	audit_add(struct req *, const char *action, const char *type,
	    const char *id, long long unit, json_t *before, json_t *after);

struct audit_filter {
	const char	*actor;		/* e-mail address, or "" */
	const char	*unit;		/* slug, or "" */
	const char	*action;	/* e.g. "unit.approve", or "" */
	const char	*from;		/* YYYY-MM-DD (UTC), or "" */
	const char	*to;		/* YYYY-MM-DD inclusive, or "" */
};

/*
 * The newest 1,000 audit rows matching f (hub admins only, by row-level
 * security), appended to out as {"at","actor","actor_name","action",
 * "object_type","object_id","unit","before","after"}.  The request's last
 * statement.  1, or -1 as db.h.
 */
int	audit_list(struct req *, const struct audit_filter *f, json_t *out);

#endif
