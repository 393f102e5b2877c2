/* test_size.c: byte counts as people read them: about (a file) and
 * exactly (a limit). */

#include "testutil.h"
#include "size.h"

static void
test_size_about(void **state)
{
	static const struct {
		uint64_t	 n;
		const char	*want;
	} cases[] = {
		{ 0, "0 B" },
		{ 512, "512 B" },
		{ 1023, "1023 B" },
		{ 1024, "1 KB" },
		{ 1025, "2 KB" },
		{ 250000, "245 KB" },
		{ 1048575, "1024 KB" },
		{ 1048576, "1.0 MB" },
		{ 2202010, "2.1 MB" },
	};
	size_t	 i;
	char	*s;

	(void)state;
	for (i = 0; i < G_N_ELEMENTS(cases); i++) {
		s = size_about(cases[i].n);
		assert_string_equal(s, cases[i].want);
		g_free(s);
	}
}

static void
test_size_exact(void **state)
{
	char	buf[64];

	(void)state;
	assert_string_equal(size_exact(50 * 1048576, buf, sizeof buf),
	    "50 MB");
	assert_string_equal(size_exact(1000, buf, sizeof buf), "1000 バイト");
	assert_string_equal(size_exact(1048577, buf, sizeof buf),
	    "1048577 バイト");
	assert_string_equal(size_exact(0, buf, sizeof buf), "0 バイト");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_size_about),
		cmocka_unit_test(test_size_exact),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
