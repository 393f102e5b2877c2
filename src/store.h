/* store.h: the SQLite store (store.c), the one owner of the database: the
 * rows it hands out and takes, and its functions. */
#ifndef STORE_H
#define STORE_H

#include <stdint.h>

#include <glib.h>

struct store;

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
	char		*state;		/* queued, held, sent, failed,
					   bounced, cancelled */
	int64_t		 attempts;
	char		*next_attempt;
	char		*last_error;
	char		*sent_at;
	char		*held;		/* why it is held, or NULL */
	GBytes		*vars;		/* a letter not rendered: its values
					   (tvars_to_variant), else NULL */
	char		*scheme;	/* whose templates it takes */
	int64_t		 resends;	/* the letter it sends again, or 0 */
	char		*queued_at;	/* when it went on its way (queued
					   when made, released, written
					   after a template fix) */
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

struct store	*store_open(const char *path, int busy_ms, char **cause);
void		 store_close(struct store *);
int		 store_begin(struct store *, char **cause);
int		 store_commit(struct store *, char **cause);
void		 store_rollback(struct store *);
int		 store_savepoint(struct store *, char **cause);
int		 store_release(struct store *, char **cause);
void		 store_rollback_savepoint(struct store *);

/*
 * Every read says what happened: one row is 1 (found, *out set), 0
 * (nothing matches) or -1 (the read failed: *cause); a list or a number
 * is 0 (*out set, perhaps empty) or -1 (*cause).  A failed read is never
 * taken for "nothing there".
 */

/* Messages and their attachments. */
int		 store_message_find(struct store *, const char *message_id,
		    const char *sha, int64_t *id, char **cause);
int64_t		 store_message_add(struct store *, const struct msgrow *,
		    char **cause);
int		 store_attachment_add(struct store *, int64_t message,
		    const struct attrow *, char **cause);
int		 store_attachments(struct store *, int64_t message,
		    GPtrArray **out, char **cause);
int		 store_message_get(struct store *, int64_t id,
		    struct msgrow **, char **cause);
int		 store_message_redo(struct store *, int64_t id,
		    const char *disposition, const char *reason,
		    const char *case_id, const char *held, char **cause);
int		 store_deferral_bump(struct store *, const char *sha,
		    const char *now, const char *reason);
int		 store_deferral_runs(struct store *, const char *sha, int *runs,
		    char **cause);
int		 store_letter_bounced(struct store *, const char *message_id,
		    char **case_id, char **kind, char **cause);
int		 store_messages_read(struct store *, const char *case_id,
		    GPtrArray **out, char **cause);
int		 store_messages_recent(struct store *,
		    const char *disposition, const char *since, int limit,
		    GPtrArray **out, int *count, char **cause);

/* Cases and their history. */
int		 store_case_new(struct store *, int year,
		    const struct caserow *, char **id, char **cause);
int		 store_case_update(struct store *, const struct caserow *,
		    char **cause);
int		 store_failed(struct store *);
int		 store_failed_for_good(struct store *);
int		 store_case_read(struct store *, const char *id,
		    struct caserow **, char **cause);
/* The fee of a case: *billed (-1 when no fee request recorded it) and
 * *paid; 0 when there is no case. */
int		 store_case_fee(struct store *, const char *id, int64_t *billed,
		    int64_t *paid, char **cause);
/* Records billed and paid (each -1: leave it as it is). */
int		 store_case_set_fee(struct store *, const char *id,
		    int64_t billed, int64_t paid, char **cause);
int		 store_cases(struct store *, const char *state,
		    GPtrArray **out, char **cause);
/* Does a mail of the applicant wait for the secretariat's answer (an
 * "owed" event after the last letter staff wrote or "handled")? */
int		 store_case_owed(struct store *, const char *case_id,
		    int *owed, char **cause);
/* The cases whose applicant or contact is the address (any case). */
int		 store_cases_of_sender_read(struct store *,
		    const char *address, GPtrArray **out, char **cause);
int64_t		 store_event_add(struct store *, const struct eventrow *,
		    char **cause);
int		 store_events(struct store *, const char *case_id,
		    GPtrArray **out, char **cause);
int		 store_events_latest(struct store *, GPtrArray **out,
		    char **cause);
int		 store_events_into(struct store *, const char *state,
		    GPtrArray **out, char **cause);

/* Letters. */
int64_t		 store_letter_add(struct store *, const struct letterrow *,
		    char **cause);
int		 store_letters_read(struct store *, const char *case_id,
		    GPtrArray **out, char **cause);
int		 store_letters_due(struct store *, const char *now,
		    int64_t after, int max, GPtrArray **out, char **cause);
int		 store_letters_undelivered(struct store *, int limit,
		    GPtrArray **out, char **cause);
int		 store_letters_stuck(struct store *, const char *before,
		    GPtrArray **out, char **cause);
int		 store_letters_count(struct store *, const char *state,
		    const char *before, int *n, char **cause);
int		 store_letter_done(struct store *, int64_t id,
		    const char *state, const char *when, const char *error,
		    char **cause);
int		 store_case_by_letter_read(struct store *,
		    const char *message_id, char **case_id, char **cause);
int		 store_renewal_open(struct store *, const char *number,
		    int *open, char **cause);
int		 store_case_awaiting_password(struct store *,
		    const char *sender, const char *since, char **id,
		    char **cause);
int		 store_letter_get(struct store *, int64_t id,
		    struct letterrow **, char **cause);
int		 store_letter_by_message_id(struct store *,
		    const char *message_id, struct letterrow **, char **cause);
int		 store_letters_in(struct store *, const char *state,
		    int64_t after, int limit, GPtrArray **out, char **cause);
int		 store_letter_admit(struct store *, int64_t id,
		    const char *now, char **cause);
int		 store_letter_rendered(struct store *, int64_t id,
		    const char *subject, GBytes *raw, const char *held,
		    const char *now, char **cause);
int		 store_letter_cancel(struct store *, int64_t id,
		    const char *reason, char **cause);
int		 store_letters_to_since(struct store *, const char *addr,
		    const char *since, int *n, char **cause);

/* Revisions: the forms read, their items and problems. */
int		 store_revision_add(struct store *, const char *case_id,
		    int64_t message, int problems, const char *at, int *n,
		    char **cause);
int		 store_item_add(struct store *, const char *case_id,
		    int revision, const struct itemrow *, char **cause);
int		 store_problem_add(struct store *, const char *case_id,
		    int revision, int seq, const struct problemrow *,
		    char **cause);
int		 store_problems(struct store *, const char *case_id,
		    GPtrArray **out, char **cause);
int		 store_items(struct store *, const char *case_id,
		    GPtrArray **out, char **cause);

/* Certifications. */
int		 store_cert_next_serial(struct store *, const char *scheme,
		    int *serial, char **cause);
int		 store_cert_put(struct store *, const struct certrow *,
		    char **cause);
int		 store_cert_read(struct store *, const char *number,
		    struct certrow **, char **cause);
int		 store_certs(struct store *, GPtrArray **out, char **cause);

/* GDestroyNotify for the rows of the arrays above. */
void		 problemrow_free(gpointer);
void		 itemrow_free(gpointer);
void		 certrow_free(gpointer);
void		 msgrow_free(gpointer);
void		 caserow_free(gpointer);
void		 eventrow_free(gpointer);
void		 letterrow_free(gpointer);
void		 attrow_free(gpointer);

#endif
