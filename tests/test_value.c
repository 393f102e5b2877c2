/* test_value.c: the value types: every notation each accepts, the normal
 * form it becomes, and the words an applicant reads when it is refused. */

#include <math.h>
#include <string.h>

#include "testutil.h"
#include "value.h"

#define HINT_DATE	"「2026年4月1日」「令和8年4月1日」「2026/4/1」のように" \
			    "ご記入ください"
#define HINT_YEAR	"「1947」「1947年」「昭和22年」のようにご記入ください"
#define HINT_INTEGER	"「120」「120名」のように数字でご記入ください"
#define HINT_AMOUNT	"「1,000,000円」「100万円」のようにご記入ください"
#define HINT_PERCENT	"「99.9%」のように数字でご記入ください"
#define HINT_URL	"「https://www.example.jp/」のようにご記入ください"
#define HINT_EMAIL	"「info@example.jp」のようにご記入ください"
#define HINT_POSTAL	"「123-4567」のように7桁の数字でご記入ください"
#define HINT_PHONE	"「03-1234-5678」のようにご記入ください"

/* Checks input against type; fails the test unless the answer is rc with
 * that normal form (rc 0) or problem and hint (rc -1). */
static void
expect(const char *type, const char *input, enum vcell cell, int rc,
    const char *normal, const char *problem, const char *hint)
{
	struct vtype	 t;
	struct vresult	 r;
	char		*cause = NULL;
	int		 got;

	if (vtype_parse(type, &t, &cause) != 0)
		fail_msg("%s: %s", type, cause);
	got = value_check(&t, input, cell, &r);
	if (got != rc || g_strcmp0(r.normal, normal) != 0 ||
	    g_strcmp0(r.problem, problem) != 0 ||
	    g_strcmp0(r.hint, hint) != 0)
		fail_msg("%s \"%s\": got %d \"%s\" \"%s\" \"%s\", want %d "
		    "\"%s\" \"%s\" \"%s\"", type, input, got, r.normal,
		    r.problem, r.hint, rc, normal, problem, hint);
	vresult_clear(&r);
	assert_null(r.normal);
	vtype_clear(&t);
}

/* The value reads, as typed, to its normal form. */
static void
ok(const char *type, const char *input, const char *normal)
{
	expect(type, input, VCELL_TEXT, 0, normal, NULL, NULL);
}

/* The value is refused with that problem and hint. */
static void
bad(const char *type, const char *input, const char *problem,
    const char *hint)
{
	expect(type, input, VCELL_TEXT, -1, NULL, problem, hint);
}

/* Every input of a list is refused with the same problem and hint. */
static void
bad_each(const char *type, const char *const *inputs, size_t n,
    const char *problem, const char *hint)
{
	size_t	i;

	for (i = 0; i < n; i++)
		bad(type, inputs[i], problem, hint);
}
#define BAD_EACH(type, list, problem, hint) \
	bad_each(type, list, G_N_ELEMENTS(list), problem, hint)

/* The type fails to parse with that cause. */
static void
bad_type(const char *spec, const char *want)
{
	struct vtype	 t;
	char		*cause = NULL;

	if (vtype_parse(spec, &t, &cause) != -1)
		fail_msg("\"%s\" parsed", spec);
	if (strcmp(cause, want) != 0)
		fail_msg("\"%s\": got \"%s\", want \"%s\"", spec, cause, want);
	assert_null(t.choices);
	g_free(cause);
}

