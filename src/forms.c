/* forms.c: finds the 申請書 and the 情報開示書 in what the applicant sent,
 * whatever the packaging: one workbook with both sheets, two workbooks,
 * two CSV files, in a ZIP (nested once) or attached directly. */

#include <string.h>

#include "charset.h"
#include "forms.h"

/* The rows of the 申請書, in their canonical spelling (SPEC §2). */
const char *forms_labels[] = {
	"制度", "申請区分", "認定番号", "事業者名", "サービス名称",
	"サービス概要", "担当者氏名", "担当者メールアドレス", "電話番号",
	NULL
};

/* Other spellings applicants use for the same rows. */
static const struct {
	const char	*written;
	const char	*label;
} forms_synonyms[] = {
	{ "認定制度", "制度" },
	{ "制度名", "制度" },
	{ "区分", "申請区分" },
	{ "事業者", "事業者名" },
	{ "会社名", "事業者名" },
	{ "事業者の名称", "事業者名" },
	{ "サービス名", "サービス名称" },
	{ "サービスの名称", "サービス名称" },
	{ "担当者", "担当者氏名" },
	{ "担当者名", "担当者氏名" },
	{ "担当者メール", "担当者メールアドレス" },
	{ "メールアドレス", "担当者メールアドレス" },
	{ "担当者電子メール", "担当者メールアドレス" },
	{ "電話", "電話番号" },
	{ "担当者電話番号", "電話番号" },
};

void
forms_limits_default(struct form_limits *l)
{
	zipread_limits_default(&l->zip);
	xlsx_limits_default(&l->xlsx);
	csvread_limits_default(&l->csv);
}

/*
 * Folds width and blanks away: NFKC (full-width letters and digits to
 * ASCII, half-width kana to full-width), then without spaces of any width,
 * colons and the middle dot.
 */
static char *
forms_fold(const char *s)
{
	char		*n, *out, *o;
	const char	*p;
	gunichar	 c;

	n = g_utf8_normalize(s, -1, G_NORMALIZE_NFKC);
	if (n == NULL)
		return g_strdup("");
	out = g_malloc(strlen(n) + 1);
	o = out;
	for (p = n; *p != '\0'; p = g_utf8_next_char(p)) {
		c = g_utf8_get_char(p);
		if (g_unichar_isspace(c) || c == 0x3000 || c == ':' ||
		    c == 0x30fb || c == 0xff65)
			continue;
		o += g_unichar_to_utf8(c, o);
	}
	*o = '\0';
	g_free(n);
	return out;
}

const char *
forms_label(const char *written)
{
	char		*f, *g;
	const char	*found = NULL;
	size_t		 i;

	f = forms_fold(written);
	for (i = 0; forms_labels[i] != NULL && found == NULL; i++) {
		g = forms_fold(forms_labels[i]);
		if (strcmp(f, g) == 0)
			found = forms_labels[i];
		g_free(g);
	}
	for (i = 0; i < G_N_ELEMENTS(forms_synonyms) && found == NULL; i++) {
		g = forms_fold(forms_synonyms[i].written);
		if (strcmp(f, g) == 0)
			found = forms_synonyms[i].label;
		g_free(g);
	}
	g_free(f);
	return found;
}

char *
forms_item_id(const char *written)
{
	char		*f, *up;
	GString		*out;
	const char	*p;
	gunichar	 c;

	f = g_utf8_normalize(written, -1, G_NORMALIZE_NFKC);
	if (f == NULL)
		return g_strdup("");
	out = g_string_new(NULL);
	for (p = f; *p != '\0'; p = g_utf8_next_char(p)) {
		c = g_utf8_get_char(p);
		if (g_unichar_isspace(c))
			continue;
		/* Dashes of every kind Japanese keyboards produce. */
		if (c == 0x2010 || c == 0x2011 || c == 0x2012 || c == 0x2013 ||
		    c == 0x2014 || c == 0x2015 || c == 0x2212 || c == 0x30fc ||
		    c == 0xff70 || c == 0x2500)
			c = '-';
		g_string_append_unichar(out, c);
	}
	g_free(f);
	up = g_ascii_strup(out->str, -1);
	g_string_free(out, TRUE);
	return up;
}

