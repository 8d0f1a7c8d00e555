/*
 * t_conf.c: configuration defaults, the file format, every value type
 * with its bounds, and CHAPTERHOUSE_<KEY> environment overrides.
 */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf.h"
#include "tap.h"

extern char **environ;

static char	 tmpl[1024];
static char	 path[sizeof(tmpl) + 32];
static char	 err[1024];

/* Write text into the scratch file; returns its path. */
static const char *
write_conf(const char *text)
{
	FILE	*f;

	if ((f = fopen(path, "w")) == NULL) {
		perror(path);
		exit(99);
	}
	fputs(text, f);
	fclose(f);
	return path;
}

/* Load text as a file; returns the conf (or NULL with err). */
static struct conf *
load(const char *text)
{
	err[0] = '\0';
	return conf_load(write_conf(text), 1, err, sizeof(err));
}

/* Expect text to be refused with a message containing want. */
static int
refused(const char *text, const char *want)
{
	struct conf	*c;

	if ((c = load(text)) != NULL) {
		conf_free(c);
		printf("# accepted: %.*s\n", (int)strcspn(text, "\n"), text);
		return 0;
	}
	if (strstr(err, want) == NULL) {
		printf("# message \"%s\" lacks \"%s\"\n", err, want);
		return 0;
	}
	return 1;
}

/* Expect text to load; returns the conf. */
static struct conf *
loaded(const char *text)
{
	struct conf	*c;

	if ((c = load(text)) == NULL)
		printf("# refused: %s\n", err);
	return c;
}

static void
clear_env(void)
{
	char	 name[256];
	char	**e;
	size_t	 n;

again:
	for (e = environ; *e != NULL; e++)
		if (strncmp(*e, "CHAPTERHOUSE_", 13) == 0) {
			n = strcspn(*e, "=");
			if (n >= sizeof(name))
				n = sizeof(name) - 1;
			memcpy(name, *e, n);
			name[n] = '\0';
			unsetenv(name);
			goto again;
		}
}

static void
test_defaults(void)
{
	struct conf	*c;
	long		 ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	long		 workers = ncpu > 0 ? 2 * ncpu : 2;

	if (workers > 256)
		workers = 256;
	c = conf_load("no/such/dir/chapterhouse.conf", 0, err, sizeof(err));
	ok(c != NULL, "a missing file is fine when it need not exist");
	if (c == NULL)
		return;
	is_str(c->listen, "var/run/chapterhouse.sock", "default listen");
	is_int(c->socket_mode, 0660, "default socket_mode 0660");
	is_int(c->workers, workers, "default workers: two per core");
	is_int(c->backlog, 1024, "default backlog");
	is_str(c->database, "dbname=chapterhouse", "default database");
	is_str(c->migrate_database, "dbname=chapterhouse",
	    "migrate_database defaults to database");
	is_str(c->sql_dir, "sql", "default sql_dir");
	is_str(c->site_name, "Chapterhouse", "default site_name");
	is_int(c->max_body, 1024 * 1024, "default max_body 1m");
	is_int(c->max_fields, 1000, "default max_fields");
	is_int(c->max_field_length, 512 * 1024, "default max_field_length "
	    "512k");
	is_int(c->log_level, L_INFO, "default log_level info");
	is_int(c->shutdown_timeout, 30, "default shutdown_timeout");
	is_int(c->db_connect_timeout, 5, "default db_connect_timeout");
	conf_free(c);
	conf_free(NULL);	/* must not crash */

	c = conf_load("no/such/dir/chapterhouse.conf", 1, err, sizeof(err));
	ok(c == NULL, "a missing file is an error when it must exist");
	ok(strstr(err, "could not open") != NULL &&
	    strstr(err, "no/such/dir/chapterhouse.conf") != NULL,
	    "the message names the file: %s", err);
	c = conf_load(tmpl, 0, err, sizeof(err));
	ok(c == NULL && strstr(err, "could not read") != NULL,
	    "a directory is an error: %s", err);
	conf_free(c);

	c = loaded("");
	ok(c != NULL && c->backlog == 1024, "an empty file gives the "
	    "defaults");
	conf_free(c);
}

