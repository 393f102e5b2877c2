/* test_imap.c: nintei poll against a real Dovecot on 127.0.0.1 over IMAPS
 * and IMAP with STARTTLS: messages fetched and recorded, flagged, moved or
 * deleted only after their commit, a new UIDVALIDITY, a message too large
 * left and reported, certificates and credentials refused before any
 * login, a connection cut midway, overlapping runs. */

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include "testutil.h"
#include "servers.h"

static struct srv	*S;

static const char *const users[] = { "seen", "move", "del", "uv", "big",
	"cert", "cred", "drop", "lock", NULL };

static int
setup(void **state)
{
	(void)state;
	S = srv_new();
	srv_dovecot_start(S, users);
	return 0;
}

/* imaps://user@host:port/ or imap://… */
static char *
url(const char *scheme, const char *user, const char *host, int port)
{
	return g_strdup_printf("%s://%s@%s:%d/INBOX", scheme, user, host,
	    port);
}

/*
 * The state of a delivered message in a user's folder: 1 if it carries
 * \Seen, 0 if it is there without, -1 if it is not there.
 */
static int
seen(const char *user, const char *folder, const char *name)
{
	GPtrArray	*all = srv_mail(S, user, folder);
	const char	*f, *flags;
	char		*base = g_strdup_printf("/%s", name);
	guint		 i;
	int		 r = -1;

	for (i = 0; i < all->len; i++) {
		f = g_ptr_array_index(all, i);
		if (strstr(f, base) == NULL)
			continue;
		flags = strstr(f, ":2,");
		r = flags != NULL && strchr(flags, 'S') != NULL;
	}
	g_ptr_array_free(all, TRUE);
	g_free(base);
	return r;
}

/* Fetched, recorded, then marked \Seen; a message the store cannot
 * record yet is left unmarked and comes on the next run; nothing is
 * fetched twice. */
static void
test_imaps_seen_after_commit(void **state)
{
	char	*dir, *u, *conf, *m1, *m2, *m3, *err, *st;

	(void)state;
	dir = srv_dir("imap-seen");
	u = srv_own(url("imaps", "seen", "localhost", S->imaps));
	conf = srv_own(srv_conf(S, dir, u, "seen", NULL));
	m1 = srv_own(srv_message(1, "a1@example.jp", 1, 0));
	m2 = srv_own(srv_message(2, "a2@example.jp", 0, 0));
	m3 = srv_own(srv_message(3, "a3@example.jp", 1, 0));
	srv_deliver(S, "seen", "m1", m1, strlen(m1));
	srv_deliver(S, "seen", "m2", m2, strlen(m2));
	srv_deliver(S, "seen", "m3", m3, strlen(m3));

	srv_block(dir, m2, 0);
	/* One left unrecorded: exit 75, so that cron's mail says so. */
	assert_int_equal(srv_poll(conf, &err), 75);
	srv_has(err, "2 new, 0 seen before, 1 left for later");
	g_free(err);
	assert_int_equal(srv_recorded(conf), 2);
	assert_int_equal(srv_letters(dir), 2);
	assert_int_equal(seen("seen", "", "m1"), 1);
	assert_int_equal(seen("seen", "", "m2"), 0);	/* not committed */
	assert_int_equal(seen("seen", "", "m3"), 1);

	srv_block(dir, m2, 1);
	assert_int_equal(srv_poll(conf, &err), 0);
	srv_has(err, "1 new, 0 seen before");
	g_free(err);
	assert_int_equal(srv_recorded(conf), 3);
	assert_int_equal(seen("seen", "", "m2"), 1);
	assert_int_equal(srv_letters(dir), 2);

	/* Nothing new: nothing fetched again. */
	assert_int_equal(srv_poll(conf, &err), 0);
	assert_null(strstr(err, "seen before"));
	g_free(err);
	st = srv_own(g_build_filename(dir, "spool", "imap.state", NULL));
	assert_int_equal(srv_count(st, "mark 3"), 1);
	assert_int_equal(srv_count(S->dovecot_log, "Login: user=<seen>"), 3);
}

