/* test_screening.c: who gets a letter, end to end: SPF results through
 * the intake (libspf2's zone resolver, no network), quarantine release,
 * delivery reports attached to the letter's case, the per-sender cap,
 * header injection attempts, and password-protected ZIPs with the
 * password in a later mail. */

#include <string.h>

#include <gmime/gmime.h>

#include "testutil.h"
#include "rfc2047.h"

struct fixture {
	char	*dir;
	char	*conf;
	int	 n;
};

static const char *zone =
    "pass.example.jp TXT v=spf1 ip4:192.0.2.0/24 -all\n"
    "soft.example.jp TXT v=spf1 ip4:192.0.2.0/24 ~all\n"
    "broken.example.jp SERVFAIL\n";

static int
setup(void **state)
{
	struct fixture	*f = g_new0(struct fixture, 1);
	char		*zfile, *extra;

	g_setenv("NINTEI_NOW", "2026-11-25T10:15:00", TRUE);
	f->dir = tu_tmpdir("screening");
	zfile = g_build_filename(f->dir, "zone", NULL);
	tu_write(zfile, zone, strlen(zone));
	extra = g_strdup_printf("[screen]\nspf = yes\n"
	    "receiving_host = mx.nintei.example\nspf_zone = %s\n"
	    "spf_temperror_runs = 2\nletters_per_day = 4\n", zfile);
	f->conf = tu_spool(f->dir, extra);
	g_free(extra);
	g_free(zfile);
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
	g_free(f);
	return 0;
}

/*
 * Writes an application from sender (mkforms), as delivered by our
 * receiving host from the client address ip, and returns its path.
 */
static char *
application(struct fixture *f, const char *sender, const char *ip,
    const char *packing, const char *password)
{
	char	*name, *path, *raw, *text, *company;
	gsize	 len;

	/* Each its own company: the same one again would be a
	 * resubmission joining the first case. */
	name = g_strdup_printf("app%d.eml", ++f->n);
	company = g_strdup_printf("株式会社テスト%d", f->n);
	tu_run_mkforms("-f", sender, "-C", company, "one", f->dir, name,
	    "asp-saas", "新規", "complete", packing, "", password, NULL);
	g_free(company);
	path = g_build_filename(f->dir, name, NULL);
	raw = tu_read(path, &len);
	text = g_strdup_printf("Return-Path: <%s>\r\n"
	    "Received: from client (client [%s])\r\n"
	    "\tby mx.nintei.example (Postfix) with ESMTPS id X%d;\r\n"
	    "\tWed, 25 Nov 2026 10:00:00 +0900\r\n%s", sender, ip, f->n, raw);
	tu_write(path, text, strlen(text));
	g_free(text);
	g_free(raw);
	g_free(name);
	return path;
}

/* Ingests a file; returns the exit status. */
static int
ingest(struct fixture *f, const char *path)
{
	return tu_nintei(f->conf, NULL, NULL, NULL, "ingest", path, NULL);
}

/* The newest message as JSON (the caller unrefs root). */
static JsonNode *
last_message(struct fixture *f, JsonNode **root)
{
	JsonArray	*arr;
	char		*out;

	assert_int_equal(tu_nintei(f->conf, NULL, &out, NULL, "messages",
	    "--json", NULL), 0);
	*root = tu_json(out);
	g_free(out);
	arr = json_node_get_array(*root);
	assert_true(json_array_get_length(arr) > 0);
	return json_array_get_element(arr, json_array_get_length(arr) - 1);
}

/* Asserts the newest message's disposition and, unless reason_has is
 * NULL, a part of its reason. */
static void
expect_last(struct fixture *f, const char *disposition,
    const char *reason_has)
{
	JsonNode	*root, *m;

	m = last_message(f, &root);
	assert_string_equal(tu_json_str(m, "disposition"), disposition);
	if (reason_has != NULL)
		assert_non_null(strstr(tu_json_str(m, "reason"), reason_has));
	json_node_unref(root);
}

