/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dmalock_test.h - ioctls of the test-only module dsmil_dmalock_test, on
 * /sys/kernel/debug/dsmil_dmalock_test/ctl.  Shared by the module and the
 * VM test programs (tests/vm/cases/dmalock/, tests/bench/dmalock.sh).
 * Each open file is one dsmil_dmalock owner; an ioctl fails with the
 * API's errno.
 */
#ifndef _DMALOCK_TEST_H
#define _DMALOCK_TEST_H

#include <linux/ioctl.h>
#include <linux/types.h>

struct dmalock_test_lock {
	__u64 uaddr;
	__u64 len;
	__u32 dir;		/* enum dsmil_dma_lock_dir: 1 to, 2 from, 3 bidi */
	__u16 token;
	__u16 pad;
	__u32 handle;		/* out */
	__u32 pad2;
};

struct dmalock_test_query {
	__u32 handle;
	__u32 max_segs;
	__u64 segs;		/* user pointer to max_segs {dma_addr, len} */
	__u64 uaddr;		/* out: the rest */
	__u64 len;
	__u32 nr_pages;
	__u32 nr_segments;
	__u16 token;
	__u8 dir;
	__u8 pad[5];
};

struct dmalock_test_xfer {
	__u32 handle;
	__u32 dev_offset;
	__u64 offset;
	__u64 len;
	__u32 dir;		/* enum dsmil_dma_dir: 0 to device, 1 from */
	__u32 pad;
};

struct dmalock_test_claim {
	__u16 token;
	__u16 pad;
	__u32 mode;		/* 0 shared, 1 exclusive */
	__u32 flags;		/* 1 non-blocking */
	__u32 timeout_ms;
};

struct dmalock_test_stats {
	__u64 locked_bytes;
	__u64 pinned_pages;
	__u64 handles;
	__u64 segments;
	__u64 owners;
	__u64 locks;
	__u64 xfers;
	__u64 xfer_bytes;
	__u64 claim_waits;
	__u64 claim_timeouts;
};

struct dmalock_test_sync {
	__u32 handle;
	__u32 dir;		/* 0 for CPU, 1 for device */
};

#define DMALOCK_TEST_LOCK	_IOWR('D', 1, struct dmalock_test_lock)
#define DMALOCK_TEST_UNLOCK	_IOW('D', 2, __u32)
#define DMALOCK_TEST_SYNC	_IOW('D', 3, struct dmalock_test_sync)
#define DMALOCK_TEST_QUERY	_IOWR('D', 4, struct dmalock_test_query)
#define DMALOCK_TEST_XFER	_IOW('D', 5, struct dmalock_test_xfer)
#define DMALOCK_TEST_CLAIM	_IOW('D', 6, struct dmalock_test_claim)
#define DMALOCK_TEST_RELEASE	_IOW('D', 7, __u16)
#define DMALOCK_TEST_STATS	_IOR('D', 8, struct dmalock_test_stats)

#endif /* _DMALOCK_TEST_H */
