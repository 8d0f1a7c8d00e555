/*
 * signup.c: sign up and confirm the address, as pages (/signup,
 * /confirm) and as the JSON API (/api/v1/signup).
 *
 * The answer to a sign-up never tells whether the address already had
 * an account: the owner of an existing address gets an e-mail saying
 * so instead (at most one an hour), and the password is hashed either
 * way so the time taken is the same.  A confirmation link opens a page
 * with a button rather than confirming on GET, so mail scanners that
 * follow links cannot use it up.
 *
 * A password is only ever the one chosen by whoever proves the mailbox:
 * a sign-up for an address whose account is not confirmed yet takes the
 * row over (password, name) and revokes every link sent before, so the
 * only link that confirms is the one mailed for the newest sign-up; a
 * confirmation revokes whatever else was still pending.
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

/* A sign-up: who, their address and the password they chose. */
enum { S_NAME, S_EMAIL, S_PASSWORD, S_CONFIRM, S__MAX };

static const struct input_field signup_fields[S__MAX] = {
	[S_NAME] = { .name = "name", .type = IN_TEXT, .flags = IN_REQUIRED,
	    .max = NAME_MAX_CHARS, .label = "your name" },
	[S_EMAIL] = { .name = "email", .type = IN_EMAIL, .flags = IN_REQUIRED,
	    .label = "the e-mail address", .invalid = "enter an e-mail "
	    "address such as name@example.org" },
	[S_PASSWORD] = { .name = "password", .type = IN_TEXT,
	    .flags = IN_REQUIRED | IN_RAW | IN_SECRET,
	    .missing = "choose a password" },
	[S_CONFIRM] = { .name = "password_confirm", .type = IN_TEXT,
	    .flags = IN_RAW | IN_SECRET },
};

/* The form again: what was typed (never the password). */
static json_t *
signup_page(struct req *r, json_t *values, const char *field,
    const char *msg)
{
	(void)field;
	(void)msg;
	return req_pack(r, "{s:s, s:O}", "csrf", csrf_token(r), "values",
	    values);
}

const struct input_form signup_input = {
	signup_fields, S__MAX, "signup", signup_page, 0
};

int
signup_get(struct req *r)
{
	if (r->sess != NULL)
		return req_redirect(r, "/");
	return req_view(r, 200, "signup", signup_page(r, req_object(r), NULL,
	    NULL));
}

/*
 * Queue a confirmation link, unless too many went out this hour: 1 (sent
 * or not), -1 failed.
 */
static int
send_confirm(struct req *r, long long id, const char *email,
    const char *name)
{
	char	 tok[TOKEN_LEN + 1], hash[TOKEN_HEXLEN + 1];
	int	 rc;

	if ((rc = throttle_confirm_mail(r, id, 0)) != 1)
		return rc < 0 ? -1 : 1;
	token_new(tok);
	token_hash_hex(tok, hash);
	if (auth_db_token_create(r, hash, id, "confirm",
	    r->conf->confirm_token_ttl) < 0)
		return -1;
	return outbox_mail(r, email, "confirm", req_pack(r, "{s:s, s:s}",
	    "name", name, "token", tok));
}

/*
 * The address has a confirmed account: tell its owner, not the caller,
 * at most once an hour.  1 (told or not), -1 failed.
 */
static int
existing(struct req *r, const char *email)
{
	struct person	 p;
	int		 rc;

	if ((rc = auth_db_person_by_email(r, email, &p)) != 1 ||
	    (rc = throttle_account_exists(r, p.email)) != 1)
		return rc < 0 ? -1 : 1;
	return outbox_mail(r, p.email, "account_exists", req_pack(r,
	    "{s:s}", "name", p.name));
}

int
signup_post(struct req *r)
{
	const char	*name = input_text(r, S_NAME);
	const char	*email = input_text(r, S_EMAIL);
	const char	*pw = input_text(r, S_PASSWORD), *why;
	char		 hash[PASSWORD_HASH_SIZE];
	long long	 id;
	int		 rc, taken_over = 0;

	if ((why = pwpolicy_check(pw, email, name)) != NULL)
		return input_fail(r, 422, "weak_password", "password", "%s",
		    why);
	if (input_has(r, S_CONFIRM) && strcmp(pw, input_text(r,
	    S_CONFIRM)) != 0)
		return input_fail(r, 422, "mismatch", "password_confirm", "the "
		    "two passwords differ");
	if (!form_hash(r, pw, hash))
		return r->resp.status;
	rc = auth_db_person_signup(r, email, name, hash, &id, &taken_over);
	/* What an earlier, unconfirmed sign-up left must not outlive it. */
	if (rc == 1 && taken_over &&
	    (rc = auth_db_tokens_revoke_all(r, id)) == 1)
		rc = auth_db_sessions_revoke(r, id, "\\x00");
	if (rc == 1) {
		rc = send_confirm(r, id, email, name);
		logm(L_INFO, r->id, "auth event=signup person=%lld%s", id,
		    taken_over ? " took_over=unconfirmed" : "");
	} else if (rc == 0)
		rc = existing(r, email);
	if (rc < 0)
		return req_db_fail(r);
	if (r->fmt == FMT_JSON)
		return req_view(r, 201, NULL, req_pack(r, "{s:s, s:s}",
		    "status", "confirmation_sent", "email", email));
	return req_view(r, 201, "signup_done", req_pack(r, "{s:s}", "email",
	    email));
}

int
confirm_get(struct req *r)
{
	const char	*tok = kv_get(&r->query, "token");
	char		 hash[TOKEN_HEXLEN + 1];
	int		 rc;

	if (!token_valid(tok))
		return req_fail(r, 400, "invalid_token", "token", "this "
		    "confirmation link is incomplete: open the whole link "
		    "from the e-mail");
	token_hash_hex(tok, hash);
	if ((rc = auth_db_token_peek(r, hash, "confirm")) < 0)
		return req_db_fail(r);
	if (rc == 0)
		return req_fail(r, 410, "expired_token", "token", "this "
		    "confirmation link has expired or was already used: log "
		    "in and we will send a new one");
	return req_view(r, 200, "confirm", req_pack(r, "{s:s, s:s}", "token",
	    tok, "csrf", csrf_token(r)));
}

int
confirm_post(struct req *r)
{
	struct person	 p;
	const char	*tok = req_field(r, "token");
	char		 hash[TOKEN_HEXLEN + 1];
	int		 rc;

	if (!token_valid(tok))
		return req_fail(r, 400, "invalid_token", "token", "this "
		    "confirmation link is incomplete");
	token_hash_hex(tok, hash);
	if ((rc = auth_db_token_use(r, hash, "confirm", &p)) < 0)
		return req_db_fail(r);
	if (rc == 0)
		return req_fail(r, 410, "expired_token", "token", "this "
		    "confirmation link has expired or was already used: log "
		    "in and we will send a new one");
	/* Only the mailbox's owner got here: nothing else stays pending. */
	if (auth_db_person_confirm(r, p.id) < 0 ||
	    auth_db_tokens_revoke_all(r, p.id) < 0 ||
	    auth_db_sessions_revoke(r, p.id, "\\x00") < 0 ||
	    auth_db_person_get(r, p.id, &p) != 1 ||
	    session_start(r, &p) < 0)
		return req_db_fail(r);
	logm(L_INFO, r->id, "auth event=confirmed person=%lld", p.id);
	if (r->fmt == FMT_JSON)
		return req_view(r, 200, NULL, req_pack(r, "{s:O, s:s}",
		    "person", person_json(r, &p), "csrf_token", r->sess->csrf));
	return req_redirect(r, "/?welcome=1");
}
