// SPDX-License-Identifier: GPL-2.0
/*
 * xfer.c - transfers between a locked buffer and a controller's device
 * memory, through the controller's DMA engine (dsmil_dev_dma()).
 *
 * The engine moves at most a page per transfer from a kernel bounce page:
 * on the pci backend (QEMU edu) the core copies it into its coherent
 * buffer below edu's 28-bit DMA mask and edu's engine moves it by bus
 * mastering; on emu the software engine copies it.  The locked pages are
 * reached through their kernel mapping, with the buffer handed to the CPU
 * (dma_sync_sgtable_for_cpu()) for the copy and back to the device after.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/scatterlist.h>
#include <linux/slab.h>

#include "internal.h"

static int dmalock_xfer_copy(struct dmalock_buf *buf, u64 offset,
			     u32 dev_offset, size_t len, enum dsmil_dma_dir dir)
{
	struct scatterlist *sgl = buf->sgt.sgl;
	unsigned int nents = buf->sgt.orig_nents;
	size_t done, n;
	void *bounce;
	int ret = 0;

	bounce = kmalloc(PAGE_SIZE, GFP_KERNEL);
	if (!bounce)
		return -ENOMEM;
	dmalock_sync(buf, DSMIL_DMA_SYNC_FOR_CPU);
	for (done = 0; done < len; done += n) {
		n = min_t(size_t, len - done, PAGE_SIZE);
		if (dir == DSMIL_DMA_TO_DEVICE &&
		    sg_pcopy_to_buffer(sgl, nents, bounce, n, offset + done) != n) {
			ret = -EFAULT;
			break;
		}
		ret = dsmil_dev_dma(buf->ddev, dir, dev_offset + done, bounce, n);
		if (ret)
			break;
		if (dir == DSMIL_DMA_FROM_DEVICE &&
		    sg_pcopy_from_buffer(sgl, nents, bounce, n, offset + done) != n) {
			ret = -EFAULT;
			break;
		}
	}
	dmalock_sync(buf, DSMIL_DMA_SYNC_FOR_DEVICE);
	kfree(bounce);
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
 * blocking claim without timeout.  Moved a page at a time; an error stops
 * the transfer with part of it done.
 *
 * Context: process context; sleeps.
 * Return: 0; -ENOENT for an unknown handle; -EINVAL for a bad @dir, @len
 * 0 or a range past the buffer; -ERANGE for a range past the device
 * memory; -EACCES if the lock's direction or @owner's shared claim does
 * not allow @dir; -EINTR on a fatal signal
 * while claiming; the errors of dsmil_dev_dma(): -ENODEV (controller
 * gone), -EPERM (to a quarantined device),
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
