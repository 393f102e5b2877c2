/* net.c: what the network sources and the SMTP transport share: their
 * URLs (never with a password), the credentials file, connections whose
 * every step is bounded by [limits] network_timeout, and the small state
 * files the sources keep in the store folder. */

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include "conf.h"
#include "net.h"
#include "spool.h"

/* Is every byte of s printable ASCII without blanks (or, with blanks,
 * printable ASCII and blanks)? */
static int
net_printable(const char *s, int blanks)
{
	for (; *s != '\0'; s++) {
		if ((unsigned char)*s < 0x20 || (unsigned char)*s >= 0x7f)
			return 0;
		if (*s == ' ' && !blanks)
			return 0;
	}
	return 1;
}

/* Percent-decodes s; NULL if it holds a bad escape or a control byte. */
static char *
net_decode(const char *s, size_t len)
{
	char	*part = g_strndup(s, len), *out;

	out = g_uri_unescape_string(part, NULL);
	g_free(part);
	if (out != NULL && !net_printable(out, 1)) {
		g_free(out);
		out = NULL;
	}
	return out;
}

/*
 * Parses what follows "scheme:" in a configured URL: //[user@]host[:port]
 * [/path].  A password in the URL is refused: it belongs in the
 * credentials file.  The user and path are percent-decoded.
 */
struct net_url *
net_url_parse(const char *scheme, const char *rest, uint16_t defport,
    char **cause)
{
	struct net_url	*u;
	const char	*auth, *end, *at, *hp, *colon, *close;
	char		*e;
	unsigned long	 port;

	if (strncmp(rest, "//", 2) != 0) {
		*cause = g_strdup_printf("%s URL: expected %s://host", scheme,
		    scheme);
		return NULL;
	}
	u = g_new0(struct net_url, 1);
	u->scheme = g_strdup(scheme);
	u->port = defport;
	auth = rest + 2;
	end = auth + strcspn(auth, "/?#");
	if (*end == '?' || *end == '#') {
		*cause = g_strdup_printf("%s URL: no query or fragment, please",
		    scheme);
		goto fail;
	}
	at = NULL;
	for (hp = auth; hp < end; hp++) {
		if (*hp == '@')
			at = hp;
	}
	hp = auth;
	if (at != NULL) {
		if (memchr(auth, ':', at - auth) != NULL) {
			*cause = g_strdup_printf("%s URL: a password may not "
			    "be written in the URL; put it in the credentials "
			    "file", scheme);
			goto fail;
		}
		u->user = net_decode(auth, at - auth);
		if (u->user == NULL || *u->user == '\0') {
			*cause = g_strdup_printf("%s URL: bad user name",
			    scheme);
			goto fail;
		}
		hp = at + 1;
	}
	if (*hp == '[') {
		if ((close = memchr(hp, ']', end - hp)) == NULL) {
			*cause = g_strdup_printf("%s URL: unclosed [", scheme);
			goto fail;
		}
		u->host = g_strndup(hp + 1, close - hp - 1);
		colon = close + 1 < end && close[1] == ':' ? close + 1 : NULL;
		if (close + 1 < end && colon == NULL) {
			*cause = g_strdup_printf("%s URL: bad host", scheme);
			goto fail;
		}
	} else {
		colon = memchr(hp, ':', end - hp);
		u->host = g_strndup(hp, (colon != NULL ? colon : end) - hp);
	}
	if (*u->host == '\0' || !net_printable(u->host, 0) ||
	    strpbrk(u->host, "@[]/\\%") != NULL) {
		*cause = g_strdup_printf("%s URL: bad or missing host name",
		    scheme);
		goto fail;
	}
	if (colon != NULL) {
		errno = 0;
		port = strtoul(colon + 1, &e, 10);
		if (e != end || e == colon + 1 || port == 0 || port > 65535 ||
		    errno != 0) {
			*cause = g_strdup_printf("%s URL: bad port", scheme);
			goto fail;
		}
		u->port = (uint16_t)port;
	}
	if (*end == '/' && end[1] != '\0') {
		u->path = net_decode(end + 1, strlen(end + 1));
		if (u->path == NULL) {
			*cause = g_strdup_printf("%s URL: bad path", scheme);
			goto fail;
		}
	}
	return u;

fail:
	net_url_free(u);
	return NULL;
}

