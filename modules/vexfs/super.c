// SPDX-License-Identifier: GPL-2.0
/*
 * super.c - VexFS: module and filesystem type, mount (fs_context), the
 * superblock, statfs, sync and the errors= policy.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/blkdev.h>
#include <linux/fs_context.h>
#include <linux/fs_parser.h>
#include <linux/init.h>
#include <linux/module.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/statfs.h>

#include <dsmil/build.h>

#include "dsmil_compat_crc32c.h"
#include "vexfs.h"

static struct kmem_cache *vexfs_inode_cachep;

u32 vexfs_csum(u32 crc, const void *p, unsigned int len)
{
	return crc32c(crc, p, len);
}

static u32 vexfs_super_csum(const struct vexfs_super_block *vsb)
{
	return ~vexfs_csum(~0U, vsb, offsetof(struct vexfs_super_block,
					      s_checksum));
}

static const char *const vexfs_errors_names[] = {
	[VEXFS_ERRORS_CONTINUE] = "continue",
	[VEXFS_ERRORS_RO] = "remount-ro",
	[VEXFS_ERRORS_PANIC] = "panic",
};

/**
 * vexfs_super_set_csum - recompute the superblock buffer's checksum.
 * @sb: the filesystem
 *
 * Context: the caller holds the buffer lock of sbi->s_sbh.
 */
void vexfs_super_set_csum(struct super_block *sb)
{
	struct vexfs_super_block *vsb = (void *)VEXFS_SB(sb)->s_sbh->b_data;

	vsb->s_checksum = cpu_to_le32(vexfs_super_csum(vsb));
}

/* The in-memory state into the superblock buffer, checksum included. */
static void vexfs_update_super(struct super_block *sb)
{
	struct vexfs_sb_info *sbi = VEXFS_SB(sb);
	struct vexfs_super_block *vsb = (void *)sbi->s_sbh->b_data;

	lock_buffer(sbi->s_sbh);
	spin_lock(&sbi->s_state_lock);
	vsb->s_state = cpu_to_le32(sbi->s_state);
	vsb->s_feature_incompat = cpu_to_le32(sbi->s_incompat);
	spin_unlock(&sbi->s_state_lock);
	vsb->s_write_time = cpu_to_le64(ktime_get_real_seconds());
	vexfs_super_set_csum(sb);
	unlock_buffer(sbi->s_sbh);
}

/*
 * vexfs_write_super - write the in-memory state into the superblock
 * buffer, update its checksum and mark it dirty; with @wait write it now.
 * Written directly, outside the journal: only when no transaction can hold
 * the buffer (mount, unmount, remount, freeze, no journal), as ext4 writes
 * its own.  Returns 0 or -EIO.
 */
int vexfs_write_super(struct super_block *sb, bool wait)
{
	struct vexfs_sb_info *sbi = VEXFS_SB(sb);

	vexfs_update_super(sb);
	mark_buffer_dirty(sbi->s_sbh);
	if (wait) {
		sync_dirty_buffer(sbi->s_sbh);
		if (buffer_write_io_error(sbi->s_sbh))
			return -EIO;
	}
	return 0;
}

/*
 * vexfs_set_recover - set or clear INCOMPAT_RECOVER in the in-memory
 * superblock; vexfs_write_super() writes it.
 */
void vexfs_set_recover(struct super_block *sb, bool on)
{
	struct vexfs_sb_info *sbi = VEXFS_SB(sb);

	spin_lock(&sbi->s_state_lock);
	if (on)
		sbi->s_incompat |= VEXFS_FEATURE_INCOMPAT_RECOVER;
	else
		sbi->s_incompat &= ~VEXFS_FEATURE_INCOMPAT_RECOVER;
	spin_unlock(&sbi->s_state_lock);
}

/*
 * Record VEXFS_STATE_ERROR of a journaled filesystem: the superblock
 * buffer may be part of a transaction (the orphan list), so it is changed
 * in a handle of its own, never written over one; from a work item, as
 * ext4 does, since the error may be met inside a handle.  jbd2 is called
 * directly (no recursion into the error path, and errors=remount-ro has
 * made the filesystem read-only).  Once the journal aborted nothing
 * commits any more: the superblock is written directly.  A frozen
 * filesystem gets the state when it is thawed; unmount flushes the work.
 */
