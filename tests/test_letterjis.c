/* test_letterjis.c: letters in ISO-2022-JP ([letters] charset =
 * iso-2022-jp): every letter of the letter table, filled with the values
 * of the sample applications, is built in both charsets and read back with
 * GMime and with Python's email package: the same subject, sender name and
 * text as the UTF-8 letter, 7-bit JIS, words that each return to ASCII.  A
 * letter holding a character outside JIS X 0208 goes out in UTF-8, said
 * so, with no character replaced. */

#include <string.h>

#include <gmime/gmime.h>

#include "testutil.h"
#include "conf.h"
#include "letter.h"
#include "letterkind.h"
#include "nintei.h"
#include "template.h"

/* The values every letter has besides the letter table's own (letter_vars
 * and case_vars). */
static const char *common = "case tag company contact service kind";

static struct conf	*conf;
static const char	*long_reason;	/* instead of the sample reason */

/* A sample value for a name: those of contrib/mkforms.c's applications
 * and what the code fills in; lists get two items. */
static const char *
sample(const char *name, const char *company)
{
	static const struct {
		const char	*name, *value;
	} v[] = {
		{ "case", "2026-0001" }, { "tag", "[NINTEI-2026-0001]" },
		{ "contact", "山田 太郎" }, { "service", "サンプル勤怠クラウド" },
		{ "kind", "新規" }, { "scheme", "ASP・SaaS" },
		{ "received", "2026年11月25日" }, { "name", "申請書.xlsx" },
		{ "size", "38 KB" }, { "n", "12" },
		{ "where", "情報開示書 項番12（データセンターの所在地）" },
		{ "problem", "入力されていません" }, { "written", "（空欄）" },
		{ "hint", "都道府県名まで記入してください" },
		{ "fee", "190,000円" }, { "tax", "19,000円" },
		{ "total", "209,000円" }, { "tax_rate", "10" },
		{ "services", "1" }, { "due", "2026年12月25日" },
		{ "bank", "みずほ銀行 本店営業部 普通預金 1234567" },
		{ "case_digits", "20260001" }, { "date", "2026年12月1日" },
		{ "amount", "209,000円" }, { "billed", "209,000円" },
		{ "paid_total", "209,000円" }, { "number", "0001-2612" },
		{ "certified", "2026年12月1日" },
		{ "valid_until", "2028年11月30日" },
		{ "reason", "情報開示の内容が基準を満たしていません" },
		{ "issuer", "クラウドサービス情報開示認定事務局" },
		{ "invoice_number", "T1234567890123" },
		{ "issued", "2026年11月25日" }, { "fee_plain", "190000" },
		{ "tax_plain", "19000" },
		/* Flags: unset. */
		{ "encrypted", NULL }, { "renewal", NULL }, { "no_fee", NULL },
		{ "shortfall", NULL }, { "excess", NULL },
	};
	size_t	i;

	if (strcmp(name, "company") == 0)
		return company;
	if (strcmp(name, "reason") == 0 && long_reason != NULL)
		return long_reason;
	for (i = 0; i < G_N_ELEMENTS(v); i++) {
		if (strcmp(v[i].name, name) == 0)
			return v[i].value;
	}
	/* A value the table gained since: Japanese text all the same. */
	return "見本の値";
}

/* Fills tv with the names of spec ("a b list[c d]") until its end or a
 * ']', as letterkind.c reads them. */
static void
fill(const char **p, struct tvars *tv, const char *company)
{
	const char	*s, *v;
	char		*name;
	const char	*start;
	int		 k;

	for (;;) {
		while (**p == ' ')
			(*p)++;
		if (**p == '\0')
			return;
		if (**p == ']') {
			(*p)++;
			return;
		}
		for (s = *p; **p != '\0' && **p != ' ' && **p != '[' &&
		    **p != ']'; (*p)++)
			;
		name = g_strndup(s, (gsize)(*p - s));
		if (**p == '[') {
			(*p)++;
			start = *p;
			for (k = 0; k < 2; k++) {
				*p = start;
				fill(p, tvars_push(tv, name), company);
			}
		} else if ((v = sample(name, company)) != NULL)
			tvars_set(tv, name, v);
		g_free(name);
	}
}

