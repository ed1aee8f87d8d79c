// SPDX-License-Identifier: GPL-2.0
/*
 * namei.c - VexFS: the directory inode operations (lookup, create, mknod,
 * symlink, link, unlink, mkdir, rmdir, rename).
 *
 * Every operation that changes the namespace runs in one jbd2 handle
 * (started after the VFS took the directories' i_rwsem, as in ext4): the
 * entry, the inode, the bitmaps and the directory blocks it changes commit
 * together or not at all.  A rename replacing a file is one handle too.
 * Freeing an inode whose last link went happens later, at eviction, in a
 * handle of its own: the handle that drops the last link puts the inode on
 * the orphan list (orphan.c), so a crash in between leaves the deletion
 * to the next mount.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include "vexfs.h"

static struct dentry *vexfs_lookup(struct inode *dir, struct dentry *dentry,
				   unsigned int flags)
{
	struct inode *inode = NULL;
	struct vexfs_dirent *de;
	struct buffer_head *bh;
	int err;

	if (dentry->d_name.len > VEXFS_NAME_LEN)
		return ERR_PTR(-ENAMETOOLONG);
	err = vexfs_find_entry(dir, &dentry->d_name, &bh, &de);
	if (!err) {
		u32 ino = le32_to_cpu(de->d_ino);

		brelse(bh);
		inode = vexfs_iget(dir->i_sb, ino, VEXFS_IGET_NORMAL);
		if (IS_ERR(inode))
			return ERR_CAST(inode);
	} else if (err != -ENOENT) {
		return ERR_PTR(err);
	}
	return d_splice_alias(inode, dentry);
}

/* Link a new non-directory inode under @dentry, or drop it. */
static int add_nondir(struct dentry *dentry, struct inode *inode)
{
	int err = vexfs_add_link(dentry, inode);

	if (!err) {
		d_instantiate_new(dentry, inode);
		return 0;
	}
	inode_dec_link_count(inode);
	discard_new_inode(inode);
	return err;
}

static int vexfs_mknod(DSMIL_IDMAP_PARAM struct inode *dir,
		       struct dentry *dentry, umode_t mode, dev_t rdev)
{
	struct inode *inode;
	handle_t *handle;
	int err;

	if (vexfs_mode_to_ft(mode) == VEXFS_FT_UNKNOWN)
		return -EINVAL;
	handle = vexfs_journal_start(dir->i_sb, VEXFS_CREATE_CREDITS, 0);
	if (IS_ERR(handle))
		return PTR_ERR(handle);
	inode = vexfs_new_inode(DSMIL_IDMAP_ARG dir, mode);
	if (IS_ERR(inode)) {
		err = PTR_ERR(inode);
		goto out;
	}
	if (S_ISCHR(mode) || S_ISBLK(mode))
		VEXFS_I(inode)->i_rdev = new_encode_dev(rdev);
	vexfs_set_ops(inode);
	mark_inode_dirty(inode);
	err = add_nondir(dentry, inode);
out:
	vexfs_journal_stop(handle);
	return err;
}

static int vexfs_create(DSMIL_IDMAP_PARAM struct inode *dir,
			struct dentry *dentry, DSMIL_CREATE_MODE_PARAMS)
{
	return vexfs_mknod(DSMIL_IDMAP_ARG dir, dentry, mode, 0);
}

static int vexfs_symlink(DSMIL_IDMAP_PARAM struct inode *dir,
			 struct dentry *dentry, const char *symname)
{
	unsigned int len = strlen(symname) + 1;
	struct inode *inode;
	handle_t *handle;
	int err;

	/* the target and its NUL fit in one block */
	if (len > dir->i_sb->s_blocksize)
		return -ENAMETOOLONG;
	handle = vexfs_journal_start(dir->i_sb, VEXFS_CREATE_CREDITS, 0);
	if (IS_ERR(handle))
		return PTR_ERR(handle);
	inode = vexfs_new_inode(DSMIL_IDMAP_ARG dir, S_IFLNK | 0777);
	if (IS_ERR(inode)) {
		err = PTR_ERR(inode);
		goto out;
	}
	vexfs_set_ops(inode);
	/* write_begin/write_end join this handle */
	err = page_symlink(inode, symname, len);
	if (err) {
		inode_dec_link_count(inode);
		discard_new_inode(inode);
		goto out;
	}
	err = add_nondir(dentry, inode);
out:
	vexfs_journal_stop(handle);
	return err;
}

static int vexfs_link(struct dentry *old_dentry, struct inode *dir,
		      struct dentry *dentry)
{
	struct inode *inode = d_inode(old_dentry);
	handle_t *handle;
	int err;