/* IMAP with STARTTLS; after = move:FOLDER moves what was committed (the
 * folder made when missing). */
static void
test_imap_starttls_move(void **state)
{
	char	*dir, *u, *conf, *m1, *m2;

	(void)state;
	dir = srv_dir("imap-move");
	u = srv_own(url("imap", "move", "localhost", S->imap));
	conf = srv_own(srv_conf(S, dir, u, "move",
	    "[source]\nafter = move:Processed"));
	m1 = srv_own(srv_message(11, "b1@example.jp", 1, 0));
	m2 = srv_own(srv_message(12, "b2@example.jp", 0, 0));
	srv_deliver(S, "move", "m1", m1, strlen(m1));
	srv_deliver(S, "move", "m2", m2, strlen(m2));
	assert_int_equal(tu_nintei(conf, NULL, NULL, NULL, "poll", NULL), 0);
	assert_int_equal(srv_recorded(conf), 2);
	assert_int_equal(srv_held(S, "move", ""), 0);
	assert_int_equal(srv_held(S, "move", "Processed"), 2);
	/* The login went over TLS, after STARTTLS. */
	srv_tls_login(S, "imap-login", "move");
}

/* after = delete: \Deleted and UID EXPUNGE of that message only. */
static void
test_imaps_delete(void **state)
{
	char	*dir, *u, *conf, *m1, *m2, *big;

	(void)state;
	dir = srv_dir("imap-del");
	u = srv_own(url("imaps", "del", "localhost", S->imaps));
	conf = srv_own(srv_conf(S, dir, u, "del", "[source]\nafter = delete\n"
	    "[limits]\nmessage_size = 20K"));
	m1 = srv_own(srv_message(21, "c1@example.jp", 1, 0));
	m2 = srv_own(srv_message(22, "c2@example.jp", 0, 0));
	big = srv_own(srv_message(23, "c3@example.jp", 0, 40000));
	srv_deliver(S, "del", "m1", m1, strlen(m1));
	srv_deliver(S, "del", "big", big, strlen(big));
	srv_deliver(S, "del", "m2", m2, strlen(m2));
	assert_int_equal(tu_nintei(conf, NULL, NULL, NULL, "poll", NULL), 0);
	assert_int_equal(srv_recorded(conf), 2);
	/* Only the message left on the server remains. */
	assert_int_equal(srv_held(S, "del", ""), 1);
	assert_int_equal(seen("del", "", "big"), 0);
}

/* The mailbox is made anew (new UIDVALIDITY): nintei reads it again,
 * recognises what it recorded and answers nothing twice. */
static void
test_uidvalidity_change(void **state)
{
	char	*dir, *u, *conf, *m1, *m2, *m3, *err, *box, *p;
	GPtrArray *files;
	guint	 i;

	(void)state;
	dir = srv_dir("imap-uv");
	u = srv_own(url("imaps", "uv", "localhost", S->imaps));
	conf = srv_own(srv_conf(S, dir, u, "uv", NULL));
	m1 = srv_own(srv_message(31, "d1@example.jp", 1, 0));
	m2 = srv_own(srv_message(32, "d2@example.jp", 1, 0));
	m3 = srv_own(srv_message(33, "d3@example.jp", 1, 0));
	srv_deliver(S, "uv", "m1", m1, strlen(m1));
	srv_deliver(S, "uv", "m2", m2, strlen(m2));
	assert_int_equal(tu_nintei(conf, NULL, NULL, NULL, "poll", NULL), 0);
	assert_int_equal(srv_recorded(conf), 2);
	assert_int_equal(srv_letters(dir), 2);

	/* Dovecot forgets the UIDs: a new UIDVALIDITY, UIDs from 1. */
	box = srv_own(srv_maildir(S, "uv", "", ""));
	files = tu_list(box);
	for (i = 0; i < files->len; i++) {
		if (!g_str_has_prefix(g_ptr_array_index(files, i),
		    "dovecot-uidlist") && !g_str_has_prefix(
		    g_ptr_array_index(files, i), "dovecot.index"))
			continue;
		p = g_build_filename(box, g_ptr_array_index(files, i), NULL);
		unlink(p);
		g_free(p);
	}
	g_ptr_array_free(files, TRUE);
	srv_deliver(S, "uv", "m3", m3, strlen(m3));
	assert_int_equal(srv_poll(conf, &err), 0);
	srv_has(err, "UIDVALIDITY changed");
	srv_has(err, "1 new, 2 seen before");
	g_free(err);
	assert_int_equal(srv_recorded(conf), 3);
	assert_int_equal(srv_letters(dir), 3);
	assert_int_equal(seen("uv", "", "m3"), 1);
}

