/* test_charset.c: what charset_to_utf8 returns is UTF-8 whatever it is
 * given, as the fuzzers found it must be; undeclared Japanese text is
 * guessed as a Japanese reader would, and the names real mail gives the
 * Japanese charsets reach the right converter.  The Japanese bytes are
 * made with iconv here, not pasted. */

#include <string.h>

#include "testutil.h"
#include "charset.h"

/* Converts and fails unless the result is valid UTF-8 that starts with
 * want. */
static void
expect(const char *bytes, size_t len, const char *charset, const char *want)
{
	char	*got = charset_to_utf8(bytes, len, charset);

	if (!g_utf8_validate(got, -1, NULL))
		fail_msg("%s: not UTF-8", charset != NULL ? charset : "guess");
	if (!g_str_has_prefix(got, want))
		fail_msg("%s: \"%s\", not \"%s...\"", charset != NULL ?
		    charset : "guess", got, want);
	g_free(got);
}

/* glibc's decoders pass code points above U+10FFFF, which UTF-8 has
 * not (text that is not UTF-8 is then guessed); the label "utf-8" is
 * UTF-8 however it is spelt. */
static void
test_beyond_unicode(void **state)
{
	(void)state;
	expect("a\xf4\x99\xad\x87z", 6, "utf-8", "a");
	expect("a\xf4\x99\xad\x87z", 6, "UTF-8", "a");
	expect("\x00\x00\x00\x61\x7f\x00\x00\x00", 8, "UCS-4BE", "a");
	expect("caf\xc3\xa9", 5, "Utf-8", "café");
	expect("caf\xc3\xa9", 5, "uTF8", "café");
}

/* No bytes may come as NULL with a length of 0. */
static void
test_empty(void **state)
{
	(void)state;
	expect(NULL, 0, "utf-8", "");
	expect(NULL, 0, "iso-2022-jp", "");
	expect(NULL, 0, NULL, "");
}


/* The bytes of utf8 in charset, made with iconv (g_convert). */
static char *
conv(const char *utf8, const char *charset, gsize *len)
{
	GError	*error = NULL;
	char	*b;

	b = g_convert(utf8, -1, charset, "UTF-8", NULL, len, &error);
	if (b == NULL)
		fail_msg("iconv %s: %s", charset, error->message);
	return b;
}

/* Undeclared text made in charset: guessed as that charset and read back
 * exactly, with no U+FFFD. */
static void
expect_guess(const char *text, const char *charset, const char *want_cs)
{
	gsize		 len;
	char		*b = conv(text, charset, &len), *got;
	const char	*cs = charset_guess(b, len);

	if (cs == NULL || strcmp(cs, want_cs) != 0)
		fail_msg("%s in %s: guessed %s", text, charset,
		    cs != NULL ? cs : "none");
	got = charset_to_utf8(b, len, NULL);
	if (strcmp(got, text) != 0)
		fail_msg("%s in %s: read as \"%s\"", text, charset, got);
	g_free(got);
	got = charset_guess_utf8(b, len);
	assert_string_equal(got, text);
	g_free(got);
	g_free(b);
}

/* EUC-JP without a label is EUC-JP, not CP932's half-width kana (the
 * subjects ･ﾆ･ｹ･ﾈ of the issue). */
static void
test_guess_euc_jp(void **state)
{
	(void)state;
	expect_guess("テスト", "EUC-JP", "EUC-JP");
	expect_guess("テストテスト", "EUC-JP", "EUC-JP");
	expect_guess("テスト テスト", "EUC-JP", "EUC-JP");
	expect_guess("申請", "EUC-JP", "EUC-JP");
	expect_guess("表示", "EUC-JP", "EUC-JP");
	expect_guess("Re: 【申請】情報開示認定について", "EUC-JP", "EUC-JP");
	expect_guess("お世話になっております。申請書を添付いたします。",
	    "EUC-JP", "EUC-JP");
	/* NEC row 13 as Microsoft's EUC-JP writes it. */
	expect_guess("①の件", "EUC-JP-MS", "EUC-JP");
}

/* CP932 without a label, including second bytes that are ASCII's \ and |,
 * half-width kana and the NEC and IBM extensions. */
static void
test_guess_cp932(void **state)
{
	(void)state;
	expect_guess("テスト", "CP932", "CP932");
	expect_guess("表申能ソ", "CP932", "CP932");	/* 0x5c second bytes */
	expect_guess("ポ培", "CP932", "CP932");	/* 0x7c second bytes */
	expect_guess("ｱﾝｹｰﾄ", "CP932", "CP932");
	expect_guess("ﾃｽﾄﾒｰﾙ", "CP932", "CP932");
	expect_guess("①②③", "CP932", "CP932");
	expect_guess("㈱サンプル", "CP932", "CP932");
	expect_guess("髙橋", "CP932", "CP932");
	expect_guess("ⅰⅱ～", "CP932", "CP932");
	expect_guess("〒100-0001 東京都千代田区", "CP932", "CP932");
}

