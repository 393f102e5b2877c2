/* rules.c: reads the rules folder (one tab-separated file per scheme, item
 * tables shared through #include) and lints it, every problem at once. */

#include <stdarg.h>
#include <string.h>

#include <glib.h>

#include "invoice.h"
#include "rules.h"
#include "value.h"

/* A rules file larger than this is a mistake, not a scheme. */
#define RULES_MAX_FILE	(4 * 1024 * 1024)
#define RULES_NCOLUMNS	7

static const char *rules_columns[RULES_NCOLUMNS] = {
	"id", "label", "need", "type", "when", "gloss", "basis"
};

/* The header keys; all but aliases must be present in a scheme file. */
static const char *rules_keys[] = {
	"scheme", "name", "aliases", "identifier", "fee_new", "fee_renewal",
	"validity_years", NULL
};

/* One problem, kept until the end to be de-duplicated and sorted. */
struct rules_error {
	char	*file;
	int	 line;
	char	*msg;
};

/* A header line "key<TAB>value". */
struct rules_key {
	char	*key;
	char	*value;
	int	 line;
};

/* A row of an item table: an item, or an #include of another file. */
struct rules_entry {
	struct rule_item *item;
	char		*include;
	int		 line;
};

/* One file of the folder as written, before includes are expanded. */
struct rules_file {
	char		*name;
	GPtrArray	*keys;		/* of struct rules_key */
	GPtrArray	*entries;	/* of struct rules_entry */
	int		 table;		/* line of the column header, or 0 */
	int		 expanding;	/* on the include stack now */
};

/* The state of one rules_load. */
struct rules_ctx {
	const char	*dir;
	GHashTable	*files;		/* name -> struct rules_file */
	GPtrArray	*names;		/* the file names, sorted */
	GPtrArray	*errors;	/* of struct rules_error */
	GHashTable	*seen;		/* "file:line: msg" already reported */
	struct holidays	*holidays;	/* from RULES_HOLIDAYS, or NULL */
};

static void	rules_error(struct rules_ctx *, const char *, int, const char *,
		    ...) G_GNUC_PRINTF(4, 5);

/* Records a problem at file:line (line 0: the whole file); the same
 * message at the same place is kept once. */
static void
rules_error(struct rules_ctx *ctx, const char *file, int line,
    const char *fmt, ...)
{
	struct rules_error	*e;
	va_list			 ap;
	char			*msg, *key;

	va_start(ap, fmt);
	msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	key = g_strdup_printf("%s:%d: %s", file, line, msg);
	if (!g_hash_table_add(ctx->seen, key)) {
		g_free(msg);
		return;
	}
	e = g_new0(struct rules_error, 1);
	e->file = g_strdup(file);
	e->line = line;
	e->msg = msg;
	g_ptr_array_add(ctx->errors, e);
}

static void
rules_error_free(gpointer p)
{
	struct rules_error	*e = p;

	g_free(e->file);
	g_free(e->msg);
	g_free(e);
}

static gint
rules_error_cmp(gconstpointer a, gconstpointer b)
{
	const struct rules_error *ea = *(struct rules_error *const *)a;
	const struct rules_error *eb = *(struct rules_error *const *)b;
	int			  c;

	if ((c = strcmp(ea->file, eb->file)) != 0)
		return c;
	return (ea->line > eb->line) - (ea->line < eb->line);
}

static void
rules_item_free(gpointer p)
{
	struct rule_item	*it = p;

	if (it == NULL)
		return;
	g_free(it->id);
	g_free(it->label);
	g_free(it->type_spec);
	vtype_clear(&it->type);
	g_free(it->when_id);
	g_free(it->when_value);
	g_free(it->gloss);
	g_free(it->basis);
	g_free(it->file);
	g_free(it);
}

/* A copy of an item for a scheme that includes it; its type was checked
 * when its file was read, so a failure here needs no second message. */
static struct rule_item *
rules_item_copy(const struct rule_item *from)
{
	struct rule_item	*it = g_new0(struct rule_item, 1);
	char			*cause = NULL;

	it->id = g_strdup(from->id);
	it->label = g_strdup(from->label);
	it->required = from->required;
	it->type_spec = g_strdup(from->type_spec);
	if (vtype_parse(it->type_spec, &it->type, &cause) != 0) {
		g_free(cause);
		memset(&it->type, 0, sizeof it->type);
	}
	it->when_id = g_strdup(from->when_id);
	it->when_value = g_strdup(from->when_value);
	it->gloss = g_strdup(from->gloss);
	it->basis = g_strdup(from->basis);
	it->file = g_strdup(from->file);
	it->line = from->line;
	return it;
}

static void
rules_key_free(gpointer p)
{
	struct rules_key	*k = p;

	g_free(k->key);
	g_free(k->value);
	g_free(k);
}

static void
rules_entry_free(gpointer p)
{
	struct rules_entry	*e = p;

	rules_item_free(e->item);
	g_free(e->include);
	g_free(e);
}

static void
rules_file_free(gpointer p)
{
	struct rules_file	*f = p;

	g_free(f->name);
	g_ptr_array_free(f->keys, TRUE);
	g_ptr_array_free(f->entries, TRUE);
	g_free(f);
}

static void
rules_scheme_free(gpointer p)
{
	struct scheme	*s = p;

	g_free(s->code);
	g_free(s->name);
	g_ptr_array_free(s->aliases, TRUE);
	g_free(s->identifier);
	g_ptr_array_free(s->items, TRUE);
	g_free(s->file);
	g_free(s);
}

