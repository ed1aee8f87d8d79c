// SPDX-License-Identifier: GPL-2.0
/*
 * Since 6.15 inode_operations.mkdir() returns a struct dentry * (NULL, the
 * dentry it was given, another one or an ERR_PTR) instead of an int.
 */
#include <linux/fs.h>

static struct dentry *dsmil_probe_mkdir(struct mnt_idmap *idmap,
					struct inode *dir,
					struct dentry *dentry, umode_t mode)
{
	return NULL;
}

const struct inode_operations dsmil_probe_iop_mkdir = {
	.mkdir = dsmil_probe_mkdir,
};
