/*
 * t_utf8.c: strict UTF-8 validation.  Besides the named cases, every
 * sequence of up to three bytes and every 4-byte lead with each second
 * byte is compared with an independent reference decoder.
 */
#include "config.h"

#include <string.h>

#include "tap.h"
#include "utf8.h"

#define V(lit)	utf8_valid(lit, sizeof(lit) - 1)

/* Reference: decode code points the slow way and check RFC 3629 rules. */
static int
ref_valid(const unsigned char *s, size_t n)
{
	size_t		 i = 0, len, k;
	unsigned long	 cp, min;

	while (i < n) {
		unsigned char c = s[i];

		if (c == 0)
			return 0;
		if (c < 0x80) {
			i++;
			continue;
		}
		if ((c & 0xe0) == 0xc0) {
			len = 2;
			cp = c & 0x1f;
			min = 0x80;
		} else if ((c & 0xf0) == 0xe0) {
			len = 3;
			cp = c & 0x0f;
			min = 0x800;
		} else if ((c & 0xf8) == 0xf0) {
			len = 4;
			cp = c & 0x07;
			min = 0x10000;
		} else
			return 0;
		if (n - i < len)
			return 0;
		for (k = 1; k < len; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return 0;
			cp = cp << 6 | (s[i + k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		i += len;
	}
	return 1;
}

/* Encode cp (no range check) into out; returns the length. */
static size_t
encode(unsigned long cp, char *out)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | cp >> 6);
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | cp >> 12);
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | cp >> 18);
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

static void
test_named(void)
{
	ok(utf8_valid("", 0), "empty input is valid");
	ok(V("hello, world"), "ASCII is valid");
	ok(V("\x7f"), "DEL is valid");
	ok(V("\xc2\x80"), "U+0080, the first 2-byte form");
	ok(V("\xdf\xbf"), "U+07FF, the last 2-byte form");
	ok(V("\xe0\xa0\x80"), "U+0800, the first 3-byte form");
	ok(V("\xed\x9f\xbf"), "U+D7FF, just below the surrogates");
	ok(V("\xee\x80\x80"), "U+E000, just above the surrogates");
	ok(V("\xef\xbf\xbf"), "U+FFFF");
	ok(V("\xf0\x90\x80\x80"), "U+10000, the first 4-byte form");
	ok(V("\xf4\x8f\xbf\xbf"), "U+10FFFF, the last code point");
	ok(V("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"),
	    "mixed text with 2-, 3- and 4-byte characters");

	ok(!V("a\0b"), "NUL in the middle is refused");
	ok(!V("\0"), "a lone NUL is refused");
	ok(!utf8_valid("ab\0", 3), "a trailing NUL counted in n is refused");
	ok(utf8_valid("ab\0", 2), "n stops before the NUL");

	ok(!V("\xc0\x80"), "overlong NUL (C0 80) is refused");
	ok(!V("\xc1\xbf"), "overlong 2-byte form (C1 BF) is refused");
	ok(!V("\xe0\x80\x80"), "overlong 3-byte NUL is refused");
	ok(!V("\xe0\x9f\xbf"), "overlong U+07FF in 3 bytes is refused");
	ok(!V("\xf0\x80\x80\x80"), "overlong 4-byte NUL is refused");
	ok(!V("\xf0\x8f\xbf\xbf"), "overlong U+FFFF in 4 bytes is refused");
	ok(!V("\xc0\xaf"), "overlong '/' is refused");

	ok(!V("\xed\xa0\x80"), "U+D800, the first surrogate, is refused");
	ok(!V("\xed\xbf\xbf"), "U+DFFF, the last surrogate, is refused");
	ok(!V("\xed\xa0\xbd\xed\xb8\x80"), "a CESU-8 surrogate pair is "
	    "refused");

	ok(!V("\xf4\x90\x80\x80"), "U+110000 is refused");
	ok(!V("\xf5\x80\x80\x80"), "lead byte F5 is refused");
	ok(!V("\xf7\xbf\xbf\xbf"), "lead byte F7 is refused");
	ok(!V("\xf8\x88\x80\x80\x80"), "5-byte forms are refused");
	ok(!V("\xfc\x84\x80\x80\x80\x80"), "6-byte forms are refused");
	ok(!V("\xfe"), "FE is refused");
	ok(!V("\xff"), "FF is refused");

	ok(!V("\x80"), "a lone continuation byte is refused");
	ok(!V("a\xbf"), "a continuation byte after ASCII is refused");
	ok(!V("\xc3\xa9\xa9"), "an extra continuation byte is refused");
	ok(!V("\xc2"), "a truncated 2-byte sequence is refused");
	ok(!V("\xe0\xa0"), "a truncated 3-byte sequence is refused");
	ok(!V("\xf0\x90\x80"), "a truncated 4-byte sequence is refused");
	ok(!V("\xe2\x82" "A"), "a 3-byte sequence cut by ASCII is refused");
	ok(!V("\xf0\x9f\x98" "A"), "a 4-byte sequence cut by ASCII is "
	    "refused");
	ok(!V("\xc3\xc3\xa9"), "a lead byte where a continuation belongs is "
	    "refused");
	ok(!utf8_valid("\xc3\xa9", 1), "n cutting a character is refused");
	ok(!V("abc\xe2\x82"), "truncation at the very end is refused");
}