void
net_url_free(struct net_url *u)
{
	if (u == NULL)
		return;
	g_free(u->scheme);
	g_free(u->user);
	g_free(u->host);
	g_free(u->path);
	g_free(u);
}

/* The URL as people read it in logs and in the record: no password ever
 * (there is none to show). */
char *
net_url_name(const struct net_url *u)
{
	const char	*lb = "", *rb = "";

	if (strchr(u->host, ':') != NULL) {
		lb = "[";
		rb = "]";
	}
	return g_strdup_printf("%s://%s%s%s%s%s:%u%s%s", u->scheme,
	    u->user != NULL ? u->user : "", u->user != NULL ? "@" : "", lb,
	    u->host, rb, u->port, u->path != NULL ? "/" : "",
	    u->path != NULL ? u->path : "");
}

/* Names the user the credentials file gave in a URL that had none, so
 * that logs and state files tell mailboxes apart. */
void
net_url_user(struct net_url *u, const char *user, char **name)
{
	if (u->user != NULL || user == NULL)
		return;
	u->user = g_strdup(user);
	g_free(*name);
	*name = net_url_name(u);
}

/* Reads the one line "user password" of a credentials file that only its
 * owner may read.  The buffer is wiped before it is freed. */
static int
net_cred_file(const char *file, struct net_cred *c, char **cause)
{
	struct stat	 sb;
	char		 buf[4096], *line, *next, *sp;
	ssize_t		 n;
	size_t		 len = 0;
	int		 fd, r = -1;

	if ((fd = open(file, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0) {
		*cause = g_strdup_printf("credentials %s: %s", file,
		    g_strerror(errno));
		return -1;
	}
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		*cause = g_strdup_printf("credentials %s: not a file", file);
		goto out;
	}
	if ((sb.st_mode & 077) != 0) {
		*cause = g_strdup_printf("credentials %s: its group or others "
		    "may use it (mode %04o); refusing it: chmod 600 %s", file,
		    (unsigned int)(sb.st_mode & 07777), file);
		goto out;
	}
	while (len < sizeof buf - 1) {
		n = read(fd, buf + len, sizeof buf - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	buf[len] = '\0';
	for (line = buf; line != NULL; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		line[strcspn(line, "\r")] = '\0';
		line += strspn(line, " \t");
		if (*line == '\0' || *line == '#')
			continue;
		if ((sp = strpbrk(line, " \t")) == NULL || sp[1] == '\0') {
			*cause = g_strdup_printf("credentials %s: expected "
			    "one line \"user password\"", file);
			goto out;
		}
		c->user = g_strndup(line, sp - line);
		c->password = g_strdup(sp + 1);
		r = 0;
		break;
	}
	if (r != 0 && *cause == NULL)
		*cause = g_strdup_printf("credentials %s: no \"user password\" "
		    "line", file);
out:
	explicit_bzero(buf, sizeof buf);
	close(fd);
	return r;
}

/*
 * The credentials for a server: the file if one is configured, else the
 * user of the URL and the password in the environment variable env.  A
 * user in both the URL and the file must agree.  Returns -1 with *cause
 * (which never holds the password).
 */
int
net_cred_load(const char *file, const char *env, const char *url_user,
    struct net_cred *c, char **cause)
{
	const char	*pw;

	memset(c, 0, sizeof *c);
	if (file != NULL) {
		if (net_cred_file(file, c, cause) != 0)
			return -1;
		if (url_user != NULL && strcmp(url_user, c->user) != 0) {
			*cause = g_strdup_printf("credentials %s: the user "
			    "\"%s\" differs from the URL's \"%s\"", file,
			    c->user, url_user);
			net_cred_clear(c);
			return -1;
		}
	} else {
		c->user = g_strdup(url_user);
		if ((pw = getenv(env)) != NULL && *pw != '\0')
			c->password = g_strdup(pw);
	}
	if ((c->user != NULL && !net_printable(c->user, 1)) ||
	    (c->password != NULL && !net_printable(c->password, 1))) {
		*cause = g_strdup("credentials: control characters in the "
		    "user or password");
		net_cred_clear(c);
		return -1;
	}
	return 0;
}

void
net_cred_clear(struct net_cred *c)
{
	if (c->password != NULL) {
		explicit_bzero(c->password, strlen(c->password));
		g_free(c->password);
	}
	g_free(c->user);
	c->user = NULL;
	c->password = NULL;
}

/* Milliseconds left until the deadline (monotonic), at least 0. */
static int
net_left(gint64 deadline)
{
	gint64	left = (deadline - g_get_monotonic_time()) / 1000;

	return left < 0 ? 0 : (int)left;
}

/* Resolves host within the timeout: getaddrinfo alone may wait for
 * minutes on a dead resolver. */
static struct addrinfo *
net_resolve(const char *host, uint16_t port, gint64 deadline, char **cause)
{
	struct gaicb		*req;
	struct addrinfo		*hints, *res;
	struct timespec		 ts;
	const struct gaicb	*list[1];
	int			 r, ms, cancel;

	/* Heap-allocated: a lookup that cannot be cancelled still writes
	 * to them, so they are left behind then. */
	req = g_new0(struct gaicb, 1);
	hints = g_new0(struct addrinfo, 1);
	hints->ai_family = AF_UNSPEC;
	hints->ai_socktype = SOCK_STREAM;
	hints->ai_protocol = IPPROTO_TCP;
	req->ar_name = g_strdup(host);
	req->ar_service = g_strdup_printf("%u", port);
	req->ar_request = hints;
	list[0] = req;
	if ((r = getaddrinfo_a(GAI_NOWAIT, (struct gaicb **)list, 1,
	    NULL)) != 0) {
		*cause = g_strdup_printf("%s: %s", host, gai_strerror(r));
		goto free;
	}
	while ((r = gai_error(req)) == EAI_INPROGRESS) {
		if ((ms = net_left(deadline)) == 0)
			break;
		ts.tv_sec = ms / 1000;
		ts.tv_nsec = (long)(ms % 1000) * 1000000;
		gai_suspend(list, 1, &ts);
	}
	if (r == EAI_INPROGRESS) {
		if ((cancel = gai_cancel(req)) == EAI_ALLDONE)
			r = gai_error(req);
		else {
			*cause = g_strdup_printf("%s: name lookup timed out",
			    host);
			if (cancel != EAI_CANCELED)
				return NULL;	/* still in use: leave it */
			goto free;
		}
	}
	if (r != 0) {
		*cause = g_strdup_printf("%s: %s", host, gai_strerror(r));
		goto free;
	}
	res = req->ar_result;
	g_free((char *)req->ar_name);
	g_free((char *)req->ar_service);
	g_free(hints);
	g_free(req);
	return res;

free:
	g_free((char *)req->ar_name);
	g_free((char *)req->ar_service);
	g_free(hints);
	g_free(req);
	return NULL;
}

/* Connects one address within the deadline; returns a blocking socket. */
static int
net_connect_one(const struct addrinfo *ai, gint64 deadline)
{
	struct pollfd	 pfd;
	socklen_t	 len = sizeof(int);
	int		 fd, r, err = 0, flags;

	fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC |
	    SOCK_NONBLOCK, ai->ai_protocol);
	if (fd < 0)
		return -1;
	if (connect(fd, ai->ai_addr, ai->ai_addrlen) != 0) {
		if (errno != EINPROGRESS)
			goto fail;
		pfd.fd = fd;
		pfd.events = POLLOUT;
		do
			r = poll(&pfd, 1, net_left(deadline));
		while (r < 0 && errno == EINTR);
		if (r == 0)
			errno = ETIMEDOUT;
		if (r <= 0)
			goto fail;
		if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0)
			goto fail;
		if (err != 0) {
			errno = err;
			goto fail;
		}
	}
	/* libetpan's TLS handshake wants a blocking socket. */
	if ((flags = fcntl(fd, F_GETFL)) < 0 ||
	    fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) < 0)
		goto fail;
	return fd;

fail:
	err = errno;
	close(fd);
	errno = err;
	return -1;
}