void
rules_free(struct rules *r)
{
	if (r == NULL)
		return;
	g_ptr_array_free(r->schemes, TRUE);
	invoice_holidays_free(r->holidays);
	g_free(r);
}

/*
 * Makes the bytes of one file UTF-8 text (validated later, line by line):
 * a UTF-8 byte order mark is dropped, and UTF-16 with a byte order mark,
 * which is what Excel's "Unicode text" writes, is converted.  Returns a
 * new string and its length, or NULL after reporting why.
 */
static char *
rules_decode(struct rules_ctx *ctx, const char *name, const char *data,
    size_t n, gsize *len)
{
	GError	*error = NULL;
	char	*text;
	gsize	 out;

	if (n > RULES_MAX_FILE) {
		rules_error(ctx, name, 0, "larger than %d bytes",
		    RULES_MAX_FILE);
		return NULL;
	}
	if (n >= 2 && ((data[0] == '\xff' && data[1] == '\xfe') ||
	    (data[0] == '\xfe' && data[1] == '\xff'))) {
		text = g_convert(data, (gssize)n, "UTF-8", "UTF-16", NULL, &out,
		    &error);
		if (text == NULL) {
			rules_error(ctx, name, 1, "starts like UTF-16 but is "
			    "not: %s", error->message);
			g_error_free(error);
			return NULL;
		}
	} else {
		text = g_malloc(n + 1);
		memcpy(text, data, n);
		text[n] = '\0';
		out = n;
	}
	if (out >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0) {
		memmove(text, text + 3, out - 3);
		out -= 3;
		text[out] = '\0';
	}
	*len = out;
	return text;
}

/* Splits a line into its cells, each trimmed; empty cells at the end (the
 * tabs Excel pads rows with) are dropped. */
static char **
rules_cells(const char *line, guint *n)
{
	char	**raw, **cells;
	guint	  i, len;

	raw = g_strsplit(line, "\t", -1);
	len = g_strv_length(raw);
	cells = g_new0(char *, len + 1);
	for (i = 0; i < len; i++)
		cells[i] = value_trim(raw[i]);
	g_strfreev(raw);
	while (len > 0 && cells[len - 1][0] == '\0') {
		g_free(cells[len - 1]);
		cells[--len] = NULL;
	}
	*n = len;
	return cells;
}

/* Is id made of ASCII digits, letters and '-' only? */
static int
rules_id_ok(const char *id)
{
	for (; *id != '\0'; id++) {
		if (!g_ascii_isalnum(*id) && *id != '-')
			return 0;
	}
	return 1;
}

/* Parses the when column: "ID=VALUE" (a full-width ＝ also separates). */
static int
rules_when(struct rule_item *it, const char *when)
{
	const char	*eq;
	size_t		 eqlen = 1;
	char		*id;

	if ((eq = strchr(when, '=')) == NULL) {
		if ((eq = strstr(when, "＝")) == NULL)
			return -1;
		eqlen = strlen("＝");
	}
	id = g_strndup(when, (gsize)(eq - when));
	it->when_id = value_trim(id);
	g_free(id);
	it->when_value = value_trim(eq + eqlen);
	if (*it->when_id == '\0' || *it->when_value == '\0') {
		g_clear_pointer(&it->when_id, g_free);
		g_clear_pointer(&it->when_value, g_free);
		return -1;
	}
	return 0;
}

/* Reads an item row, reporting what is wrong with it alone; NULL when
 * the row has no usable id. */
static struct rule_item *
rules_parse_item(struct rules_ctx *ctx, const char *file, int line,
    char **cells, guint n)
{
	struct rule_item	*it;
	char			*cause = NULL;

	if (n != RULES_NCOLUMNS) {
		rules_error(ctx, file, line, "%u columns, expected %d (id, "
		    "label, need, type, when, gloss, basis)", n,
		    RULES_NCOLUMNS);
		return NULL;
	}
	if (*cells[0] == '\0') {
		rules_error(ctx, file, line, "empty id (項番)");
		return NULL;
	}
	it = g_new0(struct rule_item, 1);
	it->id = g_strdup(cells[0]);
	it->label = g_strdup(cells[1]);
	it->type_spec = g_strdup(cells[3]);
	it->gloss = g_strdup(cells[5]);
	it->basis = g_strdup(cells[6]);
	it->file = g_strdup(file);
	it->line = line;
	if (!rules_id_ok(it->id))
		rules_error(ctx, file, line, "id \"%s\" may hold only ASCII "
		    "digits, letters and '-'", it->id);
	if (*it->label == '\0')
		rules_error(ctx, file, line, "item %s: empty label (項目)",
		    it->id);
	if (strcmp(cells[2], "必須") == 0)
		it->required = 1;
	else if (strcmp(cells[2], "選択") != 0)
		rules_error(ctx, file, line, "item %s: need must be 必須 or "
		    "選択, not \"%s\"", it->id, cells[2]);
	if (*it->type_spec == '\0')
		rules_error(ctx, file, line, "item %s: no type", it->id);
	else if (vtype_parse(it->type_spec, &it->type, &cause) != 0) {
		rules_error(ctx, file, line, "item %s: type \"%s\": %s",
		    it->id, it->type_spec, cause != NULL ? cause : "bad type");
		g_free(cause);
		memset(&it->type, 0, sizeof it->type);
	}
	if (*cells[4] != '\0' && rules_when(it, cells[4]) != 0)
		rules_error(ctx, file, line, "item %s: when \"%s\" is not of "
		    "the form ID=VALUE", it->id, cells[4]);
	if (strcmp(it->basis, "found") != 0 &&
	    strcmp(it->basis, "inferred") != 0)
		rules_error(ctx, file, line, "item %s: basis must be found or "
		    "inferred, not \"%s\"", it->id, it->basis);
	return it;
}

