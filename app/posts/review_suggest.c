/*
 * review_suggest.c: suggestions anchored to a span of a revision.  The
 * unit's editors and owners and the hub's reviewers suggest; the post's
 * authors accept (a new revision with the change, in their name, the
 * suggestion naming it and so crediting the reviewer) or decline.
 *
 * A suggestion made on an older revision is carried through the word
 * diff to the latest one (span_carry()): listed where it now sits, or
 * as outdated when its text was changed, which accepting answers 409.
 */
#include "config.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "arena.h"
#include "diff.h"
#include "input.h"
#include "log.h"
#include "page.h"
#include "req.h"
#include "review.h"
#include "review_db.h"
#include "session.h"
#include "span.h"

/* A post's longest body, in code points (sql/014_posts.sql). */
#define BODY_MAX	100000

enum { S_REVISION, S_START, S_END, S_REPLACEMENT, S_COMMENT, S__MAX };

static const struct input_field suggestion_fields[S__MAX] = {
	[S_REVISION] = { .name = "revision", .type = IN_INT,
	    .flags = IN_REQUIRED, .min = 1, .max = INT_MAX,
	    .label = "the revision", .invalid = "revision is the number of "
	    "a revision of the post" },
	[S_START] = { .name = "start", .type = IN_INT, .flags = IN_REQUIRED,
	    .min = 0, .max = BODY_MAX, .label = "the start", .invalid =
	    "start is a position in the text, in characters from 0" },
	[S_END] = { .name = "end", .type = IN_INT, .flags = IN_REQUIRED,
	    .min = 0, .max = BODY_MAX, .label = "the end", .invalid =
	    "end is a position in the text, in characters from 0" },
	[S_REPLACEMENT] = { .name = "replacement", .type = IN_TEXT,
	    .flags = IN_RAW | IN_BLANK, .max = BODY_MAX,
	    .label = "the replacement" },
	[S_COMMENT] = { .name = "comment", .type = IN_TEXT, .flags = IN_RAW,
	    .max = 4000, .label = "the comment" },
};

const struct input_form suggestion_input = {
	suggestion_fields, S__MAX, NULL, NULL, 0
};

enum { D_REPLY, D__MAX };

static const struct input_field decline_fields[D__MAX] = {
	[D_REPLY] = { .name = "reply", .type = IN_TEXT, .flags = IN_RAW,
	    .max = 4000, .label = "the reply" },
};

const struct input_form decline_input = {
	decline_fields, D__MAX, NULL, NULL, 0
};

/* The same, from the post's page, which shows it again. */
const struct input_form page_decline_input = {
	decline_fields, D__MAX, "posts/post", post_page_again, 0
};

/* The route's {id}, or NULL when it is no identifier at all. */
static const char *
route_id(struct req *r)
{
	const char	*id = kv_get(&r->params, "id");
	long long	 n;

	return input_digits(id, 1, LLONG_MAX, &n) ? id : NULL;
}

/*
 * Carry [start, end) of a revision's text to its place in the latest
 * one through d, the word diff between them (NULL: it is the latest).
 * 1 with *ns and *ne, 0 when the span's text was changed, -1 when the
 * span is not one of the text.
 */
static int
carry(const struct diff *d, long long start, long long end, long long *ns,
    long long *ne)
{
	size_t	 s, e;
	int	 rc;

	if (d == NULL) {
		*ns = start;
		*ne = end;
		return 1;
	}
	if ((rc = span_carry(d, (size_t)start, (size_t)end, &s, &e)) != 1)
		return rc;
	*ns = (long long)s;
	*ne = (long long)e;
	return 1;
}

/* The word diff from text a to text b, in the arena. */
static const struct diff *
diff_new(struct req *r, const char *a, const char *b)
{
	struct diff	*d = arena_calloc(r->a, 1, sizeof(*d));

	diff_words(r->a, a, strlen(a), b, strlen(b), 0, d);
	return d;
}

/*
 * The diffs of a listing, one per revision suggestions were made on
 * (room for one per suggestion), so each is made once.
 */
