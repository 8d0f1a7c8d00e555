/*
 * migrate.h: versioned SQL migrations.
 *
 * Files in the migrations directory are named NNN_name.sql (three or more
 * digits, then lower-case letters, digits and underscores).  Each pending
 * file runs in its own transaction together with its row in
 * schema_migrations (version, name, checksum, applied_at), under an
 * advisory lock so two migrate runs cannot interleave.  A file must not
 * contain transaction control (BEGIN, COMMIT) of its own.  A file changed
 * after it was applied is an error: migrations are append-only.
 */
#ifndef MIGRATE_H
#define MIGRATE_H

/*
 * Apply pending migrations from dir (or, with status_only, list them).
 * Progress goes to stdout, errors to stderr naming the file, the line
 * and PostgreSQL's message.  Returns the process exit status: 0 done,
 * 1 failed (the database is as it was before the failing file).
 */
int	migrate_run(const char *conninfo, const char *dir, int status_only,
	    int connect_timeout);

#endif
