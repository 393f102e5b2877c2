/* servers.c: starts and stops the real servers of the network tests (see
 * servers.h); whatever a test leaves running is stopped at exit. */

#include <errno.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <sqlite3.h>

#include "testutil.h"
#include "servers.h"

/* The Debian python with aiosmtpd, whatever python is first in PATH. */
#define SRV_PYTHON	"/usr/bin/python3"

static struct srv	*srv_live;	/* stopped at exit if still there */
static GPtrArray	*srv_dirs;	/* removed by srv_cleanup */
static GPtrArray	*srv_owned;	/* freed by srv_cleanup */

/* In the child: its error output to the file descriptor given. */
static void
srv_stderr_to(gpointer data)
{
	dup2(GPOINTER_TO_INT(data), STDERR_FILENO);
}

/* Runs argv, failing the test if it does not exit 0.  A daemon keeps
 * the pipes it was given: its error output goes to a file instead. */
static void
srv_run(const char *const *argv)
{
	GError	*error = NULL;
	char	*err = NULL, *file;
	int	 status, fd;

	file = g_build_filename(g_get_tmp_dir(), "nintei-srv-run.XXXXXX",
	    NULL);
	if ((fd = g_mkstemp(file)) < 0)
		fail_msg("%s: %s", file, g_strerror(errno));
	if (!g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH |
	    G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_CHILD_INHERITS_STDIN,
	    srv_stderr_to, GINT_TO_POINTER(fd), NULL, NULL, &status, &error))
		fail_msg("%s: %s", argv[0], error->message);
	close(fd);
	if (!g_spawn_check_wait_status(status, NULL)) {
		g_file_get_contents(file, &err, NULL, NULL);
		unlink(file);
		fail_msg("%s failed: %s", argv[0], err != NULL ? err : "?");
	}
	unlink(file);
	g_free(file);
}

/* A socket and the address of a port on 127.0.0.1. */
static int
srv_loopback(int port, struct sockaddr_in *sa)
{
	memset(sa, 0, sizeof *sa);
	sa->sin_family = AF_INET;
	sa->sin_port = htons((uint16_t)port);
	sa->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return socket(AF_INET, SOCK_STREAM, 0);
}

/* Can a port on 127.0.0.1 be bound? */
static int
srv_port_free(int port)
{
	struct sockaddr_in	sa;
	int			fd, r;

	if ((fd = srv_loopback(port, &sa)) < 0)
		return 0;
	r = bind(fd, (struct sockaddr *)&sa, sizeof sa);
	close(fd);
	return r == 0;
}

/* Does something accept connections on the port? */
static int
srv_port_open(int port)
{
	struct sockaddr_in	sa;
	int			fd, r;

	if ((fd = srv_loopback(port, &sa)) < 0)
		return 0;
	r = connect(fd, (struct sockaddr *)&sa, sizeof sa);
	close(fd);
	return r == 0;
}

/* Waits (up to 20 s) until the port accepts, or (up) until it does not. */
static void
srv_wait_port(int port, int up)
{
	int	i;

	for (i = 0; i < 400; i++) {
		if (srv_port_open(port) == up)
			return;
		g_usleep(50000);
	}
	fail_msg("port %d did not %s", port, up ? "open" : "close");
}

/* Makes the test CA, the servers' certificate (signed by it, for
 * DNS:localhost only: 127.0.0.1 is the wrong name) and a self-signed
 * one. */
