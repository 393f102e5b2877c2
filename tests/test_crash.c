/* test_crash.c: nothing lost, nothing twice, nothing crashes.  A spool of
 * mixed mail (applications, replies, automatic mail) is polled while the
 * process is killed with SIGKILL at random moments, again and again until
 * a run finishes; then every message is recorded exactly once, every
 * expected letter exists exactly once, and the database is intact.  Also:
 * a full disk and a locked database are temporary failures; a parser that
 * crashes, loops or breaks the sandbox quarantines its message and the
 * run goes on.
 *
 * NINTEI_CRASH_APPS (applications, default 24) and NINTEI_CRASH_ROUNDS
 * (default 1) make it larger; NINTEI_CRASH_SEED picks the kill times. */

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <sqlite3.h>

#include "testutil.h"

struct fixture {
	char	*dir;
	char	*conf;
	char	*inbox;
	int	 apps;		/* applications in the spool */
	int	 replies;
	int	 autos;
};

static int
env_int(const char *name, int def)
{
	const char	*v = getenv(name);

	return v != NULL && atoi(v) > 0 ? atoi(v) : def;
}

/* Writes the mixed spool: applications a000.., replies r000.. naming
 * their cases' tags, automatic mail z000..; Maildir reads in name order,
 * so application i opens case 2026-(i+1). */
static void
make_spool(struct fixture *f)
{
	char	*from, *name, *path, *text, *tmp;
	int	 i;

	tmp = g_build_filename(f->dir, "gen", NULL);
	g_mkdir_with_parents(tmp, 0755);
	for (i = 0; i < f->apps; i++) {
		from = g_strdup_printf("applicant%d@crash.example.jp", i);
		name = g_strdup_printf("a%03d", i);
		tu_run_mkforms("-f", from, "one", tmp, name, i % 3 == 0 ?
		    "medical" : "asp-saas", "新規", i % 2 == 0 ? "complete" :
		    "deficient", i % 4 == 1 ? "csv" : "two", "", NULL);
		path = g_build_filename(tmp, name, NULL);
		text = g_build_filename(f->inbox, name, NULL);
		rename(path, text);
		g_free(path);
		g_free(text);
		g_free(name);
		g_free(from);
	}
	for (i = 0; i < f->replies; i++) {
		text = g_strdup_printf("From: applicant%d@crash.example.jp\r\n"
		    "To: nintei@example.org\r\n"
		    "Subject: Re: [NINTEI-2026-%04d] =?UTF-8?B?44GK5ZWP44GE5ZCI"
		    "44KP44Gb?=\r\nMessage-ID: <reply%d@crash.example.jp>\r\n"
		    "\r\n確認いたしました。\r\n", i, i + 1, i);
		name = g_strdup_printf("r%03d", i);
		path = g_build_filename(f->inbox, name, NULL);
		tu_write(path, text, strlen(text));
		g_free(path);
		g_free(name);
		g_free(text);
	}
	for (i = 0; i < f->autos; i++) {
		text = g_strdup_printf("From: %s@crash.example.jp\r\n"
		    "To: nintei@example.org\r\nSubject: auto %d\r\n%s"
		    "Message-ID: <auto%d@crash.example.jp>\r\n\r\nx\r\n",
		    i % 2 ? "list-request" : "someone", i, i % 2 ? "" :
		    "Auto-Submitted: auto-replied\r\n", i);
		name = g_strdup_printf("z%03d", i);
		path = g_build_filename(f->inbox, name, NULL);
		tu_write(path, text, strlen(text));
		g_free(path);
		g_free(name);
		g_free(text);
	}
	g_free(tmp);
}

/* A fixture whose configuration has extra lines (or none). */
static struct fixture *
fixture_new_with(const char *name, const char *extra)
{
	struct fixture	*f = g_new0(struct fixture, 1);

	g_setenv("NINTEI_NOW", "2026-11-25T10:15:00", TRUE);
	f->dir = tu_tmpdir(name);
	f->conf = tu_spool(f->dir, extra);
	f->inbox = g_build_filename(f->dir, "inbox", "new", NULL);
	g_mkdir_with_parents(f->inbox, 0755);
	return f;
}