static void vexfs_error_work(struct work_struct *work)
{
	struct vexfs_sb_info *sbi = container_of(work, struct vexfs_sb_info,
						 s_error_work);
	struct super_block *sb = sbi->s_sb;
	handle_t *handle;

	if (!sb_start_intwrite_trylock(sb))
		return;
	handle = jbd2_journal_start(sbi->s_journal, 1);
	if (IS_ERR(handle)) {
		vexfs_write_super(sb, true);
	} else {
		if (!jbd2_journal_get_write_access(handle, sbi->s_sbh)) {
			vexfs_update_super(sb);
			jbd2_journal_dirty_metadata(handle, sbi->s_sbh);
		}
		jbd2_journal_stop(handle);
	}
	sb_end_intwrite(sb);
}

/*
 * __vexfs_error - an on-disk inconsistency or I/O error was found: log
 * it, record it in the superblock (fsck.vexfs clears it) and apply the
 * errors= policy.
 *
 * A crafted image can make one operation meet thousands of errors (every
 * pointer of an indirect block bad): the messages are rate-limited (10
 * per 5 s, then a count of those suppressed), and the superblock is
 * written only when the error state is first set, not once per error.
 */
void __vexfs_error(struct super_block *sb, const char *func,
		   const char *fmt, ...)
{
	struct vexfs_sb_info *sbi = VEXFS_SB(sb);
	struct va_format vaf;
	va_list args;
	bool first;

	if (___ratelimit(&sbi->s_err_ratelimit, "vexfs error")) {
		va_start(args, fmt);
		vaf.fmt = fmt;
		vaf.va = &args;
		pr_err("error (device %s): %s: %pV\n", sb->s_id, func, &vaf);
		va_end(args);
	}

	/* a mount that fails changes nothing on the device */
	if (!sbi->s_mounted)
		return;
	if (!sb_rdonly(sb)) {
		spin_lock(&sbi->s_state_lock);
		first = !(sbi->s_state & VEXFS_STATE_ERROR);
		sbi->s_state |= VEXFS_STATE_ERROR;
		spin_unlock(&sbi->s_state_lock);
		if (sbi->s_errors == VEXFS_ERRORS_PANIC || (first && !sbi->s_journal))
			vexfs_write_super(sb, true);
		else if (first)
			schedule_work(&sbi->s_error_work);
	}
	if (sbi->s_errors == VEXFS_ERRORS_PANIC)
		panic("vexfs (device %s): panic forced after error\n", sb->s_id);
	if (sbi->s_errors == VEXFS_ERRORS_RO && !sb_rdonly(sb)) {
		pr_crit("device %s: remounting filesystem read-only\n", sb->s_id);
		sb->s_flags |= SB_RDONLY;
	}
}

/* ---- inodes of the inode cache ------------------------------------------ */

static struct inode *vexfs_alloc_inode(struct super_block *sb)
{
	struct vexfs_inode_info *vi;

	vi = kmem_cache_alloc(vexfs_inode_cachep, GFP_KERNEL);
	if (!vi)
		return NULL;
	jbd2_journal_init_jbd_inode(&vi->i_jinode, &vi->vfs_inode);
	vi->i_sync_tid = 0;
	INIT_LIST_HEAD(&vi->i_orphan);
	vi->i_next_orphan = 0;
	return &vi->vfs_inode;
}

static void vexfs_free_inode(struct inode *inode)
{
	kmem_cache_free(vexfs_inode_cachep, VEXFS_I(inode));
}

static void vexfs_init_once(void *p)
{
	struct vexfs_inode_info *vi = p;

	init_rwsem(&vi->i_map_sem);
	inode_init_once(&vi->vfs_inode);
}

/* ---- superblock operations -------------------------------------------------- */

