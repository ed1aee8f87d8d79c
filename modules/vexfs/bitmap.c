// SPDX-License-Identifier: GPL-2.0
/*
 * bitmap.c - VexFS: the inode and block bitmaps, kept in buffer heads for
 * the whole mount, and allocation from them.
 *
 * Bit n of a bitmap is bit n % 8 of byte n / 8 (little-endian bit order,
 * the *_le bit operations).  Bits past the last inode or block are set on
 * disk, as are inode 0 and the metadata blocks, so a search never returns
 * them; the mount checks that.
 *
 * With a journal a bitmap block is changed inside the running handle:
 * write access is taken (it may sleep) before the bitmap lock, so an
 * allocation finds a bit, drops the lock, takes access to its block and
 * sets the bit if it is still clear (else searches again).
 *
 * A block freed in a transaction that has not committed yet is "pending":
 * its bit is clear in the (journaled) bitmap, but a crash before the
 * commit gives it back to its old owner, so writing another file's data
 * into it could change the old owner's content.  The allocator takes
 * pending blocks only when no other block is free (ENOSPC stays what it
 * was); the commit callback releases them.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitops.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/slab.h>

#include "vexfs.h"

static unsigned int bits_per_block(struct super_block *sb)
{
	return sb->s_blocksize * 8;
}

static bool map_test(struct super_block *sb, struct buffer_head **map, u64 n)
{
	return test_bit_le(n % bits_per_block(sb),
			   map[n / bits_per_block(sb)]->b_data);
}

/* The first clear bit in [from, to), or @to. */
static u64 map_find_zero(struct super_block *sb, struct buffer_head **map,
			 u64 from, u64 to)
{
	unsigned int bpb = bits_per_block(sb);

	while (from < to) {
		u64 base = from - from % bpb;
		unsigned int end = min_t(u64, bpb, to - base);
		unsigned int off;

		off = find_next_zero_bit_le(map[base / bpb]->b_data, end,
					    from - base);
		if (off < end)
			return base + off;
		from = base + bpb;
	}
	return to;
}

/* Count clear bits in [0, limit). */
static u64 map_count_zero(struct super_block *sb, struct buffer_head **map,
			  u32 nblocks, u64 limit)
{
	unsigned int bpb = bits_per_block(sb);
	u64 zero = 0;
	u32 i;

	for (i = 0; i < nblocks; i++) {
		u64 base = (u64)i * bpb;
		unsigned int len = min_t(u64, bpb, limit - base);
		unsigned int j;

		for (j = 0; j < len; j++)
			if (!test_bit_le(j, map[i]->b_data))
				zero++;
		if (base + bpb >= limit)
			break;
	}
	return zero;
}

static struct buffer_head **read_map(struct super_block *sb, u64 start,
				     u32 nblocks)
{
	struct buffer_head **map;
	u32 i;

	/* a pointer per bitmap block: 1 MiB for 16 TiB of 4 KiB blocks */
	map = kvcalloc(nblocks, sizeof(*map), GFP_KERNEL);
	if (!map)
		return ERR_PTR(-ENOMEM);
	for (i = 0; i < nblocks; i++) {
		map[i] = sb_bread(sb, start + i);
		if (!map[i]) {
			pr_err("device %s: cannot read bitmap block %llu\n",
			       sb->s_id, start + i);
			while (i--)
				brelse(map[i]);
			kvfree(map);
			return ERR_PTR(-EIO);
		}
	}
	return map;
}

static void put_map(struct buffer_head **map, u32 nblocks)
{
	u32 i;

	if (IS_ERR_OR_NULL(map))
		return;
	for (i = 0; i < nblocks; i++)
		brelse(map[i]);
	kvfree(map);
}

struct vexfs_pending {
	struct list_head list;
	tid_t tid;
	u32 block;
	u32 count;
};

