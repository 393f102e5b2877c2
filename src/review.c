/* review.c: a case's forms read, checked against the rules of their
 * scheme, kept as a revision, and answered: the deficiency letter with
 * every problem, or the fee request once nothing is missing. */

#include <stdio.h>
#include <string.h>

#include "case.h"
#include "cert.h"
#include "certs.h"
#include "check.h"
#include "conf.h"
#include "event.h"
#include "forms.h"
#include "intake.h"
#include "invoice.h"
#include "letter.h"
#include "mail.h"
#include "nintei.h"
#include "rules.h"
#include "size.h"
#include "state.h"
#include "store.h"
#include "template.h"

/* The forms of a whole mail given as bytes (`nintei check` on an .eml):
 * NULL with *cause when nothing of it could be read. */
struct forms *
review_read_bytes(struct nintei *n, const char *data, size_t len,
    char **cause)
{
	struct mail	*m;
	struct forms	*f;

	if ((m = mail_parse_bytes(data, len, &n->conf->mime, cause)) == NULL)
		return NULL;
	f = parse_forms(n, m, NULL);
	mail_free(m);
	return f;
}

/* Fills the acknowledgement's list of files: each attachment, with the
 * files inside each ZIP under it. */
void
review_files(const struct forms *f, struct tvars *tv)
{
	struct form_file	*ff;
	struct tvars		*top = NULL, *mem;
	char			*size;
	guint			 i;

	for (i = 0; i < f->files->len; i++) {
		ff = g_ptr_array_index(f->files, i);
		size = size_about(ff->size);
		if (ff->depth == 0 || top == NULL) {
			top = tvars_push(tv, "files");
			tvars_set(top, "name", ff->name);
			tvars_set(top, "size", size);
		} else {
			mem = tvars_push(top, "members");
			tvars_setf(mem, "name", "%s%s", ff->depth > 1 ? "  " :
			    "", ff->name);
			tvars_set(mem, "size", size);
		}
		g_free(size);
	}
}

/* Records the files of a message (for show): attachments and members. */
int
review_record_files(struct nintei *n, int64_t msgrow, const struct forms *f,
    char **cause)
{
	struct form_file	*ff;
	struct attrow		 r;
	guint			 i;
	int			 parent = -1;

	for (i = 0; i < f->files->len; i++) {
		ff = g_ptr_array_index(f->files, i);
		if (ff->depth == 0)
			parent = (int)i;
		r.idx = (int)i;
		r.parent = ff->depth == 0 ? -1 : parent;
		r.name = ff->name;
		r.type = (char *)(ff->depth == 0 ? "attachment" : "member");
		r.size = (int64_t)ff->size;
		if (store_attachment_add(n->store, msgrow, &r, cause) != 0)
			return -1;
	}
	return 0;
}

/*
 * A renewal or change names a certification: it must be in the store, of
 * the same scheme (SPEC §3).  Adds a problem when it is not; -1 with
 * *cause when the store could not be read (never "not registered" to the
 * applicant then).
 */
static int
review_certification(struct nintei *n, struct check *ck, char **cause)
{
	struct certrow	*cert = NULL;
	char		*num, *text;
	struct problem	*p;
	int		 r = 0;

	if (ck->kind == NULL || strcmp(ck->kind, KIND_NEW) == 0 ||
	    ck->certification == NULL)
		return 0;
	if ((num = cert_canonical(ck->certification)) != NULL &&
	    (r = store_cert_read(n->store, num, &cert, cause)) < 0) {
		g_free(num);
		return -1;
	}
	p = g_new0(struct problem, 1);
	p->item = g_strdup("申請書");
	p->label = g_strdup("認定番号");
	p->written = g_strdup(ck->certification);
	if (num == NULL) {
		p->problem = g_strdup("認定番号として読み取れません");
		p->hint = g_strdup("認定証に記載の認定番号（例：「医療 "
		    "0001-1712」）をご記入ください");
	} else if (r == 0) {
		p->problem = g_strdup("この認定番号の認定は登録されていません");
		p->hint = g_strdup("認定証に記載の認定番号をご確認ください");
	} else {
		if (ck->scheme != NULL &&
		    strcmp(cert->scheme, ck->scheme->code) != 0) {
			text = g_strdup_printf("この認定番号は「%s」の制度の"
			    "認定ではありません", ck->scheme->name);
			p->problem = text;
			p->hint = g_strdup("更新する認定の認定番号を"
			    "ご記入ください");
		}
		g_free(ck->certification);
		ck->certification = g_strdup(num);
		certrow_free(cert);
	}
	g_free(num);
	if (p->problem != NULL)
		g_ptr_array_add(ck->problems, p);
	else {
		g_free(p->item);
		g_free(p->label);
		g_free(p->written);
		g_free(p);
	}
	return 0;
}

