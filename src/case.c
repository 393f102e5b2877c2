/* case.c: the case and its lifecycle: states and who must move next,
 * transitions recorded as events, and letters queued for a case. */

#include <string.h>

#include "case.h"
#include "check.h"
#include "conf.h"
#include "event.h"
#include "letter.h"
#include "nintei.h"
#include "state.h"
#include "store.h"
#include "template.h"

/*
 * A case number as people write it: 2026-0012, 20260012 (a bank
 * statement's payer name), NINTEI-2026-0012 or [NINTEI-2026-0012] (the
 * tag, whatever its prefix), full-width too.  "2026-0012", or NULL.
 */
char *
case_id_parse(const char *s)
{
	char		*n, *p, *id = NULL;
	size_t		 len;

	if (s == NULL || !g_utf8_validate(s, -1, NULL) ||
	    (n = g_utf8_normalize(s, -1, G_NORMALIZE_NFKC)) == NULL)
		return NULL;
	p = g_strstrip(n);
	len = strlen(p);
	if (len >= 2 && ((p[0] == '[' && p[len - 1] == ']') ||
	    (strncmp(p, "【", 3) == 0 && len >= 6 &&
	    strcmp(p + len - 3, "】") == 0))) {
		p[p[0] == '[' ? len - 1 : len - 3] = '\0';
		p += p[0] == '[' ? 1 : 3;
	}
	if (g_ascii_isalpha(*p)) {
		while (g_ascii_isalpha(*p))
			p++;
		if (*p++ != '-')
			goto out;
	}
	if (strlen(p) == 9 && p[4] == '-' && strspn(p, "0123456789") == 4 &&
	    strspn(p + 5, "0123456789") == 4)
		id = g_strdup(p);
	else if (strlen(p) == 8 && strspn(p, "0123456789") == 8)
		id = g_strdup_printf("%.4s-%.4s", p, p + 4);
out:
	g_free(n);
	return id;
}

/* The staff actions and the state each may start from: that one, every
 * open state (open), or any state (neither). */
struct case_action {
	const char	*action;
	const char	*from;
	int		 open;
};

static const struct case_action case_actions[] = {
	{ "paid", STATE_AWAITING_FEE, 0 },
	{ "approve", STATE_UNDER_REVIEW, 0 },
	{ "reject", NULL, 1 },
	{ "withdraw", NULL, 1 },
	{ "note", NULL, 0 },
	{ "handled", NULL, 1 },
};

static int
case_action_from(const struct case_action *a, const char *code)
{
	if (a->open)
		return state_open(code);
	return strcmp(a->from, code) == 0;
}

/*
 * May the action be taken on a case in this state?  NULL if it may, else
 * the states it needs, for the message ("under_review (審査中)").
 */
char *
case_may(const char *action, const char *state)
{
	const struct case_action	*a;
	GString				*needs;
	const char			*code;
	size_t				 i, j;

	for (i = 0; i < G_N_ELEMENTS(case_actions); i++) {
		a = &case_actions[i];
		if (strcmp(a->action, action) != 0)
			continue;
		if (a->from == NULL && !a->open)
			return NULL;	/* any state */
		if (case_action_from(a, state))
			return NULL;
		needs = g_string_new(NULL);
		for (j = 0; (code = state_nth(j)) != NULL; j++) {
			if (case_action_from(a, code))
				g_string_append_printf(needs, "%s%s (%s)",
				    needs->len > 0 ? " or " : "", code,
				    state_label(code));
		}
		return g_string_free(needs, FALSE);
	}
	return g_strdup_printf("a known action, not \"%s\"", action);
}

/*
 * Whose move a case is: its state's, except that an open case with a
 * mail of the applicant the secretariat has not answered (a question, a
 * reply without forms) is the secretariat's until staff write to the
 * applicant (nintei write) or mark it handled.  0 with *who (NULL: no
 * one's, the case is closed), or -1 with *cause.
 */
int
case_waiting_on(struct nintei *n, const struct caserow *c, const char **who,
    char **cause)
{
	int	owed;

	*who = state_waiting_on(c->state);
	if (*who == NULL || strcmp(*who, STATE_SECRETARIAT) == 0)
		return 0;
	if (store_case_owed(n->store, c->id, &owed, cause) != 0)
		return -1;
	if (owed)
		*who = STATE_SECRETARIAT;
	return 0;
}

/* case_waiting_on's answer for people: 事務局, 申請者 or 完了. */
const char *
case_waiting_label(const struct caserow *c, const char *who)
{
	if (who == NULL)
		return "完了";
	if (strcmp(who, STATE_SECRETARIAT) != 0)
		return "申請者";
	return strcmp(state_waiting_on(c->state), STATE_SECRETARIAT) == 0 ?
	    "事務局" : "事務局（申請者のメールへの回答）";
}

/* The case tag of the subject: "[NINTEI-2026-0001]". */
char *
case_tag(const struct conf *c, const char *id)
{
	return g_strdup_printf("[%s-%s]", c->tag, id);
}

/*
 * Finds a case tag in a subject; returns the case id or NULL.  The tag
 * may stand anywhere (replies add "Re:", "RE:", "返信:" and the like).
 */
char *
case_tag_find(const struct conf *c, const char *subject)
{
	char		*pat, *esc, *id = NULL;
	GRegex		*re;
	GMatchInfo	*mi;

	esc = g_regex_escape_string(c->tag, -1);
	pat = g_strdup_printf("\\[%s-(\\d{4}-\\d{4,6})\\]", esc);
	re = g_regex_new(pat, G_REGEX_CASELESS, 0, NULL);
	g_free(esc);
	g_free(pat);
	if (re == NULL)
		return NULL;
	if (g_regex_match(re, subject, 0, &mi))
		id = g_match_info_fetch(mi, 1);
	g_match_info_free(mi);
	g_regex_unref(re);
	return id;
}