static void
test_file(void)
{
	struct conf	*c;

	c = loaded(
	    "# chapterhouse.conf\n"
	    "\n"
	    "   # an indented comment\n"
	    "listen = 127.0.0.1:9000\n"
	    "socket_mode=0600\n"
	    "\tworkers\t=\t7\t\n"
	    "backlog = 128\r\n"
	    "database = \"host=/tmp dbname=ch\"\n"
	    "migrate_database = dbname=owner\n"
	    "sql_dir = /usr/share/chapterhouse/sql\n"
	    "site_name = \"  Spaced # not a comment  \"\n"
	    "max_body = 2m\n"
	    "max_fields = 50\n"
	    "max_field_length = 4k\n"
	    "log_level = debug\n"
	    "shutdown_timeout = 3600\n"
	    "db_connect_timeout = 1");
	ok(c != NULL, "a file setting every key loads");
	if (c == NULL)
		return;
	is_str(c->listen, "127.0.0.1:9000", "listen");
	is_int(c->socket_mode, 0600, "socket_mode is octal");
	is_int(c->workers, 7, "tabs around key and value are trimmed");
	is_int(c->backlog, 128, "a CRLF line ending is trimmed");
	is_str(c->database, "host=/tmp dbname=ch", "quotes are removed");
	is_str(c->migrate_database, "dbname=owner", "migrate_database");
	is_str(c->sql_dir, "/usr/share/chapterhouse/sql", "sql_dir");
	is_str(c->site_name, "  Spaced # not a comment  ",
	    "a quoted value keeps its spaces and '#'");
	is_int(c->max_body, 2 * 1024 * 1024, "size suffix m");
	is_int(c->max_fields, 50, "max_fields");
	is_int(c->max_field_length, 4096, "size suffix k");
	is_int(c->log_level, L_DEBUG, "log_level debug");
	is_int(c->shutdown_timeout, 3600, "shutdown_timeout at its maximum");
	is_int(c->db_connect_timeout, 1, "the last line needs no newline");
	conf_free(c);

	c = loaded("site_name = \"\"\nworkers = auto\n");
	ok(c != NULL && strcmp(c->site_name, "") == 0, "\"\" is an empty "
	    "value");
	ok(c != NULL && c->workers >= 1 && c->workers <= 256,
	    "workers = auto gives a sane number");
	conf_free(c);
	c = loaded("site_name = \"\n");
	ok(c != NULL && strcmp(c->site_name, "\"") == 0, "a lone quote is "
	    "kept");
	conf_free(c);
	c = loaded("site_name = \"half\n");
	ok(c != NULL && strcmp(c->site_name, "\"half") == 0, "an unbalanced "
	    "quote is kept");
	conf_free(c);
	c = loaded("site_name = a = b\n");
	ok(c != NULL && strcmp(c->site_name, "a = b") == 0, "a value may "
	    "contain '='");
	conf_free(c);
	c = loaded("database = dbname=x\n");
	ok(c != NULL && strcmp(c->migrate_database, "dbname=x") == 0,
	    "migrate_database follows database when unset");
	ok(c != NULL && strcmp(c->worker_database, "dbname=x") == 0,
	    "worker_database follows database when unset");
	ok(c != NULL && strcmp(c->cli_database, "dbname=x") == 0,
	    "cli_database follows migrate_database when unset");
	conf_free(c);
	c = loaded("database = dbname=x\nmigrate_database = dbname=owner\n");
	ok(c != NULL && strcmp(c->worker_database, "dbname=x") == 0 &&
	    strcmp(c->cli_database, "dbname=owner") == 0,
	    "cli_database follows migrate_database, not database");
	conf_free(c);
	c = loaded("worker_database = dbname=jobs\n"
	    "cli_database = dbname=admin\n");
	ok(c != NULL && strcmp(c->worker_database, "dbname=jobs") == 0 &&
	    strcmp(c->cli_database, "dbname=admin") == 0 &&
	    strcmp(c->database, "dbname=chapterhouse") == 0,
	    "worker_database and cli_database are their own keys");
	conf_free(c);
	c = loaded("database = dbname=x\nmigrate_database = \"\"\n");
	ok(c != NULL && strcmp(c->migrate_database, "dbname=x") == 0,
	    "and when set empty");
	conf_free(c);
}

