/* check.c: the checker: the 申請書 and 情報開示書 values against the rules of
 * the scheme the 申請書 names; every problem found, not just the first. */

#include <string.h>

#include "check.h"

static void
check_problem_free(gpointer p)
{
	struct problem	*pr = p;

	g_free(pr->item);
	g_free(pr->label);
	g_free(pr->problem);
	g_free(pr->written);
	g_free(pr->hint);
	g_free(pr);
}

static void
check_checked_free(gpointer p)
{
	struct checked	*c = p;

	g_free(c->item);
	g_free(c->label);
	g_free(c->value);
	g_free(c->normal);
	g_free(c);
}

/* Shortens what was written for a letter: one line, at most 60
 * characters. */
static char *
check_written(const char *s)
{
	GString		*out = g_string_new(NULL);
	const char	*p;
	gunichar	 c;
	int		 n = 0;

	for (p = s; *p != '\0' && n < 60; p = g_utf8_next_char(p), n++) {
		c = g_utf8_get_char(p);
		if (c < 0x20 || c == 0x7f)
			c = ' ';
		g_string_append_unichar(out, c);
	}
	if (*p != '\0')
		g_string_append(out, "…");
	return g_string_free(out, FALSE);
}

static void
check_add(struct check *ck, const char *item, const char *label,
    const char *problem, const char *written, const char *hint)
{
	struct problem	*p = g_new0(struct problem, 1);

	p->item = g_strdup(item);
	p->label = g_strdup(label);
	p->problem = g_strdup(problem);
	p->written = written != NULL && *written != '\0' ?
	    check_written(written) : NULL;
	p->hint = g_strdup(hint);
	g_ptr_array_add(ck->problems, p);
}

/* The kinds of application: the code, its word, and what else the
 * 申請区分 may say for it. */
static const struct {
	const char	*code;
	const char	*label;
	const char	*also;
} check_kinds[] = {
	{ KIND_NEW, "新規", NULL },
	{ KIND_RENEWAL, "更新", NULL },
	{ KIND_CHANGE, "変更", "変更届" },
};

const char *
check_kind(const char *written)
{
	char		*t = value_trim(written);
	const char	*kind = NULL;
	size_t		 i;

	for (i = 0; kind == NULL && i < G_N_ELEMENTS(check_kinds); i++) {
		if (strcmp(t, check_kinds[i].label) == 0 ||
		    g_ascii_strcasecmp(t, check_kinds[i].code) == 0 ||
		    (check_kinds[i].also != NULL &&
		    strcmp(t, check_kinds[i].also) == 0))
			kind = check_kinds[i].code;
	}
	g_free(t);
	return kind;
}

const char *
check_kind_label(const char *code)
{
	size_t	i;

	if (code == NULL)
		return "（未確認）";
	for (i = 0; i < G_N_ELEMENTS(check_kinds); i++) {
		if (strcmp(code, check_kinds[i].code) == 0)
			return check_kinds[i].label;
	}
	return code;
}

int
check_kind_is(const char *code, const char *kind)
{
	return code != NULL && strcmp(code, kind) == 0;
}

char *
check_where(const struct problem *p)
{
	if (p->item == NULL || *p->item == '\0')
		return g_strdup_printf("ファイル「%s」", p->label);
	if (strcmp(p->item, "申請書") == 0)
		return g_strdup_printf("申請書「%s」", p->label);
	return g_strdup_printf("項番 %s「%s」", p->item, p->label);
}

/* The trimmed text of a 申請書 row, or "" when absent. */
static char *
check_app(const struct forms *f, const char *label)
{
	struct form_value	*v = g_hash_table_lookup(f->application,
				    label);

	return value_trim(v != NULL ? v->text : "");
}

/* Checks one 申請書 value of the given type spec; returns the normal
 * form (or the trimmed text for free text), NULL if empty or invalid. */
static char *
check_app_value(struct check *ck, const struct forms *f, const char *label,
    const char *spec, int required)
{
	struct vtype	 t;
	struct vresult	 r;
	char		*text, *cause = NULL, *normal = NULL;

	text = check_app(f, label);
	if (*text == '\0') {
		if (required)
			check_add(ck, "申請書", label, "記入されていません",
			    NULL, NULL);
		g_free(text);
		return NULL;
	}
	if (vtype_parse(spec, &t, &cause) != 0) {
		g_free(cause);	/* our own specs: cannot happen */
		return text;
	}
	memset(&r, 0, sizeof r);
	if (value_check(&t, text, VCELL_TEXT, &r) == 0)
		normal = g_strdup(r.normal);
	else
		check_add(ck, "申請書", label, r.problem, text, r.hint);
	vresult_clear(&r);
	vtype_clear(&t);
	g_free(text);
	return normal;
}

