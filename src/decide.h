/* decide.h: what the intake does with one message, decided from what is
 * known of it (decide.c): no I/O, no store, no state of its own. */
#ifndef DECIDE_H
#define DECIDE_H

struct caserow;

/*
 * What is known of a message when it is decided.  The intake fills it in
 * stages, as decide asks: first what the parse and the screening say,
 * then the SPF result (DECIDE_ASK_SPF), then what the store knows of the
 * cases it may belong to (DECIDE_ASK_THREAD, _CONTENT, _WAITING), each
 * only when the decision needs it.
 */
struct decide_facts {
	const char	*unreadable;	/* why it could not be parsed, or NULL */
	const char	*limit;		/* a limit it broke, or NULL */
	const char	*automatic;	/* why it is automatic mail, or NULL */
	const char	*from;		/* the sender's address, "" if none */
	int		 has_forms;	/* a ZIP, XLSX or CSV attached */

	int		 spf_wanted;	/* [screen] spf, and not a release */
	const char	*spf;		/* the result once checked, or NULL */
	const char	*spf_ip;	/* the client it was checked for */
	const char	*spf_sender;
	int		 spf_runs;	/* runs already left for later */
	int		 spf_retries;	/* [screen] spf_retries */

	int		 thread_known;
	const struct caserow *thread;	/* the case it answers (tag, or
					   references to our letters), or
					   NULL */
	int		 content_known;
	const struct caserow *content;	/* the one open case of the sender
					   its forms name, or NULL */
	const char	*content_first;	/* or two such cases: their ids */
	const char	*content_other;
	int		 waiting_known;
	const struct caserow *waiting;	/* a case of the sender waiting for
					   a password, or NULL */
};

enum decide_action {
	DECIDE_ASK_SPF,		/* check SPF, then decide again */
	DECIDE_ASK_THREAD,	/* find the case it answers, again */
	DECIDE_ASK_CONTENT,	/* find the case its forms name, again */
	DECIDE_ASK_WAITING,	/* find a case waiting for a password */
	DECIDE_QUARANTINE,	/* held for the staff, with the reason */
	DECIDE_AUTOMATIC,	/* automatic mail: ignored, or the bounce
				   of one of our letters */
	DECIDE_DEFER,		/* left for the next run (SPF temperror) */
	DECIDE_UNMATCHED,	/* no case: the staff sort it, with why */
	DECIDE_OPEN,		/* a new application (or renewal): a case */
	DECIDE_PASSWORD,	/* for a case waiting for a ZIP's password */
	DECIDE_REVISION,	/* new forms for the case: checked again */
	DECIDE_RESUBMISSION,	/* the same, for the case its forms name
				   (reason: why), joining its thread */
	DECIDE_REPLY		/* joins the case's history */
};

struct decision {
	enum decide_action action;
	char		*reason;	/* the record's reason, the reply's
					   note, or NULL */
	char		*flag;		/* for the staff (SPF), or NULL */
	const struct caserow *c;	/* the case it is for, or NULL */
};

void		 decide(const struct decide_facts *, struct decision *);
void		 decision_clear(struct decision *);
/* Is the address the case's applicant or its contact? */
int		 decide_sender_of(const struct caserow *, const char *from);

#endif
