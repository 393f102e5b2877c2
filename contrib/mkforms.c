/* mkforms.c: writes sample and test applications: the forms of each
 * scheme as XLSX made by a real writer (libxlsxwriter) or as CP932 CSV,
 * packed as ZIPs (with CP932 file names where asked) into mails. */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gmime/gmime.h>
#include <xlsxwriter.h>
#include <zip.h>

#include "rules.h"

/* What is wrong in a deficient sample (the tests know these). */
#define DEFICIENT_EMPTY		"3-4"	/* a mandatory item left empty */
#define DEFICIENT_DATE		"1"	/* a date nobody can read */
#define DEFICIENT_LONG		"2-8"	/* 120 characters for 100 */
#define DEFICIENT_WHEN_ON	"6-2"	/* 有, and then ... */
#define DEFICIENT_WHEN		"6-3"	/* ... left empty */

struct sample {
	const char	*file;		/* the .eml written */
	const char	*scheme;	/* code */
	const char	*kind;		/* 新規, 更新, 変更 */
	const char	*certification;	/* for 更新 and 変更 */
	int		 deficient;
	enum { ONE_BOOK, TWO_BOOKS, BARE_BOOK, CSV_CP932, ENCRYPTED }
			 packing;
	const char	*company;
	const char	*service;
	const char	*contact;
	const char	*email;
};

/* The samples make run polls: a complete and a deficient application
 * per scheme, in every packing the SPEC allows. */
static const struct sample samples[] = {
	{ "10-asp-saas-complete.eml", "asp-saas", "新規", NULL, 0, ONE_BOOK,
	  "株式会社サンプルクラウド", "サンプル勤怠クラウド", "山田 太郎",
	  "yamada@sample-cloud.example.jp" },
	{ "11-asp-saas-deficient.eml", "asp-saas", "新規", NULL, 1, TWO_BOOKS,
	  "株式会社ミホン", "ミホン経費精算", "佐藤 花子",
	  "sato@mihon.example.jp" },
	{ "20-iaas-paas-complete.eml", "iaas-paas", "新規", NULL, 0, BARE_BOOK,
	  "テストインフラ株式会社", "テストIaaS", "鈴木 一郎",
	  "suzuki@test-infra.example.jp" },
	{ "21-iaas-paas-deficient.eml", "iaas-paas", "新規", NULL, 1, ONE_BOOK,
	  "株式会社レイダイ", "レイダイPaaS", "高橋 次郎",
	  "takahashi@reidai.example.jp" },
	{ "30-datacenter-complete-cp932.eml", "datacenter", "新規", NULL, 0,
	  CSV_CP932, "株式会社データ倉庫", "東京第一データセンター",
	  "田中 三郎", "tanaka@data-souko.example.jp" },
	{ "31-datacenter-deficient.eml", "datacenter", "新規", NULL, 1,
	  TWO_BOOKS, "株式会社ラック", "大阪データセンター", "伊藤 四郎",
	  "ito@rack.example.jp" },
	{ "40-medical-complete.eml", "medical", "新規", NULL, 0, ONE_BOOK,
	  "医療クラウド株式会社", "カルテ保管クラウド", "渡辺 五郎",
	  "watanabe@iryo-cloud.example.jp" },
	{ "41-medical-deficient-cp932.eml", "medical", "新規", NULL, 1,
	  CSV_CP932, "株式会社メディカ", "メディカ予約", "山本 六子",
	  "yamamoto@medica.example.jp" },
	{ "50-mynumber-complete.eml", "mynumber", "新規", NULL, 0, TWO_BOOKS,
	  "株式会社マイナ", "マイナ給与クラウド", "中村 七海",
	  "nakamura@myna.example.jp" },
	{ "51-mynumber-deficient.eml", "mynumber", "新規", NULL, 1, BARE_BOOK,
	  "株式会社トッコ", "トッコ人事", "小林 八雲",
	  "kobayashi@tokko.example.jp" },
};

static const char	*mkforms_tmp;	/* a folder for the writer's files */
static const char	*mkforms_subject; /* -s: instead of the usual one */

