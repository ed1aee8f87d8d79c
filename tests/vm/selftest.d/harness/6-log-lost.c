// SPDX-License-Identifier: GPL-2.0
/*
 * Records the kernel overwrites before the harness reads them must fail
 * the run: stop the kernel log follower (tests/vm/guest/klogd), log twice
 * the log buffer's size through /dev/kmsg, let it go on.  Its next read
 * gets EPIPE and it marks the log lost (DSMIL_KLOG_DIR/lost); the case
 * itself passes once it sees the mark, and run-cases' test of the log
 * between and after the cases must fail ("the log wrapped"), which
 * tests/vm/selftest checks.  The self-test boots with log_buf_len=1M to
 * keep the flood small.  Skips (exit 77) without the follower.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define SYSLOG_ACTION_SIZE_BUFFER 10

/* the pid of the process named klogd, or -1 */
static pid_t find_klogd(void)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	pid_t pid = -1;

	if (!d)
		return -1;
	while (pid < 0 && (e = readdir(d))) {
		char path[300], comm[64] = "";
		FILE *f;

		if (e->d_name[0] < '1' || e->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/comm", e->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (fgets(comm, sizeof(comm), f) && !strcmp(comm, "klogd\n"))
			pid = (pid_t)atoi(e->d_name);
		fclose(f);
	}
	closedir(d);
	return pid;
}

int main(void)
{
	const char *dir = getenv("DSMIL_KLOG_DIR");
	char lost[512], rec[900];
	long size, written = 0, n = 0;
	struct stat st;
	pid_t pid;

	if (!dir) {
		printf("# no kernel log follower (DSMIL_KLOG_DIR unset)\n");
		return 77;
	}
	snprintf(lost, sizeof(lost), "%s/lost", dir);
	if (!stat(lost, &st)) {
		printf("# %s exists before the flood\n", lost);
		return 1;
	}
	pid = find_klogd();
	size = klogctl(SYSLOG_ACTION_SIZE_BUFFER, NULL, 0);
	if (pid < 0 || size <= 0) {
		printf("# no klogd process (%d) or no log size (%ld: %s)\n",
		       (int)pid, size, strerror(errno));
		return 1;
	}
	if (kill(pid, SIGSTOP)) {
		perror("# kill SIGSTOP klogd");
		return 1;
	}
	memset(rec, 'x', sizeof(rec));
	/* one open per record: /dev/kmsg rate-limits each open file */
	while (written < 2 * size) {
		int len = snprintf(rec, sizeof(rec), "<7>dsmil-selftest flood %ld ", n);
		int fd = open("/dev/kmsg", O_WRONLY | O_CLOEXEC);

		rec[len] = 'x';
		rec[sizeof(rec) - 1] = '\n';
		if (fd < 0 || write(fd, rec, sizeof(rec)) != (ssize_t)sizeof(rec)) {
			perror("# write /dev/kmsg");
			kill(pid, SIGCONT);
			return 1;
		}
		close(fd);
		written += sizeof(rec);
		n++;
	}
	kill(pid, SIGCONT);
	for (int i = 0; i < 1000; i++) {
		struct timespec ts = { 0, 10 * 1000 * 1000 };

		if (!stat(lost, &st)) {
			printf("# klogd marked the log lost after %ld records (%ld bytes, buffer %ld)\n",
			       n, written, size);
			return 0;
		}
		nanosleep(&ts, NULL);
	}
	printf("# klogd did not mark the log lost within 10 s (%ld records, buffer %ld)\n",
	       n, size);
	return 1;
}
