/* test_mail.c: what the intake reads from a message: addresses, decoded
 * subject, threading ids, automatic markers, attachments (also inside a
 * forwarded message), and the MIME limits. */

#include <string.h>

#include "testutil.h"
#include "mail.h"
#include "nintei.h"

static const struct mail_limits lim = MAIL_LIMITS_DEFAULT;

static struct mail *
parse(const char *text)
{
	char		*cause = NULL;
	struct mail	*m;

	m = mail_parse_bytes(text, strlen(text), &lim, &cause);
	if (m == NULL)
		fail_msg("parse: %s", cause);
	return m;
}

static void
test_headers(void **state)
{
	struct mail	*m;

	(void)state;
	m = parse("From: =?UTF-8?B?5bGx55Sw?= <Yamada@Example.JP>\r\n"
	    "To: a@example.org, B <b@example.org>\r\n"
	    "Cc: c@example.org\r\n"
	    "Subject: =?UTF-8?B?44GCYQ==?= =?UTF-8?B?44Gu5Lu25ZCN?=\r\n"
	    "Message-ID: <abc@example.jp>\r\n"
	    "In-Reply-To: <nintei.ack.1@example.org>\r\n"
	    "References: <x@example.jp>\r\n <nintei.ack.1@example.org>\r\n"
	    "Date: Tue, 24 Nov 2026 09:30:00 +0900\r\n"
	    "\r\nbody\r\n");
	assert_string_equal(m->from, "Yamada@Example.JP");
	assert_string_equal(m->from_name, "山田");
	assert_string_equal(m->to, "a@example.org, b@example.org, "
	    "c@example.org");
	assert_string_equal(m->subject, "あaの件名");
	assert_string_equal(m->message_id, "abc@example.jp");
	assert_string_equal(m->in_reply_to, "nintei.ack.1@example.org");
	assert_int_equal(m->references->len, 2);
	assert_string_equal(g_ptr_array_index(m->references, 1),
	    "nintei.ack.1@example.org");
	assert_string_equal(m->date, "2026-11-24T09:30:00+09");
	assert_null(m->return_path);
	assert_null(m->auto_submitted);
	assert_string_equal(m->text, "body\r\n");
	assert_int_equal(m->attachments->len, 0);
	mail_free(m);
}

/* Raw 8-bit bytes in any header come out as UTF-8: Shift_JIS read as
 * CP932, other junk guessed (the parent and the store take text only). */
static void
test_raw_8bit(void **state)
{
	struct mail	*m;

	(void)state;
	m = parse("From: \x8eR\x93" "c <yamada@example.jp>\r\n"
	    "Message-ID: <\xf4\x99\xad@example.jp>\r\n"
	    "References: <a@ru\x8c\x8bgers.edu>\r\n"
	    "Received: from \xff\xfe by mx\r\n"
	    "Precedence: b\xe9lk\r\n"
	    "Content-Type: text/pl\xe1in\r\n"
	    "\r\nbody\r\n");
	assert_string_equal(m->from_name, "山田");
	assert_true(g_utf8_validate(m->message_id, -1, NULL));
	assert_true(g_utf8_validate(g_ptr_array_index(m->references, 0), -1,
	    NULL));
	assert_true(g_utf8_validate(g_ptr_array_index(m->received, 0), -1,
	    NULL));
	assert_true(g_utf8_validate(m->precedence, -1, NULL));
	assert_true(g_utf8_validate(m->content_type, -1, NULL));
	mail_free(m);
}

static void
test_automatic_markers(void **state)
{
	struct mail	*m;

	(void)state;
	m = parse("From: list@example.org\r\nReturn-Path: <>\r\n"
	    "Auto-Submitted: auto-generated\r\nPrecedence: bulk\r\n"
	    "List-Id: <x.example.org>\r\nX-Loop: nintei@example.org\r\n"
	    "\r\nx\r\n");
	assert_string_equal(m->return_path, "");
	assert_string_equal(m->auto_submitted, "auto-generated");
	assert_string_equal(m->precedence, "bulk");
	assert_string_equal(m->list_header, "List-Id");
	assert_int_equal(m->x_loop->len, 1);
	assert_string_equal(m->message_id, "");
	mail_free(m);
}

/* Attachments at the top and inside a forwarded message; a quoted
 * RFC 2047 file name with a padded word (GMime's trap); a base64 body
 * with padding in the middle (GMime's other trap). */
