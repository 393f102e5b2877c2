/* test_rfc2047.c: header text decoding (GMime 3.2.13's traps) and the
 * encoding our letters use. */

#include <string.h>

#include "testutil.h"
#include "rfc2047.h"

static void
check_decode(const char *raw, const char *want)
{
	char	*got = rfc2047_decode(raw);

	assert_string_equal(got, want);
	g_free(got);
}

/* The padded-word trap of TECH-NOTES: GMime 3.2.13 gives "あa". */
static void
test_padded_adjacent_words(void **state)
{
	(void)state;
	check_decode("=?UTF-8?B?44GCYQ==?= =?UTF-8?B?44Gu5Lu25ZCN?=",
	    "あaの件名");
}

/* A character split across two words survives: bytes are joined first. */
static void
test_split_character(void **state)
{
	(void)state;
	/* "日本" = e6 97 a5 e6 9c ac, split after two bytes. */
	check_decode("=?UTF-8?B?5pc=?=\r\n =?UTF-8?B?peacrA==?=", "日本");
}

/* ISO-2022-JP with NEC extensions (①, ㈱) decoded through CP932. */
static void
test_iso2022jp_extensions(void **state)
{
	(void)state;
	/* ESC $ B 2D 21 2D 6A ESC ( B = ① ㈱ */
	check_decode("=?ISO-2022-JP?B?GyRCLSEtahsoQg==?=", "①㈱");
}

static void
test_shift_jis_word(void **state)
{
	(void)state;
	/* "申請" in Shift_JIS: 90 5c 90 bf */
	check_decode("=?Shift_JIS?B?kFyQvw==?=", "申請");
}

static void
test_plain_and_mixed(void **state)
{
	(void)state;
	check_decode("Re: [NINTEI-2026-0001] =?UTF-8?Q?=E7=94=B3=E8=AB=8B?=",
	    "Re: [NINTEI-2026-0001] 申請");
	check_decode("=?iso-8859-1?q?caf=E9_au_lait?= x", "café au lait x");
	check_decode("plain\r\n\tfolded", "plain folded");
	/* Raw UTF-8 (RFC 6532) and raw Shift_JIS bytes. */
	check_decode("\xe7\x94\xb3\xe8\xab\x8b", "申請");
	check_decode("\x90\x5c\x90\xbf", "申請");
	/* A broken word stays as text. */
	check_decode("=?UTF-8?X?abc?=", "=?UTF-8?X?abc?=");
}

/* The bytes of utf8 in charset, made with iconv. */
static char *
conv(const char *utf8, const char *charset, gsize *len)
{
	char	*b = g_convert(utf8, -1, charset, "UTF-8", NULL, len, NULL);

	assert_non_null(b);
	return b;
}

/* base64 of utf8 in charset (iconv's name), without the padding when
 * unpadded. */
static char *
b64(const char *utf8, const char *charset, int unpadded)
{
	gsize	 len;
	char	*b = conv(utf8, charset, &len), *e;

	e = g_base64_encode((const guchar *)b, len);
	g_free(b);
	if (unpadded)
		*strchrnul(e, '=') = '\0';
	return e;
}

/* The subject of the issue: a client folded the word in the middle of its
 * base64.  Strict RFC 2047 says it is no word; Japanese mailers decode it. */
static void
test_folded_inside_word(void **state)
{
	char	*e = b64("テストメール", "ISO-2022-JP", 0), *raw;

	(void)state;
	assert_string_equal(e, "GyRCJUYlOSVIJWEhPCVrGyhC");
	raw = g_strdup_printf("=?ISO-2022-JP?B?%.12s\r\n %s?=", e, e + 12);
	check_decode(raw, "テストメール");
	g_free(raw);
	raw = g_strdup_printf("=?ISO-2022-JP?B?%.12s %s?=", e, e + 12);
	check_decode(raw, "テストメール");
	g_free(raw);
	raw = g_strdup_printf("Re: =?iso-2022-jp?b?%.8s\t%s?= (2)", e, e + 8);
	check_decode(raw, "Re: テストメール (2)");
	g_free(raw);
	g_free(e);
	/* Not a word of a charset nintei knows, or not clean text: the
	 * strict reading stands. */
	check_decode("=?X-UNKNOWN?B?GyRCJUYl OSVI?=",
	    "=?X-UNKNOWN?B?GyRCJUYl OSVI?=");
	check_decode("=?UTF-8?B?//// ////?=", "=?UTF-8?B?//// ////?=");
	check_decode("=?UTF-8?Q?what is this?=", "=?UTF-8?Q?what is this?=");
}

