/* xlsx.c: the cells of an untrusted .xlsx workbook: parts found through
 * the package relationships, read with zipread's caps, parsed by expat
 * comparing local names, any DTD refused. */

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <expat.h>

#include "xlsx.h"
#include "zipread.h"

#define XLSX_MIB	((uint64_t)1024 * 1024)
#define XLSX_MAX_ROW	1048576
#define XLSX_MAX_COL	16384
#define XLSX_CHUNK	(1024 * 1024)
#define XLSX_MAX_SHEETS	1000		/* each one is a part read */

/* The reading of one workbook. */
struct xlsx_ctx {
	zip_t			 *za;
	const struct xlsx_limits *lim;
	struct xlsx_book	 *book;
	uint64_t		  total;	/* bytes of the parts read */
	uint64_t		  text;		/* bytes of the cells' texts */
	unsigned int		  cells;	/* cells kept, all sheets */
	GPtrArray		 *strings;	/* the shared strings */
	GByteArray		 *xf_date;	/* per cellXfs index: a date? */
	char			 *problem;
};

/* One XML part being parsed. */
struct xlsx_xml {
	XML_Parser		  parser;
	struct xlsx_ctx		 *ctx;
	const char		 *part;
	char			 *problem;
	GString			 *text;		/* character data collected */
	int			  collect;
	void			(*start)(struct xlsx_xml *, const char *,
				    const char **);
	void			(*end)(struct xlsx_xml *, const char *);
	void			 *state;
};

/* What the relationships of a part say. */
struct xlsx_rels {
	const char	*base;		/* the folder targets are relative to */
	GHashTable	*targets;	/* Id -> part name */
	char		*office;	/* the workbook */
	char		*strings;	/* the shared strings */
	char		*styles;
};

/* What the workbook part says. */
struct xlsx_wb {
	GPtrArray	*names;
	GPtrArray	*ids;		/* relationship Id of each sheet */
	int		 date1904;
};

struct xlsx_styles {
	GHashTable	*formats;	/* custom numFmtId -> 1 + is a date */
	GArray		*xfs;		/* numFmtId of each cellXfs entry */
	int		 in_formats;
	int		 in_xfs;
};

struct xlsx_sst {
	GString		*si;
	int		 in_si;
	int		 phonetic;	/* inside <rPh>: furigana, skipped */
};

/* A worksheet being read. */
struct xlsx_ws {
	struct xlsx_sheet	*sheet;
	unsigned int		 row, col;	/* the last cell's */
	unsigned int		 crow, ccol;	/* the cell being read */
	unsigned int		 style;
	char			*type;
	int			 in_cell;
	int			 in_is;
	int			 phonetic;
	GString			*v;
	int			 has_v;
	GString			*is;
	int			 has_is;
};

void
xlsx_limits_default(struct xlsx_limits *lim)
{
	lim->max_part = 20 * XLSX_MIB;
	lim->max_total = 100 * XLSX_MIB;
	lim->max_text = 100 * XLSX_MIB;
	lim->max_cells = 200000;
	lim->max_strings = 200000;
}

/* The local part of an expat name "namespace|local". */
static const char *
xlsx_local(const char *name)
{
	const char	*bar = strrchr(name, '|');

	return bar != NULL ? bar + 1 : name;
}

/* The value of the attribute of that local name, or NULL. */
static const char *
xlsx_attr(const char **attrs, const char *local)
{
	size_t	i;

	for (i = 0; attrs[i] != NULL; i += 2) {
		if (strcmp(xlsx_local(attrs[i]), local) == 0)
			return attrs[i + 1];
	}
	return NULL;
}

/* Stops the parser; the first problem stays. */
static void
xlsx_stop(struct xlsx_xml *x, char *problem)
{
	if (x->problem == NULL)
		x->problem = problem;
	else
		g_free(problem);
	XML_StopParser(x->parser, XML_FALSE);
}

static void XMLCALL
xlsx_on_start(void *user, const XML_Char *name, const XML_Char **attrs)
{
	struct xlsx_xml	*x = user;

	if (x->problem == NULL)
		x->start(x, xlsx_local(name), attrs);
}

static void XMLCALL
xlsx_on_end(void *user, const XML_Char *name)
{
	struct xlsx_xml	*x = user;

	if (x->problem == NULL)
		x->end(x, xlsx_local(name));
}

/* Character data arrives in pieces: it is accumulated. */
static void XMLCALL
xlsx_on_text(void *user, const XML_Char *s, int len)
{
	struct xlsx_xml	*x = user;

	if (x->collect && x->problem == NULL)
		g_string_append_len(x->text, s, len);
}

