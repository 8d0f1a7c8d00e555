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
#include "form.h"
#include "handlers.h"
#include "log.h"
#include "markdown.h"
#include "req.h"
#include "session.h"

#define RULES_MAX_CHARS	100000

static json_t *
rules_data(struct req *r, const struct rules *u)
{
	const char	*next = req_field(r, "next");
	json_t		*d;
	struct buf	 html;

	if (next == NULL)
		next = kv_get(&r->query, "next");
	d = json_pack("{s:i, s:s, s:b}", "version", u->version, "next",
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
	int		 rc;

	if ((rc = auth_db_rules_current(r, r->sess->p.id, &u)) < 0 ||
	    (rc == 0 && db_sqlstate(r->db)[0] != '\0'))
		return req_db_fail(r, rc);
	if (r->fmt == FMT_JSON)
		return req_view(r, 200, NULL, json_pack("{s:i, s:s?, s:s?}",
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

	/* A number, as GET /api/v1/use-rules gives it, or its digits. */
	if ((rc = form_int(r, "version", 1, 1000000, &version)) != 1)
		return req_fail(r, 422, rc == 0 ? "missing" : "invalid",
		    "version", "say which version of the use rules you "
		    "accept");
	if ((rc = auth_db_rules_accept(r, r->sess->p.id, (int)version)) < 0 ||
	    (rc == 0 && db_sqlstate(r->db)[0] != '\0'))
		return req_db_fail(r, rc);
	if (rc == 0) {
		if ((rc = auth_db_rules_current(r, r->sess->p.id, &u)) < 0)
			return req_db_fail(r, rc);
		return form_fail(r, 409, "rules", rules_data(r, &u),
		    "rules_changed", "version", "the use rules changed while "
		    "you were reading: please read this version");
	}
	logm(L_INFO, r->id, "use rules accepted person=%lld version=%lld",
	    r->sess->p.id, version);
	if (r->fmt == FMT_JSON)
		return req_view(r, 200, NULL, json_pack("{s:i}", "accepted",
		    (int)version));
	next = req_field(r, "next");
	return req_redirect(r, req_local_path(next) ? next : "/");
}

int
hub_rules_get(struct req *r)
{
	struct rules	 u;
	int		 rc;

	if ((rc = auth_db_rules_current(r, r->sess->p.id, &u)) < 0 ||
	    (rc == 0 && db_sqlstate(r->db)[0] != '\0'))
		return req_db_fail(r, rc);
	return req_view(r, 200, "hub_rules", json_pack("{s:i, s:{s:s}}",
	    "version", u.version, "values", "body", u.body ? u.body : ""));
}

int
hub_rules_post(struct req *r)
{
	json_t		*data;
	const char	*body;
	int		 version, rc;

	data = json_pack("{s:{s:s}}", "values", "body",
	    req_field(r, "body") ? req_field(r, "body") : "");
	body = req_field(r, "body");
	if (body == NULL || strspn(body, " \t\r\n") == strlen(body))
		return form_fail(r, 422, "hub_rules", data, "missing", "body",
		    "write the use rules");
	if (strlen(body) > RULES_MAX_CHARS)
		return form_fail(r, 422, "hub_rules", data, "too_long", "body",
		    "the use rules must be at most 100,000 bytes");
	json_decref(data);
	if ((rc = auth_db_rules_publish(r, body, r->sess->p.id,
	    &version)) != 1) {
		if (rc == 0 && strcmp(db_sqlstate(r->db), "23505") == 0)
			return req_fail(r, 409, "conflict", NULL, "another "
			    "version was published at the same moment; "
			    "reload and check");
		return req_db_fail(r, rc);
	}
	logm(L_INFO, r->id, "use rules published person=%lld version=%d",
	    r->sess->p.id, version);
	if (r->fmt == FMT_JSON)
		return req_view(r, 201, NULL, json_pack("{s:i}", "version",
		    version));
	return req_redirect(r, "/rules");
}
