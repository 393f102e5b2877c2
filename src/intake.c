/* intake.c: one incoming message from bytes to a recorded outcome: the raw
 * message made durable in the spool first, then parsed, screened, matched
 * to a case or opening one, and everything it causes (message row, case,
 * revision, events, letters) committed in one transaction. */

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include <gmime/gmime.h>

#include "case.h"
#include "charset.h"
#include "check.h"
#include "conf.h"
#include "decide.h"
#include "event.h"
#include "forms.h"
#include "ident.h"
#include "intake.h"
#include "letter.h"
#include "mail.h"
#include "nintei.h"
#include "rules.h"
#include "size.h"
#include "spool.h"
#include "state.h"
#include "store.h"
#include "template.h"
#include "wire.h"

/* What is being decided for one message. */
struct intake {
	struct nintei	*n;
	struct mail	*mail;		/* NULL if unreadable */
	struct forms	*forms;		/* what its attachments hold, or NULL */
	GPtrArray	*ids;		/* our letters a report mentions */
	struct check	*check;		/* check_forms of forms, or NULL */
	struct msgrow	 row;
	int64_t		 msgid;		/* the row's id once recorded */
	int64_t		 redo;		/* releasing: the row to rewrite */
	struct answer	 answer;	/* what letters to it thread to */
	GDateTime	*now;
	char		*flag;		/* for the staff: SPF softfail... */
	int		 defer;		/* left for the next run */
};

/* A group commit in progress (poll): one transaction for several
 * messages, each in its own savepoint; what to log once it commits. */
static struct {
	int		 open;
	GPtrArray	*logs;
} intake_batch;

/* The check of the message's forms made while matching by content,
 * taken over (NULL if none, or f is not the message's forms). */
static struct check *
intake_check(struct intake *in, const struct forms *f)
{
	struct check	*ck = in->check;

	if (f != in->forms)
		return NULL;
	in->check = NULL;
	return ck;
}

/*
 * Starts the parsing zygote with the configured limits; before the store,
 * the rules or any credentials are opened, and before any message is
 * read, so that no parsing child can find them in its memory.
 */
int
intake_start(struct nintei *n, char **cause)
{
	struct sandbox_limits	 lim;
	GBytes			*setup;
	int			 r;

	memset(&lim, 0, sizeof lim);
	lim.cpu_seconds = n->conf->parse_cpu;
	lim.wall_seconds = n->conf->parse_seconds;
	lim.memory = n->conf->parse_memory;
	lim.result_max = 256 * 1024 * 1024;
	lim.seccomp = n->conf->parse_seccomp;
	setup = parse_settings(n->conf);
	r = sandbox_start(&lim, setup, cause);
	g_bytes_unref(setup);
	return r;
}

/*
 * The charset names in the first len bytes of the spooled message fd
 * (charset_names), for the zygote to load their converters before the
 * child that reads it is forked: the child cannot open files.
 */
static GPtrArray *
intake_charsets(int fd, uint64_t len)
{
	GPtrArray	*names = g_ptr_array_new_with_free_func(g_free);
	struct stat	 sb;
	void		*map;

	if (fstat(fd, &sb) == 0 && (uint64_t)sb.st_size < len)
		len = (uint64_t)sb.st_size;	/* never mapped past its end */
	if (len == 0 || len > SIZE_MAX)
		return names;
	map = mmap(NULL, (size_t)len, PROT_READ, MAP_PRIVATE, fd, 0);
	if (map == MAP_FAILED)
		return names;
	charset_names(map, (size_t)len, names, 16);
	munmap(map, (size_t)len);
	return names;
}

/*
 * Starts parsing a spooled message in a sandboxed child: its headers,
 * attachment list and forms (with passwords to try, if given; size 0:
 * headers only).  Returns the child's job, or NULL with *why when none
 * could be started (try again later).
 */
static struct sandbox_job *
intake_parse_start(struct nintei *n, const char *path, uint64_t size,
    GPtrArray *passwords, char **why)
{
	struct sandbox_job	*sj;
	GPtrArray		*charsets;
	GByteArray		*args;
	uint64_t		 len = size;
	guint8			 head;
	guint			 i;
	int			 fd;

	head = size > n->conf->max_message;
	if (size == 0) {
		/* Headers only, whatever the size (after a failed parse). */
		struct stat sb;

		head = 1;
		len = stat(path, &sb) == 0 ? (uint64_t)sb.st_size : 0;
	}
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		*why = g_strdup_printf("%s: %s", path, g_strerror(errno));
		return NULL;
	}
	args = g_byte_array_new();
	g_byte_array_append(args, &head, 1);
	g_byte_array_append(args, (const guint8 *)&len, sizeof len);
	for (i = 0; passwords != NULL && i < passwords->len; i++) {
		const char *pw = g_ptr_array_index(passwords, i);

		g_byte_array_append(args, (const guint8 *)pw,
		    (guint)strlen(pw) + 1);
	}
	charsets = intake_charsets(fd, head ? (len < 256 * 1024 ? len :
	    256 * 1024) : len);
	sj = sandbox_submit(fd, charsets, args->data, args->len, why);
	g_ptr_array_free(charsets, TRUE);
	/* The passwords are not kept. */
	explicit_bzero(args->data, args->len);
	g_byte_array_free(args, TRUE);
	close(fd);	/* the zygote has its own copy */
	return sj;
}

