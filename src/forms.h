/* forms.h: the application forms found in what an applicant sent: ZIPs
 * opened safely, workbooks and CSV files read, the 申請書 rows by label and
 * the 情報開示書 rows by 項番; every file listed for the acknowledgement. */
#ifndef FORMS_H
#define FORMS_H

#include <stddef.h>
#include <stdint.h>

#include <glib.h>

#include "csvread.h"
#include "value.h"
#include "xlsx.h"
#include "zipread.h"

struct form_limits {
	struct zip_limits	zip;
	struct xlsx_limits	xlsx;
	struct csv_limits	csv;
};

/* A file received, for the acknowledgement and the record. */
struct form_file {
	char		*name;
	uint64_t	 size;
	unsigned int	 depth;		/* 0: attachment; 1: in a ZIP; 2: nested */
	int		 encrypted;
	char		*problem;	/* why it could not be read, or NULL */
};

/* One value of a form, as written. */
struct form_value {
	char		*text;
	enum vcell	 cell;
	char		*label;		/* the label written beside it */
	char		*where;		/* "情報開示書.xlsx 情報開示書!D12" */
};

/* A problem with a file rather than with a value. */
struct form_problem {
	char		*file;
	char		*problem;
};

struct forms {
	GPtrArray	*files;		/* struct form_file */
	GHashTable	*application;	/* canonical label -> form_value */
	GHashTable	*disclosure;	/* 項番 -> form_value */
	int		 have_application;
	int		 have_disclosure;
	char		*disclosure_title; /* its sheet name and the text above
					   its header row, or NULL */
	int		 encrypted;	/* an encrypted ZIP stays closed */
	int		 wrong_password;
	int		 unlocked;	/* opened by a password */
	GPtrArray	*problems;	/* struct form_problem */
	/* Set by the intake, for letters, when one form came from an
	 * earlier mail: what this mail brought, what came from before. */
	char		*now_text;
	char		*earlier_text;
};

void		 forms_limits_default(struct form_limits *);
struct forms	*forms_new(void);
/* Adds a file the applicant sent; password opens encrypted ZIPs. */
void		 forms_add(struct forms *, const char *, const void *, size_t,
		    const struct form_limits *, const char *);
void		 forms_free(struct forms *);
/* Lists a file without reading it; records a problem with a file. */
struct form_file *forms_list(struct forms *, const char *, uint64_t);
void		 forms_problem(struct forms *, const char *, const char *);
void		 forms_merge(struct forms *, struct forms *);
/* Takes one form ('a' the 申請書, 'd' the 情報開示書) from another set,
 * for a reply that sends only the other one. */
void		 forms_take(struct forms *, struct forms *, int);

/* The 申請書 labels, canonical spelling. */
extern const char *forms_labels[];
/* The canonical label for a label as written, or NULL. */
const char	*forms_label(const char *);
/* A 項番 as written, made canonical ("２－１" -> "2-1"); new string. */
char		*forms_item_id(const char *);
/* Is a file of this name one nintei reads as a form (.zip .xlsx .csv)? */
int		 forms_is_form_name(const char *);

#endif
