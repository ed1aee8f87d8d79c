// SPDX-License-Identifier: GPL-2.0
/*
 * Since 6.3 the inode operations and their helpers (setattr_prepare(),
 * inode_init_owner(), generic_fillattr(), ...) take the mount's
 * struct mnt_idmap * first (a struct user_namespace * from 5.12 to 6.2).
 */
#include <linux/fs.h>

static int dsmil_probe_setattr(struct mnt_idmap *idmap, struct dentry *dentry,
			       struct iattr *attr)
{
	return setattr_prepare(idmap, dentry, attr);
}

const struct inode_operations dsmil_probe_iop_mnt_idmap = {
	.setattr = dsmil_probe_setattr,
};
