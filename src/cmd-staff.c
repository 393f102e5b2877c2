/* cmd-staff.c: the secretariat's actions on a case (paid, approve, reject,
 * withdraw, note), each one transaction with an event naming who acted
 * and a letter where the applicant must hear of it. */

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case.h"
#include "cert.h"
#include "certs.h"
#include "check.h"
#include "cmd.h"
#include "conf.h"
#include "event.h"
#include "intake.h"
#include "letter.h"
#include "rules.h"
#include "state.h"
#include "store.h"
#include "template.h"
#include "value.h"

struct staff {
	const char	*by;
	const char	*date;
	const char	*amount;
	const char	*reason;
	const char	*case_id;
	const char	*text;		/* note */
	int		 second;	/* approve: a second certification
					   of the service is meant */
};

/*
 * Parses the options every staff action takes (--by, --date) and its
 * own; fills st.  --second-certification is taken only where the usage
 * names it (approve).  Returns 0, or -1 after printing the usage.
 */
static int
staff_options(int argc, char **argv, const char *usage, int want_text,
    struct staff *st)
{
	static const struct option longopts[] = {
		{ "by", required_argument, NULL, 'b' },
		{ "date", required_argument, NULL, 'd' },
		{ "amount", required_argument, NULL, 'a' },
		{ "reason", required_argument, NULL, 'r' },
		{ "second-certification", no_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 }
	};
	int	ch;

	memset(st, 0, sizeof *st);
	optind = 0;
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 'b':
			st->by = optarg;
			break;
		case 'd':
			st->date = optarg;
			break;
		case 'a':
			st->amount = optarg;
			break;
		case 'r':
			st->reason = optarg;
			break;
		case 's':
			if (strstr(usage, "--second-certification") != NULL) {
				st->second = 1;
				break;
			}
			/* FALLTHROUGH */
		default:
			fprintf(stderr, "usage: nintei %s\n", usage);
			return -1;
		}
	}
	if (optind < argc)
		st->case_id = argv[optind++];
	if (want_text && optind < argc)
		st->text = argv[optind++];
	if (st->case_id == NULL || optind != argc ||
	    (want_text && (st->text == NULL || *st->text == '\0'))) {
		fprintf(stderr, "usage: nintei %s\n", usage);
		return -1;
	}
	return 0;
}

/* Is a reason missing or only blanks (ASCII or full-width)? */
static int
staff_blank(const char *reason)
{
	char	*t;
	int	 blank;

	if (reason == NULL)
		return 1;
	t = value_trim(reason);
	blank = *t == '\0';
	g_free(t);
	return blank;
}

/* Applies --by and --date to the run: a date after today (in the
 * secretariat's zone) is refused. */
static int
staff_setup(struct nintei *n, const struct staff *st)
{
	char	*today;
	int	 r = 0;

	n->actor = st->by != NULL ? st->by : g_get_user_name();
	if (st->date == NULL)
		return 0;
	today = clock_today(n->conf);
	if (clock_set_date(n->conf, st->date) != 0) {
		fprintf(stderr, "nintei: --date %s is not a date "
		    "(YYYY-MM-DD)\n", st->date);
		r = -1;
	} else if (strcmp(st->date, today) > 0) {
		fprintf(stderr, "nintei: --date %s is after today (%s); "
		    "nothing changed\n", st->date, today);
		r = -1;
	}
	g_free(today);
	return r;
}

/*
 * The day of the case's latest event, in the secretariat's zone (with
 * what it was, in *what), or NULL when it has none: an action may not be
 * dated before it.  0 with *day, or -1 with *cause.
 */
static int
staff_latest_day(struct nintei *n, const char *case_id, char **day,
    char **what, char **cause)
{
	GPtrArray	*events;
	struct eventrow	*e, *latest = NULL;
	GDateTime	*dt;
	guint		 i;

	*day = NULL;
	if (store_events(n->store, case_id, &events, cause) != 0) {
		g_ptr_array_free(events, TRUE);
		return -1;
	}
	for (i = 0; i < events->len; i++) {
		e = g_ptr_array_index(events, i);
		if (latest == NULL || strcmp(e->at, latest->at) > 0)
			latest = e;
	}
	if (latest != NULL && (dt = clock_parse(n->conf, latest->at)) !=
	    NULL) {
		*day = g_date_time_format(dt, "%Y-%m-%d");
		*what = g_strdup(latest->to_state != NULL ?
		    state_label(latest->to_state) : latest->detail !=
		    NULL ? latest->detail : latest->kind);
		g_date_time_unref(dt);
	}
	g_ptr_array_free(events, TRUE);
	return 0;
}

