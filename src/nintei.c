/* nintei.c: opening a run in one step: the configuration, then what the
 * command declares it needs (the spool and the store, the rules), and
 * closing it again. */

#include <string.h>

#include "conf.h"
#include "intake.h"
#include "nintei.h"
#include "rules.h"
#include "spool.h"
#include "store.h"

/* Loads the rules; a folder with errors is not used, and why is kept for
 * whoever asks nintei_rules. */
static void
nintei_load_rules(struct nintei *n)
{
	GPtrArray	*errors;

	errors = g_ptr_array_new_with_free_func(g_free);
	n->rules = rules_load(n->conf->rules, errors);
	if (n->rules == NULL || errors->len > 0) {
		n->rules_error = g_strdup_printf("rules: %s%s", errors->len >
		    0 ? (char *)g_ptr_array_index(errors, 0) : "cannot load",
		    errors->len > 1 ? " (and more: nintei rules check)" : "");
		rules_free(n->rules);
		n->rules = NULL;
	}
	g_ptr_array_free(errors, TRUE);
}

/*
 * Opens a run: reads the configuration file, then opens what needs asks
 * (NINTEI_PARSE, NINTEI_STORE, NINTEI_RULES).  Returns 0, or the exit status with
 * *cause: EX_CONFIG_ for the configuration, EX_TEMPFAIL_ for the
 * zygote, the spool and the store.  Rules with errors do not fail the open: nintei_rules says
 * why, and each caller decides what that means to it.
 */
int
nintei_open(struct nintei *n, const char *file, int needs, char **cause)
{
	char	*db;

	memset(n, 0, sizeof *n);
	n->actor = "nintei";
	if ((n->conf = conf_load(file, cause)) == NULL)
		return EX_CONFIG_;
	/* Forked before SQLite has a handle open (intake_start). */
	if ((needs & NINTEI_PARSE) && intake_start(n, cause) != 0)
		return EX_TEMPFAIL_;
	if (needs & NINTEI_STORE) {
		if ((n->spool = spool_open(n->conf->store, cause)) == NULL)
			return EX_TEMPFAIL_;
		db = g_build_filename(n->conf->store, "nintei.db", NULL);
		n->store = store_open(db, (int)n->conf->busy_seconds * 1000,
		    cause);
		g_free(db);
		if (n->store == NULL)
			return EX_TEMPFAIL_;
	}
	if (needs & NINTEI_RULES)
		nintei_load_rules(n);
	return 0;
}

/* The rules opened with the run, or NULL with *cause: their errors, or
 * that the command did not ask for them. */
struct rules *
nintei_rules(struct nintei *n, char **cause)
{
	if (n->rules == NULL)
		*cause = g_strdup(n->rules_error != NULL ? n->rules_error :
		    "rules: not opened for this command");
	return n->rules;
}

/* Closes what nintei_open opened, whatever it got to. */
void
nintei_close(struct nintei *n)
{
	rules_free(n->rules);
	g_free(n->rules_error);
	store_close(n->store);
	spool_close(n->spool);
	conf_free(n->conf);
	memset(n, 0, sizeof *n);
}
