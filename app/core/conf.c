/*
 * conf.c: one table describes every configuration key (type, default,
 * bounds, meaning); loading, environment overrides and --help all read it.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf.h"
#include "util.h"

extern char **environ;

enum conf_type {
	T_STR,
	T_INT,
	T_SIZE,
	T_LEVEL,
	T_MODE,
	T_WORKERS,
	T_BOOL,
	T_ALLOW
};

struct conf_key {
	const char	*name;
	enum conf_type	 type;
	size_t		 off;
	const char	*def;
	long long	 min, max;
	const char	*help;
};

#define O(f)	offsetof(struct conf, f)

static const struct conf_key keys[] = {
	{ "listen", T_STR, O(listen), "var/run/chapterhouse.sock", 0, 0,
	  "unix socket path, or host:port, where FastCGI requests arrive" },
	{ "socket_mode", T_MODE, O(socket_mode), "0660", 0, 0777,
	  "octal permissions of the unix socket" },
	{ "workers", T_WORKERS, O(workers), "auto", 1, 256,
	  "worker processes; auto means two per processor core" },
	{ "backlog", T_INT, O(backlog), "1024", 1, 65535,
	  "length of the listen queue" },
	{ "database", T_STR, O(database), "dbname=chapterhouse", 0, 0,
	  "libpq connection string used to serve requests" },
	{ "migrate_database", T_STR, O(migrate_database), "", 0, 0,
	  "libpq connection string of the schema owner, for migrate "
	  "(empty: same as database)" },
	{ "worker_database", T_STR, O(worker_database), "", 0, 0,
	  "libpq connection string of the job worker (empty: same as "
	  "database)" },
	{ "cli_database", T_STR, O(cli_database), "", 0, 0,
	  "libpq connection string of \"chapterhouse user\" (empty: same as "
	  "migrate_database)" },
	{ "sql_dir", T_STR, O(sql_dir), "sql", 0, 0,
	  "directory of the NNN_name.sql migrations" },
	{ "templates_dir", T_STR, O(templates_dir), "templates", 0, 0,
	  "directory of the page templates, re-read on reload" },
	{ "site_name", T_STR, O(site_name), "Chapterhouse", 0, 0,
	  "name shown in page titles and headers" },
	{ "max_body", T_SIZE, O(max_body), "1m", 1024, 64LL << 20,
	  "largest accepted request body (k, m suffixes)" },
	{ "max_fields", T_INT, O(max_fields), "1000", 1, 100000,
	  "most fields in one query string or form" },
	{ "max_field_length", T_SIZE, O(max_field_length), "512k", 64,
	  64LL << 20, "largest accepted field value in bytes" },
	{ "log_level", T_LEVEL, O(log_level), "info", 0, 0,
	  "debug, info, warn or error" },
	{ "shutdown_timeout", T_INT, O(shutdown_timeout), "30", 1, 3600,
	  "seconds in-flight requests get to finish on stop or reload" },
	{ "db_connect_timeout", T_INT, O(db_connect_timeout), "5", 1, 300,
	  "seconds to wait for a PostgreSQL connection" },
	{ "public_url", T_STR, O(public_url), "http://127.0.0.1:8080", 0, 0,
	  "scheme://host[:port] people use to reach the site (links in "
	  "e-mail)" },
	{ "session_idle_timeout", T_INT, O(session_idle_timeout), "1800", 60,
	  86400 * 30, "seconds without a request after which a session ends" },
	{ "session_max_age", T_INT, O(session_max_age), "43200", 300,
	  86400 * 90, "seconds after login at which a session ends anyway" },
	{ "page_memory", T_INT, O(page_memory), "1000", 0, 60000,
	  "milliseconds a worker may answer a signed-in page again from its "
	  "memory while the database says nothing the page shows has "
	  "changed (0: never)" },
	{ "max_hashes", T_INT, O(max_hashes), "2", 1, 256,
	  "password hashes computed at once across all workers (each takes "
	  "about 64 MiB and 0.5 s); more wait for a 503" },
	{ "login_failures_account", T_INT, O(login_failures_account), "5", 1,
	  1000, "failed logins per account and client address within "
	  "login_window before that address gets 429 for that account; from "
	  "then on the account's delay grows" },
	{ "login_failures_address", T_INT, O(login_failures_address), "30", 1,
	  100000, "failed logins per client address within login_window "
	  "before 429" },
	{ "login_window", T_INT, O(login_window), "900", 10, 86400,
	  "seconds over which failed logins are counted" },
	{ "confirm_token_ttl", T_INT, O(confirm_token_ttl), "86400", 60,
	  86400 * 30, "seconds an e-mail confirmation link stays valid" },
	{ "reset_token_ttl", T_INT, O(reset_token_ttl), "3600", 60, 86400,
	  "seconds a password reset link stays valid" },
	{ "mail_from", T_STR, O(mail_from), "noreply@localhost", 0, 0,
	  "sender address of outgoing e-mail" },
	{ "smtp_url", T_STR, O(smtp_url), "smtp://127.0.0.1:2525", 0, 0,
	  "SMTP server, smtp://host:port (or smtps:// for implicit TLS)" },
	{ "smtp_starttls", T_BOOL, O(smtp_starttls), "no", 0, 1,
	  "require STARTTLS on smtp:// connections (yes or no)" },
	{ "smtp_user", T_STR, O(smtp_user), "", 0, 0,
	  "SMTP login name (empty: no authentication)" },
	{ "smtp_password", T_STR, O(smtp_password), "", 0, 0,
	  "SMTP password" },
	{ "smtp_timeout", T_INT, O(smtp_timeout), "60", 1, 600,
	  "seconds one SMTP delivery may take" },
	{ "job_max_attempts", T_INT, O(job_max_attempts), "8", 1, 100,
	  "attempts before a job is marked failed" },
	{ "job_retry_base", T_INT, O(job_retry_base), "30", 1, 86400,
	  "seconds before the first retry; each retry waits twice as long" },
	{ "job_retry_max", T_INT, O(job_retry_max), "3600", 1, 86400 * 7,
	  "longest wait between two attempts, seconds" },
	{ "job_lease", T_INT, O(job_lease), "300", 10, 86400,
	  "seconds a claimed job stays reserved; a worker that dies leaves "
	  "it to be claimed again after this" },
	{ "reminder_after", T_INT, O(reminder_after), "172800", 0,
	  86400 * 365, "seconds a workspace request waits before the hub "
	  "admins are mailed a digest of such requests, at most daily "
	  "(0: no reminders)" },
	{ "training_remind_assigned", T_BOOL, O(training_remind_assigned),
	  "yes", 0, 1, "mail people a course assigned to them" },
	{ "training_remind_before", T_INT, O(training_remind_before), "3", 0,
	  365, "days before an assigned course's due day its reminder is "
	  "mailed (0: none)" },
	{ "training_remind_overdue", T_BOOL, O(training_remind_overdue),
	  "yes", 0, 1, "mail people an assigned course they did not complete "
	  "by its due day" },
	{ "link_check_timeout", T_INT, O(link_check_timeout), "10", 1, 120,
	  "seconds one link's check may take, redirects included" },
	{ "link_check_connect_timeout", T_INT, O(link_check_connect_timeout),
	  "5", 1, 60, "seconds to connect to the host of a link" },
	{ "link_check_max_bytes", T_SIZE, O(link_check_max_bytes), "1m", 1024,
	  64LL << 20, "largest body read when checking a link (k, m "
	  "suffixes)" },
	{ "link_check_job_timeout", T_INT, O(link_check_job_timeout), "120",
	  1, 3600, "seconds all the links of one revision may take; those "
	  "left are not checked" },
	{ "link_check_allow", T_ALLOW, O(link_check_allow), "public", 0, 0,
	  "addresses a link check may reach: public (only), loopback (and "
	  "127/8, ::1: tests) or private (and every other non-public one)" },
};

static void
set_str(struct conf *c, const struct conf_key *k, const char *v)
{
	char	**p = (char **)((char *)c + k->off);

	free(*p);
	*p = xstrdup(v);
}

/* Store v into c; returns 1, or 0 with a message in err. */
static int
set_value(struct conf *c, const struct conf_key *k, const char *v,
    char *err, size_t n)
{
	long long	 ll;
	size_t		 sz;
	char		*end;

	switch (k->type) {
	case T_STR:
		set_str(c, k, v);
		return 1;
	case T_INT:
		if (!parse_ll(v, k->min, k->max, &ll))
			goto bad_int;
		*(int *)((char *)c + k->off) = (int)ll;
		return 1;
	case T_WORKERS:
		if (strcmp(v, "auto") == 0) {
			long ncpu = sysconf(_SC_NPROCESSORS_ONLN);

			ll = ncpu > 0 ? 2 * ncpu : 2;
			if (ll > k->max)
				ll = k->max;
		} else if (!parse_ll(v, k->min, k->max, &ll)) {
			snprintf(err, n, "%s: expected \"auto\" or a number "
			    "from %lld to %lld, got \"%s\"", k->name, k->min,
			    k->max, v);
			return 0;
		}
		*(int *)((char *)c + k->off) = (int)ll;
		return 1;
	case T_SIZE:
		if (!parse_size(v, (size_t)k->min, (size_t)k->max, &sz)) {
			snprintf(err, n, "%s: expected a size from %lld to "
			    "%lld bytes (k and m suffixes allowed), got \"%s\"",
			    k->name, k->min, k->max, v);
			return 0;
		}
		*(size_t *)((char *)c + k->off) = sz;
		return 1;
	case T_BOOL:
		if (strcmp(v, "yes") == 0 || strcmp(v, "on") == 0 ||
		    strcmp(v, "true") == 0 || strcmp(v, "1") == 0)
			ll = 1;
		else if (strcmp(v, "no") == 0 || strcmp(v, "off") == 0 ||
		    strcmp(v, "false") == 0 || strcmp(v, "0") == 0)
			ll = 0;
		else {
			snprintf(err, n, "%s: expected yes or no, got \"%s\"",
			    k->name, v);
			return 0;
		}
		*(int *)((char *)c + k->off) = (int)ll;
		return 1;
	case T_LEVEL:
		if (!log_level_parse(v,
		    (enum log_level *)((char *)c + k->off))) {
			snprintf(err, n, "%s: expected debug, info, warn or "
			    "error, got \"%s\"", k->name, v);
			return 0;
		}
		return 1;
	case T_ALLOW:
		if (strcmp(v, "public") == 0)
			ll = CONF_ALLOW_PUBLIC;
		else if (strcmp(v, "loopback") == 0)
			ll = CONF_ALLOW_LOOPBACK;
		else if (strcmp(v, "private") == 0)
			ll = CONF_ALLOW_PRIVATE;
		else {
			snprintf(err, n, "%s: expected public, loopback or "
			    "private, got \"%s\"", k->name, v);
			return 0;
		}
		*(int *)((char *)c + k->off) = (int)ll;
		return 1;
	case T_MODE:
		errno = 0;
		ll = strtoll(v, &end, 8);
		if (*v == '\0' || *end != '\0' || errno || ll < k->min ||
		    ll > k->max) {
			snprintf(err, n, "%s: expected octal permissions such "
			    "as 0660, got \"%s\"", k->name, v);
			return 0;
		}
		*(int *)((char *)c + k->off) = (int)ll;
		return 1;
	}
	return 0;
bad_int:
	snprintf(err, n, "%s: expected a number from %lld to %lld, got \"%s\"",
	    k->name, k->min, k->max, v);
	return 0;
}

