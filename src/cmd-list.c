/* cmd-list.c: the staff's views of the store: messages, the case queue
 * and one case, as aligned text or JSON with the names SPEC §6 fixes. */

#include <stdio.h>
#include <string.h>

#include "case.h"
#include "certs.h"
#include "check.h"
#include "cmd.h"
#include "intake.h"
#include "letter.h"
#include "mail.h"
#include "size.h"
#include "source.h"
#include "state.h"
#include "store.h"

/* "2026-11-25 10:15" in the secretariat's zone, from a stored time. */
char *
cmd_local_time(struct nintei *n, const char *iso)
{
	GDateTime	*dt = clock_parse(n->conf, iso);
	char		*s;

	if (dt == NULL)
		return g_strdup(iso != NULL ? iso : "");
	s = g_date_time_format(dt, "%Y-%m-%d %H:%M");
	g_date_time_unref(dt);
	return s;
}

static void
cmd_json_message(JsonBuilder *b, const struct msgrow *m)
{
	json_builder_begin_object(b);
	cmd_json_int(b, "id", m->id);
	cmd_json_str(b, "message_id", m->message_id);
	cmd_json_str(b, "received", m->received_at);
	cmd_json_str(b, "from", m->sender);
	cmd_json_str(b, "subject", m->subject);
	cmd_json_str(b, "date", m->date);
	cmd_json_int(b, "size", m->size);
	cmd_json_str(b, "disposition", m->disposition);
	cmd_json_str(b, "reason", m->reason);
	cmd_json_str(b, "case", m->case_id);
	cmd_json_str(b, "origin", m->origin);
	json_builder_end_object(b);
}

/* The first lines of a message's text that say something (quoted lines
 * and blank ones skipped), each made one clean line. */
static char *
cmd_first_lines(const char *text, int max)
{
	char	**lines, *l;
	GString	 *out = g_string_new(NULL);
	int	  i, n = 0;

	if (text == NULL)
		return g_string_free(out, FALSE);
	lines = g_strsplit(text, "\n", -1);
	for (i = 0; lines[i] != NULL && n < max; i++) {
		l = util_clean(g_strstrip(lines[i]));
		if (*l != '\0' && *l != '>' && !g_str_has_prefix(l, "＞")) {
			g_string_append_printf(out, "%s%s", n > 0 ? "\n" : "",
			    l);
			n++;
		}
		g_free(l);
	}
	g_strfreev(lines);
	return g_string_free(out, FALSE);
}

/* Under a message in show: the first lines of its text, indented
 * (parsed again in the sandbox; nothing if it cannot be). */
static void
cmd_show_lines(struct nintei *n, const struct msgrow *row)
{
	struct mail	*m;
	char		*cause = NULL, *lines, **l;
	guint		 i;

	if ((m = intake_read(n, row, &cause)) == NULL) {
		g_free(cause);
		return;
	}
	lines = cmd_first_lines(m->text, 3);
	l = g_strsplit(lines, "\n", -1);
	for (i = 0; l[i] != NULL; i++) {
		if (*l[i] != '\0')
			printf("      | %s\n", l[i]);
	}
	g_strfreev(l);
	g_free(lines);
	mail_free(m);
}

/* Prints text line by line, each with its control characters made
 * blanks (a mail's text may carry escapes meant for a terminal). */
static void
cmd_print_lines(const char *text)
{
	char	**lines = g_strsplit(text, "\n", -1), *l;
	guint	  i;

	for (i = 0; lines[i] != NULL; i++) {
		if (lines[i + 1] == NULL && *lines[i] == '\0')
			break;
		l = util_clean(g_strchomp(lines[i]));
		printf("%s\n", l);
		g_free(l);
	}
	g_strfreev(lines);
}

/*
 * `messages show ID`: a message as staff read it: its decoded headers,
 * its text (text/plain, else its HTML rendered to text), its attachments
 * with their sizes, and what nintei did with it.
 */
