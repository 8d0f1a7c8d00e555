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
#include "form.h"
#include "handlers.h"
#include "log.h"
#include "policy_db.h"
#include "req.h"
#include "session.h"

#define DOMAINS_MAX	100
#define DOMAIN_MAX	253

static const char *const kinds[] = {
	"chapter", "franchise", "dealership", "regional_market", "department",
	"agency_team", "other", NULL
};

static int
in(const char *const *list, const char *s)
{
	for (; *list != NULL; list++)
		if (strcmp(*list, s) == 0)
			return 1;
	return 0;
}

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

/* Add one domain (trimmed, lower-cased, "@" dropped) to arr, once.
 * 0 when it is not a domain. */
static int
domain_add(struct req *r, json_t *arr, const char *s, size_t n)
{
	char	*d, *p;
	size_t	 i;

	if (n > 0 && *s == '@') {
		s++;
		n--;
	}
	if (n > DOMAIN_MAX)
		return 0;
	d = arena_alloc(r->a, n + 1);
	for (p = d, i = 0; i < n; i++)
		*p++ = (s[i] >= 'A' && s[i] <= 'Z') ? s[i] - 'A' + 'a' : s[i];
	*p = '\0';
	if (!policy_domain_valid(d))
		return 0;
	for (i = 0; i < json_array_size(arr); i++)
		if (strcmp(json_string_value(json_array_get(arr, i)), d) == 0)
			return 1;
	json_array_append_new(arr, json_string(d));
	return 1;
}

/*
 * The domains given (a JSON array of strings, or a form's text with one
 * per line or separated by commas or spaces) as a JSON array into *out;
 * NULL message when fine, else why not.
 */
static const char *
domains_read(struct req *r, json_t *cur, json_t **out)
{
	const char	*s, *e;
	json_t		*v;
	size_t		 i;

	*out = json_array();
	if (r->json != NULL) {
		if ((v = json_object_get(r->json, "domains")) == NULL) {
			json_array_extend(*out, cur);
			return NULL;
		}
		if (!json_is_array(v))
			return "domains is a list of domain names";
		for (i = 0; i < json_array_size(v); i++) {
			s = json_string_value(json_array_get(v, i));
			if (s == NULL || !domain_add(r, *out, s, strlen(s)))
				return "each domain must be a domain name, "
				    "such as example.org";
		}
	} else if ((s = kv_get(&r->form, "domains")) != NULL) {
		for (;;) {
			s += strspn(s, " \t\r\n,;");
			if (*s == '\0')
				break;
			e = s + strcspn(s, " \t\r\n,;");
			if (!domain_add(r, *out, s, (size_t)(e - s)))
				return arena_printf(r->a, "\"%.*s\" is not a "
				    "domain name, such as example.org",
				    (int)((e - s) > 60 ? 60 : (e - s)), s);
			s = e;
		}
	}
	if (json_array_size(*out) > DOMAINS_MAX)
		return "at most 100 domains";
	return NULL;
}

/* The kinds given, checked, as a JSON array into *out; or why not. */
static const char *
kinds_read(struct req *r, json_t *cur, json_t **out)
{
	const char	*s;
	json_t		*v;
	size_t		 i;

	*out = json_array();
	if (r->json != NULL) {
		if ((v = json_object_get(r->json, "kinds")) == NULL) {
			json_array_extend(*out, cur);
			return NULL;
		}
		if (!json_is_array(v))
			return "kinds is a list of unit kinds";
		for (i = 0; i < json_array_size(v); i++) {
			s = json_string_value(json_array_get(v, i));
			if (s == NULL || !in(kinds, s))
				return "kinds are chapter, franchise, "
				    "dealership, regional_market, department, "
				    "agency_team or other";
			json_array_append_new(*out, json_string(s));
		}
		return NULL;
	}
	for (i = 0; kinds[i] != NULL; i++)
		if (kv_get(&r->form, arena_printf(r->a, "kind_%s",
		    kinds[i])) != NULL)
			json_array_append_new(*out, json_string(kinds[i]));
	return NULL;
}

/*
 * Everything /hub/policy shows, as a new reference: the policy with the
 * form's flags, the reason codes and questions (retired ones too).  NULL
 * after answering a database failure.
 */
