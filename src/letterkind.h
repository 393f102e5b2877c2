/* letterkind.h: the table of the letters nintei writes: for each kind its
 * template, its Japanese title and the values its code provides.  The code
 * that fills a letter, `rules check` and the dashboard all read it. */
#ifndef LETTERKIND_H
#define LETTERKIND_H

struct tvars;

/* How a letter says it was written (the Auto-Submitted header). */
enum letterkind_auto {
	LETTERKIND_REPLIED,	/* an answer to mail: auto-replied */
	LETTERKIND_GENERATED,	/* a staff action or the daily run */
	LETTERKIND_PERSON	/* a person wrote it: no */
};

struct letterkind {
	const char		*kind;		/* ack: in the store and JSON */
	const char		*template;	/* templates/<template>.txt */
	const char		*label;		/* 受付確認: for people */
	enum letterkind_auto	 submitted;
	/*
	 * The values its code provides besides those of every letter:
	 * names separated by blanks, a list as name[its items' values].
	 */
	const char		*values;
};

/* The kind of that name, or NULL. */
const struct letterkind	*letterkind_find(const char *);
/* The kind whose template has that name, or NULL. */
const struct letterkind	*letterkind_by_template(const char *);
/* The ith kind in the table's order, or NULL past the last. */
const struct letterkind	*letterkind_nth(size_t);
/* The Japanese title of a kind, or the kind itself when unknown. */
const char		*letterkind_label(const char *);
/*
 * The values a letter of this kind may use, as a tree of placeholders
 * (each string "x", each list with one item of its values): what
 * template_lint checks a template against.
 */
struct tvars		*letterkind_values(const struct letterkind *);

#endif
