/*
 * t_mustache.c: what the project needs of its Mustache engine beyond the
 * specification: escaping, error positions, missing partials, limits on
 * recursion and work, value formatting, layouts, reuse of templates.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>

#include "buf.h"
#include "mustache.h"
#include "tap.h"
#include "util.h"
#include "views.h"

static char	 result[1 << 16];

/*
 * Render text over data (JSON text, NULL for none) with partials, a
 * NULL-terminated list of name, text pairs.  Returns the output, or
 * "ERROR: message" when compiling or rendering fails.
 */
static const char *
render_esc(const char *text, const char *data, const char *const *partials,
    enum mustache_esc esc)
{
	struct mustache_set	*set = mustache_set_new();
	struct mustache		*t;
	struct buf		 out;
	json_t			*ctx = NULL;
	char			 err[256];

	buf_init(&out);
	if (data != NULL && (ctx = json_loads(data, JSON_DECODE_ANY,
	    NULL)) == NULL) {
		snprintf(result, sizeof(result), "ERROR: bad test data");
		goto out;
	}
	for (; partials != NULL && partials[0] != NULL; partials += 2)
		if (!mustache_set_add(set, partials[0], partials[1],
		    strlen(partials[1]), err, sizeof(err))) {
			snprintf(result, sizeof(result), "ERROR: %s", err);
			goto out;
		}
	if ((t = mustache_compile("t.html", text, strlen(text), err,
	    sizeof(err))) == NULL) {
		snprintf(result, sizeof(result), "ERROR: %s", err);
		goto out;
	}
	if (mustache_render(t, set, ctx, esc, &out, err, sizeof(err)))
		snprintf(result, sizeof(result), "%s", out.data);
	else
		snprintf(result, sizeof(result), "ERROR: %s", err);
	mustache_free(t);
out:
	json_decref(ctx);
	buf_free(&out);
	mustache_set_free(set);
	return result;
}

static const char *
render(const char *text, const char *data, const char *const *partials)
{
	return render_esc(text, data, partials, MUSTACHE_ESC_HTML);
}

/* The message of a template that must not compile, or "compiled". */
static const char *
compile_error(const char *text)
{
	struct mustache	*t;

	t = mustache_compile("t.html", text, strlen(text), result,
	    sizeof(result));
	if (t == NULL)
		return result;
	mustache_free(t);
	return "compiled";
}

static void
test_escaping(void)
{
	const char	*d = "{\"x\": \"& < > \\\" '\", \"u\": \"caf\\u00e9\"}";

	is_str(render("{{x}}", d, NULL), "&amp; &lt; &gt; &quot; &#39;",
	    "{{x}} escapes & < > \" '");
	is_str(render("{{{x}}}", d, NULL), "& < > \" '",
	    "{{{x}}} does not escape");
	is_str(render("{{&x}}", d, NULL), "& < > \" '",
	    "{{&x}} does not escape");
	is_str(render("{{u}}", d, NULL), "caf\xc3\xa9",
	    "UTF-8 passes through");
	is_str(render_esc("{{x}}", d, NULL, MUSTACHE_ESC_NONE), "& < > \" '",
	    "MUSTACHE_ESC_NONE does not escape {{x}}");
	is_str(render("<a title=\"{{x}}\">", d, NULL),
	    "<a title=\"&amp; &lt; &gt; &quot; &#39;\">",
	    "an escaped value cannot leave an attribute");
	is_str(render("<{{x}}>", "{\"x\": \"\"}", NULL), "<>",
	    "an empty string is nothing");
	ok(mustache_esc_for("page.html") == MUSTACHE_ESC_HTML, ".html escapes");
	ok(mustache_esc_for("feed.xml") == MUSTACHE_ESC_HTML, ".xml escapes");
	ok(mustache_esc_for("mail.txt") == MUSTACHE_ESC_NONE,
	    ".txt does not escape");
	ok(mustache_esc_for("txt") == MUSTACHE_ESC_HTML,
	    "a name that is not a .txt escapes");
}

