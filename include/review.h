/*
 * review.h: reviewing posts by suggestion (the JSON API): suggestions
 * anchored to a span of a revision, accepted or declined by the post's
 * authors; comments in threads, resolved by them; review requests,
 * mailed and put in the inbox; the inbox; a unit's review mode.
 *
 * A handler returns the HTTP status and leaves a view (or an error) in
 * r->resp.  Who may is the schema's to say (sql/014_posts.sql): a post,
 * suggestion or comment the acting person does not read is 404, a
 * change they may not make is refused by PostgreSQL and answered
 * through the statements' refusals (review_db.h).
 */
#ifndef REVIEW_H
#define REVIEW_H

#include <stddef.h>

#include <jansson.h>

struct input_form;
struct req;
struct route_unit;

/*
 * Suggestions (review_suggest.c).  GET /api/v1/posts/{id}/suggestions:
 * 200 {"revision","suggestions":[...]}, each open one carried to the
 * latest revision ("current") or marked "outdated".  POST: 201 the
 * suggestion.  POST /api/v1/suggestions/{id}/accept: 200 with the new
 * revision; 409 when decided already or outdated.  .../decline: 200.
 */
int	suggestions_get(struct req *);
int	suggestion_post(struct req *);
int	suggestion_accept(struct req *);
int	suggestion_decline(struct req *);

extern const struct input_form	 suggestion_input, decline_input;

/*
 * Add to each open suggestion of list (as review_db_suggestions() gives
 * it, with texts and the latest revision cur) where it sits in the
 * latest revision: "current" {"revision","start","end"} and "outdated"
 * false, or "current" null and "outdated" true.
 */
void	review_carry_all(struct req *, json_t *list, json_t *texts,
	    long long cur);

/*
 * The same for each comment of list that is on a span ("start" a
 * number), whose revision's text is in texts.
 */
void	review_carry_spans(struct req *, json_t *list, json_t *texts,
	    long long cur);

/*
 * Every open suggestion of a post at once (review_all.c), by its author
 * and co-authors, in one transaction.  POST
 * /api/v1/posts/{id}/suggestions/accept-all: every open suggestion that
 * is not outdated and does not overlap one accepted before it (in the
 * order of the text) goes into one new revision: 200 {"id","revision",
 * "title","body","created_at","accepted":[ids],"skipped":[{"id",
 * "reason","message"}],"counts":{"accepted","skipped"}}; 409 when none
 * can be accepted.  .../decline-all {"reply"}: 200 {"id","declined":
 * [ids],"counts":{"declined"}}; 409 when none is open.  A page's form
 * is answered by a redirect to the post's page.
 */
int	suggestions_accept_all(struct req *);
int	suggestions_decline_all(struct req *);

/*
 * Comments (review_comment.c).  GET /api/v1/posts/{id}/comments: 200
 * {"comments":[...]}; POST: 201 the comment; POST
 * /api/v1/comments/{id}/resolve: 200 the comment, 409 resolved already.
 */
int	comments_get(struct req *);
int	comment_post(struct req *);
int	comment_resolve(struct req *);

extern const struct input_form	 comment_input;

/*
 * POST /api/v1/posts/{id}/review-requests (review_request.c): 201
 * {"post","requested":[{"id","email","name"}]}, each reviewer mailed.
 */
int	review_request_post(struct req *);

extern const struct input_form	 review_request_input;

/*
 * Tell by e-mail everyone out lists as "asked" ([{"email","name"}]) that
 * the acting person asks for their review of out's "post" ("title",
 * "unit", "slug"); automatic when the unit's review mode asked
 * (review_auto.c).  1, or -1 when the mail could not be queued.
 */
int	review_tell(struct req *, json_t *out, int automatic);

/*
 * Ask the reviewers the review mode of post id's unit names, after the
 * post was made by the acting person, and tell them: 1 with *asked the
 * people asked ([{"id","email","name"}], arena-owned, maybe empty), 0
 * when the post is not found, -1 failed.
 */
int	review_auto(struct req *, long long id, json_t **asked);

/*
 * The inbox (review_inbox.c): GET /api/v1/inbox, 200 {"unread","items"};
 * POST /api/v1/inbox/read, 200 {"read":[ids],"unread"}.
 */
int	inbox_get(struct req *);
int	inbox_read(struct req *);

extern const struct input_form	 inbox_read_input;

/* PUT /api/v1/units/{slug}/review-mode (review_mode.c): 200, owners. */
int	review_mode_put(struct req *);

extern const struct input_form	 review_mode_input;

/*
 * The hub's default review mode (review_policy.c): GET and PUT
 * /api/v1/review-policy {"default_mode","updated_at","updated_by"}
 * (updated_by for hub admins only), and the form of /hub/policy (POST
 * /hub/review-policy, 303 back).  review_policy_load() is that object
 * for a page (1, or -1 failed; arena-owned).
 */
int	review_policy_get(struct req *);
int	review_policy_put(struct req *);
int	review_policy_load(struct req *, json_t **out);

extern const struct input_form	 review_policy_input;

/* GET /units/{slug}/review-mode: the owners' page (POST: the PUT's
 * handler, 303 back). */
int	review_mode_get(struct req *);

/* What the review mode's route needs of its unit: an approved one's
 * owner (router.h). */
extern const struct route_unit	 review_mode_unit;

#endif
