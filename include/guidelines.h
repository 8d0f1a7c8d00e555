/*
 * guidelines.h: the guideline rules' JSON API: the hub's rules, each
 * unit's own rules, its mutes of hub rules, and the dry-run check.
 *
 * A handler returns the HTTP status and leaves a view (or an error) in
 * r->resp.  Who may is the schema's to say (sql/021_guidelines.sql) and
 * the route table's for routes under a unit: a rule the caller reads
 * but may not change is 403, one they do not read 404.  Every change is
 * audited.
 */
#ifndef GUIDELINES_H
#define GUIDELINES_H

#include <jansson.h>

struct input_form;
struct req;
struct route_unit;

/*
 * Rules (rules.c): a route under /units/{slug} keeps that unit's rules,
 * any other the hub's.  JSON: GET /api/v1/guidelines/rules 200
 * {"rules":[...]} (a unit's: {"rules":[...],"mutes":[...]}); POST 201 the
 * rule (with its "id"), 422 naming the field; PUT .../rules/{id} 200 the
 * rule; DELETE .../rules/{id} 204.  From a page's form, a change done is
 * 303 to the page of the rules with a notice, bad input the form again
 * (422).  403 for anyone but hub admins and communicators (the hub's
 * rules) or the unit's owners; 404.  guide_rule_switch() switches a rule
 * on or off (guide_switch_input).
 */
int	guide_rules_get(struct req *);
int	guide_rule_post(struct req *);
int	guide_rule_put(struct req *);
int	guide_rule_switch(struct req *);
int	guide_rule_delete(struct req *);

/* The page of the rules of the route's scope: "/hub/guidelines" or
 * "/units/{slug}/guidelines" (arena-owned). */
const char	*guide_rules_path(struct req *);

/* The kinds of rules, NULL-ended. */
extern const char *const	 guide_kinds[];

/*
 * A rule's fields, as the hub writes them and as a unit does: through
 * the API (_input), from the page of the rules (_form) and from the page
 * of one rule (_edit).
 */
extern const struct input_form	 guide_hub_rule_input, guide_unit_rule_input,
				 guide_hub_rule_form, guide_unit_rule_form,
				 guide_hub_rule_edit, guide_unit_rule_edit,
				 guide_switch_input;

/*
 * The pages (pages.c).  GET /hub/guidelines (hub admins and
 * communicators) and /units/{slug}/guidelines (the unit's owners keep
 * its rules; its editors and authors read the rules in force): 200.
 * GET .../rules/{id}: the form of one rule; GET .../rules/{id}/delete:
 * the confirmation of its removal.  404 for a rule not there.
 */
int	guide_page_get(struct req *);
int	guide_rule_get(struct req *);
int	guide_rule_delete_get(struct req *);

/*
 * The forms' pages again (struct input_form's page): the page of the
 * rules, or of one rule, with what was typed in the form it came from.
 */
json_t	*guide_rules_page(struct req *, json_t *values, const char *field,
	    const char *msg);
json_t	*guide_rule_page(struct req *, json_t *values, const char *field,
	    const char *msg);

/*
 * Mutes (mutes.c): PUT /api/v1/units/{slug}/guidelines/mutes/{rule}
 * {"reason"}: 200 {"unit","rule","reason","muted_at"}; DELETE: 204.
 */
int	guide_mute_put(struct req *);
int	guide_mute_delete(struct req *);

extern const struct input_form	 guide_mute_input, guide_mute_form;

/*
 * What each rule achieves (stats.c).  GET /api/v1/guidelines/stats
 * [?unit=<slug>][&format=json|csv]: 200 {"unit","rules":[...]} as
 * stats_db.h reads them (or CSV: ?format=csv, or Accept preferring
 * text/csv), the numbers of every unit the caller reads or of unit;
 * 403 for a caller who reads no unit's (anyone but hub admins, hub
 * communicators and units' owners); 404 naming "unit" for a unit whose
 * numbers they do not read; 400 for a query that is none.
 * guide_stats_page_query is the hub page's filter (unit).
 */
int	guide_stats_get(struct req *);
extern const struct input_form	 guide_stats_query, guide_stats_page_query;

/*
 * The section "What each rule achieves" of a page: rules as stats_db.h
 * reads them, those of unit slug ("" for every unit): {"rules","by_unit",
 * "has_rules","show_units","csv","unit"}, arena-owned.
 */
json_t	*guide_stats_view(struct req *, json_t *rules, const char *slug);

/* The label of rule kind ("Term", "Quiet period"), or NULL. */
const char	*guide_kind_label(const char *kind);

/*
 * POST /api/v1/guidelines/check (check.c): 200 {"findings":[...]}, a
 * dry run, nothing stored; 422 naming "unit" for a unit whose posts the
 * caller does not read.
 */
int	guide_check_post(struct req *);

extern const struct input_form	 guide_check_input;

/* What the unit routes need of their unit (router.h): reading its
 * rules (members and hub roles), writing them (owners, approved), its
 * page (authors and up). */
extern const struct route_unit	 guide_unit_read, guide_unit_write,
				 guide_unit_mute, guide_unit_page;

#endif
