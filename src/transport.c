/* transport.c: picks the transport for a URL and works the letter queue:
 * a letter leaves the queue only once the transport took it; temporary
 * failures come back later, with a growing wait. */

#include <string.h>

#include "conf.h"
#include "nintei.h"
#include "source.h"
#include "store.h"

static const struct transport *transport_all[] = {
	&transport_maildir,
	&transport_smtp,
	&transport_smtps,
	NULL
};

const struct transport *
transport_find(const char *url, const char **rest)
{
	size_t	i, len;

	for (i = 0; transport_all[i] != NULL; i++) {
		len = strlen(transport_all[i]->scheme);
		if (strncmp(url, transport_all[i]->scheme, len) == 0 &&
		    url[len] == ':') {
			*rest = url + len + 1;
			return transport_all[i];
		}
	}
	return NULL;
}

/* Minutes to wait after the nth failed attempt: 5, 15, 60, 240, 720. */
static int
transport_backoff(int64_t attempts)
{
	static const int waits[] = { 5, 15, 60, 240, 720 };

	if (attempts < 0)
		attempts = 0;
	if (attempts >= (int64_t)G_N_ELEMENTS(waits))
		return waits[G_N_ELEMENTS(waits) - 1];
	return waits[attempts];
}

/* The time (ISO, UTC) before which a letter still queued is stuck:
 * [transport] stuck_after ago. */
char *
transport_stuck_before(struct nintei *n)
{
	GDateTime	*now, *then;
	char		*iso;

	now = clock_now(n->conf);
	then = g_date_time_add_seconds(now, -(gdouble)n->conf->stuck_after);
	iso = clock_iso(then);
	g_date_time_unref(then);
	g_date_time_unref(now);
	return iso;
}

/* Reports every letter queued for longer than [transport] stuck_after
 * since it went on its way; on each run, so that cron mails it until
 * someone acts.  0, or -1 with *cause. */
static int
transport_report_stuck(struct nintei *n, char **cause)
{
	GPtrArray		*stuck;
	struct letterrow	*l;
	char			*before;
	guint			 i;
	int			 r;

	before = transport_stuck_before(n);
	r = store_letters_stuck(n->store, before, &stuck, cause);
	for (i = 0; i < stuck->len; i++) {
		l = g_ptr_array_index(stuck, i);
		log_warn("letter %s (case %s) to %s is stuck: queued since %s, "
		    "%" G_GINT64_FORMAT " attempt(s), last: %s", l->message_id,
		    l->case_id != NULL ? l->case_id : "-", l->rcpt,
		    l->queued_at, l->attempts, l->last_error != NULL ?
		    l->last_error : "not tried yet");
	}
	g_ptr_array_free(stuck, TRUE);
	g_free(before);
	return r;
}

/* Letters read from the queue at a time. */
#define TRANSPORT_PAGE	100

/* Records an attempt to deliver a letter: r as deliver returned it. */
static void
transport_record(struct nintei *n, const struct letterrow *l, int r,
    const char *dcause, GDateTime *now, const char *nowiso, int *sent,
    int *failed)
{
	GDateTime	*later;
	char		*when, *err = NULL;

	if (r == 0) {
		/* Sent, perhaps with a note (recipients refused). */
		store_letter_done(n->store, l->id, "sent", nowiso, dcause,
		    &err);
		if (dcause != NULL)
			log_warn("letter %s to %s: %s", l->message_id, l->rcpt,
			    dcause);
		(*sent)++;
	} else if (r == -1) {
		later = g_date_time_add_minutes(now,
		    transport_backoff(l->attempts));
		when = clock_iso(later);
		g_date_time_unref(later);
		store_letter_done(n->store, l->id, "queued", when, dcause,
		    &err);
		log_warn("letter %s to %s: %s (trying again at %s)",
		    l->message_id, l->rcpt, dcause, when);
		g_free(when);
		(*failed)++;
	} else {
		store_letter_done(n->store, l->id, "failed", nowiso, dcause,
		    &err);
		log_warn("letter %s to %s refused: %s", l->message_id, l->rcpt,
		    dcause);
		(*failed)++;
	}
	if (err != NULL) {
		log_warn("letter %s: %s", l->message_id, err);
		g_free(err);
	}
}

