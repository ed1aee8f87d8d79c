// SPDX-License-Identifier: GPL-2.0
/*
 * Since 5.12 blkdev_issue_flush() takes only the block device (no gfp
 * mask).
 */
#include <linux/blkdev.h>

int dsmil_probe_flush(struct block_device *bdev);
int dsmil_probe_flush(struct block_device *bdev)
{
	return blkdev_issue_flush(bdev);
}
