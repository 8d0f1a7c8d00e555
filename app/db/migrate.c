/* migrate.c: apply sql/NNN_name.sql files in order, each in a transaction. */
#include "config.h"

#include <sys/stat.h>

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "migrate.h"
#include "util.h"

#define MAX_FILE	(16 * 1024 * 1024)

struct mfile {
	long	 version;
	char	*name;		/* file name without ".sql" */
	char	*path;
	char	*sql;
	char	 checksum[17];
	int	 applied;
};

static const char lock_sql[] =
    "SELECT pg_advisory_lock(hashtext('chapterhouse.migrate'))";
static const char table_sql[] =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version integer PRIMARY KEY,"
    " name text NOT NULL,"
    " checksum text NOT NULL,"
    " applied_at timestamptz NOT NULL DEFAULT now())";
static const char applied_sql[] =
    "SELECT version, name, checksum FROM schema_migrations ORDER BY version";
static const char record_sql[] =
    "INSERT INTO schema_migrations (version, name, checksum) "
    "VALUES ($1, $2, $3)";

/* FNV-1a, 64 bits, as 16 hex digits: detects edits, not attacks. */
static void
checksum(const char *s, size_t n, char out[17])
{
	uint64_t	 h = 0xcbf29ce484222325ULL;
	size_t		 i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 0x100000001b3ULL;
	}
	snprintf(out, 17, "%016" PRIx64, h);
}

/* Is name "NNN_word.sql"?  Stores the number. */
static int
valid_name(const char *name, long *version)
{
	size_t	 i = 0, len = strlen(name);

	if (len < 9 || strcmp(name + len - 4, ".sql") != 0)
		return 0;
	while (isdigit((unsigned char)name[i]))
		i++;
	if (i < 3 || i > 9 || name[i] != '_' || i + 1 >= len - 4)
		return 0;
	for (i++; i < len - 4; i++)
		if (!islower((unsigned char)name[i]) &&
		    !isdigit((unsigned char)name[i]) && name[i] != '_')
			return 0;
	*version = strtol(name, NULL, 10);
	return 1;
}

static int
by_version(const void *a, const void *b)
{
	const struct mfile *x = a, *y = b;

	return (x->version > y->version) - (x->version < y->version);
}

static void
free_files(struct mfile *f, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		free(f[i].name);
		free(f[i].path);
		free(f[i].sql);
	}
	free(f);
}

/* Read the directory; returns the sorted files or NULL (reported). */
static struct mfile *
scan(const char *dir, size_t *count)
{
	DIR		*d;
	struct dirent	*de;
	struct mfile	*f = NULL;
	size_t		 n = 0, len, i;
	long		 v;

	if ((d = opendir(dir)) == NULL) {
		fprintf(stderr, "chapterhouse: migrate: could not open "
		    "directory \"%s\": %s\n", dir, strerror(errno));
		return NULL;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if (!valid_name(de->d_name, &v)) {
			if (strlen(de->d_name) > 4 && strcmp(de->d_name +
			    strlen(de->d_name) - 4, ".sql") == 0) {
				fprintf(stderr, "chapterhouse: migrate: %s/%s: "
				    "name must be NNN_name.sql (digits, "
				    "lower-case letters, underscores)\n", dir,
				    de->d_name);
				goto fail;
			}
			continue;
		}
		f = xreallocarray(f, n + 1, sizeof(*f));
		memset(&f[n], 0, sizeof(*f));
		f[n].version = v;
		f[n].name = xstrdup(de->d_name);
		f[n].name[strlen(f[n].name) - 4] = '\0';
		len = strlen(dir) + strlen(de->d_name) + 2;
		f[n].path = xmalloc(len);
		snprintf(f[n].path, len, "%s/%s", dir, de->d_name);
		n++;
		f[n - 1].sql = read_file(f[n - 1].path, MAX_FILE, &len);
		if (f[n - 1].sql == NULL) {
			fprintf(stderr, "chapterhouse: migrate: could not read "
			    "%s: %s\n", f[n - 1].path, strerror(errno));
			goto fail;
		}
		checksum(f[n - 1].sql, len, f[n - 1].checksum);
	}
	closedir(d);
	d = NULL;
	if (n > 0)
		qsort(f, n, sizeof(*f), by_version);
	for (i = 1; i < n; i++)
		if (f[i].version == f[i - 1].version) {
			fprintf(stderr, "chapterhouse: migrate: %s and %s have "
			    "the same number\n", f[i - 1].path, f[i].path);
			goto fail;
		}
	*count = n;
	return f != NULL ? f : xcalloc(1, sizeof(*f));
fail:
	if (d != NULL)
		closedir(d);
	free_files(f, n);
	return NULL;
}

/* Line of the 1-based character position pos in sql (UTF-8). */
static int
line_of(const char *sql, long pos)
{
	int	 line = 1;
	long	 chars = 0;

	for (; *sql != '\0'; sql++) {
		if (((unsigned char)*sql & 0xc0) != 0x80 && ++chars >= pos)
			break;
		if (*sql == '\n')
			line++;
	}
	return line;
}

static void
report(const struct mfile *f, PGresult *res)
{
	const char	*pos = PQresultErrorField(res,
			    PG_DIAG_STATEMENT_POSITION);
	const char	*msg = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
	const char	*sev = PQresultErrorField(res, PG_DIAG_SEVERITY);
	const char	*ctx = PQresultErrorField(res, PG_DIAG_CONTEXT);

	if (msg == NULL)
		msg = PQresultErrorMessage(res);
	if (pos != NULL)
		fprintf(stderr, "chapterhouse: migrate: %s: line %d: %s: "
		    "%s\n", f->path, line_of(f->sql, atol(pos)),
		    sev ? sev : "ERROR", msg);
	else
		fprintf(stderr, "chapterhouse: migrate: %s: %s: %s\n", f->path,
		    sev ? sev : "ERROR", msg);
	if (ctx != NULL)
		fprintf(stderr, "  context: %s\n", ctx);
}

