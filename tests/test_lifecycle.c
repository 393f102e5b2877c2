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
	f->conf = tu_spool(f->dir, "[fee]\nbank = 三井住友銀行 本店 普通 7654321\n"
	    "receipt = yes\n");
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
	return tu_nintei_json(f->conf, "show", id, "--json", NULL);
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
	char		*mid = NULL, *dir, *text;
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
	text = tu_outbox_body(dir, mid);
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
			assert_contains(text, "100字以内でご記入ください（現在 120字）");
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

/* The applicant of a case. */
static char *
applicant(struct fixture *f, const char *id)
{
	JsonNode	*root = show(f, id);
	char		*a = g_strdup(tu_json_str(root, "applicant"));

	json_node_unref(root);
	return a;
}

/* What staff type in the first week: a state by its Japanese label, a
 * wrong value refused with the list, a case as a bank statement or a
 * subject writes it. */
static void
test_lookup(void **state)
{
	struct fixture	*f = *state;
	JsonNode	*root;
	JsonArray	*arr;
	char		*out, *err;
	guint		 i;

	assert_int_equal(tu_nintei(f->conf, NULL, &out, NULL, "cases",
	    "--state", "入金待ち", "--json", NULL), 0);
	root = tu_json(out);
	g_free(out);
	arr = json_node_get_array(root);
	assert_true(json_array_get_length(arr) > 0);
	for (i = 0; i < json_array_get_length(arr); i++)
		assert_string_equal(tu_json_str(json_array_get_element(arr, i),
		    "state"), "awaiting_fee");
	json_node_unref(root);
	assert_int_equal(tu_nintei(f->conf, NULL, NULL, &err, "cases",
	    "--state", "pending", NULL), 64);
	assert_contains(err, "no such state \"pending\"");
	assert_contains(err, "awaiting_fee (入金待ち)");
	g_free(err);
	assert_int_equal(tu_nintei(f->conf, NULL, &out, &err, "messages",
	    "--disposition", "unmached", NULL), 64);
	assert_contains(err, "case, unmatched, ignored, quarantined");
	assert_string_equal(out, "");
	g_free(out);
	g_free(err);
	assert_int_equal(tu_nintei(f->conf, NULL, &out, NULL, "show",
	    "20260001", "--json", NULL), 0);
	root = tu_json(out);
	assert_string_equal(tu_json_str(root, "id"), "2026-0001");
	json_node_unref(root);
	g_free(out);
	assert_int_equal(tu_nintei(f->conf, NULL, &out, NULL, "show",
	    "NINTEI-2026-0001", NULL), 0);
	assert_contains(out, "案件 2026-0001");
	g_free(out);
	assert_int_equal(tu_nintei(f->conf, NULL, &out, NULL, "note",
	    "20260001", "振込名義 20260001 を確認", NULL), 0);
	assert_contains(out, "2026-0001:");
	g_free(out);
}

/* Everything a refused action could have changed, as one string. */
static char *
snapshot(struct fixture *f)
{
	GString		*s = g_string_new(NULL);
	GPtrArray	*files;
	char		*out, *dir;

	assert_int_equal(tu_nintei(f->conf, NULL, &out, NULL, "cases",
	    "--json", NULL), 0);
	g_string_append(s, out);
	g_free(out);
	assert_int_equal(tu_nintei(f->conf, NULL, &out, NULL, "certs",
	    "--json", NULL), 0);
	g_string_append(s, out);
	g_free(out);
	assert_int_equal(tu_nintei(f->conf, NULL, &out, NULL, "show",
	    "2026-0002", "--json", NULL), 0);
	g_string_append(s, out);
	g_free(out);
	dir = g_build_filename(f->dir, "outbox", "new", NULL);
	files = tu_list(dir);
	g_string_append_printf(s, "%u letters", files->len);
	g_ptr_array_free(files, TRUE);
	g_free(dir);
	return g_string_free(s, FALSE);
}