static void
test_type_parse(void **state)
{
	static const struct {
		const char	*spec;
		enum vtype_kind	 kind;
	} names[] = {
		{ "text", VT_TEXT }, { "date", VT_DATE }, { "year", VT_YEAR },
		{ "integer", VT_INTEGER }, { "amount", VT_AMOUNT },
		{ "percent", VT_PERCENT }, { "url", VT_URL },
		{ "email", VT_EMAIL }, { "postal", VT_POSTAL },
		{ "phone", VT_PHONE },
	};
	struct vtype	 t;
	char		*cause = NULL;
	size_t		 i;

	(void)state;
	for (i = 0; i < G_N_ELEMENTS(names); i++) {
		assert_int_equal(vtype_parse(names[i].spec, &t, &cause), 0);
		assert_int_equal(t.kind, names[i].kind);
		assert_int_equal(t.max_len, 0);
		assert_null(t.choices);
		vtype_clear(&t);
	}
	assert_int_equal(vtype_parse("text<=100", &t, &cause), 0);
	assert_int_equal(t.kind, VT_TEXT);
	assert_int_equal(t.max_len, 100);
	vtype_clear(&t);
	assert_int_equal(vtype_parse("enum:IaaS | PaaS|IaaS・PaaS", &t, &cause),
	    0);
	assert_int_equal(t.kind, VT_ENUM);
	assert_int_equal(t.choices->len, 3);
	assert_string_equal(t.choices->pdata[0], "IaaS");
	assert_string_equal(t.choices->pdata[1], "PaaS");
	assert_string_equal(t.choices->pdata[2], "IaaS・PaaS");
	vtype_clear(&t);
	assert_null(t.choices);
	vtype_clear(&t);		/* twice is harmless */

	bad_type("txt", "unknown type \"txt\"");
	bad_type("Date", "unknown type \"Date\"");
	bad_type("", "empty type");
	bad_type("text<=", "text<=N needs a number");
	bad_type("text<=abc", "text<=N needs a number");
	bad_type("text<=-5", "text<=N needs a number");
	bad_type("text<=0", "text<=0: N must be between 1 and 4294967295");
	bad_type("text<=99999999999",
	    "text<=99999999999: N must be between 1 and 4294967295");
	bad_type("enum:", "enum: needs at least two values separated by |");
	bad_type("enum:有", "enum: needs at least two values separated by |");
	bad_type("enum:有||無", "enum: value 2 is empty");
	bad_type("enum:有| ", "enum: value 2 is empty");
	bad_type("enum:Yes|ｙｅｓ", "enum: \"ｙｅｓ\" is listed twice");
}

static void
test_trim_length(void **state)
{
	char	*s;

	(void)state;
	s = value_trim("\u3000 \t株式会社 サンプル\r\n\u3000");
	assert_string_equal(s, "株式会社 サンプル");
	g_free(s);
	s = value_trim("\u00a0a\u3000b\u00a0");
	assert_string_equal(s, "a\u3000b");
	g_free(s);
	s = value_trim(" \u3000\n");
	assert_string_equal(s, "");
	g_free(s);
	s = value_trim(NULL);
	assert_string_equal(s, "");
	g_free(s);
	assert_int_equal(value_length(""), 0);
	assert_int_equal(value_length("abc"), 3);
	assert_int_equal(value_length("全角ＡＢＣabc"), 8);
	assert_int_equal(value_length("𠮷野家"), 3);
}

static void
test_text(void **state)
{
	GString	*s = g_string_new(NULL);
	int	 i;

	(void)state;
	ok("text", "  クラウドサービス\u3000", "クラウドサービス");
	ok("text", "a\nb", "a\nb");
	for (i = 0; i < 100; i++)
		g_string_append(s, i % 2 ? "字" : "x");
	ok("text<=100", s->str, s->str);
	for (i = 0; i < 20; i++)
		g_string_append(s, "あ");
	bad("text<=100", s->str, "100字以内でご記入ください（現在 120字）",
	    NULL);
	ok("text", s->str, s->str);
	bad("text", " \u3000\t", "記入されていません", NULL);
	bad("text", "\xff\xfe", "読み取れない文字が含まれています", NULL);
	g_string_free(s, TRUE);
}

static void
test_date_western(void **state)
{
	(void)state;
	ok("date", "2024-04-15", "2024-04-15");
	ok("date", "2024/4/15", "2024-04-15");
	ok("date", "2024.4.15", "2024-04-15");
	ok("date", "2024年4月15日", "2024-04-15");
	ok("date", "2024年4月15", "2024-04-15");
	ok("date", "2024 年 4 月 15 日", "2024-04-15");
	ok("date", "２０２４年４月１５日", "2024-04-15");
	ok("date", "２０２４／０４／１５", "2024-04-15");
	ok("date", "\u30002024/4/15\u3000", "2024-04-15");
	ok("date", "20240415", "2024-04-15");
}

