/*
 * review_request.c: the post's authors ask chosen people for a review:
 * the unit's editors and owners or the hub's communicators and admins.
 * Each is told in their inbox (a trigger) and by e-mail, queued in the
 * transaction of the request.
 */
#include "config.h"

#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "app.h"
#include "arena.h"
#include "input.h"
#include "log.h"
#include "page.h"
#include "outbox.h"
#include "req.h"
#include "review.h"
#include "review_db.h"
#include "session.h"

/* An e-mail address, in lower case, as an item of a list. */
static const char *
review_email_item(struct arena *a, const char *s)
{
	char	*t, *p;

	if (!input_email_valid(s))
		return NULL;
	t = arena_strdup(a, s);
	for (p = t; *p != '\0'; p++)
		*p = (char)tolower((unsigned char)*p);
	return t;
}

enum { R_REVIEWERS, R__MAX };

static const struct input_field request_fields[R__MAX] = {
	[R_REVIEWERS] = { .name = "reviewers", .type = IN_LIST,
	    .flags = IN_REQUIRED, .max = 20, .item = review_email_item,
	    .label = "the reviewers", .missing = "name at least one reviewer "
	    "by e-mail address", .invalid = "each reviewer is an e-mail "
	    "address, such as name@example.org" },
};

const struct input_form review_request_input = {
	request_fields, R__MAX, NULL, NULL, 0
};

/* The same, from the post's page, which shows it again. */
const struct input_form page_request_input = {
	request_fields, R__MAX, "posts/post", post_page_again, 0
};

/* The first address of want that asked lists no one for, or NULL. */
static const char *
missing(json_t *want, json_t *asked)
{
	json_t		*w, *a;
	size_t		 i, j;
	const char	*e;

	json_array_foreach(want, i, w) {
		e = json_string_value(w);
		json_array_foreach(asked, j, a)
			if (strcasecmp(e, json_string_value(json_object_get(a,
			    "email"))) == 0)
				break;
		if (j == json_array_size(asked))
			return e;
	}
	return NULL;
}

int
review_request_post(struct req *r)
{
	const char	*id = kv_get(&r->params, "id"), *miss;
	json_t		*want = input_list(r, R_REVIEWERS), *out, *asked;
	char		*emails;
	long long	 n;
	int		 rc = 0;

	emails = json_dumps(want, JSON_COMPACT);
	if (input_digits(id, 1, LLONG_MAX, &n))
		rc = review_db_request(r, id, arena_strdup(r->a, emails), &out);
	free(emails);
	if (rc < 0)
		return req_db_fail(r);
	if (rc == 0)
		return req_fail(r, 404, "not_found", NULL, "there is no such "
		    "post");
	asked = json_object_get(out, "asked");
	if ((miss = missing(want, asked)) != NULL)
		return input_fail(r, 422, "invalid", "reviewers", "%s is not "
		    "someone who reviews this unit's posts: a reviewer is an "
		    "editor or owner of the unit or a hub communicator or "
		    "admin", miss);
	if (review_tell(r, out, 0) < 0)
		return req_db_fail(r);
	logm(L_INFO, r->id, "review requested post=%s reviewers=%zu "
	    "person=%lld", id, json_array_size(asked), r->sess->p.id);
	if (r->fmt == FMT_HTML)
		return req_redirect(r, arena_printf(r->a, "/posts/%s?done="
		    "requested", id));
	return req_view(r, 201, NULL, req_pack(r, "{s:I, s:O}", "post",
	    (json_int_t)n, "requested", asked));
}