/* A message over [limits] message_size is not fetched, stays on the
 * server unmarked, and is reported on each run; raising the limit lets
 * it in. */
static void
test_too_large_left(void **state)
{
	char	*dir, *u, *conf, *m1, *big, *m3, *err, *extra;

	(void)state;
	dir = srv_dir("imap-big");
	u = srv_own(url("imaps", "big", "localhost", S->imaps));
	conf = srv_own(srv_conf(S, dir, u, "big",
	    "[limits]\nmessage_size = 20K"));
	m1 = srv_own(srv_message(41, "e1@example.jp", 0, 0));
	big = srv_own(srv_message(42, "e2@example.jp", 0, 40000));
	m3 = srv_own(srv_message(43, "e3@example.jp", 0, 0));
	srv_deliver(S, "big", "m1", m1, strlen(m1));
	srv_deliver(S, "big", "big", big, strlen(big));
	srv_deliver(S, "big", "m3", m3, strlen(m3));
	assert_int_equal(srv_poll(conf, &err), 0);
	srv_has(err, "message UID 2 is");
	srv_has(err, "over [limits] message_size 20 KB: left "
	    "on the server, not fetched");
	g_free(err);
	assert_int_equal(srv_recorded(conf), 2);
	assert_int_equal(seen("big", "", "big"), 0);
	assert_int_equal(seen("big", "", "m3"), 1);
	/* Reported again on the next run, still not fetched. */
	assert_int_equal(srv_poll(conf, &err), 0);
	srv_has(err, "message UID 2 is");
	g_free(err);
	assert_int_equal(srv_recorded(conf), 2);
	/* With a higher limit it comes in. */
	extra = srv_own(g_strdup("[limits]\nmessage_size = 100K"));
	conf = srv_own(srv_conf(S, dir, u, "big", extra));
	assert_int_equal(srv_poll(conf, &err), 0);
	assert_null(strstr(err, "message UID 2 is"));
	g_free(err);
	assert_int_equal(srv_recorded(conf), 3);
	assert_int_equal(seen("big", "", "big"), 1);
}

/* Runs poll on url with extra configuration; it must fail with a refused
 * certificate whose reason holds why. */
static void
refused(const char *dir, const char *u, const char *extra, const char *why)
{
	char	*conf, *err;

	conf = srv_own(srv_conf(S, dir, u, "cert", extra));
	assert_int_equal(tu_nintei(conf, NULL, NULL, &err, "poll", NULL), 75);
	if (strstr(err, "certificate refused, not logging in") == NULL ||
	    strstr(err, why) == NULL)
		fail_msg("%s: %s", u, err);
	assert_null(strstr(err, SRV_PASSWORD));
	g_free(err);
}

/* A certificate from a CA nintei does not trust, or for another name, is
 * refused before any login (Dovecot logged none); verify = no logs in,
 * with a warning. */
