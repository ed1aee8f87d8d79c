/* SPDX-License-Identifier: GPL-2.0 */
/*
 * audit-flood.h - what smi/17 and smi/18 share (not a case): root makes
 * four records (an unlock, a write, a refused write, a relock), then
 * nobody floods the service with token reads, and the audit file must
 * still start with root's four records, followed by the last 256 of the
 * flood.
 */
#ifndef AUDIT_FLOOD_H
#define AUDIT_FLOOD_H

#include <sys/wait.h>

#include "smi-case.h"
#include "../unpriv.h"

#define AUDIT	SMI_DBG "audit"
#define FLOOD	2000

static char lines[600][256];

/* The audit file, one line each; returns the number of lines. */
static int read_audit(void)
{
	FILE *f = fopen(AUDIT, "r");
	int n = 0;

	if (!f)
		fail("%s: %s", AUDIT, strerror(errno));
	while (n < 600 && fgets(lines[n], sizeof(lines[n]), f)) {
		lines[n][strcspn(lines[n], "\n")] = '\0';
		n++;
	}
	fclose(f);
	return n;
}

static const char *const root_ops[] = {
	" op=unlock group=0 seconds=30",
	" op=write token=0x8001 value=0x00000abc group=0 result=0 ",
	" op=write token=0x800c value=0x00000001 group=1 result=-13 ",
	" op=relock group=0",
};

/* Root's four records, through @fd; ctl is made world-readable. */
static void root_records(int fd)
{
	if (sh("chmod 0666 " CTL))
		fail("chmod " CTL);
	expect_ret(tok_unlock(fd, 0, 30, NULL), 0, "unlock 0 for 30 s");
	expect_ret(tok_write(fd, 0x8001, 0xabc), 0, "write 0x8001");
	expect_ret(tok_write(fd, 0x800c, 1), -EACCES, "write 0x800c");
	expect_ret(tok_relock(fd, 0), 0, "relock 0");
}

/*
 * FLOOD reads of @token as nobody, each returning @ret (and, for 0, the
 * value @value).
 */
static void flood_as_nobody(uint16_t token, int ret, uint32_t value)
{
	int status, i, r;
	pid_t pid;

	pid = fork();
	if (pid == 0) {
		uint32_t v = 0;
		int ufd;

		if (unpriv_become()) {
			printf("FAIL: cannot become nobody: %s\n", strerror(errno));
			_exit(1);
		}
		if (!unpriv_reach("/dev/dsmil"))
			_exit(1);
		ufd = open(CTL, O_RDONLY);
		if (ufd < 0) {
			printf("FAIL: nobody: open %s: %s\n", CTL, strerror(errno));
			_exit(1);
		}
		for (i = 0; i < FLOOD; i++) {
			r = tok_read(ufd, token, &v);
			if (r != ret || (!r && v != value)) {
				printf("FAIL: nobody: read %#x: %d, value %#x\n", token, r, v);
				_exit(1);
			}
		}
		_exit(0);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status))
		fail("the unprivileged flood failed");
}

/*
 * The audit file after the flood: root's four records first (sequence
 * numbers 0-3), then the last 256 of the flood, each line containing
 * @what and @result.
 */
static void check_after_flood(const char *what, const char *result)
{
	int n = read_audit(), i, kept = 0;

	for (i = 0; i < 4; i++) {
		if (i >= n || !strstr(lines[i], root_ops[i]))
			fail("audit line %d after %d reads by nobody: '%s', expected root's '%s'",
			     i, FLOOD, i < n ? lines[i] : "", root_ops[i]);
		expect_eq(strtoull(lines[i], NULL, 10), i, "sequence number of root's record");
	}
	for (i = 4; i < n; i++) {
		if (!strstr(lines[i], what) || !strstr(lines[i], result))
			fail("audit line %d: '%s', expected '%s' with '%s'", i, lines[i],
			     what, result);
		kept++;
	}
	expect_eq(kept, 256, "reads kept");
	expect_eq(strtoull(lines[n - 1], NULL, 10), 4 + FLOOD - 1, "newest sequence number");
	expect_eq(strtoull(lines[4], NULL, 10), 4 + FLOOD - 256, "oldest read kept");
}

#endif
