/*
 * public_tag.c: a tag's page across the confederation, /t/{tag}: the
 * latest posts of approved units with that tag.  A tag no public post
 * carries is 404.
 */
#include "config.h"

#include "app.h"
#include "arena.h"
#include "kv.h"
#include "public.h"
#include "public_db.h"
#include "req.h"
#include "urlenc.h"

#define NO_TAG	"no published post has this tag"

int
public_tag(struct req *r)
{
	const char		*tag = kv_get(&r->params, "tag"), *path, *next;
	struct public_page	 pg;
	json_t			*d, *posts;

	if (!public_tag_ok(tag))
		return req_fail(r, 404, "not_found", NULL, NO_TAG);
	public_cursor(r, &pg);
	if (public_db_tag(r, tag, &pg, &d) < 0)
		return req_db_fail(r);
	posts = json_object_get(d, "posts");
	if (json_array_size(posts) == 0 && pg.usec == NULL)
		return req_fail(r, 404, "not_found", NULL, NO_TAG);
	path = arena_printf(r->a, "/t/%s", urlenc_segment(r->a, tag));
	if ((next = public_posts(r, posts, NULL, path)) != NULL)
		json_object_set_new(d, "next", json_string(next));
	json_object_set_new(d, "tag", json_string(tag));
	json_object_set_new(d, "has_posts", json_boolean(json_array_size(
	    posts) > 0));
	json_object_set_new(d, "canonical", json_string(arena_printf(r->a,
	    "%s%s", public_base(r), path)));
	json_object_set_new(d, "feed", json_string(arena_printf(r->a,
	    "%s/feed.atom", path)));
	if (pg.usec != NULL)
		json_object_set_new(d, "later", json_true());
	return req_view(r, 200, "public/tag", d);
}
