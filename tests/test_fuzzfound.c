/* test_fuzzfound.c: every input the fuzzers found (tests/fuzz-found/NAME/,
 * one folder per harness) and a few seeds of each harness run through the
 * harness's own code, linked here without libFuzzer: what once crashed
 * must not crash again, in the plain and the sanitizer builds. */

#include <string.h>

#include "testutil.h"
#include "fuzz.h"

struct harness {
	const char	*name;
	int		(*init)(int *, char ***);
	int		(*one)(const uint8_t *, size_t);
};

static const struct harness harnesses[] = {
	{ "mail", fuzz_mail_init, fuzz_mail_one },
	{ "zip", fuzz_zip_init, fuzz_zip_one },
	{ "xlsx", fuzz_xlsx_init, fuzz_xlsx_one },
	{ "csv", fuzz_csv_init, fuzz_csv_one },
	{ "value", fuzz_value_init, fuzz_value_one },
	{ "rules", fuzz_rules_init, fuzz_rules_one },
	{ "template", fuzz_template_init, fuzz_template_one },
	{ "rfc2047", fuzz_rfc2047_init, fuzz_rfc2047_one },
};

/* The sample applications of mkforms, written once for all tests. */
static char	*samples;

static const struct harness *
harness(const char *name)
{
	size_t	i;

	for (i = 0; i < G_N_ELEMENTS(harnesses); i++) {
		if (strcmp(harnesses[i].name, name) == 0)
			return &harnesses[i];
	}
	fail_msg("no harness %s", name);
	return NULL;
}

static void
run(const char *name, const void *data, size_t len)
{
	harness(name)->one(data, len);
}

/* Runs every file of dir through the harness; returns how many. */
static unsigned int
run_dir(const char *name, const char *dir, const char *suffix)
{
	GPtrArray	*files = tu_list(dir);
	char		*path, *data;
	gsize		 len;
	guint		 i, n = 0;

	for (i = 0; i < files->len; i++) {
		if (suffix != NULL &&
		    !g_str_has_suffix(g_ptr_array_index(files, i), suffix))
			continue;
		path = g_build_filename(dir, g_ptr_array_index(files, i),
		    NULL);
		if (g_file_test(path, G_FILE_TEST_IS_REGULAR)) {
			data = tu_read(path, &len);
			run(name, data, len);
			g_free(data);
			n++;
		}
		g_free(path);
	}
	g_ptr_array_free(files, TRUE);
	return n;
}

/* The inputs found by the fuzzer for this harness. */
static unsigned int
run_found(const char *name)
{
	char		*dir;
	unsigned int	 n;

	dir = g_build_filename(tu_top(), "tests", "fuzz-found", name, NULL);
	n = run_dir(name, dir, NULL);
	g_free(dir);
	return n;
}

/* Feeds a ZIP, XLSX or CSV file of a sample to its harness. */
static void
feed_form(const char *name, const void *data, size_t len, void *arg)
{
	const char	*want = arg;
	char		*low = g_ascii_strdown(name, -1);
	GByteArray	*parts;

	if (g_str_has_suffix(low, want)) {
		run(want + 1, data, len);
		if (strcmp(want, ".xlsx") == 0 &&
		    (parts = fuzz_xlsx_parts(data, len)) != NULL) {
			run("xlsx", parts->data, parts->len);
			g_byte_array_free(parts, TRUE);
		}
	}
	g_free(low);
}

/* Runs the forms of the sample applications through the harness of
 * that file type (".zip", ".xlsx", ".csv"). */
static void
run_sample_forms(const char *suffix)
{
	GPtrArray	*files = tu_list(samples);
	char		*path, *data;
	gsize		 len;
	guint		 i;

	for (i = 0; i < files->len; i++) {
		path = g_build_filename(samples, g_ptr_array_index(files, i),
		    NULL);
		data = tu_read(path, &len);
		fuzz_unpack(data, len, feed_form, (void *)suffix);
		g_free(data);
		g_free(path);
	}
	g_ptr_array_free(files, TRUE);
}

static void
test_mail(void **state)
{
	char	*dir;

	(void)state;
	run_found("mail");
	dir = g_build_filename(tu_top(), "contrib", "samples", NULL);
	assert_true(run_dir("mail", dir, ".eml") > 0);
	g_free(dir);
	assert_true(run_dir("mail", samples, ".eml") > 0);
}

static void
test_zip(void **state)
{
	char	*corpus, *dir;

	(void)state;
	run_found("zip");
	run_sample_forms(".zip");
	corpus = tu_corpus();
	dir = g_build_filename(corpus, "zip", "libzip", NULL);
	run_dir("zip", dir, ".zip");
	g_free(dir);
	g_free(corpus);
}

