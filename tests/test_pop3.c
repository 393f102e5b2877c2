/* test_pop3.c: nintei poll against a real Dovecot on 127.0.0.1 over POP3S
 * and POP3 with STLS: UIDLs remembered so that nothing is fetched twice,
 * deletion only after the commit, a message too large left and reported,
 * certificates refused before any login, a connection cut midway. */

#include <string.h>

#include "testutil.h"
#include "servers.h"

static struct srv	*S;

static const char *const users[] = { "pk", "pd", "pb", "pc", "pdrop",
	NULL };

static int
setup(void **state)
{
	(void)state;
	S = srv_new();
	srv_dovecot_start(S, users);
	return 0;
}

/* pop3s://user@host:port or pop3://… */
static char *
url(const char *scheme, const char *user, const char *host, int port)
{
	return g_strdup_printf("%s://%s@%s:%d", scheme, user, host, port);
}

/* Delivers three messages to user, applications but the second (padded
 * to pad bytes). */
static void
deliver3(const char *user, int first, char *m[3], gsize pad)
{
	char	 name[8], *from;
	int	 i;

	for (i = 0; i < 3; i++) {
		from = g_strdup_printf("%s%d@example.jp", user, i + 1);
		m[i] = srv_own(srv_message(first + i, from, i != 1,
		    i == 1 ? pad : 0));
		g_snprintf(name, sizeof name, "m%d", i + 1);
		srv_deliver(S, user, name, m[i], strlen(m[i]));
		g_free(from);
	}
}

/* The messages stay on the server (after = keep); the UIDLs committed
 * are remembered, a message not committed comes next run, and nothing is
 * fetched twice. */
static void
test_pop3s_keep(void **state)
{
	char	*dir, *u, *conf, *m[3], *err, *st;

	(void)state;
	dir = srv_dir("pop3-keep");
	u = srv_own(url("pop3s", "pk", "localhost", S->pop3s));
	conf = srv_own(srv_conf(S, dir, u, "pk", NULL));
	deliver3("pk", 101, m, 0);
	srv_block(dir, m[1], 0);
	assert_int_equal(srv_poll(conf, &err), 75);	/* one left */
	srv_has(err, "2 new, 0 seen before, 1 left for later");
	g_free(err);
	assert_int_equal(srv_recorded(conf), 2);
	st = srv_own(g_build_filename(dir, "spool", "pop3.state", NULL));
	assert_int_equal(srv_count(st, "uidl "), 2);

	srv_block(dir, m[1], 1);
	assert_int_equal(srv_poll(conf, &err), 0);
	srv_has(err, "1 new, 0 seen before");
	g_free(err);
	assert_int_equal(srv_poll(conf, &err), 0);
	assert_null(strstr(err, "seen before"));
	g_free(err);
	assert_int_equal(srv_recorded(conf), 3);
	assert_int_equal(srv_letters(dir), 2);
	assert_int_equal(srv_count(st, "uidl "), 3);
	assert_int_equal(srv_held(S, "pk", ""), 3);
}

/* POP3 with STLS; after = delete removes a message only once its outcome
 * is committed. */
static void
test_pop3_stls_delete(void **state)
{
	char	*dir, *u, *conf, *m[3];

	(void)state;
	dir = srv_dir("pop3-del");
	u = srv_own(url("pop3", "pd", "localhost", S->pop3));
	conf = srv_own(srv_conf(S, dir, u, "pd", "[source]\nafter = delete"));
	deliver3("pd", 111, m, 0);
	srv_block(dir, m[1], 0);
	assert_int_equal(tu_nintei(conf, NULL, NULL, NULL, "poll", NULL), 75);
	assert_int_equal(srv_recorded(conf), 2);
	assert_int_equal(srv_held(S, "pd", ""), 1);	/* not committed */
	srv_block(dir, m[1], 1);
	assert_int_equal(tu_nintei(conf, NULL, NULL, NULL, "poll", NULL), 0);
	assert_int_equal(srv_recorded(conf), 3);
	assert_int_equal(srv_held(S, "pd", ""), 0);
	srv_tls_login(S, "pop3-login", "pd");
}

