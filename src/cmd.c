/* cmd.c: the command line: global options, the table of commands, opening
 * the configuration, spool and store for them, and the intake commands
 * (poll, ingest, send). */

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "conf.h"
#include "intake.h"
#include "letter.h"
#include "source.h"
#include "spool.h"
#include "store.h"

static int	cmd_poll(struct nintei *, int, char **);
static int	cmd_ingest(struct nintei *, int, char **);
static int	cmd_send(struct nintei *, int, char **);

/* The commands, each with what it needs opened (NINTEI_PARSE: the parsing
 * zygote, for the commands that parse mail; NINTEI_STORE: the spool and
 * the store; NINTEI_RULES: the rules, also for the scheme names of the
 * page a refresh rewrites) and whether it refreshes that page. */
#define SR	(NINTEI_STORE | NINTEI_RULES)
#define PSR	(NINTEI_PARSE | SR)
static const struct cmd cmd_table[] = {
	{ "poll", "", "fetch new mail, process it, queue (and send) letters",
	  cmd_poll, PSR, 1 },
	{ "ingest", "[FILE|-]", "process one message (exit 75: try again)",
	  cmd_ingest, PSR, 1 },
	{ "send", "", "deliver the queued letters", cmd_send, SR, 1 },
	{ "messages", "[--json] [--disposition D] | show ID",
	  "every incoming message and its disposition; show ID: one, read",
	  cmd_messages, NINTEI_PARSE | NINTEI_STORE, 0 },
	{ "cases", "[--state S] [--json]", "the queue of cases", cmd_cases,
	  NINTEI_STORE, 0 },
	{ "show", "CASE [--json]", "one case: forms, problems, history",
	  cmd_show, NINTEI_PARSE | NINTEI_STORE, 0 },
	{ "paid", "CASE [--amount N]", "a payment; paid in full: under review",
	  cmd_paid, SR, 1 },
	{ "approve", "CASE [--second-certification]",
	  "certify: a number, the approval letter", cmd_approve, SR, 1 },
	{ "reject", "CASE --reason TEXT", "not certified, with the reason",
	  cmd_reject, SR, 1 },
	{ "withdraw", "CASE [--reason TEXT]", "the applicant withdrew",
	  cmd_withdraw, SR, 1 },
	{ "note", "CASE TEXT", "a note in the case's history", cmd_note, SR,
	  1 },
	{ "handled", "CASE [TEXT]", "the applicant's mail needs no letter: "
	  "no longer the secretariat's move", cmd_handled, SR, 1 },
	{ "letters", "[--state S] [--json] | release | cancel",
	  "the letters: held, failed, queued, sent; release or cancel one",
	  cmd_letters, SR, 1 },
	{ "write", "CASE --subject TEXT --file FILE|-",
	  "a letter staff wrote, in the case's thread", cmd_write, SR, 1 },
	{ "resend", "LETTER", "a letter's text again, as a new letter",
	  cmd_resend, SR, 1 },
	{ "quarantine", "[list|show|release|drop] [ID]",
	  "messages held back, and what to do with them", cmd_quarantine, PSR,
	  1 },
	{ "check", "[--json] FILE...", "check forms offline (ZIP, XLSX, CSV, "
	  ".eml); exit 1 if any problem", cmd_check, NINTEI_RULES, 0 },
	{ "certs", "[--json|--csv] | import FILE.csv",
	  "the certifications (the published list)", cmd_certs, SR, 0 },
	{ "remind", "[--today|--run-date YYYY-MM-DD]",
	  "renewal reminders and expiry (daily); --today: preview",
	  cmd_remind, SR, 0 },
	{ "report", "[--html FILE]", "the dashboard: one static HTML page",
	  cmd_report, SR, 0 },
	{ "rules", "check", "lint the rules and the templates",
	  cmd_rules_check, 0, 0 },
};
#undef PSR
#undef SR

static void
cmd_usage(FILE *f)
{
	size_t	i;

	fprintf(f, "usage: nintei [-v] [-c FILE] COMMAND [ARGS]\n\n");
	for (i = 0; i < G_N_ELEMENTS(cmd_table); i++)
		fprintf(f, "  %-10s %-32s %s\n", cmd_table[i].name,
		    cmd_table[i].args, cmd_table[i].help);
	fprintf(f, "\nThe configuration is -c FILE, else $NINTEI_CONF, else "
	    "./nintei.conf, else /etc/nintei/nintei.conf.\n");
}

/* Does this argument ask for JSON, or name one of the flags given? */
int
cmd_flag(const char *arg, const char *flag)
{
	return strcmp(arg, flag) == 0;
}

