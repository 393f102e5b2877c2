/* test_check.c: the form model and the checker, each problem kind: no
 * forms, a form missing, unknown scheme, renewal without number, missing
 * and empty mandatory items, wrong types with what was expected, too
 * long with the count, a condition (when) not met, an unreadable file,
 * a ZIP limit; and the tolerance for how applicants write labels. */

#include <string.h>

#include "testutil.h"
#include "check.h"
#include "forms.h"
#include "rules.h"

static struct rules	*rules;

static const char *app_ok =
    "項目,内容\n"
    "制度,医療情報ASP・SaaS\n"
    "申請区分,新規\n"
    "事業者名,株式会社サンプル\n"
    "サービス名称,サンプルカルテ\n"
    "サービス概要,電子カルテの保管\n"
    "担当者氏名,山田 太郎\n"
    "担当者メールアドレス,yamada@example.jp\n"
    "電話番号,03-1234-5678\n";

/* A 情報開示書 CSV of a scheme with every item well written, except
 * those given in over (id, value pairs, NULL-terminated). */
static char *
disc(const char *scheme, ...)
{
	const struct scheme	*s = rules_scheme(rules, scheme);
	const struct rule_item	*it;
	GString			*out = g_string_new("項番,項目,必須/選択,記述内容\n");
	const char		*id, *v, *val;
	va_list			 ap;
	guint			 i;

	assert_non_null(s);
	for (i = 0; i < s->items->len; i++) {
		it = g_ptr_array_index(s->items, i);
		switch (it->type.kind) {
		case VT_DATE:	v = "2026年10月1日"; break;
		case VT_YEAR:	v = "2001年"; break;
		case VT_INTEGER: v = "12"; break;
		case VT_AMOUNT:	v = "1億円"; break;
		case VT_PERCENT: v = "99.9%"; break;
		case VT_ENUM:	v = g_ptr_array_index(it->type.choices, 1);
				break;
		case VT_URL:	v = "https://example.jp/"; break;
		case VT_EMAIL:	v = "a@example.jp"; break;
		case VT_POSTAL:	v = "100-0001"; break;
		case VT_PHONE:	v = "03-1234-5678"; break;
		default:	v = "記載します"; break;
		}
		va_start(ap, scheme);
		while ((id = va_arg(ap, const char *)) != NULL) {
			val = va_arg(ap, const char *);
			if (strcmp(id, it->id) == 0)
				v = val;
		}
		va_end(ap);
		g_string_append_printf(out, "%s,%s,%s,\"%s\"\n", it->id,
		    it->label, it->required ? "必須" : "選択", v);
	}
	return g_string_free(out, FALSE);
}

static struct check *
check_files(const char *n1, const char *d1, const char *n2, const char *d2)
{
	struct form_limits	 lim;
	struct forms		*f = forms_new();
	struct check		*ck;

	forms_limits_default(&lim);
	if (n1 != NULL)
		forms_add(f, n1, d1, strlen(d1), &lim, NULL);
	if (n2 != NULL)
		forms_add(f, n2, d2, strlen(d2), &lim, NULL);
	ck = check_forms(f, rules);
	forms_free(f);
	return ck;
}

/* Asserts the problems, as "item|label|problem-start" lines. */
static void
expect(struct check *ck, const char *const *want)
{
	struct problem	*p;
	guint		 i, n;

	for (n = 0; want[n] != NULL; n++)
		;
	for (i = 0; i < ck->problems->len; i++) {
		p = g_ptr_array_index(ck->problems, i);
		print_message("  %s|%s|%s|%s\n", p->item, p->label, p->problem,
		    p->written != NULL ? p->written : "");
	}
	assert_int_equal(ck->problems->len, n);
	for (i = 0; i < n; i++) {
		char	**w = g_strsplit(want[i], "|", 3);

		p = g_ptr_array_index(ck->problems, i);
		assert_string_equal(p->item, w[0]);
		assert_string_equal(p->label, w[1]);
		if (!g_str_has_prefix(p->problem, w[2]))
			fail_msg("problem %u: \"%s\" does not start \"%s\"", i,
			    p->problem, w[2]);
		g_strfreev(w);
	}
}

