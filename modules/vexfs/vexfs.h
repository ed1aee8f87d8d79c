/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vexfs.h - internal declarations of the VexFS kernel module.
 *
 * The on-disk format is <uapi/linux/vexfs_fs.h> (shared with the tools);
 * Documentation/filesystems/vexfs.rst describes it and the module.
 *
 * Locking:
 *  - sbi->s_bitmap_lock (spinlock) guards both bitmaps and the free counts.
 *  - sbi->s_state_lock (spinlock) guards the superblock buffer's state.
 *  - vi->i_map_sem (rwsem) guards the block tree of an inode (i_block[]
 *    and its indirect blocks): read for lookups, write for allocation and
 *    truncation.  Taken inside the page lock and the VFS inode locks.
 *  - Directory contents are changed with the directory's i_rwsem held for
 *    writing (the VFS does it); readdir and lookup hold it shared.
 *  - sbi->s_orphan_lock (mutex) guards the orphan list: in memory
 *    (sbi->s_orphan, vi->i_orphan), on disk (s_last_orphan in the
 *    superblock buffer, every vi->i_next_orphan).  Taken inside a handle,
 *    never around one.
 *  - jbd2: a handle is started before any inode lock this module takes
 *    and before the page lock (write_begin starts it, write_end stops
 *    it); i_map_sem, the orphan mutex, the bitmap and state spinlocks and
 *    buffer locks nest inside a running handle.  The VFS's i_rwsem of the
 *    inodes of a namespace operation is outside the handle, as in ext4.
 */
#ifndef _VEXFS_H
#define _VEXFS_H

#include <linux/buffer_head.h>
#include <linux/fs.h>
#include <linux/jbd2.h>
#include <linux/mutex.h>
#include <linux/ratelimit.h>
#include <linux/rwsem.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/workqueue.h>

#include <uapi/linux/vexfs_fs.h>

#include "dsmil_compat.h"

/*
 * Allocation (bitmap.c, vexfs_new_block()): the first 1/2^SHIFT of the data
 * region is where indirect blocks are looked for first; a file whose next
 * block was taken starts a new run and keeps GAP_MIN..GAP_MAX blocks after
 * it from the next file's start.
 */
#define VEXFS_META_ZONE_SHIFT	6
#define VEXFS_RUN_GAP_MIN	64
#define VEXFS_RUN_GAP_MAX	4096

/* The link count at which link() and mkdir() say -EMLINK. */
#define VEXFS_LINK_MAX		65000

/* errno of a corrupted filesystem (EFSCORRUPTED of ext4 and xfs) */
#define EFSCORRUPTED		EUCLEAN

struct vexfs_sb_info {
	struct super_block *s_sb;
	struct vexfs_geometry g;
	struct buffer_head *s_sbh;	/* block 0: the superblock */
	struct buffer_head **s_ibmap;	/* inode bitmap blocks */
	struct buffer_head **s_bbmap;	/* block bitmap blocks */
	spinlock_t s_bitmap_lock;
	u64 s_free_blocks;
	u32 s_free_inodes;
	u64 s_block_hint;		/* where a file's first block is looked for */
	u64 s_meta_hint;		/* where an indirect block is looked for */
	u64 s_contig_hint;		/* where the next run search starts */
	unsigned long **s_pending;	/* per bitmap block: freed, uncommitted */
	struct list_head s_pending_list;	/* the same as (tid, extent)s */
	u32 s_inode_hint;
	spinlock_t s_state_lock;
	u32 s_state;			/* VEXFS_STATE_* as on disk */
	unsigned int s_errors;		/* VEXFS_ERRORS_*: errors= in force */
	bool s_errors_set;		/* errors= given at mount */
	u32 s_ro_compat_unknown;	/* unknown ro_compat features */
	bool s_mounted;			/* fill_super succeeded */
	u32 s_version;			/* format version of the image */
	u32 s_compat;			/* feature flags as on disk */
	u32 s_incompat;
	u32 s_journal_start;		/* journal extent (HAS_JOURNAL) */
	u32 s_journal_blocks;
	journal_t *s_journal;		/* NULL: no journal (or norecovery) */
	bool s_norecovery;		/* norecovery: journal not loaded */
	struct work_struct s_error_work;	/* logs VEXFS_STATE_ERROR */
	struct ratelimit_state s_err_ratelimit;	/* of vexfs_error()'s messages */
	struct mutex s_orphan_lock;
	struct list_head s_orphan;	/* the orphan list's inodes, in order */
};

