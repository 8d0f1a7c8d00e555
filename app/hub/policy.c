/*
 * policy.c: how the hub decides, edited by hub admins at /hub/policy and
 * through the API: the approval policy (manual, or automatic for listed
 * e-mail domains and unit kinds; delegation to the owners of parent
 * units), the reason codes of rejections and change requests, and the
 * screening questions of the request form.  Every change is audited.
 */
#include "config.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "arena.h"
#include "audit.h"
#include "db.h"
#include "handlers.h"
#include "input.h"
#include "log.h"
#include "policy_db.h"
#include "req.h"
#include "review.h"
#include "session.h"

#define DOMAINS_MAX	100
#define DOMAIN_MAX	253

/* Whether s (lower case) is a domain name: dot-separated labels of 1 to
 * 63 letters, digits and inner hyphens, at least two labels. */
int
policy_domain_valid(const char *s)
{
	size_t	 len = strlen(s), label = 0, i;
	int	 dots = 0;

	if (len == 0 || len > DOMAIN_MAX)
		return 0;
	for (i = 0; i < len; i++) {
		if (s[i] == '.') {
			if (label == 0 || s[i - 1] == '-')
				return 0;
			label = 0;
			dots++;
			continue;
		}
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' &&
		    s[i] <= '9') || s[i] == '-'))
			return 0;
		if ((label == 0 && s[i] == '-') || ++label > 63)
			return 0;
	}
	return dots > 0 && label > 0 && s[len - 1] != '-';
}

