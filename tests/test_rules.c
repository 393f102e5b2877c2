/* test_rules.c: the rules folder: the real rules against the shared item
 * files, scheme and item look-up, and every mistake the linter reports. */

#include <stdarg.h>
#include <string.h>

#include "testutil.h"
#include "rules.h"

/* The header lines of a good scheme (7 lines) and the column header. */
#define HEAD(code)	"scheme\t" code "\nname\t" code " name\n"	\
			"aliases\t" code "-alias\nidentifier\t" code "\n"	\
			"fee_new\t190000\nfee_renewal\t95000\n"		\
			"validity_years\t2\n"
#define COLS		"id\tlabel\tneed\ttype\twhen\tgloss\tbasis\n"
#define ITEM(id)	id "\tx\t必須\ttext\t\tg\tfound\n"

static const char *codes[] = {
	"asp-saas", "datacenter", "iaas-paas", "medical", "mynumber"
};

/* Writes files into a new folder: name, text, name, text, ..., NULL. */
static char *
folder(const char *tag, ...)
{
	va_list		 ap;
	const char	*name, *text;
	char		*dir, *path;

	dir = tu_tmpdir(tag);
	va_start(ap, tag);
	while ((name = va_arg(ap, const char *)) != NULL) {
		text = va_arg(ap, const char *);
		path = g_build_filename(dir, name, NULL);
		tu_write(path, text, strlen(text));
		g_free(path);
	}
	va_end(ap);
	return dir;
}

/* Loads dir and returns its errors, one a line, for exact comparison;
 * the rules go to *out when out is not NULL. */
static char *
lint(const char *dir, struct rules **out)
{
	GPtrArray	*errors = g_ptr_array_new_with_free_func(g_free);
	GString		*s = g_string_new(NULL);
	struct rules	*r;
	guint		 i;

	r = rules_load(dir, errors);
	for (i = 0; i < errors->len; i++)
		g_string_append_printf(s, "%s\n",
		    (char *)g_ptr_array_index(errors, i));
	g_ptr_array_free(errors, TRUE);
	if (out != NULL)
		*out = r;
	else
		rules_free(r);
	return g_string_free(s, FALSE);
}

/* Loads a broken folder, compares all its errors with expect, and
 * removes the folder (and frees its name). */
static void
assert_lint(char *dir, const char *expect)
{
	char	*got = lint(dir, NULL);

	assert_string_equal(got, expect);
	g_free(got);
	tu_rm_rf(dir);
	g_free(dir);
}

/* Loads the repository's rules, failing on any error. */
static struct rules *
real_rules(void)
{
	struct rules	*r;
	char		*dir, *got;

	dir = g_build_filename(tu_top(), "rules", NULL);
	got = lint(dir, &r);
	assert_string_equal(got, "");
	assert_non_null(r);
	g_free(got);
	g_free(dir);
	return r;
}

/* The rows of a shared item file, 7 cells each, #include expanded. */
static void
shared_rows(const char *dir, const char *name, GPtrArray *rows)
{
	char	*path, *text, **lines, **cells;
	guint	 i;

	path = g_build_filename(dir, name, NULL);
	text = tu_read(path, NULL);
	lines = g_strsplit(text, "\n", -1);
	assert_string_equal(lines[0],
	    "id\tlabel\tneed\ttype\twhen\tgloss\tbasis");
	for (i = 1; lines[i] != NULL; i++) {
		if (*lines[i] == '\0')
			continue;
		if (g_str_has_prefix(lines[i], "#include ")) {
			shared_rows(dir, lines[i] + strlen("#include "), rows);
			continue;
		}
		cells = g_strsplit(lines[i], "\t", -1);
		assert_int_equal(g_strv_length(cells), 7);
		g_ptr_array_add(rows, cells);
	}
	g_strfreev(lines);
	g_free(text);
	g_free(path);
}