static void vexfs_put_super(struct super_block *sb)
{
	struct vexfs_sb_info *sbi = VEXFS_SB(sb);
	bool journal_ok;

	/* every inode was evicted: deleted ones left the orphan list */
	WARN_ON_ONCE(!list_empty(&sbi->s_orphan));
	/* an error state logged through the journal commits below */
	flush_work(&sbi->s_error_work);
	/*
	 * Commits and checkpoints everything: the log is empty after it,
	 * unless the journal aborted (then INCOMPAT_RECOVER stays).
	 */
	journal_ok = !vexfs_journal_unmount(sb);
	if (!sb_rdonly(sb)) {
		spin_lock(&sbi->s_state_lock);
		sbi->s_state |= journal_ok ? VEXFS_STATE_CLEAN : VEXFS_STATE_ERROR;
		spin_unlock(&sbi->s_state_lock);
		if (journal_ok)
			vexfs_set_recover(sb, false);
		vexfs_write_super(sb, true);
		dsmil_blkdev_issue_flush(sb->s_bdev);
	}
	vexfs_put_bitmaps(sb);
	brelse(sbi->s_sbh);
	sb->s_fs_info = NULL;
	kfree(sbi);
}

static int vexfs_sync_fs(struct super_block *sb, int wait)
{
	if (sb_rdonly(sb))
		return 0;
	if (vexfs_journaled(sb))
		return vexfs_journal_sync(sb, wait);
	return vexfs_write_super(sb, wait);
}

/*
 * Freezing (fsfreeze, snapshots): the VFS stopped every writer; commit and
 * checkpoint everything and clear INCOMPAT_RECOVER, so the frozen image is
 * clean as it is (as ext4 does; like it, updates are locked only around
 * the flush, the freeze levels keep new handles out).
 */
static int vexfs_freeze_fs(struct super_block *sb)
{
	journal_t *journal = VEXFS_SB(sb)->s_journal;
	int err;

	if (!journal || sb_rdonly(sb))
		return 0;
	jbd2_journal_lock_updates(journal);
	err = dsmil_jbd2_journal_flush(journal);
	if (!err) {
		vexfs_set_recover(sb, false);
		err = vexfs_write_super(sb, true);
	}
	jbd2_journal_unlock_updates(journal);
	return err;
}

static int vexfs_unfreeze_fs(struct super_block *sb)
{
	journal_t *journal = VEXFS_SB(sb)->s_journal;

	if (!journal || sb_rdonly(sb))
		return 0;
	vexfs_set_recover(sb, true);
	return vexfs_write_super(sb, true);
}

static int vexfs_statfs(struct dentry *dentry, struct kstatfs *buf)
{
	struct super_block *sb = dentry->d_sb;
	struct vexfs_sb_info *sbi = VEXFS_SB(sb);
	struct vexfs_super_block *vsb = (void *)sbi->s_sbh->b_data;
	__le64 uuid[2];

	memcpy(uuid, vsb->s_uuid, sizeof(uuid));

	buf->f_type = VEXFS_SUPER_MAGIC;
	buf->f_bsize = sb->s_blocksize;
	/* the journal is overhead, like the metadata regions (as in ext4) */
	buf->f_blocks = sbi->g.blocks_count - sbi->g.data_start -
			sbi->s_journal_blocks;
	spin_lock(&sbi->s_bitmap_lock);
	buf->f_bfree = sbi->s_free_blocks;
	buf->f_ffree = sbi->s_free_inodes;
	spin_unlock(&sbi->s_bitmap_lock);
	buf->f_bavail = buf->f_bfree;
	buf->f_files = sbi->g.inodes_count;
	buf->f_namelen = VEXFS_NAME_LEN;
	buf->f_fsid = u64_to_fsid(le64_to_cpu(uuid[0]) ^ le64_to_cpu(uuid[1]));
	return 0;
}

static int vexfs_show_options(struct seq_file *seq, struct dentry *root)
{
	struct vexfs_sb_info *sbi = VEXFS_SB(root->d_sb);

	if (sbi->s_errors_set)
		seq_printf(seq, ",errors=%s", vexfs_errors_names[sbi->s_errors]);
	if (sbi->s_norecovery)
		seq_puts(seq, ",norecovery");
	return 0;
}

