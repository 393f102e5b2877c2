/* test_intake.c: end to end on a temporary spool: the sample mails are
 * polled from the inbox Maildir, one case opens, its acknowledgement lands
 * in the outbox and reads back right; duplicates are recorded once;
 * replies join their case only from the applicant. */

#include <string.h>
#include <unistd.h>

#include <gmime/gmime.h>

#include "testutil.h"
#include "rfc2047.h"

struct fixture {
	char	*dir;
	char	*conf;
};

static int
setup(void **state)
{
	struct fixture	*f = g_new0(struct fixture, 1);
	GPtrArray	*samples;
	char		*sdir, *src, *dst, *name, *text;
	gsize		 len;
	guint		 i;

	g_setenv("NINTEI_NOW", "2026-11-25T10:15:00", TRUE);
	f->dir = tu_tmpdir("intake");
	f->conf = tu_spool(f->dir, NULL);
	sdir = g_build_filename(tu_top(), "contrib", "samples", NULL);
	samples = tu_list(sdir);
	dst = g_build_filename(f->dir, "inbox", "new", NULL);
	g_mkdir_with_parents(dst, 0755);
	g_free(dst);
	for (i = 0; i < samples->len; i++) {
		name = g_ptr_array_index(samples, i);
		/* The three hand-written samples; the generated ones
		 * (1x-5x) are test_lifecycle's. */
		if (!g_str_has_suffix(name, ".eml") || name[0] != '0')
			continue;
		src = g_build_filename(sdir, name, NULL);
		dst = g_build_filename(f->dir, "inbox", "new", name, NULL);
		text = tu_read(src, &len);
		tu_write(dst, text, len);
		g_free(text);
		g_free(src);
		g_free(dst);
	}
	g_ptr_array_free(samples, TRUE);
	g_free(sdir);
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

/* The letter of a kind (X-Nintei-Letter) among letters; fails if none. */
static GMimeMessage *
letter_of(GPtrArray *letters, const char *kind)
{
	GMimeMessage	*m;
	const char	*k;
	guint		 i;

	for (i = 0; i < letters->len; i++) {
		m = g_ptr_array_index(letters, i);
		k = g_mime_object_get_header(GMIME_OBJECT(m),
		    "X-Nintei-Letter");
		if (k != NULL && strcmp(k, kind) == 0)
			return m;
	}
	fail_msg("no %s letter", kind);
	return NULL;
}

/* The letters in the outbox's new/ folder, parsed. */
static GPtrArray *
outbox(struct fixture *f)
{
	char		*dir = g_build_filename(f->dir, "outbox", "new", NULL);
	GPtrArray	*out = tu_outbox_messages(dir);

	g_free(dir);
	return out;
}

static const char *
header(GMimeMessage *m, const char *name)
{
	return g_mime_object_get_header(GMIME_OBJECT(m), name);
}

/* The decoded text of a single-part letter. */
static char *
body(GMimeMessage *m)
{
	GMimeObject	*part = g_mime_message_get_mime_part(m);

	assert_true(GMIME_IS_TEXT_PART(part));
	return g_mime_text_part_get_text(GMIME_TEXT_PART(part));
}

/* The messages as JSON, an array. */
static JsonArray *
messages(struct fixture *f, JsonNode **root)
{
	char	*out;

	assert_int_equal(tu_nintei(f->conf, NULL, &out, NULL, "messages",
	    "--json", NULL), 0);
	*root = tu_json(out);
	g_free(out);
	return json_node_get_array(*root);
}

static void
test_poll_acknowledges(void **state)
{
	struct fixture	*f = *state;
	GPtrArray	*letters, *left;
	GMimeMessage	*l;
	JsonNode	*root, *el;
	JsonArray	*arr;
	char		*out, *subject, *text, *dir;
	const char	*raw, *disp;
	guint		 i;
	int		 cases = 0, unmatched = 0, ignored = 0;

	assert_int_equal(tu_nintei(f->conf, NULL, NULL, NULL, "poll", NULL),
	    0);

	/* Every message recorded, each with its disposition. */
	arr = messages(f, &root);
	assert_int_equal(json_array_get_length(arr), 3);
	for (i = 0; i < 3; i++) {
		el = json_array_get_element(arr, i);
		disp = tu_json_str(el, "disposition");
		assert_non_null(tu_json_str(el, "reason"));
		assert_non_null(tu_json_str(el, "message_id"));
		cases += strcmp(disp, "case") == 0;
		unmatched += strcmp(disp, "unmatched") == 0;
		ignored += strcmp(disp, "ignored") == 0;
		if (strcmp(disp, "case") == 0) {
			assert_string_equal(tu_json_str(el, "case"),
			    "2026-0001");
			assert_string_equal(tu_json_str(el, "from"),
			    "yamada@sample-cloud.example.jp");
		}
	}
	assert_int_equal(cases, 1);
	assert_int_equal(unmatched, 1);
	assert_int_equal(ignored, 1);
	json_node_unref(root);

	/* The inbox is emptied into cur/ only after commit. */
	dir = g_build_filename(f->dir, "inbox", "new", NULL);
	left = tu_list(dir);
	assert_int_equal(left->len, 0);
	g_ptr_array_free(left, TRUE);
	g_free(dir);

	/* The queue shows the case. */
	assert_int_equal(tu_nintei(f->conf, NULL, &out, NULL, "cases",
	    "--json", NULL), 0);
	root = tu_json(out);
	arr = json_node_get_array(root);
	assert_int_equal(json_array_get_length(arr), 1);
	el = json_array_get_element(arr, 0);
	assert_string_equal(tu_json_str(el, "id"), "2026-0001");
	/* Its ZIP holds a 申請書 but no 情報開示書: deficient. */
	assert_string_equal(tu_json_str(el, "state"), "deficient");
	assert_string_equal(tu_json_str(el, "waiting_on"), "applicant");
	assert_string_equal(tu_json_str(el, "scheme"), "asp-saas");
	assert_string_equal(tu_json_str(el, "kind"), "new");
	assert_string_equal(tu_json_str(el, "company"),
	    "株式会社サンプルクラウド");
	json_node_unref(root);
	g_free(out);

	/* Two letters, both answering the application: the
	 * acknowledgement at once, then the deficiency. */
	letters = outbox(f);
	assert_int_equal(letters->len, 2);
	l = letter_of(letters, "ack");
	raw = g_mime_header_get_raw_value(g_mime_header_list_get_header(
	    g_mime_object_get_header_list(GMIME_OBJECT(l)), "Subject"));
	subject = rfc2047_decode(raw);
	assert_string_equal(subject, "[NINTEI-2026-0001] 申請受付のお知らせ"
	    "（サンプル勤怠クラウド）");
	g_free(subject);
	assert_string_equal(header(l, "In-Reply-To"),
	    "<20261124093000.1@sample-cloud.example.jp>");
	assert_non_null(strstr(header(l, "References"),
	    "<20261124093000.1@sample-cloud.example.jp>"));
	assert_string_equal(header(l, "Auto-Submitted"), "auto-replied");
	assert_string_equal(header(l, "X-Loop"), "nintei@example.org");
	assert_string_equal(header(l, "To"), "yamada@sample-cloud.example.jp");
	assert_non_null(g_mime_message_get_message_id(l));
	text = body(l);
	assert_non_null(strstr(text, "受付番号    2026-0001"));
	assert_non_null(strstr(text, "受付日時    2026年11月25日 10:15"));
	assert_non_null(strstr(text, "申請書類.zip"));
	assert_non_null(strstr(text, "      申請書.csv"));
	assert_non_null(strstr(text, "      会社概要.pdf"));
	assert_non_null(strstr(text, "制度        ASP・SaaS"));
	assert_non_null(strstr(text, "[NINTEI-2026-0001] を残したまま"));
	g_free(text);
	l = letter_of(letters, "deficiency");
	assert_string_equal(header(l, "In-Reply-To"),
	    "<20261124093000.1@sample-cloud.example.jp>");
	text = body(l);
	assert_non_null(strstr(text, "情報開示書が見つかりません"));
	g_free(text);
	g_ptr_array_free(letters, TRUE);
}

/* The same mail twice (or ingested after a poll) is recorded once, and
 * answered once. */
static void
test_duplicates(void **state)
{
	struct fixture	*f = *state;
	JsonNode	*root;
	GPtrArray	*letters;
	char		*file;

	file = g_build_filename(tu_top(), "contrib", "samples",
	    "01-application-zip.eml", NULL);
	assert_int_equal(tu_nintei(f->conf, NULL, NULL, NULL, "ingest", file,
	    NULL), 0);
	assert_int_equal(tu_nintei(f->conf, NULL, NULL, NULL, "ingest", file,
	    NULL), 0);
	assert_int_equal(tu_nintei(f->conf, file, NULL, NULL, "ingest", "-",
	    NULL), 0);
	assert_int_equal(json_array_get_length(messages(f, &root)), 3);
	json_node_unref(root);
	letters = outbox(f);
	assert_int_equal(letters->len, 2);
	g_ptr_array_free(letters, TRUE);
	g_free(file);
}

/* Writes a reply to the acknowledgement from the address given. */
static char *
reply(struct fixture *f, const char *from, const char *id, int by_tag)
{
	GPtrArray	*letters = outbox(f);
	GMimeMessage	*ack = letter_of(letters, "ack");
	char		*text, *path;

	text = g_strdup_printf("From: %s\r\nTo: nintei@example.org\r\n"
	    "Subject: %s\r\nMessage-ID: <%s>\r\n%s%s%s\r\n"
	    "よろしくお願いします。\r\n", from, by_tag ?
	    "Re: [NINTEI-2026-0001] =?UTF-8?B?55Sz6KuL?=" : "Re: question",
	    id, by_tag ? "" : "In-Reply-To: <", by_tag ? "" :
	    g_mime_message_get_message_id(ack), by_tag ? "" : ">\r\n");
	path = g_build_filename(f->dir, id, NULL);
	tu_write(path, text, strlen(text));
	g_free(text);
	g_ptr_array_free(letters, TRUE);
	return path;
}

/* A reply joins its case by tag or by In-Reply-To, from the applicant
 * only; no letter answers it.  A stranger quoting the tag is unmatched. */
static void
test_replies(void **state)
{
	struct fixture	*f = *state;
	JsonNode	*root, *el;
	JsonArray	*arr;
	GPtrArray	*letters;
	char		*p1, *p2, *p3;

	p1 = reply(f, "yamada@sample-cloud.example.jp", "r1@x.jp", 0);
	p2 = reply(f, "YAMADA@sample-cloud.example.jp", "r2@x.jp", 1);
	p3 = reply(f, "mallory@evil.example", "r3@evil.example", 1);
	assert_int_equal(tu_nintei(f->conf, NULL, NULL, NULL, "ingest", p1,
	    NULL), 0);
	assert_int_equal(tu_nintei(f->conf, NULL, NULL, NULL, "ingest", p2,
	    NULL), 0);
	assert_int_equal(tu_nintei(f->conf, NULL, NULL, NULL, "ingest", p3,
	    NULL), 0);
	arr = messages(f, &root);
	assert_int_equal(json_array_get_length(arr), 6);
	el = json_array_get_element(arr, 3);
	assert_string_equal(tu_json_str(el, "disposition"), "case");
	assert_string_equal(tu_json_str(el, "case"), "2026-0001");
	el = json_array_get_element(arr, 4);
	assert_string_equal(tu_json_str(el, "disposition"), "case");
	el = json_array_get_element(arr, 5);
	assert_string_equal(tu_json_str(el, "disposition"), "unmatched");
	assert_null(tu_json_str(el, "case"));
	json_node_unref(root);
	letters = outbox(f);
	assert_int_equal(letters->len, 2);
	g_ptr_array_free(letters, TRUE);
	g_free(p1);
	g_free(p2);
	g_free(p3);
}

/* A message nintei cannot record says so with exit 75 (EX_TEMPFAIL), so
 * that an MTA keeps it. */
static void
test_tempfail(void **state)
{
	struct fixture	*f = *state;
	char		*err;

	assert_int_equal(tu_nintei(f->conf, NULL, NULL, &err, "ingest",
	    "/nonexistent/mail", NULL), 75);
	assert_non_null(strstr(err, "try again later"));
	g_free(err);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_poll_acknowledges),
		cmocka_unit_test(test_duplicates),
		cmocka_unit_test(test_replies),
		cmocka_unit_test(test_tempfail),
	};

	g_mime_init();
	return cmocka_run_group_tests(tests, setup, teardown);
}
