/*
 * t_guide_check.c: rule sets over a post's text: each kind's findings,
 * spans in code points, their order, and well-formed link hosts.
 */
#include "config.h"

#include <string.h>

#include "guide_check.h"
#include "tap.h"

/* The findings of the rules (JSON text) over title and body. */
static json_t *
run(const char *rules, const char *title, const char *body,
    const char *const *tags, size_t ntags, const char *const *ch,
    size_t nch)
{
	struct guide_text	 t = { title, body, tags, ntags, ch, nch };
	json_t			*r = json_loads(rules, 0, NULL), *out;

	out = json_array();
	guide_check(r, &t, out);
	json_decref(r);
	return out;
}

/* Member name of finding i of out, as text ("-" for null). */
static const char *
f_str(json_t *out, size_t i, const char *name)
{
	json_t	*v = json_object_get(json_array_get(out, i), name);

	return json_is_null(v) ? "-" : json_string_value(v);
}

static long long
f_int(json_t *out, size_t i, const char *name)
{
	json_t	*v = json_object_get(json_array_get(out, i), name);

	return json_is_null(v) ? -1 : json_integer_value(v);
}

#define TERM	"{\"id\": 7, \"kind\": \"term\", \"message\": \"No promises\", " \
		"\"fields\": {\"pattern\": \"guaranteed\", \"regex\": false, " \
		"\"case_sensitive\": false, \"replacement\": \"designed to\"}}"

int
main(void)
{
	static const char *const tags[] = { "evnts", "Sponsored" };
	static const char *const x[] = { "x" };
	json_t	*out;
	char	 body[400];

	out = run("[" TERM "]", "Guaranteed", "🎉 e\xcc\x81 guaranteed!", NULL,
	    0, NULL, 0);
	is_int(json_array_size(out), 2, "a term in the title and the body");
	is_str(f_str(out, 0, "field"), "title", "the title first");
	is_int(f_int(out, 1, "start"), 5, "a span counts code points: an "
	    "emoji one, a combining mark one");
	is_int(f_int(out, 1, "end"), 15, "and ends after the word");
	is_str(f_str(out, 1, "replacement"), "designed to", "with the "
	    "rule's replacement");
	is_str(f_str(out, 1, "message"), "No promises", "and its message");
	json_decref(out);

	out = run("[{\"id\": 3, \"kind\": \"tags\", \"message\": \"m\", "
	    "\"fields\": {\"allowed\": [\"events\", \"sponsored\"], "
	    "\"required\": true}}]", "", "", tags, 2, NULL, 0);
	is_int(json_array_size(out), 1, "an allowed tag up to case is "
	    "no finding");
	is_str(f_str(out, 0, "replacement"), "events", "an unknown tag "
	    "gets the nearest allowed one");
	ok(f_int(out, 0, "start") == -1 && f_int(out, 0, "end") == -1,
	    "a tag's finding has no span");
	json_decref(out);
	out = run("[{\"id\": 3, \"kind\": \"tags\", \"message\": \"m\", "
	    "\"fields\": {\"allowed\": [\"events\"], \"required\": true}}]",
	    "", "", NULL, 0, NULL, 0);
	is_int(json_array_size(out), 1, "no tag at all when one is required");
	json_decref(out);

	memset(body, 'a', 300);
	strcpy(body + 10, " https://example.org/a/very/long/path/indeed ");
	body[strlen(body)] = 'a';
	body[300] = '\0';
	out = run("[{\"id\": 4, \"kind\": \"length\", \"message\": \"m\", "
	    "\"fields\": {\"channel\": \"x\", \"limit\": 270, "
	    "\"link_length\": 23}}]", "", body, NULL, 0, x, 1);
	is_int(json_array_size(out), 1, "a body past the limit");
	is_int(f_int(out, 0, "start"), 290, "counted with its link of 43 "
	    "characters as 23");
	is_int(f_int(out, 0, "end"), 300, "to the end of the body");
	json_decref(out);
	out = run("[{\"id\": 4, \"kind\": \"length\", \"message\": \"m\", "
	    "\"fields\": {\"channel\": \"x\", \"limit\": 280, "
	    "\"link_length\": 23}}]", "", body, NULL, 0, NULL, 0);
	is_int(json_array_size(out), 0, "a channel the post does not target "
	    "finds nothing");
	json_decref(out);

	out = run("[{\"id\": 5, \"kind\": \"disclosure\", \"message\": \"m\", "
	    "\"fields\": {\"tags\": [], \"terms\": [\"paid partnership\"], "
	    "\"sentence\": \"#ad\"}}]", "", "A paid   partnership.", NULL, 0,
	    NULL, 0);
	is_int(f_int(out, 0, "start"), 21, "a missing disclosure is an "
	    "insertion at the end");
	is_str(f_str(out, 0, "replacement"), "\n\n#ad", "of the sentence");
	json_decref(out);
	out = run("[{\"id\": 5, \"kind\": \"disclosure\", \"message\": \"m\", "
	    "\"fields\": {\"tags\": [\"sponsored\"], \"terms\": [], "
	    "\"sentence\": \"#ad\"}}]", "", "Hello #ad", tags, 2, NULL, 0);
	is_int(json_array_size(out), 0, "a disclosure made is no finding");
	json_decref(out);

	out = run("[{\"id\": 9, \"kind\": \"links\", \"message\": \"m\", "
	    "\"fields\": {}}, {\"id\": 8, \"kind\": \"quiet\", \"message\": "
	    "\"q\", \"fields\": {\"terms\": [\"merger\"]}}]", "",
	    "merger http://a..b/ http://ok.org/", NULL, 0, NULL, 0);
	is_int(json_array_size(out), 2, "a quiet term and a malformed link");
	ok(f_int(out, 0, "rule") == 8 && f_int(out, 1, "rule") == 9,
	    "sorted by position");
	json_decref(out);
	out = run("[{\"id\": 1, \"kind\": \"poem\", \"message\": \"m\", "
	    "\"fields\": {}}, {\"id\": 2, \"kind\": \"term\", \"message\": "
	    "\"m\", \"fields\": {\"pattern\": \"(\", \"regex\": true}}]", "",
	    "text (", NULL, 0, NULL, 0);
	is_int(json_array_size(out), 0, "unknown kinds and invalid "
	    "patterns are skipped");
	json_decref(out);

#define WF(s)	guide_link_wellformed(s, strlen(s))
	ok(WF("https://example.org/x") && WF("http://localhost:8080/") &&
	    WF("http://[::1]:80/") && WF("https://sub.exa-mple.co.uk") &&
	    WF("https://bücher.de/"), "well-formed hosts");
	ok(!WF("https://a..b/") && !WF("http://-a.org/") &&
	    !WF("http://a-.org") && !WF("http://intranet/") &&
	    !WF("http://user@example.org/") && !WF("http://a.org:99999/") &&
	    !WF("http://a.org:/") && !WF("http://[zz]/") &&
	    !WF("http://a_b.org/"), "malformed hosts");
	return tap_done();
}
