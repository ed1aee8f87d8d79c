/* SPDX-License-Identifier: GPL-2.0 */
/*
 * roundtrip.h - RAM -> device memory -> RAM through a controller's DMA
 * engine with DSMIL_IOC_DMA_XFER and _SYNC, byte-exact (shared by the emu
 * and edu cases; not a case).
 */
#include "dmalock-lib.h"

static inline void roundtrip(const char *backend, size_t dma_size)
{
	struct dsmil_stats_args st0, st;
	unsigned char *p;
	uint32_t h;
	int fd;

	load(backend);
	fd = ctl_open();
	p = anon(2 * PAGE);
	pattern(p, dma_size, 7);
	memset(p + PAGE, 0, PAGE);
	expect_eq(dl_lock(fd, p, 2 * PAGE, LOCK_BIDI, &h), 0, "lock");
	expect_eq(dl_sync(fd, h, DSMIL_SYNC_FOR_DEVICE), 0, "sync for the device");
	st0 = dl_stats();

	/* Buffer [0, dma_size) -> device [0, dma_size) -> buffer page 1. */
	expect_eq(dl_xfer(fd, h, 0, 0, dma_size, XFER_TO_DEV), 0,
		  "xfer to device");
	expect_eq(dl_xfer(fd, h, PAGE, 0, dma_size, XFER_FROM_DEV), 0,
		  "xfer from device");
	expect_eq(dl_sync(fd, h, DSMIL_SYNC_FOR_CPU), 0, "sync for the CPU");
	if (memcmp(p, p + PAGE, dma_size))
		fail("%s: data differs after the round trip", backend);
	/* An odd offset and length land at the right place too. */
	expect_eq(dl_xfer(fd, h, 3, 1000, 777, XFER_TO_DEV), 0, "odd xfer to");
	expect_eq(dl_xfer(fd, h, PAGE + 5, 1000, 777, XFER_FROM_DEV), 0,
		  "odd xfer from");
	if (memcmp(p + 3, p + PAGE + 5, 777))
		fail("%s: odd round trip differs", backend);

	expect_eq(dl_xfer(fd, h, 0, 0, dma_size + 1, XFER_TO_DEV), -ERANGE,
		  "past device memory");
	expect_eq(dl_xfer(fd, h, PAGE, 0, PAGE + 1, XFER_TO_DEV), -EINVAL,
		  "past the buffer");
	expect_eq(dl_xfer(fd, h, 0, 0, 0, XFER_TO_DEV), -EINVAL, "length 0");
	expect_eq(dl_xfer(fd, h + 1, 0, 0, 16, XFER_TO_DEV), -ENOENT,
		  "unknown handle");
	expect_eq(dl_sync(fd, h, 2), -EINVAL, "sync direction 2");
	expect_eq(dl_sync(fd, h + 1, DSMIL_SYNC_FOR_CPU), -ENOENT,
		  "sync of an unknown handle");
	st = dl_stats();
	expect_eq(st.dma_xfers - st0.dma_xfers, 4, "xfers counted");
	expect_eq(st.dma_xfer_bytes - st0.dma_xfer_bytes, 2 * dma_size + 2 * 777,
		  "xfer_bytes counted");
	note("%s: %zu bytes there and back, byte-exact", backend, dma_size);
	expect_eq(dl_unlock(fd, h), 0, "unlock");
	close(fd);
}