/* The item table of each scheme equals its shared file, item by item. */
static void
test_real_items(void **state)
{
	GPtrArray		*rows;
	struct rules		*r = real_rules();
	const struct scheme	*s;
	const struct rule_item	*it;
	char			*shared, *name, *when, **row;
	guint			 i, j;

	(void)state;
	shared = g_build_filename(tu_top(), "..", "shared", "schemes", NULL);
	assert_int_equal(r->schemes->len, 5);
	for (i = 0; i < 5; i++) {
		s = g_ptr_array_index(r->schemes, i);
		assert_string_equal(s->code, codes[i]);
		name = g_strdup_printf("%s.tsv", s->code);
		assert_string_equal(s->file, name);
		rows = g_ptr_array_new_with_free_func(
		    (GDestroyNotify)g_strfreev);
		shared_rows(shared, name, rows);
		assert_int_equal(s->items->len, rows->len);
		for (j = 0; j < rows->len; j++) {
			it = g_ptr_array_index(s->items, j);
			row = g_ptr_array_index(rows, j);
			assert_string_equal(it->id, row[0]);
			assert_string_equal(it->label, row[1]);
			assert_int_equal(it->required,
			    strcmp(row[2], "必須") == 0);
			assert_string_equal(it->type_spec, row[3]);
			when = it->when_id == NULL ? g_strdup("") :
			    g_strdup_printf("%s=%s", it->when_id,
			    it->when_value);
			assert_string_equal(when, row[4]);
			g_free(when);
			assert_string_equal(it->gloss, row[5]);
			assert_string_equal(it->basis, row[6]);
			assert_ptr_equal(rules_item(s, row[0]), it);
		}
		g_ptr_array_free(rows, TRUE);
		g_free(name);
	}
	rules_free(r);
	g_free(shared);
}

/* Names, identifiers, fees and validity equal schemes.tsv and SPEC §1;
 * every name and alias of schemes.tsv finds its scheme. */
static void
test_real_schemes(void **state)
{
	struct rules		*r = real_rules();
	const struct scheme	*s;
	char			*path, *text, **lines, **cells, **aliases;
	guint			 i, j, n = 0;

	(void)state;
	path = g_build_filename(tu_top(), "..", "shared", "schemes",
	    "schemes.tsv", NULL);
	text = tu_read(path, NULL);
	lines = g_strsplit(text, "\n", -1);
	for (i = 1; lines[i] != NULL; i++) {
		if (*lines[i] == '\0')
			continue;
		cells = g_strsplit(lines[i], "\t", -1);
		assert_int_equal(g_strv_length(cells), 6);
		s = rules_scheme(r, cells[0]);
		assert_non_null(s);
		assert_string_equal(s->code, cells[0]);
		assert_string_equal(s->name, cells[1]);
		assert_string_equal(s->identifier, cells[3]);
		assert_ptr_equal(rules_scheme(r, cells[1]), s);
		aliases = g_strsplit(cells[2], "|", -1);
		assert_int_equal(s->aliases->len, g_strv_length(aliases));
		for (j = 0; aliases[j] != NULL; j++) {
			assert_string_equal(g_ptr_array_index(s->aliases, j),
			    aliases[j]);
			assert_ptr_equal(rules_scheme(r, aliases[j]), s);
		}
		g_strfreev(aliases);
		assert_int_equal(s->fee_new, 190000);
		assert_int_equal(s->fee_renewal, 95000);
		assert_int_equal(s->validity_years, 2);
		g_strfreev(cells);
		n++;
	}
	assert_int_equal(n, 5);
	g_strfreev(lines);
	g_free(text);
	g_free(path);
	rules_free(r);
}

/* Scheme names as applicants write them. */
static void
test_scheme_lookup(void **state)
{
	static const struct {
		const char	*name;
		const char	*code;
	} cases[] = {
		{ "医療情報ASP/SaaS", "medical" },
		{ "医療情報 ＡＳＰ・ＳａａＳ", "medical" },
		{ "医療情報ＡＳＰ／ＳａａＳ", "medical" },
		{ "  医療 ", "medical" },
		{ "iaas・paas", "iaas-paas" },
		{ "ＩａａＳ／ＰａａＳ", "iaas-paas" },
		{ "IAAS-PAAS", "iaas-paas" },
		{ "ASP･SaaS", "asp-saas" },
		{ "asp saas", "asp-saas" },
		{ "ＡＳＰ・ＳａａＳ", "asp-saas" },
		{ "データ　センター", "datacenter" },
		{ "ﾃﾞｰﾀｾﾝﾀｰ", "datacenter" },
		{ "data center", "datacenter" },
		{ "dc", "datacenter" },
		{ "特定個人情報　ASP・SaaS", "mynumber" },
		{ "特個", "mynumber" },
		{ "mynumber", "mynumber" },
	};
	static const char *none[] = {
		"SaaS", "", " ・ ", "医療情報", "ASP・SaaS・PaaS", "\xff\xfe",
	};
	struct rules		*r = real_rules();
	const struct scheme	*s;
	size_t			 i;

	(void)state;
	for (i = 0; i < G_N_ELEMENTS(cases); i++) {
		s = rules_scheme(r, cases[i].name);
		if (s == NULL)
			fail_msg("no scheme for \"%s\"", cases[i].name);
		assert_string_equal(s->code, cases[i].code);
	}
	for (i = 0; i < G_N_ELEMENTS(none); i++) {
		if ((s = rules_scheme(r, none[i])) != NULL)
			fail_msg("\"%s\" found %s", none[i], s->code);
	}
	rules_free(r);
}