/* The header line of f with that key, or NULL. */
static const struct rules_key *
rules_file_key(const struct rules_file *f, const char *key)
{
	const struct rules_key	*k;
	guint			 i;

	for (i = 0; i < f->keys->len; i++) {
		k = g_ptr_array_index(f->keys, i);
		if (strcmp(k->key, key) == 0)
			return k;
	}
	return NULL;
}

/* Reads a header line "key<TAB>value" before the item table. */
static void
rules_parse_key(struct rules_ctx *ctx, struct rules_file *f, int line,
    char **cells, guint n)
{
	const struct rules_key	*old;
	struct rules_key	*k;
	guint			 i;

	for (i = 0; rules_keys[i] != NULL; i++) {
		if (strcmp(rules_keys[i], cells[0]) == 0)
			break;
	}
	if (rules_keys[i] == NULL) {
		rules_error(ctx, f->name, line, "unknown key \"%s\" (known: "
		    "scheme, name, aliases, identifier, fee_new, fee_renewal, "
		    "validity_years)", cells[0]);
		return;
	}
	if (n > 2) {
		rules_error(ctx, f->name, line, "%s takes one value, found %u "
		    "cells", cells[0], n - 1);
		return;
	}
	if ((old = rules_file_key(f, cells[0])) != NULL) {
		rules_error(ctx, f->name, line, "%s given twice (also line "
		    "%d)", cells[0], old->line);
		return;
	}
	k = g_new0(struct rules_key, 1);
	k->key = g_strdup(cells[0]);
	k->value = g_strdup(n > 1 ? cells[1] : "");
	k->line = line;
	g_ptr_array_add(f->keys, k);
}

/* Checks the column header line. */
static void
rules_parse_columns(struct rules_ctx *ctx, struct rules_file *f, int line,
    char **cells, guint n)
{
	guint	i;

	f->table = line;
	for (i = 0; i < n && i < RULES_NCOLUMNS; i++) {
		if (strcmp(cells[i], rules_columns[i]) != 0)
			break;
	}
	if (i != RULES_NCOLUMNS || n != RULES_NCOLUMNS)
		rules_error(ctx, f->name, line, "wrong column header line: "
		    "expected id, label, need, type, when, gloss, basis "
		    "(tab-separated)");
}

/* Is the line an #include?  Returns the file name it names ("" when it
 * names none), or NULL when the line is not one. */
static char *
rules_include(const char *line)
{
	const char	*p;

	while (*line == ' ' || *line == '\t')
		line++;
	if (!g_str_has_prefix(line, "#include"))
		return NULL;
	p = line + strlen("#include");
	if (*p != '\0' && *p != ' ' && *p != '\t')
		return NULL;
	return value_trim(p);
}

/* Reads one line of a file into f. */
static void
rules_parse_line(struct rules_ctx *ctx, struct rules_file *f, int line,
    const char *text)
{
	struct rules_entry	*e;
	struct rule_item	*it;
	char			**cells, *inc;
	guint			 n;

	cells = rules_cells(text, &n);
	if (n == 0)
		goto out;
	if ((inc = rules_include(text)) != NULL) {
		if (f->table == 0)
			rules_error(ctx, f->name, line, "#include belongs in "
			    "the item table, after the column header line");
		else if (*inc == '\0' || strchr(inc, '\t') != NULL)
			rules_error(ctx, f->name, line, "#include needs one "
			    "file name");
		else {
			e = g_new0(struct rules_entry, 1);
			e->include = inc;
			e->line = line;
			g_ptr_array_add(f->entries, e);
			goto out;
		}
		g_free(inc);
		goto out;
	}
	if (cells[0][0] == '#')
		goto out;
	if (f->table == 0) {
		if (strcmp(cells[0], "id") == 0) {
			rules_parse_columns(ctx, f, line, cells, n);
			goto out;
		}
		if (n <= 2 || g_strv_contains((const char *const *)rules_keys,
		    cells[0])) {
			rules_parse_key(ctx, f, line, cells, n);
			goto out;
		}
		rules_error(ctx, f->name, line, "missing column header line "
		    "(id, label, need, type, when, gloss, basis) before the "
		    "first item");
		f->table = line;
	}
	if ((it = rules_parse_item(ctx, f->name, line, cells, n)) != NULL) {
		e = g_new0(struct rules_entry, 1);
		e->item = it;
		e->line = line;
		g_ptr_array_add(f->entries, e);
	}
out:
	g_strfreev(cells);
}

