// SPDX-License-Identifier: GPL-2.0
/*
 * Refused ops cannot flush the audit ring: refusals are kept in a ring of
 * their own (the last 256), so a flood of them by an unprivileged user
 * (token reads of a token nobody has: -ENOENT, open to anyone who can open
 * ctl) leaves root's earlier records - an unlock, a write, a refused
 * write, a relock - readable, in order, with the last 256 refusals.
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
	int fd, n, i, status, flooded = 0;
	pid_t pid;

	smi_load("");
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
			ret = tok_read(ufd, 0x9000, &v);
			if (ret != -ENOENT) {
				printf("FAIL: nobody: read 0x9000: %d\n", ret);
				_exit(1);
			}
		}
		_exit(0);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status))
		fail("the unprivileged flood failed");

	n = read_audit();
	for (i = 0; i < 4; i++) {
		if (i >= n || !strstr(lines[i], root_ops[i]))
			fail("audit line %d after %d refusals by nobody: '%s', expected root's '%s'",
			     i, FLOOD, i < n ? lines[i] : "", root_ops[i]);
		expect_eq(strtoull(lines[i], NULL, 10), i, "sequence number of root's record");
	}
	for (i = 4; i < n; i++) {
		if (!strstr(lines[i], " op=read token=0x9000 ") ||
		    !strstr(lines[i], " result=-2 "))
			fail("audit line %d: '%s', expected a refused read", i, lines[i]);
		flooded++;
	}
	expect_eq(flooded, 256, "refusals kept");
	expect_eq(strtoull(lines[n - 1], NULL, 10), 4 + FLOOD - 1, "newest sequence number");
	expect_eq(strtoull(lines[4], NULL, 10), 4 + FLOOD - 256, "oldest refusal kept");
	close(fd);
	return 0;
}