/* ISO-2022-JP words that do not return to ASCII before ?=, alone and
 * before ASCII text of the next word. */
static void
test_jis_not_returning(void **state)
{
	char	*raw;
	gsize	 len;
	char	*b = conv("テスト", "ISO-2022-JP", &len), *e, *e2;

	(void)state;
	/* Drop the final ESC ( B. */
	assert_true(len > 3 && b[len - 3] == 0x1b);
	e = g_base64_encode((const guchar *)b, len - 3);
	raw = g_strdup_printf("=?ISO-2022-JP?B?%s?=", e);
	check_decode(raw, "テスト");
	g_free(raw);
	e2 = g_base64_encode((const guchar *)"abc", 3);
	raw = g_strdup_printf("=?ISO-2022-JP?B?%s?= =?ISO-2022-JP?B?%s?=", e,
	    e2);
	check_decode(raw, "テストabc");
	g_free(raw);
	raw = g_strdup_printf("=?ISO-2022-JP?B?%s?= after", e);
	check_decode(raw, "テスト after");
	g_free(raw);
	g_free(e2);
	g_free(e);
	g_free(b);
}

/* B words without their padding; adjacent words of different charsets
 * (CP932, EUC-JP, ISO-2022-JP, UTF-8) each read in their own. */
static void
test_unpadded_and_mixed_charsets(void **state)
{
	char	*a, *b, *c, *d, *raw;

	(void)state;
	a = b64("申請", "CP932", 1);
	b = b64("テスト", "EUC-JP", 1);
	c = b64("①㈱", "CP932", 1);
	d = b64("表", "ISO-2022-JP", 1);
	raw = g_strdup_printf("=?Shift_JIS?B?%s?= =?EUC-JP?B?%s?=\r\n "
	    "=?windows-31j?B?%s?= =?csISO2022JP?B?%s?= =?UTF-8?B?5pel?=", a, b,
	    c, d);
	check_decode(raw, "申請テスト①㈱表日");
	g_free(raw);
	g_free(a);
	g_free(b);
	g_free(c);
	g_free(d);
}

/* Parameters: quoted encoded words, RFC 2231 in one piece and in
 * sections (out of order, mixed), an encoded word split across sections,
 * raw 8-bit names guessed. */
static void
test_params(void **state)
{
	char	*w, *raw, *got, *pct, *jis;
	gsize	 len, i;
	GString	*p;

	(void)state;
	w = b64("申請書.zip", "ISO-2022-JP", 0);
	raw = g_strdup_printf("attachment; filename=\"=?ISO-2022-JP?B?%s?=\"; "
	    "size=10", w);
	got = rfc2047_param(raw, "filename");
	assert_string_equal(got, "申請書.zip");
	g_free(got);
	g_free(raw);
	/* The word split in two quoted sections. */
	raw = g_strdup_printf("application/zip;\r\n name*1=\"%s?=\";\r\n "
	    "name*0=\"=?ISO-2022-JP?B?%.8s\"", w + 8, w);
	got = rfc2047_param(raw, "name");
	assert_string_equal(got, "申請書.zip");
	g_free(got);
	g_free(raw);
	g_free(w);
	/* name*=charset'lang'percent, Shift_JIS with ① (CP932's). */
	jis = conv("①申請.csv", "CP932", &len);
	p = g_string_new(NULL);
	for (i = 0; i < len; i++)
		g_string_append_printf(p, "%%%02X", (unsigned char)jis[i]);
	pct = g_string_free(p, FALSE);
	raw = g_strdup_printf("attachment; filename*=shift_jis'ja'%s", pct);
	got = rfc2047_param(raw, "filename");
	assert_string_equal(got, "①申請.csv");
	g_free(got);
	g_free(raw);
	raw = g_strdup_printf("attachment; filename*1*=%s; "
	    "filename*0*=Shift_JIS''%.9s", pct + 9, pct);
	got = rfc2047_param(raw, "filename");
	assert_string_equal(got, "①申請.csv");
	g_free(got);
	g_free(raw);
	g_free(pct);
	g_free(jis);
	/* Raw EUC-JP in quotes. */
	jis = conv("テスト.csv", "EUC-JP", &len);
	raw = g_strdup_printf("attachment; filename=\"%s\"", jis);
	got = rfc2047_param(raw, "filename");
	assert_string_equal(got, "テスト.csv");
	g_free(got);
	g_free(raw);
	g_free(jis);
	assert_null(rfc2047_param("attachment; size=3", "filename"));
	got = rfc2047_param("inline; filename=\"a;b \\\"c\\\".txt\"",
	    "filename");
	assert_string_equal(got, "a;b \"c\".txt");
	g_free(got);
}

