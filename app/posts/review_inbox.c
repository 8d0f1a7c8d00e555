/*
 * review_inbox.c: what asks for a person's attention: review requests,
 * suggestions and comments on their posts, replies to their comments,
 * decisions on their suggestions.  Triggers fill it (sql/014_posts.sql);
 * its owner reads it and marks it read.
 */
#include "config.h"

#include <limits.h>
#include <stdlib.h>

#include "app.h"
#include "arena.h"
#include "input.h"
#include "req.h"
#include "review.h"
#include "review_db.h"

/* An inbox item's id, as an item of a list. */
static const char *
review_id_item(struct arena *a, const char *s)
{
	long long	 n;

	(void)a;
	return input_digits(s, 1, LLONG_MAX, &n) ? s : NULL;
}

enum { B_IDS, B_ALL, B__MAX };

static const struct input_field read_fields[B__MAX] = {
	[B_IDS] = { .name = "ids", .type = IN_LIST, .max = 1000,
	    .item = review_id_item, .label = "the items", .invalid =
	    "each item is the id of an item of your inbox" },
	[B_ALL] = { .name = "all", .type = IN_BOOL, .label = "all" },
};

const struct input_form inbox_read_input = {
	read_fields, B__MAX, NULL, NULL, 0
};

int
inbox_get(struct req *r)
{
	json_t	*out;

	if (review_db_inbox(r, &out) < 0)
		return req_db_fail(r);
	return req_view(r, 200, NULL, out);
}

int
inbox_read(struct req *r)
{
	json_t	*ids = input_list(r, B_IDS), *out;
	char	*text;
	int	 all = input_bool(r, B_ALL, 0), rc;

	if (!all && json_array_size(ids) == 0)
		return req_fail(r, 422, "missing", "ids", "name the items to "
		    "mark read, or ask for all of them");
	text = ids != NULL ? json_dumps(ids, JSON_COMPACT) : NULL;
	rc = review_db_inbox_read(r, all, arena_strdup(r->a, text != NULL ?
	    text : "[]"), &out);
	free(text);
	if (rc < 0)
		return req_db_fail(r);
	if (r->fmt == FMT_HTML)
		return req_redirect(r, "/inbox?read=1");
	return req_view(r, 200, NULL, out);
}
