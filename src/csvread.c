/* csvread.c: CSV bytes to rows of UTF-8 fields with libcsv, memory bounded
 * by the limits while parsing. */

#include <string.h>

#include <csv.h>
#include <glib.h>

#include "charset.h"
#include "csvread.h"

#define CSVREAD_MAX_ROWS	10000
#define CSVREAD_MAX_COLS	100
#define CSVREAD_MAX_FIELD	(64 * 1024)

/* Bytes handed to libcsv at a time: a field's growth is checked between. */
#define CSVREAD_CHUNK		4096

#define CSVREAD_UNREADABLE	"CSV ファイルとして読み取れません" \
				    "（UTF-8 または Shift_JIS のテキストではありません）"

/* The parse under way. */
struct csvread_state {
	struct csv_limits	 lim;
	struct csv_table	*t;
	GPtrArray		*row;		/* the row being read */
	unsigned int		 empty_fields;	/* empty fields not yet kept */
	unsigned int		 empty_rows;	/* empty rows not yet kept */
	char			*cause;
};

void
csvread_limits_default(struct csv_limits *lim)
{
	lim->max_rows = CSVREAD_MAX_ROWS;
	lim->max_cols = CSVREAD_MAX_COLS;
	lim->max_field = CSVREAD_MAX_FIELD;
}

void
csvread_free(struct csv_table *t)
{
	if (t == NULL)
		return;
	g_ptr_array_free(t->rows, TRUE);
	g_free(t->charset);
	g_free(t);
}

static void
csvread_row_free(gpointer row)
{
	g_ptr_array_free(row, TRUE);
}

static GPtrArray *
csvread_row_new(void)
{
	return g_ptr_array_new_with_free_func(g_free);
}

static void
csvread_field_limit(struct csvread_state *st)
{
	st->cause = g_strdup_printf("CSV ファイルのセルの内容が上限"
	    "（%zuバイト）を超えています", st->lim.max_field);
}

/* libcsv's field callback: keeps the field, first the empty ones held back
 * before it; an empty field is only counted. */
static void
csvread_field(void *s, size_t len, void *data)
{
	struct csvread_state	*st = data;

	if (st->cause != NULL)
		return;
	if (len > st->lim.max_field) {
		csvread_field_limit(st);
		return;
	}
	if (len == 0 || s == NULL) {
		st->empty_fields++;
		return;
	}
	if (st->row->len + st->empty_fields >= st->lim.max_cols) {
		st->cause = g_strdup_printf("CSV ファイルの列数が上限（%u列）を"
		    "超えています", st->lim.max_cols);
		return;
	}
	for (; st->empty_fields > 0; st->empty_fields--)
		g_ptr_array_add(st->row, g_strdup(""));
	g_ptr_array_add(st->row, g_strndup(s, len));
}

/* libcsv's end-of-row callback: keeps the row, first the empty rows held
 * back before it; an empty row is only counted. */
static void
csvread_row(int c, void *data)
{
	struct csvread_state	*st = data;

	(void)c;
	st->empty_fields = 0;
	if (st->cause != NULL)
		return;
	if (st->row->len == 0) {
		st->empty_rows++;
		return;
	}
	if (st->t->rows->len + st->empty_rows >= st->lim.max_rows) {
		st->cause = g_strdup_printf("CSV ファイルの行数が上限（%u行）を"
		    "超えています", st->lim.max_rows);
		return;
	}
	for (; st->empty_rows > 0; st->empty_rows--)
		g_ptr_array_add(st->t->rows, csvread_row_new());
	g_ptr_array_add(st->t->rows, st->row);
	st->row = csvread_row_new();
}

/* Do the bytes look like text: no NUL, no control characters but tab,
 * line ends, form feed, the DOS end-of-file mark and the escape of
 * ISO-2022-JP? */
static int
csvread_is_text(const unsigned char *s, size_t len)
{
	size_t	i;

	for (i = 0; i < len; i++) {
		if (s[i] >= 0x20 || s[i] == '\t' || s[i] == '\n' ||
		    s[i] == '\r' || s[i] == '\f' || s[i] == 0x1a ||
		    s[i] == 0x1b)
			continue;
		return 0;
	}
	return 1;
}

/*
 * The bytes as UTF-8: as they are without a BOM when they are UTF-8, else
 * converted from the Japanese charset charset_guess finds (CP932 from
 * Excel, EUC-JP from older Unix systems), which must convert cleanly.
 * Sets *charset; NULL when the bytes are none of them.
 */
static char *
csvread_text(const char *s, size_t len, const char **charset)
{
	if (len >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0) {
		s += 3;
		len -= 3;
	}
	if (!csvread_is_text((const unsigned char *)s, len))
		return NULL;
	return charset_guess_to_utf8(s, len, charset);
}

struct csv_table *
csvread_buffer(const void *data, size_t len, const struct csv_limits *lim,
    char **cause)
{
	struct csv_parser	 p;
	struct csvread_state	 st;
	const char		*charset = NULL;
	char			*text;
	size_t			 off, n, tlen;

	memset(&st, 0, sizeof st);
	csvread_limits_default(&st.lim);
	if (lim != NULL && lim->max_rows != 0)
		st.lim.max_rows = lim->max_rows;
	if (lim != NULL && lim->max_cols != 0)
		st.lim.max_cols = lim->max_cols;
	if (lim != NULL && lim->max_field != 0)
		st.lim.max_field = lim->max_field;

	if (data == NULL)
		data = "";
	if ((text = csvread_text(data, len, &charset)) == NULL) {
		*cause = g_strdup(CSVREAD_UNREADABLE);
		return NULL;
	}
	if (csv_init(&p, CSV_APPEND_NULL) != 0) {
		g_free(text);
		*cause = g_strdup(CSVREAD_UNREADABLE);
		return NULL;
	}
	st.t = g_new0(struct csv_table, 1);
	st.t->rows = g_ptr_array_new_with_free_func(csvread_row_free);
	st.t->charset = g_strdup(charset);
	st.row = csvread_row_new();

	/*
	 * libcsv reports a field only when it ends: feed it a chunk at a time
	 * and look at the field it is collecting (entry_pos, public in
	 * csv.h) so that an endless field stops early.
	 */
	tlen = strlen(text);
	for (off = 0; off < tlen && st.cause == NULL; off += n) {
		n = MIN(tlen - off, CSVREAD_CHUNK);
		if (csv_parse(&p, text + off, n, csvread_field, csvread_row,
		    &st) != n && st.cause == NULL)
			st.cause = g_strdup_printf("CSV ファイルを読み取れません"
			    "（%s）", csv_strerror(csv_error(&p)));
		else if (p.entry_pos > st.lim.max_field && st.cause == NULL)
			csvread_field_limit(&st);
	}
	if (st.cause == NULL)
		csv_fini(&p, csvread_field, csvread_row, &st);
	csv_free(&p);
	g_ptr_array_free(st.row, TRUE);
	g_free(text);
	if (st.cause != NULL) {
		csvread_free(st.t);
		*cause = st.cause;
		return NULL;
	}
	return st.t;
}
