/* certs.c: certifications in the store: numbers assigned at approval,
 * renewals that keep them, change notices that update them, reminders
 * before the last valid day and expiry after it, and the import of
 * certifications made before nintei. */

#include <stdio.h>
#include <string.h>

#include "case.h"
#include "cert.h"
#include "certs.h"
#include "check.h"
#include "conf.h"
#include "csvread.h"
#include "ident.h"
#include "letter.h"
#include "nintei.h"
#include "rules.h"
#include "state.h"
#include "store.h"
#include "template.h"
#include "value.h"

/* The disclosure date (item 1) of the case's latest revision: 0 with *d
 * (NULL when there is none), or -1 with *cause. */
static int
certs_disclosed(struct nintei *n, const char *case_id, char **d,
    char **cause)
{
	GPtrArray	*items;
	struct itemrow	*it;
	guint		 i;

	*d = NULL;
	if (store_items(n->store, case_id, &items, cause) != 0) {
		g_ptr_array_free(items, TRUE);
		return -1;
	}
	for (i = 0; i < items->len && *d == NULL; i++) {
		it = g_ptr_array_index(items, i);
		if (strcmp(it->form, "disclosure") == 0 &&
		    strcmp(it->item, "1") == 0 && it->normal != NULL)
			*d = g_strdup(it->normal);
	}
	g_ptr_array_free(items, TRUE);
	return 0;
}

/* The day validity starts: certification, or disclosure by setting; 0
 * with *start, or -1 with *cause. */
static int
certs_start(struct nintei *n, const char *case_id, const char *today,
    char **start, char **cause)
{
	*start = NULL;
	if (n->conf->validity_from_disclosure &&
	    certs_disclosed(n, case_id, start, cause) != 0)
		return -1;
	if (*start == NULL)
		*start = g_strdup(today);
	return 0;
}

/* The key a service is known by: scheme, company and service as
 * ident.c compares them. */
static char *
certs_key(const char *scheme, const char *company, const char *service)
{
	char	*ck = ident_key(company), *sk = ident_key(service), *k;

	k = g_strdup_printf("%s\x1f%s\x1f%s", scheme, ck, sk);
	g_free(ck);
	g_free(sk);
	return k;
}

/* The valid certifications by the key of their service (to the number):
 * built once for the dashboard's many cases; 0 with *out, or -1 with
 * *cause. */
int
certs_valid_index(struct nintei *n, GHashTable **out, char **cause)
{
	GHashTable	*h;
	GPtrArray	*certs;
	struct certrow	*cert;
	guint		 i;

	*out = NULL;
	if (store_certs(n->store, &certs, cause) != 0) {
		g_ptr_array_free(certs, TRUE);
		return -1;
	}
	h = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	for (i = 0; i < certs->len; i++) {
		cert = g_ptr_array_index(certs, i);
		if (strcmp(cert->state, CERT_VALID) == 0)
			g_hash_table_replace(h, certs_key(cert->scheme,
			    cert->company, cert->service),
			    g_strdup(cert->number));
	}
	g_ptr_array_free(certs, TRUE);
	*out = h;
	return 0;
}

/*
 * The valid certification an open 新規 case's service already holds (same
 * scheme, company and service once blanks, width and 株式会社/㈱ are set
 * aside), from the index: its number, or NULL.
 */
const char *
certs_duplicate_in(GHashTable *index, const struct caserow *c)
{
	const char	*number;
	char		*k;

	if (!check_kind_is(c->kind, KIND_NEW) ||
	    c->scheme == NULL || c->service == NULL ||
	    !state_open(c->state))
		return NULL;
	k = certs_key(c->scheme, c->company, c->service);
	number = g_hash_table_lookup(index, k);
	g_free(k);
	return number;
}

/* The same for one case: 0 with *number (a new string, or NULL), or -1
 * with *cause. */
int
certs_duplicate(struct nintei *n, const struct caserow *c, char **number,
    char **cause)
{
	GHashTable	*h;

	*number = NULL;
	if (certs_valid_index(n, &h, cause) != 0)
		return -1;
	*number = g_strdup(certs_duplicate_in(h, c));
	g_hash_table_destroy(h);
	return 0;
}

