/*
 * t_diff.c: the word diff.  Every result is checked against the texts
 * (segments contiguous, equal text equal, offsets in code points and
 * bytes agree); on random texts the number of equal tokens is compared
 * with an independent longest-common-subsequence table; the worst cases
 * are measured in units of work, never in time.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "diff.h"
#include "tap.h"

static struct arena	*ar;

/* 1 when d describes a -> b exactly and in the documented shape. */
static int
valid(const char *a, const char *b, const struct diff *d)
{
	size_t		 i, ac = 0, bc = 0, ab = 0, bb = 0;
	const struct diff_seg *s, *p = NULL;

	for (i = 0; i < d->n; i++, p = s) {
		s = &d->seg[i];
		if (s->a_start != ac || s->b_start != bc || s->a_byte != ab ||
		    s->b_byte != bb)
			return 0;
		if (diff_cp_count(a + s->a_byte, s->a_byte_end - s->a_byte) !=
		    s->a_end - s->a_start ||
		    diff_cp_count(b + s->b_byte, s->b_byte_end - s->b_byte) !=
		    s->b_end - s->b_start)
			return 0;
		if (p != NULL && (p->op == s->op ||
		    (p->op == DIFF_INSERT && s->op != DIFF_EQUAL)))
			return 0;
		switch (s->op) {
		case DIFF_EQUAL:
			if (s->a_byte_end - s->a_byte !=
			    s->b_byte_end - s->b_byte ||
			    s->a_end == s->a_start ||
			    memcmp(a + s->a_byte, b + s->b_byte,
			    s->a_byte_end - s->a_byte) != 0)
				return 0;
			break;
		case DIFF_DELETE:
			if (s->b_end != s->b_start || s->a_end == s->a_start)
				return 0;
			break;
		case DIFF_INSERT:
			if (s->a_end != s->a_start || s->b_end == s->b_start)
				return 0;
			break;
		}
		ac = s->a_end;
		bc = s->b_end;
		ab = s->a_byte_end;
		bb = s->b_byte_end;
	}
	return ab == strlen(a) && bb == strlen(b) && ac == d->a_len &&
	    bc == d->b_len && d->a_len == diff_cp_count(a, strlen(a)) &&
	    d->b_len == diff_cp_count(b, strlen(b));
}

static void
run(const char *a, const char *b, size_t budget, struct diff *d)
{
	diff_words(ar, a, strlen(a), b, strlen(b), budget, d);
}

/* The text of segment i in a (or b for inserts), for messages. */
static const char *
segtext(const char *a, const char *b, const struct diff *d, size_t i)
{
	const struct diff_seg *s = &d->seg[i];

	if (s->op == DIFF_INSERT)
		return arena_strndup(ar, b + s->b_byte,
		    s->b_byte_end - s->b_byte);
	return arena_strndup(ar, a + s->a_byte, s->a_byte_end - s->a_byte);
}

/* ASCII tokens, written independently of diff.c: [A-Za-z0-9_]+, runs of
 * spaces, anything else one byte. */
static size_t
ascii_tokens(const char *s, const char **start, size_t *len)
{
	size_t	 n = 0, i = 0, j;

	while (s[i] != '\0') {
		j = i + 1;
		if ((s[i] >= 'a' && s[i] <= 'z') || s[i] == '_')
			while ((s[j] >= 'a' && s[j] <= 'z') || s[j] == '_')
				j++;
		else if (s[i] == ' ' || s[i] == '\n')
			while (s[j] == ' ' || s[j] == '\n')
				j++;
		start[n] = s + i;
		len[n++] = j - i;
		i = j;
	}
	return n;
}

static size_t
lcs(const char *a, const char *b)
{
	static const char *as[400], *bs[400];
	static size_t	 al[400], bl[400], t[401][401];
	size_t		 n, m, i, j;

	n = ascii_tokens(a, as, al);
	m = ascii_tokens(b, bs, bl);
	for (i = 0; i <= n; i++)
		for (j = 0; j <= m; j++) {
			if (i == 0 || j == 0)
				t[i][j] = 0;
			else if (al[i - 1] == bl[j - 1] &&
			    memcmp(as[i - 1], bs[j - 1], al[i - 1]) == 0)
				t[i][j] = t[i - 1][j - 1] + 1;
			else
				t[i][j] = t[i - 1][j] > t[i][j - 1] ?
				    t[i - 1][j] : t[i][j - 1];
		}
	return t[n][m];
}

/* n random words, spaces and punctuation from a small vocabulary. */
static char *
random_text(unsigned *seed, size_t n)
{
	static const char *v[] = { "a", "b", "cat", "the", "dog", " ", " ",
	    " ", "  ", ",", ".", "\n", "_x" };
	char	*s = arena_alloc(ar, n * 4 + 1);
	size_t	 i, k = 0, l;

	for (i = 0; i < n; i++) {
		const char *w = v[rand_r(seed) % (sizeof(v) / sizeof(v[0]))];

		l = strlen(w);
		memcpy(s + k, w, l);
		k += l;
	}
	s[k] = '\0';
	return s;
}

