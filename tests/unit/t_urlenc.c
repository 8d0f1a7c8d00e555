/*
 * t_urlenc.c: percent-encoding of query values and path segments,
 * percent-decoding, query/form parsing and its limits, and the
 * name/value lists and parser errors of kv.h.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "kv.h"
#include "tap.h"
#include "urlenc.h"
#include "utf8.h"

static const struct urlenc_limits	 lim_default = { 1000, 4096 };

/* Decode the literal s; returns the result or NULL, and *bu. */
static char *
dec(struct arena *a, const char *s, int plus, size_t *len, int *bu)
{
	char	*out = NULL;

	*len = (size_t)-1;
	if (!urlenc_decode(a, s, strlen(s), plus, &out, len, bu))
		return NULL;
	return out;
}

/* Parse s with lim into a fresh list; returns urlenc_parse's result. */
static int
parse(struct arena *a, const char *s, const struct urlenc_limits *lim,
    struct kvlist *l, struct perr *e)
{
	memset(l, 0, sizeof(*l));
	memset(e, 0, sizeof(*e));
	return urlenc_parse(a, s, strlen(s), lim, "query string", l, e);
}

static void
test_decode(void)
{
	struct arena	*a = arena_new(0);
	size_t		 len;
	int		 bu;
	char		*s;

	s = dec(a, "a%20b", 1, &len, &bu);
	is_str(s, "a b", "%%20 decodes to a space");
	is_int(len, 3, "and the length is the decoded length");
	is_str(dec(a, "a+b", 1, &len, &bu), "a b", "'+' is a space when "
	    "plus is set");
	is_str(dec(a, "a+b", 0, &len, &bu), "a+b", "'+' stays when plus is "
	    "not set");
	is_str(dec(a, "%2B", 1, &len, &bu), "+", "%%2B is a literal '+' "
	    "even with plus set");
	is_str(dec(a, "%41%62%7e", 0, &len, &bu), "Ab~", "upper and lower "
	    "case hex digits");
	is_str(dec(a, "caf%c3%A9", 0, &len, &bu), "caf\xc3\xa9",
	    "an escaped UTF-8 sequence decodes");
	is_str(dec(a, "caf\xc3\xa9", 0, &len, &bu), "caf\xc3\xa9",
	    "raw UTF-8 passes through");
	s = dec(a, "", 0, &len, &bu);
	ok(s != NULL && s[0] == '\0' && len == 0, "empty input gives an "
	    "empty string");
	s = dec(a, "%2541", 0, &len, &bu);
	is_str(s, "%41", "decoding is done once, not recursively");

	s = NULL;
	ok(urlenc_decode(a, "abc%41", 3, 0, &s, &len, &bu) == 1 &&
	    s != NULL && strcmp(s, "abc") == 0 && len == 3,
	    "only n bytes are decoded");

	ok(dec(a, "%", 0, &len, &bu) == NULL && bu == 0, "a lone %% is "
	    "malformed, not a UTF-8 problem");
	ok(dec(a, "%4", 0, &len, &bu) == NULL && bu == 0, "%%4 is malformed");
	ok(dec(a, "%zz", 0, &len, &bu) == NULL && bu == 0,
	    "%%zz is malformed");
	ok(dec(a, "%4g", 0, &len, &bu) == NULL && bu == 0,
	    "%%4g is malformed");
	ok(dec(a, "%g4", 0, &len, &bu) == NULL && bu == 0,
	    "%%g4 is malformed");
	ok(dec(a, "abc%", 0, &len, &bu) == NULL && bu == 0,
	    "a trailing %% is malformed");
	ok(dec(a, "%%41", 0, &len, &bu) == NULL && bu == 0,
	    "%%%%41 is malformed");
	ok(dec(a, "% 1", 0, &len, &bu) == NULL && bu == 0,
	    "%% followed by a space is malformed");
	ok(urlenc_decode(a, "a%41", 3, 0, &s, &len, &bu) == 0 && bu == 0,
	    "an escape cut by n is malformed");

	ok(dec(a, "%00", 0, &len, &bu) == NULL && bu == 1, "%%00 is refused "
	    "as not UTF-8 text");
	ok(dec(a, "a%00b", 1, &len, &bu) == NULL && bu == 1,
	    "NUL in the middle is refused");
	ok(dec(a, "%C0%80", 0, &len, &bu) == NULL && bu == 1,
	    "an escaped overlong NUL is refused");
	ok(dec(a, "%ED%A0%80", 0, &len, &bu) == NULL && bu == 1,
	    "an escaped surrogate is refused");
	ok(dec(a, "%F4%90%80%80", 0, &len, &bu) == NULL && bu == 1,
	    "an escaped code point above U+10FFFF is refused");
	ok(dec(a, "%c3", 0, &len, &bu) == NULL && bu == 1,
	    "an escaped truncated sequence is refused");
	ok(dec(a, "\xff", 0, &len, &bu) == NULL && bu == 1,
	    "a raw FF byte is refused");
	ok(dec(a, "%e2%82", 0, &len, &bu) == NULL && bu == 1,
	    "a truncated 3-byte sequence is refused");
	arena_free(a);
}

