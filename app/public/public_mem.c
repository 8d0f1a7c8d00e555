/*
 * public_mem.c: a worker's memory of the public pages, the answers to a
 * plain GET of /, /u/..., /t/..., the feeds, the sitemap and robots.txt
 * as the server rendered them, head and body.
 *
 * A public page is the same bytes for everyone until its unit, or the
 * confederation, changes publicly, and PostgreSQL tells each worker when
 * that happens (sql/038_public_notify.sql, sql/041_public_mem.sql,
 * app/server/notify.c): so a kept page is answered again with no
 * database round trip, no routing and no rendering, until the
 * notification drops it.  A unit's pages are those under /u/{slug};
 * every other page but robots.txt is the confederation's, and any
 * notification drops them (a unit's change shows on the front page, the
 * tag pages, the feeds and the sitemap).  The front page also shows the
 * advisories of the day: it is kept until the next UTC midnight by the
 * database's clock at most (public_cache.c).  The only part of the
 * head that depends on the moment is X-Accel-Expires (resp.c), which is
 * cut from the kept head and written afresh at each answer; and
 * Last-Modified, which a page sends only once the second of its
 * unit's change is over (public_cache.c): a head without it is not kept.
 *
 * A small table searched in order: PUBLIC_MEM_PAGES entries compare a
 * hash before the key; the least recently used page goes first.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "buf.h"
#include "input.h"
#include "public_mem.h"
#include "req.h"
#include "util.h"

#define ACCEL		"X-Accel-Expires: @"

struct page {
	char		 key[PUBLIC_MEM_KEY];	/* "" when free */
	uint32_t	 hash;
	size_t		 unit;		/* its unit's slug's length (after
					   "/u/"), 0: the confederation's */
	time_t		 until;		/* answered before it, 0: always */
	unsigned long	 used;		/* the clock at its last use */
	char		*head;		/* without its X-Accel-Expires and
					   the blank line */
	size_t		 head_len;
	char		*body;
	size_t		 body_len;
};

