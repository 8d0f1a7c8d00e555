/* account.c: one's own profile (/account) and GET /api/v1/me. */
#include "config.h"

#include <string.h>

#include "app.h"
#include "arena.h"
#include "auth_db.h"
#include "db.h"
#include "form.h"
#include "handlers.h"
#include "input.h"
#include "log.h"
#include "req.h"
#include "session.h"
#include "training_page.h"
#include "unit_db.h"

/* What ?done= may say after a redirect; nothing else is ever shown. */
static const struct {
	const char	*key, *notice;
} dones[] = {
	{ "profile", "Your profile was saved." },
	{ "password", "Your password was changed; other sessions were "
	  "signed out." },
	{ "reset", "Your new password is set and you are signed in; every "
	  "other session was signed out." },
};

static json_t *
account_data(struct req *r, const struct person *p)
{
	json_t		*d = person_json(r, p);
	const char	*done = kv_get(&r->query, "done");
	size_t		 i;

	json_object_set_new(d, "since", json_string(p->created_at));
	json_object_set_new(d, "has_roles", json_boolean(
	    json_array_size(json_object_get(d, "hub_roles")) > 0));
	json_object_set_new(d, "values", json_pack("{s:s}", "name", p->name));
	for (i = 0; done != NULL && i < sizeof(dones) / sizeof(dones[0]); i++)
		if (strcmp(done, dones[i].key) == 0)
			json_object_set_new(d, "notice",
			    json_string(dones[i].notice));
	return d;
}

/* The profile's name. */
static const struct input_field account_fields[] = {
	{ .name = "name", .type = IN_TEXT, .flags = IN_REQUIRED,
	    .max = NAME_MAX_CHARS, .label = "your name" },
};

/* The page again around what was typed: read only then. */
static json_t *
account_page(struct req *r, json_t *values, const char *field,
    const char *msg)
{
	struct person	 p;
	json_t		*d;

	(void)field;
	(void)msg;
	if (auth_db_person_get(r, r->sess->p.id, &p) != 1) {
		req_db_fail(r);
		return NULL;
	}
	d = account_data(r, &p);
	json_object_set(d, "values", values);
	return d;
}

const struct input_form account_input = {
	account_fields, 1, "account", account_page, 0
};

int
account_get(struct req *r)
{
	struct person	 p;
	json_t		*d, *badges;

	if (auth_db_person_get(r, r->sess->p.id, &p) != 1 ||
	    training_page_db_badges(r, &badges) < 0)
		return req_db_fail(r);
	d = account_data(r, &p);
	json_object_set_new(d, "training", json_pack("{s:O, s:b}", "badges",
	    badges, "has_badges", json_array_size(badges) > 0));
	return req_view(r, 200, "account", d);
}

int
account_post(struct req *r)
{
	struct person	 p;
	const char	*name = input_text(r, 0);

	if (auth_db_person_get(r, r->sess->p.id, &p) != 1 ||
	    auth_db_person_set_name(r, p.id, name) < 0)
		return req_db_fail(r);
	logm(L_INFO, r->id, "profile updated person=%lld", p.id);
	if (r->fmt == FMT_JSON) {
		p.name = name;
		return req_view(r, 200, NULL, person_json(r, &p));
	}
	return req_redirect(r, "/account?done=profile");
}

int
me_get(struct req *r)
{
	json_t	*me = person_json(r, &r->sess->p), *units = json_array();

	json_object_set_new(me, "units", units);
	json_object_set_new(me, "use_rules_accepted",
	    json_boolean(r->sess->rules_ok));
	if (unit_db_mine(r, units) < 0)
		return req_db_fail(r);
	return req_view(r, 200, NULL, me);
}
