/* test_template.c: the letters' template language. */

#include <string.h>

#include "testutil.h"
#include "template.h"

static char *
render(const char *text, struct tvars *tv)
{
	char	*cause = NULL, *out;

	out = template_render(text, tv, &cause);
	if (out == NULL)
		fail_msg("render: %s", cause);
	return out;
}

static void
test_values_and_braces(void **state)
{
	struct tvars	*tv = tvars_new();
	char		*out;

	(void)state;
	tvars_set(tv, "company", "株式会社サンプル");
	tvars_set(tv, "contact", "山田 太郎");
	out = render("{company}\n{contact} 様 {{literal}\n", tv);
	assert_string_equal(out, "株式会社サンプル\n山田 太郎 様 {literal}\n");
	g_free(out);
	tvars_free(tv);
}

/* A list renders once per item; items see their own and outer values;
 * a section tag alone on its line leaves no blank line. */
static void
test_lists_and_standalone(void **state)
{
	struct tvars	*tv = tvars_new(), *f, *m;
	char		*out;

	(void)state;
	tvars_set(tv, "indent", "  ");
	f = tvars_push(tv, "files");
	tvars_set(f, "name", "申請書類.zip");
	m = tvars_push(f, "members");
	tvars_set(m, "name", "情報開示書.xlsx");
	f = tvars_push(tv, "files");
	tvars_set(f, "name", "概要.pdf");
	out = render("受領ファイル\n{#files}\n{indent}{name}\n  {#members}\n"
	    "{indent}{indent}{name}\n  {/members}\n{/files}\n以上\n", tv);
	assert_string_equal(out, "受領ファイル\n  申請書類.zip\n"
	    "    情報開示書.xlsx\n  概要.pdf\n以上\n");
	g_free(out);
	tvars_free(tv);
}

static void
test_conditions(void **state)
{
	struct tvars	*tv = tvars_new();
	char		*out;

	(void)state;
	tvars_set(tv, "service", "");
	tvars_set(tv, "encrypted", "yes");
	out = render("A{#service}（{service}）{/service}{^service}-{/service}"
	    "\n{#encrypted}\nパスワード\n{/encrypted}\n{^missing}\nなし\n"
	    "{/missing}\n", tv);
	assert_string_equal(out, "A-\nパスワード\nなし\n");
	g_free(out);
	tvars_free(tv);
}

/* Mistakes in a template are reported with their line. */
static void
test_errors(void **state)
{
	struct tvars	*tv = tvars_new();
	char		*cause = NULL;

	(void)state;
	assert_null(template_render("a\n{compnay}\n", tv, &cause));
	assert_string_equal(cause, "line 2: unknown value {compnay}");
	g_free(cause);
	assert_int_equal(template_check("x\n\n{#a}\n{/b}\n", NULL, &cause), -1);
	assert_string_equal(cause, "line 4: {/b} closes {#a} of line 3");
	g_free(cause);
	assert_int_equal(template_check("{#a}\n", NULL, &cause), -1);
	assert_string_equal(cause, "line 1: {#a} is never closed");
	g_free(cause);
	assert_int_equal(template_check("{a b}", NULL, &cause), -1);
	assert_string_equal(cause, "line 1: bad tag {a b}");
	g_free(cause);
	assert_int_equal(template_check("{a\n}", NULL, &cause), -1);
	g_free(cause);
	tvars_free(tv);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_values_and_braces),
		cmocka_unit_test(test_lists_and_standalone),
		cmocka_unit_test(test_conditions),
		cmocka_unit_test(test_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
