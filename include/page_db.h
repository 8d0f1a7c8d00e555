/*
 * page_db.h: the database side of the post page and of the review
 * actions that work on every open suggestion of a post at once
 * (accepting all, declining all).
 *
 * Row-level security decides who may, as for the review API
 * (review_db.h): a post the acting person does not read is not found
 * (0); a change they may not make is refused by PostgreSQL and answered
 * through the statements' refusals.  Identifiers are decimal digits,
 * checked by the caller.  JSON values returned belong to the request's
 * arena.  Return convention of db.h.
 */
#ifndef PAGE_DB_H
#define PAGE_DB_H

#include <jansson.h>

struct req;

/*
 * Everything the page of post id shows, in *out: {"post": {...},
 * "writer", "can_write", "can_suggest", "can_comment" (what the acting
 * person may do), "suggestions" as review_db_suggestions() gives them,
 * "texts" {revision: body} (the latest and each one an open suggestion
 * or a comment on a span was made on), "comments" (each with "quote",
 * the text of its span),
 * "reviewers" [{"email","name","asked"}] (who may be asked for a
 * review), "stamp" (page_db_stamp(), read in the page's snapshot)}.  0
 * when the person does not read the post.  The request's last statement.
 */
int	page_db_post(struct req *, const char *id, json_t **out);

/*
 * Send the page statement of the post of the route's {id} behind the
 * session lookup, in the same round trip, with the end of the read
 * (db_prefetch()): page_db_post() then reads its result.  When the
 * worker keeps the page (page_mem_candidate()), its stamp's statement
 * instead: page_db_stamp() reads it.  Nothing when {id} is not a post's
 * id (decimal digits, at most 2^53 - 1).
 */
void	page_db_prefetch(struct req *);

/*
 * The stamp of post id's page (sql/051_post_stamps.sql) in *stamp: 1,
 * 0 when the person does not read the post, -1 failed.
 */
int	page_db_stamp(struct req *, const char *id, const char **stamp);

/*
 * Accept the open suggestions ids (a JSON array of decimal strings) of
 * post id at once: one new revision following revision base, with body,
 * in the acting person's name, each of them accepted with it.  1 with
 * *out {"revision","title","body","created_at"}; 0 when not all of them
 * were open any more.  Refused 403 when the person does not write the
 * post, 409 when the post changed meanwhile or was withdrawn.
 */
int	page_db_accept_all(struct req *, const char *id, long long base,
	    const char *body, const char *ids, json_t **out);

/*
 * Decline every open suggestion of post id with reply ("" for none):
 * 1 with *out the ids declined (a JSON array, possibly empty) and *open
 * how many were open; 0 when the post is not found.
 */
int	page_db_decline_all(struct req *, const char *id, const char *reply,
	    json_t **out, long long *open);

#endif