static void
test_parse(void)
{
	struct arena	*a = arena_new(0);
	struct kvlist	 l;
	struct perr	 e;

	ok(parse(a, "a=1&b=2", &lim_default, &l, &e), "a=1&b=2 parses");
	is_int(l.n, 2, "two fields");
	is_str(l.v[0].key, "a", "first key");
	is_str(l.v[0].val, "1", "first value");
	is_int(l.v[0].vlen, 1, "first value length");
	is_str(l.v[1].key, "b", "second key");
	is_str(kv_get(&l, "b"), "2", "kv_get finds the second value");
	ok(kv_get(&l, "c") == NULL, "kv_get of a missing key is NULL");

	ok(parse(a, "", &lim_default, &l, &e) && l.n == 0,
	    "an empty string has no fields");
	ok(parse(a, "&&a=1&&&b=2&", &lim_default, &l, &e) && l.n == 2,
	    "empty pairs are skipped");
	ok(parse(a, "&", &lim_default, &l, &e) && l.n == 0,
	    "a lone & has no fields");
	ok(parse(a, "flag", &lim_default, &l, &e) && l.n == 1,
	    "a pair without '=' is a field");
	is_str(l.v[0].key, "flag", "named by the whole pair");
	is_str(l.v[0].val, "", "with an empty value");
	is_int(l.v[0].vlen, 0, "of length 0");
	ok(parse(a, "a=", &lim_default, &l, &e) && l.n == 1 &&
	    strcmp(l.v[0].val, "") == 0, "a= has an empty value");
	ok(parse(a, "a=b=c", &lim_default, &l, &e) && l.n == 1 &&
	    strcmp(l.v[0].val, "b=c") == 0, "only the first '=' separates");
	ok(parse(a, "q=hello+world%21&x%20y=1&a+b=c", &lim_default, &l, &e),
	    "escapes and '+' in names and values");
	is_str(kv_get(&l, "q"), "hello world!", "'+' and %%21 in a value");
	is_str(kv_get(&l, "x y"), "1", "%%20 in a name");
	is_str(kv_get(&l, "a b"), "c", "'+' in a name");
	ok(parse(a, "plus=%2B%2b", &lim_default, &l, &e) &&
	    strcmp(l.v[0].val, "++") == 0, "%%2B is a literal plus");
	ok(parse(a, "k=1&k=2", &lim_default, &l, &e) && l.n == 2,
	    "repeated names are all kept");
	is_str(kv_get(&l, "k"), "1", "kv_get gives the first of them");
	ok(parse(a, "v=caf%C3%A9", &lim_default, &l, &e) &&
	    l.v[0].vlen == 5 && strcmp(l.v[0].val, "caf\xc3\xa9") == 0,
	    "vlen counts decoded bytes");

	memset(&l, 0, sizeof(l));
	kv_add(a, &l, "pre", "x", 1);
	ok(urlenc_parse(a, "a=1", 3, &lim_default, "form", &l, &e) &&
	    l.n == 2 && strcmp(l.v[0].key, "pre") == 0 &&
	    strcmp(l.v[1].key, "a") == 0, "parsing appends to the list");
	ok(urlenc_parse(a, "a=1&b=2", 3, &lim_default, "form", &l, &e) &&
	    l.n == 3 && strcmp(l.v[2].val, "1") == 0,
	    "only n bytes are parsed");
	arena_free(a);
}

