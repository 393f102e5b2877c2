/* test_csvread.c: CSV files as Excel and people write them, in UTF-8 and
 * CP932, and the limits. */

#include <string.h>

#include "testutil.h"
#include "csvread.h"

/* Reads a CSV held in a C string (which may hold NUL only at its end). */
static struct csv_table *
readn(const char *bytes, size_t len, const struct csv_limits *lim)
{
	struct csv_table	*t;
	char			*cause = NULL;

	if ((t = csvread_buffer(bytes, len, lim, &cause)) == NULL)
		fail_msg("csvread: %s", cause);
	return t;
}

static struct csv_table *
readstr(const char *bytes)
{
	return readn(bytes, strlen(bytes), NULL);
}

/* The table written back as rows of fields joined by '|', rows by '/'. */
static char *
flatten(const struct csv_table *t)
{
	GString		*s = g_string_new(NULL);
	GPtrArray	*row;
	guint		 i, j;

	for (i = 0; i < t->rows->len; i++) {
		row = t->rows->pdata[i];
		if (i > 0)
			g_string_append_c(s, '/');
		for (j = 0; j < row->len; j++) {
			if (j > 0)
				g_string_append_c(s, '|');
			g_string_append(s, row->pdata[j]);
		}
	}
	return g_string_free(s, FALSE);
}

/* Reads bytes and checks the table and the charset detected. */
static void
expect(const char *bytes, const char *charset, const char *want)
{
	struct csv_table	*t = readstr(bytes);
	char			*got = flatten(t);

	if (strcmp(got, want) != 0 || strcmp(t->charset, charset) != 0)
		fail_msg("\"%s\": got \"%s\" (%s), want \"%s\" (%s)", bytes,
		    got, t->charset, want, charset);
	g_free(got);
	csvread_free(t);
}

/* Reading fails with that cause. */
static void
refused(const char *bytes, size_t len, const struct csv_limits *lim,
    const char *want)
{
	char	*cause = NULL;

	assert_null(csvread_buffer(bytes, len, lim, &cause));
	assert_non_null(cause);
	if (strcmp(cause, want) != 0)
		fail_msg("got \"%s\", want \"%s\"", cause, want);
	g_free(cause);
}

static void
test_utf8(void **state)
{
	struct csv_table	*t;
	GPtrArray		*row;

	(void)state;
	t = readstr("\xef\xbb\xbf項番,項目,必須/選択,記述内容\r\n"
	    "1,開示情報の年月日,必須,2026年4月1日\r\n");
	assert_string_equal(t->charset, "UTF-8");
	assert_int_equal(t->rows->len, 2);
	row = t->rows->pdata[0];
	assert_int_equal(row->len, 4);
	assert_string_equal(row->pdata[0], "項番");	/* BOM gone */
	row = t->rows->pdata[1];
	assert_string_equal(row->pdata[3], "2026年4月1日");
	csvread_free(t);
	expect("項目,内容\n制度,医療情報 ASP・SaaS\n", "UTF-8",
	    "項目|内容/制度|医療情報 ASP・SaaS");
	expect("①,㈱サンプル\n", "UTF-8", "①|㈱サンプル");
	csvread_free(NULL);
}

/* CP932 as Excel on Japanese Windows saves it; 0x5C as the second byte of
 * 申 表 ソ is part of the character, not a backslash. */
static void
test_cp932(void **state)
{
	(void)state;
	/* 申請書,表 / ソ,①㈱ */
	expect("\x90\x5c\x90\xbf\x8f\x91,\x95\x5c\r\n"
	    "\x83\x5c,\x87\x40\x87\x8a\r\n", "CP932", "申請書|表/ソ|①㈱");
	/* "表","申請書,ソ" and "ソ""表" */
	expect("\"\x95\x5c\",\"\x90\x5c\x90\xbf\x8f\x91,\x83\x5c\"\r\n"
	    "\"\x83\x5c\"\"\x95\x5c\"\r\n", "CP932",
	    "表|申請書,ソ/ソ\"表");
	/* Half-width kana and a newline inside quotes. */
	expect("\xb6\xc0\xb6\xc5,\"\x95\x5c\n\x83\x5c\"\n", "CP932",
	    "ｶﾀｶﾅ|表\nソ");
}

static void
test_quotes(void **state)
{
	(void)state;
	expect("\"a,b\",\"say \"\"hi\"\"\",\"line1\nline2\"\n", "UTF-8",
	    "a,b|say \"hi\"|line1\nline2");
	expect("\"x\r\ny\",z\r\n", "UTF-8", "x\r\ny|z");
	expect("\"\",a\n", "UTF-8", "|a");
	expect("\"  padded  \", plain \n", "UTF-8", "  padded  |plain");
	/* Tolerated: a stray quote, an unterminated quote at the end. */
	expect("ab\"c,d\n", "UTF-8", "ab\"c|d");
	expect("a,\"b\nc", "UTF-8", "a|b\nc");
	/* Formulas are kept as written, never evaluated. */
	expect("=SUM(A1:A2),+81-3,-5,@cmd\n", "UTF-8",
	    "=SUM(A1:A2)|+81-3|-5|@cmd");
}

static void
test_line_ends(void **state)
{
	(void)state;
	expect("a,b\r\nc,d\r\n", "UTF-8", "a|b/c|d");
	expect("a,b\nc,d\n", "UTF-8", "a|b/c|d");
	expect("a,b\rc,d\r", "UTF-8", "a|b/c|d");
	expect("a,b\nc,d", "UTF-8", "a|b/c|d");
	/* Blank lines, trailing empty fields and rows are dropped; an empty
	 * row between rows stays. */
	expect("a,b\n\n\r\nc,d\r\n\r\n\r\n", "UTF-8", "a|b/c|d");
	expect("a,b,,\nc,,d\n,,,\n,,,\n", "UTF-8", "a|b/c||d");
	expect("a\n,,,\nb\n", "UTF-8", "a//b");
}