/* Keeps the check as the case's next revision: values and problems. */
static int
review_keep(struct nintei *n, const char *case_id, int64_t msgrow,
    const struct forms *f, const struct check *ck, char **cause)
{
	struct problemrow	 pr;
	struct itemrow		 ir;
	struct checked		*cv;
	struct problem		*p;
	struct form_value	*v;
	char			*now;
	int			 rev, r;
	guint			 i;

	now = clock_now_iso(n->conf);
	r = store_revision_add(n->store, case_id, msgrow,
	    (int)ck->problems->len, now, &rev, cause);
	g_free(now);
	if (r != 0)
		return -1;
	for (i = 0; forms_labels[i] != NULL; i++) {
		if ((v = g_hash_table_lookup(f->application,
		    forms_labels[i])) == NULL)
			continue;
		memset(&ir, 0, sizeof ir);
		ir.form = (char *)"application";
		ir.item = (char *)forms_labels[i];
		ir.label = (char *)forms_labels[i];
		ir.value = v->text;
		if (store_item_add(n->store, case_id, rev, &ir, cause) != 0)
			return -1;
	}
	for (i = 0; i < ck->values->len; i++) {
		cv = g_ptr_array_index(ck->values, i);
		memset(&ir, 0, sizeof ir);
		ir.form = (char *)"disclosure";
		ir.item = cv->item;
		ir.label = cv->label;
		ir.value = cv->value;
		ir.normal = cv->normal;
		if (store_item_add(n->store, case_id, rev, &ir, cause) != 0)
			return -1;
	}
	for (i = 0; i < ck->problems->len; i++) {
		p = g_ptr_array_index(ck->problems, i);
		pr.item = p->item;
		pr.label = p->label;
		pr.problem = p->problem;
		pr.written = p->written;
		pr.hint = p->hint;
		if (store_problem_add(n->store, case_id, rev, (int)i + 1, &pr,
		    cause) != 0)
			return -1;
	}
	return 0;
}

/* Copies what the 申請書 says into the case (what is there). */
static void
review_particulars(struct caserow *c, const struct check *ck)
{
#define REVIEW_SET(field, value) do {					\
	if ((value) != NULL) {						\
		g_free(c->field);					\
		c->field = g_strdup(value);				\
	}								\
} while (0)
	REVIEW_SET(scheme, ck->scheme != NULL ? ck->scheme->code : NULL);
	REVIEW_SET(kind, ck->kind);
	REVIEW_SET(company, ck->company);
	REVIEW_SET(service, ck->service);
	REVIEW_SET(contact_name, ck->contact_name);
	REVIEW_SET(contact_email, ck->contact_email);
	if (ck->kind != NULL && strcmp(ck->kind, KIND_NEW) != 0)
		REVIEW_SET(certification, ck->certification);
#undef REVIEW_SET
}

/* Which documents came with this mail and which from an earlier one,
 * when a reply sent one form only (受領書類 / 前回の書類). */
static void
review_provenance(const struct forms *f, struct tvars *tv)
{
	if (f->earlier_text == NULL)
		return;
	tvars_set(tv, "forms_now", f->now_text);
	tvars_set(tv, "forms_before", f->earlier_text);
}

/* The deficiency letter: every problem, numbered, where, what, how. */
static int64_t
review_deficiency(struct nintei *n, const struct caserow *c,
    const struct forms *f, const struct check *ck, const struct answer *a,
    char **cause)
{
	struct tvars	*tv = case_vars(n, c), *item;
	struct problem	*p;
	char		*where;
	guint		 i;
	int64_t		 id;

	for (i = 0; i < ck->problems->len; i++) {
		p = g_ptr_array_index(ck->problems, i);
		item = tvars_push(tv, "problems");
		tvars_setf(item, "n", "%u", i + 1);
		where = check_where(p);
		tvars_set(item, "where", where);
		g_free(where);
		tvars_set(item, "problem", p->problem);
		tvars_set(item, "written", p->written);
		tvars_set(item, "hint", p->hint);
	}
	review_provenance(f, tv);
	id = case_letter(n, c, "deficiency", tv, a, cause);
	tvars_free(tv);
	return id;
}