static const struct conf_key *
find_key(const char *name, size_t len)
{
	size_t	 i;

	for (i = 0; i < NELEM(keys); i++)
		if (strlen(keys[i].name) == len &&
		    strncmp(keys[i].name, name, len) == 0)
			return &keys[i];
	return NULL;
}

static char *
trim(char *s)
{
	char	*e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' ||
	    e[-1] == '\r'))
		*--e = '\0';
	return s;
}

/* Parse one "key = value" line; returns 1 or 0 with err set. */
static int
parse_line(struct conf *c, char *line, unsigned char *seen, char *err,
    size_t n)
{
	const struct conf_key	*k;
	char			*eq, *key, *val, msg[512];
	size_t			 vl;

	line = trim(line);
	if (*line == '\0' || *line == '#')
		return 1;
	if ((eq = strchr(line, '=')) == NULL) {
		snprintf(err, n, "expected \"key = value\"");
		return 0;
	}
	*eq = '\0';
	key = trim(line);
	val = trim(eq + 1);
	if ((k = find_key(key, strlen(key))) == NULL) {
		snprintf(err, n, "unknown key \"%.64s\"", key);
		return 0;
	}
	if (seen[k - keys]++) {
		snprintf(err, n, "key \"%s\" is set twice", k->name);
		return 0;
	}
	vl = strlen(val);
	if (vl >= 2 && val[0] == '"' && val[vl - 1] == '"') {
		val[vl - 1] = '\0';
		val++;
	}
	if (!set_value(c, k, val, msg, sizeof(msg))) {
		snprintf(err, n, "%s", msg);
		return 0;
	}
	return 1;
}

