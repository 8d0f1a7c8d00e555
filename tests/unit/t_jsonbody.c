/* t_jsonbody.c: bounded JSON bodies: duplicates, depth, counts, lengths. */
#include "config.h"

#include <string.h>

#include "arena.h"
#include "jsonbody.h"
#include "tap.h"
#include "utf8.h"

static const struct jsonbody_limits	 lim_default = { 1000, 4096 };

/* Parse the string s; returns the result, with *out NULL on failure. */
static int
parse(struct arena *a, const char *s, const struct jsonbody_limits *lim,
    json_t **out, struct perr *e)
{
	memset(e, 0, sizeof(*e));
	*out = NULL;
	return jsonbody_parse(a, s, strlen(s), lim, out, e);
}

/* Expect s refused with status and code; returns 1 when it was. */
static int
refused(struct arena *a, const char *s, const struct jsonbody_limits *lim,
    int status, const char *code, struct perr *e)
{
	json_t	*v;
	int	 r;

	r = parse(a, s, lim, &v, e);
	if (r) {
		json_decref(v);
		return 0;
	}
	return v == NULL && e->status == status && e->code != NULL &&
	    strcmp(e->code, code) == 0 && e->message[0] != '\0';
}

/* depth nested arrays, the innermost holding inner ("" for none). */
static char *
nest(struct arena *a, int depth, const char *inner)
{
	size_t	 il = strlen(inner);
	char	*s = arena_alloc(a, 2 * (size_t)depth + il + 1);
	int	 i;

	for (i = 0; i < depth; i++)
		s[i] = '[';
	memcpy(s + depth, inner, il);
	for (i = 0; i < depth; i++)
		s[depth + (int)il + i] = ']';
	s[2 * depth + (int)il] = '\0';
	return s;
}

static void
test_valid(void)
{
	struct arena	*a = arena_new(0);
	struct perr	 e;
	json_t		*v;

	ok(parse(a, "{\"name\":\"Ada\",\"n\":3,\"ok\":true,\"x\":null,"
	    "\"l\":[1,2.5,\"s\"],\"o\":{\"k\":\"v\"}}", &lim_default, &v, &e),
	    "an object with every kind of value parses");
	ok(v != NULL && json_is_object(v), "into an object");
	is_str(json_string_value(json_object_get(v, "name")), "Ada",
	    "with its string member");
	is_int(json_integer_value(json_object_get(v, "n")), 3,
	    "and its integer member");
	is_int(json_array_size(json_object_get(v, "l")), 3,
	    "and its array member");
	is_int(v != NULL ? (long long)v->refcount : -1, 1,
	    "the caller holds the only reference");
	json_decref(v);

	ok(parse(a, "  [ ]  ", &lim_default, &v, &e) && json_is_array(v),
	    "whitespace around a value is allowed");
	json_decref(v);
	ok(parse(a, "42", &lim_default, &v, &e) && json_is_integer(v),
	    "a bare number is a JSON text (RFC 8259)");
	json_decref(v);
	ok(parse(a, "\"caf\\u00e9 \xe2\x82\xac\"", &lim_default, &v, &e) &&
	    strcmp(json_string_value(v), "caf\xc3\xa9 \xe2\x82\xac") == 0,
	    "escaped and raw UTF-8 in strings");
	json_decref(v);
	ok(parse(a, "\"\\ud83d\\ude00\"", &lim_default, &v, &e) &&
	    strcmp(json_string_value(v), "\xf0\x9f\x98\x80") == 0,
	    "an escaped surrogate pair is one character");
	json_decref(v);
	ok(parse(a, "{\"a\":1,\"A\":2}", &lim_default, &v, &e),
	    "keys differing in case are not duplicates");
	json_decref(v);
	ok(parse(a, "[{\"a\":1},{\"a\":2}]", &lim_default, &v, &e),
	    "the same key in sibling objects is not a duplicate");
	json_decref(v);
	ok(jsonbody_parse(a, "[1]trailing", 3, &lim_default, &v, &e) &&
	    json_array_size(v) == 1, "only n bytes are parsed");
	json_decref(v);
	arena_free(a);
}