static void
test_errors(void)
{
	char	*longline;

	ok(refused("# one\n\nbogus = 1\n", ":3: unknown key \"bogus\""),
	    "an unknown key names file line 3: %s", err);
	ok(strstr(err, path) == err, "the message starts with the path");
	ok(refused("Workers = 2\n", "unknown key \"Workers\""),
	    "keys are case-sensitive");
	ok(refused("workers = 2\nbacklog = 5\nworkers = 3\n",
	    ":3: key \"workers\" is set twice"), "a repeated key: %s", err);
	ok(refused("listen\n", ":1: expected \"key = value\""),
	    "a line without '=': %s", err);
	ok(refused("= 5\n", ":1: unknown key"), "a line without a key");
	ok(refused("workers = 4 # four\n", ":1: workers"),
	    "a comment after a value is part of the value: %s", err);

	longline = malloc(6001);
	memset(longline, 'x', 6000);
	memcpy(longline, "site_name = ", 12);
	longline[5999] = '\n';
	longline[6000] = '\0';
	ok(refused(longline, ":1: line too long"), "a 6000-byte line: %s",
	    err);
	free(longline);
}

static void
test_values(void)
{
	struct conf	*c;

	ok(refused("backlog = 0\n", ":1: backlog: expected a number from 1 "
	    "to 65535, got \"0\""), "backlog below its minimum: %s", err);
	ok(refused("backlog = 65536\n", "backlog"), "backlog above its "
	    "maximum");
	ok(refused("backlog = abc\n", "backlog"), "backlog not a number");
	ok(refused("backlog =\n", "backlog"), "backlog empty");
	ok(refused("backlog = 1.5\n", "backlog"), "backlog not an integer");
	ok(refused("backlog = -1\n", "backlog"), "backlog negative");
	ok(refused("backlog = 99999999999999999999\n", "backlog"),
	    "backlog overflowing");
	ok(refused("backlog = 12x\n", "backlog"), "backlog with junk");
	c = loaded("backlog = 65535\nmax_fields = 100000\n");
	ok(c != NULL && c->backlog == 65535 && c->max_fields == 100000,
	    "integers at their maximum");
	conf_free(c);
	ok(refused("max_fields = 100001\n", "max_fields"), "max_fields above "
	    "its maximum");
	ok(refused("max_fields = 0\n", "max_fields"), "max_fields 0");
	ok(refused("shutdown_timeout = 3601\n", "shutdown_timeout"),
	    "shutdown_timeout above its maximum");
	ok(refused("db_connect_timeout = 0\n", "db_connect_timeout"),
	    "db_connect_timeout 0");
	ok(refused("db_connect_timeout = 301\n", "db_connect_timeout"),
	    "db_connect_timeout above its maximum");

	c = loaded("workers = 256\n");
	ok(c != NULL && c->workers == 256, "workers at its maximum");
	conf_free(c);
	c = loaded("workers = 1\n");
	ok(c != NULL && c->workers == 1, "workers at its minimum");
	conf_free(c);
	ok(refused("workers = 0\n", "workers: expected \"auto\" or a number"),
	    "workers 0: %s", err);
	ok(refused("workers = 257\n", "workers"), "workers 257");
	ok(refused("workers = many\n", "workers"), "workers many");
	ok(refused("workers = AUTO\n", "workers"), "workers AUTO");

	c = loaded("max_body = 1k\n");
	ok(c != NULL && c->max_body == 1024, "max_body 1k, its minimum");
	conf_free(c);
	c = loaded("max_body = 1024\n");
	ok(c != NULL && c->max_body == 1024, "max_body 1024 without suffix");
	conf_free(c);
	c = loaded("max_body = 64M\n");
	ok(c != NULL && c->max_body == 64ULL << 20, "max_body 64M, its "
	    "maximum, upper-case suffix");
	conf_free(c);
	ok(refused("max_body = 1023\n", ":1: max_body: expected a size"),
	    "max_body below its minimum: %s", err);
	ok(refused("max_body = 65m\n", "max_body"), "max_body above its "
	    "maximum");
	ok(refused("max_body = 1g\n", "max_body"), "max_body 1g");
	ok(refused("max_body = 1x\n", "max_body"), "an unknown suffix");
	ok(refused("max_body = 1kb\n", "max_body"), "junk after the suffix");
	ok(refused("max_body = k\n", "max_body"), "a suffix alone");
	ok(refused("max_body = -1\n", "max_body"), "a negative size");
	ok(refused("max_body = 18014398509481984k\n", "max_body"),
	    "a size overflowing with its suffix");
	ok(refused("max_body =\n", "max_body"), "an empty size");
	c = loaded("max_field_length = 64\n");
	ok(c != NULL && c->max_field_length == 64, "max_field_length 64, its "
	    "minimum");
	conf_free(c);
	ok(refused("max_field_length = 63\n", "max_field_length"),
	    "max_field_length 63");

	c = loaded("log_level = error\n");
	ok(c != NULL && c->log_level == L_ERROR, "log_level error");
	conf_free(c);
	c = loaded("log_level = warn\n");
	ok(c != NULL && c->log_level == L_WARN, "log_level warn");
	conf_free(c);
	ok(refused("log_level = verbose\n", ":1: log_level: expected debug, "
	    "info, warn or error, got \"verbose\""), "log_level verbose: %s",
	    err);
	ok(refused("log_level =\n", "log_level"), "log_level empty");

	c = loaded("socket_mode = 777\n");
	ok(c != NULL && c->socket_mode == 0777, "socket_mode 777 is octal");
	conf_free(c);
	c = loaded("socket_mode = 0\n");
	ok(c != NULL && c->socket_mode == 0, "socket_mode 0");
	conf_free(c);
	ok(refused("socket_mode = 0999\n", ":1: socket_mode: expected octal"),
	    "socket_mode 0999 is not octal: %s", err);
	ok(refused("socket_mode = 01000\n", "socket_mode"), "socket_mode "
	    "above 0777");
	ok(refused("socket_mode = rw\n", "socket_mode"), "socket_mode rw");
	ok(refused("socket_mode =\n", "socket_mode"), "socket_mode empty");
	ok(refused("socket_mode = -1\n", "socket_mode"), "socket_mode -1");
}

