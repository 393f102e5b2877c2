/* wire.h: the parsing child's result, serialised for its parent. */
#ifndef WIRE_H
#define WIRE_H

#include <glib.h>

#include "forms.h"
#include "mail.h"

/* Encodes a mail (without its GMime objects), the forms (or NULL) and
 * the ids of our letters it mentions (or NULL). */
GBytes	*wire_encode(const struct mail *, const struct forms *, GPtrArray *);

/* Decodes; the mail comes back without GMime objects (its attachments
 * have names, types and sizes only), forms NULL when there were none. */
int	 wire_decode(GBytes *, struct mail **, struct forms **, GPtrArray **,
	    char **);

#endif
