/*
 * public_cache.c: the validators of the public pages and feeds (RFC
 * 9110 section 8.8) and their conditional requests (section 13).
 *
 * A page's validator is when its unit, or the confederation, last
 * changed publicly (sql/034_public_cache.sql): one indexed row read
 * before the handler runs, so that a client whose copy is current gets
 * 304 Not Modified and nothing is rendered.  The ETag is weak, W/"...":
 * the same version of the data gives the same page, but not always the
 * same bytes, which a strong validator would have to promise.  It also
 * carries a digest of what else every page shows (the release, the
 * site's name and address), so a new release or configuration is not
 * answered 304 with the pages of the old one.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "arena.h"
#include "conf.h"
#include "input.h"
#include "kv.h"
#include "public.h"
#include "public_db.h"
#include "req.h"

/* Seconds after its second began that a change's date is sent. */
#define PUBLIC_DATE_MARGIN	2

/* The HTTP date of t, an IMF-fixdate (RFC 9110 section 5.6.7). */
static const char *
http_date(struct arena *a, long long t)
{
	static const char *const days[] = { "Sun", "Mon", "Tue", "Wed",
		"Thu", "Fri", "Sat" };
	static const char *const months[] = { "Jan", "Feb", "Mar", "Apr",
		"May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	time_t		 tt = (time_t)t;
	struct tm	 tm;

	gmtime_r(&tt, &tm);
	return arena_printf(a, "%s, %02d %s %04d %02d:%02d:%02d GMT",
	    days[tm.tm_wday], tm.tm_mday, months[tm.tm_mon],
	    tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* An IMF-fixdate as seconds since the epoch; -1 when s is not one. */
static long long
http_date_parse(const char *s)
{
	static const char	 months[] = "JanFebMarAprMayJunJulAugSepOctNov"
	    "Dec";
	char			 wd[4], mon[4], gmt[4], end;
	const char		*m;
	struct tm		 tm;

	memset(&tm, 0, sizeof(tm));
	if (s == NULL || strlen(s) != 29 || sscanf(s, "%3[A-Za-z], %2d "
	    "%3[A-Za-z] %4d %2d:%2d:%2d %3[A-Z]%c", wd, &tm.tm_mday, mon,
	    &tm.tm_year, &tm.tm_hour, &tm.tm_min, &tm.tm_sec, gmt,
	    &end) != 8 || strcmp(gmt, "GMT") != 0 || strlen(mon) != 3 ||
	    (m = strstr(months, mon)) == NULL || (m - months) % 3 != 0)
		return -1;
	if (tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_hour > 23 ||
	    tm.tm_min > 59 || tm.tm_sec > 60 || tm.tm_year < 1970)
		return -1;
	tm.tm_mon = (int)((m - months) / 3);
	tm.tm_year -= 1900;
	return (long long)timegm(&tm);
}

/*
 * Whether the If-None-Match list h names etag by weak comparison
 * (RFC 9110 section 8.8.3.2), or is "*".
 */
static int
etag_listed(const char *h, const char *etag)
{
	const char	*e, *opaque = etag + 2;		/* past W/ */
	size_t		 n = strlen(opaque);

	while (*h != '\0') {
		h += strspn(h, " \t,");
		if (*h == '*')
			return 1;
		if (strncmp(h, "W/", 2) == 0)
			h += 2;
		if (*h != '"' || (e = strchr(h + 1, '"')) == NULL)
			return 0;
		if ((size_t)(e + 1 - h) == n && strncmp(h, opaque, n) == 0)
			return 1;
		h = e + 1;
	}
	return 0;
}

/* FNV-1a of the release, the site's name and its address. */
static unsigned long
site_digest(const struct req *r)
{
	const char	*parts[3] = { PACKAGE_VERSION, r->conf->site_name,
	    r->conf->public_url };
	const char	*p;
	uint32_t	 h = 2166136261u;
	size_t		 i;

	for (i = 0; i < 3; i++)
		for (p = parts[i] != NULL ? parts[i] : ""; ; p++) {
			h = (h ^ (unsigned char)*p) * 16777619u;
			if (*p == '\0')
				break;
		}
	return (unsigned long)h;
}

/* Whether the request may share the public's answer. */
static int
shared(struct req *r)
{
	const struct route	*rt = r->route;

	if (!(rt->flags & ROUTE_CACHE) || !(r->method & (M_GET | M_HEAD)))
		return 0;
	if (rt->flags & ROUTE_PUBLIC)
		return 1;
	/* A page that has someone's version: only without any cookie. */
	return r->sess == NULL && r->cookies.n == 0 && r->fmt == FMT_HTML;
}

int
public_cache_check(struct req *r)
{
	const char	*slug = NULL, *inm, *ims;
	long long	 version, changed, since, day_left;
	int		 rc;

	if (!shared(r))
		return 0;
	/* Its 404 and 410 too: a withdrawal replaces a kept copy. */
	r->resp.cache_public = 1;
	if (r->db == NULL)
		return 0;
	if (r->route->flags & ROUTE_CACHE_UNIT) {
		slug = kv_get(&r->params, "slug");
		if (input_slug_problem(slug) != NULL)
			return 0;
	}
	if ((rc = public_db_changed(r, slug, &version, &changed,
	    &day_left)) != 1)
		return 0;	/* none: the handler answers 404 */
	/* The front page's advisories change at midnight (UTC). */
	if (slug == NULL)
		r->resp.mem_until = (long long)time(NULL) + day_left;
	r->resp.etag = arena_printf(r->a, "W/\"%c%lld.%lld.%08lx\"",
	    slug != NULL ? 'u' : 'c', version, changed, site_digest(r));
	/*
	 * A date has whole seconds: while another change could still come
	 * in the second of this one (a transaction committing late), a
	 * date would hide it from If-Modified-Since.  The ETag holds.
	 */
	if (changed + PUBLIC_DATE_MARGIN <= (long long)time(NULL))
		r->resp.last_modified = http_date(r->a, changed);
	if ((inm = req_env(r, "HTTP_IF_NONE_MATCH")) != NULL)
		return etag_listed(inm, r->resp.etag) ? 304 : 0;
	ims = req_env(r, "HTTP_IF_MODIFIED_SINCE");
	if (r->resp.last_modified == NULL || (since = http_date_parse(ims)) < 0)
		return 0;
	return changed <= since ? 304 : 0;
}
