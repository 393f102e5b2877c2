/* htmltext.c: an HTML mail body rendered to plain text with libxml2's
 * HTML parser (tag soup as browsers accept it, entities, comments). */

#include <string.h>

#include <glib.h>
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include "htmltext.h"

/* The elements whose text nobody reads. */
static int
htmltext_hidden(const char *name)
{
	return strcmp(name, "script") == 0 || strcmp(name, "style") == 0 ||
	    strcmp(name, "head") == 0 || strcmp(name, "title") == 0 ||
	    strcmp(name, "template") == 0 || strcmp(name, "noscript") == 0;
}

/* The elements that stand on lines of their own. */
static int
htmltext_block(const char *name)
{
	static const char *const blocks[] = { "p", "div", "li", "tr",
	    "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol",
	    "blockquote", "pre", "hr", "dd", "dt", "section", "article",
	    "header", "footer", "address", NULL };
	size_t	i;

	for (i = 0; blocks[i] != NULL; i++) {
		if (strcmp(name, blocks[i]) == 0)
			return 1;
	}
	return 0;
}

/* Ends the current line (a block starts or ends); with br, a line
 * break even on an empty line, keeping at most one blank line. */
static void
htmltext_newline(GString *out, int br)
{
	while (out->len > 0 && out->str[out->len - 1] == ' ')
		g_string_truncate(out, out->len - 1);
	if (out->len == 0 || g_str_has_suffix(out->str, "\n\n") ||
	    (!br && out->str[out->len - 1] == '\n'))
		return;
	g_string_append_c(out, '\n');
}

/* Appends text with its blanks folded (in pre, kept as they are). */
static void
htmltext_append(GString *out, const char *text, int pre)
{
	const char	*p;
	gunichar	 c;

	for (p = text; *p != '\0'; p = g_utf8_next_char(p)) {
		c = g_utf8_get_char(p);
		if (pre) {
			g_string_append_unichar(out, c);
			continue;
		}
		if (g_unichar_isspace(c) && c != 0x3000) {
			if (out->len > 0 && out->str[out->len - 1] != ' ' &&
			    out->str[out->len - 1] != '\n')
				g_string_append_c(out, ' ');
			continue;
		}
		g_string_append_unichar(out, c);
	}
}

/* Walks the tree, depth-bounded, writing the text of its nodes. */
static void
htmltext_walk(GString *out, xmlNode *node, int pre, int depth)
{
	xmlNode		*n;
	const char	*name;
	xmlChar		*href;

	if (depth > 200)
		return;
	for (n = node; n != NULL; n = n->next) {
		if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
			if (n->content != NULL)
				htmltext_append(out, (const char *)n->content,
				    pre);
			continue;
		}
		if (n->type != XML_ELEMENT_NODE || n->name == NULL)
			continue;
		name = (const char *)n->name;
		if (htmltext_hidden(name))
			continue;
		if (strcmp(name, "br") == 0) {
			htmltext_newline(out, 1);
			continue;
		}
		if (htmltext_block(name))
			htmltext_newline(out, 0);
		htmltext_walk(out, n->children, pre ||
		    strcmp(name, "pre") == 0, depth + 1);
		if (strcmp(name, "a") == 0 && (href = xmlGetProp(n,
		    (const xmlChar *)"href")) != NULL) {
			if (g_str_has_prefix((const char *)href, "http") ||
			    g_str_has_prefix((const char *)href, "mailto:"))
				g_string_append_printf(out, " <%s>",
				    (const char *)href);
			xmlFree(href);
		}
		if (htmltext_block(name))
			htmltext_newline(out, 0);
	}
}

char *
htmltext_render(const char *html, size_t len)
{
	htmlDocPtr	 doc;
	GString		*out = g_string_new(NULL);
	char		*valid;

	if (len > G_MAXINT)
		len = G_MAXINT;
	doc = htmlReadMemory(html, (int)len, NULL, "UTF-8",
	    HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
	    HTML_PARSE_NOIMPLIED);
	if (doc != NULL) {
		htmltext_walk(out, xmlDocGetRootElement(doc), 0, 0);
		xmlFreeDoc(doc);
	}
	g_strstrip(out->str);
	valid = g_utf8_make_valid(out->str, -1);
	g_string_free(out, TRUE);
	return valid;
}
