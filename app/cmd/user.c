/*
 * user.c: chapterhouse user add, for the first hub admin (and scripts):
 * create a confirmed account, or give an existing one hub roles.
 *
 * With --password-stdin the password is read from the first line of
 * standard input and must pass the password policy; without it the
 * account gets no usable password and a one-time link to choose one is
 * printed instead, so no password ever appears in a command line.
 *
 * An existing account that was never confirmed holds a password chosen
 * by whoever signed up with the address, not necessarily its owner: it
 * is replaced (by the one given, or by none until the link is used),
 * so is the name, and every link and session of the row is revoked
 * before the row is confirmed.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "auth_db.h"
#include "cmd.h"
#include "conf.h"
#include "db.h"
#include "form.h"
#include "input.h"
#include "log.h"
#include "password.h"
#include "pwpolicy.h"
#include "req.h"
#include "stmts.h"
#include "token.h"

#define MAX_ROLES	3

struct user_opts {
	const char	*email;
	const char	*name;
	const char	*roles[MAX_ROLES];
	int		 nroles;
	int		 pw_stdin;
};

static int
usage_error(const char *msg)
{
	fprintf(stderr, "chapterhouse: user: %s (see chapterhouse user "
	    "--help)\n", msg);
	return 2;
}

static int
parse(int argc, char **argv, struct user_opts *o)
{
	int	 i;

	memset(o, 0, sizeof(*o));
	if (argc < 2 || strcmp(argv[1], "add") != 0)
		return usage_error("expected \"add\"");
	for (i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--password-stdin") == 0)
			o->pw_stdin = 1;
		else if (i + 1 >= argc)
			return usage_error("an option lacks its value");
		else if (strcmp(argv[i], "--email") == 0)
			o->email = argv[++i];
		else if (strcmp(argv[i], "--name") == 0)
			o->name = argv[++i];
		else if (strcmp(argv[i], "--hub-role") == 0) {
			i++;
			if (strcmp(argv[i], "admin") != 0 &&
			    strcmp(argv[i], "communicator") != 0 &&
			    strcmp(argv[i], "hr") != 0)
				return usage_error("--hub-role is admin, "
				    "communicator or hr");
			if (o->nroles == MAX_ROLES)
				return usage_error("too many --hub-role");
			o->roles[o->nroles++] = argv[i];
		} else
			return usage_error("unknown option");
	}
	if (o->email == NULL || !input_email_valid(o->email))
		return usage_error("--email needs a valid e-mail address");
	if (o->name == NULL)
		o->name = o->email;
	if (strlen(o->name) > 200 || *o->name == '\0')
		return usage_error("--name must have 1 to 200 bytes");
	return 0;
}

/* Read the password line; 1, or 0 with a message. */
static int
read_password(const struct user_opts *o, char *pw, size_t n)
{
	const char	*why;
	size_t		 len;

	if (fgets(pw, (int)n, stdin) == NULL) {
		fprintf(stderr, "chapterhouse: user: no password on standard "
		    "input\n");
		return 0;
	}
	len = strcspn(pw, "\r\n");
	pw[len] = '\0';
	if ((why = pwpolicy_check(pw, o->email, o->name)) != NULL) {
		fprintf(stderr, "chapterhouse: user: %s\n", why);
		return 0;
	}
	return 1;
}

/* Create or update the person in one transaction; 1 done, 0 failed. */
static int
apply(struct req *r, const struct user_opts *o, const char *hash,
    char *link_token)
{
	struct person	 p;
	long long	 id = 0;
	char		 th[TOKEN_HEXLEN + 1];
	int		 i, created;

	db_tx_setup(r->db, DB_TX_RW, "", "", "cli");
	/* 0: the address has an account already, which is updated. */
	created = auth_db_person_create(r, o->email, o->name, hash, &id);
	if (created == 0) {
		if (auth_db_person_by_email(r, o->email, &p) != 1)
			goto fail;
		id = p.id;
		if ((hash[0] != '!' || !p.confirmed) &&
		    auth_db_password_set(r, id, hash) != 1)
			goto fail;
		if (!p.confirmed && (auth_db_tokens_revoke_all(r, id) != 1 ||
		    auth_db_sessions_revoke(r, id, "\\x00") != 1 ||
		    auth_db_person_set_name(r, id, o->name) != 1))
			goto fail;
	} else if (created != 1)
		goto fail;
	if (auth_db_person_confirm(r, id) != 1)
		goto fail;
	for (i = 0; i < o->nroles; i++)
		if (auth_db_role_add(r, id, o->roles[i]) != 1)
			goto fail;
	/* A privilege change ends the person's sessions. */
	if (o->nroles > 0 && auth_db_sessions_revoke(r, id, "\\x00") != 1)
		goto fail;
	if (link_token != NULL) {
		token_new(link_token);
		token_hash_hex(link_token, th);
		if (auth_db_token_create(r, th, id, "reset",
		    r->conf->reset_token_ttl) != 1)
			goto fail;
	}
	db_tx_end(r->db, 1);
	if (db_tx_wait(r->db) != 1)
		return 0;
	printf("%s %s (person %lld)%s%s\n", created == 1 ? "created" :
	    "updated", o->email, id, o->nroles ? " with hub roles" : "",
	    o->nroles ? "" : "");
	return 1;
fail:
	fprintf(stderr, "chapterhouse: user: the database refused the change "
	    "(SQLSTATE %s)\n", db_sqlstate(r->db));
	db_tx_end(r->db, 0);
	db_tx_wait(r->db);
	return 0;
}

int
cmd_user(int argc, char **argv, const struct cmd_ctx *ctx)
{
	struct user_opts	 o;
	struct conf		*c = NULL;
	struct db		*db = NULL;
	struct arena		*a = NULL;
	struct req		 r;
	char			 pw[PASSWORD_MAX_BYTES + 2];
	char			 hash[PASSWORD_HASH_SIZE], tok[TOKEN_LEN + 1];
	int			 rc = 1;

	if ((rc = parse(argc, argv, &o)) != 0)
		return rc;
	rc = 1;
	if ((c = cmd_load_conf(ctx)) == NULL)
		goto out;
	log_setup(c->log_level, "user");
	if (o.pw_stdin) {
		if (!read_password(&o, pw, sizeof(pw)) ||
		    password_hash(pw, strlen(pw), hash) != 1)
			goto out;
	} else
		snprintf(hash, sizeof(hash), "!");	/* matches nothing */
	db = db_new(c->cli_database, c->db_connect_timeout,
	    "chapterhouse user", db_tables);
	if (!db_connect(db)) {
		fprintf(stderr, "chapterhouse: user: could not connect to the "
		    "database\n");
		goto out;
	}
	a = arena_new(8192);
	req_init(&r, a, NULL);
	r.db = db;
	r.conf = c;
	if (!apply(&r, &o, hash, o.pw_stdin ? NULL : tok))
		goto out;
	if (!o.pw_stdin)
		printf("choose the password within %d minutes at:\n"
		    "%s/password/reset?token=%s\n", c->reset_token_ttl / 60,
		    c->public_url, tok);
	rc = 0;
out:
	memset(pw, 0, sizeof(pw));
	arena_free(a);
	db_free(db);
	conf_free(c);
	return rc;
}
