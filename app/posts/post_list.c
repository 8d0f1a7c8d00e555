/*
 * post_list.c: a unit's posts, and a new draft in it, as JSON.  The
 * route table names what each route needs of the unit (post_unit_read,
 * post_unit_write); row-level security decides the rest.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "app.h"
#include "arena.h"
#include "guide_save.h"
#include "input.h"
#include "kv.h"
#include "log.h"
#include "post.h"
#include "post_db.h"
#include "req.h"
#include "review.h"
#include "resp.h"
#include "router.h"
#include "session.h"

/* Members and the hub read; anyone else is told there is no unit. */
const struct route_unit post_unit_read = { "guest", UNIT_HUB | UNIT_DENY_404 |
	UNIT_LIGHT, NULL, "there is no unit at this address", NULL };

/* Members write (a guest until their last day), in an approved unit. */
const struct route_unit post_unit_write = { "guest", UNIT_HIDE | UNIT_LIGHT,
	"approved",
	"only the unit's members write posts", "posts are written in an "
	"approved unit only: a suspended unit's posts are read, an archived "
	"unit's are read-only" };

static const struct input_field list_fields[] = {
	{ .name = "state", .type = IN_ENUM, .allowed = post_states,
	  .invalid = "state is one of draft, scheduled, published, "
	  "withdrawn" },
};

const struct input_form post_list_input = {
	list_fields, 1, NULL, NULL, 1
};

int
post_list(struct req *r)
{
	json_t	*list = req_array(r);

	if (post_db_list(r, kv_get(&r->params, "slug"), input_text(r, 0),
	    list) < 0)
		return req_db_fail(r);
	return req_view(r, 200, NULL, req_pack(r, "{s:O}", "posts", list));
}

int
post_created(struct req *r, const char *slug, const struct post_made *m,
    const struct post_text *t, json_t **open, json_t **notes,
    json_t **asked)
{
	*asked = NULL;
	if (guide_save_new(r, m->unit, m->id, t->title, t->body,
	    req_json_own(r, json_loads(t->tags, 0, NULL)),
	    req_json_own(r, json_loads(t->channels, 0, NULL)), m->rules,
	    open, notes) < 0)
		return -1;
	/* Only these modes ask anyone (ch_auto_reviewers()). */
	if ((strcmp(m->mode, "peer") == 0 ||
	    strcmp(m->mode, "hub_advisory") == 0) &&
	    review_auto(r, m->id, asked) < 0)
		return -1;
	logm(L_INFO, r->id, "post created id=%lld unit=%s person=%lld", m->id,
	    slug, r->sess->p.id);
	return 1;
}

int
post_create(struct req *r)
{
	struct post_text	 t;
	struct post_made	 m;
	const char		*slug = kv_get(&r->params, "slug");
	json_t			*asked = NULL, *open = NULL, *notes = NULL;
	int			 rc;

	if ((rc = post_text_read(r, &t)) != 0)
		return rc;
	if ((rc = post_db_create(r, slug, &t, &m)) < 0)
		return req_db_fail(r);
	if (rc == 0)
		return req_fail(r, 404, "not_found", NULL, "there is no unit "
		    "at this address");
	if (post_authors_given(r) &&
	    (rc = post_authors_put(r, m.id, post_authors_read(r))) != 0)
		return rc;
	if (post_created(r, slug, &m, &t, &open, &notes, &asked) < 0)
		return req_db_fail(r);
	post_etag(r, 1);
	resp_header(r, "Location", arena_printf(r->a, "/api/v1/posts/%lld",
	    m.id));
	return req_view(r, 201, NULL, req_pack(r, "{s:I, s:i, s:s, s:O, "
	    "s:O, s:O}", "id", (json_int_t)m.id, "revision", 1, "state",
	    "draft", "suggestions", open, "guideline_notes", notes,
	    "reviewers_asked", asked != NULL ? asked : req_array(r)));
}