/* The certification of a scheme first made latest (its number is the
 * highest serial): 0 with *latest (NULL when the scheme has none), or -1
 * with *cause. */
static int
certs_latest(struct nintei *n, const char *scheme, struct certrow **latest,
    char **cause)
{
	GPtrArray	*certs;
	struct certrow	*cert;
	guint		 i, at = 0;

	*latest = NULL;
	if (store_certs(n->store, &certs, cause) != 0) {
		g_ptr_array_free(certs, TRUE);
		return -1;
	}
	for (i = 0; i < certs->len; i++) {
		cert = g_ptr_array_index(certs, i);
		if (strcmp(cert->scheme, scheme) == 0 &&
		    cert->first_certified != NULL && (*latest == NULL ||
		    strcmp(cert->first_certified, (*latest)->first_certified) >
		    0)) {
			*latest = cert;
			at = i;
		}
	}
	if (*latest != NULL)
		g_ptr_array_steal_index(certs, at);
	g_ptr_array_free(certs, TRUE);
	return 0;
}

/*
 * Certifies the case: a new number for a new application, the same
 * number with a longer validity for a renewal, the published particulars
 * for a change notice.  Sets c->certification; *out is the row written.
 */
int
certs_approve(struct nintei *n, struct caserow *c, struct certrow **out,
    char **cause)
{
	const struct scheme	*s;
	struct certrow		*cert = NULL;
	char			*today, *number, *yymm, *start, *next;

	*out = NULL;
	if (c->scheme == NULL || (s = rules_scheme(n->rules, c->scheme)) ==
	    NULL) {
		*cause = g_strdup_printf("the case's scheme (%s) is not in the "
		    "rules", c->scheme != NULL ? c->scheme : "none");
		return -1;
	}
	today = clock_today(n->conf);
	if (c->kind != NULL && strcmp(c->kind, KIND_NEW) != 0) {
		number = cert_canonical(c->certification);
		if (number != NULL && store_cert_read(n->store, number, &cert,
		    cause) < 0) {
			g_free(number);
			g_free(today);
			return -1;
		}
		if (cert == NULL) {
			*cause = g_strdup_printf("certification \"%s\" is not "
			    "in the store (import it with nintei certs "
			    "import)", c->certification != NULL ?
			    c->certification : "");
			g_free(number);
			g_free(today);
			return -1;
		}
		g_free(number);
		if (strcmp(cert->scheme, s->code) != 0) {
			*cause = g_strdup_printf("certification %s is of "
			    "scheme %s, the case of %s", cert->number,
			    cert->scheme, s->code);
			certrow_free(cert);
			g_free(today);
			return -1;
		}
		if (strcmp(c->kind, KIND_RENEWAL) == 0) {
			/* Renewed before it lapsed: the new period follows
			 * on; after: it starts today. */
			next = cert_next_day(cert->valid_until);
			start = strcmp(next, today) > 0 ? next :
			    g_strdup(today);
			if (start != next)
				g_free(next);
			g_free(cert->valid_until);
			cert->valid_until = cert_last_day(start,
			    s->validity_years);
			g_free(start);
			g_free(cert->certified);
			cert->certified = g_strdup(today);
			g_free(cert->state);
			cert->state = g_strdup(CERT_VALID);
			g_free(cert->reminded_first);
			g_free(cert->reminded_last);
			cert->reminded_first = cert->reminded_last = NULL;
		} else if (strcmp(cert->state, CERT_VALID) != 0) {
			*cause = g_strdup_printf("certification %s has lapsed: "
			    "a change notice needs a live one", cert->number);
			certrow_free(cert);
			g_free(today);
			return -1;
		}
	} else {
		/* Numbers go in order of certification within a scheme. */
		if (certs_latest(n, s->code, &cert, cause) != 0) {
			g_free(today);
			return -1;
		}
		if (cert != NULL && strcmp(today, cert->first_certified) < 0) {
			*cause = g_strdup_printf("%s was certified on %s: a "
			    "later number cannot be dated %s (numbers go in "
			    "order of certification)", cert->number,
			    cert->first_certified, today);
			certrow_free(cert);
			g_free(today);
			return -1;
		}
		certrow_free(cert);
		cert = g_new0(struct certrow, 1);
		cert->scheme = g_strdup(s->code);
		if (store_cert_next_serial(n->store, s->code, &cert->serial,
		    cause) != 0 || certs_start(n, c->id, today, &start,
		    cause) != 0) {
			certrow_free(cert);
			g_free(today);
			return -1;
		}
		cert->first_yymm = cert_yymm(today);
		yymm = cert->first_yymm;
		cert->number = cert_number(s->identifier, cert->serial, yymm);
		cert->first_certified = g_strdup(today);
		cert->certified = g_strdup(today);
		cert->valid_until = cert_last_day(start, s->validity_years);
		g_free(start);
		cert->state = g_strdup(CERT_VALID);
	}
	g_free(cert->company);
	cert->company = g_strdup(c->company);
	g_free(cert->service);
	cert->service = g_strdup(c->service);
	g_free(cert->contact_email);
	cert->contact_email = g_strdup(c->contact_email);
	g_free(cert->applicant);
	cert->applicant = g_strdup(c->applicant);
	g_free(cert->case_id);
	cert->case_id = g_strdup(c->id);
	g_free(cert->disclosed);
	g_free(today);
	if (certs_disclosed(n, c->id, &cert->disclosed, cause) != 0 ||
	    store_cert_put(n->store, cert, cause) != 0) {
		certrow_free(cert);
		return -1;
	}
	g_free(c->certification);
	c->certification = g_strdup(cert->number);
	*out = cert;
	return 0;
}