/* Waits for a parse started before and decodes what it found.  Returns
 * 0, -1 with *why when the child failed (the message is then
 * quarantined), -2 when the zygote is gone (try again later). */
static int
intake_parse_finish(struct sandbox_job *sj, struct mail **m,
    struct forms **f, GPtrArray **ids, char **why)
{
	GBytes	*res = NULL;
	int	 r;

	*m = NULL;
	*f = NULL;
	*ids = NULL;
	if ((r = sandbox_collect(sj, &res, why)) != 0)
		return r;
	r = wire_decode(res, m, f, ids, why);
	g_bytes_unref(res);
	return r;
}

/*
 * Parses a spooled message in a sandboxed child, now: as
 * intake_parse_start, then intake_parse_finish.
 */
static int
intake_analyze(struct nintei *n, const char *path, uint64_t size,
    GPtrArray *passwords, struct mail **m, struct forms **f, GPtrArray **ids,
    char **why)
{
	struct sandbox_job	*sj;

	*m = NULL;
	*f = NULL;
	*ids = NULL;
	if ((sj = intake_parse_start(n, path, size, passwords, why)) == NULL)
		return -2;
	return intake_parse_finish(sj, m, f, ids, why);
}

/* Adds the message row with its disposition (or rewrites it when a
 * quarantined message is released). */
static int
intake_record(struct intake *in, const char *disposition, const char *reason,
    const char *case_id, char **cause)
{
	char	*full = NULL;

	if (in->flag != NULL) {
		full = g_strdup_printf("%s（%s）", reason, in->flag);
		reason = full;
	}
	in->row.disposition = (char *)disposition;
	in->row.reason = g_strdup(reason);
	in->row.case_id = (char *)case_id;
	g_free(full);
	if (in->redo > 0) {
		in->msgid = in->redo;
		/* Quarantined again: held again, with every way out. */
		if (store_message_redo(in->n->store, in->redo, disposition,
		    in->row.reason, case_id, strcmp(disposition,
		    "quarantined") == 0 ? NULL : "released", cause) != 0)
			return -1;
	} else if ((in->msgid = store_message_add(in->n->store, &in->row,
	    cause)) < 0)
		return -1;
	in->answer.row = in->msgid;
	if (in->flag != NULL && case_id != NULL &&
	    case_event(in->n, case_id, EVENT_FLAG, NULL, NULL, in->flag,
	    in->msgid, 0, cause) < 0)
		return -1;
	return 0;
}

/* Queues the acknowledgement: what was received, what happens next. */
static int
intake_ack(struct intake *in, const struct caserow *c, const struct forms *f,
    char **cause)
{
	struct tvars	*tv = case_vars(in->n, c);
	char		*when;
	int64_t		 id;

	when = clock_japanese_datetime(in->now);
	tvars_set(tv, "received", when);
	g_free(when);
	tvars_set(tv, "scheme", rules_scheme_name(in->n->rules, c->scheme,
	    "（書類の確認後にお知らせします）"));
	review_files(f, tv);
	if (f->encrypted)
		tvars_set(tv, "encrypted", "yes");
	id = case_letter(in->n, c, "ack", tv, &in->answer, cause);
	tvars_free(tv);
	return id < 0 ? -1 : 0;
}

/*
 * A new application: opens a case in state received, acknowledges it at
 * once, and answers what the check of its forms finds.
 */
static int
intake_application(struct intake *in, char **cause)
{
	struct nintei	*n = in->n;
	struct caserow	 c0, *c = NULL;
	struct forms	*f;
	struct check	*ck = NULL;
	char		*id = NULL, *reason;
	int		 r = -1;

	memset(&c0, 0, sizeof c0);
	c0.state = (char *)STATE_RECEIVED;
	c0.applicant = in->mail->from;
	c0.opened_at = in->row.received_at;
	c0.state_since = in->row.received_at;
	if (store_case_new(n->store, g_date_time_get_year(in->now), &c0, &id,
	    cause) != 0)
		return -1;
	f = in->forms != NULL ? in->forms : forms_new();
	reason = g_strdup_printf("申請を受け付け、案件 %s を開きました", id);
	if (intake_record(in, "case", reason, id, cause) != 0 ||
	    review_record_files(n, in->msgid, f, cause) != 0 ||
	    case_event(n, id, EVENT_OPENED, NULL, STATE_RECEIVED,
	    "申請受付", in->msgid, 0, cause) < 0)
		goto out;
	if ((r = store_case_read(n->store, id, &c, cause)) <= 0) {
		if (r == 0)
			*cause = g_strdup_printf("case %s vanished", id);
		r = -1;
		goto out;
	}
	if (!f->encrypted && (ck = review_check(n, c, f, intake_check(in, f),
	    in->msgid, cause)) == NULL)
		goto out;
	if (intake_ack(in, c, f, cause) != 0)
		goto out;
	r = review_answer(n, c, f, ck, in->msgid, &in->answer, cause);
out:
	check_free(ck);
	caserow_free(c);
	if (f != in->forms)
		forms_free(f);
	g_free(reason);
	g_free(id);
	return r;
}

/* The case of one of our letters by its Message-ID: as store reads say
 * (1 found, 0 none, -1 the read failed). */
static int
intake_thread_letter(struct intake *in, const char *mid, struct caserow **c,
    char **cause)
{
	char	*id;
	int	 r;

	if ((r = store_case_by_letter_read(in->n->store, mid, &id,
	    cause)) != 1)
		return r;
	r = store_case_read(in->n->store, id, c, cause);
	g_free(id);
	return r;
}