/* No DTD, so no entity can be declared, expanded or fetched. */
static void XMLCALL
xlsx_on_doctype(void *user, const XML_Char *name, const XML_Char *sysid,
    const XML_Char *pubid, int internal)
{
	struct xlsx_xml	*x = user;

	(void)name;
	(void)sysid;
	(void)pubid;
	(void)internal;
	xlsx_stop(x, g_strdup_printf("%s に DTD があります（受け付けません）",
	    x->part));
}

/* Starts collecting character data. */
static void
xlsx_collect(struct xlsx_xml *x)
{
	g_string_truncate(x->text, 0);
	x->collect = 1;
}

/* Parses the bytes of a part with the given handlers; -1 with
 * ctx->problem set if it is not well-formed or a handler stopped it. */
static int
xlsx_parse(struct xlsx_ctx *ctx, const char *part, GBytes *bytes,
    void (*start)(struct xlsx_xml *, const char *, const char **),
    void (*end)(struct xlsx_xml *, const char *), void *state)
{
	struct xlsx_xml	 x;
	const char	*data;
	size_t		 len, off = 0, n;
	int		 last;

	memset(&x, 0, sizeof x);
	if ((x.parser = XML_ParserCreateNS(NULL, '|')) == NULL) {
		ctx->problem = g_strdup("XML を読むメモリが足りません");
		return -1;
	}
	x.ctx = ctx;
	x.part = part;
	x.start = start;
	x.end = end;
	x.state = state;
	x.text = g_string_new(NULL);
	XML_SetUserData(x.parser, &x);
	XML_SetElementHandler(x.parser, xlsx_on_start, xlsx_on_end);
	XML_SetCharacterDataHandler(x.parser, xlsx_on_text);
	XML_SetStartDoctypeDeclHandler(x.parser, xlsx_on_doctype);
	XML_SetParamEntityParsing(x.parser, XML_PARAM_ENTITY_PARSING_NEVER);
	data = g_bytes_get_data(bytes, &len);
	do {
		n = MIN(len - off, XLSX_CHUNK);
		last = off + n == len;
		if (XML_Parse(x.parser, data + off, (int)n, last) ==
		    XML_STATUS_ERROR) {
			if (x.problem == NULL)
				x.problem = g_strdup_printf("%s の XML が壊れて"
				    "います（%lu 行目）", part, (unsigned long)
				    XML_GetCurrentLineNumber(x.parser));
			break;
		}
		off += n;
	} while (!last);
	XML_ParserFree(x.parser);
	g_string_free(x.text, TRUE);
	if (x.problem != NULL) {
		ctx->problem = x.problem;
		return -1;
	}
	return 0;
}

/* The bytes of a part, read with the caps; NULL if it is missing (a
 * problem if it was required) or cannot be read (always a problem). */
static GBytes *
xlsx_part(struct xlsx_ctx *ctx, const char *name, int required)
{
	const struct xlsx_limits	*lim = ctx->lim;
	zip_int64_t			 i;
	GBytes				*b;
	uint64_t			 left;
	char				*cause = NULL;

	if ((i = zip_name_locate(ctx->za, name, ZIP_FL_NOCASE)) < 0) {
		if (required)
			ctx->problem = g_strdup_printf("%s がありません", name);
		return NULL;
	}
	left = ctx->total < lim->max_total ? lim->max_total - ctx->total : 0;
	b = zipread_entry(ctx->za, (zip_uint64_t)i, MIN(lim->max_part, left),
	    NULL, &cause);
	if (b == NULL) {
		ctx->problem = g_strdup_printf("%s: %s", name, cause);
		g_free(cause);
		return NULL;
	}
	ctx->total += g_bytes_get_size(b);
	return b;
}

/* Reads and parses a part; 0 if it is missing and not required. */
static int
xlsx_read_part(struct xlsx_ctx *ctx, const char *name, int required,
    void (*start)(struct xlsx_xml *, const char *, const char **),
    void (*end)(struct xlsx_xml *, const char *), void *state)
{
	GBytes	*b;
	int	 r;

	if ((b = xlsx_part(ctx, name, required)) == NULL)
		return ctx->problem != NULL ? -1 : 0;
	r = xlsx_parse(ctx, name, b, start, end, state);
	g_bytes_unref(b);
	return r;
}

/* Resolves a relationship target against a folder: "/xl/x.xml" is
 * absolute, ".." climbs. */
static char *
xlsx_resolve(const char *base, const char *target)
{
	GPtrArray	*parts = g_ptr_array_new();
	char		*joined, **comps, *out;
	size_t		 i;

	if (target[0] == '/' || *base == '\0')
		joined = g_strdup(target);
	else
		joined = g_strconcat(base, "/", target, NULL);
	comps = g_strsplit(joined, "/", -1);
	for (i = 0; comps[i] != NULL; i++) {
		if (*comps[i] == '\0' || strcmp(comps[i], ".") == 0)
			continue;
		if (strcmp(comps[i], "..") == 0) {
			if (parts->len > 0)
				g_ptr_array_remove_index(parts, parts->len - 1);
			continue;
		}
		g_ptr_array_add(parts, comps[i]);
	}
	g_ptr_array_add(parts, NULL);
	out = g_strjoinv("/", (char **)parts->pdata);
	g_ptr_array_free(parts, TRUE);
	g_strfreev(comps);
	g_free(joined);
	return out;
}