static void
test_exhaustive(void)
{
	unsigned char	 s[4];
	unsigned long	 cp, bad = 0, badcp = 0;
	unsigned	 i, j, k;
	char		 enc[4];
	size_t		 n;

	for (i = 0; i < 256; i++) {
		s[0] = (unsigned char)i;
		if (utf8_valid((char *)s, 1) != ref_valid(s, 1))
			bad++;
	}
	is_int(bad, 0, "every 1-byte input agrees with the reference");

	bad = 0;
	for (i = 0; i < 65536; i++) {
		s[0] = (unsigned char)(i >> 8);
		s[1] = (unsigned char)i;
		if (utf8_valid((char *)s, 2) != ref_valid(s, 2))
			bad++;
	}
	is_int(bad, 0, "every 2-byte input agrees with the reference");

	bad = 0;
	for (i = 0; i < 1U << 24; i++) {
		s[0] = (unsigned char)(i >> 16);
		s[1] = (unsigned char)(i >> 8);
		s[2] = (unsigned char)i;
		if (utf8_valid((char *)s, 3) != ref_valid(s, 3))
			bad++;
	}
	is_int(bad, 0, "every 3-byte input agrees with the reference");

	bad = 0;
	for (i = 0xe0; i < 0x100; i++)
		for (j = 0; j < 256; j++)
			for (k = 0; k < 256; k += 15) {
				s[0] = (unsigned char)i;
				s[1] = (unsigned char)j;
				s[2] = (unsigned char)k;
				s[3] = (unsigned char)(0x80 + (i ^ j ^ k) % 0x50);
				if (utf8_valid((char *)s, 4) != ref_valid(s, 4))
					bad++;
			}
	is_int(bad, 0, "4-byte inputs with every lead and second byte agree "
	    "with the reference");

	for (cp = 1; cp <= 0x10ffff; cp++) {
		n = encode(cp, enc);
		if (utf8_valid(enc, n) != !(cp >= 0xd800 && cp <= 0xdfff))
			badcp++;
	}
	is_int(badcp, 0, "every code point but the surrogates is valid when "
	    "encoded in its shortest form");
	n = encode(0x110000, enc);
	ok(!utf8_valid(enc, n), "U+110000 encoded the same way is refused");
}

static void
test_cut(void)
{
	is_int(utf8_cut("", 0), 0, "utf8_cut of nothing");
	is_int(utf8_cut("abc", 3), 3, "ASCII is not cut");
	is_int(utf8_cut("a\xc3\xa9", 3), 3, "a complete 2-byte end is kept");
	is_int(utf8_cut("a\xc3", 2), 1, "half of a 2-byte character is cut");
	is_int(utf8_cut("a\xe2\x82\xac", 4), 4, "a complete 3-byte end is "
	    "kept");
	is_int(utf8_cut("a\xe2\x82", 3), 1, "2 of 3 bytes are cut");
	is_int(utf8_cut("a\xe2", 2), 1, "1 of 3 bytes is cut");
	is_int(utf8_cut("a\xf0\x9f\x98\x80", 5), 5, "a complete 4-byte end "
	    "is kept");
	is_int(utf8_cut("a\xf0\x9f\x98", 4), 1, "3 of 4 bytes are cut");
	is_int(utf8_cut("\xf0\x9f", 2), 0, "a string of only a partial "
	    "character is cut to nothing");
	is_int(utf8_cut("\xe2\x82\xac\xe2\x82\xac", 5), 3, "n inside the "
	    "second character cuts back to the first");
}

static void
test_repair(void)
{
	char	 out[64];

	utf8_repair("Mozilla/5.0 \xe9t\xe9", 15, out);
	is_str(out, "Mozilla/5.0 \xef\xbf\xbdt\xef\xbf\xbd", "Latin-1 bytes "
	    "become U+FFFD");
	ok(utf8_valid(out, strlen(out)), "and the result is valid UTF-8");
	utf8_repair("\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80", 9, out);
	is_str(out, "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80", "valid text is "
	    "kept whole");
	utf8_repair("a\xed\xa0\x80\xc0\xaf\xe2\x82", 8, out);
	ok(utf8_valid(out, strlen(out)) && out[0] == 'a', "surrogates, "
	    "overlong forms and a truncated end are replaced");
	utf8_repair("a\0b", 3, out);
	is_str(out, "a\xef\xbf\xbd" "b", "a NUL byte is replaced");
}

int
main(void)
{
	test_named();
	test_cut();
	test_repair();
	test_exhaustive();
	return tap_done();
}
