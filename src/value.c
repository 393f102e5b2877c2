/* value.c: the value types of the disclosure form: each value read in the
 * notations Japanese applicants write and kept in one normal form. */

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <string.h>

#include <glib.h>

#include "value.h"

/* The years a date or a year may fall in. */
#define VALUE_YEAR_MIN	1868
#define VALUE_YEAR_MAX	2100

/* Digits kept of a number's integer part and of its fraction. */
#define VALUE_NUM_MAX	40

#define VALUE_NUM_COMMA	0x1	/* thousands separators allowed */
#define VALUE_NUM_DOT	0x2	/* a decimal fraction allowed */

#define HINT_DATE	"「2026年4月1日」「令和8年4月1日」「2026/4/1」のように" \
			    "ご記入ください"
#define HINT_YEAR	"「1947」「1947年」「昭和22年」のようにご記入ください"
#define HINT_INTEGER	"「120」「120名」のように数字でご記入ください"
#define HINT_AMOUNT	"「1,000,000円」「100万円」のようにご記入ください"
#define HINT_PERCENT	"「99.9%」のように数字でご記入ください"
#define HINT_URL	"「https://www.example.jp/」のようにご記入ください"
#define HINT_EMAIL	"「info@example.jp」のようにご記入ください"
#define HINT_POSTAL	"「123-4567」のように7桁の数字でご記入ください"
#define HINT_PHONE	"「03-1234-5678」のようにご記入ください"

/* The Japanese eras a date may be written in, oldest first; the first
 * day of an era is also its year 1. */
static const struct value_era {
	const char	*name;
	char		 letter;
	int		 first;		/* YYYYMMDD */
	int		 last;		/* YYYYMMDD */
} value_eras[] = {
	{ "明治", 'M', 18680101, 19120729 },
	{ "大正", 'T', 19120730, 19261224 },
	{ "昭和", 'S', 19261225, 19890107 },
	{ "平成", 'H', 19890108, 20190430 },
	{ "令和", 'R', 20190501, 99991231 },
};
#define VALUE_NERAS	(sizeof value_eras / sizeof value_eras[0])

/* A date as it was written: era (or -1 for Western) and its year. */
struct value_date {
	int	 era;
	int	 year;
	int	 month;
	int	 day;
};

/* A decimal number as written, without separators. */
struct value_num {
	char	 digits[VALUE_NUM_MAX + 1];	/* no leading zeros; "0" */
	char	 frac[VALUE_NUM_MAX + 1];	/* no trailing zeros */
	int	 toolong;
};

/* The type names that take no argument. */
static const struct {
	const char	*name;
	enum vtype_kind	 kind;
} vtype_names[] = {
	{ "text", VT_TEXT },
	{ "date", VT_DATE },
	{ "year", VT_YEAR },
	{ "integer", VT_INTEGER },
	{ "amount", VT_AMOUNT },
	{ "percent", VT_PERCENT },
	{ "url", VT_URL },
	{ "email", VT_EMAIL },
	{ "postal", VT_POSTAL },
	{ "phone", VT_PHONE },
};

/* Units an integer may carry, as they read after NFKC (㎡ is "m2"). */
static const char *value_units[] = {
	"名", "人", "件", "ヶ所", "か所", "ケ所", "カ所", "ヵ所", "箇所",
	"個所", "拠点", "年", "社", "台", "回", "時間", "ヶ月", "か月", "カ月",
	"ヵ月", "ケ月", "日", "個", "本", "ラック", "kg", "kg/m2", "m2", "平米",
	NULL
};

/* Signs of a negative amount or percentage: minus, U+2212, △ and ▲. */
static const char *value_minus[] = { "-", "\xe2\x88\x92", "△", "▲", NULL };

/* What people type for the hyphen of a postal code or phone number (after
 * NFKC, which already turned U+FF0D and U+2011 into '-' and U+2010). */
static const char *value_hyphens[] = {
	"-", "ー", "\xe2\x80\x90", "\xe2\x88\x92", "\xe2\x80\x93",
	"\xe2\x80\x94", "\xe2\x80\x95", NULL
};

/* The spellings that mean 有 and 無 in an enum of just those two. */
static const char *value_yes[] = { "有", "あり", "有り", "はい", "yes", NULL };
static const char *value_no[] = { "無", "なし", "無し", "いいえ", "no", NULL };

