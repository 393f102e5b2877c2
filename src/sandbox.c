/* sandbox.c: work on untrusted bytes in a child process: resource limits
 * (CPU seconds, address space, open files, no file writes), a seccomp
 * filter that allows only what parsing needs, a wall-clock timeout; the
 * child hands its result back through a pipe.  The parent alone owns the
 * store and the spool. */

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/resource.h>
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

/* Charsets the parsers may meet: their iconv modules are loaded before
 * the fork, since the child may not open files. */
static const char *sandbox_charsets[] = {
	"CP932", "EUC-JP", "EUC-JP-MS", "ISO-8859-1", "ISO-8859-15", "WINDOWS-1252",
	"UTF-16", "UTF-16LE", "UTF-16BE", "UTF-32", "GB18030", "CP949",
	"BIG5", "KOI8-R", "ISO-2022-JP", "SHIFT_JIS", "EUC-KR", "CP1251",
	"ISO-8859-2", "WINDOWS-1250", "US-ASCII", NULL
};
/* The converters kept open.  Nothing reads them, so without "used" the
 * compiler drops the array and its stores, and the converters look lost
 * (valgrind: definitely lost). */
static GIConv	sandbox_kept[64] __attribute__((used));

/* Loads what the child cannot load itself; once per process. */
void
sandbox_prepare(void)
{
	static int	done;
	size_t		i, k = 0;
	GTimeZone	*tz;
	GIConv		 cd;

	if (done)
		return;
	done = 1;
	for (i = 0; sandbox_charsets[i] != NULL; i++) {
		cd = g_iconv_open("UTF-8", sandbox_charsets[i]);
		if (cd != (GIConv)-1 && k < G_N_ELEMENTS(sandbox_kept))
			sandbox_kept[k++] = cd;	/* kept open: stays loaded */
		cd = g_iconv_open(sandbox_charsets[i], "UTF-8");
		if (cd != (GIConv)-1 && k < G_N_ELEMENTS(sandbox_kept))
			sandbox_kept[k++] = cd;
	}
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

/* The seccomp filter: what parsing needs, nothing else.  Opening files
 * fails with EACCES (a charset not loaded before the fork is treated as
 * unknown); starting programs, processes or connections kills. */
static int
sandbox_seccomp(void)
{
	static const int allow[] = {
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
	static const int kill[] = {
		SCMP_SYS(execve), SCMP_SYS(execveat), SCMP_SYS(fork),
		SCMP_SYS(vfork), SCMP_SYS(clone), SCMP_SYS(clone3),
		SCMP_SYS(socket), SCMP_SYS(connect), SCMP_SYS(bind),
		SCMP_SYS(ptrace), SCMP_SYS(kill), SCMP_SYS(tkill),
		SCMP_SYS(tgkill), SCMP_SYS(unlink), SCMP_SYS(unlinkat),
		SCMP_SYS(rename), SCMP_SYS(renameat), SCMP_SYS(renameat2),
	};
	scmp_filter_ctx	 ctx;
	size_t		 i;
	int		 r = 0;

	if ((ctx = seccomp_init(SCMP_ACT_ERRNO(EPERM))) == NULL)
		return -1;
	for (i = 0; i < G_N_ELEMENTS(allow) && r == 0; i++)
		r = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, allow[i], 0);
	for (i = 0; i < G_N_ELEMENTS(kill) && r == 0; i++)
		r = seccomp_rule_add(ctx, SCMP_ACT_KILL_PROCESS, kill[i], 0);
	if (r == 0)
		r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EACCES),
		    SCMP_SYS(openat), 0);
	if (r == 0)
		r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EACCES),
		    SCMP_SYS(open), 0);
	if (r == 0)
		r = seccomp_load(ctx);
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

/* The child: limits, filter, work, result down the pipe, exit. */
static void __attribute__((noreturn))
sandbox_child(const struct sandbox_limits *lim, int fd,
    int (*fn)(void *, GByteArray *), void *arg)
{
	GByteArray	*out = g_byte_array_new();
	int		 code = 0;

	sandbox_rlimit(RLIMIT_CPU, lim->cpu_seconds, 2);
#ifndef SANDBOX_ASAN
	/* ASan reserves terabytes of address space: no limit under it. */
	sandbox_rlimit(RLIMIT_AS, lim->memory, 0);
#endif
	sandbox_rlimit(RLIMIT_FSIZE, 0, 0);
	sandbox_rlimit(RLIMIT_CORE, 0, 0);
	sandbox_rlimit(RLIMIT_NOFILE, 64, 0);
	if (lim->seccomp && sandbox_seccomp() != 0)
		_exit(SANDBOX_EXIT_SETUP);
	if (fn(arg, out) != 0)
		code = SANDBOX_EXIT_FAILED;
	else if (sandbox_write(fd, out->data, out->len) != 0)
		code = SANDBOX_EXIT_SETUP;
	g_byte_array_free(out, TRUE);
	_exit(code);
}

/* Milliseconds on the monotonic clock. */
static int64_t
sandbox_ms(void)
{
	return g_get_monotonic_time() / 1000;
}

/*
 * Runs fn(arg, out) in a child process under the limits; returns 0 with
 * the bytes the child produced, or -1 with *why in the staff's words
 * ("解析中のプロセスが異常終了しました（signal 11）", "時間の上限").
 */
int
sandbox_run(const struct sandbox_limits *lim, int (*fn)(void *, GByteArray *),
    void *arg, GBytes **result, char **why)
{
	int		 p[2], status, r;
	pid_t		 pid;
	GByteArray	*in;
	guint8		 buf[65536];
	struct pollfd	 pfd;
	int64_t		 deadline;
	ssize_t		 n;
	int		 timed_out = 0;

	*result = NULL;
	sandbox_prepare();
	if (pipe2(p, O_CLOEXEC) != 0) {
		*why = g_strdup_printf("pipe: %s", g_strerror(errno));
		return -2;
	}
	if ((pid = fork()) < 0) {
		*why = g_strdup_printf("fork: %s", g_strerror(errno));
		close(p[0]);
		close(p[1]);
		return -2;
	}
	if (pid == 0) {
		close(p[0]);
		sandbox_child(lim, p[1], fn, arg);
	}
	close(p[1]);
	in = g_byte_array_new();
	deadline = sandbox_ms() + (int64_t)lim->wall_seconds * 1000;
	pfd.fd = p[0];
	pfd.events = POLLIN;
	for (;;) {
		int64_t left = deadline - sandbox_ms();

		if (left <= 0) {
			timed_out = 1;
			kill(pid, SIGKILL);
			break;
		}
		r = poll(&pfd, 1, (int)(left > 1000 ? 1000 : left));
		if (r < 0 && errno == EINTR)
			continue;
		if (r == 0)
			continue;
		if ((n = read(p[0], buf, sizeof buf)) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (n == 0)
			break;
		if (in->len + (guint)n > lim->result_max) {
			kill(pid, SIGKILL);
			break;
		}
		g_byte_array_append(in, buf, (guint)n);
	}
	close(p[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (timed_out) {
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
		return 0;
	}
	g_byte_array_free(in, TRUE);
	return -1;
}