static int
load_file(struct conf *c, const char *path, int must_exist, char *err,
    size_t n)
{
	FILE		*f;
	char		 line[4096], msg[600];
	unsigned char	 seen[NELEM(keys)] = { 0 };
	int		 lineno = 0, ok = 1;

	if ((f = fopen(path, "r")) == NULL) {
		if (errno == ENOENT && !must_exist)
			return 1;
		snprintf(err, n, "could not open configuration file \"%s\": %s",
		    path, strerror(errno));
		return 0;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		lineno++;
		if (strchr(line, '\n') == NULL && !feof(f)) {
			snprintf(err, n, "%s:%d: line too long", path, lineno);
			ok = 0;
			break;
		}
		if (!parse_line(c, line, seen, msg, sizeof(msg))) {
			snprintf(err, n, "%s:%d: %s", path, lineno, msg);
			ok = 0;
			break;
		}
	}
	if (ok && ferror(f)) {
		snprintf(err, n, "could not read \"%s\": %s", path,
		    strerror(errno));
		ok = 0;
	}
	fclose(f);
	return ok;
}

/* Apply CHAPTERHOUSE_<KEY> variables; unknown ones are errors. */
static int
load_env(struct conf *c, char *err, size_t n)
{
	static const char	 prefix[] = "CHAPTERHOUSE_";
	const struct conf_key	*k;
	char			**e, name[64], msg[600];
	const char		*eq;
	size_t			 i, len;

	for (e = environ; *e != NULL; e++) {
		if (strncmp(*e, prefix, sizeof(prefix) - 1) != 0)
			continue;
		if ((eq = strchr(*e, '=')) == NULL)
			continue;
		len = (size_t)(eq - *e) - (sizeof(prefix) - 1);
		if (len == strlen("CONFIG") &&
		    strncmp(*e + sizeof(prefix) - 1, "CONFIG", len) == 0)
			continue;
		if (len >= sizeof(name))
			len = sizeof(name) - 1;
		for (i = 0; i < len; i++)
			name[i] = (char)tolower((unsigned char)
			    (*e)[sizeof(prefix) - 1 + i]);
		name[len] = '\0';
		if ((k = find_key(name, len)) == NULL) {
			snprintf(err, n, "unknown environment variable "
			    "%.*s", (int)(eq - *e), *e);
			return 0;
		}
		if (!set_value(c, k, eq + 1, msg, sizeof(msg))) {
			snprintf(err, n, "environment CHAPTERHOUSE_%.*s: %s",
			    (int)len, *e + sizeof(prefix) - 1, msg);
			return 0;
		}
	}
	return 1;
}

