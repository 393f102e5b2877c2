/* source-pop3.c: a POP3 mailbox as the source (pop3s://, or pop3:// with
 * STLS required): the messages whose UIDL was not committed before, each
 * size checked against the limit before RETR; the UIDLs committed are
 * kept in a state file, and with [source] after = delete the message is
 * deleted (DELE, applied at QUIT) only after its commit. */

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "conf.h"
#include "letter.h"
#include "net.h"
#include "size.h"
#include "source.h"

/* Longest UIDL RFC 1939 allows. */
#define SOURCE_POP3_UIDL_MAX	70

struct source_pop3_msg {
	unsigned int	 idx;
	uint32_t	 size;
	char		*uidl;		/* the mailpop3's own */
};

struct source_pop3 {
	struct nintei	*n;
	struct net_url	*url;
	char		*name;
	char		*statefile;
	int		 delete;	/* [source] after = delete */
	mailpop3	*pop;
	GHashTable	*done;		/* UIDLs committed, still there */
	GArray		*msgs;		/* struct source_pop3_msg, to fetch */
	guint		 next;
	char		*tmp;		/* the message being processed */
	int		 listed;	/* the state may be written */
};

/* A failed command: *cause names it with the server's answer. */
static int
source_pop3_fail(struct source_pop3 *sp, const char *what, int r,
    char **cause)
{
	char	*said;

	said = util_clean(sp->pop != NULL && sp->pop->pop3_response != NULL ?
	    sp->pop->pop3_response : "no answer");
	*cause = g_strdup_printf("%s: %s failed (%d): %s", sp->name, what, r,
	    said);
	g_free(said);
	return -1;
}

/* Is a UIDL what RFC 1939 allows (printable, no blanks, 1 to 70)? */
static int
source_pop3_uidl_ok(const char *u)
{
	size_t	len = strlen(u), i;

	if (len == 0 || len > SOURCE_POP3_UIDL_MAX)
		return 0;
	for (i = 0; i < len; i++) {
		if ((unsigned char)u[i] <= 0x20 || (unsigned char)u[i] >= 0x7f)
			return 0;
	}
	return 1;
}

/* Connects, makes sure of TLS, checks the certificate before the password
 * leaves, and logs in with USER and PASS. */
static int
source_pop3_login(struct source_pop3 *sp, int tls, char **cause)
{
	const struct conf	*c = sp->n->conf;
	struct net_cred		 cred;
	mailstream		*stream;
	int			 fd, r;

	if (net_cred_load(c->source_credentials, "NINTEI_SOURCE_PASSWORD",
	    sp->url->user, &cred, cause) != 0)
		return -1;
	if (cred.user == NULL || cred.password == NULL) {
		*cause = g_strdup_printf("%s: no user or password: set "
		    "[source] credentials (or NINTEI_SOURCE_PASSWORD)",
		    sp->name);
		goto fail;
	}
	net_url_user(sp->url, cred.user, &sp->name);
	if ((fd = net_connect(c, sp->url->host, sp->url->port, cause)) < 0 ||
	    (stream = net_stream(c, fd, sp->url->host, tls, cause)) == NULL)
		goto fail;
	sp->pop = mailpop3_new(0, NULL);
	mailpop3_set_timeout(sp->pop, (time_t)c->net_timeout);
	if ((r = mailpop3_connect(sp->pop, stream)) != MAILPOP3_NO_ERROR) {
		source_pop3_fail(sp, "greeting", r, cause);
		goto fail;
	}
	if (!tls && (r = mailpop3_socket_starttls_with_callback(sp->pop,
	    tls_sni, sp->url->host)) != MAILPOP3_NO_ERROR) {
		*cause = g_strdup_printf("%s: STLS failed or is not offered "
		    "(%d); not going on without TLS", sp->name, r);
		goto fail;
	}
	if (tls_check(c, sp->pop->pop3_stream, sp->url->host, cause) != 0)
		goto fail;
	if ((r = mailpop3_user(sp->pop, cred.user)) != MAILPOP3_NO_ERROR ||
	    (r = mailpop3_pass(sp->pop, cred.password)) != MAILPOP3_NO_ERROR) {
		source_pop3_fail(sp, "login", r, cause);
		goto fail;
	}
	net_cred_clear(&cred);
	return 0;

fail:
	net_cred_clear(&cred);
	return -1;
}

/*
 * Lists the mailbox: messages committed before are forgotten once gone
 * from the server (and deleted again if their DELE was lost); the others
 * are to fetch, unless over the size limit, which is reported.
 */