static struct fixture *
fixture_new(const char *name)
{
	struct fixture	*f = g_new0(struct fixture, 1);

	g_setenv("NINTEI_NOW", "2026-11-25T10:15:00", TRUE);
	f->dir = tu_tmpdir(name);
	f->conf = tu_spool(f->dir, NULL);
	f->inbox = g_build_filename(f->dir, "inbox", "new", NULL);
	g_mkdir_with_parents(f->inbox, 0755);
	return f;
}

static void
fixture_free(struct fixture *f)
{
	tu_rm_rf(f->dir);
	g_free(f->dir);
	g_free(f->conf);
	g_free(f->inbox);
	g_free(f);
}

/* Starts `nintei poll`; kills it after ms milliseconds unless it ended.
 * Returns 1 if it ran to its end (exit 0). */
static int
poll_killed(struct fixture *f, int ms)
{
	GSubprocess	*p;
	GError		*error = NULL;
	const char	*argv[] = { tu_bin(), "-c", f->conf, "poll", NULL };
	int64_t		 end = g_get_monotonic_time() + ms * 1000;
	int		 done = 0;

	p = g_subprocess_newv(argv, G_SUBPROCESS_FLAGS_STDERR_SILENCE,
	    &error);
	if (p == NULL)
		fail_msg("spawn: %s", error->message);
	while (g_get_monotonic_time() < end) {
		if (g_subprocess_get_identifier(p) == NULL)
			break;
		g_usleep(2000);
	}
	if (g_subprocess_get_identifier(p) != NULL)
		g_subprocess_send_signal(p, SIGKILL);
	g_subprocess_wait(p, NULL, NULL);
	done = g_subprocess_get_if_exited(p) &&
	    g_subprocess_get_exit_status(p) == 0;
	g_object_unref(p);
	return done;
}

static guint
count_files(const char *dir)
{
	GPtrArray	*l = tu_list(dir);
	guint		 n = l->len;

	g_ptr_array_free(l, TRUE);
	return n;
}

/* The single integer a query returns. */
static int
db_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt	*s;
	int		 v = -1;

	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL),
	    SQLITE_OK);
	if (sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	return v;
}

/* Everything recorded once, every letter once, the database intact. */
static void
assert_exactly_once(struct fixture *f)
{
	sqlite3		*db;
	sqlite3_stmt	*s;
	char		*path, *outdir, *cur;
	GHashTable	*ids;
	GPtrArray	*files;
	char		*text;
	const char	*p;
	gsize		 len;
	guint		 i;
	int		 total = f->apps + f->replies + f->autos;

	path = g_build_filename(f->dir, "spool", "nintei.db", NULL);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1,
	    &s, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	assert_string_equal(sqlite3_column_text(s, 0), "ok");
	sqlite3_finalize(s);
	assert_int_equal(db_int(db, "SELECT COUNT(*) FROM messages"), total);
	assert_int_equal(db_int(db, "SELECT COUNT(*) FROM messages WHERE "
	    "disposition = 'case'"), f->apps + f->replies);
	assert_int_equal(db_int(db, "SELECT COUNT(*) FROM messages WHERE "
	    "disposition = 'ignored'"), f->autos);
	assert_int_equal(db_int(db, "SELECT COUNT(*) FROM cases"), f->apps);
	/* Two letters per application: an acknowledgement and the answer to
	 * its forms; none to replies or automatic mail. */
	assert_int_equal(db_int(db, "SELECT COUNT(*) FROM letters"),
	    2 * f->apps);
	assert_int_equal(db_int(db, "SELECT COUNT(*) FROM (SELECT case_id, "
	    "kind FROM letters GROUP BY case_id, kind HAVING COUNT(*) > 1)"),
	    0);
	assert_int_equal(db_int(db, "SELECT COUNT(*) FROM letters WHERE "
	    "state <> 'sent'"), 0);
	assert_int_equal(db_int(db, "SELECT COUNT(*) FROM revisions"),
	    f->apps);
	sqlite3_close(db);
	/* The outbox: each letter once, by its Message-ID. */
	outdir = g_build_filename(f->dir, "outbox", "new", NULL);
	files = tu_list(outdir);
	assert_int_equal(files->len, 2 * f->apps);
	ids = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	for (i = 0; i < files->len; i++) {
		path = g_build_filename(outdir, g_ptr_array_index(files, i),
		    NULL);
		text = tu_read(path, &len);
		p = strstr(text, "Message-Id: <");
		assert_non_null(p);
		cur = g_strndup(p, strcspn(p, ">"));
		if (!g_hash_table_add(ids, cur))
			fail_msg("letter %s is in the outbox twice", cur);
		g_free(text);
		g_free(path);
	}
	g_hash_table_destroy(ids);
	g_ptr_array_free(files, TRUE);
	g_free(outdir);
	/* The inbox: everything moved to cur/, nothing left in new/. */
	assert_int_equal(count_files(f->inbox), 0);
	cur = g_build_filename(f->dir, "inbox", "cur", NULL);
	assert_int_equal(count_files(cur), total);
	g_free(cur);
}

