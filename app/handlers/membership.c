/*
 * membership.c: managing a unit's members.  Its owners (and hub admins)
 * change a member's role or a guest's last day and remove members; every
 * member may leave.  As the JSON API (PUT and DELETE
 * /api/v1/units/{slug}/members/{email}) and as the unit page's forms.
 *
 * PostgreSQL decides: row-level security lets only owners and hub admins
 * change or remove others (for anyone else the statement finds no row),
 * and a trigger keeps an owner in every unit (SQLSTATE CH409, answered
 * 409 last_owner).  When a statement finds no row, the handler asks why:
 * 404 when the unit's members are not the person's to see (so nothing
 * leaks), 404 naming the email when there is no such member, else 403.
 *
 * Removing and leaving are confirmed on a page of their own (GET shows
 * what will happen and a button, POST does it): the unit page only links
 * there, so a stray click on it cannot remove anyone.  Page handlers
 * load the unit before changing anything, so that a refusal by the
 * database, which aborts the transaction, can still show the form again.
 */
#include "config.h"

#include <string.h>
#include <strings.h>

#include "app.h"
#include "arena.h"
#include "audit.h"
#include "db.h"
#include "form.h"
#include "handlers.h"
#include "log.h"
#include "member_db.h"
#include "req.h"
#include "session.h"
#include "unit_db.h"
#include "urlenc.h"

/* The roles, and the view key that selects each in a member's form. */
static const struct {
	const char	*role, *key;
} roles[] = {
	{ "owner", "r_owner" }, { "editor", "r_editor" },
	{ "author", "r_author" }, { "guest", "r_guest" },
};

static int
no_unit(struct req *r)
{
	return req_fail(r, 404, "not_found", NULL, "there is no unit at this "
	    "address");
}

static int
no_member(struct req *r)
{
	return req_fail(r, 404, "not_found", "email", "this unit has no "
	    "member with this e-mail address");
}

/*
 * For a page: unit slug as the unit page shows it, in *u (owned by the
 * request).  0, or the status after answering (404).
 */
