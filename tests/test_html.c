/* test_html.c: the dashboard's leaf: text that tries to become markup
 * (a company named <script>, quotes, ampersands, a subject with CRLF,
 * NUL, C1 and bidi controls, broken UTF-8) comes out inert, and the SVG
 * bar chart is well-formed, scaled, and escapes its labels. */

#include <math.h>
#include <string.h>

#include "testutil.h"
#include "html.h"

/* A text, its length (-1: a C string), and what html_text makes of it. */
struct esc {
	const char	*in;
	gssize		 len;
	const char	*want;
};

/* Each text escaped as wanted; no output can open or close markup. */
static void
check(const struct esc *e, size_t n)
{
	GString	*out = g_string_new(NULL);
	size_t	 i;

	for (i = 0; i < n; i++) {
		g_string_truncate(out, 0);
		html_text(out, e[i].in, e[i].len);
		assert_string_equal(out->str, e[i].want);
		assert_true(g_utf8_validate(out->str, -1, NULL));
		assert_null(strpbrk(out->str, "<>\"'\r\n\t"));
	}
	g_string_free(out, TRUE);
}

static void
test_script_company(void **state)
{
	const struct esc	 e[] = {
		{ "<script>alert(\"x\")</script> & 'y' 株式会社", -1,
		  "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; "
		  "&#39;y&#39; 株式会社" },
		{ "&lt; is already escaped", -1, "&amp;lt; is already escaped" },
		{ "", -1, "" },
		{ NULL, -1, "" },
	};
	char			*s;

	(void)state;
	check(e, G_N_ELEMENTS(e));
	s = html_escape("<a href='x'>");
	assert_string_equal(s, "&lt;a href=&#39;x&#39;&gt;");
	g_free(s);
}

/* A subject with CRLF (a header injection, or a fake second line) is one
 * line of blanks and text. */
static void
test_crlf_subject(void **state)
{
	const struct esc	 e[] = {
		{ "申請\r\nBcc: all@example.jp\r\n\r\n<b>偽の行</b>", -1,
		  "申請  Bcc: all@example.jp    &lt;b&gt;偽の行&lt;/b&gt;" },
	};

	(void)state;
	check(e, G_N_ELEMENTS(e));
}

/* NUL (with a length), tab, DEL, ESC, C1, line separators become blanks;
 * bidi overrides, isolates and marks are dropped ("invoice<RLO>fdp.exe"
 * reads as it is stored). */
static void
test_controls(void **state)
{
	const struct esc	 e[] = {
		{ "a\0b", 3, "a\xef\xbf\xbd" "b" },
		{ "a\tb\x7f" "c\x1b[31md", -1, "a b c [31md" },
		{ "a\xc2\x85" "b\xc2\x9b" "c\xe2\x80\xa8" "d", -1, "a b c d" },
		{ "invoice\xe2\x80\xae" "fdp.exe\xe2\x81\xa6x\xe2\x81\xa9"
		  "\xe2\x80\x8f", -1, "invoicefdp.exex" },
	};

	(void)state;
	check(e, G_N_ELEMENTS(e));
}

/* Broken UTF-8 (stray bytes, an overlong '<', a surrogate, a sequence cut
 * at the end) becomes U+FFFD, a byte each. */
static void
test_invalid_utf8(void **state)
{
	const struct esc	 e[] = {
		{ "a\xff\xfe" "b", -1, "a\xef\xbf\xbd\xef\xbf\xbd" "b" },
		{ "\xc0\xbc" "script", -1,
		  "\xef\xbf\xbd\xef\xbf\xbd" "script" },
		{ "x\xed\xa0\x80y", -1,
		  "x\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" "y" },
		{ "end\xe3\x81", -1, "end\xef\xbf\xbd\xef\xbf\xbd" },
	};

	(void)state;
	check(e, G_N_ELEMENTS(e));
}

/* Japanese, NEC specials, half-width kana and emoji stay as they are. */
static void
test_keeps_text(void **state)
{
	const struct esc	 e[] = {
		{ "株式会社テスト①㈱ｶﾌﾞｼｷｶﾞｲｼｬ 〜 🙂 café", -1,
		  "株式会社テスト①㈱ｶﾌﾞｼｷｶﾞｲｼｬ 〜 🙂 café" },
	};

	(void)state;
	check(e, G_N_ELEMENTS(e));
}

static void
test_cut(void **state)
{
	const struct {
		const char	*in;
		size_t		 max;
		const char	*want;
	} c[] = {
		{ "あいうえお", 3, "あい…" },
		{ "あいう", 3, "あいう" },
		{ "<<<<", 3, "&lt;&lt;…" },
		{ "abc", 0, "abc" },
	};
	GString	*out = g_string_new(NULL);
	size_t	 i;

	(void)state;
	for (i = 0; i < G_N_ELEMENTS(c); i++) {
		g_string_truncate(out, 0);
		html_text_cut(out, c[i].in, c[i].max);
		assert_string_equal(out->str, c[i].want);
	}
	g_string_free(out, TRUE);
}

