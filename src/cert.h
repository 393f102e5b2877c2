/* cert.h: certification numbers and validity (SPEC §1): pure functions
 * on strings and dates, shared by approval, renewal, import and remind. */
#ifndef CERT_H
#define CERT_H

/* "医療 0001-1712", or "0256-2109" when the identifier is empty. */
char	*cert_number(const char *identifier, int serial, const char *yymm);

/*
 * Reads a number as written (full-width digits, any dash, a space or none
 * after the identifier).  Returns 0 and the parts (new strings), or -1.
 */
int	 cert_parse(const char *number, char **identifier, int *serial,
	    char **yymm);

/* The canonical spelling of a number as written, or NULL. */
char	*cert_canonical(const char *number);

/*
 * The last valid day of a validity of the given years starting on start
 * ("YYYY-MM-DD"): the day before the same date that many years later, or
 * the last day of the month when that date does not exist (民法 143 条).
 */
char	*cert_last_day(const char *start, int years);

/* The day after a date, and a date some months before another
 * (clamped to the month's end); both "YYYY-MM-DD". */
char	*cert_next_day(const char *date);
char	*cert_months_before(const char *date, int months);

/* "1712" for "2017-12-01". */
char	*cert_yymm(const char *date);

#endif
