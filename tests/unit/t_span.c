/*
 * t_span.c: carrying a span through the diff to a later revision.  A
 * span carried must cover the very same text in the new revision; one
 * whose text changed is outdated.  Spans are in code points: emoji and
 * combining marks count as what they are.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "diff.h"
#include "span.h"
#include "tap.h"

static struct arena	*ar;

/*
 * Carry [s, e) of a to b: returns span_carry()'s result and, when the
 * span is carried, its text in b in *got (else NULL).
 */
static int
carry(const char *a, const char *b, size_t s, size_t e, size_t *ns,
    size_t *ne, const char **got)
{
	struct diff	 d;
	size_t		 bs, be;
	int		 rc;

	diff_words(ar, a, strlen(a), b, strlen(b), 0, &d);
	*got = NULL;
	rc = span_carry(&d, s, e, ns, ne);
	if (rc == 1) {
		bs = diff_cp_offset(b, strlen(b), *ns);
		be = diff_cp_offset(b, strlen(b), *ne);
		*got = arena_strndup(ar, b + bs, be - bs);
	}
	return rc;
}

/* The text of [s, e) of a, by code points. */
static const char *
cut(const char *a, size_t s, size_t e)
{
	size_t	 bs = diff_cp_offset(a, strlen(a), s);
	size_t	 be = diff_cp_offset(a, strlen(a), e);

	return arena_strndup(ar, a + bs, be - bs);
}

static void
test_moves(void)
{
	const char	*a = "The cat sat on the mat.", *got;
	size_t		 ns, ne;

	is_str(cut(a, 4, 7), "cat", "the span [4, 7) is \"cat\"");
	ok(carry(a, a, 4, 7, &ns, &ne, &got) == 1 && ns == 4 && ne == 7,
	    "no change: the span stays");
	ok(carry(a, "Today the cat sat on the mat.", 4, 7, &ns, &ne, &got) ==
	    1 && ns == 10 && ne == 13, "text added before moves it");
	is_str(got, "cat", "onto the same text");
	ok(carry(a, "The cat sat on the red mat.", 4, 7, &ns, &ne, &got) ==
	    1 && ns == 4 && ne == 7, "text added after leaves it");
	ok(carry(a, "A cat sat on a mat.", 4, 7, &ns, &ne, &got) == 1 &&
	    ns == 2 && ne == 5, "words replaced on both sides move it");
	is_str(got, "cat", "still over \"cat\"");
	ok(carry(a, "The cat sat on the mat.", 4, 11, &ns, &ne, &got) == 1 &&
	    ns == 4 && ne == 11, "a span of several words");
	ok(carry(a, "The cat sat on the mat.", 0, 23, &ns, &ne, &got) == 1 &&
	    ns == 0 && ne == 23, "the whole text");
}

static void
test_outdated(void)
{
	const char	*a = "The cat sat on the mat.", *got;
	size_t		 ns, ne;

	is_int(carry(a, "The dog sat on the mat.", 4, 7, &ns, &ne, &got), 0,
	    "its word replaced: outdated");
	is_int(carry(a, "The sat on the mat.", 4, 7, &ns, &ne, &got), 0,
	    "its word deleted: outdated");
	is_int(carry(a, "The big cat sat on the mat.", 0, 7, &ns, &ne, &got),
	    0, "a word inserted inside it: outdated");
	is_int(carry(a, "The cat sat on the mat.", 4, 7, &ns, &ne, &got), 1,
	    "(the same span, unchanged, is carried)");
	is_int(carry(a, "The  cat sat on the mat.", 0, 7, &ns, &ne, &got), 0,
	    "even a space changed inside it: outdated");
	is_int(carry(a, "The cab sat on the mat.", 4, 6, &ns, &ne, &got), 0,
	    "part of a changed word: outdated (the diff works on words)");
	is_int(carry(a, "The sat on the mat. cat", 4, 7, &ns, &ne, &got), 0,
	    "moved elsewhere: outdated (a move is a deletion and an "
	    "insertion)");
	is_int(carry(a, "", 4, 7, &ns, &ne, &got), 0,
	    "everything deleted: outdated");
	is_int(carry(a, a, 5, 4, &ns, &ne, &got), -1,
	    "start after end: not a span");
	is_int(carry(a, a, 0, 24, &ns, &ne, &got), -1,
	    "beyond the text: not a span");
	is_int(carry(a, a, 23, 23, &ns, &ne, &got), 1,
	    "an empty span at the very end is a span");
}

static void
test_ends(void)
{
	const char	*a = "alpha beta gamma", *got;
	size_t		 ns, ne;

	ok(carry(a, "zero alpha beta gamma", 0, 5, &ns, &ne, &got) == 1 &&
	    ns == 5 && ne == 10, "a span at the start, text inserted before");
	is_str(got, "alpha", "lands on \"alpha\"");
	ok(carry(a, "alpha beta gamma delta", 11, 16, &ns, &ne, &got) == 1 &&
	    ns == 11 && ne == 16, "a span at the end, text appended after");
	ok(carry(a, "alphabet beta gamma", 6, 16, &ns, &ne, &got) == 1 &&
	    ns == 9 && ne == 19, "the word before the span changed");
	is_int(carry(a, "alpha beta gamm", 11, 16, &ns, &ne, &got), 0,
	    "the last word shortened: outdated");
	ok(carry(a, "new alpha beta gamma", 0, 16, &ns, &ne, &got) == 1 &&
	    ns == 4 && ne == 20, "the whole text, with text inserted before");
}

