// SPDX-License-Identifier: GPL-2.0
/*
 * Since 6.7 an inode's atime and mtime are read and set through
 * inode_get_atime()/inode_set_atime_to_ts() and the mtime equivalents
 * (the fields were renamed, later split into seconds and nanoseconds).
 */
#include <linux/fs.h>

void dsmil_probe_atime(struct inode *inode);
void dsmil_probe_atime(struct inode *inode)
{
	inode_set_atime_to_ts(inode, inode_get_mtime(inode));
	inode_set_mtime_to_ts(inode, inode_get_atime(inode));
}