/* A domain as given (lower-cased, "@" dropped), or NULL. */
static const char *
policy_domain_item(struct arena *a, const char *s)
{
	char	*d, *p;

	if (*s == '@')
		s++;
	d = arena_strdup(a, s);
	for (p = d; *p != '\0'; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = *p - 'A' + 'a';
	return policy_domain_valid(d) ? d : NULL;
}

static const char *const modes[] = { "manual", "automatic", NULL };
static const char *const matches[] = { "any", "all", NULL };

/* The approval policy: absent from JSON, a field keeps its value. */
enum { P_MODE, P_MATCH, P_DELEGATE, P_DOMAINS, P_KINDS, P__MAX };

static const struct input_field policy_fields[P__MAX] = {
	[P_MODE] = { .name = "mode", .type = IN_ENUM, .allowed = modes,
	    .invalid = "mode is manual or automatic" },
	[P_MATCH] = { .name = "match", .type = IN_ENUM, .allowed = matches,
	    .invalid = "match is any or all" },
	[P_DELEGATE] = { .name = "delegate_to_parent_owners",
	    .form = "delegate", .type = IN_BOOL, .invalid =
	    "delegate_to_parent_owners is true or false" },
	[P_DOMAINS] = { .name = "domains", .type = IN_LIST, .flags = IN_SPLIT,
	    .max = DOMAINS_MAX, .item = policy_domain_item,
	    .label = "the domains", .invalid = "not a domain name, such as "
	    "example.org" },
	[P_KINDS] = { .name = "kinds", .form = "kind_", .type = IN_LIST,
	    .flags = IN_BOXES, .allowed = unit_kinds, .invalid = "kinds are "
	    "chapter, franchise, dealership, regional_market, department, "
	    "agency_team or other" },
};

/* A reason code: lowercase letters, digits and underscores. */
static const char *
policy_code_item(struct arena *a, const char *s)
{
	(void)a;
	return strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_") ==
	    strlen(s) ? s : NULL;
}

/* Reason codes and screening questions. */
enum { R_CODE, R_LABEL, R_TEMPLATE, R_ACTIVE, R__MAX };
enum { Q_PROMPT, Q_HELP, Q_REQUIRED, Q_ACTIVE, Q__MAX };

#define R_FIELD_CODE \
	[R_CODE] = { .name = "code", .type = IN_TEXT, .flags = IN_REQUIRED, \
	    .max = 40, .label = "the code", .item = policy_code_item, \
	    .invalid = "the code may only have lowercase letters, digits " \
	    "and underscores (at most 40)" }
#define R_FIELDS \
	[R_LABEL] = { .name = "label", .type = IN_TEXT, \
	    .flags = IN_REQUIRED, .max = 120, .label = "the label" }, \
	[R_TEMPLATE] = { .name = "template", .type = IN_TEXT, \
	    .flags = IN_REQUIRED, .max = 2000, .label = "the message" }
#define Q_FIELDS \
	[Q_PROMPT] = { .name = "prompt", .type = IN_TEXT, \
	    .flags = IN_REQUIRED, .max = 300, .label = "the question" }, \
	[Q_HELP] = { .name = "help", .type = IN_TEXT, .flags = IN_RAW, \
	    .max = 500, .label = "the explanation" }, \
	[Q_REQUIRED] = { .name = "required", .type = IN_BOOL, \
	    .invalid = "required is true or false" }
#define ACTIVE \
	{ .name = "active", .type = IN_BOOL, \
	    .invalid = "active is true or false" }

static const struct input_field reason_new[R__MAX] = { R_FIELD_CODE,
	R_FIELDS };
static const struct input_field reason_change[R__MAX] = { R_FIELDS,
	[R_ACTIVE] = ACTIVE };
static const struct input_field question_new[Q__MAX] = { Q_FIELDS };
static const struct input_field question_change[Q__MAX] = { Q_FIELDS,
	[Q_ACTIVE] = ACTIVE };

static json_t	*policy_page(struct req *, json_t *, const char *,
		    const char *);

const struct input_form policy_input = {
	policy_fields, P__MAX, "hub_policy", policy_page, 0
};
const struct input_form reason_new_input = {
	reason_new, R__MAX, "hub_policy", policy_page, 0
};
const struct input_form reason_change_input = {
	reason_change, R__MAX, "hub_policy", policy_page, 0
};
const struct input_form question_new_input = {
	question_new, Q__MAX, "hub_policy", policy_page, 0
};
const struct input_form question_change_input = {
	question_change, Q__MAX, "hub_policy", policy_page, 0
};

/*
 * Everything /hub/policy shows, arena-owned: the policy with the
 * form's flags, the reason codes and questions (retired ones too).  NULL
 * after answering a database failure.
 */
static json_t *
page_data(struct req *r)
{
	json_t		*p, *reasons = req_array(r), *opts, *on, *dt;
	json_t		*questions = req_array(r), *review;
	size_t		 i, j;

	if (policy_db_get(r, &p) < 0 || reason_db_list(r, 1, reasons) < 0 ||
	    question_db_list(r, 1, questions) < 0 ||
	    review_policy_load(r, &review) < 0) {
		req_db_fail(r);
		return NULL;
	}
	/* Checkboxes for the kinds, a text area for the domains. */
	opts = json_array();
	on = json_object_get(p, "kinds");
	for (i = 0; unit_kinds[i] != NULL; i++) {
		for (j = 0; j < json_array_size(on); j++)
			if (strcmp(json_string_value(json_array_get(on, j)),
			    unit_kinds[i]) == 0)
				break;
		json_array_append_new(opts, json_pack("{s:s, s:b}", "kind",
		    unit_kinds[i], "on", j < json_array_size(on)));
	}
	json_object_set_new(p, "kind_options", opts);
	dt = json_string("");
	on = json_object_get(p, "domains");
	for (j = 0; j < json_array_size(on); j++)
		json_string_set(dt, arena_printf(r->a, "%s%s%s",
		    json_string_value(dt), j ? "\n" : "",
		    json_string_value(json_array_get(on, j))));
	json_object_set_new(p, "domains_text", dt);
	json_object_set_new(p, "automatic", json_boolean(strcmp(
	    json_string_value(json_object_get(p, "mode")), "automatic") == 0));
	json_object_set_new(p, "match_all", json_boolean(strcmp(
	    json_string_value(json_object_get(p, "match")), "all") == 0));
	return req_pack(r, "{s:O, s:O, s:O, s:s, s:O?}", "policy", p,
	    "reasons", reasons, "questions", questions, "csrf", csrf_token(r),
	    "review", review);
}

/*
 * The page again after bad input, keeping what was typed: in the row of
 * the code or question being changed, in the policy's domains, or in the
 * add forms (values, borrowed).  Read only when it is shown again; NULL
 * after answering a database failure.
 */
static json_t *
policy_page(struct req *r, json_t *values, const char *field,
    const char *msg)
{
	const char	*code = kv_get(&r->params, "code");
	const char	*id = kv_get(&r->params, "id"), *k;
	json_t		*d, *rows, *row;
	size_t		 i, f;

	(void)field;
	(void)msg;
	if ((d = page_data(r)) == NULL)
		return NULL;
	rows = json_object_get(d, code != NULL ? "reasons" : "questions");
	for (i = 0; (code != NULL || id != NULL) && i < json_array_size(rows);
	    i++) {
		row = json_array_get(rows, i);
		k = code != NULL ? json_string_value(json_object_get(row,
		    "code")) : arena_printf(r->a, "%lld", (long long)
		    json_integer_value(json_object_get(row, "id")));
		if (strcmp(k, code != NULL ? code : id) != 0)
			continue;
		for (f = 0; f < r->form.n; f++)
			if (strcmp(r->form.v[f].key, "csrf_token") != 0)
				json_object_set_new(row, r->form.v[f].key,
				    json_string(r->form.v[f].val));
	}
	if ((k = kv_get(&r->form, "domains")) != NULL)
		json_object_set_new(json_object_get(d, "policy"),
		    "domains_text", json_string(k));
	if (code == NULL && id == NULL)
		json_object_set(d, "values", values);
	return d;
}

int
policy_get(struct req *r)
{
	json_t	*d, *p, *reasons = req_array(r), *questions = req_array(r);
	int	 admin = r->sess != NULL && (r->sess->roles & HUB_ADMIN);

	if (r->fmt != FMT_JSON) {
		if ((d = page_data(r)) == NULL)
			return r->resp.status;
		if (kv_get(&r->query, "saved") != NULL)
			json_object_set_new(d, "notice", json_string("Saved."));
		return req_view(r, 200, "hub_policy", d);
	}
	if (policy_db_get(r, &p) < 0 ||
	    reason_db_list(r, admin, reasons) < 0 ||
	    question_db_list(r, admin, questions) < 0)
		return req_db_fail(r);
	json_object_set(p, "reason_codes", reasons);
	json_object_set(p, "questions", questions);
	return req_view(r, 200, NULL, p);
}

/* An audited change: 1, or the status after answering a failure. */
static int
audited(struct req *r, int rc, const char *action, const char *id,
    json_t *before, json_t *after)
{
	if (rc < 0 || audit_add(r, action, "policy", id, 0, before,
	    after) < 0)
		return req_db_fail(r);
	logm(L_INFO, r->id, "%s %s person=%lld", action, id, r->sess->p.id);
	return 1;
}

/* The list field i, or cur's (borrowed), as JSON text in the arena. */
static const char *
policy_list(struct req *r, size_t i, json_t *cur)
{
	json_t		*v = input_has(r, i) ? input_list(r, i) : cur;
	char		*s = json_dumps(v, JSON_COMPACT);
	const char	*t = arena_strdup(r->a, s != NULL ? s : "[]");

	free(s);
	return t;
}

int
policy_put(struct req *r)
{
	struct policy	 p;
	json_t		*cur, *before, *after;
	int		 rc;

	if (policy_db_get(r, &cur) < 0)
		return req_db_fail(r);
	p.mode = input_has(r, P_MODE) ? input_text(r, P_MODE) :
	    arena_strdup(r->a, json_string_value(json_object_get(cur, "mode")));
	p.match = input_has(r, P_MATCH) ? input_text(r, P_MATCH) :
	    arena_strdup(r->a, json_string_value(json_object_get(cur,
	    "match")));
	p.delegate = input_bool(r, P_DELEGATE, json_is_true(json_object_get(
	    cur, "delegate_to_parent_owners")));
	p.domains = policy_list(r, P_DOMAINS, json_object_get(cur, "domains"));
	p.kinds = policy_list(r, P_KINDS, json_object_get(cur, "kinds"));
	if (strcmp(p.mode, "automatic") == 0 && strcmp(p.domains, "[]") == 0 &&
	    strcmp(p.kinds, "[]") == 0)
		return input_fail(r, 422, "invalid", "domains", "automatic "
		    "approval needs at least one e-mail domain or one unit "
		    "kind");
	rc = policy_db_set(r, &p, &before, &after);
	if ((rc = audited(r, rc, "policy.change", "approval", before,
	    after)) != 1)
		return rc;
	if (r->fmt != FMT_JSON)
		return req_redirect(r, "/hub/policy?saved=1");
	if (policy_db_get(r, &cur) < 0)
		return req_db_fail(r);
	return req_view(r, 200, NULL, cur);
}

int
reason_post(struct req *r)
{
	const char	*code = input_text(r, R_CODE);
	const char	*label = input_text(r, R_LABEL);
	const char	*tmpl = input_text(r, R_TEMPLATE);
	int		 rc;

	/* A code that exists is refused 409 taken (policy_db.h). */
	rc = reason_db_add(r, code, label, tmpl);
	if ((rc = audited(r, rc, "reason.add", code, NULL, req_pack(r,
	    "{s:s, s:s, s:s}", "code", code, "label", label, "template",
	    tmpl))) != 1)
		return rc;
	if (r->fmt == FMT_JSON)
		return req_view(r, 201, NULL, req_pack(r,
		    "{s:s, s:s, s:s, s:b}", "code", code, "label", label,
		    "template", tmpl, "active", 1));
	return req_redirect(r, "/hub/policy?saved=1#reasons");
}

int
reason_put(struct req *r)
{
	const char	*code = kv_get(&r->params, "code");
	const char	*label = input_text(r, R_LABEL);
	const char	*tmpl = input_text(r, R_TEMPLATE);
	json_t		*before, *after;
	int		 active = input_bool(r, R_ACTIVE, 1), rc;

	rc = reason_db_set(r, code, label, tmpl, active, &before, &after);
	if (rc == 0)
		return req_fail(r, 404, "not_found", NULL, "there is no such "
		    "reason code");
	if ((rc = audited(r, rc, "reason.change", code, before,
	    after)) != 1)
		return rc;
	if (r->fmt == FMT_JSON)
		return req_view(r, 200, NULL, req_pack(r,
		    "{s:s, s:s, s:s, s:b}", "code", code, "label", label,
		    "template", tmpl, "active", active));
	return req_redirect(r, "/hub/policy?saved=1#reasons");
}

static int
question_done(struct req *r, int status, long long id, const char *prompt,
    const char *help, int required, int active)
{
	if (r->fmt == FMT_JSON)
		return req_view(r, status, NULL, req_pack(r, "{s:I, s:s, s:s, "
		    "s:b, s:b}", "id", (json_int_t)id, "prompt", prompt, "help",
		    help, "required", required, "active", active));
	return req_redirect(r, "/hub/policy?saved=1#questions");
}

int
question_post(struct req *r)
{
	const char	*prompt = input_text(r, Q_PROMPT);
	const char	*help = input_text(r, Q_HELP);
	long long	 id = 0;
	int		 required = input_bool(r, Q_REQUIRED, 0), rc;

	rc = question_db_add(r, prompt, help, required, &id);
	if ((rc = audited(r, rc, "question.add", arena_printf(r->a, "%lld",
	    id), NULL, req_pack(r, "{s:s, s:s, s:b}", "prompt", prompt, "help",
	    help, "required", required))) != 1)
		return rc;
	return question_done(r, 201, id, prompt, help, required, 1);
}

int
question_put(struct req *r)
{
	const char	*ids = kv_get(&r->params, "id");
	const char	*prompt = input_text(r, Q_PROMPT);
	const char	*help = input_text(r, Q_HELP);
	json_t		*before, *after;
	long long	 id;
	int		 required = input_bool(r, Q_REQUIRED, 0);
	int		 active = input_bool(r, Q_ACTIVE, 1), rc;

	if (!input_digits(ids, 1, LLONG_MAX, &id))
		return req_fail(r, 404, "not_found", NULL, "there is no such "
		    "question");
	rc = question_db_set(r, id, prompt, help, required, active, &before,
	    &after);
	if (rc == 0)
		return req_fail(r, 404, "not_found", NULL, "there is no such "
		    "question");
	if ((rc = audited(r, rc, "question.change", ids, before,
	    after)) != 1)
		return rc;
	return question_done(r, 200, id, prompt, help, required, active);
}
