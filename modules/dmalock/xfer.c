// SPDX-License-Identifier: GPL-2.0
/*
 * xfer.c - transfers between a locked buffer and a controller's device
 * memory, piece by piece, with no copy in between.
 *
 * With a device that masters the bus (pci: edu), the engine moves each
 * piece straight from or into the locked pages: one dsmil_dev_dma_bus()
 * per contiguous DMA segment the range crosses, at the segment's address
 * of the lock's mapping.  Each piece is handed to the device before
 * (dma_sync_single_range_for_device()) and, if the device wrote it, back
 * to the CPU right after (dma_sync_single_range_for_cpu()), so swiotlb
 * copies exactly the bytes moved and the lock's pages hold the data when
 * the transfer returns.
 *
 * Without one (emu, platform: a CPU-only lock), the CPU copies: each piece
 * within one page goes through kmap_local_page() and dsmil_dev_dma(),
 * with flush_dcache_page() after writing a page the user maps.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/dma-mapping.h>
#include <linux/highmem.h>
#include <linux/scatterlist.h>

#include "internal.h"

/* The engine DMAs from or into the lock's mapping. */
static int dmalock_xfer_bus(struct dmalock_buf *buf, u64 offset,
			    u32 dev_offset, size_t len, enum dsmil_dma_dir dir)
{
	enum dma_data_direction map_dir = dmalock_dma_dir(buf->dir);
	struct device *dev = buf->dma_dev;
	size_t done = 0, seg_len, n;
	struct scatterlist *sg;
	u64 skip = offset;
	dma_addr_t addr;
	unsigned int i;
	int ret = 0;

	mutex_lock(&buf->map_lock);
	if (!buf->mapped) {
		ret = -ENODEV;
		goto out_unlock;
	}
	for_each_sgtable_dma_sg(&buf->sgt, sg, i) {
		seg_len = sg_dma_len(sg);
		if (skip >= seg_len) {
			skip -= seg_len;
			continue;
		}
		addr = sg_dma_address(sg);
		n = min_t(size_t, seg_len - skip, len - done);
		dma_sync_single_range_for_device(dev, addr, skip, n, map_dir);
		ret = dsmil_dev_dma_bus(buf->ddev, dir, dev_offset + done,
					addr + skip, n);
		if (ret)
			break;
		if (dir == DSMIL_DMA_FROM_DEVICE)
			dma_sync_single_range_for_cpu(dev, addr, skip, n,
						      map_dir);
		done += n;
		skip = 0;
		if (done == len)
			break;
	}
	if (!ret && done != len)
		ret = -EINVAL;
out_unlock:
	mutex_unlock(&buf->map_lock);
	return ret;
}

/* The CPU copies, a piece within one page at a time. */
static int dmalock_xfer_cpu(struct dmalock_buf *buf, u64 offset,
			    u32 dev_offset, size_t len, enum dsmil_dma_dir dir)
{
	struct page *page;
	size_t done, n;
	unsigned int in_page;
	void *vaddr;
	u64 pos;
	int ret = 0;

	for (done = 0; done < len; done += n) {
		pos = offset + done;
		page = buf->pages[pos >> PAGE_SHIFT];
		in_page = offset_in_page(pos);
		n = min_t(size_t, len - done, PAGE_SIZE - in_page);
		vaddr = dsmil_kmap_local(page);
		ret = dsmil_dev_dma(buf->ddev, dir, dev_offset + done,
				    vaddr + in_page, n);
		if (!ret && dir == DSMIL_DMA_FROM_DEVICE)
			flush_dcache_page(page);
		dsmil_kunmap_local(page, vaddr);
		if (ret)
			break;
	}
	return ret;
}

static int dmalock_xfer_copy(struct dmalock_buf *buf, u64 offset,
			     u32 dev_offset, size_t len, enum dsmil_dma_dir dir)
{
	int ret;

	if (buf->dma_dev)
		ret = dmalock_xfer_bus(buf, offset, dev_offset, len, dir);
	else
		ret = dmalock_xfer_cpu(buf, offset, dev_offset, len, dir);
	if (!ret) {
		atomic64_inc(&dmalock_counters.xfers);
		atomic64_add(len, &dmalock_counters.xfer_bytes);
	}
	return ret;
}

static bool dmalock_xfer_allowed(enum dsmil_dma_lock_dir lock_dir,
				 enum dsmil_dma_dir dir)
{
	if (dir == DSMIL_DMA_TO_DEVICE)
		return lock_dir != DSMIL_DMA_LOCK_FROM_DEVICE;
	return lock_dir != DSMIL_DMA_LOCK_TO_DEVICE;
}