static void __attribute__((noreturn, format(printf, 1, 2)))
die(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	fprintf(stderr, "mkforms: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	exit(1);
}

/* A text of n characters that reads as a disclosure. */
static char *
mkforms_text(const char *label, unsigned int n)
{
	GString		*s = g_string_new(NULL);
	const char	*fill = "当社の規程に基づき適切に管理しています。";
	const char	*p;
	unsigned int	 len = 0;

	for (p = label; *p != '\0' && len < n; p = g_utf8_next_char(p)) {
		g_string_append_unichar(s, g_utf8_get_char(p));
		len++;
	}
	if (len < n) {
		g_string_append(s, "：");
		len++;
	}
	while (len < n) {
		for (p = fill; *p != '\0' && len < n;
		    p = g_utf8_next_char(p)) {
			g_string_append_unichar(s, g_utf8_get_char(p));
			len++;
		}
	}
	return g_string_free(s, FALSE);
}

/* A value an applicant would write for an item of this type. */
static char *
mkforms_value(const struct sample *sm, const struct rule_item *it)
{
	switch (it->type.kind) {
	case VT_TEXT:
		if (strcmp(it->id, "2-1") == 0)
			return g_strdup(sm->company);
		if (strcmp(it->id, "7-1") == 0)
			return g_strdup(sm->service);
		return mkforms_text(it->label, it->type.max_len > 0 &&
		    it->type.max_len < 40 ? it->type.max_len : 40);
	case VT_DATE:
		return g_strdup(strcmp(it->id, "1") == 0 ? "令和8年10月1日" :
		    "2015/4/1");
	case VT_YEAR:
		return g_strdup("2008年");
	case VT_INTEGER:
		return g_strdup(strcmp(it->id, "2-4") == 0 ? "18" : "120名");
	case VT_AMOUNT:
		return g_strdup(strcmp(it->id, "4-2") == 0 ? "△3,500万円" :
		    "1億2,000万円");
	case VT_PERCENT:
		return g_strdup("99.95%");
	case VT_ENUM:
		return g_strdup(g_ptr_array_index(it->type.choices, 0));
	case VT_URL:
		return g_strdup("https://www.example.jp/");
	case VT_EMAIL:
		return g_strdup(sm->email);
	case VT_POSTAL:
		return g_strdup("〒100-0001");
	case VT_PHONE:
		return g_strdup("03-1234-5678");
	}
	return g_strdup("");
}

/* The value of an item in this sample, deficient ones spoiled. */
static char *
mkforms_item(const struct sample *sm, const struct rule_item *it)
{
	if (sm->deficient) {
		if (strcmp(it->id, DEFICIENT_EMPTY) == 0 ||
		    strcmp(it->id, DEFICIENT_WHEN) == 0)
			return g_strdup("");
		if (strcmp(it->id, DEFICIENT_DATE) == 0)
			return g_strdup("来年4月頃");
		if (strcmp(it->id, DEFICIENT_LONG) == 0)
			return mkforms_text(it->label, 120);
		if (strcmp(it->id, DEFICIENT_WHEN_ON) == 0)
			return g_strdup("有");
	}
	return mkforms_value(sm, it);
}

/* The 申請書 rows of a sample. */
static void
mkforms_rows(const struct sample *sm, const struct scheme *s,
    const char *rows[][2])
{
	rows[0][0] = "制度";		rows[0][1] = s->name;
	rows[1][0] = "申請区分";	rows[1][1] = sm->kind;
	rows[2][0] = "認定番号";	rows[2][1] = sm->certification != NULL ?
	    sm->certification : "";
	rows[3][0] = "事業者名";	rows[3][1] = sm->company;
	rows[4][0] = "サービス名称";	rows[4][1] = sm->service;
	rows[5][0] = "サービス概要";	rows[5][1] = "クラウドで提供する業務サービス";
	rows[6][0] = "担当者氏名";	rows[6][1] = sm->contact;
	rows[7][0] = "担当者メールアドレス"; rows[7][1] = sm->email;
	rows[8][0] = "電話番号";	rows[8][1] = "03-1234-5678";
}

/* Writes the 申請書 sheet. */
static void
mkforms_sheet_app(lxw_workbook *wb, const struct sample *sm,
    const struct scheme *s)
{
	lxw_worksheet	*ws = workbook_add_worksheet(wb, "申請書");
	const char	*rows[9][2];
	int		 i;

	mkforms_rows(sm, s, rows);
	worksheet_write_string(ws, 0, 0, "項目", NULL);
	worksheet_write_string(ws, 0, 1, "内容", NULL);
	for (i = 0; i < 9; i++) {
		worksheet_write_string(ws, (lxw_row_t)(i + 1), 0, rows[i][0],
		    NULL);
		if (*rows[i][1] != '\0')
			worksheet_write_string(ws, (lxw_row_t)(i + 1), 1,
			    rows[i][1], NULL);
	}
	worksheet_set_column(ws, 0, 0, 24, NULL);
	worksheet_set_column(ws, 1, 1, 48, NULL);
}

/* Writes the 情報開示書 sheet: dates of complete samples as Excel dates. */
static void
mkforms_sheet_disc(lxw_workbook *wb, const struct sample *sm,
    const struct scheme *s)
{
	lxw_worksheet		*ws = workbook_add_worksheet(wb, "情報開示書");
	lxw_format		*date = workbook_add_format(wb);
	const struct rule_item	*it;
	lxw_datetime		 dt = { 2015, 4, 1, 0, 0, 0 };
	lxw_row_t		 r;
	char			*v;
	guint			 i;

	format_set_num_format(date, "yyyy\"年\"m\"月\"d\"日\"");
	worksheet_write_string(ws, 0, 0, "項番", NULL);
	worksheet_write_string(ws, 0, 1, "項目", NULL);
	worksheet_write_string(ws, 0, 2, "必須/選択", NULL);
	worksheet_write_string(ws, 0, 3, "記述内容", NULL);
	for (i = 0; i < s->items->len; i++) {
		it = g_ptr_array_index(s->items, i);
		r = (lxw_row_t)(i + 1);
		worksheet_write_string(ws, r, 0, it->id, NULL);
		worksheet_write_string(ws, r, 1, it->label, NULL);
		worksheet_write_string(ws, r, 2, it->required ? "必須" :
		    "選択", NULL);
		if (it->type.kind == VT_DATE && !sm->deficient &&
		    strcmp(it->id, "1") != 0) {
			worksheet_write_datetime(ws, r, 3, &dt, date);
			continue;
		}
		v = mkforms_item(sm, it);
		if (*v != '\0')
			worksheet_write_string(ws, r, 3, v, NULL);
		g_free(v);
	}
	worksheet_set_column(ws, 1, 1, 36, NULL);
	worksheet_set_column(ws, 3, 3, 60, NULL);
}

/* Reads a whole file into a byte array. */
static GByteArray *
mkforms_slurp(const char *path)
{
	char		*data;
	gsize		 len;
	GByteArray	*ba;

	if (!g_file_get_contents(path, &data, &len, NULL))
		die("cannot read %s", path);
	ba = g_byte_array_new_take((guint8 *)data, len);
	return ba;
}

/* A workbook with the sheets asked for ('a', 'd' or both). */
static GByteArray *
mkforms_book(const struct sample *sm, const struct scheme *s, int app,
    int disc)
{
	char		*path;
	lxw_workbook	*wb;
	GByteArray	*ba;

	path = g_build_filename(mkforms_tmp, "book.xlsx", NULL);
	if ((wb = workbook_new(path)) == NULL)
		die("libxlsxwriter cannot write %s", path);
	if (app)
		mkforms_sheet_app(wb, sm, s);
	if (disc)
		mkforms_sheet_disc(wb, sm, s);
	if (workbook_close(wb) != LXW_NO_ERROR)
		die("libxlsxwriter failed on %s", path);
	ba = mkforms_slurp(path);
	unlink(path);
	g_free(path);
	return ba;
}

/* Quotes a CSV field when it needs it. */
static void
mkforms_csv_field(GString *out, const char *v)
{
	const char	*p;

	if (strpbrk(v, ",\"\r\n") == NULL) {
		g_string_append(out, v);
		return;
	}
	g_string_append_c(out, '"');
	for (p = v; *p != '\0'; p++) {
		if (*p == '"')
			g_string_append_c(out, '"');
		g_string_append_c(out, *p);
	}
	g_string_append_c(out, '"');
}

/* UTF-8 text in CP932 bytes, as Excel on Japanese Windows saves CSV. */
static GByteArray *
mkforms_cp932(const char *utf8)
{
	gsize	 len;
	char	*b;

	b = g_convert(utf8, -1, "CP932", "UTF-8", NULL, &len, NULL);
	if (b == NULL)
		die("cannot convert to CP932: %.40s", utf8);
	return g_byte_array_new_take((guint8 *)b, len);
}

static GByteArray *
mkforms_csv_app(const struct sample *sm, const struct scheme *s)
{
	GString		*out = g_string_new("項目,内容\r\n");
	const char	*rows[9][2];
	GByteArray	*ba;
	int		 i;

	mkforms_rows(sm, s, rows);
	for (i = 0; i < 9; i++) {
		mkforms_csv_field(out, rows[i][0]);
		g_string_append_c(out, ',');
		mkforms_csv_field(out, rows[i][1]);
		g_string_append(out, "\r\n");
	}
	ba = mkforms_cp932(out->str);
	g_string_free(out, TRUE);
	return ba;
}

static GByteArray *
mkforms_csv_disc(const struct sample *sm, const struct scheme *s)
{
	GString			*out = g_string_new("項番,項目,必須/選択,記述内容\r\n");
	const struct rule_item	*it;
	GByteArray		*ba;
	char			*v;
	guint			 i;

	for (i = 0; i < s->items->len; i++) {
		it = g_ptr_array_index(s->items, i);
		v = mkforms_item(sm, it);
		mkforms_csv_field(out, it->id);
		g_string_append_c(out, ',');
		mkforms_csv_field(out, it->label);
		g_string_append_c(out, ',');
		g_string_append(out, it->required ? "必須" : "選択");
		g_string_append_c(out, ',');
		mkforms_csv_field(out, v);
		g_string_append(out, "\r\n");
		g_free(v);
	}
	ba = mkforms_cp932(out->str);
	g_string_free(out, TRUE);
	return ba;
}

/* Packs files into a ZIP; names in CP932 without the UTF-8 flag when
 * cp932 is set, as Japanese Windows writes them; encrypted with
 * password when one is given. */
static GByteArray *
mkforms_zip(const char *const *names, GByteArray **files, int n, int cp932,
    const char *password)
{
	char		*path, *raw;
	zip_t		*za;
	zip_source_t	*src;
	zip_int64_t	 idx;
	int		 err, i;
	gsize		 len;
	GByteArray	*ba;

	path = g_build_filename(mkforms_tmp, "pack.zip", NULL);
	if ((za = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &err)) == NULL)
		die("libzip cannot write %s", path);
	for (i = 0; i < n; i++) {
		src = zip_source_buffer(za, files[i]->data, files[i]->len, 0);
		if (cp932) {
			raw = g_convert(names[i], -1, "CP932", "UTF-8", NULL,
			    &len, NULL);
			idx = zip_file_add(za, raw, src, ZIP_FL_ENC_RAW);
			g_free(raw);
		} else
			idx = zip_file_add(za, names[i], src,
			    ZIP_FL_ENC_UTF_8);
		if (idx < 0)
			die("zip_file_add: %s", zip_strerror(za));
		if (password != NULL && zip_file_set_encryption(za,
		    (zip_uint64_t)idx, ZIP_EM_AES_256, password) != 0)
			die("zip_file_set_encryption: %s", zip_strerror(za));
	}
	if (zip_close(za) != 0)
		die("zip_close: %s", zip_strerror(za));
	ba = mkforms_slurp(path);
	unlink(path);
	g_free(path);
	return ba;
}

