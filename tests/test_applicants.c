/* test_applicants.c: applicants as they really write, end to end: the
 * wording of the letters they get, corrected forms sent in a new mail or
 * only in part, scheme names as written, the fee request as a qualified
 * invoice with its due date on a bank business day. */

#include <string.h>

#include <gmime/gmime.h>

#include "testutil.h"

struct fixture {
	char	*dir;
	char	*conf;
	char	*outbox;
};

static int
setup(void **state)
{
	struct fixture	*f = g_new0(struct fixture, 1);

	g_setenv("NINTEI_NOW", "2026-11-25T10:15:00", TRUE);
	f->dir = tu_tmpdir("applicants");
	f->conf = tu_spool(f->dir, "[fee]\nbank = 三井住友銀行 本店 普通 "
	    "7654321\ninvoice_number = T7123456789012\nreceipt = yes\n");
	f->outbox = g_build_filename(f->dir, "outbox", "new", NULL);
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
	g_free(f->outbox);
	g_free(f);
	return 0;
}

/*
 * Writes a mail with mkforms (ARGS: its options and "one" arguments after
 * the folder and file name); returns its path.
 */
static char *
mail_write(struct fixture *f, const char *name, const char *const *opts,
    const char *const *args)
{
	GPtrArray	*argv = g_ptr_array_new();
	guint		 i;

	for (i = 0; opts != NULL && opts[i] != NULL; i++)
		g_ptr_array_add(argv, (gpointer)opts[i]);
	g_ptr_array_add(argv, (gpointer)"one");
	g_ptr_array_add(argv, f->dir);
	g_ptr_array_add(argv, (gpointer)name);
	for (i = 0; args[i] != NULL; i++)
		g_ptr_array_add(argv, (gpointer)args[i]);
	g_ptr_array_add(argv, NULL);
	tu_run_mkformsv((const char *const *)argv->pdata);
	g_ptr_array_free(argv, TRUE);
	return g_build_filename(f->dir, name, NULL);
}

/* Writes a mail with mkforms (as mail_write) and ingests it. */
static void
mail(struct fixture *f, const char *name, const char *const *opts,
    const char *const *args)
{
	char	*path = mail_write(f, name, opts, args);

	assert_int_equal(tu_nintei(f->conf, NULL, NULL, NULL, "ingest", path,
	    NULL), 0);
	g_free(path);
}

/* `nintei show CASE --json`; the caller unrefs. */
static JsonNode *
show(struct fixture *f, const char *id)
{
	return tu_nintei_json(f->conf, "show", id, "--json", NULL);
}

/* The number of letters of a kind in a case, and the text of the newest
 * (NULL if none). */
static char *
letter(struct fixture *f, const char *id, const char *kind, int *count)
{
	JsonNode	*root = show(f, id), *el;
	JsonArray	*letters;
	char		*mid = NULL, *text = NULL;
	guint		 i;
	int		 n = 0;

	letters = json_object_get_array_member(json_node_get_object(root),
	    "letters");
	for (i = json_array_get_length(letters); i > 0; i--) {
		el = json_array_get_element(letters, i - 1);
		if (strcmp(tu_json_str(el, "kind"), kind) != 0)
			continue;
		if (mid == NULL)
			mid = g_strdup(tu_json_str(el, "message_id"));
		n++;
	}
	json_node_unref(root);
	if (count != NULL)
		*count = n;
	if (mid != NULL)
		text = tu_outbox_body(f->outbox, mid);
	g_free(mid);
	return text;
}

static void
assert_contains(const char *text, const char *what)
{
	if (text == NULL || strstr(text, what) == NULL)
		fail_msg("\"%s\" not in:\n%s", what, text != NULL ? text : "(none)");
}

static void
assert_lacks(const char *text, const char *what)
{
	if (text != NULL && strstr(text, what) != NULL)
		fail_msg("\"%s\" in:\n%s", what, text);
}

/* No sentence of the text says word twice. */
static void
assert_once_a_sentence(const char *text, const char *word)
{
	char	**s = g_strsplit(text, "。", -1);
	guint	  i;

	for (i = 0; s[i] != NULL; i++) {
		if (tu_count(s[i], word) > 1)
			fail_msg("「%s」 twice in: %s", word, s[i]);
	}
	g_strfreev(s);
}

/* The register of LETTERS.md: the acknowledgement asks for a reply once
 * (also with an encrypted ZIP), hints say ご記入ください, the fee request
 * does not say 確認 twice in one sentence. */