static void
test_complete(void **state)
{
	char		*d = disc("medical", NULL);
	struct check	*ck = check_files("申請書.csv", app_ok, "情報開示書.csv",
			    d);
	const char	*none[] = { NULL };

	(void)state;
	expect(ck, none);
	assert_string_equal(ck->scheme->code, "medical");
	assert_string_equal(ck->kind, "new");
	assert_string_equal(ck->company, "株式会社サンプル");
	assert_string_equal(ck->contact_email, "yamada@example.jp");
	check_free(ck);
	g_free(d);
}

static void
test_no_forms(void **state)
{
	struct check	*ck;
	const char	*want1[] = { "|申請書類|申請書と情報開示書が見つかりません",
			    NULL };
	const char	*want2[] = { "|情報開示書|情報開示書が見つかりません",
			    NULL };

	(void)state;
	ck = check_files("other.csv", "a,b\n", NULL, NULL);
	expect(ck, want1);
	check_free(ck);
	ck = check_files("申請書.csv", app_ok, NULL, NULL);
	expect(ck, want2);
	check_free(ck);
}

/* Unknown scheme, unreadable kind, renewal without its number. */
static void
test_application_problems(void **state)
{
	char		*d = disc("medical", NULL);
	struct check	*ck;
	const char	*want1[] = { "申請書|制度|認定制度の名称として読み取れません",
			    "申請書|申請区分|申請区分として読み取れません", NULL };
	const char	*want2[] = { "申請書|認定番号|更新・変更の申請では",
			    NULL };
	char		*app;

	(void)state;
	app = g_strdup(app_ok);
	memcpy(strstr(app, "医療情報"), "宇宙情報", strlen("宇宙情報"));
	memcpy(strstr(app, "新規"), "新案", strlen("新案"));
	ck = check_files("申請書.csv", app, "情報開示書.csv", d);
	expect(ck, want1);
	check_free(ck);
	g_free(app);
	app = g_strdup(app_ok);
	memcpy(strstr(app, "新規"), "更新", strlen("更新"));
	ck = check_files("申請書.csv", app, "情報開示書.csv", d);
	expect(ck, want2);
	assert_string_equal(ck->kind, "renewal");
	check_free(ck);
	g_free(app);
	g_free(d);
}

/* Every problem of the 情報開示書, in the order of the rules. */
static void
test_disclosure_problems(void **state)
{
	char		*d;
	struct check	*ck;
	const char	*want[] = {
		"1|開示情報の年月日|日付として読み取れません",
		"2-8|主要な事業の概要|100字以内でご記入ください（現在 101字）",
		"3-4|従業員数（単体）|必須項目が記入されていません",
		"4-1|売上高|",
		"6-3|プライバシーマークの登録番号|この項目の記入が必要です",
		"M-2|医療情報の保存場所|次のいずれかでご記入ください",
		NULL
	};
	char		*long101;
	GString		*s = g_string_new(NULL);
	int		 i;

	(void)state;
	for (i = 0; i < 101; i++)
		g_string_append(s, "あ");
	long101 = g_string_free(s, FALSE);
	d = disc("medical", "1", "来年4月頃", "2-8", long101, "3-4", "",
	    "4-1", "たくさん", "6-2", "有", "6-3", "", "M-2", "月面", NULL);
	ck = check_files("申請書.csv", app_ok, "情報開示書.csv", d);
	expect(ck, want);
	assert_string_equal(((struct problem *)g_ptr_array_index(
	    ck->problems, 0))->written, "来年4月頃");
	assert_null(((struct problem *)g_ptr_array_index(ck->problems,
	    1))->written);
	check_free(ck);
	g_free(d);
	g_free(long101);
}

/* Labels as people write them: full width, spaces, synonyms; 項番 in
 * full width with a long dash. */
