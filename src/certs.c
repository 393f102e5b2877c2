/* certs.c: certifications in the store: numbers assigned at approval,
 * renewals that keep them, change notices that update them, reminders
 * before the last valid day and expiry after it, and the import of
 * certifications made before nintei. */

#include <stdio.h>
#include <string.h>

#include "cert.h"
#include "nintei.h"
#include "rules.h"

/* The disclosure date (item 1) of the case's latest revision, or NULL. */
static char *
certs_disclosed(struct nintei *n, const char *case_id)
{
	GPtrArray	*items = store_items(n->store, case_id);
	struct itemrow	*it;
	char		*d = NULL;
	guint		 i;

	for (i = 0; i < items->len && d == NULL; i++) {
		it = g_ptr_array_index(items, i);
		if (strcmp(it->form, "disclosure") == 0 &&
		    strcmp(it->item, "1") == 0 && it->normal != NULL)
			d = g_strdup(it->normal);
	}
	g_ptr_array_free(items, TRUE);
	return d;
}

/* The day validity starts: certification, or disclosure by setting. */
static char *
certs_start(struct nintei *n, const char *case_id, const char *today)
{
	char	*d;

	if (n->conf->validity_from_disclosure &&
	    (d = certs_disclosed(n, case_id)) != NULL)
		return d;
	return g_strdup(today);
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
	if (c->kind != NULL && strcmp(c->kind, "new") != 0) {
		number = cert_canonical(c->certification);
		if (number == NULL || (cert = store_cert_get(n->store,
		    number)) == NULL) {
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
		if (strcmp(c->kind, "renewal") == 0) {
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
			cert->state = g_strdup("valid");
			g_free(cert->reminded_first);
			g_free(cert->reminded_last);
			cert->reminded_first = cert->reminded_last = NULL;
		} else if (strcmp(cert->state, "valid") != 0) {
			*cause = g_strdup_printf("certification %s has lapsed: "
			    "a change notice needs a live one", cert->number);
			certrow_free(cert);
			g_free(today);
			return -1;
		}
	} else {
		cert = g_new0(struct certrow, 1);
		cert->scheme = g_strdup(s->code);
		cert->serial = store_cert_next_serial(n->store, s->code);
		cert->first_yymm = cert_yymm(today);
		yymm = cert->first_yymm;
		cert->number = cert_number(s->identifier, cert->serial, yymm);
		cert->first_certified = g_strdup(today);
		cert->certified = g_strdup(today);
		start = certs_start(n, c->id, today);
		cert->valid_until = cert_last_day(start, s->validity_years);
		g_free(start);
		cert->state = g_strdup("valid");
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
	cert->disclosed = certs_disclosed(n, c->id);
	g_free(today);
	if (store_cert_put(n->store, cert, cause) != 0) {
		certrow_free(cert);
		return -1;
	}
	g_free(c->certification);
	c->certification = g_strdup(cert->number);
	*out = cert;
	return 0;
}
