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
#include "handlers.h"
#include "input.h"
#include "log.h"
#include "member_db.h"
#include "outbox.h"
#include "req.h"
#include "session.h"
#include "token.h"
#include "unit_db.h"

#define INVITATION_TTL	(7 * 86400)

int
members_get(struct req *r)
{
	json_t	*list = req_array(r);

	if (unit_db_members(r, kv_get(&r->params, "slug"), list) < 0)
		return req_db_fail(r);
	return req_view(r, 200, NULL, req_pack(r, "{s:O}", "members", list));
}

static const char *const unit_roles[] = {
	"owner", "editor", "author", "guest", NULL
};

/* An invitation: the address, the role, and a guest's last day. */
enum { I_EMAIL, I_ROLE, I_UNTIL, I__MAX };

static const struct input_field invite_fields[I__MAX] = {
	[I_EMAIL] = { .name = "email", .type = IN_EMAIL, .flags = IN_REQUIRED,
	    .invalid = "enter the invitee's e-mail address, such as "
	    "name@example.org", .missing = "enter the invitee's e-mail "
	    "address, such as name@example.org" },
	[I_ROLE] = { .name = "role", .type = IN_ENUM, .flags = IN_REQUIRED,
	    .allowed = unit_roles, .invalid = "role is owner, editor, author "
	    "or guest", .missing = "role is owner, editor, author or guest" },
	[I_UNTIL] = { .name = "expires_at", .type = IN_DATE,
	    .flags = IN_FUTURE, .max = 366, .if_name = "role",
	    .if_value = "guest", .invalid = "a guest needs a last day "
	    "(YYYY-MM-DD) within the coming year" },
};

const struct input_form members_input = {
	invite_fields, I__MAX, NULL, NULL, 0
};

int
members_post(struct req *r)
{
	const char	*slug = kv_get(&r->params, "slug");
	const char	*email = input_text(r, I_EMAIL);
	const char	*role = input_text(r, I_ROLE);
	const char	*until = input_text(r, I_UNTIL);
	const char	*unit_name;
	long long	 unit;
	char		 tok[TOKEN_LEN + 1], hash[TOKEN_HEXLEN + 1];
	json_t		*after;
	int		 rc;

	if (strcmp(role, "guest") == 0 && !input_has(r, I_UNTIL))
		return req_fail(r, 422, "invalid", "expires_at", "a guest "
		    "needs a last day (YYYY-MM-DD) within the coming year");
	token_new(tok);
	token_hash_hex(tok, hash);
	/* Refused: not an owner, invited already, too many (unit_db.h). */
	if ((rc = unit_db_invite(r, slug, email, role, until, hash,
	    INVITATION_TTL, &unit_name, &unit)) < 0)
		return req_db_fail(r);
	if (rc == 0)
		return req_fail(r, 404, "not_found", NULL, "there is no unit "
		    "at this address");
	after = req_pack(r, "{s:s, s:s, s:s}", "email", email, "role", role,
	    "expires_at", until);
	if (audit_add(r, "member.invite", "unit", slug, unit, NULL,
	    after) < 0 || outbox_mail(r, email, "invitation", req_pack(r,
	    "{s:s, s:s, s:s, s:s, s:s}", "inviter", r->sess->p.name, "unit",
	    unit_name, "role", role, "until", until, "token", tok)) < 0)
		return req_db_fail(r);
	logm(L_INFO, r->id, "invitation unit=%s role=%s person=%lld", slug,
	    role, r->sess->p.id);
	if (r->fmt == FMT_JSON)
		return req_view(r, 201, NULL, req_pack(r, "{s:s, s:s, s:s?}",
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
	return req_view(r, 200, "invitation", req_pack(r, "{s:s}", "token",
	    tok));
}

int
invitation_post(struct req *r)
{
	const char	*tok = req_field(r, "token"), *slug, *role;
	char		 hash[TOKEN_HEXLEN + 1];
	long long	 unit;
	int		 rc, other;

	if (!token_valid(tok))
		return req_fail(r, 400, "invalid_token", "token", "this "
		    "invitation link is incomplete");
	token_hash_hex(tok, hash);
	if ((rc = unit_db_accept(r, hash, &slug, &role, &unit,
	    &other)) < 0)
		return req_db_fail(r);
	if (rc == 0) {
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
	if (audit_add(r, "member.join", "unit", slug, unit, NULL, req_pack(r,
	    "{s:s}", "role", role)) < 0)
		return req_db_fail(r);
	if (r->fmt == FMT_JSON)
		return req_view(r, 200, NULL, req_pack(r, "{s:s, s:s}", "slug",
		    slug, "role", role));
	return req_redirect(r, arena_printf(r->a, "/units/%s", slug));
}

int
invitations_get(struct req *r)
{
	json_t	*list = req_array(r);

	if (member_db_invitations(r, kv_get(&r->params, "slug"), list) < 0)
		return req_db_fail(r);
	return req_view(r, 200, NULL, req_pack(r, "{s:O}", "invitations",
	    list));
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
	json_t		*before;
	long long	 unit, n;
	int		 rc = 0;

	if (!input_digits(id, 1, LLONG_MAX, &n) ||
	    (rc = member_db_revoke(r, slug, id, &before, &unit)) == 0)
		return req_fail(r, 404, "not_found", "id", "this unit has no "
		    "pending invitation %s", id);
	if (rc < 0 || audit_add(r, "member.invite_revoke", "unit", slug, unit,
	    before, NULL) < 0)
		return req_db_fail(r);
	logm(L_INFO, r->id, "invitation revoked unit=%s id=%s person=%lld",
	    slug, id, r->sess->p.id);
	if (r->fmt == FMT_JSON)
		return req_view(r, 204, NULL, NULL);
	return req_redirect(r, arena_printf(r->a, "/units/%s?revoked=1",
	    slug));
}
