/* fuzz_mail.c: the whole intake of one untrusted message short of the
 * store and the spool, as the parsing child and then the parent do it:
 * MIME parse, screening, every form attachment read (ZIP, XLSX, CSV; an
 * encrypted ZIP tried with a password found in the text), the result
 * through the wire to the parent, which screens it and checks the forms
 * against the repository's rules and lists the files for the
 * acknowledgement. */

#include <string.h>

#include "conf.h"
#include "forms.h"
#include "fuzz.h"
#include "intake.h"
#include "mail.h"
#include "nintei.h"
#include "wire.h"

int
FUZZ_INIT(mail)(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_intake_init();
	return 0;
}

/* Fails unless s is NULL or UTF-8. */
static void
fuzz_mail_utf8(const char *s)
{
	FUZZ_ASSERT(s == NULL || g_utf8_validate(s, -1, NULL));
}

static void
fuzz_mail_utf8v(const GPtrArray *a)
{
	guint	i;

	for (i = 0; a != NULL && i < a->len; i++)
		fuzz_mail_utf8(g_ptr_array_index(a, i));
}

/* Text is UTF-8 inside the program: every string the store, the letters
 * and the wire to the parent take. */
static void
fuzz_mail_text(const struct mail *m)
{
	struct attachment	*a;
	guint			 i;

	fuzz_mail_utf8(m->from);
	fuzz_mail_utf8(m->from_name);
	fuzz_mail_utf8(m->reply_to);
	fuzz_mail_utf8(m->return_path);
	fuzz_mail_utf8(m->to);
	fuzz_mail_utf8(m->subject);
	fuzz_mail_utf8(m->message_id);
	fuzz_mail_utf8(m->in_reply_to);
	fuzz_mail_utf8v(m->references);
	fuzz_mail_utf8(m->date);
	fuzz_mail_utf8(m->auto_submitted);
	fuzz_mail_utf8(m->precedence);
	fuzz_mail_utf8(m->list_header);
	fuzz_mail_utf8v(m->x_loop);
	fuzz_mail_utf8v(m->received);
	fuzz_mail_utf8v(m->authres);
	fuzz_mail_utf8(m->content_type);
	fuzz_mail_utf8(m->report_type);
	fuzz_mail_utf8(m->text);
	fuzz_mail_utf8(m->limit);
	for (i = 0; i < m->attachments->len; i++) {
		a = g_ptr_array_index(m->attachments, i);
		fuzz_mail_utf8(a->name);
		fuzz_mail_utf8(a->type);
	}
}

/* The child's part: the forms of a parsed message, read as parse_child
 * reads them (a password from the text stands in for a later mail's). */
static struct forms *
fuzz_mail_child(struct nintei *n, const struct mail *m)
{
	struct forms	*f, *try;
	GPtrArray	*pw;

	f = parse_forms(n, m, NULL);
	pw = password_candidates(m->text);
	if (f->encrypted && pw->len > 0) {
		try = parse_forms(n, m, g_ptr_array_index(pw, 0));
		if (!try->encrypted && !try->wrong_password) {
			try->unlocked = 1;
			forms_free(f);
			f = try;
		} else
			forms_free(try);
	}
	password_forget(pw);
	return f;
}

/* The parent gets what the child had. */
static void
fuzz_mail_same(const struct mail *m, const struct forms *f,
    const struct mail *m2, const struct forms *f2)
{
	FUZZ_ASSERT(strcmp(m->from, m2->from) == 0);
	FUZZ_ASSERT(strcmp(m->subject, m2->subject) == 0);
	FUZZ_ASSERT(strcmp(m->message_id, m2->message_id) == 0);
	FUZZ_ASSERT(g_strcmp0(m->limit, m2->limit) == 0);
	FUZZ_ASSERT(m->attachments->len == m2->attachments->len);
	FUZZ_ASSERT((f == NULL) == (f2 == NULL));
	if (f != NULL) {
		FUZZ_ASSERT(f->files->len == f2->files->len);
		FUZZ_ASSERT(f->problems->len == f2->problems->len);
		FUZZ_ASSERT(g_hash_table_size(f->disclosure) ==
		    g_hash_table_size(f2->disclosure));
		FUZZ_ASSERT(f->encrypted == f2->encrypted);
	}
}

int
FUZZ_ONE(mail)(const uint8_t *data, size_t len)
{
	struct nintei		 n;
	struct mail		*m, *m2;
	struct forms		*f = NULL, *f2;
	GPtrArray		*ids;
	GBytes			*wire;
	char			*cause = NULL;

	m = mail_parse_bytes((const char *)data, len, &fuzz_conf->mime,
	    &cause);
	if (m == NULL) {
		FUZZ_ASSERT(cause != NULL);
		g_free(cause);
		return 0;	/* quarantined: nothing readable */
	}
	fuzz_mail_text(m);
	memset(&n, 0, sizeof n);
	n.conf = fuzz_conf;
	if (m->limit == NULL)
		f = fuzz_mail_child(&n, m);

	wire = wire_encode(m, f, NULL);
	FUZZ_ASSERT(wire_decode(wire, &m2, &f2, &ids, &cause) == 0);
	fuzz_mail_same(m, f, m2, f2);
	fuzz_intake_parent(m2, f2);
	g_ptr_array_free(ids, TRUE);
	forms_free(f2);
	mail_free(m2);
	g_bytes_unref(wire);
	forms_free(f);
	mail_free(m);
	return 0;
}
