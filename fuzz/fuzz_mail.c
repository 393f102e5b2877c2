/* fuzz_mail.c: the whole intake of one untrusted message short of the
 * store and the spool: MIME parse, screening, every form attachment read
 * (ZIP, XLSX, CSV) and checked against the repository's rules, the
 * acknowledgement's file list and the password search of the text. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "forms.h"
#include "fuzz.h"
#include "nintei.h"
#include "rules.h"

static struct conf	*fuzz_mail_conf;
static struct rules	*fuzz_mail_rules;

int
FUZZ_INIT(mail)(int *argc, char ***argv)
{
	GPtrArray	*errors;
	char		*file, *dir, *cause = NULL;

	(void)argc;
	(void)argv;
	if (fuzz_mail_conf != NULL)
		return 0;
	mail_init();
	file = g_build_filename(fuzz_top(), "nintei.conf", NULL);
	if ((fuzz_mail_conf = conf_load(file, &cause)) == NULL) {
		fprintf(stderr, "fuzz_mail: %s: %s\n", file, cause);
		exit(1);
	}
	g_free(file);
	dir = conf_path(fuzz_mail_conf, fuzz_mail_conf->rules);
	errors = g_ptr_array_new_with_free_func(g_free);
	fuzz_mail_rules = rules_load(dir, errors);
	if (fuzz_mail_rules == NULL || errors->len > 0) {
		fprintf(stderr, "fuzz_mail: %s: %s\n", dir, errors->len > 0 ?
		    (char *)g_ptr_array_index(errors, 0) : "no rules");
		exit(1);
	}
	g_ptr_array_free(errors, TRUE);
	g_free(dir);
	return 0;
}

/* Checks the forms as a new application would be, and words each
 * problem as the deficiency letter does. */
static void
fuzz_mail_check(const struct forms *f)
{
	struct check	*ck;
	char		*where;
	guint		 i;

	ck = check_forms(f, fuzz_mail_rules);
	for (i = 0; i < ck->problems->len; i++) {
		where = check_where(g_ptr_array_index(ck->problems, i));
		FUZZ_ASSERT(g_utf8_validate(where, -1, NULL));
		g_free(where);
	}
	check_free(ck);
}

int
FUZZ_ONE(mail)(const uint8_t *data, size_t len)
{
	struct nintei		 n;
	struct mail		*m;
	struct forms		*f;
	struct tvars		*tv;
	struct attachment	*a;
	GPtrArray		*pw;
	char			*cause = NULL, *why;
	guint			 i;

	m = mail_parse_bytes((const char *)data, len, &fuzz_mail_conf->mime,
	    &cause);
	if (m == NULL) {
		FUZZ_ASSERT(cause != NULL);
		g_free(cause);
		return 0;
	}
	/* Text is UTF-8 inside the program: what letters and the store
	 * will show. */
	FUZZ_ASSERT(g_utf8_validate(m->subject, -1, NULL));
	FUZZ_ASSERT(g_utf8_validate(m->from_name, -1, NULL));
	FUZZ_ASSERT(m->text == NULL || g_utf8_validate(m->text, -1, NULL));
	for (i = 0; i < m->attachments->len; i++) {
		a = g_ptr_array_index(m->attachments, i);
		FUZZ_ASSERT(g_utf8_validate(a->name, -1, NULL));
	}
	if (m->limit != NULL) {
		mail_free(m);
		return 0;	/* quarantined as it is */
	}
	why = screen_automatic(fuzz_mail_conf, m);
	g_free(why);

	memset(&n, 0, sizeof n);
	n.conf = fuzz_mail_conf;
	f = review_read(&n, m, NULL);
	tv = tvars_new();
	review_files(f, tv);
	tvars_free(tv);
	/* A reply to a case waiting for a password is searched for one;
	 * here the first found is tried on the mail's own ZIP. */
	pw = password_candidates(m->text);
	if (f->encrypted && pw->len > 0) {
		forms_free(f);
		f = review_read(&n, m, g_ptr_array_index(pw, 0));
	}
	password_forget(pw);
	if (!f->encrypted)
		fuzz_mail_check(f);
	forms_free(f);
	mail_free(m);
	return 0;
}
