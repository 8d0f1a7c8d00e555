/*
 * router.h: method + path pattern to route.
 *
 * Patterns are literal segments and {name} parameters, each parameter
 * matching exactly one non-empty segment: "/units/{slug}/posts/{id}".
 * A HEAD request matches the GET route of the same path.
 */
#ifndef ROUTER_H
#define ROUTER_H

#include <stddef.h>

#include "kv.h"

enum http_method {
	M_GET		= 1 << 0,
	M_HEAD		= 1 << 1,
	M_POST		= 1 << 2,
	M_PUT		= 1 << 3,
	M_PATCH		= 1 << 4,
	M_DELETE	= 1 << 5,
	M_OPTIONS	= 1 << 6
};

#define ROUTER_MAX_SEGMENTS	32

struct req;

/* Route flags: what the dispatcher does around the handler. */
#define ROUTE_TX_RO	0x01	/* read-only transaction (lazy) */
#define ROUTE_TX_RW	0x02	/* read-write transaction (lazy) */
#define ROUTE_NO_CSRF	0x04	/* unsafe method exempt from CSRF */
#define ROUTE_API	0x08	/* always answers JSON */
#define ROUTE_ANY_RULES	0x10	/* reachable before accepting the use rules */
#define ROUTE_PUBLIC	0x20	/* the public's page: no session is looked
				   up, whatever cookie comes, so the answer
				   is the same for everyone; always HTML
				   (or its own type), never JSON */
#define ROUTE_CACHE	0x40	/* shared caches may keep the answer to
				   GET without a session (public.h:
				   public_cache_check()): validators of the
				   confederation's last public change */
#define ROUTE_CACHE_UNIT 0x80	/* with ROUTE_CACHE: validators of the
				   last public change of the unit of
				   {slug} */
#define ROUTE_MINE	0x100	/* the handler lists the caller's units
				   (unit_db_mine()) and reads nothing else:
				   the list goes with the session lookup */
#define ROUTE_POST_PAGE	0x200	/* the handler reads the post page of {id}
				   (page_db_post()) first: its statement
				   goes with the session lookup */

enum route_access {
	ACCESS_ANON,		/* anyone */
	ACCESS_PERSON,		/* signed in (else 303 to /login, or 401) */
	ACCESS_HUB_ADMIN,	/* signed in with the hub role admin (else
				   403) */
	ACCESS_HUB_COMMS	/* signed in as a hub admin or communicator
				   (else 403) */
};

/*
 * What a route under /units/{slug} needs of that unit; the dispatcher
 * loads it and the caller's role once (scope.h) and refuses for the
 * handler.  A unit the caller may not see is 404.
 */
#define UNIT_ADMIN	0x01	/* hub admins pass the role check */
#define UNIT_HUB	0x02	/* so does every hub role */
#define UNIT_SELF	0x04	/* so does the caller for their own {email} */
#define UNIT_HIDE	0x08	/* refusing someone who is neither a member
				   nor holds a hub role is 404, not 403 */
#define UNIT_DENY_404	0x10	/* refusing anyone is 404 with deny */
#define UNIT_LIGHT	0x20	/* the handler reads nothing of the unit
				   but its address, name and state: load
				   those and the caller's role only, not
				   the whole page */
#define UNIT_PAGE	0x40	/* the handler shows the unit's page with
				   its pending invitations: load those with
				   the unit (unit_db_page()) */

struct route_unit {
	const char	*role;		/* at least guest, author, editor or
					   owner; NULL: whoever sees it */
	unsigned	 flags;		/* UNIT_* */
	const char	*states;	/* "requested changes_requested": the
					   states it allows; NULL: any */
	const char	*deny;		/* why a role is refused (403) */
	const char	*wrong_state;	/* why a state is refused (409) */
};

struct input_form;

struct route {
	unsigned		 method;	/* one enum http_method */
	const char		*pattern;
	int			(*handler)(struct req *);
	unsigned		 flags;
	enum route_access	 access;
	const struct input_form	*input;		/* declared input, or NULL */
	const struct route_unit	*unit;		/* its {slug}'s needs, or
						   NULL */
};

struct router;

/* Parse a method name; returns its bit, or 0 for an unknown method. */
unsigned	 http_method_parse(const char *);

/* Write "GET, HEAD, POST" for a method mask into dst (size n). */
void		 http_methods_format(unsigned mask, char *dst, size_t n);

/*
 * Compile a route table (kept by reference, must outlive the router).
 * Returns NULL and a message in err when a pattern is malformed or two
 * routes share method and pattern: a programming error found at startup.
 */
struct router	*router_new(const struct route *, size_t n, char *err,
		    size_t errlen);
void		 router_free(struct router *);

/*
 * Match method and raw (still percent-encoded) path.  Returns 1 with *rt
 * and the decoded parameters appended to params; or 0 with e->status
 * 404 (no such path), 405 (path exists: *allow holds its methods) or 400
 * (a segment is badly encoded or not UTF-8).
 */
int		 router_match(const struct router *, unsigned method,
		    const char *path, struct arena *, const struct route **rt,
		    struct kvlist *params, unsigned *allow, struct perr *e);

#endif
