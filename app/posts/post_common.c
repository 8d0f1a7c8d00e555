/*
 * post_common.c: what the posts handlers share: a post's number from the
 * route, its text as declared input, and the answer to a write the
 * database refused, worded from the post as the acting person sees it.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "arena.h"
#include "db.h"
#include "input.h"
#include "kv.h"
#include "post.h"
#include "post_db.h"
#include "req.h"
#include "resp.h"
#include "utf8.h"

#define NO_POST	"there is no post at this address"

const char *const post_channels[] = {
	"blog", "linkedin", "x", "facebook", "instagram", "other", NULL
};

const char *const post_states[] = {
	"draft", "scheduled", "published", "withdrawn", NULL
};

/* A tag: 1 to 50 characters, no control characters, kept as given. */
static const char *
post_tag_item(struct arena *a, const char *s)
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

/* A co-author: an e-mail address, kept as given. */
static const char *
post_email_item(struct arena *a, const char *s)
{
	(void)a;
	return input_email_valid(s) ? s : NULL;
}

/* A post's text, read in this order (post_text_read()). */
enum { P_TITLE, P_BODY, P_TAGS, P_CHANNELS, P_CO_AUTHORS, P__MAX };

/*
 * The body is not limited here: one too long is 413, not 422
 * (post_text_read()).
 */
static const struct input_field post_fields[P__MAX] = {
	[P_TITLE] = { .name = "title", .type = IN_TEXT, .flags = IN_REQUIRED,
	    .max = 300, .label = "the title" },
	[P_BODY] = { .name = "body", .type = IN_TEXT, .flags = IN_RAW,
	    .label = "the body" },
	[P_TAGS] = { .name = "tags", .type = IN_LIST, .max = 20,
	    .item = post_tag_item, .label = "tags", .invalid = "each tag "
	    "has 1 to 50 characters, without control characters" },
	[P_CHANNELS] = { .name = "channels", .type = IN_LIST,
	    .allowed = post_channels, .label = "channels", .invalid =
	    "channels are blog, linkedin, x, facebook, instagram or other" },
	[P_CO_AUTHORS] = { .name = "co_authors", .type = IN_LIST, .max = 20,
	    .item = post_email_item, .label = "co-authors", .invalid = "each "
	    "co-author is named by their e-mail address" },
};

const struct input_form post_input = { post_fields, P__MAX, NULL, NULL, 0 };

int
post_id(struct req *r, long long *id)
{
	if (!input_digits(kv_get(&r->params, "id"), 1, 9007199254740991LL,
	    id))
		return req_fail(r, 404, "not_found", NULL, NO_POST);
	return 0;
}

void
post_etag(struct req *r, long long revision)
{
	resp_header(r, "ETag", arena_printf(r->a, "\"%lld\"", revision));
}

/* A list of strings as JSON text, arena-owned ("[]" for none). */
const char *
post_list_text(struct req *r, json_t *list)
{
	char		*s;
	const char	*out;

	if (list == NULL)
		return "[]";
	s = json_dumps(list, JSON_COMPACT);
	out = arena_strdup(r->a, s != NULL ? s : "[]");
	free(s);
	return out;
}

int
post_text_read(struct req *r, struct post_text *t)
{
	size_t	 n;

	t->title = input_text(r, P_TITLE);
	t->body = input_text(r, P_BODY);
	t->tags = post_list_text(r, input_list(r, P_TAGS));
	t->channels = post_list_text(r, input_list(r, P_CHANNELS));
	if ((n = utf8_chars(t->body)) > POST_BODY_MAX)
		return req_fail(r, 413, "too_long", "body", "the body must be "
		    "at most 100,000 characters; this one has %zu", n);
	return 0;
}

#define END	{ NULL, 0, NULL, NULL, NULL, 0 }

