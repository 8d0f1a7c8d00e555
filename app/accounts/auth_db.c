/*
 * auth_db.c: statements of people, sessions, e-mail tokens, failed
 * logins, hub roles and use rules, and the mapping of their rows.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "auth_db.h"
#include "conf.h"
#include "db.h"
#include "dbrow.h"
#include "req.h"
#include "stmts.h"
#include "utf8.h"
#include "util.h"

/* More of a User-Agent than the 512 characters kept is never looked at. */
#define UA_MAX_BYTES	2048

enum {
	SESSION_LOAD,
	SESSION_CREATE,
	SESSION_TOUCH,
	SESSION_DELETE,
	SESSION_REVOKE,
	PERSON_BY_EMAIL,
	PERSON_GET,
	PERSON_CREATE,
	PERSON_SIGNUP,
	PERSON_CONFIRM,
	PERSON_SET_NAME,
	PASSWORD_SET,
	ROLE_ADD,
	FAILURES,
	FAILURE_ADD,
	FAILURES_CLEAR,
	FAILURES_CLEAR_ADDR,
	MAIL_COOLDOWN,
	TOKEN_CREATE,
	TOKEN_USE,
	TOKEN_PEEK,
	TOKENS_REVOKE,
	TOKENS_REVOKE_ALL,
	TOKEN_RECENT,
	TOKENS_SENT,
	RULES_CURRENT,
	RULES_ACCEPT,
	RULES_PUBLISH,
	AUTH__MAX
};

#define ROLES_OF(p) \
	"(SELECT coalesce(string_agg(role, ',' ORDER BY role), '') " \
	"FROM hub_roles WHERE person_id = " p ")"

static const struct db_col session_c[] = {
	{ "id", DB_INT, 0 },
	{ "email", DB_TEXT, 0 },
	{ "name", DB_TEXT, 0 },
	{ "roles", DB_TEXT, 0 },
	{ "stale", DB_BOOL, 0 },
	{ "rules_version", DB_INT, 0 },
	{ "rules_ok", DB_BOOL, 0 },
	{ "unread", DB_INT, 0 },
	{ "units_stamp", DB_INT, 0 },
	{ "acting", DB_TEXT, 0 },
};
static const struct db_cols session_cols = DB_COLS(session_c);

static const struct db_col person_c[] = {
	{ "id", DB_INT, 0 },
	{ "email", DB_TEXT, 0 },
	{ "name", DB_TEXT, 0 },
	{ "password_hash", DB_TEXT, 0 },
	{ "confirmed", DB_BOOL, 0 },
	{ "roles", DB_TEXT, 0 },
	{ "created_at", DB_TEXT, 0 },
};
static const struct db_cols person_cols = DB_COLS(person_c);

static const struct db_col id_c[] = {
	{ "id", DB_INT, 0 },
};
static const struct db_cols id_cols = DB_COLS(id_c);

static const struct db_col signup_c[] = {
	{ "id", DB_INT, 0 },
	{ "taken_over", DB_BOOL, 0 },
};
static const struct db_cols signup_cols = DB_COLS(signup_c);

static const struct db_col failures_c[] = {
	{ "pair", DB_INT, 0 },
	{ "address", DB_INT, 0 },
	{ "account", DB_INT, 0 },
	{ "since", DB_TEXT, 0 },
};
static const struct db_cols failures_cols = DB_COLS(failures_c);

static const struct db_col count_c[] = {
	{ "n", DB_INT, 0 },
};
static const struct db_cols count_cols = DB_COLS(count_c);

static const struct db_col token_c[] = {
	{ "id", DB_INT, 0 },
	{ "email", DB_TEXT, 0 },
	{ "name", DB_TEXT, 0 },
};
static const struct db_cols token_cols = DB_COLS(token_c);

static const struct db_col rules_c[] = {
	{ "version", DB_INT, 0 },
	{ "body", DB_TEXT, 0 },
	{ "published_at", DB_TEXT, 0 },
	{ "accepted_at", DB_TEXT, 0 },
};
static const struct db_cols rules_cols = DB_COLS(rules_c);

static const struct db_col version_c[] = {
	{ "version", DB_INT, 0 },
};
static const struct db_cols version_cols = DB_COLS(version_c);

