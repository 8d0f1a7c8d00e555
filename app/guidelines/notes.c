/*
 * notes.c: dismissing a guideline note, a finding without a span in the
 * body (sql/036_guide_notes.sql).  Row-level security decides who may:
 * the post's author and co-authors; the handler only names the refusal.
 */
#include "config.h"

#include <limits.h>
#include <string.h>

#include "app.h"
#include "arena.h"
#include "findings_db.h"
#include "guide_save.h"
#include "input.h"
#include "kv.h"
#include "log.h"
#include "req.h"
#include "session.h"

int
guide_note_dismiss(struct req *r)
{
	const char	*id = kv_get(&r->params, "id"), *was = "";
	json_t		*note;
	long long	 n;
	int		 rc, seen = 0;

	if (!input_digits(id, 1, LLONG_MAX, &n) || (rc = findings_db_dismiss(
	    r, id, &note, &seen, &was)) == 0) {
		if (seen && strcmp(was, "open") != 0)
			return req_fail(r, 409, "conflict", NULL, "this note "
			    "was already %s", was);
		if (seen)
			return req_fail(r, 403, "forbidden", NULL, "only the "
			    "post's author and co-authors dismiss its notes");
		return req_fail(r, 404, "not_found", NULL, "there is no such "
		    "note");
	}
	if (rc < 0)
		return req_db_fail(r);
	logm(L_INFO, r->id, "guideline note dismissed id=%s person=%lld", id,
	    r->sess->p.id);
	if (r->fmt == FMT_HTML)
		return req_redirect(r, arena_printf(r->a, "/posts/%lld/edit"
		    "?dismissed=1#guideline-notes", (long long)
		    json_integer_value(json_object_get(note, "post"))));
	return req_view(r, 200, NULL, note);
}
