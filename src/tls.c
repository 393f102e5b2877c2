/* tls.c: what libetpan's TLS leaves out: the server name sent (SNI), and
 * the check of the server's certificate chain and host name against the
 * system store or [tls] ca_file, made before any credentials are sent. */

#include <string.h>
#include <arpa/inet.h>

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "conf.h"
#include "net.h"

/* Most certificates a server may present; more is not a real chain. */
#define TLS_CHAIN_MAX	16

/* Is host an IPv4 or IPv6 literal (which SNI may not carry)? */
static int
tls_is_address(const char *host)
{
	unsigned char	buf[sizeof(struct in6_addr)];

	return inet_pton(AF_INET, host, buf) == 1 ||
	    inet_pton(AF_INET6, host, buf) == 1;
}

/* libetpan's callback before the handshake: sends the server name. */
void
tls_sni(struct mailstream_ssl_context *ctx, void *data)
{
	char	*host = data;

	if (!tls_is_address(host))
		mailstream_ssl_set_server_name(ctx, host);
}

/* The trust anchors: [tls] ca_file, or the system store. */
static gnutls_x509_trust_list_t
tls_anchors(const struct conf *c, char **cause)
{
	gnutls_x509_trust_list_t	tl;
	int				r;

	if (gnutls_x509_trust_list_init(&tl, 0) < 0) {
		*cause = g_strdup("TLS: cannot make a trust list");
		return NULL;
	}
	if (c->tls_ca_file != NULL) {
		r = gnutls_x509_trust_list_add_trust_file(tl, c->tls_ca_file,
		    NULL, GNUTLS_X509_FMT_PEM, 0, 0);
		if (r <= 0)
			*cause = g_strdup_printf("[tls] ca_file %s: no CA "
			    "certificate read (%s)", c->tls_ca_file, r < 0 ?
			    gnutls_strerror(r) : "empty");
	} else {
		r = gnutls_x509_trust_list_add_system_trust(tl, 0, 0);
		if (r <= 0)
			*cause = g_strdup("TLS: no CA certificates in the "
			    "system store (install ca-certificates, or set "
			    "[tls] ca_file)");
	}
	if (r <= 0) {
		gnutls_x509_trust_list_deinit(tl, 1);
		return NULL;
	}
	return tl;
}

/*
 * Checks the certificate chain the server sent on stream: it must lead to
 * a trusted CA, be valid now, be meant for a TLS server, and name host.
 * With [tls] verify = no it only warns, once per run.  Returns -1 with
 * *cause when the server is not to be trusted with credentials.
 */
int
tls_check(const struct conf *c, mailstream *stream, const char *host,
    char **cause)
{
	static int			 warned;
	gnutls_x509_trust_list_t	 tl;
	gnutls_x509_crt_t		 crts[TLS_CHAIN_MAX];
	gnutls_datum_t			 der, text;
	gnutls_typed_vdata_st		 data[2];
	carray				*chain;
	MMAPString			*s;
	unsigned int			 i, n = 0, status = 0;
	int				 r = -1;

	if (!c->tls_verify) {
		if (!warned)
			log_warn("[tls] verify = no: the certificate of %s is "
			    "not checked; this is for a lab only", host);
		warned = 1;
		return 0;
	}
	chain = mailstream_get_certificate_chain(stream);
	if (chain == NULL || carray_count(chain) == 0) {
		*cause = g_strdup_printf("%s: the server sent no certificate",
		    host);
		goto out;
	}
	for (i = 0; i < carray_count(chain) && n < TLS_CHAIN_MAX; i++) {
		s = carray_get(chain, i);
		if (s == NULL || gnutls_x509_crt_init(&crts[n]) < 0)
			continue;
		der.data = (unsigned char *)s->str;
		der.size = (unsigned int)s->len;
		if (gnutls_x509_crt_import(crts[n], &der,
		    GNUTLS_X509_FMT_DER) < 0) {
			gnutls_x509_crt_deinit(crts[n]);
			continue;
		}
		n++;
	}
	if (n == 0) {
		*cause = g_strdup_printf("%s: unreadable certificate", host);
		goto out;
	}
	if ((tl = tls_anchors(c, cause)) == NULL)
		goto out;
	memset(data, 0, sizeof data);
	data[0].type = GNUTLS_DT_DNS_HOSTNAME;
	data[0].data = (unsigned char *)host;
	data[1].type = GNUTLS_DT_KEY_PURPOSE_OID;
	data[1].data = (unsigned char *)GNUTLS_KP_TLS_WWW_SERVER;
	if (gnutls_x509_trust_list_verify_crt2(tl, crts, n, data, 2, 0,
	    &status, NULL) < 0)
		status = GNUTLS_CERT_INVALID;
	gnutls_x509_trust_list_deinit(tl, 1);
	if (status != 0) {
		if (gnutls_certificate_verification_status_print(status,
		    GNUTLS_CRT_X509, &text, 0) == 0) {
			*cause = g_strdup_printf("%s: certificate refused, not "
			    "logging in: %s", host, g_strstrip((char *)
			    text.data));
			gnutls_free(text.data);
		} else
			*cause = g_strdup_printf("%s: certificate refused, not "
			    "logging in", host);
		goto out;
	}
	r = 0;
out:
	for (i = 0; i < n; i++)
		gnutls_x509_crt_deinit(crts[i]);
	if (chain != NULL)
		mailstream_certificate_chain_free(chain);
	return r;
}
