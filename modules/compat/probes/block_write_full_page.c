// SPDX-License-Identifier: GPL-2.0
/*
 * Until 6.7 block_write_full_page() exists and address_space_operations
 * has writepage().  Before 5.19 mpage_writepages() calls writepage() for
 * pages it cannot write itself, so a filesystem must provide it.
 */
#include <linux/buffer_head.h>
#include <linux/fs.h>
#include <linux/writeback.h>

static int dsmil_probe_get_block(struct inode *inode, sector_t block,
				 struct buffer_head *bh, int create)
{
	return 0;
}

static int dsmil_probe_writepage(struct page *page,
				 struct writeback_control *wbc)
{
	return block_write_full_page(page, dsmil_probe_get_block, wbc);
}

const struct address_space_operations dsmil_probe_aops_writepage = {
	.writepage = dsmil_probe_writepage,
};
