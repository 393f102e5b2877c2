/* formgen.h: applications written as an applicant's software writes them:
 * the forms of a scheme as XLSX (libxlsxwriter) or CP932 CSV, packed in
 * ZIPs (libzip) and mailed (GMime).  Shared by mkforms (samples and test
 * fixtures) and the benchmark's generator. */
#ifndef FORMGEN_H
#define FORMGEN_H

#include <stdint.h>

#include <glib.h>
#include <gmime/gmime.h>

#include "rules.h"

/* What is wrong in a deficient application (the tests know these). */
#define FORMGEN_DEFICIENT_EMPTY		"3-4"	/* a mandatory item empty */
#define FORMGEN_DEFICIENT_DATE		"1"	/* a date nobody can read */
#define FORMGEN_DEFICIENT_LONG		"2-8"	/* 120 characters for 100 */
#define FORMGEN_DEFICIENT_WHEN_ON	"6-2"	/* 有, and then ... */
#define FORMGEN_DEFICIENT_WHEN		"6-3"	/* ... left empty */

/* A small deterministic generator (splitmix64): the same seed gives the
 * same mails on every machine, unlike rand(). */
struct formgen_rng {
	uint64_t	 state;
};

void		 formgen_rng_seed(struct formgen_rng *, uint64_t);
uint64_t	 formgen_rng_next(struct formgen_rng *);
/* A number in [0, n). */
unsigned int	 formgen_rng_below(struct formgen_rng *, unsigned int);
/* A number in [lo, hi]. */
unsigned int	 formgen_rng_range(struct formgen_rng *, unsigned int,
		    unsigned int);

/* What an application says, and how it is written. */
struct formgen_app {
	const char	*scheme;	/* code */
	const char	*kind;		/* 新規, 更新, 変更 */
	const char	*certification;	/* for 更新 and 変更, or NULL */
	int		 deficient;	/* the FORMGEN_DEFICIENT_* problems */
	const char	*company;
	const char	*service;
	const char	*contact;
	const char	*email;

	/* Variation (the benchmark); all zero for the fixed samples. */
	struct formgen_rng *rng;	/* texts composed at random */
	unsigned int	 notes;		/* 補足説明 rows after the items */
	const char *const *spoil;	/* more items written wrong, NULL-
					   terminated */
	const char	*scheme_text;	/* what 制度 says: NULL for the
					   scheme's name */
};

/* Starts a writer program: GMime, a folder for the writers' temporary
 * files, and the rules of the folder rdir (it dies if they have errors).
 * formgen_end removes the folder and frees the rules. */
struct rules	*formgen_start(const char *prog, const char *rdir);
void		 formgen_end(struct rules *);

/* A disclosure text of n characters, starting with the label. */
char		*formgen_text(struct formgen_rng *, const char *label,
		    unsigned int n);

/* A workbook with the sheets asked for: 申請書 (app), 情報開示書 (disc). */
GByteArray	*formgen_book(const struct formgen_app *, const struct scheme *,
		    int app, int disc);
/* The forms as CSV files in CP932, as Excel on Japanese Windows saves
 * them. */
GByteArray	*formgen_csv_app(const struct formgen_app *,
		    const struct scheme *);
GByteArray	*formgen_csv_disc(const struct formgen_app *,
		    const struct scheme *);

/* Packs n files into a ZIP: names in CP932 when cp932 is set, encrypted
 * when a password is given; entry times fixed so the bytes repeat. */
GByteArray	*formgen_zip(const char *const *names, GByteArray **files,
		    int n, int cp932, const char *password);

/* A mail with a text body and attachments. */
struct formgen_mail {
	const char	*from_name;
	const char	*from;
	const char	*to_name;
	const char	*to;
	const char	*subject;
	const char	*message_id;	/* without <> */
	GDateTime	*date;
	const char	*in_reply_to;	/* without <>, or NULL */
	const char	*references;	/* without <>, or NULL */
	const char	*body;
	const char	*charset;	/* of the body: NULL is UTF-8, or
					   "ISO-2022-JP" */
	const char *const *headers;	/* more: name, value, ..., NULL */
	const char	*boundary;	/* NULL: GMime draws one */
};

/* The message: text/plain alone when n is 0, else multipart/mixed with
 * the files attached in base64 (ZIP or workbook by their names). */
GMimeMessage	*formgen_mail(const struct formgen_mail *,
		    const char *const *names, GByteArray **files, int n);
/* A text part in the charset asked for (NULL: UTF-8). */
GMimeTextPart	*formgen_text_part(const char *text, const char *charset);
/* Writes a message with CRLF line ends, as it arrives over SMTP. */
void		 formgen_write(const char *file, GMimeMessage *);
/* The covering letter of an application. */
char		*formgen_app_body(const struct formgen_app *);

/* Reports a failure and exits. */
void		 formgen_die(const char *, ...)
		    __attribute__((noreturn, format(printf, 1, 2)));

#endif
