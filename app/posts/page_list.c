/*
 * page_list.c: a unit's posts as a page, newest change first, filtered
 * by state; each title links to the post's page, and its editor is
 * linked for those who write it.
 */
#include "config.h"

#include <string.h>

#include "app.h"
#include "arena.h"
#include "input.h"
#include "kv.h"
#include "post.h"
#include "post_db.h"
#include "post_page.h"
#include "req.h"

static const struct input_field list_fields[] = {
	{ .name = "state", .type = IN_ENUM, .allowed = post_states,
	  .invalid = "state is one of draft, scheduled, published, "
	  "withdrawn" },
};

const struct input_form post_page_list_input = {
	list_fields, 1, NULL, NULL, 1
};

static const char *const filter_labels[] = {
	"Drafts", "Scheduled", "Published", "Withdrawn"
};

int
post_page_list(struct req *r)
{
	const char	*slug = kv_get(&r->params, "slug");
	const char	*state = input_text(r, 0), *ustate;
	json_t		*list = req_array(r), *filters = req_array(r), *d;
	size_t		 i;

	if (post_db_list(r, slug, state, list) < 0)
		return req_db_fail(r);
	json_array_append_new(filters, json_pack("{s:s, s:s, s:b}", "label",
	    "All", "href", arena_printf(r->a, "/units/%s/posts", slug),
	    "current", *state == '\0'));
	for (i = 0; post_states[i] != NULL; i++)
		json_array_append_new(filters, json_pack("{s:s, s:s, s:b}",
		    "label", filter_labels[i], "href", arena_printf(r->a,
		    "/units/%s/posts?state=%s", slug, post_states[i]),
		    "current", strcmp(state, post_states[i]) == 0));
	ustate = json_string_value(json_object_get(r->unit, "state"));
	d = req_pack(r, "{s:O, s:s, s:O, s:O, s:b, s:b, s:s}", "unit",
	    r->unit, "slug", slug, "posts", list, "filters", filters,
	    "has_posts", json_array_size(list) > 0, "can_write",
	    r->unit_role != NULL && *r->unit_role != '\0' && ustate != NULL &&
	    strcmp(ustate, "approved") == 0, "state", state);
	return req_view(r, 200, "posts/list", d);
}
