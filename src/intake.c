/* intake.c: one incoming message from bytes to a recorded outcome: the raw
 * message made durable in the spool first, then parsed, screened, matched
 * to a case or opening one, and everything it causes (message row, case,
 * events, letters) committed in one transaction. */

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>

#include <gmime/gmime.h>

#include "nintei.h"

/* What is being decided for one message. */
struct intake {
	struct nintei	*n;
	struct mail	*mail;		/* NULL if unreadable */
	struct msgrow	 row;
	int64_t		 msgid;		/* the row's id once added */
	struct answer	 answer;	/* what letters to it thread to */
	GDateTime	*now;
};

/* Reads the message's header block only (for a message over the size
 * limit, which is recorded but not parsed). */
static struct mail *
intake_parse_head(struct nintei *n, const char *path, char **cause)
{
	char		*buf, *end;
	ssize_t		 len;
	int		 fd;
	struct mail	*m;
	const size_t	 max = 256 * 1024;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		*cause = g_strdup_printf("%s: %s", path, g_strerror(errno));
		return NULL;
	}
	buf = g_malloc(max + 1);
	len = read(fd, buf, max);
	close(fd);
	if (len < 0)
		len = 0;
	buf[len] = '\0';
	if ((end = strstr(buf, "\n\n")) != NULL ||
	    (end = strstr(buf, "\r\n\r\n")) != NULL)
		len = end - buf + 1;
	m = mail_parse_bytes(buf, (size_t)len, &n->conf->mime, cause);
	g_free(buf);
	return m;
}

/* Parses the spooled message, mapped from its file rather than copied. */
static struct mail *
intake_parse(struct nintei *n, const char *path, uint64_t size, char **cause)
{
	GMimeStream	*stream;
	struct mail	*m;
	int		 fd;

	if (size == 0)
		return mail_parse_bytes("", 0, &n->conf->mime, cause);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		*cause = g_strdup_printf("%s: %s", path, g_strerror(errno));
		return NULL;
	}
	stream = g_mime_stream_mmap_new(fd, PROT_READ, MAP_PRIVATE);
	if (stream == NULL)
		stream = g_mime_stream_fs_new(fd);	/* owns fd */
	m = mail_parse(stream, &n->conf->mime, cause);
	g_object_unref(stream);
	return m;
}

/* Adds the message row with its disposition. */
static int
intake_record(struct intake *in, const char *disposition, const char *reason,
    const char *case_id, char **cause)
{
	in->row.disposition = (char *)disposition;
	in->row.reason = (char *)reason;
	in->row.case_id = (char *)case_id;
	in->msgid = store_message_add(in->n->store, &in->row, cause);
	in->answer.row = in->msgid;
	return in->msgid < 0 ? -1 : 0;
}

/* Records the attachments of the message (for the case's file list). */
static int
intake_attachments(struct intake *in, char **cause)
{
	struct attachment	*a;
	struct attrow		 r;
	guint			 i;

	for (i = 0; i < in->mail->attachments->len; i++) {
		a = g_ptr_array_index(in->mail->attachments, i);
		r.idx = (int)i;
		r.parent = -1;
		r.name = a->name;
		r.type = a->type;
		r.size = (int64_t)a->size;
		if (store_attachment_add(in->n->store, in->msgid, &r,
		    cause) != 0)
			return -1;
	}
	return 0;
}

/* Fills the acknowledgement's list of files received. */
static void
intake_ack_files(struct intake *in, struct tvars *tv)
{
	struct attachment	*a;
	struct tvars		*f;
	char			*size;
	guint			 i;

	for (i = 0; i < in->mail->attachments->len; i++) {
		a = g_ptr_array_index(in->mail->attachments, i);
		f = tvars_push(tv, "files");
		tvars_set(f, "name", *a->name != '\0' ? a->name :
		    "（名前のないファイル）");
		size = letter_size(a->size);
		tvars_set(f, "size", size);
		g_free(size);
	}
}

/*
 * A new application: opens a case in state received, records the files
 * and queues the acknowledgement.
 */