static void
test_attr_elem(void **state)
{
	GString	*out = g_string_new(NULL);

	(void)state;
	html_attr(out, "title", "a\"b' onmouseover=alert(1) x=\"");
	assert_string_equal(out->str, " title=\"a&quot;b&#39; "
	    "onmouseover=alert(1) x=&quot;\"");
	g_string_truncate(out, 0);
	html_attr(out, "title", NULL);
	assert_string_equal(out->str, "");
	html_elem(out, "td", "company", "<img src=x onerror=alert(1)>");
	assert_string_equal(out->str, "<td class=\"company\">&lt;img src=x "
	    "onerror=alert(1)&gt;</td>");
	g_string_truncate(out, 0);
	html_elem(out, "td", NULL, NULL);
	assert_string_equal(out->str, "<td></td>");
	g_string_free(out, TRUE);
}

/* Counts elements while GMarkup parses: the chart is well-formed XML. */
static void
count_start(GMarkupParseContext *ctx, const char *name, const char **names,
    const char **values, gpointer data, GError **error)
{
	GHashTable	*seen = data;
	guint		 n;

	(void)ctx;
	(void)names;
	(void)values;
	(void)error;
	n = GPOINTER_TO_UINT(g_hash_table_lookup(seen, name));
	g_hash_table_replace(seen, g_strdup(name), GUINT_TO_POINTER(n + 1));
}

static GHashTable *
parse_svg(const char *svg)
{
	GMarkupParser		 p = { count_start, NULL, NULL, NULL, NULL };
	GMarkupParseContext	*ctx;
	GHashTable		*seen;
	GError			*error = NULL;

	seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	ctx = g_markup_parse_context_new(&p, 0, seen, NULL);
	if (!g_markup_parse_context_parse(ctx, svg, -1, &error) ||
	    !g_markup_parse_context_end_parse(ctx, &error))
		fail_msg("not well-formed: %s\n%s", error->message, svg);
	g_markup_parse_context_free(ctx);
	return seen;
}

static guint
seen(GHashTable *h, const char *name)
{
	return GPOINTER_TO_UINT(g_hash_table_lookup(h, name));
}

/* Bars scaled to the largest (120 units), values and labels written,
 * labels escaped, bad values drawn as 0. */
static void
test_chart(void **state)
{
	const struct html_bar	 bars[] = {
		{ "10月", 2 }, { "11月", 4 }, { "<b>x</b>", 0 },
		{ "nan", NAN }, { "neg", -3 }, { "半", 2.5 },
	};
	GString			*out = g_string_new(NULL);
	GHashTable		*h;

	(void)state;
	html_bar_chart(out, "月別の申請数 <script>", bars, G_N_ELEMENTS(bars),
	    "件");
	assert_true(g_str_has_prefix(out->str, "<svg "));
	assert_true(g_str_has_suffix(out->str, "</svg>"));
	assert_null(strstr(out->str, "<script"));
	assert_null(strstr(out->str, "<b>"));
	assert_null(strstr(out->str, "http"));
	assert_null(strstr(out->str, "nan\""));
	assert_non_null(strstr(out->str, "&lt;b&gt;"));
	assert_non_null(strstr(out->str, "aria-label=\"月別の申請数 "
	    "&lt;script&gt;\""));
	h = parse_svg(out->str);
	assert_int_equal(seen(h, "svg"), 1);
	assert_int_equal(seen(h, "rect"), G_N_ELEMENTS(bars));
	/* A label under every bar, a value over the three above 0. */
	assert_int_equal(seen(h, "text"), G_N_ELEMENTS(bars) + 3);
	g_hash_table_destroy(h);
	/* 4 is the tallest: 120; 2 is half of it; 2.5 is written 2.5. */
	assert_non_null(strstr(out->str, "y=\"22\" width=\"24\" "
	    "height=\"120\""));
	assert_non_null(strstr(out->str, "height=\"60\""));
	assert_non_null(strstr(out->str, ">2.5</text>"));
	assert_non_null(strstr(out->str, "<title>11月: 4件</title>"));
	assert_non_null(strstr(out->str, "<title>nan: 0件</title>"));
	assert_non_null(strstr(out->str, "<title>neg: 0件</title>"));
	g_string_free(out, TRUE);
}

/* No bars, or only zeros: a valid chart, no division by zero. */
static void
test_chart_empty(void **state)
{
	const struct html_bar	 zeros[] = { { "1月", 0 }, { "2月", 0 } };
	GString			*out = g_string_new(NULL);
	GHashTable		*h;

	(void)state;
	html_bar_chart(out, "空", NULL, 0, "日");
	h = parse_svg(out->str);
	assert_int_equal(seen(h, "rect"), 0);
	g_hash_table_destroy(h);
	g_string_truncate(out, 0);
	html_bar_chart(out, "ゼロ", zeros, 2, "日");
	h = parse_svg(out->str);
	assert_int_equal(seen(h, "rect"), 2);
	g_hash_table_destroy(h);
	assert_null(strstr(out->str, "nan"));
	assert_null(strstr(out->str, "inf"));
	assert_non_null(strstr(out->str, "height=\"0\""));
	g_string_free(out, TRUE);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_script_company),
		cmocka_unit_test(test_crlf_subject),
		cmocka_unit_test(test_controls),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_keeps_text),
		cmocka_unit_test(test_cut),
		cmocka_unit_test(test_attr_elem),
		cmocka_unit_test(test_chart),
		cmocka_unit_test(test_chart_empty),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
