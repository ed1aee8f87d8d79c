// SPDX-License-Identifier: GPL-2.0
/*
 * journal.c - VexFS: metadata journaling with the kernel's jbd2, ordered
 * data mode, and the commits behind fsync and sync.
 *
 * The journal is a contiguous extent of the filesystem's device
 * (s_journal_start, s_journal_blocks) made by mkfs.vexfs.  Every change of
 * a metadata block (bitmaps, inode table, directories, indirect blocks,
 * vector records) is made inside a handle: vexfs_journal_start(), then
 * vexfs_get_write_access() or vexfs_get_create_access() before the change
 * and vexfs_dirty_metadata() after it.  The running handle is the task's
 * (current->journal_info), so the helpers find it themselves; without a
 * journal (format version 2 made with "mkfs.vexfs -J none") they fall
 * back to plain dirty buffers, as before the journal existed.
 *
 * Ordered data: a data block a handle allocates is written (by the commit,
 * through j_submit_inode_data_buffers) before the transaction that points
 * to it commits; the journal is on the data device, so the commit block's
 * cache flush covers the data too.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/blkdev.h>
#include <linux/pagemap.h>

#include "vexfs.h"

/* What mkfs.vexfs makes: revoke records, CRC32C block tags, 32-bit blocks. */
#define VEXFS_JBD2_INCOMPAT	(JBD2_FEATURE_INCOMPAT_REVOKE | \
				 JBD2_FEATURE_INCOMPAT_CSUM_V3)

bool vexfs_journaled(struct super_block *sb)
{
	return VEXFS_SB(sb)->s_journal != NULL;
}

/*
 * Write back the dirty pages of a jbd2_inode before its transaction
 * commits.  jbd2's own helper for this left the exported API in 6.x; this
 * one (like ocfs2's) writes the inode's dirty range through ->writepages:
 * blocks are allocated at write_begin, so writeback only maps them.
 */
static int vexfs_submit_inode_data(struct jbd2_inode *jinode)
{
	loff_t start, end;

	if (!dsmil_jbd2_jinode_dirty_range(jinode, &start, &end))
		return 0;
	return filemap_fdatawrite_range(jinode->i_vfs_inode->i_mapping,
					start, end);
}

/*
 * The log's block numbers are relative to the extent (journal block 0 is
 * its superblock), as in ext4's inode journal.  jbd2 maps them through
 * bmap() of an inode: an in-memory one (never on disk) whose bmap adds
 * s_journal_start.  A device journal (jbd2_journal_init_dev()) would take
 * them as absolute block numbers of the device.
 */
static sector_t vexfs_journal_bmap(struct address_space *mapping,
				   sector_t block)
{
	struct vexfs_sb_info *sbi = VEXFS_SB(mapping->host->i_sb);

	if (block >= sbi->s_journal_blocks)
		return 0;
	return sbi->s_journal_start + block;
}

static const struct address_space_operations vexfs_journal_aops = {
	.bmap	= vexfs_journal_bmap,
};

/* A transaction committed: the blocks it freed are free for anyone. */
static void vexfs_commit_callback(journal_t *journal, transaction_t *txn)
{
	vexfs_release_pending(journal->j_private, txn->t_tid);
}

/* Check the journal superblock's features against what mkfs.vexfs sets. */
static int vexfs_journal_check_features(struct super_block *sb,
					journal_t *journal)
{
	journal_superblock_t *jsb = journal->j_superblock;
	u32 incompat = be32_to_cpu(jsb->s_feature_incompat);
	u32 ro = be32_to_cpu(jsb->s_feature_ro_compat);

	if (incompat != VEXFS_JBD2_INCOMPAT || ro) {
		pr_err("device %s: journal features incompat 0x%x ro_compat 0x%x, want 0x%x and 0: run fsck.vexfs\n",
		       sb->s_id, incompat, ro, VEXFS_JBD2_INCOMPAT);
		return -EFSCORRUPTED;
	}
	if (be32_to_cpu(jsb->s_blocksize) != sb->s_blocksize) {
		pr_err("device %s: journal block size %u is not the filesystem's\n",
		       sb->s_id, be32_to_cpu(jsb->s_blocksize));
		return -EFSCORRUPTED;
	}
	return 0;
}

/**
 * vexfs_journal_mount - open and load (replay) the journal of @sb.
 * @sb: a version 2 filesystem with HAS_JOURNAL, its superblock read
 *
 * Replays what the log holds into the filesystem's blocks (through the
 * block device's buffer cache: the caller re-reads what it decoded
 * before).  A read-only mount replays too, if the device is writable
 * (the caller checked); the journal then stays loaded so a remount
 * read-write can use it.
 *
 * Return: 0, -ENOMEM, -EIO, -EINVAL or -EUCLEAN.
 */
