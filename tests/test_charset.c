/* test_charset.c: what charset_to_utf8 returns is UTF-8 whatever it is
 * given, as the fuzzers found it must be. */

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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_beyond_unicode),
		cmocka_unit_test(test_empty),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
