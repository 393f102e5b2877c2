/* test_reads.c: a read of the store that fails is never taken for
 * "nothing there" by the staff's commands and by send: a failure injected
 * at each read a command makes (NINTEI_FAULT_STORE=N) ends it with exit
 * 75 and the cause on stderr, prints nothing that looks like an answer
 * and changes nothing; once no read fails it does its work.  And a
 * letter is stuck only long after it went on its way. */

#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "testutil.h"

#define FAULT	"store: disk I/O error (NINTEI_FAULT_STORE)"

struct fixture {
	char	*dir;
	char	*conf;
	char	*db;
	char	*html;
	char	*outbox;
};

static int
setup(void **state)
{
	struct fixture	*f = g_new0(struct fixture, 1);
	char		*inbox, *extra;

	g_setenv("NINTEI_NOW", "2026-11-25T10:15:00", TRUE);
	f->dir = tu_tmpdir("reads");
	f->html = g_build_filename(f->dir, "report", "index.html", NULL);
	/* One letter a day to each address: a complete application's fee
	 * request waits (held) behind its acknowledgement.  Letters are
	 * delivered by send only. */
	extra = g_strdup_printf("[screen]\nletters_per_day = 1\n"
	    "[transport]\nsend_after_poll = no\n[report]\nhtml = %s\n",
	    f->html);
	f->conf = tu_spool(f->dir, extra);
	g_free(extra);
	f->db = g_build_filename(f->dir, "spool", "nintei.db", NULL);
	f->outbox = g_build_filename(f->dir, "outbox", "new", NULL);
	inbox = g_build_filename(f->dir, "inbox", "new", NULL);
	g_mkdir_with_parents(inbox, 0755);
	tu_run_mkforms("samples", inbox, NULL);
	g_free(inbox);
	assert_int_equal(tu_nintei(f->conf, NULL, NULL, NULL, "poll", NULL),
	    0);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture	*f = *state;

	tu_rm_rf(f->dir);
	g_free(f->dir);
	g_free(f->conf);
	g_free(f->db);
	g_free(f->html);
	g_free(f->outbox);
	g_free(f);
	return 0;
}

/* Every row of every table of the store, the outbox and the dashboard,
 * as one SHA-256: what a command that failed must leave as it was. */
static char *
digest(struct fixture *f)
{
	GChecksum	*sum = g_checksum_new(G_CHECKSUM_SHA256);
	GPtrArray	*tables = g_ptr_array_new_with_free_func(g_free);
	sqlite3		*db;
	sqlite3_stmt	*s;
	char		*sql, *page, *d;
	const void	*v;
	gsize		 len;
	guint		 i;
	int		 c;

	assert_int_equal(sqlite3_open_v2(f->db, &db, SQLITE_OPEN_READONLY,
	    NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT name FROM "
	    "sqlite_master WHERE type = 'table' ORDER BY name", -1, &s, NULL),
	    SQLITE_OK);
	while (sqlite3_step(s) == SQLITE_ROW)
		g_ptr_array_add(tables, g_strdup((const char *)
		    sqlite3_column_text(s, 0)));
	sqlite3_finalize(s);
	for (i = 0; i < tables->len; i++) {
		sql = g_strdup_printf("SELECT * FROM \"%s\" ORDER BY rowid",
		    (char *)g_ptr_array_index(tables, i));
		assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL),
		    SQLITE_OK);
		g_checksum_update(sum, (const guchar *)sql, -1);
		while (sqlite3_step(s) == SQLITE_ROW) {
			for (c = 0; c < sqlite3_column_count(s); c++) {
				v = sqlite3_column_blob(s, c);
				len = (gsize)sqlite3_column_bytes(s, c);
				g_checksum_update(sum, (const guchar *)"\x1f",
				    1);
				if (v != NULL)
					g_checksum_update(sum, v, len);
			}
		}
		sqlite3_finalize(s);
		g_free(sql);
	}
	sqlite3_close(db);
	g_ptr_array_free(tables, TRUE);
	sql = g_strdup_printf("outbox %u", tu_count_files(f->outbox));
	g_checksum_update(sum, (const guchar *)sql, -1);
	g_free(sql);
	if (g_file_get_contents(f->html, &page, &len, NULL)) {
		g_checksum_update(sum, (const guchar *)page, len);
		g_free(page);
	}
	d = g_strdup(g_checksum_get_string(sum));
	g_checksum_free(sum);
	return d;
}

