/* testutil.c: helpers shared by the tests (see testutil.h). */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

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

int
tu_nintei(const char *conf, const char *in, char **out, char **err, ...)
{
	GPtrArray	*argv = g_ptr_array_new();
	GError		*error = NULL;
	GSubprocess	*p;
	GSubprocessLauncher *l;
	GBytes		*ob = NULL, *eb = NULL;
	const char	*a;
	va_list		 ap;
	int		 status;

	g_ptr_array_add(argv, (gpointer)tu_bin());
	g_ptr_array_add(argv, (gpointer)"-c");
	g_ptr_array_add(argv, (gpointer)conf);
	va_start(ap, err);
	while ((a = va_arg(ap, const char *)) != NULL)
		g_ptr_array_add(argv, (gpointer)a);
	va_end(ap);
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