/*
 * The case this message answers: by the tag in its subject, else by
 * In-Reply-To or References naming one of our letters.  1 with *c, 0 if
 * none, -1 if a read of the store failed (the message must wait: a
 * failed read taken for "no case" would open a new case or leave a
 * reply unmatched).
 */
static int
intake_thread(struct intake *in, struct caserow **c, char **cause)
{
	struct mail	*m = in->mail;
	char		*id;
	guint		 i;
	int		 r;

	*c = NULL;
	if ((id = case_tag_find(in->n->conf, m->subject)) != NULL) {
		r = store_case_read(in->n->store, id, c, cause);
		g_free(id);
		if (r != 0)
			return r;
	}
	if (*m->in_reply_to != '\0' &&
	    (r = intake_thread_letter(in, m->in_reply_to, c, cause)) != 0)
		return r;
	for (i = 0; m->references != NULL && i < m->references->len; i++) {
		if ((r = intake_thread_letter(in,
		    g_ptr_array_index(m->references, i), c, cause)) != 0)
			return r;
	}
	return 0;
}

/* A reply without anything to act on: attached to the case's history. */
static int
intake_reply(struct intake *in, struct caserow *c, const char *reason,
    const struct forms *f, char **cause)
{
	char	*r;
	int	 ret;

	r = g_strdup_printf("案件 %s への返信%s%s", c->id,
	    reason != NULL ? "：" : "", reason != NULL ? reason : "");
	ret = intake_record(in, "case", r, c->id, cause);
	g_free(r);
	if (ret != 0 || (f != NULL && review_record_files(in->n, in->msgid,
	    f, cause) != 0))
		return -1;
	return case_event(in->n, c->id, EVENT_REPLY, NULL, NULL,
	    in->mail->subject, in->msgid, 0, cause) < 0 ? -1 : 0;
}

/*
 * A mail of the applicant that nintei does not answer by itself (a
 * question, a reply without forms): in the history, and the case is the
 * secretariat's move until staff write to the applicant or mark it
 * handled (an "owed" event; see case_waiting_on).
 */
static int
intake_reply_owed(struct intake *in, struct caserow *c, const char *reason,
    char **cause)
{
	if (intake_reply(in, c, reason, NULL, cause) != 0)
		return -1;
	return case_event(in->n, c->id, EVENT_OWED, NULL, NULL,
	    "申請者からのメール（事務局の回答待ち："
	    "nintei write で回答するか nintei handled で対応済みに）",
	    in->msgid, 0, cause) < 0 ? -1 : 0;
}

/* Does the mail carry forms (a ZIP, XLSX or CSV attachment)? */
static int
intake_has_forms(const struct mail *m)
{
	guint	i;

	for (i = 0; i < m->attachments->len; i++) {
		if (mail_attachment_is_form(g_ptr_array_index(
		    m->attachments, i)))
			return 1;
	}
	return 0;
}

/* Did the message come with forms (a ZIP, XLSX or CSV attached), or
 * with a ZIP when zip (the only kind with a password)?  0 with *yes, or
 * -1 with *cause. */
static int
intake_had_forms(struct nintei *n, int64_t msgrow, int zip, int *yes,
    char **cause)
{
	GPtrArray	*atts;
	struct attrow	*a;
	guint		 i;

	*yes = 0;
	if (store_attachments(n->store, msgrow, &atts, cause) != 0) {
		g_ptr_array_free(atts, TRUE);
		return -1;
	}
	for (i = 0; i < atts->len && !*yes; i++) {
		a = g_ptr_array_index(atts, i);
		*yes = a->parent < 0 && (zip ? g_str_has_suffix(a->name,
		    ".zip") : forms_is_form_name(a->name));
	}
	g_ptr_array_free(atts, TRUE);
	return 0;
}

/*
 * A revision is the case's forms, updated: when a mail sends one form
 * only, the other is taken from the case's newest earlier mail that had
 * it (parsed again in the sandbox), and the forms say, for the letter,
 * which came with this mail and which from before.
 */
static int
intake_complete(struct intake *in, const char *case_id, struct forms *f,
    char **cause)
{
	GPtrArray	*msgs, *ids;
	struct msgrow	*mr;
	struct mail	*m;
	struct forms	*old;
	GDateTime	*when;
	char		*why = NULL, *jp;
	guint		 i;
	int		 need, found = 0, had;

	if (f->encrypted || f->have_application == f->have_disclosure)
		return 0;
	need = f->have_application ? 'd' : 'a';
	if (store_messages_read(in->n->store, case_id, &msgs, cause) != 0) {
		g_ptr_array_free(msgs, TRUE);
		return -1;
	}
	for (i = msgs->len; i > 0 && !found; i--) {
		mr = g_ptr_array_index(msgs, i - 1);
		if (mr->id == in->msgid)
			continue;
		if (intake_had_forms(in->n, mr->id, 0, &had, cause) != 0) {
			g_ptr_array_free(msgs, TRUE);
			return -1;
		}
		if (!had)
			continue;
		if (intake_analyze(in->n, mr->raw_path, (uint64_t)mr->size,
		    NULL, &m, &old, &ids, &why) != 0) {
			g_free(why);
			why = NULL;
			continue;
		}
		if (old != NULL && !old->encrypted && (need == 'a' ?
		    old->have_application : old->have_disclosure)) {
			forms_take(f, old, need);
			found = 1;
			when = clock_parse(in->n->conf, mr->received_at);
			jp = when != NULL ? clock_japanese_datetime(when) :
			    g_strdup(mr->received_at);
			f->now_text = g_strdup(need == 'a' ? "情報開示書" :
			    "申請書");
			f->earlier_text = g_strdup_printf("%s（%s 受信のメール）",
			    need == 'a' ? "申請書" : "情報開示書", jp);
			g_free(jp);
			if (when != NULL)
				g_date_time_unref(when);
		}
		forms_free(old);
		mail_free(m);
		if (ids != NULL)
			g_ptr_array_free(ids, TRUE);
	}
	g_ptr_array_free(msgs, TRUE);
	return 0;
}

