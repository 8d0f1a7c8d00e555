/*
 * mustache.h: Mustache templates rendered from jansson values.
 *
 * A template is compiled once, at startup, and is immutable afterwards:
 * any number of renders may share it, concurrently, since rendering writes
 * nothing but the output buffer.  A syntax error is reported as
 * "name:line:column: message" so startup can stop on it.
 *
 * The engine follows the Mustache specification (interpolation, sections,
 * inverted sections, comments, partials, set delimiters) and its optional
 * inheritance module (parents {{<name}} and blocks {{$name}}).  Lambdas
 * are not supported: jansson values have no functions.
 *
 * Data rules:
 *  - A name is resolved up the context stack; in a dotted name "a.b.c"
 *    only "a" is, "b" and "c" are then looked up in the value found.
 *    "." is the top of the stack.
 *  - Falsy values are: a missing name, null, false and the empty array.
 *    Everything else is truthy, "" and 0 included: pass booleans.
 *  - A section over an array renders once per element, over any other
 *    truthy value once with that value pushed on the stack.
 *  - Strings interpolate as themselves, integers in decimal, reals in the
 *    shortest form that reads back the same (1.21), true and false as
 *    words; null, objects and arrays as nothing.
 *  - A partial or parent missing from the set renders as nothing.
 */
#ifndef MUSTACHE_H
#define MUSTACHE_H

#include <stddef.h>

#include <jansson.h>

struct buf;

/* A compiled template. */
struct mustache;

/* Named templates: partials and parents are looked up here. */
struct mustache_set;

/* How {{name}} is escaped; {{{name}}} and {{&name}} never are. */
enum mustache_esc {
	MUSTACHE_ESC_HTML,	/* & < > " ' become entities (HTML and XML) */
	MUSTACHE_ESC_NONE	/* plain text: mail bodies, .txt */
};

/*
 * Limits that make a runaway template (a partial including itself, an
 * exponential nest of sections) fail with an error instead of exhausting
 * the stack, the processor or memory.  Sections, partials, parents and
 * blocks may nest MUSTACHE_MAX_DEPTH deep, counting both the template
 * text and what rendering expands; one render visits at most
 * MUSTACHE_MAX_STEPS nodes and writes at most MUSTACHE_MAX_OUTPUT bytes.
 */
#define MUSTACHE_MAX_DEPTH	256
#define MUSTACHE_MAX_STEPS	(1UL << 23)
#define MUSTACHE_MAX_OUTPUT	(1UL << 26)

/*
 * Compile len bytes of text; name is used in error messages only.
 * Returns the template, to be released with mustache_free(); or NULL with
 * "name:line:column: message" in err (size errlen) for a syntax error: an
 * unclosed tag or section, a closing tag that does not match, a bad
 * delimiter change, an empty or malformed name, too deep a nesting.
 */
struct mustache	*mustache_compile(const char *name, const char *text,
		    size_t len, char *err, size_t errlen);

/* Release a template; NULL is allowed. */
void		 mustache_free(struct mustache *);

/* A new, empty set of templates. */
struct mustache_set	*mustache_set_new(void);

/*
 * Compile text and add it to the set under name, which is also the name
 * used in error messages.  Returns 1, or 0 with a message in err when the
 * text does not compile or the name is already taken.
 */
int		 mustache_set_add(struct mustache_set *, const char *name,
		    const char *text, size_t len, char *err, size_t errlen);

/* The template called name, or NULL; it belongs to the set. */
const struct mustache	*mustache_set_get(const struct mustache_set *,
			    const char *name);

/* Release the set and all its templates; NULL is allowed. */
void		 mustache_set_free(struct mustache_set *);

/*
 * The escaping a template file's name calls for: MUSTACHE_ESC_NONE for
 * "*.txt", MUSTACHE_ESC_HTML for anything else (.html, .xml).
 */
enum mustache_esc	mustache_esc_for(const char *name);

/*
 * Render t with the data ctx (the bottom of the context stack) and append
 * the result to out.  Partials and parents come from set, which may be
 * NULL.  Returns 1; or 0 with "name:line:column: message" in err when a
 * limit above is reached, in which case out is left as it was on entry.
 */
int		 mustache_render(const struct mustache *t,
		    const struct mustache_set *set, json_t *ctx,
		    enum mustache_esc esc, struct buf *out, char *err,
		    size_t errlen);

#endif
