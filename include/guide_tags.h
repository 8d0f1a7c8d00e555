/*
 * guide_tags.h: the nearest allowed tag to an unknown one.
 */
#ifndef GUIDE_TAGS_H
#define GUIDE_TAGS_H

#include <stddef.h>

/* Tags longer than this, in code points, get no suggestion. */
#define GUIDE_TAG_MAX		64
/* The usual maximum distance for a suggestion. */
#define GUIDE_TAG_MAXDIST	2

/*
 * The index in allowed[0..n) of the tag nearest to tag, comparing code
 * points with their case folded (Unicode simple lower case): the edit
 * distance counts an insertion, a deletion, a substitution or the swap
 * of two neighbouring code points as one.  A tag is suggested only when
 * its distance is at most maxdist and less than the code points of tag,
 * so a short tag is never "corrected" into an unrelated one; a tie goes
 * to the first in allowed.  Distance 0 means that tag is allowed as it
 * is, up to case.  Stores the distance in *dist when dist is not NULL
 * and returns the index, or -1 when nothing is near enough, either tag
 * is longer than GUIDE_TAG_MAX or not UTF-8.  The work is at most n
 * times GUIDE_TAG_MAX squared steps.
 */
long	guide_tag_nearest(const char *tag, const char *const *allowed,
	    size_t n, unsigned int maxdist, unsigned int *dist);

#endif
