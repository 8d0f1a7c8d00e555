/*
 * t_input.c: declared input: every validator, and each field type read
 * alike from a JSON body and a form, with the error that names the
 * field when a value is refused.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "arena.h"
#include "date.h"
#include "input.h"
#include "kv.h"
#include "tap.h"

static struct arena	*a;

/* 2030-06-15, midday UTC: "now" of the date tests. */
#define NOW	((time_t)1907755200)

static const char *const colours[] = { "red", "green", "blue", NULL };

static const char *
upper_item(struct arena *ar, const char *s)
{
	(void)ar;
	return strcmp(s, "bad") == 0 ? NULL : s;
}

enum { F_NAME, F_N, F_YES, F_DAY, F_MAIL, F_SLUG, F_COLOUR, F_LIST,
	F_PW, F_UNTIL, F_SKIP, F__MAX };

static const struct input_field fields[F__MAX] = {
	[F_NAME] = { .name = "name", .type = IN_TEXT, .flags = IN_REQUIRED,
	    .max = 5, .label = "the name" },
	[F_N] = { .name = "n", .type = IN_INT, .min = 1, .max = 100,
	    .invalid = "n is 1 to 100" },
	[F_YES] = { .name = "yes", .type = IN_BOOL },
	[F_DAY] = { .name = "day", .type = IN_DATE },
	[F_MAIL] = { .name = "mail", .type = IN_EMAIL },
	[F_SLUG] = { .name = "slug", .type = IN_SLUG },
	[F_COLOUR] = { .name = "colour", .type = IN_ENUM, .allowed = colours,
	    .echo = "c_" },
	[F_LIST] = { .name = "list", .form = "item", .type = IN_LIST,
	    .max = 3, .allowed = colours, .invalid = "a colour" },
	[F_PW] = { .name = "pw", .type = IN_TEXT, .flags = IN_RAW |
	    IN_BYTES | IN_SECRET, .max = 4 },
	[F_UNTIL] = { .name = "until", .type = IN_DATE, .flags = IN_FUTURE,
	    .max = 10, .if_name = "colour", .if_value = "red" },
	[F_SKIP] = { .name = NULL },
};

static const struct input_form form = { fields, F__MAX, NULL, NULL, 0 };

static struct input_value	 v[F__MAX];
static struct perr		 e;

/* Read a JSON body. */
static int
rj(const struct input_form *f, const char *text)
{
	json_error_t	 err;
	json_t		*j = json_loads(text, JSON_DECODE_ANY, &err);
	int		 rc;

	if (j == NULL) {
		printf("# bad test JSON %s: %s\n", text, err.text);
		return -1;
	}
	rc = input_read(a, f, j, NULL, NOW, v, &e);
	json_decref(j);
	return rc;
}

/* Read a form of n name/value pairs. */
static int
rf(const struct input_form *f, int n, ...)
{
	struct kvlist	 kv;
	va_list		 ap;
	const char	*k, *val;
	int		 i;

	memset(&kv, 0, sizeof(kv));
	va_start(ap, n);
	for (i = 0; i < n; i++) {
		k = va_arg(ap, const char *);
		val = va_arg(ap, const char *);
		kv_add(a, &kv, k, val, strlen(val));
	}
	va_end(ap);
	return input_read(a, f, NULL, &kv, NOW, v, &e);
}

/* Refused with status, code and field. */
static int
refused(int rc, int status, const char *code, const char *field)
{
	if (rc != 0)
		return 0;
	if (e.status != status || strcmp(e.code, code) != 0 ||
	    (field == NULL) != (e.field == NULL) ||
	    (field != NULL && strcmp(e.field, field) != 0)) {
		printf("#   got %d %s %s: %s\n", e.status, e.code,
		    e.field ? e.field : "(null)", e.message);
		return 0;
	}
	return 1;
}

