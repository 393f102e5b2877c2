/* source-imap.c: an IMAP mailbox as the source (imaps://, or imap:// with
 * STARTTLS required): the messages above the last UID handled under the
 * mailbox's UIDVALIDITY, their RFC822.SIZE checked before BODY.PEEK[]
 * fetches them, marked \Seen, moved or deleted (UID commands only) once
 * their outcome is committed. */

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf.h"
#include "letter.h"
#include "net.h"
#include "size.h"
#include "source.h"

/* What to do with a message once its outcome is committed. */
enum source_imap_after {
	SOURCE_IMAP_SEEN,
	SOURCE_IMAP_MOVE,
	SOURCE_IMAP_DELETE
};

/* What became of a message above the mark in this run. */
enum source_imap_state {
	SOURCE_IMAP_TODO,
	SOURCE_IMAP_DONE,	/* committed and told, or gone */
	SOURCE_IMAP_BIG		/* over the size limit: left and reported */
};

struct source_imap_msg {
	uint32_t		 uid;
	uint32_t		 size;
	enum source_imap_state	 state;
};

struct source_imap {
	struct nintei		*n;
	struct net_url		*url;
	const char		*mailbox;
	char			*name;		/* the mailbox as a URL */
	char			*statefile;
	enum source_imap_after	 after;
	char			*folder;	/* for move */
	mailimap		*imap;
	int			 tls;		/* TLS at once, not STARTTLS */
	int			 can_move;
	int			 uidplus;
	int			 warned_uidplus;
	uint32_t		 uidvalidity;
	uint32_t		 mark;		/* every UID up to it handled */
	GArray			*msgs;		/* struct source_imap_msg */
	guint			 next;
	char			*tmp;		/* the message in hand */
};

/* Is every byte of a mailbox name printable ASCII (we do not write
 * modified UTF-7)? */
static int
source_imap_ascii(const char *s)
{
	for (; *s != '\0'; s++) {
		if ((unsigned char)*s < 0x20 || (unsigned char)*s >= 0x7f ||
		    *s == '"' || *s == '\\')
			return 0;
	}
	return 1;
}

/* [source] after: seen (the default), move:FOLDER or delete. */
static int
source_imap_after(struct source_imap *si, const char *v, char **cause)
{
	if (v == NULL || strcmp(v, "seen") == 0)
		si->after = SOURCE_IMAP_SEEN;
	else if (strcmp(v, "delete") == 0)
		si->after = SOURCE_IMAP_DELETE;
	else if (strncmp(v, "move:", 5) == 0 && v[5] != '\0' &&
	    source_imap_ascii(v + 5)) {
		si->after = SOURCE_IMAP_MOVE;
		si->folder = g_strdup(v + 5);
	} else {
		*cause = g_strdup_printf("[source] after: \"%s\" is not seen, "
		    "move:FOLDER (ASCII name) or delete", v);
		return -1;
	}
	return 0;
}

/* The server's last answer, cleaned for a log line. */
static char *
source_imap_said(struct source_imap *si)
{
	if (si->imap == NULL || si->imap->imap_response == NULL)
		return g_strdup("no answer");
	return util_clean(si->imap->imap_response);
}

/* A failed command: *cause names it with the server's answer. */
static int
source_imap_fail(struct source_imap *si, const char *what, int r,
    char **cause)
{
	char	*said = source_imap_said(si);

	*cause = g_strdup_printf("%s: %s failed (%d): %s", si->name, what, r,
	    said);
	g_free(said);
	return -1;
}

/* Does the server announce the capability? */
static int
source_imap_has(struct source_imap *si, const char *name)
{
	struct mailimap_capability	*cap;
	clistiter			*it;

	if (si->imap->imap_connection_info == NULL ||
	    si->imap->imap_connection_info->imap_capability == NULL)
		return 0;
	for (it = clist_begin(si->imap->imap_connection_info->imap_capability->
	    cap_list); it != NULL; it = clist_next(it)) {
		cap = clist_content(it);
		if (cap->cap_type == MAILIMAP_CAPABILITY_NAME &&
		    cap->cap_data.cap_name != NULL &&
		    g_ascii_strcasecmp(cap->cap_data.cap_name, name) == 0)
			return 1;
	}
	return 0;
}

/* Asks for the capabilities again (they change with TLS and login). */
static int
source_imap_capability(struct source_imap *si, char **cause)
{
	struct mailimap_capability_data	*cap = NULL;
	int				 r;

	if ((r = mailimap_capability(si->imap, &cap)) != MAILIMAP_NO_ERROR)
		return source_imap_fail(si, "CAPABILITY", r, cause);
	mailimap_capability_data_free(cap);
	return 0;
}

