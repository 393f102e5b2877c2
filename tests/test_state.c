/* test_state.c: the state table: which states are open, take forms, wait
 * on whom, and what the staff actions and the store read from it. */

#include <string.h>

#include "testutil.h"
#include "case.h"
#include "state.h"

/* The properties, state by state, as SPEC.md's lifecycle has them. */
static void
test_state_table(void **state)
{
	static const struct {
		const char	*code;
		const char	*label;
		const char	*waiting;
		int		 open;
		int		 forms;
	} want[] = {
		{ "received", "受付", "secretariat", 1, 1 },
		{ "awaiting_password", "パスワード待ち", "applicant", 1, 1 },
		{ "deficient", "不備", "applicant", 1, 1 },
		{ "awaiting_fee", "入金待ち", "applicant", 1, 1 },
		{ "under_review", "審査中", "secretariat", 1, 0 },
		{ "approved", "認定", NULL, 0, 0 },
		{ "rejected", "却下", NULL, 0, 0 },
		{ "withdrawn", "取下げ", NULL, 0, 0 },
		{ "expired", "失効", NULL, 0, 0 },
	};
	size_t	i;

	(void)state;
	for (i = 0; i < G_N_ELEMENTS(want); i++) {
		assert_string_equal(state_nth(i), want[i].code);
		assert_true(state_valid(want[i].code));
		assert_string_equal(state_label(want[i].code), want[i].label);
		if (want[i].waiting == NULL)
			assert_null(state_waiting_on(want[i].code));
		else
			assert_string_equal(state_waiting_on(want[i].code),
			    want[i].waiting);
		assert_int_equal(state_open(want[i].code), want[i].open);
		assert_int_equal(state_takes_forms(want[i].code),
		    want[i].forms);
	}
	assert_null(state_nth(i));
	assert_false(state_valid("lost"));
	assert_false(state_valid(NULL));
	assert_false(state_open("lost"));
	assert_string_equal(state_label("lost"), "lost");
	assert_string_equal(state_waiting_label("received"), "事務局");
	assert_string_equal(state_waiting_label("deficient"), "申請者");
	assert_string_equal(state_waiting_label("approved"), "完了");
}

/* The lists the store and the messages are written from. */
static void
test_state_list(void **state)
{
	char	*s;

	(void)state;
	s = state_list(1, "'");
	assert_string_equal(s, "'received', 'awaiting_password', "
	    "'deficient', 'awaiting_fee', 'under_review'");
	g_free(s);
	s = state_list(0, "");
	assert_string_equal(s, "approved, rejected, withdrawn, expired");
	g_free(s);
	s = state_list(-1, "");
	assert_string_equal(s, "received, awaiting_password, deficient, "
	    "awaiting_fee, under_review, approved, rejected, withdrawn, "
	    "expired");
	g_free(s);
}

/* What each staff action needs, from the table. */
static void
test_state_actions(void **state)
{
	char	*s;

	(void)state;
	assert_null(case_may("paid", "awaiting_fee"));
	s = case_may("paid", "deficient");
	assert_string_equal(s, "awaiting_fee (入金待ち)");
	g_free(s);
	assert_null(case_may("approve", "under_review"));
	assert_null(case_may("reject", "awaiting_password"));
	assert_null(case_may("withdraw", "received"));
	s = case_may("reject", "approved");
	assert_string_equal(s, "received (受付) or awaiting_password "
	    "(パスワード待ち) or deficient (不備) or awaiting_fee (入金待ち) or "
	    "under_review (審査中)");
	g_free(s);
	assert_null(case_may("note", "expired"));
	s = case_may("fly", "received");
	assert_string_equal(s, "a known action, not \"fly\"");
	g_free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_state_table),
		cmocka_unit_test(test_state_list),
		cmocka_unit_test(test_state_actions),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
