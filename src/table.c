/* table.c: aligned text tables for people, Japanese text counted by its
 * width on a terminal, long cells shortened with an ellipsis. */

#include <stdarg.h>
#include <stdio.h>

#include "cmd.h"

#define TABLE_MAX_CELL	36	/* columns a cell may take */

struct table {
	guint		 ncols;
	GPtrArray	*rows;		/* of char ** (ncols strings) */
};

/* Shortens s to at most max terminal columns. */
static char *
table_cut(const char *s, int max)
{
	GString		*out = g_string_new(NULL);
	const char	*p;
	int		 w = 0, cw;

	if (util_display_width(s) <= max)
		return g_strdup(s);
	for (p = s; *p != '\0'; p = g_utf8_next_char(p)) {
		cw = g_unichar_iswide(g_utf8_get_char(p)) ? 2 : 1;
		if (w + cw > max - 1)
			break;
		g_string_append_unichar(out, g_utf8_get_char(p));
		w += cw;
	}
	g_string_append(out, "…");
	return g_string_free(out, FALSE);
}

/* A table with the headings given, NULL-terminated. */
struct table *
table_new(const char *first, ...)
{
	struct table	*t = g_new0(struct table, 1);
	GPtrArray	*head = g_ptr_array_new();
	const char	*s;
	va_list		 ap;

	va_start(ap, first);
	for (s = first; s != NULL; s = va_arg(ap, const char *))
		g_ptr_array_add(head, g_strdup(s));
	va_end(ap);
	t->ncols = head->len;
	g_ptr_array_add(head, NULL);
	t->rows = g_ptr_array_new_with_free_func((GDestroyNotify)g_strfreev);
	g_ptr_array_add(t->rows, g_ptr_array_free(head, FALSE));
	return t;
}

/* Adds a row of ncols strings (NULL shows as "-"). */
void
table_add(struct table *t, ...)
{
	char		**row = g_new0(char *, t->ncols + 1);
	const char	*s;
	va_list		  ap;
	guint		  i;

	va_start(ap, t);
	for (i = 0; i < t->ncols; i++) {
		s = va_arg(ap, const char *);
		row[i] = util_clean(s != NULL && *s != '\0' ? s : "-");
	}
	va_end(ap);
	g_ptr_array_add(t->rows, row);
}

void
table_print(struct table *t, FILE *f)
{
	int		*width = g_new0(int, t->ncols);
	char		**row, *cut, *pad;
	guint		  i, j;
	int		  w;

	for (i = 0; i < t->rows->len; i++) {
		row = g_ptr_array_index(t->rows, i);
		for (j = 0; j < t->ncols; j++) {
			w = util_display_width(row[j]);
			if (w > TABLE_MAX_CELL)
				w = TABLE_MAX_CELL;
			if (w > width[j])
				width[j] = w;
		}
	}
	for (i = 0; i < t->rows->len; i++) {
		row = g_ptr_array_index(t->rows, i);
		for (j = 0; j < t->ncols; j++) {
			cut = table_cut(row[j], TABLE_MAX_CELL);
			if (j + 1 < t->ncols) {
				pad = util_pad(cut, width[j]);
				fprintf(f, "%s  ", pad);
				g_free(pad);
			} else
				fprintf(f, "%s", cut);
			g_free(cut);
		}
		fputc('\n', f);
	}
	g_free(width);
}

void
table_free(struct table *t)
{
	g_ptr_array_free(t->rows, TRUE);
	g_free(t);
}
