/* test_decide.c: the intake's decision table, case by case, from facts
 * alone: no store, no mail, no binary. */

#include <string.h>

#include "testutil.h"
#include "decide.h"
#include "store.h"

/* A case in a state, with an applicant and a contact. */
static struct caserow *
mkcase(const char *id, const char *state)
{
	static struct caserow	 rows[4];
	static int		 next;
	struct caserow		*c = &rows[next++ % 4];

	memset(c, 0, sizeof *c);
	c->id = (char *)id;
	c->state = (char *)state;
	c->applicant = (char *)"tanaka@example.co.jp";
	c->contact_email = (char *)"Suzuki@Example.co.jp";
	return c;
}

/* The facts of a plain readable mail from the applicant, store known. */
static void
facts_plain(struct decide_facts *f)
{
	memset(f, 0, sizeof *f);
	f->from = "tanaka@example.co.jp";
	f->thread_known = f->content_known = f->waiting_known = 1;
}

/* Decides and checks the action, the reason (NULL: none) and the case. */
static void
expect(const struct decide_facts *f, enum decide_action action,
    const char *reason, const struct caserow *c)
{
	struct decision	d;

	decide(f, &d);
	assert_int_equal(d.action, action);
	if (reason == NULL)
		assert_null(d.reason);
	else
		assert_string_equal(d.reason, reason);
	assert_ptr_equal(d.c, c);
	decision_clear(&d);
}

/* Unreadable, over a limit, automatic: decided before anything else. */
static void
test_decide_screen(void **state)
{
	struct decide_facts	f;

	(void)state;
	facts_plain(&f);
	f.unreadable = "メッセージとして読み取れません（不明）";
	f.limit = "MIME の入れ子が深すぎます";
	f.automatic = "Auto-Submitted: auto-replied";
	f.spf_wanted = 1;
	expect(&f, DECIDE_QUARANTINE, "メッセージとして読み取れません（不明）",
	    NULL);
	f.unreadable = NULL;
	expect(&f, DECIDE_QUARANTINE, "MIME の入れ子が深すぎます", NULL);
	f.limit = NULL;
	/* Automatic mail is not checked for SPF. */
	expect(&f, DECIDE_AUTOMATIC, "Auto-Submitted: auto-replied", NULL);
}

/* SPF: asked for first; fail, temperror, softfail, pass. */
static void
test_decide_spf(void **state)
{
	struct decide_facts	f;
	struct decision		d;

	(void)state;
	facts_plain(&f);
	f.has_forms = 1;
	f.spf_wanted = 1;
	f.spf_retries = 3;
	expect(&f, DECIDE_ASK_SPF, NULL, NULL);

	f.spf = "fail";
	f.spf_ip = "192.0.2.1";
	f.spf_sender = "tanaka@example.co.jp";
	expect(&f, DECIDE_QUARANTINE, "SPF の検証に失敗しました（192.0.2.1 "
	    "から tanaka@example.co.jp を名乗るメール）", NULL);
	f.spf_ip = NULL;
	expect(&f, DECIDE_QUARANTINE, "SPF の検証に失敗しました（? から "
	    "tanaka@example.co.jp を名乗るメール）", NULL);

	/* A temporary error: later, three runs; then on, flagged. */
	f.spf = "temperror";
	f.spf_runs = 2;
	expect(&f, DECIDE_DEFER, "SPF temperror for tanaka@example.co.jp "
	    "(run 3 of 3)", NULL);
	f.spf_runs = 3;
	decide(&f, &d);
	assert_int_equal(d.action, DECIDE_OPEN);
	assert_string_equal(d.flag, "SPF temperror：要確認");
	decision_clear(&d);

	f.spf = "softfail";
	decide(&f, &d);
	assert_int_equal(d.action, DECIDE_OPEN);
	assert_string_equal(d.flag, "SPF softfail：要確認");
	decision_clear(&d);
	f.spf = "permerror";
	decide(&f, &d);
	assert_string_equal(d.flag, "SPF permerror：要確認");
	decision_clear(&d);

	f.spf = "pass";
	decide(&f, &d);
	assert_int_equal(d.action, DECIDE_OPEN);
	assert_null(d.flag);
	decision_clear(&d);

	/* Not wanted (off, or a release): never asked. */
	f.spf_wanted = 0;
	f.spf = NULL;
	expect(&f, DECIDE_OPEN, NULL, NULL);
}

/* No sender: unmatched before the store is asked. */
static void
test_decide_no_sender(void **state)
{
	struct decide_facts	f;

	(void)state;
	facts_plain(&f);
	f.from = "";
	f.thread_known = f.content_known = f.waiting_known = 0;
	f.has_forms = 1;
	expect(&f, DECIDE_UNMATCHED, "差出人のアドレスが読み取れません",
	    NULL);
	f.from = "tanaka@example.co.jp";
	expect(&f, DECIDE_ASK_THREAD, NULL, NULL);
}

/* The store is asked only what the decision needs, one thing at a time:
 * a reply asks nothing more; forms ask for the case they name; a mail
 * without forms asks for a case waiting for a password. */