struct vexfs_inode_info {
	__le32 i_block[VEXFS_N_BLOCKS];	/* as on disk */
	u32 i_vec_block;
	u16 i_vec_dim;
	u8 i_vec_type;
	u32 i_rdev;			/* on-disk encoding */
	u64 i_dir_hint;			/* directories: blocks below are full */
	u32 i_alloc_goal;		/* the block after the last one allocated */
	u64 i_alloc_lblk;		/* the logical block of that one */
	struct rw_semaphore i_map_sem;
	struct jbd2_inode i_jinode;	/* ordered data: this inode's pages */
	tid_t i_sync_tid;		/* last transaction that changed it */
	struct list_head i_orphan;	/* on sbi->s_orphan, or empty */
	u32 i_next_orphan;		/* as on disk: next on the list */
	struct inode vfs_inode;
};

static inline struct vexfs_sb_info *VEXFS_SB(struct super_block *sb)
{
	return sb->s_fs_info;
}

static inline struct vexfs_inode_info *VEXFS_I(struct inode *inode)
{
	return container_of(inode, struct vexfs_inode_info, vfs_inode);
}

/* Inode numbers in messages: i_ino is 64-bit on newer kernels. */
static inline unsigned long long vexfs_ino(const struct inode *inode)
{
	return (unsigned long long)inode->i_ino;
}

/*
 * jbd2 credits (blocks a handle may dirty) per operation, worst cases;
 * Documentation/filesystems/vexfs.rst, "Journal", explains them.
 *
 * ALLOC: one block mapped into a file: up to VEXFS_MAX_DEPTH - 1 new
 * indirect blocks, as many existing ones updated, the bitmap blocks of the
 * new blocks (assumed all different) and the inode.
 */
#define VEXFS_ALLOC_CREDITS	(3 * (VEXFS_MAX_DEPTH - 1) + 2)
/* a directory entry: its block, or a new block (ALLOC + the new block) */
#define VEXFS_DIRENT_CREDITS	(VEXFS_ALLOC_CREDITS + 2)
/* create/mknod/symlink/mkdir: inode bitmap, inode, parent, the entry, and
 * the first block of a directory or symlink
 */
#define VEXFS_CREATE_CREDITS	(3 + VEXFS_DIRENT_CREDITS + VEXFS_ALLOC_CREDITS + 1)
#define VEXFS_LINK_CREDITS	(2 + VEXFS_DIRENT_CREDITS)
/* the orphan list: add: the superblock, the inode; delete: the superblock
 * or the predecessor inode, the inode
 */
#define VEXFS_ORPHAN_CREDITS	2
/* unlink/rmdir: the entry's block, the directory, the inode, the inode
 * going on the orphan list
 */
#define VEXFS_UNLINK_CREDITS	(4 + VEXFS_ORPHAN_CREDITS)
/* rename: new entry, old entry, "..", both directories, both inodes, the
 * replaced inode going on the orphan list
 */
#define VEXFS_RENAME_CREDITS	(VEXFS_DIRENT_CREDITS + 6 + VEXFS_ORPHAN_CREDITS)
/* an inode update */
#define VEXFS_INODE_CREDITS	1
/* truncation and deletion run in chunks of this many credits */
#define VEXFS_TRUNC_CREDITS	64
#define VEXFS_TRUNC_REVOKES	64
/* vector set: the new record, its bitmap blocks (2), the inode, the old
 * record's bitmap blocks (2); revokes: the old record
 */
#define VEXFS_VEC_CREDITS(n)	((n) + 5)

/* journal.c */
int vexfs_journal_mount(struct super_block *sb);
int vexfs_journal_unmount(struct super_block *sb);
int vexfs_journal_flush(struct super_block *sb);
handle_t *vexfs_journal_start(struct super_block *sb, int credits, int revokes);
int vexfs_journal_stop(handle_t *handle);
bool vexfs_journaled(struct super_block *sb);
int vexfs_journal_ensure(struct inode *inode, int credits, int revokes,
			 bool map_sem_held);
int vexfs_get_write_access(struct super_block *sb, struct buffer_head *bh);
int vexfs_get_create_access(struct super_block *sb, struct buffer_head *bh);
int vexfs_dirty_metadata(struct super_block *sb, struct buffer_head *bh);
void vexfs_forget_meta(struct super_block *sb, u32 block);
void vexfs_journal_add_data(struct inode *inode, loff_t start, loff_t len);
void vexfs_journal_note_inode(struct inode *inode);
int vexfs_journal_commit_inode(struct inode *inode);
int vexfs_journal_sync(struct super_block *sb, bool wait);

/* super.c */
__printf(3, 4)
void __vexfs_error(struct super_block *sb, const char *func,
		   const char *fmt, ...);
