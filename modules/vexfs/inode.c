// SPDX-License-Identifier: GPL-2.0
/*
 * inode.c - VexFS: inodes (read, validated, written, freed), the page
 * cache operations, regular files, attributes and fsync.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/blkdev.h>
#include <linux/fiemap.h>
#include <linux/iomap.h>
#include <linux/mm.h>
#include <linux/mpage.h>
#include <linux/random.h>
#include <linux/writeback.h>

#include "vexfs.h"

/* ---- the on-disk inode ------------------------------------------------- */

static u32 vexfs_inode_csum(const struct vexfs_inode *raw, u32 ino)
{
	__le32 le = cpu_to_le32(ino);
	u32 crc;

	crc = vexfs_csum(~0U, raw, offsetof(struct vexfs_inode, i_checksum));
	return ~vexfs_csum(crc, &le, sizeof(le));
}

/* The inode table block holding @ino and the inode's offset in it. */
static u64 inode_block(struct super_block *sb, u32 ino, unsigned int *offset)
{
	u64 byte = (u64)(ino - 1) * VEXFS_INODE_SIZE;

	*offset = byte & (sb->s_blocksize - 1);
	return VEXFS_SB(sb)->g.itable_start + (byte >> sb->s_blocksize_bits);
}

static struct timespec64 ts_decode(__le64 sec, __le32 nsec)
{
	return (struct timespec64){ .tv_sec = (s64)le64_to_cpu(sec),
				    .tv_nsec = le32_to_cpu(nsec) };
}

/*
 * Check what the VFS will rely on; returns a description or NULL.
 * @orphan: read from the orphan list, where no link is expected.
 */
static const char *check_raw_inode(struct super_block *sb,
				   const struct vexfs_inode *raw, bool orphan)
{
	umode_t mode = le16_to_cpu(raw->i_mode);
	u64 size = le64_to_cpu(raw->i_size);
	u16 dim = le16_to_cpu(raw->i_vec_dim);
	u32 vblock = le32_to_cpu(raw->i_vec_block);

	if (vexfs_mode_to_ft(mode) == VEXFS_FT_UNKNOWN)
		return "invalid file type";
	if (!le32_to_cpu(raw->i_nlink) && !orphan)
		return "link count 0";
	if (raw->i_flags)
		return "unknown inode flags";
	if (le32_to_cpu(raw->i_atime_nsec) >= NSEC_PER_SEC ||
	    le32_to_cpu(raw->i_mtime_nsec) >= NSEC_PER_SEC ||
	    le32_to_cpu(raw->i_ctime_nsec) >= NSEC_PER_SEC)
		return "nanoseconds out of range";
	if (size > vexfs_max_bytes(sb))
		return "size beyond the largest file";
	if (le64_to_cpu(raw->i_blocks) > VEXFS_SB(sb)->g.blocks_count)
		return "block count beyond the filesystem";
	if (S_ISDIR(mode) && (!size || size & (sb->s_blocksize - 1)))
		return "directory size not a multiple of the block size";
	/* a directory has no hole: its walks are bounded by what it owns */
	if (S_ISDIR(mode) &&
	    size >> sb->s_blocksize_bits > le64_to_cpu(raw->i_blocks))
		return "directory larger than the blocks it owns";
	if (S_ISLNK(mode) && (!size || size >= sb->s_blocksize))
		return "symlink length out of range";
	if ((vblock || dim || raw->i_vec_type) &&
	    (!S_ISREG(mode) || !vblock || !dim || dim > VEXFS_VEC_MAX_DIM ||
	     !vexfs_vec_elem_size(raw->i_vec_type) ||
	     !vexfs_block_valid(sb, vblock) ||
	     !vexfs_block_valid(sb, (u64)vblock +
				vexfs_vector_blocks(dim, raw->i_vec_type,
						    sb->s_blocksize) - 1)))
		return "invalid vector fields";
	return NULL;
}

