/* wire.c: what the parsing child hands its parent, as a GVariant: the
 * mail's headers and attachment list, the forms found, and the ids of
 * our letters a report mentions.  Decoding trusts nothing: a missing or
 * ill-typed field is empty. */

#include <string.h>

#include "wire.h"

/* Adds a string member (maybe NULL) to a{sv}. */
static void
wire_str(GVariantBuilder *b, const char *key, const char *v)
{
	g_variant_builder_add(b, "{sv}", key, g_variant_new("ms", v));
}

static void
wire_strv(GVariantBuilder *b, const char *key, GPtrArray *a)
{
	GVariantBuilder	 sb;
	guint		 i;

	g_variant_builder_init(&sb, G_VARIANT_TYPE("as"));
	for (i = 0; a != NULL && i < a->len; i++)
		g_variant_builder_add(&sb, "s", (char *)g_ptr_array_index(a, i));
	g_variant_builder_add(b, "{sv}", key, g_variant_builder_end(&sb));
}

static GVariant *
wire_mail(const struct mail *m, GPtrArray *ids)
{
	GVariantBuilder		 b, ab;
	struct attachment	*a;
	guint			 i;

	g_variant_builder_init(&b, G_VARIANT_TYPE("a{sv}"));
	wire_str(&b, "from", m->from);
	wire_str(&b, "from_name", m->from_name);
	wire_str(&b, "reply_to", m->reply_to);
	wire_str(&b, "return_path", m->return_path);
	wire_str(&b, "to", m->to);
	wire_str(&b, "subject", m->subject);
	wire_str(&b, "message_id", m->message_id);
	wire_str(&b, "in_reply_to", m->in_reply_to);
	wire_strv(&b, "references", m->references);
	wire_str(&b, "date", m->date);
	wire_str(&b, "auto_submitted", m->auto_submitted);
	wire_str(&b, "precedence", m->precedence);
	wire_str(&b, "list_header", m->list_header);
	wire_strv(&b, "x_loop", m->x_loop);
	wire_strv(&b, "received", m->received);
	wire_strv(&b, "authres", m->authres);
	wire_str(&b, "content_type", m->content_type);
	wire_str(&b, "report_type", m->report_type);
	g_variant_builder_add(&b, "{sv}", "has_dsn",
	    g_variant_new_boolean(m->has_dsn));
	wire_str(&b, "text", m->text);
	wire_str(&b, "limit", m->limit);
	g_variant_builder_init(&ab, G_VARIANT_TYPE("a(sstu)"));
	for (i = 0; m->attachments != NULL && i < m->attachments->len; i++) {
		a = g_ptr_array_index(m->attachments, i);
		g_variant_builder_add(&ab, "(sstu)", a->name, a->type,
		    (guint64)a->size, a->depth);
	}
	g_variant_builder_add(&b, "{sv}", "attachments",
	    g_variant_builder_end(&ab));
	wire_strv(&b, "our_ids", ids);
	return g_variant_builder_end(&b);
}

static GVariant *
wire_forms(const struct forms *f)
{
	GVariantBuilder		 b, fb, ab, db, pb;
	struct form_file	*ff;
	struct form_value	*v;
	struct form_problem	*fp;
	GHashTableIter		 it;
	gpointer		 k, val;
	guint			 i;

	g_variant_builder_init(&b, G_VARIANT_TYPE("a{sv}"));
	g_variant_builder_init(&fb, G_VARIANT_TYPE("a(stubms)"));
	for (i = 0; i < f->files->len; i++) {
		ff = g_ptr_array_index(f->files, i);
		g_variant_builder_add(&fb, "(stubms)", ff->name,
		    (guint64)ff->size, ff->depth, ff->encrypted != 0,
		    ff->problem);
	}
	g_variant_builder_add(&b, "{sv}", "files", g_variant_builder_end(&fb));
	g_variant_builder_init(&ab, G_VARIANT_TYPE("a(ssuss)"));
	g_hash_table_iter_init(&it, f->application);
	while (g_hash_table_iter_next(&it, &k, &val)) {
		v = val;
		g_variant_builder_add(&ab, "(ssuss)", (char *)k, v->text,
		    (guint32)v->cell, v->label, v->where);
	}
	g_variant_builder_add(&b, "{sv}", "application",
	    g_variant_builder_end(&ab));
	g_variant_builder_init(&db, G_VARIANT_TYPE("a(ssuss)"));
	g_hash_table_iter_init(&it, f->disclosure);
	while (g_hash_table_iter_next(&it, &k, &val)) {
		v = val;
		g_variant_builder_add(&db, "(ssuss)", (char *)k, v->text,
		    (guint32)v->cell, v->label, v->where);
	}
	g_variant_builder_add(&b, "{sv}", "disclosure",
	    g_variant_builder_end(&db));
	g_variant_builder_init(&pb, G_VARIANT_TYPE("a(ss)"));
	for (i = 0; i < f->problems->len; i++) {
		fp = g_ptr_array_index(f->problems, i);
		g_variant_builder_add(&pb, "(ss)", fp->file, fp->problem);
	}
	g_variant_builder_add(&b, "{sv}", "problems", g_variant_builder_end(&pb));
	g_variant_builder_add(&b, "{sv}", "have_application",
	    g_variant_new_boolean(f->have_application));
	g_variant_builder_add(&b, "{sv}", "have_disclosure",
	    g_variant_new_boolean(f->have_disclosure));
	g_variant_builder_add(&b, "{sv}", "encrypted",
	    g_variant_new_boolean(f->encrypted));
	g_variant_builder_add(&b, "{sv}", "disclosure_title",
	    g_variant_new_maybe(G_VARIANT_TYPE_STRING,
	    f->disclosure_title != NULL ?
	    g_variant_new_string(f->disclosure_title) : NULL));
	g_variant_builder_add(&b, "{sv}", "wrong_password",
	    g_variant_new_boolean(f->wrong_password));
	g_variant_builder_add(&b, "{sv}", "unlocked",
	    g_variant_new_boolean(f->unlocked));
	return g_variant_builder_end(&b);
}

