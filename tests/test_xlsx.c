/* test_xlsx.c: the XLSX reader on workbooks written by libxlsxwriter and
 * on hand-made parts: furigana, rich text, inline strings, 1904 dates,
 * missing r attributes, x: prefixes, Strict OOXML, DTDs, limits. */

#include <string.h>

#include <xlsxwriter.h>

#include "testutil.h"
#include "xlsx.h"

#define NS_MAIN	"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
#define NS_REL	"http://schemas.openxmlformats.org/officeDocument/2006/" \
		"relationships"
#define NS_PKG	"http://schemas.openxmlformats.org/package/2006/relationships"

#define WORKBOOK \
	"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n" \
	"<workbook xmlns=\"" NS_MAIN "\" xmlns:r=\"" NS_REL "\">" \
	"<sheets><sheet name=\"申請書\" sheetId=\"1\" r:id=\"rId1\"/>" \
	"</sheets></workbook>"

#define WORKBOOK_RELS \
	"<Relationships xmlns=\"" NS_PKG "\">" \
	"<Relationship Id=\"rId1\" Type=\"" NS_REL "/worksheet\" " \
	"Target=\"worksheets/sheet1.xml\"/>" \
	"<Relationship Id=\"rId2\" Type=\"" NS_REL "/sharedStrings\" " \
	"Target=\"sharedStrings.xml\"/>" \
	"<Relationship Id=\"rId3\" Type=\"" NS_REL "/styles\" " \
	"Target=\"styles.xml\"/></Relationships>"

#define SHEET(rows) \
	"<worksheet xmlns=\"" NS_MAIN "\"><sheetData>" rows \
	"</sheetData></worksheet>"

/* The parts of a hand-made workbook; NULL ones are left out. */
struct parts {
	const char	*workbook;
	const char	*rels;
	const char	*strings;
	const char	*styles;
	const char	*sheet;
};

/* Zips the parts (defaults for workbook and rels) in memory. */
static GBytes *
make_book(const struct parts *p)
{
	zip_source_t	*src;
	zip_t		*za = tu_zip_new(&src);
	const char	*wb = p->workbook != NULL ? p->workbook : WORKBOOK;
	const char	*rels = p->rels != NULL ? p->rels : WORKBOOK_RELS;

	tu_zip_add(za, "xl/workbook.xml", wb, strlen(wb));
	tu_zip_add(za, "xl/_rels/workbook.xml.rels", rels, strlen(rels));
	if (p->strings != NULL)
		tu_zip_add(za, "xl/sharedStrings.xml", p->strings,
		    strlen(p->strings));
	if (p->styles != NULL)
		tu_zip_add(za, "xl/styles.xml", p->styles,
		    strlen(p->styles));
	if (p->sheet != NULL)
		tu_zip_add(za, "xl/worksheets/sheet1.xml", p->sheet,
		    strlen(p->sheet));
	return tu_zip_bytes(za, src);
}

/* Reads bytes with the given limits (NULL: the defaults); *cause gets
 * the refusal when the book is NULL. */
static struct xlsx_book *
read_bytes(GBytes *b, const struct xlsx_limits *lim, char **cause)
{
	struct xlsx_limits	 def;

	xlsx_limits_default(&def);
	*cause = NULL;
	return xlsx_read(g_bytes_get_data(b, NULL), g_bytes_get_size(b),
	    lim != NULL ? lim : &def, cause);
}

/* Reads a hand-made book that must be readable. */
static struct xlsx_book *
read_parts(const struct parts *p)
{
	struct xlsx_book	*book;
	GBytes			*b = make_book(p);
	char			*cause;

	book = read_bytes(b, NULL, &cause);
	if (book == NULL)
		fail_msg("xlsx_read: %s", cause);
	g_bytes_unref(b);
	return book;
}

/* Reads a hand-made book that must be refused; returns the cause. */
static char *
refuse_parts(const struct parts *p, const struct xlsx_limits *lim)
{
	struct xlsx_book	*book;
	GBytes			*b = make_book(p);
	char			*cause;

	book = read_bytes(b, lim, &cause);
	if (book != NULL)
		fail_msg("xlsx_read took a book it should refuse");
	assert_non_null(cause);
	assert_non_null(strstr(cause, "Excel ファイルとして読み取れません"));
	g_bytes_unref(b);
	return cause;
}

/* The only sheet of a book. */
static const struct xlsx_sheet *
first_sheet(const struct xlsx_book *book)
{
	const struct xlsx_sheet	*sh = xlsx_sheet(book, "申請書");

	assert_non_null(sh);
	return sh;
}

/* Asserts a cell's kind and text. */
static void
assert_cell(const struct xlsx_sheet *sh, unsigned int row, unsigned int col,
    enum xlsx_kind kind, const char *text)
{
	const struct xlsx_cell	*c = xlsx_cell(sh, row, col);