/* Killed anywhere, with one message per commit, 16, and the default
 * group ([intake] batch). */
static void
test_kill_anywhere(void **state)
{
	static const char *batches[] = { "[intake]\nbatch = 1\n",
	    "[intake]\nbatch = 16\n", NULL };
	struct fixture	*f;
	GRand		*rnd;
	int		 rounds, r, runs, kills, b;

	(void)state;
	rounds = env_int("NINTEI_CRASH_ROUNDS", 1);
	rnd = g_rand_new_with_seed((guint32)env_int("NINTEI_CRASH_SEED",
	    20261125));
	for (r = 0; r < rounds * 3; r++) {
		b = r % 3;
		f = fixture_new_with("crash", batches[b]);
		f->apps = env_int("NINTEI_CRASH_APPS", 24);
		f->replies = f->apps / 2;
		f->autos = f->apps / 2;
		make_spool(f);
		runs = kills = 0;
		/* Kill at random moments, up to a few hundred ms in (a
		 * group takes longer to reach its commit); after many kills
		 * let a run finish so the test always ends. */
		while (!poll_killed(f, runs < (b == 0 ? 300 : 60) ?
		    g_rand_int_range(rnd, 5, b == 0 ? 150 : 500) : 600000)) {
			runs++;
			kills++;
		}
		/* Once more, and a send: nothing left to do. */
		assert_int_equal(tu_nintei(f->conf, NULL, NULL, NULL, "poll",
		    NULL), 0);
		assert_int_equal(tu_nintei(f->conf, NULL, NULL, NULL, "send",
		    NULL), 0);
		print_message("round %d (%s): %d messages, %d kills\n",
		    r / 3, b == 0 ? "batch 1" : b == 1 ? "batch 16" :
		    "default batch", f->apps + f->replies + f->autos, kills);
		assert_exactly_once(f);
		fixture_free(f);
	}
	g_rand_free(rnd);
}

/* A disk that fills up: the message is not recorded (exit 75) and stays;
 * once there is room it is recorded once. */
