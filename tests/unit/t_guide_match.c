/*
 * t_guide_match.c: term rules: words and phrases matched literally at
 * word boundaries, regular expressions, spans in code points (emoji,
 * combining marks), refused patterns with their positions, and the
 * limits that stop hostile patterns, hostile texts and long checks.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "guide_match.h"
#include "log.h"
#include "tap.h"
#include "util.h"

static struct guide_rule *
rule(int64_t id, const char *pat, unsigned int flags, const char *repl)
{
	struct guide_rule	*r;
	struct guide_error	 err;

	if (!guide_rule_compile(id, pat, strlen(pat), flags, repl, &r, &err)) {
		printf("# could not compile %s: %s at %zu\n", pat, err.msg,
		    err.offset);
		return NULL;
	}
	return r;
}

/* Run rules over text; render the findings as "rule:start-end ...". */
static const char *
spans(struct guide_rule **rs, size_t n, const char *text,
    const struct guide_budget *bud, struct guide_result *res)
{
	static char	 out[4096];
	size_t		 i, o = 0;

	out[0] = '\0';
	if (!guide_match(rs, n, text, strlen(text), bud, res))
		return "(refused)";
	for (i = 0; i < res->nfindings && o < sizeof(out) - 64; i++)
		o += snprintf(out + o, sizeof(out) - o, "%s%lld:%zu-%zu",
		    i ? " " : "", (long long)res->findings[i].rule,
		    res->findings[i].start, res->findings[i].end);
	return out;
}

/* Compile one rule, run it on text and free everything. */
static const char *
one(const char *pat, unsigned int flags, const char *text)
{
	static char		 out[4096];
	struct guide_rule	*r;
	struct guide_result	 res;

	if ((r = rule(1, pat, flags, NULL)) == NULL)
		return "(not compiled)";
	snprintf(out, sizeof(out), "%s", spans(&r, 1, text, NULL, &res));
	guide_result_free(&res);
	guide_rule_free(r);
	return out;
}

static void
test_words(void)
{
	struct guide_rule	*r;
	struct guide_result	 res;

	r = rule(7, "guaranteed", 0, "designed to");
	is_str(spans(&r, 1, "Results Guaranteed! Not unguaranteed, not "
	    "guaranteedly, but guaranteed_x and guaranteed.", NULL, &res),
	    "7:8-18 7:77-87", "a word matches whole words in any case");
	ok(res.nfindings > 0 && res.findings[0].replacement != NULL &&
	    strcmp(res.findings[0].replacement, "designed to") == 0,
	    "a finding carries the rule's replacement");
	is_int(res.stopped, GUIDE_STOP_NONE, "nothing stopped the check");
	guide_result_free(&res);
	guide_rule_free(r);

	is_str(one("C++", 0, "I like C++ and ABC++"), "1:7-10",
	    "punctuation is literal, and a non-word edge needs no boundary");
	is_str(one("a.b", 0, "axb a.b"), "1:4-7", "a dot is not a wildcard");
	is_str(one("(x", 0, "f(x) (x"), "1:1-3 1:5-7",
	    "a parenthesis is literal, not a group");
	is_str(one("a\\E.*", 0, "a\\E.* aEEE"), "1:0-5",
	    "\\E cannot end the quoting of a phrase");
	is_str(one("#launch", 0, "(#launch) #launched"), "1:1-8",
	    "the word edge of #launch still needs a boundary");
	is_str(one("  guaranteed   results ", 0,
	    "guaranteed \n\t results, guaranteedresults"), "1:0-21",
	    "a phrase's spaces match any run of white space; it is trimmed");
	is_str(one("NASA", GUIDE_CASE, "nasa Nasa NASA"), "1:10-14",
	    "GUIDE_CASE makes a rule case-sensitive");
	is_str(one("été", 0, "ÉTÉ, Été et étés"), "1:0-3 1:5-8",
	    "case-insensitive beyond ASCII");
	is_str(one("ärger", 0, "Ärger Ärgernis"), "1:0-5",
	    "letters beyond ASCII are word characters");
	is_str(one("cafe", 0, "\xc3\xbc" "cafe e\xcc\x81" "cafe x\ncafe"),
	    "1:15-19", "a letter beyond ASCII or a combining mark before "
	    "a word is a word character; a line break is not");
	is_str(one("9 lives", 0, "99 lives, 9 lives"), "1:10-17",
	    "a phrase that starts with a digit needs its boundary too");
}

