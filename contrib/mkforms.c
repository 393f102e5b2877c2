/* mkforms.c: writes sample and test applications: the forms of each
 * scheme as XLSX made by a real writer (libxlsxwriter) or as CP932 CSV,
 * packed as ZIPs (with CP932 file names where asked) into mails; the
 * writing itself is formgen.c's. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "formgen.h"

struct sample {
	const char	*file;		/* the .eml written */
	enum { ONE_BOOK, TWO_BOOKS, BARE_BOOK, CSV_CP932, ENCRYPTED,
	    APP_ONLY, DISC_ONLY, NO_FORMS } packing;
	struct formgen_app app;
};

/* A new application in the fixed wording of the samples. */
#define SAMPLE(file, packing, scheme, deficient, company, service,	\
    contact, email)							\
	{ file, packing, { scheme, "新規", NULL, deficient, company,	\
	    service, contact, email, NULL, 0, NULL, NULL } }

/* The samples make run polls: a complete and a deficient application
 * per scheme, in every packing the SPEC allows. */
static const struct sample samples[] = {
	SAMPLE("10-asp-saas-complete.eml", ONE_BOOK, "asp-saas", 0,
	    "株式会社サンプルクラウド", "サンプル勤怠クラウド", "山田 太郎",
	    "yamada@sample-cloud.example.jp"),
	SAMPLE("11-asp-saas-deficient.eml", TWO_BOOKS, "asp-saas", 1,
	    "株式会社ミホン", "ミホン経費精算", "佐藤 花子",
	    "sato@mihon.example.jp"),
	SAMPLE("20-iaas-paas-complete.eml", BARE_BOOK, "iaas-paas", 0,
	    "テストインフラ株式会社", "テストIaaS", "鈴木 一郎",
	    "suzuki@test-infra.example.jp"),
	SAMPLE("21-iaas-paas-deficient.eml", ONE_BOOK, "iaas-paas", 1,
	    "株式会社レイダイ", "レイダイPaaS", "高橋 次郎",
	    "takahashi@reidai.example.jp"),
	SAMPLE("30-datacenter-complete-cp932.eml", CSV_CP932, "datacenter", 0,
	    "株式会社データ倉庫", "東京第一データセンター", "田中 三郎",
	    "tanaka@data-souko.example.jp"),
	SAMPLE("31-datacenter-deficient.eml", TWO_BOOKS, "datacenter", 1,
	    "株式会社ラック", "大阪データセンター", "伊藤 四郎",
	    "ito@rack.example.jp"),
	SAMPLE("40-medical-complete.eml", ONE_BOOK, "medical", 0,
	    "医療クラウド株式会社", "カルテ保管クラウド", "渡辺 五郎",
	    "watanabe@iryo-cloud.example.jp"),
	SAMPLE("41-medical-deficient-cp932.eml", CSV_CP932, "medical", 1,
	    "株式会社メディカ", "メディカ予約", "山本 六子",
	    "yamamoto@medica.example.jp"),
	SAMPLE("50-mynumber-complete.eml", TWO_BOOKS, "mynumber", 0,
	    "株式会社マイナ", "マイナ給与クラウド", "中村 七海",
	    "nakamura@myna.example.jp"),
	SAMPLE("51-mynumber-deficient.eml", BARE_BOOK, "mynumber", 1,
	    "株式会社トッコ", "トッコ人事", "小林 八雲",
	    "kobayashi@tokko.example.jp"),
};

static const char	*mkforms_subject; /* -s: instead of the usual one */
static const char	*mkforms_scheme;  /* -S: what 制度 says */
static const char	*mkforms_company; /* -C: what 事業者名 says */
static const char	*mkforms_body;	  /* -b: the text of the mail */
static const char	*mkforms_reply;	  /* -R: In-Reply-To (without <>) */

