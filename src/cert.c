/* cert.c: certification numbers as SPEC §1 writes them, and the validity
 * arithmetic of Japanese periods (the last valid day). */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "cert.h"

char *
cert_number(const char *identifier, int serial, const char *yymm)
{
	if (identifier == NULL || *identifier == '\0')
		return g_strdup_printf("%04d-%s", serial, yymm);
	return g_strdup_printf("%s %04d-%s", identifier, serial, yymm);
}

/* NFKC with every dash made '-', trimmed. */
static char *
cert_fold(const char *number)
{
	char		*n;
	GString		*s;
	const char	*p;
	gunichar	 c;

	if ((n = g_utf8_normalize(number, -1, G_NORMALIZE_NFKC)) == NULL)
		return NULL;
	s = g_string_new(NULL);
	for (p = n; *p != '\0'; p = g_utf8_next_char(p)) {
		c = g_utf8_get_char(p);
		if (c == 0x2010 || c == 0x2011 || c == 0x2012 || c == 0x2013 ||
		    c == 0x2014 || c == 0x2212 || c == 0x30fc || c == 0xff70)
			c = '-';
		g_string_append_unichar(s, c);
	}
	g_free(n);
	g_strstrip(s->str);
	return g_string_free(s, FALSE);
}

int
cert_parse(const char *number, char **identifier, int *serial, char **yymm)
{
	char		*s, *digits;
	GRegex		*re;
	GMatchInfo	*mi;
	int		 ok = -1;

	if (number == NULL || (s = cert_fold(number)) == NULL)
		return -1;
	re = g_regex_new("^(?:(\\S*?)\\s*)([0-9]{4})-([0-9]{2}(?:0[1-9]|1[0-2]))$",
	    0, 0, NULL);
	if (g_regex_match(re, s, 0, &mi)) {
		*identifier = g_match_info_fetch(mi, 1);
		if (*identifier == NULL)
			*identifier = g_strdup("");
		digits = g_match_info_fetch(mi, 2);
		*serial = atoi(digits);
		g_free(digits);
		*yymm = g_match_info_fetch(mi, 3);
		ok = 0;
	}
	g_match_info_free(mi);
	g_regex_unref(re);
	g_free(s);
	return ok;
}

char *
cert_canonical(const char *number)
{
	char	*id, *yymm, *out;
	int	 serial;

	if (cert_parse(number, &id, &serial, &yymm) != 0)
		return NULL;
	out = cert_number(id, serial, yymm);
	g_free(id);
	g_free(yymm);
	return out;
}

/* Reads "YYYY-MM-DD" into a GDate; FALSE if it is not a date. */
static gboolean
cert_date(const char *s, GDate *d)
{
	int	y, m, day;

	g_date_clear(d, 1);
	if (s == NULL || sscanf(s, "%4d-%2d-%2d", &y, &m, &day) != 3 ||
	    !g_date_valid_dmy(day, m, y))
		return FALSE;
	g_date_set_dmy(d, day, m, y);
	return TRUE;
}

static char *
cert_iso(const GDate *d)
{
	return g_strdup_printf("%04d-%02d-%02d", g_date_get_year(d),
	    g_date_get_month(d), g_date_get_day(d));
}

char *
cert_last_day(const char *start, int years)
{
	GDate	d;
	int	y, m, day;

	if (!cert_date(start, &d))
		return NULL;
	y = g_date_get_year(&d) + years;
	m = g_date_get_month(&d);
	day = g_date_get_day(&d);
	if (!g_date_valid_dmy(day, m, y)) {
		/* No such day (29 February): the month's last day. */
		g_date_set_dmy(&d, g_date_get_days_in_month(m, y), m, y);
		return cert_iso(&d);
	}
	g_date_set_dmy(&d, day, m, y);
	g_date_subtract_days(&d, 1);
	return cert_iso(&d);
}

char *
cert_next_day(const char *date)
{
	GDate	d;

	if (!cert_date(date, &d))
		return NULL;
	g_date_add_days(&d, 1);
	return cert_iso(&d);
}

char *
cert_months_before(const char *date, int months)
{
	GDate	d;

	if (!cert_date(date, &d))
		return NULL;
	g_date_subtract_months(&d, months);
	return cert_iso(&d);
}

char *
cert_yymm(const char *date)
{
	GDate	d;

	if (!cert_date(date, &d))
		return NULL;
	return g_strdup_printf("%02d%02d", g_date_get_year(&d) % 100,
	    g_date_get_month(&d));
}