static void
srv_certs(struct srv *s)
{
	const char	*exts = "subjectAltName=DNS:localhost\n"
			    "basicConstraints=CA:FALSE\n"
			    "extendedKeyUsage=serverAuth\n";
	char		*cakey, *csr, *ext, *self, *selfkey;

	cakey = g_build_filename(s->dir, "ca.key", NULL);
	csr = g_build_filename(s->dir, "server.csr", NULL);
	ext = g_build_filename(s->dir, "server.ext", NULL);
	self = g_build_filename(s->dir, "self.pem", NULL);
	selfkey = g_build_filename(s->dir, "self.key", NULL);
	tu_write(ext, exts, strlen(exts));
	srv_run((const char *const []){ "openssl", "req", "-x509",
	    "-newkey", "rsa:2048", "-nodes", "-keyout", cakey, "-out", s->ca,
	    "-days", "3", "-subj", "/CN=nintei test CA", NULL });
	srv_run((const char *const []){ "openssl", "req", "-newkey",
	    "rsa:2048", "-nodes", "-keyout", s->key, "-out", csr, "-subj",
	    "/CN=localhost", NULL });
	srv_run((const char *const []){ "openssl", "x509", "-req", "-in", csr,
	    "-CA", s->ca, "-CAkey", cakey, "-CAcreateserial", "-out", s->cert,
	    "-days", "3", "-extfile", ext, NULL });
	srv_run((const char *const []){ "openssl", "req", "-x509",
	    "-newkey", "rsa:2048", "-nodes", "-keyout", selfkey, "-out", self,
	    "-days", "3", "-subj", "/CN=localhost", "-addext",
	    "subjectAltName=DNS:localhost", NULL });
	chmod(s->cert, 0644);
	chmod(s->ca, 0644);
	g_free(cakey);
	g_free(csr);
	g_free(ext);
	g_free(self);
	g_free(selfkey);
}

static void
srv_atexit(void)
{
	if (srv_live != NULL)
		srv_free(srv_live);
}

struct srv *
srv_new(void)
{
	struct srv	*s = g_new0(struct srv, 1);
	GError		*error = NULL;
	int		 base, i, tries;

	if ((s->dir = g_dir_make_tmp("nintei-srv-XXXXXX", &error)) == NULL)
		fail_msg("%s", error->message);
	chmod(s->dir, 0755);		/* Dovecot's users read below it */
	s->ca = g_build_filename(s->dir, "ca.pem", NULL);
	s->cert = g_build_filename(s->dir, "server.pem", NULL);
	s->key = g_build_filename(s->dir, "server.key", NULL);
	/* Ten ports from the pid, so that parallel runs do not meet. */
	base = 20000 + (int)(getpid() % 4000) * 10;
	for (tries = 0; tries < 100; tries++, base += 10) {
		if (base + 10 > 60000)
			base = 20000;
		for (i = 0; i < 10 && srv_port_free(base + i); i++)
			;
		if (i == 10)
			break;
	}
	s->imap = base;
	s->imaps = base + 1;
	s->pop3 = base + 2;
	s->pop3s = base + 3;
	s->smtp = base + 4;
	s->smtps = base + 5;
	s->smtps_self = base + 6;
	s->proxy = base + 7;
	s->slow = base + 8;
	s->slow_small = base + 9;
	srv_certs(s);
	srv_live = s;
	atexit(srv_atexit);
	return s;
}

/* The uid and gid Dovecot gives the mail users: Debian's "mail". */
static void
srv_mail_user(uid_t *uid, gid_t *gid)
{
	struct passwd	*pw = getpwnam("mail");

	if (pw == NULL)
		fail_msg("no user \"mail\"");
	*uid = pw->pw_uid;
	*gid = pw->pw_gid;
}

/* Gives a path to the mail user, so that Dovecot (not root) may use it. */
static void
srv_chown(const char *path)
{
	uid_t	uid;
	gid_t	gid;

	srv_mail_user(&uid, &gid);
	if (chown(path, uid, gid) != 0)
		fail_msg("chown %s: %s", path, g_strerror(errno));
}