/* Right-aligns amounts to one width, for the fee block. */
static void
review_amounts(struct tvars *tv, int64_t fee, int64_t tax)
{
	char	*f = util_yen(fee), *t = util_yen(tax), *s = util_yen(fee + tax);
	int	 w = (int)strlen(s);

	tvars_setf(tv, "fee", "%*s", w, f);
	tvars_setf(tv, "tax", "%*s", w, t);
	tvars_set(tv, "total", s);
	tvars_set(tv, "fee_plain", f);
	tvars_set(tv, "tax_plain", t);
	g_free(f);
	g_free(t);
	g_free(s);
}

/* "20260001" for case 2026-0001: what the payer name starts with. */
static char *
review_digits(const char *id)
{
	GString	*s = g_string_new(NULL);

	for (; *id != '\0'; id++) {
		if (g_ascii_isdigit(*id))
			g_string_append_c(s, *id);
	}
	return g_string_free(s, FALSE);
}

/* The fee of a case before tax: by its kind (renewal or new). */
static int64_t
review_fee_net(const struct caserow *c, const struct scheme *s)
{
	return check_kind_is(c->kind, KIND_RENEWAL) ?
	    s->fee_renewal : s->fee_new;
}

/* The total a fee request bills a case, tax included. */
int64_t
review_fee_total(const struct conf *conf, const struct caserow *c,
    const struct scheme *s)
{
	int64_t	fee = review_fee_net(c, s);

	return fee + fee * conf->tax_rate / 100;
}

/* The issuer of invoices and receipts: its name, registration number and
 * the date of issue (today). */
void
review_issuer(struct nintei *n, struct tvars *tv)
{
	char	*today, *jp;

	tvars_set(tv, "issuer", n->conf->issuer);
	if (n->conf->invoice_number != NULL)
		tvars_set(tv, "invoice_number", n->conf->invoice_number);
	today = clock_today(n->conf);
	jp = clock_japanese_day(today);
	tvars_set(tv, "issued", jp);
	g_free(jp);
	g_free(today);
}

/*
 * The due date of a fee requested today: due_days later, moved to the
 * next bank business day (no weekend, 31 December to 3 January or
 * holiday of rules/holidays.tsv).  A year the table does not cover is
 * warned about: its holidays are not known.  "YYYY-MM-DD".
 */
char *
review_due(struct nintei *n)
{
	char	*today = clock_today(n->conf), buf[16];
	GDate	 d;
	int	 y, m, day;

	g_date_clear(&d, 1);
	if (sscanf(today, "%4d-%2d-%2d", &y, &m, &day) != 3)
		fatal("clock: today %s is not a date", today);
	g_date_set_dmy(&d, (GDateDay)day, (GDateMonth)m, (GDateYear)y);
	g_free(today);
	g_date_add_days(&d, (guint)n->conf->due_days);
	if (!invoice_holidays_cover(n->rules->holidays, g_date_get_year(&d)))
		log_warn("rules: %s has no holidays of %d: the due date skips "
		    "only weekends and 31 December to 3 January",
		    RULES_HOLIDAYS, g_date_get_year(&d));
	invoice_business_day(n->rules->holidays, &d);
	g_date_strftime(buf, sizeof buf, "%Y-%m-%d", &d);
	return g_strdup(buf);
}

/* The fee request, a qualified invoice: issuer and registration number,
 * date of issue, amount by kind, tax by rate, total, due date on a bank
 * business day, bank.  A change notice has no fee: the letter says the
 * forms are complete.  The total billed is recorded with the case, for
 * `nintei paid`. */
static int64_t
review_fee(struct nintei *n, const struct caserow *c, const struct forms *f,
    const struct scheme *s, const struct answer *a, char **cause)
{
	struct tvars	*tv = case_vars(n, c);
	char		*jp, *digits, *due;
	int64_t		 fee, tax, id;

	if (check_kind_is(c->kind, KIND_CHANGE))
		tvars_set(tv, "no_fee", "yes");
	fee = review_fee_net(c, s);
	tax = fee * n->conf->tax_rate / 100;
	review_amounts(tv, fee, tax);
	tvars_setf(tv, "tax_rate", "%d", n->conf->tax_rate);
	tvars_set(tv, "services", "1");
	review_issuer(n, tv);
	due = review_due(n);
	jp = clock_japanese_day(due);
	tvars_set(tv, "due", jp);
	g_free(jp);
	g_free(due);
	tvars_set(tv, "bank", n->conf->bank);
	digits = review_digits(c->id);
	tvars_set(tv, "case_digits", digits);
	g_free(digits);
	tvars_set(tv, "scheme", s->name);
	review_provenance(f, tv);
	id = case_letter(n, c, "fee", tv, a, cause);
	tvars_free(tv);
	if (id >= 0 && !check_kind_is(c->kind, KIND_CHANGE) &&
	    store_case_set_fee(n->store, c->id, fee + tax, -1, cause) != 0)
		return -1;
	return id;
}