static void
test_decide_asks(void **state)
{
	struct decide_facts	 f;
	struct caserow		*c;
	struct decision		 d;

	(void)state;
	facts_plain(&f);
	f.thread_known = f.content_known = f.waiting_known = 0;
	f.has_forms = 1;
	f.spf_wanted = 1;
	f.spf = "softfail";
	f.spf_sender = "tanaka@example.co.jp";
	decide(&f, &d);
	assert_int_equal(d.action, DECIDE_ASK_THREAD);
	assert_null(d.flag);
	decision_clear(&d);
	f.thread_known = 1;
	expect(&f, DECIDE_ASK_CONTENT, NULL, NULL);
	f.content_known = 1;
	decide(&f, &d);
	assert_int_equal(d.action, DECIDE_OPEN);
	assert_string_equal(d.flag, "SPF softfail：要確認");
	decision_clear(&d);

	f.has_forms = 0;
	expect(&f, DECIDE_ASK_WAITING, NULL, NULL);

	f.thread = c = mkcase("2026-0010", "deficient");
	f.content_known = f.waiting_known = 0;
	expect(&f, DECIDE_REPLY, NULL, c);
}

/* A reply to a case, by the case's state and what it carries. */
static void
test_decide_thread(void **state)
{
	struct decide_facts	 f;
	struct caserow		*c;

	(void)state;
	facts_plain(&f);

	f.thread = c = mkcase("2026-0001", "deficient");
	f.has_forms = 1;
	expect(&f, DECIDE_REVISION, NULL, c);
	f.has_forms = 0;
	expect(&f, DECIDE_REPLY, NULL, c);

	f.thread = c = mkcase("2026-0002", "awaiting_password");
	expect(&f, DECIDE_PASSWORD, NULL, c);
	f.has_forms = 1;
	expect(&f, DECIDE_PASSWORD, NULL, c);

	f.thread = c = mkcase("2026-0003", "under_review");
	expect(&f, DECIDE_REPLY, "書類の添付あり（この状態では自動で確認"
	    "しません）", c);
	f.thread = c = mkcase("2026-0004", "received");
	expect(&f, DECIDE_REVISION, NULL, c);
	f.thread = c = mkcase("2026-0005", "awaiting_fee");
	expect(&f, DECIDE_REVISION, NULL, c);

	/* Forms to a closed case: a new application (a renewal). */
	f.thread = mkcase("2026-0006", "approved");
	expect(&f, DECIDE_OPEN, NULL, NULL);
	f.has_forms = 0;
	f.thread = c = mkcase("2026-0007", "rejected");
	expect(&f, DECIDE_REPLY, NULL, c);
}

/* The sender's standing: the applicant or the contact (any case), or
 * nobody of the case. */
static void
test_decide_sender(void **state)
{
	struct decide_facts	 f;
	struct caserow		*c;

	(void)state;
	facts_plain(&f);
	f.thread = c = mkcase("2026-0008", "deficient");
	f.from = "suzuki@example.co.jp";
	expect(&f, DECIDE_REPLY, NULL, c);
	f.from = "TANAKA@example.co.jp";
	expect(&f, DECIDE_REPLY, NULL, c);
	f.from = "sato@example.co.jp";
	f.has_forms = 1;
	expect(&f, DECIDE_UNMATCHED, "案件 2026-0008 への返信に見えますが、"
	    "差出人 sato@example.co.jp は申請者でも担当者でもありません",
	    NULL);
	assert_true(decide_sender_of(c, "Tanaka@Example.Co.Jp"));
	assert_false(decide_sender_of(c, "tanaka@example.co"));
}

/* Forms that name no case: the resubmission of the open case they name,
 * the staff's when two match, else a new case. */
static void
test_decide_content(void **state)
{
	struct decide_facts	 f;
	struct caserow		*c;

	(void)state;
	facts_plain(&f);
	f.has_forms = 1;
	f.content = c = mkcase("2026-0011", "deficient");
	expect(&f, DECIDE_RESUBMISSION, "件名の受付番号も当方のメールへの参照"
	    "もないメールですが、差出人 tanaka@example.co.jp と申請書の制度・"
	    "事業者名・サービス名称が案件 2026-0011 と一致したため、その再提出"
	    "として扱いました", c);
	f.content = NULL;
	f.content_first = "2026-0011";
	f.content_other = "2026-0012";
	expect(&f, DECIDE_UNMATCHED, "申請書の制度・事業者名・サービス名称が"
	    "案件 2026-0011 と案件 2026-0012 の両方に一致するため、自動では振り"
	    "分けていません（件名の受付番号も返信の参照もありません）", NULL);
	f.content_first = f.content_other = NULL;
	expect(&f, DECIDE_OPEN, NULL, NULL);
}

/* No case answered: forms open one; else a case waiting for a password;
 * else unmatched. */
static void
test_decide_new(void **state)
{
	struct decide_facts	 f;
	struct caserow		*w;

	(void)state;
	facts_plain(&f);
	f.has_forms = 1;
	f.waiting = w = mkcase("2026-0009", "awaiting_password");
	expect(&f, DECIDE_OPEN, NULL, NULL);
	f.has_forms = 0;
	expect(&f, DECIDE_PASSWORD, NULL, w);
	f.waiting = NULL;
	expect(&f, DECIDE_UNMATCHED, "申請書類（ZIP・Excel・CSV）の添付が"
	    "なく、案件への返信でもありません", NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decide_screen),
		cmocka_unit_test(test_decide_spf),
		cmocka_unit_test(test_decide_no_sender),
		cmocka_unit_test(test_decide_asks),
		cmocka_unit_test(test_decide_content),
		cmocka_unit_test(test_decide_thread),
		cmocka_unit_test(test_decide_sender),
		cmocka_unit_test(test_decide_new),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