	if (c == NULL)
		fail_msg("%s!R%uC%u is empty, expected \"%s\"", sh->name, row,
		    col, text);
	if (c->kind != kind || strcmp(c->text, text) != 0)
		fail_msg("%s!R%uC%u is (%d) \"%s\", expected (%d) \"%s\"",
		    sh->name, row, col, c->kind, c->text, kind, text);
}

/* Writes the two forms with libxlsxwriter to path. */
static void
write_forms(const char *path, const char *tmpdir, int constant_memory)
{
	lxw_workbook_options	 opt = { constant_memory, (char *)tmpdir, 0 };
	lxw_workbook		*wb = workbook_new_opt(path, &opt);
	lxw_worksheet		*ws, *ws2;
	lxw_format		*ymd, *jp, *dt, *pct, *pct9;
	lxw_datetime		 d1 = { 2024, 1, 1, 0, 0, 0 };
	lxw_datetime		 d2 = { 2024, 4, 1, 0, 0, 0 };
	lxw_datetime		 d3 = { 2024, 1, 1, 9, 30, 0 };

	assert_non_null(wb);
	ws = workbook_add_worksheet(wb, "申請書");
	ws2 = workbook_add_worksheet(wb, "情報開示書");
	ymd = workbook_add_format(wb);
	format_set_num_format(ymd, "yyyy/m/d");
	jp = workbook_add_format(wb);
	format_set_num_format_index(jp, 31);	/* yyyy年m月d日 */
	dt = workbook_add_format(wb);
	format_set_num_format(dt, "yyyy/m/d h:mm");
	pct = workbook_add_format(wb);
	format_set_num_format(pct, "0.0%");
	pct9 = workbook_add_format(wb);
	format_set_num_format_index(pct9, 9);	/* 0% */
	worksheet_write_string(ws, 0, 0, "項目", NULL);
	worksheet_write_string(ws, 0, 1, "内容", NULL);
	worksheet_write_string(ws, 1, 0, "制度", NULL);
	worksheet_write_string(ws, 1, 1, "ISMAP", NULL);
	worksheet_write_string(ws, 2, 0, "事業者名", NULL);
	worksheet_write_string(ws, 2, 1, "株式会社サンプル＆テスト", NULL);
	worksheet_write_datetime(ws, 3, 1, &d1, ymd);
	worksheet_write_datetime(ws, 4, 1, &d2, jp);
	worksheet_write_datetime(ws, 5, 1, &d3, dt);
	worksheet_write_number(ws, 6, 1, 1000000, NULL);
	worksheet_write_number(ws, 7, 1, 99.9, NULL);
	worksheet_write_boolean(ws, 8, 1, 1, NULL);
	worksheet_write_formula_str(ws, 9, 1, "=\"新\"&\"規\"", NULL,
	    "新規");
	/* Percentages as Excel stores them: 0.999 shown as 99.9%. */
	worksheet_write_number(ws, 10, 1, 0.999, pct);
	worksheet_write_number(ws, 11, 1, 0.5, pct9);
	worksheet_write_string(ws2, 0, 0, "項番", NULL);
	worksheet_write_string(ws2, 0, 3, "記述内容", NULL);
	worksheet_write_number(ws2, 1, 0, 1, NULL);
	worksheet_write_string(ws2, 1, 3, "東京都千代田区", NULL);
	assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
}

/* Workbooks written by libxlsxwriter, with shared strings and (in its
 * constant-memory mode) inline strings. */
