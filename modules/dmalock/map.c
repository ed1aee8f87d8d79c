// SPDX-License-Identifier: GPL-2.0
/*
 * map.c - the scatterlist of a lock and its DMA mapping.
 *
 * Physically contiguous pinned pages share one segment (a THP-backed
 * buffer needs one segment per 2 MiB, or fewer when huge pages happen to
 * be adjacent), up to the largest segment the DMA device takes.  The
 * table is mapped for the device that masters the bus for the controller
 * (dsmil_dev_dma_device(): the pci backend's pci_dev), so its addresses
 * are that device's: physical addresses, IOVAs behind an IOMMU, or
 * swiotlb slots.  A controller without such a device (emu, platform)
 * gets no mapping: the lock is CPU-only and its data moves with the CPU.
 *
 * The mapping lives as long as the lock or as long as the DMA device's
 * driver binding, whichever ends first: a managed action on the DMA
 * device (dsmil_devm_add_action(), holding a reference to the lock and
 * one on this module) unmaps it when the driver unbinds (PCI removal),
 * after the driver's remove() stopped the engine and before the device
 * leaves the bus and its IOMMU.  Unlock runs that action itself.  The
 * module reference keeps dsmil_dmalock loaded while an unbinding may
 * still be in its code, also after the lock's owner and the frontend
 * are gone.  buf->map_lock orders the unmap against the transfers and
 * syncs that use the mapping.
 *
 * Unmapping skips the CPU sync (DMA_ATTR_SKIP_CPU_SYNC): every piece the
 * device wrote was handed to the CPU right after the device wrote it
 * (xfer.c), so there is nothing left to copy back, and under swiotlb a
 * copy-back would overwrite what the CPU wrote since with the bounce
 * slots' stale contents.
 *
 * The DMA API does not support overlapping mappings that a device writes
 * (DMA_FROM_DEVICE, DMA_BIDIRECTIONAL): on a non-coherent machine the
 * cache maintenance of one mapping destroys what the device wrote through
 * the other, and DMA-API debugging reports "overlapping mappings aren't
 * supported".  So a page belongs to at most one lock the device may write,
 * across all owners and processes (shared memory, fork): dmalock_writers
 * maps its pfn to that lock.  TO_DEVICE locks share pages freely.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/delay.h>
#include <linux/device.h>
#include <linux/dma-mapping.h>
#include <linux/mm.h>

#include "internal.h"

/* pfn -> the one FROM_DEVICE or BIDIRECTIONAL lock of that page. */
static DEFINE_XARRAY(dmalock_writers);

/* Pages recorded between cond_resched() calls. */
#define DMALOCK_WRITERS_BATCH	512

/**
 * dmalock_dma_dir() - the DMA API direction of a lock
 * @dir: the lock's direction
 *
 * Return: the direction its mapping and syncs use.
 */
enum dma_data_direction dmalock_dma_dir(enum dsmil_dma_lock_dir dir)
{
	switch (dir) {
	case DSMIL_DMA_LOCK_TO_DEVICE:
		return DMA_TO_DEVICE;
	case DSMIL_DMA_LOCK_FROM_DEVICE:
		return DMA_FROM_DEVICE;
	default:
		return DMA_BIDIRECTIONAL;
	}
}

/* Largest segment @dev takes (NULL: no DMA device), in whole pages. */
static unsigned int dmalock_max_segment(struct device *dev)
{
	if (!dev)
		return dmalock_seg_limit(SIZE_MAX, UINT_MAX);
	return dmalock_seg_limit(dma_max_mapping_size(dev),
				 dma_get_max_seg_size(dev));
}

/* Give up the first @n pages of @buf in dmalock_writers. */
static void dmalock_writers_put(struct dmalock_buf *buf, unsigned long n)
{
	unsigned long i;

	for (i = 0; i < n; i++)
		xa_cmpxchg(&dmalock_writers, page_to_pfn(buf->pages[i]), buf,
			   NULL, 0);
}

/*
 * Record every page of a lock the device may write in dmalock_writers;
 * -EBUSY if one is already there (another lock, or twice in this one).
 */
static int dmalock_writers_get(struct dmalock_buf *buf)
{
	unsigned long i;
	int ret;

	if (buf->dir == DSMIL_DMA_LOCK_TO_DEVICE)
		return 0;
	for (i = 0; i < buf->nr_pages; i++) {
		ret = xa_insert(&dmalock_writers, page_to_pfn(buf->pages[i]),
				buf, GFP_KERNEL);
		if (ret) {
			if (ret == -EBUSY)
				pr_debug("refusing %#lx+%#zx: page %lu is locked for device writes already\n",
					 buf->uaddr, buf->len, i);
			dmalock_writers_put(buf, i);
			return ret;
		}
		if (!(i % DMALOCK_WRITERS_BATCH))
			cond_resched();
	}
	buf->writer = true;
	return 0;
}

/* Unmap (under buf->map_lock, or with no other user of @buf left). */
static void dmalock_dma_unmap(struct dmalock_buf *buf)
{
	if (!buf->mapped)
		return;
	dma_unmap_sgtable(buf->dma_dev, &buf->sgt, dmalock_dma_dir(buf->dir),
			  DMA_ATTR_SKIP_CPU_SYNC);
	buf->mapped = false;
}

