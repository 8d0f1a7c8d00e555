/* kv.c: name/value lists in the request arena, and parser errors. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "kv.h"
#include "utf8.h"

void
kv_add(struct arena *a, struct kvlist *l, const char *key, const char *val,
    size_t vlen)
{
	struct kv	*nv;

	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 8;
		nv = arena_alloc(a, l->cap * sizeof(*nv));
		if (l->n > 0)
			memcpy(nv, l->v, l->n * sizeof(*nv));
		l->v = nv;
	}
	l->v[l->n].key = key;
	l->v[l->n].val = val;
	l->v[l->n].vlen = vlen;
	l->n++;
}

const char *
kv_get(const struct kvlist *l, const char *key)
{
	size_t	 i;

	for (i = 0; i < l->n; i++)
		if (strcmp(l->v[i].key, key) == 0)
			return l->v[i].val;
	return NULL;
}

void
perr_set(struct perr *e, struct arena *a, int status, const char *code,
    const char *field, const char *fmt, ...)
{
	va_list	 ap;

	e->status = status;
	e->code = code;
	e->field = field ? arena_strdup(a, field) : NULL;
	va_start(ap, fmt);
	vsnprintf(e->message, sizeof(e->message), fmt, ap);
	va_end(ap);
	/* Truncation must not leave half a character (jansson refuses it). */
	e->message[utf8_cut(e->message, strlen(e->message))] = '\0';
}