/*
 * Opens a TCP connection to host:port, the name lookup and the connect
 * each bounded by [limits] network_timeout, which also becomes libetpan's
 * default for every later read, write and TLS handshake.  Returns the
 * socket, or -1 with *cause.
 */
int
net_connect(const struct conf *c, const char *host, uint16_t port,
    char **cause)
{
	struct addrinfo	*res, *ai;
	gint64		 deadline;
	int		 fd = -1, err = ECONNREFUSED;

	mailstream_network_delay.tv_sec = (time_t)c->net_timeout;
	mailstream_network_delay.tv_usec = 0;
	deadline = g_get_monotonic_time() + c->net_timeout * G_USEC_PER_SEC;
	if ((res = net_resolve(host, port, deadline, cause)) == NULL)
		return -1;
	for (ai = res; ai != NULL && fd < 0; ai = ai->ai_next) {
		deadline = g_get_monotonic_time() + c->net_timeout *
		    G_USEC_PER_SEC;
		if ((fd = net_connect_one(ai, deadline)) < 0)
			err = errno;
	}
	freeaddrinfo(res);
	if (fd < 0)
		*cause = g_strdup_printf("%s port %u: %s", host, port,
		    g_strerror(err));
	return fd;
}

/*
 * Wraps a connected socket into a libetpan stream: TLS at once (with SNI)
 * when tls is set, else plain until the protocol's STARTTLS.  The socket
 * is closed on failure.  The certificate is not checked here: tls_check
 * does that before anything is sent.
 */
