/* formgen.c: applications written as an applicant's software writes them:
 * workbooks by libxlsxwriter, CP932 CSV, ZIPs by libzip, mails by GMime.
 * With a generator set, texts and values vary from one application to the
 * next (the benchmark); without, they are the fixed ones of the samples. */

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <xlsxwriter.h>
#include <zip.h>

#include "formgen.h"

/* 2026-01-05 09:00 JST: the time in every workbook and ZIP entry. */
#define FORMGEN_TIME	((time_t)1767571200)

static char	*formgen_tmp;

void
formgen_die(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	fprintf(stderr, "%s: ", g_get_prgname() != NULL ? g_get_prgname() :
	    "formgen");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	exit(1);
}

struct rules *
formgen_start(const char *prog, const char *rdir)
{
	struct rules	*rules;
	GPtrArray	*errors = g_ptr_array_new_with_free_func(g_free);

	g_set_prgname(prog);
	g_mime_init();
	rules = rules_load(rdir, errors);
	if (rules == NULL || errors->len > 0)
		formgen_die("rules: %s", errors->len > 0 ?
		    (char *)g_ptr_array_index(errors, 0) : "cannot load");
	g_ptr_array_free(errors, TRUE);
	formgen_tmp = g_build_filename(g_get_tmp_dir(), "formgen.XXXXXX",
	    NULL);
	if (g_mkdtemp(formgen_tmp) == NULL)
		formgen_die("mkdtemp: %s", g_strerror(errno));
	return rules;
}

void
formgen_end(struct rules *rules)
{
	rmdir(formgen_tmp);
	g_free(formgen_tmp);
	formgen_tmp = NULL;
	rules_free(rules);
}

void
formgen_rng_seed(struct formgen_rng *r, uint64_t seed)
{
	r->state = seed;
}

