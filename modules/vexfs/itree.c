// SPDX-License-Identifier: GPL-2.0
/*
 * itree.c - VexFS: the block tree of an inode (12 direct pointers, then
 * single, double, triple and quadruple indirect blocks): mapping logical
 * blocks, allocating them, truncating.
 *
 * Every pointer read from disk is checked to lie in the data region before
 * it is followed or freed; a bad one is reported with vexfs_error() and
 * the operation fails with -EUCLEAN.
 *
 * Freeing walks a tree a crafted image may have made a graph: a block
 * shared by two files, or an indirect block naming itself or an ancestor
 * (P^depth paths through one block).  A pointer is followed or freed only
 * if its block is allocated, and children are freed before their parent,
 * so a block met again after its first visit freed it is skipped: a walk
 * does work proportional to the blocks it frees (at most VEXFS_MAX_DEPTH
 * visits each), and reschedules at every indirect block.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include "vexfs.h"

/* log2 of the pointers in an indirect block */
static unsigned int ptr_shift(struct super_block *sb)
{
	return sb->s_blocksize_bits - 2;
}

/* Logical blocks covered by one pointer at @depth (0: a data block). */
static u64 span(struct super_block *sb, int depth)
{
	return 1ULL << (ptr_shift(sb) * depth);
}

loff_t vexfs_max_bytes(struct super_block *sb)
{
	u64 blocks = vexfs_max_file_blocks(sb->s_blocksize);

	if (blocks > (u64)MAX_LFS_FILESIZE >> sb->s_blocksize_bits)
		return MAX_LFS_FILESIZE;
	return blocks << sb->s_blocksize_bits;
}

/*
 * The path to logical block @lblock: offsets[0] indexes i_block[], the
 * following ones the indirect blocks from the top.  Returns the number of
 * levels (1: a direct block) or 0 past the largest file.
 */
static int block_path(struct super_block *sb, u64 lblock,
		      unsigned int offsets[VEXFS_MAX_DEPTH])
{
	unsigned int shift = ptr_shift(sb);
	u64 mask = span(sb, 1) - 1;
	int level, i;

	if (lblock < VEXFS_NDIR) {
		offsets[0] = lblock;
		return 1;
	}
	lblock -= VEXFS_NDIR;
	for (level = 1; level < VEXFS_MAX_DEPTH; level++) {
		if (lblock < span(sb, level)) {
			offsets[0] = VEXFS_NDIR + level - 1;
			for (i = level; i >= 1; i--) {
				offsets[i] = lblock & mask;
				lblock >>= shift;
			}
			return level + 1;
		}
		lblock -= span(sb, level);
	}
	return 0;
}

/* A fresh indirect block: zeroed through the buffer cache (journaled). */
static int zero_block(struct super_block *sb, u32 block)
{
	struct buffer_head *bh = sb_getblk(sb, block);
	int err;

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
	err = vexfs_dirty_metadata(sb, bh);
	brelse(bh);
	return err;
}

/* Whether pointer @b of @inode lies in the data region; reported if not. */
static bool ptr_in_range(struct inode *inode, u32 b)
{
	if (vexfs_block_valid(inode->i_sb, b))
		return true;
	vexfs_error(inode->i_sb, "inode %llu: block pointer %u out of range",
		    vexfs_ino(inode), b);
	return false;
}

/* Indirect block @b of @inode; NULL, reported, when it cannot be read. */
static struct buffer_head *read_indirect(struct inode *inode, u32 b)
{
	struct buffer_head *bh = sb_bread(inode->i_sb, b);

	if (!bh)
		vexfs_error(inode->i_sb, "inode %llu: cannot read indirect block %u",
			    vexfs_ino(inode), b);
	return bh;
}

/*
 * The disk block wanted for logical block @lblock, a hole whose pointer is
 * @slot, entry @idx of a block of @nslots pointers: where the file's
 * layout puts it, found as ext4_ext_find_goal() does, from the nearest
 * mapped block in the same block of pointers (left first) or else from
 * the file's last allocation, moved by the distance in logical blocks.  A
 * file written in any order (randomly, backwards) gets its blocks in
 * logical order on disk while they are free, so writeback and reads see
 * runs.  0: no block to go by (the file's first).
 */