int vexfs_journal_mount(struct super_block *sb)
{
	struct vexfs_sb_info *sbi = VEXFS_SB(sb);
	journal_t *journal;
	struct inode *inode;
	int err;

	inode = new_inode(sb);
	if (!inode)
		return -ENOMEM;
	inode->i_mode = S_IFREG;
	inode->i_size = (loff_t)sbi->s_journal_blocks << sb->s_blocksize_bits;
	inode->i_mapping->a_ops = &vexfs_journal_aops;
	/* NULL before 6.5, an ERR_PTR since; on success jbd2 owns @inode */
	journal = jbd2_journal_init_inode(inode);
	if (IS_ERR_OR_NULL(journal)) {
		err = journal ? PTR_ERR(journal) : -EINVAL;
		iput(inode);
		pr_err("device %s: cannot open the journal (%d)\n", sb->s_id,
		       err);
		return err;
	}
	journal->j_private = sb;
	journal->j_commit_callback = vexfs_commit_callback;
	journal->j_submit_inode_data_buffers = vexfs_submit_inode_data;
	journal->j_finish_inode_data_buffers =
		jbd2_journal_finish_inode_data_buffers;
	write_lock(&journal->j_state_lock);
	journal->j_flags |= JBD2_BARRIER;	/* flush and FUA at commit */
	write_unlock(&journal->j_state_lock);

	err = jbd2_journal_load(journal);
	if (err) {
		pr_err("device %s: cannot load the journal (%d): run fsck.vexfs\n",
		       sb->s_id, err);
		goto err_destroy;
	}
	err = vexfs_journal_check_features(sb, journal);
	if (err)
		goto err_destroy;
	sbi->s_journal = journal;
	return 0;

err_destroy:
	jbd2_journal_destroy(journal);
	return err;
}

/*
 * At unmount or a failed mount: commit, checkpoint and close the journal.
 * Returns 0, or -EIO if the journal had aborted (INCOMPAT_RECOVER must
 * then stay set).
 */
int vexfs_journal_unmount(struct super_block *sb)
{
	struct vexfs_sb_info *sbi = VEXFS_SB(sb);
	int err;

	if (!sbi->s_journal)
		return 0;
	err = jbd2_journal_destroy(sbi->s_journal);
	sbi->s_journal = NULL;
	if (err)
		pr_err("device %s: error %d closing the journal: run fsck.vexfs\n",
		       sb->s_id, err);
	return err;
}

/**
 * vexfs_journal_flush - commit and checkpoint everything (remount
 * read-only): afterwards the log is empty and every block is home.
 * @sb: the filesystem
 *
 * Return: 0 or -errno (-EIO if the journal aborted).
 */
int vexfs_journal_flush(struct super_block *sb)
{
	struct vexfs_sb_info *sbi = VEXFS_SB(sb);
	int err;

	if (!sbi->s_journal)
		return 0;
	jbd2_journal_lock_updates(sbi->s_journal);
	err = dsmil_jbd2_journal_flush(sbi->s_journal);
	jbd2_journal_unlock_updates(sbi->s_journal);
	return err;
}

/**
 * vexfs_journal_start - start (or join, if the task runs one) a handle.
 * @sb: the filesystem
 * @credits: metadata blocks the operation may dirty (VEXFS_*_CREDITS)
 * @revokes: blocks it may free that were metadata (revoke records)
 *
 * Return: the handle, NULL without a journal, or ERR_PTR(-EROFS, -ENOMEM,
 * -EIO): the journal aborted.
 */
handle_t *vexfs_journal_start(struct super_block *sb, int credits, int revokes)
{
	journal_t *journal = VEXFS_SB(sb)->s_journal;

	if (!journal)
		return NULL;
	if (sb_rdonly(sb) && !journal_current_handle())
		return ERR_PTR(-EROFS);
	return jbd2__journal_start(journal, credits, 0, revokes, GFP_NOFS, 0, 0);
}

/* Stop a handle of vexfs_journal_start(); NULL is no handle. */
int vexfs_journal_stop(handle_t *handle)
{
	if (!handle)
		return 0;
	return jbd2_journal_stop(handle);
}

/* The running handle of this task, NULL without one or without journal. */
static handle_t *cur_handle(struct super_block *sb)
{
	if (!VEXFS_SB(sb)->s_journal)
		return NULL;
	return journal_current_handle();
}

/**
 * vexfs_journal_ensure - make room in the running handle.
 * @inode: the inode being changed (truncation, deletion)
 * @credits: buffer credits the next step needs
 * @revokes: revoke records it needs
 * @map_sem_held: the caller holds @inode's i_map_sem for writing
 *
 * Extends the handle, or, when the transaction is full, writes @inode
 * into it and restarts the handle in a new transaction.  Every step of a
 * truncation is consistent on its own (pointer cleared and block freed in
 * one transaction), so a crash between two transactions only leaves the
 * file partly truncated.  i_map_sem is dropped around the restart: the
 * commit it waits for may write this inode's pages, which maps them.
 *
 * Return: 0 or -errno (the journal aborted).
 */