/* The columns an import file may have, by the names people write. */
static const struct {
	const char	*field;
	const char	*names[5];
} certs_columns[] = {
	{ "number", { "認定番号", "number", NULL } },
	{ "scheme", { "制度", "scheme", NULL } },
	{ "company", { "事業者名", "company", NULL } },
	{ "service", { "サービス名称", "サービス名", "service", NULL } },
	{ "certified", { "認定日", "初回認定日", "certified", NULL } },
	{ "valid_until", { "有効期限", "valid_until", NULL } },
	{ "contact", { "担当者メールアドレス", "メールアドレス",
	    "contact_email", "email", NULL } },
};

/* Finds the column of each field in the header row; -1 if absent. */
static void
certs_header(GPtrArray *head, int *col)
{
	size_t	 f, k;
	guint	 i;
	char	*h;

	for (f = 0; f < G_N_ELEMENTS(certs_columns); f++) {
		col[f] = -1;
		for (i = 0; i < head->len && col[f] < 0; i++) {
			h = value_trim(g_ptr_array_index(head, i));
			for (k = 0; certs_columns[f].names[k] != NULL; k++) {
				if (g_ascii_strcasecmp(h,
				    certs_columns[f].names[k]) == 0)
					col[f] = (int)i;
			}
			g_free(h);
		}
	}
}

/* A cell of a row by field index, trimmed ("" when absent). */
static char *
certs_cell(GPtrArray *row, const int *col, int f)
{
	if (col[f] < 0 || (guint)col[f] >= row->len)
		return g_strdup("");
	return value_trim(g_ptr_array_index(row, col[f]));
}

/* A date as people write it, in YYYY-MM-DD; NULL if it is none. */
static char *
certs_date(const char *text)
{
	struct vtype	 t;
	struct vresult	 r;
	char		*cause = NULL, *d = NULL;

	if (vtype_parse("date", &t, &cause) != 0) {
		g_free(cause);
		return NULL;
	}
	memset(&r, 0, sizeof r);
	if (*text != '\0' && value_check(&t, text, VCELL_TEXT, &r) == 0)
		d = g_strdup(r.normal);
	vresult_clear(&r);
	vtype_clear(&t);
	return d;
}

/* The scheme whose identifier this is ("" for ASP・SaaS). */
static const struct scheme *
certs_by_identifier(const struct rules *rules, const char *id)
{
	const struct scheme	*s;
	guint			 i;

	for (i = 0; i < rules->schemes->len; i++) {
		s = g_ptr_array_index(rules->schemes, i);
		if (strcmp(s->identifier, id) == 0)
			return s;
	}
	return NULL;
}