/* Queues a staff letter of the case. */
static int64_t
staff_letter(struct nintei *n, struct caserow *c, const char *kind,
    struct tvars *tv, char **cause)
{
	struct answer	 a;
	int64_t		 id;

	if (case_answer(n, c->id, &a, cause) != 0)
		return -1;
	tvars_set(tv, "scheme", rules_scheme_name(n->rules, c->scheme, ""));
	id = case_letter(n, c, kind, tv, &a, cause);
	answer_clear(&a);
	return id;
}

/* The store failed under an action: "nintei: paid 2026-0012: cause",
 * nothing changed, exit 75. */
static int
staff_store_failed(const char *action, const char *case_id, char *cause)
{
	char	*what = g_strdup_printf("%s %s", action, case_id);
	int	 r = cmd_store_failed(what, cause);

	g_free(what);
	return r;
}

/*
 * Runs one action in a transaction: the case must be in one of the states
 * the action allows; fn does the work.  Prints what happened.
 */
static int
staff_run(struct nintei *n, const struct staff *st, const char *action,
    int (*fn)(struct nintei *, struct caserow *, const struct staff *,
    char **))
{
	struct caserow	*c;
	char		*cause = NULL, *needs, *latest = NULL, *what = NULL;
	char		*canon;
	int		 r;

	if (nintei_rules(n, &cause) == NULL) {
		fprintf(stderr, "nintei: %s\n", cause);
		g_free(cause);
		return EX_CONFIG_;
	}
	if (store_begin(n->store, &cause) != 0) {
		fprintf(stderr, "nintei: %s\n", cause);
		g_free(cause);
		return EX_TEMPFAIL_;
	}
	canon = case_id_parse(st->case_id);
	r = store_case_read(n->store, canon != NULL ? canon : st->case_id,
	    &c, &cause);
	g_free(canon);
	if (r <= 0) {
		store_rollback(n->store);
		if (r < 0)
			return staff_store_failed(action, st->case_id, cause);
		fprintf(stderr, "nintei: no case %s\n", st->case_id);
		return EX_DATAERR_;
	}
	if (st->date != NULL && staff_latest_day(n, c->id, &latest, &what,
	    &cause) != 0) {
		store_rollback(n->store);
		r = staff_store_failed(action, c->id, cause);
		caserow_free(c);
		return r;
	}
	if (latest != NULL && strcmp(st->date, latest) < 0) {
		store_rollback(n->store);
		fprintf(stderr, "nintei: --date %s is before the latest event "
		    "of case %s (%s: %s); nothing changed\n", st->date, c->id,
		    latest, what);
		g_free(latest);
		g_free(what);
		caserow_free(c);
		return EX_DATAERR_;
	}
	g_free(latest);
	g_free(what);
	if ((needs = case_may(action, c->state)) != NULL) {
		store_rollback(n->store);
		fprintf(stderr, "nintei: case %s is %s (%s); %s needs %s; "
		    "nothing changed\n", c->id, c->state,
		    state_label(c->state), action, needs);
		g_free(needs);
		caserow_free(c);
		return EX_DATAERR_;
	}
	/* A failure of the store (a read or a write) is not the staff's
	 * mistake: nothing changed, try again (EX_TEMPFAIL). */
	r = fn(n, c, st, &cause);
	if (r == 0)
		r = store_commit(n->store, &cause);
	else
		store_rollback(n->store);
	if (r != 0 && store_failed(n->store)) {
		r = staff_store_failed(action, c->id, cause);
		caserow_free(c);
		return r;
	}
	if (r != 0) {
		fprintf(stderr, "nintei: %s %s: %s; nothing changed\n", action,
		    c->id, cause != NULL ? cause : "failed");
		g_free(cause);
		caserow_free(c);
		return EX_DATAERR_;
	}
	printf("%s: %s %s%s%s\n", c->id, c->state, state_label(c->state),
	    c->certification != NULL ? " " : "",
	    c->certification != NULL ? c->certification : "");
	caserow_free(c);
	cmd_deliver(n);
	return 0;
}

/* The total a case was billed: as recorded with its fee request, else
 * (a case from before nintei recorded it) from the rules; -1 when not
 * known.  0 with *billed and *paid, or -1 with *cause. */