static int
source_pop3_list(struct source_pop3 *sp, char **cause)
{
	struct mailpop3_msg_info	*info;
	struct source_pop3_msg		 m;
	GHashTable			*before;
	carray				*tab = NULL;
	char				**lines, *sz, *lim;
	unsigned int			 i;
	int				 r;

	if ((r = mailpop3_list(sp->pop, &tab)) != MAILPOP3_NO_ERROR ||
	    tab == NULL)
		return source_pop3_fail(sp, "LIST/UIDL", r, cause);
	before = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	net_state_read(sp->statefile, sp->name, &lines);
	for (i = 0; lines[i] != NULL; i++) {
		if (strncmp(lines[i], "uidl ", 5) == 0)
			g_hash_table_add(before, g_strdup(lines[i] + 5));
	}
	g_strfreev(lines);
	for (i = 0; i < carray_count(tab); i++) {
		if ((info = carray_get(tab, i)) == NULL || info->msg_deleted)
			continue;
		if (info->msg_uidl == NULL) {
			*cause = g_strdup_printf("%s: the server does not "
			    "support UIDL, which nintei needs", sp->name);
			g_hash_table_destroy(before);
			return -1;
		}
		if (!source_pop3_uidl_ok(info->msg_uidl)) {
			log_warn("%s: message %u has a malformed UIDL: skipped",
			    sp->name, info->msg_index);
			continue;
		}
		if (g_hash_table_contains(before, info->msg_uidl)) {
			g_hash_table_add(sp->done, g_strdup(info->msg_uidl));
			if (sp->delete && (r = mailpop3_dele(sp->pop,
			    info->msg_index)) != MAILPOP3_NO_ERROR) {
				g_hash_table_destroy(before);
				return source_pop3_fail(sp, "DELE", r, cause);
			}
			continue;
		}
		if ((uint64_t)info->msg_size > sp->n->conf->max_message) {
			sz = size_about(info->msg_size);
			lim = size_about(sp->n->conf->max_message);
			log_warn("%s: message %u (UIDL %s) is %s, over "
			    "[limits] message_size %s: left on the server, not "
			    "fetched", sp->name, info->msg_index,
			    info->msg_uidl, sz, lim);
			g_free(sz);
			g_free(lim);
			continue;
		}
		m.idx = info->msg_index;
		m.size = info->msg_size;
		m.uidl = info->msg_uidl;
		g_array_append_val(sp->msgs, m);
	}
	g_hash_table_destroy(before);
	sp->listed = 1;
	return 0;
}

static void	source_pop3_close(void *);

/* Opens the mailbox and lists what to fetch; tls: TLS at once, else
 * STLS. */
static void *
source_pop3_open_tls(struct nintei *n, const char *scheme, const char *rest,
    int tls, char **cause)
{
	struct source_pop3	*sp;
	const char		*after = n->conf->source_after;

	sp = g_new0(struct source_pop3, 1);
	sp->n = n;
	sp->msgs = g_array_new(FALSE, FALSE, sizeof(struct source_pop3_msg));
	sp->done = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
	    NULL);
	if ((sp->url = net_url_parse(scheme, rest, tls ? 995 : 110,
	    cause)) == NULL)
		goto fail;
	if (sp->url->path != NULL) {
		*cause = g_strdup_printf("%s URL: POP3 has no folders",
		    scheme);
		goto fail;
	}
	if (after != NULL && strcmp(after, "delete") == 0)
		sp->delete = 1;
	else if (after != NULL && strcmp(after, "keep") != 0) {
		*cause = g_strdup_printf("[source] after: \"%s\": for POP3 it "
		    "is keep (the default) or delete", after);
		goto fail;
	}
	sp->name = net_url_name(sp->url);
	sp->statefile = g_build_filename(n->conf->store, "pop3.state", NULL);
	if (source_pop3_login(sp, tls, cause) != 0 ||
	    source_pop3_list(sp, cause) != 0)
		goto fail;
	return sp;

fail:
	sp->listed = 0;		/* nothing handled: keep the state file */
	source_pop3_close(sp);
	return NULL;
}

static void *
source_pop3_open(struct nintei *n, const char *rest, char **cause)
{
	return source_pop3_open_tls(n, "pop3", rest, 0, cause);
}

static void *
source_pop3s_open(struct nintei *n, const char *rest, char **cause)
{
	return source_pop3_open_tls(n, "pop3s", rest, 1, cause);
}