static json_t *
page_data(struct req *r)
{
	json_t		*p = NULL, *reasons = json_array(), *opts, *on, *dt;
	json_t		*questions = json_array();
	size_t		 i, j;
	int		 rc;

	if ((rc = policy_db_get(r, &p)) != 1 ||
	    (rc = reason_db_list(r, 1, reasons)) != 1 ||
	    (rc = question_db_list(r, 1, questions)) != 1) {
		json_decref(reasons);
		json_decref(questions);
		json_decref(p);
		req_db_fail(r, rc);
		return NULL;
	}
	/* Checkboxes for the kinds, a text area for the domains. */
	opts = json_array();
	on = json_object_get(p, "kinds");
	for (i = 0; kinds[i] != NULL; i++) {
		for (j = 0; j < json_array_size(on); j++)
			if (strcmp(json_string_value(json_array_get(on, j)),
			    kinds[i]) == 0)
				break;
		json_array_append_new(opts, json_pack("{s:s, s:b}", "kind",
		    kinds[i], "on", j < json_array_size(on)));
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
	return json_pack("{s:o, s:o, s:o, s:s}", "policy", p, "reasons",
	    reasons, "questions", questions, "csrf", csrf_token(r));
}

/*
 * The page again after bad input, keeping what was typed: in the row of
 * the code or question being changed, in the policy's domains, or in the
 * add forms.  NULL for JSON, or after answering a database failure.
 */
static json_t *
page_again(struct req *r, int *failed)
{
	const char	*code = kv_get(&r->params, "code");
	const char	*id = kv_get(&r->params, "id"), *k;
	json_t		*d, *rows, *row, *vals;
	size_t		 i, f;

	*failed = 0;
	if (r->fmt == FMT_JSON)
		return NULL;
	if ((d = page_data(r)) == NULL) {
		*failed = 1;
		return NULL;
	}
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
	if (code == NULL && id == NULL) {
		vals = json_object();
		for (f = 0; f < r->form.n; f++)
			json_object_set_new(vals, r->form.v[f].key,
			    json_string(r->form.v[f].val));
		json_object_set_new(d, "values", vals);
	}
	return d;
}

int
policy_get(struct req *r)
{
	json_t	*d, *p, *reasons, *questions;
	int	 admin = r->sess != NULL && (r->sess->roles & HUB_ADMIN), rc;

	if (r->fmt != FMT_JSON) {
		if ((d = page_data(r)) == NULL)
			return r->resp.status;
		if (kv_get(&r->query, "saved") != NULL)
			json_object_set_new(d, "notice", json_string("Saved."));
		return req_view(r, 200, "hub_policy", d);
	}
	reasons = json_array();
	questions = json_array();
	if ((rc = policy_db_get(r, &p)) != 1 ||
	    (rc = reason_db_list(r, admin, reasons)) != 1 ||
	    (rc = question_db_list(r, admin, questions)) != 1) {
		json_decref(reasons);
		json_decref(questions);
		json_decref(p);
		return req_db_fail(r, rc);
	}
	json_object_set_new(p, "reason_codes", reasons);
	json_object_set_new(p, "questions", questions);
	return req_view(r, 200, NULL, p);
}

/* Answer bad input to a /hub/policy form or the API: status (422 or
 * 409), naming field. */
static int
bad_status(struct req *r, int status, const char *code, const char *field,
    const char *msg)
{
	json_t	*d;
	int	 failed;

	if ((d = page_again(r, &failed)) == NULL && failed)
		return r->resp.status;
	return form_fail(r, status, "hub_policy", d, code, field, msg);
}

static int
bad(struct req *r, const char *field, const char *msg)
{
	return bad_status(r, 422, "invalid", field, msg);
}

/* An audited change: 1, or the status after answering a failure. */
static int
audited(struct req *r, int rc, const char *action, const char *id,
    json_t *before, json_t *after)
{
	if (rc == 1)
		rc = audit_add(r, action, "policy", id, 0, before, after);
	json_decref(before);
	json_decref(after);
	if (rc != 1)
		return req_db_fail(r, rc);
	logm(L_INFO, r->id, "%s %s person=%lld", action, id, r->sess->p.id);
	return 1;
}

int
policy_put(struct req *r)
{
	struct policy	 p;
	json_t		*cur, *doms = NULL, *knds = NULL, *before, *after;
	const char	*why, *field;
	char		*s;
	int		 rc;

	if ((rc = policy_db_get(r, &cur)) != 1)
		return req_db_fail(r, rc);
	p.mode = req_field(r, "mode");
	p.match = req_field(r, "match");
	if (p.mode == NULL && (r->json == NULL ||
	    json_object_get(r->json, "mode") == NULL))
		p.mode = arena_strdup(r->a, json_string_value(
		    json_object_get(cur, "mode")));
	if (p.match == NULL && (r->json == NULL ||
	    json_object_get(r->json, "match") == NULL))
		p.match = arena_strdup(r->a, json_string_value(
		    json_object_get(cur, "match")));
	p.delegate = json_is_true(json_object_get(cur,
	    "delegate_to_parent_owners"));
	if (form_bool(r, r->json ? "delegate_to_parent_owners" : "delegate",
	    &p.delegate) < 0)
		p.delegate = -1;
	field = NULL;
	why = NULL;
	if (p.mode == NULL || (strcmp(p.mode, "manual") != 0 &&
	    strcmp(p.mode, "automatic") != 0))
		field = "mode", why = "mode is manual or automatic";
	else if (p.match == NULL || (strcmp(p.match, "any") != 0 &&
	    strcmp(p.match, "all") != 0))
		field = "match", why = "match is any or all";
	else if (p.delegate < 0)
		field = "delegate_to_parent_owners",
		    why = "delegate_to_parent_owners is true or false";
	else if ((why = domains_read(r, json_object_get(cur, "domains"),
	    &doms)) != NULL)
		field = "domains";
	else if ((why = kinds_read(r, json_object_get(cur, "kinds"),
	    &knds)) != NULL)
		field = "kinds";
	else if (strcmp(p.mode, "automatic") == 0 &&
	    json_array_size(doms) + json_array_size(knds) == 0)
		field = "domains", why = "automatic approval needs at least "
		    "one e-mail domain or one unit kind";
	json_decref(cur);
	if (why != NULL) {
		json_decref(doms);
		json_decref(knds);
		return bad(r, field, why);
	}
	s = json_dumps(doms, JSON_COMPACT);
	p.domains = arena_strdup(r->a, s ? s : "[]");
	free(s);
	s = json_dumps(knds, JSON_COMPACT);
	p.kinds = arena_strdup(r->a, s ? s : "[]");
	free(s);
	json_decref(doms);
	json_decref(knds);
	rc = policy_db_set(r, &p, &before, &after);
	if ((rc = audited(r, rc, "policy.change", "approval", before,
	    after)) != 1)
		return rc;
	if (r->fmt != FMT_JSON)
		return req_redirect(r, "/hub/policy?saved=1");
	if ((rc = policy_db_get(r, &cur)) != 1)
		return req_db_fail(r, rc);
	return req_view(r, 200, NULL, cur);
}

/* A text field, trimmed, 1 to max characters; NULL after answering. */
static const char *
text(struct req *r, const char *field, const char *label, size_t max)
{
	json_t		*d;
	const char	*v;
	int		 failed;

	if ((d = page_again(r, &failed)) == NULL && failed)
		return NULL;
	v = form_text(r, "hub_policy", d, field, label, max);
	if (v != NULL)
		json_decref(d);
	return v;
}

static int
reason_code_valid(const char *s)
{
	size_t	 n = strlen(s);

	return n >= 1 && n <= 40 && strspn(s,
	    "abcdefghijklmnopqrstuvwxyz0123456789_") == n;
}

int
reason_post(struct req *r)
{
	const char	*code, *label, *tmpl;
	json_t		*after;
	int		 rc;

	if ((code = text(r, "code", "the code", 40)) == NULL ||
	    (label = text(r, "label", "the label", 120)) == NULL ||
	    (tmpl = text(r, "template", "the message", 2000)) == NULL)
		return r->resp.status;
	if (!reason_code_valid(code))
		return bad(r, "code", "the code may only have lowercase "
		    "letters, digits and underscores (at most 40)");
	rc = reason_db_add(r, code, label, tmpl);
	if (rc == 0 && strcmp(db_sqlstate(r->db), "23505") == 0)
		return bad_status(r, 409, "taken", "code", "this code exists; "
		    "change it in the list instead");
	after = json_pack("{s:s, s:s, s:s}", "code", code, "label", label,
	    "template", tmpl);
	if ((rc = audited(r, rc, "reason.add", code, NULL, after)) != 1)
		return rc;
	if (r->fmt == FMT_JSON)
		return req_view(r, 201, NULL, json_pack("{s:s, s:s, s:s, s:b}",
		    "code", code, "label", label, "template", tmpl, "active",
		    1));
	return req_redirect(r, "/hub/policy?saved=1#reasons");
}

int
reason_put(struct req *r)
{
	const char	*code = kv_get(&r->params, "code"), *label, *tmpl;
	json_t		*before, *after;
	int		 active, rc;

	if ((label = text(r, "label", "the label", 120)) == NULL ||
	    (tmpl = text(r, "template", "the message", 2000)) == NULL)
		return r->resp.status;
	active = 1;
	if (form_bool(r, "active", &active) < 0)
		return bad(r, "active", "active is true or false");
	rc = reason_db_set(r, code, label, tmpl, active, &before, &after);
	if (rc == 0 && db_sqlstate(r->db)[0] == '\0')
		return req_fail(r, 404, "not_found", NULL, "there is no such "
		    "reason code");
	if ((rc = audited(r, rc, "reason.change", code, before,
	    after)) != 1)
		return rc;
	if (r->fmt == FMT_JSON)
		return req_view(r, 200, NULL, json_pack("{s:s, s:s, s:s, s:b}",
		    "code", code, "label", label, "template", tmpl, "active",
		    active));
	return req_redirect(r, "/hub/policy?saved=1#reasons");
}

/* An optional text field of at most max characters; NULL after
 * answering. */
static const char *
optional_text(struct req *r, const char *field, const char *label,
    size_t max)
{
	const char	*v = req_field(r, field), *p;
	size_t		 n = 0;

	if (v == NULL)
		return "";
	for (p = v; *p != '\0'; p++)
		if (((unsigned char)*p & 0xc0) != 0x80)
			n++;
	if (n > max) {
		bad(r, field, arena_printf(r->a, "%s must be at most %zu "
		    "characters", label, max));
		return NULL;
	}
	return v;
}

static int
question_done(struct req *r, int status, long long id, const char *prompt,
    const char *help, int required, int active)
{
	if (r->fmt == FMT_JSON)
		return req_view(r, status, NULL, json_pack("{s:I, s:s, s:s, "
		    "s:b, s:b}", "id", (json_int_t)id, "prompt", prompt, "help",
		    help, "required", required, "active", active));
	return req_redirect(r, "/hub/policy?saved=1#questions");
}

int
question_post(struct req *r)
{
	const char	*prompt, *help;
	json_t		*after;
	long long	 id = 0;
	int		 required, rc;

	if ((prompt = text(r, "prompt", "the question", 300)) == NULL ||
	    (help = optional_text(r, "help", "the explanation", 500)) == NULL)
		return r->resp.status;
	required = 0;
	if (form_bool(r, "required", &required) < 0)
		return bad(r, "required", "required is true or false");
	rc = question_db_add(r, prompt, help, required, &id);
	after = json_pack("{s:s, s:s, s:b}", "prompt", prompt, "help", help,
	    "required", required);
	if ((rc = audited(r, rc, "question.add", arena_printf(r->a, "%lld",
	    id), NULL, after)) != 1)
		return rc;
	return question_done(r, 201, id, prompt, help, required, 1);
}

int
question_put(struct req *r)
{
	const char	*ids = kv_get(&r->params, "id"), *prompt, *help;
	json_t		*before, *after;
	long long	 id;
	int		 required, active, rc;

	if (!form_digits(ids, 1, LLONG_MAX, &id))
		return req_fail(r, 404, "not_found", NULL, "there is no such "
		    "question");
	if ((prompt = text(r, "prompt", "the question", 300)) == NULL ||
	    (help = optional_text(r, "help", "the explanation", 500)) == NULL)
		return r->resp.status;
	required = 0;
	active = 1;
	if (form_bool(r, "required", &required) < 0)
		return bad(r, "required", "required is true or false");
	if (form_bool(r, "active", &active) < 0)
		return bad(r, "active", "active is true or false");
	rc = question_db_set(r, id, prompt, help, required, active, &before,
	    &after);
	if (rc == 0 && db_sqlstate(r->db)[0] == '\0')
		return req_fail(r, 404, "not_found", NULL, "there is no such "
		    "question");
	if ((rc = audited(r, rc, "question.change", ids, before,
	    after)) != 1)
		return rc;
	return question_done(r, 200, id, prompt, help, required, active);
}
