/* fuzz_xlsx.c: the workbook reader on untrusted bytes, within the
 * default limits, and every cell it returns looked up and checked. */

#include "fuzz.h"
#include "xlsx.h"

int
FUZZ_INIT(xlsx)(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

int
FUZZ_ONE(xlsx)(const uint8_t *data, size_t len)
{
	struct xlsx_limits	 lim;
	struct xlsx_book	*b;
	const struct xlsx_sheet	*s;
	const struct xlsx_cell	*c, *prev;
	char			*cause = NULL;
	unsigned int		 cells = 0;
	guint			 i, j;

	xlsx_limits_default(&lim);
	if ((b = xlsx_read(data, len, &lim, &cause)) == NULL) {
		FUZZ_ASSERT(cause != NULL);
		FUZZ_ASSERT(g_utf8_validate(cause, -1, NULL));
		g_free(cause);
		return 0;
	}
	for (i = 0; i < b->sheets->len; i++) {
		s = g_ptr_array_index(b->sheets, i);
		FUZZ_ASSERT(g_utf8_validate(s->name, -1, NULL));
		FUZZ_ASSERT(xlsx_sheet(b, s->name) != NULL);
		prev = NULL;
		for (j = 0; j < s->cells->len; j++) {
			c = g_ptr_array_index(s->cells, j);
			/* By row then column, inside the sheet's extent,
			 * and found where it says it is. */
			FUZZ_ASSERT(c->row >= 1 && c->col >= 1);
			FUZZ_ASSERT(c->row <= s->rows && c->col <= s->cols);
			FUZZ_ASSERT(prev == NULL || prev->row < c->row ||
			    (prev->row == c->row && prev->col < c->col));
			FUZZ_ASSERT(xlsx_cell(s, c->row, c->col) == c);
			FUZZ_ASSERT(c->text != NULL &&
			    g_utf8_validate(c->text, -1, NULL));
			prev = c;
		}
		cells += s->cells->len;
	}
	FUZZ_ASSERT(cells <= lim.max_cells);
	xlsx_free(b);
	return 0;
}