static void
test_disk_full(void **state)
{
	struct fixture	*f;
	char		*spool, *fill, *big, *mail;
	JsonNode	*root;
	char		*out;
	int		 r, fd;

	(void)state;
	f = fixture_new("full");
	spool = g_build_filename(f->dir, "spool", NULL);
	g_mkdir_with_parents(spool, 0755);
	if (mount("tmpfs", spool, "tmpfs", 0, "size=1m") != 0) {
		if (geteuid() != 0)
			skip();
		fail_msg("mount tmpfs: %s", g_strerror(errno));
	}
	/* The store exists and the disk is nearly full. */
	assert_int_equal(tu_nintei(f->conf, NULL, NULL, NULL, "cases", NULL),
	    0);
	/* Fill it to the last byte. */
	fill = g_build_filename(spool, "filler", NULL);
	big = g_malloc0(4096);
	fd = open(fill, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	assert_true(fd >= 0);
	while (write(fd, big, 4096) > 0)
		;
	while (write(fd, big, 1) > 0)
		;
	close(fd);
	mail = g_build_filename(tu_top(), "contrib", "samples",
	    "10-asp-saas-complete.eml", NULL);
	r = tu_nintei(f->conf, NULL, NULL, NULL, "ingest", mail, NULL);
	assert_int_equal(r, 75);
	unlink(fill);
	assert_int_equal(tu_nintei(f->conf, NULL, NULL, NULL, "ingest", mail,
	    NULL), 0);
	assert_int_equal(tu_nintei(f->conf, NULL, NULL, NULL, "ingest", mail,
	    NULL), 0);
	assert_int_equal(tu_nintei(f->conf, NULL, &out, NULL, "messages",
	    "--json", NULL), 0);
	root = tu_json(out);
	assert_int_equal(json_array_get_length(json_node_get_array(root)), 1);
	json_node_unref(root);
	g_free(out);
	umount2(spool, MNT_DETACH);
	g_free(big);
	g_free(fill);
	g_free(mail);
	g_free(spool);
	fixture_free(f);
}

/* A database another process holds locked: exit 75, nothing recorded;
 * recorded once when it is free again. */
static void
test_locked(void **state)
{
	struct fixture	*f;
	sqlite3		*db;
	char		*path, *mail, *conf, *out;
	JsonNode	*root;

	(void)state;
	f = fixture_new("locked");
	conf = tu_spool(f->dir, "[store]\nbusy_timeout = 1\n");
	assert_int_equal(tu_nintei(conf, NULL, NULL, NULL, "cases", NULL), 0);
	path = g_build_filename(f->dir, "spool", "nintei.db", NULL);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "BEGIN EXCLUSIVE", NULL, NULL, NULL),
	    SQLITE_OK);
	mail = g_build_filename(tu_top(), "contrib", "samples",
	    "02-inquiry.eml", NULL);
	assert_int_equal(tu_nintei(conf, NULL, NULL, NULL, "ingest", mail,
	    NULL), 75);
	sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_close(db);
	assert_int_equal(tu_nintei(conf, NULL, NULL, NULL, "ingest", mail,
	    NULL), 0);
	assert_int_equal(tu_nintei(conf, NULL, &out, NULL, "messages",
	    "--json", NULL), 0);
	root = tu_json(out);
	assert_int_equal(json_array_get_length(json_node_get_array(root)), 1);
	json_node_unref(root);
	g_free(out);
	g_free(mail);
	g_free(path);
	g_free(conf);
	fixture_free(f);
}

/* A parser that crashes, loops or leaves the sandbox: that message is
 * quarantined with the reason, and the poll goes on with the next. */
static void
test_parser_faults(void **state)
{
	struct fixture	*f;
	const char	*faults[] = { "crash", "loop", "exec" };
	const char	*words[] = { "異常終了", "CPU 時間", "禁止された操作" };
	char		*conf, *path, *text, *out, *name;
	JsonNode	*root, *el;
	JsonArray	*arr;
	guint		 i, n;
	int		 k;

	(void)state;
	for (k = 0; k < 3; k++) {
		f = fixture_new("fault");
		conf = tu_spool(f->dir, "[limits]\nparse_seconds = 5\n"
		    "parse_cpu_seconds = 1\n");
		for (i = 0; i < 3; i++) {
			text = g_strdup_printf("From: p%u@example.jp\r\n"
			    "Subject: m%u%s\r\nMessage-ID: <f%u@example.jp>"
			    "\r\n\r\nx\r\n", i, i, i == 1 ? " POISON" : "",
			    i);
			name = g_strdup_printf("m%u", i);
			path = g_build_filename(f->inbox, name, NULL);
			tu_write(path, text, strlen(text));
			g_free(path);
			g_free(name);
			g_free(text);
		}
		text = g_strdup_printf("%s:POISON", faults[k]);
		g_setenv("NINTEI_FAULT", text, TRUE);
		g_free(text);
		assert_int_equal(tu_nintei(conf, NULL, NULL, NULL, "poll",
		    NULL), 0);
		g_unsetenv("NINTEI_FAULT");
		assert_int_equal(tu_nintei(conf, NULL, &out, NULL, "messages",
		    "--json", NULL), 0);
		root = tu_json(out);
		arr = json_node_get_array(root);
		n = json_array_get_length(arr);
		assert_int_equal(n, 3);
		for (i = 0; i < n; i++) {
			el = json_array_get_element(arr, i);
			if (strstr(tu_json_str(el, "subject"), "POISON")) {
				assert_string_equal(tu_json_str(el,
				    "disposition"), "quarantined");
				assert_non_null(strstr(tu_json_str(el,
				    "reason"), words[k]));
			} else
				assert_string_equal(tu_json_str(el,
				    "disposition"), "unmatched");
		}
		json_node_unref(root);
		g_free(out);
		g_free(conf);
		fixture_free(f);
	}
}

