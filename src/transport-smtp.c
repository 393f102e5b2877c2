/* transport-smtp.c: letters handed to an SMTP server (smtp:// with
 * STARTTLS required, or smtps://), with AUTH PLAIN or LOGIN after the
 * certificate is checked; the server's answer decides: 2xx delivered, 4xx
 * try again later, 5xx refused for good (with the server's words). */

#include <string.h>

#include "conf.h"
#include "net.h"
#include "source.h"
#include "store.h"

struct transport_smtp {
	struct nintei	*n;
	struct net_url	*url;
	char		*name;
	int		 tls;		/* smtps: TLS at once */
	struct net_cred	 cred;
	char		*from;		/* the envelope sender; "" is <> */
	mailsmtp	*smtp;		/* NULL when not connected */
};

/* Can addr go between < and > in an SMTP command?  Letters' addresses
 * come from mail that strangers wrote: no blanks, brackets or controls. */
static int
transport_smtp_addr_ok(const char *addr)
{
	const char	*p;

	if (*addr == '\0' || strlen(addr) > 254 || strchr(addr, '@') == NULL)
		return 0;
	for (p = addr; *p != '\0'; p++) {
		if ((unsigned char)*p <= 0x20 || (unsigned char)*p == 0x7f ||
		    *p == '<' || *p == '>')
			return 0;
	}
	return 1;
}

/* The server's last reply as one clean line: "550 5.1.1 no such user". */
static char *
transport_smtp_said(struct transport_smtp *ts)
{
	char	*text, *clean;

	if (ts->smtp == NULL || ts->smtp->response_code == 0)
		return g_strdup("the connection broke");
	text = g_strdup_printf("%d %s", ts->smtp->response_code,
	    ts->smtp->response != NULL ? ts->smtp->response : "");
	clean = util_clean(g_strstrip(text));
	g_free(text);
	return clean;
}

/* Closes the connection (QUIT if it still stands). */
static void
transport_smtp_hangup(struct transport_smtp *ts)
{
	if (ts->smtp != NULL) {
		mailsmtp_free(ts->smtp);
		ts->smtp = NULL;
	}
}

/* A failed step while connecting: *cause with the server's words. */
static int
transport_smtp_fail(struct transport_smtp *ts, const char *what,
    char **cause)
{
	char	*said = transport_smtp_said(ts);

	*cause = g_strdup_printf("%s: %s: %s", ts->name, what, said);
	g_free(said);
	transport_smtp_hangup(ts);
	return -1;
}

/*
 * Connects and greets; makes sure of TLS (at once, or STARTTLS required,
 * then EHLO again), checks the certificate, and authenticates if there
 * are credentials: PLAIN if offered, else LOGIN.
 */
static int
transport_smtp_connect(struct transport_smtp *ts, char **cause)
{
	const struct conf	*c = ts->n->conf;
	mailstream		*stream;
	int			 fd, type;

	if ((fd = net_connect(c, ts->url->host, ts->url->port, cause)) < 0 ||
	    (stream = net_stream(c, fd, ts->url->host, ts->tls,
	    cause)) == NULL)
		return -1;
	ts->smtp = mailsmtp_new(0, NULL);
	mailsmtp_set_timeout(ts->smtp, (time_t)c->net_timeout);
	if (mailsmtp_connect(ts->smtp, stream) != MAILSMTP_NO_ERROR)
		return transport_smtp_fail(ts, "greeting", cause);
	if (ts->tls && tls_check(c, ts->smtp->stream, ts->url->host,
	    cause) != 0) {
		transport_smtp_hangup(ts);
		return -1;
	}
	if (mailesmtp_ehlo(ts->smtp) != MAILSMTP_NO_ERROR)
		return transport_smtp_fail(ts, "EHLO", cause);
	if (!ts->tls) {
		if ((ts->smtp->esmtp & MAILSMTP_ESMTP_STARTTLS) == 0) {
			*cause = g_strdup_printf("%s: the server does not "
			    "offer STARTTLS; not going on without TLS",
			    ts->name);
			transport_smtp_hangup(ts);
			return -1;
		}
		if (mailsmtp_socket_starttls_with_callback(ts->smtp, tls_sni,
		    ts->url->host) != MAILSMTP_NO_ERROR)
			return transport_smtp_fail(ts, "STARTTLS", cause);
		if (tls_check(c, ts->smtp->stream, ts->url->host, cause) != 0) {
			transport_smtp_hangup(ts);
			return -1;
		}
		if (mailesmtp_ehlo(ts->smtp) != MAILSMTP_NO_ERROR)
			return transport_smtp_fail(ts, "EHLO after STARTTLS",
			    cause);
	}
	if (ts->cred.user == NULL)
		return 0;
	if (ts->smtp->auth & MAILSMTP_AUTH_PLAIN)
		type = MAILSMTP_AUTH_PLAIN;
	else if (ts->smtp->auth & MAILSMTP_AUTH_LOGIN)
		type = MAILSMTP_AUTH_LOGIN;
	else {
		*cause = g_strdup_printf("%s: the server offers neither AUTH "
		    "PLAIN nor AUTH LOGIN", ts->name);
		transport_smtp_hangup(ts);
		return -1;
	}
	if (mailsmtp_auth_type(ts->smtp, ts->cred.user, ts->cred.password,
	    type) != MAILSMTP_NO_ERROR)
		return transport_smtp_fail(ts, "AUTH", cause);
	return 0;
}

