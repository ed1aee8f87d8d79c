// SPDX-License-Identifier: GPL-2.0
/*
 * Since 6.6 an inode's ctime is read and set through inode_get_ctime(),
 * inode_set_ctime_to_ts() and inode_set_ctime_current() (Debian's 5.10
 * and 6.1 kernels have them backported).
 */
#include <linux/fs.h>

void dsmil_probe_ctime(struct inode *inode);
void dsmil_probe_ctime(struct inode *inode)
{
	inode_set_ctime_to_ts(inode, inode_get_ctime(inode));
	inode_set_ctime_current(inode);
}
