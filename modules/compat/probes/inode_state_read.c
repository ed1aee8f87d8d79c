// SPDX-License-Identifier: GPL-2.0
/*
 * inode->i_state is read through inode_state_read_once() and friends on
 * newer kernels (7.x: the field became a struct); before, it is a plain
 * unsigned long (6.12).
 */
#include <linux/fs.h>

bool dsmil_probe_inode_new(struct inode *inode);
bool dsmil_probe_inode_new(struct inode *inode)
{
	return inode_state_read_once(inode) & I_NEW;
}