#define vexfs_error(sb, fmt, ...) \
	__vexfs_error(sb, __func__, fmt, ##__VA_ARGS__)
u32 vexfs_csum(u32 crc, const void *p, unsigned int len);
void vexfs_super_set_csum(struct super_block *sb);
int vexfs_write_super(struct super_block *sb, bool wait);
void vexfs_set_recover(struct super_block *sb, bool on);

/* bitmap.c */
int vexfs_load_bitmaps(struct super_block *sb);
void vexfs_put_bitmaps(struct super_block *sb);
int vexfs_new_block(struct inode *inode, u32 goal, u64 lead, bool meta,
		    u32 *block);
int vexfs_new_blocks_contig(struct super_block *sb, u32 count, u32 *first);
void vexfs_free_block(struct super_block *sb, u32 block);
int vexfs_alloc_ino(struct super_block *sb, u32 *ino);
void vexfs_free_ino(struct super_block *sb, u32 ino);
bool vexfs_ino_in_use(struct super_block *sb, u32 ino);
bool vexfs_block_in_use(struct super_block *sb, u32 block);
bool vexfs_block_valid(struct super_block *sb, u64 block);
void vexfs_release_pending(struct super_block *sb, tid_t tid);

/* itree.c */
int vexfs_map_run(struct inode *inode, u64 lblock, u64 max, u32 *pblock,
		  u64 *count);
int vexfs_get_block(struct inode *inode, sector_t iblock,
		    struct buffer_head *bh_result, int create);
int vexfs_map_block(struct inode *inode, u64 lblock, bool create, u32 *pblock,
		    bool *fresh);
void vexfs_truncate_blocks(struct inode *inode, loff_t size);
loff_t vexfs_max_bytes(struct super_block *sb);

/* inode.c */
extern const struct address_space_operations vexfs_aops;
extern const struct file_operations vexfs_file_operations;
extern const struct inode_operations vexfs_file_inode_operations;
extern const struct inode_operations vexfs_symlink_inode_operations;
extern const struct inode_operations vexfs_special_inode_operations;
enum vexfs_iget_how { VEXFS_IGET_NORMAL, VEXFS_IGET_ORPHAN, VEXFS_IGET_SEARCH };
struct inode *vexfs_iget(struct super_block *sb, unsigned long ino,
			 enum vexfs_iget_how how);
int vexfs_log_inode(struct inode *inode);
struct inode *vexfs_new_inode(DSMIL_IDMAP_PARAM struct inode *dir, umode_t mode);
int vexfs_write_inode(struct inode *inode, struct writeback_control *wbc);
void vexfs_dirty_inode(struct inode *inode, int flags);
void vexfs_evict_inode(struct inode *inode);
void vexfs_set_ops(struct inode *inode);
int vexfs_fsync(struct file *file, loff_t start, loff_t end, int datasync);
int vexfs_getattr(DSMIL_IDMAP_PARAM const struct path *path,
		  struct kstat *stat, u32 request_mask, unsigned int flags);
int vexfs_setattr(DSMIL_IDMAP_PARAM struct dentry *dentry,
		  struct iattr *attr);
void vexfs_touch_ctime(struct inode *inode);
void vexfs_touch_mctime(struct inode *inode);

/* dir.c */
extern const struct file_operations vexfs_dir_operations;
int vexfs_find_entry(struct inode *dir, const struct qstr *name,
		     struct buffer_head **bhp, struct vexfs_dirent **dep);
int vexfs_add_link(struct dentry *dentry, struct inode *inode);
int vexfs_delete_entry(struct inode *dir, struct buffer_head *bh,
		       struct vexfs_dirent *de);
int vexfs_set_link(struct inode *dir, struct buffer_head *bh,
		   struct vexfs_dirent *de, struct inode *inode);
int vexfs_make_empty(struct inode *inode, struct inode *parent);
int vexfs_empty_dir(struct inode *inode);
int vexfs_dotdot(struct inode *dir, struct buffer_head **bhp,
		 struct vexfs_dirent **dep);
int vexfs_read_dir_block(struct inode *dir, u64 lblock,
			 struct buffer_head **bhp);
int vexfs_dir_next_block(void);
int vexfs_check_dirent(struct inode *dir, const struct vexfs_dirent *de);

/* namei.c */
extern const struct inode_operations vexfs_dir_inode_operations;

/* orphan.c */
int vexfs_orphan_add(struct inode *inode);
int vexfs_orphan_del(struct inode *inode, bool on_disk);
bool vexfs_orphan_pending(struct super_block *sb);
void vexfs_orphan_cleanup(struct super_block *sb);

/* vector.c */
void vexfs_vector_free(struct inode *inode);
long vexfs_ioctl(struct file *file, unsigned int cmd, unsigned long arg);

#endif /* _VEXFS_H */