static u32 data_goal(struct inode *inode, u64 lblock, const __le32 *slot,
		     unsigned int idx, unsigned int nslots)
{
	struct vexfs_inode_info *vi = VEXFS_I(inode);
	u64 base_p, base_l, g;
	unsigned int i;

	for (i = 1; i <= idx; i++) {
		if (*(slot - i)) {
			base_p = le32_to_cpu(*(slot - i));
			base_l = lblock - i;
			goto found;
		}
	}
	for (i = 1; idx + i < nslots; i++) {
		if (slot[i]) {
			base_p = le32_to_cpu(slot[i]);
			base_l = lblock + i;
			goto found;
		}
	}
	if (!vi->i_alloc_goal)
		return 0;
	base_p = vi->i_alloc_goal - 1;
	base_l = vi->i_alloc_lblk;
found:
	/* base_p + lblock - base_l, if that is a data block */
	if (lblock >= base_l) {
		g = base_p + (lblock - base_l);
	} else {
		if (base_l - lblock > base_p)
			return 0;
		g = base_p - (base_l - lblock);
	}
	return vexfs_block_valid(inode->i_sb, g) ? g : 0;
}

/* Walk (and with @create, grow) the path; i_map_sem held as needed. */
static int map_locked(struct inode *inode, u64 lblock,
		      const unsigned int *offsets, int depth, bool create,
		      u32 *pblock, bool *fresh)
{
	struct super_block *sb = inode->i_sb;
	struct vexfs_inode_info *vi = VEXFS_I(inode);
	struct buffer_head *bh = NULL;
	__le32 *slot = &vi->i_block[offsets[0]];
	int level, err = 0;
	u32 b;

	*pblock = 0;
	for (level = 0; level < depth; level++) {
		b = le32_to_cpu(*slot);
		if (!b) {
			if (!create)
				break;
			if (bh) {
				err = vexfs_get_write_access(sb, bh);
				if (err)
					break;
			}
			if (level < depth - 1) {
				err = vexfs_new_block(inode, 0, 0, true, &b);
			} else {
				unsigned int nslots = depth == 1 ? VEXFS_NDIR :
						      span(sb, 1);
				u32 goal = data_goal(inode, lblock, slot,
						     offsets[level], nslots);

				err = vexfs_new_block(inode, goal, lblock,
						      false, &b);
				if (!err) {
					vi->i_alloc_goal = b + 1;
					vi->i_alloc_lblk = lblock;
				}
			}
			if (err)
				break;
			if (level < depth - 1) {
				err = zero_block(sb, b);
				if (err) {
					vexfs_free_block(sb, b);
					break;
				}
			} else {
				*fresh = true;
			}
			*slot = cpu_to_le32(b);
			if (bh)
				vexfs_dirty_metadata(sb, bh);
			inode->i_blocks += sb->s_blocksize >> 9;
			mark_inode_dirty(inode);
		} else if (!ptr_in_range(inode, b)) {
			err = -EFSCORRUPTED;
			break;
		}
		if (level == depth - 1) {
			*pblock = b;
			break;
		}
		brelse(bh);
		bh = read_indirect(inode, b);
		if (!bh) {
			err = -EIO;
			break;
		}
		slot = (__le32 *)bh->b_data + offsets[level + 1];
	}
	brelse(bh);
	return err;
}

/**
 * vexfs_map_block - the disk block of logical block @lblock of @inode.
 * @inode: a regular file, directory or symlink
 * @lblock: logical block number
 * @create: allocate the block (and indirect blocks) if it is a hole
 * @pblock: the block, 0 for a hole (without @create)
 * @fresh: set when the block was allocated now
 *
 * An allocation runs in the caller's handle (write_begin, page_mkwrite,
 * directory growth), or in one of its own should a caller have none.  A new data block of a regular file
 * or symlink is ordered: written before the transaction commits.
 *
 * Context: process context; takes the inode's i_map_sem.
 * Return: 0, -EFBIG past the largest file, -ENOSPC, -EIO or -EUCLEAN.
 */
int vexfs_map_block(struct inode *inode, u64 lblock, bool create, u32 *pblock,
		    bool *fresh)
{
	struct super_block *sb = inode->i_sb;
	struct vexfs_inode_info *vi = VEXFS_I(inode);
	unsigned int offsets[VEXFS_MAX_DEPTH];
	handle_t *handle = NULL;
	int depth, err;

	*fresh = false;
	depth = block_path(sb, lblock, offsets);
	if (!depth)
		return -EFBIG;
	down_read(&vi->i_map_sem);
	err = map_locked(inode, lblock, offsets, depth, false, pblock, fresh);
	up_read(&vi->i_map_sem);
	if (err || *pblock || !create)
		return err;
	if (vexfs_journaled(sb) && !journal_current_handle()) {
		handle = vexfs_journal_start(sb, VEXFS_ALLOC_CREDITS, 0);
		if (IS_ERR(handle))
			return PTR_ERR(handle);
	}
	down_write(&vi->i_map_sem);
	err = map_locked(inode, lblock, offsets, depth, true, pblock, fresh);
	up_write(&vi->i_map_sem);
	if (!err && *fresh && (S_ISREG(inode->i_mode) || S_ISLNK(inode->i_mode)))
		vexfs_journal_add_data(inode, lblock << sb->s_blocksize_bits,
				       sb->s_blocksize);
	vexfs_journal_stop(handle);
	return err;
}

