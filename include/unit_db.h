/*
 * unit_db.h: the database side of units (workspaces), their members and
 * the hub's decisions.  Row-level security decides what the acting
 * person may see and change; these statements never widen it.  Return
 * convention of db.h: 1 found (or done), 0 none, -1 failed; a refusal's
 * answer is declared with its statement (db_refusal()).  JSON values
 * returned belong to the request's arena.
 */
#ifndef UNIT_DB_H
#define UNIT_DB_H

#include <jansson.h>

struct req;

/* Why a request cannot be edited (not waiting, or no longer the caller's). */
extern const char	unit_db_not_waiting[];

struct unit_new {
	const char	*slug;
	const char	*name;
	const char	*kind;
	const char	*parent;	/* slug or "" */
	const char	*region;	/* or "" */
	const char	*purpose;
	const char	*audience;
	const char	*channels;	/* array literal of checked words */
};

/*
 * The acting person's units, as [{"slug","name","state","role"}] by name,
 * appended to out.  The request's last statement.
 */
int	unit_db_mine(struct req *, json_t *out);

/*
 * Send unit_db_mine()'s statement with the session lookup, for a
 * request whose session is still to be found: the lookup, the list and
 * the end of the read in one round trip (db_prefetch()).
 */
void	unit_db_mine_prefetch(struct req *);

/* Whether a unit with this slug is visible (for a parent). */
int	unit_db_exists(struct req *, const char *slug);

/* The state of unit slug, as the acting person sees it, into *state
 * (the request's arena's): 1, or 0 when it may not be seen. */
int	unit_db_state(struct req *, const char *slug, const char **state);

/*
 * Create a requested unit in the acting person's name, with them as its
 * owner; *id is set.  Refused: 409 taken (slug) when the address is
 * taken, 422 invalid (parent) when the parent is not allowed.
 */
int	unit_db_create(struct req *, const struct unit_new *, long long *id);

/*
 * Edit a request that waits (requested or changes_requested) with u's
 * fields; one waiting for changes goes back to requested.  *state is the
 * new state, *before and *after the row before and after.  0 when it is
 * not visible or not waiting.  Refused: 422 (parent), 409 parent_locked
 * when the parent of a waiting request changes, 409 illegal_transition
 * when it is no longer the caller's to edit.
 */
int	unit_db_update(struct req *, const struct unit_new *u, long long *id,
	    const char **state, json_t **before, json_t **after);

/*
 * Units visible to the acting person, oldest first, optionally of one
 * state ("" for all), appended to out as unit objects.
 */
int	unit_db_list(struct req *, const char *state, json_t *out);

/* The units the acting person requested or belongs to, by name. */
int	unit_db_list_mine(struct req *, json_t *out);

/* One visible unit as an object in *out, with its history; 0 when none. */
int	unit_db_get(struct req *, const char *slug, json_t **out);

/*
 * unit_db_get() and, for a signed-in caller, the unit's pending
 * invitations as "invitations" (member_db_invitations()'s objects; an
 * empty array unless the caller owns the unit or is a hub admin; none
 * for nobody): the page /units/{slug} in one statement, with "stamp",
 * the counters it was built from (page_mem.h), for a signed-in caller.
 */
int	unit_db_page(struct req *, const char *slug, json_t **out);

/* What a route's scope loads of its unit (scope.c). */
enum unit_load {
	UNIT_LOAD_GET,		/* unit_db_get() */
	UNIT_LOAD_PAGE,		/* unit_db_page() */
	UNIT_LOAD_SCOPE		/* unit_db_scope() */
};

/*
 * Send the signed-in statement of what, for slug (kept by reference),
 * with the session lookup (db_prefetch(); last: it is the read's last
 * statement).
 */
void	unit_db_prefetch(struct req *, const char *slug, enum unit_load what,
	    int last);

/*
 * The counters of the unit page of slug (049_page_stamps.sql) for a
 * worker's kept page (page_mem.h): sent with the session lookup as the
 * read's last statement, then read: 1 with *stamp, 0 when the caller
 * cannot see the unit, -1.
 */
void	unit_db_stamp_prefetch(struct req *, const char *slug);
int	unit_db_stamp(struct req *, const char *slug, const char **stamp);

/*
 * What a route's access needs of one visible unit, as an object in *out:
 * {"slug","name","state","my_role"} (my_role as unit_db_get() has it, "" for
 * none); 0 when none.  One small statement instead of the whole page.
 */
int	unit_db_scope(struct req *, const char *slug, json_t **out);

/*
 * Move a unit to state and record the decision (reason and the reason
 * code may be "").
 * *before is the old state (arena), *unit the unit's id, and *requester
 * and *name who asked for it and what it is called.  0 when no such
 * unit or when it is already in that state.  Refused with CH409 when the
 * move is not allowed from the present state (the call site words it),
 * 403 forbidden when the acting person may not decide.
 */
int	unit_db_decide(struct req *, const char *slug, const char *state,
	    const char *decision, const char *reason, const char *code,
	    const char **before,
	    long long *unit, const char **req_email, const char **req_name,
	    const char **name);

/*
 * The unit's current members as [{"email","name","role","expires_at"}],
 * appended to out; none when the acting person may not see them.
 */
int	unit_db_members(struct req *, const char *slug, json_t *out);

/*
 * Store an invitation (token digest hash) to slug for email as role
 * (guest_until "" unless a guest), valid ttl seconds.  *unit_name and
 * *unit (its id) are set.
 * 0 when the unit is not visible.  Refused: 403 forbidden when the
 * acting person may not invite, 409 already_invited, 429
 * too_many_invitations (with Retry-After).
 */
int	unit_db_invite(struct req *, const char *slug, const char *email,
	    const char *role, const char *guest_until, const char *hash,
	    int ttl, const char **unit_name, long long *unit);

/*
 * Accept an invitation for the acting person: 1 with *slug, *role and
 * *unit (its id); 0 when the link is unknown, used, revoked or expired,
 * or (*other set) when it was sent to another address than the acting
 * person's.
 */
int	unit_db_accept(struct req *, const char *hash, const char **slug,
	    const char **role, long long *unit, int *other);

#endif