/* Does the relationship type end in /name? */
static int
xlsx_rel_is(const char *type, const char *name)
{
	size_t	n = strlen(type), m = strlen(name);

	return n > m && type[n - m - 1] == '/' &&
	    strcmp(type + n - m, name) == 0;
}

static void
xlsx_rels_start(struct xlsx_xml *x, const char *el, const char **attrs)
{
	struct xlsx_rels	*r = x->state;
	const char		*id, *type, *target, *mode;
	char			*path;

	if (strcmp(el, "Relationship") != 0)
		return;
	id = xlsx_attr(attrs, "Id");
	type = xlsx_attr(attrs, "Type");
	target = xlsx_attr(attrs, "Target");
	mode = xlsx_attr(attrs, "TargetMode");
	if (id == NULL || type == NULL || target == NULL ||
	    (mode != NULL && strcmp(mode, "External") == 0))
		return;
	path = xlsx_resolve(r->base, target);
	if (xlsx_rel_is(type, "officeDocument") && r->office == NULL)
		r->office = g_strdup(path);
	else if (xlsx_rel_is(type, "sharedStrings") && r->strings == NULL)
		r->strings = g_strdup(path);
	else if (xlsx_rel_is(type, "styles") && r->styles == NULL)
		r->styles = g_strdup(path);
	g_hash_table_replace(r->targets, g_strdup(id), path);
}

static void
xlsx_ignore_end(struct xlsx_xml *x, const char *el)
{
	(void)x;
	(void)el;
}

static void
xlsx_rels_init(struct xlsx_rels *r, const char *base)
{
	memset(r, 0, sizeof *r);
	r->base = base;
	r->targets = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
	    g_free);
}

static void
xlsx_rels_clear(struct xlsx_rels *r)
{
	g_hash_table_destroy(r->targets);
	g_free(r->office);
	g_free(r->strings);
	g_free(r->styles);
}

static void
xlsx_wb_start(struct xlsx_xml *x, const char *el, const char **attrs)
{
	struct xlsx_wb	*wb = x->state;
	const char	*v, *name, *id;

	if (strcmp(el, "workbookPr") == 0) {
		v = xlsx_attr(attrs, "date1904");
		wb->date1904 = v != NULL && (strcmp(v, "1") == 0 ||
		    strcmp(v, "true") == 0);
	} else if (strcmp(el, "sheet") == 0) {
		name = xlsx_attr(attrs, "name");
		id = xlsx_attr(attrs, "id");	/* r:id */
		if (name == NULL || id == NULL) {
			xlsx_stop(x, g_strdup_printf("%s のシートに名前か "
			    "r:id がありません", x->part));
			return;
		}
		if (wb->names->len >= XLSX_MAX_SHEETS) {
			xlsx_stop(x, g_strdup_printf("シートの数が上限（%d 枚）"
			    "を超えています", XLSX_MAX_SHEETS));
			return;
		}
		g_ptr_array_add(wb->names, g_strdup(name));
		g_ptr_array_add(wb->ids, g_strdup(id));
	}
}

/* What a cell style's number format shows. */
enum { XLSX_FMT_PLAIN, XLSX_FMT_DATE, XLSX_FMT_PERCENT };

/* Is a built-in number format a date or time?  27-36 and 50-58 are the
 * Japanese built-ins (和暦 and 年月日). */
static int
xlsx_builtin_date(unsigned int id)
{
	return (id >= 14 && id <= 22) || (id >= 27 && id <= 36) ||
	    (id >= 45 && id <= 47) || (id >= 50 && id <= 58);
}

/* Is a custom format code a percentage: % outside quotes? */
static int
xlsx_format_is_percent(const char *code)
{
	const char	*p;

	for (p = code; *p != '\0'; p++) {
		if (*p == '"') {
			while (p[1] != '\0' && p[1] != '"')
				p++;
			if (p[1] == '\0')
				break;
			p++;
		} else if (*p == '\\' && p[1] != '\0')
			p++;
		else if (*p == '%')
			return 1;
	}
	return 0;
}

/* Is a custom format code a date or time: y, m, d, h, s, g or e outside
 * quotes, brackets and escapes ("General" and 0.0E+00 are not)? */
