/* csvread.h: reading a CSV file as Excel writes it (UTF-8 with or without
 * BOM, or CP932; EUC-JP and ISO-2022-JP are guessed too) into rows of
 * UTF-8 fields, within limits. */
#ifndef CSVREAD_H
#define CSVREAD_H

#include <stddef.h>

#include <glib.h>

struct csv_limits {
	unsigned int	 max_rows;	/* default 10000 */
	unsigned int	 max_cols;	/* default 100 */
	size_t		 max_field;	/* bytes of UTF-8, default 64 KiB */
};

/* Fills in the default limits. */
void		 csvread_limits_default(struct csv_limits *);

struct csv_table {
	GPtrArray	*rows;		/* each a GPtrArray of char * (UTF-8) */
	char		*charset;	/* "UTF-8", "CP932", "EUC-JP" or
					   "ISO-2022-JP", as guessed */
};

/*
 * Reads len bytes of CSV (RFC 4180 quoting; CRLF, LF or CR line ends).
 * Fields come as written: a value starting with = + - @ is not touched;
 * ASCII blanks around an unquoted field are dropped.  Blank lines, the
 * empty fields at the end of a row and the empty rows at the end of the
 * file are dropped (Excel writes ",,," for formatted cells), so rows may
 * differ in length; an empty file is a table with no rows.  limits NULL
 * means the defaults, a 0 in it the default for that limit.  Returns NULL
 * with a Japanese *cause when over a limit ("CSV ファイルの行数が上限
 * （10000行）を超えています") or when the bytes are not text.
 */
struct csv_table *csvread_buffer(const void *data, size_t len,
		    const struct csv_limits *, char **cause);
void		 csvread_free(struct csv_table *);

#endif