/* The mail of an application, with the given attachments. */
static void
mkforms_mail(const char *out, const struct sample *sm, int serial,
    const char *const *names, GByteArray **files, int n)
{
	GMimeMessage		*m = g_mime_message_new(TRUE);
	GMimeMultipart		*mp = g_mime_multipart_new_with_subtype("mixed");
	GMimeTextPart		*t = g_mime_text_part_new_with_subtype("plain");
	GMimePart		*a;
	GMimeDataWrapper	*dw;
	GMimeStream		*st;
	GDateTime		*date;
	GMimeFormatOptions	*fo;
	char			*subject, *id, *body, *text;
	int			 i;
	FILE			*f;

	g_mime_message_add_mailbox(m, GMIME_ADDRESS_TYPE_FROM, sm->contact,
	    sm->email);
	g_mime_message_add_mailbox(m, GMIME_ADDRESS_TYPE_TO,
	    "クラウドサービス情報開示認定事務局", "nintei@example.org");
	subject = mkforms_subject != NULL ? g_strdup(mkforms_subject) :
	    g_strdup_printf("情報開示認定の申請（%s）", sm->service);
	g_mime_message_set_subject(m, subject, "UTF-8");
	id = g_strdup_printf("sample-%d-%s.%s", serial, sm->file,
	    strchr(sm->email, '@') + 1);
	g_mime_message_set_message_id(m, id);
	date = g_date_time_new_local(2026, 11, 24, 9, serial % 60, 0);
	g_mime_message_set_date(m, date);
	g_date_time_unref(date);
	body = g_strdup_printf("クラウドサービス情報開示認定事務局 御中\n\n"
	    "いつもお世話になっております。\n%sの%sです。\n\n"
	    "「%s」の情報開示認定を申請いたします。\n"
	    "申請書類を添付いたしますので、ご確認のほどよろしくお願い"
	    "いたします。\n", sm->company, sm->contact, sm->service);
	g_mime_text_part_set_text(t, body);
	g_mime_multipart_add(mp, GMIME_OBJECT(t));
	for (i = 0; i < n; i++) {
		a = g_mime_part_new_with_type("application",
		    g_str_has_suffix(names[i], ".zip") ? "zip" :
		    "vnd.openxmlformats-officedocument.spreadsheetml.sheet");
		g_mime_part_set_filename(a, names[i]);
		st = g_mime_stream_mem_new_with_buffer((const char *)
		    files[i]->data, files[i]->len);
		dw = g_mime_data_wrapper_new_with_stream(st,
		    GMIME_CONTENT_ENCODING_DEFAULT);
		g_mime_part_set_content(a, dw);
		g_mime_part_set_content_encoding(a,
		    GMIME_CONTENT_ENCODING_BASE64);
		g_mime_multipart_add(mp, GMIME_OBJECT(a));
		g_object_unref(dw);
		g_object_unref(st);
		g_object_unref(a);
	}
	g_mime_message_set_mime_part(m, GMIME_OBJECT(mp));
	fo = g_mime_format_options_new();
	g_mime_format_options_set_newline_format(fo, GMIME_NEWLINE_FORMAT_DOS);
	text = g_mime_object_to_string(GMIME_OBJECT(m), fo);
	if ((f = fopen(out, "wb")) == NULL)
		die("%s: %s", out, g_strerror(errno));
	fwrite(text, 1, strlen(text), f);
	fclose(f);
	g_free(text);
	g_mime_format_options_free(fo);
	g_object_unref(t);
	g_object_unref(mp);
	g_object_unref(m);
	g_free(subject);
	g_free(id);
	g_free(body);
}