static void
test_date_era(void **state)
{
	(void)state;
	ok("date", "令和6年4月15日", "2024-04-15");
	ok("date", "令和元年5月1日", "2019-05-01");
	ok("date", "令和 元年 5月 1日", "2019-05-01");
	ok("date", "平成29年12月20日", "2017-12-20");
	ok("date", "平成31年4月30日", "2019-04-30");
	ok("date", "平成元年1月8日", "1989-01-08");
	ok("date", "昭和64年1月7日", "1989-01-07");
	ok("date", "大正15年12月24日", "1926-12-24");
	ok("date", "明治45年7月29日", "1912-07-29");
	ok("date", "R6.4.15", "2024-04-15");
	ok("date", "H29.12.20", "2017-12-20");
	ok("date", "S64.1.7", "1989-01-07");
	ok("date", "T1.7.30", "1912-07-30");
	ok("date", "R6/4/15", "2024-04-15");
	ok("date", "R06-04-15", "2024-04-15");
	ok("date", "r6.4.15", "2024-04-15");
	ok("date", "h29.12.20", "2017-12-20");
	ok("date", "Ｒ６．４．１５", "2024-04-15");
	ok("date", "令和6.4.15", "2024-04-15");
	ok("date", "R6年4月15日", "2024-04-15");
	ok("date", "㋿6年4月15日", "2024-04-15");
	ok("date", "㍻29年12月20日", "2017-12-20");
	ok("date", "㍼64年1月7日", "1989-01-07");
}

/* An era's year counts only between its first and last day. */
static void
test_date_era_bounds(void **state)
{
	(void)state;
	bad("date", "平成31年5月1日", "平成31年5月1日という日付はありません"
	    "（平成は2019年4月30日まで）", HINT_DATE);
	bad("date", "H31.5.1", "平成31年5月1日という日付はありません"
	    "（平成は2019年4月30日まで）", HINT_DATE);
	bad("date", "令和元年4月30日", "令和元年4月30日という日付はありません"
	    "（令和は2019年5月1日から）", HINT_DATE);
	bad("date", "昭和64年1月8日", "昭和64年1月8日という日付はありません"
	    "（昭和は1989年1月7日まで）", HINT_DATE);
	bad("date", "平成元年1月7日", "平成元年1月7日という日付はありません"
	    "（平成は1989年1月8日から）", HINT_DATE);
	bad("date", "大正15年12月25日", "大正15年12月25日という日付はありません"
	    "（大正は1926年12月24日まで）", HINT_DATE);
	bad("date", "令和90年1月1日", "2108年は範囲外です（1868年〜2100年）",
	    HINT_DATE);
}

static void
test_date_calendar(void **state)
{
	(void)state;
	ok("date", "2024-02-29", "2024-02-29");
	bad("date", "2024-02-30", "2024年2月30日という日付はありません",
	    HINT_DATE);
	bad("date", "2023/2/29", "2023年2月29日という日付はありません",
	    HINT_DATE);
	bad("date", "2024年13月1日", "2024年13月1日という日付はありません",
	    HINT_DATE);
	bad("date", "2024-04-00", "2024年4月0日という日付はありません",
	    HINT_DATE);
	bad("date", "令和6年4月31日", "令和6年4月31日という日付はありません",
	    HINT_DATE);
	bad("date", "1800-01-01", "1800年は範囲外です（1868年〜2100年）",
	    HINT_DATE);
	bad("date", "2101/1/1", "2101年は範囲外です（1868年〜2100年）",
	    HINT_DATE);
}

static void
test_date_cells(void **state)
{
	char	*s;

	(void)state;
	expect("date", "2024-04-15", VCELL_DATE, 0, "2024-04-15", NULL, NULL);
	expect("date", "45292", VCELL_NUMBER, 0, "2024-01-01", NULL, NULL);
	expect("date", "45292.75", VCELL_NUMBER, 0, "2024-01-01", NULL, NULL);
	expect("date", "20240415", VCELL_NUMBER, 0, "2024-04-15", NULL, NULL);
	expect("date", "2024", VCELL_NUMBER, -1, NULL,
	    "日付として読み取れません", HINT_DATE);
	expect("date", "60", VCELL_NUMBER, -1, NULL,
	    "日付として読み取れません", HINT_DATE);
	expect("date", "99999999", VCELL_NUMBER, -1, NULL,
	    "9999年99月99日という日付はありません", HINT_DATE);

	s = value_excel_date(1);
	assert_string_equal(s, "1900-01-01");
	g_free(s);
	s = value_excel_date(59);
	assert_string_equal(s, "1900-02-28");
	g_free(s);
	assert_null(value_excel_date(60));
	s = value_excel_date(61);
	assert_string_equal(s, "1900-03-01");
	g_free(s);
	s = value_excel_date(43586);
	assert_string_equal(s, "2019-05-01");
	g_free(s);
	s = value_excel_date(2958465.99);
	assert_string_equal(s, "9999-12-31");
	g_free(s);
	assert_null(value_excel_date(2958466));
	assert_null(value_excel_date(0));
	assert_null(value_excel_date(-1));
	assert_null(value_excel_date(NAN));
	assert_null(value_excel_date(INFINITY));
}

