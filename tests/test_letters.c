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

/* Writes an application mail from sender for company into the inbox
 * (mkforms), made distinct by its number. */
static void
application(struct fixture *f, const char *sender, const char *company)
{
	char	*name, *path, *raw, *text;
	gsize	 len;

	name = g_strdup_printf("app%02d.eml", ++f->n);
	tu_run_mkforms("-f", sender, "-C", company, "one", f->dir, name,
	    "asp-saas", "新規", "complete", "one", NULL);
	path = g_build_filename(f->dir, name, NULL);
	raw = tu_read(path, &len);
	text = g_strdup_printf("X-Test: %d\r\n%s", f->n, raw);
	g_free(path);
	path = g_build_filename(f->inbox, name, NULL);
	tu_write(path, text, strlen(text));
	g_free(path);
	g_free(text);
	g_free(raw);
	g_free(name);
}

/* The letters in a state, through `nintei letters --state S --json`. */
static int
letters_in(struct fixture *f, const char *state)
{
	JsonNode	*root;
	char		*out;
	int		 n;

	assert_int_equal(tu_nintei(f->conf, NULL, &out, NULL, "letters",
	    "--state", state, "--json", NULL), 0);
	root = tu_json(out);
	n = (int)json_array_get_length(json_node_get_array(root));
	json_node_unref(root);
	g_free(out);
	return n;
}

