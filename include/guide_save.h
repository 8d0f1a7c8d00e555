/*
 * guide_save.h: the guideline checks of every save.  The active rules
 * run over the revision a save just wrote, in its transaction, and what
 * they find becomes suggestions from "Guidelines" (sql/022_guide_
 * findings.sql says how they follow the text and how a declined one
 * stays declined).  Nothing found ever refuses a save.
 */
#ifndef GUIDE_SAVE_H
#define GUIDE_SAVE_H

#include <jansson.h>

struct req;

/*
 * Run the active rules of post id's unit over its revision rev, just
 * written by the acting person: the hub's enabled rules (those the unit
 * mutes are counted only) and the unit's own, quiet periods while they
 * last and target the unit, never links (a job fetches them: the
 * save queues it, guide_links_queue()).  Term
 * patterns are compiled once for the call and matched within the
 * budget of guide_match(), so a hostile pattern ends the check early
 * and the save goes on.  1 with *open the post's open guideline
 * suggestions as the posts API shows them and *notes its open guideline
 * notes, the findings without a span in the body [{"id","post",
 * "revision","rule","field","original","replacement","message","link",
 * "state"}] (sql/036_guide_notes.sql; both arena-owned), or -1 after a
 * database failure (req_db_fail() answers it).
 */
int	guide_save_check(struct req *, long long id, long long rev,
	    json_t **open, json_t **notes);

/*
 * The same for the first revision of post id of unit, just made with
 * this text (tags and channels: arrays of strings) and these rules, as
 * ch_post_create() answers them (sql/028_post_create.sql): nothing is
 * read back, and a new post has no open suggestion.  1 with *open and
 * *notes, or -1 after a database failure.
 */
int	guide_save_new(struct req *, long long unit, long long id,
	    const char *title, const char *body, json_t *tags,
	    json_t *channels, json_t *rules, json_t **open, json_t **notes);

/*
 * POST /posts/{post}/guideline-notes/{id}/dismiss and POST /api/v1/
 * guideline-notes/{id}/dismiss: the post's author or a co-author
 * dismisses an open guideline note (counted as declined).  200 the note
 * (a page: 303 to the editor), 403 for the post's other readers, 404
 * for anyone else or no such note, 409 when it is no longer open.
 */
int	guide_note_dismiss(struct req *);

/*
 * What the editor shows of the guidelines for post id (0 for a new post)
 * of unit slug ("" to take the post's): *notices, the quiet periods and
 * advisories running today that target the unit [{"message","link",
 * "ends"}], and *open, the post's open guideline suggestions [{"id",
 * "rule","start","end","original","replacement","comment","link",
 * "advice"}] (advice: accepting keeps the text).  Both arena-owned.
 * Return convention of db.h; never the request's last statement.
 */
int	guide_db_editor(struct req *, const char *slug, long long id,
	    json_t **notices, json_t **open);

#endif