/* Parses the bytes of one file; NULL if they are not text. */
static struct rules_file *
rules_parse_file(struct rules_ctx *ctx, const char *name, const char *data,
    size_t n)
{
	struct rules_file	*f;
	const char		*p, *end, *eol;
	char			*text, *l;
	gsize			 len;
	int			 line = 0;

	if ((text = rules_decode(ctx, name, data, n, &len)) == NULL)
		return NULL;
	f = g_new0(struct rules_file, 1);
	f->name = g_strdup(name);
	f->keys = g_ptr_array_new_with_free_func(rules_key_free);
	f->entries = g_ptr_array_new_with_free_func(rules_entry_free);
	end = text + len;
	for (p = text; p < end; p = eol) {
		line++;
		for (eol = p; eol < end && *eol != '\n' && *eol != '\r'; eol++)
			;
		if (!g_utf8_validate(p, eol - p, NULL))
			rules_error(ctx, name, line, "not valid UTF-8 (save the "
			    "file as UTF-8)");
		else {
			l = g_strndup(p, (gsize)(eol - p));
			rules_parse_line(ctx, f, line, l);
			g_free(l);
		}
		if (eol < end && *eol == '\r' && eol + 1 < end &&
		    eol[1] == '\n')
			eol++;
		if (eol < end)
			eol++;
	}
	g_free(text);
	return f;
}

/*
 * Appends the items of f to items, expanding its includes in place.  The
 * files on the include stack are marked, to find loops; done holds the
 * files already expanded into this scheme, so each is taken once.
 */
static void
rules_expand(struct rules_ctx *ctx, struct rules_file *f, GPtrArray *items,
    GHashTable *done, GPtrArray *stack)
{
	struct rules_entry	*e;
	struct rules_file	*inc;
	GString			*loop;
	guint			 i, j;

	f->expanding = 1;
	g_ptr_array_add(stack, f->name);
	g_hash_table_add(done, f->name);
	for (i = 0; i < f->entries->len; i++) {
		e = g_ptr_array_index(f->entries, i);
		if (e->item != NULL) {
			g_ptr_array_add(items, rules_item_copy(e->item));
			continue;
		}
		inc = g_hash_table_lookup(ctx->files, e->include);
		if (strpbrk(e->include, "/\\") != NULL)
			rules_error(ctx, f->name, e->line, "#include %s: name "
			    "a file of this folder, without a path",
			    e->include);
		else if (inc == NULL)
			rules_error(ctx, f->name, e->line, "#include %s: no "
			    "such .tsv file in the rules folder", e->include);
		else if (inc->expanding) {
			loop = g_string_new(NULL);
			for (j = 0; j < stack->len; j++) {
				if (strcmp(g_ptr_array_index(stack, j),
				    inc->name) == 0 || loop->len > 0)
					g_string_append_printf(loop, "%s → ",
					    (char *)g_ptr_array_index(stack,
					    j));
			}
			rules_error(ctx, f->name, e->line, "#include %s: "
			    "include loop (%s%s)", e->include, loop->str,
			    inc->name);
			g_string_free(loop, TRUE);
		} else if (g_hash_table_contains(done, inc->name))
			rules_error(ctx, f->name, e->line, "#include %s: "
			    "included twice; its items are taken once",
			    e->include);
		else
			rules_expand(ctx, inc, items, done, stack);
	}
	g_ptr_array_remove_index(stack, stack->len - 1);
	f->expanding = 0;
}

/* Reads a number of yen or years: ASCII digits, with or without thousands
 * separators; -1 if it is not one or is out of range. */
static int64_t
rules_number(const char *s, int64_t max)
{
	int64_t	 n = 0;
	int	 digits = 0;

	for (; *s != '\0'; s++) {
		if (*s == ',' && digits > 0)
			continue;
		if (!g_ascii_isdigit(*s))
			return -1;
		n = n * 10 + (*s - '0');
		digits++;
		if (n > max)
			return -1;
	}
	return digits > 0 ? n : -1;
}

/* A scheme's header value, with its line; reports a missing one. */
static const char *
rules_need_key(struct rules_ctx *ctx, const struct rules_file *f,
    const char *key, int *line)
{
	const struct rules_key	*k;

	if ((k = rules_file_key(f, key)) == NULL) {
		rules_error(ctx, f->name, f->table > 0 ? f->table : 1,
		    "missing header line %s", key);
		*line = 0;
		return NULL;
	}
	*line = k->line;
	return k->value;
}

/* Reads a fee header line. */
static int64_t
rules_fee(struct rules_ctx *ctx, const struct rules_file *f, const char *key)
{
	const char	*v;
	int64_t		 n;
	int		 line;

	if ((v = rules_need_key(ctx, f, key, &line)) == NULL)
		return -1;
	if ((n = rules_number(v, INT64_C(1000000000000))) < 0)
		rules_error(ctx, f->name, line, "%s \"%s\" is not a number of "
		    "yen (digits, like 190000)", key, v);
	return n;
}