static bool pending_test(struct super_block *sb, u64 n)
{
	struct vexfs_sb_info *sbi = VEXFS_SB(sb);
	unsigned long *m;

	if (!sbi->s_pending)
		return false;
	m = sbi->s_pending[n / bits_per_block(sb)];
	return m && test_bit(n % bits_per_block(sb), m);
}

/* Locked: drop the pending records; the array, to kvfree(), is returned. */
static unsigned long **put_pending(struct super_block *sb)
{
	struct vexfs_sb_info *sbi = VEXFS_SB(sb);
	unsigned long **pending = sbi->s_pending;
	struct vexfs_pending *p, *tmp;
	u32 i;

	if (!pending)
		return NULL;
	list_for_each_entry_safe(p, tmp, &sbi->s_pending_list, list) {
		list_del(&p->list);
		kfree(p);
	}
	for (i = 0; i < sbi->g.bbitmap_blocks; i++)
		kfree(pending[i]);
	sbi->s_pending = NULL;
	return pending;
}

/**
 * vexfs_release_pending - the transaction @tid committed: the blocks it
 * freed may be reused freely.
 * @sb: the filesystem
 * @tid: the transaction
 *
 * Context: the journal's commit callback.
 */
void vexfs_release_pending(struct super_block *sb, tid_t tid)
{
	struct vexfs_sb_info *sbi = VEXFS_SB(sb);
	unsigned int bpb = bits_per_block(sb);
	struct vexfs_pending *p, *tmp;
	LIST_HEAD(done);
	u32 i;

	spin_lock(&sbi->s_bitmap_lock);
	if (!sbi->s_pending) {
		spin_unlock(&sbi->s_bitmap_lock);
		return;
	}
	/* handles of two transactions may free side by side: scan it all */
	list_for_each_entry_safe(p, tmp, &sbi->s_pending_list, list) {
		if (!tid_geq(tid, p->tid))
			continue;
		for (i = 0; i < p->count; i++) {
			u64 n = (u64)p->block + i;

			clear_bit(n % bpb, sbi->s_pending[n / bpb]);
		}
		list_move(&p->list, &done);
	}
	spin_unlock(&sbi->s_bitmap_lock);
	list_for_each_entry_safe(p, tmp, &done, list)
		kfree(p);
}

void vexfs_put_bitmaps(struct super_block *sb)
{
	struct vexfs_sb_info *sbi = VEXFS_SB(sb);

	unsigned long **pending;

	spin_lock(&sbi->s_bitmap_lock);
	pending = put_pending(sb);
	spin_unlock(&sbi->s_bitmap_lock);
	kvfree(pending);
	put_map(sbi->s_ibmap, sbi->g.ibitmap_blocks);
	put_map(sbi->s_bbmap, sbi->g.bbitmap_blocks);
	sbi->s_ibmap = NULL;
	sbi->s_bbmap = NULL;
}

/* Bits that must be set whatever is allocated: [0, used) and [limit, end). */
static bool map_fixed_bits_ok(struct super_block *sb, struct buffer_head **map,
			      u32 nblocks, u64 used, u64 limit)
{
	u64 end = (u64)nblocks * bits_per_block(sb);

	return map_find_zero(sb, map, 0, used) == used &&
	       map_find_zero(sb, map, limit, end) == end;
}

/*
 * vexfs_load_bitmaps - read both bitmaps, check their fixed bits and count
 * what is free.  Returns 0, -EIO, -ENOMEM or -EFSCORRUPTED.
 */
