/* cmd-rules.c: `nintei rules check`: every error of the rules and the
 * templates the secretariat edits, as file:line: message, in one run. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "conf.h"
#include "invoice.h"
#include "letterkind.h"
#include "rules.h"
#include "template.h"

/* Adds the errors of one template, as file:line: message, checked against
 * the values its letter provides (the letter table). */
static void
cmd_rules_template(const char *path, const char *name, const char *shown,
    GPtrArray *errors)
{
	const struct letterkind	*k;
	struct tvars		*known;
	GPtrArray		*found;
	GString			*kinds;
	char			*text = NULL, *base, *e;
	guint			 i;
	size_t			 j;

	base = g_strndup(name, strlen(name) - strlen(".txt"));
	k = letterkind_by_template(base);
	g_free(base);
	if (k == NULL) {
		kinds = g_string_new(NULL);
		for (j = 0; letterkind_nth(j) != NULL; j++)
			g_string_append_printf(kinds, "%s%s.txt", j > 0 ?
			    ", " : "", letterkind_nth(j)->template);
		g_ptr_array_add(errors, g_strdup_printf("%s: no letter uses "
		    "this template (the letters' templates: %s)", shown,
		    kinds->str));
		g_string_free(kinds, TRUE);
		return;
	}
	if (!g_file_get_contents(path, &text, NULL, NULL)) {
		g_ptr_array_add(errors, g_strdup_printf("%s: cannot read",
		    shown));
		return;
	}
	if (!g_utf8_validate(text, -1, NULL)) {
		g_ptr_array_add(errors, g_strdup_printf("%s: not UTF-8",
		    shown));
		g_free(text);
		return;
	}
	if (!g_str_has_prefix(text, "件名:") &&
	    !g_str_has_prefix(text, "件名：") &&
	    !g_str_has_prefix(text, "Subject:"))
		g_ptr_array_add(errors, g_strdup_printf("%s:1: the first line "
		    "must be the subject (件名: ...)", shown));
	known = letterkind_values(k);
	found = g_ptr_array_new_with_free_func(g_free);
	template_lint(text, known, found);
	for (i = 0; i < found->len; i++) {
		e = g_ptr_array_index(found, i);
		g_ptr_array_add(errors, g_strdup_printf("%s:%s", shown,
		    g_str_has_prefix(e, "line ") ? e + strlen("line ") : e));
	}
	g_ptr_array_free(found, TRUE);
	tvars_free(known);
	g_free(text);
}

/* Checks every template under dir, and in its scheme folders. */
static void
cmd_rules_templates(const char *dir, const char *shown, GPtrArray *errors,
    int *count)
{
	GDir		*d;
	const char	*name;
	char		*path, *sub;
	GError		*error = NULL;

	if ((d = g_dir_open(dir, 0, &error)) == NULL) {
		g_ptr_array_add(errors, g_strdup_printf("%s: %s", shown,
		    error->message));
		g_error_free(error);
		return;
	}
	while ((name = g_dir_read_name(d)) != NULL) {
		path = g_build_filename(dir, name, NULL);
		sub = g_build_filename(shown, name, NULL);
		if (g_file_test(path, G_FILE_TEST_IS_DIR))
			cmd_rules_templates(path, sub, errors, count);
		else if (g_str_has_suffix(name, ".txt")) {
			(*count)++;
			cmd_rules_template(path, name, sub, errors);
		}
		g_free(path);
		g_free(sub);
	}
	g_dir_close(d);
}

/* Warns when the holiday table is missing or does not cover this year or
 * the next (due dates can fall a year ahead): not an error, but the
 * secretariat must extend it. */
static void
cmd_rules_holidays(struct nintei *n, const struct rules *rules)
{
	char	*today = clock_today(n->conf);
	int	 year = atoi(today), y, first, last;

	g_free(today);
	if (rules == NULL)
		return;
	if (rules->holidays == NULL) {
		printf("%s: warning: missing: due dates skip only weekends and "
		    "31 December to 3 January, not national holidays\n",
		    RULES_HOLIDAYS);
		return;
	}
	for (y = year; y <= year + 1; y++) {
		if (!invoice_holidays_cover(rules->holidays, y))
			printf("%s: warning: no holidays of %d: add that "
			    "year's national holidays (内閣府「国民の祝日に"
			    "ついて」) before due dates fall in it\n",
			    RULES_HOLIDAYS, y);
	}
	invoice_holidays_span(rules->holidays, &first, &last);
	if (first > 0)
		printf("%s: holidays of %d to %d\n", RULES_HOLIDAYS, first,
		    last);
}

int
cmd_rules_check(struct nintei *n, int argc, char **argv)
{
	GPtrArray		*errors = g_ptr_array_new_with_free_func(g_free);
	struct rules		*rules;
	const struct scheme	*s;
	guint			 i, items = 0;
	int			 templates = 0;

	if (argc != 2 || strcmp(argv[1], "check") != 0) {
		fprintf(stderr, "usage: nintei rules check\n");
		return EX_USAGE_;
	}
	rules = rules_load(n->conf->rules, errors);
	cmd_rules_templates(n->conf->templates, "templates", errors,
	    &templates);
	for (i = 0; i < errors->len; i++)
		printf("%s\n", (char *)g_ptr_array_index(errors, i));
	cmd_rules_holidays(n, rules);
	for (i = 0; rules != NULL && i < rules->schemes->len; i++) {
		s = g_ptr_array_index(rules->schemes, i);
		items += s->items->len;
	}
	if (errors->len == 0)
		printf("rules: %u schemes, %u items; %d templates; no errors\n",
		    rules != NULL ? rules->schemes->len : 0, items, templates);
	i = errors->len;
	rules_free(rules);
	g_ptr_array_free(errors, TRUE);
	return i > 0 ? 1 : 0;
}
