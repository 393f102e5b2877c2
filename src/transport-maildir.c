/* transport-maildir.c: letters kept in a Maildir instead of sent (the
 * embedded default): written to tmp/, then for a page of letters, before
 * the queue records them, their data synced at once (syncfs), each linked
 * into new/, and new/ synced (syncfs again).  A letter's file name
 * comes from its Message-ID, so a letter delivered before a crash is
 * recognised and not written twice. */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "conf.h"
#include "nintei.h"
#include "source.h"
#include "store.h"

struct transport_maildir {
	char		*dir;
	GHashTable	*have;		/* base names already in new/ or cur/ */
	GPtrArray	*pending;	/* tmp/ paths written, not yet linked */
};

/* The file name of a letter: stable for its Message-ID. */
static char *
transport_maildir_name(const struct letterrow *l)
{
	char	*h, *name;

	h = g_compute_checksum_for_string(G_CHECKSUM_SHA256, l->message_id,
	    -1);
	name = g_strdup_printf("nintei.%.24s.letter", h);
	g_free(h);
	return name;
}

/* Adds the base names (before ":2,") of a folder's files to have. */
static void
transport_maildir_scan(GHashTable *have, const char *dir)
{
	DIR		*d;
	struct dirent	*de;

	if ((d = opendir(dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		g_hash_table_add(have, g_strndup(de->d_name,
		    strcspn(de->d_name, ":")));
	}
	closedir(d);
}

/* Removes letters half written by an interrupted run (deliveries run
 * under the spool lock: nothing else writes here). */
static void
transport_maildir_clean(const char *tmp)
{
	DIR		*d;
	struct dirent	*de;
	char		*p;

	if ((d = opendir(tmp)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (strncmp(de->d_name, "nintei.", 7) != 0)
			continue;
		p = g_build_filename(tmp, de->d_name, NULL);
		unlink(p);
		g_free(p);
	}
	closedir(d);
}

static void *
transport_maildir_open(struct nintei *n, const char *rest, char **cause)
{
	struct transport_maildir	*tm;
	const char			*sub[] = { "new", "cur", "tmp" };
	char				*p;
	size_t				 i;

	tm = g_new0(struct transport_maildir, 1);
	tm->dir = conf_path(n->conf, rest);
	tm->have = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
	    NULL);
	tm->pending = g_ptr_array_new_with_free_func(g_free);
	for (i = 0; i < 3; i++) {
		p = g_build_filename(tm->dir, sub[i], NULL);
		if (util_mkdirs(p, cause) != 0) {
			g_free(p);
			g_hash_table_destroy(tm->have);
			g_ptr_array_free(tm->pending, TRUE);
			g_free(tm->dir);
			g_free(tm);
			return NULL;
		}
		if (i < 2)
			transport_maildir_scan(tm->have, p);
		else
			transport_maildir_clean(p);
		g_free(p);
	}
	return tm;
}

static int
transport_maildir_deliver(void *data, const struct letterrow *l,
    char **cause)
{
	struct transport_maildir	*tm = data;
	char				*name, *tmp, *dst, *newdir;
	const char			*bytes;
	gsize				 len;
	ssize_t				 w;
	int				 fd;

	name = transport_maildir_name(l);
	if (g_hash_table_contains(tm->have, name)) {
		g_free(name);
		return 0;		/* delivered before a crash */
	}
	tmp = g_build_filename(tm->dir, "tmp", name, NULL);
	newdir = g_build_filename(tm->dir, "new", NULL);
	dst = g_build_filename(newdir, name, NULL);
	bytes = g_bytes_get_data(l->raw, &len);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
	if (fd < 0)
		goto fail;
	while (len > 0) {
		if ((w = write(fd, bytes, len)) < 0) {
			if (errno == EINTR)
				continue;
			close(fd);
			goto fail;
		}
		bytes += w;
		len -= (gsize)w;
	}
	if (close(fd) != 0)
		goto fail;
	/* Linked into new/ and durable at the next sync. */
	g_ptr_array_add(tm->pending, tmp);
	g_hash_table_add(tm->have, name);
	g_free(dst);
	g_free(newdir);
	return 0;

fail:
	*cause = g_strdup_printf("%s: %s", dst, g_strerror(errno));
	unlink(tmp);
	g_free(name);
	g_free(tmp);
	g_free(dst);
	g_free(newdir);
	return -1;
}

/* Makes the links of the letters delivered since the last sync durable:
 * one fsync of new/ for a page of letters, not one per letter. */
static int
transport_maildir_sync(void *data, char **cause)
{
	struct transport_maildir	*tm = data;
	char				*dir, *base, *dst;
	guint				 i;
	int				 fd, r = -1;

	if (tm->pending->len == 0)
		return 0;
	dir = g_build_filename(tm->dir, "tmp", NULL);
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0 ||
	    syncfs(fd) != 0) {
		*cause = g_strdup_printf("%s: %s", dir, g_strerror(errno));
		goto out;
	}
	for (i = 0; i < tm->pending->len; i++) {
		base = g_path_get_basename(g_ptr_array_index(tm->pending, i));
		dst = g_build_filename(tm->dir, "new", base, NULL);
		g_free(base);
		if (link(g_ptr_array_index(tm->pending, i), dst) != 0 &&
		    errno != EEXIST) {
			*cause = g_strdup_printf("%s: %s", dst,
			    g_strerror(errno));
			g_free(dst);
			goto out;
		}
		unlink(g_ptr_array_index(tm->pending, i));
		g_free(dst);
	}
	if (syncfs(fd) != 0) {
		*cause = g_strdup_printf("%s: %s", tm->dir, g_strerror(errno));
		goto out;
	}
	r = 0;
out:
	/* Failed: none of the page counts as delivered, and each is written
	 * again if tried again; what is left in tmp/ goes when the
	 * transport opens again. */
	for (i = 0; r != 0 && i < tm->pending->len; i++) {
		base = g_path_get_basename(g_ptr_array_index(tm->pending, i));
		g_hash_table_remove(tm->have, base);
		g_free(base);
	}
	g_ptr_array_set_size(tm->pending, 0);
	if (fd >= 0)
		close(fd);
	g_free(dir);
	return r;
}

static void
transport_maildir_close(void *data)
{
	struct transport_maildir	*tm = data;

	g_hash_table_destroy(tm->have);
	g_ptr_array_free(tm->pending, TRUE);
	g_free(tm->dir);
	g_free(tm);
}

const struct transport transport_maildir = {
	.scheme = "maildir",
	.open = transport_maildir_open,
	.deliver = transport_maildir_deliver,
	.sync = transport_maildir_sync,
	.close = transport_maildir_close,
};
