/*
 * reset.c: forgotten passwords (/password/forgot, /password/reset, the
 * JSON /api/v1/password-reset) and changing one's password
 * (/account/password).
 *
 * Asking for a reset answers the same whether or not the address has an
 * account.  A reset link is single-use and expires after
 * reset_token_ttl; using it ends every session of the person, since
 * whoever knew the old password may hold one.
 */
#include "config.h"

#include <string.h>

#include "app.h"
#include "arena.h"
#include "auth_db.h"
#include "conf.h"
#include "db.h"
#include "form.h"
#include "handlers.h"
#include "input.h"
#include "log.h"
#include "outbox.h"
#include "password.h"
#include "pwpolicy.h"
#include "req.h"
#include "session.h"
#include "throttle.h"
#include "token.h"

/* Asking for a link: the address. */
static const struct input_field forgot_fields[] = {
	{ .name = "email", .type = IN_EMAIL, .flags = IN_REQUIRED,
	    .label = "the e-mail address", .invalid = "enter an e-mail "
	    "address such as name@example.org" },
};

/* The form again around what was typed. */
static json_t *
reset_page(struct req *r, json_t *values, const char *field,
    const char *msg)
{
	const char	*tok = kv_get(&r->form, "token");

	(void)field;
	(void)msg;
	return req_pack(r, "{s:s, s:O, s:s?}", "csrf", csrf_token(r), "values",
	    values, "token", tok);
}

const struct input_form forgot_input = {
	forgot_fields, 1, "forgot", reset_page, 0
};

/* A new password (with the link's token, or the current password). */
enum { N_TOKEN, N_CURRENT, N_PASSWORD, N_CONFIRM, N__MAX };

#define NEW_PASSWORD \
	[N_PASSWORD] = { .name = "password", .type = IN_TEXT, \
	    .flags = IN_RAW | IN_SECRET }, \
	[N_CONFIRM] = { .name = "password_confirm", .type = IN_TEXT, \
	    .flags = IN_RAW | IN_SECRET }

static const struct input_field reset_fields[N__MAX] = {
	[N_TOKEN] = { .name = "token", .type = IN_TEXT, .flags = IN_RAW },
	NEW_PASSWORD
};
static const struct input_field password_fields[N__MAX] = {
	[N_CURRENT] = { .name = "current_password", .type = IN_TEXT,
	    .flags = IN_RAW | IN_SECRET },
	NEW_PASSWORD
};

const struct input_form reset_input = {
	reset_fields, N__MAX, "reset", reset_page, 0
};
const struct input_form password_input = {
	password_fields, N__MAX, "password", NULL, 0
};

int
forgot_get(struct req *r)
{
	return req_view(r, 200, "forgot", reset_page(r, req_object(r), NULL,
	    NULL));
}

int
forgot_post(struct req *r)
{
	struct person	 p;
	const char	*email = input_text(r, 0);
	char		 tok[TOKEN_LEN + 1], hash[TOKEN_HEXLEN + 1];
	int		 rc;

	/* Nothing is sent to an unknown address, or after a recent link. */
	if ((rc = auth_db_person_by_email(r, email, &p)) == 1 &&
	    (rc = auth_db_token_recent(r, p.id, "reset")) == 0) {
		token_new(tok);
		token_hash_hex(tok, hash);
		if (auth_db_token_create(r, hash, p.id, "reset",
		    r->conf->reset_token_ttl) < 0 ||
		    outbox_mail(r, p.email, "reset", req_pack(r,
		    "{s:s, s:s, s:i}", "name", p.name, "token", tok,
		    "minutes", r->conf->reset_token_ttl / 60)) < 0)
			return req_db_fail(r);
		logm(L_INFO, r->id, "auth event=reset_requested person=%lld",
		    p.id);
	}
	if (rc < 0)
		return req_db_fail(r);
	if (r->fmt == FMT_JSON)
		return req_view(r, 202, NULL, req_pack(r, "{s:s}", "status",
		    "if that address has an account, a reset link is on its "
		    "way"));
	return req_view(r, 202, "forgot_done", req_pack(r, "{s:s}", "email",
	    email));
}

/* 1 when tok is a live reset token; else answered (status returned). */
static int
live_token(struct req *r, const char *tok)
{
	char	 hash[TOKEN_HEXLEN + 1];
	int	 rc;

	if (!token_valid(tok))
		return req_fail(r, 400, "invalid_token", "token", "this reset "
		    "link is incomplete: open the whole link from the e-mail");
	token_hash_hex(tok, hash);
	if ((rc = auth_db_token_peek(r, hash, "reset")) == 1)
		return 1;
	if (rc < 0)
		return req_db_fail(r);
	return req_fail(r, 410, "expired_token", "token", "this reset link "
	    "has expired or was already used: ask for a new one");
}