int vexfs_load_bitmaps(struct super_block *sb)
{
	struct vexfs_sb_info *sbi = VEXFS_SB(sb);
	const struct vexfs_geometry *g = &sbi->g;
	u64 ilimit = (u64)g->inodes_count + 1;
	int err;

	sbi->s_ibmap = read_map(sb, g->ibitmap_start, g->ibitmap_blocks);
	if (IS_ERR(sbi->s_ibmap)) {
		err = PTR_ERR(sbi->s_ibmap);
		sbi->s_ibmap = NULL;
		return err;
	}
	sbi->s_bbmap = read_map(sb, g->bbitmap_start, g->bbitmap_blocks);
	if (IS_ERR(sbi->s_bbmap)) {
		err = PTR_ERR(sbi->s_bbmap);
		sbi->s_bbmap = NULL;
		goto err_put;
	}
	if (!map_fixed_bits_ok(sb, sbi->s_ibmap, g->ibitmap_blocks, 1, ilimit) ||
	    !map_test(sb, sbi->s_ibmap, VEXFS_ROOT_INO)) {
		pr_err("device %s: inode bitmap is corrupted\n", sb->s_id);
		err = -EFSCORRUPTED;
		goto err_put;
	}
	if (!map_fixed_bits_ok(sb, sbi->s_bbmap, g->bbitmap_blocks,
			       g->data_start, g->blocks_count)) {
		pr_err("device %s: block bitmap is corrupted\n", sb->s_id);
		err = -EFSCORRUPTED;
		goto err_put;
	}
	sbi->s_free_inodes = map_count_zero(sb, sbi->s_ibmap,
					    g->ibitmap_blocks, ilimit);
	sbi->s_free_blocks = map_count_zero(sb, sbi->s_bbmap,
					    g->bbitmap_blocks, g->blocks_count);
	/* indirect blocks from the first free block of the data region (past
	 * the journal and what mkfs made), files' data after the first 1/64
	 * of what follows (VEXFS_META_ZONE_SHIFT), so that an indirect block
	 * does not split a file's run of data blocks
	 */
	sbi->s_meta_hint = map_find_zero(sb, sbi->s_bbmap, g->data_start,
					 g->blocks_count);
	if (sbi->s_meta_hint >= g->blocks_count)
		sbi->s_meta_hint = g->data_start;
	sbi->s_block_hint = sbi->s_meta_hint +
		((g->blocks_count - sbi->s_meta_hint) >> VEXFS_META_ZONE_SHIFT);
	sbi->s_inode_hint = VEXFS_ROOT_INO + 1;
	if (sbi->s_journal) {
		/* per bitmap block, allocated at its first pending block */
		sbi->s_pending = kvcalloc(g->bbitmap_blocks,
					  sizeof(*sbi->s_pending), GFP_KERNEL);
		if (!sbi->s_pending) {
			err = -ENOMEM;
			goto err_put;
		}
	}
	return 0;

err_put:
	vexfs_put_bitmaps(sb);
	return err;
}

bool vexfs_block_valid(struct super_block *sb, u64 block)
{
	struct vexfs_sb_info *sbi = VEXFS_SB(sb);

	return block >= sbi->g.data_start && block < sbi->g.blocks_count;
}

/* Set bit @n (clear on entry) under the bitmap lock; returns its buffer. */
static struct buffer_head *map_set(struct super_block *sb,
				   struct buffer_head **map, u64 n)
{
	struct buffer_head *bh = map[n / bits_per_block(sb)];

	__set_bit_le(n % bits_per_block(sb), bh->b_data);
	return bh;
}

/* The first free block in [from, to), not a pending one with @avoid. */
static u64 find_free(struct super_block *sb, u64 from, u64 to, bool avoid)
{
	struct vexfs_sb_info *sbi = VEXFS_SB(sb);
	u64 n = map_find_zero(sb, sbi->s_bbmap, from, to);

	while (avoid && n < to && pending_test(sb, n))
		n = map_find_zero(sb, sbi->s_bbmap, n + 1, to);
	return n;
}