static int
staff_billed(struct nintei *n, const struct caserow *c, int64_t *billed,
    int64_t *paid, char **cause)
{
	const struct scheme	*s;

	if (store_case_fee(n->store, c->id, billed, paid, cause) < 0)
		return -1;
	if (*billed > 0)
		return 0;
	if (c->scheme == NULL || n->rules == NULL ||
	    (s = rules_scheme(n->rules, c->scheme)) == NULL)
		*billed = -1;
	else
		*billed = review_fee_total(n->conf, c, s);
	return 0;
}

/*
 * A payment: --amount as written on the bank statement, else the rest of
 * the total billed.  The payments add up: the full total (or more: the
 * excess is recorded for staff) moves the case to under_review; less keeps
 * it awaiting_fee with the shortfall recorded.  The receipt says which.
 */
static int
staff_paid(struct nintei *n, struct caserow *c, const struct staff *st,
    char **cause)
{
	struct tvars	*tv;
	char		*detail, *today, *jp, *amount, *billed_s, *total_s,
			*diff_s, *tax_s;
	int64_t		 yen, billed, before, total;
	int		 r;

	if (staff_billed(n, c, &billed, &before, cause) != 0)
		return -1;
	if (st->amount != NULL) {
		if (value_yen(st->amount, &yen) != 0) {
			*cause = g_strdup_printf("--amount %s is not an amount "
			    "of yen; write it as %s", st->amount,
			    VALUE_YEN_FORMS);
			return -1;
		}
	} else if (billed < 0) {
		*cause = g_strdup("the total billed is not known (no fee "
		    "request): say what was paid with --amount");
		return -1;
	} else if ((yen = billed - before) <= 0)
		yen = billed;
	total = before + yen;
	amount = util_yen(yen);
	total_s = util_yen(total);
	billed_s = billed > 0 ? util_yen(billed) : NULL;
	diff_s = billed > 0 && total != billed ? util_yen(total > billed ?
	    total - billed : billed - total) : NULL;
	if (billed > 0 && total < billed)
		detail = g_strdup_printf("入金確認 %s円（累計 %s円／請求額 "
		    "%s円、不足 %s円）", amount, total_s, billed_s, diff_s);
	else if (billed > 0 && total > billed)
		detail = g_strdup_printf("入金確認 %s円（累計 %s円／請求額 "
		    "%s円、超過 %s円）", amount, total_s, billed_s, diff_s);
	else if (billed > 0)
		detail = g_strdup_printf("入金確認 %s円（累計 %s円／請求額 "
		    "%s円）", amount, total_s, billed_s);
	else
		detail = g_strdup_printf("入金確認 %s円", amount);
	r = store_case_set_fee(n->store, c->id, -1, total, cause);
	if (r == 0 && billed > 0 && total < billed)
		r = case_event(n, c->id, EVENT_PAYMENT, NULL, NULL, detail,
		    0, 0, cause) < 0 ? -1 : 0;
	else if (r == 0)
		r = case_set_state(n, c, STATE_UNDER_REVIEW, detail, 0, cause);
	g_free(detail);
	if (r == 0 && n->conf->receipt) {
		tv = case_vars(n, c);
		today = clock_today(n->conf);
		jp = clock_japanese_day(today);
		tvars_set(tv, "date", jp);
		tvars_set(tv, "amount", amount);
		review_issuer(n, tv);
		tvars_setf(tv, "tax_rate", "%d", n->conf->tax_rate);
		tax_s = util_yen(yen * n->conf->tax_rate /
		    (100 + n->conf->tax_rate));
		tvars_set(tv, "tax", tax_s);
		g_free(tax_s);
		if (billed_s != NULL)
			tvars_set(tv, "billed", billed_s);
		if (total != yen)
			tvars_set(tv, "paid_total", total_s);
		if (diff_s != NULL)
			tvars_set(tv, total < billed ? "shortfall" : "excess",
			    diff_s);
		r = staff_letter(n, c, "receipt", tv, cause) < 0 ? -1 : 0;
		tvars_free(tv);
		g_free(jp);
		g_free(today);
	}
	if (r == 0 && diff_s != NULL)
		printf("%s: paid %s円 of %s円 billed (%s円 in all): %s %s円\n",
		    c->id, amount, billed_s, total_s, total < billed ?
		    "still due" : "paid in excess", diff_s);
	g_free(amount);
	g_free(total_s);
	g_free(billed_s);
	g_free(diff_s);
	return r;
}