static int
cmd_messages_show(struct nintei *n, int argc, char **argv)
{
	struct msgrow		*row;
	struct mail		*m;
	struct attachment	*a;
	char			*end, *cause = NULL, *when, *t, *size;
	gint64			 id;
	guint			 i;

	if (argc != 3) {
		fprintf(stderr, "usage: nintei messages show ID\n");
		return EX_USAGE_;
	}
	id = g_ascii_strtoll(argv[2], &end, 10);
	row = NULL;
	if (*end == '\0' && id > 0 && store_message_get(n->store, id, &row,
	    &cause) < 0)
		return cmd_store_failed("messages show", cause);
	if (row == NULL) {
		fprintf(stderr, "nintei: no message %s\n", argv[2]);
		return EX_DATAERR_;
	}
	if ((m = intake_read(n, row, &cause)) == NULL) {
		fprintf(stderr, "nintei: message %s cannot be read: %s\n",
		    argv[2], cause != NULL ? cause : "?");
		g_free(cause);
		msgrow_free(row);
		return EX_TEMPFAIL_;
	}
	when = cmd_local_time(n, row->received_at);
	printf("message %" G_GINT64_FORMAT "  received %s  %s%s%s\n", row->id,
	    when, row->disposition, row->case_id != NULL ? " " : "",
	    row->case_id != NULL ? row->case_id : "");
	g_free(when);
	t = util_clean(row->reason != NULL ? row->reason : "");
	printf("reason: %s\n\n", t);
	g_free(t);
	t = util_clean(m->from_name);
	printf("From: %s%s<%s>\n", t, *t != '\0' ? " " : "", m->from);
	g_free(t);
	printf("To: %s\n", m->to != NULL ? m->to : "");
	t = util_clean(m->subject != NULL ? m->subject : "");
	printf("Subject: %s\n", t);
	g_free(t);
	printf("Date: %s\n", m->date != NULL ? m->date : "");
	printf("Message-ID: <%s>\n", m->message_id);
	if (*m->in_reply_to != '\0')
		printf("In-Reply-To: <%s>\n", m->in_reply_to);
	printf("\n--- %s ---\n", m->text == NULL ? "本文なし" :
	    m->text_from_html ? "本文（text/html をテキストにしたもの）" :
	    "本文（text/plain）");
	if (m->text != NULL) {
		cmd_print_lines(m->text);
	}
	printf("\n--- 添付ファイル (%u) ---\n", m->attachments->len);
	for (i = 0; i < m->attachments->len; i++) {
		a = g_ptr_array_index(m->attachments, i);
		size = size_about(a->size);
		t = util_clean(*a->name != '\0' ? a->name : "（名前なし）");
		printf("  %s (%s, %s)\n", t, size, a->type);
		g_free(t);
		g_free(size);
	}
	mail_free(m);
	msgrow_free(row);
	return 0;
}