/* A free data block from @hint on, wrapping around; pending ones last. */
static u64 block_search(struct super_block *sb, u64 hint)
{
	struct vexfs_sb_info *sbi = VEXFS_SB(sb);
	u64 first = sbi->g.data_start, limit = sbi->g.blocks_count, n;
	int pass;

	if (hint < first || hint >= limit)
		hint = first;
	for (pass = sbi->s_pending ? 0 : 1; pass < 2; pass++) {
		bool avoid = !pass;

		n = find_free(sb, hint, limit, avoid);
		if (n < limit)
			return n;
		n = find_free(sb, first, hint, avoid);
		if (n < hint)
			return n;
	}
	return limit;
}

/* Find a clear bit from @hint on, wrapping around, in [first, limit). */
static u64 map_search(struct super_block *sb, struct buffer_head **map,
		      u64 first, u64 limit, u64 hint)
{
	u64 n;

	if (hint < first || hint >= limit)
		hint = first;
	n = map_find_zero(sb, map, hint, limit);
	if (n < limit)
		return n;
	n = map_find_zero(sb, map, first, hint);
	return n < hint ? n : limit;
}

/* Whether block @n is free and not pending (locked). */
static bool block_free(struct super_block *sb, u64 n)
{
	struct vexfs_sb_info *sbi = VEXFS_SB(sb);

	return n >= sbi->g.data_start && n < sbi->g.blocks_count &&
	       !map_test(sb, sbi->s_bbmap, n) && !pending_test(sb, n);
}

/**
 * vexfs_new_block - allocate one block for @inode.
 * @inode: the owner (its i_blocks is not changed here)
 * @goal: the block wanted, where the file's layout puts it (0: none,
 *	  the file's first block)
 * @lead: without @goal, the file's logical blocks before this one: a
 *	  first block written at an offset is placed as far past where
 *	  files' first blocks are looked for, when that is free, leaving
 *	  room for the blocks before it
 * @meta: an indirect block: looked for from the start of the data region
 *	  (its first 1/64 is kept for them), not among the files' data
 * @block: the block allocated
 *
 * A file written in order gets one run of blocks: its next block is
 * @goal while that is free.  When another file took it, the file starts
 * a new run where files' first blocks are looked for, and moves that
 * place on by as many blocks as the file has (64 to 4096), which the
 * next file to start there would otherwise take from under it: two files
 * written at once get runs of that length, not alternate blocks.
 *
 * The block's contents are not touched.  Return: 0 or -ENOSPC.
 */
int vexfs_new_block(struct inode *inode, u32 goal, u64 lead, bool meta,
		    u32 *block)
{
	struct super_block *sb = inode->i_sb;
	struct vexfs_sb_info *sbi = VEXFS_SB(sb);
	u64 n, gap = 0, limit = sbi->g.blocks_count;
	struct buffer_head *bh;
	int err;

	for (;;) {
		spin_lock(&sbi->s_bitmap_lock);
		if (!sbi->s_free_blocks) {
			spin_unlock(&sbi->s_bitmap_lock);
			return -ENOSPC;
		}
		if (meta) {
			n = block_search(sb, sbi->s_meta_hint);
		} else if (goal && block_free(sb, goal)) {
			n = goal;
		} else if (!goal && lead && lead <= sbi->s_free_blocks / 8 &&
			   sbi->s_block_hint + lead < limit &&
			   block_free(sb, sbi->s_block_hint + lead)) {
			n = sbi->s_block_hint + lead;
		} else {
			if (goal)
				gap = clamp_t(u64, inode->i_blocks >>
					      (sb->s_blocksize_bits - 9),
					      VEXFS_RUN_GAP_MIN, VEXFS_RUN_GAP_MAX);
			n = block_search(sb, sbi->s_block_hint);
		}
		if (n >= limit) {
			spin_unlock(&sbi->s_bitmap_lock);
			vexfs_error(sb, "free block count %llu but no free block",
				    sbi->s_free_blocks);
			return -ENOSPC;
		}
		bh = sbi->s_bbmap[n / bits_per_block(sb)];
		spin_unlock(&sbi->s_bitmap_lock);
		err = vexfs_get_write_access(sb, bh);
		if (err)
			return err;
		spin_lock(&sbi->s_bitmap_lock);
		if (!map_test(sb, sbi->s_bbmap, n) && sbi->s_free_blocks)
			break;
		/* taken meanwhile: search again */
		spin_unlock(&sbi->s_bitmap_lock);
	}
	map_set(sb, sbi->s_bbmap, n);
	sbi->s_free_blocks--;
	if (meta)
		sbi->s_meta_hint = n + 1;
	else if (!goal)
		sbi->s_block_hint = n + 1;
	else if (gap)
		sbi->s_block_hint = n + gap < limit ? n + gap : sbi->g.data_start;
	spin_unlock(&sbi->s_bitmap_lock);
	*block = n;
	return vexfs_dirty_metadata(sb, bh);
}