/* Builds the letter of kind k in the charset of jis. */
static struct letter *
build(const struct letterkind *k, int jis, const char *company)
{
	struct tvars	*tv = letter_vars(conf);
	struct letter	*l;
	const char	*p;
	char		*tmpl, *cause = NULL;

	p = common;
	fill(&p, tv, company);
	p = k->values;
	fill(&p, tv, company);
	if ((tmpl = letter_template(conf, NULL, k->template, NULL,
	    &cause)) == NULL)
		fail_msg("%s: %s", k->kind, cause);
	conf->letters_jis = jis;
	l = letter_build(conf, k->kind, NULL, tmpl, tv, "yamada@example.jp",
	    NULL, NULL, &cause);
	if (l == NULL)
		fail_msg("%s: %s", k->kind, cause);
	g_free(tmpl);
	tvars_free(tv);
	return l;
}

/* What GMime reads of a letter: "subject\nname\ncharset\ntext". */
static char *
gmime_read(GBytes *raw)
{
	GMimeStream		*st;
	GMimeParser		*parser;
	GMimeMessage		*msg;
	GMimeObject		*body;
	InternetAddressList	*from;
	GMimeContentType	*ct;
	char			*text, *out, *crlf, *w;
	gsize			 len;
	const char		*data = g_bytes_get_data(raw, &len);

	st = g_mime_stream_mem_new_with_buffer(data, len);
	parser = g_mime_parser_new_with_stream(st);
	msg = g_mime_parser_construct_message(parser, NULL);
	assert_non_null(msg);
	body = g_mime_message_get_mime_part(msg);
	assert_true(GMIME_IS_TEXT_PART(body));
	text = g_mime_text_part_get_text(GMIME_TEXT_PART(body));
	/* Line ends as GMime gives them back (CRLF), made LF. */
	crlf = text;
	for (w = text; *crlf != '\0'; crlf++) {
		if (*crlf != '\r')
			*w++ = *crlf;
	}
	*w = '\0';
	from = g_mime_message_get_from(msg);
	ct = g_mime_object_get_content_type(body);
	out = g_strdup_printf("%s\n%s\n%s\n%s",
	    g_mime_message_get_subject(msg),
	    internet_address_get_name(internet_address_list_get_address(from,
	    0)), g_mime_content_type_get_parameter(ct, "charset"), text);
	g_free(text);
	g_object_unref(msg);
	g_object_unref(parser);
	g_object_unref(st);
	return out;
}

/* What Python's email package reads of the letter in file, in the same
 * form as gmime_read. */
static char *
python_read(const char *file)
{
	const char	*argv[] = { "python3", "-c",
	    "import email, email.policy, sys\n"
	    "m = email.message_from_bytes(open(sys.argv[1], 'rb').read(),\n"
	    "    policy=email.policy.default)\n"
	    "t = m.get_content().replace('\\r', '')\n"
	    "sys.stdout.buffer.write(('%s\\n%s\\n%s\\n%s' % (m['subject'],\n"
	    "    m['from'].addresses[0].display_name,\n"
	    "    m.get_content_charset(), t)).encode('utf-8'))\n",
	    file, NULL };
	char		*out = NULL, *err = NULL;
	int		 status;
	GError		*error = NULL;

	if (!g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL,
	    NULL, &out, &err, &status, &error))
		fail_msg("python3: %s", error->message);
	if (status != 0)
		fail_msg("python3 on %s: %s", file, err);
	g_free(err);
	return out;
}

/* "subject\nname\ncharset\ntext" with the charset line dropped. */
static char *
without_charset(const char *s)
{
	char	**f = g_strsplit(s, "\n", 4), *out;

	assert_non_null(f[3]);
	out = g_strdup_printf("%s\n%s\n%s", f[0], f[1], f[3]);
	g_strfreev(f);
	return out;
}

/* Each header line of raw at most 78 characters; every byte 7-bit. */
static void
check_7bit(GBytes *raw, const char *kind)
{
	gsize		 len, i, col = 0;
	const guchar	*b = g_bytes_get_data(raw, &len);

	for (i = 0; i < len; i++) {
		if (b[i] >= 0x80)
			fail_msg("%s: 8-bit byte at %zu", kind, i);
		col = b[i] == '\n' ? 0 : col + 1;
		if (col > 998)
			fail_msg("%s: a line over 998 bytes", kind);
	}
}

/* Every ISO-2022-JP word of the raw header block returns to ASCII and is
 * at most 75 characters. */