static void
test_env(void)
{
	struct conf	*c;

	setenv("CHAPTERHOUSE_WORKERS", "5", 1);
	c = loaded("workers = 3\n");
	ok(c != NULL && c->workers == 5, "CHAPTERHOUSE_WORKERS wins over the "
	    "file");
	conf_free(c);
	c = conf_load("no/such/file", 0, err, sizeof(err));
	ok(c != NULL && c->workers == 5, "and applies without a file");
	conf_free(c);
	unsetenv("CHAPTERHOUSE_WORKERS");

	setenv("CHAPTERHOUSE_SITE_NAME", "From Env", 1);
	setenv("CHAPTERHOUSE_MAX_BODY", "8k", 1);
	setenv("CHAPTERHOUSE_LOG_LEVEL", "warn", 1);
	c = loaded("site_name = From File\n");
	ok(c != NULL && strcmp(c->site_name, "From Env") == 0,
	    "a string from the environment");
	ok(c != NULL && c->max_body == 8192, "a size with suffix from the "
	    "environment");
	ok(c != NULL && c->log_level == L_WARN, "a level from the "
	    "environment");
	conf_free(c);
	unsetenv("CHAPTERHOUSE_SITE_NAME");
	unsetenv("CHAPTERHOUSE_MAX_BODY");
	unsetenv("CHAPTERHOUSE_LOG_LEVEL");

	setenv("CHAPTERHOUSE_DATABASE", "dbname=envdb", 1);
	c = loaded("");
	ok(c != NULL && strcmp(c->migrate_database, "dbname=envdb") == 0,
	    "migrate_database follows a database from the environment");
	conf_free(c);
	unsetenv("CHAPTERHOUSE_DATABASE");

	setenv("CHAPTERHOUSE_WORKERS", "0", 1);
	ok(refused("", "CHAPTERHOUSE_WORKERS"), "a bad value in the "
	    "environment is refused: %s", err);
	ok(strstr(err, "environment") != NULL, "and says it comes from the "
	    "environment");
	unsetenv("CHAPTERHOUSE_WORKERS");
	setenv("CHAPTERHOUSE_MAX_BODY", "1023", 1);
	ok(refused("", "CHAPTERHOUSE_MAX_BODY"), "a size too small in the "
	    "environment");
	unsetenv("CHAPTERHOUSE_MAX_BODY");

	setenv("CHAPTERHOUSE_BOGUS", "1", 1);
	ok(refused("", "unknown environment variable CHAPTERHOUSE_BOGUS"),
	    "an unknown CHAPTERHOUSE_ variable is refused: %s", err);
	unsetenv("CHAPTERHOUSE_BOGUS");
	setenv("CHAPTERHOUSE_", "1", 1);
	ok(refused("", "unknown environment variable"), "CHAPTERHOUSE_ "
	    "alone is refused");
	unsetenv("CHAPTERHOUSE_");
	setenv("CHAPTERHOUSE_WORKERS_X", "1", 1);
	ok(refused("", "CHAPTERHOUSE_WORKERS_X"), "a key with a suffix is "
	    "refused");
	unsetenv("CHAPTERHOUSE_WORKERS_X");
	setenv("CHAPTERHOUSE_WORKERSWORKERSWORKERSWORKERSWORKERSWORKERSWORKERS"
	    "WORKERSWORKERS", "1", 1);
	ok(refused("", "unknown environment variable"), "a very long name is "
	    "refused");
	unsetenv("CHAPTERHOUSE_WORKERSWORKERSWORKERSWORKERSWORKERSWORKERS"
	    "WORKERSWORKERSWORKERS");

	setenv("CHAPTERHOUSE_CONFIG", "some/file.conf", 1);
	c = loaded("");
	ok(c != NULL, "CHAPTERHOUSE_CONFIG is not a key and is allowed");
	conf_free(c);
	unsetenv("CHAPTERHOUSE_CONFIG");
	setenv("CHAPTERHOUSEX", "1", 1);
	c = loaded("");
	ok(c != NULL, "other variables are ignored");
	conf_free(c);
	unsetenv("CHAPTERHOUSEX");
}

