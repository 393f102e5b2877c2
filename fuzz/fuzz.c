/* fuzz.c: what the harnesses share (see fuzz.h). */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "check.h"
#include "conf.h"
#include "forms.h"
#include "fuzz.h"
#include "intake.h"
#include "mail.h"
#include "nintei.h"
#include "rules.h"
#include "template.h"
#include "zipread.h"

struct conf		*fuzz_conf;
static struct rules	*fuzz_rules;

#ifndef FUZZ_TOP
#define FUZZ_TOP	"."
#endif

const char *const fuzz_value_specs[] = {
	"text", "text<=100", "text<=2", "date", "year", "integer", "amount",
	"percent", "enum:有|無", "enum:自社所有|賃借|IaaS・PaaS", "url", "email",
	"postal", "phone", NULL
};

/* A critical or a warning from GLib is a programming error (a string
 * that is not UTF-8 handed to GVariant...): an abort, which libFuzzer
 * keeps the input of (G_DEBUG=fatal-criticals would trap instead). */
static void
fuzz_log(const char *domain, GLogLevelFlags level, const char *msg,
    void *arg)
{
	(void)arg;
	g_log_default_handler(domain, level, msg, NULL);
	if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL |
	    G_LOG_LEVEL_WARNING))
		abort();
}

__attribute__((constructor)) static void
fuzz_strict(void)
{
	g_log_set_default_handler(fuzz_log, NULL);
}

void
fuzz_fail(const char *file, int line, const char *what)
{
	fprintf(stderr, "%s:%d: property broken: %s\n", file, line, what);
	abort();
}

const char *
fuzz_top(void)
{
	const char	*env = getenv("NINTEI_TOP");

	return env != NULL && *env != '\0' ? env : FUZZ_TOP;
}

int
fuzz_want_all(const char *base, void *arg)
{
	(void)base;
	(void)arg;
	return 1;
}

GByteArray *
fuzz_xlsx_parts(const void *data, size_t len)
{
	struct zip_limits	 zl;
	struct zip_result	*zr;
	struct zip_entry	*e;
	GByteArray		*out;
	const void		*d;
	gsize			 n;
	guint			 i;

	zipread_limits_default(&zl);
	zr = zipread_buffer(data, len, &zl, NULL, fuzz_want_all, NULL);
	if (zr == NULL || zr->problem != NULL) {
		zipread_free(zr);
		return NULL;
	}
	out = g_byte_array_new();
	for (i = 0; i < zr->entries->len; i++) {
		e = g_ptr_array_index(zr->entries, i);
		if (e->data == NULL)
			continue;
		if (out->len > 0)
			g_byte_array_append(out, (const guint8 *)"", 1);
		g_byte_array_append(out, (const guint8 *)e->name,
		    (guint)strlen(e->name));
		g_byte_array_append(out, (const guint8 *)"\n", 1);
		d = g_bytes_get_data(e->data, &n);
		g_byte_array_append(out, d, (guint)n);
	}
	zipread_free(zr);
	return out;
}

void
fuzz_unpack(const char *data, size_t len, void (*fn)(const char *,
    const void *, size_t, void *), void *arg)
{
	struct mail_limits	 ml = MAIL_LIMITS_DEFAULT;
	struct zip_limits	 zl;
	struct mail		*m;
	struct attachment	*a;
	struct zip_result	*zr;
	struct zip_entry	*e;
	GByteArray		*bytes;
	char			*cause = NULL;
	const void		*d;
	gsize			 n;
	guint			 i, j;

	mail_init();
	if ((m = mail_parse_bytes(data, len, &ml, &cause)) == NULL) {
		g_free(cause);
		return;
	}
	zipread_limits_default(&zl);
	for (i = 0; i < m->attachments->len; i++) {
		a = g_ptr_array_index(m->attachments, i);
		if (!mail_attachment_is_form(a))
			continue;
		if ((bytes = mail_attachment_bytes(a, 64 * 1024 * 1024,
		    &cause)) == NULL) {
			g_clear_pointer(&cause, g_free);
			continue;
		}
		fn(a->name, bytes->data, bytes->len, arg);
		zr = zipread_buffer(bytes->data, bytes->len, &zl, NULL,
		    fuzz_want_all, NULL);
		for (j = 0; zr != NULL && j < zr->entries->len; j++) {
			e = g_ptr_array_index(zr->entries, j);
			if (e->data == NULL)
				continue;
			d = g_bytes_get_data(e->data, &n);
			fn(e->name, d, n, arg);
		}
		zipread_free(zr);
		g_byte_array_free(bytes, TRUE);
	}
	mail_free(m);
}

void
fuzz_intake_init(void)
{
	GPtrArray	*errors;
	char		*file, *dir, *cause = NULL;

	if (fuzz_conf != NULL)
		return;
	mail_init();
	file = g_build_filename(fuzz_top(), "nintei.conf", NULL);
	if ((fuzz_conf = conf_load(file, &cause)) == NULL) {
		fprintf(stderr, "fuzz: %s: %s\n", file, cause);
		exit(1);
	}
	g_free(file);
	dir = conf_path(fuzz_conf, fuzz_conf->rules);
	errors = g_ptr_array_new_with_free_func(g_free);
	fuzz_rules = rules_load(dir, errors);
	if (fuzz_rules == NULL || errors->len > 0) {
		fprintf(stderr, "fuzz: %s: %s\n", dir, errors->len > 0 ?
		    (char *)g_ptr_array_index(errors, 0) : "no rules");
		exit(1);
	}
	g_ptr_array_free(errors, TRUE);
	g_free(dir);
}

void
fuzz_intake_parent(const struct mail *m, const struct forms *f)
{
	struct check	*ck;
	struct tvars	*tv;
	char		*why, *where;
	guint		 i;

	why = screen_automatic(fuzz_conf, m);
	g_free(why);
	if (f == NULL || f->encrypted)
		return;
	tv = tvars_new();
	review_files(f, tv);
	tvars_free(tv);
	ck = check_forms(f, fuzz_rules);
	for (i = 0; i < ck->problems->len; i++) {
		where = check_where(g_ptr_array_index(ck->problems, i));
		FUZZ_ASSERT(g_utf8_validate(where, -1, NULL));
		g_free(where);
	}
	check_free(ck);
}