static void
test_attachments(void **state)
{
	struct mail		*m;
	struct attachment	*a;
	GByteArray		*bytes;
	char			*cause = NULL;

	(void)state;
	m = parse("From: a@example.jp\r\n"
	    "Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n"
	    "--b1\r\nContent-Type: text/plain; charset=ISO-2022-JP\r\n\r\n"
	    "\x1b$B?=@A\x1b(B\r\n"
	    "--b1\r\nContent-Type: application/zip\r\n"
	    "Content-Disposition: attachment; filename=\""
	    "=?UTF-8?B?44GCYQ==?= =?UTF-8?B?44Gu5Lu25ZCNLnppcA==?=\"\r\n"
	    "Content-Transfer-Encoding: base64\r\n\r\n"
	    "UEs=AwQ=\r\n"
	    "--b1\r\nContent-Type: message/rfc822\r\n\r\n"
	    "From: b@example.jp\r\nSubject: fwd\r\n"
	    "Content-Type: multipart/mixed; boundary=\"b2\"\r\n\r\n"
	    "--b2\r\nContent-Type: text/plain\r\n\r\ninner\r\n"
	    "--b2\r\nContent-Type: text/csv\r\n"
	    "Content-Disposition: attachment; filename*=UTF-8''%E7%94%B3%E8"
	    "%AB%8B%E6%9B%B8.csv\r\n\r\na,b\r\n"
	    "--b2--\r\n"
	    "--b1--\r\n");
	assert_string_equal(m->text, "申請");
	assert_int_equal(m->attachments->len, 2);
	a = g_ptr_array_index(m->attachments, 0);
	assert_string_equal(a->name, "あaの件名.zip");
	assert_string_equal(a->type, "application/zip");
	assert_int_equal(a->depth, 0);
	assert_int_equal(a->size, 4);
	bytes = mail_attachment_bytes(a, 100, &cause);
	assert_non_null(bytes);
	assert_memory_equal(bytes->data, "PK\x03\x04", 4);
	g_byte_array_free(bytes, TRUE);
	assert_null(mail_attachment_bytes(a, 3, &cause));
	assert_non_null(strstr(cause, "大きすぎます"));
	g_free(cause);
	assert_true(mail_attachment_is_form(a));
	a = g_ptr_array_index(m->attachments, 1);
	assert_string_equal(a->name, "申請書.csv");
	assert_int_equal(a->depth, 1);
	assert_true(mail_attachment_is_form(a));
	mail_free(m);
}

/* A message nested deeper than the limit is read, and says why not. */
static void
test_depth_limit(void **state)
{
	GString		*s = g_string_new("From: a@example.jp\r\n");
	struct mail	*m;
	int		 i;

	(void)state;
	for (i = 0; i < 30; i++)
		g_string_append_printf(s, "Content-Type: multipart/mixed; "
		    "boundary=\"b%d\"\r\n\r\n--b%d\r\n", i, i);
	g_string_append(s, "Content-Type: text/plain\r\n\r\nx\r\n");
	m = parse(s->str);
	assert_non_null(m->limit);
	assert_non_null(strstr(m->limit, "入れ子"));
	assert_string_equal(m->from, "a@example.jp");
	mail_free(m);
	g_string_free(s, TRUE);
}

/* Thousands of containers: refused before GMime recurses into them. */
static void
test_container_flood(void **state)
{
	GString		*s = g_string_new("From: a@example.jp\r\n");
	struct mail	*m;
	int		 i;

	(void)state;
	for (i = 0; i < 5000; i++)
		g_string_append_printf(s, "Content-Type: multipart/mixed; "
		    "boundary=\"b%d\"\r\n\r\n--b%d\r\n", i, i);
	m = parse(s->str);
	assert_non_null(m->limit);
	assert_non_null(strstr(m->limit, "パート"));
	mail_free(m);
	g_string_free(s, TRUE);
}

static int
setup(void **state)
{
	(void)state;
	mail_init();
	return 0;
}

/* The bytes of utf8 in charset, made with iconv. */
static char *
conv(const char *utf8, const char *charset)
{
	gsize	 len;
	char	*b = g_convert(utf8, -1, charset, "UTF-8", NULL, &len, NULL);

	assert_non_null(b);
	return b;
}

/* The three subjects of issue 16 that came out wrong (raw EUC-JP read as
 * CP932's half-width kana; a word folded inside its base64), with raw
 * EUC-JP in the display name and a body without a charset. */
