/*
 * rules.c: the hub's use rules.  Everyone signed in reads the current
 * version and accepts it (/rules); until then the dispatcher sends them
 * here from every other page.  Hub admins publish a new version
 * (/hub/rules), which asks everyone again.  Versions are append-only.
 */
#include "config.h"

#include <string.h>

#include "app.h"
#include "arena.h"
#include "buf.h"
#include "db.h"
#include "auth_db.h"
#include "handlers.h"
#include "input.h"
#include "log.h"
#include "markdown.h"
#include "req.h"
#include "session.h"

#define RULES_MAX_CHARS	100000

/* Accepting: the version read (a number, or its digits) and where next. */
enum { A_VERSION, A_NEXT, A__MAX };

static const struct input_field accept_fields[A__MAX] = {
	[A_VERSION] = { .name = "version", .type = IN_INT,
	    .flags = IN_REQUIRED, .min = 1, .max = 1000000,
	    .invalid = "say which version of the use rules you accept",
	    .missing = "say which version of the use rules you accept" },
	[A_NEXT] = { .name = "next", .type = IN_TEXT, .flags = IN_RAW },
};

const struct input_form rules_accept_input = {
	accept_fields, A__MAX, NULL, NULL, 0
};

/* Publishing: the rules, Markdown kept as written. */
static const struct input_field publish_fields[] = {
	{ .name = "body", .type = IN_TEXT, .flags = IN_REQUIRED | IN_RAW |
	    IN_BYTES, .max = RULES_MAX_CHARS, .label = "the use rules",
	    .missing = "write the use rules" },
};

const struct input_form rules_publish_input = {
	publish_fields, 1, "hub_rules", NULL, 0
};

static json_t *
rules_data(struct req *r, const struct rules *u)
{
	const char	*next = req_field(r, "next");
	json_t		*d;
	struct buf	 html;

	if (next == NULL)
		next = kv_get(&r->query, "next");
	d = req_pack(r, "{s:i, s:s, s:b}", "version", u->version, "next",
	    req_local_path(next) ? next : "/", "accepted",
	    u->accepted_at != NULL);
	if (u->version > 0) {
		buf_init(&html);
		if (markdown_html(u->body, strlen(u->body), &html))
			json_object_set_new(d, "body_html",
			    json_string(html.data));
		buf_free(&html);
		json_object_set_new(d, "published_at",
		    json_string(u->published_at));
	}
	if (u->accepted_at != NULL)
		json_object_set_new(d, "accepted_at",
		    json_string(u->accepted_at));
	return d;
}

int
rules_get(struct req *r)
{
	struct rules	 u;

	if (auth_db_rules_current(r, r->sess->p.id, &u) < 0)
		return req_db_fail(r);
	if (r->fmt == FMT_JSON)
		return req_view(r, 200, NULL, req_pack(r, "{s:i, s:s?, s:s?}",
		    "version", u.version, "body", u.body, "accepted_at",
		    u.accepted_at));
	return req_view(r, 200, "rules", rules_data(r, &u));
}

int
rules_accept(struct req *r)
{
	struct rules	 u;
	const char	*next;
	long long	 version;
	int		 rc;

	version = input_int(r, A_VERSION, 0);
	if ((rc = auth_db_rules_accept(r, r->sess->p.id, (int)version)) < 0)
		return req_db_fail(r);
	if (rc == 0) {
		if (auth_db_rules_current(r, r->sess->p.id, &u) < 0)
			return req_db_fail(r);
		return input_show(r, 409, "rules", rules_data(r, &u),
		    "rules_changed", "version", "the use rules changed while "
		    "you were reading: please read this version");
	}
	logm(L_INFO, r->id, "use rules accepted person=%lld version=%lld",
	    r->sess->p.id, version);
	if (r->fmt == FMT_JSON)
		return req_view(r, 200, NULL, req_pack(r, "{s:i}", "accepted",
		    (int)version));
	next = input_text(r, A_NEXT);
	return req_redirect(r, req_local_path(next) ? next : "/");
}

int
hub_rules_get(struct req *r)
{
	struct rules	 u;

	if (auth_db_rules_current(r, r->sess->p.id, &u) < 0)
		return req_db_fail(r);
	return req_view(r, 200, "hub_rules", req_pack(r, "{s:i, s:{s:s}}",
	    "version", u.version, "values", "body", u.body ? u.body : ""));
}

int
hub_rules_post(struct req *r)
{
	const char	*body = input_text(r, 0);
	int		 version;

	/* Another version published at the same moment is 409 conflict. */
	if (auth_db_rules_publish(r, body, r->sess->p.id, &version) < 0)
		return req_db_fail(r);
	logm(L_INFO, r->id, "use rules published person=%lld version=%d",
	    r->sess->p.id, version);
	if (r->fmt == FMT_JSON)
		return req_view(r, 201, NULL, req_pack(r, "{s:i}", "version",
		    version));
	return req_redirect(r, "/rules");
}