void
srv_dovecot_start(struct srv *s, const char *const *users)
{
	GString		*pw = g_string_new(NULL);
	char		*text, *passwd, *home, *run, *state, *p;
	const char	*sub[] = { "new", "cur", "tmp" };
	uid_t		 uid;
	gid_t		 gid;
	int		 i, j;

	srv_mail_user(&uid, &gid);
	passwd = g_build_filename(s->dir, "passwd", NULL);
	home = g_build_filename(s->dir, "home", NULL);
	run = g_build_filename(s->dir, "run", NULL);
	state = g_build_filename(s->dir, "state", NULL);
	s->dovecot_conf = g_build_filename(s->dir, "dovecot.conf", NULL);
	s->dovecot_log = g_build_filename(s->dir, "dovecot.log", NULL);
	g_mkdir_with_parents(run, 0755);
	g_mkdir_with_parents(state, 0755);
	g_mkdir_with_parents(home, 0755);
	for (i = 0; users[i] != NULL; i++) {
		g_string_append_printf(pw, "%s:{PLAIN}%s::::::\n", users[i],
		    SRV_PASSWORD);
		for (j = 0; j < 3; j++) {
			p = srv_maildir(s, users[i], "", sub[j]);
			g_mkdir_with_parents(p, 0700);
			g_free(p);
		}
		p = g_build_filename(home, users[i], NULL);
		srv_run((const char *const []){ "chown", "-R", "mail:mail", p,
		    NULL });
		g_free(p);
	}
	tu_write(passwd, pw->str, pw->len);
	chmod(passwd, 0644);
	text = g_strdup_printf(
	    "base_dir = %s\n"
	    "state_dir = %s\n"
	    "log_path = %s\n"
	    "info_log_path = %s\n"
	    "listen = 127.0.0.1\n"
	    "protocols = imap pop3\n"
	    "ssl = yes\n"
	    "ssl_cert = <%s\n"
	    "ssl_key = <%s\n"
	    "disable_plaintext_auth = yes\n"
	    "auth_mechanisms = plain login\n"
	    "passdb {\n  driver = passwd-file\n  args = %s\n}\n"
	    "userdb {\n  driver = static\n"
	    "  args = uid=%u gid=%u home=%s/%%u\n}\n"
	    "mail_location = maildir:~/Maildir\n"
	    "first_valid_uid = %u\n"
	    "first_valid_gid = %u\n"
	    "service imap-login {\n"
	    "  inet_listener imap {\n    port = %d\n  }\n"
	    "  inet_listener imaps {\n    port = %d\n    ssl = yes\n  }\n}\n"
	    "service pop3-login {\n"
	    "  inet_listener pop3 {\n    port = %d\n  }\n"
	    "  inet_listener pop3s {\n    port = %d\n    ssl = yes\n  }\n}\n"
	    /* No penalty delays for the failed logins the tests make. */
	    "service anvil {\n  unix_listener anvil-auth-penalty {\n"
	    "    mode = 0\n  }\n}\n"
	    "pop3_uidl_format = %%08Xu%%08Xv\n",
	    run, state, s->dovecot_log, s->dovecot_log, s->cert, s->key,
	    passwd, (unsigned int)uid, (unsigned int)gid, home,
	    (unsigned int)uid, (unsigned int)gid, s->imap, s->imaps, s->pop3,
	    s->pop3s);
	tu_write(s->dovecot_conf, text, strlen(text));
	srv_run((const char *const []){ "dovecot", "-c", s->dovecot_conf,
	    NULL });
	srv_wait_port(s->imap, 1);
	srv_wait_port(s->imaps, 1);
	srv_wait_port(s->pop3, 1);
	srv_wait_port(s->pop3s, 1);
	g_string_free(pw, TRUE);
	g_free(text);
	g_free(passwd);
	g_free(home);
	g_free(run);
	g_free(state);
}

/* Kills a process by the pid in a file, if it still runs. */
static void
srv_kill_pidfile(const char *file)
{
	char	*text;
	long	 pid;

	if (!g_file_get_contents(file, &text, NULL, NULL))
		return;
	pid = strtol(text, NULL, 10);
	if (pid > 1)
		kill((pid_t)pid, SIGTERM);
	g_free(text);
}

void
srv_dovecot_stop(struct srv *s)
{
	char	*argv[] = { (char *)"doveadm", (char *)"-c", s->dovecot_conf,
		    (char *)"stop", NULL };
	char	*pidfile;

	if (s->dovecot_conf == NULL)
		return;
	g_spawn_sync(NULL, argv, NULL, G_SPAWN_SEARCH_PATH |
	    G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL, NULL,
	    NULL, NULL, NULL, NULL, NULL);
	/* If doveadm could not, the master's pid file. */
	pidfile = g_build_filename(s->dir, "run", "master.pid", NULL);
	if (srv_port_open(s->imaps))
		srv_kill_pidfile(pidfile);
	g_free(pidfile);
	srv_wait_port(s->imaps, 0);
	g_free(s->dovecot_conf);
	s->dovecot_conf = NULL;
}

