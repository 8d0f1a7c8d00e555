/* t_timefmt.c: parsing, wording and the views' K_time members. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "tap.h"
#include "timefmt.h"

/* 2026-12-02T18:30:00Z */
#define NOW	((time_t)1796236200)

static const char *
ago(const char *s)
{
	static char	 buf[64];
	time_t		 t;
	int		 day;

	if (!timefmt_parse(s, &t, &day))
		return "(unparsed)";
	timefmt_ago(t, day, NOW, buf, sizeof(buf));
	return buf;
}

static const char *
text(const char *s)
{
	static char	 buf[64];
	time_t		 t;
	int		 day;

	if (!timefmt_parse(s, &t, &day))
		return "(unparsed)";
	timefmt_text(t, day, buf, sizeof(buf));
	return buf;
}

int
main(void)
{
	static const char *const bad[] = { "", "2026", "2026-11-27T17:19:10",
	    "2026-11-27T17:19:10+01:00", "2026-13-01", "2026-02-29",
	    "2026-11-31", "2026-11-27T24:00:00Z", "2026-11-27T17:60:00Z",
	    "2026-11-27T17:19:60Z", "2026-11-27 17:19", "2026-11-27x",
	    "2026-1-27", "2026-11-27T17:19:1aZ", "0000-01-01",
	    "Arrives 2026-11-27", "2026-11-27 17:19 CET" };
	time_t		 t;
	json_t		*v, *e;
	size_t		 i;
	int		 day;
	char		*s;

	ok(timefmt_parse("1970-01-01T00:00:00Z", &t, &day) && t == 0 &&
	    !day, "the epoch");
	ok(timefmt_parse("2026-12-02T18:30:00Z", &t, &day) && t == NOW,
	    "a time of 2026");
	ok(timefmt_parse("2024-02-29", &t, &day) && day &&
	    t == (time_t)1709164800, "a leap day is a day");
	ok(timefmt_parse("2026-11-27 17:19 UTC", &t, &day) && !day &&
	    t == (time_t)1795799940, "the use rules' form, without seconds");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ok(!timefmt_parse(bad[i], &t, &day), "not a time: \"%s\"",
		    bad[i]);

	is_str(text("2026-11-27T17:19:10Z"), "27 Nov 2026, 17:19 UTC",
	    "a time as people read it");
	is_str(text("2026-01-05T03:04:59Z"), "5 Jan 2026, 03:04 UTC",
	    "no leading zero on the day, minutes not rounded");
	is_str(text("2026-12-31"), "31 Dec 2026", "a day");

	is_str(ago("2026-12-02T18:29:31Z"), "just now", "29 s: just now");
	is_str(ago("2026-12-02T18:30:30Z"), "just now", "30 s ahead: just now");
	is_str(ago("2026-12-02T18:29:00Z"), "1 minute ago", "one minute");
	is_str(ago("2026-12-02T17:45:00Z"), "45 minutes ago", "minutes");
	is_str(ago("2026-12-02T16:30:00Z"), "2 hours ago", "hours");
	is_str(ago("2026-12-02T21:30:00Z"), "in 3 hours", "ahead");
	is_str(ago("2026-11-27T17:19:10Z"), "5 days ago", "days");
	is_str(ago("2026-12-01T18:30:00Z"), "1 day ago", "one day");
	is_str(ago("2026-09-01T00:00:00Z"), "3 months ago", "months");
	is_str(ago("2025-11-01T00:00:00Z"), "13 months ago",
	    "months up to two years");
	is_str(ago("2021-06-01T00:00:00Z"), "5 years ago", "years");
	is_str(ago("2026-12-02"), "today", "a day: today");
	is_str(ago("2026-12-01"), "yesterday", "yesterday");
	is_str(ago("2026-12-03"), "tomorrow", "tomorrow");
	is_str(ago("2026-12-14"), "in 12 days", "a last day ahead");
	is_str(ago("2026-11-20"), "12 days ago", "a day behind");

	v = json_pack("{s:s, s:s, s:i, s:[{s:s, s:s}], s:{s:s}, s:[s]}",
	    "created_at", "2026-11-27T17:19:10Z", "name", "2026 plans",
	    "n", 3, "decisions", "decided_at", "2026-12-01T09:00:00Z",
	    "reason", "", "rules", "accepted_at", "2026-11-27 17:19 UTC",
	    "channels", "2026-11-27");
	timefmt_annotate(v, NOW);
	e = json_object_get(v, "created_at_time");
	is_str(json_string_value(json_object_get(e, "iso")),
	    "2026-11-27T17:19:10Z", "created_at_time.iso");
	is_str(json_string_value(json_object_get(e, "text")),
	    "27 Nov 2026, 17:19 UTC", "created_at_time.text");
	is_str(json_string_value(json_object_get(e, "ago")), "5 days ago",
	    "created_at_time.ago");
	is_str(json_string_value(json_object_get(v, "created_at")),
	    "2026-11-27T17:19:10Z", "the ISO value stays for JSON");
	e = json_object_get(json_array_get(json_object_get(v, "decisions"), 0),
	    "decided_at_time");
	is_str(json_string_value(json_object_get(e, "text")),
	    "1 Dec 2026, 09:00 UTC", "in objects inside arrays");
	e = json_object_get(json_object_get(v, "rules"), "accepted_at_time");
	is_str(json_string_value(json_object_get(e, "iso")),
	    "2026-11-27T17:19:00Z", "the other form, normalised to ISO 8601");
	ok(json_object_get(v, "name_time") == NULL &&
	    json_object_get(v, "n_time") == NULL &&
	    json_object_get(json_object_get(v, "decisions"), "reason_time") ==
	    NULL, "other members gain nothing");
	ok(json_object_size(v) == 7, "one member added at the top");
	timefmt_annotate(v, NOW);
	s = json_dumps(v, JSON_SORT_KEYS | JSON_COMPACT);
	ok(s != NULL && strstr(s, "_time_time") == NULL &&
	    json_object_size(v) == 7, "annotating twice adds nothing more");
	free(s);
	json_decref(v);
	return tap_done();
}