static void
test_date_rejects(void **state)
{
	static const char *const inputs[] = {
		"来年4月頃", "2024年4月", "24/4/15", "2024-4/15", "令和6年",
		"X6.4.15", "2024/04/15 10:00", "2024年4月15日頃", "令和",
		"R.6.4.15", "2024-04-15-01", "１２３",
	};

	(void)state;
	BAD_EACH("date", inputs, "日付として読み取れません",
	    HINT_DATE);
}

static void
test_year(void **state)
{
	static const char *const inputs[] = {
		"47", "昭和", "1947年度", "一九四七年", "S", "1947/4",
	};

	(void)state;
	ok("year", "1947", "1947");
	ok("year", "1947年", "1947");
	ok("year", "1947 年", "1947");
	ok("year", "１９４７年", "1947");
	ok("year", "昭和22年", "1947");
	ok("year", "昭和22", "1947");
	ok("year", "S22", "1947");
	ok("year", "㍼22年", "1947");
	ok("year", "令和元年", "2019");
	ok("year", "平成31年", "2019");
	ok("year", "明治元年", "1868");
	expect("year", "1947", VCELL_NUMBER, 0, "1947", NULL, NULL);
	expect("year", "1947.0", VCELL_NUMBER, 0, "1947", NULL, NULL);
	bad("year", "平成32年", "平成32年という年はありません（平成は31年まで）",
	    HINT_YEAR);
	bad("year", "1850", "1850年は範囲外です（1868年〜2100年）", HINT_YEAR);
	bad("year", "2200年", "2200年は範囲外です（1868年〜2100年）",
	    HINT_YEAR);
	BAD_EACH("year", inputs, "年として読み取れません",
	    HINT_YEAR);
}

static void
test_integer(void **state)
{
	static const char *const units[] = {
		"名", "人", "件", "ヶ所", "か所", "ケ所", "カ所", "箇所", "拠点",
		"年", "社", "台", "回", "時間", "ラック",
	};
	static const char *const inputs[] = {
		"約100名", "100名以上", "abc", "1,20", "1,2345", "12,34,567",
		"100,", "名", "100 名 程度", "1 200", "百",
	};
	char	*s;
	size_t	 i;

	(void)state;
	ok("integer", "1200", "1200");
	ok("integer", "1,200", "1200");
	ok("integer", "1,234,567", "1234567");
	ok("integer", "１，２００", "1200");
	ok("integer", "１２０名", "120");
	ok("integer", "120 名", "120");
	ok("integer", "120\u3000名", "120");
	ok("integer", "0", "0");
	ok("integer", "007", "7");
	ok("integer", "500kg/㎡", "500");
	ok("integer", "1,000㎡", "1000");
	ok("integer", "3ｶ所", "3");
	for (i = 0; i < G_N_ELEMENTS(units); i++) {
		s = g_strconcat("12", units[i], NULL);
		ok("integer", s, "12");
		g_free(s);
	}
	expect("integer", "1200.0", VCELL_NUMBER, 0, "1200", NULL, NULL);
	expect("integer", "1.2E+3", VCELL_NUMBER, 0, "1200", NULL, NULL);
	BAD_EACH("integer", inputs, "数値として読み取れません",
	    HINT_INTEGER);
	bad("integer", "-5", "負の数は記入できません", HINT_INTEGER);
	bad("integer", "△5名", "負の数は記入できません", HINT_INTEGER);
	bad("integer", "1.5", "小数は記入できません", HINT_INTEGER);
	bad("integer", "99999999999999999999", "数値が大きすぎます",
	    HINT_INTEGER);
	ok("integer", "9223372036854775807", "9223372036854775807");
	bad("integer", "9223372036854775808", "数値が大きすぎます",
	    HINT_INTEGER);
}

