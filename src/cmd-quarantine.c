/* cmd-quarantine.c: `nintei quarantine [list|show|release|drop] [ID]`:
 * the messages held back, one shown with its reason, released (processed
 * again as if new, without the SPF check) or dropped (the record and the
 * reason kept). */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "rfc2047.h"
#include "intake.h"
#include "store.h"

static int
cmd_quarantine_list(struct nintei *n)
{
	GPtrArray	*msgs;
	struct msgrow	*m;
	struct table	*t;
	char		*id, *when, *cause = NULL;
	guint		 i, held = 0;
	int		 on;

	if (store_messages_read(n->store, NULL, &msgs, &cause) != 0) {
		g_ptr_array_free(msgs, TRUE);
		return cmd_store_failed("quarantine", cause);
	}
	t = table_new("ID", "RECEIVED", "STATE", "FROM", "SUBJECT", "REASON",
	    NULL);
	for (i = 0; i < msgs->len; i++) {
		m = g_ptr_array_index(msgs, i);
		if (strcmp(m->disposition, "quarantined") != 0 &&
		    m->held == NULL)
			continue;
		/* Released and quarantined again: held again. */
		on = strcmp(m->disposition, "quarantined") == 0 &&
		    (m->held == NULL || strcmp(m->held, "released") == 0);
		id = g_strdup_printf("%" G_GINT64_FORMAT, m->id);
		when = cmd_local_time(n, m->received_at);
		table_add(t, id, when, on ? "held" : m->held, m->sender,
		    m->subject, m->reason);
		g_free(when);
		g_free(id);
		held += on;
	}
	table_print(t, stdout);
	table_free(t);
	printf("(%u held)\n", held);
	g_ptr_array_free(msgs, TRUE);
	return 0;
}

/*
 * The quarantined message of an id given on the command line: held (a
 * message released and quarantined again is held again, also in a store
 * from before that was so); for show, any that was ever quarantined.
 * 0 with *mp, or the exit status after saying why there is none.
 */
static int
cmd_quarantine_get(struct nintei *n, const char *what, const char *arg,
    int show, struct msgrow **mp)
{
	struct msgrow	*m = NULL;
	char		*end, *cause = NULL;
	gint64		 id = g_ascii_strtoll(arg, &end, 10);

	*mp = NULL;
	if (*end == '\0' && id > 0 && store_message_get(n->store, id, &m,
	    &cause) < 0)
		return cmd_store_failed(what, cause);
	if (m == NULL) {
		fprintf(stderr, "nintei: no message %s\n", arg);
		return EX_DATAERR_;
	}
	if (show && (strcmp(m->disposition, "quarantined") == 0 ||
	    m->held != NULL)) {
		*mp = m;	/* Any message quarantined once may be shown. */
		return 0;
	}
	if (strcmp(m->disposition, "quarantined") != 0 || (m->held != NULL &&
	    strcmp(m->held, "released") != 0)) {
		fprintf(stderr, "nintei: message %s is not held in quarantine "
		    "(%s%s%s)\n", arg, m->disposition, m->held != NULL ?
		    ", " : "", m->held != NULL ? m->held : "");
		msgrow_free(m);
		return EX_DATAERR_;
	}
	*mp = m;
	return 0;
}

/*
 * A raw header block as staff read it: each field on one line, its value
 * decoded as the intake decodes a subject (encoded words, undeclared
 * Japanese charsets), control characters made blanks.
 */
static char *
cmd_quarantine_headers(const char *block)
{
	char	**lines = g_strsplit(block, "\n", -1), *colon, *dec, *c;
	GString	 *out = g_string_new(NULL), *field = g_string_new(NULL);
	size_t	  i;

	for (i = 0; ; i++) {
		if (lines[i] != NULL && (lines[i][0] == ' ' ||
		    lines[i][0] == '\t') && field->len > 0) {
			g_string_append_printf(field, "\n%s", lines[i]);
			continue;
		}
		if (field->len > 0) {
			if ((colon = strchr(field->str, ':')) != NULL) {
				*colon = '\0';
				dec = rfc2047_decode(colon + 1);
				c = g_strdup_printf("%s: %s", field->str, dec);
				g_free(dec);
			} else
				c = rfc2047_decode(field->str);
			dec = util_clean(c);
			g_string_append_printf(out, "%s\n", dec);
			g_free(dec);
			g_free(c);
			g_string_truncate(field, 0);
		}
		if (lines[i] == NULL)
			break;
		g_string_append(field, g_strchomp(lines[i]));
	}
	g_strfreev(lines);
	g_string_free(field, TRUE);
	return g_string_free(out, FALSE);
}

int
cmd_quarantine(struct nintei *n, int argc, char **argv)
{
	struct msgrow	*m;
	char		*cause = NULL, *raw, *what;
	int		 r;

	if (argc == 1 || (argc == 2 && strcmp(argv[1], "list") == 0))
		return cmd_quarantine_list(n);
	if (argc != 3 || (strcmp(argv[1], "show") != 0 &&
	    strcmp(argv[1], "release") != 0 && strcmp(argv[1], "drop") != 0)) {
		fprintf(stderr, "usage: nintei quarantine "
		    "[list | show ID | release ID | drop ID]\n");
		return EX_USAGE_;
	}
	what = g_strdup_printf("quarantine %s %s", argv[1], argv[2]);
	r = cmd_quarantine_get(n, what, argv[2], strcmp(argv[1], "show") == 0,
	    &m);
	if (r != 0) {
		g_free(what);
		return r;
	}
	if (strcmp(argv[1], "show") == 0) {
		printf("message %" G_GINT64_FORMAT ": %s\nreason: %s\n"
		    "raw: %s\n\n", m->id, m->sender, m->reason, m->raw_path);
		if (g_file_get_contents(m->raw_path, &raw, NULL, NULL)) {
			/* The header block only: the body may be anything. */
			if (strstr(raw, "\n\n") != NULL)
				*strstr(raw, "\n\n") = '\0';
			if (strstr(raw, "\r\n\r\n") != NULL)
				*strstr(raw, "\r\n\r\n") = '\0';
			cause = cmd_quarantine_headers(raw);
			printf("%s", cause);
			g_free(cause);
			g_free(raw);
		}
		msgrow_free(m);
		g_free(what);
		return 0;
	}
	if (strcmp(argv[1], "drop") == 0) {
		r = store_message_redo(n->store, m->id, m->disposition,
		    m->reason, m->case_id, "dropped", &cause);
		if (r == 0)
			printf("message %" G_GINT64_FORMAT ": dropped (kept: "
			    "%s)\n", m->id, m->reason);
	} else {
		n->actor = g_get_user_name();
		r = intake_release(n, m, &cause) == INTAKE_RECORDED ? 0 : -1;
		msgrow_free(m);
		m = NULL;
		if (r == 0 && store_message_get(n->store,
		    (int64_t)atoll(argv[2]), &m, &cause) < 0) {
			/* Released and committed: only its outcome is not
			 * shown. */
			log_warn("quarantine release %s: %s", argv[2], cause);
			g_free(cause);
			cause = NULL;
		}
		if (r == 0 && m != NULL) {
			printf("message %" G_GINT64_FORMAT ": released: %s "
			    "(%s)%s%s\n", m->id, m->disposition, m->reason,
			    m->case_id != NULL ? " case " : "",
			    m->case_id != NULL ? m->case_id : "");
			cmd_deliver(n);
		}
	}
	if (r != 0)
		r = cmd_store_failed(what, cause);
	g_free(what);
	msgrow_free(m);
	return r;
}
