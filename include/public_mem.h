/*
 * public_mem.h: a worker's memory of the public pages it rendered
 * (app/public/public_mem.c), answered again without the database until
 * PostgreSQL notifies a change of their unit or of the confederation
 * (sql/038_public_notify.sql, sql/041_public_mem.sql).
 *
 * Only a plain GET is kept and answered: of /u/{slug} and the paths under
 * it, /t/{tag} and under, /feed.atom, /sitemap.xml, /robots.txt, and of
 * the front page / when no cookie comes and HTML is wanted; no query
 * (the next pages of a list, ?before=, and the sitemap's ?page= take the
 * usual way), no body, no conditional header (a conditional request
 * takes the usual way, whose validator is one row).  The memory is
 * bounded: at most
 * PUBLIC_MEM_PAGES pages and PUBLIC_MEM_BYTES bytes of answers per
 * worker, the least recently used going first; a page above an eighth
 * of the bytes is not kept.  The caller keeps it current: it forgets a
 * unit's pages when notified (public_mem_forget()), and all of them when
 * the connection that listens was lost (public_mem_clear()).
 */
#ifndef PUBLIC_MEM_H
#define PUBLIC_MEM_H

#include <stddef.h>

struct buf;
struct public_mem;

#define PUBLIC_MEM_PAGES	128
#define PUBLIC_MEM_BYTES	(2 * 1024 * 1024)
#define PUBLIC_MEM_KEY		256	/* a key's size, its NUL included */

/* An empty memory; free with public_mem_free(). */
struct public_mem	*public_mem_new(void);
void			 public_mem_free(struct public_mem *);

/*
 * Whether the request of the FastCGI environment envp is one the memory
 * may answer and keep (see above): 1 with its key in key (size n), or 0.
 */
int	public_mem_key(char *const *envp, char *key, size_t n);

/*
 * The answer kept for key: its head into head (the old content gone)
 * with a fresh X-Accel-Expires, its body in *body (the memory's, valid
 * until the next call that keeps or forgets): 1, or 0 when none is
 * kept or it expired.
 */
int	public_mem_get(struct public_mem *, const char *key, struct buf *head,
	    const char **body, size_t *body_len);

/*
 * Keep the answer the server rendered for key when it may be shared:
 * a 200 with Cache-Control: public and Last-Modified (which a page
 * sends two seconds after its change) that sets no cookie.  Copies.
 * With until (seconds since the epoch, 0: none), it is answered only
 * before that instant.
 */
void	public_mem_put(struct public_mem *, const char *key,
	    const struct buf *head, const struct buf *body, long long until);

/*
 * A notification's payload: forget the pages of the unit at slug and
 * the confederation's (all but robots.txt); "" (the confederation's
 * change) forgets the confederation's alone.
 */
void	public_mem_forget(struct public_mem *, const char *slug);

/* Forget everything. */
void	public_mem_clear(struct public_mem *);

#endif