/* A text of about n bytes: words of 2 to 8 letters from alphabet abc. */
static char *
words(unsigned *seed, size_t n, const char *abc)
{
	char	*s = arena_alloc(ar, n + 16);
	size_t	 k = 0, l, na = strlen(abc);

	while (k < n) {
		for (l = 2 + rand_r(seed) % 7; l > 0; l--)
			s[k++] = abc[rand_r(seed) % na];
		s[k++] = ' ';
	}
	s[k] = '\0';
	return s;
}

static void
test_basics(void)
{
	struct diff	 d;

	run("", "", 0, &d);
	ok(d.n == 0 && d.a_len == 0 && d.b_len == 0, "two empty texts: "
	    "no segment");
	run("same text", "same text", 0, &d);
	ok(d.n == 1 && d.seg[0].op == DIFF_EQUAL && valid("same text",
	    "same text", &d), "equal texts: one EQUAL");
	run("", "new words", 0, &d);
	ok(d.n == 1 && d.seg[0].op == DIFF_INSERT && d.seg[0].b_end == 9 &&
	    valid("", "new words", &d), "from nothing: one INSERT");
	run("old words", "", 0, &d);
	ok(d.n == 1 && d.seg[0].op == DIFF_DELETE && d.seg[0].a_end == 9 &&
	    valid("old words", "", &d), "to nothing: one DELETE");

	run("the quick brown fox", "the slow brown fox", 0, &d);
	ok(d.n == 4 && valid("the quick brown fox", "the slow brown fox",
	    &d), "a word replaced: four segments");
	is_str(segtext("the quick brown fox", "the slow brown fox", &d, 1),
	    "quick", "the deleted word");
	is_str(segtext("the quick brown fox", "the slow brown fox", &d, 2),
	    "slow", "the inserted word");
	ok(d.seg[1].op == DIFF_DELETE && d.seg[1].a_start == 4 &&
	    d.seg[1].a_end == 9 && d.seg[1].b_start == 4 &&
	    d.seg[2].op == DIFF_INSERT && d.seg[2].a_start == 9 &&
	    d.seg[2].b_start == 4 && d.seg[2].b_end == 8,
	    "their offsets in both texts");
	ok(d.a_tokens == 7 && d.b_tokens == 7 && d.equal_tokens == 6,
	    "tokens: words and spaces, six in common");

	run("don't stop", "don’t stop", 0, &d);
	ok(d.n == 4 && d.seg[1].a_start == 3 && d.seg[1].a_end == 4 &&
	    d.seg[2].b_start == 3 && d.seg[2].b_end == 4 &&
	    d.seg[2].b_byte_end - d.seg[2].b_byte == 3 &&
	    valid("don't stop", "don’t stop", &d),
	    "punctuation is a token of its own (the apostrophe alone changes)");

	run("a  b", "a b", 0, &d);
	ok(d.n == 4 && d.seg[1].op == DIFF_DELETE && d.seg[1].a_end -
	    d.seg[1].a_start == 2 && valid("a  b", "a b", &d),
	    "a run of spaces is one token");

	run("one two three", "one three two", 0, &d);
	ok(valid("one two three", "one three two", &d) &&
	    d.equal_tokens == 3, "moved text is deleted here and inserted "
	    "there (3 of 5 tokens kept)");
}

static void
test_codepoints(void)
{
	struct diff	 d;
	const char	*a, *b;

	a = "😀 ok";
	b = "😀 fine";
	run(a, b, 0, &d);
	ok(d.n == 3 && d.seg[0].op == DIFF_EQUAL && d.seg[0].a_end == 2 &&
	    d.seg[0].a_byte_end == 5 && d.seg[1].a_start == 2 &&
	    d.seg[1].a_end == 4 && d.seg[2].b_start == 2 &&
	    d.seg[2].b_end == 6 && valid(a, b, &d),
	    "offsets count an emoji as one code point (and four bytes)");

	a = "cafe\xcc\x81 noir";
	b = "cafe noir";
	run(a, b, 0, &d);
	ok(d.n == 3 && d.seg[0].op == DIFF_DELETE && d.seg[0].a_end == 5 &&
	    d.seg[1].b_end == 4 && valid(a, b, &d),
	    "a combining accent belongs to its word: the word changes whole");

	a = "go 👍\xf0\x9f\x8f\xbd now";
	b = "go 👍 now";
	run(a, b, 0, &d);
	ok(d.n == 4 && d.seg[1].a_start == 3 && d.seg[1].a_end == 5 &&
	    d.seg[2].b_start == 3 && d.seg[2].b_end == 4 && valid(a, b, &d),
	    "an emoji with a skin tone is one token");

	a = "team 👩\xe2\x80\x8d💻 here";
	b = "team 👩 here";
	run(a, b, 0, &d);
	ok(d.n == 4 && d.seg[1].a_end - d.seg[1].a_start == 3 &&
	    valid(a, b, &d), "a ZWJ sequence is one token");

	a = "flags 🇫🇷🇩🇪";
	b = "flags 🇫🇷🇮🇹";
	run(a, b, 0, &d);
	ok(d.n == 3 && d.seg[1].a_start == 8 && d.seg[1].a_end == 10 &&
	    valid(a, b, &d), "regional indicators pair into flags");

	a = "日本語の文";
	b = "日本人の文";
	run(a, b, 0, &d);
	ok(d.n == 4 && d.seg[1].a_start == 2 && d.seg[1].a_end == 3 &&
	    valid(a, b, &d), "each Han character is a token");

	a = "Grüße aus Köln";
	b = "Grüße aus Bonn";
	run(a, b, 0, &d);
	ok(d.n == 3 && d.seg[0].a_end == 10 && d.seg[0].a_byte_end == 12 &&
	    valid(a, b, &d), "accented letters are word characters");

	a = "bad \xff byte";
	b = "bad \xfe byte";
	run(a, b, 0, &d);
	ok(d.n == 4 && d.seg[1].a_end - d.seg[1].a_start == 1 &&
	    valid(a, b, &d), "an invalid byte is one code point of its own");
}

