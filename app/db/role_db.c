/* role_db.c: refuse a database role that row-level security does not hold. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <libpq-fe.h>

#include "db.h"
#include "role_db.h"
#include "util.h"

enum {
	ROLE_CHECK,
	ROLE__MAX
};

/*
 * The schema owner is the owner of $1 (units, the first table under
 * row-level security); pg_has_role(..., 'USAGE') is also true for a
 * member that inherits its privileges, which is what bypasses policies.
 * Superuser and BYPASSRLS are not inherited: the role's own flags decide.
 */
static const struct db_stmt sqls[ROLE__MAX] = {
	[ROLE_CHECK] = { "role_check",
	    "SELECT r.rolname, r.rolsuper, r.rolbypassrls, "
	    "coalesce(pg_has_role(r.oid, c.relowner, 'USAGE'), false), "
	    "coalesce(pg_get_userbyid(c.relowner), '') "
	    "FROM pg_roles r LEFT JOIN pg_class c ON c.oid = to_regclass($1) "
	    "WHERE r.rolname = current_user", NULL },
};

int
role_db_check(PGconn *conn, char *why, size_t n)
{
	PGresult	*res;
	const char	*table = "public.units", *name, *owner;
	int		 rc = -1;

	res = PQexecParams(conn, sqls[ROLE_CHECK].sql, 1, NULL, &table, NULL,
	    NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1) {
		db_firstline(PQresultStatus(res) == PGRES_TUPLES_OK ?
		    "the current role is not in pg_roles" :
		    PQerrorMessage(conn), why, n);
		goto out;
	}
	name = PQgetvalue(res, 0, 0);
	owner = PQgetvalue(res, 0, 4);
	rc = 0;
	if (strcmp(PQgetvalue(res, 0, 1), "t") == 0)
		snprintf(why, n, "role \"%s\" is a superuser", name);
	else if (strcmp(PQgetvalue(res, 0, 2), "t") == 0)
		snprintf(why, n, "role \"%s\" bypasses row-level security "
		    "(BYPASSRLS)", name);
	else if (strcmp(PQgetvalue(res, 0, 3), "t") == 0 &&
	    strcmp(name, owner) == 0)
		snprintf(why, n, "role \"%s\" owns the schema", name);
	else if (strcmp(PQgetvalue(res, 0, 3), "t") == 0)
		snprintf(why, n, "role \"%s\" has the privileges of the schema "
		    "owner \"%s\"", name, owner);
	else
		rc = 1;
out:
	PQclear(res);
	return rc;
}
