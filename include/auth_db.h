/*
 * auth_db.h: the database side of people, sessions, e-mail tokens,
 * failed logins, hub roles and use rules.
 *
 * Every function runs within the request's transaction and follows the
 * return convention of db.h: 1 done (or found), 0 not found, -1 failed
 * (db_failure() tells how).  Strings returned live in the arena.
 */
#ifndef AUTH_DB_H
#define AUTH_DB_H

struct req;

struct person {
	long long	 id;
	const char	*email;
	const char	*name;
	const char	*hash;		/* scrypt, when loaded for login */
	const char	*roles;		/* "admin,hr": sorted,
					   comma-separated */
	const char	*created_at;
	int		 confirmed;
};

struct session_row {
	struct person	 p;
	int		 stale;		/* last seen more than a minute ago */
	int		 rules_version;	/* current use rules, 0 when none */
	int		 rules_ok;	/* accepted them (or there are none) */
	long long	 unread;	/* unread items of their inbox */
	long long	 units_stamp;	/* moves when their units may have */
};

struct rules {
	int		 version;	/* 0: nothing published */
	const char	*body;		/* markdown */
	const char	*published_at;
	const char	*accepted_at;	/* by the acting person, or NULL */
};

/* Resolve a session by token digest (session_resolve() then acts). */
int	auth_db_session_load(struct req *, const char *hash,
	    struct session_row *);
int	auth_db_session_create(struct req *, const char *hash,
	    long long person);
int	auth_db_session_touch(struct req *, const char *hash);
int	auth_db_session_delete(struct req *, const char *hash);
/* Delete the person's sessions but keep (the possibly empty) one. */
int	auth_db_sessions_revoke(struct req *, long long person,
	    const char *keep_hash);

int	auth_db_person_by_email(struct req *, const char *email,
	    struct person *);
int	auth_db_person_get(struct req *, long long id, struct person *);
/* 1 created (*id set), 0 the address is taken. */
int	auth_db_person_create(struct req *, const char *email,
	    const char *name, const char *hash, long long *id);
/*
 * Sign up: create the row, or take over an unconfirmed one (its password,
 * name and age become the new sign-up's; *taken_over set).  0: the
 * address belongs to a confirmed account.
 */
int	auth_db_person_signup(struct req *, const char *email,
	    const char *name, const char *hash, long long *id,
	    int *taken_over);
int	auth_db_person_confirm(struct req *, long long id);
int	auth_db_person_set_name(struct req *, long long id, const char *name);
int	auth_db_password_set(struct req *, long long id, const char *hash);
int	auth_db_role_add(struct req *, long long id, const char *role);

/* Failed password checks within login_window, as the request sees them. */
struct failures {
	int		 pair;		/* this account from this address */
	int		 address;	/* this address, any account */
	int		 account;	/* this account, any address */
	double		 since;		/* seconds since the pair's last; -1 */
};

int	auth_db_failures(struct req *, const char *email, struct failures *);
/* Record one from the request's address; *account: the account's now. */
int	auth_db_failure_add(struct req *, const char *email, int *account);
/* Forget the account's failures: all, or those from this address. */
int	auth_db_failures_clear(struct req *, const char *email);
int	auth_db_failures_clear_addr(struct req *, const char *email);

/*
 * Claim the right to mail kind to address to: 1 when none went out in
 * the last secs seconds (this one is recorded), 0 when one did.
 */
int	auth_db_mail_cooldown(struct req *, const char *to, const char *kind,
	    int secs);

/* E-mail tokens; purpose is "confirm" or "reset". */
int	auth_db_token_create(struct req *, const char *hash, long long person,
	    const char *purpose, int ttl);
/* Mark a valid token used and return its person; 0 invalid or used. */
int	auth_db_token_use(struct req *, const char *hash, const char *purpose,
	    struct person *);
/* Whether a valid unused token exists, without using it. */
int	auth_db_token_peek(struct req *, const char *hash, const char *purpose);
int	auth_db_tokens_revoke(struct req *, long long person,
	    const char *purpose);
/* Revoke every unused token of the person, whatever its purpose. */
int	auth_db_tokens_revoke_all(struct req *, long long person);
/* *n: tokens of this purpose created for the person in the last hour. */
int	auth_db_tokens_sent(struct req *, long long person,
	    const char *purpose, int *n);
/* 1 when a token of this purpose was sent in the last five minutes. */
int	auth_db_token_recent(struct req *, long long person,
	    const char *purpose);

/* The current use rules and whether the acting person accepted them. */
int	auth_db_rules_current(struct req *, long long person, struct rules *);
int	auth_db_rules_accept(struct req *, long long person, int version);
/* Publish a new version (*version); refused 409 conflict when another
 * was published at the same moment. */
int	auth_db_rules_publish(struct req *, const char *body, long long by,
	    int *version);

#endif