struct diffs {
	long long		*rev;
	const struct diff	**d;
	size_t			 n;
};

/* The diff from text a of revision rev to text b, made once. */
static const struct diff *
diff_of(struct req *r, struct diffs *ds, long long rev, const char *a,
    const char *b)
{
	size_t	 i;

	for (i = 0; i < ds->n; i++)
		if (ds->rev[i] == rev)
			return ds->d[i];
	ds->rev[ds->n] = rev;
	return ds->d[ds->n++] = diff_new(r, a, b);
}

/*
 * Add to open suggestion s where it sits in the latest revision cur:
 * "current" {"revision","start","end"} and "outdated" false, or
 * "current" null and "outdated" true.
 */
static void
place(struct req *r, json_t *s, json_t *texts, long long cur,
    struct diffs *ds)
{
	long long	 rev, ns, ne;
	const char	*a, *b;
	char		 k[24];
	int		 rc = -1;

	rev = json_integer_value(json_object_get(s, "revision"));
	snprintf(k, sizeof(k), "%lld", rev);
	a = json_string_value(json_object_get(texts, k));
	snprintf(k, sizeof(k), "%lld", cur);
	b = json_string_value(json_object_get(texts, k));
	if (a != NULL && b != NULL)
		rc = carry(rev == cur ? NULL : diff_of(r, ds, rev, a, b),
		    json_integer_value(json_object_get(s, "start")),
		    json_integer_value(json_object_get(s, "end")), &ns, &ne);
	if (rc == 1)
		json_object_set_new(s, "current", json_pack("{s:I, s:I, s:I}",
		    "revision", (json_int_t)cur, "start", (json_int_t)ns,
		    "end", (json_int_t)ne));
	else
		json_object_set_new(s, "current", json_null());
	json_object_set_new(s, "outdated", json_boolean(rc != 1));
}

/* Carry each item of list that spans wants: open ones, or any span. */
static void
carry_list(struct req *r, json_t *list, json_t *texts, long long cur,
    int spans)
{
	struct diffs	*ds;
	json_t		*s;
	size_t		 i;

	ds = arena_calloc(r->a, 1, sizeof(*ds));
	ds->rev = arena_calloc(r->a, json_array_size(list) + 1,
	    sizeof(*ds->rev));
	ds->d = arena_calloc(r->a, json_array_size(list) + 1,
	    sizeof(*ds->d));
	json_array_foreach(list, i, s)
		if (spans ? json_is_integer(json_object_get(s, "start")) :
		    strcmp(json_string_value(json_object_get(s, "state")),
		    "open") == 0)
			place(r, s, texts, cur, ds);
}

void
review_carry_all(struct req *r, json_t *list, json_t *texts, long long cur)
{
	carry_list(r, list, texts, cur, 0);
}

void
review_carry_spans(struct req *r, json_t *list, json_t *texts, long long cur)
{
	carry_list(r, list, texts, cur, 1);
}

int
suggestions_get(struct req *r)
{
	const char	*id = route_id(r);
	json_t		*list, *texts;
	long long	 cur;
	int		 rc;

	if (id == NULL)
		return req_fail(r, 404, "not_found", NULL, "there is no such "
		    "post");
	if ((rc = review_db_suggestions(r, id, &cur, &list, &texts)) < 0)
		return req_db_fail(r);
	if (rc == 0 || list == NULL || texts == NULL)
		return req_fail(r, 404, "not_found", NULL, "there is no post "
		    "%s", id);
	review_carry_all(r, list, texts, cur);
	return req_view(r, 200, NULL, req_pack(r, "{s:I, s:O}", "revision",
	    (json_int_t)cur, "suggestions", list));
}

