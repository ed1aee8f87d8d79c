// SPDX-License-Identifier: GPL-2.0
/*
 * orphan.c - VexFS: the orphan list, as ext4's (fs/ext4/orphan.c).
 *
 * An inode whose last link goes while it is still in use (open, or held
 * until the final iput() that deletes it in a later transaction), or whose
 * truncation may take several transactions, is put on a list on disk in
 * the same handle: s_last_orphan in the superblock names the first inode,
 * each inode's i_next_orphan the next one.  The handle that finishes the
 * deletion (at eviction) or the truncation takes it off.  After a crash
 * the read-write mount does the work the list records
 * (vexfs_orphan_cleanup()), so no inode stays allocated with no link, or
 * with blocks past its end.
 *
 * Every inode on the list is in memory until it leaves it (an open file,
 * the dentry, the truncation or the cleanup holds it), so the list is kept
 * in memory too, sbi->s_orphan, in the disk's order: additions at the
 * head, and removing an inode rewrites its predecessor there (or
 * s_last_orphan).  sbi->s_orphan_lock guards both lists and every
 * i_next_orphan; it nests inside a handle.  Only a journaled filesystem
 * keeps the list, as ext4: without a journal a crash leaves work for
 * fsck.vexfs anyway.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/xarray.h>

#include "vexfs.h"

static struct vexfs_super_block *vexfs_vsb(struct super_block *sb)
{
	return (void *)VEXFS_SB(sb)->s_sbh->b_data;
}

/* s_last_orphan := @ino in the running handle; s_orphan_lock held. */
static int set_last_orphan(struct super_block *sb, u32 ino)
{
	struct buffer_head *sbh = VEXFS_SB(sb)->s_sbh;
	int err;

	err = vexfs_get_write_access(sb, sbh);
	if (err)
		return err;
	lock_buffer(sbh);
	vexfs_vsb(sb)->s_last_orphan = cpu_to_le32(ino);
	vexfs_super_set_csum(sb);
	unlock_buffer(sbh);
	return vexfs_dirty_metadata(sb, sbh);
}

/**
 * vexfs_orphan_add - put @inode at the head of the orphan list.
 * @inode: an inode losing its last link, or about to be truncated
 *
 * The superblock and the inode are changed in the caller's handle, so the
 * inode is on the list on disk exactly when the change that needs it is.
 * An inode already on the list stays where it is.  Nothing happens
 * without a journal.
 *
 * Context: process context, in a handle; takes s_orphan_lock.
 * Return: 0, or -errno (the journal aborted).
 */
int vexfs_orphan_add(struct inode *inode)
{
	struct super_block *sb = inode->i_sb;
	struct vexfs_sb_info *sbi = VEXFS_SB(sb);
	struct vexfs_inode_info *vi = VEXFS_I(inode);
	u32 head;
	int err = 0;

	if (!vexfs_journaled(sb) || is_bad_inode(inode))
		return 0;
	mutex_lock(&sbi->s_orphan_lock);
	if (!list_empty(&vi->i_orphan))
		goto out;
	head = le32_to_cpu(vexfs_vsb(sb)->s_last_orphan);
	err = set_last_orphan(sb, inode->i_ino);
	if (err)
		goto out;
	WRITE_ONCE(vi->i_next_orphan, head);
	list_add(&vi->i_orphan, &sbi->s_orphan);
	err = vexfs_log_inode(inode);
out:
	mutex_unlock(&sbi->s_orphan_lock);
	return err;
}

/**
 * vexfs_orphan_del - take @inode off the orphan list.
 * @inode: an inode whose deletion or truncation is done
 * @on_disk: change the list on disk, in the caller's handle; false: only
 *	forget the inode in memory (its deletion did not happen: the list on
 *	disk keeps it for the next mount)
 *
 * Its predecessor (s_last_orphan, or the inode before it) gets its
 * successor, and its own pointer is cleared.  An inode not on the list is
 * left alone.
 *
 * Context: process context, in a handle with VEXFS_ORPHAN_CREDITS left
 * when @on_disk; takes s_orphan_lock.
 * Return: 0, or -errno (the journal aborted).
 */
int vexfs_orphan_del(struct inode *inode, bool on_disk)
{
	struct super_block *sb = inode->i_sb;
	struct vexfs_sb_info *sbi = VEXFS_SB(sb);
	struct vexfs_inode_info *vi = VEXFS_I(inode);
	struct list_head *prev;
	u32 next;
	int err = 0;

	/* only this inode's own add and del change its entry */
	if (list_empty(&vi->i_orphan))
		return 0;
	mutex_lock(&sbi->s_orphan_lock);
	prev = vi->i_orphan.prev;
	next = vi->i_next_orphan;
	list_del_init(&vi->i_orphan);
	WRITE_ONCE(vi->i_next_orphan, 0);
	if (!on_disk || !journal_current_handle())
		goto out;
	if (prev != &sbi->s_orphan) {
		struct vexfs_inode_info *pvi;

		pvi = list_entry(prev, struct vexfs_inode_info, i_orphan);
		WRITE_ONCE(pvi->i_next_orphan, next);
		err = vexfs_log_inode(&pvi->vfs_inode);
	} else if (le32_to_cpu(vexfs_vsb(sb)->s_last_orphan) != inode->i_ino) {
		vexfs_error(sb, "orphan list: inode %llu is first in memory, the superblock names inode %u",
			    vexfs_ino(inode),
			    le32_to_cpu(vexfs_vsb(sb)->s_last_orphan));
		err = -EFSCORRUPTED;
	} else {
		err = set_last_orphan(sb, next);
	}
	if (!err)
		err = vexfs_log_inode(inode);
out:
	mutex_unlock(&sbi->s_orphan_lock);
	return err;
}