/*
 * Delivers a page of letters to a transport that syncs: all delivered,
 * then made durable at once, then recorded in one transaction.  A crash
 * before the commit leaves them queued; the next run finds them already
 * delivered (the transport knows its letters by name) and records them.
 * If the sync fails, none of them counts as delivered.
 */
static void
transport_page(struct nintei *n, const struct transport *t, void *td,
    GPtrArray *due, GDateTime *now, const char *nowiso, int *sent,
    int *failed)
{
	int		*r = g_new0(int, due->len);
	char		**dcause = g_new0(char *, due->len), *scause = NULL;
	char		*err = NULL;
	guint		 i;
	int		 tx;

	for (i = 0; i < due->len; i++)
		r[i] = t->deliver(td, g_ptr_array_index(due, i), &dcause[i]);
	if (t->sync(td, &scause) != 0) {
		for (i = 0; i < due->len; i++) {
			if (r[i] != 0)
				continue;
			r[i] = -1;
			g_free(dcause[i]);
			dcause[i] = g_strdup(scause);
		}
		g_free(scause);
	}
	if ((tx = store_begin(n->store, &err)) != 0) {
		/* Each record commits on its own, then. */
		log_warn("send: %s", err);
		g_free(err);
		err = NULL;
	}
	for (i = 0; i < due->len; i++) {
		transport_record(n, g_ptr_array_index(due, i), r[i], dcause[i],
		    now, nowiso, sent, failed);
		g_free(dcause[i]);
	}
	if (tx == 0 && store_commit(n->store, &err) != 0) {
		log_warn("send: %s (recorded on the next run)", err);
		g_free(err);
	}
	g_free(dcause);
	g_free(r);
}

/*
 * Delivers every queued letter that is due, a page of the queue at a time
 * (a backlog's tens of thousands of letters are not held in memory); each
 * letter recorded as it goes, or each page at once for a transport that
 * syncs.
 * Counts what left and what failed; returns -1 with *cause when the
 * transport could not be opened or the store not read (what was not
 * delivered stays queued).
 */
int
transport_send_queue(struct nintei *n, int *sent, int *failed, char **cause)
{
	const struct transport	*t;
	const char		*rest;
	void			*td = NULL;
	GPtrArray		*due;
	struct letterrow	*l;
	GDateTime		*now;
	char			*nowiso, *dcause;
	int64_t			 after = 0;
	guint			 i;
	int			 r, status = 0;

	*sent = *failed = 0;
	if ((t = transport_find(n->conf->transport_url, &rest)) == NULL) {
		*cause = g_strdup_printf("[transport] url: unknown transport "
		    "\"%s\"", n->conf->transport_url);
		return -1;
	}
	now = clock_now(n->conf);
	nowiso = clock_iso(now);
	for (;;) {
		if (store_letters_due(n->store, nowiso, after, TRANSPORT_PAGE,
		    &due, cause) != 0) {
			status = -1;
			g_ptr_array_free(due, TRUE);
			break;
		}
		if (due->len == 0 || (td == NULL &&
		    (td = t->open(n, rest, cause)) == NULL)) {
			status = due->len == 0 ? 0 : -1;
			g_ptr_array_free(due, TRUE);
			break;
		}
		if (t->sync != NULL)
			transport_page(n, t, td, due, now, nowiso, sent,
			    failed);
		for (i = 0; t->sync == NULL && i < due->len; i++) {
			l = g_ptr_array_index(due, i);
			dcause = NULL;
			r = t->deliver(td, l, &dcause);
			transport_record(n, l, r, dcause, now, nowiso, sent,
			    failed);
			g_free(dcause);
		}
		l = g_ptr_array_index(due, due->len - 1);
		after = l->id;
		g_ptr_array_free(due, TRUE);
	}
	if (td != NULL)
		t->close(td);
	/* Whatever happened, what has waited too long is said. */
	if (status == 0)
		status = transport_report_stuck(n, cause);
	else if (transport_report_stuck(n, &dcause) != 0)
		g_free(dcause);
	g_free(nowiso);
	g_date_time_unref(now);
	return status;
}