static void
test_spf(void **state)
{
	struct fixture	*f = *state;
	JsonNode	*root, *m;
	char		*p, *out, *id, *subject;

	/* fail: quarantined, no letter. */
	p = application(f, "yamada@pass.example.jp", "198.51.100.7", "two",
	    NULL);
	assert_int_equal(ingest(f, p), 0);
	m = last_message(f, &root);
	assert_string_equal(tu_json_str(m, "disposition"), "quarantined");
	assert_non_null(strstr(tu_json_str(m, "reason"), "SPF"));
	id = g_strdup_printf("%" G_GINT64_FORMAT, json_object_get_int_member(
	    json_node_get_object(m), "id"));
	/* Its headers shown decoded, as the list shows the subject. */
	assert_int_equal(tu_nintei(f->conf, NULL, &out, NULL, "quarantine",
	    "show", id, NULL), 0);
	subject = g_strdup_printf("\nSubject: %s\n", tu_json_str(m,
	    "subject"));
	if (strstr(out, subject) == NULL || strstr(out, "=?") != NULL)
		fail_msg("quarantine show: no %s in\n%s", subject, out);
	g_free(subject);
	g_free(out);
	json_node_unref(root);
	g_free(p);

	/* Released by the staff: processed as if new, a case opens. */
	assert_int_equal(tu_nintei(f->conf, NULL, &out, NULL, "quarantine",
	    "release", id, NULL), 0);
	assert_non_null(strstr(out, "released: case"));
	g_free(out);
	m = last_message(f, &root);
	assert_string_equal(tu_json_str(m, "disposition"), "case");
	assert_string_equal(tu_json_str(m, "case"), "2026-0001");
	json_node_unref(root);
	/* Released once: not again. */
	assert_int_equal(tu_nintei(f->conf, NULL, NULL, NULL, "quarantine",
	    "release", id, NULL), 65);
	g_free(id);

	/* softfail: processed, flagged to the staff. */
	p = application(f, "suzuki@soft.example.jp", "198.51.100.7", "two",
	    NULL);
	assert_int_equal(ingest(f, p), 0);
	expect_last(f, "case", "SPF softfail");
	g_free(p);

	/* temperror: left for the next run twice, then processed and
	 * flagged. */
	p = application(f, "sato@broken.example.jp", "198.51.100.7", "two",
	    NULL);
	assert_int_equal(ingest(f, p), 75);
	assert_int_equal(ingest(f, p), 75);
	assert_int_equal(ingest(f, p), 0);
	expect_last(f, "case", "SPF temperror");
	g_free(p);

	/* none (no SPF record): processed, not flagged. */
	p = application(f, "ito@nospf.example.jp", "198.51.100.7", "two",
	    NULL);
	assert_int_equal(ingest(f, p), 0);
	m = last_message(f, &root);
	assert_string_equal(tu_json_str(m, "disposition"), "case");
	assert_null(strstr(tu_json_str(m, "reason"), "SPF"));
	json_node_unref(root);
	g_free(p);

	/* pass: a plain application. */
	p = application(f, "tanaka@pass.example.jp", "192.0.2.33", "two",
	    NULL);
	assert_int_equal(ingest(f, p), 0);
	m = last_message(f, &root);
	assert_string_equal(tu_json_str(m, "disposition"), "case");
	assert_null(strstr(tu_json_str(m, "reason"), "SPF"));
	json_node_unref(root);
	g_free(p);
}

/* The letters in the outbox, parsed. */
static GPtrArray *
outbox(struct fixture *f)
{
	char		*dir = g_build_filename(f->dir, "outbox", "new", NULL);
	GPtrArray	*out = tu_outbox_messages(dir);

	g_free(dir);
	return out;
}

/* A delivery report quoting our acknowledgement: the letter is marked
 * bounced in its case; no letter answers the report. */