static void
test_xlsxwriter(void **state)
{
	struct xlsx_book	*book;
	const struct xlsx_sheet	*sh;
	char			*dir, *path, *cause, *text;
	GBytes			*b;
	gsize			 len;
	int			 mode;

	(void)state;
	dir = tu_tmpdir("xlsx");
	path = g_build_filename(dir, "forms.xlsx", NULL);
	for (mode = 0; mode <= 1; mode++) {
		write_forms(path, dir, mode);
		text = tu_read(path, &len);
		b = g_bytes_new_take(text, len);
		book = read_bytes(b, NULL, &cause);
		if (book == NULL)
			fail_msg("xlsx_read: %s", cause);
		assert_int_equal(book->sheets->len, 2);
		assert_false(book->date1904);
		sh = xlsx_sheet(book, "申請書");
		assert_non_null(sh);
		assert_cell(sh, 1, 1, XLSX_STRING, "項目");
		assert_cell(sh, 2, 2, XLSX_STRING, "ISMAP");
		assert_cell(sh, 3, 2, XLSX_STRING, "株式会社サンプル＆テスト");
		assert_cell(sh, 4, 2, XLSX_DATE, "2024-01-01");
		assert_true(xlsx_cell(sh, 4, 2)->number == 45292);
		assert_cell(sh, 5, 2, XLSX_DATE, "2024-04-01");
		assert_cell(sh, 6, 2, XLSX_DATE, "2024-01-01T09:30:00");
		assert_cell(sh, 7, 2, XLSX_NUMBER, "1000000");
		assert_cell(sh, 8, 2, XLSX_NUMBER, "99.9");
		assert_cell(sh, 9, 2, XLSX_BOOL, "TRUE");
		assert_cell(sh, 10, 2, XLSX_STRING, "新規");
		assert_cell(sh, 11, 2, XLSX_NUMBER, "99.9%");
		assert_cell(sh, 12, 2, XLSX_NUMBER, "50%");
		assert_null(xlsx_cell(sh, 4, 1));
		assert_null(xlsx_cell(sh, 11, 1));
		assert_int_equal(sh->rows, 12);
		assert_int_equal(sh->cols, 2);
		sh = xlsx_sheet(book, "情報開示書");
		assert_non_null(sh);
		assert_cell(sh, 1, 1, XLSX_STRING, "項番");
		assert_cell(sh, 2, 1, XLSX_NUMBER, "1");
		assert_cell(sh, 2, 4, XLSX_STRING, "東京都千代田区");
		assert_null(xlsx_sheet(book, "申請"));
		xlsx_free(book);
		g_bytes_unref(b);
	}
	g_free(path);
	tu_rm_rf(dir);
	g_free(dir);
}

/* Shared strings: rich-text runs joined, furigana skipped, _xHHHH_
 * escapes decoded, character data split by references accumulated. */
static void
test_shared_strings(void **state)
{
	struct parts		 p = { 0 };
	struct xlsx_book	*book;
	const struct xlsx_sheet	*sh;

	(void)state;
	p.strings = "<sst xmlns=\"" NS_MAIN "\" count=\"5\" uniqueCount=\"5\">"
	    "<si><r><rPr><b/></rPr><t>申請</t></r><r><t xml:space="
	    "\"preserve\">書 </t></r>"
	    "<rPh sb=\"0\" eb=\"2\"><t>シンセイ</t></rPh>"
	    "<phoneticPr fontId=\"1\"/></si>"
	    "<si><t>山田</t><rPh sb=\"0\" eb=\"2\"><t>ヤマダ</t></rPh>"
	    "<phoneticPr fontId=\"1\" type=\"noConversion\"/></si>"
	    "<si><t>一行目_x000D_\n二行目</t></si>"
	    "<si><t>_x005F_x000D_ と A&amp;B &#x3042;</t></si>"
	    "<si><t/></si>"
	    "</sst>";
	p.sheet = SHEET("<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c>"
	    "<c r=\"B1\" t=\"s\"><v>1</v></c><c r=\"C1\" t=\"s\"><v>2</v></c>"
	    "<c r=\"D1\" t=\"s\"><v>3</v></c><c r=\"E1\" t=\"s\"><v>4</v>"
	    "</c></row>");
	book = read_parts(&p);
	sh = first_sheet(book);
	assert_cell(sh, 1, 1, XLSX_STRING, "申請書 ");
	assert_cell(sh, 1, 2, XLSX_STRING, "山田");
	assert_cell(sh, 1, 3, XLSX_STRING, "一行目\r\n二行目");
	assert_cell(sh, 1, 4, XLSX_STRING, "_x000D_ と A&B あ");
	assert_cell(sh, 1, 5, XLSX_STRING, "");
	xlsx_free(book);
}

/* A text longer than the parser's 1 MiB chunks comes out whole. */
static void
test_long_text(void **state)
{
	struct parts		 p = { 0 };
	struct xlsx_book	*book;
	const struct xlsx_cell	*c;
	GString			*sheet = g_string_new(NULL);
	int			 i;

	(void)state;
	g_string_append(sheet, "<worksheet xmlns=\"" NS_MAIN "\"><sheetData>"
	    "<row><c t=\"inlineStr\"><is><t>");
	for (i = 0; i < 500000; i++)
		g_string_append(sheet, i % 1000 == 0 ? "&amp;" : "あ");
	g_string_append(sheet, "</t></is></c></row></sheetData></worksheet>");
	p.sheet = sheet->str;
	book = read_parts(&p);
	c = xlsx_cell(first_sheet(book), 1, 1);
	assert_non_null(c);
	assert_int_equal(strlen(c->text), 499500 * 3 + 500);
	assert_true(g_str_has_prefix(c->text, "&あ"));
	assert_true(g_str_has_suffix(c->text, "ああ"));
	xlsx_free(book);
	g_string_free(sheet, TRUE);
}

/* Inline strings, formula results, booleans, errors, numbers; formulas
 * and empty styled cells. */