	handle = vexfs_journal_start(dir->i_sb, VEXFS_LINK_CREDITS, 0);
	if (IS_ERR(handle))
		return PTR_ERR(handle);
	vexfs_touch_ctime(inode);
	inode_inc_link_count(inode);
	ihold(inode);
	err = vexfs_add_link(dentry, inode);
	if (!err) {
		d_instantiate(dentry, inode);
	} else {
		inode_dec_link_count(inode);
		iput(inode);
	}
	vexfs_journal_stop(handle);
	return err;
}

/* Find the entry of @dentry in @dir; it must name the inode we know. */
static int find_own_entry(struct inode *dir, struct dentry *dentry,
			  struct buffer_head **bhp, struct vexfs_dirent **dep)
{
	struct inode *inode = d_inode(dentry);
	int err;

	err = vexfs_find_entry(dir, &dentry->d_name, bhp, dep);
	if (err)
		return err;
	if (le32_to_cpu((*dep)->d_ino) != inode->i_ino) {
		brelse(*bhp);
		vexfs_error(dir->i_sb, "directory %llu: entry of inode %llu names inode %u",
			    vexfs_ino(dir), vexfs_ino(inode),
			    le32_to_cpu((*dep)->d_ino));
		return -EFSCORRUPTED;
	}
	return 0;
}

/*
 * Whether @inode has at least @need links before a removal drops some: a
 * crafted image can give too few (a file with one link named twice, a
 * directory with one).  Dropping below zero would warn and leave a named
 * inode to be freed: refused as an inconsistency instead, nothing changed.
 */
static int check_links(struct inode *inode, unsigned int need)
{
	if (inode->i_nlink >= need)
		return 0;
	vexfs_error(inode->i_sb, "inode %llu has %u links, fewer than its names need (%u)",
		    vexfs_ino(inode), inode->i_nlink, need);
	return -EFSCORRUPTED;
}

static int __vexfs_unlink(struct inode *dir, struct dentry *dentry)
{
	struct inode *inode = d_inode(dentry);
	struct vexfs_dirent *de;
	struct buffer_head *bh;
	int err;

	err = check_links(inode, S_ISDIR(inode->i_mode) ? 2 : 1);
	if (err)
		return err;
	err = find_own_entry(dir, dentry, &bh, &de);
	if (err)
		return err;
	err = vexfs_delete_entry(dir, bh, de);
	brelse(bh);
	if (err)
		return err;
	dsmil_inode_set_ctime(inode, dsmil_inode_get_ctime(dir));
	inode_dec_link_count(inode);
	return 0;
}

static int vexfs_unlink(struct inode *dir, struct dentry *dentry)
{
	handle_t *handle;
	int err;

	handle = vexfs_journal_start(dir->i_sb, VEXFS_UNLINK_CREDITS, 0);
	if (IS_ERR(handle))
		return PTR_ERR(handle);
	err = __vexfs_unlink(dir, dentry);
	if (!err && !d_inode(dentry)->i_nlink)
		vexfs_orphan_add(d_inode(dentry));
	vexfs_journal_stop(handle);
	return err;
}

static int __vexfs_mkdir(DSMIL_IDMAP_PARAM struct inode *dir,
			 struct dentry *dentry, umode_t mode)
{
	struct inode *inode;
	int err;

	inode_inc_link_count(dir);
	inode = vexfs_new_inode(DSMIL_IDMAP_ARG dir, S_IFDIR | mode);
	if (IS_ERR(inode)) {
		err = PTR_ERR(inode);
		goto err_dir;
	}
	vexfs_set_ops(inode);
	inode_inc_link_count(inode);
	err = vexfs_make_empty(inode, dir);
	if (err)
		goto err_inode;
	err = vexfs_add_link(dentry, inode);
	if (err)
		goto err_inode;
	d_instantiate_new(dentry, inode);
	return 0;

err_inode:
	inode_dec_link_count(inode);
	inode_dec_link_count(inode);
	discard_new_inode(inode);
err_dir:
	inode_dec_link_count(dir);
	return err;
}

static DSMIL_MKDIR_RET_T vexfs_mkdir(DSMIL_IDMAP_PARAM struct inode *dir,
				     struct dentry *dentry, umode_t mode)
{
	handle_t *handle;
	int err;

	handle = vexfs_journal_start(dir->i_sb, VEXFS_CREATE_CREDITS, 0);
	if (IS_ERR(handle))
		return DSMIL_MKDIR_RET(PTR_ERR(handle));
	err = __vexfs_mkdir(DSMIL_IDMAP_ARG dir, dentry, mode);
	vexfs_journal_stop(handle);
	return DSMIL_MKDIR_RET(err);
}