static void
test_wording(void **state)
{
	struct fixture		*f = *state;
	const char *const	 bad[] = { "asp-saas", "新規", "deficient",
				    "two", NULL };
	const char *const	 good[] = { "asp-saas", "新規", "complete",
				    "two", NULL };
	const char *const	 locked[] = { "asp-saas", "新規", "complete",
				    "encrypted", "", "himitsu", NULL };
	const char *const	 other[] = { "-f", "suzuki@b.example.jp",
				    NULL };
	const char *const	 third[] = { "-f", "kato@c.example.jp", NULL };
	char			*t;

	mail(f, "1.eml", NULL, bad);
	t = letter(f, "2026-0001", "ack", NULL);
	assert_int_equal(tu_count(t, "返信"), 1);
	g_free(t);
	t = letter(f, "2026-0001", "deficiency", NULL);
	assert_contains(t, "100字以内でご記入ください（現在 120字）");
	assert_lacks(t, "記入してください");
	g_free(t);

	mail(f, "2.eml", other, good);
	t = letter(f, "2026-0002", "fee", NULL);
	assert_contains(t, "審査に必要な書類がそろっていることを確認いたしました");
	assert_once_a_sentence(t, "確認");
	g_free(t);

	mail(f, "3.eml", third, locked);
	t = letter(f, "2026-0003", "ack", NULL);
	assert_contains(t, "パスワード");
	assert_int_equal(tu_count(t, "返信"), 1);
	g_free(t);
}

/*
 * The fee request is a qualified invoice: the issuer, its registration
 * number, the date of issue, the amount and tax by rate; requested on
 * 2026-12-03 with due_days = 30 it is due 2027-01-04 (2 January is a
 * Saturday, 3 January a bank holiday), not 2027-01-02.  The receipt
 * likewise.  A mistyped number stops nintei; rules check warns when the
 * holiday table does not cover the coming year.
 */
static void
test_invoice(void **state)
{
	struct fixture		*f = *state;
	const char *const	 good[] = { "asp-saas", "新規", "complete",
				    "two", NULL };
	char			*t, *bad, *out, *err;

	g_setenv("NINTEI_NOW", "2026-12-03T10:00:00", TRUE);
	mail(f, "1.eml", NULL, good);
	t = letter(f, "2026-0001", "fee", NULL);
	assert_contains(t, "このメールは適格請求書を兼ねております。");
	assert_contains(t, "発行者                         "
	    "クラウドサービス情報開示認定事務局");
	assert_contains(t, "登録番号                       T7123456789012");
	assert_contains(t, "発行日                         2026年12月3日");
	assert_contains(t, "税率別内訳                     10%対象 190,000円"
	    "（税抜）、消費税 19,000円");
	assert_contains(t, "お振込期限                     2027年1月4日");
	g_free(t);
	assert_int_equal(tu_nintei(f->conf, NULL, NULL, NULL, "paid",
	    "2026-0001", "--by", "sato", NULL), 0);
	t = letter(f, "2026-0001", "receipt", NULL);
	assert_contains(t, "登録番号    T7123456789012");
	assert_contains(t, "税率別内訳  10%対象 209,000円（税込）、うち消費税 "
	    "19,000円");
	g_free(t);

	bad = g_build_filename(f->dir, "other", NULL);
	g_mkdir_with_parents(bad, 0755);
	t = tu_spool(bad, "[fee]\ninvoice_number = T7123456789013\n");
	g_free(bad);
	bad = t;
	assert_int_equal(tu_nintei(bad, NULL, NULL, &err, "cases", NULL), 78);
	tu_contains(err, "[fee] invoice_number: T7123456789013: the check "
	    "digit");
	g_free(err);
	g_free(bad);

	g_setenv("NINTEI_NOW", "2030-06-01T10:00:00", TRUE);
	assert_int_equal(tu_nintei(f->conf, NULL, &out, NULL, "rules", "check",
	    NULL), 0);
	tu_contains(out, "holidays.tsv: warning: no holidays of 2031");
	g_free(out);
	g_setenv("NINTEI_NOW", "2026-11-25T10:15:00", TRUE);
}

/* A string member of `show CASE --json`. */
static char *
case_field(struct fixture *f, const char *id, const char *name)
{
	JsonNode	*root = show(f, id);
	const char	*v = tu_json_str(root, name);
	char		*out = g_strdup(v != NULL ? v : "");

	json_node_unref(root);
	return out;
}

