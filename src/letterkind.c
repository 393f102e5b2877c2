/* letterkind.c: the table of the letters: kind, template, title and the
 * values each one's code provides; adding a value to a letter is adding
 * its name here. */

#include <string.h>

#include <glib.h>

#include "letterkind.h"
#include "template.h"

/* The values of every letter: the secretariat's (letter_vars) and the
 * case's (case_vars; empty for a reminder without a case). */
#define LETTERKIND_COMMON \
	"secretariat secretariat_address signature " \
	"case tag company contact service kind "

static const struct letterkind letterkind_table[] = {
	{ "ack", "ack", "受付確認", LETTERKIND_REPLIED,
	  "received scheme encrypted "
	  "files[name size members[name size]]" },
	{ "password", "password", "パスワードのお願い", LETTERKIND_REPLIED,
	  "" },
	{ "deficiency", "deficiency", "不備のご連絡", LETTERKIND_REPLIED,
	  "problems[n where problem written hint] forms_now forms_before" },
	{ "fee", "fee", "審査手数料のご請求", LETTERKIND_REPLIED,
	  "scheme no_fee fee tax total tax_rate services due bank "
	  "case_digits issuer invoice_number issued fee_plain tax_plain "
	  "forms_now forms_before" },
	{ "receipt", "receipt", "入金の確認", LETTERKIND_GENERATED,
	  "scheme date amount billed paid_total shortfall excess "
	  "tax tax_rate issuer invoice_number issued" },
	{ "approval", "approval", "認定のお知らせ", LETTERKIND_GENERATED,
	  "scheme number certified valid_until renewal" },
	{ "rejection", "rejection", "却下のお知らせ", LETTERKIND_GENERATED,
	  "scheme reason reviewed" },
	{ "withdrawal", "withdrawal", "取下げの確認", LETTERKIND_GENERATED,
	  "scheme date fee_paid" },
	{ "reminder", "reminder", "更新のご案内", LETTERKIND_GENERATED,
	  "number valid_until fee" },
	/* nintei write: staff's own text in the case's thread. */
	{ "question", "question", "照会", LETTERKIND_PERSON,
	  "subject text" },
};

const struct letterkind *
letterkind_find(const char *kind)
{
	size_t	i;

	for (i = 0; kind != NULL && i < G_N_ELEMENTS(letterkind_table); i++) {
		if (strcmp(letterkind_table[i].kind, kind) == 0)
			return &letterkind_table[i];
	}
	return NULL;
}

const struct letterkind *
letterkind_by_template(const char *name)
{
	size_t	i;

	for (i = 0; name != NULL && i < G_N_ELEMENTS(letterkind_table); i++) {
		if (strcmp(letterkind_table[i].template, name) == 0)
			return &letterkind_table[i];
	}
	return NULL;
}

const struct letterkind *
letterkind_nth(size_t i)
{
	return i < G_N_ELEMENTS(letterkind_table) ? &letterkind_table[i] :
	    NULL;
}

const char *
letterkind_label(const char *kind)
{
	const struct letterkind	*k = letterkind_find(kind);

	return k != NULL ? k->label : kind;
}

/*
 * Reads the names of spec from *p into tv until the end or a ']':
 * "a b list[c d]" sets a and b, and list with one item holding c and d.
 */
static void
letterkind_parse(const char **p, struct tvars *tv)
{
	const char	*s;
	char		*name;
	struct tvars	*item;

	for (;;) {
		while (**p == ' ')
			(*p)++;
		if (**p == '\0')
			return;
		if (**p == ']') {
			(*p)++;
			return;
		}
		for (s = *p; **p != '\0' && **p != ' ' && **p != '[' &&
		    **p != ']'; (*p)++)
			;
		name = g_strndup(s, (gsize)(*p - s));
		if (**p == '[') {
			(*p)++;
			item = tvars_push(tv, name);
			letterkind_parse(p, item);
		} else
			tvars_set(tv, name, "x");
		g_free(name);
	}
}

struct tvars *
letterkind_values(const struct letterkind *k)
{
	struct tvars	*tv = tvars_new();
	const char	*p = LETTERKIND_COMMON;

	letterkind_parse(&p, tv);
	p = k->values;
	letterkind_parse(&p, tv);
	return tv;
}
