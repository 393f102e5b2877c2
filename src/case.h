/* case.h: a case's lifecycle (case.c): the moves between the states of
 * state.h with their history, what staff may do in each, and the letters
 * of a case. */
#ifndef CASE_H
#define CASE_H

#include "event.h"

#include <stddef.h>
#include <stdint.h>

struct answer;
struct caserow;
struct conf;
struct nintei;
struct tvars;

/* A case number as people write it (20260012, NINTEI-2026-0012): the
 * stored form "2026-0012", or NULL. */
char		*case_id_parse(const char *);
char		*case_may(const char *action, const char *state);
int		 case_waiting_on(struct nintei *, const struct caserow *,
		    const char **who, char **cause);
const char	*case_waiting_label(const struct caserow *, const char *who);
char		*case_tag(const struct conf *, const char *id);
char		*case_tag_find(const struct conf *, const char *subject);
int64_t		 case_event(struct nintei *, const char *case_id,
		    enum event_kind, const char *from, const char *to,
		    const char *detail, int64_t message, int64_t letter,
		    char **cause);
/* A case's shortfall or excess of fee, in staff's words, or NULL. */
int		 case_fee_note(struct nintei *, const struct caserow *,
		    char **note, char **cause);
int		 case_set_state(struct nintei *, struct caserow *,
		    const char *to, const char *why, int64_t message,
		    char **cause);
struct tvars	*case_vars(struct nintei *, const struct caserow *);
int64_t		 case_letter(struct nintei *, const struct caserow *,
		    const char *kind, struct tvars *, const struct answer *,
		    char **cause);
int		 case_answer(struct nintei *, const char *case_id,
		    struct answer *, char **cause);

#endif
