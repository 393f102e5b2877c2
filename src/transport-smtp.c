/* transport-smtp.c: letters handed to an SMTP server (smtp:// with
 * STARTTLS required, or smtps://), with AUTH PLAIN or LOGIN after the
 * certificate is checked, the transaction and the DATA written by nintei
 * with every write checked; the server's answer decides: 2xx delivered,
 * 4xx or a broken connection try again later, 5xx refused for good (with
 * the server's words). */

#include <stdlib.h>
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
	int		 code;		/* the last reply's, 0: none came */
	char		*reply;		/* the last reply, one clean line */
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

/* Bytes handed to mailstream_write at a time: well under its 8 KiB
 * buffer, so that it buffers them or fails, and never writes past its
 * buffer with a short count it does not check itself. */
#define TRANSPORT_SMTP_CHUNK	4096

/* The longest line RFC 5322 2.1.1 allows, without its CRLF. */
#define TRANSPORT_SMTP_LINE	998

/* The longest reply nintei reads before calling the server broken. */
#define TRANSPORT_SMTP_REPLY	8192

/* Remembers the server's reply (from libetpan's session, after one of its
 * commands): the code, or 0 when none came. */
static void
transport_smtp_took(struct transport_smtp *ts, int r)
{
	char	*text;

	g_free(ts->reply);
	ts->reply = NULL;
	ts->code = 0;
	if (r == MAILSMTP_ERROR_STREAM || ts->smtp == NULL ||
	    ts->smtp->response_code == 0)
		return;
	ts->code = ts->smtp->response_code;
	text = g_strdup_printf("%d %s", ts->code, ts->smtp->response != NULL ?
	    ts->smtp->response : "");
	ts->reply = util_clean(g_strstrip(text));
	g_free(text);
}

/* The server's last reply as one clean line: "550 5.1.1 no such user". */
static char *
transport_smtp_said(struct transport_smtp *ts)
{
	if (ts->code == 0 || ts->reply == NULL)
		return g_strdup("the connection broke");
	return g_strdup(ts->reply);
}

/* With [transport] debug: every buffer libetpan writes, as its length and
 * SHA-256 (the text of short commands too), and every line read; what
 * libetpan marks private (AUTH) only by its length. */
static void
transport_smtp_logger(mailsmtp *smtp, int type, const char *str, size_t size,
    void *data)
{
	struct transport_smtp	*ts = data;
	char			*sum, *text;

	(void)smtp;
	switch (type) {
	case MAILSTREAM_LOG_TYPE_DATA_SENT:
		sum = g_compute_checksum_for_data(G_CHECKSUM_SHA256,
		    (const guchar *)str, size);
		text = size <= 80 ? util_clean(g_strndup(str, size)) : NULL;
		log_info("%s: > %zu bytes, sha256 %s%s%s", ts->name, size,
		    sum, text != NULL ? ": " : "", text != NULL ? text : "");
		g_free(text);
		g_free(sum);
		break;
	case MAILSTREAM_LOG_TYPE_DATA_SENT_PRIVATE:
		log_info("%s: > %zu bytes (private)", ts->name, size);
		break;
	case MAILSTREAM_LOG_TYPE_DATA_RECEIVED:
		text = util_clean(g_strndup(str, MIN(size, 200)));
		log_info("%s: < %zu bytes: %s", ts->name, size, text);
		g_free(text);
		break;
	case MAILSTREAM_LOG_TYPE_ERROR_SENT:
		log_info("%s: > write failed", ts->name);
		break;
	case MAILSTREAM_LOG_TYPE_ERROR_RECEIVED:
		log_info("%s: < read failed", ts->name);
		break;
	}
}

/* How long the next read or write may wait, in seconds (at least 1:
 * libetpan reads 0 as its own default). */
static void
transport_smtp_wait(struct transport_smtp *ts, int64_t seconds)
{
	if (ts->smtp != NULL && ts->smtp->stream != NULL)
		mailstream_low_set_timeout(mailstream_get_low(ts->smtp->stream),
		    (time_t)MAX(seconds, 1));
}

/*
 * Test hook: NINTEI_FAULT_SMTP=fail:N or short:N makes the Nth write of
 * this process (commands and DATA chunks, counted from 1) fail before
 * anything goes out, or write half its bytes and report that count as
 * libetpan's direct writes do; so that the tests see a broken write in
 * the middle of a letter, which a real server cannot give on demand.
 */
