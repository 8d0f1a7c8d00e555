/*
 * rules.c: the hub's guideline rules and each unit's own, through the
 * JSON API and the pages' forms.  One body per action serves both
 * scopes: a route under /units/{slug} keeps that unit's rules, any other
 * the hub's.  A rule is read from declared input, field by field as its
 * kind needs, into the JSON object of its fields that
 * sql/021_guidelines.sql checks again; a term rule's pattern is compiled
 * before it is stored, so an invalid one is refused with the position of
 * the error.
 */
#include "config.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "app.h"
#include "arena.h"
#include "audit.h"
#include "guide_count.h"
#include "guide_match.h"
#include "guidelines.h"
#include "input.h"
#include "log.h"
#include "post.h"
#include "req.h"
#include "resp.h"
#include "router.h"
#include "rules_db.h"
#include "session.h"
#include "utf8.h"
#include "util.h"

#define NO_RULE	"there is no rule at this address"

const struct route_unit guide_unit_read = { "guest", UNIT_HUB |
	UNIT_DENY_404, NULL, "there is no unit at this address", NULL };
const struct route_unit guide_unit_page = { "author", UNIT_DENY_404 |
	UNIT_LIGHT, NULL, "there is no unit at this address", NULL };
const struct route_unit guide_unit_write = { "owner", UNIT_HIDE, "approved",
	"only the unit's owners keep its rules", "a unit's rules change while "
	"it is approved" };

const char *const guide_kinds[] = {
	"term", "tags", "length", "disclosure", "quiet", "links", NULL
};
static const char *const targets[] = { "all", "regions", "units", NULL };

/* Whether s has a control character. */
static int
has_control(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 1;
	return 0;
}

/* A short text of 1 to max characters, not blank, without control
 * characters. */
static const char *
short_text(const char *s, size_t max)
{
	size_t	 n = utf8_chars(s);

	if (n < 1 || n > max || s[strspn(s, " ")] == '\0' || has_control(s))
		return NULL;
	return s;
}

static const char *
tag_item(struct arena *a, const char *s)
{
	(void)a;
	return short_text(s, 50);
}

static const char *
term_item(struct arena *a, const char *s)
{
	(void)a;
	return short_text(s, 200);
}

static const char *
region_item(struct arena *a, const char *s)
{
	(void)a;
	return short_text(s, 120);
}

static const char *
slug_item(struct arena *a, const char *s)
{
	(void)a;
	return input_slug_problem(s) == NULL ? s : NULL;
}

/* An http or https address without white space. */
static const char *
link_item(struct arena *a, const char *s)
{
	const char	*p;

	(void)a;
	if (strncasecmp(s, "https://", 8) == 0)
		p = s + 8;
	else if (strncasecmp(s, "http://", 7) == 0)
		p = s + 7;
	else
		return NULL;
	if (*p == '\0' || strpbrk(s, " \t\r\n") != NULL || has_control(s))
		return NULL;
	return s;
}

enum {
	R_KIND, R_MESSAGE, R_LINK, R_ENABLED,
	R_PATTERN, R_REGEX, R_CASE, R_REPLACEMENT,
	R_ALLOWED, R_REQUIRED,
	R_CHANNEL, R_LIMIT, R_LINK_LENGTH,
	R_DTAGS, R_DTERMS, R_SENTENCE,
	R_QTERMS, R_STARTS, R_ENDS, R_UNITS, R_REGIONS, R_TARGETS,
	R__MAX
};

/*
 * The fields every rule and each kind has; the hub's quiet periods also
 * name the units and regions they target.  A kind's fields are read only
 * for that kind, and the kind's required ones are checked by
 * kind_fields().
 */