/*
 * The run of logical blocks from @lblock, at most @max, that maps to
 * consecutive disk blocks from *@pblock, or (*@pblock 0) that is a hole;
 * a run stays within the block of pointers holding @lblock's, a hole also
 * covers the whole subtree of a missing indirect block.  i_map_sem held.
 */
static int run_locked(struct inode *inode, u64 lblock, u64 max, u32 *pblock,
		      u64 *count)
{
	struct super_block *sb = inode->i_sb;
	struct vexfs_inode_info *vi = VEXFS_I(inode);
	unsigned int offsets[VEXFS_MAX_DEPTH];
	struct buffer_head *bh = NULL;
	__le32 *slot, *end;
	int depth, level, i;
	u64 n = 1;
	u32 b;

	depth = block_path(sb, lblock, offsets);
	if (!depth)
		return -EFBIG;
	slot = &vi->i_block[offsets[0]];
	end = depth == 1 ? &vi->i_block[VEXFS_NDIR] : slot + 1;
	for (level = 0; ; level++) {
		b = le32_to_cpu(*slot);
		if (b && !ptr_in_range(inode, b)) {
			brelse(bh);
			return -EFSCORRUPTED;
		}
		if (!b || level == depth - 1)
			break;
		brelse(bh);
		bh = read_indirect(inode, b);
		if (!bh)
			return -EIO;
		slot = (__le32 *)bh->b_data + offsets[level + 1];
		end = (__le32 *)bh->b_data + span(sb, 1);
	}
	if (!b && level < depth - 1) {
		/* a missing indirect block: the rest of its subtree */
		u64 pos = 0;

		for (i = level + 1; i < depth; i++)
			pos = pos * span(sb, 1) + offsets[i];
		n = span(sb, depth - 1 - level) - pos;
	} else if (!b) {
		while (n < max && slot + n < end && !slot[n])
			n++;
	} else {
		while (n < max && slot + n < end && le32_to_cpu(slot[n]) == b + n &&
		       vexfs_block_valid(sb, b + n))
			n++;
	}
	brelse(bh);
	*pblock = b;
	*count = min(n, max);
	return 0;
}

/**
 * vexfs_map_run - map a run of logical blocks of @inode, allocating none.
 * @inode: a regular file, directory or symlink
 * @lblock: the first logical block
 * @max: the most blocks wanted (at least 1)
 * @pblock: the disk block of @lblock, 0 for a hole
 * @count: the blocks from @lblock that map to @pblock, @pblock + 1, ...
 *	   (or are a hole), 1 to @max
 *
 * A run goes on across blocks of pointers while the disk blocks do.
 *
 * Context: process context; takes the inode's i_map_sem.
 * Return: 0, -EFBIG past the largest file, -EIO or -EUCLEAN.
 */
int vexfs_map_run(struct inode *inode, u64 lblock, u64 max, u32 *pblock,
		  u64 *count)
{
	struct vexfs_inode_info *vi = VEXFS_I(inode);
	u64 next;
	u32 b;
	int err;

	down_read(&vi->i_map_sem);
	err = run_locked(inode, lblock, max, pblock, count);
	while (!err && *count < max) {
		if (run_locked(inode, lblock + *count, max - *count, &b, &next) ||
		    (*pblock ? b != *pblock + *count : b != 0))
			break;
		*count += next;
		cond_resched();
	}
	up_read(&vi->i_map_sem);
	return err;
}

/*
 * The get_block_t of the page cache.  Readahead (mpage) asks for many
 * blocks at once: it gets the run of them that lies in order on disk.
 */
int vexfs_get_block(struct inode *inode, sector_t iblock,
		    struct buffer_head *bh_result, int create)
{
	u64 max = bh_result->b_size >> inode->i_blkbits, count;
	bool fresh;
	u32 pblock;
	int err;

	if (max > 1) {
		err = vexfs_map_run(inode, iblock, max, &pblock, &count);
		if (err)
			return err;
		if (pblock) {
			map_bh(bh_result, inode->i_sb, pblock);
			bh_result->b_size = count << inode->i_blkbits;
			return 0;
		}
		if (!create)
			return 0;
	}
	err = vexfs_map_block(inode, iblock, create, &pblock, &fresh);
	if (err)
		return err;
	if (pblock) {
		map_bh(bh_result, inode->i_sb, pblock);
		if (fresh)
			set_buffer_new(bh_result);
	}
	return 0;
}

/*
 * Whether @b, a pointer of @inode's tree, names an allocated block of the
 * data region; if not, the image is corrupted: reported, and the pointer
 * is neither followed nor freed.
 */
