/* test_ident.c: company and service names compared as staff would: blanks,
 * width, case and 株式会社/㈱ set aside, nothing else. */

#include <string.h>

#include "testutil.h"
#include "ident.h"

/* a and b name the same thing (same says so) or not. */
static void
expect(const char *a, const char *b, int same)
{
	if (ident_same(a, b) != same)
		fail_msg("\"%s\" and \"%s\": want %s", a ? a : "(null)",
		    b ? b : "(null)",
		    same ? "the same" : "different");
}

static void
test_same(void **state)
{
	(void)state;
	expect("株式会社サンプル", "㈱サンプル", 1);
	expect("株式会社サンプル", "(株)サンプル", 1);
	expect("株式会社サンプル", "（株）サンプル", 1);
	expect("サンプル株式会社", "サンプル㈱", 1);
	expect("株式会社 サンプル", "株式会社サンプル", 1);
	expect("株式会社　サンプル", "株式会社サンプル", 1);
	expect(" ｻﾝﾌﾟﾙ ", "サンプル", 1);
	expect("ＡＢＣクラウド", "abc クラウド", 1);
	expect("Cloud\tKarte ２", "cloudkarte2", 1);
	expect("有限会社テスト", "(有)テスト", 1);
	expect("合同会社テスト", "テスト合同会社", 1);
}

static void
test_different(void **state)
{
	(void)state;
	expect("株式会社サンプル", "株式会社サンプルズ", 0);
	expect("クラウドカルテ", "クラウドカルテ2", 0);
	expect("", "", 0);
	expect(NULL, NULL, 0);
	expect("株式会社", "㈱", 0);		/* nothing left to compare */
	expect("\xff\xfe", "\xff\xfe", 0);	/* not UTF-8 */
}

static void
test_key(void **state)
{
	char	*k;

	(void)state;
	k = ident_key("　株式会社　ＡＢＣ　Cloud ");
	assert_string_equal(k, "abccloud");
	g_free(k);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same),
		cmocka_unit_test(test_different),
		cmocka_unit_test(test_key),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
