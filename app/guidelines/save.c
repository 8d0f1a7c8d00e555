/*
 * save.c: the guideline checks of every save.  The revision just
 * written and its unit's rules are read in one statement, the rules run
 * over it once (guide_check(): each pattern compiled once for the call,
 * every match within guide_match()'s budget), and the findings are
 * recorded in one more (ch_guide_findings()), inside the save's
 * transaction, unless nothing was found and nothing is open.  A new
 * post's text is not read back: ch_post_create() answers the rules
 * beside the post (guide_save_new()).  A rule that finds something
 * never refuses the save.
 */
#include "config.h"

#include <stdlib.h>

#include "app.h"
#include "arena.h"
#include "findings_db.h"
#include "guide_check.h"
#include "guide_links.h"
#include "guide_save.h"
#include "log.h"
#include "req.h"

/* The strings of the JSON array a, borrowed, in the arena; *n set. */
static const char *const *
strings(struct req *r, json_t *a, size_t *n)
{
	const char	**v;
	size_t		  i;

	*n = 0;
	v = arena_calloc(r->a, json_array_size(a) + 1, sizeof(*v));
	for (i = 0; i < json_array_size(a); i++)
		if (json_is_string(json_array_get(a, i)))
			v[(*n)++] = json_string_value(json_array_get(a, i));
	return v;
}

/*
 * Run rules over revision rev of post id of unit, its text v, and record
 * what they found unless nothing was found and nothing is open.
 */
static int
check(struct req *r, const struct findings_rev *v, long long id,
    long long rev, json_t **open, json_t **notes)
{
	struct guide_text	 t;
	json_t			*found;
	const char		*text;
	char			*s;

	/* Links are the job worker's to check: one job for the revision. */
	if (guide_links_queue(r, v->unit, id, rev, v->body) < 0)
		return -1;
	t.title = v->title;
	t.body = v->body;
	t.tags = strings(r, v->tags, &t.ntags);
	t.channels = strings(r, v->channels, &t.nchannels);
	found = req_array(r);
	if (json_array_size(v->rules) > 0)
		guide_check(v->rules, &t, found);
	/* Nothing found and nothing open: nothing to record. */
	if (json_array_size(found) == 0 && !v->has_open)
		return 1;
	s = json_dumps(found, JSON_COMPACT);
	text = arena_strdup(r->a, s != NULL ? s : "[]");
	free(s);
	if (findings_db_apply(r, v->unit, id, rev, text, open, notes) < 0)
		return -1;
	logm(L_INFO, r->id, "guidelines checked post=%lld revision=%lld "
	    "rules=%zu found=%zu open=%zu notes=%zu", id, rev,
	    json_array_size(v->rules), json_array_size(found),
	    json_array_size(*open), json_array_size(*notes));
	return 1;
}

int
guide_save_check(struct req *r, long long id, long long rev, json_t **open,
    json_t **notes)
{
	struct findings_rev	 v;
	int			 rc;

	*open = req_array(r);
	*notes = req_array(r);
	if ((rc = findings_db_load(r, id, rev, &v)) < 0)
		return -1;
	if (rc == 0)
		return 1;
	return check(r, &v, id, rev, open, notes);
}

int
guide_save_new(struct req *r, long long unit, long long id,
    const char *title, const char *body, json_t *tags, json_t *channels,
    json_t *rules, json_t **open, json_t **notes)
{
	struct findings_rev	 v;

	*open = req_array(r);
	*notes = req_array(r);
	v.unit = unit;
	v.title = title;
	v.body = body;
	v.tags = tags;
	v.channels = channels;
	v.rules = rules;
	v.has_open = 0;
	return check(r, &v, id, 1, open, notes);
}
