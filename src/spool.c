/* spool.c: the spool folder, which only this file writes: raw messages
 * made durable before anything else looks at them (write, fsync, link,
 * fsync the folder), the run lock, and leftovers of interrupted runs. */

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>

#include "nintei.h"
#include "spool.h"

struct spool {
	char	*dir;
	char	*raw;		/* raw/<2 hex>/<sha256>.eml */
	char	*tmp;		/* files being written */
	int	 lockfd;
	/* raw/<xx> folders whose entry in raw/ this process has synced
	 * since it began: raw/ need not be synced again for them. */
	guint8	 synced[256 / 8];
};

/*
 * Removes what interrupted runs left in tmp/: nothing there was ever
 * referred to by the store.  A file's name carries the pid of its writer
 * (in.<pid>.XXXXXX): one whose writer still runs (an MTA's `nintei ingest`
 * now) is left alone.
 */
static void
spool_clean_tmp(struct spool *sp)
{
	DIR		*d;
	struct dirent	*de;
	struct stat	 sb;
	char		*p, *end;
	long		 pid;
	time_t		 now = time(NULL);
	int		 alive;

	if ((d = opendir(sp->tmp)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		p = g_build_filename(sp->tmp, de->d_name, NULL);
		alive = 0;
		if (strncmp(de->d_name, "in.", 3) == 0) {
			pid = strtol(de->d_name + 3, &end, 10);
			alive = *end == '.' && pid > 0 && (pid == getpid() ||
			    kill((pid_t)pid, 0) == 0 || errno != ESRCH);
		} else if (stat(p, &sb) == 0 && now - sb.st_mtime < 3600)
			alive = 1;	/* not ours to judge: wait an hour */
		if (!alive && unlink(p) == 0)
			log_info("removed %s, left by an interrupted run", p);
		g_free(p);
	}
	closedir(d);
}

struct spool *
spool_open(const char *dir, char **cause)
{
	struct spool	*sp = g_new0(struct spool, 1);

	sp->dir = g_strdup(dir);
	sp->raw = g_build_filename(dir, "raw", NULL);
	sp->tmp = g_build_filename(dir, "tmp", NULL);
	sp->lockfd = -1;
	if (util_mkdirs(sp->raw, cause) != 0 ||
	    util_mkdirs(sp->tmp, cause) != 0) {
		spool_close(sp);
		return NULL;
	}
	return sp;
}

void
spool_close(struct spool *sp)
{
	if (sp == NULL)
		return;
	if (sp->lockfd >= 0)
		close(sp->lockfd);
	g_free(sp->dir);
	g_free(sp->raw);
	g_free(sp->tmp);
	g_free(sp);
}

/*
 * Takes the spool's run lock for poll and send; held until exit.  Returns
 * 1 when taken, 0 when another run holds it, -1 on error.  Taking it also
 * cleans tmp/, since no other run can be writing there.
 */
int
spool_lock(struct spool *sp, const char *what, char **cause)
{
	char	*path = g_build_filename(sp->dir, "lock", NULL);
	int	 fd;

	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0640);
	if (fd < 0) {
		*cause = g_strdup_printf("%s: %s", path, g_strerror(errno));
		g_free(path);
		return -1;
	}
	g_free(path);
	if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		close(fd);
		if (errno == EWOULDBLOCK)
			return 0;
		*cause = g_strdup_printf("lock: %s", g_strerror(errno));
		return -1;
	}
	(void)what;
	sp->lockfd = fd;
	spool_clean_tmp(sp);
	return 1;
}

char *
spool_raw_path(struct spool *sp, const char *sha)
{
	char	 sub[3] = { sha[0], sha[1], '\0' };
	char	*name = g_strdup_printf("%s.eml", sha), *p;

	p = g_build_filename(sp->raw, sub, name, NULL);
	g_free(name);
	return p;
}

