/*
 * login.c: log in and out, as pages (/login, /logout) and as the JSON
 * API (/api/v1/session).  Failed logins are limited per account and
 * client address, per address, and by a growing delay per account
 * (throttle.h); past them a login is refused with 429 and Retry-After
 * before any password is hashed.
 */
#include "config.h"

#include <stdio.h>
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
#include "resp.h"
#include "session.h"
#include "throttle.h"
#include "token.h"

/* Logging in: the address, the password and where to go next. */
enum { LG_EMAIL, LG_PASSWORD, LG_NEXT, LG__MAX };

static const struct input_field login_fields[LG__MAX] = {
	[LG_EMAIL] = { .name = "email", .type = IN_TEXT,
	    .flags = IN_REQUIRED | IN_BYTES, .max = EMAIL_MAX,
	    .label = "the e-mail address",
	    .missing = "enter your e-mail address" },
	[LG_PASSWORD] = { .name = "password", .type = IN_TEXT,
	    .flags = IN_REQUIRED | IN_RAW | IN_SECRET | IN_BYTES,
	    .max = PASSWORD_MAX_BYTES, .label = "the password",
	    .missing = "enter your password" },
	[LG_NEXT] = { .name = "next", .type = IN_TEXT, .flags = IN_RAW },
};

/* The page's data: what was typed (never the password) and where next. */
static json_t *
login_page(struct req *r, json_t *values, const char *field,
    const char *msg)
{
	const char	*next = kv_get(&r->form, "next");

	(void)field;
	(void)msg;
	if (next == NULL)
		next = kv_get(&r->query, "next");
	return req_pack(r, "{s:s, s:s, s:O}", "csrf", r->fmt == FMT_JSON ? "" :
	    csrf_token(r), "next", req_local_path(next) ? next : "", "values",
	    values);
}

const struct input_form login_input = {
	login_fields, LG__MAX, "login", login_page, 0
};

int
login_get(struct req *r)
{
	if (r->sess != NULL)
		return req_redirect(r, "/");
	return req_view(r, 200, "login", login_page(r, req_object(r), NULL,
	    NULL));
}

/* The person as the API shows it. */
json_t *
person_json(struct req *r, const struct person *p)
{
	json_t		*roles = json_array();
	char		 buf[64], *tok, *save = NULL;

	snprintf(buf, sizeof(buf), "%s", p->roles != NULL ? p->roles : "");
	for (tok = strtok_r(buf, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save))
		json_array_append_new(roles, json_string(tok));
	return req_pack(r, "{s:I, s:s, s:s, s:o}", "id", (json_int_t)p->id,
	    "email", p->email, "name", p->name, "hub_roles", roles);
}

/*
 * Refuse (status returned) when too many password checks for email
 * failed lately; 0 to go on.  view and field say where the form shows
 * the refusal.
 */
int
login_throttled(struct req *r, const char *email, const char *view,
    json_t *data, const char *field)
{
	char	 ev[LOG_VALUE_MAX];
	int	 wait;

	if (throttle_check(r, email, &wait) < 0)
		return req_db_fail(r);
	if (wait == 0)
		return 0;
	logm(L_WARN, r->id, "auth event=login_throttled email=%s addr=%s "
	    "wait=%d", log_value(ev, sizeof(ev), email), r->remote_addr, wait);
	resp_header(r, "Retry-After", arena_printf(r->a, "%d", wait));
	return input_show(r, 429, view, data, "too_many_attempts", field,
	    wait >= 120 ? arena_printf(r->a, "too many failed logins; try "
	    "again in %d minutes or reset your password", wait / 60) :
	    arena_printf(r->a, "too many failed logins; try again in %d "
	    "second%s", wait, wait == 1 ? "" : "s"));
}

/* The password was right but the address is not confirmed yet. */
static int
unconfirmed(struct req *r, const struct person *p)
{
	char	 tok[TOKEN_LEN + 1], hash[TOKEN_HEXLEN + 1];
	int	 rc;

	if ((rc = throttle_confirm_mail(r, p->id, 1)) < 0)
		return req_db_fail(r);
	if (rc == 1) {
		token_new(tok);
		token_hash_hex(tok, hash);
		if (auth_db_token_create(r, hash, p->id, "confirm",
		    r->conf->confirm_token_ttl) < 0 ||
		    outbox_mail(r, p->email, "confirm", req_pack(r,
		    "{s:s, s:s}", "name", p->name, "token", tok)) < 0)
			return req_db_fail(r);
		r->resp.commit = 1;
	}
	return input_fail(r, 403, "not_confirmed", "email", "confirm your "
	    "e-mail address first: we have sent you a link (check your spam "
	    "folder too)");
}

int
login_post(struct req *r)
{
	struct person	 p;
	const char	*email = input_text(r, LG_EMAIL);
	const char	*pw = input_text(r, LG_PASSWORD);
	const char	*next = input_text(r, LG_NEXT);
	char		 hash[PASSWORD_HASH_SIZE], ev[LOG_VALUE_MAX];
	int		 rc, found;

	if ((rc = login_throttled(r, email, "login", login_page(r,
	    input_values(r), NULL, NULL), NULL)) != 0)
		return rc;
	if ((found = auth_db_person_by_email(r, email, &p)) < 0)
		return req_db_fail(r);
	if ((rc = form_verify(r, found ? p.hash : NULL, pw)) < 0)
		return r->resp.status;
	if (rc == 0) {
		if (throttle_failed(r, email, found ? &p : NULL) < 0)
			return req_db_fail(r);
		r->resp.commit = 1;
		logm(L_INFO, r->id, "auth event=login_failure email=%s addr=%s "
		    "account=%s", log_value(ev, sizeof(ev), email),
		    r->remote_addr, found ? "known" : "unknown");
		return input_fail(r, 401, "wrong_credentials", "password",
		    "the e-mail address or the password is wrong");
	}
	if (!p.confirmed)
		return unconfirmed(r, &p);
	if (password_needs_upgrade(p.hash) == 1) {
		if (!form_hash(r, pw, hash))
			return r->resp.status;
		if (auth_db_password_set(r, p.id, hash) < 0)
			return req_db_fail(r);
		logm(L_INFO, r->id, "auth event=password_upgraded person=%lld",
		    p.id);
	}
	if (throttle_passed(r, email) < 0 || session_start(r, &p) < 0)
		return req_db_fail(r);
	logm(L_INFO, r->id, "auth event=login_success person=%lld addr=%s",
	    p.id, r->remote_addr);
	if (r->fmt == FMT_JSON)
		return req_view(r, 200, NULL, req_pack(r, "{s:O, s:s}",
		    "person", person_json(r, &p), "csrf_token", r->sess->csrf));
	return req_redirect(r, req_local_path(next) ? next : "/");
}

int
logout_post(struct req *r)
{
	/*
	 * The route is exempt from the dispatcher's CSRF check so that a
	 * form of an expired session still logs out; a live session
	 * still needs its token.
	 */
	if (r->sess != NULL && !csrf_check(r))
		return req_fail(r, 403, "csrf", "csrf_token", "the form had "
		    "expired: reload the page and try again");
	if (r->sess != NULL)
		logm(L_INFO, r->id, "auth event=logout person=%lld",
		    r->sess->p.id);
	if (session_end(r) < 0)
		return req_db_fail(r);
	if (r->fmt == FMT_JSON)
		return req_view(r, 200, NULL, req_pack(r, "{s:b}", "ok", 1));
	return req_redirect(r, "/");
}
