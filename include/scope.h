/*
 * scope.h: the unit a route under /units/{slug} works on, loaded with
 * the caller's role once by the dispatcher, which answers 404, 403 and
 * 409 as the route table declares (struct route_unit in router.h), so
 * that handlers never re-check.
 */
#ifndef SCOPE_H
#define SCOPE_H

struct req;
struct route_unit;

enum scope_answer {
	SCOPE_OK,
	SCOPE_HIDDEN,		/* 404: as if there were no such unit */
	SCOPE_FORBIDDEN,	/* 403: the role is not enough */
	SCOPE_WRONG_STATE	/* 409: not in this state */
};

/*
 * Whether a caller with role in the unit ("" for none), hub roles
 * (HUB_* bits), self (the route's {email} is theirs) may use a route
 * declaring u on a unit in state.  Pure.
 */
enum scope_answer scope_decide(const struct route_unit *u, const char *role,
		    unsigned hub, int self, const char *state);

/*
 * For a route that declares its unit: load the unit of {slug} into
 * r->unit (arena-owned) and the caller's role into r->unit_role, and
 * check them.  0 to go on, or the status after answering (404, 403,
 * 409, or a database failure).
 */
int	scope_check(struct req *);

/*
 * When the request carries a session: send what the route reads first
 * with the session lookup, in the same round trip (db_prefetch()): the
 * unit scope_check() will load, the caller's units (ROUTE_MINE) or the
 * post page (ROUTE_POST_PAGE).
 */
void	scope_prefetch(struct req *);

#endif
