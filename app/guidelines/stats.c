/*
 * stats.c: what each guideline rule achieves.  GET
 * /api/v1/guidelines/stats[?unit=] answers the numbers per rule and per
 * unit as JSON, or as CSV (?format=csv, or an Accept header preferring
 * text/csv); the section "What each rule achieves" of /hub/guidelines
 * and of a unit's /units/{slug}/guidelines shows the same as tables.
 * Whose numbers is row-level security's to say (stats_db.h): the
 * handler answers 403 to a caller who reads no unit's numbers and 404
 * for a unit whose numbers they do not read, and filters nothing.
 */
#include "config.h"

#include <string.h>

#include "app.h"
#include "arena.h"
#include "csv.h"
#include "guidelines.h"
#include "input.h"
#include "req.h"
#include "stats_db.h"
#include "urlenc.h"
#include "util.h"

#define NOT_READER	"the statistics of the guidelines are read by hub " \
			"admins, hub communicators and units' owners"
#define NO_UNIT		"there is no unit at this address whose " \
			"statistics you read"

enum { SQ_UNIT, SQ_FORMAT, SQ__MAX };

static const char *const formats[] = { "json", "csv", NULL };

static const struct input_field stats_fields[SQ__MAX] = {
	[SQ_UNIT] = { .name = "unit", .type = IN_SLUG, .label = "the unit",
	    .invalid = "unit is the address of a unit" },
	[SQ_FORMAT] = { .name = "format", .type = IN_ENUM,
	    .allowed = formats, .label = "the format",
	    .invalid = "format is json or csv" },
};

const struct input_form guide_stats_query = {
	stats_fields, SQ__MAX, NULL, NULL, 1
};

const struct input_form guide_stats_page_query = {
	stats_fields, 1, "guidelines/hub", guide_rules_page, 1
};

/* The columns of the CSV export: one line per unit and rule. */
static const char *const csv_cols[] = { "rule", "kind", "scope",
    "message", "unit", "unit_name", "fired", "muted", "saves", "suggested",
    "accepted", "declined", "left_open", "rate" };

/* One line per unit and rule, each with its rule's columns. */
static json_t *
csv_rows(struct req *r, json_t *rules)
{
	json_t		*out = req_array(r), *x, *u, *row;
	size_t		 i, k;
	static const char *const rule_keys[] = { "rule", "kind", "scope",
	    "message" };

	json_array_foreach(rules, i, x) {
		json_array_foreach(json_object_get(x, "units"), k, u) {
			row = json_deep_copy(u);
			for (size_t c = 0; c < NELEM(rule_keys); c++)
				json_object_set(row, rule_keys[c],
				    json_object_get(x, rule_keys[c]));
			json_object_set(row, "unit_name",
			    json_object_get(u, "name"));
			json_array_append_new(out, row);
		}
	}
	return out;
}

int
guide_stats_get(struct req *r)
{
	struct guide_stats	 s;
	const char		*slug = input_text(r, SQ_UNIT);

	if (stats_db_read_last(r, slug, &s) < 0)
		return req_db_fail(r);
	if (!s.reader)
		return req_fail(r, 403, "forbidden", NULL, NOT_READER);
	if (!s.unit_ok)
		return req_fail(r, 404, "not_found", "unit", NO_UNIT);
	if (strcmp(input_text(r, SQ_FORMAT), "csv") == 0 ||
	    (!input_has(r, SQ_FORMAT) && fmt_wants_csv(r->accept)))
		return csv_answer(r, *slug != '\0' ? arena_printf(r->a,
		    "guidelines-%s.csv", slug) : "guidelines.csv", csv_cols,
		    NELEM(csv_cols), csv_rows(r, s.rules));
	return req_view(r, 200, NULL, req_pack(r, "{s:s?, s:O}", "unit",
	    *slug != '\0' ? slug : NULL, "rules", s.rules));
}

/* The rate as the page says it. */
static const char *
rate_text(struct req *r, json_t *rate)
{
	if (!json_is_number(rate))
		return "no decision yet";
	return arena_printf(r->a, "%.0f%%", json_number_value(rate) * 100);
}

/* Numbers row x as the page shows them: the rate in words. */
static void
row_view(struct req *r, json_t *x)
{
	json_object_set_new(x, "rate_text", json_string(rate_text(r,
	    json_object_get(x, "rate"))));
}

json_t *
guide_stats_view(struct req *r, json_t *rules, const char *slug)
{
	json_t		*x, *u, *by_unit = req_array(r);
	const char	*kind, *label;
	size_t		 i, k;

	json_array_foreach(rules, i, x) {
		row_view(r, x);
		kind = json_string_value(json_object_get(x, "kind"));
		label = kind != NULL ? guide_kind_label(kind) : NULL;
		json_object_set_new(x, "label", json_string(label != NULL ?
		    arena_printf(r->a, "Rule %lld: %s", (long long)
		    json_integer_value(json_object_get(x, "rule")), label) :
		    arena_printf(r->a, "Rule %lld (removed)", (long long)
		    json_integer_value(json_object_get(x, "rule")))));
		json_array_foreach(json_object_get(x, "units"), k, u) {
			row_view(r, u);
			json_object_set(u, "label", json_object_get(x,
			    "label"));
			json_array_append(by_unit, u);
		}
	}
	return req_pack(r, "{s:O, s:b, s:O, s:b, s:s, s:s?}", "rules", rules,
	    "has_rules", json_array_size(rules) > 0, "by_unit", by_unit,
	    "show_units", *slug == '\0' && json_array_size(by_unit) > 0,
	    "csv", *slug != '\0' ? arena_printf(r->a,
	    "/api/v1/guidelines/stats?format=csv&unit=%s",
	    urlenc_component(r->a, slug)) :
	    "/api/v1/guidelines/stats?format=csv",
	    "unit", *slug != '\0' ? slug : NULL);
}
