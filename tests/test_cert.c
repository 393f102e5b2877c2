/* test_cert.c: certification numbers and the last valid day. */

#include <string.h>

#include "testutil.h"
#include "cert.h"

static void
check_canon(const char *written, const char *want)
{
	char	*got = cert_canonical(written);

	if (want == NULL)
		assert_null(got);
	else
		assert_string_equal(got, want);
	g_free(got);
}

static void
test_numbers(void **state)
{
	char	*n, *id, *yymm;
	int	 serial;

	(void)state;
	n = cert_number("医療", 1, "1712");
	assert_string_equal(n, "医療 0001-1712");
	g_free(n);
	n = cert_number("", 256, "2109");
	assert_string_equal(n, "0256-2109");
	g_free(n);
	assert_int_equal(cert_parse("医療 0001-1712", &id, &serial, &yymm), 0);
	assert_string_equal(id, "医療");
	assert_int_equal(serial, 1);
	assert_string_equal(yymm, "1712");
	g_free(id);
	g_free(yymm);
	check_canon("0256-2109", "0256-2109");
	check_canon("医療０００１－１７１２", "医療 0001-1712");
	check_canon("　IP　0012-2304 ", "IP 0012-2304");
	check_canon("特個 0003ー2401", "特個 0003-2401");
	check_canon("医療 001-1712", NULL);
	check_canon("医療 0001-1713", NULL);
	check_canon("認定番号なし", NULL);
	check_canon("", NULL);
}

static void
check_last(const char *start, int years, const char *want)
{
	char	*got = cert_last_day(start, years);

	assert_string_equal(got, want);
	g_free(got);
}

static void
test_validity(void **state)
{
	char	*s;

	(void)state;
	check_last("2026-12-01", 2, "2028-11-30");
	check_last("2017-12-20", 2, "2019-12-19");
	check_last("2027-01-01", 2, "2028-12-31");
	check_last("2024-02-29", 2, "2026-02-28");
	check_last("2024-03-01", 2, "2026-02-28");
	check_last("2023-03-01", 1, "2024-02-29");
	assert_null(cert_last_day("2024-02-30", 2));
	s = cert_months_before("2028-11-30", 4);
	assert_string_equal(s, "2028-07-30");
	g_free(s);
	s = cert_months_before("2028-06-30", 4);
	assert_string_equal(s, "2028-02-29");
	g_free(s);
	s = cert_next_day("2028-12-31");
	assert_string_equal(s, "2029-01-01");
	g_free(s);
	s = cert_yymm("2017-12-01");
	assert_string_equal(s, "1712");
	g_free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_validity),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
