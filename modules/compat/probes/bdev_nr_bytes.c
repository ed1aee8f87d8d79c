// SPDX-License-Identifier: GPL-2.0
/*
 * Since 5.16 bdev_nr_bytes() gives the size of a block device (before:
 * i_size_read(bdev->bd_inode); bd_inode is gone since 6.10).
 */
#include <linux/blkdev.h>

loff_t dsmil_probe_bdev_size(struct block_device *bdev);
loff_t dsmil_probe_bdev_size(struct block_device *bdev)
{
	return bdev_nr_bytes(bdev);
}
