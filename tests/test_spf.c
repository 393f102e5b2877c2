/* test_spf.c: SPF with libspf2's zone resolver (no network): the client
 * address from our receiving host's Received header, the results. */

#include <string.h>

#include "testutil.h"
#include "conf.h"
#include "intake.h"
#include "mail.h"
#include "nintei.h"

static struct conf	conf;

static char *
spf(const char *received, const char *return_path)
{
	struct mail		*m;
	struct mail_limits	 lim = MAIL_LIMITS_DEFAULT;
	struct spf_result	 r;
	char			*text, *cause = NULL, *res;

	text = g_strdup_printf("Return-Path: <%s>\r\n%s"
	    "From: a@example.jp\r\nSubject: x\r\n\r\nbody\r\n", return_path,
	    received);
	m = mail_parse_bytes(text, strlen(text), &lim, &cause);
	assert_non_null(m);
	if (spf_check(&conf, m, &r, &cause) != 0)
		fail_msg("spf: %s", cause);
	res = g_strdup(r.result);
	spf_result_clear(&r);
	mail_free(m);
	g_free(text);
	return res;
}

static void
expect(const char *received, const char *sender, const char *want)
{
	char	*got = spf(received, sender);

	if (strcmp(got, want) != 0)
		fail_msg("%s from %s: %s, want %s", sender, received, got,
		    want);
	g_free(got);
}

#define HOP(ip) "Received: from client.example (client.example [" ip "])\r\n" \
	"\tby mx.nintei.example (Postfix) with ESMTPS id 1;\r\n" \
	"\tTue, 24 Nov 2026 09:30:00 +0900\r\n"
#define INNER "Received: from inner (inner [10.0.0.9]) by relay.nintei.example;" \
	" Tue, 24 Nov 2026 09:30:01 +0900\r\n"

static void
test_results(void **state)
{
	(void)state;
	expect(INNER HOP("192.0.2.10"), "yamada@pass.example.jp", "pass");
	expect(HOP("198.51.100.7"), "yamada@pass.example.jp", "fail");
	expect(HOP("198.51.100.7"), "yamada@soft.example.jp", "softfail");
	expect(HOP("198.51.100.7"), "yamada@neutral.example.jp", "neutral");
	expect(HOP("198.51.100.7"), "yamada@nospf.example.jp", "none");
	expect(HOP("198.51.100.7"), "yamada@broken.example.jp", "temperror");
	expect(HOP("IPv6:2001:db8::5"), "yamada@pass.example.jp", "pass");
	/* No Received header from our host: nothing to check. */
	expect(INNER, "yamada@pass.example.jp", "none");
}

static void
test_trusted(void **state)
{
	char	*got;

	(void)state;
	/* The hop count instead of the host name. */
	conf.spf_hops = 2;
	expect(INNER HOP("192.0.2.10"), "yamada@pass.example.jp", "pass");
	conf.spf_hops = 0;
	/* Our host's Authentication-Results, when trusted. */
	conf.spf_trust_authres = 1;
	got = spf("Authentication-Results: mx.nintei.example; spf=fail "
	    "smtp.mailfrom=yamada@pass.example.jp\r\n" HOP("192.0.2.10"),
	    "yamada@pass.example.jp");
	assert_string_equal(got, "fail");
	g_free(got);
	/* Someone else's Authentication-Results are not believed. */
	got = spf("Authentication-Results: evil.example; spf=pass\r\n"
	    HOP("198.51.100.7"), "yamada@pass.example.jp");
	assert_string_equal(got, "fail");
	g_free(got);
	conf.spf_trust_authres = 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_results),
		cmocka_unit_test(test_trusted),
	};
	const char	*zone =
	    "pass.example.jp TXT v=spf1 ip4:192.0.2.0/24 ip6:2001:db8::/32 -all\n"
	    "soft.example.jp TXT v=spf1 ip4:192.0.2.0/24 ~all\n"
	    "neutral.example.jp TXT v=spf1 ?all\n"
	    "broken.example.jp SERVFAIL\n";
	char		*dir, *file;
	int		 r;

	mail_init();
	dir = tu_tmpdir("spf");
	file = g_build_filename(dir, "zone", NULL);
	tu_write(file, zone, strlen(zone));
	conf.address = (char *)"nintei@example.org";
	conf.spf = 1;
	conf.spf_host = (char *)"mx.nintei.example";
	conf.spf_zone = file;
	r = cmocka_run_group_tests(tests, NULL, NULL);
	tu_rm_rf(dir);
	return r;
}
