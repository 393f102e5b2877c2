/* test_corpus.c: every message of ../shared/corpus/mail (mail nobody here
 * wrote) is ingested: each exits 0, each is recorded once with a
 * disposition and a reason, and no delivery report or other automatic
 * mail gets a letter.  One test per file. */

#include <stdio.h>
#include <string.h>

#include "testutil.h"

static char	*corpus_dir;
static char	*corpus_conf;
static GPtrArray *corpus_files;

/* Collects the regular files under dir, LICENSE files excepted. */
static void
collect(const char *dir, GPtrArray *out)
{
	GDir		*d = g_dir_open(dir, 0, NULL);
	const char	*name;
	char		*p;

	if (d == NULL)
		return;
	while ((name = g_dir_read_name(d)) != NULL) {
		p = g_build_filename(dir, name, NULL);
		if (g_file_test(p, G_FILE_TEST_IS_DIR))
			collect(p, out);
		else if (strcmp(name, "LICENSE") != 0)
			g_ptr_array_add(out, g_strdup(p));
		g_free(p);
	}
	g_dir_close(d);
}

static void
test_ingest(void **state)
{
	const char	*file = *state;
	char		*err = NULL;
	int		 r;

	r = tu_nintei(corpus_conf, NULL, NULL, &err, "ingest", file, NULL);
	if (r != 0)
		fail_msg("%s: exit %d: %s", file, r, err);
	g_free(err);
}

/* What a message of the corpus must end as, by its file name. */
static const char *
expected(const char *file)
{
	static const char *reports[] = { "multipart_report_emails/",
	    "delivery-status", "disposition-notification", "bounce.txt",
	    "feedback-report", NULL };
	size_t	i;

	for (i = 0; reports[i] != NULL; i++) {
		if (strstr(file, reports[i]) != NULL)
			return "ignored";
	}
	return NULL;
}

/* The Japanese subjects of the corpus as a Japanese mail program shows
 * them (ISO-2022-JP words folded over lines, CP932-only characters). */
static const struct {
	const char	*file;
	const char	*subject;
} japanese[] = {
	{ "rfc2822/example14.eml", "Re: TEST テストテスト" },
	{ "mimekit/japanese.txt", "日本語メールテスト (testing Japanese emails)" },
	{ "multi_charset/japanese.eml", "まみむめも" },
	{ "multi_charset/japanese_iso_2022.eml", "まみむめも" },
	{ "multi_charset/japanese_attachment_long_name.eml",
	  "まみむめもまみむめもまみむめもまみむめもまみむめもまみむめも"
	  "まみむめもまみむめもまみむめもまみむめも" },
	{ NULL, NULL }
};

/* What the staff see of each Japanese message: its subject decoded. */
static void
check_japanese(JsonArray *arr)
{
	JsonNode	*el;
	const char	*origin, *subject;
	guint		 i, j, seen = 0;

	for (j = 0; japanese[j].file != NULL; j++) {
		for (i = 0; i < json_array_get_length(arr); i++) {
			el = json_array_get_element(arr, i);
			origin = tu_json_str(el, "origin");
			if (origin == NULL ||
			    !g_str_has_suffix(origin, japanese[j].file))
				continue;
			subject = tu_json_str(el, "subject");
			if (subject == NULL ||
			    strcmp(subject, japanese[j].subject) != 0)
				fail_msg("%s: subject \"%s\", want \"%s\"",
				    japanese[j].file, subject != NULL ?
				    subject : "", japanese[j].subject);
			seen++;
			break;
		}
	}
	assert_int_equal(seen, j);
}

/* After all: one record per distinct message, each with a disposition;
 * reports ignored; letters only for cases. */
static void
test_recorded(void **state)
{
	GHashTable	*distinct;
	JsonNode	*root, *el;
	JsonArray	*arr;
	GPtrArray	*letters;
	char		*out, *text, *dir, *h;
	const char	*disp, *origin, *want;
	gsize		 len;
	guint		 i, n, cases = 0;

	(void)state;
	distinct = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
	    NULL);
	for (i = 0; i < corpus_files->len; i++) {
		text = tu_read(g_ptr_array_index(corpus_files, i), &len);
		h = g_compute_checksum_for_data(G_CHECKSUM_SHA256,
		    (const guchar *)text, len);
		g_hash_table_add(distinct, h);
		g_free(text);
	}
	assert_int_equal(tu_nintei(corpus_conf, NULL, &out, NULL, "messages",
	    "--json", NULL), 0);
	root = tu_json(out);
	arr = json_node_get_array(root);
	n = json_array_get_length(arr);
	assert_int_equal(n, g_hash_table_size(distinct));
	for (i = 0; i < n; i++) {
		el = json_array_get_element(arr, i);
		disp = tu_json_str(el, "disposition");
		assert_non_null(disp);
		assert_true(strcmp(disp, "case") == 0 ||
		    strcmp(disp, "unmatched") == 0 ||
		    strcmp(disp, "ignored") == 0 ||
		    strcmp(disp, "quarantined") == 0);
		assert_non_null(tu_json_str(el, "reason"));
		origin = tu_json_str(el, "origin");
		want = expected(origin);
		if (want != NULL && strcmp(want, disp) != 0)
			fail_msg("%s: %s (%s), want %s", origin, disp,
			    tu_json_str(el, "reason"), want);
		if (strcmp(disp, "case") == 0)
			cases++;
	}
	check_japanese(arr);
	/* Letters: at most one acknowledgement per case opened. */
	dir = g_build_filename(corpus_dir, "outbox", "new", NULL);
	letters = tu_list(dir);
	assert_true(letters->len <= cases);
	g_ptr_array_free(letters, TRUE);
	g_free(dir);
	g_hash_table_destroy(distinct);
	json_node_unref(root);
	g_free(out);
}

int
main(void)
{
	struct CMUnitTest	*tests;
	char			*corpus, *mail;
	guint			 i;
	int			 r;

	corpus = tu_corpus();
	mail = g_build_filename(corpus, "mail", NULL);
	corpus_files = g_ptr_array_new_with_free_func(g_free);
	collect(mail, corpus_files);
	if (corpus_files->len == 0) {
		fprintf(stderr, "no corpus at %s\n", mail);
		return 1;
	}
	corpus_dir = tu_tmpdir("corpus");
	corpus_conf = tu_spool(corpus_dir, NULL);
	tests = g_new0(struct CMUnitTest, corpus_files->len + 1);
	for (i = 0; i < corpus_files->len; i++) {
		tests[i].name = (char *)g_ptr_array_index(corpus_files, i) +
		    strlen(mail) + 1;
		tests[i].test_func = test_ingest;
		tests[i].initial_state = g_ptr_array_index(corpus_files, i);
	}
	tests[i].name = "all recorded, reports ignored";
	tests[i].test_func = test_recorded;
	r = _cmocka_run_group_tests("corpus", tests, corpus_files->len + 1,
	    NULL, NULL);
	tu_rm_rf(corpus_dir);
	g_free(tests);
	g_free(mail);
	g_free(corpus);
	return r;
}