static void
test_values(void)
{
	const char	*d = "{\"i\": 85, \"neg\": -3, \"big\": 9007199254740993,"
	    " \"r\": 1.21, \"tenth\": 0.1, \"half\": 2.5, \"huge\": 1e300,"
	    " \"whole\": 3.0, \"t\": true, \"f\": false, \"n\": null,"
	    " \"o\": {\"a\": 1}, \"a\": [1, 2]}";

	is_str(render("{{i}} {{neg}} {{big}}", d, NULL),
	    "85 -3 9007199254740993", "integers in decimal");
	is_str(render("{{z}} {{min}} {{max}}", "{\"z\": 0, \"min\": "
	    "-9223372036854775808, \"max\": 9223372036854775807}", NULL),
	    "0 -9223372036854775808 9223372036854775807",
	    "zero and the integers' ends in decimal");
	is_str(render("{{r}} {{tenth}} {{half}} {{huge}} {{whole}}", d, NULL),
	    "1.21 0.1 2.5 1e+300 3", "reals in their shortest form");
	is_str(render("{{t}} {{f}}", d, NULL), "true false",
	    "booleans as words");
	is_str(render("[{{n}}][{{o}}][{{a}}][{{missing}}]", d, NULL),
	    "[][][][]", "null, objects, arrays and misses as nothing");
	is_str(render("{{#a}}{{.}},{{/a}}", d, NULL), "1,2,",
	    "an array iterates");
	is_str(render("{{o.a}}/{{#o}}{{a}}{{/o}}", d, NULL), "1/1",
	    "a dotted name and a section on an object");
	is_str(render("{{.}}", "\"top\"", NULL), "top",
	    "the context may be a string");
	is_str(render("{{x}}|{{.}}|{{#x}}no{{/x}}", NULL, NULL), "||",
	    "no data at all is an empty context");
}

static void
test_truthiness(void)
{
	const char	*d = "{\"s\": \"\", \"zero\": 0, \"o\": {}, \"e\": [],"
	    " \"n\": null, \"f\": false}";

	is_str(render("{{#s}}s{{/s}}{{#zero}}0{{/zero}}{{#o}}o{{/o}}", d,
	    NULL), "s0o", "\"\", 0 and {} are truthy");
	is_str(render("{{^e}}e{{/e}}{{^n}}n{{/n}}{{^f}}f{{/f}}{{^m}}m{{/m}}",
	    d, NULL), "enfm", "[], null, false and a miss are falsy");
	is_str(render("{{#s}}[{{.}}]{{/s}}", "{\"s\": \"str\"}", NULL),
	    "[str]", "a section over a string pushes it");
}