static void
assert_field(struct fixture *f, const char *id, const char *name,
    const char *want)
{
	char	*v = case_field(f, id, name);

	if (strcmp(v, want) != 0)
		fail_msg("case %s: %s is %s, not %s", id, name, v, want);
	g_free(v);
}

/*
 * 制度 as applicants write it: 医療情報を取り扱うASP・SaaS is medical.
 * 制度 left empty: the 情報開示書 tells the scheme and is checked, so that
 * the one deficiency letter has the 申請書's problem and the 情報開示書's.
 */
static void
test_scheme_names(void **state)
{
	struct fixture		*f = *state;
	const char *const	 med[] = { "-S", "医療情報を取り扱うASP・SaaS",
				    NULL };
	const char *const	 none[] = { "-S", "", "-f",
				    "suzuki@b.example.jp", NULL };
	const char *const	 good[] = { "medical", "新規", "complete",
				    "one", NULL };
	const char *const	 bad[] = { "asp-saas", "新規", "deficient",
				    "two", NULL };
	char			*t;
	int			 n;

	mail(f, "1.eml", med, good);
	assert_field(f, "2026-0001", "scheme", "medical");
	assert_field(f, "2026-0001", "state", "awaiting_fee");

	mail(f, "2.eml", none, bad);
	assert_field(f, "2026-0002", "state", "deficient");
	t = letter(f, "2026-0002", "deficiency", &n);
	assert_int_equal(n, 1);
	assert_contains(t, "1. 申請書「制度」");
	assert_contains(t, "情報開示書の内容から「ASP・SaaS」として確認しました");
	assert_contains(t, "項番 1「開示情報の年月日」");
	assert_contains(t, "項番 2-8「主要な事業の概要」");
	assert_contains(t, "項番 3-4「従業員数（単体）」");
	assert_contains(t, "5. 項番 6-3「プライバシーマークの登録番号」");
	g_free(t);
}

/* The number of cases in the queue. */
static guint
cases(struct fixture *f)
{
	JsonNode	*root = tu_nintei_json(f->conf, "cases", "--json", NULL);
	guint		 n;

	n = json_array_get_length(json_node_get_array(root));
	json_node_unref(root);
	return n;
}

/* The detail of the newest event of a kind in a case, or NULL. */
static char *
event(struct fixture *f, const char *id, const char *kind)
{
	JsonNode	*root = show(f, id), *el;
	JsonArray	*ev;
	char		*d = NULL;
	guint		 i;

	ev = json_object_get_array_member(json_node_get_object(root),
	    "events");
	for (i = json_array_get_length(ev); i > 0 && d == NULL; i--) {
		el = json_array_get_element(ev, i - 1);
		if (strcmp(tu_json_str(el, "kind"), kind) == 0)
			d = g_strdup(tu_json_str(el, "detail"));
	}
	json_node_unref(root);
	return d;
}

/* The Message-ID of the first letter of a case. */
static char *
first_letter(struct fixture *f, const char *id)
{
	JsonNode	*root = show(f, id);
	JsonArray	*l;
	char		*mid;

	l = json_object_get_array_member(json_node_get_object(root),
	    "letters");
	mid = g_strdup(tu_json_str(json_array_get_element(l, 0),
	    "message_id"));
	json_node_unref(root);
	return mid;
}

/*
 * Corrected forms sent as a new mail (no tag, no References), the company
 * written ㈱ this time: the same case, awaiting_fee, one fee letter in
 * the case's thread, an event saying how it was linked; no second case.
 * The same sender's other service opens a case of its own; when two open
 * cases match, the mail is unmatched, naming both.
 */
