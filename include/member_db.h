/*
 * member_db.h: the database side of managing a unit's members: a role
 * or a guest's last day changed, a member removed, a member leaving.
 *
 * Row-level security decides who may (sql/003_units.sql): the unit's
 * owners and hub admins change and remove anyone, and every member
 * removes themself; for anyone else the statements find no row.
 * sql/006_members.sql keeps at least one owner in every unit.  Only
 * current members count: a guest past their last day is no longer one.
 * Return convention of db.h: 0 when no row was found (see
 * member_db_find() for why); refused 409 last_owner when the unit would
 * be left without an owner.
 */
#ifndef MEMBER_DB_H
#define MEMBER_DB_H

#include <jansson.h>

struct req;

/*
 * SQL: the last day of access of a membership whose access ends at the
 * timestamptz col (the start of the next day, UTC), as YYYY-MM-DD, or ''
 * when it does not end.  Every statement that shows a member uses it.
 */
#define MEMBER_LAST_DAY(col) \
	"coalesce(to_char((" col " AT TIME ZONE 'UTC') - " \
	"interval '1 microsecond', 'YYYY-MM-DD'), '')"

/*
 * SQL: a member as the API shows it, {"email","name","role","expires_at"}
 * (null for members without a last day), from people p and the
 * membership m; its columns are member_cols (dbrow.h).
 */
#define MEMBER_COLUMNS \
	"p.email AS email, p.name AS name, m.role AS role, " \
	"nullif(" MEMBER_LAST_DAY("m.expires_at") ", '') AS expires_at"

extern const struct db_cols	member_cols;

/* A membership that was changed or removed. */
struct member_change {
	long long	 unit;		/* the unit's id */
	long long	 person;	/* the member's id */
	int		 self;		/* the member is the acting person */
	json_t		*member;	/* the member as now (removed: as
					   was) */
	json_t		*before;	/* {"email","role","expires_at"}
					   before */
	json_t		*after;		/* the same after; NULL once removed */
};

/*
 * Give email's membership of unit slug the role, and last_day
 * (YYYY-MM-DD, checked by the caller) when the role is guest, "" for
 * other roles.  Fills *c; its JSON values belong to the request's arena.
 */
int	member_db_set(struct req *, const char *slug, const char *email,
	    const char *role, const char *last_day, struct member_change *c);

/* End email's membership of unit slug.  Fills *c as member_db_set(). */
int	member_db_remove(struct req *, const char *slug, const char *email,
	    struct member_change *c);

/*
 * Why a statement above found no row: *visible tells whether the acting
 * person sees the members of unit slug (not: no such unit, or not theirs
 * to see), *found whether email is one of them (then the person was not
 * allowed).  1, 0 or -1 as db.h.
 */
int	member_db_find(struct req *, const char *slug, const char *email,
	    int *visible, int *found);

/*
 * The unit's pending invitations (not accepted, revoked or expired),
 * oldest first, appended to out as [{"id","email","role","expires_at"
 * (a guest's last day, or null),"invited_by","invited_at",
 * "link_expires_at"}]; none unless the acting person owns the unit or is
 * a hub admin (row-level security).
 */
int	member_db_invitations(struct req *, const char *slug, json_t *out);

/*
 * Revoke pending invitation id (decimal digits, checked by the caller)
 * of unit slug in the acting person's name: 1 with *before
 * {"email","role","expires_at"} (the request's arena's) and *unit; 0
 * when no such pending invitation is theirs to revoke.
 */
int	member_db_revoke(struct req *, const char *slug, const char *id,
	    json_t **before, long long *unit);

#endif
