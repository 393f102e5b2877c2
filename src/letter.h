/* letter.h: the letters nintei writes (letter.c): a template rendered and
 * built into a MIME message, with what it answers. */
#ifndef LETTER_H
#define LETTER_H

#include <stdint.h>

#include <glib.h>

struct conf;
struct tvars;

/* What a letter answers: In-Reply-To and References. */
struct answer {
	char		*message_id;	/* without <>, or NULL */
	GPtrArray	*references;	/* of char *, or NULL */
	int64_t		 row;		/* messages.id, or 0 */
};

struct letter {
	char		*kind;
	char		*message_id;
	char		*to;
	char		*cc;
	char		*subject;
	GBytes		*raw;
	char		*fallback;	/* why in UTF-8 though [letters]
					   charset = iso-2022-jp, or NULL */
};

struct tvars	*letter_vars(const struct conf *);
struct letter	*letter_build(const struct conf *, const char *kind,
		    const char *message_id, const char *tmpl, struct tvars *,
		    const char *to, const char *cc, const struct answer *,
		    char **cause);
char		*letter_message_id(const struct conf *, const char *kind);
int		 letter_addr_ok(const char *);
void		 answer_clear(struct answer *);
void		 letter_free(struct letter *);
/* The subject, text and References of a letter as it went (its raw
 * bytes, parsed back); -1 with *cause when they cannot be read. */
int		 letter_parse(GBytes *raw, char **subject, char **body,
		    GPtrArray *refs, char **cause);
char		*letter_template(const struct conf *, const char *scheme,
		    const char *name, char **path, char **cause);

/* post.c: the one path of every letter */
struct nintei;

struct post {
	const char		*kind;		/* of the letter table */
	const char		*case_id;	/* or NULL */
	const char		*scheme;	/* its own templates, or NULL */
	const char		*to;
	const char		*cc;		/* or NULL */
	struct tvars		*tv;
	const struct answer	*answers;	/* or NULL */
	int64_t			 resends;	/* the letter sent again */
	/* A letter sent again: its subject and text as they went, in
	 * place of the template and the values. */
	const char		*subject;
	const char		*body;
};

struct letterrow;

int64_t		 post_letter(struct nintei *, const struct post *,
		    char **cause);
int		 post_due(struct nintei *);
int		 post_release_now(struct nintei *, const struct letterrow *,
		    char **cause);

#endif