/**
 * dsmil_dma_xfer() - move data between a locked buffer and device memory
 * @owner: the owner
 * @handle: the locked buffer, from dsmil_dma_lock()
 * @offset: byte offset in the buffer
 * @dev_offset: byte offset in the controller's device memory
 * @len: bytes (1 .. what both the buffer and the device memory hold;
 *	a range past either is refused before anything moves)
 * @dir: DSMIL_DMA_TO_DEVICE (buffer -> device memory) or
 *	DSMIL_DMA_FROM_DEVICE (device memory -> buffer)
 *
 * Runs on the engine of the controller the buffer was locked for.  With a
 * claim of @owner on that controller, the claim must allow @dir (shared:
 * FROM_DEVICE only); without one, the xfer claims the engine for its
 * duration (exclusive to the device, shared from it), waiting as a
 * blocking claim without timeout.  Moved piece by piece, each a real
 * DMA of the device into or out of the locked pages (one per DMA segment
 * the range crosses), or a CPU copy (one per page) for a CPU-only lock; an
 * error stops the transfer with part of it done.
 *
 * Context: process context; sleeps.
 * Return: 0; -ENOENT for an unknown handle; -EINVAL for a bad @dir, @len
 * 0 or a range past the buffer; -ERANGE for a range past the device
 * memory; -EACCES if the lock's direction or @owner's shared claim does
 * not allow @dir; -EINTR on a fatal signal
 * while claiming; the errors of dsmil_dev_dma(): -ENODEV (controller
 * gone, or the lock's DMA device went away), -EPERM (to a quarantined device),
 * -EOPNOTSUPP (no DMA engine), -EHOSTDOWN (thermal emergency), -ETIMEDOUT
 * or -EIO (engine failure); -ENOMEM.
 */
int dsmil_dma_xfer(struct dsmil_dma_owner *owner, u32 handle, u64 offset,
		   u32 dev_offset, size_t len, enum dsmil_dma_dir dir)
{
	enum dsmil_dma_claim_mode mode;
	struct dmalock_claim *claim;
	struct dmalock_arb *arb = NULL;
	struct dmalock_buf *buf;
	size_t dma_size;
	int ret;

	might_sleep();
	if (dir != DSMIL_DMA_TO_DEVICE && dir != DSMIL_DMA_FROM_DEVICE)
		return -EINVAL;
	buf = dmalock_buf_get(owner, handle);
	if (!buf)
		return -ENOENT;
	if (!len || offset > buf->len || len > buf->len - offset) {
		ret = -EINVAL;
		goto out_put_buf;
	}
	/* Refused whole rather than stopped after the pieces that fit. */
	ret = dsmil_dev_dma_size(buf->ddev, &dma_size);
	if (ret)
		goto out_put_buf;
	if (dev_offset >= dma_size || len > dma_size - dev_offset) {
		ret = -ERANGE;
		goto out_put_buf;
	}
	if (!dmalock_xfer_allowed(buf->dir, dir)) {
		ret = -EACCES;
		goto out_put_buf;
	}

	mutex_lock(&owner->lock);
	claim = dmalock_owner_claim(owner, buf->ddev);
	if (claim && claim->mode == DSMIL_DMA_CLAIM_SHARED &&
	    dir == DSMIL_DMA_TO_DEVICE)
		claim = ERR_PTR(-EACCES);
	else if (claim)
		claim->xfers++;
	mutex_unlock(&owner->lock);
	if (IS_ERR(claim)) {
		ret = PTR_ERR(claim);
		goto out_put_buf;
	}

	mode = dir == DSMIL_DMA_TO_DEVICE ? DSMIL_DMA_CLAIM_EXCLUSIVE :
					    DSMIL_DMA_CLAIM_SHARED;
	if (!claim) {
		ret = dmalock_claim_get(buf->ddev, mode, 0, 0, &arb);
		if (ret)
			goto out_put_buf;
	}

	ret = dmalock_xfer_copy(buf, offset, dev_offset, len, dir);

	if (arb) {
		dmalock_claim_put(arb, mode);
	} else {
		mutex_lock(&owner->lock);
		claim->xfers--;
		mutex_unlock(&owner->lock);
	}
out_put_buf:
	dmalock_buf_put(buf);
	return ret;
}
DSMIL_EXPORT(dsmil_dma_xfer);
