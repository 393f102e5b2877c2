/* mail.h: an incoming message parsed with GMime into what the intake
 * needs: addresses, decoded subject, threading ids, automatic-mail markers
 * and the attachments, including those inside forwarded messages. */
#ifndef MAIL_H
#define MAIL_H

#include <stddef.h>
#include <glib.h>

#include "mail-limits.h"

/* GMime's objects are only pointed to here: a file that reads a parsed
 * mail needs no GMime; one that calls it includes <gmime/gmime.h>. */
struct _GMimeMessage;
struct _GMimePart;
struct _GMimeStream;

struct attachment {
	char		*name;		/* UTF-8 file name, "" when none */
	char		*type;		/* lower case "type/subtype" */
	size_t		 size;		/* decoded bytes */
	unsigned int	 depth;		/* 0, or inside a message/rfc822 */
	struct _GMimePart *part;	/* owned by the message */
};

struct mail {
	struct _GMimeMessage *msg;
	char		*from;		/* addr-spec of the first From, or "" */
	char		*from_name;	/* display name, or "" */
	char		*reply_to;	/* addr-spec, or NULL */
	char		*return_path;	/* NULL if absent, "" for <> */
	char		*to;		/* all To and Cc addr-specs, ", " */
	char		*subject;	/* decoded, one line */
	char		*message_id;	/* without <>, or "" */
	char		*in_reply_to;	/* without <>, or "" */
	GPtrArray	*references;	/* of char *, without <> */
	char		*date;		/* ISO 8601, or "" */
	char		*auto_submitted; /* value, or NULL */
	char		*precedence;	/* value, or NULL */
	char		*list_header;	/* name of the first List-* header */
	GPtrArray	*x_loop;	/* values of X-Loop headers */
	GPtrArray	*received;	/* Received values, newest first */
	GPtrArray	*authres;	/* Authentication-Results values */
	char		*content_type;	/* top-level "type/subtype" */
	char		*report_type;	/* multipart/report's report-type */
	int		 has_dsn;	/* a message/delivery-status part */
	GPtrArray	*attachments;	/* of struct attachment */
	char		*text;		/* first text/plain body, UTF-8; else
					   the first text/html as text */
	int		 text_from_html; /* it was text/html */
	char		*html;		/* while parsing: the first text/html */
	char		*limit;		/* a limit hit, in Japanese, or NULL */
	unsigned int	 parts;
	unsigned int	 depth;
};

void		 mail_init(void);

/*
 * Parses the message in stream (which must stay unchanged while the mail
 * lives).  Returns NULL with *cause only when nothing at all could be read;
 * a message that breaks a limit comes back with ->limit set.
 */
struct mail	*mail_parse(struct _GMimeStream *, const struct mail_limits *,
		    char **cause);
struct mail	*mail_parse_bytes(const char *, size_t,
		    const struct mail_limits *, char **cause);
void		 mail_free(struct mail *);

/* Decodes an attachment (transfer encoding undone) into a new byte array;
 * NULL with *cause if it is larger than max bytes. */
GByteArray	*mail_attachment_bytes(const struct attachment *, size_t max,
		    char **cause);

/* Is the name (or type) one of the forms nintei reads: .zip, .xlsx,
 * .csv? */
int		 mail_attachment_is_form(const struct attachment *);

#endif
