/*
 * t_guide_tags.c: the nearest allowed tag, by edit distance over code
 * points with case folded, within a maximum distance.
 */
#include "config.h"

#include <string.h>

#include "guide_tags.h"
#include "tap.h"

static const char *const allowed[] = {
	"events", "recruiting", "sustainability", "community", "product",
	"Événements", "straße", "製品", "produce",
};
#define NALLOWED	(sizeof(allowed) / sizeof(allowed[0]))

/* The suggestion for tag with the usual maximum, or "-". */
static const char *
near(const char *tag, unsigned int *d)
{
	long	 i;

	i = guide_tag_nearest(tag, allowed, NALLOWED, GUIDE_TAG_MAXDIST, d);
	return i < 0 ? "-" : allowed[i];
}

int
main(void)
{
	const char	*few[] = { "abcd", "abce" };
	char		 big[GUIDE_TAG_MAX * 2 + 2];
	unsigned int	 d = 99;

	is_str(near("events", &d), "events", "an allowed tag is itself");
	is_int(d, 0, "at distance 0");
	is_str(near("EVENTS", &d), "events", "case does not count");
	is_int(d, 0, "at distance 0 either");
	is_str(near("évènements", &d), "Événements",
	    "case folded beyond ASCII");
	is_int(d, 1, "one accent differs");
	is_str(near("STRASSE", &d), "straße", "ß is not folded to ss");
	is_int(d, 2, "two edits");
	is_str(near("recuriting", &d), "recruiting",
	    "a swap of neighbours counts one");
	is_int(d, 1, "distance 1");
	is_str(near("comunity", &d), "community", "a missing letter");
	is_str(near("sustainabilty", &d), "sustainability", "a typo");
	is_str(near("製", &d), "-", "a one-character tag is never corrected");
	is_str(near("製品x", &d), "製品", "CJK characters are one each");
	is_int(d, 1, "distance 1");
	is_str(near("produc", &d), "product",
	    "a tie goes to the first allowed tag");
	is_str(near("marketing", &d), "-", "nothing near enough");
	is_str(near("evnts", &d), "events", "at the maximum distance");
	ok(guide_tag_nearest("evts", allowed, NALLOWED, 2, &d) == 0,
	    "two edits with maxdist 2");
	ok(guide_tag_nearest("evts", allowed, NALLOWED, 1, &d) < 0,
	    "but not with maxdist 1");
	ok(guide_tag_nearest("ab", few, 2, 2, &d) < 0,
	    "no suggestion as far as the whole tag");
	ok(guide_tag_nearest("", allowed, NALLOWED, 2, &d) < 0, "empty tag");
	ok(guide_tag_nearest("ev\xffnts", allowed, NALLOWED, 2, &d) < 0,
	    "invalid UTF-8");
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	ok(guide_tag_nearest(big, allowed, NALLOWED, 2, &d) < 0,
	    "a tag over the length limit");
	big[GUIDE_TAG_MAX] = '\0';
	few[0] = big;
	ok(guide_tag_nearest(big, few, 2, 2, &d) == 0 && d == 0,
	    "a tag at the length limit");
	return tap_done();
}