/* Writes one sample application as a mail in dir. */
static void
mkforms_sample(const char *dir, const struct rules *rules,
    const struct sample *sm, int serial, const char *password)
{
	const struct formgen_app *a = &sm->app;
	const struct scheme	*s = rules_scheme(rules, a->scheme);
	struct formgen_mail	 fm;
	GByteArray		*files[2], *zip = NULL;
	const char		*names[2];
	GMimeMessage		*m;
	char			*out, *subject, *id, *body;
	int			 i, n = 1;

	if (s == NULL)
		formgen_die("no scheme %s in the rules", a->scheme);
	files[0] = files[1] = NULL;
	switch (sm->packing) {
	case ONE_BOOK:
	case ENCRYPTED:
		files[0] = formgen_book(a, s, 1, 1);
		names[0] = "申請書類.xlsx";
		zip = formgen_zip(names, files, 1, 0, sm->packing ==
		    ENCRYPTED ? password : NULL);
		names[0] = "申請書類.zip";
		break;
	case TWO_BOOKS:
		files[0] = formgen_book(a, s, 1, 0);
		files[1] = formgen_book(a, s, 0, 1);
		names[0] = "申請書.xlsx";
		names[1] = "情報開示書.xlsx";
		zip = formgen_zip(names, files, 2, 0, NULL);
		names[0] = "申請書類一式.zip";
		break;
	case BARE_BOOK:
		files[0] = formgen_book(a, s, 1, 1);
		names[0] = "情報開示認定申請書類.xlsx";
		break;
	case APP_ONLY:
		files[0] = formgen_book(a, s, 1, 0);
		names[0] = "申請書.xlsx";
		break;
	case DISC_ONLY:
		files[0] = formgen_book(a, s, 0, 1);
		names[0] = "情報開示書.xlsx";
		break;
	case NO_FORMS:
		n = 0;
		break;
	case CSV_CP932:
		files[0] = formgen_csv_app(a, s);
		files[1] = formgen_csv_disc(a, s);
		names[0] = "申請書.csv";
		names[1] = "情報開示書.csv";
		zip = formgen_zip(names, files, 2, 1, NULL);
		names[0] = "申請書類.zip";
		break;
	}

	memset(&fm, 0, sizeof fm);
	fm.from_name = a->contact;
	fm.from = a->email;
	fm.to_name = "クラウドサービス情報開示認定事務局";
	fm.to = "nintei@example.org";
	subject = mkforms_subject != NULL ? g_strdup(mkforms_subject) :
	    g_strdup_printf("情報開示認定の申請（%s）", a->service);
	fm.subject = subject;
	id = g_strdup_printf("sample-%d-%s.%s", serial, sm->file,
	    strchr(a->email, '@') + 1);
	fm.message_id = id;
	fm.date = g_date_time_new_local(2026, 11, 24, 9, serial % 60, 0);
	body = mkforms_body != NULL ? g_strdup(mkforms_body) :
	    formgen_app_body(a);
	fm.body = body;
	fm.in_reply_to = mkforms_reply;
	fm.references = mkforms_reply;
	m = formgen_mail(&fm, names, zip != NULL ? &zip : files, n);
	out = g_build_filename(dir, sm->file, NULL);
	formgen_write(out, m);
	g_object_unref(m);
	g_date_time_unref(fm.date);
	for (i = 0; i < 2; i++) {
		if (files[i] != NULL)
			g_byte_array_free(files[i], TRUE);
	}
	if (zip != NULL)
		g_byte_array_free(zip, TRUE);
	g_free(out);
	g_free(subject);
	g_free(id);
	g_free(body);
}

static void
usage(void)
{
	fprintf(stderr,
	    "usage: mkforms [-r RULES] samples DIR\n"
	    "       mkforms [-r RULES] [-f FROM] [-s SUBJECT] [-S SCHEME-TEXT] "
	    "[-C COMPANY] [-b BODY] [-R IN-REPLY-TO] one DIR FILE SCHEME KIND "
	    "complete|deficient one|two|bare|csv|encrypted|app|disc|none "
	    "[CERT] [PASSWORD]\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	struct rules	*rules;
	struct sample	 one;
	const char	*rdir = "rules", *from = NULL;
	size_t		 i;
	int		 ch;

	while ((ch = getopt(argc, argv, "b:C:f:r:R:s:S:")) != -1) {
		switch (ch) {
		case 'b':
			mkforms_body = optarg;
			break;
		case 'C':
			mkforms_company = optarg;
			break;
		case 'R':
			mkforms_reply = optarg;
			break;
		case 'S':
			mkforms_scheme = optarg;
			break;
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
	rules = formgen_start("mkforms", rdir);
	g_mkdir_with_parents(argv[1], 0755);
	if (strcmp(argv[0], "samples") == 0 && argc == 2) {
		for (i = 0; i < G_N_ELEMENTS(samples); i++)
			mkforms_sample(argv[1], rules, &samples[i], (int)i + 1,
			    NULL);
	} else if (strcmp(argv[0], "one") == 0 && argc >= 7) {
		memset(&one, 0, sizeof one);
		one.file = argv[2];
		one.app.scheme = argv[3];
		one.app.kind = argv[4];
		one.app.deficient = strcmp(argv[5], "deficient") == 0;
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
		else if (strcmp(argv[6], "app") == 0)
			one.packing = APP_ONLY;
		else if (strcmp(argv[6], "disc") == 0)
			one.packing = DISC_ONLY;
		else if (strcmp(argv[6], "none") == 0)
			one.packing = NO_FORMS;
		else
			usage();
		one.app.certification = argc > 7 && *argv[7] != '\0' ?
		    argv[7] : NULL;
		one.app.company = mkforms_company != NULL ? mkforms_company :
		    "株式会社サンプルクラウド";
		one.app.scheme_text = mkforms_scheme;
		one.app.service = "サンプル勤怠クラウド";
		one.app.contact = "山田 太郎";
		one.app.email = from != NULL ? from :
		    "yamada@sample-cloud.example.jp";
		mkforms_sample(argv[1], rules, &one, 99, argc > 8 ? argv[8] :
		    NULL);
	} else
		usage();
	formgen_end(rules);
	return 0;
}
