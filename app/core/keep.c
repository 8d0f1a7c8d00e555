/*
 * keep.c: answers kept in memory under a key (keep.h).
 *
 * A small table searched in order: a worker keeps tens of answers, so a
 * scan that compares a hash before the key costs less than the page it
 * saves by far, and needs no second structure to keep consistent.  The
 * least recently used answer goes first, by a clock that counts uses.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "keep.h"
#include "util.h"

struct entry {
	char		*key;		/* NULL when free */
	uint32_t	 hash;
	char		*tag;
	long long	 when;
	size_t		 aux;
	unsigned long	 used;		/* the clock at its last use */
	char		*head;
	size_t		 head_len;
	char		*body;
	size_t		 body_len;
};

struct keep {
	struct entry	*v;
	size_t		 n;		/* entries */
	size_t		 max_bytes;
	size_t		 bytes;		/* of the answers kept */
	size_t		 count;
	unsigned long	 clock;
};

static uint32_t
hash(const char *s)
{
	uint32_t	 h = 2166136261u;

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static size_t
entry_size(const struct entry *e)
{
	return e->head_len + e->body_len;
}

static void
entry_drop(struct keep *k, struct entry *e)
{
	if (e == NULL || e->key == NULL)
		return;
	k->bytes -= entry_size(e);
	k->count--;
	free(e->key);
	free(e->tag);
	free(e->head);
	free(e->body);
	memset(e, 0, sizeof(*e));
}

struct keep *
keep_new(size_t pages, size_t bytes)
{
	struct keep	*k = xcalloc(1, sizeof(*k));

	k->n = pages > 0 ? pages : 1;
	k->v = xcalloc(k->n, sizeof(*k->v));
	k->max_bytes = bytes;
	return k;
}

void
keep_free(struct keep *k)
{
	if (k == NULL)
		return;
	keep_clear(k);
	free(k->v);
	free(k);
}

static struct entry *
find(struct keep *k, const char *key)
{
	uint32_t	 h = hash(key);
	size_t		 i;

	for (i = 0; i < k->n; i++)
		if (k->v[i].key != NULL && k->v[i].hash == h &&
		    strcmp(k->v[i].key, key) == 0)
			return &k->v[i];
	return NULL;
}

int
keep_get(struct keep *k, const char *key, struct kept *out)
{
	struct entry	*e;

	if ((e = find(k, key)) == NULL)
		return 0;
	e->used = ++k->clock;
	out->head = e->head;
	out->head_len = e->head_len;
	out->body = e->body;
	out->body_len = e->body_len;
	out->tag = e->tag;
	out->when = e->when;
	out->aux = e->aux;
	return 1;
}

/* A free entry, after dropping the least recently used ones for size. */
static struct entry *
room(struct keep *k, size_t size)
{
	struct entry	*e, *old;
	size_t		 i;

	for (;;) {
		old = NULL;
		e = NULL;
		for (i = 0; i < k->n; i++) {
			if (k->v[i].key == NULL) {
				if (e == NULL)
					e = &k->v[i];
			} else if (old == NULL || k->v[i].used < old->used)
				old = &k->v[i];
		}
		if (e != NULL && k->bytes + size <= k->max_bytes)
			return e;
		entry_drop(k, old);
	}
}

static char *
copy(const char *a, size_t na, const char *b, size_t nb)
{
	char	*p = xmalloc(na + nb + 1);

	if (na > 0)
		memcpy(p, a, na);
	if (nb > 0)
		memcpy(p + na, b, nb);
	p[na + nb] = '\0';
	return p;
}

int
keep_put(struct keep *k, const char *key, const char *tag, long long when,
    size_t aux, const char *h1, size_t n1, const char *h2, size_t n2,
    const char *body, size_t body_len)
{
	struct entry	*e;
	size_t		 size = n1 + n2 + body_len;

	keep_drop(k, key);
	if (size > k->max_bytes / 8)
		return 0;
	e = room(k, size);
	e->key = xstrdup(key);
	e->hash = hash(key);
	e->tag = xstrdup(tag != NULL ? tag : "");
	e->when = when;
	e->aux = aux;
	e->used = ++k->clock;
	e->head = copy(h1, n1, h2, n2);
	e->head_len = n1 + n2;
	e->body = copy(body, body_len, NULL, 0);
	e->body_len = body_len;
	k->bytes += size;
	k->count++;
	return 1;
}

void
keep_drop(struct keep *k, const char *key)
{
	entry_drop(k, find(k, key));
}

void
keep_drop_if(struct keep *k, int (*drop)(const char *, size_t, void *),
    void *arg)
{
	size_t	 i;

	for (i = 0; i < k->n; i++)
		if (k->v[i].key != NULL && drop(k->v[i].key, k->v[i].aux, arg))
			entry_drop(k, &k->v[i]);
}

void
keep_clear(struct keep *k)
{
	size_t	 i;

	for (i = 0; i < k->n; i++)
		entry_drop(k, &k->v[i]);
}

size_t
keep_count(const struct keep *k)
{
	return k->count;
}

size_t
keep_bytes(const struct keep *k)
{
	return k->bytes;
}