/*
 * New forms for a case: a new revision, completed with the form it does
 * not attach from an earlier mail, checked, answered.  linked, when set,
 * says how a mail that named no case was linked to it (an event).
 */
static int
intake_revision(struct intake *in, struct caserow *c, const char *linked,
    char **cause)
{
	struct forms	*f = in->forms != NULL ? in->forms : forms_new();
	struct check	*ck = NULL;
	char		*reason;
	int		 r = -1;

	reason = linked != NULL ? g_strdup_printf("案件 %s の再提出（内容で"
	    "照合）：新しい書類", c->id) : g_strdup_printf("案件 %s への返信："
	    "新しい書類", c->id);
	if (intake_record(in, "case", reason, c->id, cause) != 0 ||
	    review_record_files(in->n, in->msgid, f, cause) != 0 ||
	    (linked != NULL && case_event(in->n, c->id, EVENT_LINKED, NULL,
	    NULL, linked, in->msgid, 0, cause) < 0) ||
	    case_event(in->n, c->id, EVENT_REVISION, NULL, NULL,
	    in->mail->subject, in->msgid, 0, cause) < 0)
		goto out;
	if (intake_complete(in, c->id, f, cause) != 0)
		goto out;
	if (f->earlier_text != NULL && case_event(in->n, c->id, EVENT_CARRIED,
	    NULL, NULL, f->earlier_text, in->msgid, 0, cause) < 0)
		goto out;
	if (!f->encrypted && (ck = review_check(in->n, c, f,
	    intake_check(in, f), in->msgid, cause)) == NULL)
		goto out;
	r = review_answer(in->n, c, f, ck, in->msgid, &in->answer, cause);
out:
	check_free(ck);
	if (f != in->forms)
		forms_free(f);
	g_free(reason);
	return r;
}

/*
 * The case a mail with forms belongs to by its content, when it names
 * none (no tag, no reference to our letters): an open case of its sender
 * (applicant or contact) whose scheme, company and service its 申請書
 * names, compared after normalising width, blanks and 株式会社/㈱
 * (ident.c).  *match NULL when none matches; NULL with *other set to a
 * second match's id when two do (the staff decide).  -1 with *cause when
 * the store could not be read: never taken for "no case".
 */
static int
intake_by_content(struct intake *in, struct caserow **match, char **first,
    char **other, char **cause)
{
	struct check	*ck;
	struct caserow	*c, *found = NULL;
	GPtrArray	*cases;
	guint		 i;

	*match = NULL;
	*first = *other = NULL;
	if (in->forms == NULL || !in->forms->have_application)
		return 0;
	/* Kept: review_check takes it over (intake_check). */
	if (in->check == NULL)
		in->check = check_forms(in->forms, in->n->rules);
	ck = in->check;
	if (ck->scheme == NULL || ck->company == NULL || ck->service == NULL)
		return 0;
	if (store_cases_of_sender_read(in->n->store, in->mail->from, &cases,
	    cause) != 0) {
		g_ptr_array_free(cases, TRUE);
		return -1;
	}
	for (i = 0; i < cases->len && *other == NULL; i++) {
		c = g_ptr_array_index(cases, i);
		if (!state_takes_forms(c->state) || c->scheme == NULL ||
		    strcmp(c->scheme, ck->scheme->code) != 0 ||
		    !ident_same(c->company, ck->company) ||
		    !ident_same(c->service, ck->service))
			continue;
		if (found == NULL)
			found = g_ptr_array_steal_index(cases, i--);
		else
			*other = g_strdup(c->id);
	}
	g_ptr_array_free(cases, TRUE);
	if (*other != NULL) {
		*first = g_strdup(found->id);
		caserow_free(found);
		return 0;
	}
	*match = found;
	return 0;
}

/* Letters to a mail linked by content join the case's thread: its
 * first and latest letters are referred to. */
static int
intake_join_thread(struct intake *in, const char *case_id, char **cause)
{
	GPtrArray	*letters;
	struct letterrow *l;

	if (store_letters_read(in->n->store, case_id, &letters, cause) != 0) {
		g_ptr_array_free(letters, TRUE);
		return -1;
	}
	if (in->answer.references == NULL)
		in->answer.references =
		    g_ptr_array_new_with_free_func(g_free);
	if (letters->len > 1) {
		l = g_ptr_array_index(letters, letters->len - 1);
		g_ptr_array_insert(in->answer.references, 0,
		    g_strdup(l->message_id));
	}
	if (letters->len > 0) {
		l = g_ptr_array_index(letters, 0);
		g_ptr_array_insert(in->answer.references, 0,
		    g_strdup(l->message_id));
	}
	g_ptr_array_free(letters, TRUE);
	return 0;
}