/* The 申請書: scheme, kind, and the applicant's particulars. */
static void
check_application(struct check *ck, const struct forms *f,
    const struct rules *rules)
{
	char	*scheme, *kind, *names;
	GString	*list;
	guint	 i;
	const struct scheme *s;

	scheme = check_app(f, "制度");
	if (*scheme == '\0')
		check_add(ck, "申請書", "制度", "記入されていません", NULL,
		    NULL);
	else if ((ck->scheme = rules_scheme(rules, scheme)) == NULL) {
		list = g_string_new(NULL);
		for (i = 0; i < rules->schemes->len; i++) {
			s = g_ptr_array_index(rules->schemes, i);
			g_string_append_printf(list, "「%s」", s->name);
		}
		names = g_strdup_printf("%sのいずれかをご記入ください",
		    list->str);
		check_add(ck, "申請書", "制度", "認定制度の名称として読み取れ"
		    "ません", scheme, names);
		g_free(names);
		g_string_free(list, TRUE);
	}
	g_free(scheme);

	kind = check_app(f, "申請区分");
	if (*kind == '\0')
		check_add(ck, "申請書", "申請区分", "記入されていません", NULL,
		    "「新規」「更新」「変更」のいずれかをご記入ください");
	else if (check_kind(kind) == NULL)
		check_add(ck, "申請書", "申請区分", "申請区分として読み取れ"
		    "ません", kind,
		    "「新規」「更新」「変更」のいずれかをご記入ください");
	else
		ck->kind = g_strdup(check_kind(kind));
	g_free(kind);

	ck->certification = check_app(f, "認定番号");
	if (*ck->certification == '\0') {
		g_free(ck->certification);
		ck->certification = NULL;
		if (ck->kind != NULL && strcmp(ck->kind, KIND_NEW) != 0)
			check_add(ck, "申請書", "認定番号", "更新・変更の申請"
			    "では、認定番号の記入が必要です", NULL,
			    "認定証に記載の認定番号（例：「医療 0001-1712」）"
			    "をご記入ください");
	}
	ck->company = check_app_value(ck, f, "事業者名", "text<=100", 1);
	ck->service = check_app_value(ck, f, "サービス名称", "text<=100", 1);
	ck->summary = check_app_value(ck, f, "サービス概要", "text<=400", 1);
	ck->contact_name = check_app_value(ck, f, "担当者氏名", "text<=50",
	    1);
	ck->contact_email = check_app_value(ck, f, "担当者メールアドレス",
	    "email", 1);
	ck->phone = check_app_value(ck, f, "電話番号", "phone", 1);
}

/* The 申請書 did not name the scheme that the 情報開示書 tells: its
 * problem says which scheme the forms were checked as. */
static void
check_scheme_told(struct check *ck)
{
	struct problem	*p;
	guint		 i;

	for (i = 0; i < ck->problems->len; i++) {
		p = g_ptr_array_index(ck->problems, i);
		if (strcmp(p->item, "申請書") != 0 ||
		    strcmp(p->label, "制度") != 0)
			continue;
		g_free(p->hint);
		p->hint = g_strdup_printf("情報開示書の内容から「%s」として"
		    "確認しました。申請書の「制度」にも「%s」とご記入ください",
		    ck->scheme->name, ck->scheme->name);
	}
}

/* The normal value of a disclosure item already checked, or NULL. */
static const char *
check_normal(struct check *ck, const char *id)
{
	struct checked	*c;
	guint		 i;

	for (i = 0; i < ck->values->len; i++) {
		c = g_ptr_array_index(ck->values, i);
		if (strcmp(c->item, id) == 0)
			return c->normal;
	}
	return NULL;
}

/*
 * Every item of the scheme, in the order of the rules: values checked
 * first (so that a condition may name an item further down), then the
 * problems reported in order: a mandatory item left empty, a conditional
 * one left empty when its condition holds, a value not well formed.
 */