static void
test_parse_errors(void)
{
	struct arena	*a = arena_new(0);
	struct kvlist	 l;
	struct perr	 e;

	ok(!parse(a, "a=%zz", &lim_default, &l, &e), "a=%%zz is refused");
	is_int(e.status, 400, "with 400");
	is_str(e.code, "bad_encoding", "code bad_encoding");
	is_str(e.field, "a", "naming the field");
	ok(strstr(e.message, "query string") != NULL, "the message names the "
	    "input: %s", e.message);
	ok(!parse(a, "a=1&b=%", &lim_default, &l, &e) && e.status == 400 &&
	    strcmp(e.code, "bad_encoding") == 0 && strcmp(e.field, "b") == 0,
	    "a lone %% in a later value");
	ok(!parse(a, "a=%4", &lim_default, &l, &e) && e.status == 400 &&
	    strcmp(e.code, "bad_encoding") == 0, "a=%%4 is refused");
	ok(!parse(a, "%zz=1", &lim_default, &l, &e), "a bad name is refused");
	is_int(e.status, 400, "with 400");
	is_str(e.code, "bad_encoding", "code bad_encoding");
	ok(e.field == NULL, "and no field, since the name is unknown");
	ok(!parse(a, "%=1", &lim_default, &l, &e) && e.status == 400,
	    "a name of a lone %% is refused");

	ok(!parse(a, "a=%ff", &lim_default, &l, &e), "a=%%ff is refused");
	is_int(e.status, 400, "with 400");
	is_str(e.code, "invalid_utf8", "code invalid_utf8");
	is_str(e.field, "a", "naming the field");
	ok(!parse(a, "a=%00", &lim_default, &l, &e) &&
	    strcmp(e.code, "invalid_utf8") == 0, "an escaped NUL is refused");
	ok(!parse(a, "a=%C0%AF", &lim_default, &l, &e) &&
	    strcmp(e.code, "invalid_utf8") == 0, "an overlong is refused");
	ok(!parse(a, "a=%ED%B0%80", &lim_default, &l, &e) &&
	    strcmp(e.code, "invalid_utf8") == 0, "a surrogate is refused");
	ok(!parse(a, "%c3=1", &lim_default, &l, &e) && e.status == 400 &&
	    strcmp(e.code, "invalid_utf8") == 0 && e.field == NULL,
	    "a name that is not UTF-8 is refused");
	arena_free(a);
}

/* A string of n copies of unit. */
static char *
rep(struct arena *a, const char *prefix, const char *unit, size_t n)
{
	size_t	 pl = strlen(prefix), ul = strlen(unit), i;
	char	*s = arena_alloc(a, pl + ul * n + 1);

	memcpy(s, prefix, pl);
	for (i = 0; i < n; i++)
		memcpy(s + pl + i * ul, unit, ul);
	s[pl + ul * n] = '\0';
	return s;
}

static void
test_limits(void)
{
	struct arena		*a = arena_new(0);
	struct urlenc_limits	 three = { 3, 5 }, big = { 10000, 16 };
	struct urlenc_limits	 zero = { 10, 0 };
	struct kvlist		 l;
	struct perr		 e;
	char			*s;

	ok(parse(a, "a&b&c", &three, &l, &e) && l.n == 3,
	    "exactly max_fields fields are accepted");
	ok(!parse(a, "a&b&c&d", &three, &l, &e), "one more is refused");
	is_int(e.status, 413, "with 413");
	is_str(e.code, "too_many_fields", "code too_many_fields");
	ok(e.field == NULL, "and no field");
	ok(parse(a, "&a&&b&&c&&", &three, &l, &e) && l.n == 3,
	    "empty pairs do not count");

	ok(parse(a, "a=12345", &three, &l, &e) && l.v[0].vlen == 5,
	    "a value of exactly max_value bytes is accepted");
	ok(!parse(a, "a=123456", &three, &l, &e), "one byte more is "
	    "refused");
	is_int(e.status, 413, "with 413");
	is_str(e.code, "field_too_long", "code field_too_long");
	is_str(e.field, "a", "naming the field");
	ok(parse(a, "a=%41%41%41%41%41", &three, &l, &e) &&
	    strcmp(l.v[0].val, "AAAAA") == 0,
	    "the limit applies to the decoded value");
	ok(!parse(a, "a=%41%41%41%41%41%41", &three, &l, &e) &&
	    e.status == 413 && strcmp(e.code, "field_too_long") == 0,
	    "six escaped bytes exceed five");
	ok(parse(a, "a=+++++", &three, &l, &e) &&
	    strcmp(l.v[0].val, "     ") == 0, "five '+' are five bytes");
	ok(!parse(a, "b=1&a=1234567", &three, &l, &e) && e.status == 413 &&
	    strcmp(e.field, "a") == 0, "a later value too long names it");
	ok(parse(a, "a=&b", &zero, &l, &e) && l.n == 2,
	    "max_value 0 accepts empty values");
	ok(!parse(a, "a=x", &zero, &l, &e) && e.status == 413,
	    "max_value 0 refuses one byte");

	s = rep(a, "", "n", URLENC_MAX_KEY);
	ok(parse(a, s, &lim_default, &l, &e) && l.n == 1 &&
	    strlen(l.v[0].key) == URLENC_MAX_KEY,
	    "a name of exactly URLENC_MAX_KEY bytes is accepted");
	s = rep(a, "", "n", URLENC_MAX_KEY + 1);
	ok(!parse(a, s, &lim_default, &l, &e), "one byte more is refused");
	is_int(e.status, 413, "with 413");
	is_str(e.code, "field_too_long", "code field_too_long");
	s = rep(a, "", "n", 300);
	s = arena_printf(a, "%s=1", s);
	ok(!parse(a, s, &lim_default, &l, &e) && e.status == 413 &&
	    strcmp(e.code, "field_too_long") == 0,
	    "a 300-byte name is refused with 413");
	s = rep(a, "", "%41", URLENC_MAX_KEY);
	ok(parse(a, s, &lim_default, &l, &e) &&
	    strlen(l.v[0].key) == URLENC_MAX_KEY,
	    "a name of URLENC_MAX_KEY escaped bytes is accepted");
	s = rep(a, "", "%41", URLENC_MAX_KEY + 1);
	ok(!parse(a, s, &lim_default, &l, &e) && e.status == 413,
	    "one escaped byte more is refused");
	s = rep(a, "", "n", 100000);
	ok(!parse(a, s, &lim_default, &l, &e) && e.status == 413,
	    "a 100000-byte name is refused with 413");

	s = rep(a, "f=1", "&f=1", 9999);
	ok(parse(a, s, &big, &l, &e), "10,000 fields within a limit of "
	    "10,000 parse");
	is_int(l.n, 10000, "all 10,000 are kept");
	ok(!parse(a, s, &lim_default, &l, &e) && e.status == 413 &&
	    strcmp(e.code, "too_many_fields") == 0,
	    "10,000 fields over a limit of 1000 are refused with 413");
	ok(strstr(e.message, "1000") != NULL, "the message names the limit: "
	    "%s", e.message);
	arena_free(a);
}

