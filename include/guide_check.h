/*
 * guide_check.h: run a set of guideline rules over a post's text and
 * list what they find.  Pure: no database, no network, nothing stored.
 */
#ifndef GUIDE_CHECK_H
#define GUIDE_CHECK_H

#include <stddef.h>

#include <jansson.h>

/* A post's text as the check reads it (UTF-8, no NUL). */
struct guide_text {
	const char		*title;
	const char		*body;
	const char *const	*tags;
	size_t			 ntags;
	const char *const	*channels;	/* the post's target channels */
	size_t			 nchannels;
};

/*
 * Run rules, a JSON array of {"id","kind","fields","message"} (fields as
 * sql/021_guidelines.sql keeps them; the active rules only: dates and
 * targets are the caller's), over t, and append each finding to
 * findings as {"rule","field","start","end","message","replacement"}:
 * field is "title" or "body" with [start, end) in code points of that
 * text, or "tags" with start and end null; replacement is a string or
 * null.  Findings come sorted by field, start, end and rule.
 *
 *   term        each match of the pattern (guide_match(), its limits),
 *               with the rule's replacement;
 *   quiet       each match of one of its terms;
 *   disclosure  when a tag or a term calls for it and the body does not
 *               hold the sentence: an empty span at the end of the body,
 *               the replacement the sentence on a paragraph of its own;
 *   tags        each tag not allowed (up to case), with the nearest
 *               allowed one; no tag at all when one is required;
 *   length      for a channel of the post, the part of the body past the
 *               limit (links counted as link_length when it is not 0);
 *   links       each link whose host is malformed (links are not
 *               fetched here).
 *
 * Each term pattern is compiled once per call.  A rule whose fields are
 * not as expected is skipped and logged.  Returns the number of
 * findings appended.
 */
size_t	guide_check(json_t *rules, const struct guide_text *t,
	    json_t *findings);

/*
 * Whether the link at the len bytes of url (http:// or https://, as
 * guide_links() finds it) has a well-formed host: an IPv6 literal in
 * brackets, or dot-separated labels of letters, digits, hyphens and
 * non-ASCII characters, none empty nor starting or ending with a hyphen,
 * with at least one dot unless it is localhost; an optional port of up
 * to five digits, at most 65535; no user information.
 */
int	guide_link_wellformed(const char *url, size_t len);

#endif
