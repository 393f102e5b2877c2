/* test_report.c: the dashboard end to end: a store built through the
 * binary (an application that waited since November 1st, the samples,
 * hostile mail, an oversized mail, imported certifications, staff
 * actions), the page kept current by [report] html, and the page as
 * headless Chromium renders it: cases, counts and marks in the DOM,
 * nothing executable, and a screenshot kept in tests/artifacts/. */

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"

#define NOW	"2026-11-25T10:00:00"

struct fixture {
	char		*dir;
	char		*conf;
	char		*page;		/* nintei report --html */
	char		*served;	/* [report] html */
	char		*rejected;	/* cases the test closed */
	char		*withdrawn;
	JsonNode	*cases;		/* nintei cases --json at the end */
	JsonNode	*messages;
};

/* Fails the test unless nintei exited 0. */
static void
nintei_check(int status, char *err, const char *what)
{
	if (status != 0)
		fail_msg("nintei %s: exit %d: %s", what, status, err);
	g_free(err);
}

/* Runs nintei with the arguments given; it must succeed. */
#define NINTEI_OK(f, ...) do {						\
	char	*err_;							\
	int	 r_;							\
									\
	r_ = tu_nintei((f)->conf, NULL, NULL, &err_, __VA_ARGS__, NULL);\
	nintei_check(r_, err_, #__VA_ARGS__);				\
} while (0)

/* Runs nintei for its JSON output. */
static JsonNode *
nintei_json(struct fixture *f, const char *cmd, const char *arg)
{
	JsonNode	*root;
	char		*out;

	if (arg != NULL)
		assert_int_equal(tu_nintei(f->conf, NULL, &out, NULL, cmd, arg,
		    "--json", NULL), 0);
	else
		assert_int_equal(tu_nintei(f->conf, NULL, &out, NULL, cmd,
		    "--json", NULL), 0);
	root = tu_json(out);
	g_free(out);
	return root;
}

static JsonArray *
cases(struct fixture *f)
{
	return json_node_get_array(f->cases);
}

static void
write_file(struct fixture *f, const char *name, const char *text)
{
	char	*path = g_build_filename(f->dir, name, NULL);

	tu_write(path, text, strlen(text));
	g_free(path);
}

/* The sample applications mkforms writes, into dir/samples. */
static char *
make_samples(struct fixture *f)
{
	char	*dir = g_build_filename(f->dir, "samples", NULL);

	g_mkdir_with_parents(dir, 0755);
	tu_run_mkforms("samples", dir, NULL);
	return dir;
}

/* Copies every .eml of src into the inbox's new/ folder. */
static void
to_inbox(struct fixture *f, const char *src)
{
	GPtrArray	*names = tu_list(src);
	char		*from, *to, *text;
	gsize		 len;
	guint		 i;

	for (i = 0; i < names->len; i++) {
		if (!g_str_has_suffix(g_ptr_array_index(names, i), ".eml"))
			continue;
		from = g_build_filename(src, g_ptr_array_index(names, i), NULL);
		to = g_build_filename(f->dir, "inbox", "new",
		    g_ptr_array_index(names, i), NULL);
		text = tu_read(from, &len);
		tu_write(to, text, len);
		g_free(text);
		g_free(from);
		g_free(to);
	}
	g_ptr_array_free(names, TRUE);
}

/* The state of a case now. */
static char *
state_of(struct fixture *f, const char *id)
{
	JsonNode	*root = nintei_json(f, "show", id);
	char		*state = g_strdup(tu_json_str(root, "state"));

	json_node_unref(root);
	return state;
}

/*
 * On November 1st an application arrives; with the forms checker it
 * may wait for the fee, and then it is paid on the 2nd: either way it
 * has waited on the secretariat for more than 5 days on the 25th.
 */
static void
old_case(struct fixture *f, const char *samples)
{
	char	*eml, *state;

	g_setenv("NINTEI_NOW", "2026-11-01T09:00:00", TRUE);
	eml = g_build_filename(samples, "10-asp-saas-complete.eml", NULL);
	NINTEI_OK(f, "ingest", eml);
	g_free(eml);
	state = state_of(f, "2026-0001");
	if (strcmp(state, "awaiting_fee") == 0) {
		g_setenv("NINTEI_NOW", "2026-11-02T09:00:00", TRUE);
		NINTEI_OK(f, "paid", "2026-0001");
	}
	g_free(state);
	g_setenv("NINTEI_NOW", NOW, TRUE);
}