/* 項番 as applicants write them; conditions and types as parsed. */
static void
test_item_lookup(void **state)
{
	static const struct {
		const char	*id;
		const char	*want;
	} cases[] = {
		{ "M-1", "M-1" }, { "m-1", "M-1" }, { "Ｍ－１", "M-1" },
		{ "２-８", "2-8" }, { "2ー8", "2-8" }, { "2−8", "2-8" },
		{ "2‐8", "2-8" }, { " 2-8　", "2-8" }, { "１", "1" },
		{ "10-1", "10-1" },
	};
	struct rules		*r = real_rules();
	const struct scheme	*s;
	const struct rule_item	*it;
	size_t			 i;

	(void)state;
	s = rules_scheme(r, "医療");
	assert_non_null(s);
	for (i = 0; i < G_N_ELEMENTS(cases); i++) {
		it = rules_item(s, cases[i].id);
		if (it == NULL)
			fail_msg("no item for \"%s\"", cases[i].id);
		assert_string_equal(it->id, cases[i].want);
	}
	assert_null(rules_item(s, "2-99"));
	assert_null(rules_item(s, "D-1"));
	assert_null(rules_item(s, "28"));
	assert_null(rules_item(s, ""));

	it = rules_item(s, "7-8");
	assert_string_equal(it->when_id, "7-7");
	assert_string_equal(it->when_value, "有");
	assert_int_equal(it->type.kind, VT_URL);
	assert_int_equal(it->required, 0);
	assert_string_equal(it->file, "medical.tsv");
	it = rules_item(s, "6-3");
	assert_string_equal(it->file, "common.tsv");
	assert_int_equal(it->line, 24);
	it = rules_item(s, "M-2");
	assert_int_equal(it->type.kind, VT_ENUM);
	assert_int_equal(it->type.choices->len, 2);
	assert_string_equal(g_ptr_array_index(it->type.choices, 0), "国内");
	it = rules_item(s, "2-1");
	assert_int_equal(it->type.kind, VT_TEXT);
	assert_int_equal(it->type.max_len, 100);
	assert_int_equal(it->required, 1);
	assert_null(it->when_id);
	rules_free(r);
}

/* Header lines: unknown, repeated and missing keys, bad numbers, codes. */
static void
test_lint_header(void **state)
{
	(void)state;
	assert_lint(folder("rules-header",
	    "a.tsv",
	    "scheme\ta\n"
	    "name\tA\n"
	    "colour\tblue\n"
	    "fee_new\t19万\n"
	    "fee_renewal\t95,000\n"
	    "name\tB\n"
	    COLS
	    ITEM("1"),
	    "b.tsv",
	    "name\tB\n"
	    "identifier\n"
	    COLS
	    ITEM("1"),
	    "c.tsv",
	    "scheme\tC_1\n"
	    "name\n"
	    "identifier\tC C\n"
	    "fee_new\t190000\n"
	    "fee_renewal\t95000\t円\n"
	    "validity_years\ttwo\n",
	    NULL),
	    "a.tsv:3: unknown key \"colour\" (known: scheme, name, aliases, "
	    "identifier, fee_new, fee_renewal, validity_years)\n"
	    "a.tsv:4: fee_new \"19万\" is not a number of yen (digits, like "
	    "190000)\n"
	    "a.tsv:6: name given twice (also line 2)\n"
	    "a.tsv:7: missing header line identifier\n"
	    "a.tsv:7: missing header line validity_years\n"
	    "b.tsv:3: missing header line scheme\n"
	    "c.tsv:1: scheme \"C_1\": a code is lower-case ASCII letters, "
	    "digits and '-'\n"
	    "c.tsv:1: missing header line fee_renewal\n"
	    "c.tsv:1: no item table: the column header line id, label, need, "
	    "type, when, gloss, basis is missing\n"
	    "c.tsv:1: scheme C_1 has no items\n"
	    "c.tsv:2: name is empty\n"
	    "c.tsv:3: identifier \"C C\" may not hold spaces\n"
	    "c.tsv:5: fee_renewal takes one value, found 2 cells\n"
	    "c.tsv:6: validity_years \"two\" is not a number of years from 1 "
	    "to 99\n");
}