int
cmd_messages(struct nintei *n, int argc, char **argv)
{
	GPtrArray	*msgs;
	struct msgrow	*m;
	struct table	*t;
	JsonBuilder	*b;
	const char	*disp = NULL;
	char		*when, *id, *cause = NULL;
	int		 json = 0, i;
	guint		 j;

	if (argc >= 2 && strcmp(argv[1], "show") == 0)
		return cmd_messages_show(n, argc, argv);
	for (i = 1; i < argc; i++) {
		if (cmd_flag(argv[i], "--json"))
			json = 1;
		else if (cmd_flag(argv[i], "--disposition") && i + 1 < argc)
			disp = argv[++i];
		else {
			fprintf(stderr, "usage: nintei messages [--json] "
			    "[--disposition case|unmatched|ignored|"
			    "quarantined] | show ID\n");
			return EX_USAGE_;
		}
	}
	if (disp != NULL && strcmp(disp, "case") != 0 &&
	    strcmp(disp, "unmatched") != 0 && strcmp(disp, "ignored") != 0 &&
	    strcmp(disp, "quarantined") != 0) {
		fprintf(stderr, "nintei: no such disposition \"%s\"; "
		    "--disposition takes one of: case, unmatched, ignored, "
		    "quarantined\n", disp);
		return EX_USAGE_;
	}
	if (store_messages_read(n->store, NULL, &msgs, &cause) != 0) {
		g_ptr_array_free(msgs, TRUE);
		return cmd_store_failed("messages", cause);
	}
	if (json) {
		b = json_builder_new();
		json_builder_begin_array(b);
		for (j = 0; j < msgs->len; j++) {
			m = g_ptr_array_index(msgs, j);
			if (disp == NULL || strcmp(disp, m->disposition) == 0)
				cmd_json_message(b, m);
		}
		json_builder_end_array(b);
		cmd_print_json(b);
		g_object_unref(b);
		g_ptr_array_free(msgs, TRUE);
		return 0;
	}
	t = table_new("ID", "RECEIVED", "DISPOSITION", "CASE", "FROM",
	    "SUBJECT", "REASON", NULL);
	for (j = 0; j < msgs->len; j++) {
		m = g_ptr_array_index(msgs, j);
		if (disp != NULL && strcmp(disp, m->disposition) != 0)
			continue;
		id = g_strdup_printf("%" G_GINT64_FORMAT, m->id);
		when = cmd_local_time(n, m->received_at);
		table_add(t, id, when, m->disposition, m->case_id, m->sender,
		    m->subject, m->reason);
		g_free(id);
		g_free(when);
	}
	table_print(t, stdout);
	table_free(t);
	g_ptr_array_free(msgs, TRUE);
	return 0;
}

/* The fields of a case that both cases and show print as JSON (who:
 * case_waiting_on's). */
static void
cmd_json_case_fields(struct nintei *n, JsonBuilder *b, const struct caserow *c,
    const char *who, GDateTime *now)
{
	cmd_json_str(b, "id", c->id);
	cmd_json_str(b, "state", c->state);
	cmd_json_str(b, "state_label", state_label(c->state));
	cmd_json_str(b, "scheme", c->scheme);
	cmd_json_str(b, "kind", c->kind);
	cmd_json_str(b, "company", c->company);
	cmd_json_str(b, "service", c->service);
	cmd_json_str(b, "certification", c->certification);
	cmd_json_str(b, "applicant", c->applicant);
	cmd_json_str(b, "contact", c->contact_name);
	cmd_json_str(b, "contact_email", c->contact_email);
	cmd_json_str(b, "opened", c->opened_at);
	cmd_json_str(b, "state_since", c->state_since);
	cmd_json_int(b, "days_in_state", clock_days_between(n->conf,
	    c->state_since, now));
	cmd_json_str(b, "waiting_on", who);
}

/* The fee of a case for show, from what the store holds (billed, paid,
 * note: case_fee_note's): a shortfall or excess as the note says it,
 * else paid in full or not yet; NULL when nothing was billed. */
static char *
cmd_fee_line(int64_t billed, int64_t paid, const char *note)
{
	char	*line, *b, *p;

	if (note != NULL)
		return g_strdup(note);
	if (billed <= 0 && paid <= 0)
		return NULL;
	b = util_yen(billed > 0 ? billed : paid);
	p = util_yen(paid);
	line = paid > 0 ? g_strdup_printf("入金済み %s円（請求 %s円）", p, b) :
	    g_strdup_printf("未入金（請求 %s円）", b);
	g_free(b);
	g_free(p);
	return line;
}

/* The fee of a case: billed, paid, and the shortfall or excess. */
static void
cmd_json_fee(JsonBuilder *b, int64_t billed, int64_t paid, const char *note)
{
	if (billed <= 0 && paid <= 0)
		return;
	json_builder_set_member_name(b, "fee");
	json_builder_begin_object(b);
	if (billed > 0)
		cmd_json_int(b, "billed", billed);
	cmd_json_int(b, "paid", paid);
	if (billed > 0 && paid > 0 && paid < billed)
		cmd_json_int(b, "shortfall", billed - paid);
	if (billed > 0 && paid > billed)
		cmd_json_int(b, "excess", paid - billed);
	cmd_json_str(b, "note", note);
	json_builder_end_object(b);
}