static const struct super_operations vexfs_sops = {
	.alloc_inode	= vexfs_alloc_inode,
	.free_inode	= vexfs_free_inode,
	.write_inode	= vexfs_write_inode,
	.dirty_inode	= vexfs_dirty_inode,
	.evict_inode	= vexfs_evict_inode,
	.put_super	= vexfs_put_super,
	.sync_fs	= vexfs_sync_fs,
	.freeze_fs	= vexfs_freeze_fs,
	.unfreeze_fs	= vexfs_unfreeze_fs,
	.statfs		= vexfs_statfs,
	.show_options	= vexfs_show_options,
};

/* ---- mount ------------------------------------------------------------------ */

struct vexfs_fs_context {
	unsigned int errors;		/* 0: the superblock's default */
	bool norecovery;
};

enum { Opt_errors, Opt_norecovery };

static const struct constant_table vexfs_param_errors[] = {
	{ "continue",	VEXFS_ERRORS_CONTINUE },
	{ "remount-ro",	VEXFS_ERRORS_RO },
	{ "panic",	VEXFS_ERRORS_PANIC },
	{}
};

static const struct fs_parameter_spec vexfs_param_spec[] = {
	fsparam_enum("errors", Opt_errors, vexfs_param_errors),
	fsparam_flag("norecovery", Opt_norecovery),
	fsparam_flag("noload", Opt_norecovery),
	{}
};

static int vexfs_parse_param(struct fs_context *fc, struct fs_parameter *param)
{
	struct vexfs_fs_context *ctx = fc->fs_private;
	struct fs_parse_result result;
	int opt;

	opt = fs_parse(fc, vexfs_param_spec, param, &result);
	if (opt < 0)
		return opt;
	if (opt == Opt_errors)
		ctx->errors = result.uint_32;
	else if (opt == Opt_norecovery)
		ctx->norecovery = true;
	return 0;
}

