/* fuzz_template.c: the letters' template language: the input parsed as a
 * template, its names collected, and rendered with a fixed set of values
 * holding every name the real templates use, lists included. */

#include <glib.h>

#include "fuzz.h"
#include "template.h"

static struct tvars	*fuzz_template_vars;

/* One item of a list: a file with its members, a problem with a hint. */
static void
fuzz_template_items(struct tvars *tv)
{
	struct tvars	*it, *mem;

	it = tvars_push(tv, "files");
	tvars_set(it, "name", "申請書類.zip");
	tvars_set(it, "size", "12 KB");
	mem = tvars_push(it, "members");
	tvars_set(mem, "name", "情報開示書.xlsx");
	tvars_set(mem, "size", "8 KB");
	mem = tvars_push(it, "members");
	tvars_set(mem, "name", "  申請書.csv");
	tvars_set(mem, "size", "1 KB");
	it = tvars_push(tv, "files");
	tvars_set(it, "name", "会社案内.pdf");
	tvars_set(it, "size", "1.2 MB");

	it = tvars_push(tv, "problems");
	tvars_set(it, "n", "1");
	tvars_set(it, "where", "項番 3-4「従業員数（単体）」");
	tvars_set(it, "problem", "記入されていません");
	tvars_set(it, "written", "");
	tvars_set(it, "hint", "「120」「120名」のように数字で記入してください");
	it = tvars_push(tv, "problems");
	tvars_set(it, "n", "2");
	tvars_set(it, "where", "項番 1「開示情報の年月日」");
	tvars_set(it, "problem", "日付として読み取れません");
	tvars_set(it, "written", "2024/13/45");
	tvars_set(it, "hint", NULL);
	it = tvars_push(tv, "services");
	tvars_set(it, "service", "サンプル勤怠クラウド");
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
