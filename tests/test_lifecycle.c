/* test_lifecycle.c: applications from mail to certification, end to end:
 * the samples of every scheme reach their state with exactly the expected
 * problems and amounts; a corrected reply moves a case on; payment,
 * approval and its number; a renewal keeps the number and extends the
 * validity; actions not allowed change nothing. */

#include <string.h>

#include <gmime/gmime.h>

#include "testutil.h"

struct fixture {
	char	*dir;
	char	*conf;
	char	*inbox;
};

static int
setup(void **state)
{
	struct fixture	*f = g_new0(struct fixture, 1);

	g_setenv("NINTEI_NOW", "2026-11-25T10:15:00", TRUE);
	f->dir = tu_tmpdir("lifecycle");
	f->conf = tu_spool(f->dir, "[fee]\nbank = 三井住友銀行 本店 普通 7654321\n");
	f->inbox = g_build_filename(f->dir, "inbox", "new", NULL);
	g_mkdir_with_parents(f->inbox, 0755);
	tu_run_mkforms("samples", f->inbox, NULL);
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
	g_free(f->inbox);
	g_free(f);
	return 0;
}

/* `nintei show CASE --json`; the caller unrefs. */
static JsonNode *
show(struct fixture *f, const char *id)
{
	JsonNode	*root;
	char		*out;

	assert_int_equal(tu_nintei(f->conf, NULL, &out, NULL, "show", id,
	    "--json", NULL), 0);
	root = tu_json(out);
	g_free(out);
	return root;
}

static JsonArray *
member_array(JsonNode *obj, const char *name)
{
	return json_object_get_array_member(json_node_get_object(obj), name);
}

/* The decoded text of the newest letter of a kind in a case. */
static char *
letter_text(struct fixture *f, const char *id, const char *kind)
{
	JsonNode	*root = show(f, id), *el;
	JsonArray	*letters = member_array(root, "letters");
	GPtrArray	*files;
	GMimeStream	*s;
	GMimeParser	*p;
	GMimeMessage	*m;
	GMimeObject	*part;
	char		*mid = NULL, *dir, *path, *raw, *text = NULL;
	gsize		 len;
	guint		 i;

	for (i = json_array_get_length(letters); i > 0 && mid == NULL; i--) {
		el = json_array_get_element(letters, i - 1);
		if (strcmp(tu_json_str(el, "kind"), kind) == 0)
			mid = g_strdup(tu_json_str(el, "message_id"));
	}
	json_node_unref(root);
	if (mid == NULL)
		fail_msg("case %s has no %s letter", id, kind);
	dir = g_build_filename(f->dir, "outbox", "new", NULL);
	files = tu_list(dir);
	for (i = 0; i < files->len && text == NULL; i++) {
		path = g_build_filename(dir, g_ptr_array_index(files, i),
		    NULL);
		raw = tu_read(path, &len);
		s = g_mime_stream_mem_new_with_buffer(raw, len);
		p = g_mime_parser_new_with_stream(s);
		m = g_mime_parser_construct_message(p, NULL);
		if (strcmp(g_mime_message_get_message_id(m), mid) == 0) {
			part = g_mime_message_get_mime_part(m);
			text = g_mime_text_part_get_text(GMIME_TEXT_PART(part));
		}
		g_object_unref(m);
		g_object_unref(p);
		g_object_unref(s);
		g_free(raw);
		g_free(path);
	}
	g_ptr_array_free(files, TRUE);
	g_free(dir);
	g_free(mid);
	if (text == NULL)
		fail_msg("the %s letter of %s is not in the outbox", kind, id);
	return text;
}

static void
assert_contains(const char *text, const char *what)
{
	if (strstr(text, what) == NULL)
		fail_msg("\"%s\" not in:\n%s", what, text);
}

/* Every sample in its state; deficient ones with exactly the four
 * problems mkforms wrote into them, complete ones with the fee. */