#define RULE_FIELDS \
	[R_KIND] = { .name = "kind", .type = IN_ENUM, .flags = IN_REQUIRED, \
	    .allowed = guide_kinds, .label = "the kind", .invalid = "kind is " \
	    "term, tags, length, disclosure, quiet or links" }, \
	[R_MESSAGE] = { .name = "message", .type = IN_TEXT, \
	    .flags = IN_REQUIRED, .max = 1000, .label = "the message" }, \
	[R_LINK] = { .name = "link", .type = IN_TEXT, .max = 2000, \
	    .item = link_item, .label = "the link", .invalid = "link is " \
	    "an http:// or https:// address" }, \
	[R_ENABLED] = { .name = "enabled", .type = IN_BOOL, \
	    .label = "enabled" }, \
	[R_PATTERN] = { .name = "pattern", .type = IN_TEXT, \
	    .flags = IN_RAW | IN_BYTES, \
	    .max = GUIDE_PATTERN_MAX, .label = "the pattern", \
	    .if_name = "kind", .if_value = "term" }, \
	[R_REGEX] = { .name = "regex", .type = IN_BOOL, .label = "regex", \
	    .if_name = "kind", .if_value = "term" }, \
	[R_CASE] = { .name = "case_sensitive", .type = IN_BOOL, \
	    .label = "case_sensitive", .if_name = "kind", \
	    .if_value = "term" }, \
	[R_REPLACEMENT] = { .name = "replacement", .type = IN_TEXT, \
	    .flags = IN_RAW | IN_BLANK | IN_BYTES, .max = 1000, \
	    .label = "the replacement", .if_name = "kind", \
	    .if_value = "term" }, \
	[R_ALLOWED] = { .name = "allowed", .type = IN_LIST, \
	    .flags = IN_LINES, .max = 500, .item = tag_item, \
	    .label = "the allowed tags", .invalid = "each allowed tag has " \
	    "1 to 50 characters", .if_name = "kind", .if_value = "tags" }, \
	[R_REQUIRED] = { .name = "required", .type = IN_BOOL, \
	    .label = "required", .if_name = "kind", .if_value = "tags" }, \
	[R_CHANNEL] = { .name = "channel", .type = IN_ENUM, \
	    .allowed = post_channels, \
	    .label = "the channel", .invalid = "channel is blog, linkedin, " \
	    "x, facebook, instagram or other", .if_name = "kind", \
	    .if_value = "length" }, \
	[R_LIMIT] = { .name = "limit", .type = IN_INT, \
	    .min = 1, .max = 100000, .label = "the limit", .invalid = \
	    "limit is a number of characters from 1 to 100000", \
	    .if_name = "kind", .if_value = "length" }, \
	[R_LINK_LENGTH] = { .name = "link_length", .type = IN_INT, \
	    .min = 0, .max = 1000, .label = "the link length", .invalid = \
	    "link_length is what a link counts, 0 (itself) to 1000", \
	    .if_name = "kind", .if_value = "length" }, \
	[R_DTAGS] = { .name = "tags", .type = IN_LIST, .flags = IN_LINES, \
	    .max = 50, \
	    .item = tag_item, .label = "the tags", .invalid = "each tag " \
	    "has 1 to 50 characters", .if_name = "kind", \
	    .if_value = "disclosure" }, \
	[R_DTERMS] = { .name = "terms", .type = IN_LIST, .flags = IN_LINES, \
	    .max = 50, \
	    .item = term_item, .label = "the terms", .invalid = "each term " \
	    "has 1 to 200 characters", .if_name = "kind", \
	    .if_value = "disclosure" }, \
	[R_SENTENCE] = { .name = "sentence", .type = IN_TEXT, \
	    .max = 500, .label = "the sentence", \
	    .if_name = "kind", .if_value = "disclosure" }, \
	[R_QTERMS] = { .name = "terms", .type = IN_LIST, \
	    .flags = IN_LINES, .max = 50, .item = term_item, \
	    .label = "the terms", .invalid = "each term has 1 to 200 " \
	    "characters", .if_name = "kind", .if_value = "quiet" }, \
	[R_STARTS] = { .name = "starts", .type = IN_DATE, \
	    .label = "the first day", .invalid = \
	    "starts is a day, YYYY-MM-DD", .if_name = "kind", \
	    .if_value = "quiet" }, \
	[R_ENDS] = { .name = "ends", .type = IN_DATE, \
	    .label = "the last day", .invalid = "ends is a day, YYYY-MM-DD", \
	    .if_name = "kind", .if_value = "quiet" }