/* Records an event of the case by the acting user. */
int64_t
case_event(struct nintei *n, const char *case_id, enum event_kind kind,
    const char *from, const char *to, const char *detail, int64_t message,
    int64_t letter, char **cause)
{
	struct eventrow	 e;
	int64_t		 id;

	memset(&e, 0, sizeof e);
	e.case_id = (char *)case_id;
	e.at = clock_now_iso(n->conf);
	e.actor = (char *)(n->actor != NULL ? n->actor : "nintei");
	e.kind = (char *)event_name(kind);
	e.from_state = (char *)from;
	e.to_state = (char *)to;
	e.detail = (char *)detail;
	e.message = message;
	e.letter = letter;
	id = store_event_add(n->store, &e, cause);
	g_free(e.at);
	return id;
}

/* Moves the case to state to, with an event saying why. */
int
case_set_state(struct nintei *n, struct caserow *c, const char *to,
    const char *why, int64_t message, char **cause)
{
	char	*from = g_strdup(c->state);
	int	 r;

	g_free(c->state);
	c->state = g_strdup(to);
	g_free(c->state_since);
	c->state_since = clock_now_iso(n->conf);
	r = store_case_update(n->store, c, cause);
	if (r == 0 && case_event(n, c->id, EVENT_STATE, from, to, why,
	    message, 0, cause) < 0)
		r = -1;
	g_free(from);
	return r;
}

/*
 * What staff must know of a case's fee: *note NULL when there is nothing
 * to say (nothing paid yet, or paid exactly), else a shortfall or an
 * excess; 0, or -1 with *cause.
 */
int
case_fee_note(struct nintei *n, const struct caserow *c, char **note,
    char **cause)
{
	int64_t	 billed, paid;
	char	*b, *p, *d;

	*note = NULL;
	if (store_case_fee(n->store, c->id, &billed, &paid, cause) < 0)
		return -1;
	if (billed <= 0 || paid <= 0 || paid == billed)
		return 0;
	b = util_yen(billed);
	p = util_yen(paid);
	d = util_yen(paid < billed ? billed - paid : paid - billed);
	*note = g_strdup_printf("%s %s円（入金 %s円／請求 %s円）", paid < billed ?
	    "一部入金：不足" : "超過入金：超過", d, p, b);
	g_free(b);
	g_free(p);
	g_free(d);
	return 0;
}

/* Sets a value made one line (control characters become blanks). */
static void
case_var_line(struct tvars *tv, const char *name, const char *value)
{
	char	*v = util_clean(value != NULL ? value : "");

	tvars_set(tv, name, g_strstrip(v));
	g_free(v);
}

/* The values every letter of a case may use. */
struct tvars *
case_vars(struct nintei *n, const struct caserow *c)
{
	struct tvars	*tv = letter_vars(n->conf);
	char		*tag = case_tag(n->conf, c->id);

	tvars_set(tv, "case", c->id);
	tvars_set(tv, "tag", tag);
	/* What applicants wrote goes on one line: a line break in a
	 * service name must not end the subject. */
	case_var_line(tv, "company", c->company);
	case_var_line(tv, "contact", c->contact_name != NULL &&
	    *c->contact_name != '\0' ? c->contact_name : "ご担当者");
	case_var_line(tv, "service", c->service);
	tvars_set(tv, "kind", check_kind_label(c->kind));
	g_free(tag);
	return tv;
}

/*
 * Queues a letter of the case (post_letter, the one path of every
 * letter): to the applicant, copied to the contact, from the template of
 * its kind.  Returns the letter's id, 0 when the cap held it back, or -1.
 */
int64_t
case_letter(struct nintei *n, const struct caserow *c, const char *kind,
    struct tvars *tv, const struct answer *answers, char **cause)
{
	struct post	p;

	memset(&p, 0, sizeof p);
	p.kind = kind;
	p.case_id = c->id;
	p.scheme = c->scheme;
	p.to = c->applicant;
	p.cc = c->contact_email;
	p.tv = tv;
	p.answers = answers;
	return post_letter(n, &p, cause);
}

/* What a staff action's letter answers: the case's latest message; 0,
 * or -1 with *cause (a letter is not written out of its thread). */
int
case_answer(struct nintei *n, const char *case_id, struct answer *a,
    char **cause)
{
	GPtrArray	*msgs;
	struct msgrow	*m;
	char		**ids;
	size_t		 i;

	memset(a, 0, sizeof *a);
	if (store_messages_read(n->store, case_id, &msgs, cause) != 0) {
		g_ptr_array_free(msgs, TRUE);
		return -1;
	}
	if (msgs->len > 0) {
		m = g_ptr_array_index(msgs, msgs->len - 1);
		if (m->message_id != NULL && *m->message_id != '\0') {
			a->message_id = g_strdup(m->message_id);
			a->row = m->id;
			a->references = g_ptr_array_new_with_free_func(g_free);
			ids = g_strsplit(m->refs != NULL ? m->refs : "", " ",
			    -1);
			for (i = 0; ids[i] != NULL; i++) {
				if (*ids[i] != '\0')
					g_ptr_array_add(a->references,
					    g_strdup(ids[i]));
			}
			g_strfreev(ids);
		}
	}
	g_ptr_array_free(msgs, TRUE);
	return 0;
}