struct public_mem {
	struct page	 v[PUBLIC_MEM_PAGES];
	size_t		 bytes;		/* of the pages kept */
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

/* What public_mem_key() reads of a request, in one pass over envp. */
enum { E_METHOD, E_URI, E_QUERY, E_LENGTH, E_HTTPS, E_INM, E_IMS,
	E_COOKIE, E_ACCEPT, E__MAX };

static void
env_read(char *const *envp, const char *v[E__MAX])
{
	static const char *const names[E__MAX] = { "REQUEST_METHOD",
		"REQUEST_URI", "QUERY_STRING", "CONTENT_LENGTH", "HTTPS",
		"HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE",
		"HTTP_COOKIE", "HTTP_ACCEPT" };
	const char	*e;
	size_t		 i, n;

	memset(v, 0, E__MAX * sizeof(*v));
	for (; *envp != NULL; envp++) {
		e = *envp;
		if (e[0] != 'R' && e[0] != 'Q' && e[0] != 'C' &&
		    e[0] != 'H')
			continue;
		for (i = 0; i < E__MAX; i++) {
			n = strlen(names[i]);
			if (v[i] == NULL && strncmp(e, names[i], n) == 0 &&
			    e[n] == '=') {
				v[i] = e + n + 1;
				break;
			}
		}
	}
}

static void
page_drop(struct public_mem *pm, struct page *p)
{
	if (p == NULL || p->key[0] == '\0')
		return;
	pm->bytes -= p->head_len + p->body_len;
	free(p->head);
	free(p->body);
	memset(p, 0, sizeof(*p));
}

struct public_mem *
public_mem_new(void)
{
	return xcalloc(1, sizeof(struct public_mem));
}

void
public_mem_free(struct public_mem *pm)
{
	if (pm == NULL)
		return;
	public_mem_clear(pm);
	free(pm);
}

/*
 * The length of the unit's slug of a path under /u/, or 0 when it is not
 * one (a slug as the router reads it, so that its notification finds it).
 */
static size_t
unit_len(const char *path)
{
	char	 slug[PUBLIC_MEM_KEY];
	size_t	 n;

	if (strncmp(path, "/u/", 3) != 0)
		return 0;
	n = strcspn(path + 3, "/");
	if (n == 0 || n >= sizeof(slug))
		return 0;
	memcpy(slug, path + 3, n);
	slug[n] = '\0';
	return input_slug_problem(slug) == NULL ? n : 0;
}

/*
 * Whether the memory may answer path: a public page (ROUTE_PUBLIC, one
 * answer whatever the request's cookies and Accept), or the front page
 * for a visitor who sends no cookie and takes HTML, as public_cache.c
 * shares it.
 */
static int
path_kept(const char *const v[E__MAX], const char *path)
{
	if (strcmp(path, "/") == 0)
		return v[E_COOKIE] == NULL &&
		    fmt_negotiate(v[E_ACCEPT]) == FMT_HTML;
	if (strcmp(path, "/feed.atom") == 0 ||
	    strcmp(path, "/sitemap.xml") == 0 ||
	    strcmp(path, "/robots.txt") == 0)
		return 1;
	if (strncmp(path, "/t/", 3) == 0)
		return path[3] != '\0';
	return unit_len(path) > 0;
}

int
public_mem_key(char *const *envp, char *key, size_t n)
{
	const char	*v[E__MAX], *uri, *q, *cl;
	int		 len;

	env_read(envp, v);
	uri = v[E_URI];
	q = v[E_QUERY];
	cl = v[E_LENGTH];
	if (v[E_METHOD] == NULL || strcmp(v[E_METHOD], "GET") != 0 ||
	    uri == NULL || (q != NULL && *q != '\0') ||
	    strpbrk(uri, "?#") != NULL ||
	    (cl != NULL && *cl != '\0' && strcmp(cl, "0") != 0) ||
	    v[E_INM] != NULL || v[E_IMS] != NULL ||
	    strlen(uri) >= PUBLIC_MEM_KEY - 2 || !path_kept(v, uri))
		return 0;
	/* The head has Strict-Transport-Security over HTTPS only. */
	len = snprintf(key, n, "%c%s", v[E_HTTPS] != NULL &&
	    strcasecmp(v[E_HTTPS], "on") == 0 ? 's' : 'p', uri);
	return len > 0 && (size_t)len < n;
}

/* The page kept for key, or NULL. */
static struct page *
page_find(struct public_mem *pm, const char *key)
{
	uint32_t	 h = hash(key);
	size_t		 i;

	for (i = 0; i < PUBLIC_MEM_PAGES; i++)
		if (pm->v[i].hash == h && pm->v[i].key[0] != '\0' &&
		    strcmp(pm->v[i].key, key) == 0)
			return &pm->v[i];
	return NULL;
}

int
public_mem_get(struct public_mem *pm, const char *key, struct buf *head,
    const char **body, size_t *body_len)
{
	struct page	*p;

	if ((p = page_find(pm, key)) == NULL)
		return 0;
	if (p->until != 0 && time(NULL) >= p->until) {
		page_drop(pm, p);
		return 0;
	}
	p->used = ++pm->clock;
	buf_reset(head);
	buf_add(head, p->head, p->head_len);
	buf_printf(head, ACCEL "%lld\r\n\r\n", (long long)time(NULL));
	*body = p->body;
	*body_len = p->body_len;
	return 1;
}

/* A free entry, after dropping the least recently used ones for size. */
static struct page *
page_room(struct public_mem *pm, size_t size)
{
	struct page	*p, *old;
	size_t		 i;

	for (;;) {
		old = NULL;
		p = NULL;
		for (i = 0; i < PUBLIC_MEM_PAGES; i++) {
			if (pm->v[i].key[0] == '\0') {
				if (p == NULL)
					p = &pm->v[i];
			} else if (old == NULL || pm->v[i].used < old->used)
				old = &pm->v[i];
		}
		if (p != NULL && pm->bytes + size <= PUBLIC_MEM_BYTES)
			return p;
		page_drop(pm, old);
	}
}

void
public_mem_put(struct public_mem *pm, const char *key,
    const struct buf *head, const struct buf *body, long long until)
{
	const char	*h = head->data, *ax, *eol;
	size_t		 size, cut;
	struct page	*p;

	if (head->len < 4 || strncmp(h, "Status: 200 ", 12) != 0 ||
	    strstr(h, "\r\nCache-Control: public,") == NULL ||
	    strstr(h, "\r\nLast-Modified: ") == NULL ||
	    strcasestr(h, "\r\nSet-Cookie:") != NULL ||
	    (ax = strstr(h, "\r\n" ACCEL)) == NULL ||
	    (eol = strstr(ax + 2, "\r\n")) == NULL ||
	    (until != 0 && until <= (long long)time(NULL)))
		return;
	cut = (size_t)(eol - ax);
	size = head->len - cut - 2 + body->len;
	if (size > PUBLIC_MEM_BYTES / 8)
		return;
	page_drop(pm, page_find(pm, key));
	p = page_room(pm, size);
	snprintf(p->key, sizeof(p->key), "%s", key);
	p->hash = hash(key);
	p->unit = unit_len(key + 1);
	p->until = (time_t)until;
	p->used = ++pm->clock;
	/* The head up to X-Accel-Expires, then after it, without "\r\n". */
	p->head_len = head->len - cut - 2;
	p->head = xmalloc(p->head_len);
	memcpy(p->head, h, (size_t)(ax - h));
	memcpy(p->head + (ax - h), eol, head->len - 2 - (size_t)(eol - h));
	p->body_len = body->len;
	p->body = xmalloc(body->len > 0 ? body->len : 1);
	memcpy(p->body, body->data, body->len);
	pm->bytes += size;
}

void
public_mem_forget(struct public_mem *pm, const char *slug)
{
	struct page	*p;
	size_t		 i, n;

	if (slug == NULL)
		return;
	n = strlen(slug);
	for (i = 0; i < PUBLIC_MEM_PAGES; i++) {
		p = &pm->v[i];
		if (p->key[0] == '\0')
			continue;
		/* The confederation's pages, but robots.txt, go with any. */
		if (p->unit == 0 ? strcmp(p->key + 1, "/robots.txt") != 0 :
		    p->unit == n && strncmp(p->key + 4, slug, n) == 0)
			page_drop(pm, p);
	}
}

void
public_mem_clear(struct public_mem *pm)
{
	size_t	 i;

	for (i = 0; i < PUBLIC_MEM_PAGES; i++)
		page_drop(pm, &pm->v[i]);
}
