/*
 * routes.c: the route table.  For every URL: method, pattern, handler,
 * transaction mode and format.  The dispatcher enforces what is declared
 * here; handlers never re-check it.
 */
#include "config.h"

#include "handlers.h"
#include "router.h"
#include "util.h"

#define RO	ROUTE_TX_RO
#define RW	ROUTE_TX_RW
#define API	ROUTE_API
#define ANY	ROUTE_ANY_RULES		/* before the use rules are accepted */

/*
 * Unsafe methods check the CSRF token unless ROUTE_NO_CSRF is given;
 * only logout has it, and checks a live session's token itself.
 */
const struct route routes[] = {
	{ M_GET,  "/",			home_get,	RO,	ACCESS_ANON },
	{ M_GET,  "/healthz",		health_get,	RO | API, ACCESS_ANON },

	{ M_GET,  "/signup",		signup_get,	RO,	ACCESS_ANON },
	{ M_POST, "/signup",		signup_post,	RW,	ACCESS_ANON },
	{ M_GET,  "/confirm",		confirm_get,	RO,	ACCESS_ANON },
	{ M_POST, "/confirm",		confirm_post,	RW | ANY, ACCESS_ANON },
	{ M_GET,  "/login",		login_get,	RO | ANY, ACCESS_ANON },
	{ M_POST, "/login",		login_post,	RW | ANY, ACCESS_ANON },
	{ M_POST, "/logout",		logout_post,	RW | ANY | ROUTE_NO_CSRF,
	  ACCESS_ANON },
	{ M_GET,  "/password/forgot",	forgot_get,	RO | ANY, ACCESS_ANON },
	{ M_POST, "/password/forgot",	forgot_post,	RW | ANY, ACCESS_ANON },
	{ M_GET,  "/password/reset",	reset_get,	RO | ANY, ACCESS_ANON },
	{ M_POST, "/password/reset",	reset_post,	RW | ANY, ACCESS_ANON },
	{ M_GET,  "/account",		account_get,	RO,	ACCESS_PERSON },
	{ M_POST, "/account",		account_post,	RW,	ACCESS_PERSON },
	{ M_GET,  "/account/password",	password_get,	RO,	ACCESS_PERSON },
	{ M_POST, "/account/password",	password_post,	RW,	ACCESS_PERSON },
	{ M_GET,  "/rules",		rules_get,	RO | ANY, ACCESS_PERSON },
	{ M_POST, "/rules/accept",	rules_accept,	RW | ANY, ACCESS_PERSON },
	{ M_GET,  "/hub/rules",		hub_rules_get,	RO,	ACCESS_HUB_ADMIN },
	{ M_POST, "/hub/rules",		hub_rules_post,	RW,	ACCESS_HUB_ADMIN },

	{ M_GET,  "/units",		units_mine,	RO,	ACCESS_PERSON },
	{ M_GET,  "/units/new",		units_new_get,	RO,	ACCESS_PERSON },
	{ M_POST, "/units",		units_post,	RW,	ACCESS_PERSON },
	{ M_GET,  "/units/{slug}",	unit_get,	RO,	ACCESS_PERSON },
	{ M_GET,  "/units/{slug}/edit",	unit_edit_get,	RO,	ACCESS_PERSON },
	{ M_POST, "/units/{slug}/edit",	unit_put,	RW,	ACCESS_PERSON },
	{ M_POST, "/units/{slug}/members", members_post, RW,	ACCESS_PERSON },
	{ M_POST, "/units/{slug}/members/{email}", membership_put, RW,
	  ACCESS_PERSON },
	{ M_GET,  "/units/{slug}/members/{email}/remove",
	  membership_remove_get, RO, ACCESS_PERSON },
	{ M_POST, "/units/{slug}/members/{email}/remove", membership_delete,
	  RW, ACCESS_PERSON },
	{ M_GET,  "/units/{slug}/leave", membership_leave_get, RO,
	  ACCESS_PERSON },
	{ M_POST, "/units/{slug}/leave", membership_leave, RW, ACCESS_PERSON },
	{ M_POST, "/units/{slug}/invitations/{id}/revoke", invitation_delete,
	  RW, ACCESS_PERSON },
	{ M_GET,  "/invitations/accept", invitation_get, RO,	ACCESS_PERSON },
	{ M_POST, "/invitations/accept", invitation_post, RW,	ACCESS_PERSON },
	{ M_GET,  "/hub/queue",		units_list,	RO,	ACCESS_HUB_ADMIN },
	{ M_GET,  "/hub/units",		directory_get,	RO,	ACCESS_PERSON },
	{ M_GET,  "/hub/audit",		audit_get,	RO,	ACCESS_HUB_ADMIN },
	{ M_GET,  "/hub/policy",	policy_get,	RO,	ACCESS_HUB_ADMIN },
	{ M_POST, "/hub/policy",	policy_put,	RW,	ACCESS_HUB_ADMIN },
	{ M_POST, "/hub/reasons",	reason_post,	RW,	ACCESS_HUB_ADMIN },
	{ M_POST, "/hub/reasons/{code}", reason_put,	RW,	ACCESS_HUB_ADMIN },
	{ M_POST, "/hub/questions",	question_post,	RW,	ACCESS_HUB_ADMIN },
	{ M_POST, "/hub/questions/{id}", question_put,	RW,	ACCESS_HUB_ADMIN },
	{ M_POST, "/hub/units/{slug}/decision", unit_decide, RW,
	  ACCESS_PERSON },
	{ M_POST, "/hub/queue/approve",	units_bulk_approve, RW, ACCESS_HUB_ADMIN },

	{ M_POST,   "/api/v1/session",	login_post,	RW | API | ANY,
	  ACCESS_ANON },
	{ M_DELETE, "/api/v1/session",	logout_post,	RW | API | ANY |
	  ROUTE_NO_CSRF, ACCESS_ANON },
	{ M_POST,   "/api/v1/signup",	signup_post,	RW | API, ACCESS_ANON },
	{ M_POST,   "/api/v1/password-reset", forgot_post, RW | API | ANY,
	  ACCESS_ANON },
	{ M_GET,    "/api/v1/me",	me_get,		RO | API | ANY,
	  ACCESS_PERSON },
	{ M_GET,    "/api/v1/use-rules", rules_get,	RO | API | ANY,
	  ACCESS_PERSON },
	{ M_POST,   "/api/v1/use-rules/accept", rules_accept,
	  RW | API | ANY, ACCESS_PERSON },
	{ M_POST,   "/api/v1/units",	units_post,	RW | API, ACCESS_PERSON },
	{ M_GET,    "/api/v1/units",	directory_api,	RO | API, ACCESS_ANON },
	{ M_GET,    "/api/v1/units/{slug}", unit_get,	RO | API, ACCESS_ANON },
	{ M_PUT,    "/api/v1/units/{slug}", unit_put,	RW | API, ACCESS_PERSON },
	{ M_POST,   "/api/v1/units/{slug}/decision", unit_decide, RW | API,
	  ACCESS_PERSON },
	{ M_POST,   "/api/v1/units/decisions", units_bulk_approve, RW | API,
	  ACCESS_HUB_ADMIN },
	{ M_GET,    "/api/v1/units/{slug}/members", members_get, RO | API,
	  ACCESS_PERSON },
	{ M_POST,   "/api/v1/units/{slug}/members", members_post, RW | API,
	  ACCESS_PERSON },
	{ M_PUT,    "/api/v1/units/{slug}/members/{email}", membership_put,
	  RW | API, ACCESS_PERSON },
	{ M_DELETE, "/api/v1/units/{slug}/members/{email}", membership_delete,
	  RW | API, ACCESS_PERSON },
	{ M_GET,    "/api/v1/units/{slug}/invitations", invitations_get,
	  RO | API, ACCESS_PERSON },
	{ M_DELETE, "/api/v1/units/{slug}/invitations/{id}", invitation_delete,
	  RW | API, ACCESS_PERSON },
	{ M_POST,   "/api/v1/invitations/accept", invitation_post, RW | API,
	  ACCESS_PERSON },
	{ M_GET,    "/api/v1/audit",	audit_get,	RO | API, ACCESS_HUB_ADMIN },
	{ M_GET,    "/api/v1/approval-policy", policy_get, RO | API,
	  ACCESS_PERSON },
	{ M_PUT,    "/api/v1/approval-policy", policy_put, RW | API,
	  ACCESS_HUB_ADMIN },
	{ M_POST,   "/api/v1/reason-codes", reason_post, RW | API,
	  ACCESS_HUB_ADMIN },
	{ M_PUT,    "/api/v1/reason-codes/{code}", reason_put, RW | API,
	  ACCESS_HUB_ADMIN },
	{ M_POST,   "/api/v1/screening-questions", question_post, RW | API,
	  ACCESS_HUB_ADMIN },
	{ M_PUT,    "/api/v1/screening-questions/{id}", question_put,
	  RW | API, ACCESS_HUB_ADMIN },
};

const size_t nroutes = NELEM(routes);