static const struct input_field hub_fields[R__MAX] = {
	RULE_FIELDS,
	[R_UNITS] = { .name = "units", .type = IN_LIST, .flags = IN_LINES,
	    .max = 200,
	    .item = slug_item, .label = "the units", .invalid = "units are "
	    "the addresses of units", .if_name = "kind",
	    .if_value = "quiet" },
	[R_REGIONS] = { .name = "regions", .type = IN_LIST, .flags = IN_LINES,
	    .max = 50, .item = region_item, .label = "the regions",
	    .invalid = "each region has 1 to 120 characters",
	    .if_name = "kind", .if_value = "quiet" },
	[R_TARGETS] = { .name = "targets", .type = IN_ENUM, .allowed = targets,
	    .label = "the units targeted", .invalid = "targets is all, "
	    "regions or units", .if_name = "kind", .if_value = "quiet" },
};

/* A unit's quiet period is its own: it names no units or regions. */
static const struct input_field unit_fields[R__MAX] = {
	RULE_FIELDS,
};

const struct input_form guide_hub_rule_input = {
	hub_fields, R__MAX, NULL, NULL, 0
};
const struct input_form guide_unit_rule_input = {
	unit_fields, R__MAX, NULL, NULL, 0
};
const struct input_form guide_hub_rule_form = {
	hub_fields, R__MAX, "guidelines/hub", guide_rules_page, 0
};
const struct input_form guide_unit_rule_form = {
	unit_fields, R__MAX, "guidelines/unit", guide_rules_page, 0
};
const struct input_form guide_hub_rule_edit = {
	hub_fields, R__MAX, "guidelines/rule", guide_rule_page, 0
};
const struct input_form guide_unit_rule_edit = {
	unit_fields, R__MAX, "guidelines/rule", guide_rule_page, 0
};

/* Switching a rule on or off. */
enum { S_ENABLED, S__MAX };

static const struct input_field switch_fields[S__MAX] = {
	[S_ENABLED] = { .name = "enabled", .type = IN_BOOL,
	    .flags = IN_REQUIRED, .label = "enabled", .invalid = "enabled is "
	    "true or false" },
};

const struct input_form guide_switch_input = {
	switch_fields, S__MAX, NULL, NULL, 0
};

/* List i of the input, or a new empty one. */
static json_t *
list_or_empty(struct req *r, size_t i)
{
	json_t	*l = input_list(r, i);

	return l != NULL ? l : req_array(r);
}

/*
 * A term rule's fields; a pattern that does not compile is 422 naming
 * "pattern" with the position of the error, in characters.
 */
static int
term_fields(struct req *r, json_t *f)
{
	const char		*pattern = input_text(r, R_PATTERN);
	const char		*repl = input_has(r, R_REPLACEMENT) ?
				    input_text(r, R_REPLACEMENT) : NULL;
	int			 regex = input_bool(r, R_REGEX, 0);
	int			 cs = input_bool(r, R_CASE, 0);
	struct guide_rule	*gr;
	struct guide_error	 err;

	if (!guide_rule_compile(0, pattern, strlen(pattern), (regex ?
	    GUIDE_REGEX : 0) | (cs ? GUIDE_CASE : 0), repl, &gr, &err)) {
		if (r->fmt != FMT_JSON)
			return input_fail(r, 422, "invalid", "pattern", "the "
			    "pattern is refused at character %zu: %s",
			    err.offset, err.msg);
		return req_view(r, 422, NULL, req_pack(r, "{s:{s:s, s:s, s:s, "
		    "s:I}}", "error", "code", "invalid", "field", "pattern",
		    "message", arena_printf(r->a, "the pattern is refused at "
		    "character %zu: %s", err.offset, err.msg), "position",
		    (json_int_t)err.offset));
	}
	guide_rule_free(gr);
	json_object_set_new(f, "pattern", json_string(pattern));
	json_object_set_new(f, "regex", json_boolean(regex));
	json_object_set_new(f, "case_sensitive", json_boolean(cs));
	json_object_set_new(f, "replacement", repl != NULL ?
	    json_string(repl) : json_null());
	return 0;
}