static void
test_errors(void)
{
	char	 small[10];
	char	 deep[MUSTACHE_MAX_DEPTH * 8 + 8];
	size_t	 i;

	is_str(compile_error("a\n  {{#sec}}x"),
	    "t.html:2:3: unclosed section 'sec'", "unclosed section");
	is_str(compile_error("{{#a}}{{^b}}{{/b}}"),
	    "t.html:1:1: unclosed section 'a'", "unclosed outer section");
	is_str(compile_error("x\n{{$b}}"), "t.html:2:1: unclosed block 'b'",
	    "unclosed block");
	is_str(compile_error("{{<p}}"), "t.html:1:1: unclosed parent 'p'",
	    "unclosed parent");
	is_str(compile_error("{{#a}}\n {{/b}}"), "t.html:2:2: closing tag "
	    "'b' does not match section 'a' opened at 1:1",
	    "mismatched closing tag");
	is_str(compile_error("{{#a}}{{#b}}{{/a}}{{/b}}"), "t.html:1:13: "
	    "closing tag 'a' does not match section 'b' opened at 1:7",
	    "crossed closing tags");
	is_str(compile_error("ok\n{{/a}}"),
	    "t.html:2:1: closing tag 'a' without an opening tag",
	    "closing tag without opening tag");
	is_str(compile_error("x\nab {{name"), "t.html:2:4: unclosed tag",
	    "unclosed tag");
	is_str(compile_error("{{{x}}"), "t.html:1:1: unclosed tag",
	    "unclosed triple mustache");
	is_str(compile_error("{{! no end"), "t.html:1:1: unclosed tag",
	    "unclosed comment");
	is_str(compile_error("a {{"), "t.html:1:3: unclosed tag",
	    "opening delimiter at the end");
	is_str(compile_error("{{=<% %>=}}\n<% x"), "t.html:2:1: unclosed tag",
	    "unclosed tag with changed delimiters");
	is_str(compile_error("\r\n  {{x"), "t.html:2:3: unclosed tag",
	    "CRLF line endings count as one line");
	is_str(compile_error("{{=<% =}}"),
	    "t.html:1:1: invalid delimiter change '<%'",
	    "delimiter change with one delimiter");
	is_str(compile_error("a\n{{= =}}"),
	    "t.html:2:1: invalid delimiter change ''",
	    "delimiter change with none");
	is_str(compile_error("{{=a b c=}}"),
	    "t.html:1:1: invalid delimiter change 'a b c'",
	    "delimiter change with three");
	is_str(compile_error("{{=<% %>}}"), "t.html:1:1: unclosed tag",
	    "delimiter change without its closing '='");
	is_str(compile_error("{{}}"), "t.html:1:1: empty tag", "empty tag");
	is_str(compile_error("{{#}}{{/}}"), "t.html:1:1: empty tag",
	    "empty section name");
	is_str(compile_error("{{>}}"), "t.html:1:1: empty tag",
	    "empty partial name");
	is_str(compile_error("{{a b}}"), "t.html:1:1: invalid name 'a b'",
	    "a name with a space");
	is_str(compile_error("{{a..b}}"), "t.html:1:1: invalid name 'a..b'",
	    "a name with an empty part");
	is_str(compile_error("{{.a}}"), "t.html:1:1: invalid name '.a'",
	    "a name starting with a dot");
	is_str(compile_error("{{#a.}}{{/a.}}"),
	    "t.html:1:1: invalid name 'a.'", "a name ending with a dot");
	is_str(compile_error("{{>my.partial.html}}{{! any text . }}"),
	    "compiled", "partial names and comments may hold dots");

	for (i = 0; i <= MUSTACHE_MAX_DEPTH; i++)
		memcpy(deep + i * 6, "{{#a}}", 6);
	deep[i * 6] = '\0';
	is_str(compile_error(deep), "t.html:1:1537: section nested too deeply",
	    "too deep a nesting does not compile");

	ok(mustache_compile("t.html", "{{#a}}", 6, small,
	    sizeof(small)) == NULL && strcmp(small, "t.html:1:") == 0,
	    "a short error buffer gets a truncated message");
	ok(mustache_compile("t.html", "{{#a}}", 6, NULL, 0) == NULL,
	    "no error buffer at all is allowed");
}

static void
test_partials(void)
{
	const char	*p[] = { "p", "[{{x}}]", NULL };

	is_str(render("a{{>nope}}b", NULL, NULL), "ab",
	    "a missing partial is empty, without a set");
	is_str(render("a{{>nope}}b", NULL, p), "ab",
	    "a missing partial is empty, with a set");
	is_str(render("a\n  {{>nope}}\nb", NULL, p), "a\nb",
	    "a missing standalone partial takes its line");
	is_str(render("{{<nope}}{{$b}}x{{/b}}{{/nope}}|", NULL, p), "|",
	    "a missing parent is empty");
	is_str(render("{{#list}}{{>p}}{{/list}}",
	    "{\"x\": 0, \"list\": [{\"x\": 1}, {\"x\": 2}, {}]}", p),
	    "[1][2][0]", "a partial sees the context stack");
}