/* The column header line: missing, wrong, or an item table without it. */
static void
test_lint_columns(void **state)
{
	(void)state;
	assert_lint(folder("rules-columns",
	    "a.tsv",
	    HEAD("a")
	    "#include common.tsv\n"
	    ITEM("1")
	    ITEM("2"),
	    "b.tsv",
	    HEAD("b")
	    "id\tlabel\tneed\twhen\ttype\tgloss\tbasis\n"
	    ITEM("1"),
	    "c.tsv",
	    HEAD("c")
	    "id\tlabel\tneed\ttype\twhen\tgloss\n"
	    ITEM("1"),
	    "common.tsv", COLS ITEM("9"),
	    NULL),
	    "a.tsv:8: #include belongs in the item table, after the column "
	    "header line\n"
	    "a.tsv:9: missing column header line (id, label, need, type, "
	    "when, gloss, basis) before the first item\n"
	    "b.tsv:8: wrong column header line: expected id, label, need, "
	    "type, when, gloss, basis (tab-separated)\n"
	    "c.tsv:8: wrong column header line: expected id, label, need, "
	    "type, when, gloss, basis (tab-separated)\n");
}

/* Item rows: columns, ids, labels, need, type, when, basis, duplicates. */
static void
test_lint_items(void **state)
{
	char	*dir, *got, *cause = NULL, *expect;
	struct vtype t;

	(void)state;
	dir = folder("rules-items",
	    "a.tsv",
	    HEAD("a")
	    COLS
	    "1\t開示情報の年月日\t必須\tdate\t\tg\tfound\n"	/* 9 */
	    "2\tx\t必須\ttext\t\tg\n"
	    "3\tx\t必須\ttext\t\tg\tfound\textra\n"
	    "4\tx\t必須\ttext\t\tg\tfound\t\t\t\n"
	    "\tx\t必須\ttext\t\tg\tfound\n"
	    "5\t\t必須\ttext\t\tg\tfound\n"
	    "6\tx\t必要\ttext\t\tg\tfound\n"			/* 15 */
	    "7\tx\t必須\ttxt\t\tg\tfound\n"
	    "8\tx\t必須\t\t\tg\tfound\n"
	    "２-1\tx\t必須\ttext\t\tg\tfound\n"
	    "9_1\tx\t必須\ttext\t\tg\tfound\n"
	    "1\tx\t選択\ttext\t\tg\tfound\n"			/* 20 */
	    "e\tx\t必須\tenum:有|無\t\tg\tfound\n"
	    "w1\tx\t選択\ttext\te有\tg\tfound\n"
	    "w2\tx\t選択\ttext\tzz=有\tg\tfound\n"
	    "w3\tx\t選択\ttext\te=あり\tg\tfound\n"
	    "w4\tx\t選択\ttext\t1=2024-01-01\tg\tfound\n"	/* 25 */
	    "w5\tx\t選択\ttext\tE=有\tg\tfound\n"
	    "w6\tx\t選択\ttext\t e ＝ 有 \tg\tfound\n"
	    "b\tx\t選択\ttext\t\tg\tguess\n"
	    "B\tx\t選択\ttext\t\tg\tfound\n"
	    "w7\tx\t選択\tenum:有|無\tw7=有\tg\tfound\n",	/* 30 */
	    NULL);
	assert_int_equal(vtype_parse("txt", &t, &cause), -1);
	expect = g_strdup_printf(
	    "a.tsv:10: 6 columns, expected 7 (id, label, need, type, when, "
	    "gloss, basis)\n"
	    "a.tsv:11: 8 columns, expected 7 (id, label, need, type, when, "
	    "gloss, basis)\n"
	    "a.tsv:13: empty id (項番)\n"
	    "a.tsv:14: item 5: empty label (項目)\n"
	    "a.tsv:15: item 6: need must be 必須 or 選択, not \"必要\"\n"
	    "a.tsv:16: item 7: type \"txt\": %s\n"
	    "a.tsv:17: item 8: no type\n"
	    "a.tsv:18: id \"２-1\" may hold only ASCII digits, letters and "
	    "'-'\n"
	    "a.tsv:19: id \"9_1\" may hold only ASCII digits, letters and "
	    "'-'\n"
	    "a.tsv:20: duplicate id 1 (also a.tsv:9)\n"
	    "a.tsv:22: item w1: when \"e有\" is not of the form ID=VALUE\n"
	    "a.tsv:23: item w2: when zz=有: no item zz\n"
	    "a.tsv:24: item w3: when e=あり: item e takes only 有|無\n"
	    "a.tsv:25: item w4: when 1=2024-01-01: item 1 is date, not a "
	    "choice (enum:…)\n"
	    "a.tsv:26: item w5: when E=有: no item E; did you mean e\n"
	    "a.tsv:28: item b: basis must be found or inferred, not "
	    "\"guess\"\n"
	    "a.tsv:29: duplicate id B (also a.tsv:28)\n"
	    "a.tsv:30: item w7: when w7=有: an item cannot depend on "
	    "itself\n", cause);
	got = lint(dir, NULL);
	assert_string_equal(got, expect);
	g_free(got);
	g_free(expect);
	g_free(cause);
	tu_rm_rf(dir);
	g_free(dir);
}

