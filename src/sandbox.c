/* sandbox.c: work on untrusted bytes in a child process, one per message,
 * forked by a parsing zygote started before anything else is opened:
 * resource limits (CPU seconds, address space, open files, no file
 * writes), a seccomp filter built once and loaded in each child with one
 * system call, a wall-clock timeout enforced through a pidfd; the child
 * hands its result back through a pipe.  The parent alone owns the store
 * and the spool; the zygote never sees a message. */

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/mman.h>
#include <sys/pidfd.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include <seccomp.h>

#include "intake.h"
#include "nintei.h"

#if defined(__SANITIZE_ADDRESS__)
#define SANDBOX_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SANDBOX_ASAN 1
#endif
#endif

/* Charset names a zygote loads converters for, at most, when the parent
 * names them: a bound on what one mail listing names can make it try. */
#define SANDBOX_LOAD_MAX	64

/* What crosses the zygote's socket, each way. */
enum {
	SANDBOX_REQ = 1,	/* parent: parse; fds message and result */
	SANDBOX_SETUP,		/* parent, first: limits and setup's bytes */
	SANDBOX_READY,		/* zygote: set up, takes requests */
	SANDBOX_STARTED,	/* zygote: child pid; fd its pidfd */
	SANDBOX_NOFORK,		/* zygote: no child (status: errno) */
	SANDBOX_EXITED		/* zygote: child reaped (status: wait's) */
};

struct sandbox_hdr {
	uint32_t	kind;
	uint32_t	id;
	int32_t		pid;
	int32_t		status;
};

#define SANDBOX_ARGS_MAX	(64 * 1024)
/* The version of what crosses the socket: nintei and nintei-parse must
 * come from the same build. */
#define SANDBOX_PROTO		0x6e740002

/* The parent's side: the zygote and what it reported early. */
static struct {
	pid_t			 pid;		/* the zygote, 0 if none */
	int			 ctl;		/* its socket */
	int			 dead;		/* it is gone */
	uint32_t		 next;		/* the next job's id */
	struct sandbox_limits	 lim;
	GArray			*exits;		/* struct sandbox_hdr */
} sandbox = { 0, -1, 0, 1, { 0, 0, 0, 0, 0 }, NULL };

struct sandbox_job {
	uint32_t	 id;
	pid_t		 pid;
	int		 pidfd;
	int		 result;	/* read end of the result pipe */
};

/* Loads what the child cannot load itself: the time zone, the locale's
 * charset.  Once, in the zygote (the converters: the setup and load
 * functions of sandbox_zygote_main). */
static void
sandbox_prepare(void)
{
	GTimeZone	*tz;

	tzset();
	(void)g_get_charset(NULL);
	tz = g_time_zone_new_local();
	g_time_zone_unref(tz);
}

/* Sets a resource limit: soft v, hard v plus slack (for the CPU limit,
 * SIGXCPU comes at the soft limit, SIGKILL at the hard one). */
static void
sandbox_rlimit(int what, rlim_t v, rlim_t slack)
{
	struct rlimit	rl = { v, v + slack };

	setrlimit(what, &rl);
}

/* What parsing needs, for the child's filter and the zygote's. */
static const int sandbox_allow[] = {
	SCMP_SYS(read), SCMP_SYS(write), SCMP_SYS(readv),
	SCMP_SYS(writev), SCMP_SYS(pread64), SCMP_SYS(close),
	SCMP_SYS(fstat), SCMP_SYS(newfstatat), SCMP_SYS(lseek),
	SCMP_SYS(mmap), SCMP_SYS(munmap), SCMP_SYS(mremap),
	SCMP_SYS(mprotect), SCMP_SYS(brk), SCMP_SYS(madvise),
	SCMP_SYS(exit), SCMP_SYS(exit_group), SCMP_SYS(rt_sigreturn),
	SCMP_SYS(rt_sigprocmask), SCMP_SYS(rt_sigaction),
	SCMP_SYS(sigaltstack), SCMP_SYS(futex), SCMP_SYS(gettid),
	SCMP_SYS(getpid), SCMP_SYS(clock_gettime), SCMP_SYS(gettimeofday),
	SCMP_SYS(getrandom), SCMP_SYS(sched_yield), SCMP_SYS(getrusage),
	SCMP_SYS(prlimit64), SCMP_SYS(set_robust_list),
	SCMP_SYS(rseq), SCMP_SYS(sched_getaffinity),
};

