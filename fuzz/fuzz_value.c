/* fuzz_value.c: the value types: the first byte picks a type of the form
 * (fuzz_value_specs), the second how the cell came, the rest is the value
 * checked and normalised; the whole input is also parsed as a type. */

#include <string.h>

#include "fuzz.h"
#include "value.h"

/* A valid value's normal form reads as valid again, to itself. */
static void
fuzz_value_again(const struct vtype *t, const struct vresult *r)
{
	struct vresult	 again;

	if (t->kind == VT_TEXT)
		return;		/* the normal form is the trimmed text */
	FUZZ_ASSERT(value_check(t, r->normal, VCELL_TEXT, &again) == 0);
	FUZZ_ASSERT(strcmp(again.normal, r->normal) == 0);
	vresult_clear(&again);
}

/* Checks value as a cell of type t came. */
static void
fuzz_value_check(const struct vtype *t, const char *value, enum vcell cell)
{
	struct vresult	 r;
	int		 rc;

	rc = value_check(t, value, cell, &r);
	if (rc == 0) {
		FUZZ_ASSERT(r.normal != NULL && r.problem == NULL);
		FUZZ_ASSERT(g_utf8_validate(r.normal, -1, NULL));
		fuzz_value_again(t, &r);
	} else {
		FUZZ_ASSERT(rc == -1);
		FUZZ_ASSERT(r.normal == NULL && r.problem != NULL);
		FUZZ_ASSERT(g_utf8_validate(r.problem, -1, NULL));
		FUZZ_ASSERT(r.hint == NULL ||
		    g_utf8_validate(r.hint, -1, NULL));
	}
	vresult_clear(&r);
}

int
FUZZ_ONE(value)(const uint8_t *data, size_t len)
{
	struct vtype	 t;
	char		*s, *cause = NULL, *trimmed;
	size_t		 nspecs;

	/* The raw bytes as a type of an item file. */
	s = g_strndup((const char *)data, len);
	if (vtype_parse(s, &t, &cause) == 0) {
		FUZZ_ASSERT(cause == NULL);
		vtype_clear(&t);
	} else
		g_free(cause);
	g_free(s);

	if (len < 2)
		return 0;
	for (nspecs = 0; fuzz_value_specs[nspecs] != NULL; nspecs++)
		;
	cause = NULL;
	FUZZ_ASSERT(vtype_parse(fuzz_value_specs[data[0] % nspecs], &t,
	    &cause) == 0);
	s = g_strndup((const char *)data + 2, len - 2);
	trimmed = value_trim(s);
	FUZZ_ASSERT(strlen(trimmed) <= strlen(s));
	/* Empty values are the checker's to report, as check.c does. */
	if (*trimmed != '\0')
		fuzz_value_check(&t, s, (enum vcell)(data[1] % 3));
	(void)value_length(s);
	g_free(trimmed);
	g_free(s);
	vtype_clear(&t);
	return 0;
}
