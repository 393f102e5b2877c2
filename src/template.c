/* template.c: a small logic-less template renderer for the letters; its
 * only inputs are the template text and a tree of values. */

#include <stdarg.h>
#include <string.h>

#include <glib.h>

#include "template.h"

/* A value: a string, or a list of items (each a tvars). */
struct tvar {
	char		*str;
	GPtrArray	*list;
};

struct tvars {
	GHashTable	*vars;		/* name -> struct tvar */
};

enum tnode_kind { TNODE_TEXT, TNODE_VAR, TNODE_SECTION, TNODE_INVERTED };

struct tnode {
	enum tnode_kind	 kind;
	char		*text;		/* text, or the value's name */
	int		 line;
	GPtrArray	*children;	/* of struct tnode, for sections */
};

static void
tvar_free(gpointer p)
{
	struct tvar	*v = p;

	g_free(v->str);
	if (v->list != NULL)
		g_ptr_array_free(v->list, TRUE);
	g_free(v);
}

struct tvars *
tvars_new(void)
{
	struct tvars	*tv = g_new0(struct tvars, 1);

	tv->vars = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
	    tvar_free);
	return tv;
}

void
tvars_free(struct tvars *tv)
{
	if (tv == NULL)
		return;
	g_hash_table_destroy(tv->vars);
	g_free(tv);
}

void
tvars_set(struct tvars *tv, const char *name, const char *value)
{
	struct tvar	*v = g_new0(struct tvar, 1);

	v->str = g_strdup(value != NULL ? value : "");
	g_hash_table_replace(tv->vars, g_strdup(name), v);
}

void
tvars_setf(struct tvars *tv, const char *name, const char *fmt, ...)
{
	va_list	 ap;
	char	*s;

	va_start(ap, fmt);
	s = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	tvars_set(tv, name, s);
	g_free(s);
}

struct tvars *
tvars_push(struct tvars *tv, const char *name)
{
	struct tvar	*v = g_hash_table_lookup(tv->vars, name);
	struct tvars	*item;

	if (v == NULL || v->list == NULL) {
		v = g_new0(struct tvar, 1);
		v->list = g_ptr_array_new_with_free_func(
		    (GDestroyNotify)tvars_free);
		g_hash_table_replace(tv->vars, g_strdup(name), v);
	}
	item = tvars_new();
	g_ptr_array_add(v->list, item);
	return item;
}

const char *
tvars_get(const struct tvars *tv, const char *name)
{
	struct tvar	*v = g_hash_table_lookup(tv->vars, name);

	return v != NULL ? v->str : NULL;
}

static void
tnode_free(gpointer p)
{
	struct tnode	*n = p;

	g_free(n->text);
	if (n->children != NULL)
		g_ptr_array_free(n->children, TRUE);
	g_free(n);
}

static struct tnode *
tnode_add(GPtrArray *to, enum tnode_kind kind, const char *s, size_t len,
    int line)
{
	struct tnode	*n = g_new0(struct tnode, 1);

	n->kind = kind;
	n->text = g_strndup(s, len);
	n->line = line;
	if (kind == TNODE_SECTION || kind == TNODE_INVERTED)
		n->children = g_ptr_array_new_with_free_func(tnode_free);
	g_ptr_array_add(to, n);
	return n;
}

/* Is [s, e) a value name: letters, digits, '_' and '.'? */
static int
template_isname(const char *s, const char *e)
{
	if (s == e)
		return 0;
	for (; s < e; s++) {
		if (!g_ascii_isalnum(*s) && *s != '_' && *s != '.')
			return 0;
	}
	return 1;
}

/*
 * If the tag [tag, tagend) stands alone on its line, returns the start of
 * the line in *from and the position after the line's newline in *to.
 */
static int
template_standalone(const char *start, const char *tag, const char *tagend,
    const char **from, const char **to)
{
	const char	*p;

	for (p = tag; p > start && (p[-1] == ' ' || p[-1] == '\t'); p--)
		;
	if (p != start && p[-1] != '\n')
		return 0;
	*from = p;
	for (p = tagend; *p == ' ' || *p == '\t' || *p == '\r'; p++)
		;
	if (*p == '\n')
		p++;
	else if (*p != '\0')
		return 0;
	*to = p;
	return 1;
}

