/* state.h: the one table of a case's states (state.c): the code stored in
 * cases.state, the Japanese label, whose move it is, whether the case is
 * open and whether forms sent now are read as a new revision.  Nothing
 * else in the program writes a state's name: it names one of these. */
#ifndef STATE_H
#define STATE_H

#include <stddef.h>

#define STATE_RECEIVED		"received"
#define STATE_AWAITING_PASSWORD	"awaiting_password"
#define STATE_DEFICIENT		"deficient"
#define STATE_AWAITING_FEE	"awaiting_fee"
#define STATE_UNDER_REVIEW	"under_review"
#define STATE_APPROVED		"approved"
#define STATE_REJECTED		"rejected"
#define STATE_WITHDRAWN		"withdrawn"
#define STATE_EXPIRED		"expired"

/* Whose move it is in an open state. */
#define STATE_SECRETARIAT	"secretariat"
#define STATE_APPLICANT		"applicant"

/* A certification's states (certifications.state). */
#define CERT_VALID		"valid"
#define CERT_EXPIRED		"expired"

struct state {
	const char	*code;
	const char	*label;		/* Japanese, for staff */
	const char	*waiting;	/* STATE_SECRETARIAT, STATE_APPLICANT,
					   or NULL when closed */
	int		 open;		/* the case goes on */
	int		 forms;		/* forms sent now: a new revision */
	const char	*tone;		/* the dashboard's colour: ours,
					   theirs, good, bad, gone */
};

const struct state *state_find(const char *code);
/* The ith code in the order of the lifecycle, or NULL past the last. */
const char	*state_nth(size_t);
int		 state_valid(const char *code);
/* The label, or the code itself when it is none of the table's. */
const char	*state_label(const char *code);
const char	*state_waiting_on(const char *code);
/* Whose move, in the staff's words: 事務局, 申請者, or 完了. */
const char	*state_waiting_label(const char *code);
int		 state_open(const char *code);
int		 state_takes_forms(const char *code);
/*
 * The codes as a list, each quoted as quote says ("'" for SQL, "" for a
 * message) and joined by ", ": which 1 for the open states, 0 for the
 * closed ones, -1 for all.  A new string.
 */
char		*state_list(int which, const char *quote);
/* The code of a state typed as its code or its Japanese label, or NULL. */
const char	*state_parse(const char *);
/* Every state as "code (label)", joined by ", ".  A new string. */
char		*state_list_labelled(void);

#endif