/*
 * Polls count mails (Message-ID <prefix N@example.jp>; the first one's
 * text first, the others' "nothing here") with every parsing child
 * searching its own memory for token (NINTEI_FAULT=peek:HEX): fails the
 * test if one found it (the child aborts, what says where it came from),
 * or unless every mail was recorded as unmatched.
 */
static void
peek_poll(struct fixture *f, const char *conf, const char *token,
    guint count, const char *prefix, const char *first, const char *what)
{
	GString		*hex;
	char		*path, *text, *out, *err, *name;
	JsonNode	*root, *el;
	JsonArray	*arr;
	guint		 i, n;

	for (i = 0; i < count; i++) {
		text = g_strdup_printf("From: p%u@example.jp\r\n"
		    "Subject: m%u\r\nMessage-ID: <%s%u@example.jp>\r\n\r\n"
		    "%s\r\n", i, i, prefix, i, i == 0 ? first :
		    "nothing here");
		name = g_strdup_printf("m%u", i);
		path = g_build_filename(f->inbox, name, NULL);
		tu_write(path, text, strlen(text));
		g_free(path);
		g_free(name);
		g_free(text);
	}
	hex = g_string_new("peek:");
	for (i = 0; token[i] != '\0'; i++)
		g_string_append_printf(hex, "%02x", (unsigned char)token[i]);
	g_setenv("NINTEI_FAULT", hex->str, TRUE);
	g_string_free(hex, TRUE);
	assert_int_equal(tu_nintei(conf, NULL, NULL, &err, "poll", NULL), 0);
	g_unsetenv("NINTEI_FAULT");
	if (strstr(err, "NINTEI_FAULT peek") != NULL)
		fail_msg("a parsing child saw %s: %s", what, err);
	g_free(err);
	assert_int_equal(tu_nintei(conf, NULL, &out, NULL, "messages",
	    "--json", NULL), 0);
	root = tu_json(out);
	arr = json_node_get_array(root);
	n = json_array_get_length(arr);
	assert_int_equal(n, count);
	for (i = 0; i < n; i++) {
		el = json_array_get_element(arr, i);
		assert_string_equal(tu_json_str(el, "disposition"),
		    "unmatched");
	}
	json_node_unref(root);
	g_free(out);
}

/* A parsing child never sees an earlier message: the first mail carries
 * a token, and the child of each later one searches its own memory for
 * it (NINTEI_FAULT=peek:HEX); found, the child aborts and its message is
 * quarantined. */
static void
test_isolation(void **state)
{
	const char	*token = "ISOLATION-7f3a9c51-applicant-secret";
	struct fixture	*f;
	char		*conf;

	(void)state;
	f = fixture_new("isolation");
	conf = tu_spool(f->dir, "[limits]\nparse_seccomp = no\n");
	peek_poll(f, conf, token, 4, "iso", token, "an earlier message");
	g_free(conf);
	fixture_free(f);
}

/* Nor does it see the configuration: its zygote is a program of its own
 * (nintei-parse), sent only the limits and the secretariat's address, so
 * the bank account the configuration holds (a token here) is not in a
 * child's memory (NINTEI_FAULT=peek:HEX).  Forked from nintei after the
 * configuration was read, the zygote had all of it. */
static void
test_isolation_conf(void **state)
{
	const char	*token = "CONF-ISOLATION-5be1-bank-0123456";
	struct fixture	*f;
	char		*conf, *extra;

	(void)state;
	f = fixture_new("isolation-conf");
	extra = g_strdup_printf("[limits]\nparse_seccomp = no\n"
	    "[fee]\nbank = %s\n", token);
	conf = tu_spool(f->dir, extra);
	g_free(extra);
	peek_poll(f, conf, token, 2, "isoc", "nothing here",
	    "the configuration");
	g_free(conf);
	fixture_free(f);
}

/* nintei copied without nintei-parse beside it: poll says which program
 * it lacks and exits 75 (try again), the message left in the source;
 * with it, the next poll records the message. */
