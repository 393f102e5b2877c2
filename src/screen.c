/* screen.c: who gets no letter: automatic mail (RFC 3834 markers, list
 * and bulk mail, delivery reports, robot senders) and our own mail coming
 * back (SPEC §4).  Returns the reason, in the staff's language. */

#include <string.h>

#include "conf.h"
#include "intake.h"
#include "mail.h"
#include "nintei.h"

/* Local parts of robot senders. */
static const char *screen_robots[] = {
	"mailer-daemon", "postmaster", "noreply", "no-reply", "no_reply",
	"donotreply", "do-not-reply", "do_not_reply", "bounce", "bounces",
	"auto-reply", "autoreply", NULL
};

/* Is an Auto-Submitted value "no" (perhaps with a comment)? */
static int
screen_is_no(const char *v)
{
	size_t	n = strcspn(v, " \t;(");

	return n == 2 && g_ascii_strncasecmp(v, "no", 2) == 0;
}

/* Does the sender's local part look like a robot's? */
static int
screen_robot(const char *from)
{
	char	*local, *low;
	size_t	 i;
	int	 yes = 0;

	local = g_strndup(from, strcspn(from, "@"));
	low = g_ascii_strdown(local, -1);
	g_free(local);
	for (i = 0; screen_robots[i] != NULL && !yes; i++)
		yes = strcmp(low, screen_robots[i]) == 0;
	if (!yes)
		yes = g_str_has_prefix(low, "owner-") ||
		    g_str_has_suffix(low, "-request") ||
		    g_str_has_suffix(low, "-owner") ||
		    g_str_has_prefix(low, "bounce-") ||
		    g_str_has_prefix(low, "bounces+") ||
		    g_str_has_prefix(low, "noreply") ||
		    g_str_has_prefix(low, "no-reply");
	g_free(low);
	return yes;
}

/*
 * Returns why this message is automatic (no letter may answer it), or
 * NULL if a person sent it.
 */
char *
screen_automatic(const struct conf *c, const struct mail *m)
{
	guint		 i;

	if (m->auto_submitted != NULL && !screen_is_no(m->auto_submitted))
		return g_strdup_printf("自動送信メール（Auto-Submitted: %s）",
		    m->auto_submitted);
	if (m->precedence != NULL &&
	    (g_ascii_strcasecmp(m->precedence, "bulk") == 0 ||
	    g_ascii_strcasecmp(m->precedence, "junk") == 0 ||
	    g_ascii_strcasecmp(m->precedence, "list") == 0))
		return g_strdup_printf("一括配信メール（Precedence: %s）",
		    m->precedence);
	if (m->list_header != NULL)
		return g_strdup_printf("メーリングリストのメール（%s）",
		    m->list_header);
	if (m->report_type != NULL || m->has_dsn ||
	    (m->content_type != NULL &&
	    strcmp(m->content_type, "multipart/report") == 0))
		return g_strdup_printf("配信状況などの通知（multipart/report%s%s）",
		    m->report_type != NULL ? "; " : "",
		    m->report_type != NULL ? m->report_type : "");
	if (m->return_path != NULL && *m->return_path == '\0')
		return g_strdup("差出人が空のメール（Return-Path: <>）");
	for (i = 0; m->x_loop != NULL && i < m->x_loop->len; i++) {
		if (g_ascii_strcasecmp(g_ptr_array_index(m->x_loop, i),
		    c->address) == 0)
			return g_strdup("当方の X-Loop を持つメール"
			    "（ループ防止）");
	}
	if (*m->from != '\0' && g_ascii_strcasecmp(m->from, c->address) == 0)
		return g_strdup("当方のアドレスから届いたメール");
	if (*m->from != '\0' && screen_robot(m->from))
		return g_strdup_printf("自動送信の差出人（%s）", m->from);
	return NULL;
}