static void
test_bounce(void **state)
{
	struct fixture	*f = *state;
	GPtrArray	*letters = outbox(f);
	JsonNode	*root, *m, *el;
	JsonArray	*arr;
	GMimeMessage	*ack = NULL;
	const char	*mid = NULL;
	char		*dsn, *path, *out;
	guint		 i, before = letters->len;
	int		 bounced = 0;

	for (i = 0; i < letters->len && ack == NULL; i++) {
		GMimeMessage *l = g_ptr_array_index(letters, i);
		const char *k = g_mime_object_get_header(GMIME_OBJECT(l),
		    "X-Nintei-Letter");
		const char *to = g_mime_object_get_header(GMIME_OBJECT(l),
		    "To");

		if (strcmp(k, "ack") == 0 && strstr(to, "tanaka") != NULL)
			ack = l;
	}
	assert_non_null(ack);
	mid = g_mime_message_get_message_id(ack);
	dsn = g_strdup_printf("From: MAILER-DAEMON@mx.example.jp\r\n"
	    "To: nintei@example.org\r\nSubject: Undelivered Mail\r\n"
	    "Content-Type: multipart/report; report-type=delivery-status; "
	    "boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\n"
	    "tanaka@pass.example.jp: user unknown\r\n--b\r\n"
	    "Content-Type: message/delivery-status\r\n\r\n"
	    "Final-Recipient: rfc822; tanaka@pass.example.jp\r\n"
	    "Action: failed\r\nStatus: 5.1.1\r\n--b\r\n"
	    "Content-Type: text/rfc822-headers\r\n\r\n"
	    "Message-Id: <%s>\r\nTo: tanaka@pass.example.jp\r\n--b--\r\n",
	    mid);
	path = g_build_filename(f->dir, "dsn.eml", NULL);
	tu_write(path, dsn, strlen(dsn));
	assert_int_equal(ingest(f, path), 0);
	m = last_message(f, &root);
	assert_string_equal(tu_json_str(m, "disposition"), "case");
	assert_string_equal(tu_json_str(m, "case"), "2026-0005");
	json_node_unref(root);
	assert_int_equal(tu_nintei(f->conf, NULL, &out, NULL, "show",
	    "2026-0005", "--json", NULL), 0);
	root = tu_json(out);
	arr = json_object_get_array_member(json_node_get_object(root),
	    "letters");
	for (i = 0; i < json_array_get_length(arr); i++) {
		el = json_array_get_element(arr, i);
		if (strcmp(tu_json_str(el, "message_id"), mid) == 0)
			bounced = strcmp(tu_json_str(el, "state"),
			    "bounced") == 0;
	}
	assert_true(bounced);
	json_node_unref(root);
	g_free(out);
	g_ptr_array_free(letters, TRUE);
	letters = outbox(f);
	assert_int_equal(letters->len, before);
	g_ptr_array_free(letters, TRUE);
	g_free(path);
	g_free(dsn);
}

/* Letters to one address (in To or Cc) in the outbox. */
static guint
letters_to(struct fixture *f, const char *addr)
{
	GPtrArray	*letters = outbox(f);
	GMimeMessage	*l;
	const char	*to, *cc;
	guint		 i, n = 0;

	for (i = 0; i < letters->len; i++) {
		l = g_ptr_array_index(letters, i);
		to = g_mime_object_get_header(GMIME_OBJECT(l), "To");
		cc = g_mime_object_get_header(GMIME_OBJECT(l), "Cc");
		if ((to != NULL && strstr(to, addr) != NULL) ||
		    (cc != NULL && strstr(cc, addr) != NULL))
			n++;
	}
	g_ptr_array_free(letters, TRUE);
	return n;
}

/* At most letters_per_day (4) letters to one address in 24 hours, with
 * N+3 (7) mails each asking for two letters. */
static void
test_cap(void **state)
{
	struct fixture	*f = *state;
	JsonNode	*root;
	char		*p, *out;
	int		 i;

	for (i = 0; i < 7; i++) {
		p = application(f, "busy@pass.example.jp", "192.0.2.50", "one",
		    NULL);
		assert_int_equal(ingest(f, p), 0);
		g_free(p);
		last_message(f, &root);
		json_node_unref(root);
	}
	assert_int_equal(letters_to(f, "busy@pass.example.jp"), 4);
	assert_int_equal(tu_nintei(f->conf, NULL, &out, NULL, "show",
	    "2026-0009", NULL), 0);
	assert_non_null(strstr(out, "letter_held"));
	g_free(out);
}

/* Bytes with no header at all (found by valgrind: the child failed to
 * describe them and the staff saw "メモリ不足など"): quarantined, saying
 * the message cannot be read, and the next message still goes through. */
static void
test_unreadable(void **state)
{
	struct fixture	*f = *state;
	char		*path, *p;

	path = g_build_filename(f->dir, "noheader.eml", NULL);
	tu_write(path, "abc", 3);
	assert_int_equal(ingest(f, path), 0);
	expect_last(f, "quarantined", "メッセージとして読み取れません");
	g_free(path);

	p = application(f, "yamada@pass.example.jp", "192.0.2.10", "two",
	    NULL);
	assert_int_equal(ingest(f, p), 0);
	expect_last(f, "case", NULL);
	g_free(p);
}

