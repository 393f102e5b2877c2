/* zipread.h: reading untrusted ZIP archives from memory with libzip, with
 * the limits of SPEC §5 (entries, sizes, ratio, overlap, nesting, names). */
#ifndef ZIPREAD_H
#define ZIPREAD_H

#include <stddef.h>
#include <stdint.h>

#include <glib.h>
#include <zip.h>

struct zip_limits {
	unsigned int	max_entries;	/* default 1000 */
	uint64_t	max_entry_size;	/* uncompressed bytes per entry,
					   default 50 MiB */
	uint64_t	max_total_size;	/* uncompressed bytes read in all,
					   nested included, default 200 MiB */
	unsigned int	max_ratio;	/* uncompressed/compressed, default
					   100 */
	uint64_t	ratio_min_size;	/* the ratio is checked for entries
					   declaring more, default 1 MiB */
	unsigned int	max_depth;	/* nested ZIPs, default 1 (a ZIP inside
					   the ZIP is read, not deeper) */
};

struct zip_entry {
	char		*name;		/* UTF-8 path as in the archive (CP932
					   or EUC-JP names guessed) */
	char		*base;		/* last path component */
	uint64_t	 size;		/* declared uncompressed size, or the
					   bytes read when read */
	uint64_t	 csize;		/* compressed size */
	int		 is_dir;
	int		 encrypted;	/* encrypted and not opened */
	char		*problem;	/* why it was refused (Japanese), or
					   NULL */
	GBytes		*data;		/* its bytes, if wanted and read */
	GPtrArray	*members;	/* of struct zip_entry for a nested ZIP
					   that was read, or NULL */
};

struct zip_result {
	GPtrArray	*entries;	/* of struct zip_entry, archive order */
	char		*problem;	/* archive-level problem, Japanese, or
					   NULL */
	int		 ole2;		/* an OLE2 file (password-protected
					   Office document), not a ZIP */
	int		 encrypted;	/* an entry is encrypted and was not
					   opened */
	int		 wrong_password; /* a password was given and did not
					   open every encrypted entry */
	uint64_t	 total;		/* uncompressed bytes read, nested
					   included */
};

void		 zipread_limits_default(struct zip_limits *);

/*
 * Lists the archive of len bytes at data and reads the entries want(base
 * name, user) asks for (want may be NULL) into ->data; nested .zip entries
 * are always read within max_depth and their members listed.  password may
 * be NULL.  Returns NULL only if allocation fails; a bad archive comes
 * back with ->problem set, a refused entry with its ->problem set.
 */
struct zip_result *zipread_buffer(const void *data, size_t len,
		    const struct zip_limits *, const char *password,
		    int (*want)(const char *base, void *user), void *user);
void		 zipread_free(struct zip_result *);

/*
 * Opens len bytes at data as a ZIP archive, read-only, with libzip's
 * consistency checks and a check for overlapping entries.  The bytes must
 * outlive the archive; close it with zip_discard.  NULL with *cause in
 * Japanese if it is not a ZIP that can be read.
 */
zip_t		*zipread_open(const void *data, size_t len, char **cause);

/*
 * Reads entry index of an open archive, at most max bytes and never more
 * than it declares (libzip does not enforce the declared size).  password
 * is used for encrypted entries.  NULL with *cause in Japanese on failure.
 */
GBytes		*zipread_entry(zip_t *, zip_uint64_t index, uint64_t max,
		    const char *password, char **cause);

#endif
