/*
 * kv.h: name/value lists (query strings, forms, cookies, route
 * parameters) and the error a parser reports about its input.
 */
#ifndef KV_H
#define KV_H

#include <stddef.h>

struct arena;

struct kv {
	const char	*key;		/* NUL-terminated, valid UTF-8 */
	const char	*val;		/* NUL-terminated, valid UTF-8 */
	size_t		 vlen;
};

struct kvlist {
	struct kv	*v;		/* arena memory */
	size_t		 n;
	size_t		 cap;
};

/*
 * What was wrong with an input: the HTTP status to answer (400, 413...),
 * a stable machine-readable code, the field it concerns (or NULL) and a
 * sentence for people.
 */
struct perr {
	int		 status;
	const char	*code;
	const char	*field;
	char		 message[200];
};

void		 kv_add(struct arena *, struct kvlist *, const char *key,
		    const char *val, size_t vlen);

/* The first value named key, or NULL. */
const char	*kv_get(const struct kvlist *, const char *key);

/* Fill e; field is copied into the arena when not NULL. */
void		 perr_set(struct perr *e, struct arena *, int status,
		    const char *code, const char *field, const char *fmt, ...)
		    __attribute__((format(printf, 6, 7)));

#endif