/*
 * The units a hub's quiet period targets, as lists of units and regions
 * (borrowed or new): every unit when both are empty.  A form says
 * whether it targets all, some regions or some units; 0, or the status
 * after answering.
 */
static int
quiet_targets(struct req *r, json_t **units, json_t **regions)
{
	const char	*to = input_text(r, R_TARGETS);

	*units = list_or_empty(r, R_UNITS);
	*regions = list_or_empty(r, R_REGIONS);
	if (strcmp(to, "all") == 0)
		*units = *regions = req_array(r);
	else if (strcmp(to, "regions") == 0)
		*units = req_array(r);
	else if (strcmp(to, "units") == 0)
		*regions = req_array(r);
	if (strcmp(to, "regions") == 0 && json_array_size(*regions) == 0)
		return input_fail(r, 422, "missing", "regions", "a quiet "
		    "period for some regions names them");
	if (strcmp(to, "units") == 0 && json_array_size(*units) == 0)
		return input_fail(r, 422, "missing", "units", "a quiet period "
		    "for some units names them");
	return 0;
}

/* A quiet period's fields; the hub's name the units they target. */
static int
quiet_fields(struct req *r, json_t *f, int hub)
{
	const char	*starts = input_text(r, R_STARTS);
	const char	*ends = input_text(r, R_ENDS);
	json_t		*units = req_array(r), *regions = req_array(r);
	json_t		*missing;
	char		*dump;
	int		 status;

	if (strcmp(ends, starts) < 0)
		return input_fail(r, 422, "invalid", "ends", "a quiet period "
		    "ends on or after the day it starts");
	if (hub && (status = quiet_targets(r, &units, &regions)) != 0)
		return status;
	if (json_array_size(units) > 0) {
		dump = json_dumps(units, JSON_COMPACT);
		if (rules_db_units_missing(r, arena_strdup(r->a, dump),
		    &missing) < 0) {
			free(dump);
			return req_db_fail(r);
		}
		free(dump);
		if (json_array_size(missing) > 0)
			return input_fail(r, 422, "invalid", "units", "there "
			    "is no unit at the address %s", json_string_value(
			    json_array_get(missing, 0)));
	}
	json_object_set(f, "terms", input_list(r, R_QTERMS));
	json_object_set_new(f, "starts", json_string(starts));
	json_object_set_new(f, "ends", json_string(ends));
	json_object_set(f, "units", units);
	json_object_set(f, "regions", regions);
	return 0;
}

/* The fields each kind requires, by index, ending with R__MAX. */
static const struct {
	const char	*kind;
	int		 need[4];
} required[] = {
	{ "term", { R_PATTERN, R__MAX } },
	{ "tags", { R_ALLOWED, R__MAX } },
	{ "length", { R_CHANNEL, R_LIMIT, R__MAX } },
	{ "disclosure", { R_SENTENCE, R__MAX } },
	{ "quiet", { R_QTERMS, R_STARTS, R_ENDS, R__MAX } },
};

/* 0 when every field kind requires was given, else 422 naming one. */
static int
kind_required(struct req *r, const char *kind)
{
	const struct input_field	*fl;
	size_t				 i, k;
	int				 n;

	for (i = 0; i < NELEM(required); i++) {
		if (strcmp(required[i].kind, kind) != 0)
			continue;
		for (k = 0; (n = required[i].need[k]) != R__MAX; k++) {
			fl = &hub_fields[n];
			if (input_has(r, n) && (fl->type != IN_LIST ||
			    json_array_size(input_list(r, n)) > 0))
				continue;
			return input_fail(r, 422, "missing", fl->name, "a %s "
			    "rule needs %s", kind, fl->label);
		}
	}
	return 0;
}