/* Row-level security refused the write (42501), because of... */
static const struct db_refusal suspended[] = {
	{ "42501", 409, "illegal_transition", NULL, "the unit is suspended: "
	  "its members read its posts, and nothing is written or published "
	  "until it is reinstated", 0 },
	END
};
static const struct db_refusal archived[] = {
	{ "42501", 409, "illegal_transition", NULL, "the unit is archived: "
	  "its posts are read-only", 0 },
	END
};
static const struct db_refusal closed[] = {
	{ "42501", 409, "illegal_transition", NULL, "the unit is not "
	  "approved: nothing is written in it", 0 },
	END
};
static const struct db_refusal reader[] = {
	{ "42501", 403, "forbidden", NULL, "only the post's author and the "
	  "co-authors they name change it; reviewers suggest and comment", 0 },
	END
};

/* The refusal that explains a write on the post h refused. */
static const struct db_refusal *
post_why(const struct post_head *h)
{
	if (strcmp(h->unit_state, "suspended") == 0)
		return suspended;
	if (strcmp(h->unit_state, "archived") == 0)
		return archived;
	if (strcmp(h->unit_state, "approved") != 0)
		return closed;
	return reader;
}

int
post_refused(struct req *r, long long id)
{
	const struct db_refusal	*why;
	struct post_head	 h;
	int			 failed, rc;

	if ((failed = db_failure(r->db)) != DB_FAIL_NONE &&
	    failed != DB_FAIL_REFUSED)
		return req_db_fail(r);
	/* Read the post as the acting person sees it, the failure kept. */
	if (db_tx_restart(r->db) < 0 ||
	    (rc = post_db_get(r, id, NULL, &h)) < 0)
		return req_db_fail(r);
	if (rc == 0)
		return req_fail(r, 404, "not_found", NULL, NO_POST);
	why = post_why(&h);
	if (failed)
		return req_db_refuse(r, why, NULL, NULL);
	/* Nothing matched: the post is there, so it was not theirs. */
	return req_fail(r, why->status, why->code, why->field, "%s",
	    why->message);
}

const char *
post_tags_split(struct req *r, const char *text, json_t *out)
{
	const char	*s = text, *e, *tag;
	size_t		 n;

	while (*s != '\0') {
		e = s + strcspn(s, ",");
		s += strspn(s, " \t");
		for (n = (size_t)(e - s); n > 0 && (s[n - 1] == ' ' ||
		    s[n - 1] == '\t'); n--)
			;
		if (n > 0) {
			if ((tag = post_tag_item(r->a, arena_strndup(r->a, s,
			    n))) == NULL)
				return "each tag has 1 to 50 characters, "
				    "without control characters";
			json_array_append_new(out, json_string(tag));
		}
		s = *e == ',' ? e + 1 : e;
	}
	if (json_array_size(out) > 20)
		return "at most 20 tags";
	return NULL;
}

json_t *
post_authors_read(const struct req *r)
{
	return input_list(r, P_CO_AUTHORS);
}

int
post_authors_given(const struct req *r)
{
	if (r->json != NULL)
		return json_object_get(r->json, "co_authors") != NULL;
	return kv_get(&r->form, "co_authors") != NULL;
}

int
post_authors_put(struct req *r, long long id, json_t *emails)
{
	const char	*text = post_list_text(r, emails);
	json_t		*unknown = req_array(r);
	int		 rc;

	if (post_db_authors_unknown(r, id, text, unknown) < 0)
		return req_db_fail(r);
	if (json_array_size(unknown) > 0)
		return input_fail(r, 422, "invalid", "co_authors", "co-authors "
		    "are current members of the unit: %s is not",
		    json_string_value(json_array_get(unknown, 0)));
	if ((rc = post_db_authors_set(r, id, text)) < 0)
		return post_refused(r, id);
	if (rc == 0)
		return req_fail(r, 403, "forbidden", "co_authors", "only the "
		    "post's author names its co-authors");
	return 0;
}