static bool tree_block_ok(struct inode *inode, u32 b)
{
	struct super_block *sb = inode->i_sb;

	if (!ptr_in_range(inode, b))
		return false;
	if (!vexfs_block_in_use(sb, b)) {
		vexfs_error(sb, "inode %llu: block pointer %u names a free block (shared, or a loop)",
			    vexfs_ino(inode), b);
		return false;
	}
	return true;
}

/*
 * Free block @b at @depth and everything below it.  Indirect blocks, and
 * every block of a directory, are metadata: revoked (journal) or
 * forgotten.  Each block freed first makes room in the handle.
 */
static void free_tree(struct inode *inode, u32 b, int depth)
{
	struct super_block *sb = inode->i_sb;

	if (depth > 0) {
		struct buffer_head *bh = read_indirect(inode, b);
		unsigned int i;

		/* unread, its subtree leaks: fsck.vexfs reclaims it */
		if (bh) {
			for (i = 0; i < sb->s_blocksize / 4; i++) {
				u32 c = le32_to_cpu(((__le32 *)bh->b_data)[i]);

				if (c && tree_block_ok(inode, c))
					free_tree(inode, c, depth - 1);
			}
			brelse(bh);
		}
		cond_resched();
		/* a loop below freed it already */
		if (!tree_block_ok(inode, b))
			return;
	}
	vexfs_journal_ensure(inode, 4, 1, true);
	if (depth > 0 || S_ISDIR(inode->i_mode))
		vexfs_forget_meta(sb, b);
	vexfs_free_block(sb, b);
	inode->i_blocks -= sb->s_blocksize >> 9;
}

/*
 * Set *@slot, in @parent (NULL: the inode's i_block[]), to 0.  Returns 0,
 * or -errno (the journal aborted) with the slot unchanged.
 */
static int clear_slot(struct super_block *sb, struct buffer_head *parent,
		      __le32 *slot)
{
	int err = parent ? vexfs_get_write_access(sb, parent) : 0;

	if (err)
		return err;
	*slot = 0;
	return parent ? vexfs_dirty_metadata(sb, parent) : 0;
}

/*
 * Cut the subtree behind @slot (in @parent, NULL for i_block[]; at
 * @depth, covering logical blocks from @lbase) at logical block @first.
 * The pointer is cleared before the blocks are freed, in the same handle
 * or (a big subtree) an earlier one: a crash in between leaks blocks
 * fsck.vexfs reclaims, never a pointer to a free block.
 */
static void truncate_slot(struct inode *inode, struct buffer_head *parent,
			  __le32 *slot, int depth, u64 lbase, u64 first)
{
	struct super_block *sb = inode->i_sb;
	u32 b = le32_to_cpu(*slot);
	struct buffer_head *bh;
	unsigned int i;

	if (!b || lbase + span(sb, depth) <= first)
		return;
	vexfs_journal_ensure(inode, 4, 1, true);
	if (!tree_block_ok(inode, b)) {
		clear_slot(sb, parent, slot);
		return;
	}
	if (lbase >= first) {
		/* never free what a pointer still names */
		if (!clear_slot(sb, parent, slot))
			free_tree(inode, b, depth);
		return;
	}
	/* partly kept: an indirect block */
	bh = read_indirect(inode, b);
	if (!bh)
		return;
	for (i = 0; i < sb->s_blocksize / 4; i++)
		truncate_slot(inode, bh, (__le32 *)bh->b_data + i, depth - 1,
			      lbase + i * span(sb, depth - 1), first);
	brelse(bh);
	cond_resched();
}

/**
 * vexfs_truncate_blocks - free the blocks of @inode from byte @size on.
 * @inode: the inode; its page cache past @size is already gone
 * @size: the new size
 *
 * Indirect blocks that become empty are kept while a pointer before them
 * survives; whole subtrees past @size are freed.
 *
 * Context: process context, in a handle when journaled (the caller's,
 * extended or restarted as needed); takes the inode's i_map_sem for
 * writing.
 */
void vexfs_truncate_blocks(struct inode *inode, loff_t size)
{
	struct super_block *sb = inode->i_sb;
	struct vexfs_inode_info *vi = VEXFS_I(inode);
	u64 first = DIV_ROUND_UP((u64)size, sb->s_blocksize);
	u64 lbase = VEXFS_NDIR;
	int i;

	down_write(&vi->i_map_sem);
	for (i = 0; i < VEXFS_N_BLOCKS; i++) {
		int depth = i < VEXFS_NDIR ? 0 : i - VEXFS_NDIR + 1;

		truncate_slot(inode, NULL, &vi->i_block[i], depth,
			      i < VEXFS_NDIR ? i : lbase, first);
		if (i >= VEXFS_NDIR)
			lbase += span(sb, depth);
	}
	up_write(&vi->i_map_sem);
	mark_inode_dirty(inode);
}
