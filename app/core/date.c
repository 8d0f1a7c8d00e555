/* date.c: YYYY-MM-DD dates that exist, and the moment each one starts. */
#include "config.h"

#include "date.h"

static int
date_leap(long y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Days from 1970-01-01 to y-m-d (H. Hinnant's days_from_civil). */
static long long
date_days(long y, long m, long d)
{
	long long	 era, yoe, doy;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	return era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
}

int
date_parse(const char *s, time_t *t)
{
	static const int	 mdays[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};
	long			 y = 0, m = 0, d = 0;
	int			 i;

	if (s == NULL)
		return 0;
	for (i = 0; i < 10; i++) {
		if (i == 4 || i == 7) {
			if (s[i] != '-')
				return 0;
			continue;
		}
		if (s[i] < '0' || s[i] > '9')
			return 0;
		if (i < 4)
			y = y * 10 + (s[i] - '0');
		else if (i < 7)
			m = m * 10 + (s[i] - '0');
		else
			d = d * 10 + (s[i] - '0');
	}
	if (s[10] != '\0' || y < 1 || m < 1 || m > 12 || d < 1 ||
	    d > mdays[m - 1] + (m == 2 && date_leap(y)))
		return 0;
	if (t != NULL)
		*t = (time_t)(date_days(y, m, d) * 86400);
	return 1;
}
