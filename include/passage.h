/*
 * passage.h: a passage quoted from a revision's text, found again in
 * it: where a form without JavaScript names the span of a suggestion or
 * of a comment by quoting it (page_suggest.c, page_comment.c).
 * Positions are code points of the text, as the API counts them.
 */
#ifndef PASSAGE_H
#define PASSAGE_H

#include <stddef.h>

#include <jansson.h>

struct req;

/* How many places of a passage a form offers to choose from. */
#define PASSAGE_PLACES_MAX	50

/*
 * Where passage is in body: at [start, end) when given (given != 0)
 * and they hold exactly the passage; else its occurrence-th place
 * (1-based; 0: the only one).  1 with *s and *e in code points; 0 when
 * it is not there as asked, with *places how many places it has (0:
 * none; more than one with occurrence 0: the caller asks which).
 */
int	 passage_find(const char *body, const char *passage, int given,
	    long long start, long long end, long long occurrence,
	    long long *s, long long *e, size_t *places);

/*
 * Each place of passage in body (at most PASSAGE_PLACES_MAX), for a
 * form to choose from: [{"n" (1-based), "before", "passage", "after"}],
 * with up to 30 characters of the text around it; arena-owned.
 */
json_t	*passage_places(struct req *, const char *body, const char *passage);

#endif
