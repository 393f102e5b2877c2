/* ident.c: the one comparison of company and service names (duplicate
 * certifications, resubmissions): pure, no state, no I/O. */

#include <string.h>

#include <glib.h>

#include "ident.h"

/* The company-type marks set aside, as they read after NFKC (㈱ is "(株)"). */
static const char *ident_marks[] = {
	"株式会社", "(株)", "有限会社", "(有)", "合同会社", "(同)", NULL
};

/* Removes every occurrence of each mark from s, in place. */
static void
ident_strip_marks(char *s)
{
	const char	**m;
	char		 *p;
	size_t		  n;

	for (m = ident_marks; *m != NULL; m++) {
		n = strlen(*m);
		while ((p = strstr(s, *m)) != NULL)
			memmove(p, p + n, strlen(p + n) + 1);
	}
}

char *
ident_key(const char *name)
{
	GString		*s;
	const char	*p;
	char		*n, *k;
	gunichar	 c;

	if (name == NULL || !g_utf8_validate(name, -1, NULL))
		return g_strdup("");
	if ((n = g_utf8_normalize(name, -1, G_NORMALIZE_NFKC)) == NULL)
		return g_strdup("");
	s = g_string_sized_new(strlen(n));
	for (p = n; *p != '\0'; p = g_utf8_next_char(p)) {
		c = g_utf8_get_char(p);
		if (g_unichar_isspace(c) || g_unichar_type(c) ==
		    G_UNICODE_SPACE_SEPARATOR)
			continue;
		g_string_append_unichar(s, c);
	}
	g_free(n);
	ident_strip_marks(s->str);
	k = g_utf8_casefold(s->str, -1);
	g_string_free(s, TRUE);
	return k;
}

int
ident_same(const char *a, const char *b)
{
	char	*ka, *kb;
	int	 same;

	ka = ident_key(a);
	kb = ident_key(b);
	same = *ka != '\0' && strcmp(ka, kb) == 0;
	g_free(ka);
	g_free(kb);
	return same;
}