/* Decode and validate the superblock in @vsb; fill sbi->g. */
static int vexfs_check_super(struct fs_context *fc, struct super_block *sb,
			     const struct vexfs_super_block *vsb)
{
	struct vexfs_sb_info *sbi = VEXFS_SB(sb);
	struct vexfs_geometry *g = &sbi->g;
	bool silent = fc->sb_flags & SB_SILENT;
	const char *why;
	u32 incompat;
	u16 errors;

	if (le32_to_cpu(vsb->s_magic) != VEXFS_SUPER_MAGIC) {
		if (!silent)
			pr_err("device %s: no VexFS filesystem (bad magic)\n",
			       sb->s_id);
		return -EINVAL;
	}
	if (le32_to_cpu(vsb->s_checksum) != vexfs_super_csum(vsb)) {
		pr_err("device %s: superblock checksum mismatch\n", sb->s_id);
		return -EFSCORRUPTED;
	}
	sbi->s_version = le32_to_cpu(vsb->s_version);
	if (sbi->s_version != VEXFS_VERSION_1 &&
	    sbi->s_version != VEXFS_VERSION_2) {
		pr_err("device %s: unsupported format version %u\n", sb->s_id,
		       sbi->s_version);
		return -EINVAL;
	}
	incompat = le32_to_cpu(vsb->s_feature_incompat);
	sbi->s_incompat = incompat;
	sbi->s_compat = le32_to_cpu(vsb->s_feature_compat);
	if (sbi->s_version == VEXFS_VERSION_1 &&
	    (incompat || sbi->s_compat || vsb->s_feature_ro_compat)) {
		pr_err("device %s: feature flags in a version 1 superblock\n",
		       sb->s_id);
		return -EFSCORRUPTED;
	}
	if (incompat & ~VEXFS_FEATURE_INCOMPAT_SUPP) {
		pr_err("device %s: unknown incompatible features 0x%x\n",
		       sb->s_id, incompat & ~VEXFS_FEATURE_INCOMPAT_SUPP);
		return -EINVAL;
	}
	sbi->s_ro_compat_unknown = le32_to_cpu(vsb->s_feature_ro_compat) &
				   ~VEXFS_FEATURE_RO_COMPAT_SUPP;

	g->block_size = le32_to_cpu(vsb->s_block_size);
	g->blocks_count = le64_to_cpu(vsb->s_blocks_count);
	g->inodes_count = le32_to_cpu(vsb->s_inodes_count);
	g->inode_size = le32_to_cpu(vsb->s_inode_size);
	g->ibitmap_start = le64_to_cpu(vsb->s_ibitmap_start);
	g->bbitmap_start = le64_to_cpu(vsb->s_bbitmap_start);
	g->itable_start = le64_to_cpu(vsb->s_itable_start);
	g->data_start = le64_to_cpu(vsb->s_data_start);
	g->ibitmap_blocks = le32_to_cpu(vsb->s_ibitmap_blocks);
	g->bbitmap_blocks = le32_to_cpu(vsb->s_bbitmap_blocks);
	g->itable_blocks = le32_to_cpu(vsb->s_itable_blocks);
	g->root_ino = le32_to_cpu(vsb->s_root_ino);
	why = vexfs_geometry_check(g, dsmil_bdev_nr_bytes(sb->s_bdev));
	if (why) {
		pr_err("device %s: bad geometry: %s\n", sb->s_id, why);
		return -EFSCORRUPTED;
	}
	sbi->s_journal_start = le32_to_cpu(vsb->s_journal_start);
	sbi->s_journal_blocks = le32_to_cpu(vsb->s_journal_blocks);
	if (sbi->s_version == VEXFS_VERSION_1 &&
	    (sbi->s_journal_start || sbi->s_journal_blocks || vsb->s_lpf_ino ||
	     vsb->s_last_orphan)) {
		pr_err("device %s: version 2 fields in a version 1 superblock\n",
		       sb->s_id);
		return -EFSCORRUPTED;
	}
	why = vexfs_journal_check(g, sbi->s_compat &
				  VEXFS_FEATURE_COMPAT_HAS_JOURNAL,
				  sbi->s_journal_start, sbi->s_journal_blocks);
	if (!why && (incompat & VEXFS_FEATURE_INCOMPAT_RECOVER) &&
	    !(sbi->s_compat & VEXFS_FEATURE_COMPAT_HAS_JOURNAL))
		why = "needs recovery but has no journal";
	if (why) {
		pr_err("device %s: bad journal: %s\n", sb->s_id, why);
		return -EFSCORRUPTED;
	}
	if (g->block_size > PAGE_SIZE) {
		pr_err("device %s: block size %u above the page size\n",
		       sb->s_id, g->block_size);
		return -EINVAL;
	}
	sbi->s_state = le32_to_cpu(vsb->s_state);
	if (sbi->s_state & ~VEXFS_STATE_KNOWN) {
		pr_err("device %s: unknown state 0x%x\n", sb->s_id,
		       sbi->s_state);
		return -EFSCORRUPTED;
	}
	errors = le16_to_cpu(vsb->s_errors);
	if (errors < VEXFS_ERRORS_CONTINUE || errors > VEXFS_ERRORS_PANIC) {
		pr_err("device %s: invalid errors behaviour %u\n", sb->s_id,
		       errors);
		return -EFSCORRUPTED;
	}
	if (!sbi->s_errors_set)
		sbi->s_errors = errors;
	if (!memchr(vsb->s_label, 0, VEXFS_LABEL_LEN)) {
		pr_err("device %s: label not terminated\n", sb->s_id);
		return -EFSCORRUPTED;
	}
	return 0;
}

