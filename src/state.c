/* state.c: the table of a case's states and what each allows; every other
 * file asks it (no I/O, no state). */

#include <string.h>

#include <glib.h>

#include "state.h"

static const struct state state_table[] = {
	{ STATE_RECEIVED, "受付", STATE_SECRETARIAT, 1, 1, "ours" },
	{ STATE_AWAITING_PASSWORD, "パスワード待ち", STATE_APPLICANT, 1, 1,
	  "theirs" },
	{ STATE_DEFICIENT, "不備", STATE_APPLICANT, 1, 1, "theirs" },
	{ STATE_AWAITING_FEE, "入金待ち", STATE_APPLICANT, 1, 1, "theirs" },
	{ STATE_UNDER_REVIEW, "審査中", STATE_SECRETARIAT, 1, 0, "ours" },
	{ STATE_APPROVED, "認定", NULL, 0, 0, "good" },
	{ STATE_REJECTED, "却下", NULL, 0, 0, "bad" },
	{ STATE_WITHDRAWN, "取下げ", NULL, 0, 0, "gone" },
	{ STATE_EXPIRED, "失効", NULL, 0, 0, "bad" },
};

const struct state *
state_find(const char *code)
{
	size_t	i;

	for (i = 0; code != NULL && i < G_N_ELEMENTS(state_table); i++) {
		if (strcmp(state_table[i].code, code) == 0)
			return &state_table[i];
	}
	return NULL;
}

const char *
state_nth(size_t i)
{
	return i < G_N_ELEMENTS(state_table) ? state_table[i].code : NULL;
}

int
state_valid(const char *code)
{
	return state_find(code) != NULL;
}

const char *
state_label(const char *code)
{
	const struct state	*s = state_find(code);

	return s != NULL ? s->label : code;
}

const char *
state_waiting_on(const char *code)
{
	const struct state	*s = state_find(code);

	return s != NULL ? s->waiting : NULL;
}

const char *
state_waiting_label(const char *code)
{
	const char	*w = state_waiting_on(code);

	if (w == NULL)
		return "完了";
	return strcmp(w, STATE_SECRETARIAT) == 0 ? "事務局" : "申請者";
}

int
state_open(const char *code)
{
	const struct state	*s = state_find(code);

	return s != NULL && s->open;
}

int
state_takes_forms(const char *code)
{
	const struct state	*s = state_find(code);

	return s != NULL && s->forms;
}

char *
state_list(int which, const char *quote)
{
	GString	*out = g_string_new(NULL);
	size_t	 i;

	for (i = 0; i < G_N_ELEMENTS(state_table); i++) {
		if (which != -1 && state_table[i].open != which)
			continue;
		g_string_append_printf(out, "%s%s%s%s", out->len > 0 ? ", " :
		    "", quote, state_table[i].code, quote);
	}
	return g_string_free(out, FALSE);
}

/* The state a person typed: its code or its Japanese label (受付,
 * 入金待ち, ...), blanks around it ignored; NULL when it is neither. */
const char *
state_parse(const char *typed)
{
	char	*t;
	size_t	 i;

	if (typed == NULL)
		return NULL;
	t = g_strstrip(g_strdup(typed));
	for (i = 0; i < G_N_ELEMENTS(state_table); i++) {
		if (strcmp(state_table[i].code, t) == 0 ||
		    strcmp(state_table[i].label, t) == 0) {
			g_free(t);
			return state_table[i].code;
		}
	}
	g_free(t);
	return NULL;
}

/* Every state as "code (label)", joined by ", ": what refused input is
 * told it may be.  A new string. */
char *
state_list_labelled(void)
{
	GString	*s = g_string_new(NULL);
	size_t	 i;

	for (i = 0; i < G_N_ELEMENTS(state_table); i++)
		g_string_append_printf(s, "%s%s (%s)", i > 0 ? ", " : "",
		    state_table[i].code, state_table[i].label);
	return g_string_free(s, FALSE);
}
