/* wire.c: what the parsing child hands its parent, flat: the mail's
 * headers and attachment list, the forms found, and the ids of our letters
 * a report mentions, as lengths and bytes in a fixed order.  The child
 * writes without checking; the parent checks once, trusting nothing:
 * every length against what is left, every string for UTF-8 and NUL. */

#include <string.h>

#include "wire.h"

#define WIRE_MAGIC	"NW1"		/* with its NUL: 4 bytes */
#define WIRE_NULL	0xffffffffU	/* the length of a NULL string */

/* Appends a 32-bit number (host order: parent and child are one build). */
static void
wire_u32(GByteArray *b, guint32 v)
{
	g_byte_array_append(b, (const guint8 *)&v, sizeof v);
}

static void
wire_u64(GByteArray *b, guint64 v)
{
	g_byte_array_append(b, (const guint8 *)&v, sizeof v);
}

/* Appends a string (maybe NULL): its length, then its bytes. */
static void
wire_str(GByteArray *b, const char *s)
{
	size_t	len;

	if (s == NULL) {
		wire_u32(b, WIRE_NULL);
		return;
	}
	len = strlen(s);
	wire_u32(b, (guint32)len);
	g_byte_array_append(b, (const guint8 *)s, (guint)len);
}

static void
wire_strv(GByteArray *b, GPtrArray *a)
{
	guint	i;

	wire_u32(b, a != NULL ? a->len : 0);
	for (i = 0; a != NULL && i < a->len; i++)
		wire_str(b, g_ptr_array_index(a, i));
}

static void
wire_mail(GByteArray *b, const struct mail *m, GPtrArray *ids)
{
	struct attachment	*a;
	guint			 i, n;

	wire_str(b, m->from);
	wire_str(b, m->from_name);
	wire_str(b, m->reply_to);
	wire_str(b, m->return_path);
	wire_str(b, m->to);
	wire_str(b, m->subject);
	wire_str(b, m->message_id);
	wire_str(b, m->in_reply_to);
	wire_strv(b, m->references);
	wire_str(b, m->date);
	wire_str(b, m->auto_submitted);
	wire_str(b, m->precedence);
	wire_str(b, m->list_header);
	wire_strv(b, m->x_loop);
	wire_strv(b, m->received);
	wire_strv(b, m->authres);
	wire_str(b, m->content_type);
	wire_str(b, m->report_type);
	wire_u32(b, m->has_dsn != 0);
	wire_str(b, m->text);
	wire_u32(b, m->text_from_html != 0);
	wire_str(b, m->limit);
	n = m->attachments != NULL ? m->attachments->len : 0;
	wire_u32(b, n);
	for (i = 0; i < n; i++) {
		a = g_ptr_array_index(m->attachments, i);
		wire_str(b, a->name);
		wire_str(b, a->type);
		wire_u64(b, (guint64)a->size);
		wire_u32(b, a->depth);
	}
	wire_strv(b, ids);
}

/* Appends a table of form values: count, then key, text, cell, label,
 * where for each. */
static void
wire_values(GByteArray *b, GHashTable *h)
{
	struct form_value	*v;
	GHashTableIter		 it;
	gpointer		 k, val;

	wire_u32(b, g_hash_table_size(h));
	g_hash_table_iter_init(&it, h);
	while (g_hash_table_iter_next(&it, &k, &val)) {
		v = val;
		wire_str(b, k);
		wire_str(b, v->text);
		wire_u32(b, (guint32)v->cell);
		wire_str(b, v->label);
		wire_str(b, v->where);
	}
}

static void
wire_forms(GByteArray *b, const struct forms *f)
{
	struct form_file	*ff;
	struct form_problem	*fp;
	guint			 i;

	wire_u32(b, f->files->len);
	for (i = 0; i < f->files->len; i++) {
		ff = g_ptr_array_index(f->files, i);
		wire_str(b, ff->name);
		wire_u64(b, ff->size);
		wire_u32(b, ff->depth);
		wire_u32(b, ff->encrypted != 0);
		wire_str(b, ff->problem);
	}
	wire_values(b, f->application);
	wire_values(b, f->disclosure);
	wire_u32(b, f->problems->len);
	for (i = 0; i < f->problems->len; i++) {
		fp = g_ptr_array_index(f->problems, i);
		wire_str(b, fp->file);
		wire_str(b, fp->problem);
	}
	wire_u32(b, f->have_application != 0);
	wire_u32(b, f->have_disclosure != 0);
	wire_str(b, f->disclosure_title);
	wire_u32(b, f->encrypted != 0);
	wire_u32(b, f->wrong_password != 0);
	wire_u32(b, f->unlocked != 0);
}