static int
xlsx_format_is_date(const char *code)
{
	const char	*p;
	char		 c;

	for (p = code; *p != '\0'; p++) {
		c = g_ascii_tolower(*p);
		if (*p == '"') {
			while (p[1] != '\0' && p[1] != '"')
				p++;
			if (p[1] == '\0')
				break;
			p++;
		} else if (*p == '[') {
			while (p[1] != '\0' && p[1] != ']')
				p++;
		} else if (*p == '\\' || *p == '_' || *p == '*') {
			if (p[1] == '\0')
				break;
			p++;
		} else if (g_ascii_strncasecmp(p, "general", 7) == 0)
			p += 6;
		else if (c == 'e' && (p[1] == '+' || p[1] == '-'))
			p++;
		else if (strchr("ymdhsge", c) != NULL)
			return 1;
	}
	return 0;
}

/* Parses a whole decimal number into *v; -1 if it is not one. */
static int
xlsx_uint(const char *s, unsigned int max, unsigned int *v)
{
	char		*end;
	unsigned long	 n;

	if (s == NULL || !g_ascii_isdigit(*s))
		return -1;
	n = strtoul(s, &end, 10);
	if (*end != '\0' || n > max)
		return -1;
	*v = (unsigned int)n;
	return 0;
}

static void
xlsx_styles_start(struct xlsx_xml *x, const char *el, const char **attrs)
{
	struct xlsx_styles	*st = x->state;
	const char		*code;
	unsigned int		 id;

	if (strcmp(el, "numFmts") == 0)
		st->in_formats = 1;
	else if (strcmp(el, "cellXfs") == 0)
		st->in_xfs = 1;
	else if (strcmp(el, "numFmt") == 0 && st->in_formats) {
		code = xlsx_attr(attrs, "formatCode");
		if (xlsx_uint(xlsx_attr(attrs, "numFmtId"), G_MAXINT,
		    &id) == 0 && code != NULL)
			g_hash_table_replace(st->formats, GUINT_TO_POINTER(id),
			    GINT_TO_POINTER(1 + (xlsx_format_is_date(code) ?
			    XLSX_FMT_DATE : xlsx_format_is_percent(code) ?
			    XLSX_FMT_PERCENT : XLSX_FMT_PLAIN)));
	} else if (strcmp(el, "xf") == 0 && st->in_xfs) {
		if (xlsx_uint(xlsx_attr(attrs, "numFmtId"), G_MAXINT,
		    &id) == -1)
			id = 0;
		g_array_append_val(st->xfs, id);
	}
}

static void
xlsx_styles_end(struct xlsx_xml *x, const char *el)
{
	struct xlsx_styles	*st = x->state;

	if (strcmp(el, "numFmts") == 0)
		st->in_formats = 0;
	else if (strcmp(el, "cellXfs") == 0)
		st->in_xfs = 0;
}

/* Reads the styles part into ctx->xf_date: which cell styles show dates. */
static int
xlsx_read_styles(struct xlsx_ctx *ctx, const char *name)
{
	struct xlsx_styles	 st;
	unsigned int		 id, i;
	gpointer		 v;
	guint8			 date;
	int			 r;

	memset(&st, 0, sizeof st);
	st.formats = g_hash_table_new(g_direct_hash, g_direct_equal);
	st.xfs = g_array_new(FALSE, FALSE, sizeof(unsigned int));
	r = xlsx_read_part(ctx, name, 0, xlsx_styles_start, xlsx_styles_end,
	    &st);
	for (i = 0; r == 0 && i < st.xfs->len; i++) {
		id = g_array_index(st.xfs, unsigned int, i);
		v = g_hash_table_lookup(st.formats, GUINT_TO_POINTER(id));
		if (v != NULL)
			date = (guint8)(GPOINTER_TO_INT(v) - 1);
		else if (xlsx_builtin_date(id))
			date = XLSX_FMT_DATE;
		else if (id == 9 || id == 10)
			date = XLSX_FMT_PERCENT;
		else
			date = XLSX_FMT_PLAIN;
		g_byte_array_append(ctx->xf_date, &date, 1);
	}
	g_hash_table_destroy(st.formats);
	g_array_free(st.xfs, TRUE);
	return r;
}

/* Appends text with Excel's _xHHHH_ escapes decoded ("_x005F_" is an
 * underscore, so "_x005F_x000D_" stays "_x000D_"). */
static void
xlsx_unescape(GString *out, const char *s, size_t len)
{
	const char	*u;
	gunichar	 c;
	size_t		 i, run;
	int		 k;

	for (i = 0; i < len; i++) {
		/* Up to the next underscore, the text is as it is. */
		if (s[i] != '_') {
			u = memchr(s + i, '_', len - i);
			run = (u != NULL ? (size_t)(u - s) : len) - i;
			g_string_append_len(out, s + i, (gssize)run);
			if (u == NULL)
				return;
			i += run;
		}
		if (len - i >= 7 && s[i + 1] == 'x' &&
		    s[i + 6] == '_' && g_ascii_isxdigit(s[i + 2]) &&
		    g_ascii_isxdigit(s[i + 3]) && g_ascii_isxdigit(s[i + 4]) &&
		    g_ascii_isxdigit(s[i + 5])) {
			for (c = 0, k = 2; k < 6; k++)
				c = c * 16 + g_ascii_xdigit_value(s[i + k]);
			if (c >= 0xd800 && c <= 0xdfff)
				c = 0xfffd;
			if (c != 0)
				g_string_append_unichar(out, c);
			i += 6;
			continue;
		}
		g_string_append_c(out, s[i]);
	}
}

