/*
 * scope.c: load the unit of a route's {slug} and the caller's role in it
 * once, before the handler, and refuse as the route table declares.
 *
 * A unit the caller may not see is 404; so is a refusal the route
 * declares hidden, with the same message, so that the answer does not
 * tell whether the unit exists.
 */
#include "config.h"

#include <string.h>
#include <strings.h>

#include "app.h"
#include "db.h"
#include "kv.h"
#include "page_db.h"
#include "page_mem.h"
#include "req.h"
#include "router.h"
#include "scope.h"
#include "session.h"
#include "unit_db.h"

#define NO_UNIT	"there is no unit at this address"
/* The stamp of an answer built from the session's row alone. */
#define MINE_STAMP	"mine"

/* A role's rank: guest 1 to owner 4; 0 for none or unknown. */
static int
scope_rank(const char *role)
{
	static const char *const ranks[] = {
		"guest", "author", "editor", "owner"
	};
	int	 i;

	for (i = 0; role != NULL && i < 4; i++)
		if (strcmp(role, ranks[i]) == 0)
			return i + 1;
	return 0;
}

/* Whether word is one of the space-separated words of list. */
static int
scope_word(const char *list, const char *word)
{
	size_t	 n = strlen(word), len;

	while (*list != '\0') {
		len = strcspn(list, " ");
		if (len == n && strncmp(list, word, n) == 0)
			return 1;
		list += len + (list[len] == ' ');
	}
	return 0;
}

enum scope_answer
scope_decide(const struct route_unit *u, const char *role, unsigned hub,
    int self, const char *state)
{
	int	 pass;

	if (u->role != NULL) {
		pass = (*role != '\0' && scope_rank(role) >=
		    scope_rank(u->role)) ||
		    ((u->flags & UNIT_ADMIN) && (hub & HUB_ADMIN)) ||
		    ((u->flags & UNIT_HUB) && hub != 0) ||
		    ((u->flags & UNIT_SELF) && self);
		if (!pass && ((u->flags & UNIT_DENY_404) ||
		    ((u->flags & UNIT_HIDE) && *role == '\0' && hub == 0)))
			return SCOPE_HIDDEN;
		if (!pass)
			return SCOPE_FORBIDDEN;
	}
	if (u->states != NULL && (state == NULL || !scope_word(u->states,
	    state)))
		return SCOPE_WRONG_STATE;
	return SCOPE_OK;
}

/* What of the unit the route needs loaded. */
static enum unit_load
scope_load(const struct req *r)
{
	const struct route_unit	*u = r->route->unit;

	/* A route that reads nothing of the unit gets the least of it. */
	if (u->flags & UNIT_LIGHT)
		return UNIT_LOAD_SCOPE;
	if ((u->flags & UNIT_PAGE) && r->fmt == FMT_HTML)
		return UNIT_LOAD_PAGE;
	return UNIT_LOAD_GET;
}

void
scope_prefetch(struct req *r)
{
	const char	*slug;

	if (r->db == NULL)
		return;
	/* The caller's units, unless the worker keeps the answer. */
	if ((r->route->flags & ROUTE_MINE) && !page_mem_candidate(r))
		unit_db_mine_prefetch(r);
	if (r->route->flags & ROUTE_POST_PAGE)
		page_db_prefetch(r);
	if (r->route->unit == NULL ||
	    (slug = kv_get(&r->params, "slug")) == NULL)
		return;
	/*
	 * The page's statement is most often its last; when a worker keeps
	 * the page, its counters instead (page_mem.h).
	 */
	if (scope_load(r) == UNIT_LOAD_PAGE && page_mem_candidate(r))
		unit_db_stamp_prefetch(r, slug);
	else
		unit_db_prefetch(r, slug, scope_load(r),
		    scope_load(r) == UNIT_LOAD_PAGE);
}

/*
 * Load the unit page of slug into *unit, or find that the worker's kept
 * page answers r (1, *unit NULL): as unit_db_page().
 */
static int
scope_page(struct req *r, const char *slug, json_t **unit)
{
	const char	*stamp;
	int		 rc;

	*unit = NULL;
	if (r->sess != NULL && page_mem_candidate(r)) {
		if ((rc = unit_db_stamp(r, slug, &stamp)) < 0)
			return rc;
		if (rc == 1 && page_mem_answer(r, stamp))
			return 1;
	}
	if ((rc = unit_db_page(r, slug, unit)) != 1)
		return rc;
	page_mem_built(r, json_string_value(json_object_get(*unit, "stamp")));
	json_object_del(*unit, "stamp");
	return 1;
}

int
scope_check(struct req *r)
{
	const struct route_unit	*u = r->route->unit;
	const char		*email, *role, *state, *slug;
	json_t			*unit;
	int			 rc, self;

	/*
	 * A list of the caller's units is built from the session's row
	 * alone (its units_stamp moves with the list, 050_units_stamp.sql).
	 */
	if (r->route->flags & ROUTE_MINE) {
		if (r->sess != NULL && page_mem_answer(r, MINE_STAMP))
			return 0;	/* answered from memory */
		page_mem_built(r, MINE_STAMP);
	}
	if (u == NULL)
		return 0;
	slug = kv_get(&r->params, "slug");
	switch (scope_load(r)) {
	case UNIT_LOAD_SCOPE:
		rc = unit_db_scope(r, slug, &unit);
		break;
	case UNIT_LOAD_PAGE:
		if ((rc = scope_page(r, slug, &unit)) == 1 && unit == NULL)
			return 0;	/* answered from memory */
		break;
	default:
		rc = unit_db_get(r, slug, &unit);
	}
	if (rc < 0)
		return req_db_fail(r);
	if (rc == 0)
		return req_fail(r, 404, "not_found", NULL, NO_UNIT);
	if ((role = json_string_value(json_object_get(unit, "my_role"))) ==
	    NULL)
		role = "";
	state = json_string_value(json_object_get(unit, "state"));
	email = kv_get(&r->params, "email");
	self = r->sess != NULL && email != NULL &&
	    strcasecmp(email, r->sess->p.email) == 0;
	switch (scope_decide(u, role, r->sess != NULL ? r->sess->roles : 0,
	    self, state)) {
	case SCOPE_HIDDEN:
		return req_fail(r, 404, "not_found", NULL, "%s",
		    (u->flags & UNIT_DENY_404) && u->deny != NULL ? u->deny :
		    NO_UNIT);
	case SCOPE_FORBIDDEN:
		return req_fail(r, 403, "forbidden", NULL, "%s", u->deny);
	case SCOPE_WRONG_STATE:
		return req_fail(r, 409, "illegal_transition", NULL, "%s",
		    u->wrong_state);
	default:
		break;
	}
	r->unit = unit;
	r->unit_role = role;
	return 0;
}