/* #include: missing files, paths, twice, loops; duplicates across. */
static void
test_lint_includes(void **state)
{
	(void)state;
	assert_lint(folder("rules-includes",
	    "a.tsv",
	    HEAD("a")
	    COLS
	    "#include lib.tsv\n"
	    "#include missing.tsv\n"
	    "#include ../a.tsv\n"
	    "#include lib.tsv\t\t\n"
	    "#include\n"
	    ITEM("1")
	    "#includes are comments\n"
	    ITEM("2"),
	    "lib.tsv",
	    COLS
	    ITEM("1")
	    "2\tx\t選択\ttext\t9=有\tg\tfound\n",
	    "loop1.tsv",
	    HEAD("loop1")
	    COLS
	    "#include loop2.tsv\n",
	    "loop2.tsv",
	    COLS
	    "#include loop1.tsv\n"
	    ITEM("L"),
	    NULL),
	    "a.tsv:10: #include missing.tsv: no such .tsv file in the rules "
	    "folder\n"
	    "a.tsv:11: #include ../a.tsv: name a file of this folder, without "
	    "a path\n"
	    "a.tsv:12: #include lib.tsv: included twice; its items are taken "
	    "once\n"
	    "a.tsv:13: #include needs one file name\n"
	    "a.tsv:14: duplicate id 1 (also lib.tsv:2)\n"
	    "a.tsv:16: duplicate id 2 (also lib.tsv:3)\n"
	    "lib.tsv:3: item 2: when 9=有: no item 9 in scheme a\n"
	    "loop1.tsv:9: #include loop2.tsv: include loop (loop2.tsv → "
	    "loop1.tsv → loop2.tsv)\n"
	    "loop2.tsv:2: #include loop1.tsv: include loop (loop1.tsv → "
	    "loop2.tsv → loop1.tsv)\n");
}

/* Two schemes with one code, names and aliases claimed twice. */
static void
test_lint_names(void **state)
{
	(void)state;
	assert_lint(folder("rules-names",
	    "aa.tsv",
	    "scheme\taa\nname\t共通制度\naliases\tAA|Foo\nidentifier\tA\n"
	    "fee_new\t1\nfee_renewal\t1\nvalidity_years\t1\n"
	    COLS ITEM("1"),
	    "bb.tsv", HEAD("aa") COLS ITEM("1"),
	    "cc.tsv",
	    "scheme\tcc\nname\tＦＯＯ\naliases\t共通 制度|・\n"
	    "identifier\tC\nfee_new\t1\nfee_renewal\t1\nvalidity_years\t1\n"
	    COLS ITEM("1"),
	    NULL),
	    "bb.tsv:1: scheme aa must be written in the file aa.tsv, not "
	    "bb.tsv\n"
	    "bb.tsv:1: scheme aa is already defined in aa.tsv\n"
	    "cc.tsv:2: name \"ＦＯＯ\" is also a name of scheme aa (aa.tsv)\n"
	    "cc.tsv:3: alias \"共通 制度\" is also a name of scheme aa "
	    "(aa.tsv)\n"
	    "cc.tsv:3: alias \"・\" is empty without its spaces and "
	    "separators\n");
}

