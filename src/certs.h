/* certs.h: the certifications (certs.c): numbers at approval, the import
 * of the published list, renewal reminders and expiry. */
#ifndef CERTS_H
#define CERTS_H

#include <glib.h>

struct caserow;
struct certrow;
struct nintei;

int		 certs_approve(struct nintei *, struct caserow *,
		    struct certrow **out, char **cause);
int		 certs_valid_index(struct nintei *, GHashTable **out,
		    char **cause);
const char	*certs_duplicate_in(GHashTable *, const struct caserow *);
int		 certs_duplicate(struct nintei *, const struct caserow *,
		    char **number, char **cause);
int		 certs_import(struct nintei *, const char *file,
		    GPtrArray *errors, int *added, int *updated);
int		 certs_remind(struct nintei *, int commit, GPtrArray *done,
		    char **cause);

#endif