/* The files in the outbox: letters delivered. */
static int
outbox(struct fixture *f)
{
	char	*dir = g_build_filename(f->dir, "outbox", "new", NULL);
	int	 n = (int)tu_count_files(dir);

	g_free(dir);
	return n;
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

/*
 * A template error met at run time: the message is recorded with its
 * case, the letter kept as failed with file:line, the poll exits 78 and
 * says so on stderr; once the template is fixed, `nintei send` writes
 * and sends it.
 */
static void
test_template_error_at_run_time(void **state)
{
	struct fixture	*f = *state;
	JsonNode	*root, *l;
	JsonArray	*arr;
	char		*out, *err, *html;
	guint		 i;
	int		 found = 0;

	edit_template(f, "fee.txt", "{company}\n{/company}",
	    "{compnay}\n{/company}");
	application(f, "yamada@sample-cloud.example.jp",
	    "株式会社サンプルクラウド");
	assert_int_equal(tu_nintei(f->conf, NULL, NULL, &err, "poll", NULL),
	    78);
	tu_contains(err, "templates/fee.txt:4: unknown value {compnay}");
	g_free(err);
	assert_int_equal(tu_nintei(f->conf, NULL, &out, NULL, "messages",
	    "--json", NULL), 0);
	tu_contains(out, "\"disposition\" : \"case\"");
	g_free(out);

	assert_int_equal(tu_nintei(f->conf, NULL, &out, NULL, "show",
	    "2026-0001", "--json", NULL), 0);
	root = tu_json(out);
	g_free(out);
	tu_contains(tu_json_str(root, "state"), "awaiting_fee");
	arr = json_object_get_array_member(json_node_get_object(root),
	    "letters");
	for (i = 0; i < json_array_get_length(arr); i++) {
		l = json_array_get_element(arr, i);
		if (strcmp(tu_json_str(l, "kind"), "fee") != 0)
			continue;
		found++;
		assert_string_equal(tu_json_str(l, "state"), "failed");
		tu_contains(tu_json_str(l, "error"),
		    "templates/fee.txt:4: unknown value {compnay}");
	}
	assert_int_equal(found, 1);
	json_node_unref(root);
	assert_int_equal(tu_nintei(f->conf, NULL, &out, NULL, "cases", NULL),
	    0);
	tu_contains(out, "1 failed");
	g_free(out);
	assert_int_equal(outbox(f), 1);		/* the acknowledgement */
	html = g_build_filename(f->dir, "report.html", NULL);
	assert_int_equal(tu_nintei(f->conf, NULL, NULL, NULL, "report",
	    "--html", html, NULL), 0);
	out = tu_read(html, NULL);
	tu_contains(out, "送信失敗");
	tu_contains(out, "fee.txt:4: unknown value {compnay}");
	assert_null(strstr(out, "すべての文書が送達済みです"));
	g_free(out);
	g_free(html);

	/* Still broken: the next run says so again. */
	assert_int_equal(tu_nintei(f->conf, NULL, NULL, NULL, "send", NULL),
	    78);
	edit_template(f, "fee.txt", "{compnay}", "{company}");
	assert_int_equal(tu_nintei(f->conf, NULL, NULL, NULL, "send", NULL),
	    0);
	assert_int_equal(letters_in(f, "failed"), 0);
	assert_int_equal(letters_in(f, "sent"), 2);
	assert_int_equal(outbox(f), 2);
	assert_int_equal(tu_nintei(f->conf, NULL, &out, NULL, "show",
	    "2026-0001", NULL), 0);
	tu_contains(out, "審査手数料のご請求（サンプル勤怠クラウド）");
	g_free(out);
}

/*
 * Twelve applications from one contact in a day ask for 24 letters: 10
 * go (the daily cap), 14 are held, seen in show, cases, letters and the
 * dashboard; they go as the 24-hour window allows (10 the next day, 4 the
 * day after), none lost; staff may release one at once or cancel one.
 */
static void
test_cap_holds(void **state)
{
	struct fixture	*f = *state;
	JsonNode	*root;
	char		*out, *svc, *html, *id;
	int		 i;

	for (i = 0; i < 12; i++) {
		svc = g_strdup_printf("株式会社サンプル%d", i + 1);
		application(f, "busy@sample-cloud.example.jp", svc);
		g_free(svc);
	}
	assert_int_equal(tu_nintei(f->conf, NULL, NULL, NULL, "poll", NULL),
	    0);
	assert_int_equal(letters_in(f, "sent"), 10);
	assert_int_equal(letters_in(f, "held"), 14);
	assert_int_equal(outbox(f), 10);
	assert_int_equal(tu_nintei(f->conf, NULL, &out, NULL, "cases", NULL),
	    0);
	tu_contains(out, "14 held");
	g_free(out);
	assert_int_equal(tu_nintei(f->conf, NULL, &out, NULL, "show",
	    "2026-0012", NULL), 0);
	tu_contains(out, "held");
	tu_contains(out, "上限 10 通");
	g_free(out);
	html = g_build_filename(f->dir, "report.html", NULL);
	assert_int_equal(tu_nintei(f->conf, NULL, NULL, NULL, "report",
	    "--html", html, NULL), 0);
	out = tu_read(html, NULL);
	tu_contains(out, "保留中");
	assert_null(strstr(out, "すべての文書が送達済みです"));
	g_free(out);

	/* The same day: still held. */
	assert_int_equal(tu_nintei(f->conf, NULL, NULL, NULL, "send", NULL),
	    0);
	assert_int_equal(letters_in(f, "held"), 14);

	/* 24 hours on: ten more. */
	g_setenv("NINTEI_NOW", "2026-11-26T10:15:00", TRUE);
	assert_int_equal(tu_nintei(f->conf, NULL, NULL, NULL, "send", NULL),
	    0);
	assert_int_equal(letters_in(f, "sent"), 20);
	assert_int_equal(letters_in(f, "held"), 4);

	/* Staff release one at once (the cap aside) and cancel one. */
	assert_int_equal(tu_nintei(f->conf, NULL, &out, NULL, "letters",
	    "--state", "held", NULL), 0);
	tu_contains(out, "2026-0011");
	tu_contains(out, "2026-0012");
	g_free(out);
	assert_int_equal(tu_nintei(f->conf, NULL, &out, NULL, "letters",
	    "release", "20260012", "--by", "sato", NULL), 0);
	tu_contains(out, "2 letter(s) released");
	g_free(out);
	assert_int_equal(letters_in(f, "held"), 2);
	assert_int_equal(tu_nintei(f->conf, NULL, &out, NULL, "letters",
	    "--state", "held", "--json", NULL), 0);
	root = tu_json(out);
	g_free(out);
	id = g_strdup_printf("%" G_GINT64_FORMAT, json_object_get_int_member(
	    json_node_get_object(json_array_get_element(json_node_get_array(
	    root), 0)), "id"));
	json_node_unref(root);
	assert_int_equal(tu_nintei(f->conf, NULL, NULL, &out, "letters",
	    "cancel", id, NULL), 64);
	g_free(out);
	assert_int_equal(tu_nintei(f->conf, NULL, NULL, NULL, "letters",
	    "cancel", id, "--reason", "電話で伝達済み", "--by", "sato",
	    NULL), 0);
	g_free(id);
	assert_int_equal(letters_in(f, "cancelled"), 1);
	assert_int_equal(letters_in(f, "held"), 1);

	/* 48 hours on: the last one. */
	g_setenv("NINTEI_NOW", "2026-11-27T10:15:00", TRUE);
	assert_int_equal(tu_nintei(f->conf, NULL, NULL, NULL, "poll", NULL),
	    0);
	assert_int_equal(letters_in(f, "held"), 0);
	assert_int_equal(letters_in(f, "sent"), 23);
	assert_int_equal(outbox(f), 23);
	assert_int_equal(tu_nintei(f->conf, NULL, &out, NULL, "show",
	    "2026-0012", NULL), 0);
	tu_contains(out, "letter_released");
	tu_contains(out, "sato");
	g_free(out);
	g_free(html);
}

/* The delivered letter with that Message-ID, parsed (GMime); the caller
 * unrefs it. */
static GMimeMessage *
outbox_letter(struct fixture *f, const char *mid)
{
	char		*dir = g_build_filename(f->dir, "outbox", "new", NULL);
	GPtrArray	*files = tu_list(dir);
	GMimeStream	*st;
	GMimeParser	*p;
	GMimeMessage	*m, *found = NULL;
	char		*path, *raw;
	gsize		 len;
	guint		 i;

	for (i = 0; i < files->len && found == NULL; i++) {
		path = g_build_filename(dir, g_ptr_array_index(files, i), NULL);
		raw = tu_read(path, &len);
		st = g_mime_stream_mem_new_with_buffer(raw, len);
		p = g_mime_parser_new_with_stream(st);
		m = g_mime_parser_construct_message(p, NULL);
		if (m != NULL && g_strcmp0(g_mime_message_get_message_id(m),
		    mid) == 0)
			found = m;
		else if (m != NULL)
			g_object_unref(m);
		g_object_unref(p);
		g_object_unref(st);
		g_free(raw);
		g_free(path);
	}
	g_ptr_array_free(files, TRUE);
	g_free(dir);
	if (found == NULL)
		fail_msg("no letter <%s> in the outbox", mid);
	return found;
}

/* The Message-ID of the newest letter of a kind in case 2026-0001, and
 * its id. */
static char *
newest_letter(struct fixture *f, const char *kind, int64_t *id)
{
	JsonNode	*root, *l;
	JsonArray	*arr;
	char		*out, *mid = NULL;
	guint		 i;

	assert_int_equal(tu_nintei(f->conf, NULL, &out, NULL, "show",
	    "2026-0001", "--json", NULL), 0);
	root = tu_json(out);
	g_free(out);
	arr = json_object_get_array_member(json_node_get_object(root),
	    "letters");
	for (i = json_array_get_length(arr); i > 0 && mid == NULL; i--) {
		l = json_array_get_element(arr, i - 1);
		if (strcmp(tu_json_str(l, "kind"), kind) == 0) {
			mid = g_strdup(tu_json_str(l, "message_id"));
			*id = json_object_get_int_member(
			    json_node_get_object(l), "id");
		}
	}
	json_node_unref(root);
	if (mid == NULL)
		fail_msg("no %s letter in 2026-0001", kind);
	return mid;
}

/* The decoded text of a one-part letter. */
static char *
letter_body(GMimeMessage *m)
{
	GMimeObject	*part = g_mime_message_get_mime_part(m);

	assert_true(GMIME_IS_TEXT_PART(part));
	return g_mime_text_part_get_text(GMIME_TEXT_PART(part));
}

/*
 * Staff write to an applicant in the case's thread (照会), and send a
 * letter again: both parse back with the tag, From the secretariat,
 * threaded (the resend in reply to the first, with a new Message-ID),
 * Auto-Submitted: no for what a person wrote, in the case's history
 * with the actor.
 */
static void
test_write_and_resend(void **state)
{
	struct fixture	*f = *state;
	GMimeMessage	*m, *m2;
	GMimeReferences	*refs;
	JsonNode	*root, *el;
	JsonArray	*arr;
	const char	*v;
	char		*out, *err, *text, *mid, *mid2, *app, *idstr, *in;
	guint		 nletters;
	int64_t		 id, id2;
	guint		 i;

	application(f, "yamada@sample-cloud.example.jp",
	    "株式会社サンプルクラウド");
	assert_int_equal(tu_nintei(f->conf, NULL, NULL, NULL, "poll", NULL),
	    0);
	assert_int_equal(tu_nintei(f->conf, NULL, &out, NULL, "messages",
	    "--json", NULL), 0);
	root = tu_json(out);
	g_free(out);
	app = g_strdup(tu_json_str(json_array_get_element(
	    json_node_get_array(root), 0), "message_id"));
	json_node_unref(root);

	/* Refused: no subject, an empty text, an unknown case. */
	in = g_build_filename(f->dir, "question.txt", NULL);
	tu_write(in, "  \n", 3);
	assert_int_equal(tu_nintei(f->conf, in, NULL, &err, "write",
	    "2026-0001", "--subject", "照会", "--file", "-", NULL), 65);
	tu_contains(err, "empty");
	g_free(err);
	text = g_strdup("審査委員会からの照会です。\n"
	    "項番 3-4 の従業員数について、根拠をお知らせください。\n");
	tu_write(in, text, strlen(text));
	assert_int_equal(tu_nintei(f->conf, in, NULL, NULL, "write",
	    "2026-0001", "--subject", " ", "--file", "-", NULL), 64);
	assert_int_equal(tu_nintei(f->conf, in, NULL, NULL, "write",
	    "2026-0099", "--subject", "照会", "--file", "-", NULL), 65);

	assert_int_equal(tu_nintei(f->conf, in, &out, NULL, "write",
	    "NINTEI-2026-0001", "--subject", "従業員数についての照会", "--file",
	    "-", "--by", "tanaka", NULL), 0);
	g_free(out);
	mid = newest_letter(f, "question", &id);
	m = outbox_letter(f, mid);
	tu_contains(g_mime_message_get_subject(m),
	    "[NINTEI-2026-0001] 従業員数についての照会");
	tu_contains(g_mime_object_get_header(GMIME_OBJECT(m), "From"),
	    "nintei@example.org");
	assert_string_equal(g_mime_object_get_header(GMIME_OBJECT(m),
	    "Auto-Submitted"), "no");
	v = g_mime_object_get_header(GMIME_OBJECT(m), "In-Reply-To");
	refs = g_mime_references_parse(NULL, v);
	assert_string_equal(g_mime_references_get_message_id(refs, 0), app);
	g_mime_references_free(refs);
	out = letter_body(m);
	tu_contains(out, "山田 太郎 様");
	tu_contains(out, "項番 3-4 の従業員数について、根拠をお知らせください。");
	tu_contains(out, "[NINTEI-2026-0001] を残したまま");
	g_free(out);
	assert_int_equal(tu_nintei(f->conf, NULL, &out, NULL, "show",
	    "2026-0001", NULL), 0);
	tu_contains(out, "tanaka");
	tu_contains(out, "letter_written");
	g_free(out);

	/* Sent again: a new Message-ID, in reply to the first. */
	idstr = g_strdup_printf("%" G_GINT64_FORMAT, id);
	assert_int_equal(tu_nintei(f->conf, NULL, &out, NULL, "resend",
	    idstr, "--by", "sato", NULL), 0);
	g_free(out);
	mid2 = newest_letter(f, "question", &id2);
	assert_true(id2 > id);
	assert_string_not_equal(mid, mid2);
	m2 = outbox_letter(f, mid2);
	assert_string_equal(g_mime_message_get_subject(m2),
	    g_mime_message_get_subject(m));
	v = g_mime_object_get_header(GMIME_OBJECT(m2), "In-Reply-To");
	refs = g_mime_references_parse(NULL, v);
	assert_string_equal(g_mime_references_get_message_id(refs, 0), mid);
	g_mime_references_free(refs);
	/* The application's id has no '@' (mkforms), which GMime's
	 * References parser skips: the header's text, then. */
	v = g_mime_object_get_header(GMIME_OBJECT(m2), "References");
	out = g_strdup_printf("<%s> <%s>", app, mid);
	assert_string_equal(v, out);
	g_free(out);
	out = letter_body(m);
	err = letter_body(m2);
	assert_string_equal(out, err);
	g_free(out);
	g_free(err);

	/* The acknowledgement sent again by its Message-ID. */
	g_free(idstr);
	g_free(mid);
	mid = newest_letter(f, "ack", &id);
	idstr = g_strdup_printf("<%s>", mid);
	assert_int_equal(tu_nintei(f->conf, NULL, NULL, NULL, "resend",
	    idstr, NULL), 0);
	g_free(idstr);
	assert_int_equal(tu_nintei(f->conf, NULL, &out, NULL, "letters",
	    "--json", NULL), 0);
	root = tu_json(out);
	g_free(out);
	arr = json_node_get_array(root);
	el = json_array_get_element(arr, json_array_get_length(arr) - 1);
	assert_string_equal(tu_json_str(el, "kind"), "ack");
	assert_int_equal(json_object_get_int_member(json_node_get_object(el),
	    "resends"), id);
	for (i = 0; i < json_array_get_length(arr); i++)
		assert_string_equal(tu_json_str(json_array_get_element(arr, i),
		    "state"), "sent");
	nletters = json_array_get_length(arr);
	json_node_unref(root);

	/* A letter that is not there, by number or Message-ID: refused
	 * with the reason (it crashed once), nothing queued. */
	assert_int_equal(tu_nintei(f->conf, NULL, NULL, &err, "resend",
	    "99999", NULL), 65);
	tu_contains(err, "no letter 99999");
	g_free(err);
	assert_int_equal(tu_nintei(f->conf, NULL, NULL, &err, "resend",
	    "<nobody@example.org>", NULL), 65);
	tu_contains(err, "no letter <nobody@example.org>");
	g_free(err);
	assert_int_equal(tu_nintei(f->conf, NULL, NULL, &err, "letters",
	    "cancel", "99999", "--reason", "誤り", NULL), 65);
	tu_contains(err, "no letter 99999");
	g_free(err);
	root = tu_nintei_json(f->conf, "letters", "--json", NULL);
	assert_int_equal(json_array_get_length(json_node_get_array(root)),
	    nletters);
	json_node_unref(root);

	g_object_unref(m);
	g_object_unref(m2);
	g_free(mid);
	g_free(mid2);
	g_free(app);
	g_free(text);
	g_free(in);
}

/*
 * Reminders take the one path of every letter: to certifications imported
 * without a case, a template error keeps them as failed letters (exit
 * 78), and once it is fixed they go through the daily cap like any
 * letter: 10 sent, 2 held, none lost.
 */
static void
test_reminders_one_path(void **state)
{
	struct fixture	*f = *state;
	GString		*csv = g_string_new("認定番号,制度,事業者名,サービス名称,"
			    "認定日,担当者メールアドレス\n");
	char		*path, *out, *err;
	int		 i;

	for (i = 1; i <= 12; i++)
		g_string_append_printf(csv, "DC %04d-2504,データセンター,"
		    "株式会社倉庫%d,倉庫DC%d,2025/4/1,many@example.jp\n", i, i, i);
	path = g_build_filename(f->dir, "old.csv", NULL);
	tu_write(path, csv->str, csv->len);
	assert_int_equal(tu_nintei(f->conf, NULL, NULL, NULL, "certs",
	    "import", path, NULL), 0);
	edit_template(f, "reminder.txt", "{number}", "{nmber}");

	g_setenv("NINTEI_NOW", "2026-11-30T09:00:00", TRUE);
	assert_int_equal(tu_nintei(f->conf, NULL, &out, &err, "remind",
	    "--run-date", "2026-11-30", NULL), 78);
	tu_contains(out, "DC 0012-2504");
	tu_contains(err, "templates/reminder.txt:");
	tu_contains(err, "unknown value {nmber}");
	g_free(out);
	g_free(err);
	assert_int_equal(letters_in(f, "failed"), 12);
	assert_int_equal(outbox(f), 0);

	edit_template(f, "reminder.txt", "{nmber}", "{number}");
	assert_int_equal(tu_nintei(f->conf, NULL, NULL, NULL, "send", NULL),
	    0);
	assert_int_equal(letters_in(f, "sent"), 10);
	assert_int_equal(letters_in(f, "held"), 2);
	assert_int_equal(outbox(f), 10);
	g_setenv("NINTEI_NOW", "2026-12-01T09:00:00", TRUE);
	assert_int_equal(tu_nintei(f->conf, NULL, NULL, NULL, "send", NULL),
	    0);
	assert_int_equal(letters_in(f, "sent"), 12);
	assert_int_equal(outbox(f), 12);
	g_string_free(csv, TRUE);
	g_free(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_rules_check_values, setup,
		    teardown),
		cmocka_unit_test(test_table),
		cmocka_unit_test_setup_teardown(
		    test_template_error_at_run_time, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cap_holds, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_write_and_resend, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_reminders_one_path, setup,
		    teardown),
	};

	g_mime_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
