/* source.c: picks the mail source for a configured URL. */

#include <string.h>

#include "nintei.h"
#include "source.h"

static const struct source *source_all[] = {
	&source_maildir,
	&source_imap,
	&source_imaps,
	&source_pop3,
	&source_pop3s,
	NULL
};

/* Finds the source for url ("maildir:PATH", "imaps://..."); *rest is
 * what follows the scheme's colon. */
const struct source *
source_find(const char *url, const char **rest)
{
	size_t	i, len;

	for (i = 0; source_all[i] != NULL; i++) {
		len = strlen(source_all[i]->scheme);
		if (strncmp(url, source_all[i]->scheme, len) == 0 &&
		    url[len] == ':') {
			*rest = url + len + 1;
			return source_all[i];
		}
	}
	return NULL;
}

void
source_msg_clear(struct source_msg *m)
{
	g_free(m->path);
	g_free(m->origin);
	m->path = NULL;
	m->origin = NULL;
	m->data = NULL;
}
