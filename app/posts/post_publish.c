/*
 * post_publish.c: publishing a post now or at a time, and withdrawing
 * it.  Nothing but the post's state and the unit's decides: open
 * suggestions, requested reviews and guideline findings never block
 * publishing (their number is recorded with the publication).  The
 * database records each publication and queues post.published (or
 * post.withdrawn) for the job worker in the same transaction; the audit
 * log gets a row for each change.
 */
#include "config.h"

#include <string.h>

#include "app.h"
#include "arena.h"
#include "audit.h"
#include "date.h"
#include "input.h"
#include "log.h"
#include "post.h"
#include "post_db.h"
#include "public.h"
#include "req.h"
#include "session.h"

/* Whether the two characters at s are digits making at most max. */
static int
two(const char *s, int max)
{
	return s[0] >= '0' && s[0] <= '9' && s[1] >= '0' && s[1] <= '9' &&
	    (s[0] - '0') * 10 + (s[1] - '0') <= max;
}

/*
 * A date-time of RFC 3339 section 5.6 (with its time offset, Z or
 * +hh:mm; T or a space between date and time), a day that exists: s,
 * or NULL.
 */
static const char *
post_time_item(struct arena *a, const char *s)
{
	char		 day[11];
	const char	*p;

	(void)a;
	if (strlen(s) < 20)
		return NULL;
	memcpy(day, s, 10);
	day[10] = '\0';
	if (!date_parse(day, NULL) || strchr("Tt ", s[10]) == NULL)
		return NULL;
	p = s + 11;
	if (!two(p, 23) || p[2] != ':' || !two(p + 3, 59) || p[5] != ':' ||
	    !two(p + 6, 59))
		return NULL;
	p += 8;
	if (*p == '.') {
		if (*++p < '0' || *p > '9')
			return NULL;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	if (*p == 'Z' || *p == 'z')
		return p[1] == '\0' ? s : NULL;
	if ((*p != '+' && *p != '-') || !two(p + 1, 23) || p[3] != ':' ||
	    !two(p + 4, 59) || p[6] != '\0')
		return NULL;
	return s;
}

static const struct input_field publish_fields[] = {
	{ .name = "at", .type = IN_TEXT, .max = 40, .item = post_time_item,
	  .label = "at", .invalid = "at is an RFC 3339 time with its offset, "
	  "such as 2030-01-31T09:00:00Z; leave it out to publish now" },
};

const struct input_form post_publish_input = {
	publish_fields, 1, NULL, NULL, 0
};

/* Audit move action of post id in unit, from state before to *after. */
static int
post_audit(struct req *r, const char *action, long long id, long long unit,
    const char *before, json_t *after)
{
	return audit_add(r, action, "post", arena_printf(r->a, "%lld", id),
	    unit, req_pack(r, "{s:s}", "state", before), after);
}

int
post_publish(struct req *r)
{
	const char	*at = input_text(r, 0), *before, *state;
	json_t		*p;
	long long	 id, unit;
	int		 rc;

	if ((rc = post_id(r, &id)) != 0)
		return rc;
	if ((rc = post_db_publish(r, id, at, &p, &before, &unit)) <= 0)
		return post_refused(r, id);
	state = json_string_value(json_object_get(p, "state"));
	if (json_is_true(json_object_get(p, "changed")) && post_audit(r,
	    strcmp(state, "scheduled") == 0 ? "post.schedule" :
	    "post.publish", id, unit, before, p) < 0)
		return req_db_fail(r);
	if (public_post_url(r, id, p) < 0)
		return req_db_fail(r);
	logm(L_INFO, r->id, "post %s id=%lld person=%lld", state, id,
	    r->sess->p.id);
	return req_view(r, 200, NULL, p);
}

int
post_withdraw(struct req *r)
{
	const char	*before, *state;
	json_t		*p;
	long long	 id, unit;
	int		 rc;

	if ((rc = post_id(r, &id)) != 0)
		return rc;
	if ((rc = post_db_withdraw(r, id, &p, &before, &unit)) <= 0)
		return post_refused(r, id);
	state = json_string_value(json_object_get(p, "state"));
	if (strcmp(before, state) != 0 && post_audit(r, strcmp(state,
	    "draft") == 0 ? "post.unschedule" : "post.withdraw", id, unit,
	    before, p) < 0)
		return req_db_fail(r);
	logm(L_INFO, r->id, "post %s id=%lld person=%lld", state, id,
	    r->sess->p.id);
	return req_view(r, 200, NULL, p);
}
