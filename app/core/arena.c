/*
 * arena.c: bump allocator with cleanup handlers, reset once per request.
 *
 * Blocks are chained; the first block is kept across resets so a steady
 * state request allocates nothing from malloc.  Requests larger than a
 * block get a block of their own.
 */
#include "config.h"

#include <stdalign.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "util.h"

#define ALIGN		alignof(max_align_t)
#define BLOCK_MIN	(16 * 1024)

struct block {
	struct block	*next;
	size_t		 size;
	size_t		 used;
	alignas(max_align_t) unsigned char data[];
};

struct cleanup {
	struct cleanup	*next;
	void		(*fn)(void *);
	void		*arg;
};

struct arena {
	struct block	*head;		/* current block, first is last in
					   chain */
	struct block	*first;
	struct cleanup	*cleanups;
	size_t		 total;
};

static struct block *
block_new(size_t size)
{
	struct block	*b;

	if (size > SIZE_MAX - sizeof(*b))
		size = SIZE_MAX - sizeof(*b);	/* xmalloc aborts */
	b = xmalloc(sizeof(*b) + size);
	b->next = NULL;
	b->size = size;
	b->used = 0;
	return b;
}

struct arena *
arena_new(size_t size)
{
	struct arena	*a = xcalloc(1, sizeof(*a));

	a->first = a->head = block_new(size < BLOCK_MIN ? BLOCK_MIN : size);
	return a;
}

static void
run_cleanups(struct arena *a)
{
	struct cleanup	*c;

	while ((c = a->cleanups) != NULL) {
		a->cleanups = c->next;
		c->fn(c->arg);
	}
}

void
arena_reset(struct arena *a)
{
	struct block	*b, *next;

	run_cleanups(a);
	for (b = a->head; b != a->first; b = next) {
		next = b->next;
		free(b);
	}
	a->head = a->first;
	a->first->used = 0;
	a->total = 0;
}

void
arena_free(struct arena *a)
{
	if (a == NULL)
		return;
	arena_reset(a);
	free(a->first);
	free(a);
}

void *
arena_alloc(struct arena *a, size_t n)
{
	struct block	*b = a->head;
	size_t		 off, need;
	void		*p;

	if (n == 0)
		n = 1;
	off = (b->used + ALIGN - 1) & ~(ALIGN - 1);
	if (off > b->size || n > b->size - off) {
		need = n > BLOCK_MIN ? n : BLOCK_MIN;
		if (need < b->size)
			need = b->size;	/* never smaller than the current
					   block */
		b = block_new(need);
		b->next = a->head;
		a->head = b;
		off = 0;
	}
	p = b->data + off;
	b->used = off + n;
	a->total += n;
	return p;
}

void *
arena_calloc(struct arena *a, size_t nmemb, size_t size)
{
	void	*p;

	if (size != 0 && nmemb > SIZE_MAX / size)
		return arena_alloc(a, SIZE_MAX);	/* xmalloc aborts */
	p = arena_alloc(a, nmemb * size);
	memset(p, 0, nmemb * size);
	return p;
}

char *
arena_strndup(struct arena *a, const char *s, size_t n)
{
	char	*p = arena_alloc(a, n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
arena_strdup(struct arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

char *
arena_vprintf(struct arena *a, const char *fmt, va_list ap)
{
	va_list	 ap2;
	int	 n;
	char	*p;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return arena_strdup(a, "");
	p = arena_alloc(a, (size_t)n + 1);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	return p;
}

char *
arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list	 ap;
	char	*p;

	va_start(ap, fmt);
	p = arena_vprintf(a, fmt, ap);
	va_end(ap);
	return p;
}

void
arena_cleanup(struct arena *a, void (*fn)(void *), void *arg)
{
	struct cleanup	*c = arena_alloc(a, sizeof(*c));

	c->fn = fn;
	c->arg = arg;
	c->next = a->cleanups;
	a->cleanups = c;
}

size_t
arena_used(const struct arena *a)
{
	return a->total;
}
