/*
 * page_mem.h: a worker's memory of the signed-in pages it rendered, each
 * for one session, answered again only while PostgreSQL says nothing the
 * page shows has changed (app/http/page_mem.c).
 *
 * Two answers are kept: the unit page (GET /units/{slug}, HTML) and the
 * caller's own record with their units (GET /api/v1/me, JSON).  An
 * answer is kept under its key (the digest of the session's token, the
 * format and the path) with its tag: what it was built from, and the
 * session's row as the lookup read it (who, name, e-mail, hub roles, use
 * rules, unread count, and the stamp of the person's units of
 * sql/050_units_stamp.sql), which the header shows.  The unit page's
 * stamp is the counters of sql/049_page_stamps.sql (its unit's and the
 * confederation's, which triggers move on every write that can change
 * what the page shows to anyone): a request for it reads them in the
 * round trip of its session lookup, under row-level security as its
 * person, instead of the page.  The list of the caller's units is built
 * from the session's row alone: it costs no statement of its own.  When
 * the stamp and the session's row are what the kept answer was built
 * from, and the answer is younger than the configuration's page_memory
 * (milliseconds, 1,000 by default; 0 keeps nothing), the kept bytes are
 * the answer.  So an answer is never older than the last write that
 * changed it, and what it shows of the clock (a guest's last day, an
 * invitation's end, "waiting for") is at most that old.
 *
 * Only a plain GET by a session is kept: no query (the notices after a
 * form), no body; only a 200 that sets no cookie.  Bounded:
 * PAGE_MEM_PAGES answers, PAGE_MEM_BYTES bytes per worker, the least
 * recently used going first.
 */
#ifndef PAGE_MEM_H
#define PAGE_MEM_H

struct buf;
struct keep;
struct req;

#define PAGE_MEM_PAGES	32
#define PAGE_MEM_BYTES	(1024 * 1024)

/* The worker's memory; free with keep_free(). */
struct keep	*page_mem_new(void);

/*
 * Whether r's page may be answered from the memory: it may be kept
 * (above), and a page is kept under its key, young enough.  Then the
 * caller reads the page's counters with the session lookup and calls
 * page_mem_answer() with them.
 */
int	page_mem_candidate(struct req *);

/*
 * Answer r from the memory when the kept page was built from stamp and
 * from r's session as it is: 1 (render() then writes the kept bytes:
 * page_mem_render()), or 0 (the page is loaded and rendered as usual).
 */
int	page_mem_answer(struct req *, const char *stamp);

/* Whether r is answered from the memory. */
int	page_mem_hit(const struct req *);

/* The kept answer of r into head and body (their old content gone). */
void	page_mem_render(const struct req *, struct buf *head, struct buf *body);

/*
 * Note that r's page is built from stamp (read in the same statement as
 * the page), so that page_mem_keep() may keep it.
 */
void	page_mem_built(struct req *, const char *stamp);

/* After render: keep r's answer when it may be kept (above). */
void	page_mem_keep(struct req *, const struct buf *head,
	    const struct buf *body);

#endif
