/*
 * preview.c: the post's writers make, list and revoke preview links,
 * as JSON and on the page /posts/{id}/preview-links.  Row-level
 * security decides who may (sql/014_posts.sql); this file mints the
 * token, shows it once and keeps the audit log.
 */
#include "config.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "arena.h"
#include "audit.h"
#include "conf.h"
#include "input.h"
#include "kv.h"
#include "log.h"
#include "preview.h"
#include "preview_db.h"
#include "req.h"
#include "session.h"
#include "token.h"

/* How far ahead a link may expire, in days. */
#define PREVIEW_MAX_DAYS	90

enum { P_EXPIRES, P__MAX };

static json_t	*links_page(struct req *, json_t *, const char *,
		    const char *);

static const struct input_field create_fields[P__MAX] = {
	[P_EXPIRES] = { .name = "expires", .type = IN_DATE, .flags =
	    IN_FUTURE, .max = PREVIEW_MAX_DAYS, .label = "the last day",
	    .invalid = "the last day is a date from tomorrow to 90 days "
	    "ahead, such as 2031-01-31" },
};

const struct input_form preview_create_input = {
	create_fields, P__MAX, "posts/preview_links", links_page, 0
};

/* The post id of the route, or NULL when it is not one. */
static const char *
post_param(struct req *r)
{
	const char	*id = kv_get(&r->params, "id");
	long long	 n;

	return input_digits(id, 1, LLONG_MAX, &n) ? id : NULL;
}

/* The page's data: the post's links, what was typed, and msg on field. */
static json_t *
links_data(struct req *r, const char *id, json_t *values, json_t **links,
    int *writer, int *rc)
{
	const char	*title;

	*rc = preview_db_list(r, id, links, writer, &title);
	if (*rc != 1)
		return NULL;
	return req_pack(r, "{s:s, s:s, s:O, s:b, s:s, s:O}", "post", id,
	    "title", title, "links", *links, "has_links",
	    json_array_size(*links) > 0, "csrf", csrf_token(r), "values",
	    values != NULL ? values : req_object(r));
}

/* The form's page again; NULL after answering when it cannot be. */
static json_t *
links_page(struct req *r, json_t *values, const char *field,
    const char *msg)
{
	const char	*id = post_param(r);
	json_t		*links, *d;
	int		 writer = 0, rc;

	(void)field;
	(void)msg;
	rc = 0;
	d = id != NULL ? links_data(r, id, values, &links, &writer, &rc) :
	    NULL;
	if (rc < 0)
		req_db_fail(r);
	else if (d == NULL)
		req_fail(r, 404, "not_found", NULL, "there is no such post");
	else if (!writer)
		req_fail(r, 403, "forbidden", NULL, "only the post's author "
		    "and co-authors make its preview links");
	return d != NULL && writer ? d : NULL;
}

int
preview_list(struct req *r)
{
	const char	*id = post_param(r);
	json_t		*links, *d;
	int		 writer, rc = 0;

	d = id != NULL ? links_data(r, id, NULL, &links, &writer, &rc) : NULL;
	if (rc < 0)
		return req_db_fail(r);
	if (d == NULL)
		return req_fail(r, 404, "not_found", NULL, "there is no such "
		    "post");
	if (!writer)
		return req_fail(r, 403, "forbidden", NULL, "only the post's "
		    "author and co-authors see its preview links");
	if (r->fmt == FMT_JSON)
		return req_view(r, 200, NULL, req_pack(r, "{s:I, s:O}", "post",
		    (json_int_t)strtoll(id, NULL, 10), "links", links));
	if (kv_get(&r->query, "revoked") != NULL)
		json_object_set_new(d, "revoked", json_true());
	return req_view(r, 200, "posts/preview_links", d);
}

/* The address that opens link token, for people outside. */
static const char *
link_url(struct req *r, const char *token)
{
	const char	*base = r->conf->public_url;
	size_t		 n = strlen(base);

	while (n > 0 && base[n - 1] == '/')
		n--;
	return arena_printf(r->a, "%.*s/preview/%s", (int)n, base, token);
}

int
preview_create(struct req *r)
{
	const char	*id = post_param(r), *state, *url;
	char		 tok[TOKEN_LEN + 1], hex[TOKEN_HEXLEN + 1];
	json_t		*made, *links, *d;
	long long	 unit = 0;
	int		 writer, rc = 0;

	token_new(tok);
	token_hash_hex(tok, hex);
	if (id != NULL && (rc = preview_db_create(r, id, hex, input_text(r,
	    P_EXPIRES), &made, &state, &unit)) < 0)
		return req_db_fail(r);
	if (rc == 0 && (id == NULL || state == NULL))
		return req_fail(r, 404, "not_found", NULL, "there is no such "
		    "post");
	if (rc == 0)
		return req_fail(r, 409, "illegal_transition", NULL, "a "
		    "withdrawn post has no preview: publish it again or "
		    "schedule it first");
	url = link_url(r, tok);
	if (audit_add(r, "post.preview_link", "post", id, unit, NULL,
	    req_pack(r, "{s:O, s:O}", "link", json_object_get(made, "id"),
	    "expires_at", json_object_get(made, "expires_at"))) < 0)
		return req_db_fail(r);
	logm(L_INFO, r->id, "preview link made post=%s person=%lld", id,
	    r->sess->p.id);
	r->resp.no_store = 1;
	json_object_set_new(made, "url", json_string(url));
	if (r->fmt == FMT_JSON)
		return req_view(r, 201, NULL, made);
	if ((d = links_data(r, id, NULL, &links, &writer, &rc)) == NULL)
		return rc < 0 ? req_db_fail(r) : req_fail(r, 404,
		    "not_found", NULL, "there is no such post");
	json_object_set(d, "made", made);
	return req_view(r, 201, "posts/preview_links", d);
}

int
preview_revoke(struct req *r)
{
	const char	*id = kv_get(&r->params, "id");
	json_t		*out;
	long long	 n, unit = 0;
	int		 rc = 0;

	if (input_digits(id, 1, LLONG_MAX, &n) &&
	    (rc = preview_db_revoke(r, id, &out, &unit)) < 0)
		return req_db_fail(r);
	if (rc == 0)
		return req_fail(r, 404, "not_found", NULL, "there is no such "
		    "preview link");
	if (json_is_true(json_object_get(out, "changed")) && audit_add(r,
	    "post.preview_revoke", "post", arena_printf(r->a, "%lld",
	    (long long)json_integer_value(json_object_get(out, "post"))),
	    unit, req_pack(r, "{s:I}", "link", (json_int_t)n), NULL) < 0)
		return req_db_fail(r);
	logm(L_INFO, r->id, "preview link revoked id=%s person=%lld", id,
	    r->sess->p.id);
	if (r->fmt == FMT_JSON)
		return req_view(r, 200, NULL, out);
	return req_redirect(r, arena_printf(r->a,
	    "/posts/%lld/preview-links?revoked=1",
	    (long long)json_integer_value(json_object_get(out, "post"))));
}
