/*
 * routes.c: the route table.  For every URL: method, pattern, handler,
 * transaction mode and format, who may call it, its declared input and
 * what it needs of the unit of its {slug}.  The dispatcher enforces what
 * is declared here; handlers never re-check it.
 */
#include "config.h"

#include "handlers.h"
#include "review.h"
#include "router.h"
#include "util.h"

#define RO	ROUTE_TX_RO
#define RW	ROUTE_TX_RW
#define API	ROUTE_API
#define ANY	ROUTE_ANY_RULES		/* before the use rules are accepted */

/* What routes under /units/{slug} need of the unit (router.h). */
static const struct route_unit seen = { NULL, 0, NULL, NULL, NULL };
static const struct route_unit edit = { "owner", 0,
	"requested changes_requested", "only the unit's owners edit its request",
	"a request can only be edited while it waits for a decision or for "
	"changes" };
static const struct route_unit invite = { "owner", UNIT_ADMIN, NULL,
	"only the unit's owners invite members", NULL };
static const struct route_unit members = { "guest", UNIT_HUB | UNIT_DENY_404,
	NULL, "there is no unit at this address", NULL };
static const struct route_unit roles = { "owner", UNIT_ADMIN | UNIT_HIDE,
	NULL, "only the unit's owners change members' roles", NULL };
static const struct route_unit removal = { "owner", UNIT_ADMIN | UNIT_HIDE |
	UNIT_SELF, NULL, "only the unit's owners remove members", NULL };
static const struct route_unit leave = { "guest", UNIT_DENY_404, NULL,
	"you are not a member of this unit", NULL };
static const struct route_unit invitations = { "owner", UNIT_ADMIN |
	UNIT_HIDE, NULL, "only the unit's owners see and revoke its "
	"invitations", NULL };

/*
 * Unsafe methods check the CSRF token unless ROUTE_NO_CSRF is given;
 * only logout has it, and checks a live session's token itself.
 */