uint64_t
formgen_rng_next(struct formgen_rng *r)
{
	uint64_t	z;

	z = (r->state += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

unsigned int
formgen_rng_below(struct formgen_rng *r, unsigned int n)
{
	return n == 0 ? 0 : (unsigned int)(formgen_rng_next(r) % n);
}

unsigned int
formgen_rng_range(struct formgen_rng *r, unsigned int lo, unsigned int hi)
{
	return hi <= lo ? lo : lo + formgen_rng_below(r, hi - lo + 1);
}

/* The pieces disclosure texts are made of. */
static const char *formgen_topics[] = {
	"当社", "本サービス", "利用者のデータ", "アクセスログ", "バックアップ"
	"データ", "認証情報", "運用担当者", "再委託先", "障害対応手順",
	"データセンター", "ネットワーク機器", "管理用端末", "暗号鍵",
	"監視システム", "個人情報", "契約終了時のデータ", "脆弱性情報",
	"変更管理", "入退室記録", "通信経路", "サーバー", "ソフトウェアの"
	"更新", "教育訓練", "内部監査", "事業継続計画", "利用者からの問合せ",
	"サービスレベル", "外部委託", "情報セキュリティ方針",
};
static const char *formgen_predicates[] = {
	"は、社内規程に基づき適切に管理しています。",
	"について、年に一度以上の内部監査を実施しています。",
	"は、国内のデータセンターで暗号化して保管しています。",
	"の取扱いは、責任者の承認を得た者に限っています。",
	"について、手順書を整備し、定期的に見直しています。",
	"は、二重化された構成で常時監視しています。",
	"の変更は、影響を評価したうえで計画的に行います。",
	"について、異常を検知した場合は速やかに利用者へ通知します。",
	"は、保存期間の満了後に復元できない方法で消去します。",
	"について、第三者機関による評価を受けています。",
	"の状況は、月次の報告書で利用者に開示しています。",
	"は、多要素認証により不正な利用を防止しています。",
	"について、委託先との契約で守秘義務を定めています。",
	"は、定められた手順に従って記録し、保管しています。",
	"について、訓練を計画し、結果を評価しています。",
};
/*
 * Kanji that disclosures are written with, and particles and endings:
 * sentences of words made from them compress about as Japanese prose does
 * (3 to 4 times by deflate), so that workbooks have realistic sizes.
 */
static const char formgen_kanji[] =
	"一二三四五六七八九十百千万円年月日時分人名前後上下左右中外内大小"
	"高低長短新古多少全部第目的情報管理運用保守障害対応手順規程基準方針"
	"計画実施評価監査記録保存期間暗号化認証権限利用者事業委託契約終了消"
	"去復旧継続通知報告確認承認変更設定構成機器設備電源空調防災犯入退室"
	"監視検知分析改善教育訓練責任担当組織体制業務提供範囲品質水準稼働停"
	"止予緊急連絡窓口受付間問合料金請求支払条件開示公資料文書様式項容説"
	"明補足詳細概要標測定結果載象除適用例区種別形態方式技術規格国際海拠"
	"点地域都市回線通信経路網接続端末装置媒体原本写複製送受処理集計統調"
	"査研究開発試験検証導入移行更改訂版数値割件頻度最平均以未満超過";
static const char *formgen_particles[] = {
	"は、", "を", "に", "の", "と", "で", "について、", "により", "から",
};
static const char *formgen_endings[] = {
	"管理しています。", "実施しています。", "定めています。",
	"確認します。", "記録し、保管しています。", "通知します。",
	"見直しています。", "行います。", "評価しています。",
	"開示しています。",
};

#define FORMGEN_WORDS	2000

/* The words: two to four kanji each, the same on every run. */
static const char *
formgen_word(struct formgen_rng *r)
{
	static char		*words[FORMGEN_WORDS];
	struct formgen_rng	 w;
	GString			*s;
	const char		*k;
	unsigned int		 i, j, n, len;

	if (words[0] == NULL) {
		formgen_rng_seed(&w, 20261125);
		len = (unsigned int)g_utf8_strlen(formgen_kanji, -1);
		for (i = 0; i < FORMGEN_WORDS; i++) {
			s = g_string_new(NULL);
			n = formgen_rng_range(&w, 2, 4);
			for (j = 0; j < n; j++) {
				k = g_utf8_offset_to_pointer(formgen_kanji,
				    formgen_rng_below(&w, len));
				g_string_append_unichar(s, g_utf8_get_char(k));
			}
			words[i] = g_string_free(s, FALSE);
		}
	}
	return words[formgen_rng_below(r, FORMGEN_WORDS)];
}

/* Appends a sentence composed at random: a plain statement, or words
 * joined by particles. */
static void
formgen_sentence(struct formgen_rng *r, GString *s)
{
	unsigned int	i, n;

	if (formgen_rng_below(r, 4) == 0) {
		g_string_append(s, formgen_topics[formgen_rng_below(r,
		    G_N_ELEMENTS(formgen_topics))]);
		g_string_append(s, formgen_predicates[formgen_rng_below(r,
		    G_N_ELEMENTS(formgen_predicates))]);
		return;
	}
	n = formgen_rng_range(r, 2, 4);
	for (i = 0; i < n; i++) {
		g_string_append(s, formgen_word(r));
		g_string_append(s, formgen_particles[formgen_rng_below(r,
		    G_N_ELEMENTS(formgen_particles))]);
	}
	g_string_append(s, formgen_word(r));
	g_string_append(s, formgen_endings[formgen_rng_below(r,
	    G_N_ELEMENTS(formgen_endings))]);
}

char *
formgen_text(struct formgen_rng *r, const char *label, unsigned int n)
{
	GString		*s = g_string_new(NULL), *fill = NULL;
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
		if (r != NULL) {
			fill = g_string_new(NULL);
			formgen_sentence(r, fill);
			p = fill->str;
		} else
			p = "当社の規程に基づき適切に管理しています。";
		for (; *p != '\0' && len < n; p = g_utf8_next_char(p)) {
			g_string_append_unichar(s, g_utf8_get_char(p));
			len++;
		}
		if (fill != NULL)
			g_string_free(fill, TRUE);
		fill = NULL;
	}
	return g_string_free(s, FALSE);
}

/* The length of a free text: short in the samples, up to the limit in
 * the benchmark. */
static unsigned int
formgen_text_len(const struct formgen_app *a, const struct rule_item *it)
{
	unsigned int	max = it->type.max_len;

	if (a->rng == NULL)
		return max > 0 && max < 40 ? max : 40;
	if (max == 0)
		return formgen_rng_range(a->rng, 100, 400);
	return formgen_rng_range(a->rng, max / 2, max);
}

/* A value an applicant would write for an item of this type. */
static char *
formgen_value(const struct formgen_app *a, const struct rule_item *it)
{
	struct formgen_rng	*r = a->rng;

	switch (it->type.kind) {
	case VT_TEXT:
		if (strcmp(it->id, "2-1") == 0)
			return g_strdup(a->company);
		if (strcmp(it->id, "7-1") == 0)
			return g_strdup(a->service);
		return formgen_text(r, it->label, formgen_text_len(a, it));
	case VT_DATE:
		if (strcmp(it->id, "1") == 0)
			return g_strdup("令和8年10月1日");
		if (r != NULL)
			return g_strdup_printf("%u/%u/%u",
			    formgen_rng_range(r, 2000, 2025),
			    formgen_rng_range(r, 1, 12),
			    formgen_rng_range(r, 1, 28));
		return g_strdup("2015/4/1");
	case VT_YEAR:
		return r != NULL ? g_strdup_printf("%u年",
		    formgen_rng_range(r, 1970, 2020)) : g_strdup("2008年");
	case VT_INTEGER:
		if (strcmp(it->id, "2-4") == 0)
			return g_strdup("18");
		return r != NULL ? g_strdup_printf("%u名",
		    formgen_rng_range(r, 5, 3000)) : g_strdup("120名");
	case VT_AMOUNT:
		return g_strdup(strcmp(it->id, "4-2") == 0 ? "△3,500万円" :
		    "1億2,000万円");
	case VT_PERCENT:
		return r != NULL ? g_strdup_printf("99.%u%%",
		    formgen_rng_range(r, 5, 99)) : g_strdup("99.95%");
	case VT_ENUM:
		return g_strdup(g_ptr_array_index(it->type.choices, r != NULL ?
		    formgen_rng_below(r, it->type.choices->len) : 0));
	case VT_URL:
		return g_strdup("https://www.example.jp/");
	case VT_EMAIL:
		return g_strdup(a->email);
	case VT_POSTAL:
		return g_strdup("〒100-0001");
	case VT_PHONE:
		return g_strdup("03-1234-5678");
	}
	return g_strdup("");
}

/* Is the item one of those to write wrong? */
static int
formgen_spoiled(const struct formgen_app *a, const char *id)
{
	size_t	i;

	for (i = 0; a->spoil != NULL && a->spoil[i] != NULL; i++) {
		if (strcmp(a->spoil[i], id) == 0)
			return 1;
	}
	return 0;
}

/* The value of an item in this application, deficient ones spoiled. */
static char *
formgen_item(const struct formgen_app *a, const struct rule_item *it)
{
	if (a->deficient) {
		if (strcmp(it->id, FORMGEN_DEFICIENT_EMPTY) == 0 ||
		    strcmp(it->id, FORMGEN_DEFICIENT_WHEN) == 0)
			return g_strdup("");
		if (strcmp(it->id, FORMGEN_DEFICIENT_DATE) == 0)
			return g_strdup("来年4月頃");
		if (strcmp(it->id, FORMGEN_DEFICIENT_LONG) == 0)
			return formgen_text(a->rng, it->label, 120);
		if (strcmp(it->id, FORMGEN_DEFICIENT_WHEN_ON) == 0)
			return g_strdup("有");
	}
	if (formgen_spoiled(a, it->id)) {
		/* Too long for a text, unreadable for any other type. */
		if (it->type.kind == VT_TEXT && it->type.max_len > 0)
			return formgen_text(a->rng, it->label,
			    it->type.max_len + 20);
		return g_strdup(it->type.kind == VT_TEXT ? "" : "（確認中）");
	}
	return formgen_value(a, it);
}

/* The 申請書 rows of an application. */
static void
formgen_rows(const struct formgen_app *a, const struct scheme *s,
    const char *rows[][2])
{
	rows[0][0] = "制度";		rows[0][1] = a->scheme_text != NULL ?
	    a->scheme_text : s->name;
	rows[1][0] = "申請区分";	rows[1][1] = a->kind;
	rows[2][0] = "認定番号";	rows[2][1] = a->certification != NULL ?
	    a->certification : "";
	rows[3][0] = "事業者名";	rows[3][1] = a->company;
	rows[4][0] = "サービス名称";	rows[4][1] = a->service;
	rows[5][0] = "サービス概要";	rows[5][1] = "クラウドで提供する業務サービス";
	rows[6][0] = "担当者氏名";	rows[6][1] = a->contact;
	rows[7][0] = "担当者メールアドレス"; rows[7][1] = a->email;
	rows[8][0] = "電話番号";	rows[8][1] = "03-1234-5678";
}

/* The 項番 and text of the ith 補足説明 row. */
static void
formgen_note(const struct formgen_app *a, unsigned int i, char **id,
    char **text)
{
	*id = g_strdup_printf("S-%u", i + 1);
	*text = formgen_text(a->rng, "補足", a->rng != NULL ?
	    formgen_rng_range(a->rng, 150, 400) : 200);
}

/* Writes the 申請書 sheet. */
static void
formgen_sheet_app(lxw_workbook *wb, const struct formgen_app *a,
    const struct scheme *s)
{
	lxw_worksheet	*ws = workbook_add_worksheet(wb, "申請書");
	const char	*rows[9][2];
	int		 i;

	formgen_rows(a, s, rows);
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

/*
 * Writes the 情報開示書 sheet: dates of complete applications as Excel
 * dates, then the 補足説明 rows that real disclosures carry.
 */
static void
formgen_sheet_disc(lxw_workbook *wb, const struct formgen_app *a,
    const struct scheme *s)
{
	lxw_worksheet		*ws = workbook_add_worksheet(wb, "情報開示書");
	lxw_format		*date = workbook_add_format(wb);
	const struct rule_item	*it;
	lxw_datetime		 dt = { 2015, 4, 1, 0, 0, 0 };
	lxw_row_t		 r;
	char			*v, *id;
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
		if (it->type.kind == VT_DATE && !a->deficient &&
		    strcmp(it->id, "1") != 0 && !formgen_spoiled(a, it->id)) {
			if (a->rng != NULL) {
				dt.year = (int)formgen_rng_range(a->rng, 2000,
				    2025);
				dt.month = (uint8_t)formgen_rng_range(a->rng, 1,
				    12);
			}
			worksheet_write_datetime(ws, r, 3, &dt, date);
			continue;
		}
		v = formgen_item(a, it);
		if (*v != '\0')
			worksheet_write_string(ws, r, 3, v, NULL);
		g_free(v);
	}
	for (i = 0; i < a->notes; i++) {
		r = (lxw_row_t)(s->items->len + 1 + i);
		formgen_note(a, i, &id, &v);
		worksheet_write_string(ws, r, 0, id, NULL);
		worksheet_write_string(ws, r, 1, "補足説明", NULL);
		worksheet_write_string(ws, r, 2, "選択", NULL);
		worksheet_write_string(ws, r, 3, v, NULL);
		g_free(id);
		g_free(v);
	}
	worksheet_set_column(ws, 1, 1, 36, NULL);
	worksheet_set_column(ws, 3, 3, 60, NULL);
}

/* Reads a whole file into a byte array and removes it. */
static GByteArray *
formgen_slurp(const char *path)
{
	char	*data;
	gsize	 len;

	if (!g_file_get_contents(path, &data, &len, NULL))
		formgen_die("cannot read %s", path);
	unlink(path);
	return g_byte_array_new_take((guint8 *)data, len);
}

GByteArray *
formgen_book(const struct formgen_app *a, const struct scheme *s, int app,
    int disc)
{
	lxw_workbook_options	 opt = { 0, formgen_tmp, 0 };
	lxw_doc_properties	 props;
	lxw_workbook		*wb;
	char			*path;
	GByteArray		*ba;

	path = g_build_filename(formgen_tmp, "book.xlsx", NULL);
	if ((wb = workbook_new_opt(path, &opt)) == NULL)
		formgen_die("libxlsxwriter cannot write %s", path);
	memset(&props, 0, sizeof props);
	props.created = FORMGEN_TIME;	/* the same bytes on every run */
	workbook_set_properties(wb, &props);
	if (app)
		formgen_sheet_app(wb, a, s);
	if (disc)
		formgen_sheet_disc(wb, a, s);
	if (workbook_close(wb) != LXW_NO_ERROR)
		formgen_die("libxlsxwriter failed on %s", path);
	ba = formgen_slurp(path);
	g_free(path);
	return ba;
}

/* Quotes a CSV field when it needs it. */
static void
formgen_csv_field(GString *out, const char *v)
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

/* UTF-8 text in CP932 bytes; frees the text. */
static GByteArray *
formgen_cp932(GString *utf8)
{
	gsize	 len;
	char	*b;

	b = g_convert(utf8->str, -1, "CP932", "UTF-8", NULL, &len, NULL);
	if (b == NULL)
		formgen_die("cannot convert to CP932: %.40s", utf8->str);
	g_string_free(utf8, TRUE);
	return g_byte_array_new_take((guint8 *)b, len);
}

GByteArray *
formgen_csv_app(const struct formgen_app *a, const struct scheme *s)
{
	GString		*out = g_string_new("項目,内容\r\n");
	const char	*rows[9][2];
	int		 i;

	formgen_rows(a, s, rows);
	for (i = 0; i < 9; i++) {
		formgen_csv_field(out, rows[i][0]);
		g_string_append_c(out, ',');
		formgen_csv_field(out, rows[i][1]);
		g_string_append(out, "\r\n");
	}
	return formgen_cp932(out);
}

GByteArray *
formgen_csv_disc(const struct formgen_app *a, const struct scheme *s)
{
	GString			*out = g_string_new("項番,項目,必須/選択,記述内容\r\n");
	const struct rule_item	*it;
	char			*v, *id;
	guint			 i;

	for (i = 0; i < s->items->len; i++) {
		it = g_ptr_array_index(s->items, i);
		v = formgen_item(a, it);
		formgen_csv_field(out, it->id);
		g_string_append_c(out, ',');
		formgen_csv_field(out, it->label);
		g_string_append_c(out, ',');
		g_string_append(out, it->required ? "必須" : "選択");
		g_string_append_c(out, ',');
		formgen_csv_field(out, v);
		g_string_append(out, "\r\n");
		g_free(v);
	}
	for (i = 0; i < a->notes; i++) {
		formgen_note(a, i, &id, &v);
		g_string_append_printf(out, "%s,補足説明,選択,", id);
		formgen_csv_field(out, v);
		g_string_append(out, "\r\n");
		g_free(id);
		g_free(v);
	}
	return formgen_cp932(out);
}

GByteArray *
formgen_zip(const char *const *names, GByteArray **files, int n, int cp932,
    const char *password)
{
	char		*path, *raw;
	zip_t		*za;
	zip_source_t	*src;
	zip_int64_t	 idx;
	int		 err, i;
	gsize		 len;
	GByteArray	*ba;

	path = g_build_filename(formgen_tmp, "pack.zip", NULL);
	if ((za = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &err)) == NULL)
		formgen_die("libzip cannot write %s", path);
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
			formgen_die("zip_file_add: %s", zip_strerror(za));
		zip_file_set_mtime(za, (zip_uint64_t)idx, FORMGEN_TIME, 0);
		/* Stored when deflate would not shrink it, as Info-ZIP
		 * does: a workbook is a ZIP already. */
		if (g_str_has_suffix(names[i], ".xlsx") ||
		    g_str_has_suffix(names[i], ".pdf"))
			zip_set_file_compression(za, (zip_uint64_t)idx,
			    ZIP_CM_STORE, 0);
		if (password != NULL && zip_file_set_encryption(za,
		    (zip_uint64_t)idx, ZIP_EM_AES_256, password) != 0)
			formgen_die("zip_file_set_encryption: %s",
			    zip_strerror(za));
	}
	if (zip_close(za) != 0)
		formgen_die("zip_close: %s", zip_strerror(za));
	ba = formgen_slurp(path);
	g_free(path);
	return ba;
}

