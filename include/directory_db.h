/*
 * directory_db.h: the hub's directory of units, read under row-level
 * security: it lists exactly the units the acting person may see.
 */
#ifndef DIRECTORY_DB_H
#define DIRECTORY_DB_H

#include <jansson.h>

struct req;

struct directory_filter {
	const char	*q;		/* part of the name or address, or "" */
	const char	*state;		/* a unit state, or "" */
	const char	*kind;		/* a unit kind, or "" */
	const char	*region;	/* a region as stored, or "" */
	const char	*sort;		/* "name", "created" or "state" */
	long long	 page;		/* from 1 */
	long long	 per_page;	/* 1 to DIRECTORY_PER_PAGE_MAX */
};

#define DIRECTORY_PER_PAGE	25
#define DIRECTORY_PER_PAGE_MAX	100

/*
 * The regions units name, sorted, appended to out as strings.
 * 1, 0 or -1 as db.h.
 */
int	directory_db_regions(struct req *, json_t *out);

/*
 * One page of the units matching f, appended to out as {"slug", "name",
 * "kind", "region", "state", "created_at", "owners": [{"name",
 * "email"}], "members", "last_decision": {"decision", "reason",
 * "automatic", "decided_at"} or null}; *total is the number matching.
 * The request's last statement.  1, 0 or -1 as db.h.
 */
int	directory_db_list(struct req *, const struct directory_filter *f,
	    json_t *out, long long *total);

#endif
