/* cmd-letters.c: the staff's hold on the letters: `letters` lists them
 * (held, failed, queued, sent...), releases held ones and cancels one
 * with a reason; `write` sends a letter a person wrote in a case's
 * thread; `resend` sends a letter's text again as a new letter. */

#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <gmime/gmime.h>

#include "case.h"
#include "cmd.h"
#include "letter.h"
#include "letterkind.h"
#include "store.h"
#include "template.h"

/* The states a letter can be in, for --state. */
static const char *const cmd_letter_states[] = {
	"queued", "held", "failed", "sent", "bounced", "cancelled", NULL
};

/* "2026-11-25 10:15" in the secretariat's zone, from a stored time. */
static char *
cmd_letters_time(struct nintei *n, const char *iso)
{
	GDateTime	*dt = clock_parse(n->conf, iso);
	char		*s;

	if (dt == NULL)
		return g_strdup(iso != NULL ? iso : "");
	s = g_date_time_format(dt, "%Y-%m-%d %H:%M");
	g_date_time_unref(dt);
	return s;
}

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
	char			*id, *when;
	guint			 i;

	rows = store_letters_in(n->store, state, 0, 0);
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
		when = cmd_letters_time(n, l->created_at);
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
	char			*cause = NULL;
	int64_t			 id = cmd_letters_id(arg);
	guint			 i, done = 0;
	int			 r = 0;

	if (store_begin(n->store, &cause) != 0)
		goto fail;
	if (id > 0) {
		rows = g_ptr_array_new_with_free_func(letterrow_free);
		if ((l = store_letter_get(n->store, id)) != NULL)
			g_ptr_array_add(rows, l);
	} else {
		rows = store_letters(n->store, arg);
		for (i = rows->len; i > 0; i--) {
			l = g_ptr_array_index(rows, i - 1);
			if (strcmp(l->state, "held") != 0)
				g_ptr_array_remove_index(rows, i - 1);
		}
	}
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
	fprintf(stderr, "nintei: %s\n", cause);
	g_free(cause);
	return EX_TEMPFAIL_;
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
	if (id <= 0 || (l = store_letter_get(n->store, id)) == NULL) {
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
	    "letter_cancelled", NULL, NULL, reason, 0, l->id, &cause) < 0)
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
	fprintf(stderr, "nintei: %s\n", cause);
	g_free(cause);
	return EX_TEMPFAIL_;
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
