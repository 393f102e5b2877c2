/* cmd-letters.c: the staff's hold on the letters: `letters` lists them
 * (held, failed, queued, sent...), releases held ones and cancels one
 * with a reason; `write` sends a letter a person wrote in a case's
 * thread; `resend` sends a letter's text again as a new letter. */

#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "case.h"
#include "cmd.h"
#include "event.h"
#include "letter.h"
#include "letterkind.h"
#include "store.h"
#include "template.h"

/* The states a letter can be in, for --state. */
static const char *const cmd_letter_states[] = {
	"queued", "held", "failed", "sent", "bounced", "cancelled", NULL
};

/* Why a letter is where it is: the cap's reason, the error, or nothing. */
static const char *
cmd_letters_why(const struct letterrow *l)
{
	return l->held != NULL ? l->held : l->last_error;
}

/* Lists the letters, every one or those of a state. */
static int
cmd_letters_list(struct nintei *n, const char *state, int json)
{
	GPtrArray		*rows;
	struct letterrow	*l;
	struct table		*t;
	JsonBuilder		*b;
	char			*id, *when, *cause = NULL;
	guint			 i;

	if (store_letters_in(n->store, state, 0, 0, &rows, &cause) != 0) {
		g_ptr_array_free(rows, TRUE);
		return cmd_store_failed("letters", cause);
	}
	if (json) {
		b = json_builder_new();
		json_builder_begin_array(b);
		for (i = 0; i < rows->len; i++) {
			l = g_ptr_array_index(rows, i);
			json_builder_begin_object(b);
			cmd_json_int(b, "id", l->id);
			cmd_json_str(b, "case", l->case_id);
			cmd_json_str(b, "kind", l->kind);
			cmd_json_str(b, "state", l->state);
			cmd_json_str(b, "message_id", l->message_id);
			cmd_json_str(b, "to", l->rcpt);
			cmd_json_str(b, "subject", l->subject);
			cmd_json_str(b, "created", l->created_at);
			cmd_json_str(b, "sent", l->sent_at);
			cmd_json_str(b, "reason", cmd_letters_why(l));
			json_builder_set_member_name(b, "resends");
			if (l->resends > 0)
				json_builder_add_int_value(b, l->resends);
			else
				json_builder_add_null_value(b);
			json_builder_end_object(b);
		}
		json_builder_end_array(b);
		cmd_print_json(b);
		g_object_unref(b);
		g_ptr_array_free(rows, TRUE);
		return 0;
	}
	t = table_new("ID", "CREATED", "CASE", "LETTER", "STATE", "TO",
	    "REASON", NULL);
	for (i = 0; i < rows->len; i++) {
		l = g_ptr_array_index(rows, i);
		id = g_strdup_printf("%" G_GINT64_FORMAT, l->id);
		when = cmd_local_time(n, l->created_at);
		table_add(t, id, when, l->case_id != NULL ? l->case_id : "-",
		    letterkind_label(l->kind), l->state, l->rcpt,
		    cmd_letters_why(l));
		g_free(id);
		g_free(when);
	}
	table_print(t, stdout);
	table_free(t);
	if (rows->len == 0)
		printf("(no letters%s%s)\n", state != NULL ? " in state " : "",
		    state != NULL ? state : "");
	g_ptr_array_free(rows, TRUE);
	return 0;
}

/* Parses --by and --reason after the subcommand; the rest in *rest. */
static int
cmd_letters_options(struct nintei *n, int argc, char **argv,
    const char **reason, const char **arg)
{
	static const struct option longopts[] = {
		{ "by", required_argument, NULL, 'b' },
		{ "reason", required_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 }
	};
	int	ch;

	*reason = *arg = NULL;
	n->actor = g_get_user_name();	/* a person acts: --by, or the login */
	optind = 0;
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 'b':
			n->actor = optarg;
			break;
		case 'r':
			*reason = optarg;
			break;
		default:
			return -1;
		}
	}
	if (optind + 1 != argc)
		return -1;
	*arg = argv[optind];
	return 0;
}

