/*
 * role_db.h: whether the role a connection logged in as is one that
 * row-level security holds.  The FastCGI workers and the job worker must
 * not be a superuser, a BYPASSRLS role or the schema owner (nor have its
 * privileges through membership): policies do not apply to such a role,
 * and the definer policies "TO <owner> USING (true)" would show it every
 * row.  The command line (user, migrate) is not checked: it may be run as
 * the owner.
 */
#ifndef ROLE_DB_H
#define ROLE_DB_H

#include <stddef.h>

#include <libpq-fe.h>

/*
 * Check the role conn is logged in as (before pipeline mode: one plain
 * query).  Returns 1 when row-level security holds it, 0 when it does not
 * (why, size n, names the role and the reason), -1 when the query failed
 * (why holds PostgreSQL's message; the connection may be lost).
 */
int	role_db_check(PGconn *conn, char *why, size_t n);

#endif
