/* timeit.c: runs a command and reports its wall time (clock_gettime,
 * monotonic), its peak resident set size and CPU times, children included
 * (wait4), as "seconds max-rss-KiB exit-status user-s system-s". */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/wait.h>

int
main(int argc, char **argv)
{
	struct timespec	 t0, t1;
	struct rusage	 ru;
	FILE		*out = stderr;
	pid_t		 pid;
	int		 status, code;

	if (argc > 2 && strcmp(argv[1], "-o") == 0) {
		if ((out = fopen(argv[2], "w")) == NULL) {
			fprintf(stderr, "timeit: %s: %s\n", argv[2],
			    strerror(errno));
			return 1;
		}
		argc -= 2;
		argv += 2;
	}
	if (argc < 2) {
		fprintf(stderr, "usage: timeit [-o FILE] COMMAND [ARGS]\n");
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if ((pid = fork()) < 0) {
		fprintf(stderr, "timeit: fork: %s\n", strerror(errno));
		return 1;
	}
	if (pid == 0) {
		execvp(argv[1], argv + 1);
		fprintf(stderr, "timeit: %s: %s\n", argv[1], strerror(errno));
		_exit(127);
	}
	/* The rusage of wait4 is the child's with its own waited-for
	 * children: the peak of the largest process in the tree. */
	while (wait4(pid, &status, 0, &ru) < 0) {
		if (errno != EINTR) {
			fprintf(stderr, "timeit: wait4: %s\n", strerror(errno));
			return 1;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	code = WIFEXITED(status) ? WEXITSTATUS(status) :
	    128 + WTERMSIG(status);
	fprintf(out, "%.3f %ld %d %.3f %.3f\n", (double)(t1.tv_sec -
	    t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9,
	    ru.ru_maxrss, code, (double)ru.ru_utime.tv_sec +
	    (double)ru.ru_utime.tv_usec / 1e6, (double)ru.ru_stime.tv_sec +
	    (double)ru.ru_stime.tv_usec / 1e6);
	if (out != stderr)
		fclose(out);
	return code;
}
