/*
 * csrf.c: CSRF tokens for forms and cookie-authenticated JSON writes
 * (see session.h for the scheme).
 */
#include "config.h"

#include <string.h>

#include "arena.h"
#include "conf.h"
#include "kv.h"
#include "req.h"
#include "session.h"
#include "token.h"

#define CSRF_PLAIN	"ch_csrf"
#define CSRF_HOST	"__Host-ch_csrf"

static const char *
cookie_name(const struct req *r)
{
	return r->https ? CSRF_HOST : CSRF_PLAIN;
}

const char *
csrf_token(struct req *r)
{
	const char	*c;
	char		*t;

	if (r->csrf != NULL)
		return r->csrf;
	if (r->sess != NULL)
		return r->csrf = r->sess->csrf;
	c = kv_get(&r->cookies, cookie_name(r));
	if (token_valid(c))
		return r->csrf = c;
	t = arena_alloc(r->a, TOKEN_LEN + 1);
	token_new(t);
	/* Lives as long as a session may: a form left open still posts. */
	session_cookie(r, cookie_name(r), t, r->conf->session_max_age);
	return r->csrf = t;
}

static int
is_json(const struct req *r)
{
	return r->json != NULL || (r->content_type != NULL &&
	    strncmp(r->content_type, "application/json", 16) == 0);
}

int
csrf_check(struct req *r)
{
	const char	*sent, *want;

	sent = req_env(r, "HTTP_X_CSRF_TOKEN");
	if (sent == NULL)
		sent = kv_get(&r->form, "csrf_token");
	if (r->sess != NULL)
		want = r->sess->csrf;
	else if (is_json(r))
		return 1;
	else
		want = kv_get(&r->cookies, cookie_name(r));
	return sent != NULL && want != NULL && token_valid(want) &&
	    token_equal(sent, want);
}
