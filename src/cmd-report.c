/* cmd-report.c: nintei report --html FILE writes the dashboard; commands
 * that change the store rewrite the page [report] html names.  The rules
 * opened with the run give the schemes' names; without them (errors) the
 * page shows the codes. */

#include <getopt.h>
#include <stdio.h>

#include "cmd.h"
#include "conf.h"
#include "report.h"

/* nintei report [--html FILE]: writes the page, to the configured file
 * when no --html is given. */
int
cmd_report(struct nintei *n, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "html", required_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char	*file = n->conf->report_html;
	char		*cause = NULL;
	int		 ch;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (ch != 'h') {
			file = NULL;
			break;
		}
		file = optarg;
	}
	if (file == NULL || optind != argc) {
		fprintf(stderr, "usage: nintei report --html FILE\n"
		    "(without --html: the file of [report] html)\n");
		return EX_USAGE_;
	}
	if (report_write(n, file, &cause) != 0) {
		fprintf(stderr, "nintei: report: %s\n", cause);
		g_free(cause);
		return EX_TEMPFAIL_;
	}
	return 0;
}

/* After a command that changed the store: rewrites the configured page.
 * A failure is a warning; the command itself succeeded. */
void
cmd_report_refresh(struct nintei *n)
{
	char	*cause = NULL;

	if (n->conf->report_html == NULL || n->store == NULL)
		return;
	if (report_write(n, n->conf->report_html, &cause) != 0) {
		log_warn("report: %s", cause);
		g_free(cause);
	}
}