static void
test_resubmission(void **state)
{
	struct fixture		*f = *state;
	const char *const	 bad[] = { "asp-saas", "新規", "deficient",
				    "two", NULL };
	const char *const	 good[] = { "asp-saas", "新規", "complete",
				    "two", NULL };
	const char *const	 kabu[] = { "-C", "㈱ サンプルクラウド", NULL };
	const char *const	 other[] = { "-C", "株式会社ベツモノ", NULL };
	const char *const	 tagged[] = { "-s", "Re: [NINTEI-2026-0002] "
				    "訂正", NULL };
	char			*t, *d, *ack, *out;
	int			 n;

	mail(f, "1.eml", NULL, bad);
	assert_field(f, "2026-0001", "state", "deficient");
	mail(f, "2.eml", kabu, good);
	assert_int_equal(cases(f), 1);
	assert_field(f, "2026-0001", "state", "awaiting_fee");
	t = letter(f, "2026-0001", "fee", &n);
	assert_int_equal(n, 1);
	assert_non_null(t);
	g_free(t);
	d = event(f, "2026-0001", "linked");
	assert_non_null(d);
	tu_contains(d, "申請書の制度・事業者名・サービス名称が案件 2026-0001 と"
	    "一致");
	g_free(d);
	/* In the case's thread: the fee letter refers to the first one. */
	ack = first_letter(f, "2026-0001");
	{
		GPtrArray	*l = tu_outbox(f->outbox);
		guint		 i;
		int		 seen = 0;

		for (i = 0; i < l->len; i++) {
			t = g_ptr_array_index(l, i);
			if (strstr(t, "審査手数料のご請求") == NULL)
				continue;
			seen++;
			tu_contains(t, "[NINTEI-2026-0001]");
			tu_contains(t, ack);	/* References */
		}
		assert_int_equal(seen, 1);
		g_ptr_array_free(l, TRUE);
	}
	assert_int_equal(tu_nintei(f->conf, NULL, &out, NULL, "show",
	    "2026-0001", NULL), 0);
	g_free(out);

	/* Another company of the same sender: a case of its own. */
	mail(f, "3.eml", other, bad);
	assert_int_equal(cases(f), 2);
	assert_field(f, "2026-0002", "company", "株式会社ベツモノ");
	/* ... corrected, by a reply, into the first one's particulars:
	 * now two open cases match. */
	mail(f, "4.eml", tagged, bad);
	assert_field(f, "2026-0002", "company", "株式会社サンプルクラウド");
	mail(f, "5.eml", NULL, good);
	assert_int_equal(cases(f), 2);
	assert_int_equal(tu_nintei(f->conf, NULL, &out, NULL, "messages",
	    "--json", "--disposition", "unmatched", NULL), 0);
	tu_contains(out, "案件 2026-0001 と案件 2026-0002 の両方に一致");
	g_free(out);
	g_free(ack);
}

/* A reply with only the corrected 情報開示書: the 申請書 of the earlier
 * mail completes it; the case moves on, and the letter says which
 * document came from where. */
static void
test_partial(void **state)
{
	struct fixture		*f = *state;
	const char *const	 bad[] = { "asp-saas", "新規", "deficient",
				    "two", NULL };
	const char *const	 disc[] = { "asp-saas", "新規", "complete",
				    "disc", NULL };
	const char *const	 reply[] = { "-s", "Re: [NINTEI-2026-0001] "
				    "申請書類の不備のご連絡", "-b",
				    "申請書は前回のものから変更ありません。", NULL };
	char			*t;
	int			 n;

	mail(f, "1.eml", NULL, bad);
	assert_field(f, "2026-0001", "state", "deficient");
	mail(f, "2.eml", reply, disc);
	assert_field(f, "2026-0001", "state", "awaiting_fee");
	t = letter(f, "2026-0001", "fee", &n);
	assert_int_equal(n, 1);
	assert_contains(t, "受領書類    情報開示書（このメール）");
	assert_contains(t, "前回の書類  申請書（2026年11月25日 10:15 受信のメール）");
	assert_lacks(t, "申請書が見つかりません");
	g_free(t);
	assert_int_equal(cases(f), 1);
}

/* The number of messages recorded. */
static guint
messages(struct fixture *f)
{
	JsonNode	*root;
	char		*out;
	guint		 n;

	assert_int_equal(tu_nintei(f->conf, NULL, &out, NULL, "messages",
	    "--json", NULL), 0);
	root = tu_json(out);
	n = json_array_get_length(json_node_get_array(root));
	json_node_unref(root);
	g_free(out);
	return n;
}

/*
 * Ingests the file with the Nth read of the store failing
 * (NINTEI_FAULT_STORE=N), for N = 1, 2, ... until a run succeeds: each
 * failed run exits 75 and records nothing (no message, no case, no
 * letter of that kind in the case); returns how many runs failed.
 */
static int
ingest_through_faults(struct fixture *f, const char *path, const char *id,
    const char *kind)
{
	char	 num[16];
	guint	 msgs = messages(f), ncases = cases(f);
	int	 n, rc, letters;

	g_free(letter(f, id, kind, &letters));
	for (n = 1; n < 60; n++) {
		g_snprintf(num, sizeof num, "%d", n);
		g_setenv("NINTEI_FAULT_STORE", num, TRUE);
		rc = tu_nintei(f->conf, NULL, NULL, NULL, "ingest", path,
		    NULL);
		g_unsetenv("NINTEI_FAULT_STORE");
		if (rc == 0)
			break;
		assert_int_equal(rc, 75);
		assert_int_equal(messages(f), msgs);
		assert_int_equal(cases(f), ncases);
		{
			int	 now;

			g_free(letter(f, id, kind, &now));
			assert_int_equal(now, letters);
		}
	}
	assert_true(n < 60);
	/* The last run may have failed reading the queue after the
	 * message was recorded: its letters wait for the next send. */
	assert_int_equal(tu_nintei(f->conf, NULL, NULL, NULL, "send", NULL),
	    0);
	return n - 1;
}

