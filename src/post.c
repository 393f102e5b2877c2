/* post.c: the one way every letter takes, whatever its kind: looked up in
 * the letter table, its values checked against it, rendered from its
 * template, built, and queued as a row of the store with an event in its
 * case; over the daily cap it is held (never dropped), and a template
 * error keeps it as failed with its values until the template is fixed. */

#include <string.h>

#include "case.h"
#include "conf.h"
#include "event.h"
#include "letter.h"
#include "letterkind.h"
#include "nintei.h"
#include "store.h"
#include "template.h"

/* The ISO time (UTC) 24 hours before now: the cap's window. */
static char *
post_window(struct nintei *n)
{
	GDateTime	*now, *since;
	char		*iso;

	now = clock_now(n->conf);
	since = g_date_time_add_hours(now, -24);
	iso = clock_iso(since);
	g_date_time_unref(since);
	g_date_time_unref(now);
	return iso;
}

/*
 * Has an address of rcpt (", "-separated) had the configured number of
 * letters in the last 24 hours (SPEC §4)?  Then *why is the reason the
 * letter waits, in the staff's words; else NULL.  0, or -1 with *cause.
 */
static int
post_over_cap(struct nintei *n, const char *rcpt, char **why, char **cause)
{
	char	**who, *since;
	int	  i, count, r = 0;

	*why = NULL;
	if (n->conf->letters_per_day <= 0)
		return 0;
	since = post_window(n);
	who = g_strsplit(rcpt, ", ", -1);
	for (i = 0; who[i] != NULL && *why == NULL && r == 0; i++) {
		if (*who[i] == '\0')
			continue;
		if ((r = store_letters_to_since(n->store, who[i], since,
		    &count, cause)) == 0 && count >= n->conf->letters_per_day)
			*why = g_strdup_printf("%s には 24 時間で %d 通送りました"
			    "（上限 %d 通）：枠が空きしだい送ります", who[i],
			    count, n->conf->letters_per_day);
	}
	g_strfreev(who);
	g_free(since);
	return r;
}

/* The addresses of a letter: to, and cc unless it is the same. */
static char *
post_rcpt(const struct post *p)
{
	if (p->cc != NULL && letter_addr_ok(p->cc) &&
	    g_ascii_strcasecmp(p->cc, p->to) != 0)
		return g_strdup_printf("%s, %s", p->to, p->cc);
	return g_strdup(p->to);
}

/* A render error as file:line: message ("templates/fee.txt:4: unknown
 * value {compnay}"). */
static char *
post_where(const char *path, const char *err)
{
	const char	*p;

	if (g_str_has_prefix(err, "line ")) {
		p = err + strlen("line ");
		return g_strdup_printf("%s:%s", path, p);
	}
	if (g_str_has_prefix(err, "template "))
		return g_strdup(err + strlen("template "));
	return g_strdup_printf("%s:1: %s", path, err);
}

/*
 * Renders and builds the letter of p; NULL with *error (file:line) when
 * the template cannot be read or rendered: a configuration error.
 */
static struct letter *
post_render(struct nintei *n, const struct post *p,
    const struct letterkind *k, const char *message_id, char **error)
{
	struct letter	*l;
	struct tvars	*tv;
	char		*text, *path = NULL, *err = NULL;

	if (p->body != NULL) {
		/* Sent again: the text as it went, the tag already in. */
		tv = tvars_new();
		tvars_set(tv, "subject", p->subject);
		tvars_set(tv, "body", p->body);
		l = letter_build(n->conf, p->kind, message_id,
		    "件名: {subject}\n\n{body}", tv, p->to, p->cc, p->answers,
		    error);
		tvars_free(tv);
		return l;
	}
	if ((text = letter_template(n->conf, p->scheme, k->template, &path,
	    &err)) == NULL) {
		*error = post_where(path != NULL ? path : k->template, err);
		g_free(err);
		g_free(path);
		return NULL;
	}
	l = letter_build(n->conf, p->kind, message_id, text, p->tv, p->to,
	    p->cc, p->answers, &err);
	g_free(text);
	if (l == NULL) {
		*error = post_where(path, err);
		g_free(err);
	}
	g_free(path);
	return l;
}