/* A letter id ("12"), or -1 when arg is not one. */
static int64_t
cmd_letters_id(const char *arg)
{
	const char	*p;

	for (p = arg; *p != '\0'; p++) {
		if (!g_ascii_isdigit(*p))
			return -1;
	}
	return p > arg && p - arg < 12 ? g_ascii_strtoll(arg, NULL, 10) : -1;
}

/* Releases the held letter ID, or every held letter of CASE, at once. */
static int
cmd_letters_release(struct nintei *n, const char *arg)
{
	GPtrArray		*rows;
	struct letterrow	*l;
	char			*cause = NULL, *case_id;
	int64_t			 id;
	guint			 i, done = 0;
	int			 r = 0;

	/* A case as people write it (2026-0012, 20260012, the tag), else a
	 * letter's number. */
	case_id = case_id_parse(arg);
	id = case_id == NULL ? cmd_letters_id(arg) : -1;
	if (store_begin(n->store, &cause) != 0)
		goto fail;
	if (id > 0) {
		rows = g_ptr_array_new_with_free_func(letterrow_free);
		if ((r = store_letter_get(n->store, id, &l, &cause)) == 1)
			g_ptr_array_add(rows, l);
	} else {
		r = store_letters_read(n->store, case_id != NULL ? case_id :
		    arg, &rows, &cause);
		for (i = rows->len; i > 0; i--) {
			l = g_ptr_array_index(rows, i - 1);
			if (strcmp(l->state, "held") != 0)
				g_ptr_array_remove_index(rows, i - 1);
		}
	}
	g_free(case_id);
	if (r < 0) {
		store_rollback(n->store);
		g_ptr_array_free(rows, TRUE);
		return cmd_store_failed("letters release", cause);
	}
	r = 0;
	if (rows->len == 0) {
		store_rollback(n->store);
		fprintf(stderr, "nintei: %s %s\n", id > 0 ? "no letter" :
		    "no held letter in case", arg);
		g_ptr_array_free(rows, TRUE);
		return EX_DATAERR_;
	}
	for (i = 0; i < rows->len && r == 0; i++) {
		l = g_ptr_array_index(rows, i);
		if ((r = post_release_now(n, l, &cause)) == 0)
			done++;
	}
	g_ptr_array_free(rows, TRUE);
	if (r != 0) {
		store_rollback(n->store);
		if (store_failed(n->store))
			return cmd_store_failed("letters release", cause);
		fprintf(stderr, "nintei: %s\n", cause);
		g_free(cause);
		return EX_DATAERR_;
	}
	if (store_commit(n->store, &cause) != 0)
		goto fail;
	printf("%u letter(s) released\n", done);
	cmd_deliver(n);
	return 0;
fail:
	g_free(case_id);
	return cmd_store_failed("letters release", cause);
}

/* Cancels a letter not sent, for a reason: it will never go. */
static int
cmd_letters_cancel(struct nintei *n, const char *arg, const char *reason)
{
	struct letterrow	*l;
	char			*cause = NULL, *why;
	int64_t			 id = cmd_letters_id(arg);
	int			 r;

	if (reason == NULL || strspn(reason, " \t\r\n") == strlen(reason)) {
		fprintf(stderr, "nintei: letters cancel needs --reason TEXT "
		    "(why the letter will never be sent)\n");
		return EX_USAGE_;
	}
	if (store_begin(n->store, &cause) != 0)
		goto fail;
	l = NULL;
	if (id > 0 && store_letter_get(n->store, id, &l, &cause) < 0) {
		store_rollback(n->store);
		return cmd_store_failed("letters cancel", cause);
	}
	if (l == NULL) {
		store_rollback(n->store);
		fprintf(stderr, "nintei: no letter %s\n", arg);
		return EX_DATAERR_;
	}
	if (strcmp(l->state, "sent") == 0 ||
	    strcmp(l->state, "cancelled") == 0) {
		store_rollback(n->store);
		fprintf(stderr, "nintei: letter %s is %s: nothing to cancel\n",
		    arg, l->state);
		letterrow_free(l);
		return EX_DATAERR_;
	}
	why = g_strdup_printf("取りやめ（%s）：%s", n->actor, reason);
	r = store_letter_cancel(n->store, l->id, why, &cause);
	if (r == 0 && l->case_id != NULL && case_event(n, l->case_id,
	    EVENT_LETTER_CANCELLED, NULL, NULL, reason, 0, l->id, &cause) < 0)
		r = -1;
	g_free(why);
	letterrow_free(l);
	if (r != 0) {
		store_rollback(n->store);
		goto fail;
	}
	if (store_commit(n->store, &cause) != 0)
		goto fail;
	printf("letter %s cancelled\n", arg);
	return 0;
fail:
	return cmd_store_failed("letters cancel", cause);
}