/* Every encoded word we write is at most 75 characters and decodes back
 * to the text; CR and LF in values never reach the header. */
static void
test_encode_round_trip(void **state)
{
	const char	*texts[] = {
		"[NINTEI-2026-0001] 申請受付のお知らせ（サンプルクラウド株式会社の"
		"非常に長いサービス名称のための試験です）",
		"ASCII only subject",
		"混在 mixed テキスト with =?looks?like?a word?=",
		NULL
	};
	char		*enc, *dec, **lines, **words;
	size_t		 i, j, k;

	(void)state;
	for (i = 0; texts[i] != NULL; i++) {
		enc = rfc2047_encode(texts[i], 9);
		lines = g_strsplit(enc, "\n", -1);
		for (j = 0; lines[j] != NULL; j++) {
			assert_true(strlen(lines[j]) + (j == 0 ? 9 : 0) <= 78);
			words = g_strsplit(lines[j], " ", -1);
			for (k = 0; words[k] != NULL; k++)
				if (g_str_has_prefix(words[k], "=?"))
					assert_true(strlen(words[k]) <= 75);
			g_strfreev(words);
		}
		g_strfreev(lines);
		dec = rfc2047_decode(enc);
		assert_string_equal(dec, texts[i]);
		g_free(dec);
		g_free(enc);
	}
	enc = rfc2047_encode("件名\r\nBcc: victim@example.com", 9);
	assert_null(strchr(enc, '\r'));
	dec = rfc2047_decode(enc);
	assert_string_equal(dec, "件名 Bcc: victim@example.com");
	g_free(dec);
	g_free(enc);
}

/* ISO-2022-JP words for letters: at most 75 characters, each returning
 * to ASCII, unpadded but for the last, decoding back; NULL when a
 * character is outside JIS X 0208. */
static void
test_encode_jis(void **state)
{
	const char	*text = "[NINTEI-2026-0001] 申請受付のお知らせ（株式会社"
	    "サンプルクラウドの非常に長いサービス名称のための試験です）";
	char		*enc, *dec, **words, *w;
	guchar		*b;
	gsize		 n;
	size_t		 k, count;

	(void)state;
	enc = rfc2047_encode_jis(text, 9);
	assert_non_null(enc);
	words = g_strsplit_set(enc, " \n", -1);
	count = g_strv_length(words);
	for (k = 0; k < count; k++) {
		if (!g_str_has_prefix(words[k], "=?ISO-2022-JP?B?"))
			continue;
		assert_true(strlen(words[k]) <= 75);
		w = g_strndup(words[k] + 16, strlen(words[k]) - 18);
		if (k + 1 < count)
			assert_null(strchr(w, '='));
		b = g_base64_decode(w, &n);
		assert_true(n >= 3 && memcmp(b + n - 3, "\x1b(B", 3) == 0);
		g_free(b);
		g_free(w);
	}
	g_strfreev(words);
	dec = rfc2047_decode(enc);
	assert_string_equal(dec, text);
	g_free(dec);
	g_free(enc);
	assert_null(rfc2047_encode_jis("株式会社①", 9));
	assert_null(rfc2047_encode_jis("髙橋", 9));
	assert_null(rfc2047_encode_jis("ｶﾅ", 9));
	enc = rfc2047_encode_jis("ASCII only", 9);
	assert_string_equal(enc, "ASCII only");
	g_free(enc);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_padded_adjacent_words),
		cmocka_unit_test(test_split_character),
		cmocka_unit_test(test_iso2022jp_extensions),
		cmocka_unit_test(test_shift_jis_word),
		cmocka_unit_test(test_plain_and_mixed),
		cmocka_unit_test(test_encode_round_trip),
		cmocka_unit_test(test_folded_inside_word),
		cmocka_unit_test(test_jis_not_returning),
		cmocka_unit_test(test_unpadded_and_mixed_charsets),
		cmocka_unit_test(test_params),
		cmocka_unit_test(test_encode_jis),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
