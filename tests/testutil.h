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
#include <gmime/gmime.h>
#include <json-glib/json-glib.h>
#include <zip.h>

/* The repository's top folder ($NINTEI_TOP, else the working folder). */
const char	*tu_top(void);
/* The shared corpus ($NINTEI_CORPUS, else ../shared/corpus from the top). */
char		*tu_corpus(void);
/* The nintei binary under test ($NINTEI_BIN, else build/nintei). */
const char	*tu_bin(void);
/* The mkforms tool of the build under test. */
char		*tu_mkforms(void);
/* Runs mkforms with the repository's rules: ARGS... NULL-terminated;
 * fails the test unless it succeeds. */
void		 tu_run_mkforms(const char *, ...) G_GNUC_NULL_TERMINATED;
/* The same with the arguments in a NULL-terminated array. */
void		 tu_run_mkformsv(const char *const *);
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
/* Runs nintei -c conf ARGS... (a command with --json) and returns its
 * output parsed; fails the test unless it exits 0 with JSON. */
JsonNode	*tu_nintei_json(const char *conf, ...) G_GNUC_NULL_TERMINATED;

/* Parses JSON text; fails the test if it is not JSON. */
JsonNode	*tu_json(const char *);
/* A string member of an object node, or NULL. */
const char	*tu_json_str(JsonNode *, const char *);

/* Fails the test unless s (which may be NULL) contains part. */
void		 tu_contains(const char *s, const char *part);
/* Reads a whole file; fails the test if it cannot. */
char		*tu_read(const char *, gsize *);
/* Writes a whole file; fails the test if it cannot. */
void		 tu_write(const char *, const char *, gsize);
/* The files of a folder, sorted (names only); tu_count_files their
 * number (0 if there is no such folder). */
GPtrArray	*tu_list(const char *);
guint		 tu_count_files(const char *);

/* A message file parsed by GMime; fails the test if it cannot be. */
GMimeMessage	*tu_message_file(const char *);
/* The letters of a Maildir outbox (dir: its new/ folder), parsed, in the
 * order of the folder's names. */
GPtrArray	*tu_outbox_messages(const char *dir);

/*
 * The letters of a Maildir outbox (dir: its new/ folder), each decoded as
 * "Subject\nMessage-ID\nIn-Reply-To\nReferences\n\nbody", in
 * the order of the folder's names.
 */
GPtrArray	*tu_outbox(const char *dir);
/* The decoded body of the letter of that Message-ID, or NULL. */
char		*tu_outbox_body(const char *dir, const char *message_id);
/* How many times part occurs in s. */
int		 tu_count(const char *s, const char *part);

/* A new empty ZIP archive written in memory; tu_zip_bytes closes it and
 * returns its bytes.  Both fail the test on error. */
zip_t		*tu_zip_new(zip_source_t **);
GBytes		*tu_zip_bytes(zip_t *, zip_source_t *);
/* Adds an entry of len bytes, which must live until tu_zip_bytes;
 * returns its index. */
zip_uint64_t	 tu_zip_add(zip_t *, const char *, const void *, size_t);
/* A ZIP archive of text entries: name, text, name, text, ..., NULL. */
GBytes		*tu_zip(const char *, ...) G_GNUC_NULL_TERMINATED;

#endif