static int
cmd_letters_usage(void)
{
	fprintf(stderr, "usage: nintei letters [--state queued|held|failed|"
	    "sent|bounced|cancelled] [--json]\n"
	    "       nintei letters release ID|CASE [--by USER]\n"
	    "       nintei letters cancel ID --reason TEXT [--by USER]\n");
	return EX_USAGE_;
}

int
cmd_letters(struct nintei *n, int argc, char **argv)
{
	const char	*state = NULL, *reason, *arg;
	int		 i, json = 0, known;
	size_t		 j;

	if (argc > 1 && strcmp(argv[1], "release") == 0) {
		if (cmd_letters_options(n, argc - 1, argv + 1, &reason,
		    &arg) != 0 || reason != NULL)
			return cmd_letters_usage();
		return cmd_letters_release(n, arg);
	}
	if (argc > 1 && strcmp(argv[1], "cancel") == 0) {
		if (cmd_letters_options(n, argc - 1, argv + 1, &reason,
		    &arg) != 0)
			return cmd_letters_usage();
		return cmd_letters_cancel(n, arg, reason);
	}
	for (i = 1; i < argc; i++) {
		if (cmd_flag(argv[i], "--json"))
			json = 1;
		else if (cmd_flag(argv[i], "--state") && i + 1 < argc)
			state = argv[++i];
		else
			return cmd_letters_usage();
	}
	for (j = 0, known = state == NULL; !known &&
	    cmd_letter_states[j] != NULL; j++)
		known = strcmp(cmd_letter_states[j], state) == 0;
	if (!known) {
		fprintf(stderr, "nintei: no such letter state \"%s\" (queued, "
		    "held, failed, sent, bounced, cancelled)\n", state);
		return EX_USAGE_;
	}
	return cmd_letters_list(n, state, json);
}

/* Reads the staff's text: a file, or standard input for "-"; UTF-8, CR
 * removed.  NULL with *cause when it cannot be read or says nothing. */
static char *
cmd_write_text(const char *file, char **cause)
{
	GError		*error = NULL;
	GIOChannel	*ch;
	GString		*s;
	char		*text = NULL, *out;
	gsize		 len, i;

	if (strcmp(file, "-") == 0) {
		ch = g_io_channel_unix_new(STDIN_FILENO);
		g_io_channel_set_encoding(ch, NULL, NULL);
		if (g_io_channel_read_to_end(ch, &text, &len, &error) !=
		    G_IO_STATUS_NORMAL) {
			*cause = g_strdup_printf("standard input: %s",
			    error->message);
			g_error_free(error);
			g_io_channel_unref(ch);
			return NULL;
		}
		g_io_channel_unref(ch);
	} else if (!g_file_get_contents(file, &text, &len, &error)) {
		*cause = g_strdup(error->message);
		g_error_free(error);
		return NULL;
	}
	if (!g_utf8_validate(text, (gssize)len, NULL) ||
	    memchr(text, '\0', len) != NULL) {
		*cause = g_strdup_printf("%s: not UTF-8 text", file);
		g_free(text);
		return NULL;
	}
	s = g_string_sized_new(len);
	for (i = 0; i < len; i++) {
		if (text[i] != '\r')
			g_string_append_c(s, text[i]);
	}
	g_free(text);
	out = g_strchomp(g_string_free(s, FALSE));
	if (strspn(out, " \t\n") == strlen(out)) {
		*cause = g_strdup_printf("%s: the text is empty", file);
		g_free(out);
		return NULL;
	}
	return out;
}

