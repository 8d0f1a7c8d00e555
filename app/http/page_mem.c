/*
 * page_mem.c: the signed-in pages a worker answers again from memory
 * (page_mem.h): which requests may be, their key and tag, and the answer.
 *
 * The tag joins the page's counters to every field of the session's row
 * the lookup returned, so that a page is never answered to a session
 * whose row differs in anything from the one it was rendered for (a new
 * name, a hub role given or taken, an inbox item read, a unit of theirs
 * changed).  The key holds the token's digest, never the token, and the
 * format, so that the HTML and the JSON of one path are kept apart.
 */
#include "config.h"

#include <string.h>
#include <time.h>

#include "arena.h"
#include "buf.h"
#include "conf.h"
#include "keep.h"
#include "kv.h"
#include "page_mem.h"
#include "req.h"
#include "router.h"
#include "session.h"
#include "token.h"

/* What a request keeps of the memory between its steps. */
struct page_mem_req {
	const char	*key;
	const char	*stamp;		/* the page's counters, when built */
	struct kept	 hit;		/* the answer, when answered */
	int		 answered;
};

struct keep *
page_mem_new(void)
{
	return keep_new(PAGE_MEM_PAGES, PAGE_MEM_BYTES);
}

static long long
now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* r's state in the memory, made when r may use it; NULL otherwise. */
static struct page_mem_req *
state(struct req *r)
{
	struct page_mem_req	*s;
	char			 digest[TOKEN_HEXLEN + 1];

	if (r->page_mem != NULL)
		return r->page_mem;
	if (r->pages == NULL || r->conf->page_memory == 0 ||
	    r->method != M_GET || (r->fmt != FMT_HTML && r->fmt != FMT_JSON) ||
	    (r->query_string != NULL && *r->query_string != '\0') ||
	    r->content_length != 0 || !session_digest(r, digest))
		return NULL;
	s = arena_alloc(r->a, sizeof(*s));
	memset(s, 0, sizeof(*s));
	s->key = arena_printf(r->a, "%s %d %s", digest, (int)r->fmt, r->path);
	return r->page_mem = s;
}

/* The tag of r's page built from stamp: NULL without a session. */
static const char *
tag(const struct req *r, const char *stamp)
{
	const struct session	*s = r->sess;

	if (s == NULL || stamp == NULL)
		return NULL;
	return arena_printf(r->a, "%s\n%lld\n%s\n%s\n%s\n%d\n%d\n%lld\n%lld",
	    stamp, s->p.id, s->p.email != NULL ? s->p.email : "",
	    s->p.name != NULL ? s->p.name : "",
	    s->p.roles != NULL ? s->p.roles : "", s->rules_version,
	    s->rules_ok, s->unread, s->units_stamp);
}

int
page_mem_candidate(struct req *r)
{
	struct page_mem_req	*s = state(r);
	struct kept		 k;

	return s != NULL && keep_get(r->pages, s->key, &k) &&
	    now_ms() - k.when < r->conf->page_memory;
}

int
page_mem_answer(struct req *r, const char *stamp)
{
	struct page_mem_req	*s = state(r);
	const char		*t = tag(r, stamp);

	if (s == NULL || t == NULL || !keep_get(r->pages, s->key, &s->hit) ||
	    now_ms() - s->hit.when >= r->conf->page_memory ||
	    strcmp(s->hit.tag, t) != 0)
		return 0;
	s->answered = 1;
	return 1;
}

int
page_mem_hit(const struct req *r)
{
	return r->page_mem != NULL && r->page_mem->answered;
}

void
page_mem_render(const struct req *r, struct buf *head, struct buf *body)
{
	const struct kept	*k = &r->page_mem->hit;

	buf_reset(head);
	buf_reset(body);
	buf_add(head, k->head, k->head_len);
	buf_add(body, k->body, k->body_len);
}

void
page_mem_built(struct req *r, const char *stamp)
{
	struct page_mem_req	*s = state(r);

	if (s != NULL && stamp != NULL)
		s->stamp = arena_strdup(r->a, stamp);
}

void
page_mem_keep(struct req *r, const struct buf *head, const struct buf *body)
{
	struct page_mem_req	*s = r->page_mem;
	const char		*t;

	if (s == NULL || s->answered || s->stamp == NULL ||
	    r->resp.status != 200 || r->resp.has_err ||
	    strncmp(head->data, "Status: 200 ", 12) != 0 ||
	    strcasestr(head->data, "\r\nSet-Cookie:") != NULL ||
	    (t = tag(r, s->stamp)) == NULL)
		return;
	keep_put(r->pages, s->key, t, now_ms(), 0, head->data, head->len,
	    NULL, 0, body->data, body->len);
}
