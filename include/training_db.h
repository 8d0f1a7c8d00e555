/*
 * training_db.h: the database side of training: courses, their versions,
 * lessons and quizzes, and the acting person's progress.
 *
 * Row-level security decides who may (sql/026_training.sql): a course
 * the person does not read is not found (0); one they read but may not
 * write is refused (the caller answers 403).  The right answers reach
 * only the course's writers, and progress is written by the database's
 * own functions, for the acting person.  Identifiers are decimal
 * digits, checked by the caller.  Every JSON value returned belongs to
 * the request's arena.  Return convention of db.h.
 */
#ifndef TRAINING_DB_H
#define TRAINING_DB_H

#include <jansson.h>

struct req;

/* A course as written: lessons and quiz are JSON texts (quiz "" for a
 * course without one). */
struct course_text {
	const char	*unit;		/* a unit's address, "" for the hub */
	const char	*state;		/* "draft" or "published" */
	const char	*title;
	const char	*summary;
	const char	*minutes;	/* decimal digits */
	const char	*lessons;	/* [{"title","body"}] */
	const char	*quiz;		/* {"pass_mark","questions":[...]} */
};

/* What a write did. */
struct course_saved {
	const char	*outcome;	/* "ok", "no_unit", "not_found",
					   "forbidden" */
	const char	*id;
	long long	 unit;		/* 0 for the hub's */
	long long	 version;
	json_t		*before;	/* {"version","state","title",
					   "published_at"}, or NULL */
};

/*
 * The courses the person reads, as *out {"courses":[...]}: published
 * ones and those they write.  The request's last statement.
 */
int	training_db_list(struct req *, json_t **out);

/*
 * Write a course: a new one when id is NULL, else replace course id (a
 * published version is kept and the next one written).  1 with *s
 * filled (s->outcome says what happened); refused 403 by row-level
 * security for anyone who may not write the course.
 */
int	training_db_save(struct req *, const char *id,
	    const struct course_text *, struct course_saved *s);

/*
 * Course id as the person reads it, as *out: its current version, its
 * lessons with whether the person read each, its quiz (with each
 * question's "correct" for its writers only) and the person's progress.
 * 0 when the person does not read it.  The request's last statement.
 */
int	training_db_get(struct req *, const char *id, json_t **out);

/* What a lesson read or a quiz submission did. */
struct training_done {
	const char	*outcome;	/* "ok", "no_course", "no_lesson",
					   "no_quiz", "invalid", "missing" */
	const char	*field;		/* the answer at fault, or NULL */
	long long	 lessons;	/* lessons of the course */
	long long	 score;		/* percentage */
	int		 passed;
	int		 completed;	/* this completed the course */
	long long	 unit;
	long long	 version;
	long long	 attempt;
};

/* Lesson n of course id read by the acting person: 1 with *d filled. */
int	training_db_lesson(struct req *, const char *id, const char *n,
	    struct training_done *d);

/*
 * The acting person's answers (a JSON array's text) to the quiz of
 * course id: 1 with *d filled; an attempt is kept only when
 * d->outcome is "ok".
 */
int	training_db_quiz(struct req *, const char *id, const char *answers,
	    struct training_done *d);

/*
 * The acting person's training, as *out {"assigned","in_progress",
 * "completed","catalog"}.  The request's last statement.
 */
int	training_db_mine(struct req *, json_t **out);

/* An assignment as sent: one of person, unit and role, the others "". */
struct assign_text {
	const char	*course;	/* decimal digits */
	const char	*person;	/* an e-mail address */
	const char	*unit;		/* a unit's address */
	const char	*role;		/* owner, editor, author, guest */
	const char	*due;		/* YYYY-MM-DD, or "" */
	const char	*note;		/* or "" */
};

/* What an assignment did. */
struct assign_done {
	const char	*outcome;	/* "ok", "forbidden", "invalid",
					   "closed" */
	const char	*field;		/* the field at fault, or NULL */
	const char	*id;
	long long	 unit;		/* the course's unit, 0 for the hub */
};

/*
 * Assign a course as the acting person: 1 with *d filled
 * (d->outcome says what happened; nothing is written unless "ok").
 */
int	training_db_assign(struct req *, const struct assign_text *,
	    struct assign_done *d);

/*
 * The assignments the person reads, of course (digits, or "" for any)
 * and of unit (an address: the course's unit or the one assigned; ""
 * for any), as *out {"assignments":[...]}.  The request's last
 * statement.
 */
int	training_db_assignments(struct req *, const char *course,
	    const char *unit, json_t **out);

/*
 * Remove assignment id: 1 with *before and *unit; 0 when it was not
 * removed: *found tells whether the person reads it.
 */
int	training_db_unassign(struct req *, const char *id, json_t **before,
	    long long *unit, int *found);

#endif
