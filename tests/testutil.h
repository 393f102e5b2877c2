/* testutil.h: what the tests share: cmocka in the right include order,
 * temporary folders, running the nintei binary, reading its JSON. */
#ifndef TESTUTIL_H
#define TESTUTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <glib.h>
#include <json-glib/json-glib.h>

/* The repository's top folder ($NINTEI_TOP, else the working folder). */
const char	*tu_top(void);
/* The shared corpus ($NINTEI_CORPUS, else ../shared/corpus from the top). */
char		*tu_corpus(void);
/* The nintei binary under test ($NINTEI_BIN, else build/nintei). */
const char	*tu_bin(void);
/* A new empty folder under build/tmp; tu_rm_rf removes one. */
char		*tu_tmpdir(const char *);
void		 tu_rm_rf(const char *);

/*
 * A test spool: a folder with a configuration (the embedded default's
 * layout, templates and rules from the repository) plus extra lines
 * appended to it.  Returns the configuration file's path.
 */
char		*tu_spool(const char *dir, const char *extra);

/*
 * Runs nintei -c conf ARGS... (NULL-terminated) with stdin from the file
 * in (or /dev/null); returns its exit status, stdout and stderr in *out
 * and *err if not NULL.
 */
int		 tu_nintei(const char *conf, const char *in, char **out,
		    char **err, ...) G_GNUC_NULL_TERMINATED;

/* Parses JSON text; fails the test if it is not JSON. */
JsonNode	*tu_json(const char *);
/* A string member of an object node, or NULL. */
const char	*tu_json_str(JsonNode *, const char *);

/* Reads a whole file; fails the test if it cannot. */
char		*tu_read(const char *, gsize *);
/* Writes a whole file; fails the test if it cannot. */
void		 tu_write(const char *, const char *, gsize);
/* The files of a folder, sorted (names only). */
GPtrArray	*tu_list(const char *);

#endif