static void
test_certificate_refused(void **state)
{
	char	*dir, *u, *m1, *conf, *err, *cconf;

	(void)state;
	dir = srv_dir("imap-cert");
	m1 = srv_own(srv_message(51, "f1@example.jp", 0, 0));
	srv_deliver(S, "cert", "m1", m1, strlen(m1));
	/* The system store does not know the test CA. */
	u = srv_own(url("imaps", "cert", "localhost", S->imaps));
	refused(dir, u, "[tls]\nca_file =", "issuer is unknown");
	/* The right CA, the wrong name: the certificate is for localhost. */
	u = srv_own(url("imaps", "cert", "127.0.0.1", S->imaps));
	refused(dir, u, NULL, "does not match");
	u = srv_own(url("imap", "cert", "127.0.0.1", S->imap));
	refused(dir, u, NULL, "does not match");
	assert_int_equal(srv_count(S->dovecot_log, "Login: user=<cert>"), 0);
	cconf = g_build_filename(dir, "nintei.conf", NULL);
	assert_int_equal(srv_recorded(cconf), 0);
	g_free(cconf);

	/* A lab may switch the check off, and is told on every run. */
	conf = srv_own(srv_conf(S, dir, u, "cert", "[tls]\nverify = no"));
	assert_int_equal(tu_nintei(conf, NULL, NULL, &err, "poll", NULL), 0);
	srv_has(err, "[tls] verify = no: the certificate of "
	    "127.0.0.1 is not checked");
	g_free(err);
	assert_int_equal(srv_count(S->dovecot_log, "Login: user=<cert>"), 1);
	assert_int_equal(srv_recorded(conf), 1);
}

/* A credentials file others may read, or a password in the URL, is
 * refused before connecting; a wrong password fails the login; the
 * password is never printed. */
static void
test_credentials_refused(void **state)
{
	char	*dir, *u, *conf, *err, *cred, *extra;

	(void)state;
	dir = srv_dir("imap-cred");
	u = srv_own(url("imaps", "cred", "localhost", S->imaps));
	conf = srv_own(srv_conf(S, dir, u, "cred", NULL));
	cred = srv_own(g_build_filename(dir, "credentials", NULL));
	assert_int_equal(chmod(cred, 0640), 0);
	assert_int_equal(tu_nintei(conf, NULL, NULL, &err, "poll", NULL), 75);
	srv_has(err, "its group or others may use it (mode "
	    "0640); refusing it");
	assert_null(strstr(err, SRV_PASSWORD));
	g_free(err);
	assert_int_equal(srv_count(S->dovecot_log, "user=<cred>"), 0);

	extra = srv_own(g_strdup_printf("[source]\nurl = imaps://cred:%s@"
	    "localhost:%d/\ncredentials =", "secret", S->imaps));
	conf = srv_own(srv_conf(S, dir, u, "cred", extra));
	assert_int_equal(tu_nintei(conf, NULL, NULL, &err, "poll", NULL), 75);
	srv_has(err, "a password may not be written in the "
	    "URL");
	g_free(err);

	/* The file is fine but the password wrong: the server says no. */
	conf = srv_own(srv_conf(S, dir, u, "cred", NULL));
	srv_own(srv_credentials(dir, "credentials", "cred not the password\n",
	    0600));
	assert_int_equal(tu_nintei(conf, NULL, NULL, &err, "poll", NULL), 75);
	srv_has(err, "LOGIN failed");
	assert_null(strstr(err, "not the password"));
	g_free(err);
}

/* The connection breaks in the middle of a fetch: what was committed
 * stays, the broken message comes whole on the next run, and nothing is
 * recorded, answered or fetched twice. */
static void
test_drop_mid_fetch(void **state)
{
	char	*dir, *u, *conf, *m1, *m2, *m3, *err;

	(void)state;
	dir = srv_dir("imap-drop");
	u = srv_own(url("imaps", "drop", "localhost", S->proxy));
	conf = srv_own(srv_conf(S, dir, u, "drop", NULL));
	m1 = srv_own(srv_message(61, "g1@example.jp", 1, 0));
	m2 = srv_own(srv_message(62, "g2@example.jp", 1, 400000));
	m3 = srv_own(srv_message(63, "g3@example.jp", 1, 0));
	srv_deliver(S, "drop", "m1", m1, strlen(m1));
	srv_deliver(S, "drop", "m2", m2, strlen(m2));
	srv_deliver(S, "drop", "m3", m3, strlen(m3));

	srv_proxy_start(S, S->imaps, 150000);
	assert_int_equal(srv_poll(conf, &err), 75);
	srv_has(err, "UID FETCH (BODY.PEEK[]) failed");
	srv_has(err, "1 new, 0 seen before");
	g_free(err);
	assert_int_equal(srv_recorded(conf), 1);
	assert_int_equal(seen("drop", "", "m1"), 1);
	assert_int_equal(seen("drop", "", "m2"), 0);

	srv_proxy_start(S, S->imaps, 0);
	assert_int_equal(srv_poll(conf, &err), 0);
	srv_has(err, "2 new, 0 seen before");
	g_free(err);
	srv_proxy_stop(S);
	assert_int_equal(srv_recorded(conf), 3);
	assert_int_equal(srv_letters(dir), 3);
	assert_int_equal(seen("drop", "", "m2"), 1);
	assert_int_equal(seen("drop", "", "m3"), 1);
}