/**
 * vexfs_iget - the inode @ino, read from disk if not cached.
 * @sb: the filesystem
 * @ino: inode number
 * @how: VEXFS_IGET_NORMAL (named by a directory entry, or the root: an
 *	inode with no link is corrupted), VEXFS_IGET_ORPHAN (named by the
 *	orphan list: no link is valid), VEXFS_IGET_SEARCH (named by an entry
 *	read earlier, the directory unlocked since: an inode freed meanwhile,
 *	or left with no link, is no inconsistency)
 *
 * Return: the inode, or ERR_PTR: -EUCLEAN for an inode number out of range,
 * a free inode or an inode that does not verify (reported through
 * vexfs_error()), -ESTALE (VEXFS_IGET_SEARCH: free or without a link,
 * not reported), -EIO, -ENOMEM.
 */
struct inode *vexfs_iget(struct super_block *sb, unsigned long ino,
			 enum vexfs_iget_how how)
{
	struct vexfs_sb_info *sbi = VEXFS_SB(sb);
	struct vexfs_inode_info *vi;
	const struct vexfs_inode *raw;
	struct buffer_head *bh;
	struct inode *inode;
	unsigned int offset;
	const char *why;
	bool csum_ok;
	int err, i;

	if (ino < 1 || ino > sbi->g.inodes_count) {
		vexfs_error(sb, "inode number %lu out of range", ino);
		return ERR_PTR(-EFSCORRUPTED);
	}
	inode = iget_locked(sb, ino);
	if (!inode)
		return ERR_PTR(-ENOMEM);
	if (!dsmil_inode_is_new(inode))
		return inode;

	if (!vexfs_ino_in_use(sb, ino)) {
		if (how == VEXFS_IGET_SEARCH) {
			err = -ESTALE;
			goto err_failed;
		}
		vexfs_error(sb, "inode %lu is referenced but free", ino);
		err = -EFSCORRUPTED;
		goto err_failed;
	}
	bh = sb_bread(sb, inode_block(sb, ino, &offset));
	if (!bh) {
		vexfs_error(sb, "cannot read inode %lu", ino);
		err = -EIO;
		goto err_failed;
	}
	raw = (const void *)(bh->b_data + offset);
	csum_ok = le32_to_cpu(raw->i_checksum) == vexfs_inode_csum(raw, ino);
	if (csum_ok && how == VEXFS_IGET_SEARCH && !raw->i_nlink) {
		/* removed since: on the orphan list until it is freed */
		brelse(bh);
		err = -ESTALE;
		goto err_failed;
	}
	why = csum_ok ? check_raw_inode(sb, raw, how == VEXFS_IGET_ORPHAN) :
			"checksum mismatch";
	if (why) {
		brelse(bh);
		vexfs_error(sb, "inode %lu: %s", ino, why);
		err = -EFSCORRUPTED;
		goto err_failed;
	}

	vi = VEXFS_I(inode);
	inode->i_mode = le16_to_cpu(raw->i_mode);
	set_nlink(inode, le32_to_cpu(raw->i_nlink));
	i_uid_write(inode, le32_to_cpu(raw->i_uid));
	i_gid_write(inode, le32_to_cpu(raw->i_gid));
	inode->i_size = le64_to_cpu(raw->i_size);
	inode->i_blocks = le64_to_cpu(raw->i_blocks) << (sb->s_blocksize_bits - 9);
	dsmil_inode_set_atime(inode, ts_decode(raw->i_atime, raw->i_atime_nsec));
	dsmil_inode_set_mtime(inode, ts_decode(raw->i_mtime, raw->i_mtime_nsec));
	dsmil_inode_set_ctime(inode, ts_decode(raw->i_ctime, raw->i_ctime_nsec));
	inode->i_generation = le32_to_cpu(raw->i_generation);
	for (i = 0; i < VEXFS_N_BLOCKS; i++)
		vi->i_block[i] = raw->i_block[i];
	vi->i_vec_block = le32_to_cpu(raw->i_vec_block);
	vi->i_vec_dim = le16_to_cpu(raw->i_vec_dim);
	vi->i_vec_type = raw->i_vec_type;
	vi->i_rdev = le32_to_cpu(raw->i_rdev);
	vi->i_next_orphan = le32_to_cpu(raw->i_next_orphan);
	vi->i_dir_hint = 0;
	vi->i_alloc_goal = 0;
	vi->i_alloc_lblk = 0;
	brelse(bh);
	vexfs_set_ops(inode);
	unlock_new_inode(inode);
	return inode;

err_failed:
	iget_failed(inode);
	return ERR_PTR(err);
}

