/* source.h: where mail comes from and where letters go: the source and
 * transport tables (source-*.c, transport-*.c), one entry per URL scheme,
 * and the letter queue (transport.c). */
#ifndef SOURCE_H
#define SOURCE_H

struct letterrow;
struct nintei;

/* source.c and source-*.c */
struct source_msg {
	char		*path;		/* a file holding the message */
	char		*origin;	/* where it came from, for the record */
	void		*data;		/* the source's own */
};

struct source {
	const char	*scheme;
	void		*(*open)(struct nintei *, const char *, char **);
	int		 (*next)(void *, struct source_msg *, char **);
	int		 (*done)(void *, struct source_msg *, char **);
	void		 (*close)(void *);
};

extern const struct source source_maildir;
extern const struct source source_imap;
extern const struct source source_imaps;
extern const struct source source_pop3;
extern const struct source source_pop3s;
const struct source *source_find(const char *url, const char **rest);
void		 source_msg_clear(struct source_msg *);

/* transport.c and transport-*.c */
struct transport {
	const char	*scheme;
	void		*(*open)(struct nintei *, const char *, char **);
	/* 0 delivered, -1 try again later, -2 refused for good. */
	int		 (*deliver)(void *, const struct letterrow *, char **);
	/* Optional: what deliver took is durable only once sync returned
	 * 0; the queue records a page of deliveries after it. */
	int		 (*sync)(void *, char **);
	void		 (*close)(void *);
};

extern const struct transport transport_maildir;
extern const struct transport transport_smtp;
extern const struct transport transport_smtps;
const struct transport *transport_find(const char *url, const char **rest);
int		 transport_send_queue(struct nintei *, int *sent, int *failed,
		    char **cause);
char		*transport_stuck_before(struct nintei *);

#endif