static int
intake_application(struct intake *in, char **cause)
{
	struct nintei	*n = in->n;
	struct caserow	 c;
	struct caserow	*cr;
	struct tvars	*tv;
	char		*id = NULL, *when, *reason;
	int		 r = -1;

	memset(&c, 0, sizeof c);
	c.state = (char *)"received";
	c.applicant = in->mail->from;
	c.opened_at = in->row.received_at;
	c.state_since = in->row.received_at;
	if (store_case_new(n->store, g_date_time_get_year(in->now), &c, &id,
	    cause) != 0)
		return -1;
	reason = g_strdup_printf("申請を受け付け、案件 %s を開きました", id);
	if (intake_record(in, "case", reason, id, cause) != 0 ||
	    intake_attachments(in, cause) != 0 ||
	    case_event(n, id, "opened", NULL, "received", "申請受付",
	    in->msgid, 0, cause) < 0)
		goto out;
	if ((cr = store_case_get(n->store, id)) == NULL) {
		*cause = g_strdup_printf("case %s vanished", id);
		goto out;
	}
	tv = case_vars(n, cr);
	when = clock_japanese_datetime(in->now);
	tvars_set(tv, "received", when);
	g_free(when);
	tvars_set(tv, "scheme", "（書類の確認後にお知らせします）");
	intake_ack_files(in, tv);
	if (case_letter(n, cr, "ack", "ack", tv, &in->answer, cause) >= 0)
		r = 0;
	tvars_free(tv);
	caserow_free(cr);
out:
	g_free(reason);
	g_free(id);
	return r;
}

/* Is the sender the case's applicant or its contact? */
static int
intake_sender_of(const struct caserow *c, const char *from)
{
	return (c->applicant != NULL &&
	    g_ascii_strcasecmp(c->applicant, from) == 0) ||
	    (c->contact_email != NULL &&
	    g_ascii_strcasecmp(c->contact_email, from) == 0);
}

/*
 * The case this message answers: by the tag in its subject, else by
 * In-Reply-To or References naming one of our letters.  NULL if none.
 */
static struct caserow *
intake_thread(struct intake *in)
{
	struct mail	*m = in->mail;
	struct caserow	*c = NULL;
	char		*id;
	guint		 i;

	if ((id = case_tag_find(in->n->conf, m->subject)) != NULL) {
		c = store_case_get(in->n->store, id);
		g_free(id);
		if (c != NULL)
			return c;
	}
	if (*m->in_reply_to != '\0' &&
	    (id = store_case_by_letter(in->n->store, m->in_reply_to)) != NULL) {
		c = store_case_get(in->n->store, id);
		g_free(id);
		if (c != NULL)
			return c;
	}
	for (i = 0; m->references != NULL && i < m->references->len; i++) {
		id = store_case_by_letter(in->n->store,
		    g_ptr_array_index(m->references, i));
		if (id == NULL)
			continue;
		c = store_case_get(in->n->store, id);
		g_free(id);
		if (c != NULL)
			return c;
	}
	return NULL;
}

/* A reply from the applicant: attached to the case's history. */
static int
intake_reply(struct intake *in, struct caserow *c, char **cause)
{
	char	*reason;
	int	 r;

	reason = g_strdup_printf("案件 %s への返信", c->id);
	r = intake_record(in, "case", reason, c->id, cause);
	g_free(reason);
	if (r != 0 || intake_attachments(in, cause) != 0)
		return -1;
	return case_event(in->n, c->id, "reply", NULL, NULL,
	    in->mail->subject, in->msgid, 0, cause) < 0 ? -1 : 0;
}

/* Decides and records the outcome of a parsed (or unreadable) message. */
static int
intake_decide(struct intake *in, const char *unreadable, char **cause)
{
	struct mail	*m = in->mail;
	struct caserow	*c;
	char		*why, *reason;
	guint		 i;
	int		 r, forms = 0;

	if (unreadable != NULL)
		return intake_record(in, "quarantined", unreadable, NULL,
		    cause);
	if (m->limit != NULL)
		return intake_record(in, "quarantined", m->limit, NULL, cause);
	if ((why = screen_automatic(in->n->conf, m)) != NULL) {
		r = intake_record(in, "ignored", why, NULL, cause);
		g_free(why);
		return r;
	}
	if (*m->from == '\0')
		return intake_record(in, "unmatched",
		    "差出人のアドレスが読み取れません", NULL, cause);
	if ((c = intake_thread(in)) != NULL) {
		if (intake_sender_of(c, m->from))
			r = intake_reply(in, c, cause);
		else {
			reason = g_strdup_printf("案件 %s への返信に見えますが、"
			    "差出人 %s は申請者でも担当者でもありません", c->id,
			    m->from);
			r = intake_record(in, "unmatched", reason, NULL, cause);
			g_free(reason);
		}
		caserow_free(c);
		return r;
	}
	for (i = 0; i < m->attachments->len; i++)
		forms += mail_attachment_is_form(g_ptr_array_index(
		    m->attachments, i));
	if (forms > 0)
		return intake_application(in, cause);
	return intake_record(in, "unmatched", "申請書類（ZIP・Excel・CSV）の"
	    "添付がなく、案件への返信でもありません", NULL, cause);
}

