/*
 * training.h: training's JSON API: courses (the hub's, written by HR,
 * and each unit's own, written by its owners and editors), their lessons
 * and quizzes, and the signed-in person's progress.
 *
 * A handler returns the HTTP status and leaves a view (or an error) in
 * r->resp.  Who may is the schema's to say (sql/026_training.sql): a
 * course the caller does not read is 404, one they read but may not
 * write 403.  Course writes and completions are audited.
 */
#ifndef TRAINING_H
#define TRAINING_H

struct input_form;
struct req;

/*
 * Courses (courses.c).  GET /api/v1/courses: 200 {"courses":[...]}.
 * POST: 201 {"id","version"}, 422 naming the field ("lessons.0.title",
 * "quiz.questions.1.correct", ...) or "unit", 403.  GET
 * /api/v1/courses/{id}: 200 the course, 404.  PUT: 200 {"id","version"},
 * 403, 404, 422.
 */
int	training_courses_get(struct req *);
int	training_course_post(struct req *);
int	training_course_get(struct req *);
int	training_course_put(struct req *);

/* A course's fields, as created (with "unit") and as replaced. */
extern const struct input_form	 training_course_input,
				 training_course_put_input;

/*
 * Progress (progress.c).  POST /api/v1/courses/{id}/lessons/{n}/complete:
 * 200 {"lesson","lessons","completed"}, 404 naming "n" for a lesson out
 * of range.  POST /api/v1/courses/{id}/quiz {"answers":[[...],...]}: 200
 * {"score","passed","completed"}, 422 naming the answer at fault, 409
 * for a course without a quiz.  GET /api/v1/me/training: 200
 * {"assigned","in_progress","completed","catalog"}.
 */
int	training_lesson_post(struct req *);
int	training_quiz_post(struct req *);
int	training_mine_get(struct req *);

/*
 * Assignments (assignments.c).  POST /api/v1/assignments {"course",
 * "person"|"unit"|"role","due","note"}: 201 {"id"}; 422 naming the field
 * (a course that is no published course the caller reads, a person or
 * unit that does not exist or is out of the course's unit, a unit not
 * approved, a due day past, none or several targets); 403 for anyone
 * but HR and the owners of the course's unit.  GET
 * /api/v1/assignments[?course=&unit=]: 200 {"assignments":[...]}, 400
 * naming a bad filter.  DELETE /api/v1/assignments/{id}: 204, 403, 404.
 */
int	training_assign_post(struct req *);
int	training_assignments_get(struct req *);
int	training_assign_delete(struct req *);

extern const struct input_form	 training_assign_input,
				 training_assignments_query;

#endif