static void
test_cell_types(void **state)
{
	struct parts		 p = { 0 };
	struct xlsx_book	*book;
	const struct xlsx_sheet	*sh;

	(void)state;
	p.sheet = SHEET("<row r=\"1\">"
	    "<c r=\"A1\" t=\"inlineStr\"><is><t>情報</t><r><t>開示</t></r>"
	    "<rPh sb=\"0\" eb=\"2\"><t>ジョウホウ</t></rPh></is></c>"
	    "<c r=\"B1\" t=\"str\"><f>A1&amp;\"書\"</f><v>情報開示書</v></c>"
	    "<c r=\"C1\" t=\"b\"><v>0</v></c>"
	    "<c r=\"D1\" t=\"e\"><f>1/0</f><v>#DIV/0!</v></c>"
	    "<c r=\"E1\" t=\"e\"><v>#N/A</v></c>"
	    "<c r=\"F1\" s=\"0\"/>"
	    "<c r=\"G1\"><f>1+1</f><v>2</v></c>"
	    "<c r=\"H1\" t=\"n\"><v>0.1</v></c>"
	    "<c r=\"I1\"><v>-1.5E-3</v></c>"
	    "<c r=\"J1\"><v>123456789012.5</v></c>"
	    "<c r=\"K1\"><v>0.30000000000000004</v></c>"
	    "<c r=\"L1\"><v>-0</v></c>"
	    "</row>");
	book = read_parts(&p);
	sh = first_sheet(book);
	assert_cell(sh, 1, 1, XLSX_STRING, "情報開示");
	assert_cell(sh, 1, 2, XLSX_STRING, "情報開示書");
	assert_cell(sh, 1, 3, XLSX_BOOL, "FALSE");
	assert_cell(sh, 1, 4, XLSX_ERROR, "#DIV/0!");
	assert_cell(sh, 1, 5, XLSX_ERROR, "#N/A");
	assert_null(xlsx_cell(sh, 1, 6));
	assert_cell(sh, 1, 7, XLSX_NUMBER, "2");
	assert_cell(sh, 1, 8, XLSX_NUMBER, "0.1");
	assert_cell(sh, 1, 9, XLSX_NUMBER, "-0.0015");
	assert_cell(sh, 1, 10, XLSX_NUMBER, "123456789012.5");
	assert_cell(sh, 1, 11, XLSX_NUMBER, "0.30000000000000004");
	assert_cell(sh, 1, 12, XLSX_NUMBER, "0");
	assert_int_equal(sh->cols, 12);
	xlsx_free(book);
}

/* Rows and cells without r follow the previous ones. */
static void
test_missing_refs(void **state)
{
	struct parts		 p = { 0 };
	struct xlsx_book	*book;
	const struct xlsx_sheet	*sh;

	(void)state;
	p.sheet = SHEET("<row><c t=\"inlineStr\"><is><t>a</t></is></c>"
	    "<c><v>1</v></c></row>"
	    "<row><c r=\"C2\"><v>2</v></c><c><v>3</v></c></row>"
	    "<row r=\"5\"><c><v>4</v></c></row>"
	    "<row><c r=\"B6\"><v>5</v></c></row>");
	book = read_parts(&p);
	sh = first_sheet(book);
	assert_cell(sh, 1, 1, XLSX_STRING, "a");
	assert_cell(sh, 1, 2, XLSX_NUMBER, "1");
	assert_cell(sh, 2, 3, XLSX_NUMBER, "2");
	assert_cell(sh, 2, 4, XLSX_NUMBER, "3");
	assert_cell(sh, 5, 1, XLSX_NUMBER, "4");
	assert_cell(sh, 6, 2, XLSX_NUMBER, "5");
	assert_int_equal(sh->cells->len, 6);
	assert_int_equal(sh->rows, 6);
	assert_int_equal(sh->cols, 4);
	xlsx_free(book);
}

/* Cells out of order and written twice come out sorted, the last kept. */
static void
test_order(void **state)
{
	static const char	*order[] = { "3", "2", "4" };
	struct parts		 p = { 0 };
	struct xlsx_book	*book;
	const struct xlsx_sheet	*sh;
	const struct xlsx_cell	*c;
	guint			 i;

	(void)state;
	p.sheet = SHEET("<row r=\"3\"><c r=\"B3\"><v>1</v></c></row>"
	    "<row r=\"1\"><c r=\"C1\"><v>2</v></c><c r=\"A1\"><v>3</v></c>"
	    "</row><row r=\"3\"><c r=\"B3\"><v>4</v></c></row>");
	book = read_parts(&p);
	sh = first_sheet(book);
	assert_int_equal(sh->cells->len, 3);
	for (i = 0; i < 3; i++) {
		c = g_ptr_array_index(sh->cells, i);
		assert_string_equal(c->text, order[i]);
	}
	assert_cell(sh, 3, 2, XLSX_NUMBER, "4");
	xlsx_free(book);
}