/* CR and LF in values that reach headers (the service name goes into
 * the subject) never make a header of their own. */
static void
test_header_injection(void **state)
{
	struct fixture	*f = *state;
	GPtrArray	*letters;
	GMimeMessage	*l;
	const char	*csv =
	    "項目,内容\r\n制度,ASP・SaaS\r\n申請区分,新規\r\n"
	    "事業者名,株式会社X\r\n"
	    "サービス名称,\"悪いサービス\r\nBcc: victim@example.com\"\r\n"
	    "サービス概要,x\r\n担当者氏名,\"X\r\nBcc: v2@example.com\"\r\n"
	    "担当者メールアドレス,\"x@inject.example.jp\r\nBcc: v3@example.com\"\r\n"
	    "電話番号,03-1234-5678\r\n";
	char		*b64, *mail, *path, *subject;
	const char	*raw;
	guint		 i;

	b64 = g_base64_encode((const guchar *)csv, strlen(csv));
	mail = g_strdup_printf("From: x@inject.example.jp\r\n"
	    "To: nintei@example.org\r\n"
	    "Subject: =?UTF-8?B?55Sz6KuL?=\r\n\tBcc: bad@example.com\r\n"
	    "Message-ID: <inject@example.jp>\r\n"
	    "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n"
	    "Content-Type: text/csv\r\nContent-Transfer-Encoding: base64\r\n"
	    "Content-Disposition: attachment; filename=\"申請書.csv\"\r\n\r\n"
	    "%s\r\n--b--\r\n", b64);
	path = g_build_filename(f->dir, "inject.eml", NULL);
	tu_write(path, mail, strlen(mail));
	g_setenv("NINTEI_NOW", "2026-11-27T10:15:00", TRUE);
	assert_int_equal(ingest(f, path), 0);
	g_setenv("NINTEI_NOW", "2026-11-25T10:15:00", TRUE);
	letters = outbox(f);
	for (i = 0; i < letters->len; i++) {
		l = g_ptr_array_index(letters, i);
		if (strcmp(g_mime_object_get_header(GMIME_OBJECT(l), "To"),
		    "x@inject.example.jp") != 0)
			continue;
		assert_null(g_mime_object_get_header(GMIME_OBJECT(l), "Bcc"));
		assert_null(g_mime_object_get_header(GMIME_OBJECT(l), "Cc"));
		raw = g_mime_header_get_raw_value(
		    g_mime_header_list_get_header(g_mime_object_get_header_list(
		    GMIME_OBJECT(l)), "Subject"));
		subject = rfc2047_decode(raw);
		assert_null(strchr(subject, '\n'));
		if (strstr(subject, "悪いサービス") == NULL ||
		    strstr(subject, "Bcc: victim@example.com") == NULL)
			fail_msg("subject: %s", subject);
		g_free(subject);
	}
	g_ptr_array_free(letters, TRUE);
	g_free(path);
	g_free(mail);
	g_free(b64);
}

/* Does any letter or the store hold this text? */
static int
anywhere(struct fixture *f, const char *secret)
{
	char		*dir, *db, *data, *path;
	GPtrArray	*names;
	gsize		 len;
	guint		 i;
	int		 found = 0;

	db = g_build_filename(f->dir, "spool", "nintei.db", NULL);
	data = tu_read(db, &len);
	found = g_strstr_len(data, (gssize)len, secret) != NULL;
	g_free(data);
	g_free(db);
	dir = g_build_filename(f->dir, "outbox", "new", NULL);
	names = tu_list(dir);
	for (i = 0; i < names->len && !found; i++) {
		path = g_build_filename(dir, g_ptr_array_index(names, i), NULL);
		data = tu_read(path, &len);
		found = g_strstr_len(data, (gssize)len, secret) != NULL;
		g_free(data);
		g_free(path);
	}
	g_ptr_array_free(names, TRUE);
	g_free(dir);
	return found;
}

