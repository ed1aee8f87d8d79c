// SPDX-License-Identifier: GPL-2.0
/*
 * RLIMIT_MEMLOCK is enforced for an unprivileged user (-ENOMEM), while
 * root (CAP_IPC_LOCK) may lock past it.  The unprivileged part runs in a
 * child that becomes nobody, dropping its capabilities.
 */
#include "dmalock-lib.h"

#include <sys/resource.h>

int main(void)
{
	struct rlimit rl = { .rlim_cur = 64 * 1024, .rlim_max = 64 * 1024 };
	unsigned char *p;
	uint32_t h, h2;
	int fd, status;
	pid_t pid;

	load("emu");
	p = anon(1 * MiB);
	if (setrlimit(RLIMIT_MEMLOCK, &rl))
		fail("setrlimit: %s", strerror(errno));

	fd = ctl_open();
	expect_eq(dl_lock(fd, p, 1 * MiB, LOCK_BIDI, &h), 0,
		  "root locks 1 MiB past a 64 KiB limit");
	expect_eq(dl_unlock(fd, h), 0, "unlock");

	/* As nobody, in a child: the parent unloads the modules as root. */
	pid = fork();
	if (pid == 0) {
		/* An owner of the child's own mm, opened while still root. */
		close(fd);
		fd = ctl_open();
		if (setgid(65534) || setuid(65534))
			fail("cannot become nobody: %s", strerror(errno));
		expect_eq(dl_lock(fd, p, 1 * MiB, LOCK_BIDI, &h), -ENOMEM,
			  "nobody locks 1 MiB with a 64 KiB limit");
		expect_eq(dl_lock(fd, p, 32 * 1024, LOCK_BIDI, &h), 0,
			  "nobody locks 32 KiB");
		expect_eq(dl_lock(fd, p + 32 * 1024, 32 * 1024, LOCK_BIDI, &h2),
			  0, "nobody locks 32 KiB more (64 KiB in all)");
		expect_eq(dl_lock(fd, p + 64 * 1024, 4096, LOCK_BIDI, NULL),
			  -ENOMEM, "one page past the limit");
		expect_eq(vmlck_kb(), 64, "VmLck (kB)");
		expect_eq(dl_unlock(fd, h), 0, "unlock");
		expect_eq(dl_unlock(fd, h2), 0, "unlock");
		expect_eq(vmlck_kb(), 0, "VmLck after unlock (kB)");
		_exit(0);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status))
		fail("the unprivileged part failed");
	close(fd);
	return 0;
}