static void
check_disclosure(struct check *ck, const struct forms *f)
{
	const struct rule_item	*it;
	struct form_value	*v;
	struct checked		*c;
	struct vresult		*r;
	const char		*cond;
	char			*hint;
	guint			 i;
	int			 needed;

	r = g_new0(struct vresult, ck->scheme->items->len);
	for (i = 0; i < ck->scheme->items->len; i++) {
		it = g_ptr_array_index(ck->scheme->items, i);
		v = g_hash_table_lookup(f->disclosure, it->id);
		c = g_new0(struct checked, 1);
		c->item = g_strdup(it->id);
		c->label = g_strdup(it->label);
		c->value = value_trim(v != NULL ? v->text : "");
		if (*c->value != '\0' &&
		    value_check(&it->type, c->value, v->cell, &r[i]) == 0)
			c->normal = g_strdup(r[i].normal);
		g_ptr_array_add(ck->values, c);
	}
	for (i = 0; i < ck->scheme->items->len; i++) {
		it = g_ptr_array_index(ck->scheme->items, i);
		c = g_ptr_array_index(ck->values, i);
		needed = it->required;
		if (it->when_id != NULL && (cond = check_normal(ck,
		    it->when_id)) != NULL && strcmp(cond, it->when_value) == 0)
			needed = 1;
		if (*c->value == '\0' && needed && it->required)
			check_add(ck, it->id, it->label,
			    "必須項目が記入されていません", NULL, NULL);
		else if (*c->value == '\0' && needed) {
			hint = g_strdup_printf("項番 %s が「%s」のときは"
			    "ご記入ください", it->when_id, it->when_value);
			check_add(ck, it->id, it->label, "この項目の記入が必要です",
			    NULL, hint);
			g_free(hint);
		}
		else if (r[i].problem != NULL)
			/* A text too long is not quoted back: the count
			 * says enough. */
			check_add(ck, it->id, it->label, r[i].problem,
			    it->type.kind == VT_TEXT ? NULL : c->value,
			    r[i].hint);
		vresult_clear(&r[i]);
	}
	g_free(r);
}

/*
 * The scheme the 情報開示書 itself tells, for when the 申請書 does not: its
 * title (sheet name, heading above its header row), else its item numbers
 * when they fit exactly one scheme: the only one that has every item
 * written, or the only one whose items are exactly those written.  NULL
 * if it cannot be told.
 */
const struct scheme *
check_scheme_of_disclosure(const struct forms *f, const struct rules *rules)
{
	const struct scheme	*s, *has = NULL, *exact = NULL;
	GHashTableIter		 it;
	gpointer		 k;
	guint			 i, nhas = 0, nexact = 0, known;
	int			 all;

	if (!f->have_disclosure)
		return NULL;
	if (f->disclosure_title != NULL &&
	    (s = rules_scheme_in(rules, f->disclosure_title)) != NULL)
		return s;
	if (g_hash_table_size(f->disclosure) == 0)
		return NULL;
	for (i = 0; i < rules->schemes->len; i++) {
		s = g_ptr_array_index(rules->schemes, i);
		all = 1;
		known = 0;
		g_hash_table_iter_init(&it, f->disclosure);
		while (all && g_hash_table_iter_next(&it, &k, NULL)) {
			if (rules_item(s, k) != NULL)
				known++;
			else if (!g_str_has_prefix(k, "S-"))
				all = 0;	/* S-n: 補足説明 rows */
		}
		if (!all)
			continue;
		has = s;
		nhas++;
		if (known == s->items->len) {
			exact = s;
			nexact++;
		}
	}
	if (nhas == 1)
		return has;
	return nexact == 1 ? exact : NULL;
}

struct check *
check_forms(const struct forms *f, const struct rules *rules)
{
	struct check		*ck = g_new0(struct check, 1);
	struct form_problem	*fp;
	guint			 i;

	ck->problems = g_ptr_array_new_with_free_func(check_problem_free);
	ck->values = g_ptr_array_new_with_free_func(check_checked_free);
	for (i = 0; i < f->problems->len; i++) {
		fp = g_ptr_array_index(f->problems, i);
		check_add(ck, "", fp->file, fp->problem, NULL, NULL);
	}
	if (!f->have_application && !f->have_disclosure) {
		check_add(ck, "", "申請書類", "申請書と情報開示書が見つかり"
		    "ません", NULL, "「申請書」「情報開示書」のシートを持つ "
		    "Excel ファイル（.xlsx）、または「申請書.csv」"
		    "「情報開示書.csv」を添付してください");
		return ck;
	}
	if (!f->have_application)
		check_add(ck, "", "申請書", "申請書が見つかりません", NULL,
		    "「申請書」のシート、または「申請書.csv」を添付して"
		    "ください");
	else
		check_application(ck, f, rules);
	if (ck->scheme == NULL &&
	    (ck->scheme = check_scheme_of_disclosure(f, rules)) != NULL)
		check_scheme_told(ck);
	if (!f->have_disclosure)
		check_add(ck, "", "情報開示書", "情報開示書が見つかりません",
		    NULL, "「情報開示書」のシート、または「情報開示書.csv」"
		    "を添付してください");
	else if (ck->scheme != NULL)
		check_disclosure(ck, f);
	return ck;
}

void
check_free(struct check *ck)
{
	if (ck == NULL)
		return;
	g_free(ck->kind);
	g_free(ck->certification);
	g_free(ck->company);
	g_free(ck->service);
	g_free(ck->summary);
	g_free(ck->contact_name);
	g_free(ck->contact_email);
	g_free(ck->phone);
	g_ptr_array_free(ck->problems, TRUE);
	g_ptr_array_free(ck->values, TRUE);
	g_free(ck);
}