/* Prefixed elements (x:), and Strict OOXML's namespaces. */
static void
test_namespaces(void **state)
{
	static const char	*strict_main = "http://purl.oclc.org/ooxml/"
				    "spreadsheetml/main";
	static const char	*strict_rel =
				    "http://purl.oclc.org/ooxml/officeDocument/"
				    "relationships";
	struct parts		 p = { 0 };
	struct xlsx_book	*book;
	char			*wb, *rels, *sheet;

	(void)state;
	p.workbook = "<x:workbook xmlns:x=\"" NS_MAIN "\" xmlns:r=\"" NS_REL
	    "\"><x:sheets><x:sheet name=\"申請書\" sheetId=\"1\" "
	    "r:id=\"rId1\"/></x:sheets></x:workbook>";
	p.sheet = "<x:worksheet xmlns:x=\"" NS_MAIN "\"><x:sheetData>"
	    "<x:row r=\"1\"><x:c r=\"A1\" t=\"inlineStr\"><x:is><x:t>制度"
	    "</x:t></x:is></x:c><x:c r=\"B1\"><x:v>7</x:v></x:c></x:row>"
	    "</x:sheetData></x:worksheet>";
	book = read_parts(&p);
	assert_cell(first_sheet(book), 1, 1, XLSX_STRING, "制度");
	assert_cell(first_sheet(book), 1, 2, XLSX_NUMBER, "7");
	xlsx_free(book);

	wb = g_strdup_printf("<workbook xmlns=\"%s\" xmlns:r=\"%s\">"
	    "<workbookPr date1904=\"false\"/><sheets><sheet name=\"申請書\" "
	    "sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>", strict_main,
	    strict_rel);
	rels = g_strdup_printf("<Relationships xmlns=\"" NS_PKG "\">"
	    "<Relationship Id=\"rId1\" Type=\"%s/worksheet\" "
	    "Target=\"worksheets/sheet1.xml\"/></Relationships>", strict_rel);
	sheet = g_strdup_printf("<worksheet xmlns=\"%s\"><sheetData><row>"
	    "<c t=\"inlineStr\"><is><t>Strict</t></is></c></row></sheetData>"
	    "</worksheet>", strict_main);
	p.workbook = wb;
	p.rels = rels;
	p.sheet = sheet;
	book = read_parts(&p);
	assert_false(book->date1904);
	assert_cell(first_sheet(book), 1, 1, XLSX_STRING, "Strict");
	xlsx_free(book);
	g_free(wb);
	g_free(rels);
	g_free(sheet);
}

#define STYLES \
	"<styleSheet xmlns=\"" NS_MAIN "\"><numFmts count=\"5\">" \
	"<numFmt numFmtId=\"164\" formatCode=\"yyyy/m/d\"/>" \
	"<numFmt numFmtId=\"165\" formatCode=\"[$-411]ggge&quot;年&quot;" \
	"m&quot;月&quot;d&quot;日&quot;\"/>" \
	"<numFmt numFmtId=\"166\" formatCode=\"0.00E+00\"/>" \
	"<numFmt numFmtId=\"167\" formatCode=\"&quot;day &quot;0\"/>" \
	"<numFmt numFmtId=\"168\" formatCode=\"[Red]#,##0;\\-#,##0\"/>" \
	"</numFmts><cellStyleXfs count=\"1\"><xf numFmtId=\"14\"/>" \
	"</cellStyleXfs><cellXfs count=\"10\">" \
	"<xf numFmtId=\"0\"/><xf numFmtId=\"14\"/><xf numFmtId=\"164\"/>" \
	"<xf numFmtId=\"165\"/><xf numFmtId=\"166\"/><xf numFmtId=\"167\"/>" \
	"<xf numFmtId=\"31\"/><xf numFmtId=\"57\"/><xf numFmtId=\"22\"/>" \
	"<xf numFmtId=\"168\"/></cellXfs></styleSheet>"

/* Dates by built-in (Japanese ones included) and custom formats, and the
 * 1900 system's fake leap day. */