int vexfs_journal_ensure(struct inode *inode, int credits, int revokes,
			 bool map_sem_held)
{
	handle_t *handle = cur_handle(inode->i_sb);
	int err;

	if (!handle)
		return 0;
	if (jbd2_handle_buffer_credits(handle) >= credits &&
	    handle->h_revoke_credits >= revokes)
		return 0;
	err = jbd2_journal_extend(handle, VEXFS_TRUNC_CREDITS,
				  VEXFS_TRUNC_REVOKES);
	if (err <= 0)
		return err;
	vexfs_dirty_inode(inode, I_DIRTY_SYNC);
	if (map_sem_held)
		up_write(&VEXFS_I(inode)->i_map_sem);
	err = jbd2__journal_restart(handle, VEXFS_TRUNC_CREDITS,
				    VEXFS_TRUNC_REVOKES, GFP_NOFS);
	if (map_sem_held)
		down_write(&VEXFS_I(inode)->i_map_sem);
	return err;
}

/* Before changing an existing metadata block @bh. */
int vexfs_get_write_access(struct super_block *sb, struct buffer_head *bh)
{
	handle_t *handle = cur_handle(sb);

	if (!handle)
		return 0;
	return jbd2_journal_get_write_access(handle, bh);
}

/* Before filling a metadata block @bh just allocated; @bh is locked. */
int vexfs_get_create_access(struct super_block *sb, struct buffer_head *bh)
{
	handle_t *handle = cur_handle(sb);

	if (!handle)
		return 0;
	return jbd2_journal_get_create_access(handle, bh);
}

/* After changing the metadata block @bh (with access taken above). */
int vexfs_dirty_metadata(struct super_block *sb, struct buffer_head *bh)
{
	handle_t *handle = cur_handle(sb);
	int err;

	if (!handle) {
		mark_buffer_dirty(bh);
		return 0;
	}
	err = jbd2_journal_dirty_metadata(handle, bh);
	if (err)
		vexfs_error(sb, "block %llu: cannot journal it (%d)",
			    (unsigned long long)bh->b_blocknr, err);
	return err;
}

/**
 * vexfs_forget_meta - a metadata block is being freed.
 * @sb: the filesystem
 * @block: the block
 *
 * With a journal: a revoke record, so a replay does not write an older
 * logged copy over whatever the block holds next, and the buffer leaves
 * the transaction (jbd2_journal_revoke() forgets it).  Without: a dirty
 * buffer of it is dropped.
 */
void vexfs_forget_meta(struct super_block *sb, u32 block)
{
	handle_t *handle = cur_handle(sb);
	struct buffer_head *bh = sb_find_get_block(sb, block);

	if (!handle) {
		if (bh)
			bforget(bh);
		return;
	}
	/* consumes our reference to bh */
	if (jbd2_journal_revoke(handle, block, bh))
		vexfs_error(sb, "block %u: cannot revoke it", block);
}

/*
 * Ordered data: the data of [@start, @start + @len) of @inode (a regular
 * file or a symlink), in blocks the running handle allocated, is written
 * before its transaction commits.
 */
void vexfs_journal_add_data(struct inode *inode, loff_t start, loff_t len)
{
	handle_t *handle = cur_handle(inode->i_sb);
	int err;

	if (!handle || !(S_ISREG(inode->i_mode) || S_ISLNK(inode->i_mode)))
		return;
	err = jbd2_journal_inode_ranged_write(handle, &VEXFS_I(inode)->i_jinode,
					      start, len);
	if (err)
		vexfs_error(inode->i_sb, "inode %llu: cannot order its data (%d)",
			    vexfs_ino(inode), err);
}

/* The running handle changed @inode: fsync commits its transaction. */
void vexfs_journal_note_inode(struct inode *inode)
{
	handle_t *handle = cur_handle(inode->i_sb);

	if (handle && handle->h_transaction)
		VEXFS_I(inode)->i_sync_tid = handle->h_transaction->t_tid;
}

/**
 * vexfs_journal_commit_inode - commit the transaction that last changed
 * @inode and wait for it; flush the device cache if that commit does not.
 * @inode: the inode
 *
 * Transactions commit in order, so every earlier change (the entries
 * naming the inode, made when it was created, linked or renamed) is
 * durable afterwards too.
 *
 * Return: 0 or -EIO.
 */
int vexfs_journal_commit_inode(struct inode *inode)
{
	journal_t *journal = VEXFS_SB(inode->i_sb)->s_journal;
	tid_t tid = READ_ONCE(VEXFS_I(inode)->i_sync_tid);
	bool flush;
	int err;

	flush = !jbd2_trans_will_send_data_barrier(journal, tid);
	err = jbd2_complete_transaction(journal, tid);
	if (!err && flush) {
		err = dsmil_blkdev_issue_flush(inode->i_sb->s_bdev);
		if (err == -EOPNOTSUPP)
			err = 0;
	}
	return err;
}

/* sync_fs: start a commit of the running transaction; with @wait, wait. */
int vexfs_journal_sync(struct super_block *sb, bool wait)
{
	journal_t *journal = VEXFS_SB(sb)->s_journal;
	tid_t target;
	int err = 0;

	if (jbd2_journal_start_commit(journal, &target)) {
		if (wait)
			err = jbd2_log_wait_commit(journal, target);
	} else if (wait) {
		/* nothing to commit: data written since still needs a flush */
		err = dsmil_blkdev_issue_flush(sb->s_bdev);
		if (err == -EOPNOTSUPP)
			err = 0;
	}
	return err;
}