static const struct db_stmt sqls[AUTH__MAX] = {
	/*
	 * Runs as chapterhouse_anon (db_public_row()), which reads the
	 * session through ch_session_mine only (044_session_plain.sql): the
	 * view shows the session whose hash is in chapterhouse.session,
	 * which the InitPlan of the one-time filter sets from $1 before the
	 * scan under it starts.  For the row it finds, the statement itself
	 * names who acts and returns to the login role for the rest of the
	 * transaction, so no prologue follows (db_tx_acted()).
	 */
	[SESSION_LOAD] = { "auth_session_load",
	    "SELECT s.id, s.email, s.name, s.roles, "
	    "s.last_seen_at < now() - interval '60 seconds' AS stale, "
	    "s.rules_version, s.rules_ok, s.unread, s.units_stamp, "
	    "set_config('role', 'none', true) || "
	    "set_config('chapterhouse.person', s.id::text, true) || "
	    "set_config('chapterhouse.hub_roles', s.roles, true) || "
	    "set_config('chapterhouse.request_id', $4, true) AS acting "
	    "FROM ch_session_mine s "
	    "WHERE (SELECT set_config('chapterhouse.session', $1, true)) "
	    "IS NOT NULL "
	    "AND s.last_seen_at > now() - make_interval(secs => $2::int) "
	    "AND s.created_at > now() - make_interval(secs => $3::int)",
	    &session_cols },
	[SESSION_CREATE] = { "auth_session_create",
	    "INSERT INTO sessions (token_hash, person_id, address, user_agent) "
	    "VALUES ($1::bytea, $2, $3, left($4, 512))", NULL },
	[SESSION_TOUCH] = { "auth_session_touch",
	    "UPDATE sessions SET last_seen_at = now() "
	    "WHERE token_hash = $1::bytea", NULL },
	[SESSION_DELETE] = { "auth_session_delete",
	    "DELETE FROM sessions WHERE token_hash = $1::bytea", NULL },
	[SESSION_REVOKE] = { "auth_session_revoke",
	    "DELETE FROM sessions WHERE person_id = $1 "
	    "AND token_hash <> $2::bytea", NULL },
	[PERSON_BY_EMAIL] = { "auth_person_by_email",
	    "SELECT id, email, name, password_hash, confirmed_at IS NOT NULL "
	    "AS confirmed, " ROLES_OF("id") " AS roles, created_at::text "
	    "AS created_at FROM people WHERE lower(email) = lower($1)",
	    &person_cols },
	[PERSON_GET] = { "auth_person_get",
	    "SELECT id, email, name, password_hash, confirmed_at IS NOT NULL "
	    "AS confirmed, " ROLES_OF("id") " AS roles, "
	    "to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS "
	    "created_at FROM people WHERE id = $1", &person_cols },
	[PERSON_CREATE] = { "auth_person_create",
	    "INSERT INTO people (email, name, password_hash) "
	    "VALUES ($1, $2, $3) ON CONFLICT ((lower(email))) DO NOTHING "
	    "RETURNING id", &id_cols },
	/*
	 * A sign-up takes over an unconfirmed row: its password and name
	 * are those of the newest sign-up, and its age counts from it.  A
	 * confirmed row is left alone (no row returned).  The second column
	 * tells a takeover (the row existed: xmax is set by the update).
	 */
	[PERSON_SIGNUP] = { "auth_person_signup",
	    "INSERT INTO people (email, name, password_hash) "
	    "VALUES ($1, $2, $3) ON CONFLICT ((lower(email))) DO UPDATE "
	    "SET email = EXCLUDED.email, name = EXCLUDED.name, "
	    "password_hash = EXCLUDED.password_hash, "
	    "password_changed_at = now(), created_at = now(), "
	    "updated_at = now() WHERE people.confirmed_at IS NULL "
	    "RETURNING id, xmax <> 0 AS taken_over", &signup_cols },
	[PERSON_CONFIRM] = { "auth_person_confirm",
	    "UPDATE people SET confirmed_at = coalesce(confirmed_at, now()) "
	    "WHERE id = $1", NULL },
	[PERSON_SET_NAME] = { "auth_person_set_name",
	    "UPDATE people SET name = $2, updated_at = now() WHERE id = $1",
	    NULL },
	[PASSWORD_SET] = { "auth_password_set",
	    "UPDATE people SET password_hash = $2, "
	    "password_changed_at = now(), updated_at = now() WHERE id = $1",
	    NULL },
	[ROLE_ADD] = { "auth_role_add",
	    "INSERT INTO hub_roles (person_id, role) VALUES ($1, $2) "
	    "ON CONFLICT DO NOTHING", NULL },
	/*
	 * Within the window: failures of this account from this address,
	 * of this address on any account, of this account from anywhere,
	 * and seconds since this address last failed on this account.
	 */
	[FAILURES] = { "auth_failures",
	    "SELECT count(*) FILTER (WHERE address = $2) AS pair, "
	    "(SELECT count(*) FROM login_failures WHERE address = $2 "
	    "AND at > now() - make_interval(secs => $3::int)) AS address, "
	    "count(*) AS account, extract(epoch FROM now() - max(at) "
	    "FILTER (WHERE address = $2))::text AS since "
	    "FROM login_failures WHERE lower(email) = lower(left($1, 254)) "
	    "AND at > now() - make_interval(secs => $3::int)",
	    &failures_cols },
	/* Record a failure; the account's failures in the window, with it. */
	[FAILURE_ADD] = { "auth_failure_add",
	    "WITH ins AS (INSERT INTO login_failures (email, address) "
	    "VALUES (left($1, 254), $2)) "
	    "SELECT count(*) + 1 AS n FROM login_failures "
	    "WHERE lower(email) = lower(left($1, 254)) "
	    "AND at > now() - make_interval(secs => $3::int)", &count_cols },
	[FAILURES_CLEAR] = { "auth_failures_clear",
	    "DELETE FROM login_failures WHERE lower(email) = lower($1)", NULL },
	[FAILURES_CLEAR_ADDR] = { "auth_failures_clear_addr",
	    "DELETE FROM login_failures WHERE lower(email) = lower(left($1, "
	    "254)) AND address = $2", NULL },
	/* A row when a mail of this kind may go out now (and is recorded). */
	[MAIL_COOLDOWN] = { "auth_mail_cooldown",
	    "INSERT INTO mail_cooldowns (recipient, kind) VALUES ($1, $2) "
	    "ON CONFLICT ((lower(recipient)), kind) DO UPDATE "
	    "SET recipient = EXCLUDED.recipient, sent_at = now() "
	    "WHERE mail_cooldowns.sent_at <= "
	    "now() - make_interval(secs => $3::int) RETURNING 1", NULL },
	[TOKEN_CREATE] = { "auth_token_create",
	    "INSERT INTO email_tokens (token_hash, person_id, purpose, "
	    "expires_at) VALUES ($1::bytea, $2, $3, "
	    "now() + make_interval(secs => $4::int))", NULL },
	[TOKEN_USE] = { "auth_token_use",
	    "UPDATE email_tokens t SET used_at = now() FROM people p "
	    "WHERE t.token_hash = $1::bytea AND t.purpose = $2 "
	    "AND t.used_at IS NULL AND t.expires_at > now() "
	    "AND p.id = t.person_id RETURNING p.id, p.email, p.name",
	    &token_cols },
	[TOKEN_PEEK] = { "auth_token_peek",
	    "SELECT 1 FROM email_tokens WHERE token_hash = $1::bytea "
	    "AND purpose = $2 AND used_at IS NULL AND expires_at > now()",
	    NULL },
	[TOKENS_REVOKE] = { "auth_tokens_revoke",
	    "UPDATE email_tokens SET used_at = now() WHERE person_id = $1 "
	    "AND purpose = $2 AND used_at IS NULL", NULL },
	[TOKENS_REVOKE_ALL] = { "auth_tokens_revoke_all",
	    "UPDATE email_tokens SET used_at = now() WHERE person_id = $1 "
	    "AND used_at IS NULL", NULL },
	[TOKEN_RECENT] = { "auth_token_recent",
	    "SELECT 1 FROM email_tokens WHERE person_id = $1 AND purpose = $2 "
	    "AND created_at > now() - interval '5 minutes' LIMIT 1", NULL },
	[TOKENS_SENT] = { "auth_tokens_sent",
	    "SELECT count(*) AS n FROM email_tokens WHERE person_id = $1 "
	    "AND purpose = $2 AND created_at > now() - interval '1 hour'",
	    &count_cols },
	[RULES_CURRENT] = { "auth_rules_current",
	    "SELECT u.version, u.body, "
	    "to_char(u.published_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') "
	    "AS published_at, to_char(a.accepted_at AT TIME ZONE 'UTC', "
	    "'YYYY-MM-DD HH24:MI \"UTC\"') AS accepted_at "
	    "FROM use_rules u LEFT JOIN use_rule_acceptances a "
	    "ON a.version = u.version AND a.person_id = $1 "
	    "ORDER BY u.version DESC LIMIT 1", &rules_cols },
	/* A row when version is the current one (accepted now or before). */
	[RULES_ACCEPT] = { "auth_rules_accept",
	    "WITH cur AS (SELECT max(version) AS v FROM use_rules), "
	    "ins AS (INSERT INTO use_rule_acceptances (person_id, version) "
	    "SELECT $1, $2::int FROM cur WHERE cur.v = $2::int "
	    "ON CONFLICT DO NOTHING RETURNING 1) "
	    "SELECT 1 FROM cur WHERE cur.v = $2::int", NULL },
	[RULES_PUBLISH] = { "auth_rules_publish",
	    "INSERT INTO use_rules (version, body, published_by) "
	    "SELECT coalesce(max(version), 0) + 1, $1, $2 FROM use_rules "
	    "RETURNING version", &version_cols },
};