static void
xlsx_sst_start(struct xlsx_xml *x, const char *el, const char **attrs)
{
	struct xlsx_sst	*sst = x->state;

	(void)attrs;
	if (strcmp(el, "si") == 0) {
		sst->in_si = 1;
		g_string_truncate(sst->si, 0);
	} else if (strcmp(el, "rPh") == 0)
		sst->phonetic++;
	else if (strcmp(el, "t") == 0 && sst->in_si && sst->phonetic == 0)
		xlsx_collect(x);
}

static void
xlsx_sst_end(struct xlsx_xml *x, const char *el)
{
	struct xlsx_sst	*sst = x->state;
	struct xlsx_ctx	*ctx = x->ctx;

	if (strcmp(el, "t") == 0 && x->collect) {
		xlsx_unescape(sst->si, x->text->str, x->text->len);
		x->collect = 0;
	} else if (strcmp(el, "rPh") == 0 && sst->phonetic > 0)
		sst->phonetic--;
	else if (strcmp(el, "si") == 0 && sst->in_si) {
		sst->in_si = 0;
		if (ctx->strings->len >= ctx->lim->max_strings) {
			xlsx_stop(x, g_strdup_printf("共有文字列の数が上限"
			    "（%u 個）を超えています", ctx->lim->max_strings));
			return;
		}
		g_ptr_array_add(ctx->strings, g_strdup(sst->si->str));
	}
}

/* Parses a cell reference such as "AB12". */
static int
xlsx_ref(const char *ref, unsigned int *row, unsigned int *col)
{
	unsigned int	c = 0;
	const char	*p;

	for (p = ref; g_ascii_isupper(*p) && c <= XLSX_MAX_COL; p++)
		c = c * 26 + (unsigned int)(*p - 'A' + 1);
	if (c == 0 || c > XLSX_MAX_COL ||
	    xlsx_uint(p, XLSX_MAX_ROW, row) == -1 || *row == 0)
		return -1;
	*col = c;
	return 0;
}

/*
 * Writes a date serial as "YYYY-MM-DD", with "THH:MM:SS" if it has a
 * time.  In the 1900 system serials below 61 are off by one because Excel
 * counts a 1900-02-29; serial 60, that day, is no date: -1.
 */
static int
xlsx_date_text(double serial, int date1904, char *buf, size_t size)
{
	GDate		d;
	long long	total, days, rest;
	int		n;

	if (!isfinite(serial) || serial < 0 || serial > 2958466.0)
		return -1;
	total = llround(serial * 86400.0);
	days = total / 86400;
	rest = total % 86400;
	if (date1904)
		days += 1462;
	else if (days == 60)
		return -1;
	else if (days < 60)
		days++;
	g_date_clear(&d, 1);
	g_date_set_dmy(&d, 30, G_DATE_DECEMBER, 1899);	/* day 0 */
	g_date_add_days(&d, (guint)days);
	if (g_date_get_year(&d) > 9999)
		return -1;
	n = g_snprintf(buf, size, "%04u-%02u-%02u",
	    (unsigned int)g_date_get_year(&d),
	    (unsigned int)g_date_get_month(&d),
	    (unsigned int)g_date_get_day(&d));
	if (rest != 0)
		g_snprintf(buf + n, size - (size_t)n, "T%02lld:%02lld:%02lld",
		    rest / 3600, rest / 60 % 60, rest % 60);
	return 0;
}

/* A number in the shortest form that reads back the same. */
static char *
xlsx_number_text(double v)
{
	static const char	*fmts[] = { "%.15g", "%.16g", "%.17g" };
	char			 buf[G_ASCII_DTOSTR_BUF_SIZE];
	size_t			 i;

	if (v == 0)
		return g_strdup("0");
	if (v == floor(v) && fabs(v) < 1e15)
		return g_strdup_printf("%.0f", v);
	for (i = 0; i < G_N_ELEMENTS(fmts); i++) {
		g_ascii_formatd(buf, sizeof buf, fmts[i], v);
		if (g_ascii_strtod(buf, NULL) == v)
			break;
	}
	return g_strdup(buf);
}

/* Fills in a numeric cell: a date if its style shows one. */
static void
xlsx_number_cell(struct xlsx_ctx *ctx, struct xlsx_ws *ws,
    struct xlsx_cell *c)
{
	char	*end, buf[G_ASCII_DTOSTR_BUF_SIZE];
	double	 v;
	guint8	 fmt;