static int
page_unit(struct req *r, const char *slug, json_t **u)
{
	int	 rc;

	if ((rc = unit_db_get(r, slug, u)) != 1) {
		if (rc < 0 || db_sqlstate(r->db)[0] != '\0')
			return req_db_fail(r, rc);
		return no_unit(r);
	}
	req_json_own(r, *u);
	unit_page(r, *u);
	return 0;
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

/* A statement found no row: answer why (404, 404 naming email, 403). */
static int
refused(struct req *r, const char *slug, const char *email, const char *why)
{
	int	 rc, visible, found;

	if ((rc = member_db_find(r, slug, email, &visible, &found)) != 1)
		return req_db_fail(r, rc);
	if (!visible)
		return no_unit(r);
	if (!found)
		return no_member(r);
	return req_fail(r, 403, "forbidden", NULL, "%s", why);
}

/*
 * Select role and show last day in member m's form of the unit page;
 * error (or NULL) is the message beside field.
 */
static void
member_form(json_t *m, const char *role, const char *last,
    const char *field, const char *error)
{
	size_t	 i;

	for (i = 0; i < sizeof(roles) / sizeof(roles[0]); i++)
		json_object_set_new(m, roles[i].key, json_boolean(role != NULL &&
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
	const char	*mine = json_string_value(json_object_get(u, "my_role"));
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
		member_form(m, json_string_value(json_object_get(m, "role")),
		    last != NULL ? last : "", NULL, NULL);
	}
	if (kv_get(&r->query, "role_changed") != NULL)
		json_object_set_new(u, "notice", json_string("The member's "
		    "role is saved."));
	if (kv_get(&r->query, "removed") != NULL)
		json_object_set_new(u, "notice", json_string("The member was "
		    "removed from the unit."));
}

/*
 * Refuse a role change: for JSON, the error; for the page (u not NULL),
 * the unit page again with the message beside the member's form, which
 * keeps what was chosen.  Returns status.
 */
static int
put_fail(struct req *r, json_t *u, const char *email, int status,
    const char *code, const char *field, const char *msg)
{
	const char	*role = req_field(r, "role"), *last = req_field(r,
			    "expires_at");
	json_t		*m;

	if (u == NULL)
		return req_fail(r, status, code, field, "%s", msg);
	if ((m = page_member(u, email)) != NULL)
		member_form(m, role, last != NULL ? last : "", field, msg);
	return form_fail(r, status, "unit", json_incref(u), code, field, msg);
}

int
membership_put(struct req *r)
{
	const char		*slug = kv_get(&r->params, "slug");
	const char		*email = kv_get(&r->params, "email");
	const char		*role = req_field(r, "role");
	const char		*last = req_field(r, "expires_at");
	struct member_change	 c;
	json_t			*u = NULL;
	int			 rc;

	if (r->fmt != FMT_JSON && (rc = page_unit(r, slug, &u)) != 0)
		return rc;
	if (!form_email_valid(email))
		return no_member(r);
	if (!form_unit_role(role))
		return put_fail(r, u, email, 422, "invalid", "role", "the role "
		    "is owner, editor, author or guest");
	if (strcmp(role, "guest") != 0)
		last = "";	/* only guests have a last day */
	else if (!form_last_day(last))
		return put_fail(r, u, email, 422, "invalid", "expires_at", "a "
		    "guest needs a last day (YYYY-MM-DD), from tomorrow to a "
		    "year ahead");
	rc = member_db_set(r, slug, email, role, last, &c);
	if (rc == 0 && strcmp(db_sqlstate(r->db), "CH409") == 0)
		return put_fail(r, u, email, 409, "last_owner", "role", "this "
		    "is the unit's last owner: make another member an owner "
		    "first");
	if (rc == 0 && db_sqlstate(r->db)[0] == '\0')
		return refused(r, slug, email, "only the unit's owners change "
		    "members' roles");
	if (rc != 1)
		return req_db_fail(r, rc);
	if (!json_equal(c.before, c.after) && (rc = audit_add(r, "member.role",
	    "member", arena_printf(r->a, "%lld", c.person), c.unit, c.before,
	    c.after)) != 1)
		return req_db_fail(r, rc);
	logm(L_INFO, r->id, "member role unit=%s member=%lld role=%s "
	    "person=%lld", slug, c.person, role, r->sess->p.id);
	if (r->fmt == FMT_JSON)
		return req_view(r, 200, NULL, json_incref(c.member));
	return req_redirect(r, arena_printf(r->a, "/units/%s?role_changed=1",
	    slug));
}

/*
 * The confirmation page of removing email from slug, in *view: 0, or
 * the status after answering (404; 403 when not the person's to remove).
 */
static int
remove_page(struct req *r, const char *slug, const char *email,
    json_t **view)
{
	json_t	*u, *m;
	int	 rc;

	if ((rc = page_unit(r, slug, &u)) != 0)
		return rc;
	if (json_array_size(json_object_get(u, "members")) == 0)
		return no_unit(r);
	if ((m = page_member(u, email)) == NULL)
		return no_member(r);
	if (!json_is_true(json_object_get(u, "can_manage")) &&
	    !json_is_true(json_object_get(m, "is_me")))
		return req_fail(r, 403, "forbidden", NULL, "only the unit's "
		    "owners remove members");
	*view = req_json_own(r, json_pack("{s:O, s:O, s:O}", "slug",
	    json_object_get(u, "slug"), "name", json_object_get(u, "name"),
	    "member", m));
	return 0;
}

int
membership_remove_get(struct req *r)
{
	json_t	*view;
	int	 rc;

	if ((rc = remove_page(r, kv_get(&r->params, "slug"),
	    kv_get(&r->params, "email"), &view)) != 0)
		return rc;
	return req_view(r, 200, "member_remove", json_incref(view));
}

/*
 * Remove email from slug (leaving when it is the acting person) and
 * audit it; view is the page to show again on refusal (NULL for JSON).
 * Returns 0 when done, or the status after answering.
 */
static int
end_membership(struct req *r, const char *slug, const char *email, const char *view,
    json_t *data)
{
	struct member_change	 c;
	int			 rc, self;

	self = strcasecmp(email, r->sess->p.email) == 0;
	rc = member_db_remove(r, slug, email, &c);
	if (rc == 0 && strcmp(db_sqlstate(r->db), "CH409") == 0)
		return form_fail(r, 409, view, json_incref(data), "last_owner",
		    NULL, self ? "you are the unit's last owner: make another "
		    "member an owner before you leave" : "this is the unit's "
		    "last owner: make another member an owner first");
	if (rc == 0 && db_sqlstate(r->db)[0] == '\0')
		return refused(r, slug, email, "only the unit's owners remove "
		    "members");
	if (rc != 1)
		return req_db_fail(r, rc);
	if ((rc = audit_add(r, c.self ? "member.leave" : "member.remove",
	    "member", arena_printf(r->a, "%lld", c.person), c.unit, c.before,
	    NULL)) != 1)
		return req_db_fail(r, rc);
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

	if (r->fmt != FMT_JSON &&
	    (rc = remove_page(r, slug, email, &view)) != 0)
		return rc;
	if (!form_email_valid(email))
		return no_member(r);
	if ((rc = end_membership(r, slug, email, view != NULL ? "member_remove" :
	    NULL, view)) != 0)
		return rc;
	if (r->fmt == FMT_JSON)
		return req_view(r, 204, NULL, NULL);
	if (strcasecmp(email, r->sess->p.email) == 0)
		return req_redirect(r, "/units?left=1");
	return req_redirect(r, arena_printf(r->a, "/units/%s?removed=1",
	    slug));
}

/* The page to confirm leaving slug, in *view: 0, or the status (404). */
static int
leave_page(struct req *r, const char *slug, json_t **view)
{
	json_t	*u;
	int	 rc;

	if ((rc = page_unit(r, slug, &u)) != 0)
		return rc;
	if (!json_is_true(json_object_get(u, "can_leave")))
		return req_fail(r, 404, "not_found", NULL, "you are not a "
		    "member of this unit");
	*view = req_json_own(r, json_pack("{s:O, s:O, s:O}", "slug",
	    json_object_get(u, "slug"), "name", json_object_get(u, "name"),
	    "my_role", json_object_get(u, "my_role")));
	return 0;
}

int
membership_leave_get(struct req *r)
{
	json_t	*view;
	int	 rc;

	if ((rc = leave_page(r, kv_get(&r->params, "slug"), &view)) != 0)
		return rc;
	return req_view(r, 200, "unit_leave", json_incref(view));
}

int
membership_leave(struct req *r)
{
	const char	*slug = kv_get(&r->params, "slug");
	json_t		*view;
	int		 rc;

	if ((rc = leave_page(r, slug, &view)) != 0 ||
	    (rc = end_membership(r, slug, r->sess->p.email, "unit_leave", view)) != 0)
		return rc;
	return req_redirect(r, "/units?left=1");
}
