/* xlsx.h: the cells of an Excel workbook (.xlsx), read from memory with
 * the ZIP reader's caps and a namespace-aware expat parser. */
#ifndef XLSX_H
#define XLSX_H

#include <stddef.h>
#include <stdint.h>

#include <glib.h>

enum xlsx_kind {
	XLSX_EMPTY,
	XLSX_STRING,
	XLSX_NUMBER,
	XLSX_DATE,
	XLSX_BOOL,
	XLSX_ERROR
};

struct xlsx_cell {
	unsigned int	 row, col;	/* 1-based */
	enum xlsx_kind	 kind;
	char		*text;		/* UTF-8: strings as they are, numbers
					   in shortest round-trip form, dates
					   "YYYY-MM-DD" (with "THH:MM:SS" if
					   there is a time), "TRUE"/"FALSE",
					   errors like "#N/A" */
	double		 number;	/* numbers, date serials, booleans */
};

struct xlsx_sheet {
	char		*name;
	GPtrArray	*cells;		/* of struct xlsx_cell, by row then
					   column */
	unsigned int	 rows, cols;	/* the last row and column used */
};

struct xlsx_book {
	GPtrArray	*sheets;	/* of struct xlsx_sheet, in workbook
					   order */
	int		 date1904;
};

struct xlsx_limits {
	uint64_t	max_part;	/* bytes of one XML part, default
					   20 MiB */
	uint64_t	max_total;	/* bytes of all parts read, default
					   100 MiB */
	uint64_t	max_text;	/* bytes of all cell texts (a shared
					   string is copied into each cell),
					   default 100 MiB */
	unsigned int	max_cells;	/* in the workbook, default 200000 */
	unsigned int	max_strings;	/* shared strings, default 200000 */
};

void		 xlsx_limits_default(struct xlsx_limits *);

/*
 * Reads the workbook of len bytes at data.  NULL and a Japanese *cause
 * ("Excel ファイルとして読み取れません（…）") if it cannot be read or
 * breaks a limit.
 */
struct xlsx_book *xlsx_read(const void *data, size_t len,
		    const struct xlsx_limits *, char **cause);
void		 xlsx_free(struct xlsx_book *);

/* The sheet of exactly that name, or NULL. */
const struct xlsx_sheet *xlsx_sheet(const struct xlsx_book *, const char *);
/* The cell at row and col (1-based), or NULL when it is empty. */
const struct xlsx_cell *xlsx_cell(const struct xlsx_sheet *,
		    unsigned int row, unsigned int col);

#endif
