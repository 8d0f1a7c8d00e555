/*
 * diff.h: a word-level diff between two UTF-8 texts (the revisions of a
 * post), with code-point offsets, at a bounded cost.
 *
 * Both texts are cut into tokens: runs of word characters (letters,
 * digits, '_', any script that is written with spaces), runs of white
 * space, and single other characters (punctuation, symbols, emoji, each
 * Han or kana character).  Combining marks, variation selectors, emoji
 * modifiers and a character joined by U+200D stay with the character
 * before them, and a pair of regional indicators (a flag) is one token,
 * so a change never splits what a reader sees as one character.
 *
 * The tokens are compared with Myers' O((N+M)D) algorithm in linear
 * space (the middle snake, divide and conquer) after trimming the common
 * prefix and suffix.  Every token comparison and every diagonal visited
 * counts as one unit of work; when a diff has spent its budget, what is
 * left to compare becomes "delete all of it, insert all of it" at once.
 * The whole cost is therefore the budget plus work linear in the texts
 * (cutting into tokens, and numbering them by a merge sort that costs
 * O(B log N) byte comparisons for B bytes in N tokens).
 */
#ifndef DIFF_H
#define DIFF_H

#include <stddef.h>

struct arena;

/* The budget of diff_words() when 0 is given: about 50 ms on a laptop. */
#define DIFF_WORK_DEFAULT	((size_t)5000000)

enum diff_op {
	DIFF_EQUAL,
	DIFF_DELETE,
	DIFF_INSERT
};

/*
 * One segment, in order.  Offsets are half-open ranges of code points
 * (start, end) and of bytes (byte, byte_end) in each text.  A DELETE
 * is empty in b (where it was removed) and an INSERT empty in a (where
 * it goes).  Between two EQUAL segments there is at most one DELETE,
 * then at most one INSERT; no segment is empty.
 */
struct diff_seg {
	enum diff_op	 op;
	size_t		 a_start, a_end;
	size_t		 b_start, b_end;
	size_t		 a_byte, a_byte_end;
	size_t		 b_byte, b_byte_end;
};

struct diff {
	struct diff_seg	*seg;		/* n segments, in the arena */
	size_t		 n;
	size_t		 a_len, b_len;	/* code points of each text */
	size_t		 a_tokens, b_tokens, equal_tokens;
	size_t		 work;		/* units of work spent */
	int		 capped;	/* 1 when the budget ran out */
};

/*
 * Diff the alen bytes at a against the blen bytes at b, spending at
 * most max_work units of work (0: DIFF_WORK_DEFAULT), and fill *d; its
 * segments live in the arena.  Below the budget the result is minimal
 * in tokens (equal_tokens is the longest common subsequence).  The
 * texts should be valid UTF-8; a byte that is not counts as one code
 * point.  Cannot fail (allocation failure aborts).
 */
void	diff_words(struct arena *, const char *a, size_t alen, const char *b,
	    size_t blen, size_t max_work, struct diff *d);

/*
 * The number of code points in the n bytes at s, counted as
 * diff_words() counts them.
 */
size_t	diff_cp_count(const char *s, size_t n);

/*
 * The byte offset of code point cp in the n bytes at s (n when cp is at
 * or beyond the end), counted as diff_words() counts: how a span in code
 * points is cut out of a text.
 */
size_t	diff_cp_offset(const char *s, size_t n, size_t cp);

#endif