/* Prints a JSON node built with a builder, pretty, to stdout. */
void
cmd_print_json(JsonBuilder *b)
{
	JsonGenerator	*g = json_generator_new();
	JsonNode	*root = json_builder_get_root(b);
	char		*s;

	json_generator_set_pretty(g, TRUE);
	json_generator_set_root(g, root);
	s = json_generator_to_data(g, NULL);
	printf("%s\n", s);
	g_free(s);
	json_node_unref(root);
	g_object_unref(g);
}

void
cmd_json_str(JsonBuilder *b, const char *key, const char *value)
{
	json_builder_set_member_name(b, key);
	if (value == NULL)
		json_builder_add_null_value(b);
	else
		json_builder_add_string_value(b, value);
}

void
cmd_json_int(JsonBuilder *b, const char *key, int64_t value)
{
	json_builder_set_member_name(b, key);
	json_builder_add_int_value(b, value);
}

/*
 * A read (or write) of the store failed: says on stderr what could not
 * be done and why, and gives the exit status, EX_TEMPFAIL: the store may
 * answer next time, and nothing was changed or shown as if it were the
 * answer.
 */
int
cmd_store_failed(const char *what, char *cause)
{
	fprintf(stderr, "nintei: %s: %s\n", what, cause != NULL ? cause :
	    "the store failed");
	g_free(cause);
	return EX_TEMPFAIL_;
}

/* Delivers the queue and logs what happened; the lock must be held. */
int
cmd_send_queue(struct nintei *n)
{
	char	*cause = NULL;
	int	 sent, failed;

	if (transport_send_queue(n, &sent, &failed, &cause) != 0) {
		log_warn("send: %s", cause);
		g_free(cause);
		return EX_TEMPFAIL_;
	}
	if (sent > 0 || failed > 0)
		log_info("send: %d letter(s) delivered, %d not yet", sent,
		    failed);
	return 0;
}

/* Takes the spool lock; a second run exits quietly with a notice. */
int
cmd_lock_quiet(struct nintei *n, const char *what)
{
	char	*cause = NULL;
	int	 r;

	r = spool_lock(n->spool, what, &cause);
	if (r < 0) {
		log_warn("%s: %s", what, cause);
		g_free(cause);
		return -1;
	}
	if (r == 0)
		log_info("%s: another nintei run holds the lock of %s; "
		    "nothing to do", what, n->conf->store);
	return r;
}

/* After a staff action or an ingest: delivers now if no poll or send
 * run is at it (they will, otherwise). */
void
cmd_deliver(struct nintei *n)
{
	char	*cause = NULL;

	if (!n->conf->send_after_poll)
		return;
	if (spool_lock(n->spool, "deliver", &cause) == 1)
		cmd_send_queue(n);
	g_free(cause);
}

/* One message of a poll's group: from the source, staged, its outcome. */
struct cmd_item {
	struct source_msg	 m;
	char			*tmp;	/* staged, not yet durable */
	char			*sha;
	char			*path;	/* in raw/, once settled */
	uint64_t		 size;
	struct sandbox_job	*ahead;	/* its parse, started ahead */
	int			 started;
	enum intake_result	 res;
};

/* Says why a message waits for the next run. */
static void
cmd_later(const struct source_msg *m, char **cause)
{
	log_warn("%s: not recorded, left for the next run: %s", m->origin,
	    *cause != NULL ? *cause : "?");
	g_free(*cause);
	*cause = NULL;
}

/*
 * Takes up to [intake] batch messages from the source and stages them in
 * the spool; 1 the group is full or the source has more, 0 the source is
 * done, -1 it failed (what was taken is still processed).
 */
static int
cmd_poll_take(struct nintei *n, const struct source *src, void *sd,
    GArray *items, char **cause)
{
	struct cmd_item	 it;
	int		 r;

	while (items->len < n->conf->batch) {
		memset(&it, 0, sizeof it);
		if ((r = src->next(sd, &it.m, cause)) <= 0)
			return r;
		it.res = INTAKE_TEMPFAIL;
		if ((n->conf->batch > 1 ? spool_stage_file(n->spool, it.m.path,
		    &it.tmp, &it.sha, &it.size, cause) : spool_put_file(n->spool,
		    it.m.path, &it.path, &it.sha, &it.size, cause)) != 0) {
			cmd_later(&it.m, cause);
			source_msg_clear(&it.m);
			continue;
		}
		g_array_append_val(items, it);
	}
	return 1;
}

/*
 * Polls the source: messages taken in groups of [intake] batch, their
 * raw bytes made durable together, their outcomes committed in one
 * transaction (each message in its own savepoint), and only then the
 * source told, for the whole group.
 */