int
forms_is_form_name(const char *name)
{
	char	*low = g_ascii_strdown(name, -1);
	int	 yes;

	yes = g_str_has_suffix(low, ".zip") || g_str_has_suffix(low, ".xlsx") ||
	    g_str_has_suffix(low, ".xlsm") || g_str_has_suffix(low, ".csv");
	g_free(low);
	return yes;
}

static void
forms_value_free(gpointer p)
{
	struct form_value	*v = p;

	g_free(v->text);
	g_free(v->label);
	g_free(v->where);
	g_free(v);
}

static void
forms_file_free(gpointer p)
{
	struct form_file	*f = p;

	g_free(f->name);
	g_free(f->problem);
	g_free(f);
}

static void
forms_problem_free(gpointer p)
{
	struct form_problem	*fp = p;

	g_free(fp->file);
	g_free(fp->problem);
	g_free(fp);
}

struct forms *
forms_new(void)
{
	struct forms	*f = g_new0(struct forms, 1);

	f->files = g_ptr_array_new_with_free_func(forms_file_free);
	f->application = g_hash_table_new_full(g_str_hash, g_str_equal, NULL,
	    forms_value_free);
	f->disclosure = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
	    forms_value_free);
	f->problems = g_ptr_array_new_with_free_func(forms_problem_free);
	return f;
}

void
forms_free(struct forms *f)
{
	if (f == NULL)
		return;
	g_ptr_array_free(f->files, TRUE);
	g_hash_table_destroy(f->application);
	g_hash_table_destroy(f->disclosure);
	g_free(f->disclosure_title);
	g_free(f->now_text);
	g_free(f->earlier_text);
	g_ptr_array_free(f->problems, TRUE);
	g_free(f);
}

void
forms_problem(struct forms *f, const char *file, const char *problem)
{
	struct form_problem	*fp = g_new0(struct form_problem, 1);

	fp->file = g_strdup(file);
	fp->problem = g_strdup(problem);
	g_ptr_array_add(f->problems, fp);
}

static struct form_file *
forms_file(struct forms *f, const char *name, uint64_t size,
    unsigned int depth)
{
	struct form_file	*ff = g_new0(struct form_file, 1);

	ff->name = g_strdup(name);
	ff->size = size;
	ff->depth = depth;
	g_ptr_array_add(f->files, ff);
	return ff;
}

/* Which form a sheet or file name holds: 'a' 申請書, 'd' 情報開示書, 0. */
static int
forms_which(const char *name)
{
	char	*f = forms_fold(name);
	int	 which = 0;

	if (strstr(f, "情報開示書") != NULL || strstr(f, "開示書") != NULL)
		which = 'd';
	else if (strstr(f, "申請書") != NULL)
		which = 'a';
	g_free(f);
	return which;
}

/*
 * A table of rows from a sheet or a CSV file, so that both read alike:
 * cell(row, col) with its text and how Excel typed it.
 */
struct forms_table {
	const struct xlsx_sheet	*sheet;
	const struct csv_table	*csv;
	const char		*where;	/* file (and sheet) for messages */
	unsigned int		 rows;
	unsigned int		 cols;
};

static const char *
forms_cell(const struct forms_table *t, unsigned int row, unsigned int col,
    enum vcell *cell)
{
	const struct xlsx_cell	*c;
	GPtrArray		*r;

	*cell = VCELL_TEXT;
	if (t->sheet != NULL) {
		if ((c = xlsx_cell(t->sheet, row, col)) == NULL)
			return "";
		if (c->kind == XLSX_NUMBER)
			*cell = VCELL_NUMBER;
		else if (c->kind == XLSX_DATE)
			*cell = VCELL_DATE;
		return c->text != NULL ? c->text : "";
	}
	if (row == 0 || row > t->csv->rows->len)
		return "";
	r = g_ptr_array_index(t->csv->rows, row - 1);
	if (col == 0 || col > r->len)
		return "";
	return g_ptr_array_index(r, col - 1);
}

/* "情報開示書.xlsx 情報開示書!D12" or "情報開示書.csv 12行目 4列目". */
static char *
forms_where(const struct forms_table *t, unsigned int row, unsigned int col)
{
	char	 letters[8];
	int	 n = 0;
	unsigned int c = col;

	if (t->sheet == NULL)
		return g_strdup_printf("%s %u行目 %u列目", t->where, row, col);
	while (c > 0 && n < 7) {
		letters[n++] = (char)('A' + (c - 1) % 26);
		c = (c - 1) / 26;
	}
	letters[n] = '\0';
	g_strreverse(letters);
	return g_strdup_printf("%s!%s%u", t->where, letters, row);
}