int
reset_get(struct req *r)
{
	const char	*tok = kv_get(&r->query, "token");
	int		 rc;

	if ((rc = live_token(r, tok)) != 1)
		return rc;
	return req_view(r, 200, "reset", req_pack(r, "{s:s, s:s, s:{}}", "csrf",
	    csrf_token(r), "token", tok, "values"));
}

/* Check a new password (of p, if known) and its repetition; 1, or
 * answered. */
static int
new_password(struct req *r, const struct person *p, const char **out)
{
	const char	*pw = input_text(r, N_PASSWORD), *why;

	if (!input_has(r, N_PASSWORD))
		return input_fail(r, 422, "missing", "password", "choose a new "
		    "password");
	if ((why = pwpolicy_check(pw, p ? p->email : NULL,
	    p ? p->name : NULL)) != NULL)
		return input_fail(r, 422, "weak_password", "password", "%s",
		    why);
	if (input_has(r, N_CONFIRM) && strcmp(pw, input_text(r,
	    N_CONFIRM)) != 0)
		return input_fail(r, 422, "mismatch", "password_confirm", "the "
		    "two passwords differ");
	*out = pw;
	return 1;
}

int
reset_post(struct req *r)
{
	struct person	 p;
	const char	*tok = input_text(r, N_TOKEN), *pw;
	char		 hash[TOKEN_HEXLEN + 1], ph[PASSWORD_HASH_SIZE];
	int		 rc;

	if ((rc = live_token(r, tok)) != 1 ||
	    (rc = new_password(r, NULL, &pw)) != 1)
		return rc;
	if (!form_hash(r, pw, ph))
		return r->resp.status;
	token_hash_hex(tok, hash);
	if ((rc = auth_db_token_use(r, hash, "reset", &p)) < 0)
		return req_db_fail(r);
	if (rc == 0)
		return req_fail(r, 410, "expired_token", "token", "this reset "
		    "link was just used: ask for a new one");
	if (auth_db_password_set(r, p.id, ph) < 0 ||
	    auth_db_person_confirm(r, p.id) < 0 ||
	    auth_db_tokens_revoke(r, p.id, "reset") < 0 ||
	    auth_db_sessions_revoke(r, p.id, "\\x00") < 0 ||
	    auth_db_failures_clear(r, p.email) < 0 ||
	    auth_db_person_get(r, p.id, &p) != 1 ||
	    session_start(r, &p) < 0)
		return req_db_fail(r);
	logm(L_INFO, r->id, "auth event=password_reset person=%lld", p.id);
	return req_redirect(r, "/account?done=reset");
}

int
password_get(struct req *r)
{
	return req_view(r, 200, "password", req_object(r));
}

int
password_post(struct req *r)
{
	struct person	 p;
	const char	*cur = input_text(r, N_CURRENT), *pw;
	char		 ph[PASSWORD_HASH_SIZE];
	int		 rc;

	if (auth_db_person_get(r, r->sess->p.id, &p) != 1)
		return req_db_fail(r);
	if (*cur == '\0')
		return input_fail(r, 422, "missing", "current_password",
		    "enter your current password");
	/* Guessing the current password is throttled like logging in. */
	if ((rc = login_throttled(r, p.email, "password", NULL,
	    "current_password")) != 0)
		return rc;
	if ((rc = form_verify(r, p.hash, cur)) < 0)
		return r->resp.status;
	if (rc == 0) {
		if (throttle_failed(r, p.email, &p) < 0)
			return req_db_fail(r);
		r->resp.commit = 1;
		logm(L_INFO, r->id, "auth event=password_change_failure "
		    "person=%lld", p.id);
		return input_fail(r, 422, "wrong_password",
		    "current_password", "the current password is wrong");
	}
	if ((rc = new_password(r, &p, &pw)) != 1)
		return rc;
	if (!form_hash(r, pw, ph))
		return r->resp.status;
	if (throttle_passed(r, p.email) < 0 ||
	    auth_db_password_set(r, p.id, ph) < 0 ||
	    auth_db_tokens_revoke(r, p.id, "reset") < 0 ||
	    session_rotate(r) < 0)
		return req_db_fail(r);
	logm(L_INFO, r->id, "auth event=password_changed person=%lld", p.id);
	if (r->fmt == FMT_JSON)
		return req_view(r, 200, NULL, req_pack(r, "{s:s}", "csrf_token",
		    r->sess->csrf));
	return req_redirect(r, "/account?done=password");
}
