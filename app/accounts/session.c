/* session.c: session cookies, their lookup, rotation and end. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "auth_db.h"
#include "conf.h"
#include "db.h"
#include "digest.h"
#include "kv.h"
#include "log.h"
#include "req.h"
#include "resp.h"
#include "session.h"
#include "token.h"

#define COOKIE_PLAIN	"ch_session"
#define COOKIE_HOST	"__Host-ch_session"

static const char *
cookie_name(const struct req *r)
{
	return r->https ? COOKIE_HOST : COOKIE_PLAIN;
}

void
session_cookie(struct req *r, const char *name, const char *value,
    int max_age)
{
	resp_header(r, "Set-Cookie", arena_printf(r->a,
	    "%s=%s; Path=/; Max-Age=%d; HttpOnly; SameSite=Lax%s", name, value,
	    max_age, r->https ? "; Secure" : ""));
}

unsigned
session_roles(const char *s)
{
	static const struct {
		const char	*name;
		unsigned	 bit;
	} names[] = {
		{ "admin", HUB_ADMIN },
		{ "communicator", HUB_COMMS },
		{ "hr", HUB_HR },
	};
	unsigned	 m = 0;
	size_t		 len, i;

	while (s != NULL && *s != '\0') {
		len = strcspn(s, ",");
		for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
			if (strlen(names[i].name) == len &&
			    strncmp(s, names[i].name, len) == 0)
				m |= names[i].bit;
		s += len;
		if (*s == ',')
			s++;
	}
	return m;
}

static void
derive_csrf(const char *token, char out[TOKEN_LEN + 1])
{
	unsigned char	 mac[DIGEST_SHA256_LEN];

	digest_hmac_sha256(token, strlen(token), "csrf", 4, mac);
	base64url(mac, sizeof(mac), out);
}

int
session_present(const struct req *r)
{
	return token_valid(kv_get(&r->cookies, cookie_name(r)));
}

int
session_digest(const struct req *r, char out[TOKEN_HEXLEN + 1])
{
	const char	*tok = kv_get(&r->cookies, cookie_name(r));

	if (!token_valid(tok))
		return 0;
	token_hash_hex(tok, out);
	return 1;
}

int
session_resolve(struct req *r)
{
	struct session_row	 row;
	struct session		*s;
	const char		*tok;
	char			 hash[TOKEN_HEXLEN + 1];
	int			 rc;

	tok = kv_get(&r->cookies, cookie_name(r));
	if (!session_digest(r, hash))
		return 1;
	if ((rc = auth_db_session_load(r, hash, &row)) != 1) {
		if (rc < 0)
			return -1;
		/* None: nobody signed in, and nobody acted behind it. */
		db_prefetch_drop(r->db);
		return 1;
	}
	s = arena_alloc(r->a, sizeof(*s));
	memset(s, 0, sizeof(*s));
	s->p = row.p;
	s->roles = session_roles(row.p.roles);
	s->stale = row.stale;
	s->rules_version = row.rules_version;
	s->rules_ok = row.rules_ok;
	s->unread = row.unread;
	s->units_stamp = row.units_stamp;
	memcpy(s->hash, hash, sizeof(hash));
	derive_csrf(tok, s->csrf);
	r->sess = s;
	r->resp.no_store = 1;
	/*
	 * The one place that tells row-level security who acts: the lookup
	 * has set it in the transaction already.
	 */
	db_tx_acted(r->db, arena_printf(r->a, "%lld", s->p.id),
	    s->p.roles != NULL ? s->p.roles : "");
	/* A write touches now; a read leaves it for after the response. */
	if (s->stale && db_tx_mode(r->db) == DB_TX_RW) {
		s->stale = 0;
		return auth_db_session_touch(r, hash);
	}
	return 1;
}

/* A new token for person: stored, in the cookie and in r->sess. */
static int
issue(struct req *r, const struct person *p)
{
	struct session	*s;
	char		 tok[TOKEN_LEN + 1];
	int		 rc;

	s = arena_alloc(r->a, sizeof(*s));
	memset(s, 0, sizeof(*s));
	token_new(tok);
	token_hash_hex(tok, s->hash);
	if ((rc = auth_db_session_create(r, s->hash, p->id)) != 1)
		return rc;
	s->p = *p;
	s->p.hash = NULL;
	s->roles = session_roles(p->roles);
	derive_csrf(tok, s->csrf);
	session_cookie(r, cookie_name(r), tok, r->conf->session_max_age);
	r->sess = s;
	r->csrf = s->csrf;
	r->resp.no_store = 1;
	return 1;
}

int
session_start(struct req *r, const struct person *p)
{
	const char	*old;
	char		 hash[TOKEN_HEXLEN + 1];
	int		 rc;

	old = kv_get(&r->cookies, cookie_name(r));
	if (token_valid(old)) {
		token_hash_hex(old, hash);
		if ((rc = auth_db_session_delete(r, hash)) != 1)
			return rc;
	}
	return issue(r, p);
}

int
session_end(struct req *r)
{
	int	 rc = 1;

	if (r->sess != NULL)
		rc = auth_db_session_delete(r, r->sess->hash);
	session_cookie(r, cookie_name(r), "", 0);
	r->sess = NULL;
	r->csrf = NULL;
	return rc;
}

int
session_rotate(struct req *r)
{
	struct session	*old = r->sess;
	int		 rc;

	if (old == NULL)
		return 1;
	if ((rc = auth_db_sessions_revoke(r, old->p.id, old->hash)) != 1 ||
	    (rc = auth_db_session_delete(r, old->hash)) != 1)
		return rc;
	if ((rc = issue(r, &old->p)) == 1) {
		r->sess->rules_version = old->rules_version;
		r->sess->rules_ok = old->rules_ok;
	}
	return rc;
}

int
session_after(struct req *r)
{
	if (r->sess == NULL || !r->sess->stale)
		return 1;
	if (auth_db_session_touch(r, r->sess->hash) != 1) {
		logm(L_WARN, r->id, "could not record session activity");
		return 0;
	}
	return 1;
}

int
session_after_due(const struct req *r)
{
	return r->sess != NULL && r->sess->stale;
}