/* Parses text into a tree of nodes; returns NULL with *cause on error. */
static GPtrArray *
template_parse(const char *text, char **cause)
{
	GPtrArray	*root, *stack, *cur;
	GPtrArray	*open;		/* of struct tnode: open sections */
	const char	*p = text, *lit = text, *close, *name, *from, *to;
	int		 line = 1, litline = 1;
	struct tnode	*n;
	char		 sigil;
	GString		*buf = g_string_new(NULL);

	root = g_ptr_array_new_with_free_func(tnode_free);
	stack = g_ptr_array_new();
	open = g_ptr_array_new();
	cur = root;
	while (*p != '\0') {
		if (*p == '\n') {
			line++;
			p++;
			continue;
		}
		if (*p != '{') {
			p++;
			continue;
		}
		if (p[1] == '{') {
			g_string_append_len(buf, lit, p + 1 - lit);
			p += 2;
			lit = p;
			continue;
		}
		if ((close = strchr(p, '}')) == NULL ||
		    memchr(p, '\n', (size_t)(close - p)) != NULL) {
			*cause = g_strdup_printf("line %d: '{' without '}' "
			    "(write {{ for a brace)", line);
			goto fail;
		}
		sigil = p[1];
		name = p + 1;
		if (sigil == '#' || sigil == '^' || sigil == '/')
			name++;
		else
			sigil = '\0';
		if (!template_isname(name, close)) {
			*cause = g_strdup_printf("line %d: bad tag {%.*s}",
			    line, (int)(close - p - 1), p + 1);
			goto fail;
		}
		from = p;
		to = close + 1;
		if (sigil != '\0' &&
		    template_standalone(text, p, close + 1, &from, &to) &&
		    from < lit)
			from = lit;
		g_string_append_len(buf, lit, from - lit);
		if (buf->len > 0) {
			tnode_add(cur, TNODE_TEXT, buf->str, buf->len,
			    litline);
			g_string_truncate(buf, 0);
		}
		switch (sigil) {
		case '\0':
			tnode_add(cur, TNODE_VAR, name,
			    (size_t)(close - name), line);
			break;
		case '#':
		case '^':
			n = tnode_add(cur, sigil == '#' ? TNODE_SECTION :
			    TNODE_INVERTED, name, (size_t)(close - name), line);
			g_ptr_array_add(stack, cur);
			g_ptr_array_add(open, n);
			cur = n->children;
			break;
		case '/':
			if (open->len == 0) {
				*cause = g_strdup_printf("line %d: {/%.*s} "
				    "closes nothing", line,
				    (int)(close - name), name);
				goto fail;
			}
			n = g_ptr_array_index(open, open->len - 1);
			if (strlen(n->text) != (size_t)(close - name) ||
			    strncmp(n->text, name, (size_t)(close - name))) {
				*cause = g_strdup_printf("line %d: {/%.*s} "
				    "closes {#%s} of line %d", line,
				    (int)(close - name), name, n->text,
				    n->line);
				goto fail;
			}
			g_ptr_array_remove_index(open, open->len - 1);
			cur = g_ptr_array_index(stack, stack->len - 1);
			g_ptr_array_remove_index(stack, stack->len - 1);
			break;
		}
		for (p = close + 1; p < to; p++) {
			if (*p == '\n')
				line++;
		}
		p = lit = to;
		litline = line;
	}
	if (open->len > 0) {
		n = g_ptr_array_index(open, open->len - 1);
		*cause = g_strdup_printf("line %d: {#%s} is never closed",
		    n->line, n->text);
		goto fail;
	}
	g_string_append(buf, lit);
	if (buf->len > 0)
		tnode_add(cur, TNODE_TEXT, buf->str, buf->len, litline);
	g_string_free(buf, TRUE);
	g_ptr_array_free(stack, TRUE);
	g_ptr_array_free(open, TRUE);
	return root;

fail:
	g_string_free(buf, TRUE);
	g_ptr_array_free(stack, TRUE);
	g_ptr_array_free(open, TRUE);
	g_ptr_array_free(root, TRUE);
	return NULL;
}

