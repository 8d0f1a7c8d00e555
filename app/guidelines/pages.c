/*
 * pages.c: the pages of guidelines.  /hub/guidelines shows the hub's
 * rules, a form to add one of each kind and which units muted what, and
 * why; /units/{slug}/guidelines shows a unit's owners its own rules with
 * the same forms and the hub's rules with a form to mute each, and its
 * editors and authors the rules in force for the unit.  A rule's own
 * page edits it; another confirms its removal.  Both scopes share every
 * handler and the form of a rule (templates/guidelines/rule_form.html);
 * the changes themselves are rules.c's and mutes.c's.  The hub's page,
 * and a unit's for its owners, also show what each rule achieves
 * (stats.c), the hub's for every unit or the one its filter names.
 */
#include "config.h"

#include <string.h>

#include "app.h"
#include "arena.h"
#include "guidelines.h"
#include "kv.h"
#include "post.h"
#include "req.h"
#include "rules_db.h"
#include "input.h"
#include "session.h"
#include "stats_db.h"
#include "util.h"

#define NO_RULE	"there is no rule at this address"

/* What a change done says on the page it returns to (?done=). */
static const struct {
	const char	*done;
	const char	*notice;
} notices[] = {
	{ "added", "The rule is added." },
	{ "saved", "The rule is saved." },
	{ "on", "The rule is switched on." },
	{ "off", "The rule is switched off: it finds nothing until it is "
	  "switched on again." },
	{ "deleted", "The rule is deleted." },
	{ "muted", "The hub's rule is muted for this unit; the hub reads "
	  "your reason." },
	{ "unmuted", "The hub's rule applies to this unit again." },
};

static const struct {
	const char	*kind;
	const char	*label;
} labels[] = {
	{ "term", "Term" }, { "tags", "Tags" }, { "length", "Length" },
	{ "disclosure", "Disclosure" }, { "quiet", "Quiet period" },
	{ "links", "Links" },
};

/* The fields a form shows in a text area, one item a line. */
static const char *const lines[] = {
	"allowed", "tags", "terms", "units", "regions", NULL
};

const char *
guide_kind_label(const char *kind)
{
	size_t	 i;

	for (i = 0; i < NELEM(labels); i++)
		if (strcmp(kind, labels[i].kind) == 0)
			return labels[i].label;
	return NULL;
}

/* Member k of o as text ("" when it is no string). */
static const char *
str(json_t *o, const char *k)
{
	const char	*s = json_string_value(json_object_get(o, k));

	return s != NULL ? s : "";
}

/* The strings of list l joined by sep, in the arena. */
static const char *
join(struct req *r, json_t *l, const char *sep)
{
	const char	*out = "";
	size_t		 i;

	for (i = 0; i < json_array_size(l); i++)
		out = arena_printf(r->a, "%s%s%s", out, i ? sep : "",
		    json_string_value(json_array_get(l, i)));
	return out;
}

/* The units a hub's quiet period f targets, in words. */
static const char *
quiet_targets(struct req *r, json_t *f)
{
	json_t	*units = json_object_get(f, "units");
	json_t	*regions = json_object_get(f, "regions");

	if (json_array_size(units) == 0 && json_array_size(regions) == 0)
		return "every unit";
	if (json_array_size(units) == 0)
		return arena_printf(r->a, "the regions %s", join(r, regions,
		    ", "));
	if (json_array_size(regions) == 0)
		return arena_printf(r->a, "the units %s", join(r, units, ", "));
	return arena_printf(r->a, "the units %s and the regions %s",
	    join(r, units, ", "), join(r, regions, ", "));
}

