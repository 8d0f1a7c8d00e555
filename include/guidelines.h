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

struct input_form;
struct req;
struct route_unit;

/*
 * The hub's rules (rules.c).  GET /api/v1/guidelines/rules: 200
 * {"rules":[...]}.  POST: 201 the rule (with its "id"), 422 naming the
 * field.  PUT .../rules/{id}: 200 the rule.  DELETE .../rules/{id}: 204.
 * 403 for anyone but hub admins and communicators; 404.
 */
int	guide_rules_get(struct req *);
int	guide_rule_post(struct req *);
int	guide_rule_put(struct req *);
int	guide_rule_delete(struct req *);

/*
 * A unit's rules (rules.c), under /api/v1/units/{slug}/guidelines/rules:
 * GET 200 {"rules":[...],"mutes":[...]}; POST 201 the rule; PUT .../{id}
 * 200; DELETE .../{id} 204.
 */
int	guide_unit_rules_get(struct req *);
int	guide_unit_rule_post(struct req *);
int	guide_unit_rule_put(struct req *);
int	guide_unit_rule_delete(struct req *);

/* A rule's fields, as the hub writes them and as a unit does. */
extern const struct input_form	 guide_hub_rule_input, guide_unit_rule_input;

/*
 * Mutes (mutes.c): PUT /api/v1/units/{slug}/guidelines/mutes/{rule}
 * {"reason"}: 200 {"unit","rule","reason","muted_at"}; DELETE: 204.
 */
int	guide_mute_put(struct req *);
int	guide_mute_delete(struct req *);

extern const struct input_form	 guide_mute_input;

/*
 * POST /api/v1/guidelines/check (check.c): 200 {"findings":[...]}, a
 * dry run, nothing stored; 422 naming "unit" for a unit whose posts the
 * caller does not read.
 */
int	guide_check_post(struct req *);

extern const struct input_form	 guide_check_input;

/* What the unit routes need of their unit (router.h): reading its
 * rules (members and hub roles), writing them (owners, approved). */
extern const struct route_unit	 guide_unit_read, guide_unit_write,
				 guide_unit_mute;

#endif