GBytes *
wire_encode(const struct mail *m, const struct forms *f, GPtrArray *ids)
{
	GVariant	*v;
	GBytes		*b;

	v = g_variant_new("(@a{sv}@a{sv}b)", m != NULL ? wire_mail(m, ids) :
	    g_variant_new_array(G_VARIANT_TYPE("{sv}"), NULL, 0),
	    f != NULL ? wire_forms(f) :
	    g_variant_new_array(G_VARIANT_TYPE("{sv}"), NULL, 0), f != NULL);
	g_variant_ref_sink(v);
	b = g_variant_get_data_as_bytes(v);
	g_variant_unref(v);
	return b;
}

/* A string member, or def (new string; NULL stays NULL). */
static char *
wire_get_str(GVariantDict *d, const char *key, const char *def)
{
	GVariant	*v = g_variant_dict_lookup_value(d, key,
			    G_VARIANT_TYPE("ms"));
	const char	*s = NULL;
	char		*out;

	if (v != NULL)
		g_variant_get(v, "m&s", &s);
	out = g_strdup(s != NULL ? s : def);
	if (v != NULL)
		g_variant_unref(v);
	return out;
}

static GPtrArray *
wire_get_strv(GVariantDict *d, const char *key)
{
	GPtrArray	*a = g_ptr_array_new_with_free_func(g_free);
	GVariant	*v = g_variant_dict_lookup_value(d, key,
			    G_VARIANT_TYPE("as"));
	GVariantIter	 it;
	const char	*s;

	if (v == NULL)
		return a;
	g_variant_iter_init(&it, v);
	while (g_variant_iter_next(&it, "&s", &s))
		g_ptr_array_add(a, g_strdup(s));
	g_variant_unref(v);
	return a;
}

static gboolean
wire_get_bool(GVariantDict *d, const char *key)
{
	gboolean	b = FALSE;

	g_variant_dict_lookup(d, key, "b", &b);
	return b;
}

static void
wire_attachment_free(gpointer p)
{
	struct attachment	*a = p;

	g_free(a->name);
	g_free(a->type);
	g_free(a);
}

static struct mail *
wire_get_mail(GVariant *v, GPtrArray **ids)
{
	GVariantDict		 d;
	GVariant		*av;
	GVariantIter		 it;
	struct mail		*m = g_new0(struct mail, 1);
	struct attachment	*a;
	const char		*name, *type;
	guint64			 size;
	guint32			 depth;

	g_variant_dict_init(&d, v);
	m->from = wire_get_str(&d, "from", "");
	m->from_name = wire_get_str(&d, "from_name", "");
	m->reply_to = wire_get_str(&d, "reply_to", NULL);
	m->return_path = wire_get_str(&d, "return_path", NULL);
	m->to = wire_get_str(&d, "to", "");
	m->subject = wire_get_str(&d, "subject", "");
	m->message_id = wire_get_str(&d, "message_id", "");
	m->in_reply_to = wire_get_str(&d, "in_reply_to", "");
	m->references = wire_get_strv(&d, "references");
	m->date = wire_get_str(&d, "date", "");
	m->auto_submitted = wire_get_str(&d, "auto_submitted", NULL);
	m->precedence = wire_get_str(&d, "precedence", NULL);
	m->list_header = wire_get_str(&d, "list_header", NULL);
	m->x_loop = wire_get_strv(&d, "x_loop");
	m->received = wire_get_strv(&d, "received");
	m->authres = wire_get_strv(&d, "authres");
	m->content_type = wire_get_str(&d, "content_type", "text/plain");
	m->report_type = wire_get_str(&d, "report_type", NULL);
	m->has_dsn = wire_get_bool(&d, "has_dsn");
	m->text = wire_get_str(&d, "text", NULL);
	m->limit = wire_get_str(&d, "limit", NULL);
	m->attachments = g_ptr_array_new_with_free_func(wire_attachment_free);
	av = g_variant_dict_lookup_value(&d, "attachments",
	    G_VARIANT_TYPE("a(sstu)"));
	if (av != NULL) {
		g_variant_iter_init(&it, av);
		while (g_variant_iter_next(&it, "(&s&stu)", &name, &type,
		    &size, &depth)) {
			a = g_new0(struct attachment, 1);
			a->name = g_strdup(name);
			a->type = g_strdup(type);
			a->size = (size_t)size;
			a->depth = depth;
			g_ptr_array_add(m->attachments, a);
		}
		g_variant_unref(av);
	}
	*ids = wire_get_strv(&d, "our_ids");
	g_variant_dict_clear(&d);
	return m;
}