/* Builds a scheme from the header lines of f; NULL if f has none. */
static struct scheme *
rules_make_scheme(struct rules_ctx *ctx, struct rules_file *f)
{
	const struct rules_key	*k;
	struct scheme		*s;
	const char		*v, *p;
	char			**parts, *base, *a;
	int			 line;
	guint			 i;

	if (f->keys->len == 0)
		return NULL;
	if ((v = rules_need_key(ctx, f, "scheme", &line)) == NULL)
		return NULL;
	s = g_new0(struct scheme, 1);
	s->code = g_strdup(v);
	s->file = g_strdup(f->name);
	s->aliases = g_ptr_array_new_with_free_func(g_free);
	s->items = g_ptr_array_new_with_free_func(rules_item_free);
	for (p = v; g_ascii_islower(*p) || g_ascii_isdigit(*p) ||
	    (*p == '-' && p != v); p++)
		;
	base = g_strndup(f->name, strlen(f->name) - strlen(".tsv"));
	if (*v == '\0' || *p != '\0')
		rules_error(ctx, f->name, line, "scheme \"%s\": a code is "
		    "lower-case ASCII letters, digits and '-'", v);
	else if (strcmp(v, base) != 0)
		rules_error(ctx, f->name, line, "scheme %s must be "
		    "written in the file %s.tsv, not %s", v, v, f->name);
	g_free(base);

	if ((v = rules_need_key(ctx, f, "name", &line)) != NULL &&
	    *v == '\0')
		rules_error(ctx, f->name, line, "name is empty");
	s->name = g_strdup(v != NULL ? v : "");
	if ((v = rules_need_key(ctx, f, "identifier", &line)) != NULL &&
	    strpbrk(v, " \t") != NULL)
		rules_error(ctx, f->name, line, "identifier \"%s\" may not "
		    "hold spaces", v);
	s->identifier = g_strdup(v != NULL ? v : "");
	if ((k = rules_file_key(f, "aliases")) != NULL) {
		parts = g_strsplit(k->value, "|", -1);
		for (i = 0; parts[i] != NULL; i++) {
			a = value_trim(parts[i]);
			if (*a != '\0')
				g_ptr_array_add(s->aliases, a);
			else
				g_free(a);
		}
		g_strfreev(parts);
	}
	s->fee_new = rules_fee(ctx, f, "fee_new");
	s->fee_renewal = rules_fee(ctx, f, "fee_renewal");
	if ((v = rules_need_key(ctx, f, "validity_years", &line)) != NULL &&
	    (s->validity_years = (int)rules_number(v, 99)) <= 0)
		rules_error(ctx, f->name, line, "validity_years \"%s\" is not "
		    "a number of years from 1 to 99", v);
	if (f->table == 0)
		rules_error(ctx, f->name, 1, "no item table: the column "
		    "header line id, label, need, type, when, gloss, basis "
		    "is missing");
	return s;
}

/* The form of a 項番 that rules_item compares: NFKC, no spaces, dash
 * look-alikes as '-', ASCII upper case. */
static char *
rules_id_key(const char *id)
{
	GString		*out;
	const char	*p;
	char		*nfkc;
	gunichar	 c;

	if ((nfkc = g_utf8_normalize(id, -1, G_NORMALIZE_NFKC)) == NULL)
		return NULL;
	out = g_string_new(NULL);
	for (p = nfkc; *p != '\0'; p = g_utf8_next_char(p)) {
		c = g_utf8_get_char(p);
		if (g_unichar_isspace(c))
			continue;
		if ((c >= 0x2010 && c <= 0x2015) || c == 0x2043 ||
		    c == 0x2212 || c == 0x30fc)
			c = '-';
		g_string_append_unichar(out, g_unichar_toupper(c));
	}
	g_free(nfkc);
	return g_string_free(out, FALSE);
}

const struct rule_item *
rules_item(const struct scheme *s, const char *id)
{
	const struct rule_item	*it;
	char			*key;
	guint			 i;

	for (i = 0; i < s->items->len; i++) {
		it = g_ptr_array_index(s->items, i);
		if (strcmp(it->id, id) == 0)
			return it;
	}
	if ((key = rules_id_key(id)) == NULL)
		return NULL;
	for (i = 0; i < s->items->len; i++) {
		it = g_ptr_array_index(s->items, i);
		if (g_ascii_strcasecmp(it->id, key) == 0) {
			g_free(key);
			return it;
		}
	}
	g_free(key);
	return NULL;
}

/* Checks an item's condition against the items of its scheme. */
static void
rules_check_when(struct rules_ctx *ctx, const struct scheme *s,
    const struct rule_item *it)
{
	const struct rule_item	*t;
	GString			*in;
	char			*ch;
	guint			 i;

	in = g_string_new(NULL);
	if (strcmp(it->file, s->file) != 0)
		g_string_printf(in, " in scheme %s", s->code);
	t = rules_item(s, it->when_id);
	if (t == NULL || strcmp(t->id, it->when_id) != 0) {
		rules_error(ctx, it->file, it->line, "item %s: when %s=%s: "
		    "no item %s%s%s%s", it->id, it->when_id, it->when_value,
		    it->when_id, in->str, t != NULL ? "; did you mean " : "",
		    t != NULL ? t->id : "");
	} else if (t == it)
		rules_error(ctx, it->file, it->line, "item %s: when %s=%s: "
		    "an item cannot depend on itself", it->id, it->when_id,
		    it->when_value);
	else if (t->type.kind != VT_ENUM) {
		if (!g_str_has_prefix(t->type_spec, "enum"))
			rules_error(ctx, it->file, it->line, "item %s: when "
			    "%s=%s: item %s is %s, not a choice (enum:…)",
			    it->id, it->when_id, it->when_value, t->id,
			    t->type_spec);
	} else {
		for (i = 0; i < t->type.choices->len; i++) {
			ch = g_ptr_array_index(t->type.choices, i);
			if (strcmp(ch, it->when_value) == 0)
				break;
		}
		if (i == t->type.choices->len)
			rules_error(ctx, it->file, it->line, "item %s: when "
			    "%s=%s: item %s takes only %s", it->id,
			    it->when_id, it->when_value, t->id,
			    t->type_spec + strlen("enum:"));
	}
	g_string_free(in, TRUE);
}

