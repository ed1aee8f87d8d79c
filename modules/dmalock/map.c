// SPDX-License-Identifier: GPL-2.0
/*
 * map.c - the scatterlist of a lock and its DMA mapping.
 *
 * Physically contiguous pinned pages share one segment (a THP-backed
 * buffer needs one segment per 2 MiB, or fewer when huge pages happen to
 * be adjacent), up to the largest segment the DMA device takes.  The
 * table is mapped for the controller's DMA device (dsmil_dev_dma_device())
 * for the lock's whole life.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/dma-mapping.h>
#include <linux/mm.h>

#include "internal.h"

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

/**
 * dmalock_map() - build the coalesced sg_table of a lock and DMA-map it
 * @buf: the lock, pinned, with its DMA device
 *
 * Return: 0, -ENOMEM, or the error of dma_map_sgtable() (the table is then
 * freed again).
 */
int dmalock_map(struct dmalock_buf *buf)
{
	int ret;

	ret = dmalock_sg_build(&buf->sgt, buf->pages, buf->nr_pages,
			       dmalock_max_segment(buf->dma_dev));
	if (ret)
		return ret;
	ret = dma_map_sgtable(buf->dma_dev, &buf->sgt,
			      dmalock_dma_dir(buf->dir), 0);
	if (ret) {
		dev_dbg(buf->dma_dev, "cannot map %lu pages: %d\n",
			buf->nr_pages, ret);
		sg_free_table(&buf->sgt);
		return ret;
	}
	buf->mapped = true;
	atomic64_add(buf->sgt.nents, &dmalock_counters.segments);
	return 0;
}

/**
 * dmalock_unmap() - unmap and free the sg_table (no-op if not mapped)
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