/*
 * Connects, makes sure of TLS (at once, or STARTTLS required), checks the
 * certificate before the password leaves, logs in and selects the
 * mailbox.
 */
static int
source_imap_login(struct source_imap *si, int tls, char **cause)
{
	const struct conf	*c = si->n->conf;
	struct net_cred		 cred;
	mailstream		*stream;
	int			 fd, r, preauth;

	if (net_cred_load(c->source_credentials, "NINTEI_SOURCE_PASSWORD",
	    si->url->user, &cred, cause) != 0)
		return -1;
	if (cred.user == NULL || cred.password == NULL) {
		*cause = g_strdup_printf("%s: no user or password: set "
		    "[source] credentials (or NINTEI_SOURCE_PASSWORD)",
		    si->name);
		net_cred_clear(&cred);
		return -1;
	}
	net_url_user(si->url, cred.user, &si->name);
	if ((fd = net_connect(c, si->url->host, si->url->port, cause)) < 0 ||
	    (stream = net_stream(c, fd, si->url->host, tls, cause)) == NULL) {
		net_cred_clear(&cred);
		return -1;
	}
	si->imap = mailimap_new(0, NULL);
	mailimap_set_timeout(si->imap, (time_t)c->net_timeout);
	r = mailimap_connect(si->imap, stream);
	if (r != MAILIMAP_NO_ERROR_AUTHENTICATED &&
	    r != MAILIMAP_NO_ERROR_NON_AUTHENTICATED) {
		net_cred_clear(&cred);
		return source_imap_fail(si, "greeting", r, cause);
	}
	preauth = r == MAILIMAP_NO_ERROR_AUTHENTICATED;
	if (!tls) {
		if (preauth) {
			*cause = g_strdup_printf("%s: the server logged us in "
			    "before TLS (PREAUTH); refusing", si->name);
			net_cred_clear(&cred);
			return -1;
		}
		r = mailimap_socket_starttls_with_callback(si->imap, tls_sni,
		    si->url->host);
		if (r != MAILIMAP_NO_ERROR) {
			*cause = g_strdup_printf("%s: STARTTLS failed or is "
			    "not offered (%d); not going on without TLS",
			    si->name, r);
			net_cred_clear(&cred);
			return -1;
		}
	}
	if (tls_check(c, si->imap->imap_stream, si->url->host, cause) != 0) {
		net_cred_clear(&cred);
		return -1;
	}
	if (!preauth) {
		r = mailimap_login(si->imap, cred.user, cred.password);
		if (r != MAILIMAP_NO_ERROR) {
			source_imap_fail(si, "LOGIN", r, cause);
			net_cred_clear(&cred);
			return -1;
		}
	}
	net_cred_clear(&cred);
	if (source_imap_capability(si, cause) != 0)
		return -1;
	si->can_move = source_imap_has(si, "MOVE");
	si->uidplus = source_imap_has(si, "UIDPLUS");
	if ((r = mailimap_select(si->imap, si->mailbox)) != MAILIMAP_NO_ERROR)
		return source_imap_fail(si, "SELECT", r, cause);
	if (si->imap->imap_selection_info == NULL ||
	    si->imap->imap_selection_info->sel_uidvalidity == 0) {
		*cause = g_strdup_printf("%s: the server gave no UIDVALIDITY",
		    si->name);
		return -1;
	}
	si->uidvalidity = si->imap->imap_selection_info->sel_uidvalidity;
	return 0;
}

/* Reads the state file: the UIDVALIDITY, the mark, and the UIDs below it
 * to look at again.  Under another UIDVALIDITY all that is void. */
static void
source_imap_state(struct source_imap *si, GArray *left)
{
	char		**lines;
	uint32_t	  validity = 0, mark = 0, uid;
	guint		  i;

	net_state_read(si->statefile, si->name, &lines);
	for (i = 0; lines[i] != NULL; i++) {
		if (strncmp(lines[i], "uidvalidity ", 12) == 0)
			validity = (uint32_t)strtoul(lines[i] + 12, NULL, 10);
		else if (strncmp(lines[i], "mark ", 5) == 0)
			mark = (uint32_t)strtoul(lines[i] + 5, NULL, 10);
		else if (strncmp(lines[i], "left ", 5) == 0) {
			uid = (uint32_t)strtoul(lines[i] + 5, NULL, 10);
			if (uid != 0)
				g_array_append_val(left, uid);
		}
	}
	g_strfreev(lines);
	if (validity == si->uidvalidity) {
		si->mark = mark;
		return;
	}
	if (validity != 0)
		log_warn("%s: UIDVALIDITY changed from %u to %u: reading the "
		    "whole mailbox again (messages recorded before are "
		    "recognised, not answered twice)", si->name, validity,
		    si->uidvalidity);
	si->mark = 0;
	g_array_set_size(left, 0);
}

