// SPDX-License-Identifier: GPL-2.0
/*
 * A handle is not given out again right after its buffer was unlocked:
 * a stale handle (kept by a thread that has not seen the unlock) must
 * name no buffer, not another one locked since.  Handles go round
 * (xa_alloc_cyclic): 64 lock/unlock cycles give 64 different handles, and
 * each old one is -ENOENT afterwards.
 */
#include "dmalock-lib.h"

#define CYCLES 64

int main(void)
{
	uint32_t h[CYCLES], keep, i, j;
	unsigned char *p;
	int fd;

	load("emu");
	fd = ctl_open();
	p = anon(2 * PAGE);
	/* One buffer stays locked the whole time. */
	expect_eq(dl_lock(fd, p + PAGE, PAGE, LOCK_BIDI, &keep), 0, "lock kept");
	for (i = 0; i < CYCLES; i++) {
		expect_eq(dl_lock(fd, p, PAGE, LOCK_BIDI, &h[i]), 0, "lock");
		for (j = 0; j < i; j++)
			if (h[j] == h[i])
				fail("cycle %u got handle %u again (cycle %u had it)",
				     i, h[i], j);
		if (h[i] == keep)
			fail("cycle %u got the kept buffer's handle %u", i, keep);
		expect_eq(dl_unlock(fd, h[i]), 0, "unlock");
		expect_eq(dl_unlock(fd, h[i]), -ENOENT, "unlock of a stale handle");
	}
	expect_eq(dl_unlock(fd, keep), 0, "unlock of the kept buffer");
	expect_nothing_held("after the cycles");
	close(fd);
	return 0;
}