/* Is the spool's run lock taken by someone? */
static int
locked(const char *dir)
{
	char	*p = g_build_filename(dir, "spool", "lock", NULL);
	int	 fd, r = 0;

	if ((fd = open(p, O_RDWR)) >= 0) {
		if (flock(fd, LOCK_EX | LOCK_NB) != 0)
			r = errno == EWOULDBLOCK;
		close(fd);
	}
	g_free(p);
	return r;
}

/* How many lines a text has. */
static int
lines(const char *text)
{
	int	n = 0;

	for (; (text = strchr(text, '\n')) != NULL; text++)
		n++;
	return n;
}

/* A server that accepts connections and never answers. */
static int
tarpit(int *port)
{
	struct sockaddr_in	sa;
	socklen_t		len = sizeof sa;
	int			fd;

	fd = socket(AF_INET, SOCK_STREAM, 0);
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof sa), 0);
	assert_int_equal(listen(fd, 8), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sa, &len), 0);
	*port = ntohs(sa.sin_port);
	return fd;
}

/* While one poll waits on a server that does not answer, a second poll
 * exits 0 at once with a one-line notice; the first gives up after the
 * network timeout. */
static void
test_overlapping_polls(void **state)
{
	GSubprocess	*first;
	GError		*error = NULL;
	GBytes		*eb = NULL;
	char		*dir, *u, *conf, *err, *extra;
	gint64		 start;
	int		 fd, port, i;

	(void)state;
	dir = srv_dir("imap-lock");
	fd = tarpit(&port);
	u = srv_own(url("imaps", "lock", "localhost", port));
	extra = srv_own(g_strdup("[limits]\nnetwork_timeout = 3s"));
	conf = srv_own(srv_conf(S, dir, u, "lock", extra));
	start = g_get_monotonic_time();
	first = g_subprocess_new(G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
	    G_SUBPROCESS_FLAGS_STDERR_PIPE, &error, tu_bin(), "-c", conf,
	    "poll", NULL);
	assert_non_null(first);
	for (i = 0; i < 200 && !locked(dir); i++)
		g_usleep(20000);
	assert_true(locked(dir));

	assert_int_equal(tu_nintei(conf, NULL, NULL, &err, "-v", "poll",
	    NULL), 0);
	srv_has(err, "another nintei run holds the lock");
	assert_int_equal(lines(err), 1);
	g_free(err);

	assert_true(g_subprocess_communicate(first, NULL, NULL, NULL, &eb,
	    &error));
	assert_int_equal(g_subprocess_get_exit_status(first), 75);
	assert_true(g_get_monotonic_time() - start < 20 * G_USEC_PER_SEC);
	err = g_strndup(g_bytes_get_data(eb, NULL), g_bytes_get_size(eb));
	srv_has(err, "TLS handshake failed");
	g_free(err);
	g_bytes_unref(eb);
	g_object_unref(first);
	close(fd);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		SRV_TEST(test_imaps_seen_after_commit),
		SRV_TEST(test_imap_starttls_move),
		SRV_TEST(test_imaps_delete),
		SRV_TEST(test_uidvalidity_change),
		SRV_TEST(test_too_large_left),
		SRV_TEST(test_certificate_refused),
		SRV_TEST(test_credentials_refused),
		SRV_TEST(test_drop_mid_fetch),
		SRV_TEST(test_overlapping_polls),
	};

	return cmocka_run_group_tests(tests, setup, srv_teardown);
}