/* Mail that tries to become markup: an unmatched mail whose subject and
 * name carry tags, and a mail over the size limit (quarantined). */
static void
hostile_mail(struct fixture *f)
{
	GString	*big = g_string_new(NULL);
	char	*path;
	int	 i;

	/* Subject: "<script>alert(1)</script>\r\n<b>injected</b> & 'q'" */
	write_file(f, "evil.eml", "From: =?UTF-8?B?Ij48aW1nIHNyYz14Pg==?= "
	    "<mallory@evil.example>\r\nTo: nintei@example.org\r\n"
	    "Subject: =?UTF-8?B?PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg0KPGI+aW5q"
	    "ZWN0ZWQ8L2I+ICYgJ3En?=\r\nMessage-ID: <evil-1@evil.example>\r\n"
	    "Date: Wed, 25 Nov 2026 09:00:00 +0900\r\n\r\nhello\r\n");
	path = g_build_filename(f->dir, "evil.eml", NULL);
	NINTEI_OK(f, "ingest", path);
	g_free(path);
	g_string_append(big, "From: big@large.example\r\n"
	    "To: nintei@example.org\r\nSubject: =?UTF-8?B?"
	    "5aSn44GN44Gq5re75LuY?=\r\nMessage-ID: <big-1@large.example>\r\n"
	    "Date: Wed, 25 Nov 2026 09:30:00 +0900\r\n\r\n");
	for (i = 0; i < 1200; i++)
		g_string_append(big, "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
		    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\r\n");
	write_file(f, "big.eml", big->str);
	g_string_free(big, TRUE);
	path = g_build_filename(f->dir, "big.eml", NULL);
	NINTEI_OK(f, "ingest", path);
	g_free(path);
}

/* Certifications: one due for renewal (its company hostile, with a line
 * break), one expired this month, one far from both, one long expired. */
static void
certifications(struct fixture *f)
{
	char	*path;

	write_file(f, "certs.csv",
	    "認定番号,制度,事業者名,サービス名称,認定日,担当者メールアドレス\r\n"
	    "0256-2109,ASP・SaaS,\"<script>alert('co')</script> & \"\"Q\"\" "
	    "'R'\r\n偽の行\",エーサービス,2025-03-01,a@example.jp\r\n"
	    "DC 0001-2504,データセンター,株式会社倉庫,倉庫DC,2024-11-11,"
	    "dc@example.jp\r\n"
	    "IP 0003-2601,IaaS・PaaS,株式会社クモ,クモIaaS,2026-01-15,"
	    "k@example.jp\r\n"
	    "医療 0001-1712,医療,株式会社古い,古いカルテ,2017-12-20,"
	    "old@example.jp\r\n");
	path = g_build_filename(f->dir, "certs.csv", NULL);
	NINTEI_OK(f, "certs", "import", path);
	g_free(path);
}

/* Staff actions on the two newest open cases, and a note. */
static void
staff(struct fixture *f)
{
	JsonNode	*root = nintei_json(f, "cases", NULL);
	JsonArray	*arr = json_node_get_array(root);
	guint		 n = json_array_get_length(arr);

	assert_true(n >= 4);
	f->rejected = g_strdup(tu_json_str(json_array_get_element(arr, n - 1),
	    "id"));
	f->withdrawn = g_strdup(tu_json_str(json_array_get_element(arr,
	    n - 2), "id"));
	json_node_unref(root);
	NINTEI_OK(f, "reject", f->rejected, "--reason", "<i>対象外</i>");
	NINTEI_OK(f, "withdraw", f->withdrawn);
	NINTEI_OK(f, "note", "2026-0002", "電話で確認済み <u>x</u>");
}

static int
setup(void **state)
{
	struct fixture	*f = g_new0(struct fixture, 1);
	char		*samples, *dir;

	g_setenv("NINTEI_NOW", NOW, TRUE);
	f->dir = tu_tmpdir("report");
	f->conf = tu_spool(f->dir, "[transport]\nsend_after_poll = no\n"
	    "[limits]\nmessage_size = 64K\n"
	    "[report]\nhtml = www/index.html\nstale_days = 5\n");
	f->served = g_build_filename(f->dir, "www", "index.html", NULL);
	f->page = g_build_filename(f->dir, "page.html", NULL);
	dir = g_build_filename(f->dir, "inbox", "new", NULL);
	g_mkdir_with_parents(dir, 0755);
	g_free(dir);
	samples = make_samples(f);
	old_case(f, samples);
	to_inbox(f, samples);
	dir = g_build_filename(tu_top(), "contrib", "samples", NULL);
	to_inbox(f, dir);
	g_free(dir);
	g_free(samples);
	NINTEI_OK(f, "poll");
	hostile_mail(f);
	NINTEI_OK(f, "send");	/* what is left is the staff's */
	certifications(f);
	staff(f);
	NINTEI_OK(f, "report", "--html", f->page);
	f->cases = nintei_json(f, "cases", NULL);
	f->messages = nintei_json(f, "messages", NULL);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture	*f = *state;

	json_node_unref(f->cases);
	json_node_unref(f->messages);
	tu_rm_rf(f->dir);
	g_free(f->dir);
	g_free(f->conf);
	g_free(f->page);
	g_free(f->served);
	g_free(f->rejected);
	g_free(f->withdrawn);
	g_free(f);
	return 0;
}

/*
 * Runs headless Chromium on the page with a fresh profile under
 * build/tmp (and HOME there too); arg is --dump-dom or --screenshot=F.
 * Returns what it printed.  A missing Chromium fails the test.
 */
static char *
chromium(const char *page, const char *arg)
{
	GSubprocessLauncher	*l;
	GSubprocess		*p;
	GError			*error = NULL;
	char			*bin, *profile, *udd, *url, *out, *err;
	int			 status;

	if ((bin = g_find_program_in_path("chromium")) == NULL)
		fail_msg("chromium is not installed (sh contrib/deps.sh "
		    "installs it, with fonts-noto-cjk)");
	profile = tu_tmpdir("chromium");
	udd = g_strdup_printf("--user-data-dir=%s", profile);
	url = g_filename_to_uri(page, NULL, NULL);
	l = g_subprocess_launcher_new(G_SUBPROCESS_FLAGS_STDOUT_PIPE |
	    G_SUBPROCESS_FLAGS_STDERR_PIPE);
	g_subprocess_launcher_setenv(l, "HOME", profile, TRUE);
	g_subprocess_launcher_setenv(l, "XDG_CONFIG_HOME", profile, TRUE);
	g_subprocess_launcher_setenv(l, "XDG_CACHE_HOME", profile, TRUE);
	p = g_subprocess_launcher_spawn(l, &error, "timeout", "120", bin,
	    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
	    "--disable-background-networking", "--disable-component-update",
	    "--disable-sync", "--hide-scrollbars", "--window-size=1280,1800",
	    udd, arg, url, NULL);
	if (p == NULL)
		fail_msg("chromium: %s", error->message);
	if (!g_subprocess_communicate_utf8(p, NULL, NULL, &out, &err, &error))
		fail_msg("chromium: %s", error->message);
	status = g_subprocess_get_exit_status(p);
	if (!g_subprocess_get_if_exited(p) || status != 0)
		fail_msg("chromium %s: exit %d\n%s", arg, status, err);
	g_object_unref(p);
	g_object_unref(l);
	tu_rm_rf(profile);
	g_free(profile);
	g_free(udd);
	g_free(url);
	g_free(bin);
	g_free(err);
	return out;
}

/* The text from the start of the element opened by open (e.g. `<table
 * id="x"`) to its closing tag close; fails if it is not there. */
static char *
part(const char *dom, const char *open, const char *close)
{
	const char	*a = strstr(dom, open), *b;

	if (a == NULL)
		fail_msg("not in the page: %s", open);
	if ((b = strstr(a, close)) == NULL)
		fail_msg("not closed: %s", open);
	return g_strndup(a, (gsize)(b - a + strlen(close)));
}

/* The number in the element with this id. */
static int
count(const char *dom, const char *id)
{
	char		*open = g_strdup_printf("id=\"%s\">", id);
	const char	*p = strstr(dom, open);

	if (p == NULL)
		fail_msg("no count %s in the page", id);
	p += strlen(open);
	g_free(open);
	if (!isdigit((unsigned char)*p))
		fail_msg("count %s is not a number: %.20s", id, p);
	return atoi(p);
}

static int
occurrences(const char *hay, const char *needle)
{
	int	n = 0;

	while ((hay = strstr(hay, needle)) != NULL) {
		n++;
		hay += strlen(needle);
	}
	return n;
}

/* The page nintei keeps at [report] html is the page of the last change:
 * staff actions rewrote it; written by rename, nothing left behind. */
static void
test_refreshed(void **state)
{
	struct fixture	*f = *state;
	GPtrArray	*files;
	char		*served, *page, *dir;

	served = tu_read(f->served, NULL);
	page = tu_read(f->page, NULL);
	assert_string_equal(served, page);
	assert_non_null(strstr(served, "電話で確認済み &lt;u&gt;x&lt;/u&gt;"));
	dir = g_path_get_dirname(f->served);
	files = tu_list(dir);
	assert_int_equal(files->len, 1);
	assert_string_equal(g_ptr_array_index(files, 0), "index.html");
	g_ptr_array_free(files, TRUE);
	g_free(dir);
	/* Without --html, report writes the configured page. */
	unlink(f->served);
	NINTEI_OK(f, "report");
	g_free(served);
	served = tu_read(f->served, NULL);
	assert_string_equal(served, page);
	g_free(served);
	g_free(page);
}

/* Nothing in the page runs or reaches out, and what tried to is text. */
static void
assert_inert_page(const char *dom)
{
	char	*lower = g_ascii_strdown(dom, -1);

	assert_true(g_str_has_prefix(dom, "<!DOCTYPE html>"));
	assert_non_null(strstr(dom, "<html lang=\"ja\">"));
	assert_non_null(strstr(dom, "default-src 'none'"));
	assert_non_null(strstr(dom, "name=\"viewport\""));
	assert_null(strstr(lower, "<script"));
	assert_null(strstr(lower, "<img"));
	assert_null(strstr(lower, "<iframe"));
	assert_null(strstr(lower, "<link"));
	assert_null(strstr(lower, "http://"));
	assert_null(strstr(lower, "https://"));
	assert_null(strstr(lower, "url("));
	assert_null(strstr(lower, "@import"));
	assert_null(strstr(dom, "<b>injected"));
	assert_null(strstr(dom, "<i>対象外"));
	/* Escaped where they were: a subject, a company, a note. */
	assert_non_null(strstr(dom, "&lt;script&gt;alert(1)&lt;/script&gt; "
	    "&lt;b&gt;injected&lt;/b&gt; &amp; 'q'"));
	assert_non_null(strstr(dom, "&lt;script&gt;alert('co')&lt;/script&gt;"
	    " &amp; \"Q\" 'R'"));
	assert_non_null(strstr(dom, "電話で確認済み &lt;u&gt;x&lt;/u&gt;"));
	assert_null(strstr(dom, "<u>"));
	assert_null(strstr(dom, "'R'\n"));
	assert_null(strstr(dom, "'R'\r"));
	g_free(lower);
}

/* Every case is in its group with its state, marked stale exactly when
 * it has waited on the secretariat for more than 5 days. */
static void
assert_queue(struct fixture *f, const char *dom, int *stale)
{
	JsonArray	*arr = cases(f);
	JsonNode	*c;
	JsonObject	*o;
	const char	*id, *waiting;
	char		*group, *open, *row, *tag, *table;
	guint		 i;
	int		 days, marked;

	*stale = 0;
	for (i = 0; i < json_array_get_length(arr); i++) {
		c = json_array_get_element(arr, i);
		o = json_node_get_object(c);
		id = tu_json_str(c, "id");
		waiting = tu_json_str(c, "waiting_on");
		days = (int)json_object_get_int_member(o, "days_in_state");
		group = g_strdup_printf("<table id=\"queue-%s\"", waiting !=
		    NULL ? waiting : "closed");
		table = part(dom, group, "</table>");
		open = g_strdup_printf("<tr id=\"case-%s\"", id);
		row = part(table, open, "</tr>");
		tag = part(row, open, ">");
		marked = waiting != NULL && strcmp(waiting, "secretariat") ==
		    0 && days > 5;
		*stale += marked;
		if (marked != (strstr(tag, "stale") != NULL))
			fail_msg("case %s (%s, %d days): %s", id,
			    tu_json_str(c, "state"), days, tag);
		assert_true(marked == (strstr(row, "滞留") != NULL));
		g_free(open);
		open = g_strdup_printf("data-state=\"%s\"",
		    tu_json_str(c, "state"));
		assert_non_null(strstr(tag, open));
		g_free(open);
		open = g_strdup_printf(">%d日", days);
		assert_non_null(strstr(row, open));
		g_free(open);
		g_free(tag);
		g_free(row);
		g_free(table);
		g_free(group);
	}
	/* The application of November 1st waits; the test's own actions
	 * closed two cases. */
	table = part(dom, "<table id=\"queue-secretariat\"", "</table>");
	row = part(table, "<tr id=\"case-2026-0001\"", "</tr>");
	assert_non_null(strstr(row, "class=\"stale\""));
	assert_non_null(strstr(row, "<span class=\"mark\">滞留</span>"));
	g_free(row);
	g_free(table);
	table = part(dom, "<table id=\"queue-closed\"", "</table>");
	open = g_strdup_printf("<tr id=\"case-%s\" data-state=\"rejected\"",
	    f->rejected);
	assert_non_null(strstr(table, open));
	g_free(open);
	open = g_strdup_printf("<tr id=\"case-%s\" data-state=\"withdrawn\"",
	    f->withdrawn);
	assert_non_null(strstr(table, open));
	g_free(open);
	g_free(table);
}

/* The counts by state, by scheme and by group, from nintei's own JSON. */
static void
assert_counts(struct fixture *f, const char *dom, int stale)
{
	JsonArray	*arr = cases(f);
	GHashTable	*states, *schemes;
	GHashTableIter	 it;
	gpointer	 k, v;
	JsonNode	*c;
	const char	*w, *s;
	char		*id;
	guint		 i;
	int		 ours = 0, theirs = 0;

	states = g_hash_table_new(g_str_hash, g_str_equal);
	schemes = g_hash_table_new(g_str_hash, g_str_equal);
	for (i = 0; i < json_array_get_length(arr); i++) {
		c = json_array_get_element(arr, i);
		s = tu_json_str(c, "state");
		g_hash_table_insert(states, (gpointer)s, GINT_TO_POINTER(
		    GPOINTER_TO_INT(g_hash_table_lookup(states, s)) + 1));
		s = tu_json_str(c, "scheme") != NULL ?
		    tu_json_str(c, "scheme") : "none";
		g_hash_table_insert(schemes, (gpointer)s, GINT_TO_POINTER(
		    GPOINTER_TO_INT(g_hash_table_lookup(schemes, s)) + 1));
		if ((w = tu_json_str(c, "waiting_on")) != NULL) {
			ours += strcmp(w, "secretariat") == 0;
			theirs += strcmp(w, "applicant") == 0;
		}
	}
	assert_int_equal(count(dom, "n-state-rejected"), 1);
	assert_int_equal(count(dom, "n-state-withdrawn"), 1);
	assert_int_equal(count(dom, "n-state-approved"), 0);
	g_hash_table_iter_init(&it, states);
	while (g_hash_table_iter_next(&it, &k, &v)) {
		id = g_strdup_printf("n-state-%s", (char *)k);
		assert_int_equal(count(dom, id), GPOINTER_TO_INT(v));
		g_free(id);
	}
	g_hash_table_iter_init(&it, schemes);
	while (g_hash_table_iter_next(&it, &k, &v)) {
		id = g_strdup_printf("n-scheme-%s", (char *)k);
		assert_int_equal(count(dom, id), GPOINTER_TO_INT(v));
		g_free(id);
	}
	assert_int_equal(count(dom, "n-secretariat"), ours);
	assert_int_equal(count(dom, "n-applicant"), theirs);
	assert_int_equal(count(dom, "n-stale"), stale);
	assert_true(stale >= 1);
	g_hash_table_destroy(states);
	g_hash_table_destroy(schemes);
}

/* Letters not delivered: those of the staff actions after the send. */
static int
queued_letters(struct fixture *f, const char *id)
{
	JsonNode	*root = nintei_json(f, "show", id);
	JsonArray	*l;
	guint		 i;
	int		 n = 0;

	l = json_object_get_array_member(json_node_get_object(root),
	    "letters");
	for (i = 0; i < json_array_get_length(l); i++)
		n += strcmp(tu_json_str(json_array_get_element(l, i), "state"),
		    "queued") == 0;
	json_node_unref(root);
	return n;
}

/* The section of a list of certifications, which must count one, list
 * the number has and not the number hasnt. */
static char *
certs_listed(const char *dom, const char *id, const char *has,
    const char *hasnt)
{
	char	*open, *sec, *want;

	want = g_strdup_printf("n-%s", id);
	assert_int_equal(count(dom, want), 1);
	g_free(want);
	open = g_strdup_printf("<section id=\"%s\"", id);
	sec = part(dom, open, "</section>");
	want = g_strdup_printf("data-number=\"%s\"", has);
	assert_non_null(strstr(sec, want));
	assert_null(strstr(sec, hasnt));
	g_free(want);
	g_free(open);
	return sec;
}

/* Mail, letters and certifications waiting for a person. */
static void
assert_waiting(struct fixture *f, const char *dom)
{
	JsonArray	*arr = json_node_get_array(f->messages);
	char		*sec;
	guint		 i;
	int		 unmatched = 0, letters;

	for (i = 0; i < json_array_get_length(arr); i++)
		unmatched += strcmp(tu_json_str(json_array_get_element(arr, i),
		    "disposition"), "unmatched") == 0;
	assert_int_equal(count(dom, "n-unmatched"), unmatched);
	assert_int_equal(count(dom, "n-quarantined"), 1);
	sec = part(dom, "<table id=\"mail-quarantined\"", "</table>");
	assert_non_null(strstr(sec, "big@large.example"));
	assert_non_null(strstr(sec, "大きな添付"));
	g_free(sec);
	sec = part(dom, "<table id=\"mail-unmatched\"", "</table>");
	assert_non_null(strstr(sec, "mallory@evil.example"));
	g_free(sec);
	letters = queued_letters(f, f->rejected) +
	    queued_letters(f, f->withdrawn);
	assert_true(letters >= 2);
	assert_int_equal(count(dom, "n-letters"), letters);
	assert_int_equal(count(dom, "n-letters-queued"), letters);
	sec = part(dom, "<table id=\"letters-undelivered\"", "</table>");
	assert_non_null(strstr(sec, "却下のお知らせ"));
	assert_non_null(strstr(sec, "取下げの確認"));
	g_free(sec);

	sec = certs_listed(dom, "renewals", "0256-2109", "IP 0003-2601");
	assert_non_null(strstr(sec, "2027年2月28日"));
	assert_non_null(strstr(sec, "未案内"));
	g_free(sec);
	g_free(certs_listed(dom, "expired", "DC 0001-2504", "0001-1712"));
}

/* The page as Chromium renders it under its own CSP. */
static void
test_dom(void **state)
{
	struct fixture	*f = *state;
	char		*dom, *sec, *db;
	int		 stale;

	dom = chromium(f->page, "--dump-dom");
	assert_inert_page(dom);
	assert_queue(f, dom, &stale);
	assert_counts(f, dom, stale);
	assert_waiting(f, dom);

	/* Two charts, a bar for each of 12 months. */
	sec = part(dom, "<section id=\"charts\"", "</section>");
	assert_int_equal(occurrences(sec, "<svg class=\"chart\""), 2);
	assert_int_equal(occurrences(sec, "<rect "), 24);
	assert_non_null(strstr(sec, "月別の申請受付件数"));
	g_free(sec);

	/* When and from which store. */
	sec = part(dom, "<p id=\"generated\"", "</p>");
	assert_non_null(strstr(sec, "2026年11月25日 10:00"));
	g_free(sec);
	db = g_build_filename(f->dir, "spool", "nintei.db", NULL);
	sec = part(dom, "<p id=\"source\"", "</p>");
	assert_non_null(strstr(sec, db));
	g_free(sec);
	g_free(db);
	g_free(dom);
}

/* A screenshot, kept as tests/artifacts/report-BUILD.png to be looked at
 * (Japanese must show as text, not boxes). */
static void
test_screenshot(void **state)
{
	struct fixture	*f = *state;
	const char	*build = g_getenv("NINTEI_BUILD");
	char		*png, *arg, *out, *data, *dir, *keep;
	gsize		 len;

	png = g_build_filename(f->dir, "report.png", NULL);
	arg = g_strdup_printf("--screenshot=%s", png);
	out = chromium(f->page, arg);
	data = tu_read(png, &len);
	assert_true(len > 20000);
	assert_memory_equal(data, "\x89PNG\r\n\x1a\n", 8);
	dir = g_build_filename(tu_top(), "tests", "artifacts", NULL);
	g_mkdir_with_parents(dir, 0755);
	keep = g_strdup_printf("%s/report-%s.png", dir, build != NULL ?
	    build : "build");
	tu_write(keep, data, len);
	g_free(keep);
	g_free(dir);
	g_free(data);
	g_free(out);
	g_free(arg);
	g_free(png);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_refreshed),
		cmocka_unit_test(test_dom),
		cmocka_unit_test(test_screenshot),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
