// SPDX-License-Identifier: GPL-2.0
/*
 * check.c - the checker behind fsck.vexfs.
 *
 * Passes, in the order e2fsck made familiar:
 *   0  superblock: magic, checksum, version, features, geometry; the
 *      orphan list (version 2)
 *   1  every inode marked in the inode bitmap: checksum, type, fields, the
 *      block tree (pointers in range, no block owned twice, nothing past
 *      the end of the file, i_blocks), directory shape, symlink target,
 *      vector record
 *   2  the directory tree from the root: ".", "..", names, inode numbers,
 *      file types, duplicate names, directories linked twice
 *   3  allocated inodes no directory reaches: orphans
 *   4  link counts
 *   5  both bitmaps against what passes 1-4 found in use
 * Repairs are written as they are decided, in a second run: the first one
 * writes nothing, and the repairing run follows only if it found no problem
 * that cannot be repaired (the superblock, the root directory) and, in
 * preen mode, only problems preen may fix (bitmaps, link counts, orphans
 * with no link, blocks past the end of a file, stale free slots, file
 * types, the error state, a malformed orphan list).
 *
 * The orphan list (s_last_orphan, i_next_orphan) is the kernel's record of
 * deletions and truncations in progress.  A well-formed one is work, not a
 * problem: a check without repairs reports how many inodes wait on it and
 * checks the rest as if the work were done (their blocks stay in use until
 * then); preen and -y do the work as a mount would: the inodes on it with
 * no link are freed, the others truncated to their size, the list
 * emptied.  A malformed list (a loop, an inode number out of range, a free
 * or damaged inode, a linked inode that is not a regular file) is dropped
 * (preen may): the ordinary passes then repair the inodes that were on it.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE	/* vasprintf() */
#endif
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "journal.h"
#include "vexfs.h"

enum ino_state { INO_FREE, INO_OK, INO_BAD };

struct ino_info {
	uint8_t state;
	bool reachable;
	uint16_t mode;
	uint32_t nlink;		/* on disk */
	uint32_t refs;		/* entries naming it (not "." / "..") */
	uint32_t subdirs;	/* directories it contains */
	uint32_t parent;	/* directory holding its entry (dirs) */
	uint32_t *dblocks;	/* directories: logical -> physical */
	uint32_t ndblocks;
	uint32_t ndisk;		/* blocks it had before fsck grew it */
	uint32_t add_cursor;	/* dir_add(): first slot that may be free */
	bool grown;
	bool orphan;		/* on a well-formed orphan list */
};

struct fsck {
	struct vexfs_image *img;
	enum vexfs_fsck_mode mode;
	bool fix;		/* write repairs */
	bool preen_unsafe;	/* a problem preen must not fix was found */
	bool unfixable;		/* a problem no mode repairs was found */
	struct vexfs_fsck_result *res;
	struct vexfs_super s;
	const struct vexfs_geometry *g;
	uint32_t bs, ptrs;	/* block size, pointers per indirect block */
	uint8_t *ibitmap, *bbitmap;	/* as on disk */
	uint8_t *bused;		/* blocks found in use */
	uint8_t *bfreed;	/* blocks the orphan list's work frees */
	struct ino_info *ino;
	uint8_t *blk;		/* scratch block */
	uint32_t lpf;		/* /lost+found found by pass 2 (or made) */
	int64_t now;
};

/* ---- reporting ------------------------------------------------------- */

static void record(struct fsck *f, bool fixed, const char *fmt, va_list ap)
{
	struct vexfs_fsck_result *r = f->res;
	struct vexfs_fsck_problem *p;
	char *text;

	if (vasprintf(&text, fmt, ap) < 0)
		return;
	p = realloc(r->problems, (r->nproblems + 1) * sizeof(*p));
	if (!p) {
		free(text);
		return;
	}
	r->problems = p;
	p[r->nproblems].text = text;
	p[r->nproblems].fixed = fixed;
	r->nproblems++;
}

/*
 * problem - record one problem.  @preen_ok: preen may fix it.  Returns true
 * when the caller must repair it now.
 */
static bool __attribute__((format(printf, 3, 4)))
problem(struct fsck *f, bool preen_ok, const char *fmt, ...)
{
	va_list ap;

	if (!preen_ok)
		f->preen_unsafe = true;
	va_start(ap, fmt);
	record(f, f->fix, fmt, ap);
	va_end(ap);
	f->res->status |= f->fix ? VEXFS_FSCK_FIXED : VEXFS_FSCK_UNFIXED;
	return f->fix;
}

/* unfixable - record a problem no mode repairs. */
static void __attribute__((format(printf, 2, 3)))
unfixable(struct fsck *f, const char *fmt, ...)
{
	va_list ap;

	f->preen_unsafe = true;
	f->unfixable = true;
	va_start(ap, fmt);
	record(f, false, fmt, ap);
	va_end(ap);
	f->res->status |= VEXFS_FSCK_UNFIXED;
}