static void
test_spans(void)
{
	/* U+1F44D is one code point of four bytes. */
	is_str(one("guaranteed", 0, "\xf0\x9f\x91\x8d guaranteed"),
	    "1:2-12", "an emoji counts as one code point");
	/* Woman, ZWJ, laptop: three code points drawn as one. */
	is_str(one("guaranteed", 0,
	    "\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x92\xbb guaranteed"),
	    "1:4-14", "a ZWJ sequence counts its code points");
	/* cafe + U+0301 COMBINING ACUTE ACCENT is "café" decomposed. */
	is_str(one("cafe", 0, "cafe\xcc\x81 cafe"), "1:6-10",
	    "a combining mark continues the word: no match inside it");
	is_str(one("cafe\xcc\x81", 0, "un cafe\xcc\x81."), "1:3-8",
	    "a decomposed phrase spans its combining mark");
	is_str(one("caf\xc3\xa9", 0, "cafe\xcc\x81"), "",
	    "no normalisation: precomposed does not match decomposed");
	is_str(one("\xc3\xa9t\xc3\xa9", 0, "\xc3\xa9t\xc3\xa9"), "1:0-3",
	    "a text of two-byte characters is counted in characters");
}

static void
test_regex(void)
{
	struct guide_rule	*rs[3];
	struct guide_result	 res;

	is_str(one("promis(e|ed|ing)\\b", GUIDE_REGEX,
	    "We PROMISE, we promised, promising promises."),
	    "1:3-10 1:15-23 1:25-34", "a regular expression, case-insensitive");
	is_str(one("x*", GUIDE_REGEX, "ab xx c"), "1:3-5",
	    "empty matches are never findings");
	is_str(one("\\d+", GUIDE_REGEX, "a ١٢٣ 45"), "1:2-5 1:6-8",
	    "Unicode digits match \\d (UCP)");
	is_str(one("^", GUIDE_REGEX, "abc"), "", "an anchor alone finds nothing");

	rs[0] = rule(3, "secret", 0, NULL);
	rs[1] = rule(1, "project\\s+\\w+", GUIDE_REGEX, NULL);
	rs[2] = rule(2, "Orion", 0, "the new product");
	is_str(spans(rs, 3, "Project Orion is secret; project orion.", NULL,
	    &res), "1:0-13 2:8-13 3:17-23 1:25-38 2:33-38",
	    "findings of several rules sorted by start, end and rule");
	guide_result_free(&res);
	ok(guide_rule_id(rs[2]) == 2, "guide_rule_id");
	guide_rule_free(rs[0]);
	guide_rule_free(rs[1]);
	guide_rule_free(rs[2]);
	guide_rule_free(NULL);
}

/* The pattern must be refused with msg containing want at offset at. */
static void
refused(const char *pat, size_t len, unsigned int flags, const char *want,
    size_t at, const char *what)
{
	struct guide_rule	*r = (struct guide_rule *)1;
	struct guide_error	 err;
	int			 rc;

	rc = guide_rule_compile(1, pat, len, flags, NULL, &r, &err);
	ok(rc == 0 && r == NULL && strstr(err.msg, want) != NULL &&
	    err.offset == at, "%s", what);
	if (rc == 0)
		printf("#   message \"%s\" at %zu\n", err.msg, err.offset);
	else
		guide_rule_free(r);
}

static void
test_refused(void)
{
	char	 big[GUIDE_PATTERN_MAX + 1];

	refused("(abc", 4, GUIDE_REGEX, "missing closing parenthesis", 4,
	    "an unclosed group, at its end");
	/* Two-byte letters before the error: the offset counts characters. */
	refused("\xc3\xa9\xc3\xa9[z-a]", 9, GUIDE_REGEX, "out of order", 5,
	    "a reversed range, in characters not bytes");
	refused("ab\\", 3, GUIDE_REGEX, "\\ at end of pattern", 3,
	    "a trailing backslash");
	refused("a\\C", 3, GUIDE_REGEX, "\\C", 3, "\\C is not allowed");
	refused("", 0, 0, "empty", 0, "an empty word");
	refused(" \t ", 3, 0, "empty", 0, "a word of white space");
	refused("", 0, GUIDE_REGEX, "empty", 0, "an empty expression");
	refused("ab\xc3(", 4, 0, "not valid UTF-8", 2, "invalid UTF-8, located");
	refused("ab\0c", 4, GUIDE_REGEX, "NUL", 2, "a NUL byte");
	memset(big, 'a', sizeof(big));
	refused(big, GUIDE_PATTERN_MAX + 1, 0, "longer than", GUIDE_PATTERN_MAX,
	    "a pattern over the limit");
	big[GUIDE_PATTERN_MAX] = '\0';
	is_str(one(big, 0, big), "1:0-1000", "a pattern at the limit");
	is_str(one("((((((((((a))))))))))", GUIDE_REGEX, "a"), "1:0-1",
	    "nested groups under the nesting limit compile");
	refused("((((((((((((((((((((((((((((((((((((((((((((((((((((((((("
	    "((((((((((((((((a))))))))))))))))))))))))))))))))))))))))))))"
	    "))))))))))))))))))))))))", 137, GUIDE_REGEX, "too deeply nested",
	    65, "parentheses nested beyond the limit");
}

