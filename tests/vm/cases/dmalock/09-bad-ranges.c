// SPDX-License-Identifier: GPL-2.0
/*
 * Unaligned, overflowing, zero-length, unmapped and over-cap ranges are
 * refused with their errno, and nothing stays pinned or charged.
 */
#include "dmalock-lib.h"

int main(void)
{
	unsigned char *p, *hole;
	int fd;

	load("emu");
	fd = ctl_open();
	p = anon(4 * PAGE);
	hole = anon(2 * PAGE);
	munmap(hole, 2 * PAGE);

	expect_eq(dl_lock(fd, p + 1, PAGE, LOCK_BIDI, NULL), -EINVAL,
		  "unaligned address");
	expect_eq(dl_lock(fd, p, PAGE + 1, LOCK_BIDI, NULL), -EINVAL,
		  "unaligned length");
	expect_eq(dl_lock(fd, p, 0, LOCK_BIDI, NULL), -EINVAL, "length 0");
	expect_eq(dl_lock(fd, (void *)(uintptr_t)-PAGE, 2 * PAGE, LOCK_BIDI,
			  NULL), -EINVAL, "address + length overflows");
	expect_eq(dl_lock(fd, (void *)(uintptr_t)(-4 * PAGE), PAGE, LOCK_BIDI,
			  NULL), -EINVAL, "past the user address space");
	expect_eq(dl_lock(fd, p, PAGE, 0, NULL), -EINVAL, "direction 0");
	expect_eq(dl_lock(fd, p, PAGE, 7, NULL), -EINVAL, "direction 7");
	expect_eq(dl_lock(fd, hole, PAGE, LOCK_BIDI, NULL), -EFAULT,
		  "unmapped range");
	expect_eq(dl_lock(fd, hole - PAGE, 2 * PAGE, LOCK_BIDI, NULL), -EFAULT,
		  "range running into a hole");
	expect_eq(dl_lock(fd, p, 2048 * MiB, LOCK_BIDI, NULL), -E2BIG,
		  "longer than max_locked_mb");
	expect_nothing_held("after the refusals");
	expect_eq(vmlck_kb(), 0, "VmLck after the refusals (kB)");
	close(fd);
	return 0;
}
