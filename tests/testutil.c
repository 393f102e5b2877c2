/* testutil.c: helpers shared by the tests (see testutil.h). */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

#include <gmime/gmime.h>

#include "testutil.h"

const char *
tu_top(void)
{
	static char	*top;
	const char	*env = getenv("NINTEI_TOP");

	if (top == NULL)
		top = env != NULL ? g_strdup(env) : g_get_current_dir();
	return top;
}

char *
tu_corpus(void)
{
	const char	*env = getenv("NINTEI_CORPUS");

	if (env != NULL)
		return g_strdup(env);
	return g_build_filename(tu_top(), "..", "shared", "corpus", NULL);
}

const char *
tu_bin(void)
{
	static char	*bin;
	const char	*env = getenv("NINTEI_BIN");

	if (bin == NULL)
		bin = env != NULL ? g_strdup(env) :
		    g_build_filename(tu_top(), "build", "nintei", NULL);
	return bin;
}

char *
tu_mkforms(void)
{
	char	*dir = g_path_get_dirname(tu_bin()), *p;

	p = g_build_filename(dir, "mkforms", NULL);
	g_free(dir);
	return p;
}

void
tu_run_mkformsv(const char *const *args)
{
	GPtrArray	*argv = g_ptr_array_new();
	char		*tool = tu_mkforms(), *rules, *err = NULL;
	int		 status;
	GError		*error = NULL;
	guint		 i;

	rules = g_build_filename(tu_top(), "rules", NULL);
	g_ptr_array_add(argv, tool);
	g_ptr_array_add(argv, (gpointer)"-r");
	g_ptr_array_add(argv, rules);
	for (i = 0; args[i] != NULL; i++)
		g_ptr_array_add(argv, (gpointer)args[i]);
	g_ptr_array_add(argv, NULL);
	if (!g_spawn_sync(NULL, (char **)argv->pdata, NULL, 0, NULL, NULL,
	    NULL, &err, &status, &error))
		fail_msg("mkforms: %s", error->message);
	if (!g_spawn_check_wait_status(status, NULL))
		fail_msg("mkforms failed: %s", err);
	g_free(err);
	g_free(rules);
	g_free(tool);
	g_ptr_array_free(argv, TRUE);
}

void
tu_run_mkforms(const char *first, ...)
{
	GPtrArray	*args = g_ptr_array_new();
	const char	*a;
	va_list		 ap;

	va_start(ap, first);
	for (a = first; a != NULL; a = va_arg(ap, const char *))
		g_ptr_array_add(args, (gpointer)a);
	va_end(ap);
	g_ptr_array_add(args, NULL);
	tu_run_mkformsv((const char *const *)args->pdata);
	g_ptr_array_free(args, TRUE);
}

char *
tu_tmpdir(const char *name)
{
	char	*base, *tmpl, *dir;

	base = g_build_filename(tu_top(), "build", "tmp", NULL);
	g_mkdir_with_parents(base, 0755);
	tmpl = g_strdup_printf("%s/%s.XXXXXX", base, name);
	dir = g_mkdtemp(tmpl);
	assert_non_null(dir);
	g_free(base);
	return dir;
}

void
tu_rm_rf(const char *dir)
{
	char	*argv[] = { (char *)"rm", (char *)"-rf", (char *)dir, NULL };

	g_spawn_sync(NULL, argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL,
	    NULL, NULL, NULL);
}

char *
tu_spool(const char *dir, const char *extra)
{
	char	*conf, *text, *tmpl, *rules;

	tmpl = g_build_filename(tu_top(), "templates", NULL);
	rules = g_build_filename(tu_top(), "rules", NULL);
	text = g_strdup_printf(
	    "[secretariat]\n"
	    "address = nintei@example.org\n"
	    "name = クラウドサービス情報開示認定事務局\n"
	    "[source]\nurl = maildir:inbox\n"
	    "[transport]\nurl = maildir:outbox\n"
	    "[store]\npath = spool\n"
	    "[letters]\ntemplates = %s\n"
	    "[rules]\npath = %s\n"
	    "%s\n", tmpl, rules, extra != NULL ? extra : "");
	conf = g_build_filename(dir, "nintei.conf", NULL);
	tu_write(conf, text, strlen(text));
	g_free(text);
	g_free(tmpl);
	g_free(rules);
	return conf;
}

