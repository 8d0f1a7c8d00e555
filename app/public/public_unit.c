/*
 * public_unit.c: a unit's public page, /u/{slug}: its purpose, its tags
 * and its latest posts, and the same page for one of its tags,
 * /u/{slug}/t/{tag}.  A unit that is not approved is the same 404 as
 * one that never existed.
 */
#include "config.h"

#include "app.h"
#include "arena.h"
#include "input.h"
#include "kv.h"
#include "public.h"
#include "public_db.h"
#include "req.h"
#include "urlenc.h"

#define NO_UNIT	"there is no unit at this address"

/* The page of the unit at {slug}, its posts with tag ("" for all). */
static int
unit_page(struct req *r, const char *tag)
{
	const char		*slug = kv_get(&r->params, "slug");
	const char		*path, *next;
	struct public_page	 pg;
	json_t			*u, *posts;
	int			 rc;

	if (input_slug_problem(slug) != NULL)
		return req_fail(r, 404, "not_found", NULL, NO_UNIT);
	public_cursor(r, &pg);
	if ((rc = public_db_unit(r, slug, tag, &pg, &u)) < 0)
		return req_db_fail(r);
	if (rc == 0)
		return req_fail(r, 404, "not_found", NULL, NO_UNIT);
	path = *tag == '\0' ? arena_printf(r->a, "/u/%s", slug) :
	    arena_printf(r->a, "/u/%s/t/%s", slug, urlenc_segment(r->a, tag));
	posts = json_object_get(u, "posts");
	if ((next = public_posts(r, posts, slug, path)) != NULL)
		json_object_set_new(u, "next", json_string(next));
	json_object_set(u, "tags", public_tag_links(r,
	    json_object_get(u, "tags"), slug));
	json_object_set_new(u, "has_tags", json_boolean(json_array_size(
	    json_object_get(u, "tags")) > 0));
	json_object_set_new(u, "has_posts", json_boolean(json_array_size(
	    posts) > 0));
	json_object_set_new(u, "canonical", json_string(arena_printf(r->a,
	    "%s%s", public_base(r), path)));
	json_object_set_new(u, "feed", json_string(arena_printf(r->a,
	    "/u/%s/feed.atom", slug)));
	if (*tag != '\0')
		json_object_set_new(u, "tag", json_string(tag));
	if (pg.usec != NULL)
		json_object_set_new(u, "later", json_true());
	return req_view(r, 200, "public/unit", u);
}

int
public_unit(struct req *r)
{
	return unit_page(r, "");
}

int
public_unit_tag(struct req *r)
{
	const char	*tag = kv_get(&r->params, "tag");

	if (!public_tag_ok(tag))
		return req_fail(r, 404, "not_found", NULL, "there is no such "
		    "tag");
	return unit_page(r, tag);
}
