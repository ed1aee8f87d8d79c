// SPDX-License-Identifier: GPL-2.0
/*
 * jbd2 keeps a jbd2_inode's dirty range in pages (i_dirty_start_page,
 * i_dirty_end_page, read locklessly) and gives it in bytes through
 * jbd2_jinode_get_dirty_range() since 7.x; before, the fields were
 * i_dirty_start and i_dirty_end, in bytes.
 */
#include <linux/jbd2.h>

bool dsmil_probe_jbd2_range(const struct jbd2_inode *jinode, loff_t *start,
			    loff_t *end);
bool dsmil_probe_jbd2_range(const struct jbd2_inode *jinode, loff_t *start,
			    loff_t *end)
{
	return jbd2_jinode_get_dirty_range(jinode, start, end);
}
