/*
 * post_save.c: saving a post's text as a new revision, with optimistic
 * concurrency.  The client names the revision its text was written from
 * in If-Match (RFC 9110 section 13.1.1), the ETag of GET; the database
 * numbers the new revision base + 1, so of two saves from one base
 * exactly one wins (sql/014_posts.sql).  The other is answered 412 with
 * the current post and the text that was sent, so nothing typed is
 * lost.
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
#include "req.h"
#include "session.h"

/* A list, "*" or a weak tag is not one revision (post.h). */
int
post_if_match(struct req *r, long long *base)
{
	const char	*h = req_env(r, "HTTP_IF_MATCH"), *e;
	char		*digits;

	if (h == NULL || h[strspn(h, " \t")] == '\0')
		return req_fail(r, 428, "precondition_required", "If-Match",
		    "say which revision this text was written from: "
		    "If-Match: \"<revision>\", the ETag of GET");
	h += strspn(h, " \t");
	e = h + strlen(h);
	while (e > h && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	if (e - h < 3 || *h != '"' || e[-1] != '"' ||
	    (digits = arena_strndup(r->a, h + 1, (size_t)(e - h - 2))) ==
	    NULL || !input_digits(digits, 1, 2147483647, base))
		return req_fail(r, 400, "invalid", "If-Match", "If-Match is "
		    "one revision as GET gives it in ETag, such as \"3\"");
	return 0;
}

/*
 * Another save came first: 412 with the error, the post as it is now
 * and the text that was sent (t, written from base), so that the
 * client can show both and merge.
 */
static int
post_stale(struct req *r, long long id, long long base,
    const struct post_text *t)
{
	const struct db_refusal	*m = db_refusal(r->db, NULL);
	json_t			*now, *sent;
	int			 rc;

	if (db_tx_restart(r->db) < 0 ||
	    (rc = post_db_get(r, id, &now, NULL)) < 0)
		return req_db_fail(r);
	if (rc == 0)
		return req_fail(r, 404, "not_found", NULL, "there is no post "
		    "at this address");
	sent = req_pack(r, "{s:I, s:s, s:s, s:o, s:o}", "base",
	    (json_int_t)base, "title", t->title, "body", t->body, "tags",
	    json_loads(t->tags, 0, NULL), "channels",
	    json_loads(t->channels, 0, NULL));
	post_etag(r, json_integer_value(json_object_get(now, "revision")));
	return req_view(r, m->status, NULL, req_pack(r, "{s:{s:s, s:s, s:s}, "
	    "s:O, s:O}", "error", "code", m->code, "field", "If-Match",
	    "message", arena_printf(r->a, "%s: it is at revision %lld, this "
	    "text was written from revision %lld", m->message,
	    (long long)json_integer_value(json_object_get(now, "revision")),
	    base), "current", now, "yours", sent));
}

int
post_put(struct req *r)
{
	const struct db_refusal	*m;
	struct post_text	 t;
	json_t			*saved, *open, *notes;
	long long		 id, base, rev;
	int			 rc;

	if ((rc = post_id(r, &id)) != 0 ||
	    (rc = post_if_match(r, &base)) != 0 ||
	    (rc = post_text_read(r, &t)) != 0)
		return rc;
	if ((rc = post_db_save(r, id, base, &t, &saved)) == 0)
		return req_fail(r, 404, "not_found", NULL, "there is no post "
		    "at this address");
	if (rc < 0) {
		if ((m = db_refusal(r->db, NULL)) != NULL && m->status == 412)
			return post_stale(r, id, base, &t);
		return post_refused(r, id);
	}
	if (post_authors_given(r) &&
	    (rc = post_authors_put(r, id, post_authors_read(r))) != 0)
		return rc;
	rev = json_integer_value(json_object_get(saved, "revision"));
	if (guide_save_check(r, id, rev, &open, &notes) < 0)
		return req_db_fail(r);
	json_object_set(saved, "suggestions", open);
	json_object_set(saved, "guideline_notes", notes);
	logm(L_INFO, r->id, "post saved id=%lld revision=%lld person=%lld",
	    id, rev, r->sess->p.id);
	post_etag(r, rev);
	return req_view(r, 200, NULL, saved);
}

int
post_restore(struct req *r)
{
	const struct db_refusal	*m;
	json_t			*saved, *now, *open, *notes;
	long long		 id, n, base, rev;
	int			 rc;

	if ((rc = post_id(r, &id)) != 0)
		return rc;
	if (!input_digits(kv_get(&r->params, "n"), 1, 2147483647, &n))
		return req_fail(r, 404, "not_found", NULL, "there is no such "
		    "revision of this post");
	if ((rc = post_if_match(r, &base)) != 0)
		return rc;
	if ((rc = post_db_restore(r, id, n, base, &saved)) < 0) {
		if ((m = db_refusal(r->db, NULL)) == NULL || m->status != 412)
			return post_refused(r, id);
		if (db_tx_restart(r->db) < 0 ||
		    (rc = post_db_get(r, id, &now, NULL)) < 0)
			return req_db_fail(r);
		if (rc == 0)
			return req_fail(r, 404, "not_found", NULL, "there is "
			    "no post at this address");
		post_etag(r, json_integer_value(json_object_get(now,
		    "revision")));
		return req_view(r, 412, NULL, req_pack(r, "{s:{s:s, s:s, "
		    "s:s}, s:O}", "error", "code", m->code, "field",
		    "If-Match", "message", m->message, "current", now));
	}
	if (rc == 0) {
		/* The post is there and readable, or not at all. */
		if ((rc = post_db_get(r, id, NULL, NULL)) < 0)
			return req_db_fail(r);
		return req_fail(r, 404, "not_found", NULL, rc == 0 ?
		    "there is no post at this address" : "there is no such "
		    "revision of this post");
	}
	rev = json_integer_value(json_object_get(saved, "revision"));
	if (guide_save_check(r, id, rev, &open, &notes) < 0)
		return req_db_fail(r);
	json_object_set(saved, "suggestions", open);
	json_object_set(saved, "guideline_notes", notes);
	logm(L_INFO, r->id, "post restored id=%lld revision=%lld from=%lld "
	    "person=%lld", id, rev, n, r->sess->p.id);
	post_etag(r, rev);
	return req_view(r, 201, NULL, saved);
}
