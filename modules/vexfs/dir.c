// SPDX-License-Identifier: GPL-2.0
/*
 * dir.c - VexFS: directory contents.  A directory is an array of
 * fixed-size entries (struct vexfs_dirent) in blocks read through the
 * buffer cache, never through the directory's page cache.  Entry 0 is
 * ".", entry 1 "..", a zero inode number marks a free slot; directories
 * grow a block at a time and shrink only when removed.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include "vexfs.h"

static unsigned int dirents_per_block(struct super_block *sb)
{
	return sb->s_blocksize / VEXFS_DIRENT_SIZE;
}

static u64 dir_blocks(struct inode *dir)
{
	return i_size_read(dir) >> dir->i_sb->s_blocksize_bits;
}

/**
 * vexfs_dir_next_block - called before each block of a directory walk.
 *
 * A directory's size comes from the disk: the inode check bounds it by
 * the blocks the directory owns, which a crafted image can still make the
 * whole filesystem.  A walk reschedules at every block and stops for a
 * fatal signal.
 *
 * Return: 0, or -EINTR when the task was killed.
 */
int vexfs_dir_next_block(void)
{
	cond_resched();
	return fatal_signal_pending(current) ? -EINTR : 0;
}

/**
 * vexfs_read_dir_block - read block @lblock of directory @dir.
 * @dir: the directory
 * @lblock: a block below its size
 * @bhp: the buffer, to brelse()
 *
 * Return: 0, -EIO, or -EUCLEAN for a hole (directories have none).
 */
int vexfs_read_dir_block(struct inode *dir, u64 lblock, struct buffer_head **bhp)
{
	struct super_block *sb = dir->i_sb;
	struct buffer_head *bh;
	bool fresh;
	u32 pblock;
	int err;

	err = vexfs_map_block(dir, lblock, false, &pblock, &fresh);
	if (err)
		return err;
	if (!pblock) {
		vexfs_error(sb, "directory %llu has a hole at block %llu",
			    vexfs_ino(dir), lblock);
		return -EFSCORRUPTED;
	}
	bh = sb_bread(sb, pblock);
	if (!bh) {
		vexfs_error(sb, "directory %llu: cannot read block %u",
			    vexfs_ino(dir), pblock);
		return -EIO;
	}
	*bhp = bh;
	return 0;
}

static bool valid_ft(u8 type)
{
	switch (type) {
	case VEXFS_FT_REG:
	case VEXFS_FT_DIR:
	case VEXFS_FT_LNK:
	case VEXFS_FT_CHR:
	case VEXFS_FT_BLK:
	case VEXFS_FT_FIFO:
	case VEXFS_FT_SOCK:
		return true;
	}
	return false;
}

/* Check a used entry before trusting it; -EUCLEAN (reported) if bad. */
int vexfs_check_dirent(struct inode *dir, const struct vexfs_dirent *de)
{
	struct super_block *sb = dir->i_sb;
	u32 ino = le32_to_cpu(de->d_ino);
	unsigned int len = de->d_name_len;
	const char *why = NULL;

	if (ino > VEXFS_SB(sb)->g.inodes_count)
		why = "inode number out of range";
	else if (!len || len > VEXFS_NAME_LEN)
		why = "name length out of range";
	else if (memchr(de->d_name, '/', len) || memchr(de->d_name, 0, len))
		why = "name contains '/' or NUL";
	else if (!valid_ft(de->d_type))
		why = "invalid file type";
	if (!why)
		return 0;
	vexfs_error(sb, "directory %llu: bad entry (inode %u): %s",
		    vexfs_ino(dir), ino, why);
	return -EFSCORRUPTED;
}

static int vexfs_readdir(struct file *file, struct dir_context *ctx)
{
	struct inode *dir = file_inode(file);
	struct super_block *sb = dir->i_sb;
	unsigned int per_block = dirents_per_block(sb);
	loff_t size = i_size_read(dir);

	/* positions are entry offsets; a seek elsewhere goes to the next one */
	ctx->pos = ALIGN(ctx->pos, VEXFS_DIRENT_SIZE);
	while (ctx->pos < size) {
		u64 lblock = ctx->pos >> sb->s_blocksize_bits;
		unsigned int slot = (ctx->pos & (sb->s_blocksize - 1)) /
				    VEXFS_DIRENT_SIZE;
		struct buffer_head *bh;
		int err;

		err = vexfs_dir_next_block();
		if (!err)
			err = vexfs_read_dir_block(dir, lblock, &bh);
		if (err)
			return err;
		for (; slot < per_block; slot++, ctx->pos += VEXFS_DIRENT_SIZE) {
			struct vexfs_dirent *de =
				(struct vexfs_dirent *)bh->b_data + slot;

			if (!de->d_ino)
				continue;
			err = vexfs_check_dirent(dir, de);
			if (err) {
				brelse(bh);
				return err;
			}
			if (!dir_emit(ctx, de->d_name, de->d_name_len,
				      le32_to_cpu(de->d_ino), de->d_type)) {
				brelse(bh);
				return 0;
			}
		}
		brelse(bh);
	}
	return 0;
}

