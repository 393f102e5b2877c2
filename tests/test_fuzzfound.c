/* test_fuzzfound.c: every input the fuzzers found (tests/fuzz-found/NAME/,
 * one folder per harness) and a few seeds of each harness run through the
 * harness's own code, linked here without libFuzzer: what once crashed
 * must not crash again, in the plain and the sanitizer builds. */

#include <string.h>

#include "testutil.h"
#include "forms.h"
#include "fuzz.h"
#include "mail.h"
#include "wire.h"

struct harness {
	const char	*name;
	int		(*init)(int *, char ***);
	int		(*one)(const uint8_t *, size_t);
};

static const struct harness harnesses[] = {
	{ "mail", fuzz_mail_init, fuzz_mail_one },
	{ "zip", NULL, fuzz_zip_one },
	{ "xlsx", NULL, fuzz_xlsx_one },
	{ "csv", NULL, fuzz_csv_one },
	{ "value", NULL, fuzz_value_one },
	{ "rules", NULL, fuzz_rules_one },
	{ "template", fuzz_template_init, fuzz_template_one },
	{ "rfc2047", NULL, fuzz_rfc2047_one },
	{ "wire", fuzz_wire_init, fuzz_wire_one },
};

/* The samples of make run: mails, and the applications mkforms wrote. */
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

/*
 * Calls fn with the bytes of every file under dir (subfolders included,
 * licences excepted) whose name ends in suffix, or of every file if
 * suffix is NULL; returns how many.
 */
static unsigned int
each_file(const char *dir, const char *suffix, void (*fn)(const char *,
    const void *, size_t, void *), void *arg)
{
	GPtrArray	*files = tu_list(dir);
	const char	*name;
	char		*path, *data;
	gsize		 len;
	guint		 i, n = 0;

	for (i = 0; i < files->len; i++) {
		name = g_ptr_array_index(files, i);
		path = g_build_filename(dir, name, NULL);
		if (g_file_test(path, G_FILE_TEST_IS_DIR))
			n += each_file(path, suffix, fn, arg);
		else if (strcmp(name, "LICENSE") != 0 && (suffix == NULL ||
		    g_str_has_suffix(name, suffix))) {
			data = tu_read(path, &len);
			fn(name, data, len, arg);
			g_free(data);
			n++;
		}
		g_free(path);
	}
	g_ptr_array_free(files, TRUE);
	return n;
}

/* each_file's call to run the harness named arg. */
static void
run_file(const char *file, const void *data, size_t len, void *arg)
{
	(void)file;
	run(arg, data, len);
}