static void
test_tolerance(void **state)
{
	const char	*app =
	    "項 目,内 容\n"
	    "制　度,医療情報 ＡＳＰ・ＳａａＳ\n"
	    "申請区分,新規\n"
	    "会社名,株式会社サンプル\n"
	    "サービス名,サンプルカルテ\n"
	    "サービス概要,電子カルテの保管\n"
	    "担当者名,山田 太郎\n"
	    "担当者ﾒｰﾙｱﾄﾞﾚｽ,ｙａｍａｄａ＠example.jp\n"
	    "電話番号,０３－１２３４－５６７８\n";
	char		*d = disc("medical", NULL), *p;
	struct check	*ck;
	const char	*none[] = { NULL };

	(void)state;
	/* 項番 2-1 written ２ー１ in full width. */
	p = strstr(d, "\n2-1,");
	assert_non_null(p);
	d = g_realloc(d, strlen(d) + 8);
	p = strstr(d, "\n2-1,");
	memmove(p + 1 + strlen("２ー１"), p + 4, strlen(p + 4) + 1);
	memcpy(p + 1, "２ー１", strlen("２ー１"));
	ck = check_files("申請書.csv", app, "情報開示書.csv", d);
	expect(ck, none);
	assert_string_equal(ck->scheme->code, "medical");
	assert_string_equal(ck->contact_email, "yamada@example.jp");
	assert_string_equal(ck->phone, "03-1234-5678");
	check_free(ck);
	g_free(d);
}

/* A file that cannot be read, and a ZIP over a limit, are problems of
 * the file, said in Japanese. */
static void
test_file_problems(void **state)
{
	struct form_limits	 lim;
	struct forms		*f;
	struct check		*ck;
	struct problem		*p;

	(void)state;
	forms_limits_default(&lim);
	f = forms_new();
	forms_add(f, "申請書類.zip", "PK\x03\x04garbage", 11, &lim, NULL);
	forms_add(f, "情報開示書.xlsx", "not a workbook", 14, &lim, NULL);
	forms_add(f, "古い.xls", "\xd0\xcf\x11\xe0", 4, &lim, NULL);
	ck = check_forms(f, rules);
	assert_true(ck->problems->len >= 3);
	p = g_ptr_array_index(ck->problems, 0);
	assert_string_equal(p->item, "");
	assert_string_equal(p->label, "申請書類.zip");
	p = g_ptr_array_index(ck->problems, 1);
	assert_string_equal(p->label, "情報開示書.xlsx");
	p = g_ptr_array_index(ck->problems, 2);
	assert_non_null(strstr(p->problem, ".xlsx 形式で保存"));
	check_free(ck);
	forms_free(f);
}

static int
setup(void **state)
{
	GPtrArray	*errors = g_ptr_array_new_with_free_func(g_free);
	char		*dir = g_build_filename(tu_top(), "rules", NULL);

	(void)state;
	rules = rules_load(dir, errors);
	assert_non_null(rules);
	assert_int_equal(errors->len, 0);
	g_ptr_array_free(errors, TRUE);
	g_free(dir);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	rules_free(rules);
	return 0;
}

/* Scheme names as applicants write them: width, blanks, punctuation,
 * brackets, the official suffix, the 〜を取り扱う and （〜取扱いサービス）
 * forms. */
static void
test_scheme_names(void **state)
{
	const char *const	 names[][2] = {
		{ "医療情報を取り扱うASP・SaaS", "medical" },
		{ "ＡＳＰ・ＳａａＳ（医療情報取扱いサービス）", "medical" },
		{ "ASP・SaaS (医療情報取扱いサービス)", "medical" },
		{ "医療情報を取り扱う ASP/SaaS", "medical" },
		{ "「医療情報ASP・SaaS」", "medical" },
		{ "医療情報ASP・SaaSの安全・信頼性に係る情報開示認定制度",
		    "medical" },
		{ "特定個人情報を取り扱うＡＳＰ・ＳａａＳ", "mynumber" },
		{ "特定個人情報 ASP・SaaS の安全・信頼性に係る情報開示認定制度",
		    "mynumber" },
		{ "ＩａａＳ／ＰａａＳ", "iaas-paas" },
		{ "IaaS・PaaS 制度", "iaas-paas" },
		{ "データ センター の安全・信頼性に係る情報開示認定制度",
		    "datacenter" },
		{ "ASP.SaaS", "asp-saas" },
	};
	const struct scheme	*s;
	size_t			 i;

	(void)state;
	for (i = 0; i < G_N_ELEMENTS(names); i++) {
		s = rules_scheme(rules, names[i][0]);
		if (s == NULL || strcmp(s->code, names[i][1]) != 0)
			fail_msg("「%s」: %s, not %s", names[i][0], s != NULL ?
			    s->code : "none", names[i][1]);
	}
	assert_null(rules_scheme(rules, "宇宙情報ASP・SaaS"));
	assert_null(rules_scheme(rules, "の安全・信頼性に係る情報開示認定制度"));
}