char *
srv_maildir(struct srv *s, const char *user, const char *folder,
    const char *sub)
{
	char	*f, *p;

	f = *folder != '\0' ? g_strdup_printf(".%s", folder) : g_strdup("");
	p = g_build_filename(s->dir, "home", user, "Maildir", f, sub, NULL);
	g_free(f);
	return p;
}

char *
srv_crlf(const char *text, gsize len, gsize *outlen)
{
	GString	*out = g_string_sized_new(len + len / 20);
	gsize	 i;

	for (i = 0; i < len; i++) {
		if (text[i] == '\n' && (i == 0 || text[i - 1] != '\r'))
			g_string_append_c(out, '\r');
		g_string_append_c(out, text[i]);
	}
	*outlen = out->len;
	return g_string_free(out, FALSE);
}

void
srv_deliver(struct srv *s, const char *user, const char *name,
    const char *text, gsize len)
{
	char	*dir, *tmp, *dst, *crlf;
	gsize	 n;

	crlf = srv_crlf(text, len, &n);
	dir = srv_maildir(s, user, "", "tmp");
	tmp = g_build_filename(dir, name, NULL);
	g_free(dir);
	dir = srv_maildir(s, user, "", "new");
	dst = g_build_filename(dir, name, NULL);
	tu_write(tmp, crlf, n);
	srv_chown(tmp);
	if (rename(tmp, dst) != 0)
		fail_msg("rename %s: %s", tmp, g_strerror(errno));
	/* Dovecot gives UIDs now, so that they follow the deliveries. */
	srv_run((const char *const []){ "doveadm", "-c", s->dovecot_conf,
	    "mailbox", "status", "-u", user, "messages", "INBOX", NULL });
	g_free(crlf);
	g_free(dir);
	g_free(tmp);
	g_free(dst);
}

GPtrArray *
srv_mail(struct srv *s, const char *user, const char *folder)
{
	GPtrArray	*all, *part;
	char		*dir;
	const char	*sub[] = { "new", "cur" };
	guint		 i, j;

	all = g_ptr_array_new_with_free_func(g_free);
	for (i = 0; i < 2; i++) {
		dir = srv_maildir(s, user, folder, sub[i]);
		part = tu_list(dir);
		for (j = 0; j < part->len; j++)
			g_ptr_array_add(all, g_strdup_printf("%s/%s", sub[i],
			    (char *)g_ptr_array_index(part, j)));
		g_ptr_array_free(part, TRUE);
		g_free(dir);
	}
	return all;
}

/* Starts a helper script of tests/servers/ and waits for its ports. */
static GPid
srv_script(const char *script, const char *const *args, const int *ports)
{
	GPtrArray	*argv = g_ptr_array_new_with_free_func(g_free);
	GError		*error = NULL;
	GPid		 pid;
	int		 i;

	g_ptr_array_add(argv, g_strdup(SRV_PYTHON));
	g_ptr_array_add(argv, g_build_filename(tu_top(), "tests", "servers",
	    script, NULL));
	for (i = 0; args[i] != NULL; i++)
		g_ptr_array_add(argv, g_strdup(args[i]));
	g_ptr_array_add(argv, NULL);
	if (!g_spawn_async(NULL, (char **)argv->pdata, NULL,
	    G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL, NULL,
	    NULL, &pid, &error))
		fail_msg("%s: %s", script, error->message);
	g_ptr_array_free(argv, TRUE);
	for (i = 0; ports[i] != 0; i++)
		srv_wait_port(ports[i], 1);
	return pid;
}

/* Stops a helper script and reaps it. */
static void
srv_script_stop(GPid *pid)
{
	if (*pid <= 0)
		return;
	kill(*pid, SIGTERM);
	waitpid(*pid, NULL, 0);
	g_spawn_close_pid(*pid);
	*pid = 0;
}