/* The fields of kind into f: 0, or the status after answering. */
static int
kind_fields(struct req *r, const char *kind, json_t *f, int hub)
{
	const struct guide_channel	*ch;
	const char			*channel;
	int				 status;

	if ((status = kind_required(r, kind)) != 0)
		return status;
	if (strcmp(kind, "term") == 0)
		return term_fields(r, f);
	if (strcmp(kind, "quiet") == 0)
		return quiet_fields(r, f, hub);
	if (strcmp(kind, "tags") == 0) {
		json_object_set(f, "allowed", input_list(r, R_ALLOWED));
		json_object_set_new(f, "required", json_boolean(input_bool(r,
		    R_REQUIRED, 1)));
	} else if (strcmp(kind, "length") == 0) {
		channel = input_text(r, R_CHANNEL);
		ch = guide_channel_find(channel);
		json_object_set_new(f, "channel", json_string(channel));
		json_object_set_new(f, "limit", json_integer(input_int(r,
		    R_LIMIT, 0)));
		json_object_set_new(f, "link_length", json_integer(input_int(r,
		    R_LINK_LENGTH, ch != NULL ? (long long)ch->link_length :
		    0)));
	} else if (strcmp(kind, "disclosure") == 0) {
		if (!input_has(r, R_DTAGS) && !input_has(r, R_DTERMS))
			return input_fail(r, 422, "missing", "terms", "a "
			    "disclosure rule names the tags or terms that "
			    "call for it");
		json_object_set(f, "tags", list_or_empty(r, R_DTAGS));
		json_object_set(f, "terms", list_or_empty(r, R_DTERMS));
		json_object_set_new(f, "sentence", json_string(input_text(r,
		    R_SENTENCE)));
	}
	return 0;
}

/* The rule sent, into t: 0, or the status after answering. */
static int
rule_read(struct req *r, int hub, struct rule_text *t)
{
	json_t	*f = req_object(r);
	char	*dump;
	int	 status;

	t->kind = input_text(r, R_KIND);
	t->message = input_text(r, R_MESSAGE);
	t->link = input_text(r, R_LINK);
	/* A page's forms leave the switch to its own button: a new rule is
	 * on, a changed one keeps its state. */
	t->enabled = r->fmt == FMT_JSON ? input_bool(r, R_ENABLED, 1) : -1;
	if ((status = kind_fields(r, t->kind, f, hub)) != 0)
		return status;
	dump = json_dumps(f, JSON_COMPACT);
	t->fields = arena_strdup(r->a, dump);
	free(dump);
	return 0;
}

/* The route's {name} when it is an identifier, else NULL. */
static const char *
route_id(struct req *r, const char *name)
{
	const char	*id = kv_get(&r->params, name);
	long long	 n;

	return input_digits(id, 1, LLONG_MAX, &n) ? id : NULL;
}

/* The id of rule as text, in the arena. */
static const char *
rule_id(struct req *r, json_t *rule)
{
	return arena_printf(r->a, "%lld", (long long)json_integer_value(
	    json_object_get(rule, "id")));
}

const char *
guide_rules_path(struct req *r)
{
	const char	*slug = kv_get(&r->params, "slug");

	if (slug == NULL)
		return "/hub/guidelines";
	return arena_printf(r->a, "/units/%s/guidelines", slug);
}

/*
 * The answer to a change done: status with the rule as JSON, or back to
 * the page of the rules with done as its notice.
 */
static int
rules_done(struct req *r, int status, json_t *rule, const char *done)
{
	if (r->fmt == FMT_JSON)
		return req_view(r, status, NULL, rule);
	return req_redirect(r, arena_printf(r->a, "%s?done=%s",
	    guide_rules_path(r), done));
}

/*
 * After rules_db_put(), _switch() or _delete() of rule id answered rc:
 * 0 once audited as action, or the status after answering (403 for a
 * rule the caller reads but may not change, 404).
 */