/* Start a read-write session: refuse it or record it in the superblock. */
static int vexfs_setup_rw(struct super_block *sb)
{
	struct vexfs_sb_info *sbi = VEXFS_SB(sb);
	struct vexfs_super_block *vsb = (void *)sbi->s_sbh->b_data;

	if (sbi->s_ro_compat_unknown) {
		pr_err("device %s: unknown read-only features 0x%x: mount read-only\n",
		       sb->s_id, sbi->s_ro_compat_unknown);
		return -EROFS;
	}
	if (sbi->s_version == VEXFS_VERSION_1) {
		pr_err("device %s: format version 1 has no journal: mount it read-only, or run fsck.vexfs --upgrade\n",
		       sb->s_id);
		return -EROFS;
	}
	if (sbi->s_norecovery) {
		pr_err("device %s: norecovery mounts are read-only\n",
		       sb->s_id);
		return -EINVAL;
	}
	/* with a journal, the replay made an unclean image consistent */
	if (!(sbi->s_state & VEXFS_STATE_CLEAN) && !sbi->s_journal)
		pr_warn("device %s: not cleanly unmounted, running fsck.vexfs is recommended\n",
			sb->s_id);
	if (sbi->s_state & VEXFS_STATE_ERROR)
		pr_warn("device %s: mounting a filesystem with errors, running fsck.vexfs is recommended\n",
			sb->s_id);
	lock_buffer(sbi->s_sbh);
	vsb->s_mount_time = cpu_to_le64(ktime_get_real_seconds());
	le32_add_cpu(&vsb->s_mount_count, 1);
	unlock_buffer(sbi->s_sbh);
	spin_lock(&sbi->s_state_lock);
	sbi->s_state &= ~VEXFS_STATE_CLEAN;
	spin_unlock(&sbi->s_state_lock);
	/* the log may hold transactions from now on, until a clean unmount */
	if (sbi->s_journal)
		vexfs_set_recover(sb, true);
	return vexfs_write_super(sb, true);
}

/*
 * Open the journal of a journaled filesystem (replaying it) and re-check
 * the superblock the replay may have rewritten.  Version 1 images and
 * "-J none" images have none; norecovery leaves it closed.
 */
static int vexfs_setup_journal(struct fs_context *fc, struct super_block *sb)
{
	struct vexfs_sb_info *sbi = VEXFS_SB(sb);
	bool recover = sbi->s_incompat & VEXFS_FEATURE_INCOMPAT_RECOVER;
	int err;

	if (sbi->s_version == VEXFS_VERSION_1) {
		if (!sb_rdonly(sb)) {
			pr_err("device %s: format version 1 has no journal: mount it read-only, or run fsck.vexfs --upgrade\n",
			       sb->s_id);
			return -EROFS;
		}
		pr_warn("device %s: format version 1 has no journal: mounted read-only; run fsck.vexfs --upgrade to mount it read-write\n",
			sb->s_id);
		return 0;
	}
	if (!(sbi->s_compat & VEXFS_FEATURE_COMPAT_HAS_JOURNAL)) {
		if (sbi->s_norecovery) {
			pr_err("device %s: norecovery without a journal\n",
			       sb->s_id);
			return -EINVAL;
		}
		return 0;	/* no-journal mode */
	}
	if (sbi->s_norecovery) {
		if (!sb_rdonly(sb)) {
			pr_err("device %s: norecovery mounts are read-only\n",
			       sb->s_id);
			return -EINVAL;
		}
		if (recover)
			pr_warn("device %s: norecovery: the journal is not replayed, what it holds is missing\n",
				sb->s_id);
		return 0;
	}
	if (recover && sb_rdonly(sb) && bdev_read_only(sb->s_bdev)) {
		pr_err("device %s: needs journal recovery but the device is read-only: mount with norecovery, or replay with fsck.vexfs\n",
		       sb->s_id);
		return -EROFS;
	}
	if (recover)
		pr_info("device %s: replaying the journal%s\n", sb->s_id,
			sb_rdonly(sb) ? " (the device is writable)" : "");
	err = vexfs_journal_mount(sb);
	if (err)
		return err;
	/* the replay writes through the buffer cache: check what it wrote */
	err = vexfs_check_super(fc, sb, (void *)sbi->s_sbh->b_data);
	if (err)
		goto err_journal;
	if (!(sbi->s_compat & VEXFS_FEATURE_COMPAT_HAS_JOURNAL)) {
		err = -EFSCORRUPTED;
		goto err_journal;
	}
	if (recover && sb_rdonly(sb)) {
		/* the log is empty now: say so, as ext4 does */
		vexfs_set_recover(sb, false);
		err = vexfs_write_super(sb, true);
		if (err)
			goto err_journal;
	}
	return 0;

err_journal:
	vexfs_journal_unmount(sb);
	return err;
}

