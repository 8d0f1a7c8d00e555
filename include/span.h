/*
 * span.h: carrying a span of one revision to its place in a later one
 * through the word diff between them (include/diff.h).
 */
#ifndef SPAN_H
#define SPAN_H

#include <stddef.h>

struct diff;

/*
 * Carry the span [start, end) of code points of text a through d (the
 * diff from a to b).  Returns 1 with its place in b in *nstart and *nend:
 * the same text, moved by the edits around it.  Returns 0 when the span
 * is outdated: text inside it was changed or deleted, or text was
 * inserted strictly inside it; an empty span (a suggested insertion) is
 * outdated only when the token it sits inside was changed.  Text
 * inserted exactly at a span's start lands before it, at its end after
 * it, and at an empty span before it.  The diff works on words, so a
 * span that covers part of a changed word is outdated.  Returns -1 when
 * the span is not one of a (start > end, or end beyond a's length).
 * O(number of segments).
 */
int	span_carry(const struct diff *d, size_t start, size_t end,
	    size_t *nstart, size_t *nend);

#endif
