/*
 * session.h: who is asking.  Sessions, their cookies and CSRF tokens.
 *
 * A session cookie holds a 256-bit random token; PostgreSQL holds only
 * its SHA-256.  Over https the cookies are "__Host-" prefixed and Secure;
 * always HttpOnly and SameSite=Lax.  A session ends after
 * session_idle_timeout without requests or session_max_age after login,
 * whichever comes first; last_seen is written at most once a minute.
 *
 * CSRF: a signed-in person's token is HMAC-SHA-256(session token,
 * "csrf"), so it needs no storage and dies with the session; anonymous
 * forms (sign-up, login) use a random token in a cookie of its own that
 * the form must repeat (double submit).  Unsafe requests carry it in the
 * csrf_token form field or the X-CSRF-Token header.  A JSON request that
 * is not cookie-authenticated needs none: a browser cannot send one
 * cross-site without a CORS preflight, which is never granted.
 */
#ifndef SESSION_H
#define SESSION_H

#include "auth_db.h"
#include "token.h"

#define HUB_ADMIN	0x1
#define HUB_COMMS	0x2
#define HUB_HR		0x4

struct session {
	struct person	 p;
	unsigned	 roles;		/* HUB_* */
	int		 stale;		/* touch after the response */
	int		 rules_version;
	int		 rules_ok;
	long long	 unread;	/* unread items of the inbox */
	long long	 units_stamp;	/* moves with the list of their units */
	char		 hash[TOKEN_HEXLEN + 1];
	char		 csrf[TOKEN_LEN + 1];
};

/*
 * Find the session of r's cookie, if any, as the first statement of the
 * request's transaction, and tell row-level security who acts
 * (db_tx_act(): the only place the acting person is set for a request).
 * Sets r->sess when valid.  Returns 1 (with or without a session), or -1
 * when the database failed (db.h).
 */
int	 session_resolve(struct req *);

/*
 * Whether the request carries a session token (well formed: it may
 * still be unknown or expired).
 */
int	 session_present(const struct req *);

/*
 * The digest of r's session token (as sessions store it) into out: 1, or
 * 0 when r carries no well-formed token.
 */
int	 session_digest(const struct req *, char out[TOKEN_HEXLEN + 1]);

/*
 * Start a session for person (login): a fresh token, so the id changes
 * at every login; an earlier session of this browser is deleted.  Sets
 * the cookie and r->sess.  Returns 1, or -1 as db.h.
 */
int	 session_start(struct req *, const struct person *);

/* Delete r's session (if any) and clear its cookie.  1 or -1. */
int	 session_end(struct req *);

/*
 * After a privilege change (password, roles): delete every other session
 * of r's person and give this one a new token.  1 or -1.
 */
int	 session_rotate(struct req *);

/*
 * Whether the session has work left for after the response: the
 * once-a-minute activity stamp a read leaves undone.
 */
int	 session_after_due(const struct req *);

/*
 * Do that work within the caller's read-write transaction (the pipeline
 * opens and ends it).  Returns 1 (also when nothing was due), or 0 when
 * the stamp could not be written (logged).
 */
int	 session_after(struct req *);

/* Set-Cookie name=value for the whole site; max_age 0 deletes it. */
void	 session_cookie(struct req *, const char *name, const char *value,
	    int max_age);

/* HUB_* bits of a "admin,hr" list. */
unsigned session_roles(const char *);

/*
 * The CSRF token for forms of this response: the session's, or the
 * anonymous cookie's (set now when the browser has none).
 */
const char *csrf_token(struct req *);

/* Whether an unsafe request carries the right CSRF token. */
int	 csrf_check(struct req *);

#endif