static void
test_recursion(void)
{
	const char	*self[] = { "self", "x{{>self}}", NULL };
	const char	*mutual[] = { "a", "{{>b}}", "b", "\n  {{>a}}\n", NULL };
	const char	*twice[] = { "s", "{{>s}}{{>s}}", NULL };
	const char	*parent[] = { "p", "{{<p}}{{/p}}", NULL };
	const char	*block[] = { "p", "{{$b}}{{/b}}", NULL };
	const char	*nest[] = { "n", "{{#a}}{{>n}}{{/a}}", NULL };
	struct mustache_set	*set;
	const struct mustache	*t;
	struct buf		 out;
	char			 err[256];

	is_str(render("{{>self}}", NULL, self), "ERROR: self:1:2: partial "
	    "'self' nested too deeply (recursion?)",
	    "a partial including itself stops with an error");
	ok(strncmp(render("{{>a}}", NULL, mutual), "ERROR: ", 7) == 0 &&
	    strstr(result, "nested too deeply") != NULL,
	    "partials including each other stop with an error");
	ok(strncmp(render("{{>s}}", NULL, twice), "ERROR: ", 7) == 0,
	    "a partial including itself twice stops quickly");
	is_str(render("{{<p}}{{/p}}", NULL, parent), "ERROR: p:1:1: parent "
	    "'p' nested too deeply (recursion?)",
	    "a parent inheriting from itself stops with an error");
	ok(strncmp(render("{{<p}}{{$b}}x{{$b}}{{/b}}{{/b}}{{/p}}", NULL,
	    block), "ERROR: ", 7) == 0 && strstr(result, "block 'b'") != NULL,
	    "a block argument containing itself stops with an error");
	ok(strncmp(render("{{>n}}", "{\"a\": true}", nest), "ERROR: ",
	    7) == 0, "recursion through a section stops with an error");
	is_str(render("{{>n}}", "{\"a\": false}", nest), "",
	    "a recursive partial that ends is fine");

	set = mustache_set_new();
	ok(mustache_set_add(set, "self", "x{{>self}}", 10, err, sizeof(err)),
	    "set_add compiles");
	t = mustache_set_get(set, "self");
	buf_init(&out);
	buf_puts(&out, "kept");
	ok(t != NULL && !mustache_render(t, set, NULL, MUSTACHE_ESC_HTML,
	    &out, err, sizeof(err)) && strcmp(out.data, "kept") == 0 &&
	    out.len == 4, "a failed render leaves the buffer as it was");
	buf_free(&out);
	mustache_set_free(set);
}

static void
test_limits(void)
{
	char	 text[4096], *big;
	size_t	 i, o = 0;

	/* 2^30 renders of the innermost body: too many steps. */
	for (i = 0; i < 30; i++)
		o += (size_t)snprintf(text + o, sizeof(text) - o, "{{#l}}");
	o += (size_t)snprintf(text + o, sizeof(text) - o, "x");
	for (i = 0; i < 30; i++)
		o += (size_t)snprintf(text + o, sizeof(text) - o, "{{/l}}");
	ok(strncmp(render(text, "{\"l\": [1, 2]}", NULL), "ERROR: ", 7) == 0 &&
	    strstr(result, "steps") != NULL,
	    "an exponential template runs out of steps");

	/* 2^15 copies of 4 KiB: 128 MiB, too much output. */
	big = xmalloc(8192);
	for (o = 0, i = 0; i < 15; i++)
		o += (size_t)snprintf(big + o, 8192 - o, "{{#l}}");
	memset(big + o, 'x', 4096);
	o += 4096;
	for (i = 0; i < 15; i++)
		o += (size_t)snprintf(big + o, 8192 - o, "{{/l}}");
	ok(strncmp(render(big, "{\"l\": [1, 2]}", NULL), "ERROR: ", 7) == 0 &&
	    strstr(result, "output larger") != NULL,
	    "a template writing too much stops with an error");
	free(big);
}

static void
test_layout(void)
{
	const char	*p[] = {
		"layout.html",
		"<html>\n"
		"<title>{{$title}}Site{{/title}}</title>\n"
		"<body>\n"
		"  {{$content}}\n"
		"  <p>nothing here</p>\n"
		"  {{/content}}\n"
		"  {{>footer.html}}\n"
		"</body>\n",
		"footer.html", "<footer>\n  {{site}}\n</footer>\n",
		"row.html", "<li>{{name}}</li>\n",
		NULL
	};

	is_str(render("{{<layout.html}}\n"
	    "{{$title}}{{name}} &middot; Site{{/title}}\n"
	    "{{$content}}\n"
	    "<ul>\n"
	    "  {{#rows}}\n"
	    "  {{>row.html}}\n"
	    "  {{/rows}}\n"
	    "</ul>\n"
	    "{{/content}}\n"
	    "{{/layout.html}}\n",
	    "{\"name\": \"<Unit>\", \"site\": \"S\", \"rows\": [{\"name\": \"a\"},"
	    " {\"name\": \"b\"}]}", p),
	    "<html>\n"
	    "<title>&lt;Unit&gt; &middot; Site</title>\n"
	    "<body>\n"
	    "  <ul>\n"
	    "    <li>a</li>\n"
	    "    <li>b</li>\n"
	    "  </ul>\n"
	    "  <footer>\n"
	    "    S\n"
	    "  </footer>\n"
	    "</body>\n",
	    "a page fills the blocks of its layout, indented");
	is_str(render("{{<layout.html}}{{/layout.html}}", "{\"site\": \"S\"}",
	    p),
	    "<html>\n<title>Site</title>\n<body>\n  <p>nothing here</p>\n"
	    "  <footer>\n    S\n  </footer>\n</body>\n",
	    "a layout alone renders its defaults");
}