static void
test_no_parser(void **state)
{
	struct fixture	*f;
	char		*alone, *bin, *data, *path, *err = NULL, *out, *argv[5];
	const char	*text = "From: p@example.jp\r\nSubject: alone\r\n"
	    "Message-ID: <alone@example.jp>\r\n\r\nhello\r\n";
	gsize		 len;
	int		 status;
	GDir		*d;

	(void)state;
	f = fixture_new("noparser");
	path = g_build_filename(f->inbox, "m0", NULL);
	tu_write(path, text, strlen(text));
	g_free(path);
	alone = g_build_filename(f->dir, "alone", NULL);
	g_mkdir_with_parents(alone, 0755);
	bin = g_build_filename(alone, "nintei", NULL);
	assert_true(g_file_get_contents(tu_bin(), &data, &len, NULL));
	tu_write(bin, data, len);
	g_free(data);
	assert_int_equal(chmod(bin, 0755), 0);
	argv[0] = bin;
	argv[1] = (char *)"-c";
	argv[2] = f->conf;
	argv[3] = (char *)"poll";
	argv[4] = NULL;
	assert_true(g_spawn_sync(f->dir, argv, NULL, G_SPAWN_DEFAULT, NULL,
	    NULL, NULL, &err, &status, NULL));
	assert_int_equal(WEXITSTATUS(status), 75);
	assert_non_null(strstr(err, "nintei-parse"));
	g_free(err);
	d = g_dir_open(f->inbox, 0, NULL);
	assert_non_null(d);
	assert_string_equal(g_dir_read_name(d), "m0");
	g_dir_close(d);
	assert_int_equal(tu_nintei(f->conf, NULL, NULL, NULL, "poll", NULL),
	    0);
	assert_int_equal(tu_nintei(f->conf, NULL, &out, NULL, "messages",
	    NULL), 0);
	assert_non_null(strstr(out, "alone"));
	g_free(out);
	g_free(bin);
	g_free(alone);
	fixture_free(f);
}

/* A charset whose converter the zygote does not load at start (Greek,
 * which it never loaded; KOI8-R, which it loaded before) is read right:
 * the parent finds the names a message gives and the zygote loads their
 * converters before forking its child, which may not open files. */
static void
test_charset_named(void **state)
{
	/* "Καλημέρα" in ISO-8859-7, "Привет" in KOI8-R, base64. */
	const char	*greek = "From: a@example.jp\r\n"
	    "Subject: =?iso-8859-7?B?yuHr5+zd8eE=?=\r\n"
	    "Message-ID: <greek@example.jp>\r\n\r\nhello\r\n";
	const char	*russian = "From: b@example.jp\r\n"
	    "Subject: =?koi8-r?B?8NLJ18XU?=\r\n"
	    "Message-ID: <russian@example.jp>\r\n\r\nhello\r\n";
	struct fixture	*f;
	char		*path, *out;
	JsonNode	*root, *el;
	JsonArray	*arr;
	guint		 i;
	int		 seen = 0;

	(void)state;
	f = fixture_new("charsets");
	path = g_build_filename(f->inbox, "m0", NULL);
	tu_write(path, greek, strlen(greek));
	g_free(path);
	path = g_build_filename(f->inbox, "m1", NULL);
	tu_write(path, russian, strlen(russian));
	g_free(path);
	assert_int_equal(tu_nintei(f->conf, NULL, NULL, NULL, "poll", NULL),
	    0);
	assert_int_equal(tu_nintei(f->conf, NULL, &out, NULL, "messages",
	    "--json", NULL), 0);
	root = tu_json(out);
	arr = json_node_get_array(root);
	assert_int_equal(json_array_get_length(arr), 2);
	for (i = 0; i < 2; i++) {
		el = json_array_get_element(arr, i);
		if (strcmp(tu_json_str(el, "message_id"),
		    "greek@example.jp") == 0) {
			assert_string_equal(tu_json_str(el, "subject"),
			    "Καλημέρα");
			seen++;
		} else {
			assert_string_equal(tu_json_str(el, "subject"),
			    "Привет");
			seen++;
		}
	}
	assert_int_equal(seen, 2);
	json_node_unref(root);
	g_free(out);
	fixture_free(f);
}

/* Writes n plain messages m0..; the one numbered odd gets the word in
 * its subject. */
static void
write_plain(struct fixture *f, guint n, guint odd, const char *word)
{
	char	*text, *name, *path;
	guint	 i;

	for (i = 0; i < n; i++) {
		text = g_strdup_printf("From: p%u@example.jp\r\n"
		    "Subject: m%u%s%s\r\nMessage-ID: <b%u@example.jp>\r\n"
		    "\r\nx\r\n", i, i, i == odd ? " " : "", i == odd ? word :
		    "", i);
		name = g_strdup_printf("m%u", i);
		path = g_build_filename(f->inbox, name, NULL);
		tu_write(path, text, strlen(text));
		g_free(path);
		g_free(name);
		g_free(text);
	}
}

