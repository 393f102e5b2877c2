/* check.h: the forms checked against the rules of their scheme: every
 * problem found, each by 項番 and 項目 in plain Japanese, and the values in
 * their normal form. */
#ifndef CHECK_H
#define CHECK_H

#include <glib.h>

#include "forms.h"
#include "rules.h"

struct problem {
	char	*item;		/* 項番, "申請書", or "" for a file */
	char	*label;		/* 項目, the 申請書 row, or the file name */
	char	*problem;	/* what is wrong */
	char	*written;	/* what was written, or NULL */
	char	*hint;		/* how to write it, or NULL */
};

struct checked {
	char	*item;		/* 項番, or "申請書" */
	char	*label;
	char	*value;		/* as written */
	char	*normal;	/* normal form, or NULL if invalid or empty */
};

struct check {
	const struct scheme *scheme;	/* NULL if unknown */
	char		*kind;		/* new, renewal, change, or NULL */
	char		*certification;	/* as written, for renewals */
	char		*company;
	char		*service;
	char		*summary;
	char		*contact_name;
	char		*contact_email;
	char		*phone;
	GPtrArray	*problems;	/* struct problem */
	GPtrArray	*values;	/* struct checked */
};

struct check	*check_forms(const struct forms *, const struct rules *);
/* The scheme the 情報開示書 tells by its title or item numbers, or NULL. */
const struct scheme *check_scheme_of_disclosure(const struct forms *,
		    const struct rules *);
void		 check_free(struct check *);
/* The kinds of application (the 申請区分), as stored. */
#define KIND_NEW	"new"
#define KIND_RENEWAL	"renewal"
#define KIND_CHANGE	"change"

/* The kind code for what the 申請区分 says (新規, 更新, 変更, 変更届, or
 * the code), or NULL. */
const char	*check_kind(const char *);
/* A kind code's word for people (新規), （未確認） for none. */
const char	*check_kind_label(const char *);
/* Is the case's kind code that kind?  (NULL is none.) */
int		 check_kind_is(const char *, const char *kind);
/* Where a problem is, for letters: 項番 3-4「従業員数（単体）」. */
char		*check_where(const struct problem *);

#endif