static void
forms_put(GHashTable *h, char *key, const struct forms_table *t,
    unsigned int row, unsigned int col, const char *label)
{
	struct form_value	*v;
	enum vcell		 cell;
	const char		*text;

	if (g_hash_table_contains(h, key)) {
		g_free(key);	/* the first one written counts */
		return;
	}
	text = forms_cell(t, row, col, &cell);
	v = g_new0(struct form_value, 1);
	v->text = g_strdup(text);
	v->cell = cell;
	v->label = g_strdup(label != NULL ? label : "");
	v->where = forms_where(t, row, col);
	g_hash_table_insert(h, key, v);
}

/* Finds the column whose header (in the first rows) folds to one of
 * names; 0 if none. */
static unsigned int
forms_column(const struct forms_table *t, const char *const *names,
    unsigned int *header)
{
	enum vcell	 cell;
	unsigned int	 r, c;
	size_t		 i;
	char		*f, *g;
	int		 hit;

	for (r = 1; r <= t->rows && r <= 10; r++) {
		for (c = 1; c <= t->cols && c <= 30; c++) {
			f = forms_fold(forms_cell(t, r, c, &cell));
			hit = 0;
			for (i = 0; names[i] != NULL && !hit; i++) {
				g = forms_fold(names[i]);
				hit = strcmp(f, g) == 0;
				g_free(g);
			}
			g_free(f);
			if (hit) {
				*header = r;
				return c;
			}
		}
	}
	return 0;
}

/* 申請書: a label column and a value column (項目 | 内容). */
static void
forms_application(struct forms *f, const struct forms_table *t)
{
	static const char *const labcol[] = { "項目", NULL };
	static const char *const valcol[] = { "内容", "記入欄", "記述内容",
	    NULL };
	unsigned int	 lc, vc, hr = 0, hr2 = 0, r;
	enum vcell	 cell;
	const char	*label;

	lc = forms_column(t, labcol, &hr);
	vc = forms_column(t, valcol, &hr2);
	if (lc == 0 || vc == 0 || vc == lc) {
		lc = 1;
		vc = 2;
	}
	f->have_application = 1;
	for (r = 1; r <= t->rows; r++) {
		if ((label = forms_label(forms_cell(t, r, lc, &cell))) == NULL)
			continue;
		forms_put(f->application, (char *)label, t, r, vc, label);
	}
}

/*
 * Keeps what names the 情報開示書 (the first one read): its sheet's name
 * and the cells above its header row ("医療情報ASP・SaaS 情報開示書"),
 * so that its scheme can be told when the 申請書 does not.
 */
static void
forms_title(struct forms *f, const struct forms_table *t, unsigned int hr)
{
	GString		*s;
	enum vcell	 cell;
	unsigned int	 r, c;
	const char	*text;

	if (f->disclosure_title != NULL)
		return;
	s = g_string_new(t->sheet != NULL ? t->sheet->name : t->where);
	for (r = 1; r < hr && r <= 10; r++) {
		for (c = 1; c <= t->cols && c <= 10; c++) {
			text = forms_cell(t, r, c, &cell);
			if (*text != '\0' && s->len < 1000)
				g_string_append_printf(s, " %s", text);
		}
	}
	f->disclosure_title = g_utf8_make_valid(s->str, -1);
	g_string_free(s, TRUE);
}