static int
tu_ninteiv(const char *conf, const char *in, char **out, char **err,
    va_list ap)
{
	GPtrArray	*argv = g_ptr_array_new();
	GError		*error = NULL;
	GSubprocess	*p;
	GSubprocessLauncher *l;
	GBytes		*ob = NULL, *eb = NULL;
	const char	*a;
	int		 status;

	g_ptr_array_add(argv, (gpointer)tu_bin());
	g_ptr_array_add(argv, (gpointer)"-c");
	g_ptr_array_add(argv, (gpointer)conf);
	while ((a = va_arg(ap, const char *)) != NULL)
		g_ptr_array_add(argv, (gpointer)a);
	g_ptr_array_add(argv, NULL);
	l = g_subprocess_launcher_new(G_SUBPROCESS_FLAGS_STDOUT_PIPE |
	    G_SUBPROCESS_FLAGS_STDERR_PIPE);
	if (in != NULL)
		g_subprocess_launcher_set_stdin_file_path(l, in);
	p = g_subprocess_launcher_spawnv(l,
	    (const char *const *)argv->pdata, &error);
	if (p == NULL)
		fail_msg("spawn %s: %s", tu_bin(), error->message);
	if (!g_subprocess_communicate(p, NULL, NULL, &ob, &eb, &error))
		fail_msg("communicate: %s", error->message);
	status = g_subprocess_get_if_exited(p) ?
	    g_subprocess_get_exit_status(p) :
	    128 + g_subprocess_get_term_sig(p);
	if (out != NULL)
		*out = g_bytes_get_size(ob) > 0 ? g_strndup(
		    g_bytes_get_data(ob, NULL), g_bytes_get_size(ob)) :
		    g_strdup("");
	if (err != NULL)
		*err = g_bytes_get_size(eb) > 0 ? g_strndup(
		    g_bytes_get_data(eb, NULL), g_bytes_get_size(eb)) :
		    g_strdup("");
	if (err == NULL && g_bytes_get_size(eb) > 0 && status != 0)
		fprintf(stderr, "%.*s", (int)g_bytes_get_size(eb),
		    (const char *)g_bytes_get_data(eb, NULL));
	g_bytes_unref(ob);
	g_bytes_unref(eb);
	g_object_unref(p);
	g_object_unref(l);
	g_ptr_array_free(argv, TRUE);
	return status;
}

int
tu_nintei(const char *conf, const char *in, char **out, char **err, ...)
{
	va_list	ap;
	int	status;

	va_start(ap, err);
	status = tu_ninteiv(conf, in, out, err, ap);
	va_end(ap);
	return status;
}

JsonNode *
tu_nintei_json(const char *conf, ...)
{
	JsonNode	*root;
	char		*out;
	va_list		 ap;
	int		 status;

	va_start(ap, conf);
	status = tu_ninteiv(conf, NULL, &out, NULL, ap);
	va_end(ap);
	if (status != 0)
		fail_msg("nintei exited %d", status);
	root = tu_json(out);
	g_free(out);
	return root;
}

JsonNode *
tu_json(const char *text)
{
	JsonParser	*p = json_parser_new();
	GError		*error = NULL;
	JsonNode	*root;

	if (!json_parser_load_from_data(p, text, -1, &error))
		fail_msg("not JSON (%s): %.200s", error->message, text);
	root = json_node_copy(json_parser_get_root(p));
	g_object_unref(p);
	return root;
}

