/*
 * date.h: calendar dates as people and clients write them, YYYY-MM-DD
 * (ISO 8601, proleptic Gregorian, UTC): the one reader of dates for
 * every form, query and JSON field.
 */
#ifndef DATE_H
#define DATE_H

#include <time.h>

/*
 * Whether s is a date that exists: exactly YYYY-MM-DD, year 0001 to 9999,
 * a day the month has (29 February only in leap years).  On 1 and when
 * t is not NULL, *t is the start of that day, UTC.  NULL is no date.
 */
int	date_parse(const char *s, time_t *t);

#endif
