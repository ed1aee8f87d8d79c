// SPDX-License-Identifier: GPL-2.0
/*
 * Since 6.6 generic_fillattr() takes the statx request mask after the
 * idmap.
 */
#include <linux/fs.h>

void dsmil_probe_fillattr(struct inode *inode, struct kstat *stat);
void dsmil_probe_fillattr(struct inode *inode, struct kstat *stat)
{
	generic_fillattr(&nop_mnt_idmap, STATX_BASIC_STATS, inode, stat);
}
