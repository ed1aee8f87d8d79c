// SPDX-License-Identifier: GPL-2.0
/*
 * shape.c - the shape of a lock: which user ranges can be locked, the
 * largest DMA segment, and the scatterlist that coalesces the pinned pages.
 *
 * No state of the module: the checks are pure functions and the
 * scatterlist is built from the pages it is given.  The KUnit suite
 * dsmil_dmalock_shape (tests/kmod/kunit) compiles this file too.
 */
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/scatterlist.h>

#include "internal.h"

/**
 * dmalock_check_range() - validate a user range's shape
 * @uaddr: start
 * @len: bytes
 *
 * Return: 0 or -EINVAL (length 0, misaligned start or length, overflow,
 * end past TASK_SIZE, more pages than a lock can count).
 */
int dmalock_check_range(unsigned long uaddr, size_t len)
{
	unsigned long end;

	if (!len || !PAGE_ALIGNED(uaddr) || !PAGE_ALIGNED(len))
		return -EINVAL;
	if (check_add_overflow(uaddr, len, &end) || end > TASK_SIZE)
		return -EINVAL;
	if ((len >> PAGE_SHIFT) > U32_MAX)
		return -EINVAL;
	return 0;
}

/**
 * dmalock_seg_limit() - largest scatterlist segment for a DMA device
 * @max_mapping: dma_max_mapping_size() of the device
 * @max_seg: dma_get_max_seg_size() of the device
 *
 * Return: the smaller of the two, capped to UINT_MAX and rounded down to
 * whole pages, but at least one page.
 */
unsigned int dmalock_seg_limit(size_t max_mapping, size_t max_seg)
{
	size_t max = min3(max_mapping, max_seg, (size_t)UINT_MAX);

	return max_t(size_t, max & PAGE_MASK, PAGE_SIZE);
}

/**
 * dmalock_sg_build() - coalesce pinned pages into a scatterlist
 * @sgt: the table to fill (freed with sg_free_table())
 * @pages: the pages, in user address order
 * @nr_pages: how many, at most U32_MAX (dmalock_check_range())
 * @max_segment: largest segment in bytes, a multiple of PAGE_SIZE
 *
 * Physically contiguous pages share one segment, up to @max_segment bytes.
 *
 * Return: 0 or -ENOMEM.
 */
int dmalock_sg_build(struct sg_table *sgt, struct page **pages,
		     unsigned long nr_pages, unsigned int max_segment)
{
	return dsmil_sg_alloc_table_from_pages_segment(sgt, pages, nr_pages, 0,
						       nr_pages << PAGE_SHIFT,
						       max_segment, GFP_KERNEL);
}