GBytes *
wire_encode(const struct mail *m, const struct forms *f, GPtrArray *ids)
{
	GByteArray	*b = g_byte_array_sized_new(4096);

	g_byte_array_append(b, (const guint8 *)WIRE_MAGIC, 4);
	wire_u32(b, m != NULL);
	if (m != NULL)
		wire_mail(b, m, ids);
	wire_u32(b, f != NULL);
	if (f != NULL)
		wire_forms(b, f);
	return g_byte_array_free_to_bytes(b);
}

/* The parent's reader: where it is, and whether all was well so far (a
 * read past the end or a bad string spoils it, and later reads give
 * zeros and NULLs). */
struct wire_in {
	const guint8	*p;
	size_t		 left;
	int		 bad;
};

static guint32
wire_get_u32(struct wire_in *in)
{
	guint32	v = 0;

	if (in->bad || in->left < sizeof v) {
		in->bad = 1;
		return 0;
	}
	memcpy(&v, in->p, sizeof v);
	in->p += sizeof v;
	in->left -= sizeof v;
	return v;
}

static guint64
wire_get_u64(struct wire_in *in)
{
	guint64	v = 0;

	if (in->bad || in->left < sizeof v) {
		in->bad = 1;
		return 0;
	}
	memcpy(&v, in->p, sizeof v);
	in->p += sizeof v;
	in->left -= sizeof v;
	return v;
}

/* A string (new), or def when it was NULL; bounds, NUL and UTF-8
 * checked here, once. */
static char *
wire_get_str(struct wire_in *in, const char *def)
{
	guint32		 len = wire_get_u32(in);
	const char	*s;

	if (in->bad)
		return g_strdup(def);
	if (len == WIRE_NULL)
		return g_strdup(def);
	if (len > in->left) {
		in->bad = 1;
		return g_strdup(def);
	}
	s = (const char *)in->p;
	if (memchr(s, '\0', len) != NULL || !g_utf8_validate(s, len, NULL)) {
		in->bad = 1;
		return g_strdup(def);
	}
	in->p += len;
	in->left -= len;
	return g_strndup(s, len);
}

/* A count of items each at least min bytes long: at most what is left
 * could hold. */
static guint32
wire_get_count(struct wire_in *in, size_t min)
{
	guint32	n = wire_get_u32(in);

	if (!in->bad && n > in->left / min)
		in->bad = 1;
	return in->bad ? 0 : n;
}