static void
test_validators(void)
{
	long long	 n = -1;
	time_t		 t;

	ok(input_email_valid("ann@example.org"), "an address");
	ok(input_email_valid("ann+news@mail.example.org"), "with + and "
	    "subdomains");
	ok(!input_email_valid("ann"), "no @ is no address");
	ok(!input_email_valid("@example.org"), "nothing before @");
	ok(!input_email_valid("ann@example"), "a domain without a dot");
	ok(!input_email_valid("ann@.example.org"), "a domain starting with .");
	ok(!input_email_valid("ann@example.org."), "ending with .");
	ok(!input_email_valid("a@b@example.org"), "two @");
	ok(!input_email_valid("ann smith@example.org"), "a space");
	ok(!input_email_valid("a@b.c\r\nBcc: x@y.z"), "a line break");
	ok(!input_email_valid("\"a\"@example.org"), "quotes");
	ok(!input_email_valid("a<b>@example.org"), "brackets");
	{
		char	 big[300];

		memset(big, 'x', 65);
		strcpy(big + 65, "@example.org");
		ok(!input_email_valid(big), "a local part over 64 bytes");
		memset(big, 'x', 250);
		strcpy(big + 250, "@e.org");
		ok(!input_email_valid(big), "over 254 bytes");
	}

	ok(input_slug_problem("north-sea") == NULL, "a slug");
	ok(input_slug_problem("a1") == NULL, "two characters are enough");
	ok(input_slug_problem("a") != NULL, "one is not");
	{
		char	 s[52];

		memset(s, 'a', 51);
		s[51] = '\0';
		ok(input_slug_problem(s) != NULL, "51 characters are too many");
		s[50] = '\0';
		ok(input_slug_problem(s) == NULL, "50 are not");
	}
	ok(input_slug_problem("North") != NULL, "capitals are not allowed");
	ok(input_slug_problem("a_b") != NULL, "nor underscores");
	ok(input_slug_problem("a b") != NULL, "nor spaces");
	ok(input_slug_problem("-ab") != NULL, "nor a leading hyphen");
	ok(input_slug_problem("ab-") != NULL, "nor a trailing one");
	ok(input_slug_problem("admin") != NULL, "a reserved word");
	ok(input_slug_problem("api") != NULL, "another");

	ok(input_digits("42", 1, 100, &n) && n == 42, "digits");
	ok(!input_digits("0", 1, 100, &n), "below the range");
	ok(input_digits("0", 0, 100, &n) && n == 0, "zero alone");
	ok(!input_digits("101", 1, 100, &n), "above the range");
	ok(!input_digits("4", 1, 3, &n), "one digit above a range under 10");
	ok(!input_digits("10", 1, 9, &n), "two digits above a range under 10");
	ok(input_digits("3", 1, 3, &n) && n == 3, "the top of the range");
	ok(!input_digits("042", 1, 100, &n), "a leading zero");
	ok(!input_digits("-1", -5, 100, &n), "a sign");
	ok(!input_digits("+1", 1, 100, &n), "a plus");
	ok(!input_digits(" 1", 1, 100, &n), "a space");
	ok(!input_digits("1x", 1, 100, &n), "trailing text");
	ok(!input_digits("", 1, 100, &n), "nothing");
	ok(!input_digits(NULL, 1, 100, &n), "NULL");
	ok(!input_digits("9999999999999999999999", 1, 9223372036854775807LL,
	    &n), "a number beyond long long");
	ok(input_digits("9223372036854775807", 1, 9223372036854775807LL, &n) &&
	    n == 9223372036854775807LL, "the largest long long");

	ok(!input_future_date("2030-06-15", NOW, 366), "today is not "
	    "in the future");
	ok(input_future_date("2030-06-16", NOW, 366), "tomorrow is");
	ok(input_future_date("2031-06-15", NOW, 366), "a year ahead is");
	ok(!input_future_date("2031-06-17", NOW, 366), "366 days and more "
	    "are not");
	ok(!input_future_date("2030-02-30", NOW, 366), "a day that does "
	    "not exist is not");
	ok(!input_future_date("2030-6-16", NOW, 366), "nor another format");
	ok(date_parse("2030-06-16", &t) && t > NOW, "(the dates agree with "
	    "date.c)");

	ok(input_one_of(colours, "red"), "one of a list");
	ok(!input_one_of(colours, "Red"), "case counts");
	ok(!input_one_of(colours, ""), "the empty string is not");
}

