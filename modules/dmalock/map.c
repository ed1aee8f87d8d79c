// SPDX-License-Identifier: GPL-2.0
/*
 * map.c - the scatterlist of a lock and its DMA mapping.
 *
 * Physically contiguous pinned pages share one segment (a THP-backed
 * buffer needs one segment per 2 MiB, or fewer when huge pages happen to
 * be adjacent), up to the largest segment the DMA device takes.  The
 * table is mapped for the controller's DMA device (dsmil_dev_dma_device())
 * for the lock's whole life.
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

#include <linux/dma-mapping.h>
#include <linux/mm.h>

#include "internal.h"

/* pfn -> the one FROM_DEVICE or BIDIRECTIONAL lock of that page. */
static DEFINE_XARRAY(dmalock_writers);

/* Pages recorded between cond_resched() calls. */
#define DMALOCK_WRITERS_BATCH	512

static enum dma_data_direction dmalock_dma_dir(enum dsmil_dma_lock_dir dir)
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

/* Largest segment @dev takes, in whole pages. */
static unsigned int dmalock_max_segment(struct device *dev)
{
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
				dev_dbg(buf->dma_dev,
					"refusing %#lx+%#zx: page %lu is locked for device writes already\n",
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

/**
 * dmalock_map() - build the coalesced sg_table of a lock and DMA-map it
 * @buf: the lock, pinned, with its DMA device
 *
 * Return: 0; -EBUSY if the device may write the lock and a page of it is
 * in another lock the device may write (or twice in this one); -ENOMEM;
 * or the error of dma_map_sgtable().  On failure nothing is left mapped
 * or recorded.
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
		goto err_writers;
	ret = dma_map_sgtable(buf->dma_dev, &buf->sgt,
			      dmalock_dma_dir(buf->dir), 0);
	if (ret) {
		dev_dbg(buf->dma_dev, "cannot map %lu pages: %d\n",
			buf->nr_pages, ret);
		sg_free_table(&buf->sgt);
		goto err_writers;
	}
	buf->mapped = true;
	atomic64_add(buf->sgt.nents, &dmalock_counters.segments);
	return 0;

err_writers:
	if (buf->writer) {
		dmalock_writers_put(buf, buf->nr_pages);
		buf->writer = false;
	}
	return ret;
}

/**
 * dmalock_unmap() - unmap and free the sg_table, give up the lock's pages
 *	in dmalock_writers (no-op if not mapped)
 * @buf: the lock
 */
void dmalock_unmap(struct dmalock_buf *buf)
{
	if (!buf->mapped)
		return;
	atomic64_sub(buf->sgt.nents, &dmalock_counters.segments);
	dma_unmap_sgtable(buf->dma_dev, &buf->sgt, dmalock_dma_dir(buf->dir), 0);
	sg_free_table(&buf->sgt);
	buf->mapped = false;
	if (buf->writer) {
		dmalock_writers_put(buf, buf->nr_pages);
		buf->writer = false;
	}
}

/**
 * dmalock_sync() - transfer ownership of a mapped lock
 * @buf: the lock
 * @dir: to the CPU or to the device
 */
void dmalock_sync(struct dmalock_buf *buf, enum dsmil_dma_sync_dir dir)
{
	DSMIL_ASSERT(buf->mapped);
	if (dir == DSMIL_DMA_SYNC_FOR_CPU)
		dma_sync_sgtable_for_cpu(buf->dma_dev, &buf->sgt,
					 dmalock_dma_dir(buf->dir));
	else
		dma_sync_sgtable_for_device(buf->dma_dev, &buf->sgt,
					    dmalock_dma_dir(buf->dir));
}