int
suggestion_post(struct req *r)
{
	const char	*id = route_id(r);
	long long	 start = input_int(r, S_START, 0);
	long long	 end = input_int(r, S_END, 0);
	const char	*repl = input_text(r, S_REPLACEMENT);
	json_t		*made;
	int		 rc;

	if (id == NULL)
		return req_fail(r, 404, "not_found", NULL, "there is no such "
		    "post");
	if (end < start)
		return req_fail(r, 422, "invalid", "end", "a span ends at or "
		    "after its start");
	if (end == start && *repl == '\0')
		return req_fail(r, 422, "invalid", "replacement", "a "
		    "suggestion replaces, inserts or deletes text: an empty "
		    "span takes a replacement");
	if ((rc = review_db_suggest(r, id, input_int(r, S_REVISION, 0),
	    start, end, repl, input_text(r, S_COMMENT), &made)) < 0)
		return req_db_fail(r);
	if (rc == 0)
		return req_fail(r, 404, "not_found", NULL, "there is no post "
		    "%s", id);
	logm(L_INFO, r->id, "suggestion post=%s person=%lld", id,
	    r->sess->p.id);
	return req_view(r, 201, NULL, made);
}

/* The body of s's latest revision with s's change made, or NULL. */
static const char *
applied(struct req *r, const struct review_sugg *s)
{
	long long	 ns, ne;
	size_t		 n = strlen(s->latest), bs, be;

	if (carry(s->current == s->revision ? NULL : diff_new(r, s->base,
	    s->latest), s->start, s->end, &ns, &ne) != 1)
		return NULL;
	bs = diff_cp_offset(s->latest, n, (size_t)ns);
	be = diff_cp_offset(s->latest, n, (size_t)ne);
	return arena_printf(r->a, "%.*s%s%s", (int)bs, s->latest,
	    s->replacement, s->latest + be);
}

int
suggestion_accept(struct req *r)
{
	const char		*id = route_id(r), *body;
	struct review_sugg	 s;
	json_t			*rev;
	int			 rc = 0;

	if (id == NULL || (rc = review_db_suggestion(r, id, &s)) == 0)
		return req_fail(r, 404, "not_found", NULL, "there is no such "
		    "suggestion");
	if (rc < 0)
		return req_db_fail(r);
	if (strcmp(s.state, "open") != 0)
		return req_fail(r, 409, "decided", NULL, "this suggestion was "
		    "%s already", s.state);
	if ((body = applied(r, &s)) == NULL)
		return req_fail(r, 409, "outdated", NULL, "the text this "
		    "suggestion changes was changed since revision %lld: it "
		    "is outdated", s.revision);
	if ((rc = review_db_accept(r, id, &s, body, &rev)) < 0)
		return req_db_fail(r);
	if (rc == 0)
		return req_fail(r, 409, "conflict", NULL, "this suggestion "
		    "could not be accepted: load the post again");
	json_object_set_new(rev, "id", json_integer(s.post));
	json_object_set_new(rev, "suggestion", json_pack("{s:I, s:s, s:{s:s}}",
	    "id", (json_int_t)strtoll(id, NULL, 10), "state", "accepted",
	    "credited", "name", s.reviewer));
	logm(L_INFO, r->id, "suggestion accepted id=%s post=%lld revision=%lld "
	    "person=%lld", id, s.post, s.current + 1, r->sess->p.id);
	if (r->fmt == FMT_HTML)
		return req_redirect(r, arena_printf(r->a, "/posts/%lld?done="
		    "accepted#suggestions", s.post));
	return req_view(r, 200, NULL, rev);
}

int
suggestion_decline(struct req *r)
{
	const char	*id = route_id(r);
	json_t		*made;
	int		 rc, found = 0;

	if (id == NULL || (rc = review_db_decline(r, id,
	    input_text(r, D_REPLY), &made, &found)) == 0) {
		if (found)
			return req_fail(r, 403, "forbidden", NULL, "only the "
			    "post's author and co-authors decline suggestions");
		return req_fail(r, 404, "not_found", NULL, "there is no such "
		    "suggestion");
	}
	if (rc < 0)
		return req_db_fail(r);
	logm(L_INFO, r->id, "suggestion declined id=%s person=%lld", id,
	    r->sess->p.id);
	if (r->fmt == FMT_HTML)
		return req_redirect(r, arena_printf(r->a, "/posts/%lld?done="
		    "declined#suggestions", (long long)json_integer_value(
		    json_object_get(made, "post"))));
	return req_view(r, 200, NULL, made);
}