/* A line that is not UTF-8 is reported with its number; the rest of
 * the file is still read. */
static void
test_lint_utf8(void **state)
{
	(void)state;
	assert_lint(folder("rules-utf8",
	    "a.tsv",
	    HEAD("a")
	    COLS
	    ITEM("1")
	    "2\t\x83\x54\x81\x5b\x83\x72\x83\x58\t必須\ttext\t\tg\tfound\n"
	    "3\tx\t必要\ttext\t\tg\tfound\n",
	    NULL),
	    "a.tsv:10: not valid UTF-8 (save the file as UTF-8)\n"
	    "a.tsv:11: item 3: need must be 必須 or 選択, not \"必要\"\n");
}

/* What Excel and Windows editors write: a byte order mark, CRLF or CR
 * line ends, padding tabs, spaces around cells, UTF-16 "Unicode text". */
static void
test_excel_forms(void **state)
{
	const char	*text = "scheme\tu16\t\t\t\t\t\r\nname\t制度Ｕ\r\n"
			    "identifier\t\r\nfee_new\t190,000\r\n"
			    "fee_renewal\t95000\r\nvalidity_years\t2\r\n" COLS
			    "1\t開示情報の年月日\t必須\tdate\t\tg\tfound\r\n";
	struct rules	*r;
	const struct scheme *s;
	char		*dir, *u16, *bytes, *path, *got;
	gsize		 n;

	(void)state;
	dir = folder("rules-excel",
	    "u8.tsv",
	    "\xef\xbb\xbf# comment\t\t\r\n"
	    "scheme\tu8\t\t\r\n"
	    "name\t 制度８　\r\n"
	    "aliases\t\r\n"
	    "identifier\r\n"
	    "fee_new\t190000\rfee_renewal\t95000\r"
	    "validity_years\t2\r\n"
	    "\t\t\t\r\n"
	    "id\tlabel\tneed\ttype\twhen\tgloss\tbasis\t\t\r\n"
	    " 1 \t　開示情報の年月日\t必須\tdate\t\tg\tfound\t\t\r\n",
	    NULL);
	u16 = g_convert(text, -1, "UTF-16LE", "UTF-8", NULL, &n, NULL);
	assert_non_null(u16);
	bytes = g_malloc(n + 2);
	memcpy(bytes, "\xff\xfe", 2);
	memcpy(bytes + 2, u16, n);
	path = g_build_filename(dir, "u16.tsv", NULL);
	tu_write(path, bytes, n + 2);

	got = lint(dir, &r);
	assert_string_equal(got, "");
	assert_int_equal(r->schemes->len, 2);
	s = rules_scheme(r, "制度8");
	assert_non_null(s);
	assert_string_equal(s->code, "u8");
	assert_string_equal(s->name, "制度８");
	assert_int_equal(s->aliases->len, 0);
	assert_string_equal(s->identifier, "");
	assert_int_equal(s->fee_renewal, 95000);
	assert_string_equal(rules_item(s, "1")->label, "開示情報の年月日");
	assert_int_equal(rules_item(s, "1")->line, 11);
	s = rules_scheme(r, "u16");
	assert_non_null(s);
	assert_string_equal(s->name, "制度Ｕ");
	assert_int_equal(s->fee_new, 190000);
	assert_int_equal(s->items->len, 1);
	rules_free(r);
	g_free(got);
	g_free(path);
	g_free(bytes);
	g_free(u16);
	tu_rm_rf(dir);
	g_free(dir);
}

/* A folder that cannot be read gives NULL and one error; an empty one
 * gives no schemes and says so. */