/* Makes the folder for after = move:FOLDER if the server lacks it. */
static int
source_imap_folder(struct source_imap *si, char **cause)
{
	clist	*list = NULL;
	int	 r, have;

	r = mailimap_list(si->imap, "", si->folder, &list);
	if (r != MAILIMAP_NO_ERROR)
		return source_imap_fail(si, "LIST", r, cause);
	have = list != NULL && clist_count(list) > 0;
	if (list != NULL)
		mailimap_list_result_free(list);
	if (!have && (r = mailimap_create(si->imap, si->folder)) !=
	    MAILIMAP_NO_ERROR)
		return source_imap_fail(si, "CREATE", r, cause);
	if (!have)
		log_info("%s: made the folder %s", si->name, si->folder);
	return 0;
}

/* The UID and RFC822.SIZE (or, with want_body, the body) of one FETCH
 * answer; 0 if the answer carries no UID. */
static uint32_t
source_imap_att(struct mailimap_msg_att *att, uint32_t *size,
    struct mailimap_msg_att_body_section **body)
{
	struct mailimap_msg_att_item	*item;
	struct mailimap_msg_att_static	*st;
	clistiter			*it;
	uint32_t			 uid = 0;

	for (it = clist_begin(att->att_list); it != NULL; it = clist_next(it)) {
		item = clist_content(it);
		if (item->att_type != MAILIMAP_MSG_ATT_ITEM_STATIC)
			continue;
		st = item->att_data.att_static;
		switch (st->att_type) {
		case MAILIMAP_MSG_ATT_UID:
			uid = st->att_data.att_uid;
			break;
		case MAILIMAP_MSG_ATT_RFC822_SIZE:
			if (size != NULL)
				*size = st->att_data.att_rfc822_size;
			break;
		case MAILIMAP_MSG_ATT_BODY_SECTION:
			if (body != NULL)
				*body = st->att_data.att_body_section;
			break;
		}
	}
	return uid;
}

static int
source_imap_msg_cmp(gconstpointer a, gconstpointer b)
{
	const struct source_imap_msg	*x = a, *y = b;

	return x->uid < y->uid ? -1 : x->uid > y->uid;
}

/*
 * Lists the messages to look at: every UID above the mark, and those
 * below it left before (too large, or not committed).  Reports each
 * message over the limit, once per run.
 */
static int
source_imap_list(struct source_imap *si, GArray *left, char **cause)
{
	struct mailimap_fetch_type	*ft;
	struct mailimap_set		*set;
	struct source_imap_msg		 m;
	clist				*res = NULL;
	clistiter			*it;
	char				*sz, *lim;
	uint32_t			 uid, size;
	guint				 i, j;
	int				 r, known;

	if (si->imap->imap_selection_info->sel_exists == 0)
		return 0;
	set = mailimap_set_new_interval(si->mark + 1, 0);
	for (i = 0; i < left->len; i++) {
		if (g_array_index(left, uint32_t, i) <= si->mark)
			mailimap_set_add_single(set, g_array_index(left,
			    uint32_t, i));
	}
	ft = mailimap_fetch_type_new_fetch_att_list_empty();
	mailimap_fetch_type_new_fetch_att_list_add(ft,
	    mailimap_fetch_att_new_uid());
	mailimap_fetch_type_new_fetch_att_list_add(ft,
	    mailimap_fetch_att_new_rfc822_size());
	r = mailimap_uid_fetch(si->imap, set, ft, &res);
	mailimap_fetch_type_free(ft);
	mailimap_set_free(set);
	if (r != MAILIMAP_NO_ERROR)
		return source_imap_fail(si, "UID FETCH (RFC822.SIZE)", r,
		    cause);
	for (it = clist_begin(res); it != NULL; it = clist_next(it)) {
		size = 0;
		if ((uid = source_imap_att(clist_content(it), &size,
		    NULL)) == 0)
			continue;	/* a flag update, not our answer */
		known = uid > si->mark;
		for (j = 0; j < left->len && !known; j++)
			known = g_array_index(left, uint32_t, j) == uid;
		for (j = 0; j < si->msgs->len && known; j++)
			known = g_array_index(si->msgs, struct source_imap_msg,
			    j).uid != uid;
		if (!known)
			continue;
		m.uid = uid;
		m.size = size;
		m.state = SOURCE_IMAP_TODO;
		if ((uint64_t)size > si->n->conf->max_message) {
			m.state = SOURCE_IMAP_BIG;
			sz = size_about(size);
			lim = size_about(si->n->conf->max_message);
			log_warn("%s: message UID %u is %s, over [limits] "
			    "message_size %s: left on the server, not fetched",
			    si->name, uid, sz, lim);
			g_free(sz);
			g_free(lim);
		}
		g_array_append_val(si->msgs, m);
	}
	mailimap_fetch_list_free(res);
	g_array_sort(si->msgs, source_imap_msg_cmp);
	return 0;
}

