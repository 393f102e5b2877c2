/* conf.h: the configuration file read into one struct, every limit and
 * default filled in (conf.c). */
#ifndef CONF_H
#define CONF_H

#include <stdint.h>

#include "mail-limits.h"

struct conf {
	char		*file;		/* the configuration file */
	char		*dir;		/* its folder: relative paths start here */

	char		*address;	/* [secretariat] */
	char		*name;
	char		*tag;		/* case tag prefix, "NINTEI" */
	char		*timezone;
	char		*signature;

	char		*source_url;	/* [source] */
	char		*source_credentials;
	char		*source_after;	/* seen, move:FOLDER, delete, keep */

	char		*transport_url;	/* [transport] */
	char		*transport_credentials;
	char		*envelope_from;
	int		 send_after_poll;
	int64_t		 stuck_after;	/* seconds: then a queued letter is
					   reported */
	int64_t		 smtp_command_timeout; /* seconds: greeting, replies */
	int64_t		 smtp_data_timeout; /* seconds: the reply to DATA */
	int64_t		 smtp_final_timeout; /* seconds: after the dot */
	int		 smtp_debug;	/* log what goes to the server */

	char		*tls_ca_file;	/* [tls] */
	int		 tls_verify;

	char		*store;		/* [store] path: the spool folder */
	char		*templates;	/* [letters] */
	int		 letters_jis;	/* charset = iso-2022-jp */
	char		*rules;		/* [rules] */

	uint64_t	 max_message;	/* [limits] */
	struct mail_limits mime;
	uint64_t	 zip_entries;
	uint64_t	 zip_entry_size;
	uint64_t	 zip_total_size;
	uint64_t	 zip_ratio;
	uint64_t	 xlsx_cells;
	uint64_t	 csv_rows;
	uint64_t	 csv_cols;
	int64_t		 net_timeout;	/* seconds, for each network step */

	int		 tax_rate;	/* [fee] percent */
	int		 due_days;
	char		*bank;
	int		 receipt;	/* a letter when the fee is paid */
	char		*issuer;	/* the invoice's issuer */
	char		*invoice_number; /* T and 13 digits, or NULL */

	int		 validity_from_disclosure; /* [certification] */

	int		 spf;		/* [screen] */
	char		*spf_host;	/* our receiving host (Received by) */
	int		 spf_hops;	/* or: trusted Received headers */
	int		 spf_trust_authres;
	char		*spf_zone;	/* a zone file instead of DNS (tests) */
	int		 spf_retries;	/* temperror: runs to wait */
	int		 letters_per_day; /* to one address */
	int		 password_days;	/* passwords looked for this long */

	char		*report_html;	/* [report] the dashboard, or NULL */
	int		 stale_days;	/* waiting on us longer: marked */

	unsigned int	 parse_seconds;	/* [limits]: the parsing child */
	unsigned int	 parse_cpu;
	uint64_t	 parse_memory;
	int		 parse_seccomp;
	unsigned int	 batch;		/* [intake] messages per commit */
	unsigned int	 ahead;		/* parsed ahead of the one decided */
	unsigned int	 busy_seconds;	/* [store] waiting for a lock */
};

struct conf	*conf_load(const char *file, char **cause);
void		 conf_free(struct conf *);
/* A path of the configuration, relative to its folder. */
char		*conf_path(const struct conf *, const char *path);
const char	*conf_default_file(void);

#endif
