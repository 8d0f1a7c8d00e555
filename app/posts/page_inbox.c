/*
 * page_inbox.c: the inbox as a page: what asks for the person's
 * attention, unread first, each item saying who did what and linking to
 * its post (or its unit, for a decision on it), with "Mark read" per
 * unread item and "Mark all read" (POST /inbox/read, review_inbox.c).
 */
#include "config.h"

#include <string.h>

#include "app.h"
#include "arena.h"
#include "kv.h"
#include "page.h"
#include "req.h"
#include "review_db.h"

/* What an item of each kind says its actor did. */
static const struct {
	const char	*kind, *did, *anchor;
} kinds[] = {
	{ "review_request", "asked you to review", "" },
	{ "suggestion", "suggested a change to", "#suggestions" },
	{ "comment", "commented on", "#comments" },
	{ "reply", "answered your comment on", "#comments" },
	{ "decision", "decided on your suggestion to", "#decided" },
	{ "unit_decision", "decided on your unit", "" },
};

/* Say what item i did and where it links. */
static void
item(struct req *r, json_t *i)
{
	const char	*kind = json_string_value(json_object_get(i, "kind"));
	json_t		*post = json_object_get(i, "post");
	size_t		 k;

	for (k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++)
		if (strcmp(kind, kinds[k].kind) == 0)
			break;
	if (k == sizeof(kinds) / sizeof(kinds[0]))
		return;
	json_object_set_new(i, "did", json_string(kinds[k].did));
	if (json_is_integer(post))
		json_object_set_new(i, "href", json_string(arena_printf(r->a,
		    "/posts/%lld%s", (long long)json_integer_value(post),
		    kinds[k].anchor)));
	else
		json_object_set_new(i, "href", json_string(arena_printf(r->a,
		    "/units/%s", json_string_value(json_object_get(i,
		    "unit")))));
	if (!json_is_string(json_object_get(i, "actor")))
		json_object_set_new(i, "actor", json_string("Someone"));
}

int
inbox_page(struct req *r)
{
	json_t	*out, *i;
	size_t	 n;

	if (review_db_inbox(r, &out) < 0)
		return req_db_fail(r);
	json_array_foreach(json_object_get(out, "items"), n, i)
		item(r, i);
	json_object_set_new(out, "has_items", json_boolean(json_array_size(
	    json_object_get(out, "items")) > 0));
	json_object_set_new(out, "has_unread", json_boolean(
	    json_integer_value(json_object_get(out, "unread")) > 0));
	if (kv_get(&r->query, "read") != NULL)
		json_object_set_new(out, "notice", json_string("Marked read."));
	return req_view(r, 200, "posts/inbox", out);
}
