/* template.h: the letters' template language: {name} values, {#list}
 * sections repeated per item or shown when set, {^name} when not set. */
#ifndef TEMPLATE_H
#define TEMPLATE_H

#include <glib.h>

struct tvars;

struct tvars	*tvars_new(void);
void		 tvars_free(struct tvars *);
/* Sets a value (NULL is the empty string). */
void		 tvars_set(struct tvars *, const char *, const char *);
void		 tvars_setf(struct tvars *, const char *, const char *, ...)
		    __attribute__((format(printf, 3, 4)));
/* Appends a new item to the list of that name and returns it (owned by
 * the parent). */
struct tvars	*tvars_push(struct tvars *, const char *);
/* The string value of that name, or NULL. */
const char	*tvars_get(const struct tvars *, const char *);

/*
 * Renders text with vars.  Returns a new string, or NULL and a message in
 * *cause ("line 3: unknown value {compnay}").  A section tag alone on its
 * line takes the whole line with it.  "{{" writes "{".
 */
char		*template_render(const char *text, const struct tvars *,
		    char **cause);

/* Parses text only; returns 0 or -1 with *cause.  names, if not NULL,
 * receives every value name used (a GPtrArray of strings). */
int		 template_check(const char *text, void *names, char **cause);

/*
 * Checks text against known, a tree of the values a letter provides (each
 * list with one item of its values): every tag must name a value in its
 * scope.  Adds "line 6: unknown value {compnay}" for each one that does
 * not, or the parse error, to errors (of char *); returns how many.
 */
int		 template_lint(const char *text, const struct tvars *known,
		    GPtrArray *errors);

/* The first value set in tv (or in an item of its lists) that known does
 * not have, as a new string ("files.size"), or NULL. */
char		*tvars_extra(const struct tvars *tv,
		    const struct tvars *known);

/* The values as a GVariant (a{sv}: strings, and lists as aa{sv}), to keep
 * a letter's values until it can be rendered; and back, NULL when v is
 * not of that shape. */
GVariant	*tvars_to_variant(const struct tvars *);
struct tvars	*tvars_from_variant(GVariant *v);

#endif