/* Staff's --amount: the forms of a bank statement, and nothing else
 * (20.900 or 20万 would be a guess). */
static void
test_yen(void **state)
{
	const char	*good[] = { "209000", "209,000", "２０９，０００",
	    "209,000円", "¥209,000", "￥209,000", " 209000 ", "¥209000円",
	    NULL };
	const char	*bad[] = { "", "0", "209.000", "20,90,00", "2090,00",
	    "209,00", ",209", "209,", "-209000", "20万", "209000 円x",
	    "yen", "¥", "209 000", "1,000,000,000,001", "99999999999999999999",
	    NULL };
	int64_t		 yen;
	size_t		 i;

	(void)state;
	for (i = 0; good[i] != NULL; i++) {
		yen = 0;
		if (value_yen(good[i], &yen) != 0 || yen != 209000)
			fail_msg("\"%s\": got %lld", good[i], (long long)yen);
	}
	for (i = 0; bad[i] != NULL; i++) {
		if (value_yen(bad[i], &yen) == 0)
			fail_msg("\"%s\" taken as %lld", bad[i],
			    (long long)yen);
	}
	assert_int_equal(value_yen("1,000", &yen), 0);
	assert_int_equal(yen, 1000);
	assert_int_equal(value_yen("5", &yen), 0);
	assert_int_equal(yen, 5);
}

static void
test_amount(void **state)
{
	static const char *const inputs[] = {
		"約100万円", "100万億円", "1万2億円", "abc", "1,0000円",
		"100万円位", "円", "¥", "1000ドル", "100万円円",
	};

	(void)state;
	ok("amount", "1,000,000", "1000000");
	ok("amount", "1,000,000円", "1000000");
	ok("amount", "1,000,000 円", "1000000");
	ok("amount", "￥1,000,000", "1000000");
	ok("amount", "¥1,000,000", "1000000");
	ok("amount", "\\1,000,000", "1000000");
	ok("amount", "100万円", "1000000");
	ok("amount", "1億2,000万円", "120000000");
	ok("amount", "1億 2,000万 円", "120000000");
	ok("amount", "1億円", "100000000");
	ok("amount", "12,345千円", "12345000");
	ok("amount", "3.5億円", "350000000");
	ok("amount", "1兆円", "1000000000000");
	ok("amount", "1兆2億3万4円", "1000200030004");
	ok("amount", "100万5千円", "1005000");
	ok("amount", "2千万円", "20000000");
	ok("amount", "12百万円", "12000000");
	ok("amount", "１，０００，０００円", "1000000");
	ok("amount", "１億２，０００万円", "120000000");
	ok("amount", "0円", "0");
	ok("amount", "-0", "0");
	ok("amount", "-3,500,000", "-3500000");
	ok("amount", "\u22123,500,000円", "-3500000");
	ok("amount", "－3,500,000円", "-3500000");
	ok("amount", "△3,500,000", "-3500000");
	ok("amount", "▲350万円", "-3500000");
	ok("amount", "¥-1,000", "-1000");
	ok("amount", "-¥1,000", "-1000");
	ok("amount", "9223372036854775807", "9223372036854775807");
	expect("amount", "1.2E+7", VCELL_NUMBER, 0, "12000000", NULL, NULL);
	expect("amount", "-3500000", VCELL_NUMBER, 0, "-3500000", NULL, NULL);
	BAD_EACH("amount", inputs, "金額として読み取れません",
	    HINT_AMOUNT);
	bad("amount", "1.5円", "1円未満の端数があります", HINT_AMOUNT);
	bad("amount", "9223372036854775808", "金額が大きすぎます", HINT_AMOUNT);
	bad("amount", "10000000兆円", "金額が大きすぎます", HINT_AMOUNT);
	bad("amount", "99999999999999999999999円", "金額が大きすぎます",
	    HINT_AMOUNT);
}

