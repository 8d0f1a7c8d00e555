/*
 * policy_db.h: the database side of how the hub decides: the approval
 * policy, reason codes, screening questions and the answers of a
 * request.  Row-level security lets everyone signed in read them and
 * hub admins change them.  Return convention of db.h: 1 found (or done),
 * 0 none, -1 failed.  JSON values returned belong to the request's
 * arena.
 */
#ifndef POLICY_DB_H
#define POLICY_DB_H

#include <jansson.h>

struct req;

struct policy {
	const char	*mode;		/* "manual" or "automatic" */
	const char	*domains;	/* JSON array of checked domains */
	const char	*kinds;		/* JSON array of checked kinds */
	const char	*match;		/* "any" or "all" */
	int		 delegate;
};

/*
 * The policy as {"mode","domains","kinds","match",
 * "delegate_to_parent_owners","updated_at","updated_by"}.
 */
int	policy_db_get(struct req *, json_t **out);

/* Replace the policy; *before and *after as stored. */
int	policy_db_set(struct req *, const struct policy *, json_t **before,
	    json_t **after);

/* Reason codes (all, or the active ones) as [{"code","label",
 * "template","active"}], appended to out. */
int	reason_db_list(struct req *, int all, json_t *out);

/* Add a code; refused 409 taken (code) when the code exists. */
int	reason_db_add(struct req *, const char *code, const char *label,
	    const char *template);

/* Change a code; 0 when there is none. */
int	reason_db_set(struct req *, const char *code, const char *label,
	    const char *template, int active, json_t **before,
	    json_t **after);

/*
 * The message of active code for the unit slug ({unit} and {requester}
 * filled in) into *msg; 0 when there is no such code.
 */
int	reason_db_compose(struct req *, const char *code, const char *slug,
	    const char **msg);

/* Screening questions (all, or the active ones) as [{"id","prompt",
 * "help","required","active"}], appended to out. */
int	question_db_list(struct req *, int all, json_t *out);

/* Add a question; *id is set. */
int	question_db_add(struct req *, const char *prompt, const char *help,
	    int required, long long *id);

/* Change question id; 0 when there is none. */
int	question_db_set(struct req *, long long id, const char *prompt,
	    const char *help, int required, int active, json_t **before,
	    json_t **after);

/* Store the answers ({"question id": "answer"}) of the request slug. */
int	answers_db_put(struct req *, const char *slug, json_t *answers);

/* Approve the acting person's new request unit if the policy says so:
 * *why is the rule that did, or NULL. */
int	policy_db_auto(struct req *, long long unit, const char **why);

/* Whether the acting person may decide the request slug: 1 yes, 2 no,
 * 0 when it is not visible. */
int	policy_db_may_decide(struct req *, const char *slug);

#endif
