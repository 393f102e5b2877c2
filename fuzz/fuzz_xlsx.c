/* fuzz_xlsx.c: the workbook reader on untrusted bytes, within the
 * default limits, and every cell it returns looked up and checked.  An
 * input that is not a ZIP is a list of parts ("name\n" then the part's
 * bytes, parts separated by NUL), stored uncompressed into a workbook
 * first, so that mutations reach the XML past the compression and the
 * CRC of a real file. */

#include <string.h>

#include <zip.h>

#include "fuzz.h"
#include "xlsx.h"

/* Packs the parts of the input into a ZIP archive; NULL if libzip will
 * not have it. */
static GBytes *
fuzz_xlsx_pack(const char *data, size_t len)
{
	zip_source_t	*src, *part;
	zip_t		*za;
	zip_stat_t	 st;
	zip_int64_t	 i;
	const char	*p = data, *end = data + len, *nul, *eol;
	char		*name, *buf;

	if ((src = zip_source_buffer_create(NULL, 0, 0, NULL)) == NULL)
		return NULL;
	zip_source_keep(src);
	if ((za = zip_open_from_source(src, ZIP_TRUNCATE, NULL)) == NULL) {
		zip_source_free(src);
		return NULL;
	}
	while (p < end) {
		if ((nul = memchr(p, '\0', (size_t)(end - p))) == NULL)
			nul = end;
		if ((eol = memchr(p, '\n', (size_t)(nul - p))) == NULL)
			eol = nul;
		name = g_strndup(p, (size_t)(eol - p));
		if (eol < nul)
			eol++;
		part = zip_source_buffer(za, eol, (zip_uint64_t)(nul - eol), 0);
		if (part != NULL && (i = zip_file_add(za, name, part,
		    ZIP_FL_ENC_UTF_8)) >= 0)
			zip_set_file_compression(za, (zip_uint64_t)i,
			    ZIP_CM_STORE, 0);
		else
			zip_source_free(part);
		g_free(name);
		p = nul + 1;
	}
	if (zip_close(za) != 0) {
		zip_discard(za);
		zip_source_free(src);
		return NULL;
	}
	zip_stat_init(&st);
	if (zip_source_stat(src, &st) != 0 || zip_source_open(src) != 0) {
		zip_source_free(src);
		return NULL;
	}
	buf = g_malloc(st.size + 1);
	if (zip_source_read(src, buf, st.size) != (zip_int64_t)st.size)
		st.size = 0;
	zip_source_close(src);
	zip_source_free(src);
	return g_bytes_new_take(buf, st.size);
}

/* Reads the workbook and walks its cells. */
static int
fuzz_xlsx_read(const uint8_t *data, size_t len)
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

int
FUZZ_ONE(xlsx)(const uint8_t *data, size_t len)
{
	GBytes	*packed = NULL;
	gsize	 n;
	int	 r;

	if (len < 2 || memcmp(data, "PK", 2) != 0) {
		if ((packed = fuzz_xlsx_pack((const char *)data, len)) == NULL)
			return 0;
		data = g_bytes_get_data(packed, &n);
		len = n;
	}
	r = fuzz_xlsx_read(data, len);
	if (packed != NULL)
		g_bytes_unref(packed);
	return r;
}