static void	vtype_cause(char **, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
static int	value_failf(struct vresult *, const char *, const char *, ...)
		    __attribute__((format(printf, 3, 4)));

static void
vtype_cause(char **cause, const char *fmt, ...)
{
	va_list	ap;

	if (cause == NULL)
		return;
	va_start(ap, fmt);
	*cause = g_strdup_vprintf(fmt, ap);
	va_end(ap);
}

/* Trims, normalises (NFKC) and case-folds: the form choices compare in. */
static char *
value_key(const char *s)
{
	char	*t, *n, *k;

	t = value_trim(s);
	n = g_utf8_normalize(t, -1, G_NORMALIZE_NFKC);
	g_free(t);
	if (n == NULL)
		return NULL;
	t = value_trim(n);
	k = g_utf8_casefold(t, -1);
	g_free(n);
	g_free(t);
	return k;
}

/* Reads "N" of "text<=N". */
static int
vtype_parse_max(const char *s, struct vtype *out, char **cause)
{
	guint64	 v;
	size_t	 i;

	if (*s == '\0')
		goto bad;
	for (i = 0; s[i] != '\0'; i++) {
		if (!g_ascii_isdigit(s[i]))
			goto bad;
	}
	if (!g_ascii_string_to_unsigned(s, 10, 1, G_MAXUINT, &v, NULL)) {
		vtype_cause(cause, "text<=%s: N must be between 1 and %u", s,
		    G_MAXUINT);
		return -1;
	}
	out->kind = VT_TEXT;
	out->max_len = (unsigned int)v;
	return 0;

bad:
	vtype_cause(cause, "text<=N needs a number");
	return -1;
}

/* Reads "A|B|C" of "enum:A|B|C"; choices are trimmed, none may be empty
 * and no two may read the same. */
static int
vtype_parse_enum(const char *s, struct vtype *out, char **cause)
{
	GPtrArray	*keys;
	char		**parts, *c;
	guint		 i, j;
	int		 rc = -1;

	parts = g_strsplit(s, "|", -1);
	keys = g_ptr_array_new_with_free_func(g_free);
	out->choices = g_ptr_array_new_with_free_func(g_free);
	if (g_strv_length(parts) < 2) {
		vtype_cause(cause, "enum: needs at least two values "
		    "separated by |");
		goto out;
	}
	for (i = 0; parts[i] != NULL; i++) {
		c = g_strstrip(parts[i]);
		if (*c == '\0') {
			vtype_cause(cause, "enum: value %u is empty", i + 1);
			goto out;
		}
		if (!g_utf8_validate(c, -1, NULL)) {
			vtype_cause(cause, "enum: value %u is not UTF-8", i + 1);
			goto out;
		}
		g_ptr_array_add(keys, value_key(c));
		for (j = 0; j < i; j++) {
			if (strcmp(keys->pdata[j], keys->pdata[i]) == 0) {
				vtype_cause(cause, "enum: \"%s\" is listed "
				    "twice", c);
				goto out;
			}
		}
		g_ptr_array_add(out->choices, g_strdup(c));
	}
	out->kind = VT_ENUM;
	rc = 0;
out:
	if (rc != 0)
		vtype_clear(out);
	g_ptr_array_free(keys, TRUE);
	g_strfreev(parts);
	return rc;
}

int
vtype_parse(const char *spec, struct vtype *out, char **cause)
{
	char	*s;
	size_t	 i;
	int	 rc = -1;

	memset(out, 0, sizeof *out);
	s = g_strstrip(g_strdup(spec != NULL ? spec : ""));
	if (g_str_has_prefix(s, "text<="))
		rc = vtype_parse_max(s + strlen("text<="), out, cause);
	else if (g_str_has_prefix(s, "enum:"))
		rc = vtype_parse_enum(s + strlen("enum:"), out, cause);
	else {
		for (i = 0; i < G_N_ELEMENTS(vtype_names); i++) {
			if (strcmp(s, vtype_names[i].name) == 0) {
				out->kind = vtype_names[i].kind;
				rc = 0;
				break;
			}
		}
		if (rc != 0 && *s == '\0')
			vtype_cause(cause, "empty type");
		else if (rc != 0)
			vtype_cause(cause, "unknown type \"%s\"", s);
	}
	g_free(s);
	return rc;
}

void
vtype_clear(struct vtype *t)
{
	if (t == NULL)
		return;
	if (t->choices != NULL)
		g_ptr_array_free(t->choices, TRUE);
	memset(t, 0, sizeof *t);
}

void
vresult_clear(struct vresult *r)
{
	if (r == NULL)
		return;
	g_free(r->normal);
	g_free(r->problem);
	g_free(r->hint);
	memset(r, 0, sizeof *r);
}

/* The length of the blank at s (ASCII white space, U+3000 or U+00A0), or
 * 0.  By the first byte first: this runs on every byte of every cell. */
static size_t
value_blank(const char *s)
{
	unsigned char	c = (unsigned char)*s;

	if (c == ' ' || (c >= '\t' && c <= '\r'))
		return 1;
	if (c == 0xe3 && s[1] == '\x80' && s[2] == '\x80')
		return 3;
	if (c == 0xc2 && s[1] == '\xa0')
		return 2;
	return 0;
}

/* The length of the blank that ends s + len (as value_blank), or 0.  A
 * blank's other bytes are continuation bytes, which no blank starts
 * with, so blanks read backwards are the blanks read forwards. */
static size_t
value_blank_end(const char *s, size_t len)
{
	unsigned char	c;

	if (len == 0)
		return 0;
	c = (unsigned char)s[len - 1];
	if (c == ' ' || (c >= '\t' && c <= '\r'))
		return 1;
	if (c == 0x80 && len >= 3 && memcmp(s + len - 3, "\xe3\x80\x80",
	    3) == 0)
		return 3;
	if (c == 0xa0 && len >= 2 && memcmp(s + len - 2, "\xc2\xa0", 2) == 0)
		return 2;
	return 0;
}

char *
value_trim(const char *s)
{
	size_t	len, n;

	if (s == NULL)
		return g_strdup("");
	while ((n = value_blank(s)) > 0)
		s += n;
	len = strlen(s);
	while ((n = value_blank_end(s, len)) > 0)
		len -= n;
	return g_strndup(s, (gsize)len);
}

size_t
value_length(const char *s)
{
	size_t	n = 0;

	/* Every byte but a continuation byte starts a code point. */
	for (; *s != '\0'; s++) {
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	}
	return n;
}

char *
value_excel_date(double serial)
{
	GDate	d;
	guint	days;

	if (!isfinite(serial) || serial < 1 || serial >= 2958466)
		return NULL;
	days = (guint)floor(serial);
	/* Excel counts 1900-02-29, which never was, as day 60. */
	if (days == 60)
		return NULL;
	if (days > 60)
		days--;
	g_date_clear(&d, 1);
	g_date_set_dmy(&d, 31, 12, 1899);
	g_date_add_days(&d, days);
	return g_strdup_printf("%04d-%02d-%02d", g_date_get_year(&d),
	    g_date_get_month(&d), g_date_get_day(&d));
}

/* Marks r invalid with a problem and a hint (either may be NULL). */
static int
value_fail(struct vresult *r, const char *problem, const char *hint)
{
	r->problem = g_strdup(problem);
	r->hint = g_strdup(hint);
	return -1;
}

static int
value_failf(struct vresult *r, const char *hint, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	r->problem = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	r->hint = g_strdup(hint);
	return -1;
}

/* Marks r valid with its normal form (taken). */
static int
value_ok(struct vresult *r, char *normal)
{
	r->normal = normal;
	return 0;
}

/* Skips ASCII blanks (after NFKC, U+3000 is one). */
static const char *
value_skip(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

/* Advances *pp past tok if it starts there. */
static int
value_eat(const char **pp, const char *tok)
{
	size_t	n = strlen(tok);

	if (strncmp(*pp, tok, n) != 0)
		return 0;
	*pp += n;
	return 1;
}

/* Advances *pp past any one of the tokens in set. */
static int
value_eat_any(const char **pp, const char *const *set)
{
	for (; *set != NULL; set++) {
		if (value_eat(pp, *set))
			return 1;
	}
	return 0;
}

int
value_yen(const char *s, int64_t *yen)
{
	char		*n, *t;
	const char	*p;
	guint64		 v = 0;
	size_t		 run = 0;
	int		 grouped = 0, ok = 0;

	if (s == NULL || !g_utf8_validate(s, -1, NULL) ||
	    (n = g_utf8_normalize(s, -1, G_NORMALIZE_NFKC)) == NULL)
		return -1;
	t = value_trim(n);
	g_free(n);
	p = t;
	(void)value_eat(&p, "¥");	/* ￥ is ¥ after NFKC */
	for (; g_ascii_isdigit(*p) || *p == ','; p++) {
		if (*p == ',') {
			/* 1 to 3 digits before the first comma, 3 after. */
			if (run == 0 || run > 3 || (grouped && run != 3))
				goto out;
			grouped = 1;
			run = 0;
			continue;
		}
		if (!g_uint64_checked_mul(&v, v, 10) ||
		    !g_uint64_checked_add(&v, v, (guint64)(*p - '0')))
			goto out;
		run++;
	}
	if (run == 0 || (grouped && run != 3))
		goto out;
	(void)value_eat(&p, "円");
	if (*p != '\0' || v == 0 || v > G_GUINT64_CONSTANT(1000000000000))
		goto out;
	*yen = (int64_t)v;
	ok = 1;
out:
	g_free(t);
	return ok ? 0 : -1;
}

/* Reads between min and max ASCII digits as an int. */
static int
value_int(const char **pp, size_t min, size_t max, int *v)
{
	const char	*p = value_skip(*pp);
	size_t		 n = 0;

	*v = 0;
	while (g_ascii_isdigit(p[n]) && n <= max) {
		*v = *v * 10 + (p[n] - '0');
		n++;
	}
	if (n < min || n > max)
		return -1;
	*pp = p + n;
	return 0;
}

/* Is s all ASCII digits, and how many? */
static size_t
value_ndigits(const char *s)
{
	size_t	n;

	for (n = 0; s[n] != '\0'; n++) {
		if (!g_ascii_isdigit(s[n]))
			return 0;
	}
	return n;
}

/* Are there exactly three digits at p? */
static int
value_group3(const char *p)
{
	return g_ascii_isdigit(p[0]) && g_ascii_isdigit(p[1]) &&
	    g_ascii_isdigit(p[2]) && !g_ascii_isdigit(p[3]);
}

/*
 * Reads a decimal number: digits with thousands separators in groups of
 * three (VALUE_NUM_COMMA) and a fraction (VALUE_NUM_DOT).  Returns 0, or
 * -1 when there is no number or the separators are misplaced.
 */
static int
value_num_read(const char **pp, struct value_num *n, int flags)
{
	const char	*p = *pp;
	size_t		 nd = 0, nf = 0, group = 0;
	int		 any = 0, commas = 0;

	memset(n, 0, sizeof *n);
	for (;;) {
		if (g_ascii_isdigit(*p)) {
			if (nd > 0 || *p != '0') {
				if (nd < VALUE_NUM_MAX)
					n->digits[nd++] = *p;
				else
					n->toolong = 1;
			}
			any = 1;
			group++;
			p++;
		} else if (*p == ',' && (flags & VALUE_NUM_COMMA) && any) {
			if (group > 3 || (commas && group != 3) ||
			    !value_group3(p + 1))
				return -1;
			commas = 1;
			group = 0;
			p++;
		} else
			break;
	}
	if (nd == 0 && any)
		n->digits[nd++] = '0';
	if ((flags & VALUE_NUM_DOT) && *p == '.' && g_ascii_isdigit(p[1])) {
		for (p++; g_ascii_isdigit(*p); p++) {
			if (nf < VALUE_NUM_MAX)
				n->frac[nf++] = *p;
			else
				n->toolong = 1;
		}
		while (nf > 0 && n->frac[nf - 1] == '0')
			n->frac[--nf] = '\0';
		if (nd == 0)
			n->digits[nd++] = '0';
		any = 1;
	}
	if (!any)
		return -1;
	*pp = p;
	return 0;
}

/* Converts ASCII digits to an integer; -1 on overflow. */
static int
value_u64(const char *digits, guint64 *v)
{
	*v = 0;
	for (; *digits != '\0'; digits++) {
		if (!g_uint64_checked_mul(v, *v, 10) ||
		    !g_uint64_checked_add(v, *v, (guint64)(*digits - '0')))
			return -1;
	}
	return 0;
}

/* The value of n digits at s. */
static int
value_atoin(const char *s, size_t n)
{
	int	v = 0;

	while (n-- > 0)
		v = v * 10 + (*s++ - '0');
	return v;
}

/* Reads a whole number cell as written ("45292", "45292.5"). */
static int
value_double(const char *s, double *v)
{
	char	*end;

	if (!g_ascii_isdigit(*s))
		return -1;
	*v = g_ascii_strtod(s, &end);
	return *end == '\0' && isfinite(*v) ? 0 : -1;
}

/*
 * A number cell as the spreadsheet reader passes it may read "1200.0" or
 * "1.2E+7": an integral value within double precision becomes its digits.
 */
static char *
value_number_cell(char *s)
{
	char	*end, *n;
	double	 v;

	if (strpbrk(s, ".eE") == NULL)
		return s;
	v = g_ascii_strtod(s, &end);
	if (*end != '\0' || !isfinite(v) || v != floor(v) ||
	    fabs(v) >= 9007199254740992.0)
		return s;
	n = g_strdup_printf("%.0f", v + 0.0);
	g_free(s);
	return n;
}

/* Reads an era, as its name (令和) or its letter (R, r) before the year;
 * returns its index, or -1 when there is none. */
static int
value_era_read(const char **pp)
{
	const char	*p = value_skip(*pp), *q;
	size_t		 i;

	for (i = 0; i < VALUE_NERAS; i++) {
		if (value_eat(&p, value_eras[i].name)) {
			*pp = p;
			return (int)i;
		}
		if (g_ascii_toupper(*p) != value_eras[i].letter)
			continue;
		q = value_skip(p + 1);
		if (g_ascii_isdigit(*q) || strncmp(q, "元", 3) == 0) {
			*pp = p + 1;
			return (int)i;
		}
	}
	return -1;
}

/* Reads the year: 1 or 2 digits or 元 after an era, 4 digits without. */
static int
value_year_read(const char **pp, int era, int *year)
{
	const char	*p = value_skip(*pp);

	if (era >= 0 && value_eat(&p, "元"))
		*year = 1;
	else if (era >= 0) {
		if (value_int(&p, 1, 2, year) == -1 || *year == 0)
			return -1;
	} else if (value_int(&p, 4, 4, year) == -1)
		return -1;
	*pp = p;
	return 0;
}

/* The Western year of an era's year. */
static int
value_era_western(int era, int year)
{
	return value_eras[era].first / 10000 + year - 1;
}

/* An era's year as written in letters: "令和元年", "平成31年". */
static char *
value_era_year(int era, int year)
{
	if (year == 1)
		return g_strdup_printf("%s元年", value_eras[era].name);
	return g_strdup_printf("%s%d年", value_eras[era].name, year);
}

/* A date as it was written, spelled out for a problem. */
static char *
value_date_written(const struct value_date *d)
{
	char	*y, *s;

	if (d->era < 0)
		y = g_strdup_printf("%d年", d->year);
	else
		y = value_era_year(d->era, d->year);
	s = g_strdup_printf("%s%d月%d日", y, d->month, d->day);
	g_free(y);
	return s;
}

/*
 * Reads a date in any of the notations: Western or era year, then month
 * and day either with 年 月 (日) or with one of - / . between them; or
 * eight digits YYYYMMDD.  Returns -1 when it does not read as a date.
 */
static int
value_date_read(const char *s, struct value_date *d)
{
	const char	*p = s;
	char		 sep = '\0';
	int		 kanji;

	memset(d, 0, sizeof *d);
	if (value_ndigits(s) == 8) {
		d->era = -1;
		d->year = value_atoin(s, 4);
		d->month = value_atoin(s + 4, 2);
		d->day = value_atoin(s + 6, 2);
		return 0;
	}
	d->era = value_era_read(&p);
	if (value_year_read(&p, d->era, &d->year) == -1)
		return -1;
	p = value_skip(p);
	kanji = value_eat(&p, "年");
	if (!kanji) {
		if (*p != '-' && *p != '/' && *p != '.')
			return -1;
		sep = *p++;
	}
	if (value_int(&p, 1, 2, &d->month) == -1)
		return -1;
	p = value_skip(p);
	if (kanji && !value_eat(&p, "月"))
		return -1;
	if (!kanji && *p++ != sep)
		return -1;
	if (value_int(&p, 1, 2, &d->day) == -1)
		return -1;
	p = value_skip(p);
	if (kanji)
		(void)value_eat(&p, "日");
	return *value_skip(p) == '\0' ? 0 : -1;
}

/* Checks a date read: a real calendar day, within its era, within the
 * years we take; then its normal form. */
static int
value_date_valid(const struct value_date *d, struct vresult *r)
{
	const struct value_era	*e;
	char			*w;
	int			 y = d->year, key, rc;

	if (d->era >= 0)
		y = value_era_western(d->era, d->year);
	key = y * 10000 + d->month * 100 + d->day;
	w = value_date_written(d);
	if (y < 1 || y > 9999 || d->month < 1 || d->month > 12 ||
	    d->day < 1 || d->day > 31 ||
	    !g_date_valid_dmy(d->day, d->month, y))
		rc = value_failf(r, HINT_DATE, "%sという日付はありません", w);
	else if (d->era >= 0 && key < (e = &value_eras[d->era])->first)
		rc = value_failf(r, HINT_DATE, "%sという日付はありません"
		    "（%sは%d年%d月%d日から）", w, e->name, e->first / 10000,
		    e->first / 100 % 100, e->first % 100);
	else if (d->era >= 0 && key > (e = &value_eras[d->era])->last)
		rc = value_failf(r, HINT_DATE, "%sという日付はありません"
		    "（%sは%d年%d月%d日まで）", w, e->name, e->last / 10000,
		    e->last / 100 % 100, e->last % 100);
	else if (y < VALUE_YEAR_MIN || y > VALUE_YEAR_MAX)
		rc = value_failf(r, HINT_DATE, "%d年は範囲外です（%d年〜%d年）",
		    y, VALUE_YEAR_MIN, VALUE_YEAR_MAX);
	else
		rc = value_ok(r, g_strdup_printf("%04d-%02d-%02d", y,
		    d->month, d->day));
	g_free(w);
	return rc;
}

/*
 * A date; a number cell is an Excel serial (or YYYYMMDD typed as a
 * number).  A number cell holding a year alone (2024) is not taken as the
 * serial it would be (1905-07-16): the applicant meant a year.
 */
static int
value_check_date(const struct vtype *t, const char *s, enum vcell cell,
    struct vresult *r)
{
	struct value_date	 d;
	char			*iso = NULL;
	double			 serial;
	int			 rc, y;

	(void)t;
	if (cell == VCELL_NUMBER && value_ndigits(s) == 4 &&
	    (y = value_atoin(s, 4)) >= VALUE_YEAR_MIN && y <= VALUE_YEAR_MAX)
		return value_fail(r, "日付として読み取れません", HINT_DATE);
	if (cell == VCELL_NUMBER && value_ndigits(s) != 8 &&
	    value_double(s, &serial) == 0) {
		if ((iso = value_excel_date(serial)) == NULL)
			return value_fail(r, "日付として読み取れません",
			    HINT_DATE);
		s = iso;
	}
	if (value_date_read(s, &d) == -1)
		rc = value_fail(r, "日付として読み取れません", HINT_DATE);
	else
		rc = value_date_valid(&d, r);
	g_free(iso);
	return rc;
}

/* A year: Western or era, with or without 年. */
static int
value_check_year(const struct vtype *t, const char *s, enum vcell cell,
    struct vresult *r)
{
	const struct value_era	*e;
	const char		*p = s;
	char			*w;
	int			 era, year, y, rc;

	(void)t;
	(void)cell;
	era = value_era_read(&p);
	if (value_year_read(&p, era, &year) == -1)
		return value_fail(r, "年として読み取れません", HINT_YEAR);
	p = value_skip(p);
	(void)value_eat(&p, "年");
	if (*value_skip(p) != '\0')
		return value_fail(r, "年として読み取れません", HINT_YEAR);
	y = era >= 0 ? value_era_western(era, year) : year;
	if (era >= 0 && y > (e = &value_eras[era])->last / 10000) {
		w = value_era_year(era, year);
		rc = value_failf(r, HINT_YEAR, "%sという年はありません"
		    "（%sは%d年まで）", w, e->name,
		    e->last / 10000 - e->first / 10000 + 1);
		g_free(w);
		return rc;
	}
	if (y < VALUE_YEAR_MIN || y > VALUE_YEAR_MAX)
		return value_failf(r, HINT_YEAR, "%d年は範囲外です（%d年〜%d年）",
		    y, VALUE_YEAR_MIN, VALUE_YEAR_MAX);
	return value_ok(r, g_strdup_printf("%d", y));
}

/* Is the rest of an integer nothing or one of the units? */
static int
value_unit(const char *p)
{
	size_t	i;

	p = value_skip(p);
	if (*p == '\0')
		return 1;
	for (i = 0; value_units[i] != NULL; i++) {
		if (g_ascii_strcasecmp(p, value_units[i]) == 0)
			return 1;
	}
	return 0;
}

/* A count: a whole number, not negative, with an optional unit. */
static int
value_check_integer(const struct vtype *t, const char *s, enum vcell cell,
    struct vresult *r)
{
	struct value_num	 n;
	const char		*p = s;
	guint64			 v;
	int			 neg;

	(void)t;
	(void)cell;
	neg = value_eat_any(&p, value_minus);
	p = value_skip(p);
	if (value_num_read(&p, &n, VALUE_NUM_COMMA | VALUE_NUM_DOT) == -1 ||
	    !value_unit(p))
		return value_fail(r, "数値として読み取れません", HINT_INTEGER);
	if (n.toolong || value_u64(n.digits, &v) == -1 || v > INT64_MAX)
		return value_fail(r, "数値が大きすぎます", HINT_INTEGER);
	if (n.frac[0] != '\0')
		return value_fail(r, "小数は記入できません", HINT_INTEGER);
	if (neg && v != 0)
		return value_fail(r, "負の数は記入できません", HINT_INTEGER);
	return value_ok(r, g_strdup(n.digits));
}

/*
 * The yen a number stands for when multiplied by scale: -1 when it is too
 * large, -2 when it leaves a fraction of a yen.
 */
static int
value_amount_term(const struct value_num *n, guint64 scale, guint64 *term)
{
	char	 mant[2 * VALUE_NUM_MAX + 1];
	guint64	 m, div = 1;
	size_t	 i;

	if (n->toolong || strlen(n->frac) > 18)
		return -1;
	g_snprintf(mant, sizeof mant, "%s%s", n->digits, n->frac);
	if (value_u64(mant, &m) == -1 || !g_uint64_checked_mul(&m, m, scale))
		return -1;
	for (i = 0; n->frac[i] != '\0'; i++)
		div *= 10;
	if (m % div != 0)
		return -2;
	*term = m / div;
	return 0;
}

/* Reads 兆, 億 or 万 after a number, multiplying *scale; returns its rank
 * (3, 2, 1) or 0 when there is none. */
static int
value_amount_unit(const char **pp, guint64 *scale)
{
	static const struct {
		const char	*unit;
		guint64		 factor;
	} units[] = {
		{ "兆", G_GUINT64_CONSTANT(1000000000000) },
		{ "億", 100000000 },
		{ "万", 10000 },
	};
	size_t	i;

	for (i = 0; i < G_N_ELEMENTS(units); i++) {
		if (value_eat(pp, units[i].unit)) {
			*scale *= units[i].factor;
			return (int)(G_N_ELEMENTS(units) - i);
		}
	}
	return 0;
}

/*
 * An amount of yen: a sign (- − △ ▲), ¥, then terms such as "1億",
 * "2,000万", "12,345千" (each a number, 千 or 百, then 兆 億 or 万 in
 * falling order), then 円.
 */
static int
value_check_amount(const struct vtype *t, const char *s, enum vcell cell,
    struct vresult *r)
{
	struct value_num	 n;
	const char		*p = s;
	guint64			 total = 0, term, scale;
	int			 neg, rank, last = 4;

	(void)t;
	(void)cell;
	neg = value_eat_any(&p, value_minus);
	p = value_skip(p);
	if (value_eat(&p, "¥") || value_eat(&p, "\\"))
		p = value_skip(p);
	if (!neg)
		neg = value_eat_any(&p, value_minus);
	for (;;) {
		p = value_skip(p);
		if (value_num_read(&p, &n, VALUE_NUM_COMMA | VALUE_NUM_DOT) ==
		    -1)
			goto bad;
		p = value_skip(p);
		scale = value_eat(&p, "千") ? 1000 :
		    value_eat(&p, "百") ? 100 : 1;
		p = value_skip(p);
		if ((rank = value_amount_unit(&p, &scale)) >= last)
			goto bad;
		switch (value_amount_term(&n, scale, &term)) {
		case -1:
			goto big;
		case -2:
			return value_fail(r, "1円未満の端数があります",
			    HINT_AMOUNT);
		}
		if (!g_uint64_checked_add(&total, total, term))
			goto big;
		last = rank;
		p = value_skip(p);
		if (rank == 0 || *p == '\0' || strncmp(p, "円", 3) == 0)
			break;
	}
	(void)value_eat(&p, "円");
	if (*value_skip(p) != '\0')
		goto bad;
	if (total > INT64_MAX)
		goto big;
	return value_ok(r, g_strdup_printf("%s%" G_GUINT64_FORMAT,
	    neg && total != 0 ? "-" : "", total));

bad:
	return value_fail(r, "金額として読み取れません", HINT_AMOUNT);
big:
	return value_fail(r, "金額が大きすぎます", HINT_AMOUNT);
}

/* A percentage: a decimal number with an optional %. */
static int
value_check_percent(const struct vtype *t, const char *s, enum vcell cell,
    struct vresult *r)
{
	struct value_num	 n;
	const char		*p = s;
	int			 neg, zero;

	(void)t;
	(void)cell;
	neg = value_eat_any(&p, value_minus);
	p = value_skip(p);
	if (value_num_read(&p, &n, VALUE_NUM_COMMA | VALUE_NUM_DOT) == -1)
		goto bad;
	p = value_skip(p);
	(void)value_eat(&p, "%");
	if (*value_skip(p) != '\0')
		goto bad;
	if (n.toolong)
		return value_fail(r, "数値が大きすぎます", HINT_PERCENT);
	zero = strcmp(n.digits, "0") == 0 && n.frac[0] == '\0';
	return value_ok(r, g_strdup_printf("%s%s%s%s", neg && !zero ? "-" : "",
	    n.digits, n.frac[0] != '\0' ? "." : "", n.frac));

bad:
	return value_fail(r, "数値として読み取れません", HINT_PERCENT);
}

/* Is key one of the spellings in set (given in their folded form)? */
static int
value_in(const char *key, const char *const *set)
{
	for (; *set != NULL; set++) {
		if (strcmp(key, *set) == 0)
			return 1;
	}
	return 0;
}

/* The choice spelled s, or NULL. */
static const char *
value_choice(const struct vtype *t, const char *s)
{
	guint	i;

	for (i = 0; i < t->choices->len; i++) {
		if (strcmp(t->choices->pdata[i], s) == 0)
			return t->choices->pdata[i];
	}
	return NULL;
}

/* One of the choices, compared after NFKC and case folding; an enum of
 * just 有 and 無 also takes あり/なし, はい/いいえ, Yes/No. */
static int
value_check_enum(const struct vtype *t, const char *s, enum vcell cell,
    struct vresult *r)
{
	GString		*list;
	const char	*yes, *no, *found = NULL;
	char		*key, *k;
	guint		 i;

	(void)cell;
	if (t->choices == NULL || t->choices->len == 0)
		return value_fail(r, "選択肢がありません", NULL);
	key = value_key(s);
	for (i = 0; found == NULL && i < t->choices->len; i++) {
		k = value_key(t->choices->pdata[i]);
		if (k != NULL && strcmp(k, key) == 0)
			found = t->choices->pdata[i];
		g_free(k);
	}
	yes = value_choice(t, "有");
	no = value_choice(t, "無");
	if (found == NULL && t->choices->len == 2 && yes != NULL &&
	    no != NULL) {
		if (value_in(key, value_yes))
			found = yes;
		else if (value_in(key, value_no))
			found = no;
	}
	g_free(key);
	if (found != NULL)
		return value_ok(r, g_strdup(found));
	list = g_string_new("次のいずれかでご記入ください：");
	for (i = 0; i < t->choices->len; i++) {
		if (i > 0)
			g_string_append(list, "、");
		g_string_append(list, t->choices->pdata[i]);
	}
	r->problem = g_string_free(list, FALSE);
	return -1;
}

/*
 * Is s[0..len) a host name: labels of letters, digits and hyphens (or
 * non-ASCII, for Japanese domain names) joined by dots, at least one dot
 * (or "localhost" if allowed)?
 */
static int
value_host(const char *s, size_t len, int localhost)
{
	size_t		i, label = 0, dots = 0;
	unsigned char	c;

	if (localhost && len == 9 && g_ascii_strncasecmp(s, "localhost", 9) ==
	    0)
		return 1;
	for (i = 0; i < len; i++) {
		c = (unsigned char)s[i];
		if (c == '.') {
			if (label == 0 || s[i - 1] == '-')
				return 0;
			label = 0;
			dots++;
		} else if (g_ascii_isalnum(c) || c >= 0x80 || c == '-') {
			if (label == 0 && c == '-')
				return 0;
			label++;
		} else
			return 0;
	}
	return dots > 0 && label > 0 && s[len - 1] != '-';
}

/* An http or https URL with a host name; the scheme is lower-cased. */
static int
value_check_url(const struct vtype *t, const char *s, enum vcell cell,
    struct vresult *r)
{
	const char	*host, *end, *colon, *q;
	char		*scheme;
	size_t		 off, port;
	int		 rc;

	(void)t;
	(void)cell;
	if (g_ascii_strncasecmp(s, "http://", 7) == 0)
		off = 7;
	else if (g_ascii_strncasecmp(s, "https://", 8) == 0)
		off = 8;
	else
		goto bad;
	for (q = s; *q != '\0'; q++) {
		if ((unsigned char)*q <= 0x20 || *q == 0x7f ||
		    strchr("\"<>\\", *q) != NULL)
			goto bad;
	}
	host = s + off;
	end = host + strcspn(host, "/?#");
	if (memchr(host, '@', (size_t)(end - host)) != NULL)
		goto bad;
	if ((colon = memchr(host, ':', (size_t)(end - host))) != NULL) {
		port = (size_t)(end - colon - 1);
		if (port < 1 || port > 5 || strspn(colon + 1, "0123456789") <
		    port)
			goto bad;
		end = colon;
	}
	if (!value_host(host, (size_t)(end - host), 1))
		goto bad;
	scheme = g_ascii_strdown(s, (gssize)off);
	rc = value_ok(r, g_strconcat(scheme, s + off, NULL));
	g_free(scheme);
	return rc;

bad:
	return value_fail(r, "URLとして読み取れません", HINT_URL);
}

/* An addr-spec with a dot-atom local part and a host name. */
static int
value_check_email(const struct vtype *t, const char *s, enum vcell cell,
    struct vresult *r)
{
	const char	*at, *q;

	(void)t;
	(void)cell;
	if (g_ascii_strncasecmp(s, "mailto:", 7) == 0)
		s += 7;
	if ((at = strchr(s, '@')) == NULL || strchr(at + 1, '@') != NULL)
		goto bad;
	if (at == s || at - s > 64 || *s == '.' || at[-1] == '.')
		goto bad;
	for (q = s; q < at; q++) {
		if (!g_ascii_isalnum(*q) &&
		    strchr("!#$%&'*+-/=?^_`{|}~.", *q) == NULL)
			goto bad;
		if (q[0] == '.' && q[1] == '.')
			goto bad;
	}
	if (!value_host(at + 1, strlen(at + 1), 0))
		goto bad;
	return value_ok(r, g_strdup(s));

bad:
	return value_fail(r, "メールアドレスとして読み取れません", HINT_EMAIL);
}

/* A postal code of seven digits, the hyphen after the third optional; a
 * number cell lost its leading zeros. */
static int
value_check_postal(const struct vtype *t, const char *s, enum vcell cell,
    struct vresult *r)
{
	const char	*p;
	char		*pad = NULL, *zeros;
	size_t		 nd;
	int		 a, b = 0, ok = 0;

	(void)t;
	nd = value_ndigits(s);
	if (cell == VCELL_NUMBER && nd >= 5 && nd < 7) {
		zeros = g_strnfill(7 - nd, '0');
		s = pad = g_strconcat(zeros, s, NULL);
		g_free(zeros);
	}
	p = s;
	if (value_eat(&p, "〒"))
		p = value_skip(p);
	if (value_int(&p, 7, 7, &a) == 0) {
		b = a % 10000;
		a /= 10000;
		ok = 1;
	} else if (value_int(&p, 3, 3, &a) == 0) {
		p = value_skip(p);
		ok = value_eat_any(&p, value_hyphens) &&
		    value_int(&p, 4, 4, &b) == 0;
	}
	ok = ok && *value_skip(p) == '\0';
	g_free(pad);
	if (!ok)
		return value_fail(r, "郵便番号として読み取れません", HINT_POSTAL);
	return value_ok(r, g_strdup_printf("%03d-%04d", a, b));
}

/*
 * Splits a phone number into its groups of digits at hyphens, blanks and
 * parentheses (which must pair); "+81" comes back as intl.  Returns NULL
 * when anything else is in it.
 */
static GPtrArray *
value_phone_groups(const char *s, int *intl)
{
	GPtrArray	*groups;
	GString		*g;
	const char	*p = s;
	int		 open = 0, ok = 1;

	*intl = 0;
	if (value_eat(&p, "+")) {
		if (strncmp(p, "81", 2) != 0)
			return NULL;
		*intl = 1;
	}
	groups = g_ptr_array_new_with_free_func(g_free);
	g = g_string_new(NULL);
	for (;;) {
		if (g_ascii_isdigit(*p)) {
			g_string_append_c(g, *p++);
			continue;
		}
		if (g->len > 0) {
			g_ptr_array_add(groups, g_string_free(g, FALSE));
			g = g_string_new(NULL);
		}
		if (*p == '\0')
			break;
		if (*p == '(' && !open) {
			open = 1;
			p++;
		} else if (*p == ')' && open) {
			open = 0;
			p++;
		} else if (*p == ' ' || *p == '\t')
			p++;
		else if (!value_eat_any(&p, value_hyphens)) {
			ok = 0;
			break;
		}
	}
	g_string_free(g, TRUE);
	if (!ok || open || groups->len == 0) {
		g_ptr_array_free(groups, TRUE);
		return NULL;
	}
	return groups;
}

/*
 * A Japanese phone number: 10 or 11 digits starting with 0, in the
 * caller's grouping (parentheses become hyphens); +81 becomes a leading 0,
 * and a number cell that lost its leading 0 gets it back.
 */
static int
value_check_phone(const struct vtype *t, const char *s, enum vcell cell,
    struct vresult *r)
{
	GPtrArray	*groups;
	GString		*out;
	char		*first;
	size_t		 nd;
	guint		 i;
	int		 intl;

	(void)t;
	if ((groups = value_phone_groups(s, &intl)) == NULL)
		goto bad;
	if (intl) {
		/* "+81-3-…", "+813…", "+81 (0)3 …": drop 81 and a lone 0. */
		first = groups->pdata[0];
		memmove(first, first + 2, strlen(first + 2) + 1);
		if (*first == '\0')
			g_ptr_array_remove_index(groups, 0);
		if (groups->len > 0 && strcmp(groups->pdata[0], "0") == 0)
			g_ptr_array_remove_index(groups, 0);
	}
	nd = groups->len == 1 ? strlen(groups->pdata[0]) : 0;
	if (groups->len > 0 && *(char *)groups->pdata[0] != '0' && (intl ||
	    (cell == VCELL_NUMBER && (nd == 9 || nd == 10)))) {
		first = g_strconcat("0", groups->pdata[0], NULL);
		g_free(groups->pdata[0]);
		groups->pdata[0] = first;
	}
	out = g_string_new(NULL);
	for (i = 0; i < groups->len; i++) {
		if (i > 0)
			g_string_append_c(out, '-');
		g_string_append(out, groups->pdata[i]);
	}
	nd = out->len - (groups->len > 0 ? groups->len - 1 : 0);
	if (groups->len == 0 || groups->len > 4 || (nd != 10 && nd != 11) ||
	    out->str[0] != '0') {
		g_string_free(out, TRUE);
		g_ptr_array_free(groups, TRUE);
		goto bad;
	}
	g_ptr_array_free(groups, TRUE);
	return value_ok(r, g_string_free(out, FALSE));

bad:
	return value_fail(r, "電話番号として読み取れません", HINT_PHONE);
}

/* Any non-empty text, at most max_len code points. */
static int
value_check_text(const struct vtype *t, const char *s, enum vcell cell,
    struct vresult *r)
{
	size_t	n;

	(void)cell;
	n = value_length(s);
	if (t->max_len > 0 && n > t->max_len)
		return value_failf(r, NULL, "%u字以内でご記入ください"
		    "（現在 %zu字）", t->max_len, n);
	return value_ok(r, g_strdup(s));
}

static int (*const value_checks[])(const struct vtype *, const char *,
    enum vcell, struct vresult *) = {
	[VT_TEXT] = value_check_text,
	[VT_DATE] = value_check_date,
	[VT_YEAR] = value_check_year,
	[VT_INTEGER] = value_check_integer,
	[VT_AMOUNT] = value_check_amount,
	[VT_PERCENT] = value_check_percent,
	[VT_ENUM] = value_check_enum,
	[VT_URL] = value_check_url,
	[VT_EMAIL] = value_check_email,
	[VT_POSTAL] = value_check_postal,
	[VT_PHONE] = value_check_phone,
};

int
value_check(const struct vtype *t, const char *input, enum vcell cell,
    struct vresult *r)
{
	char	*s, *n;
	int	 rc;

	memset(r, 0, sizeof *r);
	s = value_trim(input);
	if (!g_utf8_validate(s, -1, NULL))
		rc = value_fail(r, "読み取れない文字が含まれています", NULL);
	else if (*s == '\0')
		rc = value_fail(r, "記入されていません", NULL);
	else if ((size_t)t->kind >= G_N_ELEMENTS(value_checks) ||
	    value_checks[t->kind] == NULL)
		rc = value_fail(r, "型が正しくありません", NULL);
	else if (t->kind == VT_TEXT)
		rc = value_check_text(t, s, cell, r);
	else {
		/* Full-width digits, letters and signs become ASCII. */
		n = g_utf8_normalize(s, -1, G_NORMALIZE_NFKC);
		g_free(s);
		s = value_trim(n);
		g_free(n);
		if (cell == VCELL_NUMBER)
			s = value_number_cell(s);
		rc = value_checks[t->kind](t, s, cell, r);
	}
	g_free(s);
	return rc;
}
