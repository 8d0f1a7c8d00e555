/*
 * review_all.c: accepting or declining every open suggestion of a post
 * at once, by its author and co-authors, in one transaction.
 *
 * Accepting all makes one revision: the open suggestions are carried to
 * the latest revision (span_carry()), those whose text was changed are
 * skipped as outdated, the others are taken in the order of the text and
 * one that overlaps a suggestion taken before it is skipped too (two
 * insertions at the same place overlap).  Skipped suggestions stay open.
 */
#include "config.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "arena.h"
#include "buf.h"
#include "diff.h"
#include "kv.h"
#include "log.h"
#include "page_db.h"
#include "post.h"
#include "req.h"
#include "review.h"
#include "review_db.h"
#include "session.h"

/* An open suggestion where it sits in the latest revision. */
struct pick {
	long long	 id;
	long long	 start, end;	/* code points of the latest body */
	const char	*replacement;
};

/* Order of the text: by start, then end, then age. */
static int
pick_cmp(const void *a, const void *b)
{
	const struct pick	*x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	if (x->end != y->end)
		return x->end < y->end ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

/* Whether p overlaps q, taken before it in the order of the text. */
static int
overlaps(const struct pick *q, const struct pick *p)
{
	if (p->start < q->end)
		return 1;
	/* Two insertions at the same place: which goes first is unclear. */
	return q->start == q->end && p->start == p->end &&
	    p->start == q->start;
}

/* Append {"id","reason","message"} to skipped. */
static void
skip(struct req *r, json_t *skipped, long long id, const char *reason,
    const char *msg)
{
	json_array_append(skipped, req_pack(r, "{s:I, s:s, s:s}", "id",
	    (json_int_t)id, "reason", reason, "message", msg));
}

/*
 * The open suggestions of list that can be applied together, in the
 * order of the text, in *picks (*n of them); the others in skipped.
 * Returns how many were open.
 */
static size_t
choose(struct req *r, json_t *list, struct pick **picks, size_t *n,
    json_t *skipped)
{
	struct pick	*all, *keep;
	json_t		*s, *cur;
	size_t		 i, m = 0, open = 0;

	all = arena_calloc(r->a, json_array_size(list) + 1, sizeof(*all));
	json_array_foreach(list, i, s) {
		if (strcmp(json_string_value(json_object_get(s, "state")),
		    "open") != 0)
			continue;
		open++;
		cur = json_object_get(s, "current");
		if (!json_is_object(cur)) {
			skip(r, skipped, json_integer_value(json_object_get(s,
			    "id")), "outdated", "the text it changes was "
			    "changed since it was made");
			continue;
		}
		all[m].id = json_integer_value(json_object_get(s, "id"));
		all[m].start = json_integer_value(json_object_get(cur,
		    "start"));
		all[m].end = json_integer_value(json_object_get(cur, "end"));
		all[m].replacement = json_string_value(json_object_get(s,
		    "replacement"));
		m++;
	}
	qsort(all, m, sizeof(*all), pick_cmp);
	keep = arena_calloc(r->a, m + 1, sizeof(*keep));
	*n = 0;
	for (i = 0; i < m; i++) {
		if (*n > 0 && overlaps(&keep[*n - 1], &all[i])) {
			skip(r, skipped, all[i].id, "overlaps", arena_printf(
			    r->a, "it overlaps suggestion %lld, accepted with "
			    "the others", keep[*n - 1].id));
			continue;
		}
		keep[(*n)++] = all[i];
	}
	*picks = keep;
	return open;
}

/* body with every pick made, in the arena; ids lists them as JSON. */
static const char *
apply(struct req *r, const char *body, const struct pick *p, size_t n,
    json_t *ids)
{
	struct buf	 b;
	size_t		 len = strlen(body), at = 0, bs, be, i;
	const char	*out;

	buf_init(&b);
	for (i = 0; i < n; i++) {
		bs = diff_cp_offset(body, len, (size_t)p[i].start);
		be = diff_cp_offset(body, len, (size_t)p[i].end);
		buf_add(&b, body + at, bs - at);
		buf_puts(&b, p[i].replacement);
		at = be;
		json_array_append_new(ids, json_integer(p[i].id));
	}
	buf_puts(&b, body + at);
	out = arena_strdup(r->a, b.data != NULL ? b.data : "");
	buf_free(&b);
	return out;
}

/* The ids of json as a JSON array of strings, in the arena. */
static const char *
id_strings(struct req *r, json_t *ids)
{
	json_t	*a = req_array(r), *v;
	size_t	 i;
	char	*s;
	const char *out;

	json_array_foreach(ids, i, v)
		json_array_append_new(a, json_string(arena_printf(r->a,
		    "%lld", (long long)json_integer_value(v))));
	s = json_dumps(a, JSON_COMPACT);
	out = arena_strdup(r->a, s != NULL ? s : "[]");
	free(s);
	return out;
}

/* After a page's form: back to the post, which says what was done. */
static int
back(struct req *r, long long post, const char *done, size_t n, size_t k)
{
	return req_redirect(r, arena_printf(r->a, "/posts/%lld?done=%s&n=%zu"
	    "&k=%zu#suggestions", post, done, n, k));
}

int
suggestions_accept_all(struct req *r)
{
	const char	*id, *body;
	struct pick	*picks;
	json_t		*list, *texts, *skipped = req_array(r), *ids, *rev;
	long long	 post, cur;
	size_t		 n = 0, open;
	char		 k[24];
	int		 rc;

	if ((rc = post_id(r, &post)) != 0)
		return rc;
	id = kv_get(&r->params, "id");
	if ((rc = review_db_suggestions(r, id, &cur, &list, &texts)) < 0)
		return req_db_fail(r);
	if (rc == 0 || list == NULL || texts == NULL)
		return req_fail(r, 404, "not_found", NULL, "there is no post "
		    "at this address");
	review_carry_all(r, list, texts, cur);
	open = choose(r, list, &picks, &n, skipped);
	if (open == 0)
		return req_fail(r, 409, "none_open", NULL, "no suggestion on "
		    "this post is open: they were all decided already");
	if (n == 0)
		return req_fail(r, 409, "none_applicable", NULL, "none of the "
		    "%zu open suggestions can be accepted: each is outdated",
		    open);
	snprintf(k, sizeof(k), "%lld", cur);
	ids = req_array(r);
	body = apply(r, json_string_value(json_object_get(texts, k)), picks,
	    n, ids);
	if ((rc = page_db_accept_all(r, id, cur, body, id_strings(r, ids),
	    &rev)) < 0)
		return post_refused(r, post);
	if (rc == 0)
		return req_fail(r, 409, "conflict", NULL, "a suggestion was "
		    "decided meanwhile: load the post again");
	logm(L_INFO, r->id, "suggestions accepted post=%lld n=%zu skipped=%zu "
	    "person=%lld", post, n, json_array_size(skipped), r->sess->p.id);
	if (r->fmt == FMT_HTML)
		return back(r, post, "accepted_all", n,
		    json_array_size(skipped));
	json_object_set_new(rev, "id", json_integer(post));
	json_object_set(rev, "accepted", ids);
	json_object_set(rev, "skipped", skipped);
	json_object_set_new(rev, "counts", json_pack("{s:I, s:I}", "accepted",
	    (json_int_t)n, "skipped", (json_int_t)json_array_size(skipped)));
	return req_view(r, 200, NULL, rev);
}

int
suggestions_decline_all(struct req *r)
{
	json_t		*declined;
	long long	 post, open;
	int		 rc;

	if ((rc = post_id(r, &post)) != 0)
		return rc;
	if ((rc = page_db_decline_all(r, kv_get(&r->params, "id"),
	    input_text(r, 0), &declined, &open)) < 0)
		return post_refused(r, post);
	if (rc == 0)
		return req_fail(r, 404, "not_found", NULL, "there is no post "
		    "at this address");
	if (open == 0)
		return req_fail(r, 409, "none_open", NULL, "no suggestion on "
		    "this post is open: they were all decided already");
	if (json_array_size(declined) == 0)
		return post_refused(r, post);
	logm(L_INFO, r->id, "suggestions declined post=%lld n=%zu person=%lld",
	    post, json_array_size(declined), r->sess->p.id);
	if (r->fmt == FMT_HTML)
		return back(r, post, "declined_all", json_array_size(declined),
		    0);
	return req_view(r, 200, NULL, req_pack(r, "{s:I, s:O, s:{s:I}}", "id",
	    (json_int_t)post, "declined", declined, "counts", "declined",
	    (json_int_t)json_array_size(declined)));
}
