// SPDX-License-Identifier: GPL-2.0
/*
 * Since 5.18 address_space_operations.dirty_folio() and invalidate_folio()
 * replace set_page_dirty() and invalidatepage(); a buffer-head filesystem
 * must set them to block_dirty_folio() and block_invalidate_folio().
 */
#include <linux/buffer_head.h>
#include <linux/fs.h>

const struct address_space_operations dsmil_probe_aops_dirty_folio = {
	.dirty_folio = block_dirty_folio,
	.invalidate_folio = block_invalidate_folio,
};
