/* t_date.c: dates that exist, and only those; the moment each starts. */
#include "config.h"

#include <stddef.h>
#include <time.h>

#include "date.h"
#include "tap.h"

int
main(void)
{
	static const char *const bad[] = {
		"", "2026-02-31", "2026-02-29", "2100-02-29", "1900-02-29",
		"2026-04-31", "2026-13-01", "2026-00-10", "2026-01-00",
		"2026-01-32", "0000-01-01", "2026-1-01", "2026-01-1",
		"26-01-01", "2026/01/01", "2026-01-01x", "2026-01-01 ",
		" 2026-01-01", "+2026-01-01", "2026-0a-01", "20260101",
		"2026-01-01T00:00", "-001-01-01", "31.12.2031"
	};
	time_t	 t = 1;
	size_t	 i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ok(!date_parse(bad[i], &t), "\"%s\" is no date", bad[i]);
	ok(!date_parse(NULL, NULL), "NULL is no date");
	ok(t == 1, "and nothing is written for one");

	ok(date_parse("2024-02-29", NULL), "29 February of a leap year");
	ok(date_parse("2000-02-29", NULL), "of a year divisible by 400");
	ok(date_parse("2026-12-31", NULL) && date_parse("2026-04-30", NULL) &&
	    date_parse("2026-01-31", NULL), "the last day of a month");
	ok(date_parse("0001-01-01", NULL) && date_parse("9999-12-31", NULL),
	    "years 0001 to 9999");

	ok(date_parse("1970-01-01", &t) && t == 0, "1970-01-01 starts at 0");
	ok(date_parse("2000-03-01", &t) && t == 951868800, "2000-03-01");
	ok(date_parse("2024-02-29", &t) && t == 1709164800, "2024-02-29");
	ok(date_parse("2038-01-20", &t) && (long long)t == 2147558400LL,
	    "after 2038");
	ok(date_parse("1969-12-31", &t) && t == -86400, "before 1970");
	return tap_done();
}