/* Each refused transition changes nothing at all. */
static void
test_refused(void **state)
{
	struct fixture	*f = *state;
	char		*before, *after, *err;
	const char	*refused[][4] = {
		{ "approve", "2026-0002", NULL, NULL },	/* deficient */
		{ "paid", "2026-0002", NULL, NULL },
		{ "approve", "2026-0001", NULL, NULL },	/* awaiting_fee */
		{ "reject", "2026-0001", NULL, NULL },	/* no reason */
		{ "paid", "2026-0001", "--amount", "lots" },
		{ "paid", "2026-0001", "--amount", "20.900" },	/* not 20 yen */
		{ "paid", "2026-0001", "--amount", "20万" },
		{ "approve", "2099-0001", NULL, NULL },	/* no such case */
		{ "note", "2026-0001", NULL, NULL },	/* no text */
		{ "paid", "2026-0001", "--date", "2026-02-30" },
	};
	size_t		 i;

	before = snapshot(f);
	for (i = 0; i < G_N_ELEMENTS(refused); i++) {
		assert_int_not_equal(tu_nintei(f->conf, NULL, NULL, &err,
		    refused[i][0], refused[i][1], refused[i][2], refused[i][3],
		    NULL), 0);
		g_free(err);
		after = snapshot(f);
		if (strcmp(before, after) != 0)
			fail_msg("nintei %s %s changed the store", refused[i][0],
			    refused[i][1]);
		g_free(after);
	}
	g_free(before);
}

/*
 * In every scheme: the deficient case gets a corrected reply keeping its
 * tag (awaiting_fee, the fee letter), then both cases of the scheme are
 * paid and approved: 0001 and 0002 of that scheme, each scheme counting
 * on its own.
 */
static void
test_five_schemes(void **state)
{
	struct fixture	*f = *state;
	const char	*codes[] = { "asp-saas", "iaas-paas", "datacenter",
			    "medical", "mynumber" };
	const char	*marks[] = { "", "IP ", "DC ", "医療 ", "特個 " };
	char		*id, *def, *who, *subject, *name, *num, *want, *text;
	JsonNode	*root;
	int		 i, k;

	for (i = 0; i < 5; i++) {
		id = g_strdup_printf("2026-%04d", 2 * i + 1);
		def = g_strdup_printf("2026-%04d", 2 * i + 2);
		assert_string_equal(case_state(f, def, NULL), "deficient");
		who = applicant(f, def);
		subject = g_strdup_printf("Re: [NINTEI-%s] 修正した書類", def);
		name = g_strdup_printf("fix-%s.eml", codes[i]);
		send_forms(f, name, who, subject, codes[i], "新規", "complete",
		    NULL);
		assert_string_equal(case_state(f, def, NULL), "awaiting_fee");
		root = show(f, def);
		assert_int_equal(json_array_get_length(member_array(root,
		    "problems")), 0);
		json_node_unref(root);
		text = letter_text(f, def, "fee");
		assert_contains(text, "209,000円");
		g_free(text);
		for (k = 0; k < 2; k++) {
			const char *c = k == 0 ? id : def;

			assert_int_equal(tu_nintei(f->conf, NULL, NULL, NULL,
			    "paid", c, "--by", "suzuki", NULL), 0);
			assert_string_equal(case_state(f, c, NULL),
			    "under_review");
			/* The corrected reply carries mkforms' particulars:
			 * the same service as the first, certified a moment
			 * ago, so a second certification must be meant. */
			assert_int_equal(tu_nintei(f->conf, NULL, NULL, NULL,
			    "approve", c, "--by", "tanaka", k == 0 ? NULL :
			    "--second-certification", NULL), 0);
			assert_string_equal(case_state(f, c, &num),
			    "approved");
			want = g_strdup_printf("%s%04d-2611", marks[i], k + 1);
			assert_string_equal(num, want);
			text = letter_text(f, c, "approval");
			g_free(want);
			want = g_strdup_printf("認定番号    %s", num);
			assert_contains(text, want);
			assert_contains(text, "認定日      2026年11月25日");
			assert_contains(text, "有効期限    2028年11月24日");
			assert_contains(text, "認定マーク");
			g_free(want);
			g_free(text);
			g_free(num);
		}
		g_free(name);
		g_free(subject);
		g_free(who);
		g_free(id);
		g_free(def);
	}
}

/* Runs a staff action expected to be refused; checks that it says why
 * and that the case and the certifications did not change. */
static void
refused(struct fixture *f, const char *id, const char *why, ...)
{
	const char	*argv[8];
	char		*before, *after, *err, *out;
	va_list		 ap;
	int		 i = 0;

	va_start(ap, why);
	while (i < 7 && (argv[i] = va_arg(ap, const char *)) != NULL)
		i++;
	va_end(ap);
	argv[i] = NULL;
	assert_int_equal(tu_nintei(f->conf, NULL, &before, NULL, "certs",
	    "--json", NULL), 0);
	out = g_strdup(case_state(f, id, NULL));
	assert_int_not_equal(tu_nintei(f->conf, NULL, NULL, &err, argv[0],
	    id, argv[1], argv[2], argv[3], NULL), 0);
	assert_contains(err, why);
	assert_contains(err, "nothing changed");
	assert_string_equal(case_state(f, id, NULL), out);
	assert_int_equal(tu_nintei(f->conf, NULL, &after, NULL, "certs",
	    "--json", NULL), 0);
	assert_string_equal(after, before);
	g_free(before);
	g_free(after);
	g_free(err);
	g_free(out);
}

