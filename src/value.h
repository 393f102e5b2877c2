/* value.h: the value types of the disclosure form: parsing a type as the
 * item files write it, and checking and normalising one value against it. */
#ifndef VALUE_H
#define VALUE_H

#include <stddef.h>
#include <stdint.h>

#include <glib.h>

enum vtype_kind {
	VT_TEXT,
	VT_DATE,
	VT_YEAR,
	VT_INTEGER,
	VT_AMOUNT,
	VT_PERCENT,
	VT_ENUM,
	VT_URL,
	VT_EMAIL,
	VT_POSTAL,
	VT_PHONE
};

struct vtype {
	enum vtype_kind	 kind;
	unsigned int	 max_len;	/* text<=N: N code points; 0 = no limit */
	GPtrArray	*choices;	/* enum:A|B|C: the spellings, first is the normal form */
};

/*
 * Parses a type as written in the item files: "text", "text<=100", "date",
 * "year", "integer", "amount", "percent", "enum:有|無", "url", "email",
 * "postal", "phone".  Returns 0, or -1 with *cause in English for the
 * rules linter ("unknown type \"txt\"", "text<=N needs a number", ...).
 */
int	 vtype_parse(const char *spec, struct vtype *out, char **cause);
/* Frees what a parsed type holds (the struct itself is the caller's). */
void	 vtype_clear(struct vtype *);

/* How the cell came: typed text, a number cell, or a cell Excel styled as
 * a date (then input is already "YYYY-MM-DD"). */
enum vcell {
	VCELL_TEXT,
	VCELL_NUMBER,
	VCELL_DATE
};

struct vresult {
	char	*normal;	/* the normal form when valid, else NULL */
	char	*problem;	/* Japanese: what is wrong, NULL when valid */
	char	*hint;		/* Japanese: how to write it, or NULL */
};

/*
 * Checks and normalises one non-empty value (the caller handles empty
 * values); the input is trimmed first (ASCII and full-width spaces, tabs,
 * newlines).  Returns 0 valid / -1 invalid, filling r.
 */
int	 value_check(const struct vtype *, const char *input, enum vcell,
	    struct vresult *r);
/* Frees the strings a result holds and sets them to NULL. */
void	 vresult_clear(struct vresult *);

/*
 * An amount of yen as staff type one from a bank statement: 209000,
 * 209,000, ２０９，０００, 209,000円, ¥209,000, ￥209,000 (commas only in
 * groups of three).  Returns 0 with *yen > 0, or -1 for anything else.
 */
int	 value_yen(const char *, int64_t *yen);
/* The forms value_yen accepts, for the message that refuses the rest. */
#define VALUE_YEN_FORMS	"209000, 209,000, ２０９，０００, 209,000円, " \
	"¥209,000 or ￥209,000"

/* Trims ASCII and full-width spaces, tabs and newlines at both ends;
 * returns a new string. */
char	*value_trim(const char *);
/* Counts Unicode code points. */
size_t	 value_length(const char *);
/* A Western date "YYYY-MM-DD" from an Excel serial number (1900 system);
 * NULL when out of range. */
char	*value_excel_date(double serial);

#endif