static void
test_dates(void **state)
{
	struct parts		 p = { 0 };
	struct xlsx_book	*book;
	const struct xlsx_sheet	*sh;

	(void)state;
	p.styles = STYLES;
	p.sheet = SHEET("<row r=\"1\">"
	    "<c r=\"A1\" s=\"0\"><v>45292</v></c>"
	    "<c r=\"B1\" s=\"1\"><v>45292</v></c>"
	    "<c r=\"C1\" s=\"2\"><v>45292.5</v></c>"
	    "<c r=\"D1\" s=\"3\"><v>45383</v></c>"
	    "<c r=\"E1\" s=\"4\"><v>45292</v></c>"
	    "<c r=\"F1\" s=\"5\"><v>45292</v></c>"
	    "<c r=\"G1\" s=\"6\"><v>45292</v></c>"
	    "<c r=\"H1\" s=\"7\"><v>45292</v></c>"
	    "<c r=\"I1\" s=\"8\"><v>45292.75</v></c>"
	    "<c r=\"J1\" s=\"9\"><v>45292</v></c>"
	    "<c r=\"K1\" s=\"99\"><v>45292</v></c>"
	    "</row><row r=\"2\">"
	    "<c r=\"A2\" s=\"1\"><v>1</v></c>"
	    "<c r=\"B2\" s=\"1\"><v>59</v></c>"
	    "<c r=\"C2\" s=\"1\"><v>60</v></c>"
	    "<c r=\"D2\" s=\"1\"><v>61</v></c>"
	    "<c r=\"E2\" s=\"1\"><v>-1</v></c>"
	    "<c r=\"F2\" s=\"1\"><v>2958465</v></c>"
	    "<c r=\"G2\" s=\"1\"><v>2958466</v></c>"
	    "</row>");
	book = read_parts(&p);
	sh = first_sheet(book);
	assert_cell(sh, 1, 1, XLSX_NUMBER, "45292");
	assert_cell(sh, 1, 2, XLSX_DATE, "2024-01-01");
	assert_cell(sh, 1, 3, XLSX_DATE, "2024-01-01T12:00:00");
	assert_cell(sh, 1, 4, XLSX_DATE, "2024-04-01");
	assert_cell(sh, 1, 5, XLSX_NUMBER, "45292");
	assert_cell(sh, 1, 6, XLSX_NUMBER, "45292");
	assert_cell(sh, 1, 7, XLSX_DATE, "2024-01-01");
	assert_cell(sh, 1, 8, XLSX_DATE, "2024-01-01");
	assert_cell(sh, 1, 9, XLSX_DATE, "2024-01-01T18:00:00");
	assert_cell(sh, 1, 10, XLSX_NUMBER, "45292");
	assert_cell(sh, 1, 11, XLSX_NUMBER, "45292");
	assert_true(xlsx_cell(sh, 1, 2)->number == 45292);
	assert_cell(sh, 2, 1, XLSX_DATE, "1900-01-01");
	assert_cell(sh, 2, 2, XLSX_DATE, "1900-02-28");
	assert_cell(sh, 2, 3, XLSX_NUMBER, "60");
	assert_cell(sh, 2, 4, XLSX_DATE, "1900-03-01");
	assert_cell(sh, 2, 5, XLSX_NUMBER, "-1");
	assert_cell(sh, 2, 6, XLSX_DATE, "9999-12-31");
	assert_cell(sh, 2, 7, XLSX_NUMBER, "2958466");
	xlsx_free(book);
}

/* The 1904 date system, as "1" or "true". */
static void
test_1904(void **state)
{
	static const char	*values[] = { "1", "true" };
	struct parts		 p = { 0 };
	struct xlsx_book	*book;
	const struct xlsx_sheet	*sh;
	char			*wb;
	size_t			 i;

	(void)state;
	for (i = 0; i < G_N_ELEMENTS(values); i++) {
		wb = g_strdup_printf("<workbook xmlns=\"" NS_MAIN "\" "
		    "xmlns:r=\"" NS_REL "\"><workbookPr date1904=\"%s\"/>"
		    "<sheets><sheet name=\"申請書\" sheetId=\"1\" "
		    "r:id=\"rId1\"/></sheets></workbook>", values[i]);
		p.workbook = wb;
		p.styles = STYLES;
		p.sheet = SHEET("<row><c s=\"1\"><v>0</v></c>"
		    "<c s=\"1\"><v>43830</v></c><c s=\"1\"><v>59</v></c>"
		    "<c s=\"1\"><v>60</v></c></row>");
		book = read_parts(&p);
		assert_true(book->date1904);
		sh = first_sheet(book);
		assert_cell(sh, 1, 1, XLSX_DATE, "1904-01-01");
		assert_cell(sh, 1, 2, XLSX_DATE, "2024-01-01");
		assert_cell(sh, 1, 3, XLSX_DATE, "1904-02-29");
		assert_cell(sh, 1, 4, XLSX_DATE, "1904-03-01");
		xlsx_free(book);
		g_free(wb);
	}
}

/* Targets absolute from the package root, the workbook found through
 * _rels/.rels, and sheets in workbook order. */