/* Two admins publishing at once: the second one's version is taken. */
static const struct db_refusal publish_refusals[] = {
	{ "23505", 409, "conflict", NULL, "another version was published at "
	  "the same moment; reload and check", 0 },
	{ NULL, 0, NULL, NULL, NULL, 0 }
};

/* What the statements' own refusals answer (db.h). */
static const struct db_refusal *const refusals[AUTH__MAX] = {
	[RULES_PUBLISH] = publish_refusals,
};

const struct db_stmts auth_stmts = { sqls, NELEM(sqls), refusals };

static int
run(struct req *r, int stmt, int n, const char *const *v, PGresult **res)
{
	return db_query(r->db, r->a, &sqls[stmt], n, v, res);
}

static const char *
num(struct req *r, long long v)
{
	return arena_printf(r->a, "%lld", v);
}

/* Column name of the first row of statement stmt's result. */
static const char *
col(struct req *r, PGresult *res, int stmt, const char *name)
{
	const char	*s = db_get(res, 0, sqls[stmt].cols, name);

	return s != NULL ? arena_strdup(r->a, s) : NULL;
}

static int
flag(PGresult *res, int stmt, const char *name)
{
	return db_get_bool(res, 0, sqls[stmt].cols, name);
}

static long long
number(PGresult *res, int stmt, const char *name)
{
	return db_get_int(res, 0, sqls[stmt].cols, name);
}

