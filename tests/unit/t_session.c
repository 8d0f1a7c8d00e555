/* t_session.c: session cookies and CSRF tokens without a database. */
#include "config.h"

#include <string.h>

#include "arena.h"
#include "conf.h"
#include "req.h"
#include "session.h"
#include "tap.h"

static const char *
set_cookie(const struct req *r)
{
	size_t	 i;

	for (i = 0; i < r->resp.headers.n; i++)
		if (strcmp(r->resp.headers.v[i].key, "Set-Cookie") == 0)
			return r->resp.headers.v[i].val;
	return NULL;
}

int
main(void)
{
	struct arena	*a = arena_new(4096);
	struct conf	 c;
	struct req	 r;
	const char	*tok, *sc;
	char		*envp[] = { NULL };

	memset(&c, 0, sizeof(c));
	c.session_max_age = 43200;

	req_init(&r, a, envp);
	r.conf = &c;
	tok = csrf_token(&r);
	sc = set_cookie(&r);
	ok(tok != NULL && strlen(tok) == 43, "an anonymous form gets a 43-character token");
	ok(sc != NULL && strncmp(sc, "ch_csrf=", 8) == 0 && strstr(sc, tok) != NULL,
	    "in a cookie of its own: %s", sc ? sc : "(none)");
	ok(sc && strstr(sc, "HttpOnly") && strstr(sc, "SameSite=Lax") &&
	    strstr(sc, "Path=/") && !strstr(sc, "Secure"), "HttpOnly, SameSite=Lax, not Secure over http");
	ok(csrf_token(&r) == tok && r.resp.headers.n == 1, "asked twice, the same token and one cookie");

	arena_reset(a);
	req_init(&r, a, envp);
	r.conf = &c;
	r.https = 1;
	tok = csrf_token(&r);
	sc = set_cookie(&r);
	ok(sc && strncmp(sc, "__Host-ch_csrf=", 15) == 0 && strstr(sc, "; Secure"),
	    "over https: the __Host- prefix and Secure: %s", sc ? sc : "(none)");
	ok(sc && !strstr(sc, "Domain="), "and no Domain (required by __Host-)");

	ok(session_roles("admin,hr") == (HUB_ADMIN | HUB_HR), "roles admin,hr");
	ok(session_roles("communicator") == HUB_COMMS, "role communicator");
	ok(session_roles("") == 0 && session_roles(NULL) == 0, "no roles");
	ok(session_roles("adminx,h") == 0, "no prefix or partial match");

	arena_free(a);
	return tap_done();
}