void
srv_smtp_start(struct srv *s)
{
	char	*p[3], *self, *selfkey;
	int	 ports[4] = { s->smtp, s->smtps, s->smtps_self, 0 };

	s->smtp_dir = g_build_filename(s->dir, "smtp", NULL);
	g_mkdir_with_parents(s->smtp_dir, 0755);
	p[0] = g_strdup_printf("%d", s->smtp);
	p[1] = g_strdup_printf("%d", s->smtps);
	p[2] = g_strdup_printf("%d", s->smtps_self);
	self = g_build_filename(s->dir, "self.pem", NULL);
	selfkey = g_build_filename(s->dir, "self.key", NULL);
	s->smtp_pid = srv_script("smtpd.py", (const char *const []){
	    s->smtp_dir, p[0], p[1], p[2], s->cert, s->key, self, selfkey,
	    "sender", SRV_PASSWORD, NULL }, ports);
	g_free(p[0]);
	g_free(p[1]);
	g_free(p[2]);
	g_free(self);
	g_free(selfkey);
}

void
srv_slow_start(struct srv *s)
{
	char	*p, *q;
	int	 ports[3] = { s->slow, s->slow_small, 0 };

	s->slow_dir = g_build_filename(s->dir, "slow", NULL);
	g_mkdir_with_parents(s->slow_dir, 0755);
	p = g_strdup_printf("%d", s->slow);
	q = g_strdup_printf("%d", s->slow_small);
	s->slow_pid = srv_script("slowsmtpd.py", (const char *const []){
	    s->slow_dir, p, q, s->cert, s->key, "sender", SRV_PASSWORD,
	    NULL }, ports);
	g_free(p);
	g_free(q);
}

void
srv_proxy_start(struct srv *s, int port, long cut)
{
	char	*p[3];
	int	 ports[2] = { s->proxy, 0 };

	srv_proxy_stop(s);
	p[0] = g_strdup_printf("%d", s->proxy);
	p[1] = g_strdup_printf("%d", port);
	p[2] = g_strdup_printf("%ld", cut);
	s->proxy_pid = srv_script("cutproxy.py", (const char *const []){
	    p[0], p[1], p[2], NULL }, ports);
	g_free(p[0]);
	g_free(p[1]);
	g_free(p[2]);
}

void
srv_proxy_stop(struct srv *s)
{
	if (s->proxy_pid <= 0)
		return;
	srv_script_stop(&s->proxy_pid);
	srv_wait_port(s->proxy, 0);
}

void
srv_free(struct srv *s)
{
	if (s == NULL)
		return;
	srv_live = NULL;
	srv_proxy_stop(s);
	srv_script_stop(&s->smtp_pid);
	srv_script_stop(&s->slow_pid);
	srv_dovecot_stop(s);
	tu_rm_rf(s->dir);
	g_free(s->dir);
	g_free(s->ca);
	g_free(s->cert);
	g_free(s->key);
	g_free(s->dovecot_log);
	g_free(s->smtp_dir);
	g_free(s->slow_dir);
	g_free(s);
}

int
srv_count(const char *file, const char *needle)
{
	char	*text, **lines;
	int	 n = 0, i;

	if (!g_file_get_contents(file, &text, NULL, NULL))
		return 0;
	lines = g_strsplit(text, "\n", -1);
	for (i = 0; lines[i] != NULL; i++)
		n += strstr(lines[i], needle) != NULL;
	g_strfreev(lines);
	g_free(text);
	return n;
}

char *
srv_credentials(const char *dir, const char *name, const char *line,
    int mode)
{
	char	*path = g_build_filename(dir, name, NULL);

	tu_write(path, line, strlen(line));
	if (chmod(path, (mode_t)mode) != 0)
		fail_msg("chmod %s: %s", path, g_strerror(errno));
	return path;
}

char *
srv_conf(struct srv *s, const char *dir, const char *url, const char *user,
    const char *extra)
{
	char	*cred, *line, *text, *conf;

	line = g_strdup_printf("%s %s\n", user, SRV_PASSWORD);
	cred = srv_credentials(dir, "credentials", line, 0600);
	text = g_strdup_printf("[source]\nurl = %s\ncredentials = %s\n"
	    "[tls]\nca_file = %s\n[limits]\nnetwork_timeout = 10s\n%s\n",
	    url, cred, s->ca, extra != NULL ? extra : "");
	conf = tu_spool(dir, text);
	g_free(line);
	g_free(cred);
	g_free(text);
	return conf;
}