/* Checks the items of a scheme together: duplicate ids, conditions. */
static void
rules_check_items(struct rules_ctx *ctx, const struct scheme *s)
{
	GHashTable		*ids;
	const struct rule_item	*it, *old;
	char			*up;
	guint			 i;

	if (s->items->len == 0)
		rules_error(ctx, s->file, 1, "scheme %s has no items",
		    s->code);
	ids = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	for (i = 0; i < s->items->len; i++) {
		it = g_ptr_array_index(s->items, i);
		up = g_ascii_strup(it->id, -1);
		if ((old = g_hash_table_lookup(ids, up)) != NULL) {
			rules_error(ctx, it->file, it->line, "duplicate id %s"
			    "%s%s (also %s:%d)", it->id,
			    strcmp(it->file, s->file) != 0 ? " in scheme " :
			    "", strcmp(it->file, s->file) != 0 ? s->code : "",
			    old->file, old->line);
			g_free(up);
		} else
			g_hash_table_insert(ids, up, (gpointer)it);
	}
	g_hash_table_destroy(ids);
	for (i = 0; i < s->items->len; i++) {
		it = g_ptr_array_index(s->items, i);
		if (it->when_id != NULL)
			rules_check_when(ctx, s, it);
	}
}

/* What applicants add after a scheme's name: its official long form. */
#define RULES_SUFFIX	"の安全・信頼性に係る情報開示認定制度"

/* The key of a text without the suffix key, if it ends in it. */
static void
rules_drop_suffix(GString *key, const char *suffix)
{
	if (key->len > strlen(suffix) && g_str_has_suffix(key->str, suffix))
		g_string_truncate(key, key->len - strlen(suffix));
}

/*
 * The form of a scheme name that rules_scheme compares: NFKC, case
 * folded, without blanks, punctuation and the separators ・ / - · (any
 * Unicode punctuation: brackets, commas, dashes, middle dots), and
 * without the suffix 「の安全・信頼性に係る情報開示認定制度」 (nor a
 * trailing 制度); NULL if the name is not valid UTF-8.
 */
static char *
rules_name_key(const char *name)
{
	GString		*out;
	const char	*p;
	char		*nfkc, *fold;
	gunichar	 c;
	GUnicodeType	 t;

	if ((nfkc = g_utf8_normalize(name, -1, G_NORMALIZE_NFKC)) == NULL)
		return NULL;
	fold = g_utf8_casefold(nfkc, -1);
	g_free(nfkc);
	out = g_string_new(NULL);
	for (p = fold; *p != '\0'; p = g_utf8_next_char(p)) {
		c = g_utf8_get_char(p);
		t = g_unichar_type(c);
		if (g_unichar_isspace(c) || c == 0x30fb || c == '/' ||
		    c == '-' || c == 0x00b7 ||
		    t == G_UNICODE_CONNECT_PUNCTUATION ||
		    t == G_UNICODE_DASH_PUNCTUATION ||
		    t == G_UNICODE_OPEN_PUNCTUATION ||
		    t == G_UNICODE_CLOSE_PUNCTUATION ||
		    t == G_UNICODE_INITIAL_PUNCTUATION ||
		    t == G_UNICODE_FINAL_PUNCTUATION ||
		    t == G_UNICODE_OTHER_PUNCTUATION ||
		    t == G_UNICODE_MATH_SYMBOL)
			continue;
		g_string_append_unichar(out, c);
	}
	g_free(fold);
	/* The suffix folded as above: 安全信頼性 without its dot. */
	rules_drop_suffix(out, "の安全信頼性に係る情報開示認定制度");
	rules_drop_suffix(out, "制度");
	return g_string_free(out, FALSE);
}

/* Claims one name of scheme s in names (key -> scheme); reports a name
 * that another scheme already claimed. */
static void
rules_claim(struct rules_ctx *ctx, GHashTable *names, const struct scheme *s,
    const char *what, const char *name, int line)
{
	const struct scheme	*other;
	char			*key;

	key = rules_name_key(name);
	if (key == NULL || *key == '\0') {
		rules_error(ctx, s->file, line, "%s \"%s\" is empty without "
		    "its spaces and separators", what, name);
		g_free(key);
		return;
	}
	other = g_hash_table_lookup(names, key);
	if (other != NULL && other != s)
		rules_error(ctx, s->file, line, "%s \"%s\" is also a name of "
		    "scheme %s (%s)", what, name, other->code, other->file);
	if (other == NULL)
		g_hash_table_insert(names, key, (gpointer)s);
	else
		g_free(key);
}

/* Checks that no name, alias or code belongs to two schemes. */
static void
rules_check_names(struct rules_ctx *ctx, GPtrArray *schemes)
{
	GHashTable		*names;
	const struct scheme	*s;
	const struct rules_file	*f;
	const struct rules_key	*k;
	guint			 i, j;

	names = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	for (i = 0; i < schemes->len; i++) {
		s = g_ptr_array_index(schemes, i);
		f = g_hash_table_lookup(ctx->files, s->file);
		k = rules_file_key(f, "scheme");
		rules_claim(ctx, names, s, "code", s->code, k->line);
		if ((k = rules_file_key(f, "name")) != NULL && *s->name != '\0')
			rules_claim(ctx, names, s, "name", s->name, k->line);
		k = rules_file_key(f, "aliases");
		for (j = 0; j < s->aliases->len; j++)
			rules_claim(ctx, names, s, "alias",
			    g_ptr_array_index(s->aliases, j), k->line);
	}
	g_hash_table_destroy(names);
}

