/*
 * check.c: POST /api/v1/guidelines/check, the dry run: the rules a post
 * of a unit would meet today (the hub's active rules the unit does not
 * mute and its own), run over the text sent.  Nothing is stored and no
 * link is fetched.  Term patterns are compiled once per check
 * (guide_check()); nothing is cached between requests.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "arena.h"
#include "guide_check.h"
#include "guidelines.h"
#include "input.h"
#include "post.h"
#include "req.h"
#include "rules_db.h"
#include "utf8.h"

/* A tag: 1 to 50 characters, without control characters. */
static const char *
tag_item(struct arena *a, const char *s)
{
	const char	*p;
	size_t		 n = utf8_chars(s);

	(void)a;
	if (n < 1 || n > 50 || s[strspn(s, " ")] == '\0')
		return NULL;
	for (p = s; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return NULL;
	return s;
}

enum { C_TITLE, C_BODY, C_TAGS, C_CHANNELS, C_UNIT, C__MAX };

static const struct input_field check_fields[C__MAX] = {
	[C_TITLE] = { .name = "title", .type = IN_TEXT, .max = 300,
	    .label = "the title" },
	[C_BODY] = { .name = "body", .type = IN_TEXT, .flags = IN_RAW,
	    .max = 100000, .label = "the body" },
	[C_TAGS] = { .name = "tags", .type = IN_LIST, .max = 20,
	    .item = tag_item, .label = "tags", .invalid = "each tag has 1 to "
	    "50 characters, without control characters" },
	[C_CHANNELS] = { .name = "channels", .type = IN_LIST,
	    .allowed = post_channels, .label = "channels", .invalid =
	    "channels are blog, linkedin, x, facebook, instagram or other" },
	[C_UNIT] = { .name = "unit", .type = IN_SLUG, .label = "the unit" },
};

const struct input_form guide_check_input = {
	check_fields, C__MAX, NULL, NULL, 0
};

/* The strings of list i of the input, in the arena; *n set. */
static const char *const *
strings(struct req *r, size_t i, size_t *n)
{
	json_t		*l = input_list(r, i);
	const char	**v;
	size_t		 k;

	*n = json_array_size(l);
	v = arena_calloc(r->a, *n + 1, sizeof(*v));
	for (k = 0; k < *n; k++)
		v[k] = json_string_value(json_array_get(l, k));
	return v;
}

int
guide_check_post(struct req *r)
{
	struct guide_text	 t;
	json_t			*rules, *findings = req_array(r);
	int			 rc;

	if ((rc = rules_db_active(r, input_text(r, C_UNIT), &rules)) < 0)
		return req_db_fail(r);
	if (rc == 0)
		return req_fail(r, 422, "invalid", "unit", "you read the posts "
		    "of no unit at this address");
	t.title = input_text(r, C_TITLE);
	t.body = input_text(r, C_BODY);
	t.tags = strings(r, C_TAGS, &t.ntags);
	t.channels = strings(r, C_CHANNELS, &t.nchannels);
	guide_check(rules, &t, findings);
	return req_view(r, 200, NULL, req_pack(r, "{s:O}", "findings",
	    findings));
}