/* What rule x looks for, in words (arena-owned). */
static const char *
looks_for(struct req *r, json_t *x)
{
	const char	*kind = str(x, "kind"), *s;

	if (strcmp(kind, "term") == 0) {
		s = arena_printf(r->a, "%s “%s”%s", json_is_true(
		    json_object_get(x, "regex")) ? "the regular expression" :
		    "the words", str(x, "pattern"), json_is_true(
		    json_object_get(x, "case_sensitive")) ? ", matching case" :
		    "");
		if (json_is_string(json_object_get(x, "replacement")))
			s = arena_printf(r->a, "%s; suggests “%s”", s,
			    str(x, "replacement"));
		return s;
	}
	if (strcmp(kind, "tags") == 0)
		return arena_printf(r->a, "tags other than %s%s", join(r,
		    json_object_get(x, "allowed"), ", "), json_is_true(
		    json_object_get(x, "required")) ? "; at least one tag" :
		    "");
	if (strcmp(kind, "length") == 0)
		return arena_printf(r->a, "more than %lld characters on %s "
		    "(a link counts %lld)", (long long)json_integer_value(
		    json_object_get(x, "limit")), str(x, "channel"),
		    (long long)json_integer_value(json_object_get(x,
		    "link_length")));
	if (strcmp(kind, "disclosure") == 0)
		return arena_printf(r->a, "posts tagged %s or saying %s "
		    "without “%s”", json_array_size(json_object_get(x,
		    "tags")) ? join(r, json_object_get(x, "tags"), ", ") :
		    "(no tag)", json_array_size(json_object_get(x, "terms")) ?
		    join(r, json_object_get(x, "terms"), ", ") : "(no term)",
		    str(x, "sentence"));
	if (strcmp(kind, "quiet") == 0)
		return arena_printf(r->a, "%s, from %s through %s, in %s",
		    join(r, json_object_get(x, "terms"), ", "), str(x,
		    "starts"), str(x, "ends"), quiet_targets(r, x));
	return "links that do not work";
}

/* Rule x as a list shows it, with its page at base/rules/{id}. */
static void
rule_view(struct req *r, json_t *x, const char *base)
{
	size_t	 i;

	for (i = 0; i < NELEM(labels); i++)
		if (strcmp(str(x, "kind"), labels[i].kind) == 0)
			json_object_set_new(x, "kind_label",
			    json_string(labels[i].label));
	json_object_set_new(x, "looks_for", json_string(looks_for(r, x)));
	json_object_set_new(x, "href", json_string(arena_printf(r->a,
	    "%s/rules/%lld", base, (long long)json_integer_value(
	    json_object_get(x, "id")))));
	json_object_set_new(x, "errors", json_object());
}

/*
 * Rule x's fields as its form shows them (arena-owned): lists one item
 * a line, numbers as text, what a hub's quiet period targets.
 */
static json_t *
rule_values(struct req *r, json_t *x)
{
	json_t		*v = req_json_own(r, json_deep_copy(x)), *n;
	json_t		*units = json_object_get(x, "units");
	json_t		*regions = json_object_get(x, "regions");
	size_t		 i;

	for (i = 0; lines[i] != NULL; i++)
		if (json_is_array(json_object_get(x, lines[i])))
			json_object_set_new(v, lines[i], json_string(join(r,
			    json_object_get(x, lines[i]), "\n")));
	if ((n = json_object_get(x, "limit")) != NULL)
		json_object_set_new(v, "limit", json_string(arena_printf(r->a,
		    "%lld", (long long)json_integer_value(n))));
	if ((n = json_object_get(x, "link_length")) != NULL)
		json_object_set_new(v, "link_length", json_string(arena_printf(
		    r->a, "%lld", (long long)json_integer_value(n))));
	json_object_set_new(v, "targets", json_string(json_array_size(units) ?
	    "units" : json_array_size(regions) ? "regions" : "all"));
	return v;
}

/* What a new rule's form shows at first. */
static json_t *
new_values(struct req *r)
{
	return req_pack(r, "{s:b, s:s}", "required", 1, "targets", "all");
}

/*
 * The form of a rule of kind, posted to action: values as shown, the
 * message msg beside field (NULL for none); prefix makes its ids
 * unique on the page.  Arena-owned.
 */
