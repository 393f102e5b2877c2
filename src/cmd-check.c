/* cmd-check.c: `nintei check FILE...`: the forms checked offline with the
 * same engine as the intake; the problems printed as the deficiency
 * letter words them, or as JSON; exit 1 if there are any. */

#include <stdio.h>
#include <string.h>

#include "case.h"
#include "check.h"
#include "cmd.h"
#include "conf.h"
#include "forms.h"
#include "intake.h"
#include "rules.h"

/* Adds one file: a ZIP, XLSX or CSV form, or a whole mail (.eml) whose
 * attachments are read as the intake would. */
static int
cmd_check_add(struct nintei *n, struct forms *f, const char *file,
    const struct form_limits *lim)
{
	struct forms	*mf;
	char		*data, *cause = NULL, *base;
	gsize		 len;
	GError		*error = NULL;

	if (!g_file_get_contents(file, &data, &len, &error)) {
		fprintf(stderr, "nintei: %s\n", error->message);
		g_error_free(error);
		return -1;
	}
	base = g_path_get_basename(file);
	if (g_str_has_suffix(base, ".eml") || g_str_has_suffix(base, ".msg")) {
		if ((mf = review_read_bytes(n, data, len, &cause)) == NULL) {
			fprintf(stderr, "nintei: %s: %s\n", file, cause);
			g_free(cause);
			g_free(data);
			g_free(base);
			return -1;
		}
		/* The mail's forms, merged into f. */
		forms_merge(f, mf);
		forms_free(mf);
	} else if (!forms_is_form_name(base) &&
	    !g_str_has_suffix(base, ".xls")) {
		fprintf(stderr, "nintei: %s: not a ZIP, XLSX, CSV or mail "
		    "(.eml) file\n", file);
		g_free(data);
		g_free(base);
		return -1;
	} else
		forms_add(f, base, data, len, lim, NULL);
	g_free(data);
	g_free(base);
	return 0;
}

int
cmd_check(struct nintei *n, int argc, char **argv)
{
	struct form_limits	 lim;
	struct forms		*f;
	struct check		*ck;
	struct problem		*p;
	JsonBuilder		*b;
	char			*cause = NULL, *where;
	int			 i, json = 0, files = 0;
	guint			 j;

	if (nintei_rules(n, &cause) == NULL) {
		fprintf(stderr, "nintei: %s\n", cause);
		g_free(cause);
		return EX_CONFIG_;
	}
	parse_limits(n->conf, &lim);
	f = forms_new();
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0) {
			json = 1;
			continue;
		}
		if (cmd_check_add(n, f, argv[i], &lim) != 0) {
			forms_free(f);
			return EX_DATAERR_;
		}
		files++;
	}
	if (files == 0) {
		fprintf(stderr, "usage: nintei check [--json] FILE...\n");
		forms_free(f);
		return EX_USAGE_;
	}
	if (f->encrypted) {
		fprintf(stderr, "nintei: a ZIP is protected by a password; "
		    "it cannot be checked\n");
		forms_free(f);
		return 1;
	}
	ck = check_forms(f, n->rules);
	if (json) {
		b = json_builder_new();
		json_builder_begin_object(b);
		cmd_json_str(b, "scheme", ck->scheme != NULL ?
		    ck->scheme->code : NULL);
		cmd_json_str(b, "kind", ck->kind);
		cmd_json_str(b, "company", ck->company);
		cmd_json_str(b, "service", ck->service);
		json_builder_set_member_name(b, "problems");
		json_builder_begin_array(b);
		for (j = 0; j < ck->problems->len; j++) {
			p = g_ptr_array_index(ck->problems, j);
			json_builder_begin_object(b);
			cmd_json_str(b, "item", p->item);
			cmd_json_str(b, "label", p->label);
			cmd_json_str(b, "problem", p->problem);
			cmd_json_str(b, "written", p->written);
			cmd_json_str(b, "hint", p->hint);
			json_builder_end_object(b);
		}
		json_builder_end_array(b);
		json_builder_end_object(b);
		cmd_print_json(b);
		g_object_unref(b);
	} else {
		printf("制度 %s / 申請区分 %s / %s / %s\n",
		    ck->scheme != NULL ? ck->scheme->name : "（不明）",
		    check_kind_label(ck->kind),
		    ck->company != NULL ? ck->company : "（事業者名なし）",
		    ck->service != NULL ? ck->service : "（サービス名なし）");
		if (ck->problems->len == 0)
			printf("不備はありません。\n");
		for (j = 0; j < ck->problems->len; j++) {
			p = g_ptr_array_index(ck->problems, j);
			where = check_where(p);
			printf("  %u. %s\n     %s%s%s%s。\n", j + 1, where,
			    p->problem, p->written != NULL ? "（記入内容：" :
			    "", p->written != NULL ? p->written : "",
			    p->written != NULL ? "）" : "");
			if (p->hint != NULL)
				printf("     %s。\n", p->hint);
			g_free(where);
		}
	}
	j = ck->problems->len;
	check_free(ck);
	forms_free(f);
	return j > 0 ? 1 : 0;
}