/* Finds a value in the scopes, innermost first. */
static struct tvar *
template_lookup(GPtrArray *scopes, const char *name)
{
	const struct tvars	*tv;
	struct tvar		*v;
	guint			 i;

	for (i = scopes->len; i > 0; i--) {
		tv = g_ptr_array_index(scopes, i - 1);
		if ((v = g_hash_table_lookup(tv->vars, name)) != NULL)
			return v;
	}
	return NULL;
}

static int
template_run(GPtrArray *nodes, GPtrArray *scopes, GString *out, char **cause)
{
	struct tnode	*n;
	struct tvar	*v;
	guint		 i, j;
	int		 set;

	for (i = 0; i < nodes->len; i++) {
		n = g_ptr_array_index(nodes, i);
		if (n->kind == TNODE_TEXT) {
			g_string_append(out, n->text);
			continue;
		}
		v = template_lookup(scopes, n->text);
		if (n->kind == TNODE_VAR) {
			if (v == NULL || v->str == NULL) {
				*cause = g_strdup_printf("line %d: unknown "
				    "value {%s}", n->line, n->text);
				return -1;
			}
			g_string_append(out, v->str);
			continue;
		}
		set = v != NULL && (v->list != NULL ? v->list->len > 0 :
		    v->str[0] != '\0');
		if (n->kind == TNODE_INVERTED) {
			if (!set && template_run(n->children, scopes, out,
			    cause) != 0)
				return -1;
			continue;
		}
		if (!set)
			continue;
		if (v->list == NULL) {
			if (template_run(n->children, scopes, out, cause) != 0)
				return -1;
			continue;
		}
		for (j = 0; j < v->list->len; j++) {
			g_ptr_array_add(scopes, g_ptr_array_index(v->list, j));
			if (template_run(n->children, scopes, out,
			    cause) != 0) {
				g_ptr_array_remove_index(scopes,
				    scopes->len - 1);
				return -1;
			}
			g_ptr_array_remove_index(scopes, scopes->len - 1);
		}
	}
	return 0;
}

char *
template_render(const char *text, const struct tvars *tv, char **cause)
{
	GPtrArray	*nodes, *scopes;
	GString		*out;
	int		 r;

	if ((nodes = template_parse(text, cause)) == NULL)
		return NULL;
	scopes = g_ptr_array_new();
	g_ptr_array_add(scopes, (gpointer)tv);
	out = g_string_new(NULL);
	r = template_run(nodes, scopes, out, cause);
	g_ptr_array_free(scopes, TRUE);
	g_ptr_array_free(nodes, TRUE);
	if (r != 0) {
		g_string_free(out, TRUE);
		return NULL;
	}
	return g_string_free(out, FALSE);
}

/* Collects value names used by nodes. */
static void
template_names(GPtrArray *nodes, GPtrArray *names)
{
	struct tnode	*n;
	guint		 i;

	for (i = 0; i < nodes->len; i++) {
		n = g_ptr_array_index(nodes, i);
		if (n->kind != TNODE_TEXT)
			g_ptr_array_add(names, g_strdup(n->text));
		if (n->children != NULL)
			template_names(n->children, names);
	}
}

int
template_check(const char *text, void *names, char **cause)
{
	GPtrArray	*nodes;

	if ((nodes = template_parse(text, cause)) == NULL)
		return -1;
	if (names != NULL)
		template_names(nodes, names);
	g_ptr_array_free(nodes, TRUE);
	return 0;
}

/* Checks the names of nodes against the scopes of known values. */
static void
template_lint_nodes(GPtrArray *nodes, GPtrArray *scopes, GPtrArray *errors)
{
	struct tnode	*n;
	struct tvar	*v;
	guint		 i;
	int		 pushed;

	for (i = 0; i < nodes->len; i++) {
		n = g_ptr_array_index(nodes, i);
		if (n->kind == TNODE_TEXT)
			continue;
		if ((v = template_lookup(scopes, n->text)) == NULL)
			g_ptr_array_add(errors, g_strdup_printf("line %d: "
			    "unknown value {%s}", n->line, n->text));
		if (n->children == NULL)
			continue;
		pushed = n->kind == TNODE_SECTION && v != NULL &&
		    v->list != NULL && v->list->len > 0;
		if (pushed)
			g_ptr_array_add(scopes, g_ptr_array_index(v->list, 0));
		template_lint_nodes(n->children, scopes, errors);
		if (pushed)
			g_ptr_array_remove_index(scopes, scopes->len - 1);
	}
}

