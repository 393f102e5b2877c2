/* html.h: HTML text made inert (escaped, control and direction characters
 * neutralised) and small inline SVG bar charts, appended to a GString. */
#ifndef HTML_H
#define HTML_H

#include <stddef.h>

#include <glib.h>

/*
 * Appends len bytes of s (a C string when len is negative) as HTML text
 * that is also safe inside a double- or single-quoted attribute value:
 * & < > " ' become references; CR, LF, tab and the other C0 and C1
 * controls, NUL and the line and paragraph separators become blanks;
 * bidirectional embeddings, overrides, isolates and marks are dropped;
 * invalid UTF-8 becomes U+FFFD.
 */
void	 html_text(GString *out, const char *s, gssize len);

/* As html_text; a text of more than max characters is cut to max - 1 of
 * them and "…", so that it takes at most max (max 0: no limit). */
void	 html_text_cut(GString *out, const char *s, size_t max);

/* A new string: s as html_text writes it. */
char	*html_escape(const char *s);

/* Appends ` name="value"`, the value escaped; nothing if value is NULL. */
void	 html_attr(GString *out, const char *name, const char *value);

/*
 * Appends <tag class="cls">text</tag>, the text escaped; tag and cls are
 * the caller's literals (cls may be NULL), text NULL is empty.
 */
void	 html_elem(GString *out, const char *tag, const char *cls,
	    const char *text);

/* One bar of a chart: its label under it and its value (negative, NaN
 * and infinite values count as 0). */
struct html_bar {
	const char	*label;
	double		 value;
};

/*
 * Appends an inline SVG bar chart (no script, no external reference):
 * one bar per entry scaled to the largest value, the value above each bar
 * that is not 0 and the label under it; title is the chart's accessible
 * name and unit
 * follows each value in the bars' tooltips ("件", "日").
 */
void	 html_bar_chart(GString *out, const char *title,
	    const struct html_bar *bars, size_t n, const char *unit);

#endif
