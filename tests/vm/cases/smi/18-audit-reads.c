// SPDX-License-Identifier: GPL-2.0
/*
 * Accepted reads cannot flush the audit ring either: a token read is the
 * one op any opener of ctl may make, and the rate limit lets 1,000 a
 * second through by default, so an unprivileged flood of reads that do
 * reach the transport (a token that exists) must not evict root's earlier
 * records - an unlock, a write, a refused write, a relock.  Reads are kept
 * in a ring of their own (the last 256), as refused reads are (17).
 */
#include <sys/wait.h>

#include "smi-case.h"
#include "../unpriv.h"

#define AUDIT	SMI_DBG "audit"
#define FLOOD	2000

static char lines[600][256];

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

int main(void)
{
	static const char *const root_ops[] = {
		" op=unlock group=0 seconds=30",
		" op=write token=0x8001 value=0x00000abc group=0 result=0 ",
		" op=write token=0x800c value=0x00000001 group=1 result=-13 ",
		" op=relock group=0",
	};
	int fd, n, i, status, reads = 0;
	pid_t pid;

	/* no rate limit: the flood takes no time (the default lets it
	 * through in two seconds) */
	smi_load("max_calls_per_sec=0");
	fd = ctl_open();
	if (sh("chmod 0666 " CTL))
		fail("chmod " CTL);
	expect_ret(tok_unlock(fd, 0, 30, NULL), 0, "unlock 0 for 30 s");
	expect_ret(tok_write(fd, 0x8001, 0xabc), 0, "write 0x8001");
	expect_ret(tok_write(fd, 0x800c, 1), -EACCES, "write 0x800c");
	expect_ret(tok_relock(fd, 0), 0, "relock 0");

	pid = fork();
	if (pid == 0) {
		uint32_t v;
		int ufd, ret;

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
			ret = tok_read(ufd, 0x8001, &v);
			if (ret || v != 0xabc) {
				printf("FAIL: nobody: read 0x8001: %d, value %#x\n", ret, v);
				_exit(1);
			}
		}
		_exit(0);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status))
		fail("the unprivileged reads failed");

	n = read_audit();
	for (i = 0; i < 4; i++) {
		if (i >= n || !strstr(lines[i], root_ops[i]))
			fail("audit line %d after %d reads by nobody: '%s', expected root's '%s'",
			     i, FLOOD, i < n ? lines[i] : "", root_ops[i]);
		expect_eq(strtoull(lines[i], NULL, 10), i, "sequence number of root's record");
	}
	for (i = 4; i < n; i++) {
		if (!strstr(lines[i], " op=read token=0x8001 value=0x00000abc ") ||
		    !strstr(lines[i], " result=0 "))
			fail("audit line %d: '%s', expected a read", i, lines[i]);
		reads++;
	}
	expect_eq(reads, 256, "reads kept");
	expect_eq(strtoull(lines[n - 1], NULL, 10), 4 + FLOOD - 1, "newest sequence number");
	expect_eq(strtoull(lines[4], NULL, 10), 4 + FLOOD - 256, "oldest read kept");
	close(fd);
	return 0;
}