static void	source_imap_close(void *);

/* Opens the mailbox and lists what to fetch; tls: TLS at once, else
 * STARTTLS. */
static void *
source_imap_open_tls(struct nintei *n, const char *scheme, const char *rest,
    int tls, char **cause)
{
	struct source_imap	*si;
	GArray			*left;
	int			 r;

	si = g_new0(struct source_imap, 1);
	si->n = n;
	si->msgs = g_array_new(FALSE, FALSE, sizeof(struct source_imap_msg));
	if ((si->url = net_url_parse(scheme, rest, tls ? 993 : 143,
	    cause)) == NULL || source_imap_after(si, n->conf->source_after,
	    cause) != 0)
		goto fail;
	if (si->url->path == NULL)
		si->url->path = g_strdup("INBOX");
	si->mailbox = si->url->path;
	if (!source_imap_ascii(si->mailbox)) {
		*cause = g_strdup_printf("%s URL: the mailbox name must be "
		    "printable ASCII", scheme);
		goto fail;
	}
	si->name = net_url_name(si->url);
	si->statefile = g_build_filename(n->conf->store, "imap.state", NULL);
	si->tls = tls;
	if (source_imap_login(si, tls, cause) != 0)
		goto fail;
	left = g_array_new(FALSE, FALSE, sizeof(uint32_t));
	source_imap_state(si, left);
	r = si->after == SOURCE_IMAP_MOVE ? source_imap_folder(si, cause) : 0;
	if (r == 0)
		r = source_imap_list(si, left, cause);
	g_array_free(left, TRUE);
	if (r != 0)
		goto fail;
	return si;

fail:
	si->uidvalidity = 0;	/* nothing handled: keep the state file */
	source_imap_close(si);
	return NULL;
}

static void *
source_imap_open(struct nintei *n, const char *rest, char **cause)
{
	return source_imap_open_tls(n, "imap", rest, 0, cause);
}

static void *
source_imaps_open(struct nintei *n, const char *rest, char **cause)
{
	return source_imap_open_tls(n, "imaps", rest, 1, cause);
}

/* Drops a connection that failed: no more commands on it. */
static void
source_imap_drop(struct source_imap *si)
{
	if (si->imap != NULL && si->imap->imap_stream != NULL) {
		mailstream_close(si->imap->imap_stream);
		si->imap->imap_stream = NULL;
	}
}

/* Removes the file of the message processed last. */
static void
source_imap_unlink(struct source_imap *si)
{
	if (si->tmp != NULL) {
		unlink(si->tmp);
		g_free(si->tmp);
		si->tmp = NULL;
	}
}

/*
 * Fetches one message's body with BODY.PEEK[] (so the server does not
 * mark it \Seen before its outcome is committed).  Returns 1 with the
 * file, 0 if the message is gone or turned out too large, -1 if the
 * connection failed.
 */