/*
 * Dates that make sense: not after today, not before the case's latest
 * event, numbers in order of certification.  A 新規 application for a
 * service that holds a valid certification is flagged (event, show,
 * dashboard) and needs --second-certification to be approved.
 */
static void
test_dates(void **state)
{
	struct fixture	*f = *state;
	JsonNode	*root;
	JsonArray	*events;
	char		*out, *num, *html, *page;
	const char	*id = "2026-0013", *dup;
	guint		 i;
	int		 flagged = 0;

	/* Received on 11-20, before the medical certifications of 11-25;
	 * the same service as 医療 0001-2611, written another way. */
	g_setenv("NINTEI_NOW", "2026-11-20T10:00:00", TRUE);
	send_forms(f, "dates.eml", "dup@iryo-cloud.example.jp", NULL,
	    "medical", "新規", "complete", NULL);
	assert_int_equal(tu_nintei(f->conf, NULL, NULL, NULL, "paid", id,
	    NULL), 0);
	g_setenv("NINTEI_NOW", "2026-11-25T10:15:00", TRUE);
	assert_string_equal(case_state(f, id, NULL), "under_review");
	root = show(f, id);
	dup = tu_json_str(root, "duplicate_of");
	assert_non_null(dup);
	assert_contains(dup, "医療 000");
	events = member_array(root, "events");
	for (i = 0; i < json_array_get_length(events); i++)
		if (strcmp(tu_json_str(json_array_get_element(events, i),
		    "kind"), "duplicate") == 0)
			flagged++;
	assert_int_equal(flagged, 1);
	json_node_unref(root);
	assert_int_equal(tu_nintei(f->conf, NULL, &out, NULL, "show", id,
	    NULL), 0);
	assert_contains(out, "注意        同じサービスに有効な認定 医療 000");
	g_free(out);
	html = g_build_filename(f->dir, "dates.html", NULL);
	assert_int_equal(tu_nintei(f->conf, NULL, NULL, NULL, "report",
	    "--html", html, NULL), 0);
	page = tu_read(html, NULL);
	assert_contains(page, "認定あり 医療 000");
	g_free(page);

	refused(f, id, "already holds a valid certification", "approve",
	    NULL);
	refused(f, id, "--date 2062-12-10 is after today (2026-11-25)",
	    "approve", "--second-certification", "--date", "2062-12-10",
	    NULL);
	refused(f, id, "--date 2025-12-10 is before the latest event of case "
	    "2026-0013 (2026-11-20", "approve", "--second-certification",
	    "--date", "2025-12-10", NULL);
	refused(f, id, "was certified on 2026-11-25: a later number cannot "
	    "be dated 2026-11-22", "approve", "--second-certification",
	    "--date", "2026-11-22", NULL);
	refused(f, id, "--date 2026-11-19 is before", "note", "x", "--date",
	    "2026-11-19", NULL);
	assert_int_equal(tu_nintei(f->conf, NULL, NULL, NULL, "approve", id,
	    "--second-certification", NULL), 0);
	assert_string_equal(case_state(f, id, &num), "approved");
	assert_string_equal(num, "医療 0003-2611");
	g_free(num);
	/* Approved: no longer flagged. */
	assert_int_equal(tu_nintei(f->conf, NULL, NULL, NULL, "report",
	    "--html", html, NULL), 0);
	page = tu_read(html, NULL);
	assert_null(strstr(page, "認定あり"));
	g_free(page);
	g_free(html);
}

/* Runs remind for real with the clock on a day, as cron would. */
static char *
remind_on(struct fixture *f, const char *day)
{
	char	*out;

	g_setenv("NINTEI_NOW", day, TRUE);
	assert_int_equal(tu_nintei(f->conf, NULL, &out, NULL, "remind",
	    NULL), 0);
	g_setenv("NINTEI_NOW", "2026-11-25T10:15:00", TRUE);
	return out;
}

/* Reminders on the right days for a certification made here, and its
 * case expired after the last valid day. */
