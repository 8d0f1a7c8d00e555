/*
 * post_db.h: the database side of posts, their revisions and their
 * publishing (sql/014_posts.sql).  Row-level security decides who reads
 * and writes; these statements never widen it: a post the acting person
 * may not see is simply not found.  Return convention of db.h: 1 found
 * (or done), 0 none, -1 failed, a refusal's answer declared beside its
 * statement (db_refusal()).  JSON values returned belong to the
 * request's arena.
 */
#ifndef POST_DB_H
#define POST_DB_H

#include <jansson.h>

struct req;

/* The text of a revision: tags and channels as JSON arrays of strings. */
struct post_text {
	const char	*title;
	const char	*body;
	const char	*tags;		/* JSON text: ["a","b"] */
	const char	*channels;	/* JSON text: ["blog"] */
};

/*
 * What the handlers need to know of a post beside what it shows: its
 * unit, the unit's state, the post's state and latest revision, and
 * whether the acting person is its author or a co-author (arena-owned
 * strings).
 */
struct post_head {
	long long	 id;
	long long	 unit_id;
	long long	 revision;
	const char	*state;
	const char	*unit_state;
	int		 writer;
	int		 author;	/* the acting person is its author */
};

/*
 * The posts of unit slug the acting person may read, newest change
 * first, optionally of one state ("" for all), appended to out as
 * {"id","title","state","revision","author","created_at","updated_at",
 * ...}.  The request's last statement.
 */
int	post_db_list(struct req *, const char *slug, const char *state,
	    json_t *out);

/* A new draft, as post_db_create() made it. */
struct post_made {
	long long	 id;
	long long	 unit;
	json_t		*rules;	/* its unit's rules (guide_save_new()) */
	const char	*mode;	/* its unit's review mode */
};

/*
 * Create a draft in unit slug in the acting person's name with its
 * first revision t and the audit entry post.create, in one statement
 * (ch_post_create(), sql/028_post_create.sql): 1 with *m filled
 * (arena-owned), 0 when the unit is not visible.  Refused: 403
 * forbidden when the acting person may not write in the unit (not a
 * current member, the unit not approved).
 */
int	post_db_create(struct req *, const char *slug,
	    const struct post_text *t, struct post_made *m);

/*
 * Save t as the revision after base of post id: 1 with *out
 * {"id","revision","base","state","title","saved_at"}, 0 when the post
 * is not visible.  Refused: 412 stale (If-Match) when base is not the
 * latest revision any more (CH412, or 23505 when two saves raced); 409
 * illegal_transition when the post is withdrawn; 42501 (the generic 403)
 * when the acting person may not write it: the call site words that.
 */
int	post_db_save(struct req *, long long id, long long base,
	    const struct post_text *t, json_t **out);

/*
 * Post id as the API shows it, with its latest revision's text, in
 * *out, and what handlers need in *h (either may be NULL): 1, or 0 when
 * it is not visible.  The request's last statement.
 */
int	post_db_get(struct req *, long long id, json_t **out,
	    struct post_head *h);

/*
 * The revisions of post id, newest first, without their bodies, appended
 * to out: 1, or 0 when the post is not visible.  The last statement.
 */
int	post_db_revisions(struct req *, long long id, json_t *out);

/*
 * Revision n of post id, with its text, in *out: 1, or 0 when there is
 * no such revision the acting person may see.  The last statement.
 */
int	post_db_revision(struct req *, long long id, long long n,
	    json_t **out);

/*
 * The bodies of revisions from and to of post id (arena-owned): 1 with
 * both set, or 0 with *missing naming what is not there: "post", "from"
 * or "to".  The last statement.
 */
int	post_db_bodies(struct req *, long long id, long long from,
	    long long to, const char **a, const char **b,
	    const char **missing);

/*
 * Publish post id's latest revision now (at "") or schedule it for the
 * RFC 3339 time at: 1 with *out {"id","state","revision",
 * "published_revision","published_at","scheduled_at",
 * "open_suggestions"} and the state before in *before, *unit the post's
 * unit; 0 when the acting person may not write it (or it is not
 * visible).  Refused: 422 invalid (at) for a time in the past; 409
 * illegal_transition for a move the post's state does not allow.
 */
int	post_db_publish(struct req *, long long id, const char *at,
	    json_t **out, const char **before, long long *unit);

/*
 * Withdraw post id: a published post becomes withdrawn, a scheduled one
 * a draft again.  1 with *out {"id","state","revision"}, *before and
 * *unit as above; 0 when the acting person may not write it.  Refused:
 * 409 illegal_transition for a draft.
 */
int	post_db_withdraw(struct req *, long long id, json_t **out,
	    const char **before, long long *unit);

/*
 * Append to out the addresses of the JSON array of strings emails that
 * name no current member of post id's unit (all of them when the post
 * is not visible): 1, or -1.
 */
int	post_db_authors_unknown(struct req *, long long id,
	    const char *emails, json_t *out);

/*
 * Make the members of post id's unit named in emails (a JSON array of
 * addresses, any case; the author left out) its co-authors, and nobody
 * else: 1, or 0 when the acting person is not its author (or it is not
 * visible), -1 failed.
 */
int	post_db_authors_set(struct req *, long long id, const char *emails);

/*
 * Save revision n's text as the revision after base (0: the latest) of
 * post id, restored_from n: 1 with *out {"id","revision","base",
 * "restored_from","state","title","saved_at"}, 0 when the post or its
 * revision n is not visible.  Refused as post_db_save().
 */
int	post_db_restore(struct req *, long long id, long long n,
	    long long base, json_t **out);

#endif