const char *
tu_json_str(JsonNode *obj, const char *member)
{
	JsonObject	*o = json_node_get_object(obj);
	JsonNode	*m;

	if (o == NULL || !json_object_has_member(o, member))
		return NULL;
	m = json_object_get_member(o, member);
	if (JSON_NODE_HOLDS_NULL(m))
		return NULL;
	return json_node_get_string(m);
}

void
tu_contains(const char *s, const char *part)
{
	if (s == NULL || strstr(s, part) == NULL)
		fail_msg("\"%s\" does not contain \"%s\"", s != NULL ? s :
		    "(null)", part);
}

char *
tu_read(const char *path, gsize *len)
{
	char	*text;
	GError	*error = NULL;

	if (!g_file_get_contents(path, &text, len, &error))
		fail_msg("%s", error->message);
	return text;
}

void
tu_write(const char *path, const char *data, gsize len)
{
	GError	*error = NULL;

	if (!g_file_set_contents(path, data, (gssize)len, &error))
		fail_msg("%s", error->message);
}

static gint
tu_cmp(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

GPtrArray *
tu_list(const char *dir)
{
	GPtrArray	*out = g_ptr_array_new_with_free_func(g_free);
	GDir		*d = g_dir_open(dir, 0, NULL);
	const char	*name;

	if (d == NULL)
		return out;
	while ((name = g_dir_read_name(d)) != NULL) {
		if (name[0] != '.')
			g_ptr_array_add(out, g_strdup(name));
	}
	g_dir_close(d);
	g_ptr_array_sort(out, tu_cmp);
	return out;
}

GMimeMessage *
tu_message_file(const char *path)
{
	GMimeStream	*st;
	GMimeParser	*p;
	GMimeMessage	*m;
	char		*raw;
	gsize		 len;

	g_mime_init();
	raw = tu_read(path, &len);
	st = g_mime_stream_mem_new_with_buffer(raw, len);
	p = g_mime_parser_new_with_stream(st);
	m = g_mime_parser_construct_message(p, NULL);
	if (m == NULL)
		fail_msg("%s is not a message", path);
	g_object_unref(p);
	g_object_unref(st);
	g_free(raw);
	return m;
}

GPtrArray *
tu_outbox_messages(const char *dir)
{
	GPtrArray	*files = tu_list(dir), *out;
	char		*path;
	guint		 i;

	out = g_ptr_array_new_with_free_func(g_object_unref);
	for (i = 0; i < files->len; i++) {
		path = g_build_filename(dir, g_ptr_array_index(files, i),
		    NULL);
		g_ptr_array_add(out, tu_message_file(path));
		g_free(path);
	}
	g_ptr_array_free(files, TRUE);
	return out;
}

guint
tu_count_files(const char *dir)
{
	GPtrArray	*files = tu_list(dir);
	guint		 n = files->len;

	g_ptr_array_free(files, TRUE);
	return n;
}

/* One letter file decoded: subject, ids and text; *body its text. */
static char *
tu_letter_decode(const char *path, char **mid, char **body)
{
	GMimeMessage	*m = tu_message_file(path);
	GMimeObject	*part;
	const char	*irt, *refs;
	char		*text, *out;

	part = g_mime_message_get_mime_part(m);
	text = GMIME_IS_TEXT_PART(part) ?
	    g_mime_text_part_get_text(GMIME_TEXT_PART(part)) : g_strdup("");
	irt = g_mime_object_get_header(GMIME_OBJECT(m), "In-Reply-To");
	refs = g_mime_object_get_header(GMIME_OBJECT(m), "References");
	out = g_strdup_printf("%s\n%s\n%s\n%s\n\n%s",
	    g_mime_message_get_subject(m) != NULL ?
	    g_mime_message_get_subject(m) : "",
	    g_mime_message_get_message_id(m) != NULL ?
	    g_mime_message_get_message_id(m) : "", irt != NULL ? irt : "",
	    refs != NULL ? refs : "", text);
	if (mid != NULL)
		*mid = g_strdup(g_mime_message_get_message_id(m));
	if (body != NULL)
		*body = text;
	else
		g_free(text);
	g_object_unref(m);
	return out;
}

GPtrArray *
tu_outbox(const char *dir)
{
	GPtrArray	*files = tu_list(dir), *out;
	char		*path;
	guint		 i;

	g_mime_init();
	out = g_ptr_array_new_with_free_func(g_free);
	for (i = 0; i < files->len; i++) {
		path = g_build_filename(dir, g_ptr_array_index(files, i),
		    NULL);
		g_ptr_array_add(out, tu_letter_decode(path, NULL, NULL));
		g_free(path);
	}
	g_ptr_array_free(files, TRUE);
	return out;
}

char *
tu_outbox_body(const char *dir, const char *message_id)
{
	GPtrArray	*files = tu_list(dir);
	char		*path, *mid, *body, *found = NULL;
	guint		 i;

	g_mime_init();
	for (i = 0; i < files->len && found == NULL; i++) {
		path = g_build_filename(dir, g_ptr_array_index(files, i),
		    NULL);
		g_free(tu_letter_decode(path, &mid, &body));
		if (mid != NULL && strcmp(mid, message_id) == 0)
			found = body;
		else
			g_free(body);
		g_free(mid);
		g_free(path);
	}
	g_ptr_array_free(files, TRUE);
	return found;
}

int
tu_count(const char *s, const char *part)
{
	int	n = 0;

	while (s != NULL && (s = strstr(s, part)) != NULL) {
		n++;
		s += strlen(part);
	}
	return n;
}

zip_t *
tu_zip_new(zip_source_t **srcp)
{
	zip_error_t	 error;
	zip_source_t	*src;
	zip_t		*za;

	zip_error_init(&error);
	src = zip_source_buffer_create(NULL, 0, 0, &error);
	if (src == NULL)
		fail_msg("zip source: %s", zip_error_strerror(&error));
	zip_source_keep(src);
	za = zip_open_from_source(src, ZIP_TRUNCATE, &error);
	if (za == NULL)
		fail_msg("zip open: %s", zip_error_strerror(&error));
	zip_error_fini(&error);
	*srcp = src;
	return za;
}

zip_uint64_t
tu_zip_add(zip_t *za, const char *name, const void *data, size_t len)
{
	zip_source_t	*s;
	zip_int64_t	 i = -1;

	s = zip_source_buffer(za, data, len, 0);
	if (s == NULL || (i = zip_file_add(za, name, s, 0)) < 0)
		fail_msg("zip add %s: %s", name, zip_strerror(za));
	return (zip_uint64_t)i;
}

GBytes *
tu_zip_bytes(zip_t *za, zip_source_t *src)
{
	zip_stat_t	 st;
	void		*buf;

	if (zip_close(za) != 0)
		fail_msg("zip close: %s", zip_strerror(za));
	zip_stat_init(&st);
	if (zip_source_stat(src, &st) != 0 || zip_source_open(src) != 0)
		fail_msg("zip source: %s",
		    zip_error_strerror(zip_source_error(src)));
	buf = g_malloc(st.size + 1);
	if (zip_source_read(src, buf, st.size) != (zip_int64_t)st.size)
		fail_msg("zip source read");
	zip_source_close(src);
	zip_source_free(src);
	return g_bytes_new_take(buf, st.size);
}

GBytes *
tu_zip(const char *name, ...)
{
	zip_source_t	*src;
	zip_t		*za = tu_zip_new(&src);
	const char	*text;
	va_list		 ap;

	va_start(ap, name);
	for (; name != NULL; name = va_arg(ap, const char *)) {
		text = va_arg(ap, const char *);
		tu_zip_add(za, name, text, strlen(text));
	}
	va_end(ap);
	return tu_zip_bytes(za, src);
}
