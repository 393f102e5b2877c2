/* fuzz_wire.c: what the parent reads from the parsing child (the flat
 * wire of wire.c: lengths and bytes, checked in the parent only), which may
 * have been subverted by the message it parsed: any bytes either are
 * refused or decode into a mail and forms the parent can screen, list
 * and check like any others. */

#include "forms.h"
#include "fuzz.h"
#include "mail.h"
#include "wire.h"

int
FUZZ_INIT(wire)(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_intake_init();
	return 0;
}

int
FUZZ_ONE(wire)(const uint8_t *data, size_t len)
{
	struct mail	*m;
	struct forms	*f;
	GPtrArray	*ids;
	GBytes		*b;
	char		*cause = NULL;

	b = g_bytes_new(data, len);
	if (wire_decode(b, &m, &f, &ids, &cause) != 0) {
		FUZZ_ASSERT(cause != NULL);
		g_free(cause);
		g_bytes_unref(b);
		return 0;
	}
	fuzz_intake_parent(m, f);
	g_ptr_array_free(ids, TRUE);
	forms_free(f);
	mail_free(m);
	g_bytes_unref(b);
	return 0;
}