static json_t *
form_view(struct req *r, const char *kind, const char *action,
    const char *prefix, json_t *values, const char *field, const char *msg)
{
	json_t		*f, *errors = json_object(), *opts = json_array();
	const char	*to = str(values, "targets");
	size_t		 i;

	if (field != NULL && msg != NULL)
		json_object_set_new(errors, field, json_string(msg));
	for (i = 0; post_channels[i] != NULL; i++)
		json_array_append_new(opts, json_pack("{s:s, s:b}", "value",
		    post_channels[i], "selected", strcmp(post_channels[i],
		    str(values, "channel")) == 0));
	f = req_pack(r, "{s:s, s:s, s:s, s:O, s:o, s:o, s:b, s:b, s:b, s:b, "
	    "s:b}", "kind", kind, "action", action, "prefix", prefix,
	    "values", values, "errors", errors, "channels", opts,
	    "open", field != NULL, "hub", kv_get(&r->params, "slug") == NULL,
	    "t_all", *to == '\0' || strcmp(to, "all") == 0,
	    "t_regions", strcmp(to, "regions") == 0,
	    "t_units", strcmp(to, "units") == 0);
	json_object_set_new(f, arena_printf(r->a, "is_%s", kind),
	    json_true());
	json_object_set_new(f, "button", json_string(strcmp(prefix,
	    "edit") == 0 ? "Save the rule" : "Add the rule"));
	for (i = 0; i < NELEM(labels); i++)
		if (strcmp(kind, labels[i].kind) == 0)
			json_object_set_new(f, "kind_label",
			    json_string(labels[i].label));
	return f;
}

/*
 * The forms adding a rule of each kind; the one of kind typed (NULL:
 * none) shows values and msg beside field.
 */
static json_t *
add_forms(struct req *r, const char *typed, json_t *values,
    const char *field, const char *msg)
{
	json_t		*forms = req_array(r);
	const char	*action = arena_printf(r->a, "%s/rules",
			    guide_rules_path(r));
	size_t		 i;
	int		 it;

	for (i = 0; guide_kinds[i] != NULL; i++) {
		it = typed != NULL && strcmp(typed, guide_kinds[i]) == 0;
		json_array_append(forms, form_view(r, guide_kinds[i], action,
		    arena_printf(r->a, "new-%s", guide_kinds[i]), it ? values :
		    new_values(r), it ? field : NULL, it ? msg : NULL));
	}
	return forms;
}

/* The notice of ?done=, or NULL. */
static const char *
notice(struct req *r)
{
	const char	*done = kv_get(&r->query, "done");
	size_t		 i;

	for (i = 0; done != NULL && i < NELEM(notices); i++)
		if (strcmp(done, notices[i].done) == 0)
			return notices[i].notice;
	return NULL;
}

/*
 * What each rule achieves, for the hub's page: every unit's numbers, or
 * those of the unit its filter names (a filter shown again with field
 * set: every unit's, the filter holding what was typed).  An unknown
 * unit is the page again, 404, the message beside the filter.  NULL
 * after answering.
 */
static json_t *
hub_stats(struct req *r, json_t *values, const char *field)
{
	struct guide_stats	 s;
	const char		*filter = "", *typed = "";
	json_t			*v;

	if (r->route != NULL && r->route->input == &guide_stats_page_query) {
		if (field == NULL)
			filter = typed = input_text(r, 0);
		else
			typed = str(values, "unit");
	}
	if (stats_db_read(r, filter, &s) < 0) {
		req_db_fail(r);
		return NULL;
	}
	if (!s.unit_ok) {
		input_fail(r, 404, "not_found", "unit", "there is no unit at "
		    "this address");
		return NULL;
	}
	v = guide_stats_view(r, s.rules, filter);
	json_object_set_new(v, "filter", json_string(typed));
	json_object_set_new(v, "filtered", json_boolean(*filter != '\0'));
	return v;
}