/*
 * nintei write CASE --subject TEXT --file FILE|-: a letter a person
 * wrote, in the frame of templates/question.txt, in the case's thread
 * (answering its newest mail), through the cap and the queue.
 */
int
cmd_write(struct nintei *n, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "by", required_argument, NULL, 'b' },
		{ "subject", required_argument, NULL, 's' },
		{ "file", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 }
	};
	struct caserow	*c;
	struct tvars	*tv;
	struct answer	 a;
	const char	*subject = NULL, *file = NULL;
	char		*text, *subj, *cause = NULL, *case_id;
	int64_t		 id;
	int		 ch, r;

	n->actor = g_get_user_name();	/* a person acts: --by, or the login */
	optind = 0;
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 'b':
			n->actor = optarg;
			break;
		case 's':
			subject = optarg;
			break;
		case 'f':
			file = optarg;
			break;
		default:
			goto usage;
		}
	}
	if (optind + 1 != argc || subject == NULL || file == NULL)
		goto usage;
	if ((case_id = case_id_parse(argv[optind])) == NULL) {
		fprintf(stderr, "nintei: \"%s\" is not a case number "
		    "(2026-0012, 20260012 or NINTEI-2026-0012)\n",
		    argv[optind]);
		return EX_USAGE_;
	}
	subj = util_clean(subject);
	g_strstrip(subj);
	if (*subj == '\0') {
		fprintf(stderr, "nintei: write needs a --subject that says "
		    "something\n");
		g_free(subj);
		g_free(case_id);
		return EX_USAGE_;
	}
	if ((text = cmd_write_text(file, &cause)) == NULL) {
		fprintf(stderr, "nintei: %s\n", cause);
		g_free(cause);
		g_free(subj);
		g_free(case_id);
		return EX_DATAERR_;
	}
	if (store_begin(n->store, &cause) != 0)
		goto fail;
	if ((r = store_case_read(n->store, case_id, &c, &cause)) <= 0) {
		store_rollback(n->store);
		if (r < 0)
			goto fail;
		fprintf(stderr, "nintei: no case %s\n", case_id);
		g_free(text);
		g_free(subj);
		g_free(case_id);
		return EX_DATAERR_;
	}
	tv = case_vars(n, c);
	tvars_set(tv, "subject", subj);
	tvars_set(tv, "text", text);
	id = -1;
	if (case_answer(n, c->id, &a, &cause) == 0)
		id = case_letter(n, c, "question", tv, &a, &cause);
	answer_clear(&a);
	tvars_free(tv);
	if (id > 0 && case_event(n, c->id, EVENT_LETTER_WRITTEN, NULL, NULL,
	    subj, 0, id, &cause) < 0)
		id = -1;
	caserow_free(c);
	if (id <= 0) {
		store_rollback(n->store);
		goto fail;
	}
	if (store_commit(n->store, &cause) != 0)
		goto fail;
	printf("letter %" G_GINT64_FORMAT " to case %s queued\n", id, case_id);
	g_free(text);
	g_free(subj);
	g_free(case_id);
	cmd_deliver(n);
	return 0;
fail:
	g_free(text);
	g_free(subj);
	g_free(case_id);
	return cmd_store_failed("write", cause);
usage:
	fprintf(stderr, "usage: nintei write CASE --subject TEXT --file "
	    "FILE|- [--by USER]\n");
	return EX_USAGE_;
}

/*
 * nintei resend LETTER (its id or Message-ID): the same text queued again
 * as a new letter, with a new Message-ID, in reply to the first one, to
 * the same people; through the cap and the queue.
 */
