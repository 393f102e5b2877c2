/* invoice.c: the fee request as a qualified invoice (適格請求書): the
 * registration number and its check digit, and the bank business days of
 * Japan from a dated table of national holidays. */

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "invoice.h"

struct holidays {
	GHashTable	*days;		/* julian day -> name */
	int		 first;		/* first and last year with dates */
	int		 last;
};

char *
invoice_number(const char *written, char **cause)
{
	char		*nfkc, *t;
	const char	*d;
	int		 sum = 0, i, check;

	if (written == NULL || (nfkc = g_utf8_normalize(written, -1,
	    G_NORMALIZE_NFKC)) == NULL) {
		*cause = g_strdup("not UTF-8 text");
		return NULL;
	}
	t = g_strstrip(nfkc);
	if ((t[0] != 'T' && t[0] != 't') || strlen(t) != 14 ||
	    strspn(t + 1, "0123456789") != 13) {
		*cause = g_strdup_printf("\"%s\" is not T and 13 digits", t);
		g_free(nfkc);
		return NULL;
	}
	d = t + 1;
	/* Digits 2..13 are the base; from the right, weights 1, 2, 1, 2... */
	for (i = 0; i < 12; i++)
		sum += (d[12 - i] - '0') * (i % 2 == 0 ? 1 : 2);
	check = 9 - sum % 9;
	if (d[0] - '0' != check) {
		*cause = g_strdup_printf("T%s: the check digit (the first "
		    "digit) should be %d: a digit is mistyped", d, check);
		g_free(nfkc);
		return NULL;
	}
	t = g_strdup_printf("T%s", d);
	g_free(nfkc);
	return t;
}

static void	invoice_err(void (*)(void *, int, const char *), void *, int,
		    const char *, ...) G_GNUC_PRINTF(4, 5);

/* Reports one problem of a line through the caller's function. */
static void
invoice_err(void (*err)(void *, int, const char *), void *arg, int line,
    const char *fmt, ...)
{
	va_list	 ap;
	char	*msg;

	if (err == NULL)
		return;
	va_start(ap, fmt);
	msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	err(arg, line, msg);
	g_free(msg);
}

/* A date written YYYY-MM-DD (also with / and full-width digits), or 0. */
static guint32
invoice_parse_date(const char *s)
{
	char		*n = g_utf8_normalize(s, -1, G_NORMALIZE_NFKC);
	unsigned int	 y, m, d;
	char		 rest;
	guint32		 j = 0;

	if (n != NULL && (sscanf(n, "%4u-%2u-%2u%c", &y, &m, &d, &rest) == 3 ||
	    sscanf(n, "%4u/%2u/%2u%c", &y, &m, &d, &rest) == 3) &&
	    g_date_valid_dmy((GDateDay)d, (GDateMonth)m, (GDateYear)y)) {
		GDate	*g = g_date_new_dmy((GDateDay)d, (GDateMonth)m,
			    (GDateYear)y);

		j = g_date_get_julian(g);
		g_date_free(g);
	}
	g_free(n);
	return j;
}

struct holidays *
invoice_holidays(const char *text, size_t len,
    void (*err)(void *, int, const char *), void *arg)
{
	struct holidays	*h = g_new0(struct holidays, 1);
	char		**lines, **cells, *copy, *name;
	guint32		 j;
	GDate		*g;
	int		 i, y;

	h->days = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL,
	    g_free);
	copy = g_strndup(text, len);
	if (!g_utf8_validate(copy, -1, NULL)) {
		invoice_err(err, arg, 0, "not UTF-8 text");
		g_free(copy);
		return h;
	}
	lines = g_strsplit(copy, "\n", -1);
	g_free(copy);
	for (i = 0; lines[i] != NULL; i++) {
		g_strchomp(lines[i]);	/* CR and the tabs Excel pads with */
		if (*lines[i] == '#' || *g_strstrip(lines[i]) == '\0')
			continue;
		cells = g_strsplit(lines[i], "\t", 3);
		if (strcmp(cells[0], "date") == 0)	/* the header */
			;
		else if ((j = invoice_parse_date(cells[0])) == 0)
			invoice_err(err, arg, i + 1, "\"%s\" is not a date "
			    "(YYYY-MM-DD)", cells[0]);
		else if (cells[1] == NULL || *g_strstrip(cells[1]) == '\0')
			invoice_err(err, arg, i + 1, "%s has no name (date, a "
			    "tab, the holiday's name)", cells[0]);
		else if (cells[2] != NULL && *g_strstrip(cells[2]) != '\0')
			invoice_err(err, arg, i + 1, "more than two columns "
			    "(date, name)");
		else if ((name = g_hash_table_lookup(h->days,
		    GUINT_TO_POINTER(j))) != NULL)
			invoice_err(err, arg, i + 1, "%s is given twice (also "
			    "as %s)", cells[0], name);
		else {
			g_hash_table_insert(h->days, GUINT_TO_POINTER(j),
			    g_strdup(cells[1]));
			g = g_date_new_julian(j);
			y = g_date_get_year(g);
			g_date_free(g);
			if (h->first == 0 || y < h->first)
				h->first = y;
			if (y > h->last)
				h->last = y;
		}
		g_strfreev(cells);
	}
	g_strfreev(lines);
	return h;
}

void
invoice_holidays_free(struct holidays *h)
{
	if (h == NULL)
		return;
	g_hash_table_destroy(h->days);
	g_free(h);
}

const char *
invoice_holiday(const struct holidays *h, const GDate *d)
{
	if (h == NULL)
		return NULL;
	return g_hash_table_lookup(h->days,
	    GUINT_TO_POINTER(g_date_get_julian(d)));
}

/*
 * A year is covered when the table has dates in it: every year has
 * holidays, so a year without any is one nobody entered yet.
 */
int
invoice_holidays_cover(const struct holidays *h, int year)
{
	GHashTableIter	 it;
	gpointer	 k;
	GDate		*g;
	int		 yes = 0;

	if (h == NULL || year < h->first || year > h->last)
		return 0;
	g_hash_table_iter_init(&it, h->days);
	while (!yes && g_hash_table_iter_next(&it, &k, NULL)) {
		g = g_date_new_julian(GPOINTER_TO_UINT(k));
		yes = g_date_get_year(g) == year;
		g_date_free(g);
	}
	return yes;
}

void
invoice_holidays_span(const struct holidays *h, int *first, int *last)
{
	*first = h != NULL ? h->first : 0;
	*last = h != NULL ? h->last : 0;
}

const char *
invoice_closed(const struct holidays *h, const GDate *d)
{
	GDateMonth	m = g_date_get_month(d);
	GDateDay	day = g_date_get_day(d);
	const char	*name;

	switch (g_date_get_weekday(d)) {
	case G_DATE_SATURDAY:
		return "土曜日";
	case G_DATE_SUNDAY:
		return "日曜日";
	default:
		break;
	}
	if ((m == 12 && day == 31) || (m == 1 && day <= 3))
		return "年末年始（銀行の休業日）";
	if ((name = invoice_holiday(h, d)) != NULL)
		return name;
	return NULL;
}

void
invoice_business_day(const struct holidays *h, GDate *d)
{
	int	n;

	/* The longest closure is Golden Week or the new year: a bound
	 * keeps a wrong table from looping. */
	for (n = 0; n < 60 && invoice_closed(h, d) != NULL; n++)
		g_date_add_days(d, 1);
}