static void ts_encode(struct timespec64 ts, __le64 *sec, __le32 *nsec)
{
	*sec = cpu_to_le64(ts.tv_sec);
	*nsec = cpu_to_le32(ts.tv_nsec);
}

/*
 * Encode @inode into its slot of the inode table; 0 or -errno.  With a
 * journal, inside the running handle (vexfs_dirty_inode()).
 */
static int vexfs_update_inode(struct inode *inode, bool sync)
{
	struct super_block *sb = inode->i_sb;
	struct vexfs_inode_info *vi = VEXFS_I(inode);
	struct vexfs_inode *raw;
	struct buffer_head *bh;
	unsigned int offset;
	u32 ino = inode->i_ino;
	int i, err = 0;

	bh = sb_bread(sb, inode_block(sb, ino, &offset));
	if (!bh) {
		vexfs_error(sb, "cannot read inode %u to write it", ino);
		return -EIO;
	}
	err = vexfs_get_write_access(sb, bh);
	if (err) {
		brelse(bh);
		return err;
	}
	raw = (void *)(bh->b_data + offset);
	lock_buffer(bh);
	memset(raw, 0, sizeof(*raw));
	raw->i_mode = cpu_to_le16(inode->i_mode);
	raw->i_nlink = cpu_to_le32(inode->i_nlink);
	raw->i_uid = cpu_to_le32(i_uid_read(inode));
	raw->i_gid = cpu_to_le32(i_gid_read(inode));
	raw->i_size = cpu_to_le64(inode->i_size);
	raw->i_blocks = cpu_to_le64(inode->i_blocks >> (sb->s_blocksize_bits - 9));
	ts_encode(dsmil_inode_get_atime(inode), &raw->i_atime, &raw->i_atime_nsec);
	ts_encode(dsmil_inode_get_mtime(inode), &raw->i_mtime, &raw->i_mtime_nsec);
	ts_encode(dsmil_inode_get_ctime(inode), &raw->i_ctime, &raw->i_ctime_nsec);
	raw->i_generation = cpu_to_le32(inode->i_generation);
	for (i = 0; i < VEXFS_N_BLOCKS; i++)
		raw->i_block[i] = vi->i_block[i];
	raw->i_vec_block = cpu_to_le32(vi->i_vec_block);
	raw->i_vec_dim = cpu_to_le16(vi->i_vec_dim);
	raw->i_vec_type = vi->i_vec_type;
	raw->i_rdev = cpu_to_le32(vi->i_rdev);
	raw->i_next_orphan = cpu_to_le32(READ_ONCE(vi->i_next_orphan));
	raw->i_checksum = cpu_to_le32(vexfs_inode_csum(raw, ino));
	unlock_buffer(bh);
	if (vexfs_journaled(sb)) {
		err = vexfs_dirty_metadata(sb, bh);
		vexfs_journal_note_inode(inode);
		brelse(bh);
		return err;
	}
	mark_buffer_dirty(bh);
	if (sync) {
		sync_dirty_buffer(bh);
		if (buffer_req(bh) && !buffer_uptodate(bh)) {
			vexfs_error(sb, "I/O error writing inode %u", ino);
			err = -EIO;
		}
	}
	brelse(bh);
	return err;
}