/* A parent used as a parameterised partial, as forms use their fields. */
static void
test_parent_partial(void)
{
	const char	*p[] = {
		"layout", "<main>{{$content}}{{/content}}</main>",
		"field", "<div>{{$label}}?{{/label}}:{{$input}}{{x}}{{/input}}"
		    "</div>",
		"card", "[{{$title}}card{{/title}}|{{$content}}-{{/content}}]",
		NULL
	};

	is_str(render("{{<field}}{{$label}}A{{/label}}{{/field}}"
	    "{{<field}}{{$input}}<b>{{/input}}{{/field}}", "{\"x\": \"<\"}", p),
	    "<div>A:&lt;</div><div>?:<b></div>",
	    "one parent twice: each use has its own arguments, the rest "
	    "defaults");
	is_str(render("{{#list}}{{<field}}{{$label}}{{n}}{{/label}}{{/field}}"
	    "{{/list}}", "{\"x\": 0, \"list\": [{\"n\": 1}, {\"n\": 2, "
	    "\"x\": 9}]}", p),
	    "<div>1:0</div><div>2:9</div>",
	    "arguments and defaults see the context where the parent is used");
	is_str(render("{{<layout}}{{$content}}{{<field}}{{$label}}L"
	    "{{/label}}{{/field}}{{/content}}{{/layout}}", "{\"x\": 1}", p),
	    "<main><div>L:1</div></main>",
	    "a parent inside the argument of another parent");
	/*
	 * The outermost argument has the last word on a block, also inside
	 * a parent nested in it: a field partial reusing the layout's block
	 * name would take the page's content, itself included.
	 */
	ok(strncmp(render("{{<layout}}{{$content}}{{<card}}{{$title}}T"
	    "{{/title}}{{/card}}{{/content}}{{/layout}}", NULL, p), "ERROR: ",
	    7) == 0 && strstr(result, "nested too deeply") != NULL,
	    "a nested parent's block named like an outer argument takes that "
	    "argument: the recursion stops with an error");
	is_str(render("{{<field}}{{$label}}A{{/label}}{{$nope}}N{{/nope}}"
	    "text{{/field}}", NULL, p), "<div>A:</div>",
	    "an argument the parent has no block for, and text beside the "
	    "arguments, are dropped");
}

/* Render text with the views of templates/ as its partials. */
static const char *
render_views(struct mustache_set *views, const char *text, const char *data)
{
	struct mustache	*t;
	struct buf	 out;
	json_t		*ctx = json_loads(data, 0, NULL);
	char		 err[256];

	buf_init(&out);
	if ((t = mustache_compile("t.html", text, strlen(text), err,
	    sizeof(err))) == NULL)
		snprintf(result, sizeof(result), "ERROR: %s", err);
	else if (mustache_render(t, views, ctx, MUSTACHE_ESC_HTML, &out, err,
	    sizeof(err)))
		snprintf(result, sizeof(result), "%s", out.data);
	else
		snprintf(result, sizeof(result), "ERROR: %s", err);
	mustache_free(t);
	json_decref(ctx);
	buf_free(&out);
	return result;
}