/*
 * Says that letter id went out in UTF-8 although [letters] charset is
 * iso-2022-jp (a character outside JIS X 0208): in the log and as an
 * event of its case.  Returns -1 on a store failure.
 */
static int
post_charset(struct nintei *n, const char *case_id, const struct letter *l,
    int64_t id, char **cause)
{
	if (l == NULL || l->fallback == NULL)
		return 0;
	log_info("letter %s (%s): %s", l->message_id, l->kind, l->fallback);
	if (case_id != NULL && case_event(n, case_id, EVENT_LETTER_CHARSET,
	    NULL, NULL, l->fallback, 0, id, cause) < 0)
		return -1;
	return 0;
}

/* Says that a letter could not be rendered: in the log (and so on stderr
 * for cron), counted for the run's exit status. */
static void
post_config_error(struct nintei *n, const char *case_id, const char *kind,
    const char *error)
{
	n->config_errors++;
	log_warn("letter %s%s%s not written: %s (fix the template; `nintei "
	    "send` or the next poll writes and sends it)", kind, case_id !=
	    NULL ? " of case " : "", case_id != NULL ? case_id : "", error);
}

/*
 * Queues a letter: the kind's template rendered with p's values, to p's
 * addresses, threaded to what it answers; held when the daily cap is
 * reached, kept as failed (with its values) when the template has an
 * error.  Returns the letter's id, or -1 on a store failure or a value
 * the letter table lacks.
 */
int64_t
post_letter(struct nintei *n, const struct post *p, char **cause)
{
	const struct letterkind	*k;
	struct tvars		*known;
	struct letter		*l;
	struct letterrow	 row;
	GVariant		*v;
	char			*extra, *error = NULL, *mid, *rcpt;
	int64_t			 id;

	if ((k = letterkind_find(p->kind)) == NULL) {
		*cause = g_strdup_printf("no letter of kind \"%s\" in the "
		    "letter table", p->kind);
		return -1;
	}
	/* The table says what a letter provides: a value set here but
	 * missing there would escape `rules check`. */
	known = letterkind_values(k);
	extra = p->tv != NULL ? tvars_extra(p->tv, known) : NULL;
	tvars_free(known);
	if (extra != NULL) {
		*cause = g_strdup_printf("letter %s: the value {%s} is not "
		    "in the letter table (letterkind.c)", p->kind, extra);
		g_free(extra);
		return -1;
	}
	if (!letter_addr_ok(p->to)) {
		*cause = g_strdup_printf("no usable address to write to (%s)",
		    p->to != NULL ? p->to : "none");
		return -1;
	}
	memset(&row, 0, sizeof row);
	mid = letter_message_id(n->conf, p->kind);
	rcpt = post_rcpt(p);
	row.case_id = (char *)p->case_id;
	row.kind = (char *)p->kind;
	row.answers = p->answers != NULL ? p->answers->row : 0;
	row.rcpt = rcpt;
	row.created_at = clock_now_iso(n->conf);
	row.scheme = (char *)p->scheme;
	row.resends = p->resends;
	/* The cap read first: nothing is written after a failed read. */
	if (post_over_cap(n, rcpt, &row.held, cause) != 0) {
		g_free(row.created_at);
		g_free(rcpt);
		g_free(mid);
		return -1;
	}
	if ((l = post_render(n, p, k, mid, &error)) == NULL &&
	    p->body != NULL) {
		/* No template in it: nothing the secretariat could fix. */
		*cause = error;
		g_free(row.held);
		g_free(row.created_at);
		g_free(rcpt);
		g_free(mid);
		return -1;
	}
	if (l != NULL) {
		row.message_id = l->message_id;
		row.subject = l->subject;
		row.raw = l->raw;
		row.state = (char *)(row.held != NULL ? "held" : "queued");
	} else {
		/* Nothing lost: the values wait for the template's fix. */
		row.message_id = mid;
		row.subject = (char *)k->label;
		row.raw = g_bytes_new_static("", 0);
		v = g_variant_ref_sink(tvars_to_variant(p->tv));
		row.vars = g_variant_get_data_as_bytes(v);
		g_variant_unref(v);
		row.state = (char *)"failed";
		row.last_error = error;
		g_free(row.held);
		row.held = NULL;
	}
	id = store_letter_add(n->store, &row, cause);
	if (id > 0 && p->case_id != NULL && case_event(n, p->case_id,
	    EVENT_LETTER, NULL, NULL, p->kind, 0, id, cause) < 0)
		id = -1;
	if (id > 0 && p->case_id != NULL && row.held != NULL && case_event(n,
	    p->case_id, EVENT_LETTER_HELD, NULL, NULL, row.held, 0, id,
	    cause) < 0)
		id = -1;
	if (id > 0 && p->case_id != NULL && error != NULL && case_event(n,
	    p->case_id, EVENT_LETTER_FAILED, NULL, NULL, error, 0, id,
	    cause) < 0)
		id = -1;
	if (id > 0 && row.held != NULL)
		log_info("letter %s%s%s held: %s", p->kind, p->case_id != NULL ?
		    " of case " : "", p->case_id != NULL ? p->case_id : "",
		    row.held);
	if (id > 0 && error != NULL)
		post_config_error(n, p->case_id, p->kind, error);
	if (l == NULL) {
		g_bytes_unref(row.raw);
		g_bytes_unref(row.vars);
	}
	g_free(row.held);
	if (id > 0 && post_charset(n, p->case_id, l, id, cause) < 0)
		id = -1;
	g_free(row.created_at);
	g_free(error);
	g_free(rcpt);
	g_free(mid);
	letter_free(l);
	return id;
}

