/* test_invoice.c: the registration number of a qualified invoice issuer
 * and its check digit; bank business days from the holiday table of
 * rules/ (weekends, 31 December to 3 January, national holidays with
 * their substitute days and citizens' holidays). */

#include <stdio.h>
#include <string.h>

#include "testutil.h"
#include "invoice.h"
#include "rules.h"

/* Registration numbers: T and a 法人番号 whose first digit checks the
 * other twelve (the 国税庁's own, 7000012050002, among them). */
static void
test_number(void **state)
{
	char	*n, *cause = NULL;

	(void)state;
	n = invoice_number("T7000012050002", &cause);
	assert_string_equal(n, "T7000012050002");
	g_free(n);
	n = invoice_number(" Ｔ１１８０３０１０１８７７１ ", &cause);
	assert_string_equal(n, "T1180301018771");
	g_free(n);
	assert_null(invoice_number("T7000012050003", &cause));
	tu_contains(cause, "check digit");
	g_free(cause);
	cause = NULL;
	assert_null(invoice_number("7000012050002", &cause));
	tu_contains(cause, "not T and 13 digits");
	g_free(cause);
	cause = NULL;
	assert_null(invoice_number("T700001205000", &cause));
	g_free(cause);
}

/* The repository's table, as nintei loads it. */
static struct rules *
rules(void)
{
	GPtrArray	*errors = g_ptr_array_new_with_free_func(g_free);
	char		*dir = g_build_filename(tu_top(), "rules", NULL);
	struct rules	*r = rules_load(dir, errors);

	if (errors->len > 0)
		fail_msg("%s", (char *)g_ptr_array_index(errors, 0));
	assert_non_null(r->holidays);
	g_ptr_array_free(errors, TRUE);
	g_free(dir);
	return r;
}

/* The first bank business day on or after y-m-d, as YYYY-MM-DD. */
static char *
business(const struct holidays *h, int y, int m, int d)
{
	GDate	*g = g_date_new_dmy((GDateDay)d, (GDateMonth)m, (GDateYear)y);
	char	 buf[16];

	invoice_business_day(h, g);
	g_date_strftime(buf, sizeof buf, "%Y-%m-%d", g);
	g_date_free(g);
	return g_strdup(buf);
}

static void
expect(const struct holidays *h, int y, int m, int d, const char *want)
{
	char	*got = business(h, y, m, d);

	assert_string_equal(got, want);
	g_free(got);
}

/* Dates of the official calendar, substitute and citizens' holidays
 * included; the banks' new year; every year of 2026 to 2030 covered. */
static void
test_business_days(void **state)
{
	struct rules	*r = rules();
	const struct holidays *h = r->holidays;
	GDate		*g;
	int		 y;

	(void)state;
	expect(h, 2027, 1, 2, "2027-01-04");	/* Sat, then 3 January */
	expect(h, 2026, 12, 31, "2027-01-04");
	expect(h, 2026, 5, 2, "2026-05-07");	/* 5/6 振替休日 */
	expect(h, 2026, 9, 19, "2026-09-24");	/* 9/22 国民の休日 */
	expect(h, 2027, 3, 21, "2027-03-23");	/* 春分 Sun, 3/22 振替 */
	expect(h, 2028, 9, 22, "2028-09-25");	/* 秋分 2028-09-22 */
	expect(h, 2029, 4, 30, "2029-05-01");	/* 昭和の日 Sun → 4/30 */
	expect(h, 2030, 11, 4, "2030-11-05");	/* 文化の日 Sun → 11/4 */
	expect(h, 2026, 12, 4, "2026-12-04");	/* an ordinary Friday */
	g = g_date_new_dmy(12, 1, 2026);
	assert_string_equal(invoice_closed(h, g), "成人の日");
	g_date_free(g);
	for (y = 2026; y <= 2030; y++)
		assert_true(invoice_holidays_cover(h, y));
	assert_false(invoice_holidays_cover(h, 2031));
	rules_free(r);
}

static void
collect(void *arg, int line, const char *msg)
{
	g_ptr_array_add(arg, g_strdup_printf("%d: %s", line, msg));
}

/* A table the secretariat extended by hand: every wrong line named. */
static void
test_table_errors(void **state)
{
	const char	*text = "# 祝日\ndate\tname\n2031-01-01\t元日\n"
			    "2031-02-30\t建国記念の日\n2031-01-01\t元日\n"
			    "2031/01/13\t\n2031-02-11\t建国記念の日\r\n";
	GPtrArray	*e = g_ptr_array_new_with_free_func(g_free);
	struct holidays	*h;
	GDate		*g;

	(void)state;
	h = invoice_holidays(text, strlen(text), collect, e);
	assert_int_equal(e->len, 3);
	tu_contains(g_ptr_array_index(e, 0), "4: \"2031-02-30\" is not a date");
	tu_contains(g_ptr_array_index(e, 1), "5: 2031-01-01 is given twice");
	tu_contains(g_ptr_array_index(e, 2), "6: 2031/01/13 has no name");
	g = g_date_new_dmy(11, 2, 2031);
	assert_string_equal(invoice_holiday(h, g), "建国記念の日");
	g_date_free(g);
	assert_true(invoice_holidays_cover(h, 2031));
	invoice_holidays_free(h);
	g_ptr_array_free(e, TRUE);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_number),
		cmocka_unit_test(test_business_days),
		cmocka_unit_test(test_table_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
