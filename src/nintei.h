/* nintei.h: the program header: the running program (struct nintei), the
 * exit statuses, and the helpers every layer uses (log.c, clock.c,
 * util.c).  Each stage has a header of its own: conf.h, store.h, spool.h,
 * case.h, letter.h, intake.h, certs.h, report.h, source.h; the commands
 * share cmd.h. */
#ifndef NINTEI_H
#define NINTEI_H

#include <stddef.h>
#include <stdint.h>

#include <glib.h>

#define NINTEI_VERSION	"0.1"

/* sysexits(3) values the commands use. */
#define EX_USAGE_	64
#define EX_DATAERR_	65
#define EX_SOFTWARE_	70
#define EX_TEMPFAIL_	75
#define EX_CONFIG_	78

struct conf;
struct rules;
struct spool;
struct store;

/* The running program: configuration and the open store and spool. */
struct nintei {
	struct conf	*conf;
	struct store	*store;
	struct spool	*spool;
	const char	*actor;		/* who acts: "nintei" or the staff */
	struct rules	*rules;		/* NINTEI_RULES: loaded, or NULL */
	char		*rules_error;	/* why rules is NULL */
	int		 config_errors;	/* letters a template error left
					   unwritten in this run */
};

/* nintei.c: what a command needs opened (its table entry's needs). */
#define NINTEI_STORE	0x1	/* the spool and the store */
#define NINTEI_RULES	0x2	/* the rules */
#define NINTEI_PARSE	0x4	/* the parsing zygote, before the store */

int		 nintei_open(struct nintei *, const char *file, int needs,
		    char **cause);
struct rules	*nintei_rules(struct nintei *, char **cause);
void		 nintei_close(struct nintei *);

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
int		 clock_set_date(const struct conf *, const char *date);
char		*clock_today(const struct conf *);
char		*clock_iso(GDateTime *);
char		*clock_now_iso(const struct conf *);
GDateTime	*clock_parse(const struct conf *, const char *);
char		*clock_japanese_date(GDateTime *);
char		*clock_japanese_day(const char *ymd);
char		*clock_japanese_datetime(GDateTime *);
int		 clock_days_between(const struct conf *, const char *iso,
		    GDateTime *now);

/* util.c */
int		 util_display_width(const char *);
char		*util_pad(const char *, int width);
char		*util_yen(int64_t);
int		 util_mkdirs(const char *path, char **cause);
int		 util_fsync_dir(const char *path, char **cause);
char		*util_clean(const char *);


#endif
