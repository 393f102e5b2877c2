/* log.c: messages for the admin: to stderr when run by hand, to syslog
 * (mail facility) when run by cron or an MTA. */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <syslog.h>
#include <unistd.h>

#include "nintei.h"

static int	log_stderr = 1;
static int	log_syslog;	/* until log_init, stderr only */

static void	log_vwrite(int, const char *, const char *, va_list)
		    __attribute__((format(printf, 3, 0)));

/* Syslog always; stderr too when a person runs us or asks (-v). */
void
log_init(const char *name, int verbose)
{
	log_stderr = verbose || isatty(STDERR_FILENO);
	log_syslog = 1;
	openlog(name, LOG_PID, LOG_MAIL);
}

/* Warnings always reach stderr too (cron mails them to the admin, an MTA
 * puts them in its bounce); information only when asked or on a tty. */
static void
log_vwrite(int pri, const char *prefix, const char *fmt, va_list ap)
{
	char	*msg = g_strdup_vprintf(fmt, ap);

	if (log_stderr || pri <= LOG_WARNING)
		fprintf(stderr, "nintei: %s%s\n", prefix, msg);
	if (log_syslog)
		syslog(pri, "%s%s", prefix, msg);
	g_free(msg);
}

void
log_info(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_vwrite(LOG_INFO, "", fmt, ap);
	va_end(ap);
}

void
log_warn(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_vwrite(LOG_WARNING, "warning: ", fmt, ap);
	va_end(ap);
}

/* For broken invariants only: expected failures are values. */
void
fatal(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_vwrite(LOG_CRIT, "fatal: ", fmt, ap);
	va_end(ap);
	exit(EX_SOFTWARE_);
}
