/* timefmt.c: times as people read them, and the views' "K_time" members. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "timefmt.h"
#include "util.h"

static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May",
	"Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };

/* Days from 1970-01-01 to y-m-d of the proleptic Gregorian calendar. */
static long long
timefmt_days(long long y, int m, int d)
{
	long long	 era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int
timefmt_mdays(int y, int m)
{
	static const int	 n[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
				    30, 31 };

	if (m == 2 && y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))
		return 29;
	return n[m - 1];
}

/* n decimal digits at s, or -1. */
static int
timefmt_num(const char *s, int n)
{
	int	 v = 0;

	while (n-- > 0) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (*s++ - '0');
	}
	return v;
}

int
timefmt_parse(const char *s, time_t *t, int *day)
{
	int	 y, mo, d, h = 0, mi = 0, se = 0;
	size_t	 len;

	if (s == NULL || (len = strlen(s)) < 10 || s[4] != '-' || s[7] != '-')
		return 0;
	y = timefmt_num(s, 4);
	mo = timefmt_num(s + 5, 2);
	d = timefmt_num(s + 8, 2);
	if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > timefmt_mdays(y, mo))
		return 0;
	if (len == 10)
		*day = 1;
	else if (len == 20 && s[10] == 'T' && s[13] == ':' && s[16] == ':' &&
	    s[19] == 'Z') {
		h = timefmt_num(s + 11, 2);
		mi = timefmt_num(s + 14, 2);
		se = timefmt_num(s + 17, 2);
		*day = 0;
	} else if (len == 20 && s[10] == ' ' && s[13] == ':' &&
	    strcmp(s + 16, " UTC") == 0) {
		h = timefmt_num(s + 11, 2);
		mi = timefmt_num(s + 14, 2);
		*day = 0;
	} else
		return 0;
	if (h < 0 || h > 23 || mi < 0 || mi > 59 || se < 0 || se > 59)
		return 0;
	*t = (time_t)(timefmt_days(y, mo, d) * 86400 + h * 3600 + mi * 60 +
	    se);
	return 1;
}

void
timefmt_text(time_t t, int day, char *buf, size_t len)
{
	struct tm	 tm;

	gmtime_r(&t, &tm);
	if (day)
		snprintf(buf, len, "%d %s %d", tm.tm_mday, months[tm.tm_mon],
		    tm.tm_year + 1900);
	else
		snprintf(buf, len, "%d %s %d, %02d:%02d UTC", tm.tm_mday,
		    months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour,
		    tm.tm_min);
}

/* "5 days ago" or "in 5 days" for n units (n > 0). */
static void
timefmt_count(char *buf, size_t len, long long n, const char *unit, int past)
{
	snprintf(buf, len, "%s%lld %s%s%s", past ? "" : "in ", n, unit,
	    n == 1 ? "" : "s", past ? " ago" : "");
}

void
timefmt_ago(time_t t, int day, time_t now, char *buf, size_t len)
{
	long long	 d, a;
	int		 past;

	if (day) {
		/* Whole days between the two UTC calendar days. */
		d = (long long)(now >= 0 ? now / 86400 : (now - 86399) /
		    86400) - (long long)(t >= 0 ? t / 86400 : (t - 86399) /
		    86400);
		if (d == 0) {
			snprintf(buf, len, "today");
			return;
		}
		if (d == 1 || d == -1) {
			snprintf(buf, len, "%s", d == 1 ? "yesterday" :
			    "tomorrow");
			return;
		}
		d *= 86400;
	} else
		d = (long long)now - (long long)t;
	past = d > 0;
	a = past ? d : -d;
	if (!day && a < 60)
		snprintf(buf, len, "just now");
	else if (a < 3600)
		timefmt_count(buf, len, a / 60, "minute", past);
	else if (a < 86400)
		timefmt_count(buf, len, a / 3600, "hour", past);
	else if (a < 60 * 86400LL)
		timefmt_count(buf, len, a / 86400, "day", past);
	else if (a < 730 * 86400LL)
		timefmt_count(buf, len, a / (30 * 86400LL), "month", past);
	else
		timefmt_count(buf, len, a / (365 * 86400LL), "year", past);
}

void
timefmt_annotate(json_t *v, time_t now)
{
	const char	*k, *sv;
	json_t		*m, *add = NULL, *o;
	size_t		 i, n;
	char		 iso[32], text[64], ago[64], *key, kbuf[64];
	struct tm	 tm;
	time_t		 t;
	int		 day;

	if (json_is_array(v)) {
		json_array_foreach(v, i, m)
			timefmt_annotate(m, now);
		return;
	}
	if (!json_is_object(v))
		return;
	/* Collected first: an object must not grow while it is iterated. */
	json_object_foreach(v, k, m) {
		if (!json_is_string(m)) {
			timefmt_annotate(m, now);
			continue;
		}
		/* Not a time unless it starts as one (timefmt_parse()). */
		sv = json_string_value(m);
		if (json_string_length(m) < 10 || sv[4] != '-' ||
		    sv[7] != '-')
			continue;
		n = strlen(k);
		if ((n > 5 && strcmp(k + n - 5, "_time") == 0) ||
		    !timefmt_parse(sv, &t, &day))
			continue;
		if (day)
			snprintf(iso, sizeof(iso), "%.10s", sv);
		else {
			gmtime_r(&t, &tm);
			strftime(iso, sizeof(iso), "%Y-%m-%dT%H:%M:%SZ", &tm);
		}
		timefmt_text(t, day, text, sizeof(text));
		timefmt_ago(t, day, now, ago, sizeof(ago));
		key = n + 6 <= sizeof(kbuf) ? kbuf : xmalloc(n + 6);
		memcpy(key, k, n);
		memcpy(key + n, "_time", 6);
		o = json_object();
		json_object_set_new(o, "iso", json_string(iso));
		json_object_set_new(o, "text", json_string(text));
		json_object_set_new(o, "ago", json_string(ago));
		if (add == NULL)
			add = json_object();
		json_object_set_new(add, key, o);
		if (key != kbuf)
			free(key);
	}
	if (add != NULL) {
		json_object_update(v, add);
		json_decref(add);
	}
}