int
template_lint(const char *text, const struct tvars *known, GPtrArray *errors)
{
	GPtrArray	*nodes, *scopes;
	char		*cause = NULL;
	guint		 before = errors->len;

	if ((nodes = template_parse(text, &cause)) == NULL) {
		g_ptr_array_add(errors, cause);
		return 1;
	}
	scopes = g_ptr_array_new();
	g_ptr_array_add(scopes, (gpointer)known);
	template_lint_nodes(nodes, scopes, errors);
	g_ptr_array_free(scopes, TRUE);
	g_ptr_array_free(nodes, TRUE);
	return (int)(errors->len - before);
}

char *
tvars_extra(const struct tvars *tv, const struct tvars *known)
{
	GHashTableIter	 it;
	gpointer	 k, p;
	struct tvar	*v, *kv;
	char		*inner;
	guint		 i;

	g_hash_table_iter_init(&it, tv->vars);
	while (g_hash_table_iter_next(&it, &k, &p)) {
		v = p;
		kv = g_hash_table_lookup(known->vars, k);
		if (kv == NULL || (v->list != NULL && kv->list == NULL))
			return g_strdup(k);
		for (i = 0; v->list != NULL && i < v->list->len; i++) {
			if (kv->list->len == 0)
				return g_strdup(k);
			inner = tvars_extra(g_ptr_array_index(v->list, i),
			    g_ptr_array_index(kv->list, 0));
			if (inner != NULL) {
				p = g_strdup_printf("%s.%s", (char *)k, inner);
				g_free(inner);
				return p;
			}
		}
	}
	return NULL;
}

GVariant *
tvars_to_variant(const struct tvars *tv)
{
	GVariantBuilder	 b, lb;
	GHashTableIter	 it;
	gpointer	 k, p;
	struct tvar	*v;
	guint		 i;

	g_variant_builder_init(&b, G_VARIANT_TYPE("a{sv}"));
	g_hash_table_iter_init(&it, tv->vars);
	while (g_hash_table_iter_next(&it, &k, &p)) {
		v = p;
		if (v->list == NULL) {
			g_variant_builder_add(&b, "{sv}", k,
			    g_variant_new_string(v->str));
			continue;
		}
		g_variant_builder_init(&lb, G_VARIANT_TYPE("aa{sv}"));
		for (i = 0; i < v->list->len; i++)
			g_variant_builder_add_value(&lb, tvars_to_variant(
			    g_ptr_array_index(v->list, i)));
		g_variant_builder_add(&b, "{sv}", k,
		    g_variant_builder_end(&lb));
	}
	return g_variant_builder_end(&b);
}

/* Adds the values of v (a{sv}) to tv; -1 when v is not of that shape. */
static int
tvars_add_variant(struct tvars *tv, GVariant *v)
{
	GVariantIter	 it, li;
	GVariant	*val, *item;
	const char	*k;
	int		 r = 0;

	if (!g_variant_is_of_type(v, G_VARIANT_TYPE("a{sv}")))
		return -1;
	g_variant_iter_init(&it, v);
	while (r == 0 && g_variant_iter_next(&it, "{&sv}", &k, &val)) {
		if (g_variant_is_of_type(val, G_VARIANT_TYPE_STRING))
			tvars_set(tv, k, g_variant_get_string(val, NULL));
		else if (g_variant_is_of_type(val, G_VARIANT_TYPE("aa{sv}"))) {
			g_variant_iter_init(&li, val);
			while (r == 0 && (item = g_variant_iter_next_value(
			    &li)) != NULL) {
				r = tvars_add_variant(tvars_push(tv, k), item);
				g_variant_unref(item);
			}
		} else
			r = -1;
		g_variant_unref(val);
	}
	return r;
}

struct tvars *
tvars_from_variant(GVariant *v)
{
	struct tvars	*tv = tvars_new();

	if (tvars_add_variant(tv, v) != 0) {
		tvars_free(tv);
		return NULL;
	}
	return tv;
}