static void
test_invalid(void)
{
	struct arena	*a = arena_new(0);
	struct perr	 e;
	json_t		*v;
	static const char nul[] = "{\"a\":\"x\0y\"}";

	ok(jsonbody_parse(a, "", 0, &lim_default, &v, &e) == 0,
	    "an empty body is refused");
	is_int(e.status, 400, "with 400");
	is_str(e.code, "invalid_json", "code invalid_json");
	ok(strstr(e.message, "empty") != NULL, "saying it is empty: %s",
	    e.message);
	ok(refused(a, "   ", &lim_default, 400, "invalid_json", &e),
	    "a body of whitespace is refused");
	ok(refused(a, "{", &lim_default, 400, "invalid_json", &e),
	    "a truncated object is refused");
	ok(strstr(e.message, "line") != NULL && strstr(e.message, "column"),
	    "the message gives line and column: %s", e.message);
	ok(refused(a, "{\"a\":1,}", &lim_default, 400, "invalid_json", &e),
	    "a trailing comma is refused");
	ok(refused(a, "{'a':1}", &lim_default, 400, "invalid_json", &e),
	    "single quotes are refused");
	ok(refused(a, "[1] [2]", &lim_default, 400, "invalid_json", &e),
	    "two texts are refused");
	ok(refused(a, "[1] x", &lim_default, 400, "invalid_json", &e),
	    "trailing garbage is refused");
	ok(refused(a, "NaN", &lim_default, 400, "invalid_json", &e),
	    "NaN is refused");

	ok(refused(a, "{\"a\":1,\"a\":2}", &lim_default, 400, "invalid_json",
	    &e), "a duplicate key is refused");
	ok(strstr(e.message, "duplicate") != NULL, "and the message says so: "
	    "%s", e.message);
	ok(refused(a, "{\"o\":{\"k\":1,\"z\":0,\"k\":2}}", &lim_default, 400,
	    "invalid_json", &e), "a duplicate key in a nested object is "
	    "refused");
	ok(refused(a, "{\"a\":1,\"\\u0061\":2}", &lim_default, 400,
	    "invalid_json", &e), "a duplicate spelled with an escape is "
	    "refused");

	ok(refused(a, "\"a\\u0000b\"", &lim_default, 400, "invalid_json", &e),
	    "\\u0000 in a string is refused");
	ok(refused(a, "{\"role\":\"owner\\u0000\"}", &lim_default, 400,
	    "invalid_json", &e) && e.field != NULL &&
	    strcmp(e.field, "role") == 0, "naming the field");
	ok(refused(a, "{\"a\":{\"b\":[\"x\",\"\\u0000\"]}}", &lim_default,
	    400, "invalid_json", &e) && e.field != NULL &&
	    strcmp(e.field, "a.b.1") == 0, "however deep: %s", e.field);
	ok(refused(a, "{\"a\\u0000\":1}", &lim_default, 400, "invalid_json",
	    &e), "\\u0000 in a key is refused");
	ok(jsonbody_parse(a, nul, sizeof(nul) - 1, &lim_default, &v, &e) ==
	    0 && e.status == 400, "a raw NUL byte is refused");
	ok(refused(a, "\"\xff\"", &lim_default, 400, "invalid_json", &e),
	    "a string with an FF byte is refused");
	ok(refused(a, "\"\xc0\x80\"", &lim_default, 400, "invalid_json", &e),
	    "an overlong NUL is refused");
	ok(refused(a, "\"\xed\xa0\x80\"", &lim_default, 400, "invalid_json",
	    &e), "a raw surrogate is refused");
	ok(refused(a, "\"\xf4\x90\x80\x80\"", &lim_default, 400,
	    "invalid_json", &e), "a code point above U+10FFFF is refused");
	ok(refused(a, "\"\\ud800\"", &lim_default, 400, "invalid_json", &e),
	    "an escaped lone surrogate is refused");
	ok(refused(a, "{\"\xc3\":1}", &lim_default, 400, "invalid_json", &e),
	    "a key with a truncated sequence is refused");
	ok(utf8_valid(e.message, strlen(e.message)), "the message is UTF-8 "
	    "text: %s", e.message);
	ok(refused(a, "\n\"/Z.\\\xd1\xa5\x91\xa1", &lim_default, 400,
	    "invalid_json", &e), "a bad escape before a 2-byte character is "
	    "refused");
	ok(utf8_valid(e.message, strlen(e.message)), "and the message does not "
	    "quote half of the character (found by fuzz_jsonbody): %s",
	    e.message);
	ok(strstr(e.message, "line 2") != NULL, "it still gives the line");
	ok(refused(a, "[1,\xff\xfe]", &lim_default, 400, "invalid_json", &e) &&
	    utf8_valid(e.message, strlen(e.message)), "raw FF FE bytes are "
	    "not quoted into the message: %s", e.message);
	arena_free(a);
}

