/* test_net.c: the URLs and credentials files of the network sources and
 * transport, without a network: what is read, and what is refused. */

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "testutil.h"
#include "net.h"

/* Parses scheme:rest; returns the URL's name, or NULL with the cause in
 * *cause. */
static char *
parse(const char *scheme, const char *rest, uint16_t port, char **cause)
{
	struct net_url	*u;
	char		*name;

	*cause = NULL;
	if ((u = net_url_parse(scheme, rest, port, cause)) == NULL)
		return NULL;
	name = net_url_name(u);
	net_url_free(u);
	return name;
}

static void
test_url(void **state)
{
	struct net_url	*u;
	char		*cause, *name;
	size_t		 i;
	const struct {
		const char	*rest;
		const char	*name;
	} good[] = {
		{ "//host", "imaps://host:993" },
		{ "//user@host/INBOX", "imaps://user@host:993/INBOX" },
		{ "//nintei%40example.org@imap.example.org:1993/Applications",
		  "imaps://nintei@example.org@imap.example.org:1993/"
		  "Applications" },
		{ "//u@[::1]:10993/", "imaps://u@[::1]:10993" },
		{ "//a@b@host/x%20y", "imaps://a@b@host:993/x y" },
	};
	const struct {
		const char	*rest;
		const char	*why;
	} bad[] = {
		{ "host", "expected imaps://host" },
		{ "//user:secret@host", "a password may not be written" },
		{ "//host:0", "bad port" },
		{ "//host:70000", "bad port" },
		{ "//host:99x", "bad port" },
		{ "//", "bad or missing host" },
		{ "//user@", "bad or missing host" },
		{ "//[::1", "unclosed [" },
		{ "//host/IN%0D%0ABOX", "bad path" },
		{ "//us%0Aer@host", "bad user" },
		{ "//host?x=1", "no query" },
	};

	(void)state;
	for (i = 0; i < G_N_ELEMENTS(good); i++) {
		name = parse("imaps", good[i].rest, 993, &cause);
		if (name == NULL)
			fail_msg("%s: %s", good[i].rest, cause);
		assert_string_equal(name, good[i].name);
		g_free(name);
	}
	for (i = 0; i < G_N_ELEMENTS(bad); i++) {
		assert_null(parse("imaps", bad[i].rest, 993, &cause));
		assert_non_null(cause);
		if (strstr(cause, bad[i].why) == NULL)
			fail_msg("%s: %s", bad[i].rest, cause);
		g_free(cause);
	}
	/* The user a credentials file names fills a URL without one. */
	u = net_url_parse("smtp", "//mail.example.org", 587, &cause);
	assert_non_null(u);
	name = net_url_name(u);
	net_url_user(u, "sender", &name);
	assert_string_equal(name, "smtp://sender@mail.example.org:587");
	assert_string_equal(u->host, "mail.example.org");
	assert_int_equal(u->port, 587);
	assert_null(u->path);
	g_free(name);
	net_url_free(u);
}

/* Writes a credentials file and loads it with the URL's user given. */
static int
load(const char *dir, const char *text, int mode, const char *url_user,
    struct net_cred *c, char **cause)
{
	char	*file = g_build_filename(dir, "credentials", NULL);
	int	 r;

	tu_write(file, text, strlen(text));
	assert_int_equal(chmod(file, (mode_t)mode), 0);
	*cause = NULL;
	r = net_cred_load(file, "NINTEI_TEST_PASSWORD", url_user, c, cause);
	g_free(file);
	return r;
}

static void
test_credentials(void **state)
{
	struct net_cred	 c;
	char		*dir, *cause;

	(void)state;
	dir = tu_tmpdir("net");
	/* The password is all after the first blank, spaces included. */
	assert_int_equal(load(dir, "# the mailbox\n\nnintei  open sesame \r\n",
	    0600, NULL, &c, &cause), 0);
	assert_string_equal(c.user, "nintei");
	assert_string_equal(c.password, " open sesame ");
	net_cred_clear(&c);
	assert_null(c.password);
	assert_int_equal(load(dir, "nintei pw\n", 0400, "nintei", &c, &cause),
	    0);
	net_cred_clear(&c);

	/* Refused: readable by the group or others, no password, another
	 * user than the URL's; the causes never hold the password. */
	assert_int_equal(load(dir, "nintei pw1\n", 0640, NULL, &c, &cause),
	    -1);
	assert_non_null(strstr(cause, "(mode 0640); refusing it"));
	g_free(cause);
	assert_int_equal(load(dir, "nintei pw2\n", 0604, NULL, &c, &cause),
	    -1);
	g_free(cause);
	assert_int_equal(load(dir, "nintei\n", 0600, NULL, &c, &cause), -1);
	assert_non_null(strstr(cause, "expected one line \"user password\""));
	g_free(cause);
	assert_int_equal(load(dir, "other pw3\n", 0600, "nintei", &c, &cause),
	    -1);
	assert_non_null(strstr(cause, "differs from the URL's"));
	assert_null(strstr(cause, "pw3"));
	g_free(cause);

	/* Without a file: the URL's user and the environment's password. */
	g_setenv("NINTEI_TEST_PASSWORD", "from env", TRUE);
	cause = NULL;
	assert_int_equal(net_cred_load(NULL, "NINTEI_TEST_PASSWORD", "u", &c,
	    &cause), 0);
	assert_string_equal(c.user, "u");
	assert_string_equal(c.password, "from env");
	net_cred_clear(&c);
	g_unsetenv("NINTEI_TEST_PASSWORD");
	assert_int_equal(net_cred_load(NULL, "NINTEI_TEST_PASSWORD", NULL, &c,
	    &cause), 0);
	assert_null(c.user);
	assert_null(c.password);
	tu_rm_rf(dir);
	g_free(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_url),
		cmocka_unit_test(test_credentials),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