const struct route routes[] = {
	{ M_GET,  "/",			home_get,	RO,	ACCESS_ANON,
	  NULL, NULL },
	{ M_GET,  "/healthz",		health_get,	RO | API, ACCESS_ANON,
	  NULL, NULL },

	{ M_GET,  "/signup",		signup_get,	RO,	ACCESS_ANON,
	  NULL, NULL },
	{ M_POST, "/signup",		signup_post,	RW,	ACCESS_ANON,
	  &signup_input, NULL },
	{ M_GET,  "/confirm",		confirm_get,	RO,	ACCESS_ANON,
	  NULL, NULL },
	{ M_POST, "/confirm",		confirm_post,	RW | ANY, ACCESS_ANON,
	  NULL, NULL },
	{ M_GET,  "/login",		login_get,	RO | ANY, ACCESS_ANON,
	  NULL, NULL },
	{ M_POST, "/login",		login_post,	RW | ANY, ACCESS_ANON,
	  &login_input, NULL },
	{ M_POST, "/logout",		logout_post,	RW | ANY | ROUTE_NO_CSRF,
	  ACCESS_ANON, NULL, NULL },
	{ M_GET,  "/password/forgot",	forgot_get,	RO | ANY, ACCESS_ANON,
	  NULL, NULL },
	{ M_POST, "/password/forgot",	forgot_post,	RW | ANY, ACCESS_ANON,
	  &forgot_input, NULL },
	{ M_GET,  "/password/reset",	reset_get,	RO | ANY, ACCESS_ANON,
	  NULL, NULL },
	{ M_POST, "/password/reset",	reset_post,	RW | ANY, ACCESS_ANON,
	  &reset_input, NULL },
	{ M_GET,  "/account",		account_get,	RO,	ACCESS_PERSON,
	  NULL, NULL },
	{ M_POST, "/account",		account_post,	RW,	ACCESS_PERSON,
	  &account_input, NULL },
	{ M_GET,  "/account/password",	password_get,	RO,	ACCESS_PERSON,
	  NULL, NULL },
	{ M_POST, "/account/password",	password_post,	RW,	ACCESS_PERSON,
	  &password_input, NULL },
	{ M_GET,  "/rules",		rules_get,	RO | ANY, ACCESS_PERSON,
	  NULL, NULL },
	{ M_POST, "/rules/accept",	rules_accept,	RW | ANY, ACCESS_PERSON,
	  &rules_accept_input, NULL },
	{ M_GET,  "/hub/rules",		hub_rules_get,	RO,	ACCESS_HUB_ADMIN,
	  NULL, NULL },
	{ M_POST, "/hub/rules",		hub_rules_post,	RW,	ACCESS_HUB_ADMIN,
	  &rules_publish_input, NULL },

	{ M_GET,  "/units",		units_mine,	RO,	ACCESS_PERSON,
	  NULL, NULL },
	{ M_GET,  "/units/new",		units_new_get,	RO,	ACCESS_PERSON,
	  NULL, NULL },
	{ M_POST, "/units",		units_post,	RW,	ACCESS_PERSON,
	  &unit_new_input, NULL },
	{ M_GET,  "/units/{slug}",	unit_get,	RO,	ACCESS_PERSON, NULL,
	  &seen },
	{ M_GET,  "/units/{slug}/edit",	unit_edit_get,	RO,	ACCESS_PERSON,
	  NULL, &seen },
	{ M_POST, "/units/{slug}/edit",	unit_put,	RW,	ACCESS_PERSON,
	  &unit_edit_input, &edit },
	{ M_POST, "/units/{slug}/members", members_post, RW,	ACCESS_PERSON,
	  &members_input, &invite },
	{ M_POST, "/units/{slug}/members/{email}", membership_put, RW,
	  ACCESS_PERSON, &membership_input, &roles },
	{ M_GET,  "/units/{slug}/members/{email}/remove",
	  membership_remove_get, RO, ACCESS_PERSON, NULL, &removal },
	{ M_POST, "/units/{slug}/members/{email}/remove", membership_delete,
	  RW, ACCESS_PERSON, NULL, &removal },
	{ M_GET,  "/units/{slug}/leave", membership_leave_get, RO,
	  ACCESS_PERSON, NULL, &leave },
	{ M_POST, "/units/{slug}/leave", membership_leave, RW, ACCESS_PERSON,
	  NULL, &leave },
	{ M_POST, "/units/{slug}/invitations/{id}/revoke", invitation_delete,
	  RW, ACCESS_PERSON, NULL, &invitations },
	{ M_GET,  "/invitations/accept", invitation_get, RO,	ACCESS_PERSON,
	  NULL, NULL },
	{ M_POST, "/invitations/accept", invitation_post, RW,	ACCESS_PERSON,
	  NULL, NULL },
	{ M_GET,  "/hub/queue",		units_list,	RO,	ACCESS_HUB_ADMIN,
	  NULL, NULL },
	{ M_GET,  "/hub/units",		directory_get,	RO,	ACCESS_PERSON,
	  NULL, NULL },
	{ M_GET,  "/hub/audit",		audit_get,	RO,	ACCESS_HUB_ADMIN,
	  NULL, NULL },
	{ M_GET,  "/hub/policy",	policy_get,	RO,	ACCESS_HUB_ADMIN,
	  NULL, NULL },
	{ M_POST, "/hub/policy",	policy_put,	RW,	ACCESS_HUB_ADMIN,
	  &policy_input, NULL },
	{ M_POST, "/hub/reasons",	reason_post,	RW,	ACCESS_HUB_ADMIN,
	  &reason_new_input, NULL },
	{ M_POST, "/hub/reasons/{code}", reason_put,	RW,	ACCESS_HUB_ADMIN,
	  &reason_change_input, NULL },
	{ M_POST, "/hub/questions",	question_post,	RW,	ACCESS_HUB_ADMIN,
	  &question_new_input, NULL },
	{ M_POST, "/hub/questions/{id}", question_put,	RW,	ACCESS_HUB_ADMIN,
	  &question_change_input, NULL },
	{ M_POST, "/hub/units/{slug}/decision", unit_decide, RW,
	  ACCESS_PERSON, &unit_decide_input, NULL },
	{ M_POST, "/hub/queue/approve",	units_bulk_approve, RW, ACCESS_HUB_ADMIN,
	  &units_bulk_input, NULL },

	{ M_POST,   "/api/v1/session",	login_post,	RW | API | ANY,
	  ACCESS_ANON, &login_input, NULL },
	{ M_DELETE, "/api/v1/session",	logout_post,	RW | API | ANY |
	  ROUTE_NO_CSRF, ACCESS_ANON, NULL, NULL },
	{ M_POST,   "/api/v1/signup",	signup_post,	RW | API, ACCESS_ANON,
	  &signup_input, NULL },
	{ M_POST,   "/api/v1/password-reset", forgot_post, RW | API | ANY,
	  ACCESS_ANON, &forgot_input, NULL },
	{ M_GET,    "/api/v1/me",	me_get,		RO | API | ANY,
	  ACCESS_PERSON, NULL, NULL },
	{ M_GET,    "/api/v1/use-rules", rules_get,	RO | API | ANY,
	  ACCESS_PERSON, NULL, NULL },
	{ M_POST,   "/api/v1/use-rules/accept", rules_accept,
	  RW | API | ANY, ACCESS_PERSON, &rules_accept_input, NULL },
	{ M_POST,   "/api/v1/units",	units_post,	RW | API, ACCESS_PERSON,
	  &unit_new_input, NULL },
	{ M_GET,    "/api/v1/units",	directory_api,	RO | API, ACCESS_ANON,
	  NULL, NULL },
	{ M_GET,    "/api/v1/units/{slug}", unit_get,	RO | API, ACCESS_ANON,
	  NULL, &seen },
	{ M_PUT,    "/api/v1/units/{slug}", unit_put,	RW | API, ACCESS_PERSON,
	  &unit_edit_input, &edit },
	{ M_POST,   "/api/v1/units/{slug}/decision", unit_decide, RW | API,
	  ACCESS_PERSON, &unit_decide_input, NULL },
	{ M_POST,   "/api/v1/units/decisions", units_bulk_approve, RW | API,
	  ACCESS_HUB_ADMIN, &units_bulk_input, NULL },
	{ M_GET,    "/api/v1/units/{slug}/members", members_get, RO | API,
	  ACCESS_PERSON, NULL, &members },
	{ M_POST,   "/api/v1/units/{slug}/members", members_post, RW | API,
	  ACCESS_PERSON, &members_input, &invite },
	{ M_PUT,    "/api/v1/units/{slug}/members/{email}", membership_put,
	  RW | API, ACCESS_PERSON, &membership_input, &roles },
	{ M_DELETE, "/api/v1/units/{slug}/members/{email}", membership_delete,
	  RW | API, ACCESS_PERSON, NULL, &removal },
	{ M_GET,    "/api/v1/units/{slug}/invitations", invitations_get,
	  RO | API, ACCESS_PERSON, NULL, &invitations },
	{ M_DELETE, "/api/v1/units/{slug}/invitations/{id}", invitation_delete,
	  RW | API, ACCESS_PERSON, NULL, &invitations },
	{ M_POST,   "/api/v1/invitations/accept", invitation_post, RW | API,
	  ACCESS_PERSON, NULL, NULL },
	{ M_GET,    "/api/v1/audit",	audit_get,	RO | API, ACCESS_HUB_ADMIN,
	  NULL, NULL },
	{ M_GET,    "/api/v1/approval-policy", policy_get, RO | API,
	  ACCESS_PERSON, NULL, NULL },
	{ M_PUT,    "/api/v1/approval-policy", policy_put, RW | API,
	  ACCESS_HUB_ADMIN, &policy_input, NULL },
	{ M_POST,   "/api/v1/reason-codes", reason_post, RW | API,
	  ACCESS_HUB_ADMIN, &reason_new_input, NULL },
	{ M_PUT,    "/api/v1/reason-codes/{code}", reason_put, RW | API,
	  ACCESS_HUB_ADMIN, &reason_change_input, NULL },
	{ M_POST,   "/api/v1/screening-questions", question_post, RW | API,
	  ACCESS_HUB_ADMIN, &question_new_input, NULL },
	{ M_PUT,    "/api/v1/screening-questions/{id}", question_put,
	  RW | API, ACCESS_HUB_ADMIN, &question_change_input, NULL },

	/* Reviewing posts (review.h): who may is the schema's to say. */
	{ M_GET,    "/api/v1/posts/{id}/suggestions", suggestions_get,
	  RO | API, ACCESS_PERSON, NULL, NULL },
	{ M_POST,   "/api/v1/posts/{id}/suggestions", suggestion_post,
	  RW | API, ACCESS_PERSON, &suggestion_input, NULL },
	{ M_POST,   "/api/v1/suggestions/{id}/accept", suggestion_accept,
	  RW | API, ACCESS_PERSON, NULL, NULL },
	{ M_POST,   "/api/v1/suggestions/{id}/decline", suggestion_decline,
	  RW | API, ACCESS_PERSON, &decline_input, NULL },
	{ M_GET,    "/api/v1/posts/{id}/comments", comments_get, RO | API,
	  ACCESS_PERSON, NULL, NULL },
	{ M_POST,   "/api/v1/posts/{id}/comments", comment_post, RW | API,
	  ACCESS_PERSON, &comment_input, NULL },
	{ M_POST,   "/api/v1/comments/{id}/resolve", comment_resolve,
	  RW | API, ACCESS_PERSON, NULL, NULL },
	{ M_POST,   "/api/v1/posts/{id}/review-requests", review_request_post,
	  RW | API, ACCESS_PERSON, &review_request_input, NULL },
	{ M_GET,    "/api/v1/inbox",	inbox_get,	RO | API, ACCESS_PERSON,
	  NULL, NULL },
	{ M_POST,   "/api/v1/inbox/read", inbox_read,	RW | API, ACCESS_PERSON,
	  &inbox_read_input, NULL },
	{ M_PUT,    "/api/v1/units/{slug}/review-mode", review_mode_put,
	  RW | API, ACCESS_PERSON, &review_mode_input, &review_mode_unit },
};

const size_t nroutes = NELEM(routes);