/*
 * The hub's page: what each rule achieves, its rules, and every mute
 * with its unit, rule and reason.  NULL after answering.
 */
static json_t *
hub_data(struct req *r, json_t *values, const char *field)
{
	json_t		*out, *rules, *x, *mutes = req_array(r), *m, *stats;
	size_t		 i, k;

	if ((stats = hub_stats(r, values, field)) == NULL)
		return NULL;
	if (rules_db_hub_list(r, &out) < 0) {
		req_db_fail(r);
		return NULL;
	}
	rules = json_object_get(out, "rules");
	json_array_foreach(rules, i, x) {
		rule_view(r, x, "/hub/guidelines");
		json_array_foreach(json_object_get(x, "mutes"), k, m)
			json_array_append_new(mutes, json_pack("{s:s, s:I, "
			    "s:s, s:s, s:s, s:s}", "unit", str(m, "unit"),
			    "rule",
			    json_integer_value(json_object_get(x, "id")),
			    "kind_label", str(x, "kind_label"), "looks_for",
			    str(x, "looks_for"), "reason", str(m, "reason"),
			    "muted_at", str(m, "muted_at")));
	}
	return req_pack(r, "{s:O, s:b, s:O, s:b, s:b, s:s, s:O}", "rules_list",
	    rules, "change", 1, "mutes", mutes, "has_rules",
	    json_array_size(rules) > 0, "has_mutes", json_array_size(mutes) > 0,
	    "csrf", csrf_token(r), "stats", stats);
}

/*
 * A unit's page: the hub's rules with the unit's mutes and its own
 * rules; for readers, the rules in force.  errors_rule (NULL: none) is
 * the hub rule whose mute form shows values and msg beside field.  NULL
 * after answering a database failure.
 */
static json_t *
unit_data(struct req *r, const char *errors_rule, json_t *values,
    const char *field, const char *msg)
{
	const char	*slug = kv_get(&r->params, "slug");
	const char	*base = guide_rules_path(r);
	json_t		*out, *hub, *own, *x, *force = req_array(r);
	json_t		*stats = NULL;
	struct guide_stats s;
	size_t		 i;
	int		 owner;

	if (strcmp(r->unit_role, "owner") == 0) {
		if (stats_db_read(r, slug, &s) < 0) {
			req_db_fail(r);
			return NULL;
		}
		stats = guide_stats_view(r, s.rules, slug);
	}
	if (rules_db_unit_page(r, slug, &out) < 0) {
		req_db_fail(r);
		return NULL;
	}
	owner = strcmp(r->unit_role, "owner") == 0 && strcmp(str(r->unit,
	    "state"), "approved") == 0;
	hub = json_object_get(out, "hub");
	own = json_object_get(out, "own");
	json_array_foreach(hub, i, x) {
		rule_view(r, x, base);
		if (errors_rule != NULL && field != NULL && strcmp(errors_rule,
		    arena_printf(r->a, "%lld", (long long)json_integer_value(
		    json_object_get(x, "id")))) == 0) {
			json_object_set_new(json_object_get(x, "errors"), field,
			    json_string(msg));
			json_object_set_new(x, "values_reason",
			    json_string(str(values, "reason")));
		}
		if (json_is_true(json_object_get(x, "enabled")) &&
		    json_is_true(json_object_get(x, "applies")) &&
		    json_is_null(json_object_get(x, "muted")))
			json_array_append(force, x);
	}
	json_array_foreach(own, i, x) {
		rule_view(r, x, base);
		if (json_is_true(json_object_get(x, "enabled")))
			json_array_append(force, x);
	}
	return req_pack(r, "{s:s, s:s, s:O, s:{s:O, s:b}, s:{s:O, s:b}, s:b, "
	    "s:b, s:b, s:b, s:s, s:O}", "slug", slug, "name", str(r->unit,
	    "name"),
	    "hub", hub, "own_view", "rules_list", own, "change", owner,
	    "force_view", "rules_list", force, "change", 0, "owner", owner,
	    "has_own", json_array_size(own) > 0, "has_hub",
	    json_array_size(hub) > 0, "has_force", json_array_size(force) > 0,
	    "csrf", csrf_token(r), "stats", stats != NULL ? stats :
	    json_null());
}

