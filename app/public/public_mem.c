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
 * Kept in a store of PUBLIC_MEM_PAGES answers (keep.c), the least
 * recently used going first; an answer's number there (aux) is the
 * length of its unit's slug, 0 for the confederation's pages.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "buf.h"
#include "input.h"
#include "keep.h"
#include "public_mem.h"
#include "req.h"
#include "util.h"

#define ACCEL		"X-Accel-Expires: @"

struct public_mem {
	struct keep	*k;
};

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

struct public_mem *
public_mem_new(void)
{
	struct public_mem	*pm = xcalloc(1, sizeof(*pm));

	pm->k = keep_new(PUBLIC_MEM_PAGES, PUBLIC_MEM_BYTES);
	return pm;
}

void
public_mem_free(struct public_mem *pm)
{
	if (pm == NULL)
		return;
	keep_free(pm->k);
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

int
public_mem_get(struct public_mem *pm, const char *key, struct buf *head,
    const char **body, size_t *body_len)
{
	struct kept	 p;

	if (!keep_get(pm->k, key, &p))
		return 0;
	if (p.when != 0 && (long long)time(NULL) >= p.when) {
		keep_drop(pm->k, key);
		return 0;
	}
	buf_reset(head);
	buf_add(head, p.head, p.head_len);
	buf_printf(head, ACCEL "%lld\r\n\r\n", (long long)time(NULL));
	*body = p.body;
	*body_len = p.body_len;
	return 1;
}

void
public_mem_put(struct public_mem *pm, const char *key,
    const struct buf *head, const struct buf *body, long long until)
{
	const char	*h = head->data, *ax, *eol;

	if (head->len < 4 || strncmp(h, "Status: 200 ", 12) != 0 ||
	    strstr(h, "\r\nCache-Control: public,") == NULL ||
	    strstr(h, "\r\nLast-Modified: ") == NULL ||
	    strcasestr(h, "\r\nSet-Cookie:") != NULL ||
	    (ax = strstr(h, "\r\n" ACCEL)) == NULL ||
	    (eol = strstr(ax + 2, "\r\n")) == NULL ||
	    (until != 0 && until <= (long long)time(NULL)))
		return;
	/* The head up to X-Accel-Expires, then after it, without "\r\n". */
	keep_put(pm->k, key, NULL, until, unit_len(key + 1), h,
	    (size_t)(ax - h), eol, head->len - 2 - (size_t)(eol - h),
	    body->data, body->len);
}

/* Whether a notification drops the page under key: see forget(). */
static int
notified(const char *key, size_t unit, void *arg)
{
	const char	*slug = arg;

	/* The confederation's pages, but robots.txt, go with any. */
	return unit == 0 ? strcmp(key + 1, "/robots.txt") != 0 :
	    unit == strlen(slug) && strncmp(key + 4, slug, unit) == 0;
}

void
public_mem_forget(struct public_mem *pm, const char *slug)
{
	if (slug != NULL)
		keep_drop_if(pm->k, notified, (void *)slug);
}

void
public_mem_clear(struct public_mem *pm)
{
	keep_clear(pm->k);
}