/**
 * vexfs_orphan_pending - whether the list on disk is not empty.
 * @sb: the filesystem
 *
 * Return: true if a journaled filesystem has inodes on its orphan list.
 */
bool vexfs_orphan_pending(struct super_block *sb)
{
	struct vexfs_sb_info *sbi = VEXFS_SB(sb);
	bool pending;

	if (!vexfs_journaled(sb))
		return false;
	mutex_lock(&sbi->s_orphan_lock);
	pending = vexfs_vsb(sb)->s_last_orphan != 0;
	mutex_unlock(&sbi->s_orphan_lock);
	return pending;
}

/*
 * The inode @ino of the list, checked: a number in range, met for the
 * first time (@seen), allocated, verifying, and a regular file if it has
 * links.  Reports what is wrong through vexfs_error().
 */
static struct inode *orphan_get(struct super_block *sb, u32 ino,
				struct xarray *seen)
{
	struct inode *inode;
	int err;

	if (ino == VEXFS_ROOT_INO || ino > VEXFS_SB(sb)->g.inodes_count) {
		vexfs_error(sb, "orphan list: inode number %u out of range", ino);
		return ERR_PTR(-EFSCORRUPTED);
	}
	err = xa_insert(seen, ino, xa_mk_value(0), GFP_KERNEL);
	if (err == -EBUSY) {
		vexfs_error(sb, "orphan list: inode %u is on it twice (a loop)",
			    ino);
		return ERR_PTR(-EFSCORRUPTED);
	}
	if (err)
		return ERR_PTR(err);
	if (!vexfs_ino_in_use(sb, ino)) {
		vexfs_error(sb, "orphan list: inode %u is free", ino);
		return ERR_PTR(-EFSCORRUPTED);
	}
	inode = vexfs_iget(sb, ino, VEXFS_IGET_ORPHAN);
	if (IS_ERR(inode))
		return inode;
	if (inode->i_nlink && !S_ISREG(inode->i_mode)) {
		vexfs_error(sb, "orphan list: inode %u has links and is not a regular file",
			    ino);
		iput(inode);
		return ERR_PTR(-EFSCORRUPTED);
	}
	return inode;
}

/* Finish the truncation of a linked inode of the list: cut at i_size. */
static void orphan_truncate(struct inode *inode)
{
	handle_t *handle;

	handle = vexfs_journal_start(inode->i_sb, VEXFS_TRUNC_CREDITS,
				     VEXFS_TRUNC_REVOKES);
	if (IS_ERR(handle))
		return;
	block_truncate_page(inode->i_mapping, inode->i_size, vexfs_get_block);
	vexfs_truncate_blocks(inode, inode->i_size);
	vexfs_journal_ensure(inode, VEXFS_ORPHAN_CREDITS, 0, false);
	vexfs_orphan_del(inode, true);
	vexfs_journal_stop(handle);
}

/**
 * vexfs_orphan_cleanup - do the work the orphan list records.
 * @sb: a journaled filesystem mounted read-write, its journal replayed
 *
 * As ext4_orphan_cleanup(): each inode from s_last_orphan on is read; one
 * with no link is deleted by its final iput() (the eviction takes it off
 * the list), one with links (a regular file whose truncation was cut
 * short) is truncated to i_size and taken off.  A bad inode number, an
 * inode met twice (a loop), a free or damaged inode, or a linked inode
 * that is not a regular file stops the walk: reported through
 * vexfs_error() (the filesystem is marked with errors), the rest of the
 * list is left on disk for fsck.vexfs.
 *
 * Context: fill_super, once INCOMPAT_RECOVER is on disk; no handle held.
 */
void vexfs_orphan_cleanup(struct super_block *sb)
{
	struct vexfs_sb_info *sbi = VEXFS_SB(sb);
	unsigned int deleted = 0, truncated = 0;
	struct inode *inode;
	struct xarray seen;
	u32 ino;

	if (!sbi->s_journal || sb_rdonly(sb))
		return;
	xa_init(&seen);
	/* nothing else runs yet: the head is read without the lock */
	while ((ino = le32_to_cpu(vexfs_vsb(sb)->s_last_orphan))) {
		/* errors=remount-ro, or the journal aborted: no more work */
		if (sb_rdonly(sb) || is_journal_aborted(sbi->s_journal))
			break;
		inode = orphan_get(sb, ino, &seen);
		if (IS_ERR(inode)) {
			pr_err("device %s: orphan list: stopped at inode %u (%ld), the rest is left for fsck.vexfs\n",
			       sb->s_id, ino, PTR_ERR(inode));
			break;
		}
		mutex_lock(&sbi->s_orphan_lock);
		list_add(&VEXFS_I(inode)->i_orphan, &sbi->s_orphan);
		mutex_unlock(&sbi->s_orphan_lock);
		if (inode->i_nlink) {
			orphan_truncate(inode);
			truncated++;
		} else {
			deleted++;
		}
		iput(inode);
		cond_resched();
	}
	xa_destroy(&seen);
	if (deleted || truncated)
		pr_info("device %s: orphan list: %u inode(s) deleted, %u truncated\n",
			sb->s_id, deleted, truncated);
}