static void
test_text(void)
{
	ok(rj(&form, "{\"name\": \"  Ann \\n\"}") == 1 &&
	    v[F_NAME].present && strcmp(v[F_NAME].text, "Ann") == 0,
	    "text is trimmed");
	ok(refused(rj(&form, "{}"), 422, "missing", "name"), "a required "
	    "field absent is 422 missing naming it");
	ok(refused(rj(&form, "{\"name\": \" \\t \"}"), 422, "missing",
	    "name"), "so is a blank one");
	ok(refused(rj(&form, "{\"name\": null}"), 422, "missing", "name"),
	    "and null");
	ok(strcmp(e.message, "the name is required") == 0, "the message names "
	    "its label: %s", e.message);
	ok(refused(rj(&form, "{\"name\": 5}"), 422, "invalid", "name"),
	    "a number is no text");
	ok(refused(rj(&form, "{\"name\": [\"a\"]}"), 422, "invalid", "name"),
	    "nor a list");
	ok(rj(&form, "{\"name\": \"\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\"}")
	    == 1, "five characters of two bytes are five");
	ok(refused(rj(&form, "{\"name\": \"abcdef\"}"), 422, "too_long",
	    "name"), "six are too long");
	ok(refused(rj(&form, "{\"name\": \"a\\u0007b\"}"), 422, "invalid",
	    "name"), "a control character is refused");
	ok(refused(rj(&form, "{\"name\": \"a\\nb\"}"), 422, "invalid", "name"),
	    "a line break inside too");
	ok(rj(&form, "{\"name\": \"a\", \"pw\": \" \\u00e9 \"}") == 1 &&
	    strcmp(v[F_PW].text, " \xc3\xa9 ") == 0, "raw text is kept as "
	    "sent");
	ok(refused(rj(&form, "{\"name\": \"a\", \"pw\": \"\\u00e9\\u00e9\\u00e9"
	    "\"}"), 422, "too_long", "pw"), "and IN_BYTES counts bytes");
	ok(rf(&form, 1, "name", " Bo ") == 1 && strcmp(v[F_NAME].text, "Bo") ==
	    0, "a form's text alike");
	ok(refused(rf(&form, 1, "name", ""), 422, "missing", "name"), "a form's "
	    "empty field is missing");
	ok(rj(&form, "[1, 2]") == 0 && strcmp(e.field, "name") == 0,
	    "a JSON body that is no object has no fields");
}

static void
test_int(void)
{
	ok(rj(&form, "{\"name\": \"a\", \"n\": 7}") == 1 && v[F_N].present &&
	    v[F_N].num == 7 && strcmp(v[F_N].text, "7") == 0, "a JSON number");
	ok(rj(&form, "{\"name\": \"a\", \"n\": \"7\"}") == 1 &&
	    v[F_N].num == 7, "or its digits");
	ok(rj(&form, "{\"name\": \"a\"}") == 1 && !v[F_N].present, "absent");
	ok(rj(&form, "{\"name\": \"a\", \"n\": null}") == 1 && !v[F_N].present,
	    "null is absent");
	ok(refused(rj(&form, "{\"name\": \"a\", \"n\": \"\"}"), 422, "invalid",
	    "n"), "empty text in JSON is not a number");
	ok(refused(rj(&form, "{\"name\": \"a\", \"n\": 1.0}"), 422, "invalid",
	    "n"), "a fraction is not");
	ok(strcmp(e.message, "n is 1 to 100") == 0, "with the field's "
	    "message");
	ok(refused(rj(&form, "{\"name\": \"a\", \"n\": true}"), 422, "invalid",
	    "n"), "a boolean is not");
	ok(refused(rj(&form, "{\"name\": \"a\", \"n\": 0}"), 422, "invalid",
	    "n"), "below the range");
	ok(refused(rj(&form, "{\"name\": \"a\", \"n\": 101}"), 422, "invalid",
	    "n"), "above");
	ok(refused(rj(&form, "{\"name\": \"a\", \"n\": \"01\"}"), 422,
	    "invalid", "n"), "a leading zero");
	ok(rf(&form, 2, "name", "a", "n", "100") == 1 && v[F_N].num == 100,
	    "a form's digits");
	ok(rf(&form, 2, "name", "a", "n", "") == 1 && !v[F_N].present,
	    "a form's empty field is absent");
	ok(refused(rf(&form, 2, "name", "a", "n", "x"), 422, "invalid", "n"),
	    "a form's text is not a number");
}

