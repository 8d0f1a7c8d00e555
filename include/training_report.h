/*
 * training_report.h: the reports of training (sql/035_training_reports.sql)
 * for HR (every unit) and a unit's owners (their units): completion by
 * course and unit, by person, the overdue list and completions per week.
 *
 * GET /api/v1/reports/training[?unit=&course=&from=&to=][&format=
 * json|csv][&report=matrix|people|overdue|weekly] answers JSON, or one
 * section as CSV (?format=csv, or an Accept header preferring text/csv;
 * the section is ?report=, matrix by default).  GET /reports/training
 * shows the same as a page: tables, and the weekly completions as an
 * SVG chart drawn here with a table beside it.  Who reads which rows is
 * the database's to say: 403 for a caller who reads no unit's reports,
 * 404 naming "unit" for a unit at no address or one whose reports they
 * do not read, 404 naming "course" for no published course of that
 * number, 400 naming the field for a filter that is not of its type or
 * a range that ends before it starts or spans more than 104 weeks.
 */
#ifndef TRAINING_REPORT_H
#define TRAINING_REPORT_H

#include <jansson.h>

struct input_form;
struct req;

/* What one read of the reports holds. */
struct training_report {
	int	 reader;	/* the caller reads some unit's reports */
	int	 unit_ok;	/* no unit asked, or one they read */
	int	 course_ok;	/* no course asked, or a published one */
	json_t	*report;	/* {"today","from","to","matrix","people",
				   "overdue","weekly","units","courses"};
				   unfiltered when a filter is not ok */
};

/* The filters of a read: "" when not given. */
struct report_filter {
	const char	*unit;		/* a unit's address */
	const char	*course;	/* decimal digits */
	const char	*from;		/* YYYY-MM-DD */
	const char	*to;		/* YYYY-MM-DD */
};

/*
 * Read the reports under filter f into *out, as the request's last
 * statement (report_db.c).  1, or -1 failed; every JSON value belongs to
 * the request's arena.
 */
int	report_db_read(struct req *, const struct report_filter *f,
	    struct training_report *out);

/* GET /api/v1/reports/training: 200 JSON or CSV, 400, 403, 404. */
int	training_report_get(struct req *);

/* GET /reports/training: 200, the page again with the message beside
 * the filter for 400 and 404; 403. */
int	training_report_page(struct req *);

extern const struct input_form	 training_report_query,
				 training_report_page_query;

#endif