/* Removes the file of the message processed last. */
static void
source_pop3_unlink(struct source_pop3 *sp)
{
	if (sp->tmp != NULL) {
		unlink(sp->tmp);
		g_free(sp->tmp);
		sp->tmp = NULL;
	}
}

static int
source_pop3_next(void *data, struct source_msg *m, char **cause)
{
	struct source_pop3	*sp = data;
	struct source_pop3_msg	*msg;
	char			*bytes;
	size_t			 len;
	int			 r;

	source_pop3_unlink(sp);
	while (sp->next < sp->msgs->len) {
		msg = &g_array_index(sp->msgs, struct source_pop3_msg,
		    sp->next++);
		bytes = NULL;
		len = 0;
		if ((r = mailpop3_retr(sp->pop, msg->idx, &bytes, &len)) !=
		    MAILPOP3_NO_ERROR)
			return source_pop3_fail(sp, "RETR", r, cause);
		if ((uint64_t)len > sp->n->conf->max_message) {
			mailpop3_retr_free(bytes);
			log_warn("%s: message %u (UIDL %s) came larger than "
			    "the server said (%zu bytes): left on the server",
			    sp->name, msg->idx, msg->uidl, len);
			continue;
		}
		sp->tmp = net_save(sp->n, bytes, len, cause);
		mailpop3_retr_free(bytes);
		if (sp->tmp == NULL)
			return -1;
		m->path = g_strdup(sp->tmp);
		m->origin = g_strdup_printf("%s;UIDL=%s", sp->name, msg->uidl);
		m->data = msg;
		return 1;
	}
	return 0;
}

/* The outcome is committed: remember the UIDL, and with after = delete
 * delete the message (the server applies it at QUIT). */
static int
source_pop3_done(void *data, struct source_msg *m, char **cause)
{
	struct source_pop3	*sp = data;
	struct source_pop3_msg	*msg = m->data;
	int			 r;

	g_hash_table_add(sp->done, g_strdup(msg->uidl));
	if (sp->delete && (r = mailpop3_dele(sp->pop, msg->idx)) !=
	    MAILPOP3_NO_ERROR)
		return source_pop3_fail(sp, "DELE", r, cause);
	return 0;
}

static gint
source_pop3_cmp(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Saves the UIDLs committed (before QUIT, so that a lost QUIT only means
 * the deletions are made again next time). */
static void
source_pop3_save_state(struct source_pop3 *sp)
{
	GString		*body = g_string_new(NULL);
	GPtrArray	*keys = g_ptr_array_new();
	GHashTableIter	 it;
	gpointer	 k;
	char		*cause = NULL;
	guint		 i;

	g_hash_table_iter_init(&it, sp->done);
	while (g_hash_table_iter_next(&it, &k, NULL))
		g_ptr_array_add(keys, k);
	g_ptr_array_sort(keys, source_pop3_cmp);
	for (i = 0; i < keys->len; i++)
		g_string_append_printf(body, "uidl %s\n",
		    (char *)g_ptr_array_index(keys, i));
	if (net_state_write(sp->statefile, sp->name, body, &cause) != 0) {
		log_warn("%s: %s", sp->name, cause);
		g_free(cause);
	}
	g_ptr_array_free(keys, TRUE);
	g_string_free(body, TRUE);
}

static void
source_pop3_close(void *data)
{
	struct source_pop3	*sp = data;

	if (sp == NULL)
		return;
	source_pop3_unlink(sp);
	if (sp->listed)
		source_pop3_save_state(sp);
	if (sp->pop != NULL) {
		if (sp->pop->pop3_stream != NULL &&
		    mailpop3_quit(sp->pop) != MAILPOP3_NO_ERROR && sp->delete)
			log_warn("%s: QUIT failed: the deletions are made "
			    "again next time", sp->name);
		mailpop3_free(sp->pop);
	}
	net_url_free(sp->url);
	g_free(sp->name);
	g_free(sp->statefile);
	g_hash_table_destroy(sp->done);
	g_array_free(sp->msgs, TRUE);
	g_free(sp);
}

const struct source source_pop3 = {
	.scheme = "pop3",
	.open = source_pop3_open,
	.next = source_pop3_next,
	.done = source_pop3_done,
	.close = source_pop3_close,
};

const struct source source_pop3s = {
	.scheme = "pop3s",
	.open = source_pop3s_open,
	.next = source_pop3_next,
	.done = source_pop3_done,
	.close = source_pop3_close,
};
