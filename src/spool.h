/* spool.h: the spool folder (spool.c), the one owner of the raw messages
 * and of the run lock. */
#ifndef SPOOL_H
#define SPOOL_H

#include <stddef.h>
#include <stdint.h>

struct spool;

struct spool	*spool_open(const char *dir, char **cause);
void		 spool_close(struct spool *);
int		 spool_lock(struct spool *, const char *what, char **cause);
int		 spool_put_file(struct spool *, const char *file, char **path,
		    char **sha, uint64_t *size, char **cause);
int		 spool_put_fd(struct spool *, int fd, char **path, char **sha,
		    uint64_t *size, char **cause);
int		 spool_stage_file(struct spool *, const char *file, char **tmp,
		    char **sha, uint64_t *size, char **cause);
int		 spool_settle(struct spool *, char **tmps, char **shas,
		    char **paths, char **causes, unsigned int n, char **cause);
char		*spool_raw_path(struct spool *, const char *sha);
int		 spool_write_atomic(const char *path, const char *data,
		    size_t len, char **cause);

#endif
