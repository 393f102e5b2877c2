/* spf.c: SPF for the envelope sender with libspf2: the client address
 * from the Received header our own receiving host wrote (or from its
 * Authentication-Results when trusted), the sender from Return-Path. */

#include <setjmp.h>
#include <stdio.h>
#include <string.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <spf2/spf.h>
#include <spf2/spf_dns_zone.h>

#include "conf.h"
#include "intake.h"
#include "mail.h"
#include "nintei.h"

/* libspf2's error handler may not return: it jumps back here. */
static sigjmp_buf	spf_jump;
static int		spf_jump_set;

static void __attribute__((noreturn))
spf_error(const char *file, int line, const char *errmsg)
{
	log_warn("libspf2: %s:%d: %s", file != NULL ? file : "?", line,
	    errmsg != NULL ? errmsg : "?");
	if (spf_jump_set)
		siglongjmp(spf_jump, 1);
	fatal("libspf2 error outside a check");
}

static void
spf_quiet(const char *file, int line, const char *errmsg)
{
	(void)file;
	(void)line;
	(void)errmsg;
}

/* The RFC 7208 name of a result. */
static const char *
spf_name(SPF_result_t res)
{
	switch (res) {
	case SPF_RESULT_PASS:
		return "pass";
	case SPF_RESULT_FAIL:
		return "fail";
	case SPF_RESULT_SOFTFAIL:
		return "softfail";
	case SPF_RESULT_NEUTRAL:
		return "neutral";
	case SPF_RESULT_TEMPERROR:
		return "temperror";
	case SPF_RESULT_PERMERROR:
		return "permerror";
	default:
		return "none";
	}
}

void
spf_result_clear(struct spf_result *r)
{
	g_free(r->result);
	g_free(r->ip);
	g_free(r->sender);
	g_free(r->detail);
	memset(r, 0, sizeof *r);
}

/* The host name after "by" in a Received value, lower case, or NULL. */
static char *
spf_received_by(const char *v)
{
	const char	*p = v;
	size_t		 n;

	while ((p = strstr(p, "by ")) != NULL) {
		if (p == v || p[-1] == ' ' || p[-1] == '\t' || p[-1] == ')') {
			p += 3;
			while (*p == ' ')
				p++;
			n = strcspn(p, " \t;()");
			return g_ascii_strdown(p, (gssize)n);
		}
		p += 3;
	}
	return NULL;
}

/* The first address in brackets of the "from" part of a Received value
 * ("[192.0.2.1]", "[IPv6:2001:db8::1]"), or NULL. */
static char *
spf_received_ip(const char *v)
{
	const char	*p, *end, *by;
	char		*ip;
	unsigned char	 buf[16];

	by = strstr(v, " by ");
	for (p = v; (p = strchr(p, '[')) != NULL; p++) {
		if (by != NULL && p > by)
			break;
		if ((end = strchr(p, ']')) == NULL)
			break;
		ip = g_strndup(p + 1, (gsize)(end - p - 1));
		if (g_ascii_strncasecmp(ip, "IPv6:", 5) == 0)
			memmove(ip, ip + 5, strlen(ip + 5) + 1);
		if (inet_pton(AF_INET, ip, buf) == 1 ||
		    inet_pton(AF_INET6, ip, buf) == 1)
			return ip;
		g_free(ip);
	}
	return NULL;
}

/*
 * The client address: from the topmost Received header our receiving
 * host wrote, or from the Received header at the trusted hop count.
 */
static char *
spf_client(const struct conf *c, const struct mail *m)
{
	const char	*v;
	char		*by;
	guint		 i;
	int		 mine;

	if (c->spf_hops > 0) {
		if ((guint)c->spf_hops > m->received->len)
			return NULL;
		return spf_received_ip(g_ptr_array_index(m->received,
		    c->spf_hops - 1));
	}
	if (c->spf_host == NULL)
		return NULL;
	for (i = 0; i < m->received->len; i++) {
		v = g_ptr_array_index(m->received, i);
		by = spf_received_by(v);
		mine = by != NULL && g_ascii_strcasecmp(by, c->spf_host) == 0;
		g_free(by);
		if (mine)
			return spf_received_ip(v);
	}
	return NULL;
}

/* spf=RESULT from our receiving host's Authentication-Results, or NULL. */
static char *
spf_authres(const struct conf *c, const struct mail *m)
{
	const char	*v, *p;
	char		*id, *res;
	guint		 i;
	size_t		 n;

	if (!c->spf_trust_authres || c->spf_host == NULL)
		return NULL;
	for (i = 0; i < m->authres->len; i++) {
		v = g_ptr_array_index(m->authres, i);
		n = strcspn(v, "; \t");
		id = g_strndup(v, n);
		if (g_ascii_strcasecmp(id, c->spf_host) != 0) {
			g_free(id);
			continue;
		}
		g_free(id);
		for (p = v; (p = strstr(p, "spf=")) != NULL; p += 4) {
			if (p != v && p[-1] != ' ' && p[-1] != ';' &&
			    p[-1] != '\t')
				continue;
			res = g_ascii_strdown(p + 4, (gssize)strcspn(p + 4,
			    " \t;("));
			return res;
		}
	}
	return NULL;
}