static void
test_empty(void **state)
{
	struct csv_table	*t;

	(void)state;
	t = readn("", 0, NULL);
	assert_int_equal(t->rows->len, 0);
	assert_string_equal(t->charset, "UTF-8");
	csvread_free(t);
	t = readn(NULL, 0, NULL);
	assert_int_equal(t->rows->len, 0);
	csvread_free(t);
	expect("\xef\xbb\xbf", "UTF-8", "");
	expect("\r\n\r\n", "UTF-8", "");
	expect(",,,\r\n,,\r\n", "UTF-8", "");
}

/* CSV files in EUC-JP and ISO-2022-JP, as older Unix systems write
 * them, made with iconv: guessed, not read as CP932. */
static void
test_euc_jis(void **state)
{
	const char	*text = "項番,内容\n1,テスト申請\n2,サービス\n";
	const char	*want = "項番|内容/1|テスト申請/2|サービス";
	const char	*cs[] = { "EUC-JP", "ISO-2022-JP", "CP932", NULL };
	char		*b;
	gsize		 len;
	size_t		 i;

	(void)state;
	for (i = 0; cs[i] != NULL; i++) {
		b = g_convert(text, -1, cs[i], "UTF-8", NULL, &len, NULL);
		assert_non_null(b);
		expect(b, cs[i], want);
		g_free(b);
	}
}

static void
test_junk(void **state)
{
	static const char	 want[] = "CSV ファイルとして読み取れません"
	    "（UTF-8 または Shift_JIS のテキストではありません）";
	GRand			*r = g_rand_new_with_seed(4180);
	char			 junk[4096];
	size_t			 i;

	(void)state;
	for (i = 0; i < sizeof junk; i++)
		junk[i] = (char)g_rand_int_range(r, 0, 256);
	g_rand_free(r);
	refused(junk, sizeof junk, NULL, want);
	/* A NUL, as in UTF-16 or a workbook renamed .csv. */
	refused("a\0,b\n", 5, NULL, want);
	refused("PK\x03\x04\x14\x00", 6, NULL, want);
	/* Bytes that are neither UTF-8 nor CP932 (0xFF, a lone lead byte). */
	refused("a,\xff\xfe\n", 5, NULL, want);
	refused("a,\x90", 3, NULL, want);
}

/* Each limit lowered: what fits it is read, what goes over is refused;
 * empty fields and rows held back count only when something follows. */
static void
test_limits(void **state)
{
	static const struct {
		unsigned int	 rows, cols;
		size_t		 field;
		const char	*fits, *over, *cause;
	} cases[] = {
		{ 3, 0, 0, "a\nb\nc\n\n,,\n", "a\nb\nc\nd\n",
		  "CSV ファイルの行数が上限（3行）を超えています" },
		{ 3, 0, 0, "a\n,\nb\n,,\n", "a\n,\n,\nd\n",
		  "CSV ファイルの行数が上限（3行）を超えています" },
		{ 0, 3, 0, "a,b,c,,,,\n", "a,b,c,d\n",
		  "CSV ファイルの列数が上限（3列）を超えています" },
		{ 0, 3, 0, "a,,c,,,,\n", "a,,,d\n",
		  "CSV ファイルの列数が上限（3列）を超えています" },
		{ 0, 0, 10, "0123456789,\"012345678\n\"\n", "a,01234567890\n",
		  "CSV ファイルのセルの内容が上限（10バイト）を超えています" },
	};
	struct csv_limits	 lim;
	size_t			 i;

	(void)state;
	csvread_limits_default(&lim);
	assert_int_equal(lim.max_rows, 10000);
	assert_int_equal(lim.max_cols, 100);
	assert_int_equal(lim.max_field, 65536);
	for (i = 0; i < G_N_ELEMENTS(cases); i++) {
		lim.max_rows = cases[i].rows;
		lim.max_cols = cases[i].cols;
		lim.max_field = cases[i].field;
		csvread_free(readn(cases[i].fits, strlen(cases[i].fits), &lim));
		refused(cases[i].over, strlen(cases[i].over), &lim,
		    cases[i].cause);
	}
	/* Two limits passed in one chunk: the first is the one reported
	 * (this leaked the first message once). */
	lim.max_rows = 1;
	lim.max_field = 10;
	refused("a\nb\n\"0123456789012", 18, &lim,
	    "CSV ファイルの行数が上限（1行）を超えています");
}

/* One over each default limit; an endless quoted field stops at the
 * field limit. */
static void
test_limits_default(void **state)
{
	GString		*s = g_string_new(NULL);
	unsigned int	 i;

	(void)state;
	for (i = 0; i < 10001; i++)
		g_string_append(s, "1,x\r\n");
	refused(s->str, s->len, NULL,
	    "CSV ファイルの行数が上限（10000行）を超えています");
	g_string_truncate(s, 0);
	for (i = 0; i < 101; i++)
		g_string_append(s, "x,");
	refused(s->str, s->len, NULL,
	    "CSV ファイルの列数が上限（100列）を超えています");
	g_string_assign(s, "a,\"");
	for (i = 0; i < 200000; i++)
		g_string_append_c(s, 'x');
	refused(s->str, s->len, NULL,
	    "CSV ファイルのセルの内容が上限（65536バイト）を超えています");
	g_string_free(s, TRUE);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utf8),
		cmocka_unit_test(test_cp932),
		cmocka_unit_test(test_quotes),
		cmocka_unit_test(test_line_ends),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_euc_jis),
		cmocka_unit_test(test_junk),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_limits_default),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
