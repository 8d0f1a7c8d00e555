/*
 * training_page.h: the pages of training, which work without
 * JavaScript: "my training" (/training), a course's page with its
 * lessons, the guideline rules that link to it and, for HR and the
 * owners of its unit, the form that assigns it; a lesson's page with
 * "mark as read"; the quiz and its result; and the writers' form of a
 * course (/courses/new, /courses/{id}/edit).  Who may is the schema's
 * to say (sql/026_training.sql): a course the person does not read is
 * 404, one they may not write 403.  A refused form is shown again with
 * what was typed and the message beside its field (422); a change done
 * redirects with a notice (?done=).
 */
#ifndef TRAINING_PAGE_H
#define TRAINING_PAGE_H

#include <jansson.h>

struct input_form;
struct req;

/* GET /training: assigned (overdue marked), in progress, completed and
 * the catalog, the unit's courses marked as the unit's.  200. */
int	training_page_mine(struct req *);

/* GET /courses/{id}: the course, its lessons with read marks, the rules
 * that link to it, the assign form for HR and its unit's owners.  200,
 * 404. */
int	training_page_course(struct req *);

/* The course page again for a refused assignment (input.h's page). */
json_t	*training_course_again(struct req *, json_t *values,
	    const char *field, const char *msg);

/* GET /courses/{id}/lessons/{n}: the lesson, rendered CommonMark, its
 * "mark as read" form, previous and next.  200, 404. */
int	training_page_lesson(struct req *);

/* POST /courses/{id}/lessons/{n}/read: 303 to the next lesson, or to
 * the course with a notice after the last; 404. */
int	training_page_read(struct req *);

/* GET /courses/{id}/quiz: the questions as boxes to tick, the right
 * answers never in the page.  200, 404 (no course, or no quiz). */
int	training_page_quiz(struct req *);

/* POST /courses/{id}/quiz: 303 to the result; 422 naming the question
 * left unanswered ("q2"), the quiz again with what was ticked; 404. */
int	training_page_quiz_post(struct req *);

/* GET /courses/{id}/quiz/result: the last attempt's score and whether
 * it passed, the attempts so far.  200, 404 (none yet). */
int	training_page_result(struct req *);

/* GET /courses/new, /courses/{id}/edit: the writers' form; 403 for
 * anyone who writes no course (or not this one), 404. */
int	training_page_new(struct req *);
int	training_page_edit(struct req *);

/* POST /courses/new, /courses/{id}/edit: 303 to the course; with "add"
 * the form again with one more lesson or question slot (200, nothing
 * saved); 422 naming the field, the form again; 403, 404. */
int	training_page_new_post(struct req *);
int	training_page_edit_post(struct req *);

extern const struct input_form	 training_quiz_form, training_write_form,
				 training_edit_form, training_assign_form;

/* page_db.c.  Return convention of db.h; values belong to the arena. */

/* The rules the person reads whose link is url: *out [{"id","unit",
 * "unit_name","kind","message"}]. */
int	training_page_db_rules(struct req *, const char *url, json_t **out);

/* *out {"hr", "units": [{"slug","name","owner"}]}: whether the person
 * writes the hub's courses, the units whose courses they write. */
int	training_page_db_writer(struct req *, json_t **out);

/* The acting person's badges: *out [{"course","title","version","on"}]. */
int	training_page_db_badges(struct req *, json_t **out);

#endif
