// SPDX-License-Identifier: GPL-2.0
/*
 * klogd DIR: keeps the kernel log in the file DIR/log, as dmesg prints it,
 * for the VM cases and their runner (tests/vm/guest/run-cases starts it).
 *
 * dmesg reads the whole log, one record per read() of /dev/kmsg, every time
 * it runs: on the debug kernel (KASAN, lockdep, under TCG) with the tens of
 * thousands of lines a full set of cases logs, that is seconds per call,
 * and the runner and the cases call it several times per case.  This
 * follower reads each record once, from the first one the kernel kept, and
 * appends it to DIR/log: "[%5lu.%06lu] " and the text, its \xNN escapes
 * decoded (util-linux dmesg's format).
 *
 * A reader that wants everything logged before a point in time writes a
 * record "dsmil-klog-sync TOKEN" to /dev/kmsg and waits for the file
 * DIR/sync/TOKEN, which this program creates when it reads that record
 * (which it does not copy to DIR/log): every record before it is in the
 * file by then, and the file DIR/sync/TOKEN holds the number of lines
 * DIR/log had at that point (tests/vm/guest/klog.sh: klog_sync).  DIR/lost
 * is created when the kernel overwrote records before they were read (a
 * log that wrapped).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SYNC_PREFIX	"dsmil-klog-sync "

static const char *dir;
static int logfd;
static unsigned long long lines;	/* in DIR/log */

static void die(const char *what)
{
	fprintf(stderr, "klogd: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			die("write");
		}
		p += w;
		n -= (size_t)w;
	}
}

/* Create DIR/NAME holding TEXT, whole or not at all (a reader may poll). */
static void put(const char *name, const char *text)
{
	char path[4096], tmp[4096 + 8];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		die(tmp);
	write_all(fd, text, strlen(text));
	close(fd);
	if (rename(tmp, path))
		die(path);
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* A token names a file: letters, digits, '.', '_' and '-' only. */
static int good_token(const char *t, size_t n)
{
	size_t i;

	if (!n || n > 200 || t[0] == '.')
		return 0;
	for (i = 0; i < n; i++) {
		char c = t[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-'))
			return 0;
	}
	return 1;
}

/* One record: "PRI,SEQ,USEC,FLAGS[,...];TEXT\n[ KEY=VALUE\n]..." */
static void record(char *rec, size_t len)
{
	static char out[65536];
	char *semi, *text, *end, *p, *q;
	unsigned long long usec = 0;
	char name[256], count[32];
	int indent;
	size_t n;

	semi = memchr(rec, ';', len);
	if (!semi)
		return;
	end = memchr(semi, '\n', len - (size_t)(semi - rec));
	if (!end)
		end = rec + len;
	text = semi + 1;
	/* the third field: microseconds since boot */
	p = memchr(rec, ',', (size_t)(semi - rec));
	if (p)
		p = memchr(p + 1, ',', (size_t)(semi - p - 1));
	if (p)
		usec = strtoull(p + 1, NULL, 10);

	n = (size_t)(end - text);
	if (n > strlen(SYNC_PREFIX) && !memcmp(text, SYNC_PREFIX, strlen(SYNC_PREFIX))) {
		text += strlen(SYNC_PREFIX);
		n -= strlen(SYNC_PREFIX);
		if (good_token(text, n)) {
			snprintf(name, sizeof(name), "sync/%.*s", (int)n, text);
			snprintf(count, sizeof(count), "%llu\n", lines);
			put(name, count);
			return;
		}
	}

	indent = snprintf(out, 64, "[%5llu.%06llu] ", usec / 1000000, usec % 1000000);
	q = out + indent;
	for (p = text; p < end; p++) {
		char c = *p;

		if (p[0] == '\\' && end - p >= 4 && p[1] == 'x' &&
		    hexval(p[2]) >= 0 && hexval(p[3]) >= 0) {
			c = (char)(hexval(p[2]) << 4 | hexval(p[3]));
			p += 3;
		}
		*q++ = c;
		/* dmesg lines up a record's further lines with its text */
		if (c == '\n')
			lines++;
		if (c == '\n' && q + indent < out + sizeof(out) - 1) {
			memset(q, ' ', (size_t)indent);
			q += indent;
		}
	}
	*q++ = '\n';
	lines++;
	write_all(logfd, out, (size_t)(q - out));
}

int main(int argc, char **argv)
{
	static char buf[16384];
	char path[4096];
	int kfd;

	if (argc != 2) {
		fprintf(stderr, "usage: klogd DIR\n");
		return 2;
	}
	dir = argv[1];
	snprintf(path, sizeof(path), "%s/sync", dir);
	if (mkdir(path, 0755) && errno != EEXIST)
		die(path);
	snprintf(path, sizeof(path), "%s/log", dir);
	logfd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0644);
	if (logfd < 0)
		die(path);
	kfd = open("/dev/kmsg", O_RDONLY | O_CLOEXEC);
	if (kfd < 0)
		die("/dev/kmsg");
	for (;;) {
		ssize_t r = read(kfd, buf, sizeof(buf) - 1);

		if (r < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EPIPE) {	/* records overwritten before we read them */
				put("lost", "records were overwritten before klogd read them\n");
				continue;
			}
			die("read /dev/kmsg");
		}
		if (r == 0)
			continue;
		record(buf, (size_t)r);
	}
}