/* The form field of templates/field.html and field_hint.html. */
static void
test_field_views(void)
{
	static const char	 plain[] =
	    "{{<field}}{{$name}}email{{/name}}{{$label}}E-mail{{/label}}\n"
	    "{{$invalid}}{{#errors.email}}{{$show}}{{/show}}{{/errors.email}}"
	    "{{/invalid}}\n"
	    "{{$control}}\n"
	    "<input id=\"email\" value=\"{{values.email}}\"{{$aria}}{{/aria}}>\n"
	    "{{/control}}\n"
	    "{{/field}}\n";
	static const char	 hinted[] =
	    "{{#qs}}\n"
	    "{{<field_hint}}{{$name}}q-{{id}}{{/name}}{{$label}}Q{{/label}}\n"
	    "{{$invalid}}{{#error}}{{$show}}{{/show}}{{/error}}{{/invalid}}\n"
	    "{{$hint_text}}Why {{id}}{{/hint_text}}\n"
	    "{{$control}}\n"
	    "<textarea id=\"q-{{id}}\"{{$aria}}{{/aria}}></textarea>\n"
	    "{{/control}}\n"
	    "{{/field_hint}}\n"
	    "{{/qs}}\n";
	struct mustache_set	*views;
	const char		*src = getenv("CH_SRCDIR");
	char			 dir[4096], err[512];

	snprintf(dir, sizeof(dir), "%s/templates", src ? src : ".");
	if ((views = views_load(dir, err, sizeof(err))) == NULL) {
		ok(0, "the views load: %s", err);
		return;
	}
	is_str(render_views(views, plain, "{\"values\": {\"email\": \"a&b\"}}"),
	    "<div class=\"field\">\n"
	    "<label for=\"email\">E-mail</label>\n"
	    "<input id=\"email\" value=\"a&amp;b\">\n"
	    "\n"
	    "</div>\n",
	    "a field without an error: label, control, an empty message line");
	is_str(render_views(views, plain, "{\"errors\": {\"email\": \"<bad>\"}}"),
	    "<div class=\"field field-error\">\n"
	    "<label for=\"email\">E-mail</label>\n"
	    "<input id=\"email\" value=\"\" aria-invalid=\"true\" "
	    "aria-describedby=\"email-error\">\n"
	    "<p class=\"error-text\" id=\"email-error\">&lt;bad&gt;</p>\n"
	    "</div>\n",
	    "with its error: the class, the ARIA attributes and the message, "
	    "escaped");
	is_str(render_views(views, hinted, "{\"qs\": [{\"id\": 1}, "
	    "{\"id\": 2, \"error\": \"E\"}]}"),
	    "<div class=\"field\">\n"
	    "<label for=\"q-1\">Q</label>\n"
	    "<textarea id=\"q-1\" aria-describedby=\"q-1-hint\"></textarea>\n"
	    "<p class=\"hint\" id=\"q-1-hint\">Why 1</p>\n"
	    "\n"
	    "</div>\n"
	    "<div class=\"field field-error\">\n"
	    "<label for=\"q-2\">Q</label>\n"
	    "<textarea id=\"q-2\" aria-describedby=\"q-2-hint q-2-error\" "
	    "aria-invalid=\"true\"></textarea>\n"
	    "<p class=\"hint\" id=\"q-2-hint\">Why 2</p>\n"
	    "<p class=\"error-text\" id=\"q-2-error\">E</p>\n"
	    "</div>\n",
	    "a hinted field in a list: each item its own id, hint and error");
	mustache_set_free(views);
}

/* Write text to dir/name; 1 when done. */
static int
put(const char *dir, const char *name, const char *text)
{
	char	 path[4096];
	FILE	*f;
	int	 ok;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((f = fopen(path, "w")) == NULL)
		return 0;
	ok = fputs(text, f) >= 0;
	return fclose(f) == 0 && ok;
}

/* A feature's folder of views: posts/edit.html is "posts/edit". */
static void
test_view_folders(void)
{
	struct mustache_set	*views;
	char			 dir[] = "/tmp/t_mustache.XXXXXX", sub[4200],
				 deep[4300], err[512];

	if (mkdtemp(dir) == NULL) {
		ok(0, "a temporary directory");
		return;
	}
	snprintf(sub, sizeof(sub), "%s/posts", dir);
	snprintf(deep, sizeof(deep), "%s/posts/old", dir);
	if (mkdir(sub, 0700) != 0 || mkdir(deep, 0700) != 0 ||
	    !put(dir, "page.html", "[{{>posts/edit}}]") ||
	    !put(sub, "edit.html", "edit {{x}}") ||
	    !put(sub, "notes.md", "{{#broken") ||
	    !put(deep, "gone.html", "{{#broken")) {
		ok(0, "the views are written");
		return;
	}
	views = views_load(dir, err, sizeof(err));
	ok(views != NULL, "a folder one level deep loads, deeper ones and "
	    "other files are left alone: %s", views == NULL ? err : "");
	if (views != NULL)
		is_str(render_views(views, "{{>page}}", "{\"x\": \"<1>\"}"),
		    "[edit &lt;1&gt;]", "a view names a folder's view by "
		    "folder/name");
	mustache_set_free(views);
	if (put(sub, "bad.html", "{{#open}}")) {
		views = views_load(dir, err, sizeof(err));
		ok(views == NULL && strstr(err, "posts/bad.html") != NULL,
		    "a broken view in a folder is named with its folder: %s",
		    err);
		mustache_set_free(views);
	}
	snprintf(sub, sizeof(sub), "rm -rf '%s'", dir);
	if (system(sub) != 0)
		ok(0, "the temporary directory is removed");
}