static int vexfs_fill_super(struct super_block *sb, struct fs_context *fc)
{
	struct vexfs_fs_context *ctx = fc->fs_private;
	struct vexfs_sb_info *sbi;
	struct buffer_head *bh;
	struct inode *root;
	int size, err;

	sbi = kzalloc(sizeof(*sbi), GFP_KERNEL);
	if (!sbi)
		return -ENOMEM;
	sbi->s_sb = sb;
	spin_lock_init(&sbi->s_bitmap_lock);
	INIT_LIST_HEAD(&sbi->s_pending_list);
	spin_lock_init(&sbi->s_state_lock);
	ratelimit_state_init(&sbi->s_err_ratelimit, 5 * HZ, 10);
	INIT_WORK(&sbi->s_error_work, vexfs_error_work);
	mutex_init(&sbi->s_orphan_lock);
	INIT_LIST_HEAD(&sbi->s_orphan);
	if (ctx->errors) {
		sbi->s_errors = ctx->errors;
		sbi->s_errors_set = true;
	}
	sbi->s_norecovery = ctx->norecovery;
	sb->s_fs_info = sbi;

	/* the superblock is at byte 0, in whatever block size we start with */
	size = sb_min_blocksize(sb, VEXFS_MIN_BLOCK_SIZE);
	if (!size) {
		pr_err("device %s: cannot set a block size\n", sb->s_id);
		err = -EINVAL;
		goto err_free;
	}
	bh = sb_bread(sb, 0);
	if (!bh) {
		pr_err("device %s: cannot read the superblock\n", sb->s_id);
		err = -EIO;
		goto err_free;
	}
	err = vexfs_check_super(fc, sb, (void *)bh->b_data);
	brelse(bh);
	if (err)
		goto err_free;
	if (!sb_set_blocksize(sb, sbi->g.block_size)) {
		pr_err("device %s: block size %u not supported by the device\n",
		       sb->s_id, sbi->g.block_size);
		err = -EINVAL;
		goto err_free;
	}
	sbi->s_sbh = sb_bread(sb, 0);
	if (!sbi->s_sbh) {
		err = -EIO;
		goto err_free;
	}
	/* the block may have changed between the two reads */
	err = vexfs_check_super(fc, sb, (void *)sbi->s_sbh->b_data);
	if (err)
		goto err_sbh;

	sb->s_magic = VEXFS_SUPER_MAGIC;
	sb->s_op = &vexfs_sops;
	sb->s_maxbytes = vexfs_max_bytes(sb);
	sb->s_max_links = VEXFS_LINK_MAX;
	sb->s_time_gran = 1;
	sb->s_time_min = S64_MIN;
	sb->s_time_max = S64_MAX;

	err = vexfs_setup_journal(fc, sb);
	if (err)
		goto err_sbh;
	err = vexfs_load_bitmaps(sb);
	if (err)
		goto err_journal;

	root = vexfs_iget(sb, VEXFS_ROOT_INO, VEXFS_IGET_NORMAL);
	if (IS_ERR(root)) {
		err = PTR_ERR(root);
		pr_err("device %s: cannot read the root inode (%d)\n",
		       sb->s_id, err);
		goto err_bitmaps;
	}
	if (!S_ISDIR(root->i_mode)) {
		pr_err("device %s: root inode is not a directory\n", sb->s_id);
		iput(root);
		err = -EFSCORRUPTED;
		goto err_bitmaps;
	}
	sb->s_root = d_make_root(root);
	if (!sb->s_root) {
		err = -ENOMEM;
		goto err_bitmaps;
	}
	if (!sb_rdonly(sb)) {
		err = vexfs_setup_rw(sb);
		if (err)
			goto err_root;
	}
	sbi->s_mounted = true;
	/* after a crash: finish the deletions and truncations it cut short */
	vexfs_orphan_cleanup(sb);
	return 0;

err_root:
	/* put_super is not called for a failed fill_super */
	dput(sb->s_root);
	sb->s_root = NULL;
err_bitmaps:
	vexfs_put_bitmaps(sb);
err_journal:
	vexfs_journal_unmount(sb);
err_sbh:
	brelse(sbi->s_sbh);
err_free:
	sb->s_fs_info = NULL;
	kfree(sbi);
	return err;
}