static int
source_imap_fetch(struct source_imap *si, struct source_imap_msg *msg,
    char **cause)
{
	struct mailimap_fetch_type		*ft;
	struct mailimap_set			*set;
	struct mailimap_msg_att_body_section	*body;
	clist					*res = NULL;
	clistiter				*it;
	const char				*bytes = NULL;
	size_t					 len = 0;
	int					 r, found = 0;

	/* A {0} literal trips libetpan 1.9.4: an empty message is not
	 * fetched. */
	if (msg->size > 0) {
		set = mailimap_set_new_single(msg->uid);
		ft = mailimap_fetch_type_new_fetch_att_list_empty();
		mailimap_fetch_type_new_fetch_att_list_add(ft,
		    mailimap_fetch_att_new_uid());
		mailimap_fetch_type_new_fetch_att_list_add(ft,
		    mailimap_fetch_att_new_body_peek_section(
		    mailimap_section_new(NULL)));
		r = mailimap_uid_fetch(si->imap, set, ft, &res);
		mailimap_fetch_type_free(ft);
		mailimap_set_free(set);
		if (r != MAILIMAP_NO_ERROR) {
			source_imap_fail(si, "UID FETCH (BODY.PEEK[])", r,
			    cause);
			if (r == MAILIMAP_ERROR_STREAM ||
			    r == MAILIMAP_ERROR_PARSE)
				source_imap_drop(si);
			return -1;
		}
		for (it = clist_begin(res); it != NULL && !found;
		    it = clist_next(it)) {
			body = NULL;
			if (source_imap_att(clist_content(it), NULL,
			    &body) != msg->uid || body == NULL ||
			    body->sec_body_part == NULL)
				continue;
			bytes = body->sec_body_part;
			len = body->sec_length;
			found = 1;
		}
		if (!found) {
			mailimap_fetch_list_free(res);
			log_info("%s: message UID %u is gone", si->name,
			    msg->uid);
			msg->state = SOURCE_IMAP_DONE;
			return 0;
		}
		if ((uint64_t)len > si->n->conf->max_message) {
			mailimap_fetch_list_free(res);
			log_warn("%s: message UID %u came larger than the "
			    "server said (%zu bytes): left on the server",
			    si->name, msg->uid, len);
			msg->state = SOURCE_IMAP_BIG;
			return 0;
		}
	}
	si->tmp = net_save(si->n, bytes != NULL ? bytes : "", len,
	    cause);
	if (res != NULL)
		mailimap_fetch_list_free(res);
	return si->tmp != NULL ? 1 : -1;
}

static int
source_imap_next(void *data, struct source_msg *m, char **cause)
{
	struct source_imap	*si = data;
	struct source_imap_msg	*msg;
	int			 r;

	source_imap_unlink(si);
	while (si->next < si->msgs->len) {
		msg = &g_array_index(si->msgs, struct source_imap_msg,
		    si->next++);
		if (msg->state != SOURCE_IMAP_TODO)
			continue;
		if ((r = source_imap_fetch(si, msg, cause)) < 0)
			return -1;
		if (r == 0)
			continue;
		m->path = g_strdup(si->tmp);
		m->origin = g_strdup_printf("%s;UIDVALIDITY=%u/;UID=%u",
		    si->name, si->uidvalidity, msg->uid);
		m->data = msg;
		return 1;
	}
	return 0;
}

/* Adds a flag to one message, silently. */
static int
source_imap_flag(struct source_imap *si, uint32_t uid,
    struct mailimap_flag *flag, char **cause)
{
	struct mailimap_flag_list	*fl;
	struct mailimap_store_att_flags	*sa;
	struct mailimap_set		*set;
	int				 r;

	fl = mailimap_flag_list_new_empty();
	mailimap_flag_list_add(fl, flag);
	sa = mailimap_store_att_flags_new_add_flags_silent(fl);
	set = mailimap_set_new_single(uid);
	r = mailimap_uid_store(si->imap, set, sa);
	mailimap_store_att_flags_free(sa);
	mailimap_set_free(set);
	if (r != MAILIMAP_NO_ERROR)
		return source_imap_fail(si, "UID STORE", r, cause);
	return 0;
}

/* Removes one message marked \Deleted: UID EXPUNGE only, since a plain
 * EXPUNGE would remove every \Deleted message, not just ours. */
static int
source_imap_expunge(struct source_imap *si, uint32_t uid, char **cause)
{
	struct mailimap_set	*set;
	int			 r;

	if (!si->uidplus) {
		if (!si->warned_uidplus)
			log_warn("%s: the server lacks UIDPLUS: messages are "
			    "marked \\Deleted but not expunged", si->name);
		si->warned_uidplus = 1;
		return 0;
	}
	set = mailimap_set_new_single(uid);
	r = mailimap_uid_expunge(si->imap, set);
	mailimap_set_free(set);
	if (r != MAILIMAP_NO_ERROR)
		return source_imap_fail(si, "UID EXPUNGE", r, cause);
	return 0;
}

/*
 * A connection that broke after a group of messages was taken (a later
 * fetch failed) is made again to tell the server about the group once
 * it is committed; under another UIDVALIDITY the UIDs mean nothing.
 */
