/*
 * members.c: a unit's members and invitations.  Owners (and hub admins)
 * invite by e-mail: a single-use link, valid a week, that the invitee
 * opens after logging in or signing up.  Guests (agency partners) get an
 * end date after which they lose access by themselves.
 */
#include "config.h"

#include <limits.h>
#include <string.h>

#include "app.h"
#include "arena.h"
#include "audit.h"
#include "db.h"
#include "form.h"
#include "handlers.h"
#include "log.h"
#include "member_db.h"
#include "outbox.h"
#include "req.h"
#include "resp.h"
#include "session.h"
#include "token.h"
#include "unit_db.h"
#include "util.h"

#define INVITATION_TTL	(7 * 86400)

int
members_get(struct req *r)
{
	const char	*slug = kv_get(&r->params, "slug");
	json_t		*list = json_array();
	int		 rc;

	if ((rc = unit_db_members(r, slug, list)) != 1) {
		json_decref(list);
		return req_db_fail(r, rc);
	}
	/* Every unit has an owner: none seen means not allowed to see. */
	if (json_array_size(list) == 0) {
		json_decref(list);
		return req_fail(r, 404, "not_found", NULL, "there is no unit "
		    "at this address");
	}
	return req_view(r, 200, NULL, json_pack("{s:o}", "members", list));
}

int
members_post(struct req *r)
{
	const char	*slug = kv_get(&r->params, "slug");
	const char	*email = req_field(r, "email"), *role = req_field(r,
			    "role"), *until = req_field(r, "expires_at");
	const char	*unit_name;
	long long	 unit;
	char		 tok[TOKEN_LEN + 1], hash[TOKEN_HEXLEN + 1];
	json_t		*after;
	int		 rc;

	if (email == NULL || !form_email_valid(email))
		return req_fail(r, 422, "invalid", "email", "enter the "
		    "invitee's e-mail address, such as name@example.org");
	if (!form_unit_role(role))
		return req_fail(r, 422, "invalid", "role", "role is owner, "
		    "editor, author or guest");
	if (until == NULL)
		until = "";
	if (strcmp(role, "guest") == 0 && !form_last_day(until))
		return req_fail(r, 422, "invalid", "expires_at", "a guest needs "
		    "a last day (YYYY-MM-DD) within the coming year");
	if (strcmp(role, "guest") != 0)
		until = "";
	token_new(tok);
	token_hash_hex(tok, hash);
	rc = unit_db_invite(r, slug, email, role, until, hash,
	    INVITATION_TTL, &unit_name, &unit);
	if (rc == 0 && strcmp(db_sqlstate(r->db), "42501") == 0)
		return req_fail(r, 403, "forbidden", NULL, "only the unit's "
		    "owners invite members");
	if (rc == 0 && strcmp(db_sqlstate(r->db), "CH409") == 0)
		return req_fail(r, 409, "already_invited", "email", "this "
		    "address already has a pending invitation to the unit: "
		    "revoke it first to send a new one");
	if (rc == 0 && strcmp(db_sqlstate(r->db), "CH429") == 0) {
		resp_header(r, "Retry-After", "3600");
		return req_fail(r, 429, "too_many_invitations", "email",
		    "too many invitations: an address receives at most 3 a "
		    "day and a person sends at most 50 an hour; try again "
		    "later");
	}
	if (rc == 0 && db_sqlstate(r->db)[0] == '\0')
		return req_fail(r, 404, "not_found", NULL, "there is no unit "
		    "at this address");
	if (rc != 1)
		return req_db_fail(r, rc);
	after = json_pack("{s:s, s:s, s:s}", "email", email, "role", role,
	    "expires_at", until);
	rc = audit_add(r, "member.invite", "unit", slug, unit, NULL, after);
	json_decref(after);
	if (rc != 1 || (rc = outbox_mail(r, email, "invitation", json_pack(
	    "{s:s, s:s, s:s, s:s, s:s}", "inviter", r->sess->p.name, "unit",
	    unit_name, "role", role, "until", until, "token", tok))) != 1)
		return req_db_fail(r, rc);
	logm(L_INFO, r->id, "invitation unit=%s role=%s person=%lld", slug,
	    role, r->sess->p.id);
	if (r->fmt == FMT_JSON)
		return req_view(r, 201, NULL, json_pack("{s:s, s:s, s:s?}",
		    "invited", email, "role", role, "expires_at", *until ?
		    until : NULL));
	return req_redirect(r, arena_printf(r->a, "/units/%s?invited=1",
	    slug));
}

int
invitation_get(struct req *r)
{
	const char	*tok = kv_get(&r->query, "token");

	if (!token_valid(tok))
		return req_fail(r, 400, "invalid_token", "token", "this "
		    "invitation link is incomplete: open the whole link from "
		    "the e-mail");
	return req_view(r, 200, "invitation", json_pack("{s:s}", "token",
	    tok));
}

