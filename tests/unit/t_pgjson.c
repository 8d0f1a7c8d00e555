/*
 * t_pgjson.c: PostgreSQL's JSON output parsed in one pass.  Every text
 * it parses gives the value json_loadb() gives; every text outside its
 * subset (or not JSON) it leaves to json_loadb(), and pgjson_load()
 * then gives what json_loadb() does.  Random documents made by jansson
 * itself, as PostgreSQL would write them, are compared too.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "pgjson.h"
#include "tap.h"

/* What the one-pass parser must take, and give as json_loadb() does. */
static const char *const taken[] = {
	"[]", "{}", "null", "true", "false", "0", "-12", "9223372036854775807",
	"-9223372036854775808", "\"\"", "\"a\"", " [ 1 , 2 ] ",
	"{\"a\" : 1, \"b\" : [true, false, null], \"c\" : {\"d\" : \"e\"}}",
	("[{\"email\" : \"owner@demo.test\", \"name\" : \"Olu Owner\", "
	"\"role\" : \"owner\", \"expires_at\" : null}]"),
	"{\"reason\" : \"two\\nlines \\\"quoted\\\" \\\\ \\/ \\t\\r\\b\\f\"}",
	"[\"caf\xc3\xa9\", \"\xe2\x82\xac\", \"\xf0\x9f\x98\x80\"]",
	"{\"k\" : 1, \"k\" : 2}", "{\"\" : \"\"}", "[[[[[]]]]]",
	"\n\t{\"a\":[]}\r\n",
};

/* What it must leave to json_loadb(): valid JSON beyond the subset. */
static const char *const passed[] = {
	"1.5", "-0.25", "1e3", "2E-2",
	"\"\\u00e9\"", "[\"\\ud83d\\ude00\"]", "{\"a\\u0062\" : 1}",
	"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
};

/* Not JSON (or not for jansson): neither takes it. */
static const char *const refused[] = {
	"", " ", "[", "]", "{", "[1,]", "[1 2]", "{\"a\"}", "{\"a\" 1}",
	"{\"a\":1,}", "{a:1}", "tru", "nul", "falsey", "01", "-", "--1",
	"-01", "\"abc", "\"a\\x\"", "\"a\\", "[1] 2", "\"\xff\"",
	"{\"\xc3\" : 1}", "\"tab\there\"", "\"nl\nhere\"", "'a'", "+1",
	"[\"a\" \"b\"]", "{\"a\":1 \"b\":2}",
	"9223372036854775808",	/* JSON, but past jansson's integers */
};

/* s for a test's name: control characters shown as '?'. */
static const char *
shown(const char *s)
{
	static char	 buf[128];
	size_t		 i;

	for (i = 0; s[i] != '\0' && i < sizeof(buf) - 1; i++)
		buf[i] = (unsigned char)s[i] < 0x20 ? '?' : s[i];
	buf[i] = '\0';
	return buf;
}

/* Whether pgjson_parse() gives json_loadb()'s value for s. */
static int
same(const char *s)
{
	json_t	*a = pgjson_parse(s, strlen(s));
	json_t	*b = json_loadb(s, strlen(s), JSON_DECODE_ANY, NULL);
	int	 r = a != NULL && b != NULL && json_equal(a, b);

	json_decref(a);
	json_decref(b);
	return r;
}

/* A random value of depth at most d, as PostgreSQL's functions write. */
static json_t *
random_value(int d)
{
	static const char *const words[] = {
		"", "a", "Olu Owner", "two\nlines", "quote \" and \\",
		"caf\xc3\xa9", "2026-12-03T19:39:46Z", "tab\there", "/slash",
	};
	json_t	*v;
	int	 i, n;

	switch (d > 0 ? rand() % 7 : 3 + rand() % 4) {
	case 0:
		v = json_array();
		for (i = 0, n = rand() % 4; i < n; i++)
			json_array_append_new(v, random_value(d - 1));
		return v;
	case 1:
	case 2:
		v = json_object();
		for (i = 0, n = rand() % 5; i < n; i++)
			json_object_set_new(v, words[rand() % 9],
			    random_value(d - 1));
		return v;
	case 3:
		return json_string(words[rand() % 9]);
	case 4:
		return json_integer((json_int_t)rand() - RAND_MAX / 2);
	case 5:
		return json_boolean(rand() % 2);
	default:
		return json_null();
	}
}

int
main(void)
{
	json_t	*v, *w;
	char	*s;
	size_t	 i;
	int	 k, bad;

	for (i = 0; i < sizeof(taken) / sizeof(taken[0]); i++)
		ok(same(taken[i]), "taken in one pass as json_loadb() takes "
		    "it: %s", shown(taken[i]));
	for (i = 0; i < sizeof(passed) / sizeof(passed[0]); i++) {
		v = pgjson_parse(passed[i], strlen(passed[i]));
		w = pgjson_load(passed[i], strlen(passed[i]));
		ok(v == NULL && w != NULL, "left to json_loadb(), which takes "
		    "it: %s", shown(passed[i]));
		json_decref(v);
		json_decref(w);
	}
	for (i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		v = pgjson_load(refused[i], strlen(refused[i]));
		w = json_loadb(refused[i], strlen(refused[i]),
		    JSON_DECODE_ANY, NULL);
		ok(v == NULL && w == NULL, "not JSON, refused by both: %s",
		    shown(refused[i]));
		json_decref(v);
		json_decref(w);
	}
	ok(pgjson_parse("[1, 2]", 4) == NULL, "only len bytes are read");
	srand(20261203);
	for (k = 0, bad = 0; k < 2000; k++) {
		v = random_value(4);
		s = json_dumps(v, JSON_ENCODE_ANY | (k % 2 ? 0 : JSON_INDENT(1)));
		bad += !same(s);
		free(s);
		json_decref(v);
	}
	ok(bad == 0, "2,000 random documents: each as json_loadb() gives it "
	    "(%d differ)", bad);
	return tap_done();
}