static void
test_whitespace(void)
{
	const char	*p[] = {
		"outer", "<div>\n  {{>inner}}\n</div>\n",
		"inner", "<p>\n  {{x}}\n</p>\n",
		NULL
	};

	is_str(render("<body>\n  {{>outer}}\n</body>\n", "{\"x\": 1}", p),
	    "<body>\n  <div>\n    <p>\n      1\n    </p>\n  </div>\n"
	    "</body>\n", "indentation of nested partials adds up");
	is_str(render("a\n\t{{#x}}\n\tb\n\t{{/x}}\nc", "{\"x\": true}", NULL),
	    "a\n\tb\nc", "tabs around standalone tags go with the line");
	is_str(render("{{#x}}{{/x}}\n", "{\"x\": true}", NULL), "\n",
	    "two section tags on a line are not standalone");
	is_str(render("{{=| |=}}|x| {{x}}", "{\"x\": 1}", NULL), "1 {{x}}",
	    "changed delimiters");
}

static void
test_reuse(void)
{
	struct mustache	*t;
	struct buf	 out;
	json_t		*a, *b;
	char		 err[128];
	int		 r1, r2;

	t = mustache_compile("t.html", "<{{x}}>", 7, err, sizeof(err));
	a = json_pack("{s:s}", "x", "a");
	b = json_pack("{s:i}", "x", 2);
	buf_init(&out);
	r1 = mustache_render(t, NULL, a, MUSTACHE_ESC_HTML, &out, err,
	    sizeof(err));
	r2 = mustache_render(t, NULL, b, MUSTACHE_ESC_HTML, &out, err,
	    sizeof(err));
	ok(r1 && r2 && strcmp(out.data, "<a><2>") == 0,
	    "a template renders many times, appending to the buffer");
	buf_reset(&out);
	ok(mustache_render(t, NULL, a, MUSTACHE_ESC_HTML, &out, err,
	    sizeof(err)) && strcmp(out.data, "<a>") == 0,
	    "and the same data gives the same output");
	buf_reset(&out);
	ok(mustache_render(t, NULL, NULL, MUSTACHE_ESC_HTML, &out, err,
	    sizeof(err)) && out.data != NULL && strcmp(out.data, "<>") == 0,
	    "the output is a string even when empty");
	buf_free(&out);
	json_decref(a);
	json_decref(b);
	mustache_free(t);
	mustache_free(NULL);
}

static void
test_set(void)
{
	struct mustache_set	*set = mustache_set_new();
	char			 err[128];

	ok(mustache_set_add(set, "b", "B", 1, err, sizeof(err)) &&
	    mustache_set_add(set, "a", "A", 1, err, sizeof(err)) &&
	    mustache_set_add(set, "c", "C", 1, err, sizeof(err)),
	    "templates are added in any order");
	ok(mustache_set_get(set, "a") != NULL && mustache_set_get(set, "b") !=
	    NULL && mustache_set_get(set, "c") != NULL, "and found by name");
	ok(mustache_set_get(set, "d") == NULL, "an unknown name is NULL");
	ok(mustache_set_get(NULL, "a") == NULL, "a NULL set holds nothing");
	ok(!mustache_set_add(set, "a", "again", 5, err, sizeof(err)),
	    "a name is taken once");
	is_str(err, "a: template defined twice", "with a message");
	ok(!mustache_set_add(set, "bad.html", "x\n{{#s}}", 8, err,
	    sizeof(err)), "a template that does not compile is refused");
	is_str(err, "bad.html:2:1: unclosed section 's'",
	    "with its name, line and column");
	ok(mustache_set_get(set, "bad.html") == NULL, "and not added");
	mustache_set_free(set);
	mustache_set_free(NULL);
}

int
main(void)
{
	test_escaping();
	test_values();
	test_truthiness();
	test_errors();
	test_partials();
	test_recursion();
	test_limits();
	test_layout();
	test_parent_partial();
	test_field_views();
	test_view_folders();
	test_whitespace();
	test_reuse();
	test_set();
	return tap_done();
}