mailstream *
net_stream(const struct conf *c, int fd, const char *host, int tls,
    char **cause)
{
	mailstream	*s;

	if (tls)
		s = mailstream_ssl_open_with_callback_timeout(fd,
		    (time_t)c->net_timeout, tls_sni, (void *)host);
	else
		s = mailstream_socket_open_timeout(fd, (time_t)c->net_timeout);
	if (s == NULL) {
		close(fd);
		*cause = g_strdup_printf("%s: %s failed", host, tls ?
		    "TLS handshake" : "opening the connection");
	}
	return s;
}

/* Writes len bytes of a fetched message to a new file under the spool's
 * tmp/ folder (which the run lock cleans after a crash). */
char *
net_save(struct nintei *n, const char *bytes, size_t len,
    char **cause)
{
	char	*path;
	ssize_t	 w;
	int	 fd;

	path = g_build_filename(n->conf->store, "tmp", "fetch.XXXXXX", NULL);
	if ((fd = g_mkstemp_full(path, O_RDWR | O_CLOEXEC, 0600)) < 0) {
		*cause = g_strdup_printf("%s: %s", path, g_strerror(errno));
		g_free(path);
		return NULL;
	}
	while (len > 0) {
		if ((w = write(fd, bytes, len)) < 0) {
			if (errno == EINTR)
				continue;
			*cause = g_strdup_printf("%s: %s", path,
			    g_strerror(errno));
			close(fd);
			unlink(path);
			g_free(path);
			return NULL;
		}
		bytes += w;
		len -= (size_t)w;
	}
	close(fd);
	return path;
}

/*
 * Reads a source's state file: a first line "key NAME" naming the mailbox
 * it belongs to, then lines of the source's own.  *lines gets those lines
 * (an empty list when the file is missing or belongs to another mailbox).
 * Returns -1 only when the file exists and cannot be read.
 */
int
net_state_read(const char *path, const char *key, char ***lines)
{
	GError	*error = NULL;
	char	*text, **all, *first;
	guint	 n;

	*lines = g_new0(char *, 1);
	if (!g_file_get_contents(path, &text, NULL, &error)) {
		if (g_error_matches(error, G_FILE_ERROR, G_FILE_ERROR_NOENT)) {
			g_error_free(error);
			return 0;
		}
		log_warn("%s: %s", path, error->message);
		g_error_free(error);
		return -1;
	}
	all = g_strsplit(text, "\n", -1);
	g_free(text);
	first = g_strdup_printf("key %s", key);
	if (all[0] == NULL || strcmp(all[0], first) != 0) {
		log_info("%s: kept for another mailbox; starting afresh for %s",
		    path, key);
		g_strfreev(all);
		g_free(first);
		return 0;
	}
	g_free(first);
	g_free(*lines);
	n = g_strv_length(all);
	*lines = g_new0(char *, n);
	memcpy(*lines, all + 1, (n - 1) * sizeof(char *));
	g_free(all[0]);
	g_free(all);
	return 0;
}

/* Writes a state file atomically: the key line, then body. */
int
net_state_write(const char *path, const char *key, GString *body,
    char **cause)
{
	char	*text;
	int	 r;

	text = g_strdup_printf("key %s\n%s", key, body->str);
	r = spool_write_atomic(path, text, strlen(text), cause);
	g_free(text);
	return r;
}