	v = g_ascii_strtod(ws->v->str, &end);
	while (g_ascii_isspace(*end))
		end++;
	if (end == ws->v->str || *end != '\0' || !isfinite(v)) {
		c->kind = XLSX_STRING;
		c->text = g_strdup(ws->v->str);
		return;
	}
	c->number = v;
	fmt = ws->style < ctx->xf_date->len ?
	    ctx->xf_date->data[ws->style] : XLSX_FMT_PLAIN;
	if (fmt == XLSX_FMT_DATE &&
	    xlsx_date_text(v, ctx->book->date1904, buf, sizeof buf) == 0) {
		c->kind = XLSX_DATE;
		c->text = g_strdup(buf);
		return;
	}
	c->kind = XLSX_NUMBER;
	if (fmt == XLSX_FMT_PERCENT) {
		/* As Excel shows it: 0.999 styled 0.0% is "99.9%". */
		g_ascii_formatd(buf, sizeof buf, "%.12g", v * 100);
		c->text = g_strdup_printf("%s%%", buf);
		return;
	}
	c->text = xlsx_number_text(v);
}

/* Makes the cell just read, if it holds anything; -1 to stop. */
static int
xlsx_cell_done(struct xlsx_xml *x, struct xlsx_ws *ws)
{
	struct xlsx_ctx		*ctx = x->ctx;
	struct xlsx_cell	*c;
	const char		*t = ws->type != NULL ? ws->type : "n";
	unsigned int		 i;
	GString			*s;

	if (strcmp(t, "inlineStr") == 0 ? !ws->has_is : !ws->has_v)
		return 0;
	if (ws->v->len == 0 && strcmp(t, "str") != 0 &&
	    strcmp(t, "inlineStr") != 0)
		return 0;
	if (ctx->cells >= ctx->lim->max_cells) {
		xlsx_stop(x, g_strdup_printf("セルの数が上限（%u 個）を"
		    "超えています", ctx->lim->max_cells));
		return -1;
	}
	c = g_new0(struct xlsx_cell, 1);
	c->row = ws->crow;
	c->col = ws->ccol;
	if (strcmp(t, "s") == 0) {
		if (xlsx_uint(ws->v->str, G_MAXINT, &i) == -1 ||
		    i >= ctx->strings->len) {
			g_free(c);
			xlsx_stop(x, g_strdup_printf("%s の共有文字列の番号"
			    "（%.20s）が範囲外です", x->part, ws->v->str));
			return -1;
		}
		c->kind = XLSX_STRING;
		c->text = g_strdup(g_ptr_array_index(ctx->strings, i));
	} else if (strcmp(t, "inlineStr") == 0) {
		c->kind = XLSX_STRING;
		c->text = g_strdup(ws->is->str);
	} else if (strcmp(t, "str") == 0) {
		s = g_string_new(NULL);
		xlsx_unescape(s, ws->v->str, ws->v->len);
		c->kind = XLSX_STRING;
		c->text = g_string_free(s, FALSE);
	} else if (strcmp(t, "b") == 0) {
		c->kind = XLSX_BOOL;
		c->number = strcmp(ws->v->str, "1") == 0 ||
		    strcmp(ws->v->str, "true") == 0;
		c->text = g_strdup(c->number != 0 ? "TRUE" : "FALSE");
	} else if (strcmp(t, "e") == 0) {
		c->kind = XLSX_ERROR;
		c->text = g_strdup(ws->v->str);
	} else if (strcmp(t, "d") == 0) {
		c->kind = XLSX_DATE;		/* ISO 8601 already */
		c->text = g_strdup(ws->v->str);
	} else
		xlsx_number_cell(ctx, ws, c);
	g_ptr_array_add(ws->sheet->cells, c);
	ctx->cells++;
	ctx->text += strlen(c->text);
	if (ctx->text > ctx->lim->max_text) {
		xlsx_stop(x, g_strdup_printf("セルの文字の合計が上限（%llu "
		    "バイト）を超えています",
		    (unsigned long long)ctx->lim->max_text));
		return -1;
	}
	return 0;
}