/* Writes one sample application as a mail in dir. */
static void
mkforms_sample(const char *dir, const struct rules *rules,
    const struct sample *sm, int serial, const char *password)
{
	const struct scheme	*s = rules_scheme(rules, sm->scheme);
	GByteArray		*files[2], *zip;
	const char		*names[2];
	char			*out;

	if (s == NULL)
		die("no scheme %s in the rules", sm->scheme);
	out = g_build_filename(dir, sm->file, NULL);
	switch (sm->packing) {
	case ONE_BOOK:
	case ENCRYPTED:
		files[0] = mkforms_book(sm, s, 1, 1);
		names[0] = "申請書類.xlsx";
		zip = mkforms_zip(names, files, 1, 0, sm->packing ==
		    ENCRYPTED ? password : NULL);
		names[0] = "申請書類.zip";
		mkforms_mail(out, sm, serial, names, &zip, 1);
		g_byte_array_free(files[0], TRUE);
		g_byte_array_free(zip, TRUE);
		break;
	case TWO_BOOKS:
		files[0] = mkforms_book(sm, s, 1, 0);
		files[1] = mkforms_book(sm, s, 0, 1);
		names[0] = "申請書.xlsx";
		names[1] = "情報開示書.xlsx";
		zip = mkforms_zip(names, files, 2, 0, NULL);
		names[0] = "申請書類一式.zip";
		mkforms_mail(out, sm, serial, names, &zip, 1);
		g_byte_array_free(files[0], TRUE);
		g_byte_array_free(files[1], TRUE);
		g_byte_array_free(zip, TRUE);
		break;
	case BARE_BOOK:
		files[0] = mkforms_book(sm, s, 1, 1);
		names[0] = "情報開示認定申請書類.xlsx";
		mkforms_mail(out, sm, serial, names, files, 1);
		g_byte_array_free(files[0], TRUE);
		break;
	case CSV_CP932:
		files[0] = mkforms_csv_app(sm, s);
		files[1] = mkforms_csv_disc(sm, s);
		names[0] = "申請書.csv";
		names[1] = "情報開示書.csv";
		zip = mkforms_zip(names, files, 2, 1, NULL);
		names[0] = "申請書類.zip";
		mkforms_mail(out, sm, serial, names, &zip, 1);
		g_byte_array_free(files[0], TRUE);
		g_byte_array_free(files[1], TRUE);
		g_byte_array_free(zip, TRUE);
		break;
	}
	g_free(out);
}

