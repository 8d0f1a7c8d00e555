/*
 * t_training_chart.c: the SVG bar chart of the training reports: the top
 * of its value axis, bar heights to scale, no data, one week, and every
 * text escaped.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "tap.h"
#include "training_chart.h"

/* The chart of bars[0 .. n - 1], in a static buffer. */
static const char *
draw(const char *title, const struct chart_bar *bars, size_t n)
{
	static char	 out[65536];
	struct buf	 b;

	buf_init(&b);
	training_chart_svg(&b, "c", title, "the desc", bars, n);
	snprintf(out, sizeof(out), "%s", b.data);
	buf_free(&b);
	return out;
}

/* How many times needle occurs in s. */
static int
count(const char *s, const char *needle)
{
	int	 n = 0;

	while ((s = strstr(s, needle)) != NULL) {
		n++;
		s += strlen(needle);
	}
	return n;
}

static void
test_top(void)
{
	is_int(training_chart_top(0), 1, "every value 0: the axis tops at 1");
	is_int(training_chart_top(1), 1, "1: 1");
	is_int(training_chart_top(2), 2, "2: 2");
	is_int(training_chart_top(3), 5, "3: 5");
	is_int(training_chart_top(5), 5, "5: 5");
	is_int(training_chart_top(6), 10, "6: 10");
	is_int(training_chart_top(11), 20, "11: 20");
	is_int(training_chart_top(21), 50, "21: 50");
	is_int(training_chart_top(501), 1000, "501: 1000");
}

static void
test_scale(void)
{
	struct chart_bar	 bars[] = { { "w1", 0 }, { "w2", 2 },
				    { "w3", 4 }, { "w4", -3 } };
	const char		*s = draw("T", bars, 4);

	ok(strncmp(s, "<svg ", 5) == 0 && strstr(s, "</svg>") != NULL,
	    "one svg element");
	ok(strstr(s, "role=\"img\"") != NULL && strstr(s,
	    "aria-labelledby=\"c-title c-desc\"") != NULL,
	    "an image labelled by its title and description");
	ok(strstr(s, "<title id=\"c-title\">T</title>") != NULL &&
	    strstr(s, "<desc id=\"c-desc\">the desc</desc>") != NULL,
	    "its title and description");
	is_int(count(s, "<rect "), 4, "a bar per week");
	/* max 4: the axis tops at 5; the plot is 200 high from y 12. */
	ok(strstr(s, "y=\"52.0\" width=\"101.5\" height=\"160.0\"") != NULL,
	    "4 of 5 is 160 of 200");
	ok(strstr(s, "y=\"132.0\" width=\"101.5\" height=\"80.0\"") != NULL,
	    "2 of 5 is 80 of 200");
	is_int(count(s, "height=\"0.0\""), 2, "0 and a negative value: flat");
	ok(strstr(s, ">5</text>") != NULL && strstr(s, ">0</text>") != NULL
	    && strstr(s, ">2</text>") == NULL, "axis lines at 0 and 5 only "
	    "(half of 5 is not whole)");
	ok(strstr(s, "<title>w3: 4</title>") != NULL, "a bar says its value");
	ok(strstr(s, "No data") == NULL, "data: no \"No data\"");
}

static void
test_zero(void)
{
	struct chart_bar	 bars[26];
	const char		*s;
	size_t			 i;

	s = draw("Empty", NULL, 0);
	ok(strstr(s, "No data") != NULL && strstr(s, "<rect") == NULL,
	    "no bars: \"No data\" and no rectangle");
	for (i = 0; i < 26; i++) {
		bars[i].label = "2025-01-06";
		bars[i].value = 0;
	}
	s = draw("Zero", bars, 26);
	is_int(count(s, "<rect "), 26, "26 weeks of nothing: 26 bars");
	is_int(count(s, "height=\"0.0\""), 26, "each flat");
	ok(strstr(s, ">1</text>") != NULL, "the axis tops at 1");
	is_int(count(s, "text-anchor=\"middle\">2025-01-06</text>"), 7,
	    "a label every 4th week of 26: 7 labels");
}

static void
test_one(void)
{
	struct chart_bar	 bar = { "2025-03-03", 1 };
	const char		*s = draw("One", &bar, 1);

	is_int(count(s, "<rect "), 1, "one week: one bar");
	ok(strstr(s, "x=\"135.0\" y=\"12.0\" width=\"406.0\" "
	    "height=\"200.0\"") != NULL, "as high as the axis, seven tenths of its slot wide");
	ok(strstr(s, ">2025-03-03</text>") != NULL, "its label");
}

static void
test_escape(void)
{
	struct chart_bar	 bar = { "<b>&\"'", 1 };
	const char		*s = draw("<script>alert(1)</script>", &bar, 1);

	ok(strstr(s, "<script") == NULL && strstr(s,
	    "&lt;script&gt;alert(1)&lt;/script&gt;") != NULL,
	    "the title escaped");
	ok(strstr(s, "<b>") == NULL && strstr(s, "&lt;b&gt;&amp;&quot;&#39;")
	    != NULL, "a label escaped");
}

int
main(void)
{
	test_top();
	test_scale();
	test_zero();
	test_one();
	test_escape();
	return tap_done();
}