/* Loads a test zone: lines "domain TXT text" or "domain SERVFAIL". */
static SPF_dns_server_t *
spf_zone(const char *file, char **cause)
{
	SPF_dns_server_t	*z;
	char			*text, **lines, **f;
	size_t			 i;

	if (!g_file_get_contents(file, &text, NULL, NULL)) {
		*cause = g_strdup_printf("[screen] spf_zone: cannot read %s",
		    file);
		return NULL;
	}
	z = SPF_dns_zone_new(NULL, "nintei", 0);
	lines = g_strsplit(text, "\n", -1);
	for (i = 0; z != NULL && lines[i] != NULL; i++) {
		g_strstrip(lines[i]);
		if (*lines[i] == '\0' || *lines[i] == '#')
			continue;
		f = g_strsplit_set(lines[i], " \t", 3);
		if (f[0] != NULL && f[1] != NULL &&
		    strcmp(f[1], "SERVFAIL") == 0)
			SPF_dns_zone_add_str(z, f[0], ns_t_txt, TRY_AGAIN,
			    NULL);
		else if (f[0] != NULL && f[1] != NULL && f[2] != NULL &&
		    strcmp(f[1], "TXT") == 0)
			SPF_dns_zone_add_str(z, f[0], ns_t_txt, NETDB_SUCCESS,
			    g_strstrip(f[2]));
		g_strfreev(f);
	}
	g_strfreev(lines);
	g_free(text);
	return z;
}

/* Asks libspf2 (under the jump buffer spf_check set). */
static int
spf_query(const struct conf *c, struct spf_result *r, char **cause)
{
	SPF_server_t		*srv;
	SPF_dns_server_t	*zone = NULL;
	SPF_request_t		*req;
	SPF_response_t		*resp = NULL;
	SPF_result_t		 res;
	SPF_errcode_t		 err;

	if (c->spf_zone != NULL) {
		if ((zone = spf_zone(c->spf_zone, cause)) == NULL)
			return -1;
		srv = SPF_server_new_dns(zone, 0);
	} else
		srv = SPF_server_new(SPF_DNS_CACHE, 0);
	if (srv == NULL) {
		*cause = g_strdup("libspf2: no server");
		return -1;
	}
	req = SPF_request_new(srv);
	if (strchr(r->ip, ':') != NULL)
		err = SPF_request_set_ipv6_str(req, r->ip);
	else
		err = SPF_request_set_ipv4_str(req, r->ip);
	if (err == SPF_E_SUCCESS &&
	    SPF_request_set_env_from(req, r->sender) == 0) {
		err = SPF_request_query_mailfrom(req, &resp);
		res = SPF_response_result(resp);
		if (res == SPF_RESULT_INVALID) {
			/* A DNS failure: temporary; anything else: broken. */
			r->result = g_strdup(err == SPF_E_DNS_ERROR ||
			    SPF_response_errcode(resp) == SPF_E_DNS_ERROR ?
			    "temperror" : "permerror");
		} else if (res == SPF_RESULT_NONE || err == SPF_E_NOT_SPF ||
		    SPF_response_errcode(resp) == SPF_E_NOT_SPF)
			r->result = g_strdup("none");
		else
			r->result = g_strdup(spf_name(res));
	} else
		r->result = g_strdup("permerror");
	if (resp != NULL)
		SPF_response_free(resp);
	SPF_request_free(req);
	SPF_server_free(srv);
	if (zone != NULL)
		SPF_dns_free(zone);	/* a server given a resolver keeps it */
	return 0;
}

/*
 * Checks the message's envelope sender.  Sets r->result to pass, fail,
 * softfail, neutral, none, temperror or permerror, with the address and
 * sender used.  Returns -1 only when SPF cannot be set up.
 */
int
spf_check(const struct conf *c, const struct mail *m, struct spf_result *r,
    char **cause)
{
	char			*at;
	int			 rc;

	memset(r, 0, sizeof *r);
	r->sender = g_strdup(m->return_path != NULL && *m->return_path !=
	    '\0' ? m->return_path : m->from);
	if ((r->result = spf_authres(c, m)) != NULL) {
		r->detail = g_strdup_printf("%s の Authentication-Results",
		    c->spf_host);
		return 0;
	}
	if ((r->ip = spf_client(c, m)) == NULL) {
		r->result = g_strdup("none");
		r->detail = g_strdup("受信サーバーの Received ヘッダーが"
		    "ないため、送信元を確認できません");
		return 0;
	}
	if ((at = strrchr(r->sender, '@')) == NULL || at[1] == '\0') {
		r->result = g_strdup("none");
		r->detail = g_strdup("差出人のドメインがありません");
		return 0;
	}
	SPF_error_handler = spf_error;
	SPF_warning_handler = spf_quiet;
	SPF_info_handler = NULL;
	SPF_debug_handler = NULL;
	if (sigsetjmp(spf_jump, 0) != 0) {
		spf_jump_set = 0;
		g_free(r->result);
		r->result = g_strdup("temperror");
		r->detail = g_strdup("libspf2 の内部エラー");
		return 0;
	}
	spf_jump_set = 1;
	rc = spf_query(c, r, cause);
	spf_jump_set = 0;
	return rc;
}