/**
 * vexfs_log_inode - write @inode into its inode table block now.
 * @inode: the inode
 *
 * In the running handle with a journal (the block is logged with it),
 * else a dirty buffer.
 *
 * Return: 0 or -errno.
 */
int vexfs_log_inode(struct inode *inode)
{
	return vexfs_update_inode(inode, false);
}

/*
 * With a journal the inode went into the log when it was dirtied
 * (vexfs_dirty_inode()); a data-integrity write of it (not sync(2), whose
 * sync_fs commits anyway) commits that transaction.
 */
int vexfs_write_inode(struct inode *inode, struct writeback_control *wbc)
{
	if (!vexfs_journaled(inode->i_sb))
		return vexfs_update_inode(inode, wbc->sync_mode == WB_SYNC_ALL);
	if (wbc->sync_mode != WB_SYNC_ALL || wbc->for_sync ||
	    (current->flags & PF_MEMALLOC))
		return 0;
	return vexfs_journal_commit_inode(inode);
}

/**
 * vexfs_dirty_inode - log a changed inode (super_operations.dirty_inode).
 * @inode: the inode mark_inode_dirty() was called on
 * @flags: I_DIRTY_* flags
 *
 * With a journal every inode change is written into the inode table
 * buffer inside a handle: the caller's (nested) or one of its own.
 * Timestamps alone under lazytime wait for the next real change.
 */
void vexfs_dirty_inode(struct inode *inode, int flags)
{
	struct super_block *sb = inode->i_sb;
	handle_t *handle;

	if (!vexfs_journaled(sb) || flags == I_DIRTY_TIME ||
	    is_bad_inode(inode))
		return;
	handle = vexfs_journal_start(sb, VEXFS_INODE_CREDITS, 0);
	if (IS_ERR(handle))
		return;
	vexfs_update_inode(inode, false);
	vexfs_journal_stop(handle);
}

/* Zero the slot of a freed inode (a valid, empty inode). */
static void vexfs_clear_disk_inode(struct inode *inode)
{
	struct super_block *sb = inode->i_sb;
	struct vexfs_inode *raw;
	struct buffer_head *bh;
	unsigned int offset;
	u32 ino = inode->i_ino;

	bh = sb_bread(sb, inode_block(sb, ino, &offset));
	if (!bh)
		return;
	if (vexfs_get_write_access(sb, bh)) {
		brelse(bh);
		return;
	}
	raw = (void *)(bh->b_data + offset);
	lock_buffer(bh);
	memset(raw, 0, sizeof(*raw));
	raw->i_checksum = cpu_to_le32(vexfs_inode_csum(raw, ino));
	unlock_buffer(bh);
	vexfs_dirty_metadata(sb, bh);
	brelse(bh);
}

/*
 * Deleting an inode frees its blocks, its vector record and its slot in
 * one handle, extended or restarted (vexfs_journal_ensure()) for big
 * files.  It is on the orphan list from the unlink on (or from the mount
 * that found it there), so a crash in between is finished by the next
 * mount; it leaves the list in the transaction that frees its slot.
 */
void vexfs_evict_inode(struct inode *inode)
{
	struct super_block *sb = inode->i_sb;
	bool delete = !inode->i_nlink && !is_bad_inode(inode);
	handle_t *handle = NULL;

	truncate_inode_pages_final(&inode->i_data);
	if (delete) {
		sb_start_intwrite(sb);
		handle = vexfs_journal_start(sb, VEXFS_TRUNC_CREDITS,
					     VEXFS_TRUNC_REVOKES);
		if (IS_ERR(handle)) {
			/* the journal aborted: the inode stays for fsck */
			handle = NULL;
			sb_end_intwrite(sb);
			delete = false;
		}
	}
	if (delete) {
		inode->i_size = 0;
		if (S_ISREG(inode->i_mode) || S_ISDIR(inode->i_mode) ||
		    S_ISLNK(inode->i_mode))
			vexfs_truncate_blocks(inode, 0);
		vexfs_vector_free(inode);
	}
	clear_inode(inode);
	if (delete) {
		/* the last steps commit together */
		vexfs_journal_ensure(inode, 3 + VEXFS_ORPHAN_CREDITS, 0, false);
		vexfs_orphan_del(inode, true);
		vexfs_clear_disk_inode(inode);
		vexfs_free_ino(sb, inode->i_ino);
		vexfs_journal_stop(handle);
		sb_end_intwrite(sb);
	} else {
		/* not deleted (the journal aborted): the disk's list keeps it */
		vexfs_orphan_del(inode, false);
	}
	/*
	 * Waits for a commit writing this inode's pages: no handle held.
	 * Not for the journal's own in-memory inode (number 0).
	 */
	if (vexfs_journaled(sb) && inode->i_ino)
		jbd2_journal_release_jbd_inode(VEXFS_SB(sb)->s_journal,
					       &VEXFS_I(inode)->i_jinode);
}