/* Whether block @n may start or continue a run (locked). */
static bool run_free(struct super_block *sb, u64 n, bool avoid)
{
	return !map_test(sb, VEXFS_SB(sb)->s_bbmap, n) &&
	       !(avoid && pending_test(sb, n));
}

/*
 * A free run of @count blocks starting in [@from, @to) (it may end past
 * @to), or the block count; pending blocks skipped with @avoid.  Locked.
 */
static u64 find_run_in(struct super_block *sb, u32 count, u64 from, u64 to,
		       bool avoid)
{
	u64 limit = VEXFS_SB(sb)->g.blocks_count, n = from, i;

	for (;;) {
		n = find_free(sb, n, to, avoid);
		if (n >= to || n + count > limit)
			return limit;
		for (i = 1; i < count && run_free(sb, n + i, avoid); i++)
			;
		if (i == count)
			return n;
		n += i;
	}
}

/*
 * A free run of @count blocks, or the block count: from the hint on,
 * wrapping around, pending blocks last.  The bitmap lock is held for the
 * starts in one bitmap block at a time, not for the whole scan, and the
 * scan reschedules between them.  Called unlocked; the caller checks the
 * run again under the lock before taking it.
 */
static u64 find_run(struct super_block *sb, u32 count)
{
	struct vexfs_sb_info *sbi = VEXFS_SB(sb);
	u64 first = sbi->g.data_start, limit = sbi->g.blocks_count;
	unsigned int bpb = bits_per_block(sb);
	u64 hint = READ_ONCE(sbi->s_contig_hint), from, end, to, n;
	bool avoid, enough, wrapped;
	int pass;

	if (hint < first || hint >= limit)
		hint = first;
	for (pass = READ_ONCE(sbi->s_pending) ? 0 : 1; pass < 2; pass++) {
		avoid = !pass;
		from = hint;
		end = limit;
		wrapped = false;
		for (;;) {
			to = min_t(u64, end, from - from % bpb + bpb);
			spin_lock(&sbi->s_bitmap_lock);
			enough = sbi->s_free_blocks >= count;
			n = enough ? find_run_in(sb, count, from, to, avoid) : limit;
			spin_unlock(&sbi->s_bitmap_lock);
			if (!enough || n < limit)
				return n;
			from = to;
			if (from >= end) {
				if (wrapped || hint == first)
					break;
				wrapped = true;
				from = first;
				end = hint;
			}
			cond_resched();
		}
	}
	return limit;
}

/**
 * vexfs_new_blocks_contig - allocate @count contiguous data blocks.
 * @sb: the filesystem
 * @count: how many
 * @first: the first block of the run
 *
 * Return: 0, or -ENOSPC when no free run is long enough.
 */
