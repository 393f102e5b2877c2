/* htmltext.h: an HTML mail body as the plain text a person reads in it,
 * parsed by libxml2's HTML parser (not patterns): scripts, styles and the
 * head left out, blocks and line breaks as new lines, links with their
 * address. */
#ifndef HTMLTEXT_H
#define HTMLTEXT_H

#include <stddef.h>

/*
 * The text of len bytes of UTF-8 HTML: entities decoded, runs of blanks
 * made one, a new line after each block (p, div, br, li, tr, h1-h6...),
 * at most two in a row.  A new string, "" if nothing could be read.
 */
char	*htmltext_render(const char *html, size_t len);

#endif