static void
password_mail_from(struct fixture *f, const char *name, const char *from,
    const char *body, char **err)
{
	char	*mail, *path;

	mail = g_strdup_printf("From: %s\r\n"
	    "Return-Path: <%s>\r\n"
	    "Received: from c (c [192.0.2.40]) by mx.nintei.example; "
	    "Wed, 25 Nov 2026 10:05:00 +0900\r\n"
	    "To: nintei@example.org\r\nSubject: =?UTF-8?B?"
	    "44OR44K544Ov44O844OJ44Gu44GK55+l44KJ44Gb?=\r\n"
	    "Message-ID: <%s@pass.example.jp>\r\n"
	    "Content-Type: text/plain; charset=UTF-8\r\n\r\n%s", from, from,
	    name, body);
	path = g_build_filename(f->dir, name, NULL);
	tu_write(path, mail, strlen(mail));
	assert_int_equal(tu_nintei(f->conf, NULL, NULL, err, "ingest", path,
	    NULL), 0);
	g_free(path);
	g_free(mail);
}

static void
password_mail(struct fixture *f, const char *name, const char *body,
    char **err)
{
	password_mail_from(f, name, "ppap@pass.example.jp", body, err);
}

static const char *
state_of(struct fixture *f, const char *id)
{
	static char	 st[64];
	JsonNode	*root;
	char		*out;

	assert_int_equal(tu_nintei(f->conf, NULL, &out, NULL, "show", id,
	    "--json", NULL), 0);
	root = tu_json(out);
	g_strlcpy(st, tu_json_str(root, "state"), sizeof st);
	json_node_unref(root);
	g_free(out);
	return st;
}

/* PPAP: the ZIP is encrypted; the acknowledgement asks for the password;
 * a wrong one gets one letter saying so; the right one opens it and the
 * check goes on.  The password is nowhere afterwards. */
static void
test_ppap(void **state)
{
	struct fixture	*f = *state;
	GPtrArray	*letters;
	char		*p, *err = NULL, *out;
	guint		 before;

	p = application(f, "ppap@pass.example.jp", "192.0.2.40",
	    "encrypted", "Kq7-zeta-91");
	assert_int_equal(ingest(f, p), 0);
	g_free(p);
	assert_string_equal(state_of(f, "2026-0014"), "awaiting_password");
	assert_int_equal(tu_nintei(f->conf, NULL, &out, NULL, "show",
	    "2026-0014", NULL), 0);
	assert_non_null(strstr(out, "ack"));
	g_free(out);

	letters = outbox(f);
	before = letters->len;
	g_ptr_array_free(letters, TRUE);
	password_mail(f, "pw1", "先ほどのZIPのパスワードです。\r\n"
	    "パスワード：Wrong-guess-1\r\n", &err);
	assert_null(strstr(err, "Wrong-guess-1"));
	g_free(err);
	assert_string_equal(state_of(f, "2026-0014"), "awaiting_password");
	letters = outbox(f);
	assert_int_equal(letters->len, before + 1);
	g_ptr_array_free(letters, TRUE);

	/* The right password from someone else: not used. */
	password_mail_from(f, "pw-other", "other@pass.example.jp",
	    "パスワード：Kq7-zeta-91\r\n", &err);
	g_free(err);
	assert_string_equal(state_of(f, "2026-0014"), "awaiting_password");
	letters = outbox(f);
	assert_int_equal(letters->len, before + 1);
	g_ptr_array_free(letters, TRUE);

	password_mail(f, "pw2", "失礼いたしました。\r\n解凍パスワードは"
	    "「Kq7-zeta-91」です。\r\n", &err);
	assert_null(strstr(err, "Kq7-zeta-91"));
	g_free(err);
	assert_string_equal(state_of(f, "2026-0014"), "awaiting_fee");
	letters = outbox(f);
	assert_int_equal(letters->len, before + 2);
	g_ptr_array_free(letters, TRUE);
	assert_false(anywhere(f, "Kq7-zeta-91"));
	assert_false(anywhere(f, "Wrong-guess-1"));
}

/* A poll that leaves a message unrecorded (SPF temperror: next run)
 * exits 75, so that cron's mail says so; the next runs take it. */
static void
test_poll_tempfail(void **state)
{
	struct fixture	*f = *state;
	char		*p, *inbox, *dest, *raw;
	gsize		 len;

	p = application(f, "kato@broken.example.jp", "198.51.100.7", "two",
	    NULL);
	inbox = g_build_filename(f->dir, "inbox", "new", NULL);
	g_mkdir_with_parents(inbox, 0755);
	dest = g_build_filename(inbox, "1.tempfail", NULL);
	raw = tu_read(p, &len);
	tu_write(dest, raw, len);
	assert_int_equal(tu_nintei(f->conf, NULL, NULL, NULL, "poll", NULL),
	    75);
	assert_int_equal(tu_nintei(f->conf, NULL, NULL, NULL, "poll", NULL),
	    75);
	assert_int_equal(tu_nintei(f->conf, NULL, NULL, NULL, "poll", NULL),
	    0);
	expect_last(f, "case", "SPF temperror");
	g_free(raw);
	g_free(dest);
	g_free(inbox);
	g_free(p);
}