static void
test_targets(void **state)
{
	static const char	*root = "<Relationships xmlns=\"" NS_PKG "\">"
		"<Relationship Id=\"rId1\" Type=\"" NS_REL "/officeDocument\" "
		"Target=\"/book/main.xml\"/></Relationships>";
	static const char	*wb = "<workbook xmlns=\"" NS_MAIN "\" "
		"xmlns:r=\"" NS_REL "\"><sheets>"
		"<sheet name=\"情報開示書\" sheetId=\"2\" r:id=\"rId2\"/>"
		"<sheet name=\"申請書\" sheetId=\"1\" r:id=\"rId1\"/>"
		"</sheets></workbook>";
	static const char	*rels = "<Relationships xmlns=\"" NS_PKG "\">"
		"<Relationship Id=\"rId1\" Type=\"" NS_REL "/worksheet\" "
		"Target=\"/book/sheets/a.xml\"/>"
		"<Relationship Id=\"rId2\" Type=\"" NS_REL "/worksheet\" "
		"Target=\"sheets/../sheets/./b.xml\"/>"
		"<Relationship Id=\"rId3\" Type=\"" NS_REL "/sharedStrings\" "
		"Target=\"/book/strings.xml\"/>"
		"<Relationship Id=\"rId9\" Type=\"" NS_REL "/hyperlink\" "
		"Target=\"https://example.org/\" TargetMode=\"External\"/>"
		"</Relationships>";
	static const char	*sst = "<sst xmlns=\"" NS_MAIN "\"><si><t>A"
		"</t></si><si><t>B</t></si></sst>";
	static const char	*a = SHEET("<row><c t=\"s\"><v>0</v></c>"
		"</row>");
	static const char	*b = SHEET("<row><c t=\"s\"><v>1</v></c>"
		"</row>");
	zip_source_t		*src;
	zip_t			*za = tu_zip_new(&src);
	struct xlsx_book	*book;
	GBytes			*bytes;
	char			*cause;

	(void)state;
	tu_zip_add(za, "_rels/.rels", root, strlen(root));
	tu_zip_add(za, "book/main.xml", wb, strlen(wb));
	tu_zip_add(za, "book/_rels/main.xml.rels", rels, strlen(rels));
	tu_zip_add(za, "book/strings.xml", sst, strlen(sst));
	tu_zip_add(za, "book/sheets/a.xml", a, strlen(a));
	tu_zip_add(za, "book/sheets/b.xml", b, strlen(b));
	bytes = tu_zip_bytes(za, src);
	book = read_bytes(bytes, NULL, &cause);
	if (book == NULL)
		fail_msg("xlsx_read: %s", cause);
	assert_int_equal(book->sheets->len, 2);
	assert_string_equal(((struct xlsx_sheet *)
	    g_ptr_array_index(book->sheets, 0))->name, "情報開示書");
	assert_cell(xlsx_sheet(book, "申請書"), 1, 1, XLSX_STRING, "A");
	assert_cell(xlsx_sheet(book, "情報開示書"), 1, 1, XLSX_STRING, "B");
	xlsx_free(book);
	g_bytes_unref(bytes);
}

/* Any DTD is refused, in any part: no entity is ever expanded. */
static void
test_dtd(void **state)
{
	struct parts	 p = { 0 };
	char		*cause;

	(void)state;
	p.sheet = "<?xml version=\"1.0\"?>\n<!DOCTYPE worksheet [\n"
	    "<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;\">\n"
	    "]>\n" SHEET("<row><c t=\"inlineStr\"><is><t>&b;</t></is></c>"
	    "</row>");
	cause = refuse_parts(&p, NULL);
	tu_contains(cause, "DTD");
	tu_contains(cause, "xl/worksheets/sheet1.xml");
	g_free(cause);

	p.sheet = SHEET("");
	p.strings = "<!DOCTYPE sst SYSTEM \"file:///etc/passwd\"><sst/>";
	cause = refuse_parts(&p, NULL);
	tu_contains(cause, "DTD");
	g_free(cause);
}

/* Cells, shared strings and part sizes beyond the limits; broken and
 * missing parts; not a workbook at all. */