json_t *
guide_rules_page(struct req *r, json_t *values, const char *field,
    const char *msg)
{
	const char	*rule = kv_get(&r->params, "rule");
	json_t		*d;

	d = kv_get(&r->params, "slug") == NULL ? hub_data(r, values, field) :
	    unit_data(r, rule, values, field, msg);
	if (d == NULL)
		return NULL;
	/* add_forms() answers an arena value: d takes its own reference. */
	json_object_set(d, "forms", add_forms(r, rule == NULL ?
	    str(values, "kind") : NULL, values, field, msg));
	return d;
}

int
guide_page_get(struct req *r)
{
	const char	*slug = kv_get(&r->params, "slug");
	const char	*n = notice(r);
	json_t		*d;

	if ((d = guide_rules_page(r, NULL, NULL, NULL)) == NULL)
		return r->resp.status;
	if (n != NULL)
		json_object_set_new(d, "notice", json_string(n));
	return req_view(r, 200, slug == NULL ? "guidelines/hub" :
	    "guidelines/unit", d);
}

/*
 * Rule {id} of the route's scope, as a list shows it, into *rule: 1, 0
 * after answering 404, -1 after answering a database failure.
 */
static int
find_rule(struct req *r, json_t **rule)
{
	const char	*slug = kv_get(&r->params, "slug");
	const char	*id = kv_get(&r->params, "id");
	json_t		*out, *rules, *x;
	size_t		 i;

	*rule = NULL;
	if ((slug == NULL ? rules_db_hub_list(r, &out) :
	    rules_db_unit_page(r, slug, &out)) < 0) {
		req_db_fail(r);
		return -1;
	}
	rules = json_object_get(out, slug == NULL ? "rules" : "own");
	json_array_foreach(rules, i, x) {
		if (strcmp(arena_printf(r->a, "%lld", (long long)
		    json_integer_value(json_object_get(x, "id"))), id) != 0)
			continue;
		rule_view(r, x, guide_rules_path(r));
		*rule = x;
		return 1;
	}
	req_fail(r, 404, "not_found", NULL, NO_RULE);
	return 0;
}

/* The page of one rule: its form with values, msg beside field. */
static json_t *
rule_data(struct req *r, json_t *x, json_t *values, const char *field,
    const char *msg)
{
	json_t	*d;

	d = req_pack(r, "{s:O, s:s, s:s}", "rule", x, "back",
	    guide_rules_path(r), "csrf", csrf_token(r));
	json_object_set_new(d, "form", json_incref(form_view(r, str(x, "kind"),
	    str(x, "href"), "edit", values, field, msg)));
	if (r->unit != NULL)
		json_object_set_new(d, "unit", json_string(str(r->unit,
		    "name")));
	return d;
}

json_t *
guide_rule_page(struct req *r, json_t *values, const char *field,
    const char *msg)
{
	json_t	*x;

	if (find_rule(r, &x) != 1)
		return NULL;
	return rule_data(r, x, values, field, msg);
}

int
guide_rule_get(struct req *r)
{
	json_t	*x;
	int	 rc;

	if ((rc = find_rule(r, &x)) != 1)
		return r->resp.status;
	return req_view(r, 200, "guidelines/rule", rule_data(r, x,
	    rule_values(r, x), NULL, NULL));
}

int
guide_rule_delete_get(struct req *r)
{
	json_t	*x;

	if (find_rule(r, &x) != 1)
		return r->resp.status;
	return req_view(r, 200, "guidelines/delete", req_pack(r,
	    "{s:O, s:s, s:s}", "rule", x, "back", guide_rules_path(r),
	    "csrf", csrf_token(r)));
}
