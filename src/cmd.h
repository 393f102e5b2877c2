/* cmd.h: what the command files share: the command table entry and the
 * output helpers (aligned text for people, JSON for scripts). */
#ifndef CMD_H
#define CMD_H

#include <stdio.h>

#include <json-glib/json-glib.h>

#include "nintei.h"

/*
 * A command: what it needs opened before it runs (nintei_open's
 * NINTEI_STORE, NINTEI_RULES), and whether it changes the store, so that
 * the [report] html page is rewritten after it.
 */
struct cmd {
	const char	*name;
	const char	*args;
	const char	*help;
	int		 (*exec)(struct nintei *, int, char **);
	int		 needs;
	int		 refresh;
};

/* cmd.c */
int	cmd_main(int, char **);
int	cmd_flag(const char *, const char *);
void	cmd_print_json(JsonBuilder *);
void	cmd_json_str(JsonBuilder *, const char *, const char *);
void	cmd_json_int(JsonBuilder *, const char *, int64_t);
int	cmd_lock_quiet(struct nintei *, const char *);
int	cmd_send_queue(struct nintei *);
int	cmd_store_failed(const char *, char *);
void	cmd_deliver(struct nintei *);

/* cmd-list.c */
char	*cmd_local_time(struct nintei *, const char *iso);
int	cmd_messages(struct nintei *, int, char **);
int	cmd_cases(struct nintei *, int, char **);
int	cmd_show(struct nintei *, int, char **);

/* cmd-staff.c */
int	cmd_paid(struct nintei *, int, char **);
int	cmd_approve(struct nintei *, int, char **);
int	cmd_reject(struct nintei *, int, char **);
int	cmd_withdraw(struct nintei *, int, char **);
int	cmd_note(struct nintei *, int, char **);
int	cmd_handled(struct nintei *, int, char **);

/* cmd-letters.c */
int	cmd_letters(struct nintei *, int, char **);
int	cmd_write(struct nintei *, int, char **);
int	cmd_resend(struct nintei *, int, char **);

/* cmd-quarantine.c */
int	cmd_quarantine(struct nintei *, int, char **);

/* cmd-check.c */
int	cmd_check(struct nintei *, int, char **);

/* cmd-certs.c */
int	cmd_certs(struct nintei *, int, char **);
int	cmd_remind(struct nintei *, int, char **);

/* cmd-report.c */
int	cmd_report(struct nintei *, int, char **);
void	cmd_report_refresh(struct nintei *);

/* cmd-rules.c */
int	cmd_rules_check(struct nintei *, int, char **);

/* table.c */
struct table;
struct table	*table_new(const char *, ...);
void		 table_add(struct table *, ...);
void		 table_print(struct table *, FILE *);
void		 table_free(struct table *);

#endif