static void	transport_smtp_close(void *);

/* Reads the URL, credentials and envelope sender, and connects, so that
 * a server that is down leaves every letter as it was. */
static void *
transport_smtp_open_tls(struct nintei *n, const char *scheme,
    const char *rest, int tls, char **cause)
{
	struct transport_smtp	*ts;
	const char		*ef = n->conf->envelope_from;

	ts = g_new0(struct transport_smtp, 1);
	ts->n = n;
	ts->tls = tls;
	if ((ts->url = net_url_parse(scheme, rest, tls ? 465 : 587,
	    cause)) == NULL)
		goto fail;
	ts->name = net_url_name(ts->url);
	if (ts->url->path != NULL) {
		*cause = g_strdup_printf("%s URL: no path, please", scheme);
		goto fail;
	}
	if (net_cred_load(n->conf->transport_credentials,
	    "NINTEI_TRANSPORT_PASSWORD", ts->url->user, &ts->cred,
	    cause) != 0)
		goto fail;
	if (ts->cred.user != NULL && ts->cred.password == NULL) {
		*cause = g_strdup_printf("%s: a user but no password: set "
		    "[transport] credentials (or NINTEI_TRANSPORT_PASSWORD)",
		    ts->name);
		goto fail;
	}
	/* Empty or "<>": the null sender, as RFC 3834 suggests. */
	if (ef == NULL || strcmp(ef, "<>") == 0)
		ts->from = g_strdup("");
	else {
		ts->from = g_strdup(ef + (*ef == '<'));
		if (*ef == '<' && g_str_has_suffix(ts->from, ">"))
			ts->from[strlen(ts->from) - 1] = '\0';
		if (!transport_smtp_addr_ok(ts->from)) {
			*cause = g_strdup_printf("[transport] envelope_from: "
			    "\"%s\" is not an address", ef);
			goto fail;
		}
	}
	if (transport_smtp_connect(ts, cause) != 0)
		goto fail;
	return ts;

fail:
	transport_smtp_close(ts);
	return NULL;
}

static void *
transport_smtp_open(struct nintei *n, const char *rest, char **cause)
{
	return transport_smtp_open_tls(n, "smtp", rest, 0, cause);
}

static void *
transport_smtps_open(struct nintei *n, const char *rest, char **cause)
{
	return transport_smtp_open_tls(n, "smtps", rest, 1, cause);
}

/*
 * What a refused step means for the letter: a broken connection or a 4xx
 * reply is worth another try later (-1), a 5xx reply is final (-2).  The
 * transaction is reset, or the connection dropped, for the next letter.
 */
static int
transport_smtp_refused(struct transport_smtp *ts, const char *what,
    char **cause)
{
	char	*said = transport_smtp_said(ts);
	int	 code = ts->smtp != NULL ? ts->smtp->response_code : 0;

	*cause = g_strdup_printf("%s: %s", what, said);
	g_free(said);
	if (code == 0)
		transport_smtp_hangup(ts);
	else if (mailsmtp_reset(ts->smtp) != MAILSMTP_NO_ERROR)
		transport_smtp_hangup(ts);
	return code >= 500 && code < 600 ? -2 : -1;
}