static void
xlsx_ws_start(struct xlsx_xml *x, const char *el, const char **attrs)
{
	struct xlsx_ws	*ws = x->state;
	const char	*ref;
	unsigned int	 n;

	if (strcmp(el, "row") == 0) {
		if (xlsx_uint(xlsx_attr(attrs, "r"), XLSX_MAX_ROW, &n) == 0 &&
		    n > 0)
			ws->row = n;
		else
			ws->row++;
		ws->col = 0;
	} else if (strcmp(el, "c") == 0) {
		/* Without r, a cell follows the previous one. */
		ref = xlsx_attr(attrs, "r");
		if (xlsx_ref(ref != NULL ? ref : "", &ws->crow,
		    &ws->ccol) == -1) {
			ws->crow = ws->row > 0 ? ws->row : 1;
			ws->ccol = ws->col + 1;
		}
		if (xlsx_uint(xlsx_attr(attrs, "s"), G_MAXINT,
		    &ws->style) == -1)
			ws->style = 0;
		g_free(ws->type);
		ws->type = g_strdup(xlsx_attr(attrs, "t"));
		ws->in_cell = 1;
		ws->has_v = ws->has_is = 0;
		g_string_truncate(ws->v, 0);
		g_string_truncate(ws->is, 0);
	} else if (!ws->in_cell)
		return;
	else if (strcmp(el, "v") == 0)
		xlsx_collect(x);
	else if (strcmp(el, "is") == 0) {
		ws->in_is = 1;
		ws->has_is = 1;
	} else if (strcmp(el, "rPh") == 0)
		ws->phonetic++;
	else if (strcmp(el, "t") == 0 && ws->in_is && ws->phonetic == 0)
		xlsx_collect(x);
}

static void
xlsx_ws_end(struct xlsx_xml *x, const char *el)
{
	struct xlsx_ws	*ws = x->state;

	if (!ws->in_cell)
		return;
	if (strcmp(el, "v") == 0 && x->collect) {
		g_string_assign(ws->v, x->text->str);
		ws->has_v = 1;
		x->collect = 0;
	} else if (strcmp(el, "t") == 0 && x->collect) {
		xlsx_unescape(ws->is, x->text->str, x->text->len);
		x->collect = 0;
	} else if (strcmp(el, "rPh") == 0 && ws->phonetic > 0)
		ws->phonetic--;
	else if (strcmp(el, "is") == 0)
		ws->in_is = 0;
	else if (strcmp(el, "c") == 0) {
		ws->in_cell = 0;
		ws->row = ws->crow;
		ws->col = ws->ccol;
		xlsx_cell_done(x, ws);
	}
}

static int
xlsx_cmp_cell(gconstpointer a, gconstpointer b)
{
	const struct xlsx_cell	*x = *(struct xlsx_cell *const *)a;
	const struct xlsx_cell	*y = *(struct xlsx_cell *const *)b;

	if (x->row != y->row)
		return x->row < y->row ? -1 : 1;
	if (x->col != y->col)
		return x->col < y->col ? -1 : 1;
	return 0;
}

/* Puts the cells in row then column order, a cell written twice keeping
 * its last value, and notes the last row and column. */
static void
xlsx_sheet_order(struct xlsx_sheet *sh)
{
	struct xlsx_cell	*c, *next;
	guint			 i;

	g_ptr_array_sort(sh->cells, xlsx_cmp_cell);	/* stable */
	for (i = 0; i < sh->cells->len; i++) {
		c = g_ptr_array_index(sh->cells, i);
		if (i + 1 < sh->cells->len) {
			next = g_ptr_array_index(sh->cells, i + 1);
			if (xlsx_cmp_cell(&c, &next) == 0) {
				g_ptr_array_remove_index(sh->cells, i--);
				continue;
			}
		}
		sh->rows = MAX(sh->rows, c->row);
		sh->cols = MAX(sh->cols, c->col);
	}
}

static void
xlsx_cell_free(gpointer p)
{
	struct xlsx_cell	*c = p;

	g_free(c->text);
	g_free(c);
}

static void
xlsx_sheet_free(gpointer p)
{
	struct xlsx_sheet	*sh = p;

	g_free(sh->name);
	g_ptr_array_free(sh->cells, TRUE);
	g_free(sh);
}

/* Reads one worksheet part into a new sheet of the book. */
static int
xlsx_read_sheet(struct xlsx_ctx *ctx, const char *name, const char *part)
{
	struct xlsx_ws	 ws;
	int		 r;

	memset(&ws, 0, sizeof ws);
	ws.sheet = g_new0(struct xlsx_sheet, 1);
	ws.sheet->name = g_strdup(name);
	ws.sheet->cells = g_ptr_array_new_with_free_func(xlsx_cell_free);
	g_ptr_array_add(ctx->book->sheets, ws.sheet);
	ws.v = g_string_new(NULL);
	ws.is = g_string_new(NULL);
	r = xlsx_read_part(ctx, part, 1, xlsx_ws_start, xlsx_ws_end, &ws);
	g_string_free(ws.v, TRUE);
	g_string_free(ws.is, TRUE);
	g_free(ws.type);
	if (r == 0)
		xlsx_sheet_order(ws.sheet);
	return r;
}

/* The folder of a part name ("" at the top). */
static char *
xlsx_dir(const char *name)
{
	const char	*slash = strrchr(name, '/');

	return slash != NULL ? g_strndup(name, slash - name) : g_strdup("");
}