/**
 * vexfs_new_inode - allocate an inode for a new file in @dir.
 * @dir: the parent directory
 * @mode: type and permissions
 *
 * Ownership follows the mount's idmap (DSMIL_IDMAP_PARAM).  The inode is hashed, locked (I_NEW) and dirty, with one link; the caller
 * unlocks it with d_instantiate_new() or drops it with discard_new_inode().
 *
 * Return: the inode or ERR_PTR(-ENOSPC, -ENOMEM, -EIO).
 */
struct inode *vexfs_new_inode(DSMIL_IDMAP_PARAM struct inode *dir, umode_t mode)
{
	struct super_block *sb = dir->i_sb;
	struct vexfs_inode_info *vi;
	struct inode *inode;
	struct timespec64 now;
	u32 ino;
	int err;

	inode = new_inode(sb);
	if (!inode)
		return ERR_PTR(-ENOMEM);
	err = vexfs_alloc_ino(sb, &ino);
	if (err) {
		iput(inode);
		return ERR_PTR(err);
	}
	dsmil_inode_init_owner(idmap, inode, dir, mode);
	inode->i_ino = ino;
	inode->i_blocks = 0;
	now = current_time(inode);
	dsmil_inode_set_atime(inode, now);
	dsmil_inode_set_mtime(inode, now);
	dsmil_inode_set_ctime(inode, now);
	inode->i_generation = get_random_u32();
	vi = VEXFS_I(inode);
	memset(vi->i_block, 0, sizeof(vi->i_block));
	vi->i_vec_block = 0;
	vi->i_vec_dim = 0;
	vi->i_vec_type = 0;
	vi->i_rdev = 0;
	vi->i_next_orphan = 0;
	vi->i_dir_hint = 0;
	vi->i_alloc_goal = 0;
	vi->i_alloc_lblk = 0;
	if (insert_inode_locked(inode) < 0) {
		vexfs_error(sb, "new inode %u is already in use", ino);
		make_bad_inode(inode);
		iput(inode);
		return ERR_PTR(-EFSCORRUPTED);
	}
	mark_inode_dirty(inode);
	return inode;
}

/* ---- page cache ------------------------------------------------------------ */

static void vexfs_write_failed(struct address_space *mapping, loff_t to)
{
	struct inode *inode = mapping->host;
	handle_t *handle;

	if (to > inode->i_size) {
		truncate_pagecache(inode, inode->i_size);
		handle = vexfs_journal_start(inode->i_sb, VEXFS_TRUNC_CREDITS,
					     VEXFS_TRUNC_REVOKES);
		if (IS_ERR(handle))
			return;
		vexfs_truncate_blocks(inode, inode->i_size);
		vexfs_journal_stop(handle);
	}
}

/*
 * A write to the page cache runs in one handle from write_begin (started
 * before the page is locked: handle, then page lock, as in ext4) to
 * write_end: the blocks it allocates and the new size commit together.
 */