/*
 * A released message quarantined again (still too large) is held again:
 * listed (in the secretariat's time), shown, released and dropped however
 * often; ingesting it again says what it became and exits 0.
 */
static void
test_requarantine(void **state)
{
	char		*dir, *conf, *p, *out, *id, *want;
	JsonNode	*root;
	JsonArray	*arr;
	int		 round;

	(void)state;
	dir = tu_tmpdir("requarantine");
	conf = tu_spool(dir, "[limits]\nmessage_size = 2K\n");
	p = g_build_filename(dir, "big.eml", NULL);
	tu_run_mkforms("-f", "big@example.jp", "one", dir, "big.eml",
	    "asp-saas", "新規", "complete", "two", "", NULL);
	assert_int_equal(tu_nintei(conf, NULL, NULL, NULL, "ingest", p,
	    NULL), 0);
	assert_int_equal(tu_nintei(conf, NULL, &out, NULL, "messages",
	    "--json", NULL), 0);
	root = tu_json(out);
	g_free(out);
	arr = json_node_get_array(root);
	assert_int_equal(json_array_get_length(arr), 1);
	assert_string_equal(tu_json_str(json_array_get_element(arr, 0),
	    "disposition"), "quarantined");
	id = g_strdup_printf("%" G_GINT64_FORMAT, json_object_get_int_member(
	    json_node_get_object(json_array_get_element(arr, 0)), "id"));
	json_node_unref(root);
	for (round = 0; round < 2; round++) {
		assert_int_equal(tu_nintei(conf, NULL, &out, NULL,
		    "quarantine", "release", id, NULL), 0);
		assert_non_null(strstr(out, "released: quarantined"));
		g_free(out);
		assert_int_equal(tu_nintei(conf, NULL, &out, NULL,
		    "quarantine", NULL), 0);
		assert_non_null(strstr(out, "(1 held)"));
		/* 10:15 in Tokyo, not 01:15 UTC. */
		assert_non_null(strstr(out, "2026-11-25 10:15"));
		g_free(out);
		assert_int_equal(tu_nintei(conf, NULL, &out, NULL,
		    "quarantine", "show", id, NULL), 0);
		assert_non_null(strstr(out, "big@example.jp"));
		g_free(out);
	}
	/* Given again: said what it became, nothing done. */
	assert_int_equal(tu_nintei(conf, NULL, &out, NULL, "ingest", p,
	    NULL), 0);
	want = g_strdup_printf("already recorded as message %s: quarantined, "
	    "メッセージが大きすぎます", id);
	if (strstr(out, want) == NULL)
		fail_msg("want \"%s\" in \"%s\"", want, out);
	g_free(want);
	g_free(out);
	assert_int_equal(tu_nintei(conf, NULL, &out, NULL, "quarantine",
	    "drop", id, NULL), 0);
	assert_non_null(strstr(out, "dropped"));
	g_free(out);
	assert_int_equal(tu_nintei(conf, NULL, &out, NULL, "quarantine",
	    NULL), 0);
	assert_non_null(strstr(out, "(0 held)"));
	g_free(out);
	/* Dropped: still shown, not released. */
	assert_int_equal(tu_nintei(conf, NULL, NULL, NULL, "quarantine",
	    "show", id, NULL), 0);
	assert_int_equal(tu_nintei(conf, NULL, NULL, NULL, "quarantine",
	    "release", id, NULL), 65);
	g_free(id);
	g_free(p);
	tu_rm_rf(dir);
	g_free(dir);
	g_free(conf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spf),
		cmocka_unit_test(test_bounce),
		cmocka_unit_test(test_cap),
		cmocka_unit_test(test_header_injection),
		cmocka_unit_test(test_ppap),
		cmocka_unit_test(test_unreadable),
		cmocka_unit_test(test_requarantine),
		cmocka_unit_test(test_poll_tempfail),
	};

	g_mime_init();
	return cmocka_run_group_tests(tests, setup, teardown);
}
