/* test_screen.c: automatic mail gets no letter (SPEC §4): each marker
 * alone is enough, and a person's mail passes. */

#include <string.h>

#include "testutil.h"
#include "conf.h"
#include "intake.h"
#include "mail.h"
#include "nintei.h"

static struct conf	conf;

/* The screening verdict for a message of the given headers. */
static char *
verdict(const char *headers)
{
	struct mail		*m;
	struct mail_limits	 lim = MAIL_LIMITS_DEFAULT;
	char			*text, *cause = NULL, *why;

	text = g_strdup_printf("%s\r\nSubject: x\r\n\r\nbody\r\n", headers);
	m = mail_parse_bytes(text, strlen(text), &lim, &cause);
	assert_non_null(m);
	why = screen_automatic(&conf, m);
	mail_free(m);
	g_free(text);
	return why;
}

static void
automatic(const char *headers, const char *word)
{
	char	*why = verdict(headers);

	if (why == NULL)
		fail_msg("not screened: %s", headers);
	if (strstr(why, word) == NULL)
		fail_msg("reason \"%s\" lacks \"%s\"", why, word);
	g_free(why);
}

static void
test_markers(void **state)
{
	(void)state;
	automatic("From: a@example.jp\r\nAuto-Submitted: auto-replied",
	    "Auto-Submitted");
	automatic("From: a@example.jp\r\nAuto-Submitted: auto-generated "
	    "(vacation)", "Auto-Submitted");
	automatic("From: a@example.jp\r\nPrecedence: bulk", "Precedence");
	automatic("From: a@example.jp\r\nPrecedence: JUNK", "Precedence");
	automatic("From: a@example.jp\r\nPrecedence: list", "Precedence");
	automatic("From: a@example.jp\r\nList-Unsubscribe: <mailto:x@y>",
	    "List-Unsubscribe");
	automatic("From: a@example.jp\r\nReturn-Path: <>", "Return-Path");
	automatic("From: a@example.jp\r\nContent-Type: multipart/report; "
	    "report-type=delivery-status; boundary=b\r\n", "report");
	automatic("From: a@example.jp\r\nX-Loop: NINTEI@example.org",
	    "X-Loop");
	automatic("From: nintei@example.org", "当方のアドレス");
	automatic("From: MAILER-DAEMON@mx.example.jp", "MAILER-DAEMON");
	automatic("From: postmaster@example.jp", "postmaster");
	automatic("From: noreply@example.jp", "noreply");
	automatic("From: no-reply@example.jp", "no-reply");
	automatic("From: owner-list@example.jp", "owner-list");
	automatic("From: list-request@example.jp", "list-request");
}

static void
test_people_pass(void **state)
{
	const char	*people[] = {
		"From: yamada@example.jp",
		"From: yamada@example.jp\r\nAuto-Submitted: no",
		"From: yamada@example.jp\r\nAuto-Submitted: No (manual)",
		"From: yamada@example.jp\r\nPrecedence: first-class",
		"From: yamada@example.jp\r\nReturn-Path: <yamada@example.jp>",
		"From: yamada@example.jp\r\nX-Loop: other@example.org",
		"From: requester@example.jp",
		NULL
	};
	char		*why;
	size_t		 i;

	(void)state;
	for (i = 0; people[i] != NULL; i++) {
		if ((why = verdict(people[i])) != NULL)
			fail_msg("%s screened: %s", people[i], why);
		g_free(why);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_markers),
		cmocka_unit_test(test_people_pass),
	};

	mail_init();
	conf.address = (char *)"nintei@example.org";
	return cmocka_run_group_tests(tests, NULL, NULL);
}