static void
test_limits(void)
{
	struct guide_rule	*rs[2];
	struct guide_result	 res;
	struct guide_budget	 bud;
	char			 text[4096];
	size_t			 i;

	/* Catastrophic backtracking: 2^40 ways to split the a's. */
	memset(text, 'a', 40);
	strcpy(text + 40, "! guaranteed");
	rs[0] = rule(1, "^(\\w+\\s?)*$", GUIDE_REGEX, NULL);
	rs[1] = rule(2, "guaranteed", 0, NULL);
	/*
	 * The limits on work, not a clock, end it: the time budget is lifted
	 * so that a loaded machine cannot make the test pass or fail by
	 * time.
	 */
	guide_budget_default(&bud);
	bud.max_usec = 600000000;
	is_str(spans(rs, 2, text, &bud, &res), "2:42-52",
	    "a hostile pattern finds nothing; the next rule still runs");
	ok(res.nlimited == 1 && res.limited[0].rule == 1 &&
	    (res.limited[0].why == GUIDE_STOP_MATCH ||
	    res.limited[0].why == GUIDE_STOP_DEPTH ||
	    res.limited[0].why == GUIDE_STOP_HEAP),
	    "the rule is reported as stopped by a limit (%s)",
	    res.nlimited ? guide_stop_name(res.limited[0].why) : "none");
	is_int(res.stopped, GUIDE_STOP_NONE, "the check itself completed");
	guide_result_free(&res);

	guide_budget_default(&bud);
	bud.match_limit = 1000;
	spans(rs, 1, text, &bud, &res);
	ok(res.nlimited == 1 && res.limited[0].why == GUIDE_STOP_MATCH,
	    "a lower match limit is the one reported");
	guide_result_free(&res);
	guide_rule_free(rs[0]);

	/* (?:a|b)+ keeps a backtracking point per character. */
	memset(text, 'a', 3000);
	strcpy(text + 3000, "!");
	rs[0] = rule(1, "(?:a|b)+c!", GUIDE_REGEX, NULL);
	guide_budget_default(&bud);
	bud.depth_limit = 100;
	spans(rs, 1, text, &bud, &res);
	ok(res.nlimited == 1 && res.limited[0].why == GUIDE_STOP_DEPTH,
	    "the depth limit (%s)",
	    res.nlimited ? guide_stop_name(res.limited[0].why) : "none");
	guide_result_free(&res);
	guide_rule_free(rs[0]);

	/* A hostile text: a finding at every other character. */
	for (i = 0; i < 2000; i++)
		text[i] = i % 2 ? ' ' : 'a';
	text[2000] = '\0';
	guide_budget_default(&bud);
	bud.max_findings = 50;
	spans(&rs[1], 1, text, &bud, &res);
	is_int(res.nfindings, 0, "the other rule has nothing in it");
	guide_result_free(&res);
	rs[0] = rule(1, "a", 0, NULL);
	spans(rs, 2, text, &bud, &res);
	ok(res.nfindings == 50 && res.stopped == GUIDE_STOP_FINDINGS &&
	    res.nlimited == 1 && res.limited[0].rule == 1,
	    "max_findings stops the check and names the rule (%zu)",
	    res.nfindings);
	guide_result_free(&res);

	bud.max_findings = 5000;
	bud.max_calls = 10;
	spans(rs, 2, text, &bud, &res);
	ok(res.nfindings == 10 && res.stopped == GUIDE_STOP_CALLS,
	    "max_calls bounds the pcre2_match() calls of a check (%zu)",
	    res.nfindings);
	guide_result_free(&res);

	bud.max_calls = 100000;
	bud.max_usec = 1;
	spans(rs, 2, text, &bud, &res);
	ok(res.stopped == GUIDE_STOP_TIME && res.nfindings < 1000,
	    "max_usec stops a long check (%zu findings)", res.nfindings);
	guide_result_free(&res);

	ok(!guide_match(rs, 2, "a\xff", 2, NULL, &res) && res.nfindings == 0,
	    "invalid UTF-8 text is refused");
	ok(!guide_match(rs, 2, "a\0a", 3, NULL, &res), "a NUL byte is refused");
	ok(guide_match(rs, 2, "", 0, NULL, &res) && res.nfindings == 0,
	    "an empty text has no findings");
	guide_rule_free(rs[0]);
	guide_rule_free(rs[1]);
}

int
main(void)
{
	log_setup(L_ERROR, "test");
	test_words();
	test_spans();
	test_regex();
	test_refused();
	test_limits();
	return tap_done();
}