static void
check_words(GBytes *raw, const char *kind)
{
	gsize		 len, n;
	const char	*b = g_bytes_get_data(raw, &len), *p, *e;
	char		*head = g_strndup(b, len), *cut, *w;
	guchar		*dec;
	int		 words = 0;

	if ((cut = strstr(head, "\r\n\r\n")) != NULL)
		*cut = '\0';
	for (p = head; (p = strstr(p, "=?ISO-2022-JP?B?")) != NULL; p = e) {
		e = strstr(p + 16, "?=");
		assert_non_null(e);
		e += 2;
		if (e - p > 75)
			fail_msg("%s: a word of %d characters", kind,
			    (int)(e - p));
		w = g_strndup(p + 16, (gsize)(e - 2 - (p + 16)));
		dec = g_base64_decode(w, &n);
		if (n < 3 || memcmp(dec + n - 3, "\x1b(B", 3) != 0)
			fail_msg("%s: word %s does not return to ASCII", kind,
			    w);
		g_free(dec);
		g_free(w);
		words++;
	}
	if (words < 2)		/* the From name and the subject */
		fail_msg("%s: %d ISO-2022-JP words", kind, words);
	g_free(head);
}

/* Every letter of the table: the ISO-2022-JP letter reads, in GMime and
 * in Python, as the UTF-8 letter does. */
static void
test_round_trip(void **state)
{
	const struct letterkind	*k;
	struct letter		*u, *j;
	char			*gu, *gj, *pj, *dir, *fj, *a, *b;
	gsize			 len;
	size_t			 i;

	(void)state;
	dir = tu_tmpdir("letterjis");
	for (i = 0; (k = letterkind_nth(i)) != NULL; i++) {
		u = build(k, 0, "株式会社サンプルクラウド");
		j = build(k, 1, "株式会社サンプルクラウド");
		assert_null(u->fallback);
		if (j->fallback != NULL)
			fail_msg("%s: %s", k->kind, j->fallback);
		check_7bit(j->raw, k->kind);
		check_words(j->raw, k->kind);
		assert_non_null(strstr(g_bytes_get_data(j->raw, &len),
		    "Content-Transfer-Encoding: 7bit"));
		gu = gmime_read(u->raw);
		gj = gmime_read(j->raw);
		fj = g_strdup_printf("%s/%s-jis.eml", dir, k->kind);
		tu_write(fj, g_bytes_get_data(j->raw, &len),
		    g_bytes_get_size(j->raw));
		pj = python_read(fj);
		/* The charsets are what they say... */
		assert_non_null(strstr(gu, "\nUTF-8\n"));
		assert_non_null(strstr(g_ascii_strdown(gj, -1),
		    "\niso-2022-jp\n"));
		assert_non_null(strstr(pj, "\niso-2022-jp\n"));
		/* ...and the rest is the same text. */
		a = without_charset(gu);
		b = without_charset(gj);
		if (strcmp(a, b) != 0)
			fail_msg("%s: GMime reads\n%s\nnot\n%s", k->kind, b, a);
		g_free(b);
		b = without_charset(pj);
		if (strcmp(a, b) != 0)
			fail_msg("%s: Python reads\n%s\nnot\n%s", k->kind, b,
			    a);
		g_free(b);
		g_free(a);
		g_free(gu);
		g_free(gj);
		g_free(pj);
		g_free(fj);
		letter_free(u);
		letter_free(j);
	}
	tu_rm_rf(dir);
	g_free(dir);
}

/* A company with ㈱, 髙 and ① (CP932's, outside JIS X 0208), and CP932's
 * ～: that letter goes out in UTF-8, says why, and keeps every
 * character. */
static void
test_outside_jis(void **state)
{
	const struct letterkind	*k = letterkind_find("ack");
	struct letter		*j;
	char			*g;

	(void)state;
	assert_non_null(k);
	j = build(k, 1, "㈱髙橋システム①～");
	assert_non_null(j->fallback);
	assert_non_null(strstr(j->fallback, "UTF-8"));
	assert_non_null(strstr(j->fallback, "㈱"));
	assert_non_null(strstr(j->fallback, "髙"));
	assert_non_null(strstr(j->fallback, "①"));
	assert_non_null(strstr(j->fallback, "～"));
	g = gmime_read(j->raw);
	assert_non_null(strstr(g, "\nUTF-8\n"));
	assert_non_null(strstr(g, "㈱髙橋システム①～"));
	g_free(g);
	letter_free(j);
}

/* The letters of a sample application, end to end: in ISO-2022-JP on
 * the wire; with a secretariat name outside JIS X 0208, in UTF-8, and
 * the case's history says so. */