static int vexfs_write_handle_start(struct address_space *mapping)
{
	struct inode *inode = mapping->host;
	int blocks = PAGE_SIZE >> inode->i_blkbits;
	handle_t *handle;

	handle = vexfs_journal_start(inode->i_sb,
				     blocks * VEXFS_ALLOC_CREDITS, 0);
	return PTR_ERR_OR_ZERO(handle);
}

static int vexfs_write_handle_stop(struct address_space *mapping)
{
	if (!vexfs_journaled(mapping->host->i_sb))
		return 0;
	return vexfs_journal_stop(journal_current_handle());
}

DSMIL_DEFINE_BLOCK_READ(vexfs_read_folio, vexfs_get_block)
DSMIL_DEFINE_BLOCK_WRITEPAGE(vexfs_writepage, vexfs_get_block)
DSMIL_DEFINE_BLOCK_WRITE_BEGIN(vexfs_write_begin, vexfs_get_block,
			       vexfs_write_failed, vexfs_write_handle_start,
			       vexfs_write_handle_stop)
DSMIL_DEFINE_GENERIC_WRITE_END(vexfs_write_end, vexfs_write_handle_stop)

static void vexfs_readahead(struct readahead_control *rac)
{
	mpage_readahead(rac, vexfs_get_block);
}

static int vexfs_writepages(struct address_space *mapping,
			    struct writeback_control *wbc)
{
	return mpage_writepages(mapping, wbc, vexfs_get_block);
}

static sector_t vexfs_bmap(struct address_space *mapping, sector_t block)
{
	return generic_block_bmap(mapping, block, vexfs_get_block);
}

const struct address_space_operations vexfs_aops = {
	DSMIL_AOPS_READ(vexfs_read_folio),
	.readahead	= vexfs_readahead,
	DSMIL_AOPS_WRITEPAGE(vexfs_writepage)
	.writepages	= vexfs_writepages,
	.write_begin	= vexfs_write_begin,
	.write_end	= vexfs_write_end,
	DSMIL_AOPS_BUFFER_DIRTY,
	DSMIL_AOPS_BUFFER_INVALIDATE,
	.bmap		= vexfs_bmap,
};

/* ---- attributes --------------------------------------------------------------- */

void vexfs_touch_ctime(struct inode *inode)
{
	dsmil_inode_set_ctime_current(inode);
	mark_inode_dirty(inode);
}

void vexfs_touch_mctime(struct inode *inode)
{
	dsmil_inode_set_mtime(inode, dsmil_inode_set_ctime_current(inode));
	mark_inode_dirty(inode);
}

/*
 * Truncation: one handle, extended or restarted for big files.  A file
 * that loses blocks is on the orphan list from the transaction with its
 * new size to the one that frees its last block past it, so a crash in
 * between is finished by the next mount.  An unlinked file stays on the
 * list: its deletion takes it off.
 */
static int vexfs_setsize(struct inode *inode, loff_t size)
{
	bool shrink = size < inode->i_size && inode->i_blocks;
	handle_t *handle;
	int err;

	if (!S_ISREG(inode->i_mode))
		return -EINVAL;
	handle = vexfs_journal_start(inode->i_sb, VEXFS_TRUNC_CREDITS,
				     VEXFS_TRUNC_REVOKES);
	if (IS_ERR(handle))
		return PTR_ERR(handle);
	err = block_truncate_page(inode->i_mapping, size, vexfs_get_block);
	if (!err) {
		truncate_setsize(inode, size);
		if (shrink)
			vexfs_orphan_add(inode);	/* logs the new size */
		vexfs_truncate_blocks(inode, size);
		vexfs_touch_mctime(inode);
		if (shrink && inode->i_nlink) {
			vexfs_journal_ensure(inode, VEXFS_ORPHAN_CREDITS, 0,
					     false);
			vexfs_orphan_del(inode, true);
		}
	}
	vexfs_journal_stop(handle);
	return err;
}

