/* fuzz_csv.c: the CSV reader on untrusted bytes, within the default
 * limits: every field UTF-8, no row or field over its limit. */

#include <string.h>

#include "csvread.h"
#include "fuzz.h"

int
FUZZ_ONE(csv)(const uint8_t *data, size_t len)
{
	struct csv_limits	 lim;
	struct csv_table	*t;
	GPtrArray		*row;
	const char		*field;
	char			*cause = NULL;
	guint			 i, j;

	csvread_limits_default(&lim);
	if ((t = csvread_buffer(data, len, &lim, &cause)) == NULL) {
		FUZZ_ASSERT(cause != NULL);
		g_free(cause);
		return 0;
	}
	FUZZ_ASSERT(t->rows->len <= lim.max_rows);
	for (i = 0; i < t->rows->len; i++) {
		row = g_ptr_array_index(t->rows, i);
		FUZZ_ASSERT(row->len <= lim.max_cols);
		for (j = 0; j < row->len; j++) {
			field = g_ptr_array_index(row, j);
			FUZZ_ASSERT(field != NULL);
			FUZZ_ASSERT(strlen(field) <= lim.max_field);
			FUZZ_ASSERT(g_utf8_validate(field, -1, NULL));
		}
	}
	csvread_free(t);
	return 0;
}