int vexfs_new_blocks_contig(struct super_block *sb, u32 count, u32 *first)
{
	struct vexfs_sb_info *sbi = VEXFS_SB(sb);
	u64 limit = sbi->g.blocks_count, n, i;
	struct buffer_head *bh_first, *bh_last;
	int err;

	for (;;) {
		n = find_run(sb, count);
		if (n >= limit)
			return -ENOSPC;
		/* a run spans at most two bitmap blocks */
		bh_first = sbi->s_bbmap[n / bits_per_block(sb)];
		bh_last = sbi->s_bbmap[(n + count - 1) / bits_per_block(sb)];
		err = vexfs_get_write_access(sb, bh_first);
		if (!err && bh_last != bh_first)
			err = vexfs_get_write_access(sb, bh_last);
		if (err)
			return err;
		spin_lock(&sbi->s_bitmap_lock);
		for (i = 0; i < count && !map_test(sb, sbi->s_bbmap, n + i); i++)
			;
		if (i == count && sbi->s_free_blocks >= count)
			break;
		/* taken meanwhile: search again */
		spin_unlock(&sbi->s_bitmap_lock);
	}
	for (i = 0; i < count; i++)
		map_set(sb, sbi->s_bbmap, n + i);
	sbi->s_free_blocks -= count;
	sbi->s_contig_hint = n + count;
	spin_unlock(&sbi->s_bitmap_lock);
	*first = n;
	err = vexfs_dirty_metadata(sb, bh_first);
	if (!err && bh_last != bh_first)
		err = vexfs_dirty_metadata(sb, bh_last);
	return err;
}

/**
 * vexfs_free_block - give a block back.
 * @sb: the filesystem
 * @block: a data block, allocated
 *
 * Freeing a block outside the data region or a free one is an
 * inconsistency: reported through vexfs_error(), nothing changes.
 */
void vexfs_free_block(struct super_block *sb, u32 block)
{
	struct vexfs_sb_info *sbi = VEXFS_SB(sb);
	unsigned int bpb = bits_per_block(sb), idx = block / bpb;
	handle_t *handle = sbi->s_journal ? journal_current_handle() : NULL;
	struct vexfs_pending *p = NULL, *last;
	unsigned long *newmap = NULL;
	struct buffer_head *bh;
	tid_t tid = 0;
	bool was_set;

	if (!vexfs_block_valid(sb, block)) {
		vexfs_error(sb, "freeing block %u outside the data region", block);
		return;
	}
	bh = sbi->s_bbmap[idx];
	if (vexfs_get_write_access(sb, bh))
		return;
	/* memory for the pending record first: it may sleep */
	if (handle && handle->h_transaction && sbi->s_pending) {
		tid = handle->h_transaction->t_tid;
		p = kmalloc(sizeof(*p), GFP_NOFS);
		if (!READ_ONCE(sbi->s_pending[idx]))
			newmap = kzalloc(sb->s_blocksize, GFP_NOFS);
	}
	spin_lock(&sbi->s_bitmap_lock);
	was_set = __test_and_clear_bit_le(block % bpb, bh->b_data);
	if (was_set)
		sbi->s_free_blocks++;
	if (was_set && p) {
		if (!sbi->s_pending[idx] && newmap) {
			sbi->s_pending[idx] = newmap;
			newmap = NULL;
		}
		if (sbi->s_pending[idx]) {
			set_bit(block % bpb, sbi->s_pending[idx]);
			last = list_empty(&sbi->s_pending_list) ? NULL :
			       list_last_entry(&sbi->s_pending_list,
					       struct vexfs_pending, list);
			if (last && last->tid == tid &&
			    (u64)last->block + last->count == block) {
				last->count++;
			} else {
				p->tid = tid;
				p->block = block;
				p->count = 1;
				list_add_tail(&p->list, &sbi->s_pending_list);
				p = NULL;
			}
		}
	}
	spin_unlock(&sbi->s_bitmap_lock);
	kfree(p);
	kfree(newmap);
	if (!was_set) {
		vexfs_error(sb, "freeing block %u, which is free", block);
		return;
	}
	vexfs_dirty_metadata(sb, bh);
}

