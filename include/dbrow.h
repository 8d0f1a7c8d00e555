/*
 * dbrow.h: rows to JSON by a statement's declared column list.
 *
 * A statement that hands rows to the API declares its columns next to
 * its SQL: one struct db_col per column of the select list, in order,
 * named as the JSON key (the SQL names each column the same with AS, and
 * the statement test checks both against a freshly migrated database).
 * Code then reads a column by its name, never by its position.
 */
#ifndef DBROW_H
#define DBROW_H

#include <stddef.h>

#include <jansson.h>
#include <libpq-fe.h>

enum db_type {
	DB_TEXT,		/* JSON string */
	DB_INT,			/* JSON integer (bigint range) */
	DB_BOOL,		/* JSON true/false from 't'/'f' */
	DB_JSON			/* json text parsed into a value */
};

#define DB_OMIT_NULL	0x01	/* NULL leaves the key out (else null) */
#define DB_OMIT_EMPTY	0x02	/* '' leaves the key out */
#define DB_HIDDEN	0x04	/* read by the C code, not shown */

struct db_col {
	const char	*name;
	enum db_type	 type;
	unsigned	 flags;
};

struct db_cols {
	const struct db_col	*v;
	size_t			 n;
};

/* Declare a column list: static const struct db_cols x = DB_COLS(arr). */
#define DB_COLS(a)	{ (a), sizeof(a) / sizeof((a)[0]) }

/*
 * Row i of res as a new JSON object (the caller owns it): every column
 * the list declares that is not hidden, under its name, by its type.
 */
json_t		*db_row_json(const PGresult *, int row, const struct db_cols *);

/* Append every row of res to arr as by db_row_json(). */
void		 db_rows_json(const PGresult *, const struct db_cols *,
		    json_t *arr);

/*
 * The text of column name in row i, or NULL when it is NULL (the
 * PGresult owns it).  Naming a column the list does not declare is a
 * programming error and aborts.
 */
const char	*db_get(const PGresult *, int row, const struct db_cols *,
		    const char *name);

/* db_get() as an integer (0 for NULL) and as a boolean (0 for NULL). */
long long	 db_get_int(const PGresult *, int row, const struct db_cols *,
		    const char *name);
int		 db_get_bool(const PGresult *, int row, const struct db_cols *,
		    const char *name);

/* Column name parsed as JSON, a new reference; NULL when it is NULL. */
json_t		*db_get_json(const PGresult *, int row, const struct db_cols *,
		    const char *name);

/*
 * Whether the result's columns are the declared ones: count, names, and
 * a type each declared type can be read from.  Returns 1, or 0 with the
 * first difference in err.  Used by the statement test.
 */
int		 db_cols_match(const PGresult *desc, const struct db_cols *,
		    char *err, size_t errlen);

#endif
