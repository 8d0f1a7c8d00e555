/*
 * membership.c: managing a unit's members.  Its owners (and hub admins)
 * change a member's role or a guest's last day and remove members; every
 * member may leave.  As the JSON API (PUT and DELETE
 * /api/v1/units/{slug}/members/{email}) and as the unit page's forms.
 *
 * The dispatcher loads the unit and refuses whoever may not (the route
 * table's unit needs: 404 to those who may not see its members, so
 * nothing leaks, else 403).  PostgreSQL decides again: row-level
 * security lets only owners and hub admins change or remove others, and
 * a trigger keeps an owner in every unit (SQLSTATE CH409, answered 409
 * last_owner).  A statement that finds no row found no such member.
 *
 * Removing and leaving are confirmed on a page of their own (GET shows
 * what will happen and a button, POST does it): the unit page only links
 * there, so a stray click on it cannot remove anyone.  The pages are
 * built from the unit the dispatcher loaded, so that a refusal by the
 * database, which aborts the transaction, can still show them again.
 */
#include "config.h"

#include <string.h>
#include <strings.h>

#include "app.h"
#include "arena.h"
#include "audit.h"
#include "db.h"
#include "handlers.h"
#include "input.h"
#include "log.h"
#include "member_db.h"
#include "req.h"
#include "session.h"

static const char *const unit_roles[] = {
	"owner", "editor", "author", "guest", NULL
};

/* A role change: the role, and a guest's last day. */
enum { M_ROLE, M_UNTIL, M__MAX };

static const struct input_field role_fields[M__MAX] = {
	[M_ROLE] = { .name = "role", .type = IN_ENUM, .flags = IN_REQUIRED,
	    .allowed = unit_roles, .invalid = "the role is owner, editor, "
	    "author or guest", .missing = "the role is owner, editor, author "
	    "or guest" },
	[M_UNTIL] = { .name = "expires_at", .type = IN_DATE,
	    .flags = IN_FUTURE, .max = 366, .if_name = "role",
	    .if_value = "guest", .invalid = "a guest needs a last day "
	    "(YYYY-MM-DD), from tomorrow to a year ahead" },
};

static json_t	*role_page(struct req *, json_t *, const char *,
		    const char *);

const struct input_form membership_input = {
	role_fields, M__MAX, "unit", role_page, 0
};

static int
no_member(struct req *r)
{
	return req_fail(r, 404, "not_found", "email", "this unit has no "
	    "member with this e-mail address");
}

/* The member of page view u whose address is email, or NULL. */
static json_t *
page_member(json_t *u, const char *email)
{
	json_t	*m;
	size_t	 i;

	json_array_foreach(json_object_get(u, "members"), i, m)
		if (strcasecmp(json_string_value(json_object_get(m, "email")),
		    email) == 0)
			return m;
	return NULL;
}

/*
 * The unit page again after a refused role change, the member's form
 * keeping what was chosen; the message goes beside field.
 */
static json_t *
role_again(struct req *r, const char *field, const char *msg)
{
	const char	*email = kv_get(&r->params, "email");
	const char	*last = kv_get(&r->form, "expires_at");
	json_t		*u = req_json_own(r, json_deep_copy(r->unit)), *m;

	unit_page(r, u);
	if ((m = page_member(u, email)) != NULL)
		unit_member_form(m, kv_get(&r->form, "role"), last != NULL ?
		    last : "", field, msg);
	return u;
}

/* The page of a refused role change, for input_fail(). */
static json_t *
role_page(struct req *r, json_t *values, const char *field,
    const char *msg)
{
	(void)values;
	return role_again(r, field, msg);
}

/* Refuse a role change: the error, or the unit page.  Returns status. */
static int
role_refuse(struct req *r, int status, const char *code, const char *field,
    const char *msg)
{
	if (r->fmt == FMT_JSON)
		return req_fail(r, status, code, field, "%s", msg);
	return input_show(r, status, "unit", role_again(r, field, msg), code,
	    field, msg);
}

