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
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
