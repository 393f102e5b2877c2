/* decide.c: the intake's decisions, one message at a time, from what is
 * known of it: quarantined, automatic, left for later, unmatched, or what
 * it is to its case.  Only decides: intake.c gathers the facts and applies
 * the decision in its transaction. */

#include <string.h>

#include <glib.h>

#include "decide.h"
#include "state.h"
#include "store.h"

int
decide_sender_of(const struct caserow *c, const char *from)
{
	return (c->applicant != NULL &&
	    g_ascii_strcasecmp(c->applicant, from) == 0) ||
	    (c->contact_email != NULL &&
	    g_ascii_strcasecmp(c->contact_email, from) == 0);
}

/* Sets the decision. */
static void
decide_set(struct decision *d, enum decide_action action, char *reason,
    const struct caserow *c)
{
	d->action = action;
	d->reason = reason;
	d->c = c;
}

/*
 * SPF: fail quarantines; a temporary error leaves the message for a later
 * run a bounded number of times; softfail and lasting errors flag it to
 * the staff.  Returns 1 when that decided the message.
 */
static int
decide_spf(const struct decide_facts *f, struct decision *d)
{
	if (strcmp(f->spf, "fail") == 0) {
		decide_set(d, DECIDE_QUARANTINE, g_strdup_printf("SPF の検証に"
		    "失敗しました（%s から %s を名乗るメール）", f->spf_ip !=
		    NULL ? f->spf_ip : "?", f->spf_sender), NULL);
		return 1;
	}
	if (strcmp(f->spf, "temperror") == 0 &&
	    f->spf_runs < f->spf_retries) {
		decide_set(d, DECIDE_DEFER, g_strdup_printf("SPF temperror for "
		    "%s (run %d of %d)", f->spf_sender, f->spf_runs + 1,
		    f->spf_retries), NULL);
		return 1;
	}
	if (strcmp(f->spf, "softfail") == 0 ||
	    strcmp(f->spf, "temperror") == 0 ||
	    strcmp(f->spf, "permerror") == 0)
		d->flag = g_strdup_printf("SPF %s：要確認", f->spf);
	return 0;
}

/* Asks for a fact: the decision so far (an SPF flag) is made again once
 * it is known. */
static void
decide_ask(struct decision *d, enum decide_action ask)
{
	g_free(d->flag);
	d->flag = NULL;
	decide_set(d, ask, NULL, NULL);
}

/*
 * Forms that name no case (no tag, no reference to our letters): the
 * resubmission of the one open case of the sender its 申請書 names, the
 * staff's to sort when two match, else a new application.
 */
static void
decide_unthreaded(const struct decide_facts *f, struct decision *d)
{
	if (!f->content_known)
		decide_ask(d, DECIDE_ASK_CONTENT);
	else if (f->content != NULL)
		decide_set(d, DECIDE_RESUBMISSION, g_strdup_printf("件名の受付"
		    "番号も当方のメールへの参照もないメールですが、差出人 %s と"
		    "申請書の制度・事業者名・サービス名称が案件 %s と一致したた"
		    "め、その再提出として扱いました", f->from, f->content->id),
		    f->content);
	else if (f->content_other != NULL)
		decide_set(d, DECIDE_UNMATCHED, g_strdup_printf("申請書の制度・"
		    "事業者名・サービス名称が案件 %s と案件 %s の両方に一致する"
		    "ため、自動では振り分けていません（件名の受付番号も返信の"
		    "参照もありません）", f->content_first, f->content_other),
		    NULL);
	else
		decide_set(d, DECIDE_OPEN, NULL, NULL);
}

/* A message answering one of our cases, from its applicant or contact. */
static void
decide_thread(const struct decide_facts *f, struct decision *d)
{
	const struct caserow	*c = f->thread;

	if (!state_open(c->state) && f->has_forms)
		decide_set(d, DECIDE_OPEN, NULL, NULL);	/* a renewal */
	else if (strcmp(c->state, STATE_AWAITING_PASSWORD) == 0)
		decide_set(d, DECIDE_PASSWORD, NULL, c);
	else if (f->has_forms && state_takes_forms(c->state))
		decide_set(d, DECIDE_REVISION, NULL, c);
	else if (f->has_forms)
		decide_set(d, DECIDE_REPLY, g_strdup("書類の添付あり（この"
		    "状態では自動で確認しません）"), c);
	else
		decide_set(d, DECIDE_REPLY, NULL, c);
}

/*
 * Decides what the intake does with the message, or what it must find
 * out first (DECIDE_ASK_SPF, DECIDE_ASK_THREAD, _CONTENT, _WAITING).
 * The decision's strings are its own (decision_clear); its case is one
 * of the facts'.
 */
void
decide(const struct decide_facts *f, struct decision *d)
{
	memset(d, 0, sizeof *d);
	if (f->unreadable != NULL) {
		decide_set(d, DECIDE_QUARANTINE, g_strdup(f->unreadable), NULL);
		return;
	}
	if (f->limit != NULL) {
		decide_set(d, DECIDE_QUARANTINE, g_strdup(f->limit), NULL);
		return;
	}
	if (f->automatic != NULL) {
		decide_set(d, DECIDE_AUTOMATIC, g_strdup(f->automatic), NULL);
		return;
	}
	if (f->spf_wanted) {
		if (f->spf == NULL) {
			decide_set(d, DECIDE_ASK_SPF, NULL, NULL);
			return;
		}
		if (decide_spf(f, d))
			return;
	}
	if (*f->from == '\0') {
		decide_set(d, DECIDE_UNMATCHED, g_strdup("差出人のアドレスが"
		    "読み取れません"), NULL);
		return;
	}
	if (!f->thread_known) {
		decide_ask(d, DECIDE_ASK_THREAD);
		return;
	}
	if (f->thread != NULL) {
		if (decide_sender_of(f->thread, f->from))
			decide_thread(f, d);
		else
			decide_set(d, DECIDE_UNMATCHED, g_strdup_printf("案件 %s "
			    "への返信に見えますが、差出人 %s は申請者でも担当"
			    "者でもありません", f->thread->id, f->from), NULL);
		return;
	}
	if (f->has_forms)
		decide_unthreaded(f, d);
	else if (!f->waiting_known)
		decide_ask(d, DECIDE_ASK_WAITING);
	else if (f->waiting != NULL)
		decide_set(d, DECIDE_PASSWORD, NULL, f->waiting);
	else
		decide_set(d, DECIDE_UNMATCHED, g_strdup("申請書類（ZIP・Excel・"
		    "CSV）の添付がなく、案件への返信でもありません"), NULL);
}

void
decision_clear(struct decision *d)
{
	g_free(d->reason);
	g_free(d->flag);
	memset(d, 0, sizeof *d);
}