/* What the zygote needs besides: fork, its socket, wait, its filter. */
static const int sandbox_zygote_allow[] = {
	SCMP_SYS(clone), SCMP_SYS(clone3), SCMP_SYS(fork),
	SCMP_SYS(wait4), SCMP_SYS(waitid), SCMP_SYS(pidfd_open),
	SCMP_SYS(pidfd_send_signal), SCMP_SYS(sendmsg), SCMP_SYS(recvmsg),
	SCMP_SYS(poll), SCMP_SYS(ppoll), SCMP_SYS(prctl), SCMP_SYS(seccomp),
	SCMP_SYS(setrlimit), SCMP_SYS(close_range), SCMP_SYS(dup2),
	SCMP_SYS(dup3), SCMP_SYS(fcntl), SCMP_SYS(getppid),
	SCMP_SYS(set_tid_address),
};

/* Kills the process: programs, processes (the child), connections,
 * signals to others, removing files. */
static const int sandbox_kill[] = {
	SCMP_SYS(execve), SCMP_SYS(execveat), SCMP_SYS(fork),
	SCMP_SYS(vfork), SCMP_SYS(clone), SCMP_SYS(clone3),
	SCMP_SYS(socket), SCMP_SYS(connect), SCMP_SYS(bind),
	SCMP_SYS(ptrace), SCMP_SYS(kill), SCMP_SYS(tkill),
	SCMP_SYS(tgkill), SCMP_SYS(unlink), SCMP_SYS(unlinkat),
	SCMP_SYS(rename), SCMP_SYS(renameat), SCMP_SYS(renameat2),
};

/*
 * A seccomp filter: the child's (zygote 0) or the zygote's.  Opening
 * files fails with EACCES in the child (a charset not loaded in the
 * zygote is treated as unknown); the zygote may open files to read (the
 * converters of charsets the parent names), not write them; what
 * sandbox_kill lists kills, unless the zygote needs it.
 */
static scmp_filter_ctx
sandbox_filter(int zygote)
{
	scmp_filter_ctx	 ctx;
	size_t		 i, j;
	int		 r = 0, skip;

	if ((ctx = seccomp_init(SCMP_ACT_ERRNO(EPERM))) == NULL)
		return NULL;
	for (i = 0; i < G_N_ELEMENTS(sandbox_allow) && r == 0; i++)
		r = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, sandbox_allow[i], 0);
	for (i = 0; zygote && i < G_N_ELEMENTS(sandbox_zygote_allow) &&
	    r == 0; i++)
		r = seccomp_rule_add(ctx, SCMP_ACT_ALLOW,
		    sandbox_zygote_allow[i], 0);
	for (i = 0; i < G_N_ELEMENTS(sandbox_kill) && r == 0; i++) {
		skip = 0;
		for (j = 0; zygote && j < G_N_ELEMENTS(sandbox_zygote_allow);
		    j++)
			skip |= sandbox_zygote_allow[j] == sandbox_kill[i];
		if (!skip)
			r = seccomp_rule_add(ctx, SCMP_ACT_KILL_PROCESS,
			    sandbox_kill[i], 0);
	}
	if (r == 0 && zygote)	/* read only: converters named later */
		r = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(openat), 1,
		    SCMP_A2(SCMP_CMP_MASKED_EQ, O_ACCMODE | O_CREAT | O_TRUNC,
		    O_RDONLY));
	else if (r == 0)
		r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EACCES),
		    SCMP_SYS(openat), 0);
	if (r == 0 && !zygote)
		r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EACCES),
		    SCMP_SYS(open), 0);
	if (r != 0) {
		seccomp_release(ctx);
		return NULL;
	}
	return ctx;
}

/* The child's filter compiled to BPF, once: its bytes, from a memfd. */
static int
sandbox_export(struct sock_fprog *prog)
{
	scmp_filter_ctx	 ctx;
	struct stat	 sb;
	void		*buf;
	int		 fd, r = -1;

	if ((ctx = sandbox_filter(0)) == NULL)
		return -1;
	if ((fd = memfd_create("nintei-bpf", MFD_CLOEXEC)) < 0) {
		seccomp_release(ctx);
		return -1;
	}
	if (seccomp_export_bpf(ctx, fd) == 0 && fstat(fd, &sb) == 0 &&
	    sb.st_size > 0 && sb.st_size % sizeof(struct sock_filter) == 0) {
		buf = g_malloc((gsize)sb.st_size);
		if (pread(fd, buf, (size_t)sb.st_size, 0) == sb.st_size) {
			prog->len = (unsigned short)(sb.st_size /
			    (off_t)sizeof(struct sock_filter));
			prog->filter = buf;
			r = 0;
		} else
			g_free(buf);
	}
	close(fd);
	seccomp_release(ctx);
	return r;
}