static void
test_link_checks(void)
{
	struct conf	*c;

	if ((c = loaded("")) != NULL) {
		is_int(c->link_check_allow, CONF_ALLOW_PUBLIC,
		    "link checks reach public addresses only by default");
		is_int(c->link_check_timeout, 10, "10 s per link");
		ok(c->link_check_max_bytes == 1024 * 1024, "1 MiB read");
		conf_free(c);
	}
	if ((c = loaded("link_check_allow = loopback")) != NULL) {
		is_int(c->link_check_allow, CONF_ALLOW_LOOPBACK,
		    "link_check_allow = loopback");
		conf_free(c);
	}
	if ((c = loaded("link_check_allow = private")) != NULL) {
		is_int(c->link_check_allow, CONF_ALLOW_PRIVATE,
		    "link_check_allow = private");
		conf_free(c);
	}
	ok(refused("link_check_allow = yes", "expected public, loopback or "
	    "private"), "link_check_allow takes only its three words");
	ok(refused("link_check_timeout = 0", "link_check_timeout"),
	    "a link check needs a timeout");
}

static void
test_usage(void)
{
	char	 out[sizeof(tmpl) + 32], text[8192];
	int	 fd, saved;
	ssize_t	 n;

	snprintf(out, sizeof(out), "%s/usage.XXXXXX", tmpl);
	fflush(stdout);
	if ((fd = mkstemp(out)) < 0 || (saved = dup(STDOUT_FILENO)) < 0) {
		ok(0, "could not redirect standard output");
		return;
	}
	dup2(fd, STDOUT_FILENO);
	conf_usage();
	fflush(stdout);
	dup2(saved, STDOUT_FILENO);
	close(saved);
	n = pread(fd, text, sizeof(text) - 1, 0);
	close(fd);
	unlink(out);
	text[n > 0 ? n : 0] = '\0';
	ok(strstr(text, "CHAPTERHOUSE_") != NULL, "conf_usage mentions the "
	    "environment");
	ok(strstr(text, "max_field_length") != NULL &&
	    strstr(text, "db_connect_timeout") != NULL &&
	    strstr(text, "listen") != NULL, "and lists the keys");
	ok(strstr(text, "\"512k\"") != NULL, "with their defaults");
}

int
main(void)
{
	const char	*tmp = getenv("TMPDIR");
	int		 fd;

	clear_env();
	snprintf(tmpl, sizeof(tmpl), "%s/t_conf.XXXXXX", tmp && *tmp ? tmp :
	    "/tmp");
	if (mkdtemp(tmpl) == NULL) {
		perror("mkdtemp");
		return 99;
	}
	snprintf(path, sizeof(path), "%s/chapterhouse.XXXXXX", tmpl);
	if ((fd = mkstemp(path)) < 0) {
		perror("mkstemp");
		return 99;
	}
	close(fd);
	test_defaults();
	test_file();
	test_errors();
	test_link_checks();
	test_values();
	test_env();
	test_usage();
	unlink(path);
	rmdir(tmpl);
	return tap_done();
}
