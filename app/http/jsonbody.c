/*
 * jsonbody.c: JSON bodies through jansson, then a walk that enforces the
 * limits jansson does not have (depth, member count, string length).
 */
#include "config.h"

#include <string.h>

#include "arena.h"
#include "jsonbody.h"
#include "utf8.h"

struct walk {
	struct arena			*a;
	const struct jsonbody_limits	*lim;
	size_t				 count;
	struct perr			*e;
};

static const char *
join(struct arena *a, const char *path, const char *key)
{
	if (path == NULL)
		return key;
	return arena_printf(a, "%s.%s", path, key);
}

static int
walk(struct walk *w, json_t *v, const char *path, int depth)
{
	const char	*key;
	json_t		*m;
	size_t		 i;

	/* The root container is level 1; scalars add no level. */
	if ((json_is_object(v) || json_is_array(v)) &&
	    depth >= JSONBODY_MAX_DEPTH) {
		perr_set(w->e, w->a, 400, "too_deep", path, "the JSON body is "
		    "nested deeper than %d levels", JSONBODY_MAX_DEPTH);
		return 0;
	}
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		json_object_foreach(v, key, m) {
			if (++w->count > w->lim->max_fields) {
				perr_set(w->e, w->a, 413, "too_many_fields",
				    NULL, "the JSON body has more than %zu "
				    "values", w->lim->max_fields);
				return 0;
			}
			if (strlen(key) > JSONBODY_MAX_KEY) {
				perr_set(w->e, w->a, 413, "field_too_long",
				    path, "a member name is longer than %d "
				    "bytes", JSONBODY_MAX_KEY);
				return 0;
			}
			if (!walk(w, m, join(w->a, path, key), depth + 1))
				return 0;
		}
		return 1;
	case JSON_ARRAY:
		json_array_foreach(v, i, m) {
			if (++w->count > w->lim->max_fields) {
				perr_set(w->e, w->a, 413, "too_many_fields",
				    NULL, "the JSON body has more than %zu "
				    "values", w->lim->max_fields);
				return 0;
			}
			if (!walk(w, m, join(w->a, path,
			    arena_printf(w->a, "%zu", i)), depth + 1))
				return 0;
		}
		return 1;
	case JSON_STRING:
		/* Parsed with JSON_ALLOW_NUL so that the field is named. */
		if (memchr(json_string_value(v), '\0',
		    json_string_length(v)) != NULL) {
			perr_set(w->e, w->a, 400, "invalid_json", path,
			    "%s contains a NUL character (\\u0000)", path ?
			    path : "the value");
			return 0;
		}
		if (json_string_length(v) > w->lim->max_value) {
			perr_set(w->e, w->a, 413, "field_too_long", path,
			    "%s is longer than %zu bytes", path ? path :
			    "the value", w->lim->max_value);
			return 0;
		}
		return 1;
	default:
		return 1;
	}
}

/* jansson's reason quotes the input near the error: maybe not UTF-8. */
static const char *
reason(json_error_t *err)
{
	char	*near;

	if (!utf8_valid(err->text, strlen(err->text)) &&
	    (near = strstr(err->text, " near '")) != NULL)
		*near = '\0';
	return utf8_valid(err->text, strlen(err->text)) ? err->text :
	    "syntax error";
}

int
jsonbody_parse(struct arena *a, const char *s, size_t n,
    const struct jsonbody_limits *lim, json_t **out, struct perr *e)
{
	json_error_t	 err;
	json_t		*v;
	struct walk	 w = { a, lim, 0, e };

	if (n == 0) {
		perr_set(e, a, 400, "invalid_json", NULL, "the JSON body is "
		    "empty");
		return 0;
	}
	v = json_loadb(s, n, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY |
	    JSON_ALLOW_NUL, &err);
	if (v == NULL) {
		perr_set(e, a, 400, "invalid_json", NULL, "the JSON body is "
		    "not valid: %s at line %d, column %d", reason(&err),
		    err.line, err.column);
		return 0;
	}
	if (!walk(&w, v, NULL, 0)) {
		json_decref(v);
		return 0;
	}
	*out = v;
	return 1;
}
