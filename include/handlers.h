/*
 * handlers.h: every request handler.  A handler returns the HTTP status
 * and leaves a view (or an error) in r->resp; it never writes output.
 */
#ifndef HANDLERS_H
#define HANDLERS_H

#include <stddef.h>

#include <jansson.h>

#include "input.h"
#include "post.h"
#include "router.h"

struct req;

/* The route table: the one place that says what each URL does. */
extern const struct route	 routes[];
extern const size_t		 nroutes;

/* GET /healthz: 200 {"status":"ok","db":"ok",...} or 503 "db":"down". */
int	health_get(struct req *);

/*
 * GET /: the visitors' front page; for someone signed in, their home:
 * pending invitations, requests waiting for their decision, their units.
 */
int	home_get(struct req *);

struct person;

/* {"id","email","name","hub_roles":[...]} of a person (arena-owned). */
json_t	*person_json(struct req *, const struct person *);

/*
 * Password checks for email are throttled (throttle.h): answer 429 with
 * Retry-After, the form view shown again with data (borrowed) and field
 * marked, and return the status; else 0 to go on.
 */
int	login_throttled(struct req *, const char *email, const char *view,
	    json_t *data, const char *field);

/*
 * Accounts (login.c, signup.c, reset.c, account.c).  Each serves its page
 * and, where the route table says so, the JSON API with the same fields.
 * Bad input re-renders the form with the field marked (422), or answers
 * {"error":{code, message, field}}.
 */
int	login_get(struct req *);	/* GET /login */
int	login_post(struct req *);	/* POST /login, /api/v1/session */
int	logout_post(struct req *);	/* POST /logout, DELETE session */
int	signup_get(struct req *);	/* GET /signup */
int	signup_post(struct req *);	/* POST /signup, /api/v1/signup: 201 */
int	confirm_get(struct req *);	/* GET /confirm?token=: a button */
int	confirm_post(struct req *);	/* POST /confirm: confirms, signs in */
int	forgot_get(struct req *);	/* GET /password/forgot */
int	forgot_post(struct req *);	/* POST ..., /api/v1/password-reset:
					   202 */
int	reset_get(struct req *);	/* GET /password/reset?token= */
int	reset_post(struct req *);	/* POST /password/reset */
int	password_get(struct req *);	/* GET /account/password */
int	password_post(struct req *);	/* POST /account/password */
int	account_get(struct req *);	/* GET /account */
int	account_post(struct req *);	/* POST /account: the name */
int	me_get(struct req *);		/* GET /api/v1/me */

extern const struct input_form	 login_input, signup_input, forgot_input;
extern const struct input_form	 reset_input, password_input, account_input;

/*
 * Units (units.c).  A unit the acting person may not see is 404.
 */
int	units_new_get(struct req *);	/* GET /units/new */
int	units_post(struct req *);	/* POST /units, /api/v1/units: 201 */
int	units_list(struct req *);	/* GET /api/v1/units, /hub/queue */
int	units_mine(struct req *);	/* GET /units: my workspaces */
int	unit_get(struct req *);		/* GET /units/{slug}, API */
int	unit_decide(struct req *);	/* POST .../{slug}/decision: deciders */
int	units_bulk_approve(struct req *); /* POST /hub/queue/approve, API */
int	unit_edit_get(struct req *);	/* GET /units/{slug}/edit */
int	unit_put(struct req *);		/* PUT /api/v1/units/{slug}, POST
					   edit */

/* Their declared input (input.h): requests, decisions, bulk approval. */
extern const struct input_form	 unit_new_input, unit_edit_input;
extern const struct input_form	 unit_decide_input, units_bulk_input;

/* The kinds and states of units, as the units table accepts them. */
extern const char *const	 unit_kinds[];
extern const char *const	 unit_states[];

/*
 * The unit page's view (unit_view.c).  Add to unit u (from unit_db_get())
 * what the unit page shows beyond the unit: what the acting person may
 * do there, the member forms, and the notice asked for.
 */
void	unit_page(struct req *, json_t *u);

/*
 * Select role and show last day in member m's form of the unit page;
 * error (or NULL) is the message beside field (role or expires_at).
 */
void	unit_member_form(json_t *m, const char *role, const char *last,
	    const char *field, const char *error);

/* Members and invitations (members.c); an invitation's input. */
extern const struct input_form	 members_input;
int	members_get(struct req *);	/* GET /api/v1/units/{slug}/members */
int	members_post(struct req *);	/* POST ... /members: invite, 201 */
int	invitation_get(struct req *);	/* GET /invitations/accept?token= */
int	invitation_post(struct req *);	/* POST /invitations/accept */
int	invitations_get(struct req *);	/* GET .../invitations: pending */
int	invitation_delete(struct req *); /* revoke one: 204 or the page */

/*
 * Managing members (membership.c): a role or a guest's last day changed,
 * a member removed, a member leaving.  A unit whose members the person
 * may not see is 404; a member they may not change is 403.
 */
int	membership_put(struct req *);	/* PUT .../members/{email}, POST */
int	membership_delete(struct req *); /* DELETE .../members/{email}, POST
					    .../remove: 204, or to the unit */
int	membership_remove_get(struct req *); /* GET .../remove: confirm */
int	membership_leave_get(struct req *); /* GET /units/{slug}/leave */
int	membership_leave(struct req *);	/* POST /units/{slug}/leave */

/* A role change's input. */
extern const struct input_form	 membership_input;

/* Add the member forms' data of the unit page to unit u (unit_view.c). */
void	membership_view(struct req *, json_t *u);

/* GET /hub/audit, /api/v1/audit: filters actor, unit, action, from, to;
 * format=csv exports.  Hub admins. */
int	audit_get(struct req *);

/*
 * How the hub decides (policy.c), hub admins: /hub/policy and its forms,
 * GET (anyone signed in) and PUT /api/v1/approval-policy, reason codes
 * and screening questions (POST adds: 201; PUT changes).
 */
int	policy_get(struct req *);
int	policy_put(struct req *);
int	reason_post(struct req *);
int	reason_put(struct req *);
int	question_post(struct req *);
int	question_put(struct req *);

extern const struct input_form	 policy_input, reason_new_input;
extern const struct input_form	 reason_change_input, question_new_input;
extern const struct input_form	 question_change_input;

/* Whether s (lower case) is a domain name of two labels or more. */
int	policy_domain_valid(const char *);

/* Use rules (rules.c). */
int	rules_get(struct req *);	/* GET /rules, /api/v1/use-rules */
int	rules_accept(struct req *);	/* POST /rules/accept */
int	hub_rules_get(struct req *);	/* GET /hub/rules: admins */
int	hub_rules_post(struct req *);	/* POST /hub/rules: a new version */

extern const struct input_form	 rules_accept_input, rules_publish_input;

/*
 * The directory of units (directory.c), read-only, for hub admins,
 * communicators and HR (403 for anyone else).  directory_api() answers
 * GET /api/v1/units: with q, kind, region, sort, page or per_page it is
 * the directory; without, units_list() as before.
 */
int	directory_get(struct req *);	/* GET /hub/units */
int	directory_api(struct req *);	/* GET /api/v1/units */

#endif