static int vexfs_get_tree(struct fs_context *fc)
{
	return get_tree_bdev(fc, vexfs_fill_super);
}

static int vexfs_reconfigure(struct fs_context *fc)
{
	struct vexfs_fs_context *ctx = fc->fs_private;
	struct super_block *sb = fc->root->d_sb;
	struct vexfs_sb_info *sbi = VEXFS_SB(sb);
	bool to_ro = fc->sb_flags & SB_RDONLY;
	int err;

	sync_filesystem(sb);
	/* norecovery is a property of the mount: a remount keeps it */
	if (to_ro && !sb_rdonly(sb)) {
		/* everything home, the log empty: a clean read-only image */
		err = vexfs_journal_flush(sb);
		if (err)
			return err;
		spin_lock(&sbi->s_state_lock);
		sbi->s_state |= VEXFS_STATE_CLEAN;
		spin_unlock(&sbi->s_state_lock);
		vexfs_set_recover(sb, false);
		err = vexfs_write_super(sb, true);
		if (err)
			return err;
	} else if (!to_ro && sb_rdonly(sb)) {
		/*
		 * The list's inodes would need the mount's work before they
		 * change (as ext4, which refuses the same remount).
		 */
		if (vexfs_orphan_pending(sb)) {
			pr_err("device %s: cannot remount read-write with a non-empty orphan list: unmount and mount read-write\n",
			       sb->s_id);
			return -EINVAL;
		}
		err = vexfs_setup_rw(sb);
		if (err)
			return err;
	}
	if (ctx->errors) {
		sbi->s_errors = ctx->errors;
		sbi->s_errors_set = true;
	}
	return 0;
}

static void vexfs_free_fc(struct fs_context *fc)
{
	kfree(fc->fs_private);
}

static const struct fs_context_operations vexfs_context_ops = {
	.parse_param	= vexfs_parse_param,
	.get_tree	= vexfs_get_tree,
	.reconfigure	= vexfs_reconfigure,
	.free		= vexfs_free_fc,
};

static int vexfs_init_fs_context(struct fs_context *fc)
{
	struct vexfs_fs_context *ctx;

	ctx = kzalloc(sizeof(*ctx), GFP_KERNEL);
	if (!ctx)
		return -ENOMEM;
	fc->fs_private = ctx;
	fc->ops = &vexfs_context_ops;
	return 0;
}

static struct file_system_type vexfs_fs_type = {
	.owner			= THIS_MODULE,
	.name			= "vexfs",
	.init_fs_context	= vexfs_init_fs_context,
	.parameters		= vexfs_param_spec,
	.kill_sb		= kill_block_super,
	.fs_flags		= FS_REQUIRES_DEV,
};
MODULE_ALIAS_FS("vexfs");

static int __init vexfs_init(void)
{
	int err;

	vexfs_inode_cachep = kmem_cache_create("vexfs_inode_cache",
					       sizeof(struct vexfs_inode_info),
					       0, SLAB_RECLAIM_ACCOUNT |
					       SLAB_ACCOUNT, vexfs_init_once);
	if (!vexfs_inode_cachep)
		return -ENOMEM;
	err = register_filesystem(&vexfs_fs_type);
	if (err) {
		kmem_cache_destroy(vexfs_inode_cachep);
		return err;
	}
	pr_debug("version %s loaded\n", DSMIL_VERSION);
	return 0;
}

static void __exit vexfs_exit(void)
{
	unregister_filesystem(&vexfs_fs_type);
	/* inodes are freed after an RCU grace period */
	rcu_barrier();
	kmem_cache_destroy(vexfs_inode_cachep);
}

module_init(vexfs_init);
module_exit(vexfs_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("The dsmil developers");
MODULE_DESCRIPTION("VexFS: a POSIX block filesystem whose files carry vector embeddings");
MODULE_VERSION(DSMIL_VERSION);
DSMIL_MODULE_INFO();