char *
srv_transport_conf(struct srv *s, const char *dir, const char *scheme,
    int port, int mode, const char *extra)
{
	char	*line, *cred, *text, *conf;

	line = g_strdup_printf("sender %s\n", SRV_PASSWORD);
	cred = srv_credentials(dir, "credentials", line, mode);
	text = g_strdup_printf("[transport]\nurl = %s://localhost:%d\n"
	    "credentials = %s\nenvelope_from = nintei-bounces@example.org\n"
	    "send_after_poll = no\n[tls]\nca_file = %s\n%s\n", scheme, port,
	    cred, s->ca, extra != NULL ? extra : "");
	conf = tu_spool(dir, text);
	g_free(line);
	g_free(cred);
	g_free(text);
	return conf;
}

void
srv_apply(const char *dir, const char *conf, const char *from)
{
	char	*m, *file;

	m = srv_message(1, from, 1, 0);
	file = g_build_filename(dir, "application.eml", NULL);
	tu_write(file, m, strlen(m));
	assert_int_equal(tu_nintei(conf, NULL, NULL, NULL, "ingest", file,
	    NULL), 0);
	g_free(file);
	g_free(m);
}

char *
srv_message(int n, const char *from, int app, gsize pad)
{
	GString	*m = g_string_new(NULL);
	char	*zip, *text;
	gsize	 len;

	g_string_append_printf(m, "From: %s\nTo: nintei@example.org\n"
	    "Subject: test %d\nMessage-ID: <%d@test.example>\n"
	    "Date: Tue, 24 Nov 2026 09:30:00 +0900\nMIME-Version: 1.0\n",
	    from, n, n);
	if (app) {
		/* An empty ZIP: enough to be an application. */
		zip = g_base64_encode((const guchar *)"PK\5\6\0\0\0\0\0\0"
		    "\0\0\0\0\0\0\0\0\0\0\0\0", 22);
		g_string_append_printf(m, "Content-Type: multipart/mixed; "
		    "boundary=b\n\n--b\nContent-Type: text/plain; "
		    "charset=us-ascii\n\nApplication %d.\n--b\n"
		    "Content-Type: application/zip\nContent-Transfer-Encoding: "
		    "base64\nContent-Disposition: attachment; filename=\""
		    "forms.zip\"\n\n%s\n--b--\n", n, zip);
		g_free(zip);
	} else
		g_string_append_printf(m, "Content-Type: text/plain; "
		    "charset=us-ascii\n\nQuestion %d.\n", n);
	while (m->len < pad)
		g_string_append(m, "padding padding padding padding padding "
		    "padding padding padding padding padding padding\n");
	text = srv_crlf(m->str, m->len, &len);
	g_string_free(m, TRUE);
	return text;
}

void
srv_block(const char *dir, const char *text, int unblock)
{
	char	*sha, *sub, *raw, *path;

	sha = g_compute_checksum_for_string(G_CHECKSUM_SHA256, text, -1);
	sub = g_strndup(sha, 2);
	raw = g_build_filename(dir, "spool", "raw", NULL);
	path = g_build_filename(raw, sub, NULL);
	if (unblock)
		unlink(path);
	else {
		/* A file where the spool wants a folder. */
		g_mkdir_with_parents(raw, 0755);
		tu_write(path, "", 0);
	}
	g_free(sha);
	g_free(sub);
	g_free(raw);
	g_free(path);
}

int
srv_recorded(const char *conf)
{
	JsonNode	*root;
	char		*out;
	int		 n;

	assert_int_equal(tu_nintei(conf, NULL, &out, NULL, "messages",
	    "--json", NULL), 0);
	root = tu_json(out);
	n = (int)json_array_get_length(json_node_get_array(root));
	json_node_unref(root);
	g_free(out);
	return n;
}

/* The acknowledgements in the outbox: one per application recorded
 * (the check of its forms may add a second letter). */
int
srv_letters(const char *dir)
{
	GPtrArray	*l;
	char		*p, *f, *text;
	gsize		 len;
	guint		 i;
	int		 n = 0;

	p = g_build_filename(dir, "outbox", "new", NULL);
	l = tu_list(p);
	for (i = 0; i < l->len; i++) {
		f = g_build_filename(p, g_ptr_array_index(l, i), NULL);
		text = tu_read(f, &len);
		n += strstr(text, "X-Nintei-Letter: ack") != NULL;
		g_free(text);
		g_free(f);
	}
	g_ptr_array_free(l, TRUE);
	g_free(p);
	return n;
}