static void
test_remind(void **state)
{
	struct fixture	*f = *state;
	char		*out;

	/* IP 0001-2611 (case 2026-0003) is valid until 2028-11-24. */
	out = remind_on(f, "2028-07-23");
	assert_null(strstr(out, "IP 0001-2611"));
	g_free(out);
	out = remind_on(f, "2028-07-24");
	assert_contains(out, "reminded  IP 0001-2611");
	g_free(out);
	out = letter_text(f, "2026-0003", "reminder");
	assert_contains(out, "認定番号    IP 0001-2611");
	assert_contains(out, "有効期限    2028年11月24日");
	assert_contains(out, "95,000円");
	g_free(out);
	out = remind_on(f, "2028-10-24");
	assert_contains(out, "reminded  IP 0001-2611");
	g_free(out);
	out = remind_on(f, "2028-11-24");
	assert_null(strstr(out, "IP 0001-2611"));
	g_free(out);
	assert_string_equal(case_state(f, "2026-0003", NULL), "approved");
	out = remind_on(f, "2028-11-25");
	assert_contains(out, "expired   IP 0001-2611");
	g_free(out);
	assert_string_equal(case_state(f, "2026-0003", NULL), "expired");
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
	g_setenv("NINTEI_NOW", "2028-10-01T10:15:00", TRUE);
	assert_int_equal(tu_nintei(f->conf, NULL, NULL, NULL, "approve",
	    "2026-0011", NULL), 0);
	g_setenv("NINTEI_NOW", "2026-11-25T10:15:00", TRUE);
	assert_string_equal(case_state(f, "2026-0011", &num), "approved");
	assert_string_equal(num, "0001-2611");
	g_free(num);
	assert_int_equal(tu_nintei(f->conf, NULL, &out, NULL, "certs",
	    "--json", NULL), 0);
	root = tu_json(out);
	g_free(out);
	certs = json_node_get_array(root);
	assert_int_equal(json_array_get_length(certs), 10);
	for (i = 0; i < 10; i++) {
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

/* The fee as people write it and pay it: a shortfall keeps the case
 * awaiting_fee and says so (show, the receipt), the next payment adds up,
 * an excess moves it on and is recorded (show, receipt, dashboard). */
static void
test_payment(void **state)
{
	struct fixture	*f = *state;
	JsonNode	*root, *fee;
	char		*out, *text, *html, *page;
	const char	*id = "2026-0014";

	send_forms(f, "pay.eml", "keiri@pay.example.jp", NULL, "iaas-paas",
	    "新規", "complete", NULL);
	assert_string_equal(case_state(f, id, NULL), "awaiting_fee");
	assert_int_equal(tu_nintei(f->conf, NULL, &out, NULL, "paid", id,
	    "--amount", "２０，９００", NULL), 0);
	assert_contains(out, "paid 20,900円 of 209,000円 billed");
	assert_contains(out, "still due 188,100円");
	g_free(out);
	assert_string_equal(case_state(f, id, NULL), "awaiting_fee");
	root = show(f, id);
	fee = json_object_get_member(json_node_get_object(root), "fee");
	assert_non_null(fee);
	assert_int_equal(json_object_get_int_member(json_node_get_object(fee),
	    "shortfall"), 188100);
	json_node_unref(root);
	assert_int_equal(tu_nintei(f->conf, NULL, &out, NULL, "show", id,
	    NULL), 0);
	assert_contains(out, "手数料      一部入金：不足 188,100円");
	g_free(out);
	assert_int_equal(tu_nintei(f->conf, NULL, &out, NULL, "show",
	    "2026-0013", NULL), 0);
	assert_contains(out, "手数料      入金済み 209,000円（請求 209,000円）");
	g_free(out);
	text = letter_text(f, id, "receipt");
	assert_contains(text, "入金額      20,900円");
	assert_contains(text, "不足額      188,100円");
	assert_null(strstr(text, "これより認定審査委員会による審査に進みます"));
	g_free(text);

	assert_int_equal(tu_nintei(f->conf, NULL, &out, NULL, "paid", id,
	    "--amount", "¥200,000", NULL), 0);
	assert_contains(out, "paid in excess 11,900円");
	g_free(out);
	assert_string_equal(case_state(f, id, NULL), "under_review");
	text = letter_text(f, id, "receipt");
	assert_contains(text, "入金累計    220,900円");
	assert_contains(text, "超過額      11,900円");
	assert_contains(text, "これより認定審査委員会による審査に進みます");
	g_free(text);
	html = g_build_filename(f->dir, "report.html", NULL);
	assert_int_equal(tu_nintei(f->conf, NULL, NULL, NULL, "report",
	    "--html", html, NULL), 0);
	page = tu_read(html, NULL);
	assert_contains(page, "超過入金：超過 11,900円");
	g_free(page);
	g_free(html);
}

/* The subject of the newest letter of a kind in a case. */
static char *
letter_subject(struct fixture *f, const char *id, const char *kind)
{
	JsonNode	*root = show(f, id), *el;
	JsonArray	*letters = member_array(root, "letters");
	char		*subject = NULL;
	guint		 i;

	for (i = json_array_get_length(letters); i > 0 && subject == NULL;
	    i--) {
		el = json_array_get_element(letters, i - 1);
		if (strcmp(tu_json_str(el, "kind"), kind) == 0)
			subject = g_strdup(tu_json_str(el, "subject"));
	}
	json_node_unref(root);
	if (subject == NULL)
		fail_msg("case %s has no %s letter", id, kind);
	return subject;
}

/*
 * Reasons that say something: a blank reason refused; the rejection
 * letter claims a committee review only for a case that reached one; the
 * withdrawal letter speaks of the fee only when some was paid.
 */
static void
test_reasons(void **state)
{
	struct fixture	*f = *state;
	char		*text, *err;

	send_forms(f, "r1.eml", "r1@reasons.example.jp", NULL, "asp-saas",
	    "新規", "complete", NULL);			/* 2026-0015 */
	send_forms(f, "r2.eml", "r2@reasons.example.jp", NULL, "asp-saas",
	    "新規", "complete", NULL);			/* 2026-0016 */
	send_forms(f, "r3.eml", "r3@reasons.example.jp", NULL, "asp-saas",
	    "新規", "deficient", NULL);		/* 2026-0017 */
	assert_string_equal(case_state(f, "2026-0017", NULL), "deficient");
	assert_int_equal(tu_nintei(f->conf, NULL, NULL, &err, "reject",
	    "2026-0017", "--reason", "   ", NULL), 64);
	assert_contains(err, "nothing changed");
	g_free(err);
	assert_int_equal(tu_nintei(f->conf, NULL, NULL, NULL, "reject",
	    "2026-0017", "--reason", "　\t", NULL), 64);
	assert_int_equal(tu_nintei(f->conf, NULL, NULL, NULL, "withdraw",
	    "2026-0016", "--reason", " ", NULL), 64);
	assert_string_equal(case_state(f, "2026-0017", NULL), "deficient");
	assert_string_equal(case_state(f, "2026-0016", NULL), "awaiting_fee");

	/* Rejected while deficient: no committee. */
	assert_int_equal(tu_nintei(f->conf, NULL, NULL, NULL, "reject",
	    "2026-0017", "--reason", "期限までに書類の補正がありませんでした",
	    NULL), 0);
	text = letter_text(f, "2026-0017", "rejection");
	assert_null(strstr(text, "認定審査委員会"));
	assert_contains(text, "認定審査に進むことができず");
	assert_contains(text, "期限までに書類の補正がありませんでした");
	g_free(text);
	text = letter_subject(f, "2026-0017", "rejection");
	assert_contains(text, "申請についてのお知らせ");
	g_free(text);

	/* Paid, reviewed, rejected: the committee examined it. */
	assert_int_equal(tu_nintei(f->conf, NULL, NULL, NULL, "paid",
	    "2026-0015", NULL), 0);
	assert_int_equal(tu_nintei(f->conf, NULL, NULL, NULL, "reject",
	    "2026-0015", "--reason", "情報開示の内容が基準を満たしていません",
	    NULL), 0);
	text = letter_text(f, "2026-0015", "rejection");
	assert_contains(text, "認定審査委員会において");
	g_free(text);
	text = letter_subject(f, "2026-0015", "rejection");
	assert_contains(text, "審査結果のお知らせ");
	g_free(text);

	/* Withdrawn before paying: no word of a fee. */
	assert_int_equal(tu_nintei(f->conf, NULL, NULL, NULL, "withdraw",
	    "2026-0016", NULL), 0);
	text = letter_text(f, "2026-0016", "withdrawal");
	assert_null(strstr(text, "手数料"));
	g_free(text);
	/* Withdrawn after paying (2026-0014 paid 220,900円): the fee. */
	assert_int_equal(tu_nintei(f->conf, NULL, NULL, NULL, "withdraw",
	    "2026-0014", "--reason", "申請者からの取下げの連絡（電話）", NULL), 0);
	text = letter_text(f, "2026-0014", "withdrawal");
	assert_contains(text, "審査手数料（220,900円）の取扱い");
	g_free(text);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_samples),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_lookup),
		cmocka_unit_test(test_five_schemes),
		cmocka_unit_test(test_renewal),
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_remind),
		cmocka_unit_test(test_payment),
		cmocka_unit_test(test_reasons),
	};

	g_mime_init();
	return cmocka_run_group_tests(tests, setup, teardown);
}