int
cmd_resend(struct nintei *n, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "by", required_argument, NULL, 'b' },
		{ NULL, 0, NULL, 0 }
	};
	struct letterrow	*l = NULL;
	struct post		 p;
	struct answer		 a;
	char			*cause = NULL, *subject = NULL, *body = NULL;
	char			**addrs = NULL, *mid, *detail;
	int64_t			 id;
	int			 ch, r = EX_TEMPFAIL_;

	n->actor = g_get_user_name();	/* a person acts: --by, or the login */
	optind = 0;
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (ch != 'b') {
			fprintf(stderr, "usage: nintei resend LETTER [--by "
			    "USER]\n");
			return EX_USAGE_;
		}
		n->actor = optarg;
	}
	if (optind + 1 != argc) {
		fprintf(stderr, "usage: nintei resend LETTER [--by USER]\n");
		return EX_USAGE_;
	}
	memset(&a, 0, sizeof a);
	if (store_begin(n->store, &cause) != 0)
		goto out;
	id = cmd_letters_id(argv[optind]);
	mid = g_strdup(argv[optind]);
	g_strdelimit(mid, "<>", ' ');
	g_strstrip(mid);
	r = id > 0 ? store_letter_get(n->store, id, &l, &cause) :
	    store_letter_by_message_id(n->store, mid, &l, &cause);
	g_free(mid);
	if (r < 0) {
		r = cmd_store_failed("resend", cause);
		cause = NULL;
		goto out;
	}
	r = EX_TEMPFAIL_;
	if (l == NULL) {
		fprintf(stderr, "nintei: no letter %s (a number of `nintei "
		    "letters`, or a Message-ID)\n", argv[optind]);
		r = EX_DATAERR_;
		goto out;
	}
	if (l->vars != NULL || strcmp(l->state, "cancelled") == 0) {
		fprintf(stderr, "nintei: letter %" G_GINT64_FORMAT " %s\n",
		    l->id, l->vars != NULL ? "was never written (a template "
		    "error: fix it, then `nintei send`)" : "was cancelled");
		r = EX_DATAERR_;
		goto out;
	}
	a.references = g_ptr_array_new_with_free_func(g_free);
	if (letter_parse(l->raw, &subject, &body, a.references, &cause) != 0) {
		r = EX_DATAERR_;
		goto out;
	}
	a.message_id = g_strdup(l->message_id);
	a.row = l->answers;
	addrs = g_strsplit(l->rcpt, ", ", 2);
	memset(&p, 0, sizeof p);
	p.kind = l->kind;
	p.case_id = l->case_id;
	p.scheme = l->scheme;
	p.to = addrs[0];
	p.cc = addrs[0] != NULL ? addrs[1] : NULL;
	p.answers = &a;
	p.resends = l->id;
	p.subject = subject;
	p.body = body;
	if ((id = post_letter(n, &p, &cause)) < 0)
		goto out;
	detail = g_strdup_printf("文書 %" G_GINT64_FORMAT " を再送（%s）",
	    l->id, letterkind_label(l->kind));
	if (l->case_id != NULL && case_event(n, l->case_id, EVENT_LETTER_RESENT,
	    NULL, NULL, detail, 0, id, &cause) < 0) {
		g_free(detail);
		goto out;
	}
	g_free(detail);
	if (store_commit(n->store, &cause) != 0)
		goto out;
	printf("letter %" G_GINT64_FORMAT " queued: letter %" G_GINT64_FORMAT
	    " sent again\n", id, l->id);
	r = 0;
out:
	if (r != 0) {
		store_rollback(n->store);
		if (cause != NULL)
			fprintf(stderr, "nintei: %s%s\n", r == EX_TEMPFAIL_ ?
			    "resend: " : "", cause);
	}
	g_free(cause);
	g_free(subject);
	g_free(body);
	g_strfreev(addrs);
	answer_clear(&a);
	letterrow_free(l);
	if (r == 0)
		cmd_deliver(n);
	return r;
}