static void
test_depth(void)
{
	struct arena	*a = arena_new(0);
	struct perr	 e;
	json_t		*v;
	char		*s;
	int		 i;

	s = nest(a, JSONBODY_MAX_DEPTH, "");
	ok(parse(a, s, &lim_default, &v, &e), "%d nested arrays are accepted",
	    JSONBODY_MAX_DEPTH);
	json_decref(v);
	s = nest(a, JSONBODY_MAX_DEPTH, "1");
	ok(parse(a, s, &lim_default, &v, &e), "%d nested arrays holding a "
	    "number are accepted", JSONBODY_MAX_DEPTH);
	json_decref(v);
	s = nest(a, JSONBODY_MAX_DEPTH, "{}");
	ok(refused(a, s, &lim_default, 400, "too_deep", &e), "an object "
	    "inside them is one level too many");
	s = nest(a, JSONBODY_MAX_DEPTH + 1, "");
	ok(refused(a, s, &lim_default, 400, "too_deep", &e), "%d empty nested "
	    "arrays are refused", JSONBODY_MAX_DEPTH + 1);
	s = nest(a, JSONBODY_MAX_DEPTH + 1, "1");
	ok(refused(a, s, &lim_default, 400, "too_deep", &e), "%d nested "
	    "arrays holding a number are refused", JSONBODY_MAX_DEPTH + 1);
	ok(strstr(e.message, "32") != NULL, "the message gives the limit: %s",
	    e.message);
	s = nest(a, 1000, "");
	ok(refused(a, s, &lim_default, 400, "too_deep", &e),
	    "1000 nested arrays are refused");
	s = nest(a, 5000, "");
	ok(!parse(a, s, &lim_default, &v, &e) && e.status == 400,
	    "5000 nested arrays are refused, not a stack overflow");
	s = arena_strdup(a, "1");
	for (i = 0; i < JSONBODY_MAX_DEPTH; i++)
		s = arena_printf(a, "{\"k\":%s}", s);
	ok(parse(a, s, &lim_default, &v, &e), "%d nested objects are "
	    "accepted", JSONBODY_MAX_DEPTH);
	json_decref(v);
	s = arena_printf(a, "{\"k\":%s}", s);
	ok(refused(a, s, &lim_default, 400, "too_deep", &e), "%d are refused",
	    JSONBODY_MAX_DEPTH + 1);
	arena_free(a);
}

static void
test_limits(void)
{
	struct arena		*a = arena_new(0);
	struct jsonbody_limits	 three = { 3, 5 };
	struct perr		 e;
	json_t			*v;
	char			*s;
	int			 i;

	ok(parse(a, "{\"a\":1,\"b\":2,\"c\":3}", &three, &v, &e),
	    "exactly max_fields members are accepted");
	json_decref(v);
	ok(refused(a, "{\"a\":1,\"b\":2,\"c\":3,\"d\":4}", &three, 413,
	    "too_many_fields", &e), "one more member is refused with 413");
	ok(e.field == NULL, "without a field");
	ok(parse(a, "{\"a\":[1,2]}", &three, &v, &e),
	    "members and elements count together: 3");
	json_decref(v);
	ok(refused(a, "{\"a\":[1,2,3]}", &three, 413, "too_many_fields", &e),
	    "4 values over all levels are refused");
	ok(refused(a, "[[[[[]]]]]", &three, 413, "too_many_fields", &e),
	    "nested empty arrays count as elements");
	ok(parse(a, "\"x\"", &three, &v, &e), "the top-level value does not "
	    "count");
	json_decref(v);

	s = arena_printf(a, "{\"%0*d\":1}", JSONBODY_MAX_KEY, 0);
	ok(parse(a, s, &three, &v, &e), "a member name of %d bytes is "
	    "accepted", JSONBODY_MAX_KEY);
	json_decref(v);
	s = arena_printf(a, "{\"o\":{\"%0*d\":1}}", JSONBODY_MAX_KEY + 1, 0);
	ok(refused(a, s, &three, 413, "field_too_long", &e), "a longer one "
	    "is refused with 413");
	is_str(e.field, "o", "naming the object that holds it");

	ok(parse(a, "{\"s\":\"12345\"}", &three, &v, &e),
	    "a string of exactly max_value bytes is accepted");
	json_decref(v);
	ok(refused(a, "{\"s\":\"123456\"}", &three, 413, "field_too_long",
	    &e), "one byte more is refused with 413");
	is_str(e.field, "s", "naming the member");
	ok(parse(a, "[\"\\u00e9\\u00e9\"]", &three, &v, &e),
	    "two 2-byte characters are 4 bytes");
	json_decref(v);
	ok(refused(a, "[\"\xe2\x82\xac\xe2\x82\xac\"]", &three, 413,
	    "field_too_long", &e), "two 3-byte characters are 6 bytes");
	is_str(e.field, "0", "naming the element");
	ok(refused(a, "{\"o\":[\"ok\",\"toolong\"]}", &three, 413,
	    "field_too_long", &e), "a nested string too long is refused");
	is_str(e.field, "o.1", "its field is a dotted path");
	ok(refused(a, "\"toolong\"", &three, 413, "field_too_long", &e),
	    "a top-level string too long is refused");
	ok(e.field == NULL, "with no field");

	s = arena_alloc(a, 2 * 10000 + 2);
	s[0] = '[';
	for (i = 0; i < 10000; i++) {
		s[1 + 2 * i] = (char)('0' + i % 10);
		s[2 + 2 * i] = ',';
	}
	s[2 * 10000] = ']';
	s[2 * 10000 + 1] = '\0';
	ok(parse(a, s, &(struct jsonbody_limits){ 10000, 1 }, &v, &e) &&
	    json_array_size(v) == 10000, "10,000 elements within a limit of "
	    "10,000 are accepted");
	json_decref(v);
	ok(refused(a, s, &lim_default, 413, "too_many_fields", &e),
	    "10,000 elements over a limit of 1000 are refused");
	arena_free(a);
}

int
main(void)
{
	test_valid();
	test_invalid();
	test_depth();
	test_limits();
	return tap_done();
}