static int
source_imap_again(struct source_imap *si, char **cause)
{
	uint32_t	v = si->uidvalidity;

	if (si->imap != NULL && si->imap->imap_stream != NULL)
		return 0;
	if (si->imap != NULL)
		mailimap_free(si->imap);
	si->imap = NULL;
	if (source_imap_login(si, si->tls, cause) != 0) {
		source_imap_drop(si);
		si->uidvalidity = v;
		return -1;
	}
	if (si->uidvalidity != v) {
		*cause = g_strdup_printf("%s: UIDVALIDITY changed while "
		    "connecting again", si->name);
		source_imap_drop(si);
		si->uidvalidity = v;
		return -1;
	}
	return 0;
}

/* The outcome is committed: mark the message \Seen, move it, or delete
 * it, as [source] after says. */
static int
source_imap_done(void *data, struct source_msg *m, char **cause)
{
	struct source_imap	*si = data;
	struct source_imap_msg	*msg = m->data;
	struct mailimap_set	*set;
	int			 r = 0;

	if (source_imap_again(si, cause) != 0)
		return -1;
	switch (si->after) {
	case SOURCE_IMAP_SEEN:
		r = source_imap_flag(si, msg->uid, mailimap_flag_new_seen(),
		    cause);
		break;
	case SOURCE_IMAP_DELETE:
		r = source_imap_flag(si, msg->uid, mailimap_flag_new_deleted(),
		    cause);
		if (r == 0)
			r = source_imap_expunge(si, msg->uid, cause);
		break;
	case SOURCE_IMAP_MOVE:
		set = mailimap_set_new_single(msg->uid);
		if (si->can_move) {
			if ((r = mailimap_uid_move(si->imap, set,
			    si->folder)) != MAILIMAP_NO_ERROR)
				r = source_imap_fail(si, "UID MOVE", r, cause);
		} else if ((r = mailimap_uid_copy(si->imap, set,
		    si->folder)) != MAILIMAP_NO_ERROR)
			r = source_imap_fail(si, "UID COPY", r, cause);
		else if ((r = source_imap_flag(si, msg->uid,
		    mailimap_flag_new_deleted(), cause)) == 0)
			r = source_imap_expunge(si, msg->uid, cause);
		mailimap_set_free(set);
		break;
	}
	if (r != 0)
		return -1;
	msg->state = SOURCE_IMAP_DONE;
	return 0;
}

/*
 * Saves the new mark, the highest UID handled (committed and told, or
 * left as too large), and below it the UIDs to look at again: those left
 * on the server and those whose outcome could not be committed yet.
 */
static void
source_imap_save_state(struct source_imap *si)
{
	struct source_imap_msg	*msg;
	GString			*body = g_string_new(NULL);
	char			*cause = NULL;
	uint32_t		 mark = si->mark;
	guint			 i;

	for (i = 0; i < si->msgs->len; i++) {
		msg = &g_array_index(si->msgs, struct source_imap_msg, i);
		if (msg->state != SOURCE_IMAP_TODO && msg->uid > mark)
			mark = msg->uid;
	}
	g_string_append_printf(body, "uidvalidity %u\nmark %u\n",
	    si->uidvalidity, mark);
	for (i = 0; i < si->msgs->len; i++) {
		msg = &g_array_index(si->msgs, struct source_imap_msg, i);
		if (msg->state != SOURCE_IMAP_DONE && msg->uid <= mark)
			g_string_append_printf(body, "left %u\n", msg->uid);
	}
	if (net_state_write(si->statefile, si->name, body, &cause) != 0) {
		log_warn("%s: %s", si->name, cause);
		g_free(cause);
	}
	g_string_free(body, TRUE);
}

static void
source_imap_close(void *data)
{
	struct source_imap	*si = data;

	if (si == NULL)
		return;
	source_imap_unlink(si);
	if (si->uidvalidity != 0)
		source_imap_save_state(si);
	if (si->imap != NULL)
		mailimap_free(si->imap);	/* LOGOUT if still connected */
	net_url_free(si->url);
	g_free(si->name);
	g_free(si->statefile);
	g_free(si->folder);
	g_array_free(si->msgs, TRUE);
	g_free(si);
}

const struct source source_imap = {
	.scheme = "imap",
	.open = source_imap_open,
	.next = source_imap_next,
	.done = source_imap_done,
	.close = source_imap_close,
};

const struct source source_imaps = {
	.scheme = "imaps",
	.open = source_imaps_open,
	.next = source_imap_next,
	.done = source_imap_done,
	.close = source_imap_close,
};