static int
rules_changed(struct req *r, int rc, int found, const char *action,
    const char *id, long long unit, json_t *before, json_t *after)
{
	if (rc < 0)
		return req_db_fail(r);
	if (rc == 0 && !found)
		return req_fail(r, 404, "not_found", NULL, NO_RULE);
	if (rc == 0)
		return req_fail(r, 403, "forbidden", NULL, "%s", kv_get(
		    &r->params, "slug") == NULL ? "only the hub's admins and "
		    "communicators keep the hub's rules" : "only the unit's "
		    "owners keep its rules");
	if (audit_add(r, action, "guideline_rule", id, unit, before,
	    after) < 0)
		return req_db_fail(r);
	logm(L_INFO, r->id, "%s %s unit=%lld person=%lld", action, id, unit,
	    r->sess->p.id);
	return 0;
}

int
guide_rules_get(struct req *r)
{
	const char	*slug = kv_get(&r->params, "slug");
	json_t		*out;

	if ((slug == NULL ? rules_db_hub_list(r, &out) :
	    rules_db_unit_list(r, slug, &out)) < 0)
		return req_db_fail(r);
	return req_view(r, 200, NULL, out);
}

int
guide_rule_post(struct req *r)
{
	struct rule_text	 t;
	const char		*slug = kv_get(&r->params, "slug"), *id;
	json_t			*rule;
	long long		 unit;
	int			 status, rc;

	if ((status = rule_read(r, slug == NULL, &t)) != 0)
		return status;
	if ((rc = rules_db_add(r, slug, &t, &rule, &unit)) < 0)
		return req_db_fail(r);
	if (rc == 0)
		return req_fail(r, 404, "not_found", NULL, "there is no unit "
		    "at this address");
	id = rule_id(r, rule);
	if ((status = rules_changed(r, rc, 1, "guideline.create", id, unit,
	    NULL, rule)) != 0)
		return status;
	if (r->fmt == FMT_JSON)
		resp_header(r, "Location", slug == NULL ? arena_printf(r->a,
		    "/api/v1/guidelines/rules/%s", id) : arena_printf(r->a,
		    "/api/v1/units/%s/guidelines/rules/%s", slug, id));
	return rules_done(r, 201, rule, "added");
}

int
guide_rule_put(struct req *r)
{
	struct rule_text	 t;
	const char		*slug = kv_get(&r->params, "slug");
	const char		*id = route_id(r, "id");
	json_t			*before, *rule;
	long long		 unit;
	int			 status, rc, found;

	if (id == NULL)
		return req_fail(r, 404, "not_found", NULL, NO_RULE);
	if ((status = rule_read(r, slug == NULL, &t)) != 0)
		return status;
	rc = rules_db_put(r, slug, id, &t, &before, &rule, &unit, &found);
	if ((status = rules_changed(r, rc, found, "guideline.update", id,
	    unit, before, rule)) != 0)
		return status;
	return rules_done(r, 200, rule, "saved");
}

int
guide_rule_switch(struct req *r)
{
	const char	*slug = kv_get(&r->params, "slug");
	const char	*id = route_id(r, "id");
	json_t		*before, *rule;
	long long	 unit;
	int		 on = input_bool(r, S_ENABLED, 1), status, rc, found;

	if (id == NULL)
		return req_fail(r, 404, "not_found", NULL, NO_RULE);
	rc = rules_db_switch(r, slug, id, on, &before, &rule, &unit, &found);
	if ((status = rules_changed(r, rc, found, "guideline.update", id,
	    unit, before, rule)) != 0)
		return status;
	return rules_done(r, 200, rule, on ? "on" : "off");
}

int
guide_rule_delete(struct req *r)
{
	const char	*slug = kv_get(&r->params, "slug");
	const char	*id = route_id(r, "id");
	json_t		*before;
	long long	 unit;
	int		 status, rc, found;

	if (id == NULL)
		return req_fail(r, 404, "not_found", NULL, NO_RULE);
	rc = rules_db_delete(r, slug, id, &before, &unit, &found);
	if ((status = rules_changed(r, rc, found, "guideline.delete", id,
	    unit, before, NULL)) != 0)
		return status;
	return rules_done(r, 204, NULL, "deleted");
}