/* Is this an email address (as the forms' email type reads one)?
 * Reminders go to it. */
static int
certs_email_ok(const char *addr)
{
	struct vtype	t;
	struct vresult	r = { NULL, NULL, NULL };
	int		ok;

	if (vtype_parse("email", &t, NULL) != 0)
		return 0;
	ok = value_check(&t, addr, VCELL_TEXT, &r) == 0 &&
	    strcmp(r.normal, addr) == 0;
	vresult_clear(&r);
	vtype_clear(&t);
	return ok;
}

/*
 * Reads one row of an import file into a certification; errors go to
 * errors as "file:line: message".
 */
static struct certrow *
certs_row(struct nintei *n, const char *file, guint line, GPtrArray *row,
    const int *col, GPtrArray *errors)
{
	const struct scheme	*s = NULL, *byid;
	struct certrow		*c;
	char			*num, *id = NULL, *yymm = NULL, *text;
	int			 serial;
	guint			 before = errors->len;

	num = certs_cell(row, col, 0);
	if (cert_parse(num, &id, &serial, &yymm) != 0) {
		g_ptr_array_add(errors, g_strdup_printf("%s:%u: \"%s\" is not "
		    "a certification number (like 医療 0001-1712)", file, line,
		    num));
		g_free(num);
		return NULL;
	}
	c = g_new0(struct certrow, 1);
	c->number = cert_number(id, serial, yymm);
	c->serial = serial;
	c->first_yymm = yymm;
	byid = certs_by_identifier(n->rules, id);
	text = certs_cell(row, col, 1);
	if (*text != '\0' && (s = rules_scheme(n->rules, text)) == NULL)
		g_ptr_array_add(errors, g_strdup_printf("%s:%u: unknown "
		    "scheme \"%s\"", file, line, text));
	else if (s == NULL && (s = byid) == NULL)
		g_ptr_array_add(errors, g_strdup_printf("%s:%u: no scheme has "
		    "the identifier \"%s\"; name the scheme in a 制度 column",
		    file, line, id));
	else if (s != byid)
		g_ptr_array_add(errors, g_strdup_printf("%s:%u: %s is not a "
		    "number of %s (its identifier is \"%s\")", file, line,
		    c->number, s->name, s->identifier));
	g_free(text);
	c->company = certs_cell(row, col, 2);
	c->service = certs_cell(row, col, 3);
	if (*c->company == '\0' || *c->service == '\0')
		g_ptr_array_add(errors, g_strdup_printf("%s:%u: 事業者名 and "
		    "サービス名称 are needed", file, line));
	text = certs_cell(row, col, 4);
	if ((c->certified = certs_date(text)) == NULL)
		g_ptr_array_add(errors, g_strdup_printf("%s:%u: 認定日 \"%s\" "
		    "is not a date", file, line, text));
	g_free(text);
	text = certs_cell(row, col, 5);
	if (*text != '\0' && (c->valid_until = certs_date(text)) == NULL)
		g_ptr_array_add(errors, g_strdup_printf("%s:%u: 有効期限 "
		    "\"%s\" is not a date", file, line, text));
	g_free(text);
	c->contact_email = certs_cell(row, col, 6);
	if (*c->contact_email != '\0' && !certs_email_ok(c->contact_email))
		g_ptr_array_add(errors, g_strdup_printf("%s:%u: 担当者メール"
		    "アドレス \"%s\" is not an email address", file, line,
		    c->contact_email));
	if (s != NULL) {
		c->scheme = g_strdup(s->code);
		if (c->valid_until == NULL && c->certified != NULL)
			c->valid_until = cert_last_day(c->certified,
			    s->validity_years);
	}
	c->first_certified = g_strdup(c->certified);
	c->imported = 1;
	g_free(id);
	g_free(num);
	if (errors->len > before) {
		certrow_free(c);
		return NULL;
	}
	return c;
}

/*
 * Imports certifications made before nintei from a CSV file (UTF-8 or
 * CP932; a header row naming the columns).  Every error of the file is
 * reported and nothing is imported unless there is none; a failure of
 * the store is the last error (store_failed says so).  A number already
 * known is updated.
 */