/* Run a statement whose only outcome is success or failure. */
static int
exec(struct req *r, int stmt, int n, const char *const *v)
{
	PGresult	*res;

	return run(r, stmt, n, v, &res);
}

/* Run a statement; 1 when it returned a row, 0 when none. */
static int
row(struct req *r, int stmt, int n, const char *const *v, PGresult **res)
{
	return db_query_row(r->db, r->a, &sqls[stmt], n, v, res);
}

int
auth_db_session_load(struct req *r, const char *hash, struct session_row *s)
{
	const char	*v[4];
	PGresult	*res;
	int		 rc;

	v[0] = hash;
	v[1] = num(r, r->conf->session_idle_timeout);
	v[2] = num(r, r->conf->session_max_age);
	v[3] = r->id;
	if ((rc = db_public_row(r->db, r->a, &sqls[SESSION_LOAD], 4, v,
	    &res)) != 1)
		return rc;
	memset(s, 0, sizeof(*s));
	s->p.id = number(res, SESSION_LOAD, "id");
	s->p.email = col(r, res, SESSION_LOAD, "email");
	s->p.name = col(r, res, SESSION_LOAD, "name");
	s->p.roles = col(r, res, SESSION_LOAD, "roles");
	s->p.confirmed = 1;
	s->stale = flag(res, SESSION_LOAD, "stale");
	s->rules_version = (int)number(res, SESSION_LOAD, "rules_version");
	s->rules_ok = flag(res, SESSION_LOAD, "rules_ok");
	s->unread = number(res, SESSION_LOAD, "unread");
	s->units_stamp = number(res, SESSION_LOAD, "units_stamp");
	return 1;
}