static void
test_bool(void)
{
	ok(rj(&form, "{\"name\": \"a\", \"yes\": true}") == 1 &&
	    v[F_YES].present && v[F_YES].num == 1, "JSON true");
	ok(rj(&form, "{\"name\": \"a\", \"yes\": false}") == 1 &&
	    v[F_YES].present && v[F_YES].num == 0, "JSON false");
	ok(rj(&form, "{\"name\": \"a\"}") == 1 && !v[F_YES].present, "absent "
	    "from JSON: the handler's default");
	ok(refused(rj(&form, "{\"name\": \"a\", \"yes\": null}"), 422, "invalid",
	    "yes"), "null is no boolean");
	ok(refused(rj(&form, "{\"name\": \"a\", \"yes\": \"true\"}"), 422,
	    "invalid", "yes"), "nor text in JSON");
	ok(refused(rj(&form, "{\"name\": \"a\", \"yes\": 1}"), 422, "invalid",
	    "yes"), "nor a number");
	ok(rf(&form, 2, "name", "a", "yes", "on") == 1 && v[F_YES].num == 1,
	    "a checked box");
	ok(rf(&form, 2, "name", "a", "yes", "true") == 1 && v[F_YES].num == 1 &&
	    rf(&form, 2, "name", "a", "yes", "1") == 1 && v[F_YES].num == 1,
	    "true and 1");
	ok(rf(&form, 2, "name", "a", "yes", "off") == 1 && v[F_YES].num == 0 &&
	    rf(&form, 2, "name", "a", "yes", "0") == 1 && v[F_YES].num == 0 &&
	    rf(&form, 2, "name", "a", "yes", "false") == 1 &&
	    v[F_YES].num == 0, "off, 0 and false");
	ok(rf(&form, 1, "name", "a") == 1 && v[F_YES].present &&
	    v[F_YES].num == 0, "an unchecked box is not sent: no");
	ok(refused(rf(&form, 2, "name", "a", "yes", "yes"), 422, "invalid",
	    "yes"), "yes is not a form's yes");
}

static void
test_words(void)
{
	ok(rj(&form, "{\"name\": \"a\", \"day\": \"2024-02-29\"}") == 1 &&
	    strcmp(v[F_DAY].text, "2024-02-29") == 0, "a date");
	ok(refused(rj(&form, "{\"name\": \"a\", \"day\": \"2023-02-29\"}"), 422,
	    "invalid", "day"), "a date that does not exist");
	ok(refused(rj(&form, "{\"name\": \"a\", \"day\": 20240229}"), 422,
	    "invalid", "day"), "a number is no date");
	ok(refused(rj(&form, "{\"name\": \"a\", \"day\": \"2024-01-01x\"}"),
	    422, "invalid", "day"), "nor a date with more after it");
	ok(rj(&form, "{\"name\": \"a\", \"mail\": \" a@b.org \"}") == 1 &&
	    strcmp(v[F_MAIL].text, "a@b.org") == 0, "an e-mail address, "
	    "trimmed");
	ok(refused(rj(&form, "{\"name\": \"a\", \"mail\": \"a@b\"}"), 422,
	    "invalid", "mail"), "not an address");
	ok(rj(&form, "{\"name\": \"a\", \"slug\": \"north\"}") == 1, "a slug");
	ok(refused(rj(&form, "{\"name\": \"a\", \"slug\": \"hub\"}"), 422,
	    "invalid", "slug"), "a reserved slug, naming why");
	ok(strstr(e.message, "reserved") != NULL, "(%s)", e.message);
	ok(rj(&form, "{\"name\": \"a\", \"colour\": \"green\"}") == 1 &&
	    strcmp(v[F_COLOUR].text, "green") == 0, "one of the allowed "
	    "values");
	ok(refused(rj(&form, "{\"name\": \"a\", \"colour\": \"Green\"}"), 422,
	    "invalid", "colour"), "not one of them");
	ok(refused(rj(&form, "{\"name\": \"a\", \"colour\": [\"red\"]}"), 422,
	    "invalid", "colour"), "a list is not one value");
}