/* What a letter kept for later answers: the message it was to answer; 0,
 * or -1 with *cause. */
static int
post_answers(struct nintei *n, const struct letterrow *lr, struct answer *a,
    char **cause)
{
	struct msgrow	*m = NULL;
	char		**ids;
	size_t		 i;

	memset(a, 0, sizeof *a);
	if (lr->answers > 0 && store_message_get(n->store, lr->answers, &m,
	    cause) < 0)
		return -1;
	if (m == NULL)
		return 0;
	a->row = m->id;
	a->message_id = g_strdup(m->message_id);
	a->references = g_ptr_array_new_with_free_func(g_free);
	ids = g_strsplit(m->refs != NULL ? m->refs : "", " ", -1);
	for (i = 0; ids[i] != NULL; i++) {
		if (*ids[i] != '\0')
			g_ptr_array_add(a->references, g_strdup(ids[i]));
	}
	g_strfreev(ids);
	msgrow_free(m);
	return 0;
}

/*
 * Renders a letter kept as failed by a template error, now that the
 * template may be fixed: on success it is queued (or held by the cap),
 * else the error stays and is said again.  Returns -1 on a store failure.
 */
static int
post_rerender(struct nintei *n, const struct letterrow *lr, char **cause)
{
	const struct letterkind	*k = letterkind_find(lr->kind);
	struct post		 p;
	struct answer		 a;
	struct letter		*l;
	GVariant		*v;
	char			*error = NULL, **addrs, *held, *now;
	int			 r;

	v = g_variant_new_from_bytes(G_VARIANT_TYPE("a{sv}"), lr->vars, FALSE);
	g_variant_ref_sink(v);
	memset(&p, 0, sizeof p);
	p.tv = k != NULL ? tvars_from_variant(v) : NULL;
	g_variant_unref(v);
	if (p.tv == NULL) {
		post_config_error(n, lr->case_id, lr->kind, "the letter's "
		    "values cannot be read back");
		return 0;
	}
	addrs = g_strsplit(lr->rcpt, ", ", 2);
	p.kind = lr->kind;
	p.case_id = lr->case_id;
	p.scheme = lr->scheme;
	p.to = addrs[0];
	p.cc = addrs[0] != NULL ? addrs[1] : NULL;
	p.answers = &a;
	held = NULL;
	/* Read first: nothing is written after a failed read. */
	if (post_answers(n, lr, &a, cause) != 0 || post_over_cap(n, lr->rcpt,
	    &held, cause) != 0) {
		answer_clear(&a);
		g_strfreev(addrs);
		tvars_free(p.tv);
		return -1;
	}
	r = 0;
	if ((l = post_render(n, &p, k, lr->message_id, &error)) == NULL) {
		post_config_error(n, lr->case_id, lr->kind, error);
		if (lr->last_error == NULL || strcmp(lr->last_error, error))
			r = store_letter_done(n->store, lr->id, "failed", NULL,
			    error, cause);
	} else {
		now = clock_now_iso(n->conf);
		r = store_letter_rendered(n->store, lr->id, l->subject, l->raw,
		    held, now, cause);
		if (r == 0 && lr->case_id != NULL && case_event(n, lr->case_id,
		    held != NULL ? EVENT_LETTER_HELD : EVENT_LETTER_RENDERED,
		    NULL, NULL, held != NULL ? held :
		    "テンプレートの修正後に作成しました",
		    0, lr->id, cause) < 0)
			r = -1;
		if (r == 0 && post_charset(n, lr->case_id, l, lr->id,
		    cause) < 0)
			r = -1;
		log_info("letter %s (%s) written after the template's fix%s",
		    lr->message_id, lr->kind, held != NULL ? ", held" : "");
		g_free(now);
	}
	g_free(held);
	letter_free(l);
	answer_clear(&a);
	g_strfreev(addrs);
	g_free(error);
	tvars_free(p.tv);
	return r;
}

