/*
 * t_guide_count.c: the links of a text with their spans, and lengths
 * counted in code points with links as themselves or as a channel's
 * fixed length.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "guide_count.h"
#include "tap.h"

/* The links of text as "start-end:text ...". */
static const char *
links(const char *text)
{
	static char		 out[2048];
	struct guide_link	 l[16];
	size_t			 n, i, o = 0;

	n = guide_links(text, strlen(text), l, 16);
	out[0] = '\0';
	for (i = 0; i < n && i < 16; i++)
		o += snprintf(out + o, sizeof(out) - o, "%s%zu-%zu:%.*s",
		    i ? " " : "", l[i].start, l[i].end,
		    (int)(l[i].bend - l[i].bstart), text + l[i].bstart);
	return out;
}

static void
test_links(void)
{
	struct guide_link	 l[1];
	char			 big[3000];
	size_t			 i;

	is_str(links("See https://example.org/a?b=c#d now"),
	    "4-31:https://example.org/a?b=c#d", "a link and its span");
	is_str(links("HTTP://EXAMPLE.ORG and http://x.y."),
	    "0-18:HTTP://EXAMPLE.ORG 23-33:http://x.y",
	    "any case; a final full stop is not part of the link");
	is_str(links("(see http://en.wikipedia.org/wiki/C_(language)), ok"),
	    "5-46:http://en.wikipedia.org/wiki/C_(language)",
	    "a closing parenthesis the link opened stays, the other goes");
	is_str(links("[http://a.b/x] 'http://c.d/e'"),
	    "1-13:http://a.b/x 16-28:http://c.d/e",
	    "brackets and quotes around a link are left out");
	is_str(links("<http://a.b/x>\"http://c.d\""),
	    "1-13:http://a.b/x 15-25:http://c.d", "< > and \" end a link");
	is_str(links("ftp://a.b mailto:x@y.z xhttp://a.b http:// http:///x "
	    "https://.x http://"), "", "no other scheme, no glued scheme, "
	    "no link without a host");
	is_str(links("\xf0\x9f\x91\x8d http://a.b/caf\xc3\xa9 \xf0\x9f\x91\x8d"),
	    "2-17:http://a.b/caf\xc3\xa9", "spans in code points; non-ASCII "
	    "in a path");
	is_str(links("http://a.b\xc2\xa0next http://c.d\xe3\x80\x80x"),
	    "0-10:http://a.b 16-26:http://c.d",
	    "Unicode white space ends a link");
	is_str(links("(http://a.b), (http://c.d)"),
	    "1-11:http://a.b 15-25:http://c.d", "links side by side");
	is_str(links("http://a.b),(http://c.d"), "0-23:http://a.b),(http://c.d",
	    "but a link runs to white space");
	is_str(links("https://[::1]:8080/x"), "0-20:https://[::1]:8080/x",
	    "an IPv6 literal");
	ok(guide_links("http://a.b http://c.d", 21, l, 1) == 2 &&
	    l[0].start == 0 && l[0].end == 10,
	    "the count is of all links, the first max are stored");
	ok(guide_links("http://a.b", 10, NULL, 0) == 1, "counting only");

	/* Many closing parentheses: linear, and all dropped. */
	memcpy(big, "http://a.b/", 11);
	for (i = 11; i < sizeof(big) - 1; i++)
		big[i] = ')';
	big[sizeof(big) - 1] = '\0';
	is_str(links(big), "0-11:http://a.b/", "unbalanced parentheses dropped");
}

static void
test_count(void)
{
	const struct guide_channel	*x, *li;
	const char			*t;

	is_int(guide_count("abc", 3, 0), 3, "ASCII");
	is_int(guide_count("caf\xc3\xa9", 5, 0), 4, "a two-byte letter is one");
	is_int(guide_count("\xf0\x9f\x91\x8d", 4, 0), 1, "an emoji is one");
	is_int(guide_count("cafe\xcc\x81", 6, 0), 5,
	    "a combining mark is a code point of its own");
	is_int(guide_count("\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x92\xbb", 11,
	    0), 3, "a ZWJ sequence counts its code points");
	is_int(guide_count("", 0, 23), 0, "empty");

	t = "Read https://example.org/a/very/long/path/indeed/yes now";
	is_int(guide_count(t, strlen(t), 0), strlen(t),
	    "a link as its own length");
	is_int(guide_count(t, strlen(t), 23), 5 + 23 + 4,
	    "a link as the channel's fixed length");
	t = "http://a.b";
	is_int(guide_count(t, strlen(t), 23), 23,
	    "a short link counts as the fixed length too");
	t = "two http://a.b and https://c.d/e";
	is_int(guide_count(t, strlen(t), 23), 4 + 23 + 5 + 23, "two links");

	x = guide_channel_find("X");
	li = guide_channel_find("linkedin");
	ok(x != NULL && x->limit == 280 && x->link_length == 23,
	    "X: 280, links as 23");
	ok(li != NULL && li->limit == 3000 && li->link_length == 0,
	    "LinkedIn: 3,000, links as themselves");
	ok(guide_channel_find("mastodon") != NULL, "Mastodon");
	ok(guide_channel_find("myspace") == NULL, "an unknown channel");
}

int
main(void)
{
	test_links();
	test_count();
	return tap_done();
}
