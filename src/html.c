/* html.c: HTML text made inert and inline SVG bar charts: a leaf module,
 * its only input the strings and numbers it is given. */

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "html.h"

/* The chart's geometry, in SVG user units. */
#define HTML_CHART_SLOT		36	/* width given to each bar */
#define HTML_CHART_BAR		24	/* the bar itself */
#define HTML_CHART_SIDE		8	/* margin left and right */
#define HTML_CHART_TOP		22	/* room for the values above bars */
#define HTML_CHART_PLOT		120	/* the tallest bar */
#define HTML_CHART_BOTTOM	26	/* room for the labels */

/*
 * What a character becomes: 0 to keep it, 1 to write a blank instead
 * (controls, line breaks), 2 to drop it (bidirectional formatting, which
 * could reorder what staff read).
 */
static int
html_inert(gunichar c)
{
	if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0))
		return 1;
	if (c == 0x2028 || c == 0x2029)
		return 1;
	if (c == 0x200e || c == 0x200f || c == 0x061c ||
	    (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069))
		return 2;
	return 0;
}

/* Appends one character of text, escaped or neutralised. */
static void
html_char(GString *out, gunichar c)
{
	switch (c) {
	case '&':
		g_string_append(out, "&amp;");
		return;
	case '<':
		g_string_append(out, "&lt;");
		return;
	case '>':
		g_string_append(out, "&gt;");
		return;
	case '"':
		g_string_append(out, "&quot;");
		return;
	case '\'':
		g_string_append(out, "&#39;");
		return;
	}
	switch (html_inert(c)) {
	case 0:
		g_string_append_unichar(out, c);
		break;
	case 1:
		g_string_append_c(out, ' ');
		break;
	}
}

/*
 * The work of html_text and html_text_cut: the len bytes at s, but when
 * they hold more than max characters only max - 1 of them and "…".
 */
static void
html_put(GString *out, const char *s, size_t len, size_t max)
{
	const char	*p = s, *end = s + len;
	gunichar	 c;
	size_t		 n = 0;
	int		 step;

	while (p < end) {
		c = g_utf8_get_char_validated(p, end - p);
		if (*p == '\0' || c == (gunichar)-1 || c == (gunichar)-2 ||
		    (c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff) {
			c = 0xfffd;
			step = 1;
		} else
			step = g_utf8_skip[*(const guchar *)p];
		if (++n == max && p + step < end) {
			g_string_append(out, "\xe2\x80\xa6");
			return;
		}
		html_char(out, c);
		p += step;
	}
}

void
html_text(GString *out, const char *s, gssize len)
{
	if (s == NULL)
		return;
	html_put(out, s, len < 0 ? strlen(s) : (size_t)len, SIZE_MAX);
}

void
html_text_cut(GString *out, const char *s, size_t max)
{
	if (s == NULL)
		return;
	html_put(out, s, strlen(s), max > 0 ? max : SIZE_MAX);
}

char *
html_escape(const char *s)
{
	GString	*out = g_string_new(NULL);

	html_text(out, s, -1);
	return g_string_free(out, FALSE);
}

void
html_attr(GString *out, const char *name, const char *value)
{
	if (value == NULL)
		return;
	g_string_append_printf(out, " %s=\"", name);
	html_text(out, value, -1);
	g_string_append_c(out, '"');
}

void
html_elem(GString *out, const char *tag, const char *cls, const char *text)
{
	g_string_append_printf(out, "<%s", tag);
	html_attr(out, "class", cls);
	g_string_append_c(out, '>');
	html_text(out, text, -1);
	g_string_append_printf(out, "</%s>", tag);
}

/* A value as people read it: whole numbers plain, others to 0.1. */
static void
html_number(char *buf, size_t size, double v)
{
	if (fabs(v - round(v)) < 0.05)
		g_ascii_formatd(buf, (gint)size, "%.0f", v);
	else
		g_ascii_formatd(buf, (gint)size, "%.1f", v);
}

/* A value fit to draw: NaN, infinities and negatives are 0. */
static double
html_bar_value(const struct html_bar *b)
{
	return isfinite(b->value) && b->value > 0 ? b->value : 0;
}

void
html_bar_chart(GString *out, const char *title, const struct html_bar *bars,
    size_t n, const char *unit)
{
	double	 max = 0, v;
	char	 num[G_ASCII_DTOSTR_BUF_SIZE];
	size_t	 i;
	int	 w, h, x, bh, base;

	for (i = 0; i < n; i++)
		max = MAX(max, html_bar_value(&bars[i]));
	w = 2 * HTML_CHART_SIDE + (int)n * HTML_CHART_SLOT;
	h = HTML_CHART_TOP + HTML_CHART_PLOT + HTML_CHART_BOTTOM;
	base = HTML_CHART_TOP + HTML_CHART_PLOT;
	g_string_append_printf(out, "<svg class=\"chart\" viewBox=\"0 0 %d "
	    "%d\" width=\"%d\" height=\"%d\" role=\"img\"", w, h, w, h);
	html_attr(out, "aria-label", title);
	g_string_append(out, " font-size=\"12\"><title>");
	html_text(out, title, -1);
	g_string_append(out, "</title>");
	g_string_append_printf(out, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" "
	    "y2=\"%d\" stroke=\"#9aa5b1\" stroke-width=\"1\"/>",
	    HTML_CHART_SIDE, base, w - HTML_CHART_SIDE, base);
	for (i = 0; i < n; i++) {
		v = html_bar_value(&bars[i]);
		bh = max > 0 ? (int)lround(v / max * HTML_CHART_PLOT) : 0;
		if (v > 0 && bh < 1)
			bh = 1;
		x = HTML_CHART_SIDE + (int)i * HTML_CHART_SLOT;
		html_number(num, sizeof num, v);
		g_string_append(out, "<g class=\"bar\"><title>");
		html_text(out, bars[i].label, -1);
		g_string_append_printf(out, ": %s", num);
		html_text(out, unit, -1);
		g_string_append_printf(out, "</title><rect x=\"%d\" y=\"%d\" "
		    "width=\"%d\" height=\"%d\" rx=\"2\" fill=\"#2f6db5\"/>",
		    x + (HTML_CHART_SLOT - HTML_CHART_BAR) / 2, base - bh,
		    HTML_CHART_BAR, bh);
		if (v > 0)
			g_string_append_printf(out, "<text x=\"%d\" y=\"%d\" "
			    "text-anchor=\"middle\" fill=\"#1f2933\">%s"
			    "</text>", x + HTML_CHART_SLOT / 2, base - bh - 5,
			    num);
		g_string_append_printf(out, "<text x=\"%d\" y=\"%d\" "
		    "text-anchor=\"middle\" fill=\"#52606d\">",
		    x + HTML_CHART_SLOT / 2, base + 17);
		html_text_cut(out, bars[i].label, 6);
		g_string_append(out, "</text></g>");
	}
	g_string_append(out, "</svg>");
}