/*
 * A failed read of the store while a mail is linked by its content or
 * completed from an earlier one is never taken for "nothing there": the
 * message waits (exit 75, nothing recorded) instead of opening a second
 * case or a deficiency letter saying 申請書が見つかりません; once the reads
 * succeed it joins its case as usual.
 */
static void
test_read_fails(void **state)
{
	struct fixture		*f = *state;
	const char *const	 bad[] = { "asp-saas", "新規", "deficient",
				    "two", NULL };
	const char *const	 good[] = { "asp-saas", "新規", "complete",
				    "two", NULL };
	const char *const	 disc[] = { "asp-saas", "新規", "complete",
				    "disc", NULL };
	const char *const	 reply[] = { "-s", "Re: [NINTEI-2026-0002] "
				    "申請書類の不備のご連絡", NULL };
	const char *const	 other[] = { "-C", "株式会社ベツモノ", NULL };
	char			*path, *t;
	int			 n;

	/* By content: no tag, the same service. */
	mail(f, "1.eml", NULL, bad);
	path = mail_write(f, "2.eml", NULL, good);
	n = ingest_through_faults(f, path, "2026-0001", "fee");
	assert_true(n >= 2);
	g_free(path);
	assert_int_equal(cases(f), 1);
	assert_field(f, "2026-0001", "state", "awaiting_fee");
	g_free(letter(f, "2026-0001", "fee", &n));
	assert_int_equal(n, 1);

	/* Completed from the earlier mail: only the 情報開示書 attached. */
	mail(f, "3.eml", other, bad);
	assert_field(f, "2026-0002", "state", "deficient");
	path = mail_write(f, "4.eml", reply, disc);
	n = ingest_through_faults(f, path, "2026-0002", "fee");
	assert_true(n >= 2);
	g_free(path);
	assert_int_equal(cases(f), 2);
	assert_field(f, "2026-0002", "state", "awaiting_fee");
	t = letter(f, "2026-0002", "fee", &n);
	assert_int_equal(n, 1);
	assert_contains(t, "前回の書類");
	g_free(t);
}

/* Writes a mail by hand into the spool folder and ingests it. */
static void
raw_mail(struct fixture *f, const char *name, const char *text)
{
	char	*path = g_build_filename(f->dir, name, NULL);

	tu_write(path, text, strlen(text));
	assert_int_equal(tu_nintei(f->conf, NULL, NULL, NULL, "ingest", path,
	    NULL), 0);
	g_free(path);
}

/* The id of the newest message, as text. */
static char *
newest_message(struct fixture *f)
{
	JsonNode	*root;
	JsonArray	*a;
	char		*out, *id;

	assert_int_equal(tu_nintei(f->conf, NULL, &out, NULL, "messages",
	    "--json", NULL), 0);
	root = tu_json(out);
	a = json_node_get_array(root);
	id = g_strdup_printf("%" G_GINT64_FORMAT, json_object_get_int_member(
	    json_array_get_object_element(a, json_array_get_length(a) - 1),
	    "id"));
	json_node_unref(root);
	g_free(out);
	return id;
}

/*
 * An applicant's question as a reply (HTML only, with a PDF): messages
 * show prints its headers decoded, its text rendered from the HTML by a
 * parser (no style, no script) and the attachment with its size; show
 * CASE has its first lines; the case is the secretariat's move until
 * staff mark it handled (or write to the applicant); handled again is
 * refused.
 */