/* A message over the limit (by its LIST size) is not fetched, stays, and
 * is reported on each run. */
static void
test_pop3_too_large(void **state)
{
	char	*dir, *u, *conf, *m[3], *err;
	int	 i;

	(void)state;
	dir = srv_dir("pop3-big");
	u = srv_own(url("pop3s", "pb", "localhost", S->pop3s));
	conf = srv_own(srv_conf(S, dir, u, "pb", "[source]\nafter = delete\n"
	    "[limits]\nmessage_size = 20K"));
	deliver3("pb", 121, m, 40000);
	for (i = 0; i < 2; i++) {
		assert_int_equal(srv_poll(conf, &err), 0);
		/* Message 2 on the first run, 1 once the others are gone. */
		srv_has(err, i == 0 ? "message 2 (UIDL " : "message 1 (UIDL ");
		srv_has(err, "is 40 KB, over [limits] message_size 20 KB: "
		    "left on the server, not fetched");
		g_free(err);
		assert_int_equal(srv_recorded(conf), 2);
		assert_int_equal(srv_held(S, "pb", ""), 1);
	}
}

/* The wrong name on the certificate: refused before USER is sent. */
static void
test_pop3_certificate_refused(void **state)
{
	char	*dir, *u[2], *conf, *err, *m[3];
	int	 i;

	(void)state;
	dir = srv_dir("pop3-cert");
	deliver3("pc", 131, m, 0);
	u[0] = srv_own(url("pop3s", "pc", "127.0.0.1", S->pop3s));
	u[1] = srv_own(url("pop3", "pc", "127.0.0.1", S->pop3));
	for (i = 0; i < 2; i++) {
		conf = srv_own(srv_conf(S, dir, u[i], "pc", NULL));
		assert_int_equal(tu_nintei(conf, NULL, NULL, &err, "poll",
		    NULL), 75);
		srv_has(err, "127.0.0.1: certificate refused, not logging in");
		srv_has(err, "does not match");
		g_free(err);
		assert_int_equal(srv_recorded(conf), 0);
	}
	assert_int_equal(srv_count(S->dovecot_log, "user=<pc>"), 0);
	assert_int_equal(srv_held(S, "pc", ""), 3);
}

/* Cut in the middle of RETR, before QUIT: the first message was
 * committed but its DELE never applied; the next run deletes it without
 * fetching it again, and fetches the rest once. */
static void
test_pop3_drop_mid_fetch(void **state)
{
	char	*dir, *u, *conf, *m[3], *err;

	(void)state;
	dir = srv_dir("pop3-drop");
	u = srv_own(url("pop3s", "pdrop", "localhost", S->proxy));
	conf = srv_own(srv_conf(S, dir, u, "pdrop",
	    "[source]\nafter = delete"));
	deliver3("pdrop", 141, m, 400000);
	srv_proxy_start(S, S->pop3s, 150000);
	assert_int_equal(srv_poll(conf, &err), 75);
	srv_has(err, "RETR failed");
	srv_has(err, "1 new, 0 seen before");
	g_free(err);
	assert_int_equal(srv_recorded(conf), 1);
	assert_int_equal(srv_held(S, "pdrop", ""), 3);

	srv_proxy_start(S, S->pop3s, 0);
	assert_int_equal(srv_poll(conf, &err), 0);
	srv_has(err, "2 new, 0 seen before");
	g_free(err);
	srv_proxy_stop(S);
	assert_int_equal(srv_recorded(conf), 3);
	assert_int_equal(srv_letters(dir), 2);
	assert_int_equal(srv_held(S, "pdrop", ""), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		SRV_TEST(test_pop3s_keep),
		SRV_TEST(test_pop3_stls_delete),
		SRV_TEST(test_pop3_too_large),
		SRV_TEST(test_pop3_certificate_refused),
		SRV_TEST(test_pop3_drop_mid_fetch),
	};

	return cmocka_run_group_tests(tests, setup, srv_teardown);
}