int
certs_import(struct nintei *n, const char *file, GPtrArray *errors,
    int *added, int *updated)
{
	struct csv_table	*t;
	struct certrow		*c, *old;
	GPtrArray		*rows, *row;
	char			*data, *cause = NULL, *today;
	gsize			 len;
	guint			 i;
	int			 col[G_N_ELEMENTS(certs_columns)];

	*added = *updated = 0;
	if (!g_file_get_contents(file, &data, &len, NULL)) {
		g_ptr_array_add(errors, g_strdup_printf("%s: cannot read",
		    file));
		return -1;
	}
	t = csvread_buffer(data, len, NULL, &cause);
	g_free(data);
	if (t == NULL) {
		g_ptr_array_add(errors, g_strdup_printf("%s: %s", file, cause));
		g_free(cause);
		return -1;
	}
	if (t->rows->len == 0) {
		g_ptr_array_add(errors, g_strdup_printf("%s: empty", file));
		csvread_free(t);
		return -1;
	}
	certs_header(g_ptr_array_index(t->rows, 0), col);
	if (col[0] < 0 || col[4] < 0) {
		g_ptr_array_add(errors, g_strdup_printf("%s:1: the header row "
		    "needs at least 認定番号 and 認定日 (also 制度, 事業者名, "
		    "サービス名称, 有効期限, 担当者メールアドレス)", file));
		csvread_free(t);
		return -1;
	}
	rows = g_ptr_array_new_with_free_func(certrow_free);
	for (i = 1; i < t->rows->len; i++) {
		row = g_ptr_array_index(t->rows, i);
		if (row->len == 0)
			continue;
		if ((c = certs_row(n, file, i + 1, row, col, errors)) != NULL)
			g_ptr_array_add(rows, c);
	}
	csvread_free(t);
	if (errors->len > 0 || store_begin(n->store, &cause) != 0) {
		if (cause != NULL)
			g_ptr_array_add(errors, cause);
		g_ptr_array_free(rows, TRUE);
		return -1;
	}
	today = clock_today(n->conf);
	for (i = 0; i < rows->len; i++) {
		c = g_ptr_array_index(rows, i);
		if (store_cert_read(n->store, c->number, &old, &cause) < 0) {
			g_ptr_array_add(errors, cause);
			store_rollback(n->store);
			g_ptr_array_free(rows, TRUE);
			g_free(today);
			return -1;
		}
		if (old != NULL) {
			/* Keep what nintei knows of it: reminders, case. */
			c->reminded_first = g_strdup(old->reminded_first);
			c->reminded_last = g_strdup(old->reminded_last);
			c->case_id = g_strdup(old->case_id);
			c->applicant = g_strdup(old->applicant);
			(*updated)++;
			certrow_free(old);
		} else
			(*added)++;
		c->state = g_strdup(strcmp(c->valid_until, today) < 0 ?
		    CERT_EXPIRED : CERT_VALID);
		if (store_cert_put(n->store, c, &cause) != 0) {
			g_ptr_array_add(errors, cause);
			store_rollback(n->store);
			g_ptr_array_free(rows, TRUE);
			g_free(today);
			return -1;
		}
	}
	g_free(today);
	g_ptr_array_free(rows, TRUE);
	if (store_commit(n->store, &cause) != 0) {
		g_ptr_array_add(errors, cause);
		return -1;
	}
	return 0;
}

/* Queues the renewal reminder of a certification: to its case's people
 * when it has a case, else to its contact; the one path of every letter
 * either way. */