static void
test_end_to_end(void **state)
{
	const char	*names[] = { "クラウドサービス情報開示認定事務局",
	    "髙橋認定事務局" };
	char		*dir, *conf_file, *extra, *sample, *out, *box, *text;
	GPtrArray	*letters;
	gsize		 len;
	guint		 i, k;

	(void)state;
	sample = g_build_filename(tu_top(), "contrib", "samples",
	    "01-application-zip.eml", NULL);
	for (k = 0; k < 2; k++) {
		dir = tu_tmpdir("letterjis-e2e");
		extra = g_strdup_printf("[letters]\ncharset = iso-2022-jp\n"
		    "[secretariat]\nname = %s\n", names[k]);
		conf_file = tu_spool(dir, extra);
		assert_int_equal(tu_nintei(conf_file, NULL, NULL, NULL,
		    "ingest", sample, NULL), 0);
		box = g_build_filename(dir, "outbox", "new", NULL);
		letters = tu_list(box);
		assert_true(letters->len >= 2);
		for (i = 0; i < letters->len; i++) {
			out = g_build_filename(box,
			    g_ptr_array_index(letters, i), NULL);
			text = tu_read(out, &len);
			assert_non_null(strstr(text, k == 0 ?
			    "charset=ISO-2022-JP" : "charset=UTF-8"));
			g_free(text);
			g_free(out);
		}
		assert_int_equal(tu_nintei(conf_file, NULL, &out, NULL,
		    "show", "2026-0001", "--json", NULL), 0);
		if (k == 0)
			assert_null(strstr(out, "letter_charset"));
		else if (strstr(out, "letter_charset") == NULL ||
		    strstr(out, "ISO-2022-JP にない文字：髙") == NULL)
			fail_msg("no letter_charset event in\n%s", out);
		g_free(out);
		g_ptr_array_free(letters, TRUE);
		g_free(box);
		g_free(conf_file);
		g_free(extra);
		tu_rm_rf(dir);
		g_free(dir);
	}
	g_free(sample);
}

/* A line over 998 bytes in JIS: the ISO-2022-JP text goes in base64,
 * still read back whole. */
static void
test_long_line(void **state)
{
	const struct letterkind	*k = letterkind_find("rejection");
	struct letter		*u, *j;
	GString			*reason = g_string_new(NULL);
	char			*gu, *gj, *a, *b;
	gsize			 len;
	int			 i;

	(void)state;
	for (i = 0; i < 300; i++)
		g_string_append(reason, "情報開示");
	long_reason = reason->str;
	u = build(k, 0, "株式会社サンプルクラウド");
	j = build(k, 1, "株式会社サンプルクラウド");
	long_reason = NULL;
	assert_null(j->fallback);
	assert_non_null(strstr(g_bytes_get_data(j->raw, &len),
	    "Content-Transfer-Encoding: base64"));
	assert_non_null(strstr(g_bytes_get_data(j->raw, &len),
	    "charset=ISO-2022-JP"));
	check_7bit(j->raw, "rejection");
	gu = gmime_read(u->raw);
	gj = gmime_read(j->raw);
	a = without_charset(gu);
	b = without_charset(gj);
	assert_string_equal(a, b);
	assert_non_null(strstr(b, reason->str));
	g_free(a);
	g_free(b);
	g_free(gu);
	g_free(gj);
	letter_free(u);
	letter_free(j);
	g_string_free(reason, TRUE);
}

static int
setup(void **state)
{
	char	*dir, *file, *text, *cause = NULL;

	(void)state;
	g_mime_init();
	g_setenv("NINTEI_NOW", "2026-11-25T10:15:00", TRUE);
	dir = tu_tmpdir("letterjis-conf");
	file = g_build_filename(dir, "nintei.conf", NULL);
	text = g_strdup_printf("[secretariat]\n"
	    "name = クラウドサービス情報開示認定事務局\n"
	    "address = nintei@example.org\n"
	    "[letters]\ntemplates = %s/templates\ncharset = iso-2022-jp\n"
	    "[store]\npath = %s\n", tu_top(), dir);
	tu_write(file, text, strlen(text));
	if ((conf = conf_load(file, &cause)) == NULL)
		fail_msg("conf: %s", cause);
	assert_int_equal(conf->letters_jis, 1);
	g_free(text);
	g_free(file);
	tu_rm_rf(dir);
	g_free(dir);
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_outside_jis),
		cmocka_unit_test(test_long_line),
		cmocka_unit_test(test_end_to_end),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
