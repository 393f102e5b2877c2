/* fuzz_zip.c: the ZIP reader on untrusted bytes: every entry read within
 * the default limits, without a password and with the corpus's "1234",
 * and what it reports walked. */

#include <string.h>

#include "fuzz.h"
#include "zipread.h"

/* Walks the entries (and nested members): names are UTF-8, no entry
 * holds more than it may. */
static uint64_t
fuzz_zip_walk(GPtrArray *entries, const struct zip_limits *lim)
{
	struct zip_entry	*e;
	uint64_t		 total = 0;
	gsize			 n;
	guint			 i;

	for (i = 0; i < entries->len; i++) {
		e = g_ptr_array_index(entries, i);
		FUZZ_ASSERT(e->name != NULL && e->base != NULL);
		FUZZ_ASSERT(g_utf8_validate(e->name, -1, NULL));
		FUZZ_ASSERT(e->problem == NULL ||
		    g_utf8_validate(e->problem, -1, NULL));
		if (e->data != NULL) {
			(void)g_bytes_get_data(e->data, &n);
			FUZZ_ASSERT(n <= lim->max_entry_size);
			total += n;
		}
		if (e->members != NULL)
			total += fuzz_zip_walk(e->members, lim);
	}
	return total;
}

/* Reads the archive once with that password (or none). */
static void
fuzz_zip_read(const uint8_t *data, size_t len, const char *password)
{
	struct zip_limits	 lim;
	struct zip_result	*zr;
	uint64_t		 total;

	zipread_limits_default(&lim);
	zr = zipread_buffer(data, len, &lim, password, fuzz_want_all, NULL);
	FUZZ_ASSERT(zr != NULL);
	total = fuzz_zip_walk(zr->entries, &lim);
	FUZZ_ASSERT(total <= lim.max_total_size);
	FUZZ_ASSERT(total <= zr->total);
	zipread_free(zr);
}

int
FUZZ_ONE(zip)(const uint8_t *data, size_t len)
{
	fuzz_zip_read(data, len, NULL);
	/* The password only matters when an entry is encrypted; reading
	 * twice costs little else. */
	if (len >= 8 && memmem(data, len, "PK\001\002", 4) != NULL)
		fuzz_zip_read(data, len, "1234");
	return 0;
}