static void
test_reading(void **state)
{
	struct fixture		*f = *state;
	const char *const	 bad[] = { "asp-saas", "新規", "deficient",
				    "two", NULL };
	const char		*question =
	    "From: =?UTF-8?B?5bGx55SwIOWkqumDjg==?= "
	    "<yamada@sample-cloud.example.jp>\r\n"
	    "To: nintei@example.org\r\n"
	    "Subject: =?UTF-8?B?UmU6IFtOSU5URUktMjAyNi0wMDAxXSDjgZTos6rllY8=?="
	    "\r\n"
	    "Message-ID: <q1@sample-cloud.example.jp>\r\n"
	    "Date: Wed, 25 Nov 2026 11:00:00 +0900\r\n"
	    "MIME-Version: 1.0\r\n"
	    "Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n"
	    "--b1\r\n"
	    "Content-Type: text/html; charset=UTF-8\r\n"
	    "Content-Transfer-Encoding: 8bit\r\n\r\n"
	    "<html><head><title>t</title><style>p { color: red }</style>"
	    "</head><body><p>お世話になっております。</p>"
	    "<div>項番 3-4 の従業員数は<b>連結</b>&amp;単体の<br>"
	    "どちらでしょうか。</div><script>alert(1)</script></body>"
	    "</html>\r\n"
	    "--b1\r\n"
	    "Content-Type: application/pdf; name=\"shitsumon.pdf\"\r\n"
	    "Content-Disposition: attachment; filename=\"shitsumon.pdf\"\r\n"
	    "Content-Transfer-Encoding: base64\r\n\r\n"
	    "JVBERi0xLjQKJcfsj6IKMSAwIG9iago8PD4+CmVuZG9iagp0cmFpbGVyCjw8Pj4K"
	    "JSVFT0YK\r\n"
	    "--b1--\r\n";
	char			*id, *out, *err;

	mail(f, "1.eml", NULL, bad);
	assert_field(f, "2026-0001", "waiting_on", "applicant");
	raw_mail(f, "2.eml", question);
	id = newest_message(f);
	assert_int_equal(tu_nintei(f->conf, NULL, &out, NULL, "messages",
	    "show", id, NULL), 0);
	tu_contains(out, "From: 山田 太郎 <yamada@sample-cloud.example.jp>");
	tu_contains(out, "Subject: Re: [NINTEI-2026-0001] ご質問");
	tu_contains(out, "本文（text/html をテキストにしたもの）");
	tu_contains(out, "お世話になっております。\n項番 3-4 の従業員数は連結&"
	    "単体の\nどちらでしょうか。");
	assert_lacks(out, "color");
	assert_lacks(out, "alert");
	tu_contains(out, "shitsumon.pdf (");
	g_free(out);
	assert_int_equal(tu_nintei(f->conf, NULL, &out, NULL, "show",
	    "2026-0001", NULL), 0);
	tu_contains(out, "      | 項番 3-4 の従業員数は連結&単体の");
	tu_contains(out, "次は事務局（申請者のメールへの回答）");
	g_free(out);
	assert_field(f, "2026-0001", "waiting_on", "secretariat");
	assert_int_equal(tu_nintei(f->conf, NULL, &out, NULL, "cases", NULL),
	    0);
	tu_contains(out, "事務局（申請者のメールへの回答）");
	g_free(out);

	assert_int_equal(tu_nintei(f->conf, NULL, &out, NULL, "handled",
	    "2026-0001", "電話で回答済み", "--by", "sato", NULL), 0);
	g_free(out);
	assert_field(f, "2026-0001", "waiting_on", "applicant");
	assert_int_equal(tu_nintei(f->conf, NULL, &out, &err, "handled",
	    "2026-0001", NULL), 65);
	tu_contains(err, "no mail of the applicant waits for an answer");
	g_free(out);
	g_free(err);

	/* Another question, answered with a letter staff write. */
	{
		const char *const	 ask[] = { "-s", "Re: [NINTEI-2026-0001] "
					    "もう一点", "-b", "提出期限はいつまでで"
					    "しょうか。", NULL };
		const char *const	 none[] = { "asp-saas", "新規",
					    "complete", "none", NULL };
		char			*answer = g_build_filename(f->dir,
					    "answer.txt", NULL);

		mail(f, "3.eml", ask, none);
		assert_field(f, "2026-0001", "waiting_on", "secretariat");
		tu_write(answer, "期限はございません。\n", strlen(
		    "期限はございません。\n"));
		assert_int_equal(tu_nintei(f->conf, NULL, &out, &err, "write",
		    "2026-0001", "--subject", "ご質問への回答", "--file", answer,
		    "--by", "sato", NULL), 0);
		g_free(out);
		g_free(err);
		assert_field(f, "2026-0001", "waiting_on", "applicant");
		g_free(answer);
	}
	g_free(id);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_wording, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_invoice, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_scheme_names, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_resubmission, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_partial, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_read_fails, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_reading, setup,
		    teardown),
	};

	g_mime_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