struct conf *
conf_load(const char *path, int must_exist, char *err, size_t n)
{
	struct conf	*c = xcalloc(1, sizeof(*c));
	size_t		 i;

	for (i = 0; i < NELEM(keys); i++)
		if (!set_value(c, &keys[i], keys[i].def, err, n))
			abort();	/* a default that does not parse */
	if (!load_file(c, path, must_exist, err, n) || !load_env(c, err, n)) {
		conf_free(c);
		return NULL;
	}
	if (c->migrate_database[0] == '\0')
		set_str(c, find_key("migrate_database", 16), c->database);
	if (c->worker_database[0] == '\0')
		set_str(c, find_key("worker_database", 15), c->database);
	/* The operator's tool: whoever may migrate may grant hub roles. */
	if (c->cli_database[0] == '\0')
		set_str(c, find_key("cli_database", 12), c->migrate_database);
	return c;
}

void
conf_free(struct conf *c)
{
	size_t	 i;

	if (c == NULL)
		return;
	for (i = 0; i < NELEM(keys); i++)
		if (keys[i].type == T_STR)
			free(*(char **)((char *)c + keys[i].off));
	free(c);
}

void
conf_usage(void)
{
	size_t	 i;

	fprintf(stdout, "\nConfiguration keys (file, or CHAPTERHOUSE_<KEY> "
	    "in the environment):\n");
	for (i = 0; i < NELEM(keys); i++)
		fprintf(stdout, "  %-20s %s (default \"%s\")\n", keys[i].name,
		    keys[i].help, keys[i].def);
}
