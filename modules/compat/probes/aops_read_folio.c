// SPDX-License-Identifier: GPL-2.0
/*
 * Since 5.19 address_space_operations.read_folio() replaces readpage(),
 * with block_read_full_folio() as the buffer-head implementation.
 */
#include <linux/buffer_head.h>
#include <linux/fs.h>

static int dsmil_probe_get_block(struct inode *inode, sector_t block,
				 struct buffer_head *bh, int create)
{
	return 0;
}

static int dsmil_probe_read_folio(struct file *file, struct folio *folio)
{
	return block_read_full_folio(folio, dsmil_probe_get_block);
}

const struct address_space_operations dsmil_probe_aops_read_folio = {
	.read_folio = dsmil_probe_read_folio,
};