static int
cmd_poll(struct nintei *n, int argc, char **argv)
{
	const struct source	*src;
	struct cmd_item		*it;
	GArray			*items;
	GPtrArray		*tmps, *shas;
	char			**paths, **causes;
	const char		*rest;
	void			*sd;
	char			*cause = NULL;
	guint			 i, k;
	int			 r, more = 1, fresh = 0, dups = 0, later = 0;
	int			 status = 0;

	(void)argv;
	if (argc > 1) {
		fprintf(stderr, "usage: nintei poll\n");
		return EX_USAGE_;
	}
	if ((r = cmd_lock_quiet(n, "poll")) <= 0)
		return r < 0 ? EX_TEMPFAIL_ : 0;
	/* Letters a fixed template can now write, held ones the window
	 * allows again: released first, so that the new mail's letters
	 * queue behind them (a failure of the store is said, and the
	 * mail is taken all the same). */
	if (post_due(n) != 0)
		status = EX_TEMPFAIL_;
	if ((src = source_find(n->conf->source_url, &rest)) == NULL) {
		log_warn("[source] url: unknown source \"%s\"",
		    n->conf->source_url);
		return EX_CONFIG_;
	}
	if ((sd = src->open(n, rest, &cause)) == NULL) {
		log_warn("poll: %s", cause);
		g_free(cause);
		return EX_TEMPFAIL_;
	}
	items = g_array_new(FALSE, TRUE, sizeof(struct cmd_item));
	while (more) {
		if ((r = cmd_poll_take(n, src, sd, items, &cause)) < 0) {
			/* What was committed is kept; the rest comes next
			 * run. */
			log_warn("poll: %s", cause);
			g_free(cause);
			cause = NULL;
			status = EX_TEMPFAIL_;
		}
		more = r > 0;
		if (items->len == 0)
			break;
		it = &g_array_index(items, struct cmd_item, 0);
		if (n->conf->batch > 1) {
			/* The group's raw bytes durable before its commit. */
			tmps = g_ptr_array_new();
			shas = g_ptr_array_new();
			paths = g_new0(char *, items->len);
			causes = g_new0(char *, items->len);
			for (i = 0; i < items->len; i++) {
				g_ptr_array_add(tmps, it[i].tmp);
				g_ptr_array_add(shas, it[i].sha);
			}
			r = spool_settle(n->spool, (char **)tmps->pdata,
			    (char **)shas->pdata, paths, causes, items->len,
			    &cause);
			for (i = 0; i < items->len; i++) {
				it[i].path = paths[i];
				if (r == 0 && paths[i] == NULL)
					cmd_later(&it[i].m, &causes[i]);
			}
			g_free(paths);
			g_free(causes);
			g_ptr_array_free(tmps, TRUE);
			g_ptr_array_free(shas, TRUE);
		} else
			r = 0;
		if (r != 0 || intake_batch_begin(n, &cause) != 0) {
			for (i = 0; i < items->len; i++) {
				if (i == 0)
					log_warn("poll: %s", cause);
				later++;
			}
			g_free(cause);
			cause = NULL;
			status = EX_TEMPFAIL_;
			more = 0;
			goto next;
		}
		for (i = 0; i < items->len; i++) {
			if (!sandbox_alive()) {
				/* No parsing this run: the rest waits. */
				log_warn("poll: the parsing zygote is gone: "
				    "the rest is left for the next run");
				status = EX_TEMPFAIL_;
				more = 0;
				break;
			}
			if (it[i].path == NULL)
				continue;	/* not in the spool: later */
			/* The next ones parse while this one is decided. */
			for (k = i; n->conf->ahead > 0 && k < items->len &&
			    k <= i + n->conf->ahead; k++) {
				if (it[k].path != NULL && !it[k].started)
					it[k].ahead = intake_parse_ahead(n,
					    it[k].path, it[k].size);
				it[k].started = 1;
			}
			it[i].res = intake_settled(n, it[i].path, it[i].sha,
			    it[i].size, it[i].m.origin, it[i].ahead, &cause);
			it[i].ahead = NULL;
			if (it[i].res == INTAKE_TEMPFAIL)
				cmd_later(&it[i].m, &cause);
			g_free(cause);	/* a duplicate's: recorded as … */
			cause = NULL;
		}
		if (intake_batch_commit(n, &cause) != 0) {
			log_warn("poll: %s", cause);
			g_free(cause);
			cause = NULL;
			for (i = 0; i < items->len; i++)
				it[i].res = INTAKE_TEMPFAIL;
			status = EX_TEMPFAIL_;
			more = 0;
		}
		/* Committed: only now may the source forget them. */
		for (i = 0; i < items->len; i++) {
			if (it[i].res == INTAKE_TEMPFAIL) {
				later++;
				continue;
			}
			if (it[i].res == INTAKE_RECORDED)
				fresh++;
			else
				dups++;
			if (src->done(sd, &it[i].m, &cause) != 0) {
				log_warn("%s: %s", it[i].m.origin, cause);
				g_free(cause);
				cause = NULL;
			}
		}
next:
		for (i = 0; i < items->len; i++) {
			intake_parse_drop(it[i].ahead);
			source_msg_clear(&it[i].m);
			g_free(it[i].tmp);
			g_free(it[i].sha);
			g_free(it[i].path);
		}
		g_array_set_size(items, 0);
	}
	g_array_free(items, TRUE);
	src->close(sd);
	if (fresh > 0 || dups > 0 || later > 0)
		log_info("poll: %d new, %d seen before, %d left for later",
		    fresh, dups, later);
	/* A message left unrecorded: cron and the admin must know. */
	if (later > 0 && status == 0)
		status = EX_TEMPFAIL_;
	/* Letters that cannot go (the transport refused, the store failed)
	 * wait for the next run; said by the status, as `send` says it. */
	if (n->conf->send_after_poll && cmd_send_queue(n) != 0 && status == 0)
		status = EX_TEMPFAIL_;
	return status;
}