static void
usage(void)
{
	fprintf(stderr,
	    "usage: mkforms [-r RULES] samples DIR\n"
	    "       mkforms [-r RULES] [-f FROM] [-s SUBJECT] one DIR FILE "
	    "SCHEME KIND complete|deficient one|two|bare|csv|encrypted "
	    "[CERT] [PASSWORD]\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	struct rules	*rules;
	GPtrArray	*errors = g_ptr_array_new_with_free_func(g_free);
	struct sample	 one;
	const char	*rdir = "rules", *from = NULL;
	char		*tmpl;
	size_t		 i;
	int		 ch;

	while ((ch = getopt(argc, argv, "f:r:s:")) != -1) {
		switch (ch) {
		case 'f':
			from = optarg;
			break;
		case 'r':
			rdir = optarg;
			break;
		case 's':
			mkforms_subject = optarg;
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 2)
		usage();
	g_mime_init();
	rules = rules_load(rdir, errors);
	if (rules == NULL || errors->len > 0)
		die("rules: %s", errors->len > 0 ?
		    (char *)g_ptr_array_index(errors, 0) : "cannot load");
	tmpl = g_build_filename(g_get_tmp_dir(), "mkforms.XXXXXX", NULL);
	if ((mkforms_tmp = g_mkdtemp(tmpl)) == NULL)
		die("mkdtemp: %s", g_strerror(errno));
	g_mkdir_with_parents(argv[1], 0755);
	if (strcmp(argv[0], "samples") == 0 && argc == 2) {
		for (i = 0; i < G_N_ELEMENTS(samples); i++)
			mkforms_sample(argv[1], rules, &samples[i], (int)i + 1,
			    NULL);
	} else if (strcmp(argv[0], "one") == 0 && argc >= 7) {
		memset(&one, 0, sizeof one);
		one.file = argv[2];
		one.scheme = argv[3];
		one.kind = argv[4];
		one.deficient = strcmp(argv[5], "deficient") == 0;
		if (strcmp(argv[6], "one") == 0)
			one.packing = ONE_BOOK;
		else if (strcmp(argv[6], "two") == 0)
			one.packing = TWO_BOOKS;
		else if (strcmp(argv[6], "bare") == 0)
			one.packing = BARE_BOOK;
		else if (strcmp(argv[6], "csv") == 0)
			one.packing = CSV_CP932;
		else if (strcmp(argv[6], "encrypted") == 0)
			one.packing = ENCRYPTED;
		else
			usage();
		one.certification = argc > 7 && *argv[7] != '\0' ? argv[7] :
		    NULL;
		one.company = "株式会社サンプルクラウド";
		one.service = "サンプル勤怠クラウド";
		one.contact = "山田 太郎";
		one.email = from != NULL ? from :
		    "yamada@sample-cloud.example.jp";
		mkforms_sample(argv[1], rules, &one, 99, argc > 8 ? argv[8] :
		    NULL);
	} else
		usage();
	rmdir(mkforms_tmp);
	g_free(tmpl);
	rules_free(rules);
	g_ptr_array_free(errors, TRUE);
	return 0;
}