/* Run sql; 1 ok, else prints and returns 0. */
static int
exec_ok(PGconn *c, const char *sql, const char *what)
{
	PGresult	*res = PQexec(c, sql);
	int		 ok;

	ok = PQresultStatus(res) == PGRES_COMMAND_OK ||
	    PQresultStatus(res) == PGRES_TUPLES_OK;
	if (!ok)
		fprintf(stderr, "chapterhouse: migrate: %s: %s", what,
		    PQerrorMessage(c));
	PQclear(res);
	return ok;
}

/* Mark applied files; 0 when an applied file was edited. */
static int
match_applied(PGconn *c, struct mfile *f, size_t n, long *top)
{
	PGresult	*res = PQexec(c, applied_sql);
	int		 i, ok = 1;
	size_t		 j;
	long		 v;

	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		fprintf(stderr, "chapterhouse: migrate: could not read "
		    "schema_migrations: %s", PQerrorMessage(c));
		PQclear(res);
		return 0;
	}
	*top = 0;
	for (i = 0; i < PQntuples(res); i++) {
		v = atol(PQgetvalue(res, i, 0));
		if (v > *top)
			*top = v;
		for (j = 0; j < n && f[j].version != v; j++)
			;
		if (j == n) {
			fprintf(stderr, "chapterhouse: migrate: warning: "
			    "migration %ld (%s) is applied but its file is "
			    "missing\n", v, PQgetvalue(res, i, 1));
			continue;
		}
		f[j].applied = 1;
		if (strcmp(f[j].checksum, PQgetvalue(res, i, 2)) != 0) {
			fprintf(stderr, "chapterhouse: migrate: %s was changed "
			    "after it was applied; add a new migration "
			    "instead\n", f[j].path);
			ok = 0;
		}
	}
	PQclear(res);
	return ok;
}

/* Apply one file in its own transaction; 1 or 0 (rolled back). */
static int
apply(PGconn *c, const struct mfile *f)
{
	PGresult	*res;
	char		 ver[24];
	const char	*params[3];
	int		 ok;

	if (!exec_ok(c, "BEGIN", "BEGIN"))
		return 0;
	res = PQexec(c, f->sql);
	ok = PQresultStatus(res) == PGRES_COMMAND_OK ||
	    PQresultStatus(res) == PGRES_TUPLES_OK ||
	    PQresultStatus(res) == PGRES_EMPTY_QUERY;
	if (!ok)
		report(f, res);
	PQclear(res);
	if (ok && PQtransactionStatus(c) != PQTRANS_INTRANS) {
		fprintf(stderr, "chapterhouse: migrate: %s ended the "
		    "transaction itself; remove its BEGIN/COMMIT\n", f->path);
		ok = 0;
	}
	if (ok) {
		snprintf(ver, sizeof(ver), "%ld", f->version);
		params[0] = ver;
		params[1] = f->name;
		params[2] = f->checksum;
		res = PQexecParams(c, record_sql, 3, NULL, params, NULL, NULL,
		    0);
		ok = PQresultStatus(res) == PGRES_COMMAND_OK;
		if (!ok)
			fprintf(stderr, "chapterhouse: migrate: could not "
			    "record %s: %s", f->name, PQerrorMessage(c));
		PQclear(res);
	}
	if (ok)
		return exec_ok(c, "COMMIT", f->name);
	if (PQtransactionStatus(c) != PQTRANS_IDLE)
		exec_ok(c, "ROLLBACK", "ROLLBACK");
	return 0;
}

int
migrate_run(const char *conninfo, const char *dir, int status_only,
    int connect_timeout)
{
	const char	*keys[] = { "dbname", "connect_timeout",
			    "fallback_application_name", NULL };
	const char	*vals[] = { conninfo, NULL, "chapterhouse-migrate",
			    NULL };
	struct mfile	*f;
	PGconn		*c = NULL;
	char		 tmo[16];
	size_t		 n = 0, i;
	long		 top = 0;
	int		 rc = 1, done = 0;

	if ((f = scan(dir, &n)) == NULL)
		return 1;
	snprintf(tmo, sizeof(tmo), "%d", connect_timeout);
	vals[1] = tmo;
	c = PQconnectdbParams(keys, vals, 1);
	if (PQstatus(c) != CONNECTION_OK) {
		fprintf(stderr, "chapterhouse: migrate: could not connect to "
		    "the database: %s", PQerrorMessage(c));
		goto out;
	}
	PQclear(PQexec(c, "SET client_min_messages = warning"));
	if (!exec_ok(c, lock_sql, "could not take the migration lock") ||
	    !exec_ok(c, table_sql, "could not create schema_migrations") ||
	    !match_applied(c, f, n, &top))
		goto out;
	for (i = 0; i < n; i++) {
		if (status_only) {
			printf("%-8s %s\n", f[i].applied ? "applied" :
			    "pending", f[i].name);
			continue;
		}
		if (f[i].applied)
			continue;
		if (f[i].version < top)
			fprintf(stderr, "chapterhouse: migrate: warning: %s is "
			    "older than applied version %ld; applying it "
			    "anyway\n", f[i].name, top);
		if (!apply(c, &f[i]))
			goto out;
		printf("applied %s\n", f[i].name);
		done++;
	}
	if (!status_only && done == 0)
		printf("nothing to do: %zu migrations already applied\n", n);
	rc = 0;
out:
	PQfinish(c);
	free_files(f, n);
	return rc;
}
