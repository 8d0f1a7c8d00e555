/*
 * unit_view.c: the unit page's view data, shared by the unit's handlers
 * (units.c) and those of its members (membership.c), which show the
 * page again beside a refused change.
 */
#include "config.h"

#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "arena.h"
#include "handlers.h"
#include "kv.h"
#include "req.h"
#include "session.h"
#include "urlenc.h"
#include "util.h"

/* The roles, and the view key that selects each in a member's form. */
static const struct {
	const char	*role, *key;
} roles[] = {
	{ "owner", "r_owner" }, { "editor", "r_editor" },
	{ "author", "r_author" }, { "guest", "r_guest" },
};

void
unit_page(struct req *r, json_t *u)
{
	const char	*state;

	state = json_string_value(json_object_get(u, "state"));
	json_object_set_new(u, "has_changes", json_boolean(json_array_size(
	    json_object_get(u, "changes")) > 0));
	json_object_set_new(u, "has_members", json_boolean(json_array_size(
	    json_object_get(u, "members")) > 0));
	json_object_set_new(u, "can_invite", json_boolean(strcmp(
	    json_string_value(json_object_get(u, "my_role")), "owner") == 0 ||
	    (r->sess != NULL && (r->sess->roles & HUB_ADMIN))));
	if (kv_get(&r->query, "invited") != NULL)
		json_object_set_new(u, "notice", json_string("The invitation "
		    "is on its way."));
	json_object_set_new(u, "can_edit", json_boolean(json_is_true(
	    json_object_get(u, "mine")) && (strcmp(state, "requested") == 0 ||
	    strcmp(state, "changes_requested") == 0)));
	json_object_set_new(u, "has_answers", json_boolean(json_array_size(
	    json_object_get(u, "answers")) > 0));
	json_object_set_new(u, "is_approved", json_boolean(strcmp(state,
	    "approved") == 0));
	json_object_set_new(u, "can_review_mode", json_boolean(strcmp(state,
	    "approved") == 0 && strcmp(json_string_value(json_object_get(u,
	    "my_role")), "owner") == 0));
	/* Authors and up read the guidelines; owners keep them. */
	json_object_set_new(u, "reads_guidelines", json_boolean(
	    !json_is_true(json_object_get(u, "can_review_mode")) &&
	    strstr(" author editor owner ", arena_printf(r->a, " %s ",
	    json_string_value(json_object_get(u, "my_role")))) != NULL));
	json_object_set_new(u, "is_suspended", json_boolean(strcmp(state,
	    "suspended") == 0));
	json_object_set_new(u, "is_archived", json_boolean(strcmp(state,
	    "archived") == 0));
	json_object_set_new(u, "lifecycle", json_boolean(r->sess != NULL &&
	    (r->sess->roles & HUB_ADMIN) && strcmp(state, "archived") != 0));
	membership_view(r, u);
}

/*
 * Select role and show last day in member m's form of the unit page;
 * error (or NULL) is the message beside field.
 */
void
unit_member_form(json_t *m, const char *role, const char *last,
    const char *field, const char *error)
{
	size_t	 i;

	for (i = 0; i < NELEM(roles); i++)
		json_object_set_new(m, roles[i].key,
		    json_boolean(role != NULL &&
		    strcmp(role, roles[i].role) == 0));
	json_object_set_new(m, "form_until", json_string(last));
	json_object_set_new(m, "err_role", json_boolean(error != NULL &&
	    strcmp(field, "role") == 0));
	json_object_set_new(m, "err_until", json_boolean(error != NULL &&
	    strcmp(field, "expires_at") == 0));
	json_object_set_new(m, "member_error", error != NULL ?
	    json_string(error) : json_null());
}

void
membership_view(struct req *r, json_t *u)
{
	const char	*mine = json_string_value(json_object_get(u,
			    "my_role"));
	const char	*email, *last;
	json_t		*m;
	size_t		 i;

	json_object_set_new(u, "can_manage", json_boolean((mine != NULL &&
	    strcmp(mine, "owner") == 0) || (r->sess != NULL &&
	    (r->sess->roles & HUB_ADMIN))));
	json_object_set_new(u, "can_leave", json_boolean(mine != NULL &&
	    *mine != '\0'));
	json_array_foreach(json_object_get(u, "members"), i, m) {
		email = json_string_value(json_object_get(m, "email"));
		last = json_string_value(json_object_get(m, "expires_at"));
		json_object_set_new(m, "n", json_integer((json_int_t)i + 1));
		json_object_set_new(m, "path", json_string(urlenc_segment(r->a,
		    email)));
		json_object_set_new(m, "is_me", json_boolean(r->sess != NULL &&
		    strcasecmp(email, r->sess->p.email) == 0));
		unit_member_form(m,
		    json_string_value(json_object_get(m, "role")),
		    last != NULL ? last : "", NULL, NULL);
	}
	if (kv_get(&r->query, "role_changed") != NULL)
		json_object_set_new(u, "notice", json_string("The member's "
		    "role is saved."));
	if (kv_get(&r->query, "removed") != NULL)
		json_object_set_new(u, "notice", json_string("The member was "
		    "removed from the unit."));
}