static void
test_random(void)
{
	struct diff	 d;
	unsigned	 seed = 11;
	int		 i, bad = 0, notmin = 0;

	for (i = 0; i < 400; i++) {
		char *a = random_text(&seed, (size_t)(rand_r(&seed) % 60));
		char *b = random_text(&seed, (size_t)(rand_r(&seed) % 60));

		run(a, b, 0, &d);
		if (!valid(a, b, &d))
			bad++;
		else if (d.equal_tokens != lcs(a, b))
			notmin++;
		arena_reset(ar);
	}
	is_int(bad, 0, "400 random pairs: every diff rebuilds both texts");
	is_int(notmin, 0, "and keeps a longest common subsequence of tokens");

	for (i = 0, bad = 0; i < 200; i++) {
		char *a = random_text(&seed, 80), *b = arena_strdup(ar, a);

		b[rand_r(&seed) % strlen(b)] = 'z';
		run(a, b, 0, &d);
		if (!valid(a, b, &d) || d.equal_tokens != lcs(a, b))
			bad++;
		arena_reset(ar);
	}
	is_int(bad, 0, "200 one-byte edits: valid and minimal");
}

static void
test_bounds(void)
{
	struct diff	 d;
	unsigned	 seed = 7;
	char		*a, *b;
	size_t		 n;

	/* The body limit is 100,000 characters. */
	a = words(&seed, 100000, "ab");
	b = words(&seed, 100000, "ab");
	run(a, b, 0, &d);
	ok(valid(a, b, &d), "two unrelated 100,000-character texts: valid");
	ok(d.work <= DIFF_WORK_DEFAULT, "within the default budget "
	    "(%zu units for %zu + %zu tokens)", d.work, d.a_tokens,
	    d.b_tokens);
	ok(d.capped, "which they exhaust");

	a = words(&seed, 100000, "p");
	b = words(&seed, 100000, "q");
	run(a, b, 0, &d);
	ok(valid(a, b, &d) && d.work <= DIFF_WORK_DEFAULT,
	    "no word in common: bounded (%zu units)", d.work);
	ok(d.n == 4 || d.n == 3, "and answered as delete all, insert all "
	    "(the spaces aside): %zu segments", d.n);

	a = words(&seed, 20000, "abc");
	b = words(&seed, 20000, "abc");
	run(a, b, 100000, &d);
	ok(valid(a, b, &d) && d.work <= 100000 && d.capped,
	    "a budget of 100,000 is kept (%zu spent)", d.work);
	run(a, b, 1, &d);
	ok(valid(a, b, &d) && d.work <= 1 && d.capped,
	    "even a budget of one unit gives a valid diff");

	a = words(&seed, 100000, "abcdefghij");
	n = strlen(a) / 2;
	while (a[n] != ' ')
		n++;
	b = arena_printf(ar, "%.*s changed%s", (int)n, a, a + n);
	run(a, b, 0, &d);
	ok(valid(a, b, &d) && !d.capped && d.n == 3 &&
	    d.seg[1].op == DIFF_INSERT, "one word added to 100,000 "
	    "characters: one INSERT");
	ok(d.work <= 2 * (d.a_tokens + d.b_tokens) + 16,
	    "found in linear work (%zu units for %zu tokens)", d.work,
	    d.a_tokens + d.b_tokens);
	b = arena_strdup(ar, a);
	b[n - 1] = b[n - 1] == 'a' ? 'b' : 'a';
	b[strlen(b) - 2] = b[strlen(b) - 2] == 'a' ? 'b' : 'a';
	run(a, b, 0, &d);
	ok(valid(a, b, &d) && !d.capped && d.n == 7 && d.equal_tokens ==
	    d.a_tokens - 2, "two words changed far apart: both found");
	ok(d.work <= 4 * (d.a_tokens + d.b_tokens),
	    "in linear work (%zu units)", d.work);
}

int
main(void)
{
	ar = arena_new(0);
	test_basics();
	test_codepoints();
	test_random();
	test_bounds();
	arena_free(ar);
	return tap_done();
}