/* One number the store holds (SELECT of one integer). */
static int
db_int(struct fixture *f, const char *sql)
{
	sqlite3		*db;
	sqlite3_stmt	*s;
	int		 n = -1;

	assert_int_equal(sqlite3_open_v2(f->db, &db, SQLITE_OPEN_READONLY,
	    NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL),
	    SQLITE_OK);
	if (sqlite3_step(s) == SQLITE_ROW)
		n = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	sqlite3_close(db);
	return n;
}

/* One text the store holds, as a new string. */
static char *
db_text(struct fixture *f, const char *sql)
{
	sqlite3		*db;
	sqlite3_stmt	*s;
	char		*t = NULL;

	assert_int_equal(sqlite3_open_v2(f->db, &db, SQLITE_OPEN_READONLY,
	    NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL),
	    SQLITE_OK);
	if (sqlite3_step(s) == SQLITE_ROW)
		t = g_strdup((const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	sqlite3_close(db);
	assert_non_null(t);
	return t;
}

/*
 * Runs nintei ARGV with the Nth read of the store failing, for N = 1,
 * 2, ... until a run succeeds (no read failed, or only one after its
 * work was done).  Each failed run exits 75, says "nintei: WHAT: cause"
 * on stderr, prints nothing on stdout and leaves the store, the outbox
 * and the dashboard as they were.  Returns how many runs failed (the
 * reads the command makes before its work is done).
 */
static int
through_faults(struct fixture *f, const char *what,
    const char *const *argv)
{
	GPtrArray	*args;
	char		 num[16], *before, *after, *out, *err, *want;
	int		 n, rc, i;

	want = g_strdup_printf("nintei: %s: " FAULT, what);
	for (n = 1; n < 200; n++) {
		before = digest(f);
		g_snprintf(num, sizeof num, "%d", n);
		g_setenv("NINTEI_FAULT_STORE", num, TRUE);
		args = g_ptr_array_new();
		for (i = 0; argv[i] != NULL; i++)
			g_ptr_array_add(args, (gpointer)argv[i]);
		while (args->len < 8)
			g_ptr_array_add(args, NULL);
		rc = tu_nintei(f->conf, NULL, &out, &err, args->pdata[0],
		    args->pdata[1], args->pdata[2], args->pdata[3],
		    args->pdata[4], args->pdata[5], args->pdata[6],
		    args->pdata[7], NULL);
		g_unsetenv("NINTEI_FAULT_STORE");
		g_ptr_array_free(args, TRUE);
		after = digest(f);
		if (rc == 0) {
			g_free(before);
			g_free(after);
			g_free(out);
			g_free(err);
			break;
		}
		if (rc != 75 || strstr(err, want) == NULL || *out != '\0')
			fail_msg("%s, read %d failing: exit %d (75 wanted), "
			    "stdout:\n%s\nstderr (\"%s\" wanted):\n%s", argv[0],
			    n, rc, out, want, err);
		assert_string_equal(before, after);
		g_free(before);
		g_free(after);
		g_free(out);
		g_free(err);
	}
	g_free(want);
	assert_true(n < 200);
	return n - 1;
}

#define RUN(f, what, ...) \
	through_faults((f), (what), (const char *const []){ __VA_ARGS__, NULL })

/* The staff's views: a failed read is said, never shown as an empty
 * queue, "no case" or a page without the rows it could not read. */
static void
test_views_fail(void **state)
{
	struct fixture	*f = *state;
	char		*id, *msg;

	id = db_text(f, "SELECT id FROM cases WHERE state = 'awaiting_fee' "
	    "ORDER BY id LIMIT 1");
	msg = db_text(f, "SELECT id FROM messages WHERE case_id IS NOT NULL "
	    "ORDER BY id LIMIT 1");
	assert_true(RUN(f, "cases", "cases") >= 2);
	assert_true(RUN(f, "cases", "cases", "--json") >= 2);
	assert_true(RUN(f, "show", "show", id) >= 8);
	assert_true(RUN(f, "show", "show", id, "--json") >= 8);
	assert_true(RUN(f, "letters", "letters") >= 1);
	assert_true(RUN(f, "letters", "letters", "--state", "held",
	    "--json") >= 1);
	assert_true(RUN(f, "messages", "messages") >= 1);
	assert_true(RUN(f, "messages show", "messages", "show", msg) >= 1);
	assert_true(RUN(f, "certs", "certs") >= 1);
	assert_true(RUN(f, "certs", "certs", "--csv") >= 1);
	assert_true(RUN(f, "quarantine", "quarantine", "list") >= 1);
	assert_true(RUN(f, "remind", "remind", "--today", "2026-11-25") >= 1);
	assert_true(RUN(f, "report", "report", "--html", f->html) >= 10);
	assert_true(g_file_test(f->html, G_FILE_TEST_EXISTS));
	g_free(id);
	g_free(msg);
}

/* The staff's actions: a failed read changes nothing (no event, no
 * letter, no state), then the action goes through. */
static void
test_actions_fail(void **state)
{
	struct fixture	*f = *state;
	char		*fee, *def, *other, *held, *queued, *text, *w, *sql;

	fee = db_text(f, "SELECT id FROM cases WHERE state = 'awaiting_fee' "
	    "ORDER BY id LIMIT 1");
	def = db_text(f, "SELECT id FROM cases WHERE state = 'deficient' "
	    "ORDER BY id LIMIT 1");
	other = db_text(f, "SELECT id FROM cases WHERE state = 'deficient' "
	    "ORDER BY id DESC LIMIT 1");
	assert_string_not_equal(def, other);
	text = g_build_filename(f->dir, "question.txt", NULL);
	tu_write(text, "ご確認ください。\n", strlen("ご確認ください。\n"));

	w = g_strdup_printf("note %s", fee);
	assert_true(RUN(f, w, "note", fee, "電話あり") >= 1);
	g_free(w);
	w = g_strdup_printf("paid %s", fee);
	assert_true(RUN(f, w, "paid", fee) >= 2);
	g_free(w);
	sql = g_strdup_printf("SELECT state FROM cases WHERE id = '%s'", fee);
	w = db_text(f, sql);
	assert_string_equal(w, "under_review");
	g_free(w);
	w = g_strdup_printf("approve %s", fee);
	assert_true(RUN(f, w, "approve", fee) >= 5);
	g_free(w);
	assert_int_equal(db_int(f, "SELECT count(*) FROM certifications"), 1);
	assert_true(RUN(f, "write", "write", def, "--subject", "確認",
	    "--file", text) >= 3);
	w = g_strdup_printf("reject %s", def);
	assert_true(RUN(f, w, "reject", def, "--reason",
	    "期限までに不備が直りませんでした") >= 3);
	g_free(w);
	w = g_strdup_printf("withdraw %s", other);
	assert_true(RUN(f, w, "withdraw", other) >= 3);
	g_free(w);
	held = db_text(f, "SELECT id FROM letters WHERE state = 'held' "
	    "ORDER BY id LIMIT 1");
	assert_true(RUN(f, "letters release", "letters", "release", held) >=
	    2);
	queued = db_text(f, "SELECT id FROM letters WHERE state = 'queued' "
	    "ORDER BY id DESC LIMIT 1");
	assert_true(RUN(f, "letters cancel", "letters", "cancel", queued,
	    "--reason", "電話で伝達済み") >= 1);
	assert_true(RUN(f, "resend", "resend", "1") >= 2);
	assert_true(RUN(f, "remind", "remind") >= 1);
	g_free(text);
	text = g_build_filename(f->dir, "certs.csv", NULL);
	tu_write(text, "認定番号,事業者名,サービス名称,認定日\n"
	    "医療 0001-1712,株式会社甲,甲サービス,2017-12-20\n",
	    strlen("認定番号,事業者名,サービス名称,認定日\n"
	    "医療 0001-1712,株式会社甲,甲サービス,2017-12-20\n"));
	assert_true(RUN(f, "certs import", "certs", "import", text) >= 1);
	assert_int_equal(db_int(f, "SELECT count(*) FROM certifications"), 2);
	g_free(sql);
	g_free(text);
	g_free(fee);
	g_free(def);
	g_free(other);
	g_free(held);
	g_free(queued);
}

/*
 * send: a failed read before the letters go leaves every letter queued
 * (exit 75, the cause said); one after they went (the stuck report)
 * leaves those delivered recorded as sent, each in the outbox once.
 */
static void
test_send_fails(void **state)
{
	struct fixture	*f = *state;
	char		 num[16], *before, *err;
	int		 n, rc, queued, sent;

	queued = db_int(f, "SELECT count(*) FROM letters WHERE state = "
	    "'queued'");
	assert_true(queued > 0);
	for (n = 1; n < 50; n++) {
		before = digest(f);
		g_snprintf(num, sizeof num, "%d", n);
		g_setenv("NINTEI_FAULT_STORE", num, TRUE);
		rc = tu_nintei(f->conf, NULL, NULL, &err, "send", NULL);
		g_unsetenv("NINTEI_FAULT_STORE");
		if (rc == 0) {
			g_free(before);
			g_free(err);
			break;
		}
		assert_int_equal(rc, 75);
		tu_contains(err, FAULT);
		sent = db_int(f, "SELECT count(*) FROM letters WHERE state = "
		    "'sent'");
		if (sent == 0) {
			char	*after = digest(f);

			assert_string_equal(before, after);
			g_free(after);
		} else
			assert_int_equal((int)tu_count_files(f->outbox), sent);
		g_free(before);
		g_free(err);
	}
	assert_true(n >= 3 && n < 50);
	assert_int_equal(db_int(f, "SELECT count(*) FROM letters WHERE state = "
	    "'queued'"), 0);
	assert_int_equal((int)tu_count_files(f->outbox), db_int(f,
	    "SELECT count(*) FROM letters WHERE state = 'sent'"));
}

/* Writes a mail into the inbox and polls it in: NINTEI_FAULT (the
 * parsing child's) set to fault when not NULL. */
static void
poll_mail(struct fixture *f, const char *name, const char *text,
    const char *fault)
{
	char	*path = g_build_filename(f->dir, "inbox", "new", name, NULL);

	tu_write(path, text, strlen(text));
	g_free(path);
	if (fault != NULL)
		g_setenv("NINTEI_FAULT", fault, TRUE);
	assert_int_equal(tu_nintei(f->conf, NULL, NULL, NULL, "poll", NULL),
	    0);
	g_unsetenv("NINTEI_FAULT");
}

/* A question waiting for the secretariat, marked handled; a message
 * the parser crashed on, shown, released and dropped: each through a
 * failed read first. */
static void
test_quarantine_handled_fail(void **state)
{
	struct fixture	*f = *state;
	char		*id, *w;

	poll_mail(f, "q1", "From: yamada@sample-cloud.example.jp\r\n"
	    "To: nintei@example.org\r\n"
	    "Subject: Re: [NINTEI-2026-0001] question\r\n"
	    "Message-ID: <q1@sample-cloud.example.jp>\r\n"
	    "Date: Wed, 25 Nov 2026 11:00:00 +0900\r\n"
	    "Content-Type: text/plain; charset=UTF-8\r\n\r\n"
	    "Is the headcount consolidated?\r\n", NULL);
	assert_true(RUN(f, "handled 2026-0001", "handled", "2026-0001",
	    "電話で回答") >= 2);
	poll_mail(f, "p1", "From: p@example.jp\r\nSubject: POISON\r\n"
	    "Message-ID: <p1@example.jp>\r\n\r\nx\r\n", "crash:POISON");
	id = db_text(f, "SELECT id FROM messages WHERE disposition = "
	    "'quarantined'");
	w = g_strdup_printf("quarantine show %s", id);
	assert_true(RUN(f, w, "quarantine", "show", id) >= 1);
	g_free(w);
	w = g_strdup_printf("quarantine release %s", id);
	assert_true(RUN(f, w, "quarantine", "release", id) >= 2);
	g_free(w);
	g_free(id);
	poll_mail(f, "p2", "From: p@example.jp\r\nSubject: POISON 2\r\n"
	    "Message-ID: <p2@example.jp>\r\n\r\nx\r\n", "crash:POISON");
	id = db_text(f, "SELECT id FROM messages WHERE disposition = "
	    "'quarantined' AND held IS NULL");
	w = g_strdup_printf("quarantine drop %s", id);
	assert_true(RUN(f, w, "quarantine", "drop", id) >= 1);
	g_free(w);
	g_free(id);
}

/* Is the letter stuck, as show CASE --json says? */
static int
stuck(struct fixture *f, const char *case_id, const char *letter)
{
	JsonNode	*root;
	JsonArray	*a;
	JsonObject	*o;
	guint		 i;
	int		 yes = -1;

	root = tu_nintei_json(f->conf, "show", case_id, "--json", NULL);
	a = json_object_get_array_member(json_node_get_object(root),
	    "letters");
	for (i = 0; i < json_array_get_length(a); i++) {
		o = json_array_get_object_element(a, i);
		if (json_object_get_int_member(o, "id") == atoll(letter))
			yes = json_object_get_boolean_member(o, "stuck");
	}
	json_node_unref(root);
	assert_true(yes >= 0);
	return yes;
}

/*
 * A letter the cap held for more than a day is not stuck when its first
 * attempt after its release fails: stuck counts [transport] stuck_after
 * from when a letter went on its way, not from when it was made.
 */
static void
test_stuck_after_release(void **state)
{
	struct fixture	*f = *state;
	char		*held, *case_id, *sql, *out, *text;
	gsize		 len;

	assert_int_equal(tu_nintei(f->conf, NULL, NULL, NULL, "send", NULL),
	    0);
	held = db_text(f, "SELECT id FROM letters WHERE state = 'held' "
	    "ORDER BY id LIMIT 1");
	sql = g_strdup_printf("SELECT case_id FROM letters WHERE id = %s",
	    held);
	case_id = db_text(f, sql);
	/* 30 hours later the window lets it go, to a server that is down. */
	text = tu_read(f->conf, &len);
	out = g_strdup_printf("%s\n[transport]\nurl = smtp://127.0.0.1:1\n",
	    text);
	tu_write(f->conf, out, strlen(out));
	g_free(out);
	g_free(text);
	g_setenv("NINTEI_NOW", "2026-11-26T16:15:00", TRUE);
	assert_int_equal(tu_nintei(f->conf, NULL, NULL, NULL, "send", NULL),
	    75);
	g_free(sql);
	sql = g_strdup_printf("SELECT state FROM letters WHERE id = %s", held);
	text = db_text(f, sql);
	assert_string_equal(text, "queued");
	g_free(text);
	assert_false(stuck(f, case_id, held));
	assert_int_equal(tu_nintei(f->conf, NULL, &out, NULL, "cases", NULL),
	    0);
	assert_null(strstr(out, "stuck"));
	g_free(out);
	/* A day after its release it is. */
	g_setenv("NINTEI_NOW", "2026-11-27T17:15:00", TRUE);
	assert_true(stuck(f, case_id, held));
	assert_int_equal(tu_nintei(f->conf, NULL, &out, NULL, "cases", NULL),
	    0);
	tu_contains(out, " stuck,");
	assert_null(strstr(out, ", 0 stuck"));
	g_free(out);
	g_setenv("NINTEI_NOW", "2026-11-25T10:15:00", TRUE);
	g_free(sql);
	g_free(held);
	g_free(case_id);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_views_fail, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_actions_fail, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_send_fails, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_quarantine_handled_fail,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_stuck_after_release,
		    setup, teardown),
	};

	g_mime_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
