/*
 * rules_db.h: the database side of guideline rules: the hub's rules, a
 * unit's own rules, its mutes of hub rules, and the rules a check runs.
 *
 * Row-level security decides who may (sql/021_guidelines.sql): a rule
 * the acting person may read but not change is found and left as it
 * was (the caller answers 403), one they may not read is not found (0).
 * A rule as the API shows it is {"id","kind",...its fields...,
 * "message","link","enabled","created_at","updated_at"}, a hub rule's
 * with "mutes":[{"unit","reason","muted_at"}] as the person sees them.
 * Identifiers are decimal digits, checked by the caller.  Every JSON
 * value returned belongs to the request's arena.  Return convention of
 * db.h.
 */
#ifndef RULES_DB_H
#define RULES_DB_H

#include <jansson.h>

struct req;

/* A rule as written: its kind's fields are a JSON object's text. */
struct rule_text {
	const char	*kind;
	const char	*fields;
	const char	*message;
	const char	*link;		/* "" for none */
	int		 enabled;	/* 1, 0, or -1: on when added, as
					   it was when changed */
};

/* The hub's rules, oldest first, as *out.  The request's last statement. */
int	rules_db_hub_list(struct req *, json_t **out);

/*
 * The rules of unit slug and its mutes: *out {"rules":[...],"mutes":
 * [{"rule","reason","muted_at"}]}.  The request's last statement.
 */
int	rules_db_unit_list(struct req *, const char *slug, json_t **out);

/*
 * What the page of unit slug's guidelines shows: *out {"hub":[...],
 * "own":[...]}, the hub's rules each with "muted" (the unit's reason,
 * null when it does not mute it) and "applies" (false for a quiet
 * period targeting other units), then the unit's own rules.  The
 * request's last statement.
 */
int	rules_db_unit_page(struct req *, const char *slug, json_t **out);

/*
 * The functions below keep the hub's rules when slug is NULL, else the
 * rules of unit slug; *unit is the unit's id (0 for the hub).  Refused
 * 403 for anyone but hub admins and communicators, or the unit's owners
 * while it is approved.
 */

/* A new rule: 1 with *out the rule, 0 when the unit is not found. */
int	rules_db_add(struct req *, const char *slug,
	    const struct rule_text *, json_t **out, long long *unit);

/*
 * Replace rule id: 1 with *before and *out the rule before and after;
 * 0 when it was not changed: *found tells whether the person reads it
 * (then they may not change it).
 */
int	rules_db_put(struct req *, const char *slug, const char *id,
	    const struct rule_text *, json_t **before, json_t **out,
	    long long *unit, int *found);

/* Switch rule id on or off: as rules_db_put(). */
int	rules_db_switch(struct req *, const char *slug, const char *id,
	    int on, json_t **before, json_t **out, long long *unit,
	    int *found);

/* Remove rule id (a hub rule with its mutes): 1 with *before; 0 as
 * above. */
int	rules_db_delete(struct req *, const char *slug, const char *id,
	    json_t **before, long long *unit, int *found);

/*
 * Mute hub rule rule for unit slug with reason (or change the reason):
 * 1 with *out {"unit","rule","reason","muted_at"}, *before the reason
 * it had (NULL: not muted) and *unit; 0 when there is no such hub rule.
 * Refused 403 for anyone but the unit's owners while it is approved.
 */
int	rules_db_mute(struct req *, const char *slug, const char *rule,
	    const char *reason, const char **before, json_t **out,
	    long long *unit);

/*
 * Unmute hub rule rule for unit slug: 1 with *before the reason and
 * *unit, 0 when the unit did not mute it.
 */
int	rules_db_unmute(struct req *, const char *slug, const char *rule,
	    const char **before, long long *unit);

/*
 * The rules a check of a post of unit slug ("" for none) runs today
 * (UTC): the hub's enabled rules the unit does not mute and its own
 * enabled rules; quiet periods only while they last and, for the hub's,
 * only when they target every unit, the unit or its region.  *rules is
 * [{"id","kind","fields","message"}].  0 when slug names no unit whose
 * posts the person reads (members and hub roles).  The request's last
 * statement.
 */
int	rules_db_active(struct req *, const char *slug, json_t **rules);

/*
 * Of the JSON array of unit addresses slugs, those of no unit the
 * person sees: *missing, an array.
 */
int	rules_db_units_missing(struct req *, const char *slugs,
	    json_t **missing);

#endif