static int
transport_smtp_fault(void)
{
	static int	 writes;
	const char	*f = getenv("NINTEI_FAULT_SMTP"), *colon;

	writes++;
	if (f == NULL || (colon = strchr(f, ':')) == NULL ||
	    atoi(colon + 1) != writes)
		return 0;
	if (strncmp(f, "fail:", 5) == 0)
		return 1;
	if (strncmp(f, "short:", 6) == 0)
		return 2;
	return 0;
}

/* Writes len bytes, a chunk at a time, and flushes them: 0, or -1 if
 * any write or the flush failed or came short (the stream is then broken:
 * nothing more may be written to it). */
static int
transport_smtp_write(struct transport_smtp *ts, const char *buf, size_t len)
{
	mailstream	*s = ts->smtp != NULL ? ts->smtp->stream : NULL;
	size_t		 off, n;
	ssize_t		 w;

	if (s == NULL)
		return -1;
	transport_smtp_wait(ts, ts->n->conf->net_timeout);
	for (off = 0; off < len; off += n) {
		n = MIN(len - off, TRANSPORT_SMTP_CHUNK);
		switch (transport_smtp_fault()) {
		case 1:
			return -1;
		case 2:
			w = mailstream_write(s, buf + off, n / 2);
			break;
		default:
			w = mailstream_write(s, buf + off, n);
			break;
		}
		if (w != (ssize_t)n)
			return -1;
	}
	return mailstream_flush(s) == 0 ? 0 : -1;
}

/*
 * Reads one reply, single or multiline, waiting at most seconds for each
 * read: its code (and ts->reply), or -1 if the stream broke, timed out or
 * sent something that is not an SMTP reply.
 */
static int
transport_smtp_reply(struct transport_smtp *ts, int64_t seconds)
{
	MMAPString	*line;
	GString		*text = g_string_new(NULL);
	char		*l;
	int		 code = -1, c;

	g_free(ts->reply);
	ts->reply = NULL;
	ts->code = 0;
	if (ts->smtp == NULL || ts->smtp->stream == NULL)
		return -1;
	transport_smtp_wait(ts, seconds);
	line = mmap_string_new("");
	for (;;) {
		l = mailstream_read_line_remove_eol(ts->smtp->stream, line);
		if (l == NULL || !g_ascii_isdigit(l[0]) ||
		    !g_ascii_isdigit(l[1]) || !g_ascii_isdigit(l[2]) ||
		    (l[3] != '\0' && l[3] != ' ' && l[3] != '-')) {
			code = -1;
			break;
		}
		c = (l[0] - '0') * 100 + (l[1] - '0') * 10 + (l[2] - '0');
		if (code != -1 && c != code)
			break;
		code = c;
		if (l[3] != '\0')
			g_string_append_printf(text, "%s%s",
			    text->len > 0 ? " " : "", l + 4);
		if (text->len > TRANSPORT_SMTP_REPLY) {
			code = -1;
			break;
		}
		if (l[3] != '-')
			break;
	}
	mmap_string_free(line);
	if (code >= 100) {
		ts->code = code;
		l = g_strdup_printf("%d %s", code, text->str);
		ts->reply = util_clean(g_strstrip(l));
		g_free(l);
	} else
		code = -1;
	g_string_free(text, TRUE);
	return code;
}

/* Sends one command line and reads its reply within seconds: the code,
 * or -1 if the stream broke. */
static int
transport_smtp_command(struct transport_smtp *ts, const char *cmd,
    int64_t seconds)
{
	char	*line = g_strdup_printf("%s\r\n", cmd);
	int	 r;

	g_free(ts->reply);
	ts->reply = NULL;
	ts->code = 0;
	r = transport_smtp_write(ts, line, strlen(line));
	g_free(line);
	if (r != 0)
		return -1;
	return transport_smtp_reply(ts, seconds);
}

/* Closes the connection: with QUIT when the stream still stands in step
 * with the server, without a word when it broke (whatever libetpan still
 * holds unsent must never reach the server). */
static void
transport_smtp_hangup(struct transport_smtp *ts, int quit)
{
	if (ts->smtp == NULL)
		return;
	if (quit)
		(void)transport_smtp_command(ts, "QUIT",
		    ts->n->conf->net_timeout);
	mailsmtp_free(ts->smtp);
	ts->smtp = NULL;
}

/* A failed step while connecting: *cause with the server's words. */
static int
transport_smtp_fail(struct transport_smtp *ts, const char *what, int r,
    char **cause)
{
	char	*said;

	transport_smtp_took(ts, r);
	said = transport_smtp_said(ts);
	*cause = g_strdup_printf("%s: %s: %s", ts->name, what, said);
	g_free(said);
	transport_smtp_hangup(ts, ts->code != 0);
	return -1;
}

