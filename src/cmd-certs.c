/* cmd-certs.c: the certifications: the published list (nintei certs),
 * the import of those that predate nintei, and the daily remind run. */

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "certs.h"
#include "cmd.h"
#include "rules.h"
#include "state.h"
#include "store.h"

/* One CSV field, quoted as RFC 4180 (and Excel) does when it must be. */
static void
cmd_certs_csv_field(GString *out, const char *v, int last)
{
	const char	*p;

	if (v == NULL)
		v = "";
	if (strpbrk(v, ",\"\r\n") == NULL)
		g_string_append(out, v);
	else {
		g_string_append_c(out, '"');
		for (p = v; *p != '\0'; p++) {
			if (*p == '"')
				g_string_append_c(out, '"');
			g_string_append_c(out, *p);
		}
		g_string_append_c(out, '"');
	}
	g_string_append(out, last ? "\r\n" : ",");
}

/* The published list as CSV: UTF-8 with a byte order mark (so that Excel
 * on Japanese Windows opens it as UTF-8), CRLF, the columns of --json. */
static void
cmd_certs_csv(GPtrArray *certs)
{
	static const char *const heads[] = { "number", "scheme", "company",
	    "service", "first_certified", "certified", "valid_until", "state",
	    "case" };
	struct certrow	*c;
	GString		*out = g_string_new("\xef\xbb\xbf");
	guint		 i, j;

	for (j = 0; j < G_N_ELEMENTS(heads); j++)
		cmd_certs_csv_field(out, heads[j], j + 1 == G_N_ELEMENTS(heads));
	for (i = 0; i < certs->len; i++) {
		c = g_ptr_array_index(certs, i);
		cmd_certs_csv_field(out, c->number, 0);
		cmd_certs_csv_field(out, c->scheme, 0);
		cmd_certs_csv_field(out, c->company, 0);
		cmd_certs_csv_field(out, c->service, 0);
		cmd_certs_csv_field(out, c->first_certified, 0);
		cmd_certs_csv_field(out, c->certified, 0);
		cmd_certs_csv_field(out, c->valid_until, 0);
		cmd_certs_csv_field(out, c->state, 0);
		cmd_certs_csv_field(out, c->case_id, 1);
	}
	fwrite(out->str, 1, out->len, stdout);
	g_string_free(out, TRUE);
}

/* The published list, as text, JSON (SPEC §6 names) or CSV (json 2). */
static int
cmd_certs_list(struct nintei *n, int json)
{
	GPtrArray		*certs;
	struct certrow		*c;
	struct table		*t;
	JsonBuilder		*b;
	char			*cause = NULL;
	guint			 i;

	if (store_certs(n->store, &certs, &cause) != 0) {
		g_ptr_array_free(certs, TRUE);
		return cmd_store_failed("certs", cause);
	}
	if (json == 2)
		cmd_certs_csv(certs);
	else if (json) {
		b = json_builder_new();
		json_builder_begin_array(b);
		for (i = 0; i < certs->len; i++) {
			c = g_ptr_array_index(certs, i);
			json_builder_begin_object(b);
			cmd_json_str(b, "number", c->number);
			cmd_json_str(b, "scheme", c->scheme);
			cmd_json_str(b, "company", c->company);
			cmd_json_str(b, "service", c->service);
			cmd_json_str(b, "first_certified", c->first_certified);
			cmd_json_str(b, "certified", c->certified);
			cmd_json_str(b, "valid_until", c->valid_until);
			cmd_json_str(b, "state", c->state);
			cmd_json_str(b, "case", c->case_id);
			json_builder_end_object(b);
		}
		json_builder_end_array(b);
		cmd_print_json(b);
		g_object_unref(b);
	} else {
		t = table_new("NUMBER", "SCHEME", "COMPANY", "SERVICE",
		    "CERTIFIED", "VALID UNTIL", "STATE", NULL);
		for (i = 0; i < certs->len; i++) {
			c = g_ptr_array_index(certs, i);
			table_add(t, c->number, rules_scheme_name(n->rules,
			    c->scheme, NULL), c->company, c->service,
			    c->certified,
			    c->valid_until, strcmp(c->state, CERT_VALID) == 0 ?
			    CERT_VALID " 有効" : CERT_EXPIRED " 失効");
		}
		table_print(t, stdout);
		table_free(t);
	}
	g_ptr_array_free(certs, TRUE);
	return 0;
}