/* The messages recorded, each once (a failed test otherwise), and
 * whether the one whose subject holds word is among them. */
static guint
recorded(struct fixture *f, const char *word, int *has)
{
	JsonNode	*root;
	JsonArray	*arr;
	GHashTable	*seen;
	char		*out;
	const char	*mid;
	guint		 i, n;

	assert_int_equal(tu_nintei(f->conf, NULL, &out, NULL, "messages",
	    "--json", NULL), 0);
	root = tu_json(out);
	arr = json_node_get_array(root);
	n = json_array_get_length(arr);
	seen = g_hash_table_new(g_str_hash, g_str_equal);
	*has = 0;
	for (i = 0; i < n; i++) {
		mid = tu_json_str(json_array_get_element(arr, i),
		    "message_id");
		if (!g_hash_table_add(seen, (char *)mid))
			fail_msg("message %s recorded twice", mid);
		if (strstr(tu_json_str(json_array_get_element(arr, i),
		    "subject"), word) != NULL)
			*has = 1;
	}
	g_hash_table_destroy(seen);
	json_node_unref(root);
	g_free(out);
	return n;
}

/* A group commit in which one message fails in the parent (a fault
 * after deciding it): the others of the group are committed and the
 * source forgets them; that one stays, and comes once on the next run. */
static void
test_batch_one_fails(void **state)
{
	struct fixture	*f;
	int		 has;

	(void)state;
	f = fixture_new_with("batchfail", "[intake]\nbatch = 16\n");
	write_plain(f, 5, 2, "POISON");
	g_setenv("NINTEI_FAULT", "decide:POISON", TRUE);
	assert_int_equal(tu_nintei(f->conf, NULL, NULL, NULL, "poll", NULL),
	    75);
	g_unsetenv("NINTEI_FAULT");
	assert_int_equal(recorded(f, "POISON", &has), 4);
	assert_false(has);
	assert_int_equal(count_files(f->inbox), 1);	/* left there */
	assert_int_equal(tu_nintei(f->conf, NULL, NULL, NULL, "poll", NULL),
	    0);
	assert_int_equal(recorded(f, "POISON", &has), 5);
	assert_true(has);
	assert_int_equal(count_files(f->inbox), 0);
	fixture_free(f);
}

/* The parsing zygote killed in the middle of a poll: the run ends (exit
 * 75) with what was decided before committed, and the next run records
 * the rest, every message exactly once. */
static void
test_zygote_killed(void **state)
{
	struct fixture	*f;
	char		*err;
	int		 has;
	guint		 n;

	(void)state;
	f = fixture_new_with("zygote", "[limits]\nparse_seccomp = no\n");
	write_plain(f, 6, 3, "ZYGOTE");
	g_setenv("NINTEI_FAULT", "killzygote:ZYGOTE", TRUE);
	assert_int_equal(tu_nintei(f->conf, NULL, NULL, &err, "poll", NULL),
	    75);
	g_unsetenv("NINTEI_FAULT");
	tu_contains(err, "zygote is gone");
	g_free(err);
	/* m0, m1, m2 at most: a child parsing ahead may have been killed
	 * with its zygote before reporting. */
	n = recorded(f, "ZYGOTE", &has);
	assert_true(n <= 3);
	assert_false(has);
	assert_int_equal(count_files(f->inbox), 6 - n);
	assert_int_equal(tu_nintei(f->conf, NULL, NULL, NULL, "poll", NULL),
	    0);
	assert_int_equal(recorded(f, "ZYGOTE", &has), 6);
	assert_true(has);
	assert_int_equal(count_files(f->inbox), 0);
	fixture_free(f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parser_faults),
		cmocka_unit_test(test_isolation),
		cmocka_unit_test(test_isolation_conf),
		cmocka_unit_test(test_no_parser),
		cmocka_unit_test(test_charset_named),
		cmocka_unit_test(test_batch_one_fails),
		cmocka_unit_test(test_zygote_killed),
		cmocka_unit_test(test_locked),
		cmocka_unit_test(test_disk_full),
		cmocka_unit_test(test_kill_anywhere),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
