// SPDX-License-Identifier: GPL-2.0
/*
 * sg_alloc_table_from_pages_segment() appeared in 5.15; before, the same
 * job was __sg_alloc_table_from_pages() returning a struct scatterlist *.
 */
#include <linux/scatterlist.h>

int dsmil_probe_sg_segment(struct sg_table *sgt, struct page **pages);
int dsmil_probe_sg_segment(struct sg_table *sgt, struct page **pages)
{
	return sg_alloc_table_from_pages_segment(sgt, pages, 1, 0, PAGE_SIZE,
						 UINT_MAX, GFP_KERNEL);
}