/* 情報開示書: 項番 | 項目 | 必須/選択 | 記述内容, found by their headers. */
static void
forms_disclosure(struct forms *f, const struct forms_table *t)
{
	static const char *const idcol[] = { "項番", "番号", "No.", NULL };
	static const char *const labcol[] = { "項目", "項目名", NULL };
	static const char *const valcol[] = { "記述内容", "内容", "記入欄",
	    "回答", NULL };
	unsigned int	 ic, lc, vc, hr = 0, h2 = 0, h3 = 0, r;
	enum vcell	 cell;
	const char	*text;
	char		*id;

	ic = forms_column(t, idcol, &hr);
	lc = forms_column(t, labcol, &h2);
	vc = forms_column(t, valcol, &h3);
	if (ic == 0 || vc == 0) {
		ic = 1;
		lc = 2;
		vc = 4;
		hr = 0;
	}
	f->have_disclosure = 1;
	forms_title(f, t, hr);
	for (r = hr + 1; r <= t->rows; r++) {
		text = forms_cell(t, r, ic, &cell);
		id = forms_item_id(text);
		if (*id == '\0' || strlen(id) > 16 ||
		    strspn(id, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-") !=
		    strlen(id)) {
			g_free(id);
			continue;
		}
		forms_put(f->disclosure, id, t, r, vc, lc > 0 ?
		    forms_cell(t, r, lc, &cell) : NULL);
	}
}

/* Reads the form sheets of a workbook. */
static void
forms_xlsx(struct forms *f, struct form_file *ff, const void *data,
    size_t len, const struct form_limits *lim)
{
	struct xlsx_book	*b;
	struct xlsx_sheet	*s;
	struct forms_table	 t;
	char			*cause = NULL, *where;
	guint			 i;

	if ((b = xlsx_read(data, len, &lim->xlsx, &cause)) == NULL) {
		ff->problem = cause;
		forms_problem(f, ff->name, cause);
		return;
	}
	for (i = 0; i < b->sheets->len; i++) {
		s = g_ptr_array_index(b->sheets, i);
		memset(&t, 0, sizeof t);
		t.sheet = s;
		t.rows = s->rows;
		t.cols = s->cols;
		where = g_strdup_printf("%s %s", ff->name, s->name);
		t.where = where;
		switch (forms_which(s->name)) {
		case 'a':
			forms_application(f, &t);
			break;
		case 'd':
			forms_disclosure(f, &t);
			break;
		}
		g_free(where);
	}
	xlsx_free(b);
}

/* Reads a CSV file named as one of the forms. */
static void
forms_csv(struct forms *f, struct form_file *ff, const void *data,
    size_t len, const struct form_limits *lim)
{
	struct csv_table	*c;
	struct forms_table	 t;
	char			*cause = NULL;
	int			 which = forms_which(ff->name);
	guint			 i;
	GPtrArray		*row;

	if (which == 0)
		return;		/* some other CSV: kept, not read */
	if ((c = csvread_buffer(data, len, &lim->csv, &cause)) == NULL) {
		ff->problem = cause;
		forms_problem(f, ff->name, cause);
		return;
	}
	memset(&t, 0, sizeof t);
	t.csv = c;
	t.where = ff->name;
	t.rows = c->rows->len;
	for (i = 0; i < c->rows->len; i++) {
		row = g_ptr_array_index(c->rows, i);
		if (row->len > t.cols)
			t.cols = row->len;
	}
	if (which == 'a')
		forms_application(f, &t);
	else
		forms_disclosure(f, &t);
	csvread_free(c);
}

/* Is this the OLE2 container of a password-protected (or old) Excel? */
static int
forms_ole2(const void *data, size_t len)
{
	return len >= 4 && memcmp(data, "\xd0\xcf\x11\xe0", 4) == 0;
}

static void forms_zip(struct forms *, struct form_file *, const void *,
    size_t, const struct form_limits *, const char *);

/* Reads one file by its name: a workbook, a CSV form, or a ZIP. */
static void
forms_read(struct forms *f, struct form_file *ff, const char *base,
    const void *data, size_t len, const struct form_limits *lim,
    const char *password)
{
	char	*low = g_ascii_strdown(base, -1);

	if (g_str_has_suffix(low, ".xlsx") || g_str_has_suffix(low, ".xlsm")) {
		if (forms_ole2(data, len)) {
			ff->problem = g_strdup("パスワードで保護された Excel "
			    "ファイルのため読み取れません。保護を解除して"
			    "お送りください");
			forms_problem(f, ff->name, ff->problem);
		} else
			forms_xlsx(f, ff, data, len, lim);
	} else if (g_str_has_suffix(low, ".xls")) {
		ff->problem = g_strdup("Excel 97-2003 形式（.xls）は読み取れ"
		    "ません。.xlsx 形式で保存してお送りください");
		forms_problem(f, ff->name, ff->problem);
	} else if (g_str_has_suffix(low, ".csv"))
		forms_csv(f, ff, data, len, lim);
	else if (g_str_has_suffix(low, ".zip") && ff->depth == 0)
		forms_zip(f, ff, data, len, lim, password);
	g_free(low);
}

/* Lists the members of an archive (and of nested ones), reading those
 * that are forms. */
static void
forms_members(struct forms *f, GPtrArray *entries, unsigned int depth,
    const struct form_limits *lim)
{
	struct zip_entry	*e;
	struct form_file	*mf;
	const void		*d;
	gsize			 n;
	guint			 i;

	for (i = 0; i < entries->len; i++) {
		e = g_ptr_array_index(entries, i);
		if (e->is_dir)
			continue;
		mf = forms_file(f, e->name, e->size, depth);
		mf->encrypted = e->encrypted;
		if (e->problem != NULL) {
			mf->problem = g_strdup(e->problem);
			forms_problem(f, e->name, e->problem);
			continue;
		}
		if (e->members != NULL) {
			forms_members(f, e->members, depth + 1, lim);
			continue;
		}
		if (e->data != NULL) {
			d = g_bytes_get_data(e->data, &n);
			forms_read(f, mf, e->base, d, n, lim, NULL);
		}
	}
}

/* zipread's choice of entries to read: the forms. */
static int
forms_want(const char *base, void *user)
{
	(void)user;
	return forms_is_form_name(base);
}

static void
forms_zip(struct forms *f, struct form_file *ff, const void *data,
    size_t len, const struct form_limits *lim, const char *password)
{
	struct zip_result	*zr;

	zr = zipread_buffer(data, len, &lim->zip, password, forms_want, NULL);
	if (zr == NULL) {
		ff->problem = g_strdup("ZIP ファイルとして読み取れません");
		forms_problem(f, ff->name, ff->problem);
		return;
	}
	if (zr->problem != NULL) {
		ff->problem = g_strdup(zr->problem);
		forms_problem(f, ff->name, zr->problem);
	}
	if (zr->encrypted) {
		ff->encrypted = 1;
		f->encrypted = 1;
	}
	if (zr->wrong_password)
		f->wrong_password = 1;
	forms_members(f, zr->entries, ff->depth + 1, lim);
	zipread_free(zr);
}

/* Lists a file that is not read (a PDF, a diagram): kept, shown. */
struct form_file *
forms_list(struct forms *f, const char *name, uint64_t size)
{
	return forms_file(f, name, size, 0);
}

void
forms_add(struct forms *f, const char *name, const void *data, size_t len,
    const struct form_limits *lim, const char *password)
{
	struct form_file	*ff = forms_file(f, name, len, 0);
	const char		*base = strrchr(name, '/');

	forms_read(f, ff, base != NULL ? base + 1 : name, data, len, lim,
	    password);
}

/* Moves what one set of forms found into another (nintei check reads a
 * mail's forms and loose files together). */
void
forms_merge(struct forms *to, struct forms *from)
{
	GHashTableIter	 it;
	gpointer	 k, v;

	while (from->files->len > 0)
		g_ptr_array_add(to->files, g_ptr_array_steal_index(from->files,
		    0));
	while (from->problems->len > 0)
		g_ptr_array_add(to->problems, g_ptr_array_steal_index(
		    from->problems, 0));
	g_hash_table_iter_init(&it, from->application);
	while (g_hash_table_iter_next(&it, &k, &v)) {
		if (!g_hash_table_contains(to->application, k)) {
			g_hash_table_iter_steal(&it);
			g_hash_table_insert(to->application, k, v);
		}
	}
	g_hash_table_iter_init(&it, from->disclosure);
	while (g_hash_table_iter_next(&it, &k, &v)) {
		if (!g_hash_table_contains(to->disclosure, k)) {
			g_hash_table_iter_steal(&it);
			g_hash_table_insert(to->disclosure, k, v);
		}
	}
	to->have_application |= from->have_application;
	to->have_disclosure |= from->have_disclosure;
	if (to->disclosure_title == NULL) {
		to->disclosure_title = from->disclosure_title;
		from->disclosure_title = NULL;
	}
	to->encrypted |= from->encrypted;
	to->wrong_password |= from->wrong_password;
}

void
forms_take(struct forms *to, struct forms *from, int which)
{
	GHashTable	*t;
	char		*title;

	if (which == 'a') {
		t = to->application;
		to->application = from->application;
		from->application = t;
		to->have_application = from->have_application;
	} else {
		t = to->disclosure;
		to->disclosure = from->disclosure;
		from->disclosure = t;
		to->have_disclosure = from->have_disclosure;
		title = to->disclosure_title;
		to->disclosure_title = from->disclosure_title;
		from->disclosure_title = title;
	}
}