int
auth_db_session_create(struct req *r, const char *hash, long long person)
{
	const char	*ua = req_env(r, "HTTP_USER_AGENT");
	const char	*v[4] = { hash, num(r, person), r->remote_addr, NULL };
	char		*clean = NULL;
	size_t		 n;

	/* The header is stored, not judged: its bad bytes are replaced. */
	if (ua != NULL) {
		n = strlen(ua);
		if (n > UA_MAX_BYTES)
			n = UA_MAX_BYTES;
		clean = arena_alloc(r->a, 3 * n + 1);
		utf8_repair(ua, n, clean);
	}
	v[3] = clean;
	return exec(r, SESSION_CREATE, 4, v);
}

int
auth_db_session_touch(struct req *r, const char *hash)
{
	return exec(r, SESSION_TOUCH, 1, &hash);
}

int
auth_db_session_delete(struct req *r, const char *hash)
{
	return exec(r, SESSION_DELETE, 1, &hash);
}

int
auth_db_sessions_revoke(struct req *r, long long person, const char *keep)
{
	const char	*v[2] = { num(r, person), keep };

	return exec(r, SESSION_REVOKE, 2, v);
}

/* A person from statement stmt (person_c). */
static void
person_map(struct req *r, PGresult *res, int stmt, struct person *p)
{
	memset(p, 0, sizeof(*p));
	p->id = number(res, stmt, "id");
	p->email = col(r, res, stmt, "email");
	p->name = col(r, res, stmt, "name");
	p->hash = col(r, res, stmt, "password_hash");
	p->confirmed = flag(res, stmt, "confirmed");
	p->roles = col(r, res, stmt, "roles");
	p->created_at = col(r, res, stmt, "created_at");
}

int
auth_db_person_by_email(struct req *r, const char *email, struct person *p)
{
	PGresult	*res;
	int		 rc;

	if ((rc = row(r, PERSON_BY_EMAIL, 1, &email, &res)) == 1)
		person_map(r, res, PERSON_BY_EMAIL, p);
	return rc;
}

int
auth_db_person_get(struct req *r, long long id, struct person *p)
{
	const char	*v = num(r, id);
	PGresult	*res;
	int		 rc;

	if ((rc = row(r, PERSON_GET, 1, &v, &res)) == 1)
		person_map(r, res, PERSON_GET, p);
	return rc;
}

int
auth_db_person_create(struct req *r, const char *email, const char *name,
    const char *hash, long long *id)
{
	const char	*v[3] = { email, name, hash };
	PGresult	*res;
	int		 rc;

	if ((rc = row(r, PERSON_CREATE, 3, v, &res)) == 1)
		*id = number(res, PERSON_CREATE, "id");
	return rc;
}

int
auth_db_person_signup(struct req *r, const char *email, const char *name,
    const char *hash, long long *id, int *taken_over)
{
	const char	*v[3] = { email, name, hash };
	PGresult	*res;
	int		 rc;

	if ((rc = row(r, PERSON_SIGNUP, 3, v, &res)) == 1) {
		*id = number(res, PERSON_SIGNUP, "id");
		*taken_over = flag(res, PERSON_SIGNUP, "taken_over");
	}
	return rc;
}

int
auth_db_person_confirm(struct req *r, long long id)
{
	const char	*v = num(r, id);

	return exec(r, PERSON_CONFIRM, 1, &v);
}

int
auth_db_person_set_name(struct req *r, long long id, const char *name)
{
	const char	*v[2] = { num(r, id), name };

	return exec(r, PERSON_SET_NAME, 2, v);
}

int
auth_db_password_set(struct req *r, long long id, const char *hash)
{
	const char	*v[2] = { num(r, id), hash };

	return exec(r, PASSWORD_SET, 2, v);
}

int
auth_db_role_add(struct req *r, long long id, const char *role)
{
	const char	*v[2] = { num(r, id), role };

	return exec(r, ROLE_ADD, 2, v);
}

int
auth_db_failures(struct req *r, const char *email, struct failures *f)
{
	const char	*v[3] = { email, r->remote_addr,
			    num(r, r->conf->login_window) };
	const char	*since;
	PGresult	*res;
	int		 rc;

	if ((rc = row(r, FAILURES, 3, v, &res)) == 1) {
		f->pair = (int)number(res, FAILURES, "pair");
		f->address = (int)number(res, FAILURES, "address");
		f->account = (int)number(res, FAILURES, "account");
		since = db_get(res, 0, &failures_cols, "since");
		f->since = since != NULL ? strtod(since, NULL) : -1;
	}
	return rc;
}