static void
test_kv(void)
{
	struct arena	*a = arena_new(0);
	struct kvlist	 l;
	struct perr	 e;
	char		 field[8] = "name", key[16];
	size_t		 i;
	int		 good = 1;

	memset(&l, 0, sizeof(l));
	for (i = 0; i < 100; i++) {
		snprintf(key, sizeof(key), "k%zu", i);
		kv_add(a, &l, arena_strdup(a, key), arena_strdup(a, key),
		    strlen(key));
	}
	is_int(l.n, 100, "kv_add grows the list");
	for (i = 0; i < 100; i++) {
		snprintf(key, sizeof(key), "k%zu", i);
		if (kv_get(&l, key) == NULL || strcmp(kv_get(&l, key), key))
			good = 0;
	}
	ok(good, "every added pair is found after growth");

	perr_set(&e, a, 413, "too_big", field, "%s has %d", "x", 5);
	is_int(e.status, 413, "perr_set sets the status");
	is_str(e.code, "too_big", "and the code");
	is_str(e.message, "x has 5", "and formats the message");
	field[0] = 'N';
	is_str(e.field, "name", "and copies the field");
	perr_set(&e, a, 400, "c", NULL, "%s", rep(a, "", "m", 500));
	ok(e.field == NULL, "a NULL field stays NULL");
	is_int(strlen(e.message), sizeof(e.message) - 1,
	    "a long message is truncated to the buffer");
	perr_set(&e, a, 400, "c", NULL, "xy%s", rep(a, "", "\xe2\x82\xac",
	    100));
	ok(strlen(e.message) < sizeof(e.message) - 1 &&
	    utf8_valid(e.message, strlen(e.message)),
	    "truncation does not split a character");
	arena_free(a);
}

static void
test_encode(void)
{
	struct arena	*a = arena_new(0);
	const char	*mail = "ann+news/x?y#z%&=@example.org";
	char		*seg, *back;
	size_t		 len;
	int		 bu;

	is_str(urlenc_component(a, "a b/c?d=e&f"), "a%20b/c%3Fd%3De%26f",
	    "a query value keeps '/' and encodes the rest");
	is_str(urlenc_component(a, NULL), "", "NULL encodes as empty");
	seg = urlenc_segment(a, mail);
	is_str(seg, "ann%2Bnews%2Fx%3Fy%23z%25%26%3D@example.org",
	    "a path segment keeps '@' and encodes '+', '/', '?', '#' and '%%'");
	ok(strpbrk(seg, "/?#+") == NULL, "so it stays one segment of a path");
	ok(urlenc_decode(a, seg, strlen(seg), 0, &back, &len, &bu) &&
	    strcmp(back, mail) == 0, "and decodes back to the address");
	is_str(urlenc_segment(a, "caf\xc3\xa9-_.~"), "caf%C3%A9-_.~",
	    "UTF-8 is encoded byte by byte, unreserved characters kept");
	arena_free(a);
}

int
main(void)
{
	test_encode();
	test_decode();
	test_parse();
	test_parse_errors();
	test_limits();
	test_kv();
	return tap_done();
}
