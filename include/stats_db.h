/*
 * stats_db.h: the database side of what each guideline rule achieves
 * (sql/032_guide_stats.sql).
 *
 * Row-level security decides whose numbers are read: hub admins and hub
 * communicators read every unit's, a unit's owners their units', anyone
 * else none.  Return convention of db.h; every JSON value returned
 * belongs to the request's arena.
 */
#ifndef STATS_DB_H
#define STATS_DB_H

#include <jansson.h>

struct req;

/* What the statistics of one request hold. */
struct guide_stats {
	int	 reader;	/* the caller reads some unit's numbers */
	int	 unit_ok;	/* no unit asked, or one whose numbers the
				   caller reads */
	json_t	*rules;		/* [{"rule","kind","scope","message",
				   "fired","muted","saves","suggested",
				   "accepted","declined","left_open","rate",
				   "units":[{"unit","name",...the same
				   numbers}]}], by rule id, units by slug */
};

/*
 * The statistics per rule, and per unit and rule, of unit slug (""
 * for every unit the caller reads), into *out, in one statement.  A
 * rule removed since has "kind", "scope" and "message" null; "rate" is
 * accepted / (accepted + declined), null before any decision.  1, or -1
 * failed.
 */
int	stats_db_read(struct req *, const char *slug, struct guide_stats *);

/*
 * The same as the request's last statement (a read-only transaction
 * ends with it).
 */
int	stats_db_read_last(struct req *, const char *slug,
	    struct guide_stats *);

#endif