/*
 * Tries passwords on the case's message that holds its encrypted forms
 * (each message, newest first, parsed again in the sandbox).  Returns the
 * forms opened by one of them, or NULL; *found says whether such a
 * message exists (-1: the store could not be read, *cause), *row which
 * it is.
 */
static struct forms *
intake_unlock(struct intake *in, const char *case_id, GPtrArray *cands,
    int64_t *row, int *found, char **cause)
{
	GPtrArray	*msgs;
	struct msgrow	*mr;
	struct mail	*m;
	struct forms	*f, *opened = NULL;
	GPtrArray	*ids;
	char		*why = NULL;
	guint		 i;
	int		 had;

	*found = 0;
	if (store_messages_read(in->n->store, case_id, &msgs, cause) != 0) {
		g_ptr_array_free(msgs, TRUE);
		*found = -1;
		return NULL;
	}
	for (i = msgs->len; i > 0 && !*found; i--) {
		mr = g_ptr_array_index(msgs, i - 1);
		if (mr->id == in->msgid)
			continue;
		if (intake_had_forms(in->n, mr->id, 1, &had, cause) != 0) {
			g_ptr_array_free(msgs, TRUE);
			*found = -1;
			return opened;
		}
		if (!had)
			continue;
		if (intake_analyze(in->n, mr->raw_path, (uint64_t)mr->size,
		    cands, &m, &f, &ids, &why) != 0) {
			g_free(why);
			why = NULL;
			continue;
		}
		if (f != NULL && (f->encrypted || f->unlocked)) {
			*found = 1;
			*row = mr->id;
			if (f->unlocked) {
				opened = f;
				f = NULL;
			}
		}
		forms_free(f);
		mail_free(m);
		if (ids != NULL)
			g_ptr_array_free(ids, TRUE);
	}
	g_ptr_array_free(msgs, TRUE);
	return opened;
}

/*
 * A mail for a case waiting for a password: each candidate in its text
 * is tried on the encrypted ZIP; the first that opens every entry lets
 * the check go on.  None: one letter saying so.  The passwords are
 * neither logged nor stored nor repeated.
 */
static int
intake_password(struct intake *in, struct caserow *c, char **cause)
{
	GPtrArray	*cands;
	struct forms	*f;
	struct check	*ck = NULL;
	struct tvars	*tv;
	int64_t		 approw = 0;
	int		 r = -1, found;

	cands = password_candidates(in->mail->text);
	if (cands->len == 0) {
		g_ptr_array_free(cands, TRUE);
		if (intake_has_forms(in->mail))
			return intake_revision(in, c, NULL, cause);
		return intake_reply(in, c, NULL, NULL, cause);
	}
	f = intake_unlock(in, c->id, cands, &approw, &found, cause);
	password_forget(cands);
	if (found < 0)
		return -1;
	if (!found)
		return intake_reply(in, c, "パスワードらしき記載あり（暗号化"
		    "された書類が見つかりません）", NULL, cause);
	if (f == NULL) {
		if (intake_reply(in, c, "パスワードで ZIP を開けませんでした",
		    NULL, cause) != 0 || case_event(in->n, c->id,
		    EVENT_PASSWORD_FAILED, NULL, NULL,
		    "届いたパスワードでは ZIP ファイルを開けませんでした",
		    in->msgid, 0, cause) < 0)
			return -1;
		tv = case_vars(in->n, c);
		r = case_letter(in->n, c, "password", tv,
		    &in->answer, cause) < 0 ? -1 : 0;
		tvars_free(tv);
		return r;
	}
	if (intake_reply(in, c, "パスワードを受領し、ZIP を開きました", NULL,
	    cause) != 0 || case_event(in->n, c->id, EVENT_PASSWORD, NULL, NULL,
	    "パスワードで ZIP ファイルを開きました", in->msgid, 0, cause) < 0)
		goto out;
	if ((ck = review_check(in->n, c, f, NULL, approw, cause)) == NULL)
		goto out;
	r = review_answer(in->n, c, f, ck, approw, &in->answer, cause);
out:
	check_free(ck);
	forms_free(f);
	return r;
}

/* A case of this sender waiting for a password, within the days
 * configured: 1 with *c, 0 if none, -1 if the store could not be read. */
static int
intake_password_case(struct intake *in, struct caserow **c, char **cause)
{
	GDateTime	*since;
	char		*iso, *id;
	int		 r;

	*c = NULL;
	since = g_date_time_add_days(in->now, -in->n->conf->password_days);
	iso = clock_iso(since);
	g_date_time_unref(since);
	r = store_case_awaiting_password(in->n->store, in->mail->from, iso,
	    &id, cause);
	if (r == 1)
		r = store_case_read(in->n->store, id, c, cause);
	g_free(id);
	g_free(iso);
	return r;
}

/* Automatic mail: ignored, unless it reports that one of our letters
 * did not arrive; then that letter is marked bounced in its case. */