/* The References of the message, blank-separated, for the record. */
static char *
intake_refs(const struct mail *m)
{
	GString	*s = g_string_new(NULL);
	guint	 i;

	for (i = 0; m->references != NULL && i < m->references->len; i++) {
		if (s->len > 0)
			g_string_append_c(s, ' ');
		g_string_append(s, g_ptr_array_index(m->references, i));
	}
	return g_string_free(s, FALSE);
}

/* A copy of the References, for threading letters. */
static GPtrArray *
intake_refs_array(const struct mail *m)
{
	GPtrArray	*a = g_ptr_array_new_with_free_func(g_free);
	guint		 i;

	for (i = 0; m->references != NULL && i < m->references->len; i++)
		g_ptr_array_add(a, g_strdup(g_ptr_array_index(m->references,
		    i)));
	return a;
}

/* The message is in the spool: parse, decide, commit. */
static enum intake_result
intake_spooled(struct nintei *n, const char *path, const char *sha,
    uint64_t size, const char *origin, char **cause)
{
	struct intake	 in;
	char		*unreadable = NULL, *pcause = NULL, *big, *lim;
	enum intake_result res = INTAKE_TEMPFAIL;
	int64_t		 found;

	memset(&in, 0, sizeof in);
	in.n = n;
	in.now = clock_now(n->conf);
	if (size > n->conf->max_message) {
		in.mail = intake_parse_head(n, path, &pcause);
		big = letter_size(size);
		lim = letter_size(n->conf->max_message);
		unreadable = g_strdup_printf("メッセージが大きすぎます"
		    "（%s、上限 %s）", big, lim);
		g_free(big);
		g_free(lim);
	} else
		in.mail = intake_parse(n, path, size, &pcause);
	if (in.mail == NULL && unreadable == NULL)
		unreadable = g_strdup_printf("メッセージとして読み取れません"
		    "（%s）", pcause != NULL ? pcause : "不明");
	g_free(pcause);

	in.row.message_id = in.mail != NULL ? in.mail->message_id : (char *)"";
	in.row.sha256 = (char *)sha;
	in.row.received_at = clock_iso(in.now);
	in.row.origin = (char *)origin;
	in.row.sender = in.mail != NULL ? in.mail->from : (char *)"";
	in.row.sender_name = in.mail != NULL ? in.mail->from_name : NULL;
	in.row.recipients = in.mail != NULL ? in.mail->to : NULL;
	in.row.subject = in.mail != NULL ? in.mail->subject : NULL;
	in.row.date = in.mail != NULL ? in.mail->date : NULL;
	in.row.in_reply_to = in.mail != NULL ? in.mail->in_reply_to : NULL;
	in.row.refs = in.mail != NULL ? intake_refs(in.mail) : NULL;
	if (in.mail != NULL) {
		in.answer.message_id = g_strdup(in.mail->message_id);
		in.answer.references = intake_refs_array(in.mail);
		in.answer.auto_replied = 1;
	}
	in.row.size = (int64_t)size;
	in.row.raw_path = (char *)path;

	if (store_begin(n->store, cause) != 0)
		goto out;
	found = store_message_find(n->store, in.row.message_id, sha);
	if (found != 0) {
		store_rollback(n->store);
		if (found > 0)
			res = INTAKE_DUPLICATE;
		else
			*cause = g_strdup("store: cannot look up messages");
		goto out;
	}
	if (intake_decide(&in, unreadable, cause) != 0) {
		store_rollback(n->store);
		goto out;
	}
	if (store_commit(n->store, cause) != 0)
		goto out;
	res = INTAKE_RECORDED;
	log_info("%s: %s (%s)", origin, in.row.disposition, in.row.reason);
out:
	g_free(unreadable);
	g_free(in.row.received_at);
	g_free(in.row.refs);
	answer_clear(&in.answer);
	mail_free(in.mail);
	g_date_time_unref(in.now);
	return res;
}

enum intake_result
intake_fd(struct nintei *n, int fd, const char *origin, char **cause)
{
	char			*path, *sha;
	uint64_t		 size;
	enum intake_result	 r;

	if (spool_put_fd(n->spool, fd, &path, &sha, &size, cause) != 0)
		return INTAKE_TEMPFAIL;
	r = intake_spooled(n, path, sha, size, origin, cause);
	g_free(path);
	g_free(sha);
	return r;
}

enum intake_result
intake_file(struct nintei *n, const char *file, const char *origin,
    char **cause)
{
	char			*path, *sha;
	uint64_t		 size;
	enum intake_result	 r;

	if (spool_put_file(n->spool, file, &path, &sha, &size, cause) != 0)
		return INTAKE_TEMPFAIL;
	r = intake_spooled(n, path, sha, size, origin, cause);
	g_free(path);
	g_free(sha);
	return r;
}
