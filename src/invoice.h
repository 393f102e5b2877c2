/* invoice.h: the fee request as a qualified invoice (適格請求書): the
 * issuer's registration number checked by its check digit, and the bank
 * business days that a due date must fall on (no weekend, no 31 December
 * to 3 January, no national holiday of the dated table). */
#ifndef INVOICE_H
#define INVOICE_H

#include <stddef.h>

#include <glib.h>

/*
 * Checks a registration number of a qualified invoice issuer: "T" and 13
 * digits whose first is the check digit of the other 12, as for a 法人番号
 * (9 - (the sum of the digits from the right weighted 1, 2, 1, 2... mod
 * 9)).  Full-width digits and a full-width Ｔ are taken.  Returns the number
 * in its normal form ("T1234567890123"), or NULL with *cause.
 */
char	*invoice_number(const char *, char **cause);

/* The national holidays of a dated table. */
struct holidays;

/*
 * Reads a holiday table (UTF-8 text): lines "YYYY-MM-DD<TAB>name",
 * comments from '#', blank lines, an optional header line "date<TAB>name".
 * Each problem goes to err(arg, line, message); the table holds the lines
 * that were right.
 */
struct holidays	*invoice_holidays(const char *text, size_t len,
		    void (*err)(void *, int, const char *), void *arg);
void		 invoice_holidays_free(struct holidays *);
/* The name of a date's holiday in the table, or NULL. */
const char	*invoice_holiday(const struct holidays *, const GDate *);
/* Does the table have dates of the year (is the year covered)? */
int		 invoice_holidays_cover(const struct holidays *, int year);
/* The first and last year the table covers (0 if empty). */
void		 invoice_holidays_span(const struct holidays *, int *, int *);

/* Why the banks are closed on the date (土曜日, 年末年始, a holiday's name),
 * or NULL on a bank business day.  hd may be NULL (no table). */
const char	*invoice_closed(const struct holidays *, const GDate *);
/* Moves d forward to the first bank business day on or after it. */
void		 invoice_business_day(const struct holidays *, GDate *);

#endif