/* 7-bit ISO-2022-JP and UTF-8 without a label. */
static void
test_guess_jis_utf8(void **state)
{
	(void)state;
	expect_guess("テストメール", "ISO-2022-JP", "ISO-2022-JP");
	expect_guess("申請 (test)", "ISO-2022-JP", "ISO-2022-JP");
	expect_guess("①", "ISO-2022-JP-3", "ISO-2022-JP");
	expect_guess("テスト", "UTF-8", "UTF-8");
	expect_guess("plain", "UTF-8", "UTF-8");
}

/* The names of the Japanese charsets in real mail, in any case. */
static void
test_aliases(void **state)
{
	const char	*sjis[] = { "Shift_JIS", "shift-jis", "x-sjis", "sjis",
	    "MS932", "windows-31j", "cp932", "SHIFT_JIS", "Windows-31J",
	    "X-SJIS", NULL };
	const char	*euc[] = { "EUC-JP", "x-euc-jp", "euc-jp", "X-EUC-JP",
	    NULL };
	const char	*jis[] = { "ISO-2022-JP", "csISO2022JP", "iso-2022-jp",
	    "ISO-2022-JP-MS", "CP50220", "cp50221", "CSISO2022JP", NULL };
	gsize		 len;
	char		*b;
	size_t		 i;

	(void)state;

	/* ① and 髙 are CP932's own: glibc's SHIFT_JIS drops them. */
	b = conv("表①髙ｶﾅ", "CP932", &len);
	for (i = 0; sjis[i] != NULL; i++)
		expect(b, len, sjis[i], "表①髙ｶﾅ");
	g_free(b);
	b = conv("ソフト申請", "EUC-JP", &len);
	for (i = 0; euc[i] != NULL; i++)
		expect(b, len, euc[i], "ソフト申請");
	g_free(b);
	b = conv("①申請", "EUC-JP-MS", &len);
	expect(b, len, "EUC-JP", "①申請");
	g_free(b);
	b = conv("テストメール", "ISO-2022-JP", &len);
	for (i = 0; jis[i] != NULL; i++)
		expect(b, len, jis[i], "テストメール");
	g_free(b);
	/* NEC row 13 in ISO-2022-JP, where CP50220 puts it. */
	b = conv("①㈱", "ISO-2022-JP-3", &len);
	expect(b, len, "CP50220", "①㈱");
	expect(b, len, "ISO-2022-JP-MS", "①㈱");
	g_free(b);
}

/* A label that does not fit the bytes: one of the four that converts
 * cleanly wins over replacement marks; us-ascii with 8-bit bytes is
 * guessed. */
static void
test_mislabelled(void **state)
{
	gsize	 len;
	char	*b;

	(void)state;
	b = conv("テスト", "EUC-JP", &len);
	expect(b, len, "us-ascii", "テスト");
	expect(b, len, "ISO-2022-JP", "テスト");
	g_free(b);
	b = conv("テスト", "UTF-8", &len);	/* a lone CP932 lead byte */
	expect(b, len, "Shift_JIS", "テスト");
	g_free(b);
	b = conv("申請書", "CP932", &len);
	expect(b, len, "utf-8", "申請書");
	expect(b, len, "EUC-JP", "申請書");
	g_free(b);
}

/* The charset names a message gives, as the parent finds them for the
 * zygote: parameters, encoded words, RFC 2231 values; once each, junk
 * and overlong names skipped, at most max. */
static void
test_names(void **state)
{
	const char	*mail = "Subject: =?ISO-8859-7?B?yuHr?= =?utf-8?q?x?=\r\n"
	    "Content-Type: text/plain; charset=\"koi8-r\"\r\n"
	    "Content-Disposition: attachment; filename*=big5''%A4%A4\r\n"
	    "Content-Type: text/plain; CHARSET=KOI8-R\r\n"
	    "x=?/b?= charset=\"\" =?0123456789012345678901234567890123456789x?"
	    "\r\n\r\nsoft=\r\nbreak=3D";
	GPtrArray	*names = g_ptr_array_new_with_free_func(g_free);

	(void)state;
	charset_names(mail, strlen(mail), names, 16);
	assert_int_equal(names->len, 4);
	assert_string_equal(g_ptr_array_index(names, 0), "ISO-8859-7");
	assert_string_equal(g_ptr_array_index(names, 1), "utf-8");
	assert_string_equal(g_ptr_array_index(names, 2), "koi8-r");
	assert_string_equal(g_ptr_array_index(names, 3), "big5");
	g_ptr_array_set_size(names, 0);
	charset_names(mail, strlen(mail), names, 2);
	assert_int_equal(names->len, 2);
	g_ptr_array_free(names, TRUE);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_beyond_unicode),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_guess_euc_jp),
		cmocka_unit_test(test_guess_cp932),
		cmocka_unit_test(test_guess_jis_utf8),
		cmocka_unit_test(test_aliases),
		cmocka_unit_test(test_mislabelled),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
