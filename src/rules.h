/* rules.h: the certification schemes as the rules folder describes them:
 * each scheme's code, names, identifier, fees and validity, and the items
 * of its disclosure form, loaded and linted from tab-separated files. */
#ifndef RULES_H
#define RULES_H

#include <stddef.h>
#include <stdint.h>

#include <glib.h>

#include "value.h"

struct rule_item {
	char		*id;		/* 項番, e.g. "2-8", "M-1" */
	char		*label;		/* 項目 */
	int		 required;	/* 必須 = 1, 選択 = 0 */
	char		*type_spec;	/* as written, e.g. "text<=100" */
	struct vtype	 type;
	char		*when_id;	/* condition "ID=VALUE": the item becomes
					 * mandatory when item ID has VALUE;
					 * NULL if none */
	char		*when_value;
	char		*gloss;
	char		*basis;		/* found | inferred */
	char		*file;		/* where it was written, for messages */
	int		 line;
};

struct scheme {
	char		*code;		/* asp-saas, iaas-paas, datacenter, ... */
	char		*name;		/* 医療情報ASP・SaaS */
	GPtrArray	*aliases;	/* of char * */
	char		*identifier;	/* "医療", "IP", "DC", "特個", or "" */
	int64_t		 fee_new;	/* yen, tax excluded: 190000 */
	int64_t		 fee_renewal;	/* 95000 */
	int		 validity_years; /* 2 */
	GPtrArray	*items;		/* of struct rule_item, in file order,
					 * included items expanded in place */
	char		*file;		/* the scheme's file, relative to the
					 * rules folder */
};

/* The holiday table of the folder (see invoice.h). */
#define RULES_HOLIDAYS	"holidays.tsv"

struct rules {
	GPtrArray	*schemes;	/* of struct scheme, sorted by code */
	struct holidays	*holidays;	/* RULES_HOLIDAYS, or NULL if none */
};

/*
 * Loads every scheme file (*.tsv with a "scheme" line) of the folder dir.
 * Every problem found is appended to errors (a GPtrArray that frees its
 * strings with g_free) as "file:line: message", the file relative to dir,
 * all of them in one run, sorted by file and line.  Returns the rules,
 * possibly partial, or NULL with one error if the folder cannot be read.
 * A rules set with errors must not be used for checking: callers look at
 * errors->len.
 */
struct rules	*rules_load(const char *dir, GPtrArray *errors);

/* One file of a rules folder, given as its bytes. */
struct rules_text {
	const char	*name;		/* "asp-saas.tsv" */
	const char	*text;
	size_t		 len;
};

/*
 * Does what rules_load does with the files of a folder for n files given
 * in memory (the same parser: rules_load reads each file and hands it
 * on); what names the set in messages.  A name that is not one of a
 * .tsv file in a folder, or is given twice, is an error and skipped.
 */
struct rules	*rules_parse(const char *what, const struct rules_text *,
		    size_t n, GPtrArray *errors);
void		 rules_free(struct rules *);

/*
 * Finds a scheme by code, name or alias, ignoring the differences of
 * full-width and half-width forms (NFKC), case, spaces, punctuation and
 * the separators ・ / - and ·, and the suffix
 * 「の安全・信頼性に係る情報開示認定制度」, so that "医療情報ASP/SaaS", "医療情報 ＡＳＰ・ＳａａＳ" and
 * "iaas・paas" are found.  NULL if none.
 */
const struct scheme	*rules_scheme(const struct rules *, const char *name);
/* A scheme's name as letters and pages show it: the rules' name for the
 * code, else the code itself, else (no code) unknown.  r may be NULL. */
const char		*rules_scheme_name(const struct rules *r,
			    const char *code, const char *unknown);

/*
 * The scheme a heading or title names somewhere in it ("医療情報ASP・SaaS
 * 情報開示書"), compared as rules_scheme compares: the longest name or
 * alias found wins; NULL if none or two schemes tie.  Names shorter than
 * three characters count only as the whole text.
 */
const struct scheme	*rules_scheme_in(const struct rules *,
			    const char *text);

/*
 * Finds an item of a scheme by its 項番: as written, else ignoring spaces,
 * full-width forms, case, and the dash look-alikes people type for '-'
 * ("２－８", "m-1", "2ー8").  NULL if none.
 */
const struct rule_item	*rules_item(const struct scheme *, const char *id);

#endif