static int op_error(struct fsck *f, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static int op_error(struct fsck *f, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(f->res->error, sizeof(f->res->error), fmt, ap);
	va_end(ap);
	f->res->status |= VEXFS_FSCK_OPERROR;
	return -1;
}

/* ---- block and inode I/O ---------------------------------------------- */

static int read_block(struct fsck *f, uint64_t b, void *buf)
{
	int err = vexfs_read_blocks(f->img, b, 1, buf);

	if (err)
		return op_error(f, "cannot read block %llu: %s",
				(unsigned long long)b, strerror(-err));
	return 0;
}

static int write_block(struct fsck *f, uint64_t b, const void *buf)
{
	int err = vexfs_write_blocks(f->img, b, 1, buf);

	if (err)
		return op_error(f, "cannot write block %llu: %s",
				(unsigned long long)b, strerror(-err));
	return 0;
}

static uint64_t inode_offset(struct fsck *f, uint32_t ino)
{
	return f->g->itable_start * f->bs + (uint64_t)(ino - 1) * VEXFS_INODE_SIZE;
}

static int read_inode(struct fsck *f, uint32_t ino, struct vexfs_inode *raw)
{
	int err = vexfs_read_bytes(f->img, inode_offset(f, ino), sizeof(*raw), raw);

	if (err)
		return op_error(f, "cannot read inode %u: %s", ino, strerror(-err));
	return 0;
}

static int write_inode(struct fsck *f, uint32_t ino, const struct vexfs_dinode *d)
{
	struct vexfs_inode raw;
	int err;

	vexfs_inode_encode(d, ino, &raw);
	err = vexfs_write_bytes(f->img, inode_offset(f, ino), sizeof(raw), &raw);
	if (err)
		return op_error(f, "cannot write inode %u: %s", ino, strerror(-err));
	return 0;
}

static bool block_in_data(struct fsck *f, uint64_t b)
{
	return b >= f->g->data_start && b < f->g->blocks_count;
}

/* ---- pass 1: the block tree of an inode ------------------------------- */

enum walk_mode { WALK_MAP, WALK_MARK, WALK_UNMARK };

struct walk {
	enum walk_mode mode;
	uint32_t ino;
	uint64_t eof_blocks;	/* logical blocks below the end of file */
	uint64_t count;		/* blocks kept: data and indirect */
	uint32_t *map;		/* WALK_MAP: logical -> physical, map_len */
	uint64_t map_len;
	bool changed;		/* WALK_MARK: the inode's own pointers */
	bool orphan;		/* on the orphan list (UNMARK: its work) */
	uint64_t released;	/* WALK_MARK: blocks its truncation freed */
	int err;
};

/* logical blocks one pointer covers at @depth (0: a data block) */
static uint64_t span(struct fsck *f, int depth)
{
	uint64_t s = 1;

	while (depth-- > 0)
		s *= f->ptrs;
	return s;
}

/*
 * Blocks the orphan list's work frees: @b at @depth and the valid blocks
 * below it, for pass 5 to free without reporting them.  Returns the
 * number of blocks, or -1 on a read error.  A block met again (shared,
 * or a loop) is not walked again: the work stays linear.
 */
static int64_t release_tree(struct fsck *f, uint32_t b, int depth)
{
	uint32_t *ptrs;
	int64_t n = 1;

	if (vexfs_test_bit(f->bfreed, b))
		return 0;
	vexfs_set_bit(f->bfreed, b);
	if (depth == 0)
		return 1;
	ptrs = malloc(f->bs);
	if (!ptrs)
		return op_error(f, "out of memory");
	if (read_block(f, b, ptrs)) {
		free(ptrs);
		return -1;
	}
	for (uint32_t i = 0; i < f->ptrs && n >= 0; i++) {
		uint32_t child = le32toh(ptrs[i]);
		int64_t k;

		if (!child || !block_in_data(f, child))
			continue;
		k = release_tree(f, child, depth - 1);
		n = k < 0 ? -1 : n + k;
	}
	free(ptrs);
	return n;
}

/*
 * walk_ptr - visit the block @b at tree depth @depth (0: data) covering the
 * logical blocks from @lbase.  Returns true if the pointer to it must be
 * cleared (WALK_MARK with repairs).
 *
 * A crafted tree may be a graph (a block shared, an indirect block naming
 * itself): P^depth paths.  No walk follows them all: WALK_MARK stops at a
 * block already in use, WALK_UNMARK at one no longer in use (its first
 * visit cleared it), WALK_MAP at subtrees past the directory's size.
 */
static bool walk_ptr(struct fsck *f, struct walk *w, uint32_t b, int depth,
		     uint64_t lbase)
{
	uint32_t *ptrs;
	bool dirty = false;

	if (w->err || !b)
		return false;
	switch (w->mode) {
	case WALK_MAP:
		if (!block_in_data(f, b) || lbase >= w->map_len)
			return false;
		if (depth == 0) {
			if (lbase < w->map_len)
				w->map[lbase] = b;
			return false;
		}
		break;
	case WALK_UNMARK:
		if (!block_in_data(f, b) || !vexfs_test_bit(f->bused, b))
			return false;
		vexfs_clear_bit(f->bused, b);
		if (w->orphan)
			vexfs_set_bit(f->bfreed, b);
		if (depth == 0)
			return false;
		break;
	case WALK_MARK:
		if (!block_in_data(f, b))
			return problem(f, false,
				       "inode %u: block pointer %u out of range (logical %llu)",
				       w->ino, b, (unsigned long long)lbase);
		if (vexfs_test_bit(f->bused, b))
			return problem(f, false,
				       "inode %u: block %u is also used elsewhere (logical %llu)",
				       w->ino, b, (unsigned long long)lbase);
		if (lbase >= w->eof_blocks && w->orphan) {
			/* the orphan list's truncation: done now, or later */
			if (f->fix) {
				int64_t n = release_tree(f, b, depth);

				if (n < 0) {
					w->err = -1;
					return false;
				}
				w->released += (uint64_t)n;
				return true;
			}
		} else if (lbase >= w->eof_blocks &&
			   problem(f, true,
				   "inode %u: %s block %u past the end of the file (logical %llu)",
				   w->ino, depth ? "indirect" : "data", b,
				   (unsigned long long)lbase)) {
			return true;
		}
		vexfs_set_bit(f->bused, b);
		w->count++;
		if (depth == 0)
			return false;
		break;
	}

	ptrs = malloc(f->bs);
	if (!ptrs) {
		w->err = op_error(f, "out of memory");
		return false;
	}
	if (read_block(f, b, ptrs)) {
		w->err = -1;
		free(ptrs);
		return false;
	}
	for (uint32_t i = 0; i < f->ptrs && !w->err; i++) {
		uint32_t child = le32toh(ptrs[i]);

		if (walk_ptr(f, w, child, depth - 1, lbase + i * span(f, depth - 1))) {
			ptrs[i] = 0;
			dirty = true;
		}
	}
	if (dirty && !w->err && write_block(f, b, ptrs))
		w->err = -1;
	free(ptrs);
	return false;
}

static void walk_inode(struct fsck *f, struct walk *w, struct vexfs_dinode *d)
{
	uint64_t lbase = VEXFS_NDIR;

	for (int i = 0; i < VEXFS_N_BLOCKS && !w->err; i++) {
		int depth = i < VEXFS_NDIR ? 0 : i - VEXFS_NDIR + 1;
		uint64_t base = i < VEXFS_NDIR ? (uint64_t)i : lbase;

		if (walk_ptr(f, w, d->block[i], depth, base)) {
			d->block[i] = 0;
			w->changed = true;
		}
		if (i >= VEXFS_NDIR)
			lbase += span(f, depth);
	}
}

/* ---- pass 1: vector record -------------------------------------------- */

/* Returns NULL if the vector record of @d (inode @ino) is sound. */
static const char *check_vector(struct fsck *f, uint32_t ino,
				const struct vexfs_dinode *d, uint32_t *nblocks)
{
	const struct vexfs_vector_head *vh;
	uint32_t esize = vexfs_vec_elem_size(d->vec_type);
	uint8_t *rec;
	const char *why = NULL;
	size_t len;

	*nblocks = 0;
	if (!d->vec_block && !d->vec_dim && !d->vec_type)
		return NULL;
	if (!d->vec_block || !d->vec_dim || !esize)
		return "incomplete or unknown vector fields";
	if ((d->mode & VEXFS_S_IFMT) != VEXFS_S_IFREG)
		return "vector on a file that is not regular";
	if (d->vec_dim > VEXFS_VEC_MAX_DIM)
		return "vector dimension above 4096";
	*nblocks = vexfs_vector_blocks(d->vec_dim, d->vec_type, f->bs);
	if (!block_in_data(f, d->vec_block) ||
	    !block_in_data(f, (uint64_t)d->vec_block + *nblocks - 1))
		return "vector record out of range";
	for (uint32_t i = 0; i < *nblocks; i++)
		if (vexfs_test_bit(f->bused, d->vec_block + i))
			return "vector record block is also used elsewhere";
	len = (size_t)*nblocks * f->bs;
	rec = malloc(len);
	if (!rec)
		return "out of memory";
	if (vexfs_read_blocks(f->img, d->vec_block, *nblocks, rec)) {
		free(rec);
		return "vector record unreadable";
	}
	vh = (const void *)rec;
	if (le32toh(vh->v_magic) != VEXFS_VECTOR_MAGIC)
		why = "vector record has a bad magic number";
	else if (le32toh(vh->v_ino) != ino)
		why = "vector record belongs to another inode";
	else if (le16toh(vh->v_dim) != d->vec_dim || vh->v_type != d->vec_type)
		why = "vector record dimension or type differs from the inode";
	else if (le32toh(vh->v_data_len) != (uint32_t)d->vec_dim * esize)
		why = "vector record length is wrong";
	else if (le32toh(vh->v_generation) != d->generation)
		why = "vector record generation differs from the inode";
	else if (vh->v_reserved0 || vh->v_reserved[0] || vh->v_reserved[1])
		why = "vector record reserved fields are not zero";
	else if (le32toh(vh->v_checksum) != vexfs_vector_csum(vh, vh + 1))
		why = "vector record checksum mismatch";
	free(rec);
	return why;
}

/* ---- pass 1 ------------------------------------------------------------- */

static bool valid_type(uint16_t mode)
{
	return vexfs_mode_to_ft(mode) != VEXFS_FT_UNKNOWN;
}

static int pass1_inode(struct fsck *f, uint32_t ino, const struct vexfs_inode *raw)
{
	struct ino_info *ii = &f->ino[ino];
	struct vexfs_dinode d;
	struct walk w;
	uint32_t type, vblocks = 0;
	const char *why;
	bool rewrite = false, has_blocks = false;
	uint64_t want_blocks;

	if (!vexfs_inode_csum_ok(raw, ino)) {
		/* nothing of it can be trusted: cleared, or reported as such */
		problem(f, false, "inode %u: checksum mismatch; inode cleared", ino);
		ii->state = INO_BAD;
		return 0;
	}
	vexfs_inode_decode(raw, &d);
	if (!valid_type(d.mode)) {
		problem(f, false, "inode %u: invalid file type 0%o; inode cleared",
			ino, d.mode & VEXFS_S_IFMT);
		ii->state = INO_BAD;
		return 0;
	}
	type = d.mode & VEXFS_S_IFMT;
	ii->state = INO_OK;
	ii->mode = d.mode;
	ii->nlink = d.nlink;

	if (ii->orphan && f->fix) {
		/* leaves the list: pass 3 frees it, or it is truncated below */
		d.next_orphan = 0;
		rewrite = true;
	} else if (d.next_orphan && !ii->orphan) {
		if (f->s.version < VEXFS_VERSION_2) {
			d.reserved_nonzero = true;	/* no such field */
			d.next_orphan = 0;
		} else if (problem(f, true, "inode %u: orphan list pointer %u set but the inode is not on the orphan list; cleared",
				 ino, d.next_orphan)) {
			d.next_orphan = 0;
			rewrite = true;
		}
	}

	if (d.reserved_nonzero || d.flags) {
		if (problem(f, false, "inode %u: reserved fields are not zero", ino)) {
			d.flags = 0;
			rewrite = true;	/* encoding zeroes the reserved fields */
		}
	}
	if (d.atime_nsec > 999999999 || d.mtime_nsec > 999999999 ||
	    d.ctime_nsec > 999999999) {
		if (problem(f, false, "inode %u: nanoseconds out of range", ino)) {
			d.atime_nsec %= 1000000000;
			d.mtime_nsec %= 1000000000;
			d.ctime_nsec %= 1000000000;
			rewrite = true;
		}
	}
	for (int i = 0; i < VEXFS_N_BLOCKS; i++)
		has_blocks |= d.block[i] != 0;

	if (type == VEXFS_S_IFCHR || type == VEXFS_S_IFBLK ||
	    type == VEXFS_S_IFIFO || type == VEXFS_S_IFSOCK) {
		if (has_blocks || d.size || d.blocks) {
			if (problem(f, false, "inode %u: special file with data", ino)) {
				memset(d.block, 0, sizeof(d.block));
				d.size = 0;
				d.blocks = 0;
				rewrite = true;
			}
		}
		if ((type == VEXFS_S_IFIFO || type == VEXFS_S_IFSOCK) && d.rdev) {
			if (problem(f, true, "inode %u: device number on a FIFO or socket", ino)) {
				d.rdev = 0;
				rewrite = true;
			}
		}
		has_blocks = false;
	} else if (d.rdev) {
		if (problem(f, true, "inode %u: device number on a file with data", ino)) {
			d.rdev = 0;
			rewrite = true;
		}
	}

	if (type == VEXFS_S_IFLNK && (d.size == 0 || d.size >= f->bs || !d.block[0])) {
		problem(f, false, "inode %u: symlink length %llu invalid; inode cleared",
			ino, (unsigned long long)d.size);
		ii->state = INO_BAD;
		return 0;
	}
	if (d.size > vexfs_max_file_blocks(f->bs) * f->bs) {
		problem(f, false, "inode %u: size %llu beyond the largest file; inode cleared",
			ino, (unsigned long long)d.size);
		ii->state = INO_BAD;
		return 0;
	}

	memset(&w, 0, sizeof(w));
	w.ino = ino;
	w.eof_blocks = (d.size + f->bs - 1) / f->bs;
	w.orphan = ii->orphan;

	if (type == VEXFS_S_IFDIR) {
		uint64_t n = d.size / f->bs, hole;

		if (d.size % f->bs || n == 0) {
			problem(f, false, "inode %u: directory size %llu is not a positive multiple of the block size; inode cleared",
				ino, (unsigned long long)d.size);
			ii->state = INO_BAD;
			return 0;
		}
		if (n > f->g->blocks_count) {
			problem(f, false, "inode %u: directory larger than the filesystem; inode cleared", ino);
			ii->state = INO_BAD;
			return 0;
		}
		ii->dblocks = calloc(n, sizeof(uint32_t));
		if (!ii->dblocks)
			return op_error(f, "out of memory");
		w.mode = WALK_MAP;
		w.map = ii->dblocks;
		w.map_len = n;
		walk_inode(f, &w, &d);
		if (w.err)
			return -1;
		for (hole = 0; hole < n && ii->dblocks[hole]; hole++)
			;
		if (hole == 0) {
			problem(f, false, "inode %u: directory has no first block; inode cleared", ino);
			ii->state = INO_BAD;
			return 0;
		}
		if (hole < n) {
			if (problem(f, false, "inode %u: directory has a hole at block %llu; truncated there",
				    ino, (unsigned long long)hole)) {
				d.size = hole * f->bs;
				rewrite = true;
			}
			n = hole;
		}
		ii->ndblocks = (uint32_t)n;
		w.eof_blocks = n;
	}

	if (type == VEXFS_S_IFREG || type == VEXFS_S_IFDIR || type == VEXFS_S_IFLNK) {
		w.mode = WALK_MARK;
		w.count = 0;
		walk_inode(f, &w, &d);
		if (w.err)
			return -1;
		rewrite |= w.changed;
	}

	if (type == VEXFS_S_IFLNK) {
		uint8_t *blk = f->blk;

		if (!d.block[0]) {
			problem(f, false, "inode %u: symlink without its block; inode cleared", ino);
			ii->state = INO_BAD;
			goto unmark;
		}
		if (read_block(f, d.block[0], blk))
			return -1;
		if (memchr(blk, 0, d.size)) {
			problem(f, false, "inode %u: symlink target contains a NUL byte; inode cleared", ino);
			ii->state = INO_BAD;
			goto unmark;
		}
	}

	why = check_vector(f, ino, &d, &vblocks);
	if (why) {
		if (problem(f, false, "inode %u: %s; vector removed", ino, why)) {
			d.vec_block = 0;
			d.vec_dim = 0;
			d.vec_type = 0;
			rewrite = true;
		}
		vblocks = 0;
	} else {
		for (uint32_t i = 0; i < vblocks; i++)
			vexfs_set_bit(f->bused, d.vec_block + i);
		if (vblocks)
			f->res->vectors++;
	}

	want_blocks = w.count + vblocks;
	if (ii->orphan && f->fix && d.blocks == want_blocks + w.released) {
		/* the truncation's own change */
		d.blocks = want_blocks;
	} else if (d.blocks != want_blocks) {
		if (problem(f, true, "inode %u: i_blocks is %llu, should be %llu", ino,
			    (unsigned long long)d.blocks, (unsigned long long)want_blocks)) {
			d.blocks = want_blocks;
			rewrite = true;
		}
	}
	if (ii->orphan && f->fix && d.nlink)
		problem(f, true, "inode %u: on the orphan list; truncated to %llu bytes (%llu block(s) freed)",
			ino, (unsigned long long)d.size, (unsigned long long)w.released);
	if (rewrite && f->fix && write_inode(f, ino, &d))
		return -1;
	return 0;

unmark:
	w.mode = WALK_UNMARK;
	walk_inode(f, &w, &d);
	return w.err;
}

static int pass1(struct fsck *f)
{
	uint32_t per_block = f->bs / VEXFS_INODE_SIZE;
	uint8_t *itb = malloc(f->bs);
	int err = 0;

	if (!itb)
		return op_error(f, "out of memory");
	for (uint32_t b = 0; b < f->g->itable_blocks && !err; b++) {
		bool loaded = false;

		for (uint32_t k = 0; k < per_block && !err; k++) {
			uint64_t ino = (uint64_t)b * per_block + k + 1;

			if (ino > f->g->inodes_count)
				break;
			if (!vexfs_test_bit(f->ibitmap, ino))
				continue;
			if (!loaded) {
				err = read_block(f, f->g->itable_start + b, itb);
				loaded = true;
			}
			if (!err)
				err = pass1_inode(f, (uint32_t)ino,
						  (struct vexfs_inode *)itb + k);
		}
	}
	free(itb);
	return err;
}

/* ---- the orphan list ------------------------------------------------------ */

/*
 * Walk the orphan list from s_last_orphan.  A well-formed list marks its
 * inodes for passes 1 and 3, which do its work when repairing (and only
 * then: a check counts the inodes waiting on it); a malformed one is
 * dropped, preen may: its inodes are then checked as any other.
 */
static int check_orphans(struct fsck *f)
{
	uint32_t ino = f->s.last_orphan, n = 0;
	char why[96] = "";
	uint8_t *seen;

	if (!ino)
		return 0;
	seen = calloc(1, (size_t)f->g->inodes_count / 8 + 1);
	if (!seen)
		return op_error(f, "out of memory");
	while (ino && !why[0]) {
		struct vexfs_inode raw;
		struct vexfs_dinode d;

		if (ino == VEXFS_ROOT_INO || ino > f->g->inodes_count) {
			snprintf(why, sizeof(why), "inode number %u out of range", ino);
			break;
		}
		if (vexfs_test_bit(seen, ino)) {
			snprintf(why, sizeof(why), "inode %u is on it twice (a loop)", ino);
			break;
		}
		if (!vexfs_test_bit(f->ibitmap, ino)) {
			snprintf(why, sizeof(why), "inode %u is free", ino);
			break;
		}
		if (read_inode(f, ino, &raw)) {
			free(seen);
			return -1;
		}
		vexfs_inode_decode(&raw, &d);
		if (!vexfs_inode_csum_ok(&raw, ino) || !valid_type(d.mode))
			snprintf(why, sizeof(why), "inode %u is damaged", ino);
		else if (d.nlink && (d.mode & VEXFS_S_IFMT) != VEXFS_S_IFREG)
			snprintf(why, sizeof(why), "inode %u has links and is not a regular file",
				 ino);
		vexfs_set_bit(seen, ino);
		n++;
		ino = d.next_orphan;
	}
	if (why[0]) {
		free(seen);
		if (problem(f, true, "orphan list: %s; list dropped, its inodes checked as any other",
			    why))
			f->s.last_orphan = 0;
		return 0;
	}
	for (ino = 1; ino <= f->g->inodes_count; ino++)
		f->ino[ino].orphan = vexfs_test_bit(seen, ino);
	free(seen);
	f->res->orphans = n;
	if (f->fix) {
		f->s.last_orphan = 0;
		f->res->orphans_processed = true;
	}
	return 0;
}

/* ---- pass 2: the directory tree ----------------------------------------- */

struct name_ref {
	const uint8_t *name;	/* into names[] of the directory */
	uint8_t len;
	uint32_t block, slot;
};

static int name_cmp(const void *a, const void *b)
{
	const struct name_ref *x = a, *y = b;
	int c = memcmp(x->name, y->name, x->len < y->len ? x->len : y->len);

	if (c)
		return c;
	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	if (x->block != y->block)
		return x->block < y->block ? -1 : 1;
	return x->slot < y->slot ? -1 : x->slot > y->slot;
}

static void set_dirent(struct vexfs_dirent *de, uint32_t ino, const char *name,
		       uint8_t type)
{
	memset(de, 0, sizeof(*de));
	de->d_ino = htole32(ino);
	de->d_name_len = (uint8_t)strlen(name);
	de->d_type = type;
	memcpy(de->d_name, name, de->d_name_len);
}

static bool is_dot(const struct vexfs_dirent *de, int n)
{
	return de->d_name_len == n && !memcmp(de->d_name, "..", n);
}

/*
 * Check directory @dir (parent @parent), queue its subdirectories on
 * @queue.  Duplicate names are found after the scan: the entries' names are
 * kept in @names (one per slot).
 */
static int pass2_dir(struct fsck *f, uint32_t dir, uint32_t parent,
		     uint32_t *queue, uint32_t *qtail)
{
	struct ino_info *di = &f->ino[dir];
	uint32_t per_block = f->bs / VEXFS_DIRENT_SIZE;
	struct vexfs_dirent *des = (struct vexfs_dirent *)f->blk;
	struct name_ref *refs = NULL;
	uint8_t *names = NULL;
	size_t nrefs = 0, cap = 0;
	int err = 0;

	for (uint32_t lb = 0; lb < di->ndblocks && !err; lb++) {
		uint32_t pb = di->dblocks[lb];
		bool dirty = false;

		if (read_block(f, pb, f->blk))
			return -1;
		for (uint32_t k = 0; k < per_block; k++) {
			struct vexfs_dirent *de = &des[k];
			uint32_t ino = le32toh(de->d_ino);
			uint64_t slot = (uint64_t)lb * per_block + k;
			struct ino_info *ti;
			const char *why;
			uint8_t ft;

			if (slot == 0 || slot == 1) {
				uint32_t want = slot == 0 ? dir : parent;
				const char *nm = slot == 0 ? "." : "..";

				if (ino != want || !is_dot(de, (int)slot + 1) ||
				    de->d_type != VEXFS_FT_DIR ||
				    vexfs_dirent_check_name(de)) {
					if (problem(f, false, "directory %u: entry \"%s\" is wrong (inode %u)",
						    dir, nm, ino)) {
						set_dirent(de, want, nm, VEXFS_FT_DIR);
						dirty = true;
					}
				}
				continue;
			}
			if (!ino) {
				struct vexfs_dirent zero = {0};

				if (memcmp(de, &zero, sizeof(zero)) &&
				    problem(f, true, "directory %u: free slot %llu is not zeroed",
					    dir, (unsigned long long)slot)) {
					memset(de, 0, sizeof(*de));
					dirty = true;
				}
				continue;
			}
			why = vexfs_dirent_check_name(de);
			if (!why && (is_dot(de, 1) || is_dot(de, 2)))
				why = "\".\" or \"..\" in a regular slot";
			if (!why && ino > f->g->inodes_count)
				why = "inode number out of range";
			ti = why ? NULL : &f->ino[ino];
			if (!why && ti->state != INO_OK)
				why = ti->state == INO_BAD ? "points to a cleared inode"
							   : "points to a free inode";
			if (!why && (ti->mode & VEXFS_S_IFMT) == VEXFS_S_IFDIR &&
			    (ti->reachable || ino == VEXFS_ROOT_INO))
				why = "second link to a directory";
			if (why) {
				if (problem(f, false, "directory %u: entry %llu (inode %u): %s; entry removed",
					    dir, (unsigned long long)slot, ino, why)) {
					memset(de, 0, sizeof(*de));
					dirty = true;
				}
				continue;
			}
			ft = vexfs_mode_to_ft(ti->mode);
			if (de->d_type != ft &&
			    problem(f, true, "directory %u: entry \"%.*s\" has file type %u, inode %u is type %u",
				    dir, de->d_name_len, de->d_name, de->d_type, ino, ft)) {
				de->d_type = ft;
				dirty = true;
			}
			if (nrefs == cap) {
				size_t ncap = cap ? cap * 2 : 64;
				struct name_ref *nr = realloc(refs, ncap * sizeof(*nr));
				uint8_t *nn = realloc(names, ncap * VEXFS_NAME_LEN);

				if (nr)
					refs = nr;
				if (nn)
					names = nn;
				if (!nr || !nn) {
					err = op_error(f, "out of memory");
					break;
				}
				cap = ncap;
			}
			memcpy(names + nrefs * VEXFS_NAME_LEN, de->d_name, de->d_name_len);
			refs[nrefs].len = de->d_name_len;
			refs[nrefs].block = lb;
			refs[nrefs].slot = k;
			nrefs++;
			ti->reachable = true;
			if (dir == VEXFS_ROOT_INO && ft == VEXFS_FT_DIR &&
			    de->d_name_len == 10 && !memcmp(de->d_name, "lost+found", 10))
				f->lpf = ino;
			if (ft == VEXFS_FT_DIR) {
				ti->parent = dir;
				di->subdirs++;
				queue[(*qtail)++] = ino;
			} else {
				ti->refs++;
			}
		}
		if (!err && dirty && f->fix && write_block(f, pb, f->blk))
			err = -1;
	}

	/* duplicate names: keep the first entry of each */
	for (size_t i = 0; i < nrefs; i++)
		refs[i].name = names + i * VEXFS_NAME_LEN;
	if (!err && nrefs > 1)
		qsort(refs, nrefs, sizeof(*refs), name_cmp);
	for (size_t i = 1; i < nrefs && !err; i++) {
		struct name_ref *a = &refs[i - 1], *b = &refs[i];
		struct vexfs_dirent *de;
		uint32_t ino;

		if (a->len != b->len || memcmp(a->name, b->name, a->len))
			continue;
		if (!problem(f, false, "directory %u: duplicate name \"%.*s\"; later entry removed",
			     dir, b->len, b->name))
			continue;
		if (read_block(f, di->dblocks[b->block], f->blk)) {
			err = -1;
			break;
		}
		de = &des[b->slot];
		ino = le32toh(de->d_ino);
		if ((f->ino[ino].mode & VEXFS_S_IFMT) == VEXFS_S_IFDIR) {
			/* its subtree stays reached through the queue: unlink it */
			di->subdirs--;
			f->ino[ino].reachable = false;
		} else {
			f->ino[ino].refs--;
			f->ino[ino].reachable = f->ino[ino].refs > 0;
		}
		memset(de, 0, sizeof(*de));
		if (write_block(f, di->dblocks[b->block], f->blk))
			err = -1;
	}
	free(refs);
	free(names);
	return err;
}

static int pass2(struct fsck *f)
{
	struct ino_info *root = &f->ino[VEXFS_ROOT_INO];
	uint32_t *queue, qhead = 0, qtail = 0;
	int err = 0;

	if (root->state != INO_OK || (root->mode & VEXFS_S_IFMT) != VEXFS_S_IFDIR) {
		unfixable(f, "root inode is not a valid directory (cannot be repaired)");
		return 1;
	}
	queue = malloc(((size_t)f->g->inodes_count + 1) * sizeof(*queue));
	if (!queue)
		return op_error(f, "out of memory");
	root->reachable = true;
	root->parent = VEXFS_ROOT_INO;
	queue[qtail++] = VEXFS_ROOT_INO;
	while (qhead < qtail && !err) {
		uint32_t dir = queue[qhead++];

		/* a directory unlinked as a duplicate is not walked */
		if (!f->ino[dir].reachable)
			continue;
		err = pass2_dir(f, dir, f->ino[dir].parent, queue, &qtail);
	}
	free(queue);
	return err;
}

/* ---- pass 3: unreachable inodes ----------------------------------------- */

/*
 * Free what inode @ino owns in the blocks found in use; @quiet: the orphan
 * list's work, pass 5 frees them without a report.
 */
static int free_inode_blocks(struct fsck *f, uint32_t ino, bool quiet)
{
	struct vexfs_inode raw;
	struct vexfs_dinode d;
	struct walk w;
	uint32_t vblocks;

	if (read_inode(f, ino, &raw))
		return -1;
	vexfs_inode_decode(&raw, &d);
	memset(&w, 0, sizeof(w));
	w.mode = WALK_UNMARK;
	w.ino = ino;
	w.orphan = quiet;
	if ((d.mode & VEXFS_S_IFMT) == VEXFS_S_IFREG ||
	    (d.mode & VEXFS_S_IFMT) == VEXFS_S_IFDIR ||
	    (d.mode & VEXFS_S_IFMT) == VEXFS_S_IFLNK)
		walk_inode(f, &w, &d);
	if (d.vec_block && d.vec_dim && vexfs_vec_elem_size(d.vec_type)) {
		vblocks = vexfs_vector_blocks(d.vec_dim, d.vec_type, f->bs);
		for (uint32_t i = 0; i < vblocks; i++) {
			if (!block_in_data(f, (uint64_t)d.vec_block + i))
				continue;
			vexfs_clear_bit(f->bused, d.vec_block + i);
			if (quiet)
				vexfs_set_bit(f->bfreed, d.vec_block + i);
		}
	}
	return w.err;
}

/* ---- pass 3: lost+found and fsck's own allocations ---------------------- */

static int write_bitmap_block(struct fsck *f, const uint8_t *map, uint64_t start,
			      uint64_t bit)
{
	uint64_t idx = bit / ((uint64_t)f->bs * 8);

	if (!f->fix)
		return 0;
	return write_block(f, start + idx, map + idx * f->bs);
}

/* A free inode / data block: free on disk and found free by the check. */
static uint32_t find_free_ino(struct fsck *f)
{
	for (uint32_t ino = VEXFS_ROOT_INO + 1; ino <= f->g->inodes_count; ino++)
		if (f->ino[ino].state == INO_FREE && !vexfs_test_bit(f->ibitmap, ino))
			return ino;
	return 0;
}

static uint32_t find_free_block(struct fsck *f)
{
	for (uint64_t b = f->g->data_start; b < f->g->blocks_count; b++)
		if (!vexfs_test_bit(f->bused, b) && !vexfs_test_bit(f->bbitmap, b))
			return (uint32_t)b;
	return 0;
}

/* Take block @b: both bitmaps (the on-disk one written now), zeroed. */
static int take_block(struct fsck *f, uint32_t b)
{
	vexfs_set_bit(f->bused, b);
	vexfs_set_bit(f->bbitmap, b);
	if (!f->fix)
		return 0;
	memset(f->blk, 0, f->bs);
	if (write_block(f, b, f->blk))
		return -1;
	return write_bitmap_block(f, f->bbitmap, f->g->bbitmap_start, b);
}

static int take_ino(struct fsck *f, uint32_t ino)
{
	vexfs_set_bit(f->ibitmap, ino);
	return write_bitmap_block(f, f->ibitmap, f->g->ibitmap_start, ino);
}

static int get_dinode(struct fsck *f, uint32_t ino, struct vexfs_dinode *d)
{
	struct vexfs_inode raw;

	if (read_inode(f, ino, &raw))
		return -1;
	vexfs_inode_decode(&raw, d);
	return 0;
}

/*
 * dir_add - add the entry @name -> @ino to directory @dir, in its first
 * free slot, growing it by one direct block if it has none.  Returns 0, 1
 * with *why set when it cannot, -1 on an I/O error.  Without repairs it
 * only does the bookkeeping, so the dry run decides as the repair does.
 */
static int dir_add(struct fsck *f, uint32_t dir, const char *name, uint32_t ino,
		   uint8_t ft, const char **why)
{
	struct ino_info *di = &f->ino[dir];
	uint32_t per = f->bs / VEXFS_DIRENT_SIZE;
	struct vexfs_dirent *des = (struct vexfs_dirent *)f->blk;
	struct vexfs_dinode d;
	uint32_t *nmap, b;

	for (uint32_t lb = di->add_cursor / per; lb < di->ndblocks; lb++) {
		bool fresh = di->grown && lb >= di->ndisk;

		if (fresh && !f->fix)
			memset(f->blk, 0, f->bs);
		else if (read_block(f, di->dblocks[lb], f->blk))
			return -1;
		for (uint32_t k = 0; k < per; k++) {
			uint64_t slot = (uint64_t)lb * per + k;

			if (slot < 2 || slot < di->add_cursor || des[k].d_ino)
				continue;
			set_dirent(&des[k], ino, name, ft);
			if (f->fix && write_block(f, di->dblocks[lb], f->blk))
				return -1;
			di->add_cursor = (uint32_t)slot + 1;
			return 0;
		}
	}
	if (get_dinode(f, dir, &d))
		return -1;
	if (di->ndblocks >= VEXFS_NDIR || d.block[di->ndblocks]) {
		*why = "its directory has no free slot and cannot grow";
		return 1;
	}
	b = find_free_block(f);
	if (!b) {
		*why = "no free block";
		return 1;
	}
	nmap = realloc(di->dblocks, (di->ndblocks + 1) * sizeof(*nmap));
	if (!nmap)
		return op_error(f, "out of memory");
	di->dblocks = nmap;
	if (take_block(f, b))
		return -1;
	if (!di->grown) {
		di->grown = true;
		di->ndisk = di->ndblocks;
	}
	d.block[di->ndblocks] = b;
	di->dblocks[di->ndblocks++] = b;
	d.size = (uint64_t)di->ndblocks * f->bs;
	d.blocks++;
	if (f->fix && write_inode(f, dir, &d))
		return -1;
	return dir_add(f, dir, name, ino, ft, why);
}

/* Whether /lost+found can be made: a free inode, a block, a root slot. */
static const char *lpf_missing_why(struct fsck *f)
{
	struct ino_info *root = &f->ino[VEXFS_ROOT_INO];
	struct vexfs_dirent *des = (struct vexfs_dirent *)f->blk;
	uint32_t per = f->bs / VEXFS_DIRENT_SIZE, free_blocks = 0;

	if (!find_free_ino(f))
		return "no free inode";
	for (uint64_t b = f->g->data_start; b < f->g->blocks_count && free_blocks < 2; b++)
		free_blocks += !vexfs_test_bit(f->bused, b) && !vexfs_test_bit(f->bbitmap, b);
	if (!free_blocks)
		return "no free block";
	for (uint32_t lb = 0; lb < root->ndblocks; lb++) {
		if (read_block(f, root->dblocks[lb], f->blk))
			return "cannot read the root directory";
		for (uint32_t k = lb ? 0 : 2; k < per; k++)
			if (!des[k].d_ino)
				return NULL;
	}
	if (root->ndblocks >= VEXFS_NDIR)
		return "the root directory has no free slot";
	return free_blocks >= 2 ? NULL : "no free block";
}

/* Make /lost+found (mode 0700, root's, one block). */
static int make_lpf(struct fsck *f)
{
	struct vexfs_dinode d, root;
	struct vexfs_dirent *des = (struct vexfs_dirent *)f->blk;
	uint32_t ino = find_free_ino(f), b = find_free_block(f);
	struct ino_info *li = &f->ino[ino];
	const char *why;
	int r;

	if (take_ino(f, ino) || take_block(f, b))
		return -1;
	memset(f->blk, 0, f->bs);
	set_dirent(&des[0], ino, ".", VEXFS_FT_DIR);
	set_dirent(&des[1], VEXFS_ROOT_INO, "..", VEXFS_FT_DIR);
	if (f->fix && write_block(f, b, f->blk))
		return -1;
	memset(&d, 0, sizeof(d));
	d.mode = VEXFS_S_IFDIR | 0700;
	d.nlink = 2;
	d.size = f->bs;
	d.blocks = 1;
	d.atime = d.mtime = d.ctime = f->now;
	d.block[0] = b;
	if (f->fix && write_inode(f, ino, &d))
		return -1;
	li->dblocks = malloc(sizeof(uint32_t));
	if (!li->dblocks)
		return op_error(f, "out of memory");
	li->dblocks[0] = b;
	li->ndblocks = 1;
	li->state = INO_OK;
	li->reachable = true;
	li->mode = d.mode;
	li->nlink = 2;
	li->parent = VEXFS_ROOT_INO;
	r = dir_add(f, VEXFS_ROOT_INO, "lost+found", ino, VEXFS_FT_DIR, &why);
	if (r)
		return r < 0 ? -1 : op_error(f, "cannot add lost+found: %s", why);
	f->ino[VEXFS_ROOT_INO].subdirs++;
	if (get_dinode(f, VEXFS_ROOT_INO, &root))
		return -1;
	if (root.nlink == f->ino[VEXFS_ROOT_INO].nlink) {
		root.nlink++;
		f->ino[VEXFS_ROOT_INO].nlink++;
		if (f->fix && write_inode(f, VEXFS_ROOT_INO, &root))
			return -1;
	}
	f->lpf = ino;
	return 0;
}

/* The directory at the top of the unattached tree holding @dir. */
static uint32_t unattached_top(struct fsck *f, uint32_t dir)
{
	struct vexfs_dirent *des = (struct vexfs_dirent *)f->blk;
	uint32_t cur = dir;

	for (uint32_t steps = 0; steps < f->g->inodes_count; steps++) {
		struct ino_info *ci = &f->ino[cur];
		uint32_t up;

		if (!ci->ndblocks || read_block(f, ci->dblocks[0], f->blk))
			break;
		up = le32toh(des[1].d_ino);
		if (!up || up > f->g->inodes_count || up == cur ||
		    f->ino[up].state != INO_OK || f->ino[up].reachable ||
		    (f->ino[up].mode & VEXFS_S_IFMT) != VEXFS_S_IFDIR ||
		    f->ino[up].nlink == 0)
			break;
		cur = up;
	}
	return cur;
}

static int reconnect(struct fsck *f, uint32_t ino, uint32_t *queue)
{
	struct ino_info *ii = &f->ino[ino];
	bool is_dir = (ii->mode & VEXFS_S_IFMT) == VEXFS_S_IFDIR;
	uint32_t qhead = 0, qtail = 0;
	const char *why = NULL;
	char name[16];
	int r;

	snprintf(name, sizeof(name), "#%u", ino);
	r = dir_add(f, f->lpf, name, ino, vexfs_mode_to_ft(ii->mode), &why);
	if (r < 0)
		return -1;
	if (r > 0) {
		if (problem(f, false, "inode %u: not in any directory but has %u link(s); cannot reconnect it (%s): freed",
			    ino, ii->nlink, why) && free_inode_blocks(f, ino, false))
			return -1;
		ii->state = INO_FREE;
		return 0;
	}
	problem(f, false, "inode %u: not in any directory but has %u link(s); reconnected to /lost+found as \"%s\"",
		ino, ii->nlink, name);
	ii->reachable = true;
	if (!is_dir) {
		ii->refs++;
		return 0;
	}
	ii->parent = f->lpf;
	f->ino[f->lpf].subdirs++;
	queue[qtail++] = ino;
	while (qhead < qtail) {
		uint32_t dir = queue[qhead++];

		if (f->ino[dir].reachable &&
		    pass2_dir(f, dir, f->ino[dir].parent, queue, &qtail))
			return -1;
	}
	return 0;
}

static int pass3(struct fsck *f)
{
	uint32_t *queue = NULL;
	bool v2 = f->s.version >= VEXFS_VERSION_2, any = false;
	const char *why = NULL;
	int err = 0;

	/* orphans with no link: freed (preen may) */
	for (uint32_t ino = 1; ino <= f->g->inodes_count; ino++) {
		struct ino_info *ii = &f->ino[ino];

		if (ii->state != INO_OK || ii->reachable)
			continue;
		if (ii->nlink) {
			any = true;
			continue;
		}
		if (ii->orphan) {
			/* the orphan list's work: a check leaves it to the mount */
			if (!f->fix)
				continue;
			problem(f, true, "inode %u: on the orphan list with no link; deleted", ino);
			if (free_inode_blocks(f, ino, true))
				return -1;
			ii->state = INO_FREE;
			continue;
		}
		if (!problem(f, true, "inode %u: orphan (no link, not in any directory); freed", ino))
			continue;
		if (free_inode_blocks(f, ino, false))
			return -1;
		/* an unreachable directory counts in no parent's subdirs */
		ii->state = INO_FREE;
	}

	/* version 2: /lost+found, made if missing (preen may) */
	if (v2 && !f->lpf) {
		why = lpf_missing_why(f);
		if (f->res->status & VEXFS_FSCK_OPERROR)
			return -1;
		f->res->lpf_missing = why;
		if (!why) {
			problem(f, true, "/lost+found not found; created");
			if (make_lpf(f))
				return -1;
		}
	}
	if (v2 && f->s.lpf_ino != f->lpf &&
	    problem(f, true, "superblock: lost+found is inode %u, recorded as %u",
		    f->lpf, f->s.lpf_ino))
		f->s.lpf_ino = f->lpf;
	if (!any)
		return 0;

	/* inodes with links no directory reaches: into /lost+found (-y) */
	queue = malloc(((size_t)f->g->inodes_count + 1) * sizeof(*queue));
	if (!queue)
		return op_error(f, "out of memory");
	for (int round = 0; round < 2 && !err; round++) {
		for (uint32_t ino = 1; ino <= f->g->inodes_count && !err; ino++) {
			struct ino_info *ii = &f->ino[ino];
			bool is_dir = (ii->mode & VEXFS_S_IFMT) == VEXFS_S_IFDIR;

			/* directories first: their subtrees become reachable */
			if (ii->state != INO_OK || ii->reachable || !ii->nlink ||
			    is_dir != (round == 0))
				continue;
			if (!f->lpf) {
				if (!problem(f, false, "inode %u: not in any directory but has %u link(s); freed (%s)",
					     ino, ii->nlink,
					     v2 ? why : "version 1: no lost+found"))
					continue;
				if (free_inode_blocks(f, ino, false)) {
					err = -1;
					break;
				}
				ii->state = INO_FREE;
				continue;
			}
			err = reconnect(f, is_dir ? unattached_top(f, ino) : ino, queue);
		}
	}
	free(queue);
	return err;
}

/* ---- pass 4: link counts ------------------------------------------------- */

static int pass4(struct fsck *f)
{
	for (uint32_t ino = 1; ino <= f->g->inodes_count; ino++) {
		struct ino_info *ii = &f->ino[ino];
		struct vexfs_inode raw;
		struct vexfs_dinode d;
		uint32_t want;

		if (ii->state != INO_OK || !ii->reachable)
			continue;
		if ((ii->mode & VEXFS_S_IFMT) == VEXFS_S_IFDIR)
			want = 2 + ii->subdirs;
		else
			want = ii->refs;
		if (ii->nlink == want)
			continue;
		if (!problem(f, true, "inode %u: link count %u, should be %u", ino, ii->nlink, want))
			continue;
		if (read_inode(f, ino, &raw))
			return -1;
		vexfs_inode_decode(&raw, &d);
		d.nlink = want;
		if (write_inode(f, ino, &d))
			return -1;
		ii->nlink = want;
	}
	return 0;
}

/* ---- pass 5: bitmaps ------------------------------------------------------ */

/*
 * Compare bitmap @disk with what is in use (@want) and rewrite it when
 * repairing.  Bits set in @quiet (may be NULL) that are in use on disk but
 * free now were freed by the orphan list's work: written, not reported.
 */
static int compare_bitmap(struct fsck *f, const char *what, uint8_t *disk,
			  const uint8_t *want, const uint8_t *quiet,
			  uint64_t start, uint32_t nblocks, uint64_t valid)
{
	uint64_t bits = (uint64_t)f->bs * 8, set = 0, clear = 0, first = 0;
	bool any = false, quiet_any = false;

	for (uint64_t n = 0; n < (uint64_t)nblocks * bits; n++) {
		bool d = vexfs_test_bit(disk, n);
		bool w = n >= valid || vexfs_test_bit(want, n);

		if (d == w)
			continue;
		if (d && quiet && vexfs_test_bit(quiet, n)) {
			quiet_any = true;
			continue;
		}
		if (!any)
			first = n;
		any = true;
		if (w)
			set++;
		else
			clear++;
	}
	if (any) {
		if (!problem(f, true, "%s bitmap: %llu in use but marked free, %llu marked in use but free (first: %llu)",
			     what, (unsigned long long)set, (unsigned long long)clear,
			     (unsigned long long)first))
			return 0;
	} else if (!quiet_any || !f->fix) {
		return 0;
	}
	for (uint64_t n = 0; n < (uint64_t)nblocks * bits; n++) {
		if (n >= valid || vexfs_test_bit(want, n))
			vexfs_set_bit(disk, n);
		else
			vexfs_clear_bit(disk, n);
	}
	for (uint32_t b = 0; b < nblocks; b++)
		if (write_block(f, start + b, disk + (size_t)b * f->bs))
			return -1;
	return 0;
}

static int pass5(struct fsck *f)
{
	uint64_t ibits = (uint64_t)f->g->ibitmap_blocks * f->bs * 8;
	uint8_t *iwant = calloc(1, ibits / 8), *iquiet = calloc(1, ibits / 8);
	int err;

	if (!iwant || !iquiet) {
		free(iwant);
		free(iquiet);
		return op_error(f, "out of memory");
	}
	vexfs_set_bit(iwant, 0);
	for (uint32_t ino = 1; ino <= f->g->inodes_count; ino++) {
		struct ino_info *ii = &f->ino[ino];

		if (ii->orphan && ii->state == INO_FREE)
			vexfs_set_bit(iquiet, ino);	/* deleted by the list's work */
		if (ii->state != INO_OK)
			continue;
		vexfs_set_bit(iwant, ino);
		f->res->inodes_used++;
		switch (ii->mode & VEXFS_S_IFMT) {
		case VEXFS_S_IFREG: f->res->files++; break;
		case VEXFS_S_IFDIR: f->res->dirs++; break;
		case VEXFS_S_IFLNK: f->res->symlinks++; break;
		default: f->res->specials++; break;
		}
	}
	for (uint64_t b = 0; b < f->g->data_start; b++)
		vexfs_set_bit(f->bused, b);
	err = compare_bitmap(f, "inode", f->ibitmap, iwant, iquiet,
			     f->g->ibitmap_start, f->g->ibitmap_blocks,
			     (uint64_t)f->g->inodes_count + 1);
	if (!err)
		err = compare_bitmap(f, "block", f->bbitmap, f->bused, f->bfreed,
				     f->g->bbitmap_start, f->g->bbitmap_blocks,
				     f->g->blocks_count);
	for (uint64_t b = 0; b < f->g->blocks_count; b++)
		if (vexfs_test_bit(f->bused, b))
			f->res->blocks_used++;
	free(iwant);
	free(iquiet);
	return err;
}

/* ---- driver ----------------------------------------------------------------- */

static int load_super(struct fsck *f)
{
	uint8_t raw[VEXFS_SUPER_SIZE];
	const char *why = NULL;
	bool not_vexfs;
	int err;

	err = vexfs_read_bytes(f->img, 0, sizeof(raw), raw);
	if (err)
		return op_error(f, "cannot read the superblock: %s", strerror(-err));
	if (vexfs_super_decode(raw, f->img->dev_bytes, &f->s, &why, &not_vexfs)) {
		if (not_vexfs)
			return op_error(f, "%s", why);
		unfixable(f, "superblock: %s (cannot be repaired)", why);
		return 1;
	}
	f->g = &f->s.g;
	f->bs = f->g->block_size;
	f->ptrs = f->bs / 4;
	f->img->block_size = f->bs;
	f->res->blocks_count = f->g->blocks_count;
	f->res->inodes_count = f->g->inodes_count;
	f->res->was_clean = (f->s.state & VEXFS_STATE_CLEAN) &&
			    !(f->s.state & VEXFS_STATE_ERROR);
	if (f->s.feature_ro_compat & ~VEXFS_FEATURE_RO_COMPAT_SUPP && f->fix)
		return op_error(f, "unknown read-only feature 0x%x: cannot repair",
				f->s.feature_ro_compat & ~VEXFS_FEATURE_RO_COMPAT_SUPP);
	return 0;
}

static int load_bitmaps(struct fsck *f)
{
	size_t ilen = (size_t)f->g->ibitmap_blocks * f->bs;
	size_t blen = (size_t)f->g->bbitmap_blocks * f->bs;

	f->ibitmap = malloc(ilen);
	f->bbitmap = malloc(blen);
	f->bused = calloc(1, blen);
	f->bfreed = calloc(1, blen);
	f->ino = calloc((size_t)f->g->inodes_count + 1, sizeof(*f->ino));
	f->blk = malloc(f->bs);
	if (!f->ibitmap || !f->bbitmap || !f->bused || !f->bfreed || !f->ino ||
	    !f->blk)
		return op_error(f, "out of memory");
	if (vexfs_read_blocks(f->img, f->g->ibitmap_start, f->g->ibitmap_blocks, f->ibitmap) ||
	    vexfs_read_blocks(f->img, f->g->bbitmap_start, f->g->bbitmap_blocks, f->bbitmap))
		return op_error(f, "cannot read the bitmaps");
	return 0;
}

static int finish_super(struct fsck *f)
{
	uint8_t raw[VEXFS_SUPER_SIZE];
	int err;

	if (f->s.state & VEXFS_STATE_ERROR) {
		if (!problem(f, true, "superblock: an error was recorded by the kernel"))
			return 0;
	}
	if (!f->fix)
		return 0;
	if (f->s.state == VEXFS_STATE_CLEAN && !(f->res->status & VEXFS_FSCK_FIXED))
		return 0;
	f->s.state = VEXFS_STATE_CLEAN;
	vexfs_super_encode(&f->s, raw);
	err = vexfs_write_bytes(f->img, 0, sizeof(raw), raw);
	if (!err)
		err = vexfs_image_sync(f->img);
	if (err)
		return op_error(f, "cannot write the superblock: %s", strerror(-err));
	return 0;
}

/* The journal extent: in use, owned by no inode, a valid superblock. */
static int check_journal(struct fsck *f)
{
	struct vexfs_jsb j;
	const char *why = NULL;
	int err;

	f->res->journal = vexfs_has_journal(&f->s);
	if (!f->res->journal)
		return 0;
	for (uint64_t b = 0; b < f->s.journal_blocks; b++)
		vexfs_set_bit(f->bused, f->s.journal_start + b);
	if (read_block(f, f->s.journal_start, f->blk))
		return -1;
	if (!vexfs_journal_sb_decode(f->blk, &f->s, &j, &why))
		return 0;
	if (!problem(f, false, "journal: %s; journal recreated empty", why))
		return 0;
	err = vexfs_journal_write_new(f->img, &f->s, 1);
	if (err)
		return op_error(f, "cannot write the journal: %s", strerror(-err));
	return 0;
}

static void fsck_free(struct fsck *f)
{
	if (f->ino)
		for (uint64_t i = 0; i <= f->g->inodes_count; i++)
			free(f->ino[i].dblocks);
	free(f->ino);
	free(f->ibitmap);
	free(f->bbitmap);
	free(f->bused);
	free(f->bfreed);
	free(f->blk);
}

enum { RUN_PREEN_UNSAFE = 1, RUN_UNFIXABLE = 2 };

/* One checking run; returns RUN_* flags for what it found. */
static int run(struct vexfs_image *img, enum vexfs_fsck_mode mode, bool fix,
	       struct vexfs_fsck_result *res)
{
	struct fsck f;
	int err;

	memset(res, 0, sizeof(*res));
	memset(&f, 0, sizeof(f));
	f.img = img;
	f.mode = mode;
	f.fix = fix;
	f.res = res;
	f.now = (int64_t)time(NULL);
	err = load_super(&f);
	if (!err)
		err = load_bitmaps(&f);
	if (!err)
		err = check_journal(&f);
	if (!err)
		err = check_orphans(&f);
	if (!err)
		err = pass1(&f);
	if (!err)
		err = pass2(&f);
	if (!err)
		err = pass3(&f);
	if (!err)
		err = pass4(&f);
	if (!err)
		err = pass5(&f);
	if (!err)
		err = finish_super(&f);
	if (!err && f.fix && vexfs_image_sync(img))
		op_error(&f, "fsync failed");
	if (f.g) {
		res->version = f.s.version;
		res->lpf_ino = f.s.version >= VEXFS_VERSION_2 ? f.s.lpf_ino : f.lpf;
	}
	fsck_free(&f);
	return (f.preen_unsafe ? RUN_PREEN_UNSAFE : 0) |
	       (f.unfixable ? RUN_UNFIXABLE : 0);
}

/* ---- the journal, before the check -------------------------------------- */

struct jstage {
	char *text[2];
	bool fixed[2];
	int n, status;
	bool block_repairs;	/* preen must not go on */
	bool needed, replayed;
	bool in_memory;		/* a CHECK's replay, into the image's overlay */
	uint32_t transactions, blocks;
	char note[192];		/* a CHECK's: where the log ended, skipped blocks */
};

static void __attribute__((format(printf, 3, 4)))
jnote(struct jstage *js, bool fixed, const char *fmt, ...)
{
	va_list ap;

	if (js->n == 2)
		return;
	va_start(ap, fmt);
	if (vasprintf(&js->text[js->n], fmt, ap) < 0)
		js->text[js->n] = NULL;
	va_end(ap);
	if (!js->text[js->n])
		return;
	js->fixed[js->n++] = fixed;
	js->status |= fixed ? VEXFS_FSCK_FIXED : VEXFS_FSCK_UNFIXED;
}

/*
 * Replay a journal that needs recovery: on the device (PREEN, REPAIR), or
 * in memory (CHECK: into the image's overlay, nothing written; the check
 * then checks the filesystem the next mount or "-p" would leave, and the
 * replay is pending, not a problem).  A journal that cannot be replayed:
 * REPAIR recreates it empty (its log is lost, the check repairs what that
 * leaves), PREEN stops, CHECK reports it and checks the image as it is.
 */
static void journal_stage(struct vexfs_image *img, enum vexfs_fsck_mode mode,
			  struct jstage *js)
{
	uint8_t raw[VEXFS_SUPER_SIZE];
	struct vexfs_replay rp;
	struct vexfs_super s;
	const char *why;
	bool not_vexfs;

	if (vexfs_read_bytes(img, 0, sizeof(raw), raw) ||
	    vexfs_super_decode(raw, img->dev_bytes, &s, &why, &not_vexfs) ||
	    !vexfs_has_journal(&s))
		return;
	img->block_size = s.g.block_size;
	if (!vexfs_journal_needs_recovery(img, &s))
		return;
	js->needed = true;
	if (mode == VEXFS_FSCK_CHECK) {
		if (vexfs_image_overlay(img)) {
			jnote(js, false, "journal needs recovery: not replayed in memory (out of memory), the image checked as it is");
			return;
		}
		if (vexfs_journal_replay(img, &s, &rp)) {
			vexfs_image_overlay_drop(img);
			jnote(js, false, "journal needs recovery and cannot be replayed: %s", rp.error);
			return;
		}
		js->in_memory = true;
		js->transactions = rp.transactions;
		js->blocks = rp.blocks;
		if (rp.bad_csum)
			snprintf(js->note, sizeof(js->note),
				 "%u logged block(s) fail their checksum and are skipped",
				 rp.bad_csum);
		else if (rp.log_cut)
			snprintf(js->note, sizeof(js->note), "%s", rp.note);
		return;
	}
	if (!vexfs_journal_replay(img, &s, &rp)) {
		js->replayed = true;
		js->transactions = rp.transactions;
		js->blocks = rp.blocks;
		jnote(js, true, "journal replayed: %u transaction(s), %u block(s) written, %u revoked%s",
		      rp.transactions, rp.blocks, rp.revoked,
		      rp.bad_csum ? ", some blocks failed their checksum and were skipped" : "");
		if (rp.log_cut)
			jnote(js, true, "%s", rp.note);
		return;
	}
	if (mode == VEXFS_FSCK_PREEN) {
		jnote(js, false, "journal cannot be replayed: %s", rp.error);
		js->block_repairs = true;
		return;
	}
	/* -y: as e2fsck, drop the log and let the check repair the rest */
	s.feature_incompat &= ~VEXFS_FEATURE_INCOMPAT_RECOVER;
	vexfs_super_encode(&s, raw);
	if (vexfs_journal_write_new(img, &s, 1) ||
	    vexfs_write_bytes(img, 0, sizeof(raw), raw) || vexfs_image_sync(img)) {
		jnote(js, false, "journal cannot be replayed: %s; and cannot be cleared", rp.error);
		js->block_repairs = true;
		return;
	}
	jnote(js, true, "journal cannot be replayed: %s; journal cleared", rp.error);
}

/* Put the journal's problems first in @res. */
static void merge_jstage(struct jstage *js, struct vexfs_fsck_result *res)
{
	struct vexfs_fsck_problem *p;

	res->journal_needed_recovery = js->needed;
	res->journal_replayed = js->replayed;
	res->journal_in_memory = js->in_memory;
	snprintf(res->journal_note, sizeof(res->journal_note), "%s", js->note);
	res->journal_transactions = js->transactions;
	res->journal_blocks_replayed = js->blocks;
	if (!js->n)
		return;
	if (!(res->status & VEXFS_FSCK_OPERROR))
		res->status |= js->status;
	p = realloc(res->problems, (res->nproblems + js->n) * sizeof(*p));
	if (!p) {
		for (int i = 0; i < js->n; i++)
			free(js->text[i]);
		return;
	}
	memmove(p + js->n, p, res->nproblems * sizeof(*p));
	for (int i = 0; i < js->n; i++) {
		p[i].text = js->text[i];
		p[i].fixed = js->fixed[i];
	}
	res->problems = p;
	res->nproblems += js->n;
}

int vexfs_fsck(struct vexfs_image *img, enum vexfs_fsck_mode mode,
	       struct vexfs_fsck_result *res)
{
	struct jstage js;
	int found;

	memset(&js, 0, sizeof(js));
	if (mode != VEXFS_FSCK_CHECK && !img->writable) {
		memset(res, 0, sizeof(*res));
		snprintf(res->error, sizeof(res->error), "image not opened for writing");
		res->status = VEXFS_FSCK_OPERROR;
		return res->status;
	}
	journal_stage(img, mode, &js);
	/*
	 * A dry run first: nothing is written when a problem no mode repairs
	 * (the superblock, the root) was found, nor by preen when a problem it
	 * may not fix was.
	 */
	found = run(img, mode, false, res);
	if (mode == VEXFS_FSCK_CHECK || (res->status & VEXFS_FSCK_OPERROR) ||
	    (found & RUN_UNFIXABLE) || js.block_repairs ||
	    (mode == VEXFS_FSCK_PREEN && (found & RUN_PREEN_UNSAFE))) {
		merge_jstage(&js, res);
		vexfs_image_overlay_drop(img);	/* a CHECK's replay */
		return res->status;
	}
	vexfs_fsck_result_free(res);
	run(img, mode, true, res);
	merge_jstage(&js, res);
	return res->status;
}

void vexfs_fsck_result_free(struct vexfs_fsck_result *res)
{
	for (size_t i = 0; i < res->nproblems; i++)
		free(res->problems[i].text);
	free(res->problems);
	res->problems = NULL;
	res->nproblems = 0;
}

/* ---- fsck.vexfs --upgrade ----------------------------------------------------- */

/* First run of @len free blocks in the data region of @bmap, 0 if none. */
static uint64_t free_extent(const struct vexfs_geometry *g, const uint8_t *bmap,
			    uint64_t len)
{
	uint64_t run = 0;

	for (uint64_t b = g->data_start; b < g->blocks_count; b++) {
		run = vexfs_test_bit(bmap, b) ? 0 : run + 1;
		if (run == len)
			return b + 1 - len;
	}
	return 0;
}

int vexfs_upgrade(struct vexfs_image *img, const char **msg)
{
	static char text[256];
	uint8_t raw[VEXFS_SUPER_SIZE], *bmap = NULL;
	struct vexfs_fsck_result res;
	struct vexfs_super s;
	const char *why = NULL, *jwhy = NULL;
	uint32_t jblocks;
	uint64_t jstart = 0;
	bool not_vexfs;
	int err, st;

	if (vexfs_read_bytes(img, 0, sizeof(raw), raw)) {
		*msg = "cannot read the superblock";
		return -1;
	}
	if (vexfs_super_decode(raw, img->dev_bytes, &s, &why, &not_vexfs)) {
		*msg = why;
		return -1;
	}
	if (s.version != VEXFS_VERSION_1) {
		*msg = "already version 2";
		return -1;
	}
	st = vexfs_fsck(img, VEXFS_FSCK_CHECK, &res);
	vexfs_fsck_result_free(&res);
	if (st || !(s.state & VEXFS_STATE_CLEAN)) {
		*msg = "the filesystem is not clean: run fsck.vexfs -y first";
		return -1;
	}
	img->block_size = s.g.block_size;

	/* the journal: the default size, in the first free extent that fits */
	jblocks = vexfs_journal_default_blocks(s.g.blocks_count, s.g.data_start);
	if (!jblocks) {
		jwhy = "filesystem too small for a journal";
	} else {
		bmap = malloc((size_t)s.g.bbitmap_blocks * s.g.block_size);
		if (!bmap) {
			*msg = "out of memory";
			return -1;
		}
		if (vexfs_read_blocks(img, s.g.bbitmap_start, s.g.bbitmap_blocks, bmap)) {
			free(bmap);
			*msg = "cannot read the block bitmap";
			return -1;
		}
		jstart = free_extent(&s.g, bmap, jblocks);
		if (!jstart)
			jwhy = "no contiguous free extent of the default journal size";
	}
	s.version = VEXFS_VERSION_2;
	s.lpf_ino = 0;
	if (jstart) {
		s.feature_compat |= VEXFS_FEATURE_COMPAT_HAS_JOURNAL;
		s.journal_start = (uint32_t)jstart;
		s.journal_blocks = jblocks;
		err = vexfs_journal_write_new(img, &s, 1);
		for (uint64_t b = jstart; b < jstart + jblocks; b++)
			vexfs_set_bit(bmap, b);
		if (!err)
			err = vexfs_write_blocks(img, s.g.bbitmap_start,
						 s.g.bbitmap_blocks, bmap);
		if (err) {
			free(bmap);
			*msg = "cannot write the journal";
			return -1;
		}
	}
	free(bmap);
	/* the superblock last: until it is written the image is version 1 */
	vexfs_super_encode(&s, raw);
	err = vexfs_image_sync(img);
	if (!err)
		err = vexfs_write_bytes(img, 0, sizeof(raw), raw);
	if (!err)
		err = vexfs_image_sync(img);
	if (err) {
		*msg = "cannot write the superblock";
		return -1;
	}
	/* lost+found: made (and recorded) by a preen of the version 2 image */
	st = vexfs_fsck(img, VEXFS_FSCK_PREEN, &res);
	if (st & ~VEXFS_FSCK_FIXED) {
		snprintf(text, sizeof(text), "version 2 written, but the check after it failed: %.180s",
			 res.nproblems ? res.problems[0].text : res.error);
		vexfs_fsck_result_free(&res);
		*msg = text;
		return -1;
	}
	{
		char jdesc[96], ldesc[96];

		if (jstart)
			snprintf(jdesc, sizeof(jdesc), "a journal of %u blocks at block %llu",
				 jblocks, (unsigned long long)jstart);
		else
			snprintf(jdesc, sizeof(jdesc), "no journal (%s)", jwhy);
		if (res.lpf_ino)
			snprintf(ldesc, sizeof(ldesc), "lost+found is inode %u", res.lpf_ino);
		else
			snprintf(ldesc, sizeof(ldesc), "no lost+found (%s)",
				 res.lpf_missing ? res.lpf_missing : "unknown reason");
		snprintf(text, sizeof(text), "upgraded to version 2: %s, %s", jdesc, ldesc);
	}
	vexfs_fsck_result_free(&res);
	*msg = text;
	return 0;
}