static gint
rules_scheme_cmp(gconstpointer a, gconstpointer b)
{
	return strcmp((*(struct scheme *const *)a)->code,
	    (*(struct scheme *const *)b)->code);
}

static gint
rules_str_cmp(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Lists the .tsv files of the folder, sorted; skips hidden files and
 * Excel's lock files (~$name). */
static int
rules_list(struct rules_ctx *ctx, GPtrArray *errors)
{
	GDir		*d;
	GError		*error = NULL;
	const char	*name;

	if ((d = g_dir_open(ctx->dir, 0, &error)) == NULL) {
		g_ptr_array_add(errors, g_strdup_printf("%s: cannot read the "
		    "rules folder: %s", ctx->dir, error->message));
		g_error_free(error);
		return -1;
	}
	while ((name = g_dir_read_name(d)) != NULL) {
		if (name[0] != '.' && !g_str_has_prefix(name, "~$") &&
		    g_str_has_suffix(name, ".tsv"))
			g_ptr_array_add(ctx->names, g_strdup(name));
	}
	g_dir_close(d);
	g_ptr_array_sort(ctx->names, rules_str_cmp);
	return 0;
}

/* Builds the schemes from the parsed files, checking each. */
static void
rules_build(struct rules_ctx *ctx, struct rules *r)
{
	struct rules_file	*f;
	struct scheme		*s, *other;
	GHashTable		*done, *codes;
	GPtrArray		*stack, *items;
	guint			 i;

	codes = g_hash_table_new(g_str_hash, g_str_equal);
	stack = g_ptr_array_new();
	for (i = 0; i < ctx->names->len; i++) {
		f = g_hash_table_lookup(ctx->files,
		    g_ptr_array_index(ctx->names, i));
		if (f == NULL)
			continue;
		s = rules_make_scheme(ctx, f);
		items = s != NULL ? s->items :
		    g_ptr_array_new_with_free_func(rules_item_free);
		done = g_hash_table_new(g_str_hash, g_str_equal);
		rules_expand(ctx, f, items, done, stack);
		g_hash_table_destroy(done);
		if (s == NULL) {
			g_ptr_array_free(items, TRUE);
			continue;
		}
		rules_check_items(ctx, s);
		if ((other = g_hash_table_lookup(codes, s->code)) != NULL) {
			rules_error(ctx, f->name, rules_file_key(f,
			    "scheme")->line, "scheme %s is already defined "
			    "in %s", s->code, other->file);
			rules_scheme_free(s);
			continue;
		}
		g_hash_table_insert(codes, s->code, s);
		g_ptr_array_add(r->schemes, s);
	}
	g_ptr_array_free(stack, TRUE);
	g_hash_table_destroy(codes);
	rules_check_names(ctx, r->schemes);
	g_ptr_array_sort(r->schemes, rules_scheme_cmp);
}

/* Starts a load: dir names the folder (or the set of texts) in
 * messages. */
static void
rules_begin(struct rules_ctx *ctx, const char *dir)
{
	memset(ctx, 0, sizeof *ctx);
	ctx->dir = dir;
	ctx->names = g_ptr_array_new_with_free_func(g_free);
	ctx->files = g_hash_table_new_full(g_str_hash, g_str_equal, NULL,
	    rules_file_free);
	ctx->errors = g_ptr_array_new_with_free_func(rules_error_free);
	ctx->seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
	    NULL);
}

/* A problem of the holiday table, reported as the rules' own. */
static void
rules_holiday_error(void *arg, int line, const char *msg)
{
	rules_error(arg, RULES_HOLIDAYS, line, "%s", msg);
}

/* Parses one file of the set, its bytes as read: a scheme (or a file
 * schemes include), or the holiday table. */
static void
rules_add(struct rules_ctx *ctx, const char *name, const char *data,
    size_t len)
{
	struct rules_file	*f;
	char			*text;
	gsize			 n;

	if (strcmp(name, RULES_HOLIDAYS) == 0) {
		if ((text = rules_decode(ctx, name, data, len, &n)) == NULL)
			return;
		ctx->holidays = invoice_holidays(text, n, rules_holiday_error,
		    ctx);
		g_free(text);
		return;
	}
	if ((f = rules_parse_file(ctx, name, data, len)) != NULL)
		g_hash_table_insert(ctx->files, f->name, f);
}

/* Frees the state of a load. */
static void
rules_end(struct rules_ctx *ctx)
{
	g_ptr_array_free(ctx->errors, TRUE);
	g_hash_table_destroy(ctx->seen);
	g_hash_table_destroy(ctx->files);
	g_ptr_array_free(ctx->names, TRUE);
	invoice_holidays_free(ctx->holidays);
}

/* Builds the schemes from the files parsed, hands the problems found to
 * errors, sorted, and frees the load's state. */