GMimeTextPart *
formgen_text_part(const char *text, const char *charset)
{
	GMimeTextPart		*t = g_mime_text_part_new_with_subtype("plain");
	GMimeDataWrapper	*dw;
	GMimeStream		*st;
	char			*bytes;
	gsize			 len;

	if (charset == NULL) {
		g_mime_text_part_set_text(t, text);
		return t;
	}
	bytes = g_convert(text, -1, charset, "UTF-8", NULL, &len, NULL);
	if (bytes == NULL)
		formgen_die("cannot convert to %s: %.40s", charset, text);
	st = g_mime_stream_mem_new_with_buffer(bytes, len);
	dw = g_mime_data_wrapper_new_with_stream(st,
	    GMIME_CONTENT_ENCODING_DEFAULT);
	g_mime_part_set_content(GMIME_PART(t), dw);
	g_mime_text_part_set_charset(t, charset);
	g_mime_part_set_content_encoding(GMIME_PART(t),
	    GMIME_CONTENT_ENCODING_7BIT);
	g_object_unref(dw);
	g_object_unref(st);
	g_free(bytes);
	return t;
}

GMimeMessage *
formgen_mail(const struct formgen_mail *fm, const char *const *names,
    GByteArray **files, int n)
{
	GMimeMessage		*m = g_mime_message_new(TRUE);
	GMimeMultipart		*mp;
	GMimeTextPart		*t;
	GMimePart		*a;
	GMimeDataWrapper	*dw;
	GMimeStream		*st;
	GMimeObject		*obj = GMIME_OBJECT(m);
	char			*v;
	int			 i;

	g_mime_message_add_mailbox(m, GMIME_ADDRESS_TYPE_FROM, fm->from_name,
	    fm->from);
	g_mime_message_add_mailbox(m, GMIME_ADDRESS_TYPE_TO, fm->to_name,
	    fm->to);
	g_mime_message_set_subject(m, fm->subject, "UTF-8");
	g_mime_message_set_message_id(m, fm->message_id);
	g_mime_message_set_date(m, fm->date);
	if (fm->in_reply_to != NULL) {
		v = g_strdup_printf("<%s>", fm->in_reply_to);
		g_mime_object_set_header(obj, "In-Reply-To", v, NULL);
		g_free(v);
	}
	if (fm->references != NULL) {
		v = g_strdup_printf("<%s>", fm->references);
		g_mime_object_set_header(obj, "References", v, NULL);
		g_free(v);
	}
	for (i = 0; fm->headers != NULL && fm->headers[i] != NULL; i += 2)
		g_mime_object_append_header(obj, fm->headers[i],
		    fm->headers[i + 1], NULL);
	t = formgen_text_part(fm->body, fm->charset);
	if (n == 0) {
		g_mime_message_set_mime_part(m, GMIME_OBJECT(t));
		g_object_unref(t);
		return m;
	}
	mp = g_mime_multipart_new_with_subtype("mixed");
	if (fm->boundary != NULL)
		g_mime_multipart_set_boundary(mp, fm->boundary);
	g_mime_multipart_add(mp, GMIME_OBJECT(t));
	for (i = 0; i < n; i++) {
		a = g_mime_part_new_with_type("application",
		    g_str_has_suffix(names[i], ".zip") ? "zip" :
		    g_str_has_suffix(names[i], ".pdf") ? "pdf" :
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
	g_object_unref(t);
	g_object_unref(mp);
	return m;
}

void
formgen_write(const char *file, GMimeMessage *m)
{
	GMimeFormatOptions	*fo = g_mime_format_options_new();
	GMimeStream		*fs;
	FILE			*f;

	g_mime_format_options_set_newline_format(fo, GMIME_NEWLINE_FORMAT_DOS);
	if ((f = fopen(file, "wb")) == NULL)
		formgen_die("%s: %s", file, g_strerror(errno));
	fs = g_mime_stream_file_new(f);		/* closes f */
	if (g_mime_object_write_to_stream(GMIME_OBJECT(m), fo, fs) < 0 ||
	    g_mime_stream_flush(fs) != 0)
		formgen_die("%s: cannot write", file);
	g_object_unref(fs);
	g_mime_format_options_free(fo);
}

char *
formgen_app_body(const struct formgen_app *a)
{
	return g_strdup_printf("クラウドサービス情報開示認定事務局 御中\n\n"
	    "いつもお世話になっております。\n%sの%sです。\n\n"
	    "「%s」の情報開示認定を申請いたします。\n"
	    "申請書類を添付いたしますので、ご確認のほどよろしくお願い"
	    "いたします。\n", a->company, a->contact, a->service);
}