int vexfs_setattr(DSMIL_IDMAP_PARAM struct dentry *dentry, struct iattr *attr)
{
	struct inode *inode = d_inode(dentry);
	int err;

	err = dsmil_setattr_prepare(idmap, dentry, attr);
	if (err)
		return err;
	if ((attr->ia_valid & ATTR_SIZE) && attr->ia_size != i_size_read(inode)) {
		err = vexfs_setsize(inode, attr->ia_size);
		if (err)
			return err;
	}
	dsmil_setattr_copy(idmap, inode, attr);
	mark_inode_dirty(inode);
	return 0;
}

int vexfs_getattr(DSMIL_IDMAP_PARAM const struct path *path,
		  struct kstat *stat, u32 request_mask, unsigned int flags)
{
	struct inode *inode = d_inode(path->dentry);

	dsmil_generic_fillattr(idmap, request_mask, inode, stat);
	stat->blksize = inode->i_sb->s_blocksize;
	return 0;
}

/**
 * vexfs_fsync - make a file and the metadata reaching it durable.
 * @file: the file
 * @start: first byte of the range
 * @end: last byte of the range
 * @datasync: ignored: the inode is committed either way
 *
 * Writes the range's pages.  With a journal, then commits the transaction
 * that last changed the inode (transactions commit in order, so the
 * entries naming it, made earlier, are committed too) and flushes the
 * device's cache if that commit did not.  Without a journal, writes the
 * inode and every dirty metadata buffer of the filesystem and flushes the
 * cache.  After it returns, the file and the entries naming it survive a
 * crash, the directory need not be fsync'd.
 */
int vexfs_fsync(struct file *file, loff_t start, loff_t end, int datasync)
{
	struct inode *inode = file->f_mapping->host;
	struct super_block *sb = inode->i_sb;
	int err, ret;

	ret = file_write_and_wait_range(file, start, end);
	if (ret)
		return ret;
	if (vexfs_journaled(sb)) {
		if (sb_rdonly(sb))
			return 0;
		return vexfs_journal_commit_inode(inode);
	}
	ret = sync_inode_metadata(inode, 1);
	err = sync_blockdev(sb->s_bdev);
	if (!ret)
		ret = err;
	err = dsmil_blkdev_issue_flush(sb->s_bdev);
	if (!ret && err != -EOPNOTSUPP)
		ret = err;
	return ret;
}

/*
 * A shared mapping's page becoming writable: its blocks are allocated now,
 * in a handle taken before the page lock (as write_begin does), so
 * writeback never allocates.
 */
static vm_fault_t vexfs_page_mkwrite(struct vm_fault *vmf)
{
	struct file *file = vmf->vma->vm_file;
	struct inode *inode = file_inode(file);
	struct super_block *sb = inode->i_sb;
	int blocks = PAGE_SIZE >> inode->i_blkbits;
	handle_t *handle;
	int err;

	sb_start_pagefault(sb);
	file_update_time(file);
	handle = vexfs_journal_start(sb, blocks * VEXFS_ALLOC_CREDITS, 0);
	if (IS_ERR(handle)) {
		err = PTR_ERR(handle);
	} else {
		/* on success the page is locked and dirty */
		err = block_page_mkwrite(vmf->vma, vmf, vexfs_get_block);
		vexfs_journal_stop(handle);
	}
	sb_end_pagefault(sb);
	if (!err)
		return VM_FAULT_LOCKED;
	if (err == -EFAULT || err == -EAGAIN)
		return VM_FAULT_NOPAGE;
	return err == -ENOMEM ? VM_FAULT_OOM : VM_FAULT_SIGBUS;
}

static const struct vm_operations_struct vexfs_file_vm_ops = {
	.fault		= filemap_fault,
	.map_pages	= filemap_map_pages,
	.page_mkwrite	= vexfs_page_mkwrite,
};

static int vexfs_file_mmap(struct file *file, struct vm_area_struct *vma)
{
	file_accessed(file);
	vma->vm_ops = &vexfs_file_vm_ops;
	return 0;
}

