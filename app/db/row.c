/*
 * row.c: rows to JSON by a statement's declared column list (dbrow.h).
 *
 * The list, not the position in the select list, is what code names: a
 * column added to a statement cannot shift another one's meaning, and the
 * statement test proves each list matches its SQL.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dbrow.h"
#include "pgjson.h"

/* Type OIDs of pg_type.h; stable across PostgreSQL releases. */
#define BOOLOID		16
#define INT8OID		20
#define INT2OID		21
#define INT4OID		23
#define TEXTOID		25
#define JSONOID		114
#define VARCHAROID	1043
#define JSONBOID	3802

static int
col_index(const struct db_cols *c, const char *name)
{
	size_t	 i;

	for (i = 0; i < c->n; i++)
		if (strcmp(c->v[i].name, name) == 0)
			return (int)i;
	fprintf(stderr, "db_get: column %s is not declared\n", name);
	abort();
}

static json_t *
cell(const PGresult *res, int row, int col, enum db_type t)
{
	const char	*s = PQgetvalue(res, row, col);
	json_t		*v;

	switch (t) {
	case DB_INT:
		return json_integer(strtoll(s, NULL, 10));
	case DB_BOOL:
		return json_boolean(s[0] == 't');
	case DB_JSON:
		/* PostgreSQL wrote it; a parse failure is shown as null. */
		v = pgjson_load(s, (size_t)PQgetlength(res, row, col));
		return v != NULL ? v : json_null();
	case DB_TEXT:
	default:
		return json_string(s);
	}
}

json_t *
db_row_json(const PGresult *res, int row, const struct db_cols *c)
{
	const struct db_col	*col;
	json_t			*o = json_object();
	size_t			 i;

	for (i = 0; i < c->n; i++) {
		col = &c->v[i];
		if (col->flags & DB_HIDDEN)
			continue;
		if (PQgetisnull(res, row, (int)i)) {
			if (!(col->flags & DB_OMIT_NULL))
				json_object_set_new(o, col->name, json_null());
			continue;
		}
		if ((col->flags & DB_OMIT_EMPTY) &&
		    *PQgetvalue(res, row, (int)i) == '\0')
			continue;
		json_object_set_new(o, col->name, cell(res, row, (int)i,
		    col->type));
	}
	return o;
}

void
db_rows_json(const PGresult *res, const struct db_cols *c, json_t *arr)
{
	int	 i, n = PQntuples(res);

	for (i = 0; i < n; i++)
		json_array_append_new(arr, db_row_json(res, i, c));
}

const char *
db_get(const PGresult *res, int row, const struct db_cols *c,
    const char *name)
{
	int	 i = col_index(c, name);

	return PQgetisnull(res, row, i) ? NULL : PQgetvalue(res, row, i);
}

long long
db_get_int(const PGresult *res, int row, const struct db_cols *c,
    const char *name)
{
	const char	*s = db_get(res, row, c, name);

	return s != NULL ? strtoll(s, NULL, 10) : 0;
}

int
db_get_bool(const PGresult *res, int row, const struct db_cols *c,
    const char *name)
{
	const char	*s = db_get(res, row, c, name);

	return s != NULL && s[0] == 't';
}

json_t *
db_get_json(const PGresult *res, int row, const struct db_cols *c,
    const char *name)
{
	const char	*s = db_get(res, row, c, name);

	return s != NULL ? pgjson_load(s, strlen(s)) : NULL;
}

/* Whether a column of type oid reads as t. */
static int
type_fits(Oid oid, enum db_type t)
{
	switch (t) {
	case DB_INT:
		return oid == INT8OID || oid == INT4OID || oid == INT2OID;
	case DB_BOOL:
		return oid == BOOLOID;
	case DB_JSON:
		return oid == JSONOID || oid == JSONBOID || oid == TEXTOID;
	case DB_TEXT:
	default:
		return oid != BOOLOID && oid != JSONOID && oid != JSONBOID;
	}
}

int
db_cols_match(const PGresult *desc, const struct db_cols *c, char *err,
    size_t errlen)
{
	size_t	 i;

	if ((size_t)PQnfields(desc) != c->n) {
		snprintf(err, errlen, "%d columns, %zu declared",
		    PQnfields(desc), c->n);
		return 0;
	}
	for (i = 0; i < c->n; i++) {
		if (strcmp(PQfname(desc, (int)i), c->v[i].name) != 0) {
			snprintf(err, errlen, "column %zu is %s, declared %s",
			    i + 1, PQfname(desc, (int)i), c->v[i].name);
			return 0;
		}
		if (!type_fits(PQftype(desc, (int)i), c->v[i].type)) {
			snprintf(err, errlen, "column %s has type oid %u, "
			    "which does not read as declared", c->v[i].name,
			    (unsigned)PQftype(desc, (int)i));
			return 0;
		}
	}
	return 1;
}
