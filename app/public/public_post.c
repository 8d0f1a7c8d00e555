/*
 * public_post.c: a post's public page, /u/{slug}/{post}: the published
 * version (an edit shows only once published), rendered from CommonMark
 * in safe mode, with its author, dates, tags and unit, its canonical
 * address and the Open Graph and Twitter card meta that link previews
 * read.  A withdrawn post is 410 Gone; anything else not public is 404.
 */
#include "config.h"

#include <string.h>

#include "app.h"
#include "arena.h"
#include "input.h"
#include "kv.h"
#include "public.h"
#include "public_db.h"
#include "req.h"

#define NO_POST	"there is no post at this address"

int
public_post(struct req *r)
{
	const char	*unit = kv_get(&r->params, "slug");
	const char	*slug = kv_get(&r->params, "post");
	json_t		*p;
	int		 rc;

	if (input_slug_problem(unit) != NULL || !public_slug_ok(slug))
		return req_fail(r, 404, "not_found", NULL, NO_POST);
	if ((rc = public_db_post(r, unit, slug, &p)) < 0)
		return req_db_fail(r);
	if (rc == 0)
		return req_fail(r, 404, "not_found", NULL, NO_POST);
	if (strcmp(json_string_value(json_object_get(p, "state")),
	    "published") != 0)
		return req_fail(r, 410, "gone", NULL, "this post was withdrawn "
		    "by its unit");
	json_object_set_new(p, "body_html", json_string(public_html(r,
	    json_string_value(json_object_get(p, "body")))));
	json_object_del(p, "body");
	json_object_set(p, "tags", public_tag_links(r,
	    json_object_get(p, "tags"), NULL));
	json_object_set_new(p, "has_tags", json_boolean(json_array_size(
	    json_object_get(p, "tags")) > 0));
	json_object_set_new(p, "updated", json_boolean(!json_equal(
	    json_object_get(p, "published_at"), json_object_get(p,
	    "updated_at"))));
	json_object_set_new(p, "canonical", json_string(arena_printf(r->a,
	    "%s/u/%s/%s", public_base(r), unit, slug)));
	json_object_set_new(p, "feed", json_string(arena_printf(r->a,
	    "/u/%s/feed.atom", unit)));
	return req_view(r, 200, "public/post", p);
}