/*
 * The DMA device's driver unbinds, or the lock goes: unmap now.  Run by
 * dsmil_core's managed action, which holds a reference on this module
 * until this returned.  The test knob dmalock_unbind_delay_ms (debugfs,
 * at most 10 s) first waits: it holds an unbinding (or an unlock) in here
 * while a test unloads the modules or removes the device; debugfs
 * unbind_waiting counts the unmaps waiting in it, so that a test knows.
 */
static void dmalock_devres_unmap(void *data)
{
	struct dmalock_buf *buf = data;
	u32 delay_ms = READ_ONCE(dmalock_unbind_delay_ms);

	if (delay_ms) {
		atomic_inc(&dmalock_unbind_waiting);
		msleep(min_t(u32, delay_ms, 10000));
		atomic_dec(&dmalock_unbind_waiting);
	}
	mutex_lock(&buf->map_lock);
	dmalock_dma_unmap(buf);
	mutex_unlock(&buf->map_lock);
	dmalock_buf_put(buf);
}

/*
 * Map @buf's table on its DMA device, tied to the device's driver
 * binding by a managed action that holds a reference to @buf.
 */
static int dmalock_dma_map(struct dmalock_buf *buf)
{
	struct scatterlist *sg;
	unsigned int i;
	int ret;

	ret = dma_map_sgtable(buf->dma_dev, &buf->sgt,
			      dmalock_dma_dir(buf->dir), 0);
	if (ret) {
		dev_dbg(buf->dma_dev, "cannot map %lu pages: %d\n",
			buf->nr_pages, ret);
		return ret;
	}
	buf->mapped = true;
	for_each_sgtable_dma_sg(&buf->sgt, sg, i)
		if (dsmil_dma_bounces(buf->dma_dev, sg_dma_address(sg)))
			buf->bounced = true;
	kref_get(&buf->ref);
	ret = dsmil_devm_add_action(buf->dma_dev, dmalock_devres_unmap, buf,
				    THIS_MODULE);
	if (ret) {
		dmalock_dma_unmap(buf);
		dmalock_buf_put(buf);	/* not the last: the caller holds one */
		return ret;
	}
	buf->devres = true;
	return 0;
}

/**
 * dmalock_map() - build the coalesced sg_table of a lock and DMA-map it
 * @buf: the lock, pinned, with its DMA device (or none: CPU-only)
 *
 * Return: 0; -EBUSY if the device may write the lock and a page of it is
 * in another lock the device may write (or twice in this one); -ENOMEM;
 * or the error of dma_map_sgtable().  On failure nothing is left mapped
 * or recorded (dmalock_unmap() frees the table).
 */
int dmalock_map(struct dmalock_buf *buf)
{
	int ret;

	ret = dmalock_writers_get(buf);
	if (ret)
		return ret;
	ret = dmalock_sg_build(&buf->sgt, buf->pages, buf->nr_pages,
			       dmalock_max_segment(buf->dma_dev));
	if (ret)
		return ret;
	if (buf->dma_dev) {
		ret = dmalock_dma_map(buf);
		if (ret)
			return ret;
	}
	buf->nr_segs = buf->dma_dev ? buf->sgt.nents : buf->sgt.orig_nents;
	atomic64_add(buf->nr_segs, &dmalock_counters.segments);
	return 0;
}

/**
 * dmalock_detach() - unmap a lock whose handle is gone, now
 * @buf: the lock
 *
 * Releases the devres entry of the lock's mapping (unmapping it and
 * dropping its reference), unless the DMA device's driver unbinding has
 * taken it already and does that itself.
 *
 * Context: process context; may sleep.
 */
void dmalock_detach(struct dmalock_buf *buf)
{
	if (buf->devres)
		dsmil_devm_release_action(buf->dma_dev, dmalock_devres_unmap,
					  buf);
}

/**
 * dmalock_unmap() - free the sg_table, give up the lock's pages in
 *	dmalock_writers
 * @buf: the lock, with no other reference left (its mapping is gone with
 *	its devres entry, which held one)
 */
void dmalock_unmap(struct dmalock_buf *buf)
{
	DSMIL_ASSERT(!buf->mapped);
	if (buf->sgt.sgl) {
		atomic64_sub(buf->nr_segs, &dmalock_counters.segments);
		buf->nr_segs = 0;
		sg_free_table(&buf->sgt);
	}
	if (buf->writer) {
		dmalock_writers_put(buf, buf->nr_pages);
		buf->writer = false;
	}
}

/**
 * dmalock_sync() - transfer ownership of a mapped lock
 * @buf: the lock
 * @dir: to the CPU or to the device
 *
 * A CPU-only lock has nothing to sync.
 *
 * Return: 0, or -ENODEV if the DMA device went away (its mapping with it).
 */
int dmalock_sync(struct dmalock_buf *buf, enum dsmil_dma_sync_dir dir)
{
	int ret = 0;

	if (!buf->dma_dev)
		return 0;
	mutex_lock(&buf->map_lock);
	if (!buf->mapped)
		ret = -ENODEV;
	else if (dir == DSMIL_DMA_SYNC_FOR_CPU)
		dma_sync_sgtable_for_cpu(buf->dma_dev, &buf->sgt,
					 dmalock_dma_dir(buf->dir));
	else
		dma_sync_sgtable_for_device(buf->dma_dev, &buf->sgt,
					    dmalock_dma_dir(buf->dir));
	mutex_unlock(&buf->map_lock);
	return ret;
}
