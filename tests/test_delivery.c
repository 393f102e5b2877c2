/* test_delivery.c: a letter is delivered whole and once, or not at all,
 * against an SMTP server of the tests (tests/servers/slowsmtpd.py) that
 * stalls, reads slowly or holds back its final reply, and with writes
 * made to fail (NINTEI_FAULT_SMTP): a line over 998 bytes is refused, a
 * broken DATA leaves the letter queued with the reason and stores
 * nothing, a slow final reply is waited for, a lost one sends the letter
 * again with the same Message-ID; every letter the server received is
 * the store's, byte for byte (SHA-256); a letter answering a mail with
 * a huge References header keeps every line within 998 bytes. */

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "testutil.h"
#include "servers.h"

#define NOW	"2026-11-25T10:15:00"
#define LATER	"2026-11-25T10:45:00"

static struct srv	*S;
static char		*slowlog;

static int
setup(void **state)
{
	(void)state;
	g_setenv("NINTEI_NOW", NOW, TRUE);
	S = srv_new();
	srv_slow_start(S);
	slowlog = g_build_filename(S->slow_dir, "slowsmtpd.log", NULL);
	return 0;
}

/* What the server does next (lines of its file "mode"), NULL: nothing
 * special. */
static void
mode(const char *text)
{
	char	*p = g_build_filename(S->slow_dir, "mode", NULL);

	if (text == NULL)
		unlink(p);
	else
		tu_write(p, text, strlen(text));
	g_free(p);
}

/* A test spool whose letters go to the slow server (its port with the
 * small receive buffer if small), with extra lines. */
static char *
conf_port(const char *dir, int small, const char *extra)
{
	return srv_own(srv_transport_conf(S, dir, "smtps",
	    small ? S->slow_small : S->slow, 0600, extra));
}

static char *
conf_for(const char *dir, const char *extra)
{
	return conf_port(dir, 0, extra);
}

/* The store of the test spool dir. */
static sqlite3 *
db_open(const char *dir)
{
	sqlite3	*db;
	char	*path = g_build_filename(dir, "spool", "nintei.db", NULL);

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	g_free(path);
	return db;
}

/* The Message-ID (without <>) of the newest letter: the deficiency
 * letter. */