/* Reads the sheets listed in the workbook part wbpath. */
static int
xlsx_read_workbook(struct xlsx_ctx *ctx, const char *wbpath)
{
	struct xlsx_wb		 wb;
	struct xlsx_rels	 rels;
	struct xlsx_sst		 sst;
	char			*dir, *base, *relspath;
	const char		*part;
	guint			 i;
	int			 r;

	memset(&wb, 0, sizeof wb);
	wb.names = g_ptr_array_new_with_free_func(g_free);
	wb.ids = g_ptr_array_new_with_free_func(g_free);
	dir = xlsx_dir(wbpath);
	base = g_path_get_basename(wbpath);
	relspath = *dir != '\0' ? g_strdup_printf("%s/_rels/%s.rels", dir,
	    base) : g_strdup_printf("_rels/%s.rels", base);
	xlsx_rels_init(&rels, dir);
	memset(&sst, 0, sizeof sst);
	sst.si = g_string_new(NULL);
	r = xlsx_read_part(ctx, wbpath, 1, xlsx_wb_start, xlsx_ignore_end,
	    &wb);
	ctx->book->date1904 = wb.date1904;
	if (r == 0)
		r = xlsx_read_part(ctx, relspath, 1, xlsx_rels_start,
		    xlsx_ignore_end, &rels);
	if (r == 0 && rels.styles != NULL)
		r = xlsx_read_styles(ctx, rels.styles);
	if (r == 0 && rels.strings != NULL)
		r = xlsx_read_part(ctx, rels.strings, 0, xlsx_sst_start,
		    xlsx_sst_end, &sst);
	for (i = 0; r == 0 && i < wb.names->len; i++) {
		part = g_hash_table_lookup(rels.targets, wb.ids->pdata[i]);
		if (part == NULL) {
			ctx->problem = g_strdup_printf("シート「%s」の場所が"
			    "見つかりません", (char *)wb.names->pdata[i]);
			r = -1;
		} else
			r = xlsx_read_sheet(ctx, wb.names->pdata[i], part);
	}
	g_string_free(sst.si, TRUE);
	xlsx_rels_clear(&rels);
	g_free(relspath);
	g_free(base);
	g_free(dir);
	g_ptr_array_free(wb.names, TRUE);
	g_ptr_array_free(wb.ids, TRUE);
	return r;
}

struct xlsx_book *
xlsx_read(const void *data, size_t len, const struct xlsx_limits *lim,
    char **cause)
{
	struct xlsx_ctx		 ctx;
	struct xlsx_rels	 root;
	char			*why = NULL;
	int			 r;

	memset(&ctx, 0, sizeof ctx);
	if ((ctx.za = zipread_open(data, len, &why)) == NULL) {
		*cause = g_strdup_printf("Excel ファイルとして読み取れません"
		    "（%s）", why);
		g_free(why);
		return NULL;
	}
	ctx.lim = lim;
	ctx.book = g_new0(struct xlsx_book, 1);
	ctx.book->sheets = g_ptr_array_new_with_free_func(xlsx_sheet_free);
	ctx.strings = g_ptr_array_new_with_free_func(g_free);
	ctx.xf_date = g_byte_array_new();
	/* The package's relationships name the workbook part. */
	xlsx_rels_init(&root, "");
	r = xlsx_read_part(&ctx, "_rels/.rels", 0, xlsx_rels_start,
	    xlsx_ignore_end, &root);
	if (r == 0)
		r = xlsx_read_workbook(&ctx, root.office != NULL ?
		    root.office : "xl/workbook.xml");
	xlsx_rels_clear(&root);
	zip_discard(ctx.za);
	g_ptr_array_free(ctx.strings, TRUE);
	g_byte_array_free(ctx.xf_date, TRUE);
	if (r == -1) {
		*cause = g_strdup_printf("Excel ファイルとして読み取れません"
		    "（%s）", ctx.problem);
		g_free(ctx.problem);
		xlsx_free(ctx.book);
		return NULL;
	}
	return ctx.book;
}

void
xlsx_free(struct xlsx_book *book)
{
	if (book == NULL)
		return;
	g_ptr_array_free(book->sheets, TRUE);
	g_free(book);
}

const struct xlsx_sheet *
xlsx_sheet(const struct xlsx_book *book, const char *name)
{
	const struct xlsx_sheet	*sh;
	guint			 i;

	for (i = 0; i < book->sheets->len; i++) {
		sh = g_ptr_array_index(book->sheets, i);
		if (strcmp(sh->name, name) == 0)
			return sh;
	}
	return NULL;
}

const struct xlsx_cell *
xlsx_cell(const struct xlsx_sheet *sh, unsigned int row, unsigned int col)
{
	const struct xlsx_cell	*c;
	guint			 lo = 0, hi = sh->cells->len, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = g_ptr_array_index(sh->cells, mid);
		if (c->row < row || (c->row == row && c->col < col))
			lo = mid + 1;
		else if (c->row == row && c->col == col)
			return c;
		else
			hi = mid;
	}
	return NULL;
}
