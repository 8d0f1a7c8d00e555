/*
 * page_publish.c: publishing, scheduling and withdrawing from the
 * editor.  The form's time is a date-time input read in UTC, as every
 * time of the site is shown; the API's handlers do the work (post.h),
 * and a refusal shows the editor again with the error beside the time.
 * Open suggestions are told, never in the way.
 */
#include "config.h"

#include <string.h>

#include "app.h"
#include "arena.h"
#include "date.h"
#include "input.h"
#include "kv.h"
#include "post.h"
#include "post_page.h"
#include "req.h"

/* Whether the two characters at s are digits making at most max. */
static int
two(const char *s, int max)
{
	return s[0] >= '0' && s[0] <= '9' && s[1] >= '0' && s[1] <= '9' &&
	    (s[0] - '0') * 10 + (s[1] - '0') <= max;
}

/*
 * A date-time input's value, YYYY-MM-DDTHH:MM[:SS], read in UTC: as
 * RFC 3339 (YYYY-MM-DDTHH:MM:SSZ, in the arena), or NULL.
 */
static const char *
at_item(struct arena *a, const char *s)
{
	char	 day[11];
	size_t	 n = strlen(s);

	if (n != 16 && n != 19)
		return NULL;
	memcpy(day, s, 10);
	day[10] = '\0';
	if (!date_parse(day, NULL) || (s[10] != 'T' && s[10] != ' ') ||
	    !two(s + 11, 23) || s[13] != ':' || !two(s + 14, 59) ||
	    (n == 19 && (s[16] != ':' || !two(s + 17, 59))))
		return NULL;
	return arena_printf(a, "%.10sT%.5s:%.2sZ", s, s + 11,
	    n == 19 ? s + 17 : "00");
}

static const struct input_field publish_fields[] = {
	{ .name = "at", .type = IN_TEXT, .max = 19, .item = at_item,
	  .label = "the time", .invalid = "give a date and a time (UTC), "
	  "such as 2030-01-31 09:00, or leave it empty to publish now" },
};

const struct input_form post_page_publish_input = {
	publish_fields, 1, "posts/edit", post_page_reload_publish, 0
};
const struct input_form post_page_withdraw_input = {
	NULL, 0, "posts/edit", post_page_reload_publish, 0
};

/* After the API's handler answered 200: back to the editor. */
static int
back(struct req *r, int rc, const char *what)
{
	if (rc != 200)
		return rc;
	return req_redirect(r, arena_printf(r->a, "/posts/%s/edit?%s",
	    kv_get(&r->params, "id"), what));
}

int
post_page_publish(struct req *r)
{
	return back(r, post_publish(r), input_has(r, 0) ? "scheduled=1" :
	    "published=1");
}

int
post_page_withdraw(struct req *r)
{
	return back(r, post_withdraw(r), "withdrawn=1");
}