static void
test_empty(void)
{
	const char	*a = "good news", *got;
	size_t		 ns, ne;

	ok(carry(a, "really good news", 5, 5, &ns, &ne, &got) == 1 &&
	    ns == 12 && ne == 12, "an empty span (an insertion point) moves");
	ok(carry(a, "good big news", 5, 5, &ns, &ne, &got) == 1 && ns == 9,
	    "text inserted exactly there goes before it");
	ok(carry(a, "good very news", 4, 4, &ns, &ne, &got) == 1 &&
	    ns == 4, "text inserted after it leaves it");
	ok(carry(a, "bad news", 4, 4, &ns, &ne, &got) == 1 && ns == 3,
	    "the word before it replaced: it moves to the new word's end");
	is_int(carry(a, "goods news", 2, 2, &ns, &ne, &got), 0,
	    "inside a changed word: outdated");
	ok(carry(a, "good news", 2, 2, &ns, &ne, &got) == 1 && ns == 2,
	    "inside an unchanged word: kept");
	ok(carry("", "new text", 0, 0, &ns, &ne, &got) == 1 && ns == 8,
	    "at the start of an empty text that got text: after it");
	ok(carry(a, "", 9, 9, &ns, &ne, &got) == 1 && ns == 0,
	    "at the end of a text deleted whole: at 0");
	ok(carry("", "", 0, 0, &ns, &ne, &got) == 1 && ns == 0,
	    "empty to empty");
}

static void
test_unicode(void)
{
	const char	*a, *got;
	size_t		 ns, ne;

	a = "I 😀 love 👍\xf0\x9f\x8f\xbd this";
	is_str(cut(a, 4, 8), "love", "emoji are one code point each");
	ok(carry(a, "Oh 🎉 I 😀 love 👍\xf0\x9f\x8f\xbd this", 4, 8, &ns,
	    &ne, &got) == 1 && ns == 9 && ne == 13,
	    "emoji added before: moved by their code points");
	is_str(got, "love", "onto \"love\"");
	ok(carry(a, "I 😀 love 👍 this", 4, 8, &ns, &ne, &got) == 1 &&
	    ns == 4 && ne == 8, "a skin tone removed after: kept");
	is_int(carry(a, "I 😀 love 👍 this", 9, 11, &ns, &ne, &got), 0,
	    "a span over the emoji whose skin tone changed: outdated");
	ok(carry(a, "I 😃 love 👍\xf0\x9f\x8f\xbd this", 9, 11, &ns, &ne,
	    &got) == 1 && ns == 9 && ne == 11,
	    "another emoji changed before it: kept");
	is_str(got, "👍\xf0\x9f\x8f\xbd", "over the same emoji");

	a = "re\xcc\x81sume\xcc\x81 and cafe\xcc\x81";
	is_str(cut(a, 0, 8), "re\xcc\x81sume\xcc\x81",
	    "a combining accent is a code point");
	ok(carry(a, "my re\xcc\x81sume\xcc\x81 and cafe\xcc\x81", 0, 8, &ns,
	    &ne, &got) == 1 && ns == 3 && ne == 11,
	    "a word with combining marks moves whole");
	is_int(carry(a, "re\xcc\x81sume and cafe\xcc\x81", 0, 8, &ns, &ne,
	    &got), 0, "its last accent removed: outdated");
	ok(carry(a, "résumé and cafe\xcc\x81", 13, 18, &ns, &ne, &got) == 1 &&
	    ns == 11 && ne == 16, "precomposed before: one code point fewer "
	    "each");
	is_str(got, "cafe\xcc\x81", "onto the same bytes");
}

static void
test_random(void)
{
	static const char *v[] = { "a", "b", "ć", "😀", "e\xcc\x81", " ",
	    " ", ".", "日", "dog" };
	unsigned	 seed = 5;
	int		 i, k, bad = 0, carried = 0, same = 0;
	struct diff	 d;

	for (i = 0; i < 300; i++) {
		char a[400], b[400];
		size_t al = 0, bl = 0, s, e, ns, ne;

		for (k = rand_r(&seed) % 40; k > 0; k--) {
			const char *w = v[rand_r(&seed) % 10];

			memcpy(a + al, w, strlen(w));
			al += strlen(w);
			if (rand_r(&seed) % 5 != 0) {
				memcpy(b + bl, w, strlen(w));
				bl += strlen(w);
			}
			if (rand_r(&seed) % 7 == 0) {
				memcpy(b + bl, "x ", 2);
				bl += 2;
			}
		}
		a[al] = b[bl] = '\0';
		diff_words(ar, a, al, b, bl, 0, &d);
		s = d.a_len ? rand_r(&seed) % (d.a_len + 1) : 0;
		e = s + (d.a_len > s ? rand_r(&seed) % (d.a_len - s + 1) : 0);
		switch (span_carry(&d, s, e, &ns, &ne)) {
		case 1:
			carried++;
			if (strcmp(cut(a, s, e), cut(b, ns, ne)) != 0)
				bad++;
			break;
		case 0:
			break;
		default:
			bad++;
		}
		diff_words(ar, a, al, a, al, 0, &d);
		if (span_carry(&d, s, e, &ns, &ne) == 1 && ns == s && ne == e)
			same++;
		arena_reset(ar);
	}
	is_int(bad, 0, "300 random edits: every span carried covers the "
	    "same text (%d carried)", carried);
	ok(carried > 30, "and many are carried (%d)", carried);
	is_int(same, 300, "through an unchanged text every span stays put");
}

int
main(void)
{
	ar = arena_new(0);
	test_moves();
	test_outdated();
	test_ends();
	test_empty();
	test_unicode();
	test_random();
	arena_free(ar);
	return tap_done();
}
