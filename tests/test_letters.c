/* test_letters.c: the letters as staff and applicants meet them, end to
 * end: one table of the letters checked by `rules check`, every kind
 * through one path, a template error at run time kept as a failed letter
 * and sent once fixed, letters over the daily cap held and sent later,
 * and letters staff write and send again. */

#include <string.h>

#include <gmime/gmime.h>

#include "testutil.h"
#include "letterkind.h"
#include "template.h"

struct fixture {
	char	*dir;
	char	*conf;
	char	*tmpl;		/* the spool's own copy of the templates */
	char	*inbox;
	int	 n;
};

/* Copies the files of folder from into to (one level, and one below). */
static void
copy_tree(const char *from, const char *to)
{
	GPtrArray	*names = tu_list(from);
	char		*src, *dst, *text;
	gsize		 len;
	guint		 i;

	g_mkdir_with_parents(to, 0755);
	for (i = 0; i < names->len; i++) {
		src = g_build_filename(from, g_ptr_array_index(names, i), NULL);
		dst = g_build_filename(to, g_ptr_array_index(names, i), NULL);
		if (g_file_test(src, G_FILE_TEST_IS_DIR))
			copy_tree(src, dst);
		else {
			text = tu_read(src, &len);
			tu_write(dst, text, len);
			g_free(text);
		}
		g_free(src);
		g_free(dst);
	}
	g_ptr_array_free(names, TRUE);
}

static int
setup(void **state)
{
	struct fixture	*f = g_new0(struct fixture, 1);
	char		*text, *rules, *top;

	g_setenv("NINTEI_NOW", "2026-11-25T10:15:00", TRUE);
	f->dir = tu_tmpdir("letters");
	f->tmpl = g_build_filename(f->dir, "templates", NULL);
	top = g_build_filename(tu_top(), "templates", NULL);
	copy_tree(top, f->tmpl);
	g_free(top);
	rules = g_build_filename(tu_top(), "rules", NULL);
	text = g_strdup_printf(
	    "[secretariat]\n"
	    "address = nintei@example.org\n"
	    "name = クラウドサービス情報開示認定事務局\n"
	    "[source]\nurl = maildir:inbox\n"
	    "[transport]\nurl = maildir:outbox\n"
	    "[store]\npath = spool\n"
	    "[letters]\ntemplates = templates\n"
	    "[rules]\npath = %s\n"
	    "[fee]\nbank = 三井住友銀行 本店 普通 7654321\n", rules);
	f->conf = g_build_filename(f->dir, "nintei.conf", NULL);
	tu_write(f->conf, text, strlen(text));
	g_free(text);
	g_free(rules);
	f->inbox = g_build_filename(f->dir, "inbox", "new", NULL);
	g_mkdir_with_parents(f->inbox, 0755);
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
	g_free(f->tmpl);
	g_free(f->inbox);
	g_free(f);
	return 0;
}

/* Replaces the first from in a template of the spool by to. */
static void
edit_template(struct fixture *f, const char *name, const char *from,
    const char *to)
{
	char	*path = g_build_filename(f->tmpl, name, NULL);
	char	*text, *at, *out;
	gsize	 len;

	text = tu_read(path, &len);
	at = strstr(text, from);
	assert_non_null(at);
	*at = '\0';
	out = g_strdup_printf("%s%s%s", text, to, at + strlen(from));
	tu_write(path, out, strlen(out));
	g_free(out);
	g_free(text);
	g_free(path);
}

/* `rules check` names the file and line of a value no letter provides,
 * in the templates and in a scheme's own version of one. */
static void
test_rules_check_values(void **state)
{
	struct fixture	*f = *state;
	char		*out, *dir, *path;

	assert_int_equal(tu_nintei(f->conf, NULL, &out, NULL, "rules",
	    "check", NULL), 0);
	tu_contains(out, "no errors");
	g_free(out);

	edit_template(f, "fee.txt", "{company}\n{/company}",
	    "{compnay}\n{/company}");
	dir = g_build_filename(f->tmpl, "medical", NULL);
	g_mkdir_with_parents(dir, 0755);
	path = g_build_filename(dir, "approval.txt", NULL);
	tu_write(path, "件名: 認定\n\n{#files}{name}{/files}\n{number}\n"
	    "{reason}\n", strlen("件名: 認定\n\n{#files}{name}{/files}\n"
	    "{number}\n{reason}\n"));
	assert_int_equal(tu_nintei(f->conf, NULL, &out, NULL, "rules",
	    "check", NULL), 1);
	tu_contains(out, "templates/fee.txt:4: unknown value {compnay}");
	tu_contains(out, "templates/medical/approval.txt:3: unknown value "
	    "{files}");
	tu_contains(out, "templates/medical/approval.txt:3: unknown value "
	    "{name}");
	tu_contains(out, "templates/medical/approval.txt:5: unknown value "
	    "{reason}");
	assert_null(strstr(out, "{number}"));
	assert_null(strstr(out, "no errors"));
	g_free(out);
	g_free(path);
	g_free(dir);
}

/* Every letter of the table has its template, and each template checks
 * clean against its letter's values; a list's values are known only
 * inside it. */
static void
test_table(void **state)
{
	const struct letterkind	*k;
	struct tvars		*known;
	GPtrArray		*errors;
	char			*path, *text;
	gsize			 len;
	size_t			 i;

	(void)state;
	for (i = 0; (k = letterkind_nth(i)) != NULL; i++) {
		path = g_strdup_printf("%s/templates/%s.txt", tu_top(),
		    k->template);
		text = tu_read(path, &len);
		known = letterkind_values(k);
		errors = g_ptr_array_new_with_free_func(g_free);
		if (template_lint(text, known, errors) != 0)
			fail_msg("%s: %s", path,
			    (char *)g_ptr_array_index(errors, 0));
		g_ptr_array_free(errors, TRUE);
		tvars_free(known);
		g_free(text);
		g_free(path);
		assert_ptr_equal(letterkind_find(k->kind), k);
	}
	k = letterkind_find("ack");
	known = letterkind_values(k);
	errors = g_ptr_array_new_with_free_func(g_free);
	assert_int_equal(template_lint("件名: x\n\n{name}\n{#files}{name}"
	    "{#members}{size}{case}{/members}{/files}\n", known, errors), 1);
	assert_string_equal(g_ptr_array_index(errors, 0),
	    "line 3: unknown value {name}");
	g_ptr_array_free(errors, TRUE);
	tvars_free(known);
	assert_string_equal(letterkind_label("deficiency"), "不備のご連絡");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_rules_check_values, setup,
		    teardown),
		cmocka_unit_test(test_table),
	};

	g_mime_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
