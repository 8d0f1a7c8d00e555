/*
 * post_read.c: reading a post, its revisions and the word diff between
 * two of them, as JSON.  A post the acting person may not read is 404.
 */
#include "config.h"

#include <string.h>

#include "app.h"
#include "arena.h"
#include "diff.h"
#include "input.h"
#include "kv.h"
#include "post.h"
#include "post_db.h"
#include "public.h"
#include "req.h"

#define NO_POST	"there is no post at this address"

int
post_get(struct req *r)
{
	json_t		*p;
	long long	 id;
	int		 rc;

	if ((rc = post_id(r, &id)) != 0)
		return rc;
	if ((rc = post_db_get(r, id, &p, NULL)) < 0)
		return req_db_fail(r);
	if (rc == 0)
		return req_fail(r, 404, "not_found", NULL, NO_POST);
	if (public_post_url(r, id, p) < 0)
		return req_db_fail(r);
	post_etag(r, json_integer_value(json_object_get(p, "revision")));
	return req_view(r, 200, NULL, p);
}

int
post_revisions_get(struct req *r)
{
	json_t		*list = req_array(r);
	long long	 id;
	int		 rc;

	if ((rc = post_id(r, &id)) != 0)
		return rc;
	if ((rc = post_db_revisions(r, id, list)) < 0)
		return req_db_fail(r);
	if (rc == 0)
		return req_fail(r, 404, "not_found", NULL, NO_POST);
	return req_view(r, 200, NULL, req_pack(r, "{s:I, s:O}", "id",
	    (json_int_t)id, "revisions", list));
}

int
post_revision_get(struct req *r)
{
	json_t		*rev;
	long long	 id, n;
	int		 rc;

	if ((rc = post_id(r, &id)) != 0)
		return rc;
	if (!input_digits(kv_get(&r->params, "n"), 1, 2147483647, &n))
		return req_fail(r, 404, "not_found", NULL, "there is no such "
		    "revision of this post");
	if ((rc = post_db_revision(r, id, n, &rev)) < 0)
		return req_db_fail(r);
	if (rc == 0)
		return req_fail(r, 404, "not_found", NULL, "there is no such "
		    "revision of this post");
	return req_view(r, 200, NULL, rev);
}

enum { D_FROM, D_TO, D__MAX };

static const struct input_field diff_fields[D__MAX] = {
	[D_FROM] = { .name = "from", .type = IN_INT, .flags = IN_REQUIRED,
	    .min = 1, .max = 2147483647, .label = "from", .invalid = "from is "
	    "the number of a revision", .missing = "from is the number of a "
	    "revision" },
	[D_TO] = { .name = "to", .type = IN_INT, .flags = IN_REQUIRED,
	    .min = 1, .max = 2147483647, .label = "to", .invalid = "to is the "
	    "number of a revision", .missing = "to is the number of a "
	    "revision" },
};

const struct input_form post_diff_input = {
	diff_fields, D__MAX, NULL, NULL, 1
};

static const char *const ops[] = {
	[DIFF_EQUAL] = "equal", [DIFF_DELETE] = "delete",
	[DIFF_INSERT] = "insert"
};

/* The n bytes at s as a JSON string (never NULL: the texts are UTF-8). */
static json_t *
seg_text(const char *s, size_t n)
{
	json_t	*v = json_stringn(s, n);

	return v != NULL ? v : json_string("");
}

/*
 * Segment g of the diff from a to b as {"op","text","from_start",
 * "from_end","to_start","to_end"}: the text is a's for equal and
 * delete, b's for insert.
 */
static json_t *
seg_json(const struct diff_seg *g, const char *a, const char *b)
{
	json_t	*v;

	v = json_pack("{s:s, s:I, s:I, s:I, s:I}", "op", ops[g->op],
	    "from_start", (json_int_t)g->a_start, "from_end",
	    (json_int_t)g->a_end, "to_start", (json_int_t)g->b_start,
	    "to_end", (json_int_t)g->b_end);
	json_object_set_new(v, "text", g->op == DIFF_INSERT ?
	    seg_text(b + g->b_byte, g->b_byte_end - g->b_byte) :
	    seg_text(a + g->a_byte, g->a_byte_end - g->a_byte));
	return v;
}

int
post_diff_get(struct req *r)
{
	struct diff	 d;
	const char	*a, *b, *missing;
	json_t		*segs = req_array(r);
	long long	 id, from = input_int(r, D_FROM, 0);
	long long	 to = input_int(r, D_TO, 0);
	size_t		 i;
	int		 rc;

	if ((rc = post_id(r, &id)) != 0)
		return rc;
	if ((rc = post_db_bodies(r, id, from, to, &a, &b, &missing)) < 0)
		return req_db_fail(r);
	if (rc == 0 && strcmp(missing, "post") == 0)
		return req_fail(r, 404, "not_found", NULL, NO_POST);
	if (rc == 0)
		return req_fail(r, 404, "not_found", missing, "the post has no "
		    "revision %lld", strcmp(missing, "from") == 0 ? from : to);
	diff_words(r->a, a, strlen(a), b, strlen(b), 0, &d);
	for (i = 0; i < d.n; i++)
		json_array_append_new(segs, seg_json(&d.seg[i], a, b));
	return req_view(r, 200, NULL, req_pack(r, "{s:I, s:I, s:I, s:I, s:I, "
	    "s:b, s:O}", "id", (json_int_t)id, "from", (json_int_t)from, "to",
	    (json_int_t)to, "from_chars", (json_int_t)d.a_len, "to_chars",
	    (json_int_t)d.b_len, "capped", d.capped, "segments", segs));
}