/*
 * Sends one letter to its recipients.  Any temporary refusal of a
 * recipient defers the whole letter (so nobody gets it twice); recipients
 * refused for good are left out and named in *cause while the others get
 * it (0 with *cause set); if all are refused for good, -2.
 */
static int
transport_smtp_deliver(void *data, const struct letterrow *l, char **cause)
{
	struct transport_smtp	*ts = data;
	GString			*refused = g_string_new(NULL);
	char			**rcpt, *said;
	const char		*raw;
	gsize			 len;
	int			 r = -1, i, ok = 0, code;

	rcpt = g_strsplit(l->rcpt, ",", -1);
	for (i = 0; rcpt[i] != NULL; i++) {
		g_strstrip(rcpt[i]);
		if (*rcpt[i] != '\0' && !transport_smtp_addr_ok(rcpt[i])) {
			*cause = g_strdup_printf("not an address: \"%s\"",
			    rcpt[i]);
			r = -2;
			goto out;
		}
	}
	if (ts->smtp == NULL && transport_smtp_connect(ts, cause) != 0)
		goto out;
	if (mailsmtp_mail(ts->smtp, ts->from) != MAILSMTP_NO_ERROR) {
		r = transport_smtp_refused(ts, "MAIL FROM", cause);
		goto out;
	}
	for (i = 0; rcpt[i] != NULL; i++) {
		if (*rcpt[i] == '\0')
			continue;
		if (mailsmtp_rcpt(ts->smtp, rcpt[i]) == MAILSMTP_NO_ERROR) {
			ok++;
			continue;
		}
		code = ts->smtp->response_code;
		if (code < 500 || code >= 600) {
			said = g_strdup_printf("RCPT TO <%s>", rcpt[i]);
			r = transport_smtp_refused(ts, said, cause);
			g_free(said);
			goto out;
		}
		said = transport_smtp_said(ts);
		g_string_append_printf(refused, "%sRCPT TO <%s>: %s",
		    refused->len > 0 ? "; " : "", rcpt[i], said);
		g_free(said);
	}
	if (ok == 0) {
		*cause = g_strdup(refused->len > 0 ? refused->str :
		    "no recipients");
		if (mailsmtp_reset(ts->smtp) != MAILSMTP_NO_ERROR)
			transport_smtp_hangup(ts);
		r = -2;
		goto out;
	}
	if (mailsmtp_data(ts->smtp) != MAILSMTP_NO_ERROR) {
		r = transport_smtp_refused(ts, "DATA", cause);
		goto out;
	}
	/* libetpan ends the data with CRLF.CRLF itself. */
	raw = g_bytes_get_data(l->raw, &len);
	if (len >= 2 && raw[len - 2] == '\r' && raw[len - 1] == '\n')
		len -= 2;
	else if (len >= 1 && raw[len - 1] == '\n')
		len--;
	if (mailsmtp_data_message(ts->smtp, raw, len) != MAILSMTP_NO_ERROR) {
		r = transport_smtp_refused(ts, "end of DATA", cause);
		goto out;
	}
	if (refused->len > 0)
		*cause = g_strdup_printf("delivered, but refused for some: %s",
		    refused->str);
	r = 0;
out:
	g_strfreev(rcpt);
	g_string_free(refused, TRUE);
	return r;
}

static void
transport_smtp_close(void *data)
{
	struct transport_smtp	*ts = data;

	if (ts == NULL)
		return;
	transport_smtp_hangup(ts);
	net_cred_clear(&ts->cred);
	net_url_free(ts->url);
	g_free(ts->name);
	g_free(ts->from);
	g_free(ts);
}

const struct transport transport_smtp = {
	.scheme = "smtp",
	.open = transport_smtp_open,
	.deliver = transport_smtp_deliver,
	.close = transport_smtp_close,
};

const struct transport transport_smtps = {
	.scheme = "smtps",
	.open = transport_smtps_open,
	.deliver = transport_smtp_deliver,
	.close = transport_smtp_close,
};