/*
 * Connects and greets; makes sure of TLS (at once, or STARTTLS required,
 * then EHLO again), checks the certificate, and authenticates if there
 * are credentials: PLAIN if offered, else LOGIN.  libetpan speaks these
 * commands; each of its reads and writes waits [transport]
 * command_timeout at most (RFC 5321 4.5.3.2: 5 minutes), the TCP and TLS
 * connection [limits] network_timeout.
 */
static int
transport_smtp_connect(struct transport_smtp *ts, char **cause)
{
	const struct conf	*c = ts->n->conf;
	mailstream		*stream;
	int			 fd, type, r;

	if ((fd = net_connect(c, ts->url->host, ts->url->port, cause)) < 0 ||
	    (stream = net_stream(c, fd, ts->url->host, ts->tls,
	    cause)) == NULL)
		return -1;
	ts->smtp = mailsmtp_new(0, NULL);
	if (c->smtp_debug)
		mailsmtp_set_logger(ts->smtp, transport_smtp_logger, ts);
	/* The TLS handshake after STARTTLS waits this long. */
	mailsmtp_set_timeout(ts->smtp, (time_t)MAX(c->net_timeout, 1));
	mailstream_low_set_timeout(mailstream_get_low(stream),
	    (time_t)MAX(c->smtp_command_timeout, 1));
	if ((r = mailsmtp_connect(ts->smtp, stream)) != MAILSMTP_NO_ERROR)
		return transport_smtp_fail(ts, "greeting", r, cause);
	if (ts->tls && tls_check(c, ts->smtp->stream, ts->url->host,
	    cause) != 0) {
		transport_smtp_hangup(ts, 1);
		return -1;
	}
	if ((r = mailesmtp_ehlo(ts->smtp)) != MAILSMTP_NO_ERROR)
		return transport_smtp_fail(ts, "EHLO", r, cause);
	if (!ts->tls) {
		if ((ts->smtp->esmtp & MAILSMTP_ESMTP_STARTTLS) == 0) {
			*cause = g_strdup_printf("%s: the server does not "
			    "offer STARTTLS; not going on without TLS",
			    ts->name);
			transport_smtp_hangup(ts, 1);
			return -1;
		}
		if ((r = mailsmtp_socket_starttls_with_callback(ts->smtp,
		    tls_sni, ts->url->host)) != MAILSMTP_NO_ERROR)
			return transport_smtp_fail(ts, "STARTTLS", r, cause);
		transport_smtp_wait(ts, c->smtp_command_timeout);
		if (tls_check(c, ts->smtp->stream, ts->url->host, cause) != 0) {
			transport_smtp_hangup(ts, 1);
			return -1;
		}
		if ((r = mailesmtp_ehlo(ts->smtp)) != MAILSMTP_NO_ERROR)
			return transport_smtp_fail(ts, "EHLO after STARTTLS",
			    r, cause);
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
		transport_smtp_hangup(ts, 1);
		return -1;
	}
	if ((r = mailsmtp_auth_type(ts->smtp, ts->cred.user,
	    ts->cred.password, type)) != MAILSMTP_NO_ERROR)
		return transport_smtp_fail(ts, "AUTH", r, cause);
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
 * What a refused step means for the letter: a 4xx reply is worth another
 * try later (-1), a 5xx reply is final (-2); the transaction is reset
 * for the next letter (or the connection closed if RSET fails).  A step
 * without a reply broke the stream: the connection is closed without
 * another word, and the letter waits for the backoff (-1).
 */
static int
transport_smtp_refused(struct transport_smtp *ts, const char *what,
    char **cause)
{
	char	*said;
	int	 code = ts->code;

	if (code == 0) {
		*cause = g_strdup_printf("connection lost during %s", what);
		transport_smtp_hangup(ts, 0);
		return -1;
	}
	said = transport_smtp_said(ts);
	*cause = g_strdup_printf("%s: %s", what, said);
	g_free(said);
	if (transport_smtp_command(ts, "RSET", ts->n->conf->smtp_command_timeout)
	    / 100 != 2)
		transport_smtp_hangup(ts, ts->code != 0);
	return code >= 500 && code < 600 ? -2 : -1;
}

/*
 * The letter as DATA sends it: every line ended by CRLF, a line starting
 * with a dot given another (RFC 5321 4.5.2), then the lone dot.  NULL,
 * with *cause, if a line is longer than RFC 5322 2.1.1 allows: such a
 * letter is not sent at all.
 */
static GString *
transport_smtp_data(const char *raw, size_t len, char **cause)
{
	GString		*out;
	const char	*p = raw, *end = raw + len, *nl;
	size_t		 n, lineno = 0;

	out = g_string_sized_new(len + len / 64 + 8);
	while (p < end) {
		lineno++;
		nl = memchr(p, '\n', (size_t)(end - p));
		n = (size_t)((nl != NULL ? nl : end) - p);
		if (n > 0 && p[n - 1] == '\r')
			n--;
		if (n > TRANSPORT_SMTP_LINE) {
			*cause = g_strdup_printf("line %zu of the letter has "
			    "%zu bytes, over the %d of RFC 5322; not sent",
			    lineno, n, TRANSPORT_SMTP_LINE);
			g_string_free(out, TRUE);
			return NULL;
		}
		if (n > 0 && *p == '.')
			g_string_append_c(out, '.');
		g_string_append_len(out, p, (gssize)n);
		g_string_append(out, "\r\n");
		p = nl != NULL ? nl + 1 : end;
	}
	g_string_append(out, ".\r\n");
	return out;
}

/*
 * Sends one letter to its recipients.  Any temporary refusal of a
 * recipient defers the whole letter (so nobody gets it twice); recipients
 * refused for good are left out and named in *cause while the others get
 * it (0 with *cause set); if all are refused for good, -2.  nintei writes
 * the DATA itself and checks every write: a broken stream at any step
 * closes the connection and leaves the letter for the backoff.  If the
 * reply after the final dot never comes, the server may have the letter
 * or not: it stays queued and goes again later with the same Message-ID
 * (the one case where SMTP cannot promise once, RFC 1047).
 */
static int
transport_smtp_deliver(void *data, const struct letterrow *l, char **cause)
{
	struct transport_smtp	*ts = data;
	const struct conf	*c = ts->n->conf;
	GString			*refused = g_string_new(NULL), *wire = NULL;
	char			**rcpt, *said, *cmd;
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
	raw = g_bytes_get_data(l->raw, &len);
	if ((wire = transport_smtp_data(raw, len, cause)) == NULL) {
		r = -2;
		goto out;
	}
	if (ts->smtp == NULL && transport_smtp_connect(ts, cause) != 0)
		goto out;
	cmd = g_strdup_printf("MAIL FROM:<%s>", ts->from);
	code = transport_smtp_command(ts, cmd, c->smtp_command_timeout);
	g_free(cmd);
	if (code / 100 != 2) {
		r = transport_smtp_refused(ts, "MAIL FROM", cause);
		goto out;
	}
	for (i = 0; rcpt[i] != NULL; i++) {
		if (*rcpt[i] == '\0')
			continue;
		cmd = g_strdup_printf("RCPT TO:<%s>", rcpt[i]);
		code = transport_smtp_command(ts, cmd, c->smtp_command_timeout);
		g_free(cmd);
		if (code / 100 == 2) {
			ok++;
			continue;
		}
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
		if (transport_smtp_command(ts, "RSET",
		    c->smtp_command_timeout) / 100 != 2)
			transport_smtp_hangup(ts, ts->code != 0);
		r = -2;
		goto out;
	}
	if (transport_smtp_command(ts, "DATA", c->smtp_data_timeout) != 354) {
		r = transport_smtp_refused(ts, "DATA", cause);
		goto out;
	}
	if (c->smtp_debug) {
		said = g_compute_checksum_for_data(G_CHECKSUM_SHA256,
		    (const guchar *)raw, len);
		log_info("%s: letter %s: %zu bytes, sha256 %s; %zu bytes of "
		    "DATA", ts->name, l->message_id, (size_t)len, said,
		    wire->len);
		g_free(said);
	}
	if (transport_smtp_write(ts, wire->str, wire->len) != 0) {
		*cause = g_strdup("connection lost during DATA");
		transport_smtp_hangup(ts, 0);
		goto out;
	}
	if ((code = transport_smtp_reply(ts, c->smtp_final_timeout)) < 0) {
		*cause = g_strdup_printf("no reply after the end of DATA "
		    "(the server may have the letter; it goes again with the "
		    "same Message-ID)");
		transport_smtp_hangup(ts, 0);
		goto out;
	}
	if (code / 100 != 2) {
		said = transport_smtp_said(ts);
		*cause = g_strdup_printf("end of DATA: %s", said);
		g_free(said);
		r = code >= 500 && code < 600 ? -2 : -1;
		goto out;
	}
	if (refused->len > 0)
		*cause = g_strdup_printf("delivered, but refused for some: %s",
		    refused->str);
	r = 0;
out:
	if (wire != NULL)
		g_string_free(wire, TRUE);
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
	transport_smtp_hangup(ts, 1);
	net_cred_clear(&ts->cred);
	net_url_free(ts->url);
	g_free(ts->name);
	g_free(ts->from);
	g_free(ts->reply);
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