static void
test_limits(void **state)
{
	struct parts		 p = { 0 };
	struct xlsx_limits	 lim;
	struct xlsx_book	*book;
	char			*cause;
	GString			*big = g_string_new(NULL);
	GBytes			*b;
	int			 i;

	(void)state;
	xlsx_limits_default(&lim);
	lim.max_cells = 3;
	p.sheet = SHEET("<row><c><v>1</v></c><c><v>2</v></c><c/>"
	    "<c><v>3</v></c><c><v>4</v></c></row>");
	cause = refuse_parts(&p, &lim);
	tu_contains(cause, "セルの数が上限（3 個）");
	g_free(cause);

	xlsx_limits_default(&lim);
	lim.max_strings = 1;
	p.strings = "<sst xmlns=\"" NS_MAIN "\"><si><t>a</t></si>"
	    "<si><t>b</t></si></sst>";
	p.sheet = SHEET("");
	cause = refuse_parts(&p, &lim);
	tu_contains(cause, "共有文字列の数が上限（1 個）");
	g_free(cause);
	p.strings = NULL;

	xlsx_limits_default(&lim);
	lim.max_part = 1000;
	g_string_append(big, "<worksheet xmlns=\"" NS_MAIN "\"><sheetData>");
	for (i = 0; i < 100; i++)
		g_string_append(big, "<row><c><v>1</v></c></row>");
	g_string_append(big, "</sheetData></worksheet>");
	p.sheet = big->str;
	cause = refuse_parts(&p, &lim);
	tu_contains(cause, "上限（1000 バイト）");
	g_free(cause);
	lim.max_part = 20 * 1024 * 1024;
	lim.max_total = 1000;
	cause = refuse_parts(&p, &lim);
	tu_contains(cause, "xl/worksheets/sheet1.xml");
	g_free(cause);

	g_string_assign(big, "<workbook xmlns=\"" NS_MAIN "\" xmlns:r=\""
	    NS_REL "\"><sheets>");
	for (i = 0; i < 1001; i++)
		g_string_append_printf(big, "<sheet name=\"s%d\" "
		    "sheetId=\"%d\" r:id=\"rId1\"/>", i, i + 1);
	g_string_append(big, "</sheets></workbook>");
	p.workbook = big->str;
	p.sheet = SHEET("");
	cause = refuse_parts(&p, NULL);
	tu_contains(cause, "シートの数が上限（1000 枚）");
	g_free(cause);
	p.workbook = NULL;

	/* One shared string copied into many cells. */
	xlsx_limits_default(&lim);
	lim.max_text = 1000;
	p.strings = "<sst xmlns=\"" NS_MAIN "\"><si><t>"
	    "0123456789012345678901234567890123456789</t></si></sst>";
	p.sheet = SHEET("<row><c t=\"s\"><v>0</v></c><c t=\"s\"><v>0</v></c>"
	    "</row>");
	book = read_bytes(b = make_book(&p), &lim, &cause);
	assert_non_null(book);
	xlsx_free(book);
	g_bytes_unref(b);
	g_string_assign(big, "<worksheet xmlns=\"" NS_MAIN "\"><sheetData>");
	for (i = 0; i < 30; i++)
		g_string_append(big, "<row><c t=\"s\"><v>0</v></c></row>");
	g_string_append(big, "</sheetData></worksheet>");
	p.sheet = big->str;
	cause = refuse_parts(&p, &lim);
	tu_contains(cause, "セルの文字の合計が上限（1000 バイト）");
	g_free(cause);
	p.strings = NULL;
	g_string_free(big, TRUE);

	p.sheet = SHEET("<row><c t=\"s\"><v>5</v></c></row>");
	cause = refuse_parts(&p, NULL);
	tu_contains(cause, "範囲外");
	g_free(cause);

	p.sheet = "<worksheet><sheetData><row>";
	cause = refuse_parts(&p, NULL);
	tu_contains(cause, "XML が壊れています");
	g_free(cause);

	p.sheet = NULL;
	cause = refuse_parts(&p, NULL);
	tu_contains(cause, "xl/worksheets/sheet1.xml がありません");
	g_free(cause);
}

/* What is not a workbook says so; an encrypted one says it is. */
static void
test_not_xlsx(void **state)
{
	static const char	 ole2[] = "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
				    "E\0n\0c\0r\0y\0p\0t\0e\0d\0"
				    "P\0a\0c\0k\0a\0g\0e\0";
	struct xlsx_book	*book;
	GBytes			*b;
	char			*cause;

	(void)state;
	b = g_bytes_new_static(ole2, sizeof ole2 - 1);
	book = read_bytes(b, NULL, &cause);
	assert_null(book);
	tu_contains(cause, "Excel ファイルとして読み取れません"
	    "（パスワードで保護された Excel ファイルです");
	g_free(cause);
	g_bytes_unref(b);

	b = tu_zip("word/document.xml", "<w:document/>", NULL);
	book = read_bytes(b, NULL, &cause);
	assert_null(book);
	tu_contains(cause, "xl/workbook.xml がありません");
	g_free(cause);
	g_bytes_unref(b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_xlsxwriter),
		cmocka_unit_test(test_shared_strings),
		cmocka_unit_test(test_long_text),
		cmocka_unit_test(test_cell_types),
		cmocka_unit_test(test_missing_refs),
		cmocka_unit_test(test_order),
		cmocka_unit_test(test_namespaces),
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_1904),
		cmocka_unit_test(test_targets),
		cmocka_unit_test(test_dtd),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_not_xlsx),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
