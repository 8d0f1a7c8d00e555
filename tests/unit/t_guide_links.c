/*
 * t_guide_links.c: the links of a post's body as CommonMark reads them
 * (inline links, autolinks, links through a reference definition; not
 * images, code or bare URLs), with their spans in code points, and
 * what a failed check says to a writer.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "guide_links.h"
#include "linkcheck.h"
#include "linkjob.h"
#include "tap.h"

/* The links of body as "start-end:url ...". */
static const char *
links(const char *body, size_t max)
{
	static char	 out[4096];
	json_t		*a = guide_links_extract(body, max), *l;
	size_t		 i, o = 0;

	out[0] = '\0';
	json_array_foreach(a, i, l)
		o += snprintf(out + o, sizeof(out) - o, "%s%lld-%lld:%s",
		    i ? " " : "",
		    (long long)json_integer_value(json_object_get(l, "start")),
		    (long long)json_integer_value(json_object_get(l, "end")),
		    json_string_value(json_object_get(l, "url")));
	json_decref(a);
	return out;
}

static void
test_extract(void)
{
	char	 big[8192];
	json_t	*a;
	size_t	 i, o = 0;

	is_str(links("See [the page](https://a.org/x) now.", 50),
	    "15-30:https://a.org/x", "an inline link: its destination");
	is_str(links("Go to <http://b.org/y>.", 50), "7-21:http://b.org/y",
	    "an autolink");
	is_str(links("Read [this][r].\n\n[r]: https://c.org/z \"T\"\n", 50),
	    "22-37:https://c.org/z", "a link through a reference: the "
	    "definition's URL");
	is_str(links("Read [a][r] and [b][r].\n\n[r]: https://c.org/z\n", 50),
	    "30-45:https://c.org/z", "two uses of one definition: one place");
	is_str(links("A bare https://d.org/ is text.", 50), "",
	    "a bare URL is no CommonMark link");
	is_str(links("`[x](https://e.org)` and\n\n    [y](https://f.org)\n",
	    50), "", "links in code are none");
	is_str(links("![pic](https://g.org/p.png) [m](mailto:a@b.c) "
	    "[r](/relative)", 50), "", "images, other schemes and relative "
	    "links are not checked");
	is_str(links("\xf0\x9f\x91\x8d caf\xc3\xa9 [x](https://h.org/\xc3\xa9)"
	    " [y](https://h.org/\xc3\xa9)", 50),
	    "11-26:https://h.org/\xc3\xa9 32-47:https://h.org/\xc3\xa9",
	    "spans in code points; the same URL twice, two places");
	is_str(links("[x](https://i.org/a) [y](https://i.org/ab)", 50),
	    "4-19:https://i.org/a 25-41:https://i.org/ab",
	    "a URL is found whole, not inside a longer one");
	is_str(links("[x](https://j.org/a&amp;b)", 50), "",
	    "a URL written with an entity is not found as written: left out");
	is_str(links("[HTTPS](HTTPS://K.ORG)", 50), "8-21:HTTPS://K.ORG",
	    "any case of the scheme");
	for (i = 0; i < 60; i++)
		o += (size_t)snprintf(big + o, sizeof(big) - o,
		    "[l](https://l.org/%zu) ", i);
	a = guide_links_extract(big, 3);
	is_int(json_array_size(a), 3, "at most max links");
	json_decref(a);
	a = guide_links_extract(big, GUIDE_LINKS_MAX);
	is_int(json_array_size(a), GUIDE_LINKS_MAX,
	    "at most GUIDE_LINKS_MAX links of 60");
	json_decref(a);
	is_str(links("", 50), "", "an empty body");
}

/* What a result says. */
static const char *
what(enum linkcheck_status st, long http, const char *reason, long secs)
{
	static char		 out[300];
	struct linkcheck_result	 r;

	memset(&r, 0, sizeof(r));
	r.status = st;
	r.http_status = http;
	snprintf(r.reason, sizeof(r.reason), "%s", reason);
	linkjob_what(&r, secs, out, sizeof(out));
	return out;
}

static void
test_what(void)
{
	is_str(what(LINKCHECK_OK, 200, "HTTP 200", 10), "", "a link that works");
	is_str(what(LINKCHECK_DEAD, 404, "HTTP 404", 10), "404 Not Found",
	    "404 with its phrase");
	is_str(what(LINKCHECK_DEAD, 410, "HTTP 410", 10), "410 Gone", "410");
	is_str(what(LINKCHECK_DEAD, 499, "HTTP 499", 10), "HTTP status 499",
	    "a status without a known phrase");
	is_str(what(LINKCHECK_UNREACHABLE, 0, "timed out", 10),
	    "no answer within 10 s", "a timeout");
	is_str(what(LINKCHECK_UNREACHABLE, 0, "could not resolve x.invalid: "
	    "Name or service not known", 10), "no answer: could not resolve "
	    "x.invalid: Name or service not known", "a name that does not "
	    "resolve");
	is_str(what(LINKCHECK_REFUSED, 0, "10.0.0.1 is not a public address "
	    "(private)", 10), "address not allowed", "a private address");
	is_str(what(LINKCHECK_REFUSED, 0, "only http and https links are "
	    "checked, not ftp:", 10), "only http and https links are checked, "
	    "not ftp:", "another scheme");
}

int
main(void)
{
	test_extract();
	test_what();
	return tap_done();
}
