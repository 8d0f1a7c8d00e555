/*
 * fuzz_guide_count.c: the link scanner and the tag distance on any
 * bytes: links lie inside the text, in order, never overlap and start
 * with their scheme; counts never exceed the code points with links at
 * their fixed length; a suggestion is within the distance asked.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "guide_count.h"
#include "guide_tags.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct guide_link	 l[64];
	const char		*t = (const char *)data;
	const char		*allowed[2];
	char			 tag[80], other[80];
	size_t			 n, i, cps = 0, half, shrink;
	unsigned int		 d;
	long			 k;

	for (i = 0; i < size; i++)
		cps += (data[i] & 0xc0) != 0x80;
	n = guide_links(t, size, l, 64);
	for (i = 0; i < n && i < 64; i++) {
		if (l[i].bstart >= l[i].bend || l[i].bend > size ||
		    l[i].start >= l[i].end || l[i].end > cps ||
		    strncasecmp(t + l[i].bstart, "http", 4) != 0)
			__builtin_trap();
		if (i > 0 && (l[i].bstart < l[i - 1].bend ||
		    l[i].start < l[i - 1].end))
			__builtin_trap();
	}
	if (guide_count(t, size, 0) != cps)
		__builtin_trap();
	/* Each link counted as one code point instead of its own length. */
	for (i = 0, shrink = 0; i < n && i < 64; i++)
		shrink += l[i].end - l[i].start - 1;
	if (n <= 64 && guide_count(t, size, 1) != cps - shrink)
		__builtin_trap();

	half = size / 2 < sizeof(tag) - 1 ? size / 2 : sizeof(tag) - 1;
	memcpy(tag, data, half);
	tag[half] = '\0';
	n = size - size / 2 < sizeof(other) - 1 ? size - size / 2 :
	    sizeof(other) - 1;
	memcpy(other, data + size / 2, n);
	other[n] = '\0';
	allowed[0] = other;
	allowed[1] = tag;
	k = guide_tag_nearest(tag, allowed, 2, 3, &d);
	if (k >= 0 && d > 3)
		__builtin_trap();
	return 0;
}