/* Writes all of buf to fd (the child's end of the pipe). */
static int
sandbox_write(int fd, const guint8 *buf, size_t len)
{
	ssize_t	n;

	while (len > 0) {
		if ((n = write(fd, buf, len)) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Closes every descriptor from 3 up but keep (sorted, up to two). */
static void
sandbox_close_others(int a, int b)
{
	int	lo = a < b ? a : b, hi = a < b ? b : a;

	if (lo > 3)
		close_range(3, (unsigned int)lo - 1, 0);
	if (hi > lo + 1)
		close_range((unsigned int)lo + 1, (unsigned int)hi - 1, 0);
	close_range((unsigned int)hi + 1, ~0U, 0);
}

/* The child: limits, filter, work, result down the pipe, exit. */
static void __attribute__((noreturn))
sandbox_child(const struct sandbox_limits *lim, const struct sock_fprog *prog,
    int msg, int res, const void *args, size_t len, sandbox_fn fn, void *ctx)
{
	GByteArray	*out = g_byte_array_new();
	int		 code = 0;

	sandbox_close_others(msg, res);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	sandbox_rlimit(RLIMIT_CPU, lim->cpu_seconds, 2);
#ifndef SANDBOX_ASAN
	/* ASan reserves terabytes of address space: no limit under it. */
	sandbox_rlimit(RLIMIT_AS, lim->memory, 0);
#endif
	sandbox_rlimit(RLIMIT_FSIZE, 0, 0);
	sandbox_rlimit(RLIMIT_CORE, 0, 0);
	sandbox_rlimit(RLIMIT_NOFILE, 64, 0);
	if (lim->seccomp && syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0,
	    prog) != 0)
		_exit(SANDBOX_EXIT_SETUP);
	if (fn(ctx, msg, args, len, out) != 0)
		code = SANDBOX_EXIT_FAILED;
	else if (sandbox_write(res, out->data, out->len) != 0)
		code = SANDBOX_EXIT_SETUP;
	g_byte_array_free(out, TRUE);
	_exit(code);
}

/* Sends a header (and a descriptor, if fd >= 0) on the socket. */
static int
sandbox_send(int s, const struct sandbox_hdr *h, const void *args,
    size_t len, const int *fds, int nfds)
{
	struct msghdr	 mh;
	struct iovec	 iov[2];
	union {
		char		buf[CMSG_SPACE(2 * sizeof(int))];
		struct cmsghdr	align;
	} u;
	struct cmsghdr	*cm;
	ssize_t		 n;

	memset(&mh, 0, sizeof mh);
	iov[0].iov_base = (void *)h;
	iov[0].iov_len = sizeof *h;
	iov[1].iov_base = (void *)args;
	iov[1].iov_len = len;
	mh.msg_iov = iov;
	mh.msg_iovlen = len > 0 ? 2 : 1;
	if (nfds > 0) {
		memset(&u, 0, sizeof u);
		mh.msg_control = u.buf;
		mh.msg_controllen = CMSG_SPACE((size_t)nfds * sizeof(int));
		cm = CMSG_FIRSTHDR(&mh);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN((size_t)nfds * sizeof(int));
		memcpy(CMSG_DATA(cm), fds, (size_t)nfds * sizeof(int));
	}
	while ((n = sendmsg(s, &mh, MSG_NOSIGNAL)) < 0 && errno == EINTR)
		;
	return n == (ssize_t)(sizeof *h + len) ? 0 : -1;
}

/*
 * Receives a header, up to max bytes after it into buf (*len) and up to
 * two descriptors (the others -1).  0 on success, -1 on error or end.
 */
static int
sandbox_recv(int s, struct sandbox_hdr *h, void *buf, size_t max,
    size_t *len, int fds[2])
{
	struct msghdr	 mh;
	struct iovec	 iov[2];
	union {
		char		buf[CMSG_SPACE(2 * sizeof(int))];
		struct cmsghdr	align;
	} u;
	struct cmsghdr	*cm;
	ssize_t		 n;
	size_t		 k;

	fds[0] = fds[1] = -1;
	memset(&mh, 0, sizeof mh);
	iov[0].iov_base = h;
	iov[0].iov_len = sizeof *h;
	iov[1].iov_base = buf;
	iov[1].iov_len = max;
	mh.msg_iov = iov;
	mh.msg_iovlen = max > 0 ? 2 : 1;
	mh.msg_control = u.buf;
	mh.msg_controllen = sizeof u.buf;
	while ((n = recvmsg(s, &mh, MSG_CMSG_CLOEXEC)) < 0 && errno == EINTR)
		;
	for (cm = CMSG_FIRSTHDR(&mh); n >= 0 && cm != NULL;
	    cm = CMSG_NXTHDR(&mh, cm)) {
		if (cm->cmsg_level != SOL_SOCKET ||
		    cm->cmsg_type != SCM_RIGHTS)
			continue;
		k = (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		memcpy(fds, CMSG_DATA(cm), (k > 2 ? 2 : k) * sizeof(int));
	}
	if (n < (ssize_t)sizeof *h || (mh.msg_flags & MSG_TRUNC)) {
		if (fds[0] >= 0)
			close(fds[0]);
		if (fds[1] >= 0)
			close(fds[1]);
		return -1;
	}
	if (len != NULL)
		*len = (size_t)n - sizeof *h;
	return 0;
}

/* A child of the zygote in flight. */
struct sandbox_kid {
	uint32_t	id;
	pid_t		pid;
	int		pidfd;
};

/* The zygote's working arrays, kept where valgrind sees them reachable
 * (from its children too, which inherit them); volatile, or the
 * compiler drops the stores that nothing reads. */
static GArray *volatile	 sandbox_zygote_kids;
static struct pollfd *volatile sandbox_zygote_pfd;
static char *volatile	 sandbox_zygote_args;
static void *volatile	 sandbox_zygote_ctx;
static GHashTable *volatile sandbox_zygote_tried;

/*
 * Loads the converters of the charsets a request names (NUL-terminated
 * names, names bytes) before its child is forked: each name once, up to
 * SANDBOX_LOAD_MAX; they stay loaded for the children after it.
 */
static void
sandbox_zygote_load(const char *names, size_t len, sandbox_load_fn load)
{
	GHashTable	*tried = sandbox_zygote_tried;
	const char	*p, *end;
	char		*low;

	for (p = names; p < names + len; p = end + 1) {
		if ((end = memchr(p, '\0', (size_t)(names + len - p))) ==
		    NULL)
			break;
		if (g_hash_table_size(tried) >= SANDBOX_LOAD_MAX)
			break;
		low = g_ascii_strdown(p, -1);
		if (g_hash_table_contains(tried, low)) {
			g_free(low);
			continue;
		}
		g_hash_table_add(tried, low);
		load(low);
	}
}

/*
 * The zygote: forks one child per request, tells the parent its pid and
 * pidfd, reaps it and tells its status.  Ends when the parent is gone.
 */
static void __attribute__((noreturn))
sandbox_zygote(int s, const struct sandbox_limits *lim, sandbox_fn fn,
    sandbox_load_fn load, void *ctx)
{
	struct sock_fprog	 prog = { 0, NULL };
	scmp_filter_ctx		 zf;
	GArray			*kids;
	struct sandbox_kid	 k, *kp;
	struct sandbox_hdr	 h;
	struct pollfd		*pfd;
	char			*args;
	size_t			 len;
	int			 fds[2], st, pidfd, nopidfd, wait_ms;
	guint			 i, nk;
	pid_t			 pid;

	sandbox_prepare();
	if (lim->seccomp) {
		if (sandbox_export(&prog) != 0)
			_exit(SANDBOX_EXIT_SETUP);
		if ((zf = sandbox_filter(1)) == NULL || seccomp_load(zf) != 0)
			_exit(SANDBOX_EXIT_SETUP);
		seccomp_release(zf);
	}
	memset(&h, 0, sizeof h);
	h.kind = SANDBOX_READY;
	if (sandbox_send(s, &h, NULL, 0, NULL, 0) != 0)
		_exit(0);
	kids = sandbox_zygote_kids = g_array_new(FALSE, FALSE,
	    sizeof(struct sandbox_kid));
	args = sandbox_zygote_args = g_malloc(SANDBOX_ARGS_MAX);
	pfd = sandbox_zygote_pfd = g_new(struct pollfd, 1);
	sandbox_zygote_tried = g_hash_table_new_full(g_str_hash, g_str_equal,
	    g_free, NULL);
	for (;;) {
		nk = kids->len;
		pfd = sandbox_zygote_pfd = g_renew(struct pollfd, pfd,
		    nk + 1);
		pfd[0].fd = s;
		pfd[0].events = POLLIN;
		wait_ms = -1;
		for (i = 0; i < nk; i++) {
			pfd[i + 1].fd = g_array_index(kids, struct sandbox_kid,
			    i).pidfd;	/* -1 (no pidfd): poll skips it */
			pfd[i + 1].events = POLLIN;
			pfd[i + 1].revents = 0;
			if (pfd[i + 1].fd < 0)
				wait_ms = 10;
		}
		if (poll(pfd, nk + 1, wait_ms) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		for (i = nk; i > 0; i--) {
			kp = &g_array_index(kids, struct sandbox_kid, i - 1);
			if (kp->pidfd < 0) {
				if (waitpid(kp->pid, &st, WNOHANG) <= 0)
					continue;
			} else if (pfd[i].revents == 0)
				continue;
			else
				while (waitpid(kp->pid, &st, 0) < 0 &&
				    errno == EINTR)
					;
			memset(&h, 0, sizeof h);
			h.kind = SANDBOX_EXITED;
			h.id = kp->id;
			h.pid = kp->pid;
			h.status = st;
			sandbox_send(s, &h, NULL, 0, NULL, 0);
			if (kp->pidfd >= 0)
				close(kp->pidfd);
			g_array_remove_index(kids, i - 1);
		}
		if (pfd[0].revents == 0)
			continue;
		if (sandbox_recv(s, &h, args, SANDBOX_ARGS_MAX, &len,
		    fds) != 0)
			break;	/* the parent is gone */
		if (h.kind != SANDBOX_REQ || fds[0] < 0 || fds[1] < 0 ||
		    h.status < 0 || (size_t)h.status > len) {
			if (fds[0] >= 0)
				close(fds[0]);
			if (fds[1] >= 0)
				close(fds[1]);
			continue;
		}
		sandbox_zygote_load(args, (size_t)h.status, load);
		if ((pid = fork()) == 0)
			sandbox_child(lim, &prog, fds[0], fds[1],
			    args + h.status, len - (size_t)h.status, fn, ctx);
		close(fds[0]);
		close(fds[1]);
		pidfd = pid > 0 ? pidfd_open(pid, 0) : -1;
		/* No pidfd (ENOSYS: valgrind 3.19, old kernels): the child
		 * is watched by waitpid(WNOHANG) and killed by pid. */
		nopidfd = pid > 0 && pidfd < 0 && errno == ENOSYS;
		k.id = h.id;
		memset(&h, 0, sizeof h);
		h.id = k.id;
		if (pid < 0 || (pidfd < 0 && !nopidfd)) {
			h.kind = SANDBOX_NOFORK;
			h.status = errno;
			if (pid > 0) {
				kill(pid, SIGKILL);
				waitpid(pid, &st, 0);
			}
		} else {
			h.kind = SANDBOX_STARTED;
			h.pid = pid;
		}
		sandbox_send(s, &h, NULL, 0, pidfd >= 0 ? &pidfd : NULL,
		    pidfd >= 0 ? 1 : 0);
		if (pidfd >= 0 || nopidfd) {
			k.pid = pid;
			k.pidfd = pidfd;
			g_array_append_val(kids, k);
		}
	}
	for (i = 0; i < kids->len; i++) {
		kp = &g_array_index(kids, struct sandbox_kid, i);
		if (kp->pidfd >= 0)
			pidfd_send_signal(kp->pidfd, SIGKILL, NULL, 0);
		else
			kill(kp->pid, SIGKILL);
		waitpid(kp->pid, &st, 0);
	}
	_exit(0);
}

/*
 * The main of the parsing program (nintei-parse), which nintei executes
 * at start with its socket as descriptor 3 and nothing else open: reads
 * the limits and setup's bytes nintei sends first, makes the child's
 * context with setup, then forks a child running fn for each message,
 * after load for each charset name the request gives that is new.
 */
int
sandbox_zygote_main(sandbox_setup_fn setup, sandbox_fn fn,
    sandbox_load_fn load)
{
	struct sandbox_limits	 lim;
	struct sandbox_hdr	 h;
	char			*buf;
	size_t			 len;
	void			*ctx;
	int			 fds[2], null;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() == 1)
		_exit(0);	/* nintei ended before the signal was set */
	signal(SIGPIPE, SIG_IGN);
	close_range(4, ~0U, 0);
	if ((null = open("/dev/null", O_RDWR | O_CLOEXEC)) >= 0) {
		dup2(null, STDIN_FILENO);
		dup2(null, STDOUT_FILENO);
		close(null);
	}
	buf = g_malloc(SANDBOX_ARGS_MAX);
	if (sandbox_recv(3, &h, buf, SANDBOX_ARGS_MAX, &len, fds) != 0 ||
	    h.kind != SANDBOX_SETUP || h.id != SANDBOX_PROTO ||
	    len < sizeof lim) {
		dprintf(STDERR_FILENO, "nintei-parse: to be started by nintei "
		    "of the same version, not by hand\n");
		g_free(buf);
		return EX_USAGE_;
	}
	memcpy(&lim, buf, sizeof lim);
	ctx = sandbox_zygote_ctx = setup(buf + sizeof lim, len - sizeof lim);
	if (ctx == NULL) {
		dprintf(STDERR_FILENO, "nintei-parse: bad settings\n");
		g_free(buf);
		return EX_USAGE_;
	}
	g_free(buf);
	sandbox_zygote(3, &lim, fn, load, ctx);
}

/* The parsing program: nintei-parse beside the running program. */
static char *
sandbox_program(void)
{
	char	*exe, *dir, *prog;

	if ((exe = g_file_read_link("/proc/self/exe", NULL)) == NULL)
		return g_strdup("nintei-parse");
	dir = g_path_get_dirname(exe);
	prog = g_build_filename(dir, "nintei-parse", NULL);
	g_free(dir);
	g_free(exe);
	return prog;
}

/*
 * Starts the zygote: the parsing program, executed with only its socket
 * open, sent the limits and setup's bytes (what the children need of the
 * configuration); to be called before the store, the rules or any
 * credentials are opened, and before any message is read.
 */
int
sandbox_start(const struct sandbox_limits *lim, GBytes *setup, char **cause)
{
	struct sandbox_hdr	 h;
	GByteArray		*b;
	char			*prog, *argv[2];
	int			 s[2], fds[2], r, st;
	pid_t			 pid;

	if (sandbox.pid > 0)
		return 0;
	prog = sandbox_program();
	if (access(prog, X_OK) != 0) {
		*cause = g_strdup_printf("the parsing program %s: %s", prog,
		    g_strerror(errno));
		g_free(prog);
		return -1;
	}
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, s) != 0) {
		*cause = g_strdup_printf("socketpair: %s", g_strerror(errno));
		g_free(prog);
		return -1;
	}
	if ((pid = fork()) < 0) {
		*cause = g_strdup_printf("fork: %s", g_strerror(errno));
		close(s[0]);
		close(s[1]);
		g_free(prog);
		return -1;
	}
	if (pid == 0) {
		/* Descriptor 3 the socket (without close-on-exec), every
		 * other one from 3 up closed. */
		if (s[1] == 3)
			r = fcntl(3, F_SETFD, 0);
		else
			r = dup2(s[1], 3);
		if (r < 0)
			_exit(SANDBOX_EXIT_SETUP);
		close_range(4, ~0U, 0);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		argv[0] = prog;
		argv[1] = NULL;
		execv(prog, argv);
		dprintf(STDERR_FILENO, "nintei: %s: %s\n", prog,
		    strerror(errno));
		_exit(SANDBOX_EXIT_SETUP);
	}
	close(s[1]);
	b = g_byte_array_new();
	g_byte_array_append(b, (const guint8 *)lim, sizeof *lim);
	g_byte_array_append(b, g_bytes_get_data(setup, NULL),
	    (guint)g_bytes_get_size(setup));
	memset(&h, 0, sizeof h);
	h.kind = SANDBOX_SETUP;
	h.id = SANDBOX_PROTO;
	r = sandbox_send(s[0], &h, b->data, b->len, NULL, 0);
	g_byte_array_free(b, TRUE);
	if (r == 0)
		r = sandbox_recv(s[0], &h, NULL, 0, NULL, fds);
	if (r != 0 || h.kind != SANDBOX_READY) {
		*cause = g_strdup_printf("the parsing program %s did not "
		    "start", prog);
		close(s[0]);
		kill(pid, SIGKILL);
		while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
			;
		g_free(prog);
		return -1;
	}
	g_free(prog);
	sandbox.pid = pid;
	sandbox.ctl = s[0];
	sandbox.dead = 0;
	sandbox.lim = *lim;
	sandbox.exits = g_array_new(FALSE, FALSE, sizeof(struct sandbox_hdr));
	return 0;
}

/* Is the zygote there to take messages? */
int
sandbox_alive(void)
{
	return sandbox.pid > 0 && !sandbox.dead;
}

/* Ends the zygote (it ends its children) and reaps it. */
void
sandbox_stop(void)
{
	int	st;

	if (sandbox.pid <= 0)
		return;
	close(sandbox.ctl);
	while (waitpid(sandbox.pid, &st, 0) < 0 && errno == EINTR)
		;
	g_array_free(sandbox.exits, TRUE);
	sandbox.pid = 0;
	sandbox.ctl = -1;
}

/* The zygote stopped answering: no more children this run. */
static char *
sandbox_gone(void)
{
	sandbox.dead = 1;
	return g_strdup("the parsing zygote is gone");
}

/*
 * Starts a child on the message in fd (args: what the child is asked;
 * charsets, if not NULL: the names the message gives, whose converters
 * the zygote loads first); returns the job, or NULL with *why (no child
 * could be started: try again later).
 */
struct sandbox_job *
sandbox_submit(int fd, GPtrArray *charsets, const void *args, size_t len,
    char **why)
{
	struct sandbox_job	*job;
	struct sandbox_hdr	 h;
	GByteArray		*req;
	const char		*name;
	guint			 i;
	int			 p[2], fds[2], r;

	if (!sandbox_alive()) {
		*why = g_strdup(sandbox.pid > 0 ? "the parsing zygote is gone" :
		    "no parsing zygote");
		return NULL;
	}
	req = g_byte_array_new();
	for (i = 0; charsets != NULL && i < charsets->len; i++) {
		name = g_ptr_array_index(charsets, i);
		g_byte_array_append(req, (const guint8 *)name,
		    (guint)strlen(name) + 1);
	}
	memset(&h, 0, sizeof h);
	h.kind = SANDBOX_REQ;
	h.status = (int32_t)req->len;
	g_byte_array_append(req, args, (guint)len);
	if (req->len > SANDBOX_ARGS_MAX) {
		explicit_bzero(req->data, req->len);
		g_byte_array_free(req, TRUE);
		*why = g_strdup("sandbox: request too large");
		return NULL;
	}
	if (pipe2(p, O_CLOEXEC) != 0) {
		explicit_bzero(req->data, req->len);
		g_byte_array_free(req, TRUE);
		*why = g_strdup_printf("pipe: %s", g_strerror(errno));
		return NULL;
	}
	h.id = sandbox.next++;
	fds[0] = fd;
	fds[1] = p[1];
	r = sandbox_send(sandbox.ctl, &h, req->data, req->len, fds, 2);
	/* The passwords among the args are not kept. */
	explicit_bzero(req->data, req->len);
	g_byte_array_free(req, TRUE);
	if (r != 0) {
		close(p[0]);
		close(p[1]);
		*why = sandbox_gone();
		return NULL;
	}
	close(p[1]);
	job = g_new0(struct sandbox_job, 1);
	job->id = h.id;
	job->result = p[0];
	job->pidfd = -1;
	/* The zygote answers each request at once, in order; reports of
	 * children reaped meanwhile are kept for later. */
	for (;;) {
		if (sandbox_recv(sandbox.ctl, &h, NULL, 0, NULL, fds) != 0) {
			*why = sandbox_gone();
			break;
		}
		if (fds[1] >= 0)
			close(fds[1]);
		if (h.kind == SANDBOX_EXITED) {
			if (fds[0] >= 0)
				close(fds[0]);
			g_array_append_val(sandbox.exits, h);
			continue;
		}
		if (h.kind == SANDBOX_STARTED) {
			job->pid = h.pid;
			job->pidfd = fds[0];	/* -1: no pidfd, kill by pid */
			return job;
		}
		if (fds[0] >= 0)
			close(fds[0]);
		*why = g_strdup_printf("fork: %s", g_strerror(h.status));
		break;
	}
	close(job->result);
	g_free(job);
	return NULL;
}

/* The wait status of a job's child, as the zygote reports it; -1 if
 * the zygote is gone. */
static int
sandbox_status(uint32_t id, int *status)
{
	struct sandbox_hdr	h;
	int			fds[2];
	guint			i;

	for (;;) {
		for (i = 0; i < sandbox.exits->len; i++) {
			h = g_array_index(sandbox.exits, struct sandbox_hdr, i);
			if (h.id == id) {
				*status = h.status;
				g_array_remove_index(sandbox.exits, i);
				return 0;
			}
		}
		if (sandbox.dead || sandbox_recv(sandbox.ctl, &h, NULL, 0,
		    NULL, fds) != 0) {
			sandbox.dead = 1;
			return -1;
		}
		if (fds[0] >= 0)
			close(fds[0]);
		if (fds[1] >= 0)
			close(fds[1]);
		if (h.kind == SANDBOX_EXITED)
			g_array_append_val(sandbox.exits, h);
	}
}

/* Kills a job's child: through its pidfd, else (no pidfd) by pid. */
static void
sandbox_job_kill(struct sandbox_job *job)
{
	if (job->pidfd >= 0)
		pidfd_send_signal(job->pidfd, SIGKILL, NULL, 0);
	else if (job->pid > 0)
		kill(job->pid, SIGKILL);
}

/* Milliseconds on the monotonic clock. */
static int64_t
sandbox_ms(void)
{
	return g_get_monotonic_time() / 1000;
}

/*
 * Waits for a job's child under the limits (the wall clock counted from
 * now) and frees the job; returns 0 with the bytes the child produced,
 * -1 with *why in the staff's words ("解析中のプロセスが異常終了しました
 * （signal 11）", "時間の上限"), -2 when the zygote is gone (try again).
 */
int
sandbox_collect(struct sandbox_job *job, GBytes **result, char **why)
{
	const struct sandbox_limits *lim = &sandbox.lim;
	GByteArray	*in;
	guint8		 buf[65536];
	struct pollfd	 pfd;
	int64_t		 deadline;
	ssize_t		 n;
	int		 r, status, timed_out = 0, rc = -1;

	*result = NULL;
	in = g_byte_array_new();
	deadline = sandbox_ms() + (int64_t)lim->wall_seconds * 1000;
	pfd.fd = job->result;
	pfd.events = POLLIN;
	for (;;) {
		int64_t left = deadline - sandbox_ms();

		if (left <= 0) {
			timed_out = 1;
			sandbox_job_kill(job);
			break;
		}
		r = poll(&pfd, 1, (int)(left > 1000 ? 1000 : left));
		if (r < 0 && errno == EINTR)
			continue;
		if (r == 0)
			continue;
		if ((n = read(job->result, buf, sizeof buf)) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (n == 0)
			break;
		if (in->len + (guint)n > lim->result_max) {
			sandbox_job_kill(job);
			break;
		}
		g_byte_array_append(in, buf, (guint)n);
	}
	close(job->result);
	if (sandbox_status(job->id, &status) != 0) {
		/* Whatever the child sent, its end is unknown. */
		sandbox_job_kill(job);
		*why = g_strdup("the parsing zygote is gone");
		rc = -2;
	} else if (timed_out) {
		*why = g_strdup_printf("解析が時間の上限（%u 秒）を超えました",
		    lim->wall_seconds);
	} else if (WIFSIGNALED(status)) {
		*why = WTERMSIG(status) == SIGXCPU ?
		    g_strdup_printf("解析が CPU 時間の上限（%u 秒）を超えました",
		    lim->cpu_seconds) : WTERMSIG(status) == SIGSYS ?
		    g_strdup("解析中のプロセスが禁止された操作をしました"
		    "（seccomp）") :
		    g_strdup_printf("解析中のプロセスが異常終了しました"
		    "（signal %d）", WTERMSIG(status));
	} else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		*why = WEXITSTATUS(status) == SANDBOX_EXIT_FAILED ?
		    g_strdup("解析できませんでした（メモリ不足など）") :
		    g_strdup_printf("解析中のプロセスが異常終了しました"
		    "（exit %d）", WEXITSTATUS(status));
	} else if (in->len == 0) {
		*why = g_strdup("解析の結果が返りませんでした");
	} else {
		*result = g_byte_array_free_to_bytes(in);
		in = NULL;
		rc = 0;
	}
	if (in != NULL)
		g_byte_array_free(in, TRUE);
	if (job->pidfd >= 0)
		close(job->pidfd);
	g_free(job);
	return rc;
}

/* Ends a job whose result is not wanted: its child killed, reaped. */
void
sandbox_cancel(struct sandbox_job *job)
{
	GBytes	*res = NULL;
	char	*why = NULL;

	if (job == NULL)
		return;
	sandbox_job_kill(job);
	if (sandbox_collect(job, &res, &why) == 0)
		g_bytes_unref(res);
	g_free(why);
}

/* Runs one job to its end: sandbox_submit, then sandbox_collect; -2 when
 * no child could be started. */
int
sandbox_run(int fd, const void *args, size_t len, GBytes **result,
    char **why)
{
	struct sandbox_job	*job;

	*result = NULL;
	if ((job = sandbox_submit(fd, NULL, args, len, why)) == NULL)
		return -2;
	return sandbox_collect(job, result, why);
}
