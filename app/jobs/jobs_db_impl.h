/*
 * jobs_db_impl.h: the job worker's connection as the other *_db.c files
 * of the worker (reminders_db.c) use it.  Not for code outside app/db:
 * it hands out libpq results.
 */
#ifndef JOBS_DB_IMPL_H
#define JOBS_DB_IMPL_H

#include <libpq-fe.h>

#include "db.h"

struct jobs_db;

/*
 * Run the prepared statement st (one of the tables jobs_db_connect()
 * prepares) with n text parameters v.  Returns 1 with *out (PQclear() it;
 * out may be NULL), or -1: the connection was lost, or the statement
 * failed, which is logged as a fault of the program or the schema.
 * Either way the connection is dropped, and any open transaction with
 * it; jobs_db_connect() makes it anew.
 */
int	jobs_db_exec(struct jobs_db *, const struct db_stmt *st, int n,
	    const char *const *v, PGresult **out);

#endif