static void
test_percent(void **state)
{
	static const char *const inputs[] = {
		"高い", "99.9%%", "約99%", "99.9 %以上", "%", "99.9.9",
	};

	(void)state;
	ok("percent", "99.9", "99.9");
	ok("percent", "99.9%", "99.9");
	ok("percent", "９９．９％", "99.9");
	ok("percent", "99.95 ％", "99.95");
	ok("percent", "100", "100");
	ok("percent", "100.00%", "100");
	ok("percent", "0.5", "0.5");
	ok("percent", ".5%", "0.5");
	ok("percent", "050", "50");
	ok("percent", "-12.5%", "-12.5");
	ok("percent", "△3.2％", "-3.2");
	ok("percent", "-0.0", "0");
	expect("percent", "99.9", VCELL_NUMBER, 0, "99.9", NULL, NULL);
	BAD_EACH("percent", inputs, "数値として読み取れません",
	    HINT_PERCENT);
}

static void
test_enum(void **state)
{
	static const char *const yes[] = {
		"有", "あり", "有り", "はい", "Yes", "YES", "yes", "ｙｅｓ",
		"\u3000有 ",
	};
	static const char *const no[] = {
		"無", "なし", "無し", "いいえ", "No", "NO", "no", "ＮＯ",
	};
	size_t	i;

	(void)state;
	for (i = 0; i < G_N_ELEMENTS(yes); i++)
		ok("enum:有|無", yes[i], "有");
	for (i = 0; i < G_N_ELEMENTS(no); i++)
		ok("enum:有|無", no[i], "無");
	bad("enum:有|無", "不明", "次のいずれかでご記入ください：有、無", NULL);
	bad("enum:有|無", "○", "次のいずれかでご記入ください：有、無", NULL);
	ok("enum:IaaS|PaaS|IaaS・PaaS", "iaas", "IaaS");
	ok("enum:IaaS|PaaS|IaaS・PaaS", "ＩａａＳ", "IaaS");
	ok("enum:IaaS|PaaS|IaaS・PaaS", "IaaS・PaaS", "IaaS・PaaS");
	ok("enum:IaaS|PaaS|IaaS・PaaS", "iaas･paas", "IaaS・PaaS");
	bad("enum:IaaS|PaaS|IaaS・PaaS", "SaaS",
	    "次のいずれかでご記入ください：IaaS、PaaS、IaaS・PaaS", NULL);
	ok("enum:自社所有|賃借", "賃借", "賃借");
	/* The 有/無 spellings belong to that enum only. */
	bad("enum:国内|国外", "はい", "次のいずれかでご記入ください：国内、国外",
	    NULL);
	bad("enum:有|無|不明", "あり",
	    "次のいずれかでご記入ください：有、無、不明", NULL);
}

static void
test_url(void **state)
{
	static const char *const inputs[] = {
		"www.example.jp", "ftp://example.jp/", "https://example",
		"https://exa mple.jp/", "https://", "http:///path",
		"https://user@evil.jp/", "https://example.jp:abc/",
		"https://example.jp:123456/", "https://.example.jp/",
		"https://example..jp/", "https://-x.example.jp/",
		"https://example.jp./", "https://<x>.jp/", "mailto:a@b.jp",
	};

	(void)state;
	ok("url", "https://www.example.jp/", "https://www.example.jp/");
	ok("url", "http://example.com", "http://example.com");
	ok("url", "HTTPS://Example.jp/a/b?q=1&r=2#top",
	    "https://Example.jp/a/b?q=1&r=2#top");
	ok("url", "ｈｔｔｐｓ：／／ｗｗｗ．ｅｘａｍｐｌｅ．ｊｐ／",
	    "https://www.example.jp/");
	ok("url", "http://localhost:8080/", "http://localhost:8080/");
	ok("url", "https://example.jp:8443", "https://example.jp:8443");
	ok("url", "https://日本語.jp/", "https://日本語.jp/");
	BAD_EACH("url", inputs, "URLとして読み取れません",
	    HINT_URL);
}

