/*
 * guide_count.h: the length of a text as a channel counts it, and the
 * links in a text.
 *
 * A length is counted in Unicode code points, not bytes and not what a
 * reader sees as one character: an emoji of four bytes is one, a family
 * emoji joined by ZWJs is five, e + a combining accent is two.  A link
 * counts its own code points, or the channel's fixed link length when
 * the channel shortens every link (X and Mastodon count each as 23).
 */
#ifndef GUIDE_COUNT_H
#define GUIDE_COUNT_H

#include <stddef.h>

/* A link: [start, end) in code points and [bstart, bend) in bytes. */
struct guide_link {
	size_t	 start;
	size_t	 end;
	size_t	 bstart;
	size_t	 bend;
};

/*
 * Find the http:// and https:// links (any case) in the len bytes of
 * UTF-8 at text.  A link starts where its scheme is not glued to a
 * letter, digit or one of +-.@/:_ before it, has at least one
 * character of host, and runs to white space (Unicode's too), a control
 * character or one of < > " ` { } | \ ^; trailing . , ; : ! ? ' * are
 * left out, and so is a closing ) or ] the link did not open.  Stores
 * the first max links in out (out may be NULL when max is 0) and
 * returns how many there are in all.
 */
size_t	guide_links(const char *text, size_t len, struct guide_link *out,
	    size_t max);

/*
 * The length of the len bytes at text: code points, with each link
 * counted as link_length code points, or as its own length when
 * link_length is 0.
 */
size_t	guide_count(const char *text, size_t len, size_t link_length);

/* What a channel allows and how it counts a link. */
struct guide_channel {
	const char	*name;		/* lower case: "x", "linkedin" */
	size_t		 limit;		/* code points */
	size_t		 link_length;	/* 0: a link counts as itself */
};

/*
 * The channel called name (any case) among the known ones, x, mastodon
 * and linkedin, or NULL.  The table is static and read-only.
 */
const struct guide_channel	*guide_channel_find(const char *name);

#endif