/* Runs one change of post_due in its own transaction; 0, or -1 after
 * saying what failed. */
static int
post_one(struct nintei *n, const struct letterrow *lr,
    int (*fn)(struct nintei *, const struct letterrow *, char **))
{
	char	*cause = NULL;

	if (store_begin(n->store, &cause) == 0) {
		if (fn(n, lr, &cause) == 0 &&
		    store_commit(n->store, &cause) == 0)
			return 0;
		store_rollback(n->store);
	}
	log_warn("letter %s: %s", lr->message_id, cause != NULL ? cause :
	    "?");
	g_free(cause);
	return -1;
}

/* Releases a held letter: queued now, counted against the cap from now. */
static int
post_release(struct nintei *n, const struct letterrow *lr, char **cause)
{
	char	*now = clock_now_iso(n->conf);
	int	 r;

	r = store_letter_admit(n->store, lr->id, now, cause);
	g_free(now);
	if (r == 0 && lr->case_id != NULL && case_event(n, lr->case_id,
	    EVENT_LETTER_RELEASED, NULL, NULL, n->actor != NULL &&
	    strcmp(n->actor, "nintei") != 0 ? "職員が送信を指示しました" :
	    "24 時間の上限の枠が空いたため送ります", 0, lr->id, cause) < 0)
		r = -1;
	return r;
}

/*
 * Before a delivery run: letters a template error kept are rendered
 * again, and held letters whose addresses the 24-hour window allows
 * again are released, oldest first.  Each change is its own transaction.
 * A failure of the store stops it (said, and -1): the letters stay as
 * they are for the next run.
 */
int
post_due(struct nintei *n)
{
	GPtrArray		*rows;
	struct letterrow	*lr;
	char			*why, *cause = NULL;
	guint			 i;
	int			 r;

	r = store_letters_in(n->store, "failed", 0, 0, &rows, &cause);
	for (i = 0; r == 0 && i < rows->len; i++) {
		lr = g_ptr_array_index(rows, i);
		if (lr->vars != NULL)
			r = post_one(n, lr, post_rerender);
	}
	g_ptr_array_free(rows, TRUE);
	if (r != 0)
		goto out;
	r = store_letters_in(n->store, "held", 0, 0, &rows, &cause);
	for (i = 0; r == 0 && i < rows->len; i++) {
		lr = g_ptr_array_index(rows, i);
		if ((r = post_over_cap(n, lr->rcpt, &why, &cause)) == 0 &&
		    why == NULL)
			r = post_one(n, lr, post_release);
		g_free(why);
	}
	g_ptr_array_free(rows, TRUE);
out:
	if (cause != NULL) {
		log_warn("letters: %s", cause);
		g_free(cause);
	}
	return r;
}

/*
 * Staff release a held letter at once, whatever the cap; returns -1 with
 * *cause when it is not held.
 */
int
post_release_now(struct nintei *n, const struct letterrow *lr, char **cause)
{
	if (strcmp(lr->state, "held") != 0) {
		*cause = g_strdup_printf("letter %" G_GINT64_FORMAT " is %s, "
		    "not held", lr->id, lr->state);
		return -1;
	}
	return post_release(n, lr, cause);
}
