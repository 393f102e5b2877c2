/* fuzz_rules.c: the rules parser and linter on a set of files given in
 * one input: files are separated by NUL bytes, each starting with its
 * name on a line of its own ("asp-saas.tsv"); what it builds is looked
 * up as the checker would. */

#include <string.h>

#include "fuzz.h"
#include "rules.h"

/* No more files than this per input: the set of a real folder is small,
 * and the linter compares names pairwise. */
#define FUZZ_RULES_MAX	64

/* Looks up every scheme by its names and every item by its 項番. */
static void
fuzz_rules_walk(const struct rules *r)
{
	const struct scheme	*s;
	const struct rule_item	*it;
	guint			 i, j;

	for (i = 0; i < r->schemes->len; i++) {
		s = g_ptr_array_index(r->schemes, i);
		(void)rules_scheme(r, s->code);
		(void)rules_scheme(r, s->name);
		for (j = 0; j < s->aliases->len; j++)
			(void)rules_scheme(r, g_ptr_array_index(s->aliases,
			    j));
		for (j = 0; j < s->items->len; j++) {
			it = g_ptr_array_index(s->items, j);
			FUZZ_ASSERT(it->id != NULL && it->label != NULL);
			(void)rules_item(s, it->id);
			if (it->when_id != NULL)
				(void)rules_item(s, it->when_id);
		}
	}
}

int
FUZZ_ONE(rules)(const uint8_t *data, size_t len)
{
	struct rules_text	 t[FUZZ_RULES_MAX];
	GPtrArray		*errors, *names;
	struct rules		*r;
	const char		*p = (const char *)data, *end = p + len;
	const char		*nul, *eol;
	size_t			 n = 0;

	names = g_ptr_array_new_with_free_func(g_free);
	while (p < end && n < FUZZ_RULES_MAX) {
		if ((nul = memchr(p, '\0', (size_t)(end - p))) == NULL)
			nul = end;
		if ((eol = memchr(p, '\n', (size_t)(nul - p))) == NULL)
			eol = nul;
		g_ptr_array_add(names, g_strndup(p, (size_t)(eol - p)));
		t[n].name = g_ptr_array_index(names, names->len - 1);
		t[n].text = eol < nul ? eol + 1 : eol;
		t[n].len = (size_t)(nul - t[n].text);
		n++;
		p = nul + 1;
	}
	errors = g_ptr_array_new_with_free_func(g_free);
	r = rules_parse("fuzz", t, n, errors);
	FUZZ_ASSERT(r != NULL);
	/* A set with errors is not used for checking. */
	if (errors->len == 0)
		fuzz_rules_walk(r);
	rules_free(r);
	g_ptr_array_free(errors, TRUE);
	g_ptr_array_free(names, TRUE);
	return 0;
}
