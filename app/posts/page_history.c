/*
 * page_history.c: a post's revisions as a page (number, who, when,
 * restored from, published), the word diff between any two of them,
 * and restoring one as a new revision.  Its readers see the history;
 * its writers restore.
 */
#include "config.h"

#include <string.h>

#include "app.h"
#include "arena.h"
#include "db.h"
#include "guide_save.h"
#include "input.h"
#include "kv.h"
#include "log.h"
#include "post.h"
#include "post_db.h"
#include "post_page.h"
#include "req.h"
#include "session.h"

#define NO_POST	"there is no post at this address"

enum { H_FROM, H_TO, H__MAX };

static const struct input_field history_fields[H__MAX] = {
	[H_FROM] = { .name = "from", .type = IN_INT, .min = 1,
	    .max = 2147483647, .label = "from", .invalid = "from is the "
	    "number of a revision" },
	[H_TO] = { .name = "to", .type = IN_INT, .min = 1,
	    .max = 2147483647, .label = "to", .invalid = "to is the number "
	    "of a revision" },
};

const struct input_form post_page_history_input = {
	history_fields, H__MAX, NULL, NULL, 1
};

static json_t	*restore_page(struct req *, json_t *, const char *,
		    const char *);

static const struct input_field restore_fields[] = {
	{ .name = "base", .type = IN_INT, .flags = IN_REQUIRED, .min = 1,
	  .max = 2147483647, .label = "the revision", .invalid = "the form "
	  "names the latest revision it saw; open the history again",
	  .missing = "the form names the latest revision it saw; open the "
	  "history again" },
};

const struct input_form post_page_restore_input = {
	restore_fields, 1, "posts/history", restore_page, 0
};

/*
 * The history of post id compared from..to (0: the two latest), as the
 * page's view (arena-owned), or NULL after answering 404 or a failure.
 */
static json_t *
history(struct req *r, long long id, long long from, long long to)
{
	struct post_head	 h;
	const char		*a, *b, *missing;
	json_t			*p, *revs = req_array(r), *v, *d;
	long long		 n;
	size_t			 i;
	int			 rc;

	if ((rc = post_db_get(r, id, &p, &h)) < 0 ||
	    (rc > 0 && (rc = post_db_revisions(r, id, revs)) < 0)) {
		req_db_fail(r);
		return NULL;
	}
	if (rc == 0) {
		req_fail(r, 404, "not_found", NULL, NO_POST);
		return NULL;
	}
	if (to == 0)
		to = h.revision;
	if (from == 0)
		from = to > 1 ? to - 1 : to;
	json_array_foreach(revs, i, v) {
		n = json_integer_value(json_object_get(v, "revision"));
		json_object_set_new(v, "sel_from", json_boolean(n == from));
		json_object_set_new(v, "sel_to", json_boolean(n == to));
		json_object_set_new(v, "latest", json_boolean(n ==
		    h.revision));
	}
	d = req_pack(r, "{s:O, s:O, s:O, s:I, s:I, s:I, s:b}", "post", p,
	    "revisions", revs, "can_restore", json_object_get(p, "can_edit"),
	    "from", (json_int_t)from, "to", (json_int_t)to, "latest_n",
	    (json_int_t)h.revision, "writer", h.writer);
	if ((rc = post_db_bodies(r, id, from, to, &a, &b, &missing)) < 0) {
		req_db_fail(r);
		return NULL;
	}
	if (rc == 0)
		json_object_set_new(d, "missing", json_string(arena_printf(
		    r->a, "This post has no revision %lld.",
		    strcmp(missing, "from") == 0 ? from : to)));
	else
		json_object_set_new(d, "diff_html", json_string(
		    post_diff_html(r, a, b)));
	return d;
}

int
post_page_history(struct req *r)
{
	json_t		*d;
	long long	 id;
	int		 rc;

	if ((rc = post_id(r, &id)) != 0)
		return rc;
	if ((d = history(r, id, input_int(r, H_FROM, 0),
	    input_int(r, H_TO, 0))) == NULL)
		return r->resp.status;
	post_page_notice(r, d);
	return req_view(r, 200, "posts/history", d);
}

static json_t *
restore_page(struct req *r, json_t *values, const char *field,
    const char *msg)
{
	long long	 id;

	(void)values;
	(void)field;
	(void)msg;
	if (post_id(r, &id) != 0)
		return NULL;
	return history(r, id, 0, 0);
}

int
post_page_restore(struct req *r)
{
	const struct db_refusal	*m;
	json_t			*saved, *d, *open, *notes;
	long long		 id, n, rev;
	int			 rc;

	if ((rc = post_id(r, &id)) != 0)
		return rc;
	if (!input_digits(kv_get(&r->params, "n"), 1, 2147483647, &n))
		return req_fail(r, 404, "not_found", NULL, "there is no such "
		    "revision of this post");
	if ((rc = post_db_restore(r, id, n, input_int(r, 0, 0), &saved)) ==
	    0)
		return req_fail(r, 404, "not_found", NULL, "there is no such "
		    "revision of this post");
	if (rc < 0) {
		if ((m = db_refusal(r->db, NULL)) == NULL || m->status != 412)
			return post_refused(r, id);
		if (db_tx_restart(r->db) < 0)
			return req_db_fail(r);
		if ((d = history(r, id, 0, 0)) == NULL)
			return r->resp.status;
		return input_show(r, 409, "posts/history", d, "stale", NULL,
		    "Someone saved this post since you opened its history: "
		    "look at the latest revision, then restore again if you "
		    "still want to.");
	}
	rev = json_integer_value(json_object_get(saved, "revision"));
	if (guide_save_check(r, id, rev, &open, &notes) < 0)
		return req_db_fail(r);
	logm(L_INFO, r->id, "post restored id=%lld revision=%lld from=%lld "
	    "person=%lld", id, rev, n, r->sess->p.id);
	return req_redirect(r, arena_printf(r->a, "/posts/%lld/edit?"
	    "restored=%lld", id, rev));
}