static void
test_japanese_subjects(void **state)
{
	struct mail	*m;
	char		*t1, *t2, *name, *body, *text, *w, *e;

	(void)state;
	t1 = conv("テスト", "EUC-JP");
	t2 = conv("テストテスト", "EUC-JP");
	name = conv("山田 太郎", "EUC-JP");
	body = conv("申請書を送ります。\r\n", "EUC-JP");
	text = g_strdup_printf("From: %s <yamada@example.jp>\r\n"
	    "Subject: %s\r\n\r\n%s", name, t1, body);
	m = parse(text);
	assert_string_equal(m->subject, "テスト");
	assert_string_equal(m->from_name, "山田 太郎");
	assert_string_equal(m->text, "申請書を送ります。\r\n");
	mail_free(m);
	g_free(text);
	/* us-ascii that carries 8-bit bytes. */
	text = g_strdup_printf("From: a@example.jp\r\nSubject: %s\r\n"
	    "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=us-ascii"
	    "\r\n\r\n%s", t2, body);
	m = parse(text);
	assert_string_equal(m->subject, "テストテスト");
	assert_string_equal(m->text, "申請書を送ります。\r\n");
	mail_free(m);
	g_free(text);
	w = conv("テストメール", "ISO-2022-JP");
	e = g_base64_encode((const guchar *)w, strlen(w));
	assert_string_equal(e, "GyRCJUYlOSVIJWEhPCVrGyhC");
	g_free(e);
	g_free(w);
	m = parse("From: a@example.jp\r\n"
	    "Subject: =?ISO-2022-JP?B?GyRCJUYlOSVI\r\n JWEhPCVrGyhC?=\r\n\r\nx");
	assert_string_equal(m->subject, "テストメール");
	mail_free(m);
	g_free(t1);
	g_free(t2);
	g_free(name);
	g_free(body);
}

/* Raw CP932 subjects: second bytes that are ASCII's \ (表申能ソ) and |
 * (ポ培), half-width kana, NEC (①㈱) and IBM (髙) extensions. */
static void
test_cp932_subjects(void **state)
{
	const char	*subjects[] = { "表申能ソ", "ポ培の件", "ｱﾝｹｰﾄ ﾃｽﾄ",
	    "①㈱サンプル", "髙橋様", "Re: 【申請】ソフト表示能力" };
	struct mail	*m;
	char		*b, *text;
	size_t		 i;

	(void)state;
	for (i = 0; i < G_N_ELEMENTS(subjects); i++) {
		b = conv(subjects[i], "CP932");
		text = g_strdup_printf("From: a@example.jp\r\nSubject: %s\r\n"
		    "\r\n%s\r\n", b, b);
		m = parse(text);
		assert_string_equal(m->subject, subjects[i]);
		assert_true(g_str_has_prefix(m->text, subjects[i]));
		mail_free(m);
		g_free(text);
		g_free(b);
	}
}

/* Display names as Japanese clients write them: an encoded word inside
 * quotes, padded words (GMime's trap), CP932 names in ISO-2022-JP words;
 * and file names in RFC 2231 Shift_JIS with ①. */
static void
test_japanese_names(void **state)
{
	struct mail		*m;
	struct attachment	*a;
	char			*b, *e, *text, *pct;
	GString			*p;
	gsize			 i;

	(void)state;
	b = conv("山田", "ISO-2022-JP");
	e = g_base64_encode((const guchar *)b, strlen(b));
	text = g_strdup_printf("From: \"=?ISO-2022-JP?B?%s?=\" "
	    "<yamada@example.jp>\r\nSubject: x\r\n\r\nx", e);
	m = parse(text);
	assert_string_equal(m->from_name, "山田");
	mail_free(m);
	g_free(text);
	g_free(e);
	g_free(b);
	m = parse("From: =?UTF-8?B?44GCYQ==?= =?UTF-8?B?44Gu5Lu25ZCN?= "
	    "<a@example.jp>\r\nSubject: x\r\n\r\nx");
	assert_string_equal(m->from_name, "あaの件名");
	mail_free(m);
	b = conv("①申請書.csv", "CP932");
	p = g_string_new(NULL);
	for (i = 0; b[i] != '\0'; i++)
		g_string_append_printf(p, "%%%02X", (unsigned char)b[i]);
	pct = g_string_free(p, FALSE);
	e = g_base64_encode((const guchar *)"a,b\r\n", 5);
	text = g_strdup_printf("From: a@example.jp\r\nSubject: x\r\n"
	    "MIME-Version: 1.0\r\n"
	    "Content-Type: multipart/mixed; boundary=XX\r\n\r\n"
	    "--XX\r\nContent-Type: text/plain\r\n\r\nbody\r\n"
	    "--XX\r\nContent-Type: text/csv\r\n"
	    "Content-Disposition: attachment;\r\n filename*=shift_jis'ja'%s\r\n"
	    "Content-Transfer-Encoding: base64\r\n\r\n%s\r\n--XX--\r\n",
	    pct, e);
	m = parse(text);
	assert_int_equal(m->attachments->len, 1);
	a = g_ptr_array_index(m->attachments, 0);
	assert_string_equal(a->name, "①申請書.csv");
	mail_free(m);
	g_free(text);
	g_free(e);
	g_free(pct);
	g_free(b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_headers),
		cmocka_unit_test(test_raw_8bit),
		cmocka_unit_test(test_automatic_markers),
		cmocka_unit_test(test_attachments),
		cmocka_unit_test(test_depth_limit),
		cmocka_unit_test(test_container_flood),
		cmocka_unit_test(test_japanese_subjects),
		cmocka_unit_test(test_japanese_names),
		cmocka_unit_test(test_cp932_subjects),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