static void
test_list(void)
{
	ok(rj(&form, "{\"name\": \"a\", \"list\": [\"red\", \"blue\", "
	    "\"red\"]}") == 1 && json_array_size(v[F_LIST].list) == 2,
	    "a JSON list, each value once");
	ok(rj(&form, "{\"name\": \"a\"}") == 1 && !v[F_LIST].present &&
	    v[F_LIST].list == NULL, "absent from JSON");
	ok(rj(&form, "{\"name\": \"a\", \"list\": []}") == 1 &&
	    v[F_LIST].present, "an empty list is given");
	ok(refused(rj(&form, "{\"name\": \"a\", \"list\": \"red\"}"), 422,
	    "invalid", "list"), "text is no list");
	ok(refused(rj(&form, "{\"name\": \"a\", \"list\": [\"red\", 1.5]}"),
	    422, "invalid", "list"), "an item that is no text");
	ok(refused(rj(&form, "{\"name\": \"a\", \"list\": [\"red\", 1]}"), 422,
	    "invalid", "list") && strstr(e.message, "\"1\"") != NULL,
	    "a whole number is read as its digits, then checked: %s",
	    e.message);
	ok(refused(rj(&form, "{\"name\": \"a\", \"list\": [\"pink\"]}"), 422,
	    "invalid", "list") && strstr(e.message, "\"pink\"") != NULL,
	    "an item not allowed, named: %s", e.message);
	ok(rf(&form, 5, "name", "a", "item", "red", "item", "blue",
	    "item", "green", "item", "red") == 1 &&
	    json_array_size(v[F_LIST].list) == 3, "a form's repeated field "
	    "(its form name), each value once");
	ok(refused(rj(&form, "{\"name\": \"a\", \"list\": [\"red\", \"blue\", "
	    "\"green\", \"x\"]}"), 422, "invalid", "list"), "items are checked "
	    "before they are counted");
	{
		static const struct input_field lf[] = {
			{ .name = "l", .type = IN_LIST, .flags = IN_REQUIRED,
			    .max = 2, .item = upper_item },
			{ .name = "s", .type = IN_LIST, .flags = IN_SPLIT,
			    .allowed = colours },
			{ .name = "b", .form = "b_", .type = IN_LIST,
			    .flags = IN_BOXES, .allowed = colours },
		};
		static const struct input_form lform = { lf, 3, NULL, NULL, 0 };

		ok(refused(rj(&lform, "{\"l\": []}"), 422, "missing", "l"),
		    "a required list must not be empty");
		ok(refused(rj(&lform, "{\"l\": [\"x\", \"y\", \"z\"]}"), 422,
		    "too_many", "l"), "nor longer than its max");
		ok(refused(rj(&lform, "{\"l\": [\"bad\"]}"), 422, "invalid",
		    "l"), "an item its function refuses");
		ok(rj(&lform, "{\"l\": [12, \"-3\"]}") == 1 &&
		    strcmp(json_string_value(json_array_get(v[0].list, 0)),
		    "12") == 0 && strcmp(json_string_value(json_array_get(
		    v[0].list, 1)), "-3") == 0, "whole numbers and text alike");
		ok(rf(&lform, 5, "l", "x", "s", " red,blue;\n green ", "b_red",
		    "on", "b_blue", "on", "b_pink", "on") == 1 &&
		    json_array_size(v[1].list) == 3 &&
		    json_array_size(v[2].list) == 2, "a form's list as one "
		    "text, and as checkboxes");
		ok(refused(rf(&lform, 2, "l", "x", "s", "red pink"), 422,
		    "invalid", "s"), "a word of the text not allowed");
		ok(rf(&lform, 1, "l", "x") == 1 && v[1].present && v[2].present &&
		    json_array_size(v[2].list) == 0, "a form without them says "
		    "none");
	}
	{
		static const struct input_field nf[] = {
			{ .name = "n", .type = IN_LIST, .flags = IN_LINES,
			    .max = 3, .item = upper_item },
		};
		static const struct input_form nform = { nf, 1, NULL, NULL, 0 };

		ok(rf(&nform, 1, "n", " paid partnership \r\n\n\tnews\n") ==
		    1 && json_array_size(v[0].list) == 2 && strcmp(
		    json_string_value(json_array_get(v[0].list, 0)),
		    "paid partnership") == 0 && strcmp(json_string_value(
		    json_array_get(v[0].list, 1)), "news") == 0, "a form's "
		    "list one item a line, trimmed, blank lines skipped");
		ok(refused(rf(&nform, 1, "n", "a\nb\nc\nd"), 422,
		    "too_many", "n"), "no more lines than its max");
	}
}