static int
intake_automatic(struct intake *in, const char *why, char **cause)
{
	GPtrArray	*ids;
	char		*case_id = NULL, *kind = NULL, *reason;
	guint		 i;
	int		 r, found = 0;

	ids = in->ids;
	for (i = 0; ids != NULL && i < ids->len && !found; i++) {
		r = store_letter_bounced(in->n->store, g_ptr_array_index(ids,
		    i), &case_id, &kind, cause);
		if (r < 0)
			return -1;
		found = r == 1 && case_id != NULL;
		if (!found) {
			g_free(case_id);
			g_free(kind);
			case_id = kind = NULL;
		}
	}
	if (!found)
		return intake_record(in, "ignored", why, NULL, cause);
	reason = g_strdup_printf("配信不能の通知：文書「%s」が届きません"
	    "でした", kind);
	r = intake_record(in, "case", reason, case_id, cause);
	if (r == 0 && case_event(in->n, case_id, EVENT_BOUNCE, NULL, NULL,
	    reason, in->msgid, 0, cause) < 0)
		r = -1;
	g_free(reason);
	g_free(case_id);
	g_free(kind);
	return r;
}

/* Applies a decision in the open transaction: the message recorded and
 * everything it causes. */
static int
intake_apply(struct intake *in, const struct decision *d,
    struct caserow *c, char **cause)
{
	if (d->flag != NULL)
		in->flag = g_strdup(d->flag);
	switch (d->action) {
	case DECIDE_QUARANTINE:
		return intake_record(in, "quarantined", d->reason, NULL,
		    cause);
	case DECIDE_AUTOMATIC:
		return intake_automatic(in, d->reason, cause);
	case DECIDE_DEFER:
		in->defer = 1;
		*cause = g_strdup(d->reason);
		return -1;
	case DECIDE_UNMATCHED:
		return intake_record(in, "unmatched", d->reason, NULL, cause);
	case DECIDE_OPEN:
		return intake_application(in, cause);
	case DECIDE_PASSWORD:
		return intake_password(in, c, cause);
	case DECIDE_REVISION:
		return intake_revision(in, c, NULL, cause);
	case DECIDE_RESUBMISSION:
		if (intake_join_thread(in, c->id, cause) != 0)
			return -1;
		return intake_revision(in, c, d->reason, cause);
	case DECIDE_REPLY:
		return intake_reply_owed(in, c, d->reason, cause);
	case DECIDE_ASK_SPF:
	case DECIDE_ASK_THREAD:
	case DECIDE_ASK_CONTENT:
	case DECIDE_ASK_WAITING:
		break;
	}
	*cause = g_strdup("intake: no decision");
	return -1;
}

/*
 * Decides the outcome of a parsed (or unreadable) message with decide,
 * finding out what it asks for (the SPF result, the cases the store
 * knows), and applies it.
 */