static bool name_matches(const struct vexfs_dirent *de, const struct qstr *name)
{
	return de->d_ino && de->d_name_len == name->len &&
	       !memcmp(de->d_name, name->name, name->len);
}

/**
 * vexfs_find_entry - look @name up in @dir.
 * @dir: the directory
 * @name: the name
 * @bhp: the buffer holding the entry, to brelse()
 * @dep: the entry
 *
 * Return: 0, -ENOENT, -EIO or -EUCLEAN (a bad entry on the way).
 */
int vexfs_find_entry(struct inode *dir, const struct qstr *name,
		     struct buffer_head **bhp, struct vexfs_dirent **dep)
{
	unsigned int per_block = dirents_per_block(dir->i_sb);
	u64 n = dir_blocks(dir), lblock;

	if (name->len > VEXFS_NAME_LEN)
		return -ENOENT;
	for (lblock = 0; lblock < n; lblock++) {
		struct buffer_head *bh;
		unsigned int slot;
		int err;

		err = vexfs_dir_next_block();
		if (!err)
			err = vexfs_read_dir_block(dir, lblock, &bh);
		if (err)
			return err;
		for (slot = 0; slot < per_block; slot++) {
			struct vexfs_dirent *de =
				(struct vexfs_dirent *)bh->b_data + slot;

			if (!name_matches(de, name))
				continue;
			err = vexfs_check_dirent(dir, de);
			if (err) {
				brelse(bh);
				return err;
			}
			*bhp = bh;
			*dep = de;
			return 0;
		}
		brelse(bh);
	}
	return -ENOENT;
}

static void fill_dirent(struct vexfs_dirent *de, u32 ino, const char *name,
			unsigned int len, umode_t mode)
{
	memset(de, 0, sizeof(*de));
	de->d_ino = cpu_to_le32(ino);
	de->d_name_len = len;
	de->d_type = vexfs_mode_to_ft(mode);
	memcpy(de->d_name, name, len);
}

/*
 * A directory block changed (write access taken before): journal it; on
 * a dirsync directory the handle commits synchronously when it stops.
 */
static void dirty_dir_block(struct inode *dir, struct buffer_head *bh)
{
	if (vexfs_journaled(dir->i_sb)) {
		handle_t *handle = journal_current_handle();

		vexfs_dirty_metadata(dir->i_sb, bh);
		if (handle && IS_DIRSYNC(dir))
			handle->h_sync = 1;
		return;
	}
	mark_buffer_dirty(bh);
	if (IS_DIRSYNC(dir))
		sync_dirty_buffer(bh);
}

/* A new, zeroed block at the end of @dir (created in the handle). */
static int grow_dir(struct inode *dir, struct buffer_head **bhp)
{
	struct super_block *sb = dir->i_sb;
	struct buffer_head *bh;
	bool fresh;
	u32 pblock;
	int err;

	err = vexfs_map_block(dir, dir_blocks(dir), true, &pblock, &fresh);
	if (err)
		return err;
	bh = sb_getblk(sb, pblock);
	if (!bh)
		return -ENOMEM;
	lock_buffer(bh);
	err = vexfs_get_create_access(sb, bh);
	if (err) {
		unlock_buffer(bh);
		brelse(bh);
		return err;
	}
	memset(bh->b_data, 0, bh->b_size);
	set_buffer_uptodate(bh);
	unlock_buffer(bh);
	i_size_write(dir, i_size_read(dir) + sb->s_blocksize);
	mark_inode_dirty(dir);
	*bhp = bh;
	return 0;
}

/**
 * vexfs_add_link - add the entry @dentry -> @inode to its parent.
 * @dentry: the new name, known not to exist (the VFS looked it up with the
 *	    parent locked)
 * @inode: what it names
 *
 * The first free slot from the directory's hint on is used (blocks below
 * the hint have none), else the directory grows by a block.
 *
 * Return: 0, -ENAMETOOLONG, -ENOSPC, -EFBIG, -EIO or -EUCLEAN.
 */
