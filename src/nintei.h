/* nintei.h: the program header: the stages of the intake and the commands,
 * one section per file.  Leaf modules (mail, charset, rfc2047, template,
 * and the form readers) have headers of their own. */
#ifndef NINTEI_H
#define NINTEI_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <glib.h>

#include "mail.h"
#include "template.h"

#define NINTEI_VERSION	"0.1"

/* sysexits(3) values the commands use. */
#define EX_USAGE_	64
#define EX_DATAERR_	65
#define EX_SOFTWARE_	70
#define EX_TEMPFAIL_	75
#define EX_CONFIG_	78

struct store;
struct answer;
struct rules;
struct spool;

/* conf.c */
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
	unsigned int	 busy_seconds;	/* [store] waiting for a lock */
};

struct conf	*conf_load(const char *, char **);
void		 conf_free(struct conf *);
char		*conf_path(const struct conf *, const char *);
const char	*conf_default_file(void);

/* log.c */
void		 log_init(const char *, int);
void		 log_info(const char *, ...)
		    __attribute__((format(printf, 1, 2)));
void		 log_warn(const char *, ...)
		    __attribute__((format(printf, 1, 2)));
void		 fatal(const char *, ...)
		    __attribute__((format(printf, 1, 2), noreturn));

/* clock.c */
GDateTime	*clock_now(const struct conf *);
int		 clock_set_date(const struct conf *, const char *);
char		*clock_today(const struct conf *);
char		*clock_iso(GDateTime *);
char		*clock_now_iso(const struct conf *);
GDateTime	*clock_parse(const struct conf *, const char *);
char		*clock_japanese_date(GDateTime *);
char		*clock_japanese_day(const char *);
char		*clock_japanese_datetime(GDateTime *);
int		 clock_days_between(const struct conf *, const char *,
		    GDateTime *);

/* spool.c */
struct spool	*spool_open(const char *, char **);
void		 spool_close(struct spool *);
int		 spool_lock(struct spool *, const char *, char **);
int		 spool_put_file(struct spool *, const char *, char **, char **,
		    uint64_t *, char **);
int		 spool_put_fd(struct spool *, int, char **, char **,
		    uint64_t *, char **);
char		*spool_raw_path(struct spool *, const char *);
int		 spool_write_atomic(const char *, const char *, size_t,
		    char **);

/* store.c */
struct msgrow {
	int64_t		 id;
	char		*message_id;
	char		*sha256;
	char		*received_at;
	char		*origin;
	char		*sender;
	char		*sender_name;
	char		*recipients;
	char		*subject;
	char		*date;
	char		*in_reply_to;
	char		*refs;
	int64_t		 size;
	char		*raw_path;
	char		*disposition;	/* case, unmatched, ignored, quarantined */
	char		*reason;
	char		*case_id;	/* or NULL */
	char		*spf;		/* SPF result, when checked */
	char		*held;		/* quarantine: released, dropped */
};

struct caserow {
	char		*id;		/* 2026-0001 */
	char		*state;
	char		*scheme;	/* code of schemes.tsv, or NULL */
	char		*kind;		/* new, renewal, change, or NULL */
	char		*company;
	char		*service;
	char		*contact_name;
	char		*contact_email;
	char		*applicant;	/* the sender's address */
	char		*certification;	/* number, or NULL */
	char		*opened_at;
	char		*state_since;
};

struct eventrow {
	int64_t		 id;
	char		*case_id;
	char		*at;
	char		*actor;
	char		*kind;
	char		*from_state;
	char		*to_state;
	char		*detail;
	int64_t		 message;
	int64_t		 letter;
};

struct letterrow {
	int64_t		 id;
	char		*case_id;
	char		*kind;		/* ack, deficiency, fee, ... */
	char		*message_id;	/* without <> */
	int64_t		 answers;	/* messages.id, or 0 */
	char		*rcpt;		/* addresses, ", " */
	char		*subject;
	GBytes		*raw;
	char		*created_at;
	char		*state;		/* queued, sent, failed, bounced */
	int64_t		 attempts;
	char		*next_attempt;
	char		*last_error;
	char		*sent_at;
};

struct attrow {
	int		 idx;
	int		 parent;	/* idx of the archive holding it, or -1 */
	char		*name;
	char		*type;
	int64_t		 size;
};

struct problemrow {
	char		*item;
	char		*label;
	char		*problem;
	char		*written;
	char		*hint;
};

struct itemrow {
	char		*form;		/* application, disclosure */
	char		*item;		/* 項番, or the 申請書 row */
	char		*label;
	char		*value;		/* as written */
	char		*normal;	/* normal form, or NULL */
};

struct certrow {
	char		*number;	/* 医療 0001-1712 */
	char		*scheme;
	int		 serial;
	char		*first_yymm;
	char		*company;
	char		*service;
	char		*first_certified; /* YYYY-MM-DD */
	char		*certified;	/* latest certification or renewal */
	char		*disclosed;	/* disclosure date (item 1) */
	char		*valid_until;	/* last valid day */
	char		*state;		/* valid, expired */
	char		*contact_email;
	char		*applicant;
	char		*case_id;
	char		*reminded_first;
	char		*reminded_last;
	int		 imported;
};