int
membership_put(struct req *r)
{
	const char		*slug = kv_get(&r->params, "slug");
	const char		*email = kv_get(&r->params, "email");
	const char		*role = input_text(r, M_ROLE);
	const char		*last = input_text(r, M_UNTIL);
	struct member_change	 c;
	int			 rc;

	if (!input_email_valid(email))
		return no_member(r);
	if (strcmp(role, "guest") == 0 && !input_has(r, M_UNTIL))
		return role_refuse(r, 422, "invalid", "expires_at", "a guest "
		    "needs a last day (YYYY-MM-DD), from tomorrow to a year "
		    "ahead");
	/* The last owner's demotion is refused on the unit page again. */
	if ((rc = member_db_set(r, slug, email, role, last, &c)) < 0)
		return req_db_fail(r);
	if (rc == 0)
		return no_member(r);
	if (!json_equal(c.before, c.after) && audit_add(r, "member.role",
	    "member", arena_printf(r->a, "%lld", c.person), c.unit, c.before,
	    c.after) < 0)
		return req_db_fail(r);
	logm(L_INFO, r->id, "member role unit=%s member=%lld role=%s "
	    "person=%lld", slug, c.person, role, r->sess->p.id);
	if (r->fmt == FMT_JSON)
		return req_view(r, 200, NULL, c.member);
	return req_redirect(r, arena_printf(r->a, "/units/%s?role_changed=1",
	    slug));
}

/*
 * The confirmation page of removing the route's {email}, in *view: 0, or
 * the status after answering (404 naming email).
 */
static int
remove_page(struct req *r, json_t **view)
{
	json_t	*m;

	unit_page(r, r->unit);
	if ((m = page_member(r->unit, kv_get(&r->params, "email"))) == NULL)
		return no_member(r);
	*view = req_pack(r, "{s:O, s:O, s:O}", "slug", json_object_get(r->unit,
	    "slug"), "name", json_object_get(r->unit, "name"), "member", m);
	return 0;
}

int
membership_remove_get(struct req *r)
{
	json_t	*view;
	int	 rc;

	if ((rc = remove_page(r, &view)) != 0)
		return rc;
	return req_view(r, 200, "member_remove", view);
}

/*
 * Remove email from slug (leaving when it is the acting person) and
 * audit it; view is the page to show again on refusal (NULL for JSON).
 * Returns 0 when done, or the status after answering.
 */
static int
end_membership(struct req *r, const char *slug, const char *email,
    const char *view, json_t *data)
{
	static const struct db_refusal last_self[] = {
		{ "CH409", 409, "last_owner", NULL, "you are the unit's last "
		  "owner: make another member an owner before you leave", 0 },
		{ NULL, 0, NULL, NULL, NULL, 0 }
	};
	struct member_change	 c;
	int			 rc;

	/* The last owner cannot go: refused 409 last_owner on view. */
	if ((rc = member_db_remove(r, slug, email, &c)) < 0)
		return req_db_refuse(r, strcasecmp(email, r->sess->p.email) ==
		    0 ? last_self : NULL, view, data);
	if (rc == 0)
		return no_member(r);
	if (audit_add(r, c.self ? "member.leave" : "member.remove", "member",
	    arena_printf(r->a, "%lld", c.person), c.unit, c.before,
	    NULL) < 0)
		return req_db_fail(r);
	logm(L_INFO, r->id, "member %s unit=%s member=%lld person=%lld",
	    c.self ? "left" : "removed", slug, c.person, r->sess->p.id);
	return 0;
}

int
membership_delete(struct req *r)
{
	const char	*slug = kv_get(&r->params, "slug");
	const char	*email = kv_get(&r->params, "email");
	json_t		*view = NULL;
	int		 rc;

	if (!input_email_valid(email))
		return no_member(r);
	if (r->fmt != FMT_JSON && (rc = remove_page(r, &view)) != 0)
		return rc;
	if ((rc = end_membership(r, slug, email, view != NULL ?
	    "member_remove" : NULL, view)) != 0)
		return rc;
	if (r->fmt == FMT_JSON)
		return req_view(r, 204, NULL, NULL);
	if (strcasecmp(email, r->sess->p.email) == 0)
		return req_redirect(r, "/units?left=1");
	return req_redirect(r, arena_printf(r->a, "/units/%s?removed=1",
	    slug));
}

/* The page to confirm leaving the route's unit (arena-owned). */
static json_t *
leave_page(struct req *r)
{
	return req_pack(r, "{s:O, s:O, s:O}", "slug", json_object_get(r->unit,
	    "slug"), "name", json_object_get(r->unit, "name"), "my_role",
	    json_object_get(r->unit, "my_role"));
}

int
membership_leave_get(struct req *r)
{
	return req_view(r, 200, "unit_leave", leave_page(r));
}

int
membership_leave(struct req *r)
{
	json_t	*view = leave_page(r);
	int	 rc;

	if ((rc = end_membership(r, kv_get(&r->params, "slug"),
	    r->sess->p.email, "unit_leave", view)) != 0)
		return rc;
	return req_redirect(r, "/units?left=1");
}
