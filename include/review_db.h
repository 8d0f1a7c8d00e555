/*
 * review_db.h: the database side of reviewing posts: suggestions,
 * comments, review requests, the inbox and a unit's review mode.
 *
 * Row-level security decides who may (sql/014_posts.sql): a post of a
 * unit the acting person does not read is not found (0), and a change
 * they may not make is refused by PostgreSQL and answered through the
 * statements' refusals (db.h): 403 forbidden, 409 when the state
 * forbids it, 422 naming the field for a span outside the text.
 * Identifiers are decimal digits, checked by the caller.  Every JSON
 * value returned belongs to the request's arena.  Return convention of
 * db.h.
 */
#ifndef REVIEW_DB_H
#define REVIEW_DB_H

#include <jansson.h>

struct req;

/* A suggestion as accepting it needs it (review_db_suggestion()). */
struct review_sugg {
	long long	 unit;		/* the unit's id */
	long long	 post;		/* the post's id */
	const char	*state;		/* open, accepted, declined, outdated */
	long long	 revision;	/* the revision it was made on */
	long long	 start, end;	/* its span, code points of that text */
	const char	*replacement;
	const char	*base;		/* the body of that revision */
	long long	 current;	/* the post's latest revision */
	const char	*latest;	/* its body */
	const char	*reviewer;	/* the suggester's name */
};

/*
 * The suggestions of post id, oldest first, as *list ([{"id","post",
 * "revision","start","end","original","replacement","comment","state",
 * "author":{"name"},"created_at","decided_at","reply",
 * "accepted_revision"}]), the post's latest revision in *current, and
 * in *texts the bodies of the revisions the open suggestions were made
 * on and of the latest one ({"<number>": body}).  0 when the acting
 * person does not read the post.  The request's last statement.
 */
int	review_db_suggestions(struct req *, const char *id,
	    long long *current, json_t **list, json_t **texts);

/*
 * Suggest replacing [start, end) of revision rev of post id by
 * replacement ("" deletes), with comment ("" for none): 1 with *out the
 * suggestion as review_db_suggestions() shows it, 0 when the post is
 * not found.  Refused 403 when the person does not review the unit's
 * posts, 409 withdrawn, 422 naming "end" (the span leaves the text) or
 * "revision" (the post has no such revision).
 */
int	review_db_suggest(struct req *, const char *id, long long rev,
	    long long start, long long end, const char *replacement,
	    const char *comment, json_t **out);

/* Suggestion id as accepting it needs it: 1 with *s filled, 0 none. */
int	review_db_suggestion(struct req *, const char *id,
	    struct review_sugg *s);

/*
 * Accept suggestion id of s: a new revision following s->current, with
 * body, in the acting person's name, the suggestion accepted with it.
 * 1 with *out {"revision","title","body","created_at"}, 0 when the
 * suggestion was not accepted.  Refused 403 when the person does not
 * write the post, 409 when the post changed meanwhile or the suggestion
 * was decided already.
 */
int	review_db_accept(struct req *, const char *id,
	    const struct review_sugg *s, const char *body, json_t **out);

/*
 * Decline suggestion id with reply ("" for none): 1 with *out the
 * suggestion, 0 when it was not declined: *found tells whether the
 * person sees it (then they do not write its post).  Refused 409 when
 * it was decided already.
 */
int	review_db_decline(struct req *, const char *id, const char *reply,
	    json_t **out, int *found);

/*
 * The comments of post id, oldest first, as *list ([{"id","post",
 * "body","revision","start","end","reply_to","author","guest",
 * "created_at","resolved","resolved_at"}]).  0 when the post is not
 * found.  The request's last statement.
 */
int	review_db_comments(struct req *, const char *id, json_t **list);

/* A new comment: its span (start "" for none) and what it answers. */
struct review_comment {
	const char	*body;
	const char	*start, *end;	/* code points, or "" */
	const char	*revision;	/* the span's revision; "": latest */
	const char	*reply_to;	/* a comment's id, or "" */
};

/*
 * Comment on post id: 1 with *out the comment as review_db_comments()
 * shows it; 0 when it was not written: *found tells whether the post
 * was found (then reply_to is no comment on it).  Refused 403 when the
 * person does not comment on the unit's posts, 422 naming "end" for a
 * span outside the text.
 */
int	review_db_comment(struct req *, const char *id,
	    const struct review_comment *c, json_t **out, int *found);

/*
 * Resolve comment id: 1 with *out the comment; 0 when it was not
 * resolved: *found tells whether the person sees it, *resolved whether
 * it was resolved already (else they do not write its post).
 */
int	review_db_resolve(struct req *, const char *id, json_t **out,
	    int *found, int *resolved);

/*
 * Ask the people whose addresses are the JSON array of strings emails
 * to review post id: 1 with *out {"post","title","slug","unit","asked":
 * [{"id","email","name"}]} (asked lists those found, not necessarily
 * all), 0 when the post is not found.  Refused 403 when the person does
 * not write the post, 409 when one was asked already, 422 naming
 * "reviewers" when one may not review the unit's posts.
 */
int	review_db_request(struct req *, const char *id, const char *emails,
	    json_t **out);

/*
 * The acting person's inbox: *out {"unread": n, "items": [{"id","kind",
 * "post","ref","title","unit","actor","created_at","read"}]}, unread
 * first, newest first, at most 200.  The request's last statement.
 */
int	review_db_inbox(struct req *, json_t **out);

/*
 * Mark read every unread item of the acting person's inbox (all set)
 * or those among ids (a JSON array of decimal strings): *out {"read":
 * [ids marked], "unread": n left}.
 */
int	review_db_inbox_read(struct req *, int all, const char *ids,
	    json_t **out);

/*
 * Set the review mode of unit slug: 1 with *before the mode it had
 * (its own or the hub's default), 0 when the unit is not found.
 * Refused 403 for anyone but its owners.
 */
int	review_db_mode(struct req *, const char *slug, const char *mode,
	    const char **before, long long *unit);

#endif
