/*
 * chart.c: a bar chart as inline SVG (training_chart.h).  The geometry
 * is fixed (a 640 by 256 view box that scales to its container), every
 * coordinate written with one decimal, so the same numbers always draw
 * the same bytes.
 */
#include "config.h"

#include "buf.h"
#include "html.h"
#include "training_chart.h"

#define CHART_W		640
#define CHART_H		256
#define PLOT_X0		48.0
#define PLOT_X1		628.0
#define PLOT_Y0		12.0
#define PLOT_Y1		212.0
#define LABEL_Y		232.0
#define NLABELS		7

long long
training_chart_top(long long max)
{
	long long	 p = 1;

	if (max <= 1)
		return 1;
	for (;;) {
		if (max <= p)
			return p;
		if (max <= 2 * p)
			return 2 * p;
		if (max <= 5 * p)
			return 5 * p;
		if (p > (long long)1e17)
			return max;
		p *= 10;
	}
}

/* The y of value v on an axis whose top is top. */
static double
chart_y(long long v, long long top)
{
	return PLOT_Y1 - (double)v * (PLOT_Y1 - PLOT_Y0) / (double)top;
}

/* A horizontal line of the value axis at v, labelled. */
static void
chart_line(struct buf *b, long long v, long long top)
{
	double	 y = chart_y(v, top);

	buf_printf(b, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" "
	    "y2=\"%.1f\" stroke=\"#98a2b3\" stroke-width=\"1\"/>"
	    "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%lld</text>\n",
	    PLOT_X0, PLOT_X1, y, y, PLOT_X0 - 6, y + 4, v);
}

/* The bars, each with its value as a tooltip, and their labels. */
static void
chart_bars(struct buf *b, const struct chart_bar *bars, size_t n,
    long long top)
{
	double		 slot = (PLOT_X1 - PLOT_X0) / (double)n, x, y;
	size_t		 i, every = (n + NLABELS - 1) / NLABELS;
	long long	 v;

	for (i = 0; i < n; i++) {
		v = bars[i].value > 0 ? bars[i].value : 0;
		x = PLOT_X0 + slot * (double)i;
		y = chart_y(v, top);
		buf_printf(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
		    "height=\"%.1f\" fill=\"#1d4ed8\"><title>", x + slot * 0.15,
		    y, slot * 0.7, PLOT_Y1 - y);
		html_text(b, bars[i].label != NULL ? bars[i].label : "");
		buf_printf(b, ": %lld</title></rect>\n", v);
		if (i % every != 0)
			continue;
		buf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" "
		    "text-anchor=\"middle\">", x + slot / 2, LABEL_Y);
		html_text(b, bars[i].label != NULL ? bars[i].label : "");
		buf_puts(b, "</text>\n");
	}
}

void
training_chart_svg(struct buf *b, const char *id, const char *title,
    const char *desc, const struct chart_bar *bars, size_t n)
{
	long long	 max = 0, top;
	size_t		 i;

	for (i = 0; i < n; i++)
		if (bars[i].value > max)
			max = bars[i].value;
	top = training_chart_top(max);
	buf_printf(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" "
	    "class=\"chart\" viewBox=\"0 0 %d %d\" role=\"img\" id=\"",
	    CHART_W, CHART_H);
	html_attr(b, id);
	buf_puts(b, "\" aria-labelledby=\"");
	html_attr(b, id);
	buf_puts(b, "-title ");
	html_attr(b, id);
	buf_puts(b, "-desc\" font-size=\"12\" fill=\"currentColor\">\n"
	    "<title id=\"");
	html_attr(b, id);
	buf_puts(b, "-title\">");
	html_text(b, title);
	buf_puts(b, "</title>\n<desc id=\"");
	html_attr(b, id);
	buf_puts(b, "-desc\">");
	html_text(b, desc);
	buf_puts(b, "</desc>\n");
	chart_line(b, 0, top);
	if (top % 2 == 0)
		chart_line(b, top / 2, top);
	chart_line(b, top, top);
	if (n == 0)
		buf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" "
		    "text-anchor=\"middle\">No data</text>\n",
		    (PLOT_X0 + PLOT_X1) / 2, (PLOT_Y0 + PLOT_Y1) / 2);
	else
		chart_bars(b, bars, n, top);
	buf_puts(b, "</svg>");
}