/* Writes all of buf to fd. */
static int
spool_write_all(int fd, const char *buf, size_t len)
{
	ssize_t	n;

	while (len > 0) {
		if ((n = write(fd, buf, len)) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/*
 * Copies the message from fd into a temporary file of the spool, synced
 * if sync is set, and hashes it.  Returns 0 with its temporary path, hash
 * and size, or -1 (disk full, I/O error) with *cause.
 */
static int
spool_copy(struct spool *sp, int fd, int sync, char **tmp, char **sha,
    uint64_t *size, char **cause)
{
	GChecksum	*ck = g_checksum_new(G_CHECKSUM_SHA256);
	char		 buf[65536], *name;
	ssize_t		 n;
	int		 out;
	uint64_t	 total = 0;

	*sha = NULL;
	name = g_strdup_printf("in.%ld.XXXXXX", (long)getpid());
	*tmp = g_build_filename(sp->tmp, name, NULL);
	g_free(name);
	if ((out = g_mkstemp_full(*tmp, O_RDWR | O_CLOEXEC, 0640)) < 0) {
		*cause = g_strdup_printf("%s: %s", *tmp, g_strerror(errno));
		goto fail;
	}
	for (;;) {
		if ((n = read(fd, buf, sizeof buf)) < 0) {
			if (errno == EINTR)
				continue;
			*cause = g_strdup_printf("read: %s", g_strerror(errno));
			goto fail;
		}
		if (n == 0)
			break;
		g_checksum_update(ck, (const guchar *)buf, n);
		if (spool_write_all(out, buf, (size_t)n) != 0) {
			*cause = g_strdup_printf("%s: %s", *tmp,
			    g_strerror(errno));
			goto fail;
		}
		total += (uint64_t)n;
	}
	if (sync && fsync(out) != 0) {
		*cause = g_strdup_printf("fsync %s: %s", *tmp,
		    g_strerror(errno));
		goto fail;
	}
	close(out);
	*sha = g_strdup(g_checksum_get_string(ck));
	*size = total;
	g_checksum_free(ck);
	return 0;

fail:
	if (out >= 0)
		close(out);
	unlink(*tmp);
	g_free(*tmp);
	*tmp = NULL;
	g_checksum_free(ck);
	return -1;
}

/* Links a temporary (its data durable) under its SHA-256 in raw/xx/:
 * the same bytes twice are one file.  Returns the final path, or NULL
 * with *cause; *dir is the folder to sync. */
static char *
spool_link(struct spool *sp, const char *tmp, const char *sha, char **dir,
    char **cause)
{
	char	*final;

	final = spool_raw_path(sp, sha);
	*dir = g_path_get_dirname(final);
	if (util_mkdirs(*dir, cause) != 0 ||
	    (link(tmp, final) != 0 && errno != EEXIST)) {
		if (*cause == NULL)
			*cause = g_strdup_printf("%s: %s", final,
			    g_strerror(errno));
		g_free(final);
		g_free(*dir);
		*dir = NULL;
		return NULL;
	}
	unlink(tmp);
	return final;
}

/* Syncs raw/ for the folder of sha, once per folder and process (it may
 * have been made by a run that crashed before syncing raw/). */
static int
spool_sync_raw(struct spool *sp, const char *sha, char **cause)
{
	guint	xx;

	xx = (guint)g_ascii_xdigit_value(sha[0]) * 16 +
	    (guint)g_ascii_xdigit_value(sha[1]);
	if ((sp->synced[xx / 8] & (1u << (xx % 8))) == 0) {
		if (util_fsync_dir(sp->raw, cause) != 0)
			return -1;
		sp->synced[xx / 8] |= (guint8)(1u << (xx % 8));
	}
	return 0;
}

/*
 * Copies the message from fd into the spool: a temporary file, synced,
 * then linked under its SHA-256 (the same bytes twice are one file) and
 * the folder synced.  Returns 0 with the path, hash and size, or -1 (a
 * temporary failure: disk full, I/O error) with *cause.
 */
int
spool_put_fd(struct spool *sp, int fd, char **path, char **sha,
    uint64_t *size, char **cause)
{
	char	*tmp, *final, *dir = NULL;

	*path = NULL;
	if (spool_copy(sp, fd, 1, &tmp, sha, size, cause) != 0)
		return -1;
	if ((final = spool_link(sp, tmp, *sha, &dir, cause)) == NULL ||
	    util_fsync_dir(dir, cause) != 0 ||
	    spool_sync_raw(sp, *sha, cause) != 0) {
		unlink(tmp);
		g_free(tmp);
		g_free(final);
		g_free(dir);
		g_free(*sha);
		*sha = NULL;
		return -1;
	}
	g_free(tmp);
	g_free(dir);
	*path = final;
	return 0;
}

/*
 * A group commit's first step: copies the message in file into a
 * temporary of the spool, not yet synced; spool_settle makes the group
 * durable.  Returns 0 with the temporary's path, the hash and the size.
 */
int
spool_stage_file(struct spool *sp, const char *file, char **tmp, char **sha,
    uint64_t *size, char **cause)
{
	int	fd, r;

	if ((fd = open(file, O_RDONLY | O_CLOEXEC)) < 0) {
		*cause = g_strdup_printf("%s: %s", file, g_strerror(errno));
		return -1;
	}
	r = spool_copy(sp, fd, 0, tmp, sha, size, cause);
	close(fd);
	return r;
}

/*
 * Makes n staged messages durable, in the order that never leaves an
 * empty raw file a rerun would take for stored: their data synced (one
 * syncfs for them all), then each linked under its SHA-256, then the
 * folders synced (one syncfs again).  paths[i] gets each final path, or
 * NULL with causes[i] when that one could not be linked.  Returns 0, or
 * -1 with *cause when nothing of the group is durable (temporaries left
 * are removed by the next run).
 */
int
spool_settle(struct spool *sp, char **tmps, char **shas, char **paths,
    char **causes, unsigned int n, char **cause)
{
	char		*dir;
	unsigned int	 i;
	int		 fd, r = -1;

	for (i = 0; i < n; i++)
		paths[i] = causes[i] = NULL;
	if ((fd = open(sp->tmp, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		*cause = g_strdup_printf("%s: %s", sp->tmp, g_strerror(errno));
		return -1;
	}
	if (syncfs(fd) != 0) {
		*cause = g_strdup_printf("syncfs %s: %s", sp->dir,
		    g_strerror(errno));
		goto out;
	}
	for (i = 0; i < n; i++) {
		if ((paths[i] = spool_link(sp, tmps[i], shas[i], &dir,
		    &causes[i])) == NULL) {
			unlink(tmps[i]);
			continue;
		}
		g_free(dir);
	}
	if (syncfs(fd) != 0) {
		*cause = g_strdup_printf("syncfs %s: %s", sp->dir,
		    g_strerror(errno));
		goto out;
	}
	r = 0;
out:
	close(fd);
	if (r != 0) {
		for (i = 0; i < n; i++) {
			g_free(paths[i]);
			g_free(causes[i]);
			paths[i] = causes[i] = NULL;
		}
	}
	return r;
}

int
spool_put_file(struct spool *sp, const char *file, char **path, char **sha,
    uint64_t *size, char **cause)
{
	int	fd, r;

	if ((fd = open(file, O_RDONLY | O_CLOEXEC)) < 0) {
		*cause = g_strdup_printf("%s: %s", file, g_strerror(errno));
		return -1;
	}
	r = spool_put_fd(sp, fd, path, sha, size, cause);
	close(fd);
	return r;
}

/* Writes a whole file atomically: a temporary beside it, synced, renamed
 * over the name, the folder synced. */
int
spool_write_atomic(const char *path, const char *data, size_t len,
    char **cause)
{
	char	*tmp = g_strdup_printf("%s.tmpXXXXXX", path), *dir;
	int	 fd, r;

	if ((fd = g_mkstemp_full(tmp, O_RDWR | O_CLOEXEC, 0644)) < 0) {
		*cause = g_strdup_printf("%s: %s", tmp, g_strerror(errno));
		g_free(tmp);
		return -1;
	}
	if (spool_write_all(fd, data, len) != 0 || fsync(fd) != 0) {
		*cause = g_strdup_printf("%s: %s", tmp, g_strerror(errno));
		close(fd);
		unlink(tmp);
		g_free(tmp);
		return -1;
	}
	close(fd);
	if (rename(tmp, path) != 0) {
		*cause = g_strdup_printf("%s: %s", path, g_strerror(errno));
		unlink(tmp);
		g_free(tmp);
		return -1;
	}
	g_free(tmp);
	dir = g_path_get_dirname(path);
	r = util_fsync_dir(dir, cause);
	g_free(dir);
	return r;
}