static void
test_xlsx(void **state)
{
	(void)state;
	run_found("xlsx");
	run_sample_forms(".xlsx");
}

static void
test_csv(void **state)
{
	static const char *csv[] = { "", "a,b\r\n\"c\"\"d\",e\r\n",
	    "\xef\xbb\xbf項番,記入欄\n1,2024-04-15\n",
	    "\x8d\x80\x94\xd4,\x8bL\x93\xfc\x97\x93\r\n", "\"open", NULL };
	size_t	i;

	(void)state;
	run_found("csv");
	run_sample_forms(".csv");
	for (i = 0; csv[i] != NULL; i++)
		run("csv", csv[i], strlen(csv[i]));
}

static void
test_value(void **state)
{
	static const char *values[] = { "2024-04-15", "令和6年4月15日",
	    "R6.4.15", "1947年", "１２０名", "1億2,000万円", "99.9%",
	    "0.999", "有", "なし", "https://www.example.jp/",
	    "info@example.jp", "〒123-4567", "03-1234-5678", " \u3000",
	    "\xff\xfe", NULL };
	GString	*in = g_string_new(NULL);
	size_t	 i;
	int	 spec, cell;

	(void)state;
	run_found("value");
	for (spec = 0; fuzz_value_specs[spec] != NULL; spec++) {
		for (i = 0; values[i] != NULL; i++) {
			for (cell = 0; cell < 3; cell++) {
				g_string_truncate(in, 0);
				g_string_append_c(in, (char)spec);
				g_string_append_c(in, (char)cell);
				g_string_append(in, values[i]);
				run("value", in->str, in->len);
			}
		}
	}
	g_string_free(in, TRUE);
}

/* The rules folder, each file alone and all of them as one input. */
static void
test_rules(void **state)
{
	GPtrArray	*files;
	GString		*all = g_string_new(NULL), *one = g_string_new(NULL);
	char		*dir, *path, *text;
	const char	*name;
	gsize		 len;
	guint		 i;

	(void)state;
	run_found("rules");
	dir = g_build_filename(tu_top(), "rules", NULL);
	files = tu_list(dir);
	for (i = 0; i < files->len; i++) {
		name = g_ptr_array_index(files, i);
		if (!g_str_has_suffix(name, ".tsv"))
			continue;
		path = g_build_filename(dir, name, NULL);
		text = tu_read(path, &len);
		g_string_printf(one, "%s\n", name);
		g_string_append_len(one, text, (gssize)len);
		run("rules", one->str, one->len);
		g_string_append_len(all, one->str, (gssize)one->len);
		g_string_append_c(all, '\0');
		g_free(text);
		g_free(path);
	}
	run("rules", all->str, all->len);
	g_ptr_array_free(files, TRUE);
	g_string_free(one, TRUE);
	g_string_free(all, TRUE);
	g_free(dir);
}

static void
test_template(void **state)
{
	char	*dir;

	(void)state;
	run_found("template");
	dir = g_build_filename(tu_top(), "templates", NULL);
	assert_true(run_dir("template", dir, ".txt") > 0);
	g_free(dir);
}

static void
test_rfc2047(void **state)
{
	static const char *headers[] = {
	    "\011=?UTF-8?B?44GCYQ==?= =?UTF-8?B?44Gu5Lu25ZCN?=",
	    "\011=?ISO-2022-JP?B?GyRCPz1AQTpuGyhC?=",
	    "\011Re: [NINTEI-2026-0001] 申請書類の送付について",
	    "\001=?utf-8?q?caf=C3=A9?= and =?bogus?x?y?=", NULL };
	size_t	i;

	(void)state;
	run_found("rfc2047");
	for (i = 0; headers[i] != NULL; i++)
		run("rfc2047", headers[i], strlen(headers[i]));
}

static int
setup(void **state)
{
	size_t	i;

	(void)state;
	for (i = 0; i < G_N_ELEMENTS(harnesses); i++)
		harnesses[i].init(NULL, NULL);
	samples = tu_tmpdir("fuzzfound");
	tu_run_mkforms("samples", samples, NULL);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	tu_rm_rf(samples);
	g_free(samples);
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mail),
		cmocka_unit_test(test_zip),
		cmocka_unit_test(test_xlsx),
		cmocka_unit_test(test_csv),
		cmocka_unit_test(test_value),
		cmocka_unit_test(test_rules),
		cmocka_unit_test(test_template),
		cmocka_unit_test(test_rfc2047),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