/* Under the queue, when any letter is not on its way: how many the cap
 * holds, how many failed (refused for good, or a template error), how
 * many are stuck (see nintei letters).  0 with *line (NULL: nothing to
 * say), or -1 with *cause. */
static int
cmd_letters_line(struct nintei *n, char **line, char **cause)
{
	char	*before = transport_stuck_before(n);
	int	 held, failed, stuck, r;

	*line = NULL;
	r = store_letters_count(n->store, "held", NULL, &held, cause) != 0 ||
	    store_letters_count(n->store, "failed", NULL, &failed, cause) != 0 ||
	    store_letters_count(n->store, "queued", before, &stuck, cause) != 0 ?
	    -1 : 0;
	g_free(before);
	if (r == 0 && (held > 0 || failed > 0 || stuck > 0))
		*line = g_strdup_printf("letters: %d failed, %d stuck, %d held "
		    "(nintei letters)", failed, stuck, held);
	return r;
}

int
cmd_cases(struct nintei *n, int argc, char **argv)
{
	GPtrArray	*cases;
	struct caserow	*c;
	struct table	*t;
	JsonBuilder	*b;
	GDateTime	*now;
	const char	*state = NULL, *typed = NULL, **who;
	char		*days, *st, *cause = NULL, *line = NULL;
	int		 json = 0, i;
	guint		 j;

	for (i = 1; i < argc; i++) {
		if (cmd_flag(argv[i], "--json"))
			json = 1;
		else if (cmd_flag(argv[i], "--state") && i + 1 < argc)
			state = typed = argv[++i];
		else {
			fprintf(stderr, "usage: nintei cases [--state S] "
			    "[--json]\n");
			return EX_USAGE_;
		}
	}
	if (state != NULL && (state = state_parse(state)) == NULL) {
		st = state_list_labelled();
		fprintf(stderr, "nintei: no such state \"%s\"; --state takes "
		    "one of: %s\n", typed, st);
		g_free(st);
		return EX_USAGE_;
	}
	/* Everything read before anything is shown: a read that fails
	 * shows nothing rather than part of the queue. */
	if (store_cases(n->store, state, &cases, &cause) != 0) {
		g_ptr_array_free(cases, TRUE);
		return cmd_store_failed("cases", cause);
	}
	who = g_new0(const char *, cases->len + 1);
	for (j = 0; j < cases->len; j++) {
		if (case_waiting_on(n, g_ptr_array_index(cases, j), &who[j],
		    &cause) != 0)
			break;
	}
	if (j < cases->len || (!json && cmd_letters_line(n, &line,
	    &cause) != 0)) {
		g_free(who);
		g_ptr_array_free(cases, TRUE);
		return cmd_store_failed("cases", cause);
	}
	now = clock_now(n->conf);
	if (json) {
		b = json_builder_new();
		json_builder_begin_array(b);
		for (j = 0; j < cases->len; j++) {
			json_builder_begin_object(b);
			cmd_json_case_fields(n, b, g_ptr_array_index(cases, j),
			    who[j], now);
			json_builder_end_object(b);
		}
		json_builder_end_array(b);
		cmd_print_json(b);
		g_object_unref(b);
	} else {
		t = table_new("CASE", "STATE", "SCHEME", "KIND", "COMPANY",
		    "SERVICE", "DAYS", "WAITING", NULL);
		for (j = 0; j < cases->len; j++) {
			c = g_ptr_array_index(cases, j);
			days = g_strdup_printf("%d", clock_days_between(n->conf,
			    c->state_since, now));
			st = g_strdup_printf("%s %s", c->state,
			    state_label(c->state));
			table_add(t, c->id, st, c->scheme, c->kind != NULL ?
			    check_kind_label(c->kind) : NULL, c->company,
			    c->service, days, case_waiting_label(c, who[j]));
			g_free(days);
			g_free(st);
		}
		table_print(t, stdout);
		table_free(t);
		if (cases->len == 0)
			printf("(no cases%s%s)\n", state != NULL ? " in state " :
			    "", state != NULL ? state : "");
		if (line != NULL)
			printf("%s\n", line);
	}
	g_free(line);
	g_free(who);
	g_ptr_array_free(cases, TRUE);
	g_date_time_unref(now);
	return 0;
}

