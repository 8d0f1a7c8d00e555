/* t_markdown.c: CommonMark rendering is safe and marks external links. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "markdown.h"
#include "tap.h"

static char *
md(const char *src)
{
	static struct buf	 b;

	buf_free(&b);
	if (!markdown_html(src, strlen(src), &b))
		return NULL;
	return b.data ? b.data : "";
}

#define has(s, sub)	(strstr((s), (sub)) != NULL)

int
main(void)
{
	struct buf	 b;
	char		*big, *s;

	s = md("# Title\n\nSome *emphasis* and `code`.\n");
	ok(has(s, "<h2>Title</h2>") && has(s, "<em>emphasis</em>") &&
	    has(s, "<code>code</code>"), "CommonMark renders, a heading one "
	    "level below the page's <h1>");
	s = md("### Three\n\n###### Six\n");
	ok(has(s, "<h4>Three</h4>") && has(s, "<h6>Six</h6>") &&
	    !has(s, "<h7"), "each heading goes down one level, the sixth "
	    "stays the last");

	s = md("a <script>alert(1)</script> b\n\n<div onclick=\"x\">d</div>\n");
	ok(!has(s, "<script") && !has(s, "<div") && !has(s, "onclick"),
	    "raw HTML is omitted: %s", s);

	s = md("[x](javascript:alert(1)) [y](vbscript:x) [z](file:///etc/passwd)\n");
	ok(!has(s, "javascript:") && !has(s, "vbscript:") && !has(s, "file:"),
	    "dangerous link schemes are dropped: %s", s);
	/* What cmark before 0.29 passed through unless told to be safe. */
	s = md("x <img src=x onerror=alert(1)> <a href=\"javascript:x\">c</a>"
	    "\n\n<iframe src=\"//e.org\"></iframe>\n\n"
	    "[a](JaVaScRiPt:alert(1)) [b](jav&#x61;script:alert(2)) "
	    "<javascript:alert(3)> [r]\n\n[r]: javascript:alert(4)\n");
	ok(!has(s, "<img") && !has(s, "onerror") && !has(s, "<iframe") &&
	    !has(s, "href=\"javascript") && !has(s, "href=\"JaVaScRiPt") &&
	    has(s, "<!-- raw HTML omitted -->") &&
	    has(s, "<a href=\"\">a</a>") && has(s, "<a href=\"\">b</a>") &&
	    has(s, "<a href=\"\">r</a>"), "raw HTML and javascript: links "
	    "(any case, escaped, autolinked, by reference) are dropped: %s", s);
	s = md("![i](data:text/html;base64,PHNjcmlwdD4=)\n");
	ok(!has(s, "data:text/html"), "a data: URL that is no image is "
	    "dropped: %s", s);

	s = md("[ext](https://example.org/p) [rel](/units/a) [proto](//e.org)\n");
	ok(has(s, "<a href=\"https://example.org/p\" rel=\"nofollow noopener\">"
	    "ext</a>"), "an external link gets rel=nofollow noopener: %s", s);
	ok(has(s, "<a href=\"/units/a\">rel</a>"), "a local link does not");
	ok(has(s, "<a href=\"//e.org\" rel=\"nofollow noopener\">"),
	    "a protocol-relative link is external");
	s = md("[**bold** link](HTTP://E.ORG \"the \\\"title\\\" <b>\")\n");
	ok(has(s, "rel=\"nofollow noopener\" title=\"the &quot;title&quot; "
	    "&lt;b&gt;\"><strong>bold</strong> link</a>"),
	    "children and an escaped title survive the rewrite: %s", s);
	s = md("[q](https://e.org/?a=\"><script>)\n");
	ok(!has(s, "<script>") && !has(s, "\"><"), "an attribute breaker in "
	    "the URL stays inside the attribute: %s", s);
	s = md("<https://auto.example/>\n");
	ok(has(s, "rel=\"nofollow noopener\">https://auto.example/</a>"),
	    "autolinks are external links too: %s", s);

	s = md("bad \xff\xfe bytes\n");
	ok(s != NULL && has(s, "\xef\xbf\xbd"), "invalid UTF-8 is replaced");
	s = md("");
	ok(s != NULL && *s == '\0', "empty input renders nothing");

	big = malloc(MARKDOWN_MAX + 2);
	memset(big, 'a', MARKDOWN_MAX + 1);
	big[MARKDOWN_MAX + 1] = '\0';
	buf_init(&b);
	ok(markdown_html(big, MARKDOWN_MAX + 1, &b) == 0 && b.len == 0,
	    "input over MARKDOWN_MAX is refused and nothing is written");
	free(big);
	buf_free(&b);
	md("");
	return tap_done();
}