int
srv_held(struct srv *s, const char *user, const char *folder)
{
	GPtrArray	*all = srv_mail(s, user, folder);
	int		 n = (int)all->len;

	g_ptr_array_free(all, TRUE);
	return n;
}

int
srv_poll(const char *conf, char **err)
{
	return tu_nintei(conf, NULL, NULL, err, "-v", "poll", NULL);
}

void
srv_has(const char *log, const char *needle)
{
	if (strstr(log, needle) == NULL)
		fail_msg("no \"%s\" in:\n%s", needle, log);
}

char *
srv_dir(const char *name)
{
	char	*dir = tu_tmpdir(name);

	if (srv_dirs == NULL)
		srv_dirs = g_ptr_array_new();
	g_ptr_array_add(srv_dirs, dir);
	return srv_own(dir);
}

char *
srv_own(char *p)
{
	if (srv_owned == NULL)
		srv_owned = g_ptr_array_new_with_free_func(g_free);
	g_ptr_array_add(srv_owned, p);
	return p;
}

int
srv_cleanup(void **state)
{
	guint	i;

	(void)state;
	for (i = 0; srv_dirs != NULL && i < srv_dirs->len; i++)
		tu_rm_rf(g_ptr_array_index(srv_dirs, i));
	if (srv_dirs != NULL)
		g_ptr_array_set_size(srv_dirs, 0);
	if (srv_owned != NULL)
		g_ptr_array_set_size(srv_owned, 0);
	return 0;
}

int
srv_teardown(void **state)
{
	(void)state;
	srv_free(srv_live);
	return 0;
}

void
srv_tls_login(struct srv *s, const char *service, const char *user)
{
	char	*log, *needle, *line;

	log = tu_read(s->dovecot_log, NULL);
	needle = g_strdup_printf("%s: Info: Login: user=<%s>", service, user);
	if ((line = strstr(log, needle)) == NULL)
		fail_msg("no \"%s\" in %s", needle, s->dovecot_log);
	*strchrnul(line, '\n') = '\0';
	srv_has(line, ", TLS, session=");
	g_free(needle);
	g_free(log);
}

int
srv_delivered_whole(const char *dir, const char *log)
{
	sqlite3		*db;
	sqlite3_stmt	*st;
	char		*path, *text, **lines, *sum, *id, *want;
	const char	*p, *e;
	int		 i, n = 0;

	if (!g_file_get_contents(log, &text, NULL, NULL))
		return 0;
	path = g_build_filename(dir, "spool", "nintei.db", NULL);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT raw FROM letters "
	    "WHERE message_id = ?", -1, &st, NULL), SQLITE_OK);
	lines = g_strsplit(text, "\n", -1);
	for (i = 0; lines[i] != NULL; i++) {
		if (!g_str_has_prefix(lines[i], "DATA ") ||
		    (p = strstr(lines[i], " sha256=")) == NULL ||
		    (e = strstr(lines[i], " id=<")) == NULL)
			continue;
		want = g_strndup(p + 8, 64);
		id = g_strdup(e + 5);
		if (strchr(id, '>') != NULL)
			*strchr(id, '>') = '\0';
		sqlite3_reset(st);
		sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
		if (sqlite3_step(st) == SQLITE_ROW) {
			sum = g_compute_checksum_for_data(G_CHECKSUM_SHA256,
			    sqlite3_column_blob(st, 0),
			    (gsize)sqlite3_column_bytes(st, 0));
			if (strcmp(sum, want) != 0)
				fail_msg("letter <%s>: the server received "
				    "sha256 %s, the store holds %s (%s)", id,
				    want, sum, lines[i]);
			g_free(sum);
			n++;
		}
		g_free(want);
		g_free(id);
	}
	g_strfreev(lines);
	sqlite3_finalize(st);
	sqlite3_close(db);
	g_free(path);
	g_free(text);
	return n;
}