/**
 * vexfs_alloc_ino - allocate an inode number.
 * @sb: the filesystem
 * @ino: the number allocated
 *
 * Return: 0 or -ENOSPC.
 */
int vexfs_alloc_ino(struct super_block *sb, u32 *ino)
{
	struct vexfs_sb_info *sbi = VEXFS_SB(sb);
	u64 limit = (u64)sbi->g.inodes_count + 1;
	struct buffer_head *bh;
	int err;
	u64 n;

	for (;;) {
		spin_lock(&sbi->s_bitmap_lock);
		if (!sbi->s_free_inodes) {
			spin_unlock(&sbi->s_bitmap_lock);
			return -ENOSPC;
		}
		n = map_search(sb, sbi->s_ibmap, 1, limit, sbi->s_inode_hint);
		if (n >= limit) {
			spin_unlock(&sbi->s_bitmap_lock);
			vexfs_error(sb, "free inode count %u but no free inode",
				    sbi->s_free_inodes);
			return -ENOSPC;
		}
		bh = sbi->s_ibmap[n / bits_per_block(sb)];
		spin_unlock(&sbi->s_bitmap_lock);
		err = vexfs_get_write_access(sb, bh);
		if (err)
			return err;
		spin_lock(&sbi->s_bitmap_lock);
		if (!map_test(sb, sbi->s_ibmap, n) && sbi->s_free_inodes)
			break;
		/* taken meanwhile: search again */
		spin_unlock(&sbi->s_bitmap_lock);
	}
	map_set(sb, sbi->s_ibmap, n);
	sbi->s_free_inodes--;
	sbi->s_inode_hint = n + 1;
	spin_unlock(&sbi->s_bitmap_lock);
	*ino = n;
	return vexfs_dirty_metadata(sb, bh);
}

void vexfs_free_ino(struct super_block *sb, u32 ino)
{
	struct vexfs_sb_info *sbi = VEXFS_SB(sb);
	struct buffer_head *bh;
	bool was_set;

	if (ino < 1 || ino > sbi->g.inodes_count || ino == VEXFS_ROOT_INO) {
		vexfs_error(sb, "freeing inode %u: out of range", ino);
		return;
	}
	bh = sbi->s_ibmap[ino / bits_per_block(sb)];
	if (vexfs_get_write_access(sb, bh))
		return;
	spin_lock(&sbi->s_bitmap_lock);
	was_set = __test_and_clear_bit_le(ino % bits_per_block(sb), bh->b_data);
	if (was_set)
		sbi->s_free_inodes++;
	spin_unlock(&sbi->s_bitmap_lock);
	if (!was_set) {
		vexfs_error(sb, "freeing inode %u, which is free", ino);
		return;
	}
	vexfs_dirty_metadata(sb, bh);
}

/* Bit @n of @map, read under the bitmap lock. */
static bool map_test_locked(struct super_block *sb, struct buffer_head **map,
			    u64 n)
{
	struct vexfs_sb_info *sbi = VEXFS_SB(sb);
	bool used;

	spin_lock(&sbi->s_bitmap_lock);
	used = map_test(sb, map, n);
	spin_unlock(&sbi->s_bitmap_lock);
	return used;
}

/**
 * vexfs_block_in_use - whether data block @block is allocated.
 * @sb: the filesystem
 * @block: a block of the data region (vexfs_block_valid())
 *
 * What a walk of a block tree checks before it follows or frees a
 * pointer: on a crafted image, a block met a second time (shared by two
 * trees, or an indirect block naming itself or an ancestor) is found
 * free after its first visit freed it.
 */
bool vexfs_block_in_use(struct super_block *sb, u32 block)
{
	return map_test_locked(sb, VEXFS_SB(sb)->s_bbmap, block);
}

bool vexfs_ino_in_use(struct super_block *sb, u32 ino)
{
	return map_test_locked(sb, VEXFS_SB(sb)->s_ibmap, ino);
}