int
cmd_certs(struct nintei *n, int argc, char **argv)
{
	GPtrArray	*errors;
	char		*cause = NULL;
	guint		 i;
	int		 added, updated, r;

	if (argc == 1 || (argc == 2 && (strcmp(argv[1], "--json") == 0 ||
	    strcmp(argv[1], "--csv") == 0))) {
		/* Names only: the rules' errors do not matter here. */
		return cmd_certs_list(n, argc == 1 ? 0 :
		    strcmp(argv[1], "--csv") == 0 ? 2 : 1);
	}
	if (argc != 3 || strcmp(argv[1], "import") != 0) {
		fprintf(stderr, "usage: nintei certs [--json | --csv]\n"
		    "       nintei certs import FILE.csv\n");
		return EX_USAGE_;
	}
	if (nintei_rules(n, &cause) == NULL) {
		fprintf(stderr, "nintei: %s\n", cause);
		g_free(cause);
		return EX_CONFIG_;
	}
	errors = g_ptr_array_new_with_free_func(g_free);
	r = certs_import(n, argv[2], errors, &added, &updated);
	if (r != 0 && store_failed(n->store) && errors->len > 0) {
		/* The file was fine; the store was not: try again. */
		cause = g_ptr_array_steal_index(errors, errors->len - 1);
		g_ptr_array_free(errors, TRUE);
		return cmd_store_failed("certs import", cause);
	}
	for (i = 0; i < errors->len; i++)
		fprintf(stderr, "%s\n", (char *)g_ptr_array_index(errors, i));
	g_ptr_array_free(errors, TRUE);
	if (r != 0) {
		fprintf(stderr, "nintei: nothing imported\n");
		return EX_DATAERR_;
	}
	printf("imported %d certification(s), updated %d\n", added, updated);
	cmd_report_refresh(n);
	return 0;
}

/* The usage of remind. */
static int
cmd_remind_usage(void)
{
	fprintf(stderr, "usage: nintei remind [--today YYYY-MM-DD | "
	    "--run-date YYYY-MM-DD]\n");
	return EX_USAGE_;
}

/*
 * The daily run (today, for real: cron), a preview of a day (--today:
 * nothing is written, sent or refreshed), or a missed day run for real
 * (--run-date, not after today: a later day would expire live
 * certifications and mail customers ahead of time).
 */
int
cmd_remind(struct nintei *n, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "today", required_argument, NULL, 't' },
		{ "run-date", required_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 }
	};
	GPtrArray	*done;
	const char	*day = NULL;
	char		*cause = NULL, *today;
	guint		 i;
	int		 ch, r, commit = 1;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if ((ch != 't' && ch != 'r') || day != NULL)
			return cmd_remind_usage();
		day = optarg;
		commit = ch == 'r';
	}
	if (optind != argc)
		return cmd_remind_usage();
	today = clock_today(n->conf);
	if (day != NULL && clock_set_date(n->conf, day) != 0) {
		fprintf(stderr, "nintei: %s is not a date (YYYY-MM-DD)\n", day);
		g_free(today);
		return EX_USAGE_;
	}
	if (commit && day != NULL && strcmp(day, today) > 0) {
		fprintf(stderr, "nintei: --run-date %s is after today (%s); "
		    "a later day can only be previewed: nintei remind --today "
		    "%s\n", day, today, day);
		g_free(today);
		return EX_USAGE_;
	}
	g_free(today);
	if (nintei_rules(n, &cause) == NULL) {
		fprintf(stderr, "nintei: %s\n", cause);
		g_free(cause);
		return EX_CONFIG_;
	}
	if (commit && (r = cmd_lock_quiet(n, "remind")) <= 0)
		return r < 0 ? EX_TEMPFAIL_ : 0;
	done = g_ptr_array_new_with_free_func(g_free);
	if (certs_remind(n, commit, done, &cause) != 0) {
		g_ptr_array_free(done, TRUE);
		return cmd_store_failed("remind", cause);
	}
	if (!commit)
		printf("preview of %s: nothing was sent or changed; %s\n", day,
		    done->len == 0 ? "that day does nothing" :
		    "that day would do this:");
	for (i = 0; i < done->len; i++)
		printf("%s%s\n", commit ? "" : "  ",
		    (char *)g_ptr_array_index(done, i));
	if (!commit && done->len > 0)
		printf("(to run a missed day for real: nintei remind "
		    "--run-date %s)\n", day);
	g_ptr_array_free(done, TRUE);
	if (!commit)
		return 0;
	cmd_send_queue(n);
	cmd_report_refresh(n);
	return 0;
}
