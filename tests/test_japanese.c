/* test_japanese.c: what staff see of Japanese mail, end to end: the three
 * subjects of issue 16 that came out wrong (raw EUC-JP read as CP932's
 * half-width kana, an ISO-2022-JP word folded inside its base64) and a
 * raw CP932 one, as `messages` prints them and as the dashboard shows
 * them.  The Japanese bytes are made with iconv here. */

#include <string.h>

#include "testutil.h"

/* The subjects, and the charset their raw bytes are written in (NULL:
 * the header is written as given). */
static const struct {
	const char	*subject;
	const char	*charset;
	const char	*raw;
} japanese_mails[] = {
	{ "テスト", "EUC-JP", NULL },
	{ "テストテスト", "EUC-JP", NULL },
	{ "テストメール", NULL,
	  "=?ISO-2022-JP?B?GyRCJUYlOSVI\r\n JWEhPCVrGyhC?=" },
	{ "表申能ソ ポ培", "CP932", NULL },
};

static void
test_staff_views(void **state)
{
	char		*dir, *conf, *file, *text, *subject, *out, *html;
	char		*page;
	gsize		 len;
	JsonNode	*root;
	JsonArray	*arr;
	size_t		 i;

	(void)state;
	g_setenv("NINTEI_NOW", "2026-11-25T10:15:00", TRUE);
	dir = tu_tmpdir("japanese");
	conf = tu_spool(dir, NULL);
	for (i = 0; i < G_N_ELEMENTS(japanese_mails); i++) {
		if (japanese_mails[i].charset != NULL) {
			subject = g_convert(japanese_mails[i].subject, -1,
			    japanese_mails[i].charset, "UTF-8", NULL, NULL,
			    NULL);
			assert_non_null(subject);
		} else
			subject = g_strdup(japanese_mails[i].raw);
		text = g_strdup_printf("From: a%zu@example.jp\r\n"
		    "To: nintei@example.org\r\nSubject: %s\r\n"
		    "Message-ID: <jp%zu@example.jp>\r\n\r\n"
		    "お問い合わせです。\r\n", i, subject, i);
		file = g_strdup_printf("%s/mail%zu.eml", dir, i);
		tu_write(file, text, strlen(text));
		assert_int_equal(tu_nintei(conf, NULL, NULL, NULL, "ingest",
		    file, NULL), 0);
		g_free(file);
		g_free(text);
		g_free(subject);
	}
	/* messages --json and the table. */
	assert_int_equal(tu_nintei(conf, NULL, &out, NULL, "messages",
	    "--json", NULL), 0);
	root = tu_json(out);
	arr = json_node_get_array(root);
	assert_int_equal(json_array_get_length(arr),
	    G_N_ELEMENTS(japanese_mails));
	for (i = 0; i < G_N_ELEMENTS(japanese_mails); i++)
		assert_string_equal(tu_json_str(json_array_get_element(arr, i),
		    "subject"), japanese_mails[i].subject);
	json_node_unref(root);
	g_free(out);
	assert_int_equal(tu_nintei(conf, NULL, &out, NULL, "messages", NULL),
	    0);
	for (i = 0; i < G_N_ELEMENTS(japanese_mails); i++)
		if (strstr(out, japanese_mails[i].subject) == NULL)
			fail_msg("messages: no %s in\n%s",
			    japanese_mails[i].subject, out);
	assert_null(strstr(out, "･ﾆ"));
	g_free(out);
	/* The dashboard's newest unmatched mail. */
	html = g_build_filename(dir, "index.html", NULL);
	assert_int_equal(tu_nintei(conf, NULL, NULL, NULL, "report", "--html",
	    html, NULL), 0);
	page = tu_read(html, &len);
	for (i = 0; i < G_N_ELEMENTS(japanese_mails); i++)
		if (strstr(page, japanese_mails[i].subject) == NULL)
			fail_msg("dashboard: no %s", japanese_mails[i].subject);
	assert_null(strstr(page, "=?ISO-2022-JP"));
	g_free(page);
	g_free(html);
	g_free(conf);
	tu_rm_rf(dir);
	g_free(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_staff_views),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
