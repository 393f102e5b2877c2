/* event.c: the table of the kinds of events in a case's history, with
 * their words for staff; recording an event and showing one both read
 * it. */

#include <string.h>

#include <glib.h>

#include "event.h"
#include "letterkind.h"
#include "state.h"
#include "store.h"

struct event_def {
	const char	*name;
	const char	*label;
	int		 detail;	/* shown after the label */
};

/* In the order of enum event_kind. */
static const struct event_def event_table[] = {
	{ "opened", "申請受付", 0 },
	{ "state", "状態の変更", 1 },
	{ "check", "書類の確認", 1 },
	{ "revision", "再提出を受信", 1 },
	{ "linked", "受付番号のないメールを案件に関連付け", 1 },
	{ "carried", "前回の書類と合わせて確認", 1 },
	{ "password", "パスワードを受領", 1 },
	{ "password_failed", "パスワードで開けません", 1 },
	{ "reply", "返信を受信", 1 },
	{ "owed", "事務局の回答待ち", 1 },
	{ "handled", "対応済み", 1 },
	{ "flag", "注意", 1 },
	{ "duplicate", "認定済みのサービスの可能性", 1 },
	{ "bounce", "配送不能の通知", 1 },
	{ "payment", "入金（一部）", 1 },
	{ "note", "メモ", 1 },
	{ "letter", "文書", 1 },
	{ "letter_charset", "文字コード", 1 },
	{ "letter_capped", "送信を見合わせ（1日の上限）", 0 },
	{ "letter_held", "文書を保留中（1日の上限）", 1 },
	{ "letter_failed",
	  "文書を作成できません（テンプレートの誤り）", 1 },
	{ "letter_rendered", "文書を作成", 1 },
	{ "letter_released", "保留中の文書を送信", 1 },
	{ "letter_cancelled", "文書の送信を取りやめ", 1 },
	{ "letter_written", "職員が文書を作成", 1 },
	{ "letter_resent", "文書を再送", 1 },
};

G_STATIC_ASSERT(G_N_ELEMENTS(event_table) == EVENT_LETTER_RESENT + 1);

const char *
event_name(enum event_kind k)
{
	return event_table[k].name;
}

static const struct event_def *
event_find(const char *name)
{
	size_t	i;

	for (i = 0; name != NULL && i < G_N_ELEMENTS(event_table); i++) {
		if (strcmp(event_table[i].name, name) == 0)
			return &event_table[i];
	}
	return NULL;
}

const char *
event_label(const char *name)
{
	const struct event_def	*d = event_find(name);

	return d != NULL ? d->label : NULL;
}

/*
 * One line for staff: a state change as "from → to：why", a queued
 * letter by its title, the rest as "label：detail"; a kind the table does
 * not know (a newer nintei's) by its name.  A person's act names them.
 */
char *
event_text(const struct eventrow *e)
{
	const struct event_def	*d = event_find(e->kind);
	const char		*detail = e->detail != NULL ? e->detail : "";
	const char		*sep = *detail != '\0' ? "：" : "";
	char			*s, *by;

	if (d == NULL)
		s = g_strdup_printf("%s%s%s", e->kind, sep, detail);
	else if (strcmp(d->name, "state") == 0)
		s = g_strdup_printf("%s → %s%s%s", e->from_state != NULL ?
		    state_label(e->from_state) : "-",
		    state_label(e->to_state), sep, detail);
	else if (strcmp(d->name, "letter") == 0)
		s = g_strdup_printf("%s：%s", d->label,
		    letterkind_label(detail));
	else if (!d->detail)
		s = g_strdup(d->label);
	else
		s = g_strdup_printf("%s%s%s", d->label, sep, detail);
	if (e->actor == NULL || strcmp(e->actor, "nintei") == 0)
		return s;
	by = g_strdup_printf("%s（%s）", s, e->actor);
	g_free(s);
	return by;
}