static int
cmd_ingest(struct nintei *n, int argc, char **argv)
{
	const char		*file = argc > 1 ? argv[1] : "-";
	char			*cause = NULL, *origin;
	enum intake_result	 r;

	if (argc > 2) {
		fprintf(stderr, "usage: nintei ingest [FILE|-]\n");
		return EX_USAGE_;
	}
	if (strcmp(file, "-") == 0) {
		origin = g_strdup("ingest:stdin");
		r = intake_fd(n, STDIN_FILENO, origin, &cause);
	} else {
		origin = g_strdup_printf("ingest:%s", file);
		r = intake_file(n, file, origin, &cause);
	}
	g_free(origin);
	if (r == INTAKE_TEMPFAIL) {
		log_warn("ingest %s: not recorded, try again later: %s", file,
		    cause != NULL ? cause : "?");
		g_free(cause);
		return EX_TEMPFAIL_;
	}
	if (r == INTAKE_DUPLICATE) {
		/* Nothing to do, but say what became of it. */
		printf("%s\n", cause != NULL ? cause : "already recorded");
		g_free(cause);
		return 0;
	}
	cmd_deliver(n);
	return 0;
}

static int
cmd_send(struct nintei *n, int argc, char **argv)
{
	int	r;

	(void)argv;
	if (argc > 1) {
		fprintf(stderr, "usage: nintei send\n");
		return EX_USAGE_;
	}
	if ((r = cmd_lock_quiet(n, "send")) <= 0)
		return r < 0 ? EX_TEMPFAIL_ : 0;
	/* Letters a fixed template can now write, held ones the window
	 * allows again: on their way before the queue is worked.  A store
	 * that fails leaves every letter as it is, for the next run. */
	if (post_due(n) != 0)
		return EX_TEMPFAIL_;
	return cmd_send_queue(n);
}

int
cmd_main(int argc, char **argv)
{
	struct nintei	 n;
	const char	*file = NULL;
	const struct cmd *cmd = NULL;
	char		*cause = NULL;
	size_t		 i;
	int		 ch, verbose = 0, r;

	while ((ch = getopt(argc, argv, "+c:vh")) != -1) {
		switch (ch) {
		case 'c':
			file = optarg;
			break;
		case 'v':
			verbose = 1;
			break;
		case 'h':
			cmd_usage(stdout);
			return 0;
		default:
			cmd_usage(stderr);
			return EX_USAGE_;
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1) {
		cmd_usage(stderr);
		return EX_USAGE_;
	}
	for (i = 0; i < G_N_ELEMENTS(cmd_table); i++) {
		if (strcmp(argv[0], cmd_table[i].name) == 0)
			cmd = &cmd_table[i];
	}
	if (cmd == NULL) {
		fprintf(stderr, "nintei: unknown command \"%s\"\n", argv[0]);
		cmd_usage(stderr);
		return EX_USAGE_;
	}
	log_init("nintei", verbose);
	signal(SIGPIPE, SIG_IGN);

	if (file == NULL)
		file = conf_default_file();
	if ((r = nintei_open(&n, file, cmd->needs, &cause)) != 0) {
		fprintf(stderr, "nintei: %s\n", cause);
		g_free(cause);
		nintei_close(&n);
		return r;
	}
	r = cmd->exec(&n, argc, argv);
	sandbox_stop();
	if (r == 0 && cmd->refresh)
		cmd_report_refresh(&n);
	/*
	 * A letter a template error left unwritten is a configuration
	 * error (EX_CONFIG), said on stderr for cron.  Not for ingest: an
	 * MTA bounces a mail on 78, and this one is recorded.
	 */
	if (n.config_errors > 0 && strcmp(cmd->name, "ingest") != 0 &&
	    (r == 0 || r == EX_TEMPFAIL_)) {
		fprintf(stderr, "nintei: %d letter(s) not written for a "
		    "template error (see above; `nintei letters --state "
		    "failed`)\n", n.config_errors);
		r = EX_CONFIG_;
	}
	nintei_close(&n);
	return r;
}
