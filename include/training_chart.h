/*
 * training_chart.h: a bar chart as inline SVG, drawn by the server so a
 * page shows it without JavaScript.  The chart is an image to assistive
 * technology (role="img", labelled by its <title> and <desc>); the page
 * puts a table of the same numbers beside it.
 */
#ifndef TRAINING_CHART_H
#define TRAINING_CHART_H

#include <stddef.h>

struct buf;

/* One bar: its label under the axis and its value (negative as 0). */
struct chart_bar {
	const char	*label;
	long long	 value;
};

/*
 * Append to b an <svg> of bars[0 .. n - 1], left to right, its ids
 * starting with id (letters, digits and dashes), its <title> title and
 * <desc> desc.  The value axis runs from 0 to the smallest of 1, 2 and 5
 * times a power of ten at or above the largest value (1 when every value
 * is 0), with a line at 0, half of it when that is whole, and the top;
 * a label is written under the first bar and every
 * ceil(n / 7)th after it.  Without bars the chart says "No data".  Every
 * text is escaped for HTML.
 */
void	training_chart_svg(struct buf *b, const char *id, const char *title,
	    const char *desc, const struct chart_bar *bars, size_t n);

/* The top of the value axis for values up to max (see above). */
long long training_chart_top(long long max);

#endif
