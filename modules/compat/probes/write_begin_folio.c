// SPDX-License-Identifier: GPL-2.0
/*
 * Since 6.12 address_space_operations.write_begin()/write_end(),
 * block_write_begin() and generic_write_end() pass a struct folio instead
 * of a struct page.
 */
#include <linux/buffer_head.h>
#include <linux/fs.h>

int dsmil_probe_write_begin(struct address_space *mapping, loff_t pos,
			    unsigned int len, struct folio **foliop,
			    get_block_t *get_block);
int dsmil_probe_write_begin(struct address_space *mapping, loff_t pos,
			    unsigned int len, struct folio **foliop,
			    get_block_t *get_block)
{
	return block_write_begin(mapping, pos, len, foliop, get_block);
}