int
invitation_post(struct req *r)
{
	const char	*tok = req_field(r, "token"), *slug, *role;
	char		 hash[TOKEN_HEXLEN + 1];
	json_t		*after;
	long long	 unit;
	int		 rc, other;

	if (!token_valid(tok))
		return req_fail(r, 400, "invalid_token", "token", "this "
		    "invitation link is incomplete");
	token_hash_hex(tok, hash);
	if ((rc = unit_db_accept(r, hash, &slug, &role, &unit,
	    &other)) != 1) {
		if (rc < 0 || db_sqlstate(r->db)[0] != '\0')
			return req_db_fail(r, rc);
		if (other)
			return req_fail(r, 403, "other_address", "token",
			    "this invitation was sent to another e-mail "
			    "address than %s: log out, then log in (or sign "
			    "up) with the address it was sent to and open the "
			    "link again", r->sess->p.email);
		return req_fail(r, 410, "expired_token", "token", "this "
		    "invitation has expired, was revoked or was already used: "
		    "ask the unit's owner for a new one");
	}
	after = json_pack("{s:s}", "role", role);
	rc = audit_add(r, "member.join", "unit", slug, unit, NULL, after);
	json_decref(after);
	if (rc != 1)
		return req_db_fail(r, rc);
	if (r->fmt == FMT_JSON)
		return req_view(r, 200, NULL, json_pack("{s:s, s:s}", "slug",
		    slug, "role", role));
	return req_redirect(r, arena_printf(r->a, "/units/%s", slug));
}

/*
 * Who may handle the invitations of unit u: 1 for its owners and hub
 * admins; otherwise 0 after answering 403 (members and hub roles, who see
 * the unit's members) or 404.
 */
static int
invitations_mine(struct req *r, json_t *u)
{
	const char	*role = json_string_value(json_object_get(u, "my_role"));

	if ((role != NULL && strcmp(role, "owner") == 0) ||
	    (r->sess->roles & HUB_ADMIN))
		return 1;
	if ((role != NULL && *role != '\0') || r->sess->roles != 0)
		req_fail(r, 403, "forbidden", NULL, "only the unit's owners "
		    "see and revoke its invitations");
	else
		req_fail(r, 404, "not_found", NULL, "there is no unit at this "
		    "address");
	return 0;
}

int
invitations_get(struct req *r)
{
	const char	*slug = kv_get(&r->params, "slug");
	json_t		*u, *list;
	int		 rc;

	if ((rc = unit_db_get(r, slug, &u)) != 1) {
		if (rc < 0 || db_sqlstate(r->db)[0] != '\0')
			return req_db_fail(r, rc);
		return req_fail(r, 404, "not_found", NULL, "there is no unit "
		    "at this address");
	}
	rc = invitations_mine(r, u);
	json_decref(u);
	if (rc != 1)
		return r->resp.status;
	list = req_json_own(r, json_array());
	if ((rc = member_db_invitations(r, slug, list)) != 1)
		return req_db_fail(r, rc);
	return req_view(r, 200, NULL, json_pack("{s:O}", "invitations", list));
}

/*
 * DELETE /api/v1/units/{slug}/invitations/{id} and the unit page's
 * Revoke button (POST /units/{slug}/invitations/{id}/revoke): the link
 * stops working at once.  Audited as member.invite_revoke.
 */
int
invitation_delete(struct req *r)
{
	const char	*slug = kv_get(&r->params, "slug");
	const char	*id = kv_get(&r->params, "id");
	json_t		*u, *before;
	long long	 unit, n;
	int		 rc;

	if ((rc = unit_db_get(r, slug, &u)) != 1) {
		if (rc < 0 || db_sqlstate(r->db)[0] != '\0')
			return req_db_fail(r, rc);
		return req_fail(r, 404, "not_found", NULL, "there is no unit "
		    "at this address");
	}
	rc = invitations_mine(r, u);
	json_decref(u);
	if (rc != 1)
		return r->resp.status;
	if (!parse_ll(id, 1, LLONG_MAX, &n) ||
	    (rc = member_db_revoke(r, slug, id, &before, &unit)) == 0) {
		if (rc < 0 || db_sqlstate(r->db)[0] != '\0')
			return req_db_fail(r, rc);
		return req_fail(r, 404, "not_found", "id", "this unit has no "
		    "pending invitation %s", id);
	}
	if (rc != 1 || (rc = audit_add(r, "member.invite_revoke", "unit",
	    slug, unit, before, NULL)) != 1)
		return req_db_fail(r, rc);
	logm(L_INFO, r->id, "invitation revoked unit=%s id=%s person=%lld",
	    slug, id, r->sess->p.id);
	if (r->fmt == FMT_JSON)
		return req_view(r, 204, NULL, NULL);
	return req_redirect(r, arena_printf(r->a, "/units/%s?revoked=1",
	    slug));
}
