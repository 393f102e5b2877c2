/* post.c: the one way every letter takes, whatever its kind: looked up in
 * the letter table, its values checked against it, held back by the daily
 * cap, rendered from its template, built, and queued as a row of the
 * store with an event in its case. */

#include <string.h>

#include "case.h"
#include "conf.h"
#include "letter.h"
#include "letterkind.h"
#include "nintei.h"
#include "store.h"
#include "template.h"

/*
 * Has an address of the letter had the configured number of letters in
 * the last 24 hours (SPEC §4)?  Then no letter: an event says so.
 * Returns 1 when capped, 0 when not, -1 on a store failure.
 */
static int
post_capped(struct nintei *n, const struct post *p, char **cause)
{
	GDateTime	*now, *since;
	char		*iso, *detail;
	const char	*who[2] = { p->to, p->cc };
	int		 i, count;

	if (n->conf->letters_per_day <= 0)
		return 0;
	now = clock_now(n->conf);
	since = g_date_time_add_hours(now, -24);
	iso = clock_iso(since);
	g_date_time_unref(since);
	g_date_time_unref(now);
	for (i = 0; i < 2; i++) {
		if (who[i] == NULL || *who[i] == '\0')
			continue;
		count = store_letters_to_since(n->store, who[i], iso);
		if (count < n->conf->letters_per_day)
			continue;
		detail = g_strdup_printf("%s を送りません：%s には 24 時間で "
		    "%d 通送っています（上限 %d 通）", p->kind, who[i], count,
		    n->conf->letters_per_day);
		g_free(iso);
		i = 1;
		if (p->case_id != NULL && case_event(n, p->case_id,
		    "letter_capped", NULL, NULL, detail, 0, 0, cause) < 0)
			i = -1;
		log_warn("case %s: %s", p->case_id != NULL ? p->case_id : "-",
		    detail);
		g_free(detail);
		return i;
	}
	g_free(iso);
	return 0;
}

/*
 * Queues a letter: the kind's template rendered with p's values, to p's
 * addresses, threaded to what it answers.  Returns the letter's id, 0
 * when the cap held it back (recorded as an event), or -1 on a store or
 * template failure.
 */
int64_t
post_letter(struct nintei *n, const struct post *p, char **cause)
{
	const struct letterkind	*k;
	struct tvars		*known;
	struct letter		*l;
	struct letterrow	 row;
	char			*text, *rcpt, *extra;
	int64_t			 id;
	int			 r;

	if ((k = letterkind_find(p->kind)) == NULL) {
		*cause = g_strdup_printf("no letter of kind \"%s\" in the "
		    "letter table", p->kind);
		return -1;
	}
	/* The table says what a letter provides: a value set here but
	 * missing there would escape `rules check`. */
	known = letterkind_values(k);
	extra = tvars_extra(p->tv, known);
	tvars_free(known);
	if (extra != NULL) {
		*cause = g_strdup_printf("letter %s: the value {%s} is not "
		    "in the letter table (letterkind.c)", p->kind, extra);
		g_free(extra);
		return -1;
	}
	if ((r = post_capped(n, p, cause)) != 0)
		return r < 0 ? -1 : 0;
	if ((text = letter_template(n->conf, p->scheme, k->template,
	    cause)) == NULL)
		return -1;
	l = letter_build(n->conf, p->kind, text, p->tv, p->to, p->cc,
	    p->answers, cause);
	g_free(text);
	if (l == NULL)
		return -1;
	memset(&row, 0, sizeof row);
	rcpt = l->cc != NULL ? g_strdup_printf("%s, %s", l->to, l->cc) :
	    g_strdup(l->to);
	row.case_id = (char *)p->case_id;
	row.kind = (char *)p->kind;
	row.message_id = l->message_id;
	row.answers = p->answers != NULL ? p->answers->row : 0;
	row.rcpt = rcpt;
	row.subject = l->subject;
	row.raw = l->raw;
	row.created_at = clock_now_iso(n->conf);
	id = store_letter_add(n->store, &row, cause);
	if (id > 0 && p->case_id != NULL && case_event(n, p->case_id,
	    "letter", NULL, NULL, p->kind, 0, id, cause) < 0)
		id = -1;
	/* A letter that could not go out in ISO-2022-JP: said so. */
	if (id > 0 && l->fallback != NULL) {
		log_info("letter %s to %s: %s", p->kind, l->to, l->fallback);
		if (p->case_id != NULL && case_event(n, p->case_id,
		    "letter_charset", NULL, NULL, l->fallback, 0, id,
		    cause) < 0)
			id = -1;
	}
	g_free(row.created_at);
	g_free(rcpt);
	letter_free(l);
	return id;
}