/* Is the letter still queued [transport] stuck_after after it went on
 * its way? */
static int
cmd_letter_stuck(const struct letterrow *l, const char *before)
{
	return strcmp(l->state, "queued") == 0 &&
	    strcmp(l->queued_at, before) < 0;
}

int
cmd_show(struct nintei *n, int argc, char **argv)
{
	struct caserow		*c = NULL;
	GPtrArray		*events = NULL, *letters = NULL, *msgs = NULL;
	GPtrArray		*atts, *problems = NULL, *items = NULL;
	GPtrArray		*attss = NULL;
	struct problemrow	*p;
	struct itemrow		*it;
	struct eventrow		*e;
	struct letterrow	*l;
	struct msgrow		*m;
	struct attrow		*a;
	JsonBuilder		*b;
	GDateTime		*now;
	const char		*id = NULL, *why, *who;
	char			*when, *size, *trans, *detail, *before = NULL;
	char			*canon, *cause = NULL, *note = NULL, *dup = NULL;
	int64_t			 billed, paid;
	int			 json = 0, i, stuck, r = 0;
	guint			 j, k;

	for (i = 1; i < argc; i++) {
		if (cmd_flag(argv[i], "--json"))
			json = 1;
		else if (id == NULL && argv[i][0] != '-')
			id = argv[i];
		else
			id = NULL, i = argc + 1;
	}
	if (id == NULL || i > argc) {
		fprintf(stderr, "usage: nintei show CASE [--json]\n");
		return EX_USAGE_;
	}
	if ((canon = case_id_parse(id)) != NULL)
		id = canon;
	if ((r = store_case_read(n->store, id, &c, &cause)) == 0) {
		fprintf(stderr, "nintei: no case %s\n", id);
		g_free(canon);
		return EX_DATAERR_;
	}
	/* Everything read before anything is shown: a read that fails
	 * shows nothing rather than a case without its history. */
	if (r < 0 || store_events(n->store, id, &events, &cause) != 0 ||
	    store_letters_read(n->store, id, &letters, &cause) != 0 ||
	    store_messages_read(n->store, id, &msgs, &cause) != 0 ||
	    store_problems(n->store, id, &problems, &cause) != 0 ||
	    store_items(n->store, id, &items, &cause) != 0 ||
	    case_waiting_on(n, c, &who, &cause) != 0 ||
	    store_case_fee(n->store, id, &billed, &paid, &cause) < 0 ||
	    case_fee_note(n, c, &note, &cause) != 0 ||
	    certs_duplicate(n, c, &dup, &cause) != 0) {
		r = cmd_store_failed("show", cause);
		goto out;
	}
	attss = g_ptr_array_new_with_free_func(
	    (GDestroyNotify)g_ptr_array_unref);
	for (j = 0; j < msgs->len; j++) {
		m = g_ptr_array_index(msgs, j);
		if (store_attachments(n->store, m->id, &atts, &cause) != 0) {
			g_ptr_array_unref(atts);
			r = cmd_store_failed("show", cause);
			goto out;
		}
		g_ptr_array_add(attss, atts);
	}
	r = 0;
	now = clock_now(n->conf);
	before = transport_stuck_before(n);
	if (json) {
		b = json_builder_new();
		json_builder_begin_object(b);
		cmd_json_case_fields(n, b, c, who, now);
		cmd_json_fee(b, billed, paid, note);
		cmd_json_str(b, "duplicate_of", dup);
		json_builder_set_member_name(b, "problems");
		json_builder_begin_array(b);
		for (j = 0; j < problems->len; j++) {
			p = g_ptr_array_index(problems, j);
			json_builder_begin_object(b);
			cmd_json_str(b, "item", p->item);
			cmd_json_str(b, "label", p->label);
			cmd_json_str(b, "problem", p->problem);
			cmd_json_str(b, "written", p->written);
			cmd_json_str(b, "hint", p->hint);
			json_builder_end_object(b);
		}
		json_builder_end_array(b);
		json_builder_set_member_name(b, "forms");
		json_builder_begin_array(b);
		for (j = 0; j < items->len; j++) {
			it = g_ptr_array_index(items, j);
			json_builder_begin_object(b);
			cmd_json_str(b, "form", it->form);
			cmd_json_str(b, "item", it->item);
			cmd_json_str(b, "label", it->label);
			cmd_json_str(b, "value", it->value);
			cmd_json_str(b, "normal", it->normal);
			json_builder_end_object(b);
		}
		json_builder_end_array(b);
		json_builder_set_member_name(b, "events");
		json_builder_begin_array(b);
		for (j = 0; j < events->len; j++) {
			e = g_ptr_array_index(events, j);
			json_builder_begin_object(b);
			cmd_json_str(b, "at", e->at);
			cmd_json_str(b, "actor", e->actor);
			cmd_json_str(b, "kind", e->kind);
			cmd_json_str(b, "from", e->from_state);
			cmd_json_str(b, "to", e->to_state);
			cmd_json_str(b, "detail", e->detail);
			json_builder_end_object(b);
		}
		json_builder_end_array(b);
		json_builder_set_member_name(b, "letters");
		json_builder_begin_array(b);
		for (j = 0; j < letters->len; j++) {
			l = g_ptr_array_index(letters, j);
			json_builder_begin_object(b);
			cmd_json_int(b, "id", l->id);
			cmd_json_str(b, "kind", l->kind);
			cmd_json_str(b, "message_id", l->message_id);
			cmd_json_str(b, "to", l->rcpt);
			cmd_json_str(b, "subject", l->subject);
			cmd_json_str(b, "created", l->created_at);
			cmd_json_str(b, "state", l->state);
			cmd_json_str(b, "sent", l->sent_at);
			cmd_json_str(b, "error", l->last_error);
			cmd_json_str(b, "held", l->held);
			cmd_json_int(b, "attempts", l->attempts);
			json_builder_set_member_name(b, "stuck");
			json_builder_add_boolean_value(b,
			    cmd_letter_stuck(l, before));
			json_builder_end_object(b);
		}
		json_builder_end_array(b);
		json_builder_set_member_name(b, "messages");
		json_builder_begin_array(b);
		for (j = 0; j < msgs->len; j++)
			cmd_json_message(b, g_ptr_array_index(msgs, j));
		json_builder_end_array(b);
		json_builder_end_object(b);
		cmd_print_json(b);
		g_object_unref(b);
		goto done;
	}
	printf("案件 %s  %s（%s）  %d日目  次は%s\n", c->id,
	    state_label(c->state), c->state,
	    clock_days_between(n->conf, c->state_since, now),
	    case_waiting_label(c, who));
	printf("  制度        %s\n", c->scheme != NULL ? c->scheme : "-");
	printf("  申請区分    %s\n", check_kind_label(c->kind));
	printf("  事業者名    %s\n", c->company != NULL ? c->company : "-");
	printf("  サービス名  %s\n", c->service != NULL ? c->service : "-");
	printf("  担当者      %s <%s>\n", c->contact_name != NULL ?
	    c->contact_name : "-", c->contact_email != NULL ?
	    c->contact_email : "-");
	printf("  申請者      %s\n", c->applicant);
	if (c->certification != NULL)
		printf("  認定番号    %s\n", c->certification);
	if ((detail = cmd_fee_line(billed, paid, note)) != NULL) {
		printf("  手数料      %s\n", detail);
		g_free(detail);
	}
	if (dup != NULL)
		printf("  注意        同じサービスに有効な認定 %s があります（更新・"
		    "変更の申請かもしれません。2件目の認定とするなら approve "
		    "--second-certification）\n", dup);
	if (items->len > 0) {
		printf("\n書類の内容\n");
		for (j = 0; j < items->len; j++) {
			it = g_ptr_array_index(items, j);
			detail = util_clean(it->value != NULL ? it->value : "");
			trans = util_pad(strcmp(it->form, "application") == 0 ?
			    "申請書" : it->item, 8);
			printf("  %s %s：%s\n", trans, it->label != NULL ?
			    it->label : "", detail);
			g_free(trans);
			g_free(detail);
		}
	}
	printf("\n不備 (%u)\n", problems->len);
	for (j = 0; j < problems->len; j++) {
		p = g_ptr_array_index(problems, j);
		detail = util_clean(p->written != NULL ? p->written : "");
		printf("  %u. %s%s%s「%s」 %s%s%s%s\n", j + 1,
		    *p->item != '\0' && strcmp(p->item, "申請書") != 0 ?
		    "項番 " : "", p->item,
		    *p->item != '\0' ? " " : "", p->label, p->problem,
		    *detail != '\0' ? "（記入内容：" : "", detail,
		    *detail != '\0' ? "）" : "");
		g_free(detail);
	}
	printf("\nメール\n");
	for (j = 0; j < msgs->len; j++) {
		m = g_ptr_array_index(msgs, j);
		when = cmd_local_time(n, m->received_at);
		printf("  %s  #%" G_GINT64_FORMAT "  %s  %s\n", when, m->id,
		    m->sender, m->subject != NULL ? m->subject : "");
		g_free(when);
		cmd_show_lines(n, m);
		atts = g_ptr_array_index(attss, j);
		for (k = 0; k < atts->len; k++) {
			a = g_ptr_array_index(atts, k);
			size = size_about((uint64_t)a->size);
			printf("      %s%s (%s)\n", a->parent >= 0 ? "  " : "",
			    a->name, size);
			g_free(size);
		}
	}
	printf("\n経過\n");
	for (j = 0; j < events->len; j++) {
		e = g_ptr_array_index(events, j);
		when = cmd_local_time(n, e->at);
		trans = e->to_state != NULL ? g_strdup_printf("%s → %s  ",
		    e->from_state != NULL ? e->from_state : "-",
		    e->to_state) : g_strdup("");
		detail = util_clean(e->detail != NULL ? e->detail : "");
		printf("  %s  %-10s %-14s %s%s\n", when, e->actor, e->kind,
		    trans, detail);
		g_free(trans);
		g_free(detail);
		g_free(when);
	}
	printf("\n送信文書\n");
	for (j = 0; j < letters->len; j++) {
		l = g_ptr_array_index(letters, j);
		when = cmd_local_time(n, l->created_at);
		stuck = cmd_letter_stuck(l, before);
		why = l->held != NULL ? l->held : l->last_error;
		printf("  %s  %-4" G_GINT64_FORMAT " %-10s %-7s %s  %s%s%s%s\n",
		    when, l->id, l->kind, stuck ? "stuck" : l->state, l->rcpt,
		    l->subject, why != NULL ? "  — " : "", why != NULL ? why :
		    "", stuck ? "  (送信できないまま滞留中)" : "");
		g_free(when);
	}
done:
	g_date_time_unref(now);
out:
	g_clear_pointer(&attss, g_ptr_array_unref);
	g_clear_pointer(&problems, g_ptr_array_unref);
	g_clear_pointer(&items, g_ptr_array_unref);
	g_clear_pointer(&events, g_ptr_array_unref);
	g_clear_pointer(&letters, g_ptr_array_unref);
	g_clear_pointer(&msgs, g_ptr_array_unref);
	caserow_free(c);
	g_free(note);
	g_free(dup);
	g_free(before);
	g_free(canon);
	return r;
}