/* 制度 missing or unreadable: the 情報開示書 tells its scheme by its title
 * or by item numbers that fit one scheme, and is checked all the same, so
 * that one letter has every problem. */
static void
test_scheme_from_disclosure(void **state)
{
	char		*med = disc("medical", "3-4", "", NULL);
	char		*asp = disc("asp-saas", NULL), *app;
	struct check	*ck;
	const char	*want1[] = { "申請書|制度|記入されていません",
			    "3-4|従業員数（単体）|必須項目", NULL };
	const char	*want2[] = { "申請書|制度|認定制度の名称として",
			    NULL };
	struct problem	*p;
	char		**parts;

	(void)state;
	parts = g_strsplit(app_ok, "医療情報ASP・SaaS", 2);
	app = g_strjoinv("", parts);
	g_strfreev(parts);
	ck = check_files("申請書.csv", app, "情報開示書.csv", med);
	expect(ck, want1);
	assert_string_equal(ck->scheme->code, "medical");
	p = g_ptr_array_index(ck->problems, 0);
	tu_contains(p->hint, "情報開示書の内容から「医療情報ASP・SaaS」として");
	check_free(ck);

	/* Unreadable 制度; an ASP・SaaS disclosure's items fit several
	 * schemes, but only ASP・SaaS exactly. */
	g_free(app);
	app = g_strdup(app_ok);
	memcpy(strstr(app, "医療情報"), "宇宙情報", strlen("宇宙情報"));
	ck = check_files("申請書.csv", app, "情報開示書.csv", asp);
	expect(ck, want2);
	assert_string_equal(ck->scheme->code, "asp-saas");
	check_free(ck);

	/* The title says it: a file named for its scheme. */
	ck = check_files("申請書.csv", app, "情報開示書（ASP・SaaS（特定個人"
	    "情報取扱いサービス））.csv", asp);
	assert_string_equal(ck->scheme->code, "mynumber");
	check_free(ck);

	/* The heading above the header row says it. */
	{
		char	*headed = g_strconcat("特定個人情報を取り扱うASP・SaaS "
			    "情報開示書,,,\n", asp, NULL);

		ck = check_files("申請書.csv", app, "情報開示書.csv", headed);
		assert_string_equal(ck->scheme->code, "mynumber");
		check_free(ck);
		g_free(headed);
	}
	g_free(app);

	/* No 申請書 at all: the disclosure is checked as what it is. */
	ck = check_files("情報開示書.csv", med, NULL, NULL);
	assert_string_equal(ck->scheme->code, "medical");
	assert_int_equal(ck->problems->len, 2);
	check_free(ck);
	g_free(med);
	g_free(asp);
}

/* The 申請区分 as applicants write it, and the word each kind is shown
 * by: one table. */
static void
test_kinds(void **state)
{
	(void)state;
	assert_string_equal(check_kind("新規"), KIND_NEW);
	assert_string_equal(check_kind(" 更新　"), KIND_RENEWAL);
	assert_string_equal(check_kind("変更届"), KIND_CHANGE);
	assert_string_equal(check_kind("Change"), KIND_CHANGE);
	assert_null(check_kind("継続"));
	assert_null(check_kind(""));
	assert_string_equal(check_kind_label(KIND_RENEWAL), "更新");
	assert_string_equal(check_kind_label(NULL), "（未確認）");
	assert_true(check_kind_is(KIND_CHANGE, KIND_CHANGE));
	assert_false(check_kind_is(NULL, KIND_NEW));
	assert_false(check_kind_is(KIND_RENEWAL, KIND_NEW));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_complete),
		cmocka_unit_test(test_no_forms),
		cmocka_unit_test(test_application_problems),
		cmocka_unit_test(test_disclosure_problems),
		cmocka_unit_test(test_tolerance),
		cmocka_unit_test(test_file_problems),
		cmocka_unit_test(test_scheme_names),
		cmocka_unit_test(test_scheme_from_disclosure),
		cmocka_unit_test(test_kinds),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