const struct file_operations vexfs_file_operations = {
	.llseek		= generic_file_llseek,
	.read_iter	= generic_file_read_iter,
	.write_iter	= generic_file_write_iter,
	.mmap		= vexfs_file_mmap,
	.fsync		= vexfs_fsync,
	.splice_read	= dsmil_filemap_splice_read,
	.splice_write	= iter_file_splice_write,
	.unlocked_ioctl	= vexfs_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
};

/*
 * FIEMAP (filefrag): iomap_fiemap() walks the file with this, which reports
 * each run of blocks in order on disk, or hole, that vexfs_map_run() finds.
 */
static int vexfs_iomap_begin(struct inode *inode, loff_t pos, loff_t length,
			     unsigned int flags, struct iomap *iomap,
			     struct iomap *srcmap)
{
	unsigned int bits = inode->i_blkbits;
	u64 lblock = pos >> bits, end, count;
	u32 pblock = 0;
	int err = 0;

	end = DIV_ROUND_UP((u64)pos + length, 1U << bits);
	count = end - lblock;
	if (!count)
		return -EINVAL;
	err = vexfs_map_run(inode, lblock, count, &pblock, &count);
	if (err == -EFBIG)
		err = 0;
	if (err)
		return err;
	iomap->bdev = inode->i_sb->s_bdev;
	iomap->offset = lblock << bits;
	iomap->length = count << bits;
	iomap->flags = 0;
	if (pblock) {
		iomap->type = IOMAP_MAPPED;
		iomap->addr = (u64)pblock << bits;
	} else {
		iomap->type = IOMAP_HOLE;
		iomap->addr = IOMAP_NULL_ADDR;
	}
	return 0;
}

static const struct iomap_ops vexfs_report_iomap_ops = {
	.iomap_begin	= vexfs_iomap_begin,
};

static int vexfs_fiemap(struct inode *inode, struct fiemap_extent_info *fieinfo,
			u64 start, u64 len)
{
	u64 size;
	int err;

	/* up to the end of the file, not to the largest one; from past it
	 * (an empty file) no extent, where iomap_fiemap() would say EINVAL
	 */
	inode_lock_shared(inode);
	size = i_size_read(inode);
	if (start >= size)
		err = fiemap_prep(inode, fieinfo, start, &len, 0);
	else
		err = iomap_fiemap(inode, fieinfo, start, min(len, size - start),
				   &vexfs_report_iomap_ops);
	inode_unlock_shared(inode);
	return err;
}

const struct inode_operations vexfs_file_inode_operations = {
	.setattr	= vexfs_setattr,
	.getattr	= vexfs_getattr,
	.fiemap		= vexfs_fiemap,
};

const struct inode_operations vexfs_symlink_inode_operations = {
	.get_link	= page_get_link,
	.setattr	= vexfs_setattr,
	.getattr	= vexfs_getattr,
};

const struct inode_operations vexfs_special_inode_operations = {
	.setattr	= vexfs_setattr,
	.getattr	= vexfs_getattr,
};

void vexfs_set_ops(struct inode *inode)
{
	if (S_ISREG(inode->i_mode)) {
		inode->i_op = &vexfs_file_inode_operations;
		inode->i_fop = &vexfs_file_operations;
		inode->i_mapping->a_ops = &vexfs_aops;
	} else if (S_ISDIR(inode->i_mode)) {
		inode->i_op = &vexfs_dir_inode_operations;
		inode->i_fop = &vexfs_dir_operations;
		inode->i_mapping->a_ops = &vexfs_aops;
	} else if (S_ISLNK(inode->i_mode)) {
		inode->i_op = &vexfs_symlink_inode_operations;
		inode_nohighmem(inode);
		inode->i_mapping->a_ops = &vexfs_aops;
	} else {
		inode->i_op = &vexfs_special_inode_operations;
		init_special_inode(inode, inode->i_mode,
				   new_decode_dev(VEXFS_I(inode)->i_rdev));
	}
}
