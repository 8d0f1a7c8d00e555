/* t_cookie.c: lenient Cookie header parsing that never refuses a request. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "cookie.h"
#include "tap.h"

static struct kvlist
cookies(struct arena *a, const char *s)
{
	struct kvlist	 l;

	memset(&l, 0, sizeof(l));
	cookie_parse(a, s, strlen(s), &l);
	return l;
}

static void
test_basic(void)
{
	struct arena	*a = arena_new(0);
	struct kvlist	 l;

	l = cookies(a, "sid=abc123");
	is_int(l.n, 1, "one cookie");
	is_str(l.v[0].key, "sid", "its name");
	is_str(l.v[0].val, "abc123", "its value");
	is_int(l.v[0].vlen, 6, "its length");

	l = cookies(a, "a=1; b=2;c=3");
	is_int(l.n, 3, "three cookies, with and without a space after ';'");
	is_str(kv_get(&l, "a"), "1", "a");
	is_str(kv_get(&l, "b"), "2", "b");
	is_str(kv_get(&l, "c"), "3", "c");

	l = cookies(a, "");
	is_int(l.n, 0, "an empty header has no cookies");
	l = cookies(a, ";;; ;");
	is_int(l.n, 0, "only separators: no cookies");
	l = cookies(a, "  a = 1 \t;\tb=2  ");
	is_int(l.n, 2, "whitespace around names and values is allowed");
	is_str(kv_get(&l, "a"), "1", "and trimmed from the value");
	is_str(kv_get(&l, "b"), "2", "on both sides");
	l = cookies(a, "e=");
	ok(l.n == 1 && strcmp(l.v[0].val, "") == 0 && l.v[0].vlen == 0,
	    "an empty value is a cookie");
	l = cookies(a, "x=a=b");
	ok(l.n == 1 && strcmp(l.v[0].val, "a=b") == 0,
	    "a value may contain '='");
	l = cookies(a, "x=1; x=2");
	ok(l.n == 2 && strcmp(kv_get(&l, "x"), "1") == 0,
	    "repeated names are kept, the first wins in kv_get");
	l = cookies(a, "v=caf\xc3\xa9");
	ok(l.n == 1 && strcmp(l.v[0].val, "caf\xc3\xa9") == 0 &&
	    l.v[0].vlen == 5, "a UTF-8 value is kept");
	l = cookies(a, "v=a b");
	ok(l.n == 1 && strcmp(l.v[0].val, "a b") == 0,
	    "an inner space is kept (lenient)");

	memset(&l, 0, sizeof(l));
	cookie_parse(a, "a=1; b=2", 3, &l);
	ok(l.n == 1 && strcmp(l.v[0].val, "1") == 0, "only n bytes are read");
	kv_add(a, &l, "z", "9", 1);
	cookie_parse(a, "c=3", 3, &l);
	ok(l.n == 3 && strcmp(l.v[2].key, "c") == 0, "parsing appends");
	arena_free(a);
}

static void
test_quotes(void)
{
	struct arena	*a = arena_new(0);
	struct kvlist	 l;

	l = cookies(a, "q=\"quoted\"");
	ok(l.n == 1 && strcmp(l.v[0].val, "quoted") == 0 &&
	    l.v[0].vlen == 6, "surrounding double quotes are removed");
	l = cookies(a, "q=\"\"");
	ok(l.n == 1 && strcmp(l.v[0].val, "") == 0 && l.v[0].vlen == 0,
	    "\"\" is an empty value");
	l = cookies(a, "q= \"x\" ");
	ok(l.n == 1 && strcmp(l.v[0].val, "x") == 0,
	    "quotes inside whitespace are removed");
	l = cookies(a, "q=\"");
	ok(l.n == 1 && strcmp(l.v[0].val, "\"") == 0,
	    "a lone quote is not a quoted value");
	l = cookies(a, "q=\"open");
	ok(l.n == 1 && strcmp(l.v[0].val, "\"open") == 0,
	    "an unbalanced quote is kept");
	l = cookies(a, "q=\"\"x\"\"");
	ok(l.n == 1 && strcmp(l.v[0].val, "\"x\"") == 0,
	    "only one pair of quotes is removed");
	arena_free(a);
}

static void
test_junk(void)
{
	struct arena	*a = arena_new(0);
	struct kvlist	 l;
	static const char raw[] = "a=1; \0x=2; b=2";

	l = cookies(a, "junk; a=1; =nokey; b c=3; d=4");
	is_int(l.n, 2, "pairs without '=', without a name or with a space "
	    "in the name are skipped");
	is_str(kv_get(&l, "a"), "1", "a survives");
	is_str(kv_get(&l, "d"), "4", "d survives");
	ok(kv_get(&l, "b c") == NULL && kv_get(&l, "") == NULL,
	    "the junk is not there");

	l = cookies(a, "x(y)=1; a@b=2; \"q\"=3; c,d=4; e/f=5; g:h=6; ok=7");
	ok(l.n == 1 && strcmp(l.v[0].key, "ok") == 0,
	    "names with separator characters are skipped");
	l = cookies(a, "bad=\xff\xfe; good=1");
	ok(l.n == 1 && strcmp(l.v[0].key, "good") == 0,
	    "a value that is not UTF-8 is skipped");
	l = cookies(a, "bad=\xc0\x80; s=\xed\xa0\x80; good=1");
	ok(l.n == 1 && strcmp(l.v[0].key, "good") == 0,
	    "overlong and surrogate values are skipped");
	l = cookies(a, "n\xc3\xa9=1; good=1");
	ok(l.n == 1 && strcmp(l.v[0].key, "good") == 0,
	    "a non-ASCII name is skipped");
	l = cookies(a, "c\x01=1; d=\x7f; good=1");
	ok(l.n == 2 && kv_get(&l, "good") != NULL && kv_get(&l, "c\x01") == NULL,
	    "a name with a control character is skipped");

	memset(&l, 0, sizeof(l));
	cookie_parse(a, raw, sizeof(raw) - 1, &l);
	ok(l.n == 2 && strcmp(kv_get(&l, "a"), "1") == 0 &&
	    strcmp(kv_get(&l, "b"), "2") == 0, "a pair with a NUL byte is "
	    "skipped, the others are kept");
	memset(&l, 0, sizeof(l));
	cookie_parse(a, "v=a\0b; w=1", 10, &l);
	ok(l.n == 1 && strcmp(l.v[0].key, "w") == 0,
	    "a value with a NUL byte is skipped");
	arena_free(a);
}

static void
test_max(void)
{
	struct arena	*a = arena_new(0);
	struct kvlist	 l;
	char		*h;
	int		 i;

	h = arena_strdup(a, "");
	for (i = 0; i < COOKIE_MAX; i++)
		h = arena_printf(a, "%s%sc%d=%d", h, i ? "; " : "", i, i);
	l = cookies(a, h);
	is_int(l.n, COOKIE_MAX, "exactly COOKIE_MAX cookies are kept");
	h = arena_printf(a, "%s; extra=1; more=2", h);
	l = cookies(a, h);
	is_int(l.n, COOKIE_MAX, "cookies beyond COOKIE_MAX are skipped");
	ok(kv_get(&l, "extra") == NULL, "the first one beyond is gone");
	is_str(kv_get(&l, "c0"), "0", "the first ones stay");
	is_str(kv_get(&l, "c63"), "63", "up to the last one allowed");

	h = arena_strdup(a, "");
	for (i = 0; i < 100; i++)
		h = arena_printf(a, "%sjunk%d; ", h, i);
	h = arena_printf(a, "%sreal=1", h);
	l = cookies(a, h);
	ok(l.n == 1 && strcmp(l.v[0].key, "real") == 0,
	    "skipped junk does not count towards COOKIE_MAX");
	arena_free(a);
}

int
main(void)
{
	test_basic();
	test_quotes();
	test_junk();
	test_max();
	return tap_done();
}