int
auth_db_failure_add(struct req *r, const char *email, int *account)
{
	const char	*v[3] = { email, r->remote_addr,
			    num(r, r->conf->login_window) };
	PGresult	*res;
	int		 rc;

	if ((rc = row(r, FAILURE_ADD, 3, v, &res)) == 1)
		*account = (int)number(res, FAILURE_ADD, "n");
	return rc;
}

int
auth_db_failures_clear_addr(struct req *r, const char *email)
{
	const char	*v[2] = { email, r->remote_addr };

	return exec(r, FAILURES_CLEAR_ADDR, 2, v);
}

int
auth_db_mail_cooldown(struct req *r, const char *to, const char *kind,
    int secs)
{
	const char	*v[3] = { to, kind, num(r, secs) };
	PGresult	*res;

	return row(r, MAIL_COOLDOWN, 3, v, &res);
}

int
auth_db_failures_clear(struct req *r, const char *email)
{
	return exec(r, FAILURES_CLEAR, 1, &email);
}

int
auth_db_token_create(struct req *r, const char *hash, long long person,
    const char *purpose, int ttl)
{
	const char	*v[4] = { hash, num(r, person), purpose, num(r, ttl) };

	return exec(r, TOKEN_CREATE, 4, v);
}

int
auth_db_token_use(struct req *r, const char *hash, const char *purpose,
    struct person *p)
{
	const char	*v[2] = { hash, purpose };
	PGresult	*res;
	int		 rc;

	if ((rc = row(r, TOKEN_USE, 2, v, &res)) == 1) {
		memset(p, 0, sizeof(*p));
		p->id = number(res, TOKEN_USE, "id");
		p->email = col(r, res, TOKEN_USE, "email");
		p->name = col(r, res, TOKEN_USE, "name");
	}
	return rc;
}

int
auth_db_token_peek(struct req *r, const char *hash, const char *purpose)
{
	const char	*v[2] = { hash, purpose };
	PGresult	*res;

	return row(r, TOKEN_PEEK, 2, v, &res);
}

int
auth_db_tokens_revoke(struct req *r, long long person, const char *purpose)
{
	const char	*v[2] = { num(r, person), purpose };

	return exec(r, TOKENS_REVOKE, 2, v);
}

int
auth_db_tokens_revoke_all(struct req *r, long long person)
{
	const char	*v = num(r, person);

	return exec(r, TOKENS_REVOKE_ALL, 1, &v);
}

int
auth_db_tokens_sent(struct req *r, long long person, const char *purpose,
    int *n)
{
	const char	*v[2] = { num(r, person), purpose };
	PGresult	*res;
	int		 rc;

	if ((rc = row(r, TOKENS_SENT, 2, v, &res)) == 1)
		*n = (int)number(res, TOKENS_SENT, "n");
	return rc;
}

int
auth_db_token_recent(struct req *r, long long person, const char *purpose)
{
	const char	*v[2] = { num(r, person), purpose };
	PGresult	*res;

	return row(r, TOKEN_RECENT, 2, v, &res);
}

int
auth_db_rules_current(struct req *r, long long person, struct rules *u)
{
	const char	*v = num(r, person);
	PGresult	*res;
	int		 rc;

	memset(u, 0, sizeof(*u));
	if ((rc = row(r, RULES_CURRENT, 1, &v, &res)) == 1) {
		u->version = (int)number(res, RULES_CURRENT, "version");
		u->body = col(r, res, RULES_CURRENT, "body");
		u->published_at = col(r, res, RULES_CURRENT, "published_at");
		u->accepted_at = col(r, res, RULES_CURRENT, "accepted_at");
	}
	return rc;
}

int
auth_db_rules_accept(struct req *r, long long person, int version)
{
	const char	*v[2] = { num(r, person), num(r, version) };
	PGresult	*res;

	return row(r, RULES_ACCEPT, 2, v, &res);
}

int
auth_db_rules_publish(struct req *r, const char *body, long long by,
    int *version)
{
	const char	*v[2] = { body, num(r, by) };
	PGresult	*res;
	int		 rc;

	if ((rc = row(r, RULES_PUBLISH, 2, v, &res)) == 1)
		*version = (int)number(res, RULES_PUBLISH, "version");
	return rc;
}