static void
test_no_folder(void **state)
{
	GPtrArray	*errors = g_ptr_array_new_with_free_func(g_free);
	char		*dir, *missing, *got, *expect;

	(void)state;
	dir = folder("rules-empty", "README.md", "# nothing\n", NULL);
	missing = g_build_filename(dir, "missing", NULL);
	assert_null(rules_load(missing, errors));
	assert_int_equal(errors->len, 1);
	assert_true(g_str_has_prefix(g_ptr_array_index(errors, 0), missing));
	got = lint(dir, NULL);
	expect = g_strdup_printf("%s: no scheme file (a .tsv file with a "
	    "scheme line)\n", dir);
	assert_string_equal(got, expect);
	g_free(expect);
	g_free(got);
	g_free(missing);
	g_ptr_array_free(errors, TRUE);
	tu_rm_rf(dir);
	g_free(dir);
}

/* The rules given as texts are the rules read from the folder; a name
 * that is not a .tsv file's, or one given twice, is reported. */
static void
test_parse_texts(void **state)
{
	GPtrArray		*errors = g_ptr_array_new_with_free_func(g_free);
	GPtrArray		*names;
	struct rules		*r, *want;
	struct rules_text	 t[10];
	char			*dir, *path, *text[10];
	const struct scheme	*s;
	guint			 i, n;

	(void)state;
	dir = g_build_filename(tu_top(), "rules", NULL);
	names = tu_list(dir);
	for (i = n = 0; i < names->len && n < 8; i++) {
		if (!g_str_has_suffix(g_ptr_array_index(names, i), ".tsv"))
			continue;
		path = g_build_filename(dir, g_ptr_array_index(names, i),
		    NULL);
		t[n].name = g_ptr_array_index(names, i);
		text[n] = tu_read(path, &t[n].len);
		t[n].text = text[n];
		n++;
		g_free(path);
	}
	r = rules_parse("texts", t, n, errors);
	assert_int_equal(errors->len, 0);
	assert_non_null(r->holidays);
	want = real_rules();
	assert_int_equal(r->schemes->len, want->schemes->len);
	for (i = 0; i < want->schemes->len; i++) {
		s = g_ptr_array_index(r->schemes, i);
		assert_string_equal(s->code, ((struct scheme *)
		    g_ptr_array_index(want->schemes, i))->code);
		assert_int_equal(s->items->len, ((struct scheme *)
		    g_ptr_array_index(want->schemes, i))->items->len);
	}
	rules_free(want);
	rules_free(r);

	t[n] = t[0];
	t[n + 1].name = "../x.tsv";
	t[n + 1].text = "";
	t[n + 1].len = 0;
	r = rules_parse("texts", t, n + 2, errors);
	assert_int_equal(errors->len, 2);
	tu_contains(g_ptr_array_index(errors, 0), "../x.tsv: not the name");
	tu_contains(g_ptr_array_index(errors, 1), ": given twice");
	rules_free(r);
	for (i = 0; i < n; i++)
		g_free(text[i]);
	g_ptr_array_free(names, TRUE);
	g_ptr_array_free(errors, TRUE);
	g_free(dir);
}

/* The one lookup of a scheme's name for letters and pages: the rules'
 * name, else the code, else what the caller says when there is none. */
static void
test_scheme_name(void **state)
{
	struct rules		*r = real_rules();
	const struct scheme	*s = rules_scheme(r, "医療");

	(void)state;
	assert_non_null(s);
	assert_string_equal(rules_scheme_name(r, s->code, "?"), s->name);
	assert_string_equal(rules_scheme_name(r, "nosuch", "?"), "nosuch");
	assert_string_equal(rules_scheme_name(r, NULL, "未確認"), "未確認");
	assert_null(rules_scheme_name(r, NULL, NULL));
	assert_string_equal(rules_scheme_name(NULL, s->code, "?"), s->code);
	rules_free(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_real_items),
		cmocka_unit_test(test_real_schemes),
		cmocka_unit_test(test_scheme_lookup),
		cmocka_unit_test(test_item_lookup),
		cmocka_unit_test(test_lint_header),
		cmocka_unit_test(test_lint_columns),
		cmocka_unit_test(test_lint_items),
		cmocka_unit_test(test_lint_includes),
		cmocka_unit_test(test_lint_names),
		cmocka_unit_test(test_lint_utf8),
		cmocka_unit_test(test_excel_forms),
		cmocka_unit_test(test_no_folder),
		cmocka_unit_test(test_parse_texts),
		cmocka_unit_test(test_scheme_name),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
