/* servers.h: real servers for the network tests, all on 127.0.0.1 and
 * started by the tests: a CA and certificates made with openssl, Dovecot
 * for IMAP and POP3, an SMTP server (aiosmtpd, tests/servers/smtpd.py),
 * and a proxy that cuts connections midway (tests/servers/cutproxy.py). */
#ifndef SERVERS_H
#define SERVERS_H

#include <glib.h>

struct srv {
	char	*dir;		/* certificates, configurations, logs, mail */
	char	*ca;		/* the test CA, for [tls] ca_file */
	char	*cert;		/* the servers' certificate: DNS:localhost */
	char	*key;

	char	*dovecot_conf;	/* NULL until started */
	char	*dovecot_log;
	int	 imap, imaps, pop3, pop3s;

	char	*smtp_dir;	/* the SMTP server's folder, NULL until
				   started: its log, "tempfail", its mail */
	GPid	 smtp_pid;
	int	 smtp, smtps, smtps_self;	/* the last: self-signed */

	char	*slow_dir;	/* tests/servers/slowsmtpd.py's folder: its
				   log, "mode", its mail; NULL until started */
	GPid	 slow_pid;
	int	 slow, slow_small;	/* its ports (implicit TLS); the
					   second with a 4 KiB receive buffer */

	GPid	 proxy_pid;
	int	 proxy;
};

/* What a test made, undone after it by srv_cleanup (even when it
 * fails): a new folder under build/tmp, and strings freed. */
char		*srv_dir(const char *);
char		*srv_own(char *);
int		 srv_cleanup(void **);
/* A network test, cleaned up after. */
#define SRV_TEST(f)	cmocka_unit_test_teardown(f, srv_cleanup)
/* The group teardown: stops the servers srv_new started. */
int		 srv_teardown(void **);

/* The password of every mailbox user and of the SMTP user "sender". */
#define SRV_PASSWORD	"open sesame 2026"

/* A folder under /tmp (the servers' users must reach it), free ports
 * derived from the pid, and the certificates. */
struct srv	*srv_new(void);
/* Stops whatever runs and removes the folder. */
void		 srv_free(struct srv *);

/* Dovecot with users (NULL-terminated names), all with SRV_PASSWORD. */
void		 srv_dovecot_start(struct srv *, const char *const *);
void		 srv_dovecot_stop(struct srv *);
/* The Maildir folder ("" for INBOX, else the folder's name) and sub
 * (new, cur) of a user. */
char		*srv_maildir(struct srv *, const char *, const char *,
		    const char *);
/* Puts a message (LF turned into CRLF) into a user's INBOX, and has
 * Dovecot give it the next UID. */
void		 srv_deliver(struct srv *, const char *, const char *,
		    const char *, gsize);
/* The files in a user's folder (new and cur together), sorted. */
GPtrArray	*srv_mail(struct srv *, const char *, const char *);

/* The SMTP server: user "sender", SRV_PASSWORD. */
void		 srv_smtp_start(struct srv *);
/* The SMTP server that stalls, reads slowly or holds back its final
 * reply as its file "mode" says: user "sender", SRV_PASSWORD. */
void		 srv_slow_start(struct srv *);

/* A proxy on srv->proxy to the port given that cuts each connection after
 * the server sent cut bytes (0: never). */
void		 srv_proxy_start(struct srv *, int, long);
void		 srv_proxy_stop(struct srv *);

/*
 * A test spool in dir whose source is url, with a credentials file for
 * user (mode 0600), the test CA as [tls] ca_file, and extra lines last
 * (which win over the same keys before them).  Returns the configuration.
 */
char		*srv_conf(struct srv *, const char *, const char *,
		    const char *, const char *);
/*
 * A test spool in dir whose letters go to url_scheme://localhost:port as
 * user "sender" (credentials file of the mode given), the test CA as
 * [tls] ca_file, with extra lines last.  Returns the configuration.
 */
char		*srv_transport_conf(struct srv *, const char *, const char *,
		    int, int, const char *);
/* Ingests srv_message(1, from, 1, 0) with the configuration given (dir:
 * its spool folder): case 2026-0001 and two letters queued, the
 * acknowledgement and the deficiency letter its placeholder forms earn. */
void		 srv_apply(const char *, const char *, const char *);
/* A message (CRLF) with Message-ID <n@test.example>, from the address
 * given, an application (a ZIP attached) if app, padded to pad bytes. */
char		*srv_message(int, const char *, int, gsize);
/* Makes the spool of dir refuse to record these bytes (the intake's
 * temporary failure), or (unblock) accept them again. */
void		 srv_block(const char *, const char *, int);
/* How many messages the store of conf recorded. */
int		 srv_recorded(const char *);
/* How many letters the Maildir transport of a test spool holds. */
int		 srv_letters(const char *);

/* How many messages a user's folder ("" for INBOX) holds. */
int		 srv_held(struct srv *, const char *, const char *);
/* Runs nintei -v poll; returns its exit status, and its log in *err. */
int		 srv_poll(const char *, char **);
/* Fails the test, showing the log, unless the log holds needle. */
void		 srv_has(const char *, const char *);

/* Fails the test unless Dovecot logged a login of user through the
 * service given (imap-login, pop3-login), over TLS. */
void		 srv_tls_login(struct srv *, const char *, const char *);

/* Compares by SHA-256 every letter a server's log (smtpd.log,
 * slowsmtpd.log) says it received with its row in the store of the test
 * spool dir, failing the test on any difference; returns how many of the
 * log's letters are this store's. */
int		 srv_delivered_whole(const char *, const char *);

/* How many lines of a file hold needle. */
int		 srv_count(const char *, const char *);
/* Writes a credentials file with the mode given; returns its path. */
char		*srv_credentials(const char *, const char *, const char *,
		    int);
/* text with every LF made CRLF (CRLF left alone). */
char		*srv_crlf(const char *, gsize, gsize *);

#endif
