/* runone.c — runs one command (stdin, stdout and stderr on /dev/null) and prints
 * "WALL_S CPU_S PEAK_KIB EXIT" from its own clock and the child's rusage. A small process of its
 * own, so that the child's peak RSS is not the caller's (the high-water mark survives fork and
 * exec: measured from Python directly, every tool would weigh at least the interpreter).
 * Usage: runone TIMEOUT_S COMMAND [ARG...]; EXIT is -1 when the command was stopped. */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	double limit, t0, wall;
	struct rusage ru;
	int status = 0, code;
	pid_t pid;

	if (argc < 3) {
		fputs("usage: runone TIMEOUT_S COMMAND [ARG...]\n", stderr);
		return 2;
	}
	limit = atof(argv[1]);
	t0 = now();
	pid = fork();
	if (pid < 0)
		return 2;
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);
		dup2(null, 0);
		dup2(null, 1);
		dup2(null, 2);
		execvp(argv[2], argv + 2);
		_exit(127);
	}
	for (;;) {
		pid_t r = wait4(pid, &status, WNOHANG, &ru);
		if (r == pid)
			break;
		if (r < 0)
			return 2;
		if (limit > 0 && now() - t0 > limit) {
			kill(pid, SIGKILL);
			wait4(pid, &status, 0, &ru);
			printf("%.6f 0 0 -1\n", now() - t0);
			return 0;
		}
		usleep(500);
	}
	wall = now() - t0;
	code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	printf("%.6f %.6f %ld %d\n", wall,
	       (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
		   (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6,
	       ru.ru_maxrss, code);
	return 0;
}