static void
test_blank(void)
{
	static const struct input_field bf[] = {
		{ .name = "keep", .type = IN_TEXT, .flags = IN_RAW | IN_BLANK,
		    .max = 3 },
		{ .name = "raw", .type = IN_TEXT, .flags = IN_RAW },
	};
	static const struct input_form bform = { bf, 2, NULL, NULL, 0 };

	ok(rj(&bform, "{\"keep\": \" \\n\", \"raw\": \"  \"}") == 1 &&
	    v[0].present && strcmp(v[0].text, " \n") == 0 && !v[1].present &&
	    *v[1].text == '\0', "white space alone is a value with IN_BLANK, "
	    "absence without");
	ok(rj(&bform, "{\"keep\": \"\"}") == 1 && !v[0].present &&
	    *v[0].text == '\0', "an empty text is still absent");
	ok(refused(rj(&bform, "{\"keep\": \"    \"}"), 422, "too_long",
	    "keep"), "and white space counts against max");
	ok(rf(&bform, 1, "keep", "  ") == 1 && v[0].present &&
	    strcmp(v[0].text, "  ") == 0, "from a form alike");
}

static void
test_conditions(void)
{
	static const struct input_field qf[] = {
		{ .name = "state", .type = IN_ENUM, .allowed = colours },
	};
	static const struct input_form qform = { qf, 1, NULL, NULL, 1 };

	ok(rj(&form, "{\"name\": \"a\", \"colour\": \"red\", \"until\": "
	    "\"2030-06-20\"}") == 1 && v[F_UNTIL].present, "a field read when "
	    "its condition holds");
	ok(refused(rj(&form, "{\"name\": \"a\", \"colour\": \"red\", \"until\": "
	    "\"2030-07-20\"}"), 422, "invalid", "until"), "and checked then "
	    "(too far ahead)");
	ok(rj(&form, "{\"name\": \"a\", \"colour\": \"blue\", \"until\": "
	    "\"nonsense\"}") == 1 && !v[F_UNTIL].present &&
	    *v[F_UNTIL].text == '\0', "and ignored when it does not");
	ok(rj(&form, "{\"name\": \"a\", \"skip\": 1}") == 1 &&
	    !v[F_SKIP].present, "a field without a name is not read");
	ok(refused(rf(&qform, 1, "state", "pink"), 400, "invalid", "state"),
	    "a query string's field is 400");
	ok(rf(&qform, 0) == 1 && !v[0].present, "and absent when not given");
}

int
main(void)
{
	a = arena_new(0);
	test_validators();
	test_text();
	test_int();
	test_bool();
	test_words();
	test_list();
	test_blank();
	test_conditions();
	arena_free(a);
	return tap_done();
}