static int
intake_decide(struct intake *in, const char *unreadable, char **cause)
{
	struct nintei		*n = in->n;
	struct mail		*m = in->mail;
	struct decide_facts	 f;
	struct decision		 d;
	struct spf_result	 s;
	struct caserow		*thread = NULL, *content = NULL;
	struct caserow		*waiting = NULL, *c;
	char			*automatic = NULL, *first = NULL, *other = NULL;
	int			 r = -1;

	memset(&f, 0, sizeof f);
	memset(&s, 0, sizeof s);
	f.unreadable = unreadable;
	if (unreadable == NULL) {
		f.limit = m->limit;
		if (f.limit == NULL)
			automatic = screen_automatic(n->conf, m);
		f.automatic = automatic;
		f.from = m->from;
		f.has_forms = intake_has_forms(m);
	}
	f.spf_wanted = n->conf->spf && in->redo == 0;
	f.spf_retries = n->conf->spf_retries;
	for (;;) {
		decide(&f, &d);
		if (d.action == DECIDE_ASK_SPF) {
			if (spf_check(n->conf, m, &s, cause) != 0)
				goto out;
			in->row.spf = g_strdup(s.result);
			f.spf = s.result;
			f.spf_ip = s.ip;
			f.spf_sender = s.sender;
			if (strcmp(s.result, "temperror") == 0 &&
			    store_deferral_runs(n->store, in->row.sha256,
			    &f.spf_runs, cause) != 0)
				goto out;
		} else if (d.action == DECIDE_ASK_THREAD) {
			/* A failed read is no "no case": the message waits. */
			if (intake_thread(in, &thread, cause) < 0)
				goto out;
			f.thread = thread;
			f.thread_known = 1;
		} else if (d.action == DECIDE_ASK_CONTENT) {
			if (intake_by_content(in, &content, &first, &other,
			    cause) != 0)
				goto out;
			f.content = content;
			f.content_first = first;
			f.content_other = other;
			f.content_known = 1;
		} else if (d.action == DECIDE_ASK_WAITING) {
			if (intake_password_case(in, &waiting, cause) < 0)
				goto out;
			f.waiting = waiting;
			f.waiting_known = 1;
		} else
			break;
		decision_clear(&d);
	}
	/* The decision's case, as the intake holds it (to be changed). */
	c = d.c == NULL ? NULL : d.c == thread ? thread : d.c == content ?
	    content : waiting;
	r = intake_apply(in, &d, c, cause);
	decision_clear(&d);
out:
	spf_result_clear(&s);
	caserow_free(thread);
	caserow_free(content);
	caserow_free(waiting);
	g_free(first);
	g_free(other);
	g_free(automatic);
	return r;
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

/* What a message recorded before became, for the one who gave it again:
 * "already recorded as message 57: quarantined, …". */
static char *
intake_recorded_as(struct nintei *n, int64_t id)
{
	struct msgrow	*m;
	char		*s, *cause = NULL;

	if (store_message_get(n->store, id, &m, &cause) <= 0) {
		/* Recorded all the same: only what became of it is not
		 * said. */
		g_free(cause);
		return g_strdup_printf("already recorded as message %"
		    G_GINT64_FORMAT, id);
	}
	s = g_strdup_printf("already recorded as message %" G_GINT64_FORMAT
	    ": %s%s%s%s, %s%s%s", id, m->disposition, m->held != NULL ?
	    " (" : "", m->held != NULL ? m->held : "", m->held != NULL ?
	    ")" : "", m->reason, m->case_id != NULL ? ", case " : "",
	    m->case_id != NULL ? m->case_id : "");
	msgrow_free(m);
	return s;
}

/* Undoes what the message wrote: its savepoint in a group, else its
 * transaction. */
static void
intake_undo(struct nintei *n)
{
	if (intake_batch.open)
		store_rollback_savepoint(n->store);
	else
		store_rollback(n->store);
}

/*
 * Test hook: NINTEI_FAULT=decide:TOKEN makes the parent fail after
 * deciding a message whose subject holds TOKEN, as a store error would;
 * that message alone is then not recorded.
 */
static int
intake_parent_fault(struct intake *in, char **cause)
{
	const char	*f = getenv("NINTEI_FAULT");

	if (f == NULL || strncmp(f, "decide:", 7) != 0 || in->mail == NULL ||
	    strstr(in->mail->subject, f + 7) == NULL)
		return 0;
	*cause = g_strdup("NINTEI_FAULT: a failure after deciding");
	return -1;
}

/*
 * The intake failed in a way another run would not mend (the store
 * refused a row: a bug, or a configuration nintei cannot follow): the
 * message is recorded as quarantined with the failure as its reason, so
 * that it is not tried again on every run and the staff see it; the
 * admin is told (exit 78 for poll); `nintei quarantine release` processes
 * it again once the cause is fixed.  *cause holds the failure on entry.
 */
static enum intake_result
intake_hold(struct intake *in, char **cause)
{
	char	*reason, *err = NULL;

	log_warn("%s: could not be processed, held in quarantine: %s",
	    in->row.origin != NULL ? in->row.origin : "message", *cause);
	reason = g_strdup_printf("処理中に回復しない障害が起きたため保留しました"
	    "（設定または nintei の不具合。管理者が原因を直したあと"
	    "「nintei quarantine release」で処理し直せます）：%s", *cause);
	g_free(in->row.reason);
	in->row.reason = NULL;
	/* In a group of messages, in a savepoint of its own. */
	if ((intake_batch.open ? store_savepoint(in->n->store, &err) :
	    store_begin(in->n->store, &err)) != 0 ||
	    intake_record(in, "quarantined", reason, NULL, &err) != 0 ||
	    (intake_batch.open ? store_release(in->n->store, &err) :
	    store_commit(in->n->store, &err)) != 0) {
		intake_undo(in->n);
		g_free(reason);
		g_free(*cause);
		*cause = err;
		return INTAKE_TEMPFAIL;
	}
	g_free(reason);
	g_free(*cause);
	*cause = NULL;
	in->n->config_errors++;
	return INTAKE_RECORDED;
}

/*
 * The message is in the spool: parse, decide, commit.  redo, when set, is
 * the row of a quarantined message being released.
 */
static enum intake_result
intake_spooled(struct nintei *n, const char *path, const char *sha,
    uint64_t size, const char *origin, int64_t redo, struct sandbox_job *ahead,
    char **cause)
{
	struct intake	 in;
	char		*unreadable = NULL, *pcause = NULL, *big, *lim, *now;
	enum intake_result res = INTAKE_TEMPFAIL;
	int64_t		 found;
	int		 forgood;
	int		 r;

	/* The rules nintei_open loaded, or why not: left for later. */
	if (n->rules == NULL) {
		*cause = g_strdup(n->rules_error != NULL ? n->rules_error :
		    "rules: not loaded");
		intake_parse_drop(ahead);
		return INTAKE_TEMPFAIL;
	}
	memset(&in, 0, sizeof in);
	in.n = n;
	in.redo = redo;
	in.now = clock_now(n->conf);
	r = ahead != NULL ? intake_parse_finish(ahead, &in.mail, &in.forms,
	    &in.ids, &pcause) : intake_analyze(n, path, size, NULL, &in.mail,
	    &in.forms, &in.ids, &pcause);
	if (r == -2) {
		*cause = pcause;
		g_date_time_unref(in.now);
		return INTAKE_TEMPFAIL;
	}
	if (r != 0) {
		unreadable = g_strdup(pcause != NULL ? pcause :
		    "解析できませんでした");
		/* The headers at least, for the staff's list (in a child
		 * again: they are as untrusted as the rest). */
		g_free(pcause);
		pcause = NULL;
		if (intake_analyze(n, path, 0, NULL, &in.mail, &in.forms,
		    &in.ids, &pcause) != 0) {
			g_free(pcause);
			pcause = NULL;
		}
	}
	else if (size > n->conf->max_message) {
		big = size_about(size);
		lim = size_about(n->conf->max_message);
		unreadable = g_strdup_printf("メッセージが大きすぎます"
		    "（%s、上限 %s）", big, lim);
		g_free(big);
		g_free(lim);
	}
	g_free(pcause);

	in.row.message_id = in.mail != NULL ? in.mail->message_id :
	    (char *)"";
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
	in.row.size = (int64_t)size;
	in.row.raw_path = (char *)path;
	if (in.mail != NULL) {
		in.answer.message_id = g_strdup(in.mail->message_id);
		in.answer.references = intake_refs_array(in.mail);
	}

	if ((intake_batch.open ? store_savepoint(n->store, cause) :
	    store_begin(n->store, cause)) != 0)
		goto out;
	/* A failed read is no "not recorded yet": the message waits. */
	if (redo == 0 && store_message_find(n->store, in.row.message_id, sha,
	    &found, cause) != 0) {
		intake_undo(n);
		if (found > 0) {
			res = INTAKE_DUPLICATE;
			*cause = intake_recorded_as(n, found);
		}
		goto out;
	}
	if (intake_decide(&in, unreadable, cause) != 0 ||
	    intake_parent_fault(&in, cause) != 0) {
		forgood = store_failed_for_good(n->store);
		intake_undo(n);
		if (forgood && !in.defer) {
			res = intake_hold(&in, cause);
			goto out;
		}
		if (in.defer) {
			/* Counted on its own, so the count survives (in a
			 * group, with the group). */
			now = clock_iso(in.now);
			store_deferral_bump(n->store, sha, now, *cause);
			g_free(now);
		}
		goto out;
	}
	if ((intake_batch.open ? store_release(n->store, cause) :
	    store_commit(n->store, cause)) != 0) {
		intake_undo(n);
		goto out;
	}
	res = INTAKE_RECORDED;
	if (intake_batch.open)
		g_ptr_array_add(intake_batch.logs, g_strdup_printf("%s: %s "
		    "(%s)", origin, in.row.disposition, in.row.reason));
	else
		log_info("%s: %s (%s)", origin, in.row.disposition,
		    in.row.reason);
out:
	g_free(unreadable);
	g_free(in.row.received_at);
	g_free(in.row.refs);
	g_free(in.row.reason);
	g_free(in.row.spf);
	g_free(in.flag);
	answer_clear(&in.answer);
	mail_free(in.mail);
	check_free(in.check);
	forms_free(in.forms);
	if (in.ids != NULL)
		g_ptr_array_free(in.ids, TRUE);
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
	r = intake_spooled(n, path, sha, size, origin, 0, NULL, cause);
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
	r = intake_spooled(n, path, sha, size, origin, 0, NULL, cause);
	g_free(path);
	g_free(sha);
	return r;
}

/*
 * A message spool_settle made durable, in the group commit begun; ahead,
 * if not NULL, is its parse started before (intake_parse_ahead), which
 * this takes over.
 */
enum intake_result
intake_settled(struct nintei *n, const char *path, const char *sha,
    uint64_t size, const char *origin, struct sandbox_job *ahead,
    char **cause)
{
	return intake_spooled(n, path, sha, size, origin, 0, ahead, cause);
}

/*
 * Starts parsing a message ahead, while the ones before it are decided
 * and committed: parsing never reads the store, so what it finds is the
 * same whenever it runs.  NULL if it could not start (the intake will
 * try itself).
 */
struct sandbox_job *
intake_parse_ahead(struct nintei *n, const char *path, uint64_t size)
{
	char	*why = NULL;
	struct sandbox_job *sj;

	sj = intake_parse_start(n, path, size, NULL, &why);
	g_free(why);
	return sj;
}

/* A parse started ahead and not wanted after all (the run stops). */
void
intake_parse_drop(struct sandbox_job *sj)
{
	sandbox_cancel(sj);
}

/* Begins a group commit: the messages until intake_batch_commit share
 * one transaction, each in its own savepoint. */
int
intake_batch_begin(struct nintei *n, char **cause)
{
	if (store_begin(n->store, cause) != 0)
		return -1;
	intake_batch.open = 1;
	intake_batch.logs = g_ptr_array_new_with_free_func(g_free);
	return 0;
}

/* Commits the group; only then are its outcomes logged.  -1: none of
 * them is recorded. */
int
intake_batch_commit(struct nintei *n, char **cause)
{
	guint	i;
	int	r;

	intake_batch.open = 0;
	r = store_commit(n->store, cause);
	for (i = 0; r == 0 && i < intake_batch.logs->len; i++)
		log_info("%s", (char *)g_ptr_array_index(intake_batch.logs,
		    i));
	g_ptr_array_free(intake_batch.logs, TRUE);
	intake_batch.logs = NULL;
	return r;
}

/*
 * Processes a quarantined message again, as if new, without the SPF
 * check (the staff vouch for it); its row is rewritten, not added.
 */
enum intake_result
intake_release(struct nintei *n, const struct msgrow *m, char **cause)
{
	return intake_spooled(n, m->raw_path, m->sha256, (uint64_t)m->size,
	    m->origin, m->id, NULL, cause);
}

/*
 * A recorded message read again for the staff, as untrusted as when it
 * came: parsed in the sandboxed child (headers decoded, the text, the
 * attachments).  NULL with *cause when it cannot be read now.
 */
struct mail *
intake_read(struct nintei *n, const struct msgrow *row, char **cause)
{
	struct mail	*m = NULL;
	struct forms	*f = NULL;
	GPtrArray	*ids = NULL;

	if (intake_analyze(n, row->raw_path, (uint64_t)row->size, NULL, &m,
	    &f, &ids, cause) != 0)
		return NULL;
	forms_free(f);
	if (ids != NULL)
		g_ptr_array_free(ids, TRUE);
	return m;
}