static void
test_email(void **state)
{
	static const char *const inputs[] = {
		"info", "info@example", "a@@example.jp", "a@b@example.jp",
		"a..b@example.jp", ".a@example.jp", "a.@example.jp",
		"a b@example.jp", "info@example..jp", "info@-x.jp",
		"info@example.jp.", "@example.jp", "info@", "山田@example.jp",
		"info@localhost",
	};

	(void)state;
	ok("email", "info@example.jp", "info@example.jp");
	ok("email", "ｉｎｆｏ＠ｅｘａｍｐｌｅ．ｊｐ", "info@example.jp");
	ok("email", "mailto:info@example.jp", "info@example.jp");
	ok("email", "first.last+tag@mail.example.co.jp",
	    "first.last+tag@mail.example.co.jp");
	ok("email", "Info@Example.JP", "Info@Example.JP");
	BAD_EACH("email", inputs, "メールアドレスとして読み取れません",
	    HINT_EMAIL);
}

static void
test_postal(void **state)
{
	static const char *const forms[] = {
		"〒123-4567", "〒 123-4567", "123-4567", "1234567",
		"１２３－４５６７", "〒１２３４５６７", "123ー4567", "123ｰ4567",
		"123\u20104567", "123\u22124567", "123 - 4567",
	};
	static const char *const inputs[] = {
		"12-34567", "123-456", "abc", "1234-567", "123456", "12345678",
		"123--4567", "〒", "123-4567-8",
	};
	size_t	i;

	(void)state;
	for (i = 0; i < G_N_ELEMENTS(forms); i++)
		ok("postal", forms[i], "123-4567");
	expect("postal", "1234567", VCELL_NUMBER, 0, "123-4567", NULL, NULL);
	expect("postal", "600001", VCELL_NUMBER, 0, "060-0001", NULL, NULL);
	expect("postal", "10010", VCELL_NUMBER, 0, "001-0010", NULL, NULL);
	BAD_EACH("postal", inputs, "郵便番号として読み取れません",
	    HINT_POSTAL);
}

static void
test_phone(void **state)
{
	static const char *const inputs[] = {
		"12345", "03-1234-567", "+1-202-555-0100", "03(1234-5678",
		"03)1234(5678", "03-1234-5678 内線12", "1234567890",
		"03-1234-56789-0", "0-3-1-2-3-4-5-6-7-8", "電話",
		"((03))1234-5678", "03-1234-5678-9012",
	};

	(void)state;
	ok("phone", "03-1234-5678", "03-1234-5678");
	ok("phone", "03(1234)5678", "03-1234-5678");
	ok("phone", "(03)1234-5678", "03-1234-5678");
	ok("phone", "(03) 1234-5678", "03-1234-5678");
	ok("phone", "0312345678", "0312345678");
	ok("phone", "0120-123-456", "0120-123-456");
	ok("phone", "090-1234-5678", "090-1234-5678");
	ok("phone", "03 1234 5678", "03-1234-5678");
	ok("phone", "+81-3-1234-5678", "03-1234-5678");
	ok("phone", "+81 (0)3-1234-5678", "03-1234-5678");
	ok("phone", "+81312345678", "0312345678");
	ok("phone", "+81-90-1234-5678", "090-1234-5678");
	ok("phone", "０３－１２３４－５６７８", "03-1234-5678");
	ok("phone", "０３（１２３４）５６７８", "03-1234-5678");
	ok("phone", "03ー1234ー5678", "03-1234-5678");
	expect("phone", "312345678", VCELL_NUMBER, 0, "0312345678", NULL,
	    NULL);
	expect("phone", "9012345678", VCELL_NUMBER, 0, "09012345678", NULL,
	    NULL);
	BAD_EACH("phone", inputs, "電話番号として読み取れません",
	    HINT_PHONE);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_type_parse),
		cmocka_unit_test(test_trim_length),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_date_western),
		cmocka_unit_test(test_date_era),
		cmocka_unit_test(test_date_era_bounds),
		cmocka_unit_test(test_date_calendar),
		cmocka_unit_test(test_date_cells),
		cmocka_unit_test(test_date_rejects),
		cmocka_unit_test(test_year),
		cmocka_unit_test(test_integer),
		cmocka_unit_test(test_amount),
		cmocka_unit_test(test_yen),
		cmocka_unit_test(test_percent),
		cmocka_unit_test(test_enum),
		cmocka_unit_test(test_url),
		cmocka_unit_test(test_email),
		cmocka_unit_test(test_postal),
		cmocka_unit_test(test_phone),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
