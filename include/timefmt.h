/*
 * timefmt.h: times as people read them.  JSON keeps ISO 8601; pages show
 * "27 Nov 2026, 17:19 UTC" and, where it helps, "5 days ago", inside a
 * <time datetime="…"> element (templates/time.html, time_ago.html).
 */
#ifndef TIMEFMT_H
#define TIMEFMT_H

#include <stddef.h>
#include <time.h>

#include <jansson.h>

/*
 * Parse one of the forms the statements produce, always UTC:
 * "YYYY-MM-DDTHH:MM:SSZ", "YYYY-MM-DD HH:MM UTC" or the day
 * "YYYY-MM-DD" (*day set).  1, or 0 when s is none of them or no such
 * moment exists (a 30 February, an hour 24).
 */
int	timefmt_parse(const char *s, time_t *t, int *day);

/*
 * "27 Nov 2026, 17:19 UTC", or "27 Nov 2026" for a day, into buf (at
 * least 32 bytes).
 */
void	timefmt_text(time_t t, int day, char *buf, size_t len);

/*
 * t relative to now: "just now", "5 minutes ago", "in 3 hours",
 * "2 months ago"; for a day, counted in days of the UTC calendar:
 * "today", "yesterday", "tomorrow", "in 12 days".  buf: at least 32 bytes.
 */
void	timefmt_ago(time_t t, int day, time_t now, char *buf, size_t len);

/*
 * The view convention: every member K of every object in v (at any
 * depth) whose value timefmt_parse() reads gains a sibling "K_time":
 * {"iso", "text", "ago"} (iso: the time normalised to
 * YYYY-MM-DDTHH:MM:SSZ, or YYYY-MM-DD for a day).  Nothing else changes,
 * so the same data still answers JSON.
 */
void	timefmt_annotate(json_t *v, time_t now);

#endif
