// SPDX-License-Identifier: GPL-2.0
/*
 * An owner locks only the memory of the process that created it: a child
 * that inherited the file gets -EPERM.  Also: max_handles is enforced
 * per owner (-EMFILE) and max_locked_mb across owners (-ENOSPC), and a
 * page is in at most one lock the device may write, across owners
 * (-EBUSY; the DMA API has no overlapping device-written mappings), while
 * TO_DEVICE locks share pages.
 */
#include "dmalock-lib.h"

int main(void)
{
	unsigned char *p;
	uint32_t h[3];
	int fd, fd2, status;
	pid_t pid;

	load_with("emu", "max_handles=2 max_locked_mb=1");
	fd = ctl_open();
	p = anon(2 * MiB);

	pid = fork();
	if (pid == 0)
		_exit(dl_lock(fd, p, PAGE, LOCK_BIDI, NULL) == -EPERM ? 0 : 1);
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status))
		fail("the child's lock through the parent's owner was not -EPERM");

	expect_eq(dl_lock(fd, p, PAGE, LOCK_BIDI, &h[0]), 0, "lock 1");
	expect_eq(dl_lock(fd, p + PAGE, PAGE, LOCK_BIDI, &h[1]), 0, "lock 2");
	expect_eq(dl_lock(fd, p + 2 * PAGE, PAGE, LOCK_BIDI, &h[2]), -EMFILE,
		  "lock 3 with max_handles=2");
	fd2 = ctl_open();
	expect_eq(dl_lock(fd2, p, 2 * MiB, LOCK_BIDI, NULL), -E2BIG,
		  "2 MiB with max_locked_mb=1");
	expect_eq(dl_lock(fd2, p, 1 * MiB, LOCK_BIDI, NULL), -ENOSPC,
		  "1 MiB with 8 KiB locked and max_locked_mb=1");
	expect_eq(dl_lock(fd2, p + PAGE, PAGE, LOCK_FROM, NULL), -EBUSY,
		  "FROM_DEVICE over a BIDIRECTIONAL lock of another owner");
	expect_eq(dl_lock(fd2, p + 8 * PAGE, 2 * PAGE, LOCK_BIDI, &h[2]), 0,
		  "BIDIRECTIONAL next to the others");
	expect_eq(dl_lock(fd2, p + 9 * PAGE, 2 * PAGE, LOCK_BIDI, NULL), -EBUSY,
		  "BIDIRECTIONAL overlapping one page of it");
	expect_eq(dl_unlock(fd2, h[2]), 0, "unlock it");
	expect_eq(dl_lock(fd2, p, 2 * PAGE, LOCK_TO, &h[2]), 0,
		  "TO_DEVICE over the BIDIRECTIONAL locks");
	expect_eq(dl_unlock(fd2, h[2]), 0, "unlock the TO_DEVICE lock");
	expect_eq(dl_lock(fd2, p + 2 * PAGE, 1 * MiB - 2 * PAGE, LOCK_BIDI,
			  &h[2]), 0, "what is left of max_locked_mb");
	close(fd2);
	close(fd);
	expect_nothing_held("at the end");
	return 0;
}
