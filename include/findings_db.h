/*
 * findings_db.h: the database side of the guideline checks of every
 * save (app/guidelines/findings_db.c).  Row-level security decides what
 * the acting person reads; ch_guide_findings() (sql/022_guide_findings.
 * sql) records findings for the author of the latest revision only.
 * Return convention of db.h; JSON values and strings returned belong to
 * the request's arena.
 */
#ifndef FINDINGS_DB_H
#define FINDINGS_DB_H

#include <jansson.h>

struct req;

/* A revision to check and the rules to run over it. */
struct findings_rev {
	long long	 unit;
	const char	*title;
	const char	*body;
	json_t		*tags;		/* array of strings */
	json_t		*channels;	/* array of strings */
	json_t		*rules;		/* [{"id","kind","fields","message"}] */
	int		 has_open;	/* open guideline suggestions, notes */
};

/*
 * Revision rev of post id and the rules of its unit (see guide_save.h):
 * 1 with *out filled, 0 when the acting person reads no such revision.
 */
int	findings_db_load(struct req *, long long id, long long rev,
	    struct findings_rev *out);

/*
 * Record findings (the JSON text of guide_check()'s array) for revision
 * rev of post id of unit (ch_guide_record(), sql/036_guide_notes.sql):
 * 1 with *open the post's open guideline suggestions and *notes its open
 * notes.  Refused (42501) unless the acting person wrote rev and it is
 * the latest.
 */
int	findings_db_apply(struct req *, long long unit, long long id,
	    long long rev, const char *findings, json_t **open,
	    json_t **notes);

/*
 * Dismiss note id as the acting person: 1 with *note the note as
 * guide_save_check() shows it; 0 when nothing was dismissed, *seen then
 * telling whether the acting person reads the note, and *was its state
 * ("" when not seen).
 */
int	findings_db_dismiss(struct req *, const char *id, json_t **note,
	    int *seen, const char **was);

#endif