/* Puts one decoded value into a forms table. */
static void
wire_put_value(GHashTable *h, char *key, const char *text, guint32 cell,
    const char *label, const char *where)
{
	struct form_value	*v = g_new0(struct form_value, 1);

	v->text = g_strdup(text);
	v->cell = cell <= VCELL_DATE ? (enum vcell)cell : VCELL_TEXT;
	v->label = g_strdup(label);
	v->where = g_strdup(where);
	g_hash_table_replace(h, key, v);
}

static struct forms *
wire_get_forms(GVariant *v)
{
	GVariantDict		 d;
	GVariant		*x;
	GVariantIter		 it;
	struct forms		*f = forms_new();
	struct form_file	*ff;
	const char		*a, *b, *c, *e, *prob;
	const char		*key;
	guint64			 size;
	guint32			 u;
	gboolean		 enc;

	g_variant_dict_init(&d, v);
	if ((x = g_variant_dict_lookup_value(&d, "files",
	    G_VARIANT_TYPE("a(stubms)"))) != NULL) {
		g_variant_iter_init(&it, x);
		while (g_variant_iter_next(&it, "(&stubm&s)", &a, &size, &u,
		    &enc, &prob)) {
			ff = forms_list(f, a, size);
			ff->depth = u;
			ff->encrypted = enc;
			ff->problem = g_strdup(prob);
		}
		g_variant_unref(x);
	}
	if ((x = g_variant_dict_lookup_value(&d, "application",
	    G_VARIANT_TYPE("a(ssuss)"))) != NULL) {
		g_variant_iter_init(&it, x);
		while (g_variant_iter_next(&it, "(&s&su&s&s)", &a, &b, &u, &c,
		    &e)) {
			/* Only the labels nintei knows: keys of the table
			 * are its own static strings. */
			if ((key = forms_label(a)) != NULL)
				wire_put_value(f->application, (char *)key, b,
				    u, c, e);
		}
		g_variant_unref(x);
	}
	if ((x = g_variant_dict_lookup_value(&d, "disclosure",
	    G_VARIANT_TYPE("a(ssuss)"))) != NULL) {
		g_variant_iter_init(&it, x);
		while (g_variant_iter_next(&it, "(&s&su&s&s)", &a, &b, &u, &c,
		    &e))
			wire_put_value(f->disclosure, g_strdup(a), b, u, c, e);
		g_variant_unref(x);
	}
	if ((x = g_variant_dict_lookup_value(&d, "problems",
	    G_VARIANT_TYPE("a(ss)"))) != NULL) {
		g_variant_iter_init(&it, x);
		while (g_variant_iter_next(&it, "(&s&s)", &a, &b))
			forms_problem(f, a, b);
		g_variant_unref(x);
	}
	f->have_application = wire_get_bool(&d, "have_application");
	f->have_disclosure = wire_get_bool(&d, "have_disclosure");
	f->encrypted = wire_get_bool(&d, "encrypted");
	f->disclosure_title = wire_get_str(&d, "disclosure_title", NULL);
	f->wrong_password = wire_get_bool(&d, "wrong_password");
	f->unlocked = wire_get_bool(&d, "unlocked");
	g_variant_dict_clear(&d);
	return f;
}

int
wire_decode(GBytes *bytes, struct mail **m, struct forms **f, GPtrArray **ids,
    char **cause)
{
	GVariant	*v, *mv, *fv;
	gboolean	 has_forms;

	*m = NULL;
	*f = NULL;
	*ids = NULL;
	v = g_variant_new_from_bytes(G_VARIANT_TYPE("(a{sv}a{sv}b)"), bytes,
	    FALSE);
	if (v == NULL) {
		*cause = g_strdup("解析の結果を読み取れません");
		return -1;
	}
	g_variant_ref_sink(v);
	/* Untrusted serialised data: only its normal form is read. */
	if (!g_variant_is_normal_form(v)) {
		*cause = g_strdup("解析の結果が壊れています");
		g_variant_unref(v);
		return -1;
	}
	g_variant_get(v, "(@a{sv}@a{sv}b)", &mv, &fv, &has_forms);
	*m = wire_get_mail(mv, ids);
	if (has_forms)
		*f = wire_get_forms(fv);
	g_variant_unref(mv);
	g_variant_unref(fv);
	g_variant_unref(v);
	return 0;
}