/* Did the case ever reach the committee (under_review)?  The rejection
 * letter then says the committee examined it, else not.  0 with *seen,
 * or -1 with *cause. */
static int
staff_reviewed(struct nintei *n, const struct caserow *c, int *seen,
    char **cause)
{
	GPtrArray	*events;
	struct eventrow	*e;
	guint		 i;

	*seen = strcmp(c->state, STATE_UNDER_REVIEW) == 0;
	if (store_events(n->store, c->id, &events, cause) != 0) {
		g_ptr_array_free(events, TRUE);
		return -1;
	}
	for (i = 0; i < events->len && !*seen; i++) {
		e = g_ptr_array_index(events, i);
		*seen = e->to_state != NULL &&
		    strcmp(e->to_state, STATE_UNDER_REVIEW) == 0;
	}
	g_ptr_array_free(events, TRUE);
	return 0;
}

static int
staff_reject(struct nintei *n, struct caserow *c, const struct staff *st,
    char **cause)
{
	struct tvars	*tv;
	int		 r, reviewed;

	if (staff_reviewed(n, c, &reviewed, cause) != 0)
		return -1;
	r = case_set_state(n, c, STATE_REJECTED, st->reason, 0, cause);
	if (r != 0)
		return -1;
	tv = case_vars(n, c);
	tvars_set(tv, "reason", st->reason);
	if (reviewed)
		tvars_set(tv, "reviewed", "yes");
	r = staff_letter(n, c, "rejection", tv, cause) < 0 ? -1 : 0;
	tvars_free(tv);
	return r;
}

static int
staff_withdraw(struct nintei *n, struct caserow *c, const struct staff *st,
    char **cause)
{
	struct tvars	*tv;
	char		*today, *jp, *yen;
	int64_t		 billed, paid;
	int		 r;

	/* Read before anything is written. */
	if (store_case_fee(n->store, c->id, &billed, &paid, cause) < 0)
		return -1;
	r = case_set_state(n, c, STATE_WITHDRAWN, st->reason != NULL ?
	    st->reason : "申請者による取下げ", 0, cause);
	if (r != 0)
		return -1;
	tv = case_vars(n, c);
	today = clock_today(n->conf);
	jp = clock_japanese_day(today);
	tvars_set(tv, "date", jp);
	/* The fee is spoken of only when some was paid. */
	if (paid > 0) {
		yen = util_yen(paid);
		tvars_set(tv, "fee_paid", yen);
		g_free(yen);
	}
	r = staff_letter(n, c, "withdrawal", tv, cause) < 0 ? -1 : 0;
	tvars_free(tv);
	g_free(today);
	g_free(jp);
	return r;
}

static int
staff_note(struct nintei *n, struct caserow *c, const struct staff *st,
    char **cause)
{
	return case_event(n, c->id, EVENT_NOTE, NULL, NULL, st->text, 0, 0,
	    cause) < 0 ? -1 : 0;
}

/* The applicant's mail needs no letter (answered by telephone, nothing to
 * answer): the case is its state's move again. */
static int
staff_handled(struct nintei *n, struct caserow *c, const struct staff *st,
    char **cause)
{
	int	owed;

	if (store_case_owed(n->store, c->id, &owed, cause) != 0)
		return -1;
	if (!owed) {
		*cause = g_strdup("no mail of the applicant waits for an answer "
		    "in this case");
		return -1;
	}
	return case_event(n, c->id, EVENT_HANDLED, NULL, NULL,
	    st->text != NULL ? st->text : "申請者のメールに対応済み", 0, 0,
	    cause) < 0 ? -1 : 0;
}

