// SPDX-License-Identifier: GPL-2.0
/*
 * Since 6.0 address_space_operations.write_begin() and
 * block_write_begin() have no "flags" argument.
 */
#include <linux/buffer_head.h>
#include <linux/fs.h>

int dsmil_probe_write_begin(struct address_space *mapping, loff_t pos,
			    unsigned int len, struct page **pagep,
			    get_block_t *get_block);
int dsmil_probe_write_begin(struct address_space *mapping, loff_t pos,
			    unsigned int len, struct page **pagep,
			    get_block_t *get_block)
{
	return block_write_begin(mapping, pos, len, pagep, get_block);
}
