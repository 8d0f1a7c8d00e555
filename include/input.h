/*
 * input.h: declared input.  A route that reads a form or a JSON body
 * declares its fields (name, type, bounds, whether required, allowed
 * values, a label for messages) in a struct input_form named by the
 * route table.  The dispatcher reads them alike from a form or a JSON
 * object (JSON numbers and booleans as such, a form's fields as text),
 * checks every one before the handler runs and answers bad input itself:
 * 422 (400 for a query string) naming the field, as the error JSON or as
 * the form again with what was typed.  Handlers read typed values.
 */
#ifndef INPUT_H
#define INPUT_H

#include <stddef.h>
#include <time.h>

#include <jansson.h>

struct arena;
struct kvlist;
struct perr;
struct req;

enum input_type {
	IN_TEXT,	/* text, trimmed, without control characters */
	IN_INT,		/* whole number in [min, max]: JSON integer or digits */
	IN_BOOL,	/* JSON true/false; a form's on/true/1,
			   off/false/0/"" */
	IN_DATE,	/* a YYYY-MM-DD date that exists */
	IN_EMAIL,	/* an e-mail address (input_email_valid()) */
	IN_SLUG,	/* a unit's address (input_slug_problem()) */
	IN_ENUM,	/* one of allowed */
	IN_LIST		/* JSON array of strings (whole numbers read as
			   their digits), or the form's repeated field */
};

#define IN_REQUIRED	0x01	/* absent or blank is 422 "missing" */
#define IN_RAW		0x02	/* text kept as sent: not trimmed, any
				   character */
#define IN_BYTES	0x04	/* max counts bytes, not characters */
#define IN_FUTURE	0x08	/* a date from tomorrow (UTC) to max days
				   ahead */
#define IN_SPLIT	0x10	/* a list a form gives as one text, split at
				   white space, commas and semicolons */
#define IN_BOXES	0x20	/* a list a form gives as one checkbox per
				   allowed value, named form + value */
#define IN_SECRET	0x40	/* never shown again (passwords) */
#define IN_BLANK	0x80	/* with IN_RAW: white space alone is a value
				   (an empty text is still absent) */
#define IN_LINES	0x100	/* a list a form gives as one text, an item
				   per line (trimmed; blank lines skipped) */

struct input_field {
	const char		*name;		/* JSON member; names errors */
	enum input_type		 type;
	unsigned		 flags;		/* IN_* */
	long long		 min, max;	/* see below */
	const char *const	*allowed;	/* IN_ENUM, IN_LIST:
						   NULL-ended */
	const char		*label;		/* "the name", for messages */
	const char		*invalid;	/* message when not of its
						   type */
	const char		*missing;	/* message when required,
						   absent */
	const char		*form;		/* form name, when not name */
	const char		*echo;		/* view key prefix of a
						   chosen value ("k_":
						   values.k_chapter) */
	/* An IN_LIST item or IN_TEXT value: normalised (in the arena, or
	 * as given), or NULL when not acceptable. */
	const char		*(*item)(struct arena *, const char *);
	const char		*if_name;	/* read only when this
						   field... */
	const char		*if_value;	/* ...is given as this value */
};
/*
 * min and max: characters of IN_TEXT (max; 0 for no limit), the range of
 * IN_INT, days ahead of an IN_DATE with IN_FUTURE, items of IN_LIST
 * (max; 0 for no limit).
 */

/* A field whose name is NULL is not read (a form that shares another's
 * field indexes but not all its fields). */
struct input_form {
	const struct input_field *fields;
	size_t			 n;
	const char		*view;		/* the form's page, or NULL */
	/*
	 * Everything the page shows around values (what was typed,
	 * borrowed), loaded only when the form is shown again, which will
	 * say msg beside field: an arena-owned value, or NULL after
	 * answering a failure.  NULL: the page shows values alone.
	 */
	json_t			*(*page)(struct req *, json_t *values,
				    const char *field, const char *msg);
	int			 query;		/* fields of the query string */
};

/* One field as read. */
struct input_value {
	int		 present;	/* given: not absent, null or blank */
	const char	*text;		/* as checked ("" when absent) */
	long long	 num;		/* IN_INT, IN_BOOL */
	json_t		*list;		/* IN_LIST: strings (arena-owned) */
};

struct input {
	const struct input_form	*form;
	struct input_value	*v;		/* form->n values */
};

/*
 * Read the fields of f from json (a JSON body, when not NULL) or from kv
 * (a form or query string) into out[0 .. f->n - 1].  now dates IN_FUTURE.
 * Returns 1, or 0 with e set: status 422 (400 for a query), code
 * "missing", "too_long", "too_many" or "invalid", the field's name and a
 * sentence.  Lists are owned by the arena.
 */
int		 input_read(struct arena *, const struct input_form *f,
		    json_t *json, const struct kvlist *kv, time_t now,
		    struct input_value *out, struct perr *e);

/*
 * The dispatcher's check of the route's declared input, if any: 0 with
 * the values kept for the handler, or the status after answering
 * (input_fail()).
 */
int		 input_check(struct req *);

/*
 * Answer bad input to the route's form: for JSON (or a form without a
 * page) {"error": {code, message, field}}; for a page, the form's view
 * again with what was typed, "errors": {field: message} and "alert".
 * Returns status.
 */
int		 input_fail(struct req *, int status, const char *code,
		    const char *field, const char *fmt, ...)
		    __attribute__((format(printf, 5, 6)));

/*
 * Show view with data (borrowed: arena-owned, which gains "errors" and
 * "alert"; NULL for none) and the message beside field, or answer the
 * error JSON when the request wants JSON or view is NULL.  Returns
 * status.
 */
int		 input_show(struct req *, int status, const char *view,
		    json_t *data, const char *code, const char *field,
		    const char *msg);

/* What was typed in the route's form, as a view's "values" (arena-owned). */
json_t		*input_values(struct req *);

/*
 * The handler's typed values of field i of the route's form: whether it
 * was given, its text ("" when absent), number, yes or no (dflt when
 * absent) and list (borrowed; NULL when absent).
 */
int		 input_has(const struct req *, size_t i);
const char	*input_text(const struct req *, size_t i);
long long	 input_int(const struct req *, size_t i, long long dflt);
int		 input_bool(const struct req *, size_t i, int dflt);
json_t		*input_list(const struct req *, size_t i);

/* Validators, pure, shared with handlers for route parameters. */

/* Whether s is one of the NULL-terminated list. */
int		 input_one_of(const char *const *list, const char *s);

/* An e-mail address (RFC 5321 sizes, no spaces, quotes or brackets). */
int		 input_email_valid(const char *);

/* Why s is no unit address (2 to 50 of a-z, 0-9, inner "-", not a
 * reserved word), or NULL. */
const char	*input_slug_problem(const char *s);

/*
 * Decimal digits, without sign or leading zero, whose value is in
 * [min, max]: 1 with *out set, else 0 (NULL included).
 */
int		 input_digits(const char *, long long min, long long max,
		    long long *out);

/* A date that exists and lies from the day after now to days ahead. */
int		 input_future_date(const char *, time_t now, long long days);

#endif