static int
staff_approve(struct nintei *n, struct caserow *c, const struct staff *st,
    char **cause)
{
	struct certrow	*cert = NULL;
	struct tvars	*tv;
	char		*jp, *dup;
	int		 r;

	if (certs_duplicate(n, c, &dup, cause) != 0)
		return -1;
	if (dup != NULL && !st->second) {
		*cause = g_strdup_printf("the service already holds a valid "
		    "certification, %s (perhaps this 新規 application is a "
		    "renewal or a change notice); if a second certification "
		    "is meant, approve with --second-certification", dup);
		g_free(dup);
		return -1;
	}
	if (dup != NULL) {
		jp = g_strdup_printf("2件目の認定として承認（同じサービスに有効な"
		    "認定 %s あり、--second-certification）", dup);
		g_free(dup);
		if (case_event(n, c->id, EVENT_NOTE, NULL, NULL, jp, 0, 0,
		    cause) < 0) {
			g_free(jp);
			return -1;
		}
		g_free(jp);
	}
	if (certs_approve(n, c, &cert, cause) != 0)
		return -1;
	r = case_set_state(n, c, STATE_APPROVED, cert->number, 0, cause);
	if (r == 0) {
		tv = case_vars(n, c);
		tvars_set(tv, "number", cert->number);
		jp = clock_japanese_day(cert->certified);
		tvars_set(tv, "certified", jp);
		g_free(jp);
		jp = clock_japanese_day(cert->valid_until);
		tvars_set(tv, "valid_until", jp);
		g_free(jp);
		if (check_kind_is(c->kind, KIND_RENEWAL))
			tvars_set(tv, "renewal", "yes");
		r = staff_letter(n, c, "approval", tv, cause) < 0 ? -1 : 0;
		tvars_free(tv);
	}
	certrow_free(cert);
	return r;
}

int
cmd_paid(struct nintei *n, int argc, char **argv)
{
	struct staff	st;

	if (staff_options(argc, argv, "paid CASE [--amount N] [--by USER] "
	    "[--date YYYY-MM-DD]", 0, &st) != 0)
		return EX_USAGE_;
	if (staff_setup(n, &st) != 0)
		return EX_USAGE_;
	return staff_run(n, &st, "paid", staff_paid);
}

int
cmd_approve(struct nintei *n, int argc, char **argv)
{
	struct staff	st;

	if (staff_options(argc, argv, "approve CASE [--second-certification] "
	    "[--by USER] [--date YYYY-MM-DD]", 0, &st) != 0)
		return EX_USAGE_;
	if (staff_setup(n, &st) != 0)
		return EX_USAGE_;
	return staff_run(n, &st, "approve", staff_approve);
}

int
cmd_reject(struct nintei *n, int argc, char **argv)
{
	struct staff	st;

	if (staff_options(argc, argv, "reject CASE --reason TEXT [--by USER] "
	    "[--date YYYY-MM-DD]", 0, &st) != 0)
		return EX_USAGE_;
	if (staff_blank(st.reason)) {
		fprintf(stderr, "nintei: reject needs --reason TEXT that says "
		    "something (the reason, quoted in the letter); nothing "
		    "changed\n");
		return EX_USAGE_;
	}
	if (staff_setup(n, &st) != 0)
		return EX_USAGE_;
	return staff_run(n, &st, "reject", staff_reject);
}

int
cmd_withdraw(struct nintei *n, int argc, char **argv)
{
	struct staff	st;

	if (staff_options(argc, argv, "withdraw CASE [--reason TEXT] "
	    "[--by USER] [--date YYYY-MM-DD]", 0, &st) != 0)
		return EX_USAGE_;
	if (st.reason != NULL && staff_blank(st.reason)) {
		fprintf(stderr, "nintei: withdraw --reason is blank: say why "
		    "(or leave --reason out); nothing changed\n");
		return EX_USAGE_;
	}
	if (staff_setup(n, &st) != 0)
		return EX_USAGE_;
	return staff_run(n, &st, "withdraw", staff_withdraw);
}

int
cmd_note(struct nintei *n, int argc, char **argv)
{
	struct staff	st;

	if (staff_options(argc, argv, "note CASE TEXT [--by USER] "
	    "[--date YYYY-MM-DD]", 1, &st) != 0)
		return EX_USAGE_;
	if (staff_setup(n, &st) != 0)
		return EX_USAGE_;
	return staff_run(n, &st, "note", staff_note);
}

int
cmd_handled(struct nintei *n, int argc, char **argv)
{
	struct staff	st;
	int		 i, words = 0;

	/* CASE and an optional TEXT (how it was handled) among the
	 * options, --by USER and --date DAY taking a value. */
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--by") == 0 ||
		    strcmp(argv[i], "--date") == 0)
			i++;
		else if (strncmp(argv[i], "--", 2) != 0)
			words++;
	}
	if (staff_options(argc, argv, "handled CASE [TEXT] [--by USER] "
	    "[--date YYYY-MM-DD]", words > 1, &st) != 0)
		return EX_USAGE_;
	if (staff_setup(n, &st) != 0)
		return EX_USAGE_;
	return staff_run(n, &st, "handled", staff_handled);
}