static struct rules *
rules_finish(struct rules_ctx *ctx, GPtrArray *errors)
{
	struct rules_error	*e;
	struct rules		*r;
	guint			 i;

	r = g_new0(struct rules, 1);
	r->schemes = g_ptr_array_new_with_free_func(rules_scheme_free);
	r->holidays = ctx->holidays;
	ctx->holidays = NULL;
	rules_build(ctx, r);
	if (r->schemes->len == 0)
		rules_error(ctx, ctx->dir, 0, "no scheme file (a .tsv file "
		    "with a scheme line)");

	g_ptr_array_sort(ctx->errors, rules_error_cmp);
	for (i = 0; i < ctx->errors->len; i++) {
		e = g_ptr_array_index(ctx->errors, i);
		if (e->line > 0)
			g_ptr_array_add(errors, g_strdup_printf("%s:%d: %s",
			    e->file, e->line, e->msg));
		else
			g_ptr_array_add(errors, g_strdup_printf("%s: %s",
			    e->file, e->msg));
	}
	rules_end(ctx);
	return r;
}

struct rules *
rules_load(const char *dir, GPtrArray *errors)
{
	struct rules_ctx	 ctx;
	GError			*error = NULL;
	const char		*name;
	char			*path, *data;
	gsize			 len;
	guint			 i;

	rules_begin(&ctx, dir);
	if (rules_list(&ctx, errors) != 0) {
		rules_end(&ctx);
		return NULL;
	}
	for (i = 0; i < ctx.names->len; i++) {
		name = g_ptr_array_index(ctx.names, i);
		path = g_build_filename(dir, name, NULL);
		if (!g_file_get_contents(path, &data, &len, &error)) {
			rules_error(&ctx, name, 0, "cannot read: %s",
			    error->message);
			g_clear_error(&error);
		} else {
			rules_add(&ctx, name, data, len);
			g_free(data);
		}
		g_free(path);
	}
	return rules_finish(&ctx, errors);
}

struct rules *
rules_parse(const char *what, const struct rules_text *texts, size_t n,
    GPtrArray *errors)
{
	struct rules_ctx	 ctx;
	GHashTable		*given;
	const char		*name;
	size_t			 i;

	rules_begin(&ctx, what);
	given = g_hash_table_new(g_str_hash, g_str_equal);
	for (i = 0; i < n; i++) {
		name = texts[i].name;
		if (!g_str_has_suffix(name, ".tsv") || strlen(name) <= 4 ||
		    strpbrk(name, "/\\") != NULL)
			rules_error(&ctx, name, 0, "not the name of a .tsv "
			    "file of a folder");
		else if (!g_hash_table_add(given, (gpointer)name))
			rules_error(&ctx, name, 0, "given twice");
		else {
			g_ptr_array_add(ctx.names, g_strdup(name));
			rules_add(&ctx, name, texts[i].text, texts[i].len);
		}
	}
	g_hash_table_destroy(given);
	g_ptr_array_sort(ctx.names, rules_str_cmp);
	return rules_finish(&ctx, errors);
}

/*
 * The key of every name of scheme s (code, name, aliases) in keys, with
 * the scheme as its value.
 */
static void
rules_scheme_keys(const struct scheme *s, GPtrArray *keys)
{
	guint	j;
	char	*k;

	for (j = 0; j <= s->aliases->len + 1; j++) {
		k = rules_name_key(j == 0 ? s->code : j == 1 ? s->name :
		    (char *)g_ptr_array_index(s->aliases, j - 2));
		if (k != NULL && *k != '\0')
			g_ptr_array_add(keys, k);
		else
			g_free(k);
	}
}

const struct scheme *
rules_scheme_in(const struct rules *r, const char *text)
{
	const struct scheme	*s, *best = NULL;
	GPtrArray		*keys;
	char			*key;
	glong			 len, best_len = 0;
	guint			 i, j;
	int			 tie = 0;

	if (text == NULL || (key = rules_name_key(text)) == NULL)
		return NULL;
	for (i = 0; i < r->schemes->len; i++) {
		s = g_ptr_array_index(r->schemes, i);
		keys = g_ptr_array_new_with_free_func(g_free);
		rules_scheme_keys(s, keys);
		for (j = 0; j < keys->len; j++) {
			len = g_utf8_strlen(g_ptr_array_index(keys, j), -1);
			/* Short names (DC, 医療) only as the whole text. */
			if (len < 3 && strcmp(key, g_ptr_array_index(keys,
			    j)) != 0)
				continue;
			if (strstr(key, g_ptr_array_index(keys, j)) == NULL)
				continue;
			if (len > best_len) {
				best = s;
				best_len = len;
				tie = 0;
			} else if (len == best_len && best != s)
				tie = 1;
		}
		g_ptr_array_free(keys, TRUE);
	}
	g_free(key);
	return tie ? NULL : best;
}

const struct scheme *
rules_scheme(const struct rules *r, const char *name)
{
	const struct scheme	*s, *found = NULL;
	GPtrArray		*keys;
	char			*key;
	guint			 i, j;

	if ((key = rules_name_key(name)) == NULL || *key == '\0') {
		g_free(key);
		return NULL;
	}
	for (i = 0; i < r->schemes->len && found == NULL; i++) {
		s = g_ptr_array_index(r->schemes, i);
		keys = g_ptr_array_new_with_free_func(g_free);
		rules_scheme_keys(s, keys);
		for (j = 0; j < keys->len && found == NULL; j++) {
			if (strcmp(g_ptr_array_index(keys, j), key) == 0)
				found = s;
		}
		g_ptr_array_free(keys, TRUE);
	}
	g_free(key);
	return found;
}

const char *
rules_scheme_name(const struct rules *r, const char *code,
    const char *unknown)
{
	const struct scheme	*s;

	if (code == NULL)
		return unknown;
	if (r != NULL && (s = rules_scheme(r, code)) != NULL)
		return s->name;
	return code;
}