static int
certs_reminder(struct nintei *n, const struct certrow *cert, char **cause)
{
	const struct scheme	*s = rules_scheme(n->rules, cert->scheme);
	struct caserow		*c = NULL;
	struct tvars		*tv;
	struct answer		 a;
	struct post		 p;
	char			*jp, *fee;
	int64_t			 id;

	if (cert->case_id != NULL && store_case_read(n->store, cert->case_id,
	    &c, cause) < 0)
		return -1;
	tv = c != NULL ? case_vars(n, c) : letter_vars(n->conf);
	if (c == NULL) {
		tvars_set(tv, "case", "");
		tvars_set(tv, "tag", "");
		tvars_set(tv, "kind", "");
		tvars_set(tv, "company", cert->company);
		tvars_set(tv, "contact", "ご担当者");
		tvars_set(tv, "service", cert->service);
	}
	tvars_set(tv, "number", cert->number);
	jp = clock_japanese_day(cert->valid_until);
	tvars_set(tv, "valid_until", jp);
	g_free(jp);
	fee = util_yen(s != NULL ? s->fee_renewal : 95000);
	tvars_set(tv, "fee", fee);
	g_free(fee);
	if (c != NULL) {
		id = -1;
		if (case_answer(n, c->id, &a, cause) == 0)
			id = case_letter(n, c, "reminder", tv, &a, cause);
		answer_clear(&a);
		caserow_free(c);
	} else {
		memset(&p, 0, sizeof p);
		p.kind = "reminder";
		p.scheme = cert->scheme;
		p.to = cert->contact_email;
		p.tv = tv;
		id = post_letter(n, &p, cause);
	}
	tvars_free(tv);
	return id < 0 ? -1 : 0;
}

/*
 * The daily run: a reminder from four months before the last valid day
 * (once), again from one month before; certifications past their last
 * valid day expire (and their case with them).  What happened goes to
 * done, one line each.  Unless commit, nothing is written at all (not
 * even a transaction is opened): done says what the day would do.
 */
int
certs_remind(struct nintei *n, int commit, GPtrArray *done, char **cause)
{
	GPtrArray	*certs;
	struct certrow	*c;
	struct caserow	*cs;
	char		*today, *first, *last;
	guint		 i;
	int		 r = 0, second, open;

	if (commit && store_begin(n->store, cause) != 0)
		return -1;
	today = clock_today(n->conf);
	r = store_certs(n->store, &certs, cause);
	for (i = 0; i < certs->len && r == 0; i++) {
		c = g_ptr_array_index(certs, i);
		if (strcmp(c->state, CERT_VALID) != 0)
			continue;
		if (strcmp(today, c->valid_until) > 0) {
			g_ptr_array_add(done, g_strdup_printf("%-9s %s  "
			    "(last valid day %s)", CERT_EXPIRED, c->number,
			    c->valid_until));
			if (!commit)
				continue;
			g_free(c->state);
			c->state = g_strdup(CERT_EXPIRED);
			r = store_cert_put(n->store, c, cause);
			if (r == 0 && c->case_id != NULL && (r =
			    store_case_read(n->store, c->case_id, &cs,
			    cause)) == 1) {
				r = 0;
				if (strcmp(cs->state, STATE_APPROVED) == 0)
					r = case_set_state(n, cs, STATE_EXPIRED,
					    c->number, 0, cause);
				caserow_free(cs);
			}
			if (r > 0)
				r = 0;
			continue;
		}
		first = cert_months_before(c->valid_until, 4);
		last = cert_months_before(c->valid_until, 1);
		second = strcmp(today, last) >= 0 && c->reminded_last == NULL;
		if ((second || (strcmp(today, first) >= 0 &&
		    c->reminded_first == NULL)) &&
		    (r = store_renewal_open(n->store, c->number, &open,
		    cause)) == 0 && !open) {
			if (c->contact_email == NULL ||
			    *c->contact_email == '\0') {
				g_ptr_array_add(done, g_strdup_printf(
				    "no address %s: nobody to remind",
				    c->number));
			} else if (!commit || (r = certs_reminder(n, c,
			    cause)) == 0) {
				if (commit && c->reminded_first == NULL)
					c->reminded_first = g_strdup(today);
				if (commit && second) {
					g_free(c->reminded_last);
					c->reminded_last = g_strdup(today);
				}
				if (commit)
					r = store_cert_put(n->store, c, cause);
				g_ptr_array_add(done, g_strdup_printf(
				    "reminded  %s  (last valid day %s, %s)",
				    c->number, c->valid_until, second ?
				    "one month before" : "four months before"));
			}
		}
		g_free(first);
		g_free(last);
	}
	g_ptr_array_free(certs, TRUE);
	g_free(today);
	if (r != 0) {
		if (commit)
			store_rollback(n->store);
		return -1;
	}
	if (!commit)
		return 0;
	return store_commit(n->store, cause);
}
