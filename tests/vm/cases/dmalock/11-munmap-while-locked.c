// SPDX-License-Identifier: GPL-2.0
/*
 * munmap of a locked buffer keeps its pages pinned and safe: the data
 * written before the munmap still reaches the device, the device can
 * still write the pages, and unlock then releases them.
 */
#include "dmalock-lib.h"

#define LEN (1 * MiB)

int main(void)
{
	struct dsmil_stats_args st;
	unsigned char *p, *check;
	uint32_t h, hc;
	int fd;

	load("emu");
	fd = ctl_open();
	p = anon(LEN);
	check = anon(PAGE);
	pattern(p, LEN, 3);
	expect_eq(dl_lock(fd, p, LEN, LOCK_BIDI, &h), 0, "lock");
	expect_eq(dl_lock(fd, check, PAGE, LOCK_BIDI, &hc), 0, "lock check");
	if (munmap(p, LEN))
		fail("munmap: %s", strerror(errno));
	/* Something else may now be mapped there; the lock is unaffected. */
	memset(anon(LEN), 0xee, LEN);

	st = dl_stats();
	expect_eq(st.dma_pinned_pages, LEN / PAGE + 1, "pinned after munmap");
	/* The last page of the unmapped buffer -> device -> check page. */
	expect_eq(dl_xfer(fd, h, LEN - PAGE, 0, PAGE, XFER_TO_DEV), 0,
		  "xfer from the unmapped buffer");
	expect_eq(dl_xfer(fd, hc, 0, 0, PAGE, XFER_FROM_DEV), 0,
		  "xfer into the check page");
	pattern(p = anon(LEN), LEN, 3);
	if (memcmp(check, p + LEN - PAGE, PAGE))
		fail("the pinned pages lost their data after munmap");
	/* The device writes the unmapped pages. */
	expect_eq(dl_xfer(fd, h, 0, 0, PAGE, XFER_FROM_DEV), 0,
		  "xfer into the unmapped buffer");
	expect_eq(dl_unlock(fd, h), 0, "unlock");
	expect_eq(dl_unlock(fd, hc), 0, "unlock check");
	close(fd);
	expect_nothing_held("after unlock");
	return 0;
}