static void
test_samples(void **state)
{
	struct fixture	*f = *state;
	const char	*want[] = { "1", "2-8", "3-4", "6-3" };
	JsonNode	*root, *c, *p;
	JsonArray	*cases, *probs;
	char		*out, *text;
	const char	*id, *st;
	guint		 i, j, complete = 0, deficient = 0;

	assert_int_equal(tu_nintei(f->conf, NULL, &out, NULL, "cases",
	    "--json", NULL), 0);
	root = tu_json(out);
	g_free(out);
	cases = json_node_get_array(root);
	assert_int_equal(json_array_get_length(cases), 10);
	for (i = 0; i < 10; i++) {
		c = json_array_get_element(cases, i);
		id = tu_json_str(c, "id");
		st = tu_json_str(c, "state");
		p = show(f, id);
		probs = member_array(p, "problems");
		if (i % 2 == 0) {
			complete++;
			assert_string_equal(st, "awaiting_fee");
			assert_int_equal(json_array_get_length(probs), 0);
			text = letter_text(f, id, "fee");
			assert_contains(text, "審査手数料（新規・1サービス）  190,000円");
			assert_contains(text, "消費税（10%）                   19,000円");
			assert_contains(text, "合計                           209,000円");
			assert_contains(text, "お振込期限                     2026年12月25日");
			assert_contains(text, "三井住友銀行 本店 普通 7654321");
			g_free(text);
		} else {
			deficient++;
			assert_string_equal(st, "deficient");
			assert_int_equal(json_array_get_length(probs), 4);
			for (j = 0; j < 4; j++)
				assert_string_equal(tu_json_str(
				    json_array_get_element(probs, j), "item"),
				    want[j]);
			text = letter_text(f, id, "deficiency");
			assert_contains(text, "1. 項番 1「開示情報の年月日」");
			assert_contains(text, "日付として読み取れません（記入内容：来年4月頃）。");
			assert_contains(text, "100字以内で記入してください（現在 120字）");
			assert_contains(text, "4. 項番 6-3「プライバシーマークの登録番号」");
			g_free(text);
		}
		json_node_unref(p);
	}
	assert_int_equal(complete, 5);
	assert_int_equal(deficient, 5);
	/* The CP932 sample: names and values read right. */
	text = letter_text(f, "2026-0005", "ack");
	assert_contains(text, "      申請書.csv");
	assert_contains(text, "      情報開示書.csv");
	assert_contains(text, "制度        データセンター");
	g_free(text);
	json_node_unref(root);
}

/* Writes an application mail with mkforms and ingests it. */
static void
send_forms(struct fixture *f, const char *name, const char *from,
    const char *subject, const char *scheme, const char *kind,
    const char *quality, const char *cert)
{
	char	*path;

	if (subject != NULL)
		tu_run_mkforms("-f", from, "-s", subject, "one", f->dir, name,
		    scheme, kind, quality, "two", cert != NULL ? cert : "",
		    NULL);
	else
		tu_run_mkforms("-f", from, "one", f->dir, name, scheme, kind,
		    quality, "two", cert != NULL ? cert : "", NULL);
	path = g_build_filename(f->dir, name, NULL);
	assert_int_equal(tu_nintei(f->conf, NULL, NULL, NULL, "ingest", path,
	    NULL), 0);
	g_free(path);
}

static const char *
case_state(struct fixture *f, const char *id, char **number)
{
	static char	 st[64];
	JsonNode	*root = show(f, id);
	const char	*n;

	g_strlcpy(st, tu_json_str(root, "state"), sizeof st);
	if (number != NULL) {
		n = tu_json_str(root, "certification");
		*number = n != NULL ? g_strdup(n) : NULL;
	}
	json_node_unref(root);
	return st;
}

/* A corrected reply keeping the tag moves a deficient case on. */
static void
test_corrected_reply(void **state)
{
	struct fixture	*f = *state;
	JsonNode	*root;
	char		*text;

	assert_string_equal(case_state(f, "2026-0002", NULL), "deficient");
	send_forms(f, "fix.eml", "sato@mihon.example.jp",
	    "Re: [NINTEI-2026-0002] 申請書類の不備のご連絡", "asp-saas", "新規",
	    "complete", NULL);
	assert_string_equal(case_state(f, "2026-0002", NULL), "awaiting_fee");
	root = show(f, "2026-0002");
	assert_int_equal(json_array_get_length(member_array(root,
	    "problems")), 0);
	json_node_unref(root);
	text = letter_text(f, "2026-0002", "fee");
	assert_contains(text, "209,000円");
	g_free(text);
}

/* Payment, approval, the number and the letter; another scheme's
 * number has its identifier. */