static GPtrArray *
wire_get_strv(struct wire_in *in)
{
	GPtrArray	*a = g_ptr_array_new_with_free_func(g_free);
	guint32		 i, n = wire_get_count(in, 4);

	for (i = 0; i < n && !in->bad; i++)
		g_ptr_array_add(a, wire_get_str(in, ""));
	return a;
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
wire_get_mail(struct wire_in *in, GPtrArray **ids)
{
	struct mail		*m = g_new0(struct mail, 1);
	struct attachment	*a;
	guint32			 i, n;

	m->from = wire_get_str(in, "");
	m->from_name = wire_get_str(in, "");
	m->reply_to = wire_get_str(in, NULL);
	m->return_path = wire_get_str(in, NULL);
	m->to = wire_get_str(in, "");
	m->subject = wire_get_str(in, "");
	m->message_id = wire_get_str(in, "");
	m->in_reply_to = wire_get_str(in, "");
	m->references = wire_get_strv(in);
	m->date = wire_get_str(in, "");
	m->auto_submitted = wire_get_str(in, NULL);
	m->precedence = wire_get_str(in, NULL);
	m->list_header = wire_get_str(in, NULL);
	m->x_loop = wire_get_strv(in);
	m->received = wire_get_strv(in);
	m->authres = wire_get_strv(in);
	m->content_type = wire_get_str(in, "text/plain");
	m->report_type = wire_get_str(in, NULL);
	m->has_dsn = wire_get_u32(in) != 0;
	m->text = wire_get_str(in, NULL);
	m->text_from_html = wire_get_u32(in) != 0;
	m->limit = wire_get_str(in, NULL);
	m->attachments = g_ptr_array_new_with_free_func(wire_attachment_free);
	n = wire_get_count(in, 4 + 4 + 8 + 4);
	for (i = 0; i < n && !in->bad; i++) {
		a = g_new0(struct attachment, 1);
		a->name = wire_get_str(in, "");
		a->type = wire_get_str(in, "");
		a->size = (size_t)wire_get_u64(in);
		a->depth = wire_get_u32(in);
		g_ptr_array_add(m->attachments, a);
	}
	*ids = wire_get_strv(in);
	return m;
}

/* Reads a table of form values into h; keys through key_of (NULL: a
 * new copy of the key; else nintei's own static string, or skipped). */
static void
wire_get_values(struct wire_in *in, GHashTable *h,
    const char *(*key_of)(const char *))
{
	struct form_value	*v;
	const char		*key;
	char			*k;
	guint32			 i, n = wire_get_count(in, 4 + 4 + 4 + 4 + 4);

	for (i = 0; i < n && !in->bad; i++) {
		k = wire_get_str(in, "");
		v = g_new0(struct form_value, 1);
		v->text = wire_get_str(in, "");
		v->cell = (enum vcell)wire_get_u32(in);
		if ((guint32)v->cell > VCELL_DATE)
			v->cell = VCELL_TEXT;
		v->label = wire_get_str(in, "");
		v->where = wire_get_str(in, "");
		if (key_of == NULL) {
			g_hash_table_replace(h, k, v);
			continue;
		}
		/* Only the labels nintei knows: keys of the table are its
		 * own static strings. */
		if ((key = key_of(k)) != NULL)
			g_hash_table_replace(h, (char *)key, v);
		else {
			g_free(v->text);
			g_free(v->label);
			g_free(v->where);
			g_free(v);
		}
		g_free(k);
	}
}

static struct forms *
wire_get_forms(struct wire_in *in)
{
	struct forms		*f = forms_new();
	struct form_file	*ff;
	char			*a, *b;
	guint64			 size;
	guint32			 i, n;

	n = wire_get_count(in, 4 + 8 + 4 + 4 + 4);
	for (i = 0; i < n && !in->bad; i++) {
		a = wire_get_str(in, "");
		size = wire_get_u64(in);
		ff = forms_list(f, a, size);
		ff->depth = wire_get_u32(in);
		ff->encrypted = wire_get_u32(in) != 0;
		ff->problem = wire_get_str(in, NULL);
		g_free(a);
	}
	wire_get_values(in, f->application, forms_label);
	wire_get_values(in, f->disclosure, NULL);
	n = wire_get_count(in, 4 + 4);
	for (i = 0; i < n && !in->bad; i++) {
		a = wire_get_str(in, "");
		b = wire_get_str(in, "");
		forms_problem(f, a, b);
		g_free(a);
		g_free(b);
	}
	f->have_application = wire_get_u32(in) != 0;
	f->have_disclosure = wire_get_u32(in) != 0;
	f->disclosure_title = wire_get_str(in, NULL);
	f->encrypted = wire_get_u32(in) != 0;
	f->wrong_password = wire_get_u32(in) != 0;
	f->unlocked = wire_get_u32(in) != 0;
	return f;
}

int
wire_decode(GBytes *bytes, struct mail **m, struct forms **f, GPtrArray **ids,
    char **cause)
{
	struct wire_in	 in;
	gsize		 len;

	*m = NULL;
	*f = NULL;
	*ids = NULL;
	in.p = g_bytes_get_data(bytes, &len);
	in.left = len;
	in.bad = 0;
	if (len < 4 || memcmp(in.p, WIRE_MAGIC, 4) != 0) {
		*cause = g_strdup("解析の結果を読み取れません");
		return -1;
	}
	in.p += 4;
	in.left -= 4;
	if (wire_get_u32(&in) != 0)
		*m = wire_get_mail(&in, ids);
	if (wire_get_u32(&in) != 0)
		*f = wire_get_forms(&in);
	if (*m == NULL || in.bad || in.left != 0) {
		/* Untrusted bytes: only what was written whole is read. */
		*cause = g_strdup("解析の結果が壊れています");
		mail_free(*m);
		forms_free(*f);
		if (*ids != NULL)
			g_ptr_array_free(*ids, TRUE);
		*m = NULL;
		*f = NULL;
		*ids = NULL;
		return -1;
	}
	return 0;
}
