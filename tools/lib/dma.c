// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * dma.c - user buffers locked for device DMA.
 */
#include "internal.h"

/* DSMIL_DIR_* for a 1.0 kernel: the values DMA_LOCK knew. */
static uint32_t dsmil_lock_dir_1_0(uint32_t dir)
{
	switch (dir) {
	case DSMIL_DIR_TO_DEVICE:
		return DSMIL_LOCK_TO_DEVICE;
	case DSMIL_DIR_FROM_DEVICE:
		return DSMIL_LOCK_FROM_DEVICE;
	case DSMIL_DIR_BIDIRECTIONAL:
		return DSMIL_LOCK_BIDIRECTIONAL;
	}
	return dir;
}

/* DSMIL_DIR_* for a 1.0 kernel: the values DMA_XFER knew. */
static uint32_t dsmil_xfer_dir_1_0(uint32_t dir)
{
	switch (dir) {
	case DSMIL_DIR_TO_DEVICE:
		return DSMIL_XFER_TO_DEVICE;
	case DSMIL_DIR_FROM_DEVICE:
		return DSMIL_XFER_FROM_DEVICE;
	}
	return dir;
}

int dsmil_dma_lock(struct dsmil *d, void *addr, size_t len, uint32_t dir,
		   uint16_t token, uint32_t *handle)
{
	struct dsmil_dma_lock_args a;
	int ret;

	DSMIL_ARGS_INIT(a);
	a.addr = (uintptr_t)addr;
	a.length = len;
	a.dir = dsmil_abi_1_1(d) ? dir : dsmil_lock_dir_1_0(dir);
	a.token = token;
	ret = dsmil_ioctl(d, DSMIL_IOC_DMA_LOCK, &a);
	if (!ret)
		*handle = a.handle;
	return ret;
}

int dsmil_dma_unlock(struct dsmil *d, uint32_t handle)
{
	struct dsmil_dma_handle_args a;

	DSMIL_ARGS_INIT(a);
	a.handle = handle;
	return dsmil_ioctl(d, DSMIL_IOC_DMA_UNLOCK, &a);
}

int dsmil_dma_sync(struct dsmil *d, uint32_t handle, uint32_t dir)
{
	struct dsmil_dma_sync_args a;

	DSMIL_ARGS_INIT(a);
	a.handle = handle;
	a.dir = dir;
	return dsmil_ioctl(d, DSMIL_IOC_DMA_SYNC, &a);
}

int dsmil_dma_query(struct dsmil *d, uint32_t handle,
		    struct dsmil_dma_info *info,
		    struct dsmil_dma_segment_entry *segs, uint32_t max_segs)
{
	struct dsmil_dma_query_args a;
	int ret;

	DSMIL_ARGS_INIT(a);
	a.handle = handle;
	a.max_segments = segs ? max_segs : 0;
	a.segments = (uintptr_t)segs;
	/* A 1.0 kernel knows no entry_size: 0 is the same stride there. */
	if (dsmil_abi_1_1(d))
		a.entry_size = sizeof(*segs);
	ret = dsmil_ioctl(d, DSMIL_IOC_DMA_QUERY, &a);
	if (ret)
		return ret;
	info->addr = a.addr;
	info->length = a.length;
	info->nr_pages = a.nr_pages;
	info->nr_segments = a.nr_segments;
	info->token = a.token;
	info->dir = a.dir;
	info->lock_flags = a.lock_flags;
	return 0;
}

int dsmil_dma_xfer(struct dsmil *d, uint32_t handle, uint32_t dir,
		   uint64_t offset, uint32_t dev_offset, uint64_t len)
{
	struct dsmil_dma_xfer_args a;

	DSMIL_ARGS_INIT(a);
	a.handle = handle;
	a.dir = dsmil_abi_1_1(d) ? dir : dsmil_xfer_dir_1_0(dir);
	a.offset = offset;
	a.dev_offset = dev_offset;
	a.length = len;
	return dsmil_ioctl(d, DSMIL_IOC_DMA_XFER, &a);
}

int dsmil_dma_claim(struct dsmil *d, uint16_t token, uint32_t mode,
		    unsigned int flags, uint32_t timeout_ms)
{
	struct dsmil_dma_claim_args a;

	DSMIL_ARGS_INIT(a);
	a.flags = flags;
	a.token = token;
	a.mode = mode;
	a.timeout_ms = timeout_ms;
	return dsmil_ioctl(d, DSMIL_IOC_DMA_CLAIM, &a);
}

int dsmil_dma_release(struct dsmil *d, uint16_t token)
{
	struct dsmil_dma_claim_args a;

	DSMIL_ARGS_INIT(a);
	a.token = token;
	return dsmil_ioctl(d, DSMIL_IOC_DMA_RELEASE, &a);
}