static char *
newest_id(const char *dir)
{
	sqlite3		*db = db_open(dir);
	sqlite3_stmt	*st;
	char		*id;

	assert_int_equal(sqlite3_prepare_v2(db, "SELECT message_id FROM "
	    "letters ORDER BY id DESC LIMIT 1", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	id = g_strdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	sqlite3_close(db);
	return id;
}

/* Makes the newest letter larger: lines of the given length (up to the
 * CRLF) added before its last line, until it has at least size bytes, as
 * a queued row of an older nintei or a damaged store could hold. */
static void
grow_newest(const char *dir, size_t linelen, size_t size)
{
	sqlite3		*db = db_open(dir);
	sqlite3_stmt	*st;
	GString		*raw, *add;
	char		*line;
	const char	*b;
	size_t		 n, at;

	assert_int_equal(sqlite3_prepare_v2(db, "SELECT raw FROM letters "
	    "ORDER BY id DESC LIMIT 1", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	b = sqlite3_column_blob(st, 0);
	n = (size_t)sqlite3_column_bytes(st, 0);
	raw = g_string_new_len(b, (gssize)n);
	sqlite3_finalize(st);
	/* Before the last line (the end of the base64 body). */
	assert_true(n > 4 && raw->str[n - 1] == '\n');
	at = n - 2;
	while (at > 0 && raw->str[at - 1] != '\n')
		at--;
	line = g_malloc(linelen + 2);
	memset(line, 'Q', linelen);
	memcpy(line + linelen, "\r\n", 2);
	add = g_string_new(NULL);
	while (raw->len + add->len < size)
		g_string_append_len(add, line, (gssize)linelen + 2);
	g_string_insert_len(raw, (gssize)at, add->str, (gssize)add->len);
	g_string_free(add, TRUE);
	assert_int_equal(sqlite3_prepare_v2(db, "UPDATE letters SET raw = ? "
	    "WHERE id = (SELECT max(id) FROM letters)", -1, &st, NULL),
	    SQLITE_OK);
	sqlite3_bind_blob(st, 1, raw->str, (int)raw->len, SQLITE_TRANSIENT);
	assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
	sqlite3_close(db);
	g_free(line);
	g_string_free(raw, TRUE);
}

/* The newest letter's state, attempts and error, from nintei show. */
static void
expect(const char *conf, int which, const char *st, int attempts,
    const char *error)
{
	JsonNode	*root, *l;
	JsonArray	*a;
	char		*out;
	const char	*e;

	assert_int_equal(tu_nintei(conf, NULL, &out, NULL, "show", "2026-0001",
	    "--json", NULL), 0);
	root = tu_json(out);
	a = json_object_get_array_member(json_node_get_object(root),
	    "letters");
	l = json_array_get_element(a, (guint)which);
	assert_string_equal(tu_json_str(l, "state"), st);
	assert_int_equal(json_object_get_int_member(json_node_get_object(l),
	    "attempts"), attempts);
	e = tu_json_str(l, "error");
	if (error == NULL)
		assert_null(e);
	else {
		assert_non_null(e);
		srv_has(e, error);
	}
	json_node_unref(root);
	g_free(out);
}

/* How many times the server stored the letter with this Message-ID. */
static int
stored(const char *id)
{
	char	*needle = g_strdup_printf("id=<%s>", id);
	int	 n = srv_count(slowlog, needle);

	g_free(needle);
	return n;
}

/* A line of 12 MB is refused before anything goes out: the letter is
 * failed with the reason, the server never sees it, the other letter
 * goes. */
static void
test_long_line_refused(void **state)
{
	char	*dir, *conf, *id;
	int	 mails;

	(void)state;
	dir = srv_dir("slow-long");
	conf = conf_for(dir, NULL);
	srv_apply(dir, conf, "d1@example.jp");
	grow_newest(dir, 12 * 1024 * 1024, 12 * 1024 * 1024);
	id = srv_own(newest_id(dir));
	mails = srv_count(slowlog, "MAIL from=");
	assert_int_equal(tu_nintei(conf, NULL, NULL, NULL, "send", NULL), 0);
	expect(conf, 1, "failed", 1, "has 12582912 bytes, over the 998 of "
	    "RFC 5322; not sent");
	expect(conf, 0, "sent", 1, NULL);
	assert_int_equal(srv_count(slowlog, "MAIL from="), mails + 1);
	assert_int_equal(stored(id), 0);
	assert_int_equal(srv_delivered_whole(dir, slowlog), 1);
}

/* The letter left queued in the test spool dir goes at its next attempt,
 * through the port with the usual buffers (quicker): stored once, whole,
 * as its row says, beside the acknowledgement. */
static void
sent_whole_later(const char *dir, const char *id)
{
	char	*conf = conf_port(dir, 0, "[limits]\nnetwork_timeout = 2s");

	g_setenv("NINTEI_NOW", LATER, TRUE);
	assert_int_equal(tu_nintei(conf, NULL, NULL, NULL, "send", NULL), 0);
	g_setenv("NINTEI_NOW", NOW, TRUE);
	expect(conf, 1, "sent", 2, NULL);
	assert_int_equal(stored(id), 1);
	assert_int_equal(srv_delivered_whole(dir, slowlog), 2);
}

/* The server stalls while nintei writes a large letter: the write times
 * out, the connection is closed without RSET, the server stores
 * nothing, the letter waits with the reason; later it goes whole, with
 * the same Message-ID. */
static void
test_stall_in_data(void **state)
{
	char	*dir, *conf, *id;
	int	 rsets;

	(void)state;
	dir = srv_dir("slow-stall");
	conf = conf_port(dir, 1, "[limits]\nnetwork_timeout = 2s");
	srv_apply(dir, conf, "d2@example.jp");
	grow_newest(dir, 76, 16 * 1024 * 1024);
	id = srv_own(newest_id(dir));
	rsets = srv_count(slowlog, "RSET");
	mode("stall=5\n");
	assert_int_equal(tu_nintei(conf, NULL, NULL, NULL, "send", NULL), 0);
	mode(NULL);
	expect(conf, 1, "queued", 1, "connection lost during DATA");
	assert_int_equal(stored(id), 0);
	assert_int_equal(srv_count(slowlog, "RSET"), rsets);
	sent_whole_later(dir, id);
}

/* A write that fails (fault) or comes short in the middle of DATA, after
 * part of the letter reached the server: nothing stored, no RSET, the
 * letter queued with the reason, sent whole on the next attempt. */
static void
write_fault(const char *name, const char *fault, const char *rcpt)
{
	char	*dir, *conf, *id;
	int	 rsets, lost;

	dir = srv_dir(name);
	conf = conf_for(dir, NULL);
	srv_apply(dir, conf, rcpt);
	grow_newest(dir, 76, 40000);
	id = srv_own(newest_id(dir));
	rsets = srv_count(slowlog, "RSET");
	lost = srv_count(slowlog, "LOST during DATA");
	/* The acknowledgement takes writes 1-4 (MAIL, RCPT, DATA, one chunk),
	 * the deficiency letter 5-7 and then its chunks: the third of them
	 * comes after 8 KiB went out. */
	g_setenv("NINTEI_FAULT_SMTP", fault, TRUE);
	assert_int_equal(tu_nintei(conf, NULL, NULL, NULL, "send", NULL), 0);
	g_unsetenv("NINTEI_FAULT_SMTP");
	expect(conf, 0, "sent", 1, NULL);
	expect(conf, 1, "queued", 1, "connection lost during DATA");
	assert_int_equal(stored(id), 0);
	assert_int_equal(srv_count(slowlog, "LOST during DATA"), lost + 1);
	assert_int_equal(srv_count(slowlog, "RSET"), rsets);
	sent_whole_later(dir, id);
}

static void
test_write_fails_in_data(void **state)
{
	(void)state;
	write_fault("slow-fail", "fail:10", "d3@example.jp");
}

static void
test_write_short_in_data(void **state)
{
	(void)state;
	write_fault("slow-short", "short:10", "d4@example.jp");
}

/*
 * The server holds back its final reply for longer than the network
 * timeout: nintei waits (final_timeout) and records the letter sent,
 * once.  NINTEI_TEST_HOLD=90 makes it the 90 seconds of the issue, with
 * the default final_timeout of 10 minutes.
 */
static void
test_final_reply_late(void **state)
{
	const char	*env = getenv("NINTEI_TEST_HOLD");
	char		*dir, *conf, *id, *m;

	(void)state;
	dir = srv_dir("slow-hold");
	conf = conf_for(dir, env != NULL ?
	    "[limits]\nnetwork_timeout = 2s" :
	    "[limits]\nnetwork_timeout = 2s\n"
	    "[transport]\nfinal_timeout = 30s");
	srv_apply(dir, conf, "d5@example.jp");
	id = srv_own(newest_id(dir));
	m = g_strdup_printf("hold=%s\n", env != NULL ? env : "4");
	mode(m);
	g_free(m);
	assert_int_equal(tu_nintei(conf, NULL, NULL, NULL, "send", NULL), 0);
	mode(NULL);
	expect(conf, 0, "sent", 1, NULL);
	expect(conf, 1, "sent", 1, NULL);
	assert_int_equal(stored(id), 1);
	/* Once: nothing left to send. */
	g_setenv("NINTEI_NOW", LATER, TRUE);
	assert_int_equal(tu_nintei(conf, NULL, NULL, NULL, "send", NULL), 0);
	g_setenv("NINTEI_NOW", NOW, TRUE);
	assert_int_equal(stored(id), 1);
	assert_int_equal(srv_delivered_whole(dir, slowlog), 2);
}

/* The final reply never comes within final_timeout: the server has the
 * letters, nintei cannot know; they stay queued with the reason and go
 * again with the same Message-IDs, the one duplicate SMTP cannot rule
 * out (the recipient's mail program sees the same id twice). */
static void
test_final_reply_lost(void **state)
{
	char	*dir, *conf, *id;

	(void)state;
	dir = srv_dir("slow-lost");
	conf = conf_for(dir, "[transport]\nfinal_timeout = 2s");
	srv_apply(dir, conf, "d6@example.jp");
	id = srv_own(newest_id(dir));
	mode("hold=5\n");
	assert_int_equal(tu_nintei(conf, NULL, NULL, NULL, "send", NULL), 0);
	mode(NULL);
	expect(conf, 0, "queued", 1, "no reply after the end of DATA");
	expect(conf, 1, "queued", 1, "no reply after the end of DATA");
	assert_int_equal(stored(id), 1);
	g_setenv("NINTEI_NOW", LATER, TRUE);
	assert_int_equal(tu_nintei(conf, NULL, NULL, NULL, "send", NULL), 0);
	g_setenv("NINTEI_NOW", NOW, TRUE);
	expect(conf, 0, "sent", 2, NULL);
	expect(conf, 1, "sent", 2, NULL);
	assert_int_equal(stored(id), 2);
	assert_int_equal(srv_delivered_whole(dir, slowlog), 4);
}

/* A server that reads slowly through a small buffer still gets a large
 * letter whole. */
static void
test_slow_reader(void **state)
{
	char	*dir, *conf, *id;

	(void)state;
	dir = srv_dir("slow-read");
	conf = conf_port(dir, 1, "[limits]\nnetwork_timeout = 10s");
	srv_apply(dir, conf, "d7@example.jp");
	grow_newest(dir, 998, 300000);
	id = srv_own(newest_id(dir));
	mode("slow=1\n");
	assert_int_equal(tu_nintei(conf, NULL, NULL, NULL, "send", NULL), 0);
	mode(NULL);
	expect(conf, 1, "sent", 1, NULL);
	assert_int_equal(stored(id), 1);
	assert_int_equal(srv_delivered_whole(dir, slowlog), 2);
}

/* [transport] debug logs what nintei writes: each letter's length and
 * SHA-256 (the store's), never the credentials. */
static void
test_debug_log(void **state)
{
	char	*dir, *conf, *err, *id, *want, *sum;
	sqlite3	*db;
	sqlite3_stmt *st;

	(void)state;
	dir = srv_dir("slow-debug");
	conf = conf_for(dir, "[transport]\ndebug = yes");
	srv_apply(dir, conf, "d8@example.jp");
	id = srv_own(newest_id(dir));
	assert_int_equal(tu_nintei(conf, NULL, NULL, &err, "-v", "send",
	    NULL), 0);
	db = db_open(dir);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT raw FROM letters "
	    "WHERE message_id = ?", -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	sum = g_compute_checksum_for_data(G_CHECKSUM_SHA256,
	    sqlite3_column_blob(st, 0), (gsize)sqlite3_column_bytes(st, 0));
	want = g_strdup_printf("letter %s: %d bytes, sha256 %s", id,
	    sqlite3_column_bytes(st, 0), sum);
	sqlite3_finalize(st);
	sqlite3_close(db);
	srv_has(err, want);
	srv_has(err, "> 6 bytes, sha256 ");
	srv_has(err, "< 3");
	srv_has(err, "(private)");
	assert_null(strstr(err, SRV_PASSWORD));
	/* AUTH PLAIN's base64 of "\0sender\0open sesame 2026". */
	assert_null(strstr(err, "AHNlbmRlcgBvcGVuIHNlc2FtZSAyMDI2"));
	expect(conf, 1, "sent", 1, NULL);
	g_free(want);
	g_free(sum);
	g_free(err);
}

/* An application whose References hold 200 Message-IDs and one of
 * 10,000 bytes: the acknowledgement's header lines all fit in 998 bytes,
 * and it still threads (In-Reply-To the application, References from the
 * thread's root to it). */
static void
test_threading_bounded(void **state)
{
	GString	*m;
	char	*dir, *conf, *app, *file, *ack, **lines, *irt, *refs;
	sqlite3	*db;
	sqlite3_stmt *st;
	int	 i;

	(void)state;
	dir = srv_dir("threading");
	conf = srv_own(tu_spool(dir, NULL));
	m = g_string_new("References: <root.0@example.jp>");
	for (i = 1; i < 200; i++) {
		g_string_append_printf(m, "\r\n <r.%d@example.jp>", i);
		if (i == 10) {
			g_string_append(m, "\r\n <");
			g_string_append_len(m, "long.long.long.long.long."
			    "long.long.long.long.long.long.long.long.long.long."
			    "long.long.long.long.long.long.long.long.long.long."
			    "long.long.long.long.long.long.long.long.long.long."
			    "long.long.long.long.long.long.long.long.long.long.",
			    200);
			while (m->len % 10000 != 0)
				g_string_append_c(m, 'x');
			g_string_append(m, "@example.jp>");
		}
	}
	g_string_append(m, "\r\n");
	app = srv_message(1, "d9@example.jp", 1, 0);
	g_string_append(m, app);
	file = g_build_filename(dir, "application.eml", NULL);
	tu_write(file, m->str, m->len);
	assert_int_equal(tu_nintei(conf, NULL, NULL, NULL, "ingest", file,
	    NULL), 0);
	db = db_open(dir);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT raw FROM letters "
	    "WHERE kind = 'ack'", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	ack = g_strndup(sqlite3_column_blob(st, 0),
	    (gsize)sqlite3_column_bytes(st, 0));
	sqlite3_finalize(st);
	sqlite3_close(db);
	lines = g_strsplit(ack, "\r\n", -1);
	for (i = 0; lines[i] != NULL; i++) {
		if (strlen(lines[i]) > 998)
			fail_msg("line %d of the acknowledgement has %zu "
			    "bytes", i + 1, strlen(lines[i]));
	}
	g_strfreev(lines);
	irt = strstr(ack, "\r\nIn-Reply-To: <1@test.example>\r\n");
	assert_non_null(irt);
	assert_non_null(refs = strstr(ack, "\r\nReferences: "
	    "<root.0@example.jp>\r\n <r.182@example.jp>\r\n"));
	assert_non_null(strstr(refs, "\r\n <r.199@example.jp>\r\n "
	    "<1@test.example>\r\n"));
	assert_null(strstr(ack, "long.long"));
	assert_null(strstr(ack, "<r.181@"));
	g_free(ack);
	g_free(file);
	g_free(app);
	g_string_free(m, TRUE);
}

/* One number from the store of dir. */
static int
db_count(const char *dir, const char *sql)
{
	sqlite3		*db = db_open(dir);
	sqlite3_stmt	*st;
	int		 n;

	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return n;
}

/*
 * A read of the store that fails while a reply is matched to its case
 * (NINTEI_FAULT_STORE=N: the Nth read fails), at each read in turn: the
 * message is not recorded, no letter is queued, ingest exits 75; once
 * the reads succeed it joins its case.  Never a new case or "unmatched"
 * from a failed read.
 */
static void
test_store_read_fails(void **state)
{
	char	*dir, *conf, *ack, *text, *file;
	char	 num[16];
	int	 msgs, letters, cases, n, rc;

	(void)state;
	dir = srv_dir("storeread");
	conf = srv_own(tu_spool(dir, NULL));
	srv_apply(dir, conf, "d10@example.jp");
	ack = srv_own(newest_id(dir));
	/* No tag in the subject: the case is found through References (the
	 * first one unknown, then one of our letters). */
	text = g_strdup_printf("From: d10@example.jp\r\n"
	    "To: nintei@example.org\r\nSubject: question\r\n"
	    "Date: Wed, 25 Nov 2026 19:00:00 +0900\r\n"
	    "Message-ID: <reply-1@example.jp>\r\n"
	    "In-Reply-To: <unknown@example.jp>\r\n"
	    "References: <unknown@example.jp>\r\n <%s>\r\n"
	    "Content-Type: text/plain; charset=UTF-8\r\n\r\n"
	    "Is anything missing?\r\n", ack);
	file = g_build_filename(dir, "reply.eml", NULL);
	tu_write(file, text, strlen(text));
	msgs = db_count(dir, "SELECT count(*) FROM messages");
	letters = db_count(dir, "SELECT count(*) FROM letters");
	cases = db_count(dir, "SELECT count(*) FROM cases");
	for (n = 1; n < 20; n++) {
		g_snprintf(num, sizeof num, "%d", n);
		g_setenv("NINTEI_FAULT_STORE", num, TRUE);
		rc = tu_nintei(conf, NULL, NULL, NULL, "ingest", file, NULL);
		g_unsetenv("NINTEI_FAULT_STORE");
		if (rc == 0)
			break;
		assert_int_equal(rc, 75);
		assert_int_equal(db_count(dir, "SELECT count(*) FROM messages"),
		    msgs);
		assert_int_equal(db_count(dir, "SELECT count(*) FROM letters"),
		    letters);
		assert_int_equal(db_count(dir, "SELECT count(*) FROM cases"),
		    cases);
	}
	/* Each of the four reads (two letters unknown, our letter, its
	 * case) failed once. */
	assert_true(n > 4);
	assert_int_equal(db_count(dir, "SELECT count(*) FROM messages WHERE "
	    "message_id = 'reply-1@example.jp' AND disposition = 'case' AND "
	    "case_id = '2026-0001'"), 1);
	assert_int_equal(db_count(dir, "SELECT count(*) FROM cases"), cases);
	g_free(file);
	g_free(text);
}

/* A read that fails for good (NINTEI_FAULT_STORE=N:permanent, a corrupt
 * store's answer) is not retried on every run: the message is recorded
 * as quarantined with the failure, the admin warned (poll exits 78), no
 * letter; released after the fix, it joins its case. */
static void
test_store_fails_for_good(void **state)
{
	char	*dir, *conf, *ack, *text, *p, *err, num[16];
	int	 letters;

	(void)state;
	dir = srv_dir("storegood");
	conf = srv_own(tu_spool(dir, NULL));
	srv_apply(dir, conf, "d11@example.jp");
	ack = srv_own(newest_id(dir));
	text = g_strdup_printf("From: d11@example.jp\r\n"
	    "To: nintei@example.org\r\nSubject: question\r\n"
	    "Date: Wed, 25 Nov 2026 19:00:00 +0900\r\n"
	    "Message-ID: <reply-2@example.jp>\r\n"
	    "In-Reply-To: <%s>\r\n"
	    "Content-Type: text/plain; charset=UTF-8\r\n\r\n"
	    "Is anything missing?\r\n", ack);
	p = g_build_filename(dir, "inbox", "new", NULL);
	g_mkdir_with_parents(p, 0755);
	g_free(p);
	p = g_build_filename(dir, "inbox", "new", "reply", NULL);
	tu_write(p, text, strlen(text));
	letters = db_count(dir, "SELECT count(*) FROM letters");
	/* The fourth read, its thread's: poll reads the failed and the
	 * held letters first (post_due), then whether the message was
	 * recorded before. */
	g_setenv("NINTEI_FAULT_STORE", "4:permanent", TRUE);
	assert_int_equal(tu_nintei(conf, NULL, NULL, &err, "poll", NULL), 78);
	g_unsetenv("NINTEI_FAULT_STORE");
	srv_has(err, "could not be processed, held in quarantine: store: "
	    "database disk image is malformed");
	g_free(err);
	assert_int_equal(db_count(dir, "SELECT count(*) FROM messages WHERE "
	    "message_id = 'reply-2@example.jp' AND disposition = "
	    "'quarantined' AND reason LIKE '%malformed%'"), 1);
	assert_int_equal(db_count(dir, "SELECT count(*) FROM letters"),
	    letters);
	/* Not tried again by the next poll: it left the inbox's new/. */
	assert_int_equal(tu_nintei(conf, NULL, NULL, NULL, "poll", NULL), 0);
	assert_int_equal(db_count(dir, "SELECT count(*) FROM messages WHERE "
	    "message_id = 'reply-2@example.jp'"), 1);
	g_snprintf(num, sizeof num, "%d", db_count(dir, "SELECT id FROM "
	    "messages WHERE message_id = 'reply-2@example.jp'"));
	assert_int_equal(tu_nintei(conf, NULL, NULL, NULL, "quarantine",
	    "release", num, NULL), 0);
	assert_int_equal(db_count(dir, "SELECT count(*) FROM messages WHERE "
	    "message_id = 'reply-2@example.jp' AND disposition = 'case' AND "
	    "case_id = '2026-0001'"), 1);
	g_free(p);
	g_free(text);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		SRV_TEST(test_long_line_refused),
		SRV_TEST(test_stall_in_data),
		SRV_TEST(test_write_fails_in_data),
		SRV_TEST(test_write_short_in_data),
		SRV_TEST(test_final_reply_late),
		SRV_TEST(test_final_reply_lost),
		SRV_TEST(test_slow_reader),
		SRV_TEST(test_debug_log),
		SRV_TEST(test_threading_bounded),
		SRV_TEST(test_store_read_fails),
		SRV_TEST(test_store_fails_for_good),
	};

	/* NINTEI_TEST_ONLY=test_final_reply_late (a pattern) runs only those. */
	if (getenv("NINTEI_TEST_ONLY") != NULL)
		cmocka_set_test_filter(getenv("NINTEI_TEST_ONLY"));
	return cmocka_run_group_tests(tests, setup, srv_teardown);
}