int vexfs_add_link(struct dentry *dentry, struct inode *inode)
{
	struct inode *dir = d_inode(dentry->d_parent);
	struct vexfs_inode_info *vi = VEXFS_I(dir);
	const struct qstr *name = &dentry->d_name;
	unsigned int per_block = dirents_per_block(dir->i_sb);
	struct vexfs_dirent *de = NULL;
	u64 n = dir_blocks(dir), lblock;
	struct buffer_head *bh;
	int err;

	if (name->len > VEXFS_NAME_LEN)
		return -ENAMETOOLONG;
	for (lblock = min(vi->i_dir_hint, n); lblock < n; lblock++) {
		unsigned int slot;

		err = vexfs_dir_next_block();
		if (!err)
			err = vexfs_read_dir_block(dir, lblock, &bh);
		if (err)
			return err;
		for (slot = 0; slot < per_block; slot++) {
			if (!((struct vexfs_dirent *)bh->b_data)[slot].d_ino) {
				de = (struct vexfs_dirent *)bh->b_data + slot;
				break;
			}
		}
		if (de)
			break;
		brelse(bh);
	}
	if (!de) {
		err = grow_dir(dir, &bh);
		if (err)
			return err;
		de = (struct vexfs_dirent *)bh->b_data;
		lblock = n;
	}
	vi->i_dir_hint = lblock;
	err = vexfs_get_write_access(dir->i_sb, bh);
	if (err) {
		brelse(bh);
		return err;
	}
	lock_buffer(bh);
	fill_dirent(de, inode->i_ino, name->name, name->len, inode->i_mode);
	unlock_buffer(bh);
	dirty_dir_block(dir, bh);
	brelse(bh);
	vexfs_touch_mctime(dir);
	return 0;
}

/* Remove the entry @de of @dir (in @bh, which the caller releases). */
int vexfs_delete_entry(struct inode *dir, struct buffer_head *bh,
		       struct vexfs_dirent *de)
{
	int err = vexfs_get_write_access(dir->i_sb, bh);

	if (err)
		return err;
	/* a slot is free somewhere: the next insertion searches from the start */
	VEXFS_I(dir)->i_dir_hint = 0;
	lock_buffer(bh);
	memset(de, 0, sizeof(*de));
	unlock_buffer(bh);
	dirty_dir_block(dir, bh);
	vexfs_touch_mctime(dir);
	return 0;
}

/* Point the entry @de of @dir at @inode (rename over an existing name). */
int vexfs_set_link(struct inode *dir, struct buffer_head *bh,
		   struct vexfs_dirent *de, struct inode *inode)
{
	int err = vexfs_get_write_access(dir->i_sb, bh);

	if (err)
		return err;
	lock_buffer(bh);
	de->d_ino = cpu_to_le32(inode->i_ino);
	de->d_type = vexfs_mode_to_ft(inode->i_mode);
	unlock_buffer(bh);
	dirty_dir_block(dir, bh);
	vexfs_touch_mctime(dir);
	return 0;
}

/* The first block of a new directory: "." and "..". */
int vexfs_make_empty(struct inode *inode, struct inode *parent)
{
	struct buffer_head *bh;
	struct vexfs_dirent *de;
	int err;

	err = grow_dir(inode, &bh);
	if (err)
		return err;
	de = (struct vexfs_dirent *)bh->b_data;
	lock_buffer(bh);
	fill_dirent(de, inode->i_ino, ".", 1, S_IFDIR);
	fill_dirent(de + 1, parent->i_ino, "..", 2, S_IFDIR);
	unlock_buffer(bh);
	dirty_dir_block(inode, bh);
	brelse(bh);
	return 0;
}

/* 1 if @inode holds only "." and "..", 0 if not, or -errno. */
int vexfs_empty_dir(struct inode *inode)
{
	unsigned int per_block = dirents_per_block(inode->i_sb);
	u64 n = dir_blocks(inode), lblock;

	for (lblock = 0; lblock < n; lblock++) {
		struct buffer_head *bh;
		unsigned int slot;
		int err;

		err = vexfs_dir_next_block();
		if (!err)
			err = vexfs_read_dir_block(inode, lblock, &bh);
		if (err)
			return err;
		for (slot = lblock ? 0 : 2; slot < per_block; slot++) {
			if (((struct vexfs_dirent *)bh->b_data)[slot].d_ino) {
				brelse(bh);
				return 0;
			}
		}
		brelse(bh);
	}
	return 1;
}

/**
 * vexfs_dotdot - the ".." entry of directory @dir.
 * @dir: the directory
 * @bhp: its buffer, to brelse()
 * @dep: the entry
 *
 * Return: 0, -EIO, or -EUCLEAN if entry 1 is not "..".
 */
int vexfs_dotdot(struct inode *dir, struct buffer_head **bhp,
		 struct vexfs_dirent **dep)
{
	struct vexfs_dirent *de;
	struct buffer_head *bh;
	int err;

	err = vexfs_read_dir_block(dir, 0, &bh);
	if (err)
		return err;
	de = (struct vexfs_dirent *)bh->b_data + 1;
	if (de->d_name_len != 2 || memcmp(de->d_name, "..", 2)) {
		vexfs_error(dir->i_sb, "directory %llu: entry 1 is not \"..\"",
			    vexfs_ino(dir));
		err = -EFSCORRUPTED;
	} else {
		err = vexfs_check_dirent(dir, de);
	}
	if (err) {
		brelse(bh);
		return err;
	}
	*bhp = bh;
	*dep = de;
	return 0;
}

const struct file_operations vexfs_dir_operations = {
	.llseek		= generic_file_llseek,
	.read		= generic_read_dir,
	.iterate_shared	= vexfs_readdir,
	.fsync		= vexfs_fsync,
	.unlocked_ioctl	= vexfs_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
};
