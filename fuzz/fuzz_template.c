/* fuzz_template.c: the letters' template language: the input parsed as a
 * template, its names collected, and rendered with a fixed set of values
 * holding every name the real templates use, lists included. */

#include <stdarg.h>

#include <glib.h>

#include "fuzz.h"
#include "template.h"

static struct tvars	*fuzz_template_vars;

/* Appends an item to the list of that name: name, value, ..., NULL. */
static struct tvars *
fuzz_template_item(struct tvars *tv, const char *list, ...)
{
	struct tvars	*it = tvars_push(tv, list);
	const char	*name;
	va_list		 ap;

	va_start(ap, list);
	while ((name = va_arg(ap, const char *)) != NULL)
		tvars_set(it, name, va_arg(ap, const char *));
	va_end(ap);
	return it;
}

/* The lists of the letters: files with their members, problems with and
 * without a hint, services. */
static void
fuzz_template_items(struct tvars *tv)
{
	struct tvars	*it;

	it = fuzz_template_item(tv, "files", "name", "申請書類.zip", "size",
	    "12 KB", NULL);
	fuzz_template_item(it, "members", "name", "情報開示書.xlsx", "size",
	    "8 KB", NULL);
	fuzz_template_item(it, "members", "name", "  申請書.csv", "size",
	    "1 KB", NULL);
	fuzz_template_item(tv, "files", "name", "会社案内.pdf", "size",
	    "1.2 MB", NULL);
	fuzz_template_item(tv, "problems", "n", "1", "where",
	    "項番 3-4「従業員数（単体）」", "problem", "記入されていません",
	    "written", "", "hint", "「120」「120名」のように数字で記入して"
	    "ください", NULL);
	fuzz_template_item(tv, "problems", "n", "2", "where",
	    "項番 1「開示情報の年月日」", "problem", "日付として読み取れません",
	    "written", "2024/13/45", "hint", "", NULL);
	fuzz_template_item(tv, "services", "service", "サンプル勤怠クラウド",
	    NULL);
}

int
FUZZ_INIT(template)(int *argc, char ***argv)
{
	static const char *names[] = { "service", "company", "signature",
	    "secretariat", "contact", "tag", "scheme", "case", "valid_until",
	    "number", "kind", "fee", "date", "total", "tax", "tax_rate",
	    "received", "reason", "due", "certified", "case_digits", "bank",
	    "amount", "renewal", "encrypted", NULL };
	size_t		 i;

	(void)argc;
	(void)argv;
	if (fuzz_template_vars != NULL)
		return 0;
	fuzz_template_vars = tvars_new();
	for (i = 0; names[i] != NULL; i++)
		tvars_setf(fuzz_template_vars, names[i], "値%zu", i);
	tvars_set(fuzz_template_vars, "no_fee", "");
	fuzz_template_items(fuzz_template_vars);
	return 0;
}

int
FUZZ_ONE(template)(const uint8_t *data, size_t len)
{
	GPtrArray	*names;
	char		*text, *out, *cause = NULL;
	int		 ok;

	text = g_strndup((const char *)data, len);
	names = g_ptr_array_new_with_free_func(g_free);
	ok = template_check(text, names, &cause) == 0;
	FUZZ_ASSERT(ok == (cause == NULL));
	g_clear_pointer(&cause, g_free);
	out = template_render(text, fuzz_template_vars, &cause);
	/* What does not parse does not render. */
	FUZZ_ASSERT(ok || out == NULL);
	FUZZ_ASSERT((out == NULL) == (cause != NULL));
	g_free(out);
	g_free(cause);
	g_ptr_array_free(names, TRUE);
	g_free(text);
	return 0;
}
