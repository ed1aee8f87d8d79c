// SPDX-License-Identifier: GPL-2.0
/*
 * From 5.12 to 6.2 the inode operations and their helpers take the mount's
 * struct user_namespace * first (a struct mnt_idmap * since 6.3, nothing
 * before 5.12).
 */
#include <linux/fs.h>

static int dsmil_probe_setattr(struct user_namespace *mnt_userns,
			       struct dentry *dentry, struct iattr *attr)
{
	return setattr_prepare(mnt_userns, dentry, attr);
}

const struct inode_operations dsmil_probe_iop_user_ns = {
	.setattr = dsmil_probe_setattr,
};
