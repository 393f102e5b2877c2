/* source-maildir.c: a Maildir as the source: messages are read from new/
 * and moved to cur/ (seen) only after their outcome is committed. */

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "conf.h"
#include "nintei.h"
#include "source.h"

struct source_maildir {
	char		*dir;
	GPtrArray	*names;		/* files in new/, sorted */
	guint		 next;
};

static int
source_maildir_cmp(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void *
source_maildir_open(struct nintei *n, const char *rest, char **cause)
{
	struct source_maildir	*md;
	DIR			*d;
	struct dirent		*de;
	char			*p;
	const char		*sub[] = { "new", "cur", "tmp" };
	size_t			 i;

	md = g_new0(struct source_maildir, 1);
	md->dir = conf_path(n->conf, rest);
	for (i = 0; i < 3; i++) {
		p = g_build_filename(md->dir, sub[i], NULL);
		if (util_mkdirs(p, cause) != 0) {
			g_free(p);
			g_free(md->dir);
			g_free(md);
			return NULL;
		}
		g_free(p);
	}
	md->names = g_ptr_array_new_with_free_func(g_free);
	p = g_build_filename(md->dir, "new", NULL);
	if ((d = opendir(p)) == NULL) {
		*cause = g_strdup_printf("%s: %s", p, g_strerror(errno));
		g_free(p);
		g_ptr_array_free(md->names, TRUE);
		g_free(md->dir);
		g_free(md);
		return NULL;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		g_ptr_array_add(md->names, g_strdup(de->d_name));
	}
	closedir(d);
	g_free(p);
	g_ptr_array_sort(md->names, source_maildir_cmp);
	return md;
}

static int
source_maildir_next(void *data, struct source_msg *m, char **cause)
{
	struct source_maildir	*md = data;
	const char		*name;
	struct stat		 sb;

	(void)cause;
	while (md->next < md->names->len) {
		name = g_ptr_array_index(md->names, md->next++);
		m->path = g_build_filename(md->dir, "new", name, NULL);
		/* Gone meanwhile (another reader), or not a file: skip. */
		if (stat(m->path, &sb) != 0 || !S_ISREG(sb.st_mode)) {
			g_free(m->path);
			m->path = NULL;
			continue;
		}
		m->origin = g_strdup_printf("maildir:%s", name);
		m->data = (void *)name;
		return 1;
	}
	return 0;
}

/* Moves the message to cur/ with the Seen flag. */
static int
source_maildir_done(void *data, struct source_msg *m, char **cause)
{
	struct source_maildir	*md = data;
	const char		*name = m->data;
	char			*to, *target;

	if (strstr(name, ":2,") != NULL)
		target = strchr(name, 'S') != NULL ? g_strdup(name) :
		    g_strdup_printf("%sS", name);
	else
		target = g_strdup_printf("%s:2,S", name);
	to = g_build_filename(md->dir, "cur", target, NULL);
	g_free(target);
	if (rename(m->path, to) != 0) {
		*cause = g_strdup_printf("%s: %s", m->path, g_strerror(errno));
		g_free(to);
		return -1;
	}
	g_free(to);
	return 0;
}

static void
source_maildir_close(void *data)
{
	struct source_maildir	*md = data;

	if (md == NULL)
		return;
	g_ptr_array_free(md->names, TRUE);
	g_free(md->dir);
	g_free(md);
}

const struct source source_maildir = {
	.scheme = "maildir",
	.open = source_maildir_open,
	.next = source_maildir_next,
	.done = source_maildir_done,
	.close = source_maildir_close,
};
