/* net.h: what the network sources and the SMTP transport share: their
 * URLs, credentials, connections with timeouts, and the TLS checks that
 * libetpan leaves to its caller.  Only the files that talk to servers
 * include it, so that libetpan stays out of the program header. */
#ifndef NET_H
#define NET_H

#include <libetpan/libetpan.h>

#include "nintei.h"

/* net.c */

/* scheme://[user@]host[:port][/path], the password part refused. */
struct net_url {
	char		*scheme;
	char		*user;		/* decoded, or NULL */
	char		*host;		/* without brackets for IPv6 */
	uint16_t	 port;
	char		*path;		/* decoded, without the first '/' */
};

/* Who logs in; the password is wiped when cleared. */
struct net_cred {
	char		*user;
	char		*password;
};

struct net_url	*net_url_parse(const char *, const char *, uint16_t,
		    char **);
void		 net_url_free(struct net_url *);
char		*net_url_name(const struct net_url *);
void		 net_url_user(struct net_url *, const char *, char **);
int		 net_cred_load(const char *, const char *, const char *,
		    struct net_cred *, char **);
void		 net_cred_clear(struct net_cred *);
int		 net_connect(const struct conf *, const char *, uint16_t,
		    char **);
mailstream	*net_stream(const struct conf *, int, const char *, int,
		    char **);
char		*net_save(struct nintei *, const char *, size_t, char **);
int		 net_state_read(const char *, const char *, char ***);
int		 net_state_write(const char *, const char *, GString *,
		    char **);

/* tls.c */
void		 tls_sni(struct mailstream_ssl_context *, void *);
int		 tls_check(const struct conf *, mailstream *, const char *,
		    char **);

#endif