/* Runs every file under dir through the harness; returns how many. */
static unsigned int
run_dir(const char *name, const char *dir, const char *suffix)
{
	return each_file(dir, suffix, run_file, (void *)name);
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

/* each_file's call to unpack a message's forms for feed_form. */
static void
unpack_file(const char *file, const void *data, size_t len, void *arg)
{
	(void)file;
	fuzz_unpack(data, len, feed_form, arg);
}

/* Runs the forms of the sample applications through the harness of
 * that file type (".zip", ".xlsx", ".csv"). */
static void
run_sample_forms(const char *suffix)
{
	each_file(samples, ".eml", unpack_file, (void *)suffix);
}

static void
test_mail(void **state)
{
	char	*corpus, *dir;

	(void)state;
	run_found("mail");
	assert_true(run_dir("mail", samples, ".eml") > 0);
	corpus = tu_corpus();
	dir = g_build_filename(corpus, "mail", NULL);
	run_dir("mail", dir, NULL);
	g_free(dir);
	g_free(corpus);
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

/* The parent survives whatever a subverted child sends. */
static void
test_wire(void **state)
{
	static const struct {
		const char	*bytes;
		size_t		 len;
	} junk[] = { { "", 0 }, { "(", 1 }, { "\xff\xff\xff\xff", 4 },
	    { "subject\0s\0\0\x08", 12 }, { "NW1\0\1\0\0\0\xff\xff\xff\x7f",
	    12 }, { "NW1\0\0\0\0\0\1\0\0\0", 12 } };
	size_t	i;

	(void)state;
	run_found("wire");
	for (i = 0; i < G_N_ELEMENTS(junk); i++)
		run("wire", junk[i].bytes, junk[i].len);
}

/* The flat wire: what the child wrote comes back whole; a string that
 * is not UTF-8, a length past the end, a byte too many or too few are
 * refused by the parent, with the reason. */
static void
test_wire_flat(void **state)
{
	static const char	 text[] = "From: =?UTF-8?B?5bGx55Sw?= "
	    "<yamada@example.jp>\r\nSubject: =?UTF-8?B?55Sz6KuL?=\r\n"
	    "Message-ID: <w1@example.jp>\r\nReferences: <a@x> <b@x>\r\n"
	    "\r\n本文\r\n";
	struct mail_limits	 ml = MAIL_LIMITS_DEFAULT;
	struct mail		*m, *m2;
	struct forms		*f, *f2;
	struct form_file	*ff;
	GPtrArray		*ids, *ids2;
	GBytes			*b, *bad;
	GByteArray		*copy;
	const guint8		*data;
	char			*cause = NULL, *at;
	gsize			 len;

	(void)state;
	m = mail_parse_bytes(text, sizeof text - 1, &ml, &cause);
	assert_non_null(m);
	f = forms_new();
	ff = forms_list(f, "申請書.xlsx", 1234);
	ff->encrypted = 1;
	forms_problem(f, "申請書.xlsx", "暗号化されています");
	f->encrypted = 1;
	f->disclosure_title = g_strdup("情報開示書");
	ids = g_ptr_array_new_with_free_func(g_free);
	g_ptr_array_add(ids, g_strdup("nintei.1.2@example.org"));
	b = wire_encode(m, f, ids);
	assert_int_equal(wire_decode(b, &m2, &f2, &ids2, &cause), 0);
	assert_string_equal(m2->from, "yamada@example.jp");
	assert_string_equal(m2->subject, m->subject);
	assert_string_equal(m2->message_id, m->message_id);
	assert_int_equal(m2->references->len, 2);
	assert_string_equal(g_ptr_array_index(m2->references, 1), "b@x");
	assert_null(m2->reply_to);
	assert_string_equal(m2->text, m->text);
	assert_int_equal(f2->files->len, 1);
	ff = g_ptr_array_index(f2->files, 0);
	assert_string_equal(ff->name, "申請書.xlsx");
	assert_int_equal(ff->size, 1234);
	assert_true(ff->encrypted);
	assert_true(f2->encrypted);
	assert_string_equal(f2->disclosure_title, "情報開示書");
	assert_int_equal(f2->problems->len, 1);
	assert_int_equal(ids2->len, 1);
	assert_string_equal(g_ptr_array_index(ids2, 0),
	    "nintei.1.2@example.org");
	mail_free(m2);
	forms_free(f2);
	g_ptr_array_free(ids2, TRUE);

	data = g_bytes_get_data(b, &len);
	/* Not UTF-8: the subject's first byte made 0xff. */
	copy = g_byte_array_new();
	g_byte_array_append(copy, data, (guint)len);
	at = memmem(copy->data, copy->len, m->subject, strlen(m->subject));
	assert_non_null(at);
	*at = (char)0xff;
	bad = g_byte_array_free_to_bytes(copy);
	assert_int_equal(wire_decode(bad, &m2, &f2, &ids2, &cause), -1);
	assert_null(m2);
	tu_contains(cause, "壊れています");
	g_free(cause);
	cause = NULL;
	g_bytes_unref(bad);
	/* One byte short, one too many. */
	bad = g_bytes_new(data, len - 1);
	assert_int_equal(wire_decode(bad, &m2, &f2, &ids2, &cause), -1);
	g_free(cause);
	cause = NULL;
	g_bytes_unref(bad);
	copy = g_byte_array_new();
	g_byte_array_append(copy, data, (guint)len);
	g_byte_array_append(copy, (const guint8 *)"x", 1);
	bad = g_byte_array_free_to_bytes(copy);
	assert_int_equal(wire_decode(bad, &m2, &f2, &ids2, &cause), -1);
	g_free(cause);
	cause = NULL;
	g_bytes_unref(bad);
	/* A length past the end: the from's length made huge. */
	copy = g_byte_array_new();
	g_byte_array_append(copy, data, (guint)len);
	memset(copy->data + 8, 0x7f, 4);
	bad = g_byte_array_free_to_bytes(copy);
	assert_int_equal(wire_decode(bad, &m2, &f2, &ids2, &cause), -1);
	g_free(cause);
	g_bytes_unref(bad);

	g_bytes_unref(b);
	g_ptr_array_free(ids, TRUE);
	forms_free(f);
	mail_free(m);
}

static int
setup(void **state)
{
	size_t	i;

	(void)state;
	for (i = 0; i < G_N_ELEMENTS(harnesses); i++) {
		if (harnesses[i].init != NULL)
			harnesses[i].init(NULL, NULL);
	}
	samples = g_build_filename(tu_top(), "contrib", "samples", NULL);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
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
		cmocka_unit_test(test_wire),
		cmocka_unit_test(test_wire_flat),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