struct store	*store_open(const char *, int, char **);
void		 store_close(struct store *);
int		 store_begin(struct store *, char **);
int		 store_commit(struct store *, char **);
void		 store_rollback(struct store *);
int		 store_busy(struct store *);
int64_t		 store_message_find(struct store *, const char *,
		    const char *);
int64_t		 store_message_add(struct store *, const struct msgrow *,
		    char **);
int		 store_attachment_add(struct store *, int64_t,
		    const struct attrow *, char **);
GPtrArray	*store_attachments(struct store *, int64_t);
struct msgrow	*store_message_get(struct store *, int64_t);
int		 store_message_redo(struct store *, int64_t, const char *,
		    const char *, const char *, const char *, char **);
int		 store_deferral_bump(struct store *, const char *,
		    const char *, const char *);
int		 store_deferral_runs(struct store *, const char *);
int		 store_letter_bounced(struct store *, const char *, char **,
		    char **, char **);
GPtrArray	*store_messages(struct store *, const char *);
GPtrArray	*store_messages_recent(struct store *, const char *,
		    const char *, int, int *);
int		 store_case_new(struct store *, int, const struct caserow *,
		    char **, char **);
int		 store_case_update(struct store *, const struct caserow *,
		    char **);
struct caserow	*store_case_get(struct store *, const char *);
GPtrArray	*store_cases(struct store *, const char *);
int64_t		 store_event_add(struct store *, const struct eventrow *,
		    char **);
GPtrArray	*store_events(struct store *, const char *);
GPtrArray	*store_events_latest(struct store *);
GPtrArray	*store_events_into(struct store *, const char *);
int64_t		 store_letter_add(struct store *, const struct letterrow *,
		    char **);
GPtrArray	*store_letters(struct store *, const char *);
GPtrArray	*store_letters_due(struct store *, const char *, int64_t, int);
GPtrArray	*store_letters_undelivered(struct store *, int);
GPtrArray	*store_letters_stuck(struct store *, const char *);
int		 store_letters_count(struct store *, const char *,
		    const char *);
int		 store_letter_done(struct store *, int64_t, const char *,
		    const char *, const char *, char **);
char		*store_case_by_letter(struct store *, const char *);
int		 store_renewal_open(struct store *, const char *);
char		*store_case_awaiting_password(struct store *, const char *,
		    const char *);
int		 store_letters_to_since(struct store *, const char *,
		    const char *);
int		 store_revision_add(struct store *, const char *, int64_t,
		    int, const char *, int *, char **);
int		 store_item_add(struct store *, const char *, int,
		    const struct itemrow *, char **);
int		 store_problem_add(struct store *, const char *, int, int,
		    const struct problemrow *, char **);
GPtrArray	*store_problems(struct store *, const char *);
GPtrArray	*store_items(struct store *, const char *);
int		 store_cert_next_serial(struct store *, const char *);
int		 store_cert_put(struct store *, const struct certrow *,
		    char **);
struct certrow	*store_cert_get(struct store *, const char *);
GPtrArray	*store_certs(struct store *);
void		 problemrow_free(gpointer);
void		 itemrow_free(gpointer);
void		 certrow_free(gpointer);
void		 msgrow_free(gpointer);
void		 caserow_free(gpointer);
void		 eventrow_free(gpointer);
void		 letterrow_free(gpointer);
void		 attrow_free(gpointer);

/* The running program: configuration and the open store and spool. */
struct nintei {
	struct conf	*conf;
	struct store	*store;
	struct spool	*spool;
	const char	*actor;		/* who acts: "nintei" or the staff */
	struct rules	*rules;		/* loaded by cmd_rules when needed */
};

/* case.c */
int		 case_state_valid(const char *);
const char	*case_state_nth(size_t);
const char	*case_state_label(const char *);
const char	*case_waiting_on(const char *);
const char	*case_kind_label(const char *);
char		*case_may(const char *, const char *);
char		*case_tag(const struct conf *, const char *);
char		*case_tag_find(const struct conf *, const char *);
int64_t		 case_event(struct nintei *, const char *, const char *,
		    const char *, const char *, const char *, int64_t, int64_t,
		    char **);
int		 case_set_state(struct nintei *, struct caserow *,
		    const char *, const char *, int64_t, char **);
struct tvars	*case_vars(struct nintei *, const struct caserow *);
int64_t		 case_letter(struct nintei *, const struct caserow *,
		    const char *, const char *, struct tvars *,
		    const struct answer *, char **);
void		 case_answer(struct nintei *, const char *, struct answer *);

/* spf.c */
struct spf_result {
	char		*result;	/* pass fail softfail neutral none
					   temperror permerror */
	char		*ip;
	char		*sender;
	char		*detail;
};

int		 spf_check(const struct conf *, const struct mail *,
		    struct spf_result *, char **);
void		 spf_result_clear(struct spf_result *);