static int vexfs_rmdir(struct inode *dir, struct dentry *dentry)
{
	struct inode *inode = d_inode(dentry);
	handle_t *handle;
	int err;

	err = vexfs_empty_dir(inode);
	if (err <= 0)
		return err ? err : -ENOTEMPTY;
	/* its parent: ".." of the directory going is one of its links */
	err = check_links(dir, 3);
	if (err)
		return err;
	handle = vexfs_journal_start(dir->i_sb, VEXFS_UNLINK_CREDITS, 0);
	if (IS_ERR(handle))
		return PTR_ERR(handle);
	err = __vexfs_unlink(dir, dentry);
	if (!err) {
		inode_dec_link_count(dir);
		inode_dec_link_count(inode);
		if (!inode->i_nlink)
			vexfs_orphan_add(inode);
	}
	vexfs_journal_stop(handle);
	return err;
}

static int __vexfs_rename(struct inode *old_dir, struct dentry *old_dentry,
			  struct inode *new_dir, struct dentry *new_dentry)
{
	struct inode *old_inode = d_inode(old_dentry);
	struct inode *new_inode = d_inode(new_dentry);
	struct buffer_head *old_bh, *dir_bh = NULL;
	struct vexfs_dirent *old_de, *dir_de = NULL;
	int err;

	if (new_inode) {
		err = check_links(new_inode, S_ISDIR(new_inode->i_mode) ? 2 : 1);
		if (err)
			return err;
	}
	if (S_ISDIR(old_inode->i_mode)) {
		err = check_links(old_dir, 3);
		if (err)
			return err;
	}
	err = find_own_entry(old_dir, old_dentry, &old_bh, &old_de);
	if (err)
		return err;
	if (S_ISDIR(old_inode->i_mode)) {
		err = vexfs_dotdot(old_inode, &dir_bh, &dir_de);
		if (err)
			goto out_old;
	}
	if (new_inode) {
		struct buffer_head *new_bh;
		struct vexfs_dirent *new_de;

		if (dir_de) {
			err = vexfs_empty_dir(new_inode);
			if (err <= 0) {
				err = err ? err : -ENOTEMPTY;
				goto out_dir;
			}
		}
		err = find_own_entry(new_dir, new_dentry, &new_bh, &new_de);
		if (err)
			goto out_dir;
		err = vexfs_set_link(new_dir, new_bh, new_de, old_inode);
		brelse(new_bh);
		if (err)
			goto out_dir;
		vexfs_touch_ctime(new_inode);
		if (dir_de)
			drop_nlink(new_inode);
		inode_dec_link_count(new_inode);
		if (!new_inode->i_nlink)
			vexfs_orphan_add(new_inode);
	} else {
		err = vexfs_add_link(new_dentry, old_inode);
		if (err)
			goto out_dir;
		if (dir_de)
			inode_inc_link_count(new_dir);
	}
	err = vexfs_delete_entry(old_dir, old_bh, old_de);
	vexfs_touch_ctime(old_inode);
	if (dir_de) {
		if (old_dir != new_dir && !err)
			err = vexfs_set_link(old_inode, dir_bh, dir_de, new_dir);
		inode_dec_link_count(old_dir);
	}
out_dir:
	brelse(dir_bh);
out_old:
	brelse(old_bh);
	return err;
}

/*
 * One handle: the new entry (or the replaced one, retargeted), the old
 * entry's removal, "..", and the link counts commit together, so a crash
 * leaves the old name or the new one, never neither.
 */
static int vexfs_rename(DSMIL_IDMAP_PARAM struct inode *old_dir,
			struct dentry *old_dentry, struct inode *new_dir,
			struct dentry *new_dentry, unsigned int flags)
{
	handle_t *handle;
	int err;

	/* the VFS refuses an existing target for RENAME_NOREPLACE */
	if (flags & ~RENAME_NOREPLACE)
		return -EINVAL;
	handle = vexfs_journal_start(old_dir->i_sb, VEXFS_RENAME_CREDITS, 0);
	if (IS_ERR(handle))
		return PTR_ERR(handle);
	err = __vexfs_rename(old_dir, old_dentry, new_dir, new_dentry);
	vexfs_journal_stop(handle);
	return err;
}

const struct inode_operations vexfs_dir_inode_operations = {
	.lookup		= vexfs_lookup,
	.create		= vexfs_create,
	.mknod		= vexfs_mknod,
	.symlink	= vexfs_symlink,
	.link		= vexfs_link,
	.unlink		= vexfs_unlink,
	.mkdir		= vexfs_mkdir,
	.rmdir		= vexfs_rmdir,
	.rename		= vexfs_rename,
	.setattr	= vexfs_setattr,
	.getattr	= vexfs_getattr,
};
