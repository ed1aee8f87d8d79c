// SPDX-License-Identifier: GPL-2.0
/*
 * inode_operations.create() lost its "bool excl" argument (present in
 * 6.12, gone in 7.x): the probe's create() has none.
 */
#include <linux/fs.h>

static int dsmil_probe_create(struct mnt_idmap *idmap, struct inode *dir,
			      struct dentry *dentry, umode_t mode)
{
	return 0;
}

const struct inode_operations dsmil_probe_iop_create = {
	.create = dsmil_probe_create,
};
