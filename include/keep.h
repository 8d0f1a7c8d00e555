/*
 * keep.h: answers kept in a worker's memory, head and body, each under a
 * key, the least recently used going first when the store is full.
 *
 * The store knows nothing of HTTP or of when a kept answer is still
 * right: public_mem.c keeps the public pages in one, page_mem.c the
 * signed-in pages in another, and each decides what it keeps, under
 * which key, and when an answer may be given again (the tag, the instant
 * and the number each answer carries are theirs to read).  Bounded by
 * the number of answers and by their bytes; an answer above an eighth of
 * the bytes is not kept.  Copies what it keeps; frees it when dropped.
 */
#ifndef KEEP_H
#define KEEP_H

#include <stddef.h>

struct keep;

/* An answer as kept, valid until the next keep_put() or drop. */
struct kept {
	const char	*head;
	size_t		 head_len;
	const char	*body;
	size_t		 body_len;
	const char	*tag;		/* as put ("" for NULL) */
	long long	 when;		/* as put */
	size_t		 aux;		/* as put */
};

/* An empty store of at most pages answers and bytes bytes. */
struct keep	*keep_new(size_t pages, size_t bytes);
void		 keep_free(struct keep *);

/* The answer kept under key, now the most recently used: 1, or 0. */
int	keep_get(struct keep *, const char *key, struct kept *);

/*
 * Keep under key (replacing what was kept there) a copy of the head,
 * made of the bytes h1 then h2, and of the body, with tag, when and aux.
 * Returns 1, or 0 when it is too large to keep (nothing changed but
 * that an old answer under key is dropped).
 */
int	keep_put(struct keep *, const char *key, const char *tag,
	    long long when, size_t aux, const char *h1, size_t n1,
	    const char *h2, size_t n2, const char *body, size_t body_len);

/* Drop the answer under key, if any. */
void	keep_drop(struct keep *, const char *key);

/* Drop every answer for which drop(its key, its aux, arg) returns 1. */
void	keep_drop_if(struct keep *, int (*drop)(const char *, size_t, void *),
	    void *arg);

/* Drop everything. */
void	keep_clear(struct keep *);

/* How many answers and bytes are kept (for tests and reports). */
size_t	keep_count(const struct keep *);
size_t	keep_bytes(const struct keep *);

#endif