/*
 * Flags to staff (an event, once per certification) a 新規 application
 * for a service that holds a valid certification: perhaps it is a renewal
 * or a change notice; approving it needs --second-certification.
 */
static int
review_duplicate(struct nintei *n, const struct caserow *c, int64_t msgrow,
    char **cause)
{
	GPtrArray	*events;
	struct eventrow	*e;
	char		*number, *detail;
	guint		 i;
	int		 seen = 0, r = 0;

	if (certs_duplicate(n, c, &number, cause) != 0)
		return -1;
	if (number == NULL)
		return 0;
	detail = g_strdup_printf("同じサービスに有効な認定 %s があります"
	    "（更新・変更の申請かもしれません。2件目の認定とするなら "
	    "approve --second-certification）", number);
	g_free(number);
	if (store_events(n->store, c->id, &events, cause) != 0) {
		g_ptr_array_free(events, TRUE);
		g_free(detail);
		return -1;
	}
	for (i = 0; i < events->len && !seen; i++) {
		e = g_ptr_array_index(events, i);
		seen = strcmp(e->kind, event_name(EVENT_DUPLICATE)) == 0 &&
		    e->detail != NULL && strcmp(e->detail, detail) == 0;
	}
	g_ptr_array_free(events, TRUE);
	if (!seen && case_event(n, c->id, EVENT_DUPLICATE, NULL, NULL, detail,
	    msgrow, 0, cause) < 0)
		r = -1;
	g_free(detail);
	return r;
}

/*
 * Checks the forms of a case: the 申請書 particulars copied into the case,
 * a renewal's certification looked up, the values and problems kept as
 * the case's next revision.  pre, if not NULL, is check_forms of the same
 * forms made before (taken over: not made twice).  Returns the check, or
 * NULL on a store failure.
 */
struct check *
review_check(struct nintei *n, struct caserow *c, const struct forms *f,
    struct check *pre, int64_t msgrow, char **cause)
{
	struct check	*ck;

	ck = pre != NULL ? pre : check_forms(f, n->rules);
	if (review_certification(n, ck, cause) != 0) {
		check_free(ck);
		return NULL;
	}
	review_particulars(c, ck);
	if (store_case_update(n->store, c, cause) != 0 ||
	    review_keep(n, c->id, msgrow, f, ck, cause) != 0 ||
	    review_duplicate(n, c, msgrow, cause) != 0) {
		check_free(ck);
		return NULL;
	}
	return ck;
}

/*
 * Moves the case on from what the check found: awaiting_password while
 * an encrypted ZIP stays closed (ck is NULL then); deficient with the
 * deficiency letter when there are problems; awaiting_fee with the fee
 * request when none (under_review for a change notice, which has no
 * fee).
 */
int
review_answer(struct nintei *n, struct caserow *c, const struct forms *f,
    const struct check *ck, int64_t msgrow, const struct answer *a,
    char **cause)
{
	const char	*to;
	char		*detail;
	int64_t		 id;
	int		 r;

	if (f->encrypted || ck == NULL) {
		if (strcmp(c->state, STATE_AWAITING_PASSWORD) == 0)
			return 0;
		return case_set_state(n, c, STATE_AWAITING_PASSWORD,
		    "暗号化された ZIP ファイル（パスワード待ち）", msgrow, cause);
	}
	if (ck->problems->len > 0) {
		to = STATE_DEFICIENT;
		detail = g_strdup_printf("書類の確認：不備 %u 件",
		    ck->problems->len);
	} else {
		to = check_kind_is(c->kind, KIND_CHANGE) ?
		    STATE_UNDER_REVIEW : STATE_AWAITING_FEE;
		detail = g_strdup("書類の確認：不備なし");
	}
	if (strcmp(c->state, to) != 0)
		r = case_set_state(n, c, to, detail, msgrow, cause);
	else
		r = case_event(n, c->id, EVENT_CHECK, NULL, NULL, detail,
		    msgrow, 0, cause) < 0 ? -1 : 0;
	g_free(detail);
	if (r != 0)
		return -1;
	if (ck->problems->len > 0)
		id = review_deficiency(n, c, f, ck, a, cause);
	else
		id = review_fee(n, c, f, ck->scheme, a, cause);
	return id < 0 ? -1 : 0;
}