/* certs.c */
int		 certs_approve(struct nintei *, struct caserow *,
		    struct certrow **, char **);
int		 certs_import(struct nintei *, const char *, GPtrArray *,
		    int *, int *);
int		 certs_remind(struct nintei *, GPtrArray *, char **);

/* report.c */
char		*report_html(struct nintei *);
int		 report_write(struct nintei *, const char *, char **);

/* screen.c */
char		*screen_automatic(const struct conf *, const struct mail *);

/* letter.c */

/* What a letter answers: In-Reply-To and References, and whether it is an
 * answer to mail (auto-replied) or a staff action (auto-generated). */
struct answer {
	char		*message_id;	/* without <>, or NULL */
	GPtrArray	*references;	/* of char *, or NULL */
	int64_t		 row;		/* messages.id, or 0 */
	int		 auto_replied;
};

struct letter {
	char		*kind;
	char		*message_id;
	char		*to;
	char		*cc;
	char		*subject;
	GBytes		*raw;
};

struct tvars	*letter_vars(const struct conf *);
struct letter	*letter_build(const struct conf *, const char *,
		    const char *, struct tvars *, const char *, const char *,
		    const struct answer *, char **);
void		 answer_clear(struct answer *);
void		 letter_free(struct letter *);
char		*letter_template(const struct conf *, const char *,
		    const char *, char **);
char		*letter_size(uint64_t);

/* source.c and source-*.c */
struct source_msg {
	char		*path;		/* a file holding the message */
	char		*origin;	/* where it came from, for the record */
	void		*data;		/* the source's own */
};

struct source {
	const char	*scheme;
	void		*(*open)(struct nintei *, const char *, char **);
	int		 (*next)(void *, struct source_msg *, char **);
	int		 (*done)(void *, struct source_msg *, char **);
	void		 (*close)(void *);
};

extern const struct source source_maildir;
extern const struct source source_imap;
extern const struct source source_imaps;
extern const struct source source_pop3;
extern const struct source source_pop3s;
const struct source *source_find(const char *, const char **);
void		 source_msg_clear(struct source_msg *);

/* transport.c and transport-*.c */
struct transport {
	const char	*scheme;
	void		*(*open)(struct nintei *, const char *, char **);
	/* 0 delivered, -1 try again later, -2 refused for good. */
	int		 (*deliver)(void *, const struct letterrow *, char **);
	/* Optional: what deliver took is durable only once sync returned
	 * 0; the queue records a page of deliveries after it. */
	int		 (*sync)(void *, char **);
	void		 (*close)(void *);
};

extern const struct transport transport_maildir;
extern const struct transport transport_smtp;
extern const struct transport transport_smtps;
const struct transport *transport_find(const char *, const char **);
int		 transport_send_queue(struct nintei *, int *, int *, char **);
char		*transport_stuck_before(struct nintei *);

/* sandbox.c */
struct sandbox_limits {
	unsigned int	 cpu_seconds;
	unsigned int	 wall_seconds;
	uint64_t	 memory;	/* address space */
	unsigned int	 result_max;	/* bytes the child may send */
	int		 seccomp;
};

#define SANDBOX_EXIT_SETUP	70	/* the child could not start */
#define SANDBOX_EXIT_FAILED	71	/* the work failed (memory) */

void		 sandbox_prepare(void);
int		 sandbox_run(const struct sandbox_limits *,
		    int (*)(void *, GByteArray *), void *, GBytes **, char **);

/* review.c */
struct forms;
struct form_limits;
struct check;
void		 review_limits(const struct conf *, struct form_limits *);
struct forms	*review_read(struct nintei *, const struct mail *,
		    const char *);
void		 review_files(const struct forms *, struct tvars *);
int		 review_record_files(struct nintei *, int64_t,
		    const struct forms *, char **);
struct check	*review_check(struct nintei *, struct caserow *,
		    const struct forms *, int64_t, char **);
int		 review_answer(struct nintei *, struct caserow *,
		    const struct forms *, const struct check *, int64_t,
		    const struct answer *, char **);

/* password.c */
GPtrArray	*password_candidates(const char *);
void		 password_forget(GPtrArray *);

/* intake.c */
enum intake_result {
	INTAKE_RECORDED,	/* a new message, its outcome committed */
	INTAKE_DUPLICATE,	/* recorded before */
	INTAKE_TEMPFAIL		/* not recorded: try again later */
};

enum intake_result intake_file(struct nintei *, const char *, const char *,
		    char **);
enum intake_result intake_fd(struct nintei *, int, const char *, char **);
enum intake_result intake_release(struct nintei *, const struct msgrow *,
		    char **);

/* cmd.c: the commands */
int		 cmd_main(int, char **);
struct rules	*cmd_rules(struct nintei *, char **);
void		 cmd_deliver(struct nintei *);

/* util.c */
int		 util_display_width(const char *);
char		*util_pad(const char *, int);
char		*util_yen(int64_t);
int		 util_mkdirs(const char *, char **);
int		 util_fsync_dir(const char *, char **);
char		*util_clean(const char *);
char		*util_clean_lines(const char *);

#endif
