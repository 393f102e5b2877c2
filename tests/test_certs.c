/* test_certs.c: certifications made before nintei imported (all or
 * nothing, every error by line), reminders four months and one month
 * before the last valid day, expiry after it. */

#include <string.h>

#include "testutil.h"

struct fixture {
	char	*dir;
	char	*conf;
};

static int
setup(void **state)
{
	struct fixture	*f = g_new0(struct fixture, 1);

	g_setenv("NINTEI_NOW", "2026-11-25T10:00:00", TRUE);
	f->dir = tu_tmpdir("certs");
	f->conf = tu_spool(f->dir, NULL);
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

static char *
write_csv(struct fixture *f, const char *name, const char *text)
{
	char	*path = g_build_filename(f->dir, name, NULL);

	tu_write(path, text, strlen(text));
	return path;
}

/* The certifications as JSON. */
static JsonArray *
certs(struct fixture *f, JsonNode **root)
{
	char	*out;

	assert_int_equal(tu_nintei(f->conf, NULL, &out, NULL, "certs",
	    "--json", NULL), 0);
	*root = tu_json(out);
	g_free(out);
	return json_node_get_array(*root);
}

/* A file with errors imports nothing and names every bad line. */
static void
test_import_errors(void **state)
{
	struct fixture	*f = *state;
	JsonNode	*root;
	char		*csv, *err;

	csv = write_csv(f, "bad.csv",
	    "認定番号,事業者名,サービス名称,認定日\n"
	    "医療 0001-1712,株式会社甲,甲サービス,2017-12-20\n"
	    "医療 12-1712,株式会社乙,乙サービス,2017-12-20\n"
	    "XX 0001-2001,株式会社丙,丙サービス,2020-01-10\n"
	    "IP 0002-2001,株式会社丁,丁サービス,来年\n");
	assert_int_equal(tu_nintei(f->conf, NULL, NULL, &err, "certs",
	    "import", csv, NULL), 65);
	assert_non_null(strstr(err, "bad.csv:3: "));
	assert_non_null(strstr(err, "bad.csv:4: "));
	assert_non_null(strstr(err, "bad.csv:5: "));
	assert_null(strstr(err, "bad.csv:2: "));
	assert_non_null(strstr(err, "nothing imported"));
	assert_int_equal(json_array_get_length(certs(f, &root)), 0);
	json_node_unref(root);
	g_free(err);
	g_free(csv);
}

/* A malformed contact address is refused by line: reminders go to it. */
static void
test_import_email(void **state)
{
	struct fixture	*f = *state;
	JsonNode	*root;
	char		*csv, *err;

	csv = write_csv(f, "mail.csv",
	    "認定番号,事業者名,サービス名称,認定日,担当者メールアドレス\n"
	    "医療 0001-1712,株式会社甲,甲サービス,2017-12-20,ko@example.jp\n"
	    "医療 0002-1712,株式会社乙,乙サービス,2017-12-20,otsu@@example\n"
	    "医療 0003-1712,株式会社丙,丙サービス,2017-12-20,hei example.jp\n"
	    "医療 0004-1712,株式会社丁,丁サービス,2017-12-20,\n");
	assert_int_equal(tu_nintei(f->conf, NULL, NULL, &err, "certs",
	    "import", csv, NULL), 65);
	tu_contains(err, "mail.csv:3: 担当者メールアドレス \"otsu@@example\" is "
	    "not an email address");
	tu_contains(err, "mail.csv:4: 担当者メールアドレス \"hei example.jp\"");
	assert_null(strstr(err, "mail.csv:2: "));
	assert_null(strstr(err, "mail.csv:5: "));
	assert_int_equal(json_array_get_length(certs(f, &root)), 0);
	json_node_unref(root);
	g_free(err);
	g_free(csv);
}

/* certs --csv: the published list for Excel on Japanese Windows: UTF-8
 * with a BOM, CRLF, the columns of --json, quoted where needed. */
static void
test_csv(void **state)
{
	struct fixture	*f = *state;
	char		*out;

	assert_int_equal(tu_nintei(f->conf, NULL, &out, NULL, "certs",
	    "--csv", NULL), 0);
	assert_memory_equal(out, "\xef\xbb\xbfnumber,scheme,company,service,"
	    "first_certified,certified,valid_until,state,case\r\n", 83);
	tu_contains(out, "\r\nDC 0001-2504,datacenter,株式会社倉庫,倉庫DC,"
	    "2025-04-01,2025-04-01,2027-03-31,valid,\r\n");
	tu_contains(out, "医療 0001-1712,medical,株式会社古い,古いカルテ,"
	    "2017-12-20,2017-12-20,2019-12-19,expired,\r\n");
	g_free(out);
}

/* Imported certifications: scheme from the identifier, validity two
 * years less a day, state from today; a second import updates. */
static void
test_import(void **state)
{
	struct fixture	*f = *state;
	JsonNode	*root, *el;
	JsonArray	*arr;
	char		*csv, *out;

	csv = write_csv(f, "old.csv",
	    "認定番号,制度,事業者名,サービス名称,認定日,担当者メールアドレス\n"
	    "医療 0001-1712,,株式会社古い,古いカルテ,平成29年12月20日,"
	    "old@example.jp\n"
	    "DC 0001-2504,データセンター,株式会社倉庫,倉庫DC,2025/4/1,"
	    "dc@example.jp\n"
	    "0256-2109,ASP・SaaS,株式会社エー,エーサービス,2025-09-01,"
	    "a@example.jp\n");
	assert_int_equal(tu_nintei(f->conf, NULL, &out, NULL, "certs",
	    "import", csv, NULL), 0);
	assert_string_equal(out, "imported 3 certification(s), updated 0\n");
	g_free(out);
	arr = certs(f, &root);
	assert_int_equal(json_array_get_length(arr), 3);
	el = json_array_get_element(arr, 0);
	assert_string_equal(tu_json_str(el, "number"), "0256-2109");
	assert_string_equal(tu_json_str(el, "scheme"), "asp-saas");
	assert_string_equal(tu_json_str(el, "valid_until"), "2027-08-31");
	assert_string_equal(tu_json_str(el, "state"), "valid");
	el = json_array_get_element(arr, 1);
	assert_string_equal(tu_json_str(el, "number"), "DC 0001-2504");
	assert_string_equal(tu_json_str(el, "scheme"), "datacenter");
	assert_string_equal(tu_json_str(el, "certified"), "2025-04-01");
	assert_string_equal(tu_json_str(el, "valid_until"), "2027-03-31");
	el = json_array_get_element(arr, 2);
	assert_string_equal(tu_json_str(el, "number"), "医療 0001-1712");
	assert_string_equal(tu_json_str(el, "scheme"), "medical");
	assert_string_equal(tu_json_str(el, "valid_until"), "2019-12-19");
	assert_string_equal(tu_json_str(el, "state"), "expired");
	json_node_unref(root);
	assert_int_equal(tu_nintei(f->conf, NULL, &out, NULL, "certs",
	    "import", csv, NULL), 0);
	assert_string_equal(out, "imported 0 certification(s), updated 3\n");
	g_free(out);
	g_free(csv);
}

/* Runs remind for real with the clock on a day (as cron would that day)
 * and returns what it printed. */
static char *
remind(struct fixture *f, const char *day)
{
	char	*out;

	g_setenv("NINTEI_NOW", day, TRUE);
	assert_int_equal(tu_nintei(f->conf, NULL, &out, NULL, "remind",
	    NULL), 0);
	g_setenv("NINTEI_NOW", "2026-11-25T10:00:00", TRUE);
	return out;
}

/* The SHA-256 of the store file and the outbox listing: what a preview
 * must leave as it found it. */
static char *
fingerprint(struct fixture *f)
{
	char		*db, *raw, *sum, *dir, *list, *fp;
	GPtrArray	*files;
	gsize		 len;

	db = g_build_filename(f->dir, "spool", "nintei.db", NULL);
	raw = tu_read(db, &len);
	sum = g_compute_checksum_for_data(G_CHECKSUM_SHA256,
	    (const guchar *)raw, len);
	dir = g_build_filename(f->dir, "outbox", "new", NULL);
	files = tu_list(dir);
	g_ptr_array_add(files, NULL);
	list = g_strjoinv("\n", (char **)files->pdata);
	fp = g_strdup_printf("%s\n%s", sum, list);
	g_ptr_array_free(files, TRUE);
	g_free(list);
	g_free(dir);
	g_free(sum);
	g_free(raw);
	g_free(db);
	return fp;
}

static int
letters(struct fixture *f)
{
	char	*dir = g_build_filename(f->dir, "outbox", "new", NULL);
	int	 n = (int)tu_count_files(dir);

	g_free(dir);
	return n;
}

/* The four-month reminder says the expiry is approaching (not
 * まもなく, four months ahead). */
static void
reminder_wording(struct fixture *f)
{
	char		*dir = g_build_filename(f->dir, "outbox", "new", NULL);
	GPtrArray	*l = tu_outbox(dir);
	const char	*t;
	guint		 i;
	int		 seen = 0;

	for (i = 0; i < l->len; i++) {
		t = g_ptr_array_index(l, i);
		if (strstr(t, "DC 0001-2504") == NULL)
			continue;
		seen++;
		assert_non_null(strstr(t, "有効期限が近づいております"));
		assert_null(strstr(t, "まもなく"));
	}
	assert_int_equal(seen, 1);
	g_ptr_array_free(l, TRUE);
	g_free(dir);
}

/* remind --today previews a day: it says what the day would do (a
 * reminder, an expiry) and changes nothing: the store is the same bytes,
 * no letter in the outbox, the certification still valid; --run-date
 * refuses a day after today. */
static void
test_remind_preview(void **state)
{
	struct fixture	*f = *state;
	JsonNode	*root;
	char		*before, *after, *out, *err;

	before = fingerprint(f);
	assert_int_equal(tu_nintei(f->conf, NULL, &out, NULL, "remind",
	    "--today", "2026-11-30", NULL), 0);
	tu_contains(out, "preview of 2026-11-30: nothing was sent or changed");
	tu_contains(out, "reminded  DC 0001-2504");
	tu_contains(out, "nintei remind --run-date 2026-11-30");
	g_free(out);
	assert_int_equal(tu_nintei(f->conf, NULL, &out, NULL, "remind",
	    "--today", "2027-04-01", NULL), 0);
	tu_contains(out, "expired   DC 0001-2504");
	g_free(out);
	assert_int_equal(tu_nintei(f->conf, NULL, &out, &err, "remind",
	    "--run-date", "2027-04-01", NULL), 64);
	tu_contains(err, "--run-date 2027-04-01 is after today (2026-11-25)");
	g_free(out);
	g_free(err);
	after = fingerprint(f);
	assert_string_equal(after, before);
	certs(f, &root);
	out = json_to_string(root, FALSE);
	tu_contains(out, "\"valid_until\":\"2027-03-31\",\"state\":\"valid\"");
	g_free(out);
	json_node_unref(root);
	g_free(before);
	g_free(after);
}

/* DC 0001-2504 is valid until 2027-03-31: reminded from 2026-11-30 once,
 * from 2027-02-28 once more, expired on 2027-04-01. */
static void
test_remind(void **state)
{
	struct fixture	*f = *state;
	JsonNode	*root;
	char		*out;
	int		 before = letters(f);

	out = remind(f, "2026-11-29");
	assert_null(strstr(out, "DC 0001-2504"));
	g_free(out);
	/* 2026-11-30 was missed (cron down): run it for real a day later. */
	g_setenv("NINTEI_NOW", "2026-12-01T09:00:00", TRUE);
	assert_int_equal(tu_nintei(f->conf, NULL, &out, NULL, "remind",
	    "--run-date", "2026-11-30", NULL), 0);
	g_setenv("NINTEI_NOW", "2026-11-25T10:00:00", TRUE);
	assert_non_null(strstr(out, "reminded  DC 0001-2504"));
	assert_non_null(strstr(out, "four months"));
	assert_null(strstr(out, "preview"));
	g_free(out);
	assert_int_equal(letters(f), before + 1);
	reminder_wording(f);
	out = remind(f, "2026-12-15");
	assert_null(strstr(out, "DC 0001-2504"));
	g_free(out);
	out = remind(f, "2027-02-28");
	assert_non_null(strstr(out, "reminded  DC 0001-2504"));
	assert_non_null(strstr(out, "one month"));
	g_free(out);
	out = remind(f, "2027-03-31");
	assert_null(strstr(out, "DC 0001-2504"));
	g_free(out);
	assert_int_equal(letters(f), before + 2);
	out = remind(f, "2027-04-01");
	assert_non_null(strstr(out, "expired   DC 0001-2504"));
	g_free(out);
	assert_int_equal(letters(f), before + 2);
	certs(f, &root);
	out = json_to_string(root, FALSE);
	assert_non_null(strstr(out, "\"valid_until\":\"2027-03-31\","
	    "\"state\":\"expired\""));
	g_free(out);
	json_node_unref(root);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_import_errors),
		cmocka_unit_test(test_import_email),
		cmocka_unit_test(test_import),
		cmocka_unit_test(test_csv),
		cmocka_unit_test(test_remind_preview),
		cmocka_unit_test(test_remind),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
