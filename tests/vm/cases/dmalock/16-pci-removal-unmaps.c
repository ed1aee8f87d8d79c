// SPDX-License-Identifier: GPL-2.0
/*
 * A lock's mapping lives on the edu pci_dev and goes with its driver
 * binding: after the PCI device is removed, the lock (still pinned) can
 * no longer be used for DMA (xfer, sync and query: ENODEV), unlock works
 * and frees everything, and the DMA API saw every mapping unmapped before
 * the device left (on the debug kernel, DMA_API_DEBUG would report
 * "pending DMA allocations" otherwise: a splat fails the case).  A rescan
 * brings edu back.
 */
#include "dmalock-lib.h"

int main(void)
{
	const char *bdf;
	struct dsmil_dma_query_args q;
	unsigned char *p;
	char cmd[256];
	uint32_t h, h2;
	int fd;

	bdf = edu_removable();
	load("pci");
	fd = ctl_open();
	p = anon(4 * PAGE);
	pattern(p, 4 * PAGE, 5);
	expect_eq(dl_lock(fd, p, 2 * PAGE, LOCK_BIDI, &h), 0, "lock");
	expect_eq(dl_lock(fd, p + 2 * PAGE, 2 * PAGE, LOCK_TO, &h2), 0,
		  "second lock");
	expect_eq(dl_xfer(fd, h, 0, 0, 100, XFER_TO_DEV), 0, "xfer before");
	expect_eq(dl_query(fd, h, &q), 0, "query before");

	snprintf(cmd, sizeof(cmd), "echo 1 > /sys/bus/pci/devices/%s/remove",
		 bdf);
	if (system(cmd))
		fail("cannot remove %s", bdf);

	expect_eq(dl_query(fd, h, &q), -ENODEV, "query after removal");
	expect_eq(dl_sync(fd, h, DSMIL_SYNC_FOR_CPU), -ENODEV,
		  "sync after removal");
	expect_eq(dl_xfer(fd, h, 0, 0, 100, XFER_FROM_DEV), -ENODEV,
		  "xfer after removal");
	expect_eq(dl_unlock(fd, h), 0, "unlock after removal");
	close(fd);	/* the second lock goes with the owner */
	expect_nothing_held("after removal");
	note("locks of a removed device: ENODEV for DMA, unlocked cleanly");
	unload();
	edu_rescan();
	return 0;
}