static void
test_approve(void **state)
{
	struct fixture	*f = *state;
	char		*out, *err, *num, *text;

	/* Not allowed yet: nothing changes. */
	assert_int_equal(tu_nintei(f->conf, NULL, NULL, &err, "approve",
	    "2026-0001", NULL), 65);
	assert_contains(err, "needs under_review");
	g_free(err);
	assert_string_equal(case_state(f, "2026-0001", NULL), "awaiting_fee");
	assert_int_equal(tu_nintei(f->conf, NULL, &out, NULL, "paid",
	    "2026-0001", "--amount", "209000", "--by", "suzuki", NULL), 0);
	g_free(out);
	assert_string_equal(case_state(f, "2026-0001", NULL), "under_review");
	assert_int_equal(tu_nintei(f->conf, NULL, &out, NULL, "approve",
	    "2026-0001", "--by", "tanaka", NULL), 0);
	g_free(out);
	assert_string_equal(case_state(f, "2026-0001", &num), "approved");
	assert_string_equal(num, "0001-2611");
	g_free(num);
	text = letter_text(f, "2026-0001", "approval");
	assert_contains(text, "認定番号    0001-2611");
	assert_contains(text, "認定日      2026年11月25日");
	assert_contains(text, "有効期限    2028年11月24日");
	assert_contains(text, "認定マーク");
	g_free(text);
	/* Medical: the identifier leads the number. */
	assert_int_equal(tu_nintei(f->conf, NULL, NULL, NULL, "paid",
	    "2026-0007", NULL), 0);
	assert_int_equal(tu_nintei(f->conf, NULL, NULL, NULL, "approve",
	    "2026-0007", NULL), 0);
	assert_string_equal(case_state(f, "2026-0007", &num), "approved");
	assert_string_equal(num, "医療 0001-2611");
	g_free(num);
}

/* A renewal names the certification: the renewal fee; its approval
 * keeps the number and extends the validity from the last valid day. */
static void
test_renewal(void **state)
{
	struct fixture	*f = *state;
	JsonNode	*root, *el;
	JsonArray	*certs, *probs;
	char		*out, *text, *num;
	guint		 i;
	int		 found = 0;

	send_forms(f, "renew.eml", "yamada@sample-cloud.example.jp", NULL,
	    "asp-saas", "更新", "complete", "0001-2611");
	assert_string_equal(case_state(f, "2026-0011", &num), "awaiting_fee");
	assert_string_equal(num, "0001-2611");
	g_free(num);
	text = letter_text(f, "2026-0011", "fee");
	assert_contains(text, "審査手数料（更新・1サービス）   95,000円");
	assert_contains(text, "9,500円");
	assert_contains(text, "104,500円");
	g_free(text);
	assert_int_equal(tu_nintei(f->conf, NULL, NULL, NULL, "paid",
	    "2026-0011", NULL), 0);
	assert_int_equal(tu_nintei(f->conf, NULL, NULL, NULL, "approve",
	    "2026-0011", "--date", "2028-10-01", NULL), 0);
	assert_string_equal(case_state(f, "2026-0011", &num), "approved");
	assert_string_equal(num, "0001-2611");
	g_free(num);
	assert_int_equal(tu_nintei(f->conf, NULL, &out, NULL, "certs",
	    "--json", NULL), 0);
	root = tu_json(out);
	g_free(out);
	certs = json_node_get_array(root);
	assert_int_equal(json_array_get_length(certs), 2);
	for (i = 0; i < 2; i++) {
		el = json_array_get_element(certs, i);
		if (strcmp(tu_json_str(el, "number"), "0001-2611") != 0)
			continue;
		found = 1;
		assert_string_equal(tu_json_str(el, "certified"),
		    "2028-10-01");
		assert_string_equal(tu_json_str(el, "valid_until"),
		    "2030-11-24");
		assert_string_equal(tu_json_str(el, "state"), "valid");
	}
	assert_true(found);
	json_node_unref(root);

	/* A renewal of a number nobody certified: deficient, said why. */
	send_forms(f, "renew2.eml", "yamada@sample-cloud.example.jp", NULL,
	    "asp-saas", "更新", "complete", "0099-2001");
	assert_string_equal(case_state(f, "2026-0012", NULL), "deficient");
	root = show(f, "2026-0012");
	probs = member_array(root, "problems");
	assert_int_equal(json_array_get_length(probs), 1);
	assert_string_equal(tu_json_str(json_array_get_element(probs, 0),
	    "label"), "認定番号");
	assert_contains(tu_json_str(json_array_get_element(probs, 0),
	    "problem"), "登録されていません");
	json_node_unref(root);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_samples),
		cmocka_unit_test(test_corrected_reply),
		cmocka_unit_test(test_approve),
		cmocka_unit_test(test_renewal),
	};

	g_mime_init();
	return cmocka_run_group_tests(tests, setup, teardown);
}
