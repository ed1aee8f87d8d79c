// SPDX-License-Identifier: GPL-2.0
/*
 * fuse.c - vexfs-fuse: VexFS in userspace over libfuse3's low-level API,
 * reading and writing the on-disk format of <linux/vexfs_fs.h> through the
 * same format library as mkfs.vexfs and fsck.vexfs (vexfs.h).
 *
 * Every request runs under one mutex (the multithreaded loop overlaps
 * only the FUSE transport), and every change is written to the image
 * when it is made (pwrite): fsync only has to flush the image file or
 * device.  Reads of metadata come from a write-through cache of blocks
 * (cache.c), which never holds what the image does not.  The daemon is
 * its image's only writer (flock, O_EXCL on a block device), so the
 * kernel may keep names, attributes and missing names for as long as it
 * likes (entry_timeout, attr_timeout, negative_timeout: a day by
 * default): every change it does not make itself (the vector ioctls')
 * is announced with a notify call.  Inode numbers are VexFS's
 * (FUSE_ROOT_ID is VEXFS_ROOT_INO).  Files unlinked while open stay
 * allocated, with a link count of 0, until the kernel forgets them (or
 * the filesystem is unmounted), as in the kernel module.
 *
 * The vector ioctls of <linux/vexfs.h> are _IO numbers with a pointer
 * argument, so FUSE's restricted ioctl mode passes the pointer but no
 * data: the daemon reads and writes the caller's structures with
 * process_vm_readv/writev (the caller's pid from the request; /proc/PID/mem
 * on kernels without CONFIG_CROSS_MEMORY_ATTACH), which needs the daemon
 * to be allowed to ptrace the caller (root, or the same user without
 * Yama's restrictions) and to share its pid namespace.
 */
#define FUSE_USE_VERSION 312
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <fuse_lowlevel.h>
#include <limits.h>
#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/statvfs.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>
#include <dsmil/vexfs.h>

#include "vexfs.h"
#include "../../modules/vexfs/vexfs_score.h"
#include "journal.h"

#define MAX_LINKS	65000
#define DEFAULT_TIMEOUT		86400.0	/* seconds */
#define DEFAULT_CACHE_MIB	64

struct vfs {
	struct vexfs_image img;
	struct vexfs_super s;
	const struct vexfs_geometry *g;
	uint32_t bs, ptrs, per_block;	/* per_block: dirents per block */
	uint8_t *ibm, *bbm;		/* the bitmaps, as on disk */
	uint64_t free_blocks, bhint;
	uint32_t free_inodes, ihint, gen;
	bool ro, writeback;
	double entry_timeout, attr_timeout, negative_timeout;
	uint32_t *orphans;		/* unlinked but still known to the kernel */
	size_t norphans;
	pthread_mutex_t lock;
};

static struct vfs V;
static struct fuse_session *session;

/* ---- time and inodes ----------------------------------------------------- */

static void now_ts(int64_t *sec, uint32_t *nsec)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	*sec = ts.tv_sec;
	*nsec = (uint32_t)ts.tv_nsec;
}

static void touch(struct vexfs_dinode *d, bool m, bool c)
{
	int64_t s;
	uint32_t ns;

	now_ts(&s, &ns);
	if (m) {
		d->mtime = s;
		d->mtime_nsec = ns;
	}
	if (c) {
		d->ctime = s;
		d->ctime_nsec = ns;
	}
}

static uint64_t ino_off(uint32_t ino)
{
	return V.g->itable_start * V.bs + (uint64_t)(ino - 1) * VEXFS_INODE_SIZE;
}

static bool ino_valid(uint64_t ino)
{
	return ino >= 1 && ino <= V.g->inodes_count;
}

/* Read inode @ino: allocated, checksum, a known type; else -EUCLEAN. */
static int iget(uint64_t ino, struct vexfs_dinode *d)
{
	struct vexfs_inode raw;
	int err;

	if (!ino_valid(ino) || !vexfs_test_bit(V.ibm, ino))
		return -EUCLEAN;
	err = vexfs_read_bytes(&V.img, ino_off((uint32_t)ino), sizeof(raw), &raw);
	if (err)
		return err;
	if (!vexfs_inode_csum_ok(&raw, (uint32_t)ino))
		return -EUCLEAN;
	vexfs_inode_decode(&raw, d);
	if (vexfs_mode_to_ft(d->mode) == VEXFS_FT_UNKNOWN ||
	    d->atime_nsec > 999999999 || d->mtime_nsec > 999999999 ||
	    d->ctime_nsec > 999999999)
		return -EUCLEAN;
	if (d->vec_dim && (d->vec_dim > VEXFS_VEC_MAX_DIM ||
			   !vexfs_vec_elem_size(d->vec_type)))
		return -EUCLEAN;
	if ((S_ISDIR(d->mode) && (d->size % V.bs || !d->size)) ||
	    (S_ISLNK(d->mode) && (d->size < 1 || d->size >= V.bs)))
		return -EUCLEAN;
	return 0;
}

static int iput(uint64_t ino, const struct vexfs_dinode *d)
{
	struct vexfs_inode raw;

	vexfs_inode_encode(d, (uint32_t)ino, &raw);
	return vexfs_write_bytes(&V.img, ino_off((uint32_t)ino), sizeof(raw), &raw);
}

/* ---- bitmaps --------------------------------------------------------------- */

static int write_bitmap_bit(uint64_t start, const uint8_t *map, uint64_t n)
{
	uint64_t blk = n / ((uint64_t)V.bs * 8);

	return vexfs_write_blocks(&V.img, start + blk, 1, map + blk * V.bs);
}

static int block_alloc(uint32_t *out)
{
	uint64_t first = V.g->data_start, end = V.g->blocks_count, b, i;
	static uint8_t *zero;
	int err;

	if (!V.free_blocks)
		return -ENOSPC;
	if (!zero) {
		zero = calloc(1, V.bs);
		if (!zero)
			return -ENOMEM;
	}
	b = V.bhint < first || V.bhint >= end ? first : V.bhint;
	for (i = 0; i < end - first; i++, b = b + 1 >= end ? first : b + 1) {
		if (vexfs_test_bit(V.bbm, b))
			continue;
		err = vexfs_write_blocks(&V.img, b, 1, zero);
		if (err)
			return err;
		vexfs_set_bit(V.bbm, b);
		err = write_bitmap_bit(V.g->bbitmap_start, V.bbm, b);
		if (err) {
			vexfs_clear_bit(V.bbm, b);
			return err;
		}
		V.free_blocks--;
		V.bhint = b + 1;
		*out = (uint32_t)b;
		return 0;
	}
	return -ENOSPC;
}

/* @n contiguous blocks, first fit (vector records) */
static int block_alloc_run(uint32_t n, uint32_t *out)
{
	uint64_t b, run = 0;
	uint32_t i;
	int err;

	for (b = V.g->data_start; b < V.g->blocks_count; b++) {
		run = vexfs_test_bit(V.bbm, b) ? 0 : run + 1;
		if (run < n)
			continue;
		b -= n - 1;
		for (i = 0; i < n; i++)
			vexfs_set_bit(V.bbm, b + i);
		for (i = 0; i < n; i++) {
			err = write_bitmap_bit(V.g->bbitmap_start, V.bbm, b + i);
			if (err)
				return err;
		}
		V.free_blocks -= n;
		*out = (uint32_t)b;
		return 0;
	}
	return -ENOSPC;
}

static int block_free(uint64_t b)
{
	if (b < V.g->data_start || b >= V.g->blocks_count ||
	    !vexfs_test_bit(V.bbm, b))
		return -EUCLEAN;
	vexfs_clear_bit(V.bbm, b);
	V.free_blocks++;
	return write_bitmap_bit(V.g->bbitmap_start, V.bbm, b);
}

static int inode_alloc(uint32_t *out)
{
	uint32_t n = V.g->inodes_count, i, ino;

	if (!V.free_inodes)
		return -ENOSPC;
	ino = V.ihint >= 2 && V.ihint <= n ? V.ihint : 2;
	for (i = 0; i < n; i++, ino = ino + 1 > n ? 2 : ino + 1) {
		if (vexfs_test_bit(V.ibm, ino))
			continue;
		vexfs_set_bit(V.ibm, ino);
		V.free_inodes--;
		V.ihint = ino + 1;
		*out = ino;
		return write_bitmap_bit(V.g->ibitmap_start, V.ibm, ino);
	}
	return -ENOSPC;
}

/* ---- block trees ----------------------------------------------------------- */

static bool data_block(uint64_t b)
{
	return b >= V.g->data_start && b < V.g->blocks_count;
}

/* a block of pointers */
static int read_ptrs(uint32_t b, uint32_t *p)
{
	int err;

	if (!data_block(b))
		return -EUCLEAN;
	err = vexfs_read_blocks(&V.img, b, 1, p);
	if (err)
		return err;
	for (uint32_t i = 0; i < V.ptrs; i++) {
		p[i] = le32toh(p[i]);
		if (p[i] && !data_block(p[i]))
			return -EUCLEAN;
	}
	return 0;
}

static int write_ptrs(uint32_t b, const uint32_t *p)
{
	uint32_t *le = malloc(V.bs);
	int err;

	if (!le)
		return -ENOMEM;
	for (uint32_t i = 0; i < V.ptrs; i++)
		le[i] = htole32(p[i]);
	err = vexfs_write_blocks(&V.img, b, 1, le);
	free(le);
	return err;
}

static uint64_t span(int level)	/* logical blocks under a pointer of @level */
{
	uint64_t s = 1;

	while (level-- > 0)
		s *= V.ptrs;
	return s;
}

/*
 * bmap - the physical block of logical block @lb of @d, 0 for a hole; with
 * @alloc, allocate (zeroed) what is missing and count it in d->blocks.
 */
static int bmap(struct vexfs_dinode *d, uint64_t lb, bool alloc, uint32_t *out)
{
	uint32_t *slot, *p = NULL, cur;
	uint64_t base = VEXFS_NDIR;
	int level, err = 0;

	*out = 0;
	if (lb < VEXFS_NDIR) {
		slot = &d->block[lb];
		if (!*slot && alloc) {
			err = block_alloc(slot);
			if (err)
				return err;
			d->blocks++;
		}
		if (*slot && !data_block(*slot))
			return -EUCLEAN;
		*out = *slot;
		return 0;
	}
	for (level = 1; level <= 4; level++) {
		if (lb - base < span(level))
			break;
		base += span(level);
	}
	if (level > 4)
		return -EFBIG;
	lb -= base;
	slot = &d->block[VEXFS_IND + level - 1];
	if (!*slot) {
		if (!alloc)
			return 0;
		err = block_alloc(slot);
		if (err)
			return err;
		d->blocks++;
	}
	cur = *slot;
	p = malloc(V.bs);
	if (!p)
		return -ENOMEM;
	for (; level > 0; level--) {
		uint64_t idx = lb / span(level - 1);

		lb %= span(level - 1);
		err = read_ptrs(cur, p);
		if (err)
			break;
		if (!p[idx]) {
			if (!alloc)
				break;
			err = block_alloc(&p[idx]);
			if (err)
				break;
			d->blocks++;
			err = write_ptrs(cur, p);
			if (err)
				break;
		}
		cur = p[idx];
		if (level == 1)
			*out = cur;
	}
	free(p);
	return err;
}

/* Free the subtree under pointer @b of @level; counts in d->blocks. */
static int free_tree(struct vexfs_dinode *d, uint32_t b, int level)
{
	int err = 0;

	if (level > 0) {
		uint32_t *p = malloc(V.bs);

		if (!p)
			return -ENOMEM;
		err = read_ptrs(b, p);
		for (uint32_t i = 0; !err && i < V.ptrs; i++)
			if (p[i])
				err = free_tree(d, p[i], level - 1);
		free(p);
		if (err)
			return err;
	}
	d->blocks--;
	return block_free(b);
}

/*
 * Free what pointer *@slot of @level maps at logical blocks >= @from
 * (@base: its first logical block); clear *@slot if nothing is left.
 */
static int trunc_tree(struct vexfs_dinode *d, uint32_t *slot, int level,
		      uint64_t base, uint64_t from)
{
	uint32_t *p;
	bool dirty = false;
	int err = 0;

	if (!*slot)
		return 0;
	if (base >= from) {
		err = free_tree(d, *slot, level);
		if (!err)
			*slot = 0;
		return err;
	}
	if (level == 0 || base + span(level) <= from)
		return 0;
	p = malloc(V.bs);
	if (!p)
		return -ENOMEM;
	err = read_ptrs(*slot, p);
	for (uint32_t i = 0; !err && i < V.ptrs; i++) {
		uint32_t old = p[i];

		err = trunc_tree(d, &p[i], level - 1, base + i * span(level - 1),
				 from);
		dirty |= old != p[i];
	}
	if (!err && dirty)
		err = write_ptrs(*slot, p);
	free(p);
	return err;	/* the block itself covers data below @from: it stays */
}

/* Free every block of @d at logical block @from and beyond. */
static int trunc_blocks(struct vexfs_dinode *d, uint64_t from)
{
	uint64_t base = VEXFS_NDIR;
	int err = 0;

	for (uint64_t i = from; i < VEXFS_NDIR && !err; i++)
		if (d->block[i]) {
			d->blocks--;
			err = block_free(d->block[i]);
			d->block[i] = 0;
		}
	for (int level = 1; level <= 4 && !err; level++) {
		err = trunc_tree(d, &d->block[VEXFS_IND + level - 1], level,
				 base, from);
		base += span(level);
	}
	return err;
}

/* ---- file data ------------------------------------------------------------- */

/*
 * Read or write @len bytes of @d at @off, one I/O per run of blocks that
 * lie one after the other on disk (writing, allocating what is missing;
 * reading, a run of holes reads as zeros).  *@done: the bytes done, also
 * when an error (ENOSPC) stops it part of the way.
 */
static int data_rw(struct vexfs_dinode *d, bool write, char *buf, size_t len,
		   uint64_t off, size_t *done)
{
	*done = 0;
	while (len) {
		uint64_t lb = off / V.bs;
		uint32_t in = off % V.bs, pb, next;
		size_t n = V.bs - in;
		int err, stop = 0;

		if (n > len)
			n = len;
		err = bmap(d, lb, write, &pb);
		if (err)
			return err;
		for (uint64_t k = 1; n < len; k++) {
			stop = bmap(d, lb + k, write, &next);
			if (stop || next != (pb ? pb + k : 0))
				break;
			n += len - n < V.bs ? len - n : V.bs;
		}
		if (write)
			err = vexfs_write_bytes(&V.img, (uint64_t)pb * V.bs + in, n, buf);
		else if (pb)
			err = vexfs_read_bytes(&V.img, (uint64_t)pb * V.bs + in, n, buf);
		else
			memset(buf, 0, n);
		if (err)
			return err;
		buf += n;
		off += n;
		len -= n;
		*done += n;
		if (stop)
			return stop;
	}
	return 0;
}

/* Zero the bytes of the block holding @size past it (a partial last block). */
static int zero_tail(struct vexfs_dinode *d, uint64_t size)
{
	uint32_t in = size % V.bs, pb;
	char *z;
	int err;

	if (!in)
		return 0;
	err = bmap(d, size / V.bs, false, &pb);
	if (err || !pb)
		return err;
	z = calloc(1, V.bs - in);
	if (!z)
		return -ENOMEM;
	err = vexfs_write_bytes(&V.img, (uint64_t)pb * V.bs + in, V.bs - in, z);
	free(z);
	return err;
}

static uint64_t max_size(void)
{
	uint64_t blocks = vexfs_max_file_blocks(V.bs);

	if (blocks > INT64_MAX / V.bs)
		return INT64_MAX;
	return blocks * V.bs;
}

static int do_truncate(struct vexfs_dinode *d, uint64_t size)
{
	int err;

	if (size > max_size())
		return -EFBIG;
	if (size < d->size) {
		err = trunc_blocks(d, (size + V.bs - 1) / V.bs);
		if (!err)
			err = zero_tail(d, size);
	} else {
		err = zero_tail(d, d->size);
	}
	if (err)
		return err;
	d->size = size;
	return 0;
}

/* ---- vectors --------------------------------------------------------------- */

static int vec_free(struct vexfs_dinode *d)
{
	uint32_t n;
	int err = 0;

	if (!d->vec_dim)
		return 0;
	n = vexfs_vector_blocks(d->vec_dim, d->vec_type, V.bs);
	for (uint32_t i = 0; i < n && !err; i++)
		err = block_free((uint64_t)d->vec_block + i);
	d->blocks -= n;
	d->vec_block = 0;
	d->vec_dim = 0;
	d->vec_type = 0;
	return err;
}

static int vec_read(uint64_t ino, const struct vexfs_dinode *d, uint8_t *data)
{
	uint32_t len = d->vec_dim * vexfs_vec_elem_size(d->vec_type);
	struct vexfs_vector_head vh;
	uint64_t off = (uint64_t)d->vec_block * V.bs;
	uint32_t n = vexfs_vector_blocks(d->vec_dim, d->vec_type, V.bs);
	int err;

	if (!data_block(d->vec_block) || !data_block((uint64_t)d->vec_block + n - 1))
		return -EUCLEAN;
	err = vexfs_read_bytes(&V.img, off, sizeof(vh), &vh);
	if (!err)
		err = vexfs_read_bytes(&V.img, off + sizeof(vh), len, data);
	if (err)
		return err;
	if (le32toh(vh.v_magic) != VEXFS_VECTOR_MAGIC || le32toh(vh.v_ino) != ino ||
	    le16toh(vh.v_dim) != d->vec_dim || vh.v_type != d->vec_type ||
	    le32toh(vh.v_data_len) != len ||
	    le32toh(vh.v_generation) != d->generation ||
	    le32toh(vh.v_checksum) != vexfs_vector_csum(&vh, data))
		return -EUCLEAN;
	return 0;
}

static int vec_write(uint64_t ino, struct vexfs_dinode *d, uint32_t dim,
		     uint32_t type, const uint8_t *data)
{
	uint32_t len = dim * vexfs_vec_elem_size(type);
	uint32_t n = vexfs_vector_blocks(dim, type, V.bs), first;
	struct vexfs_vector_head vh = {
		.v_magic = htole32(VEXFS_VECTOR_MAGIC),
		.v_ino = htole32((uint32_t)ino),
		.v_dim = htole16((uint16_t)dim),
		.v_type = (uint8_t)type,
		.v_data_len = htole32(len),
		.v_generation = htole32(d->generation),
	};
	uint8_t *rec;
	int err;

	vh.v_checksum = htole32(vexfs_vector_csum(&vh, data));
	rec = calloc(n, V.bs);
	if (!rec)
		return -ENOMEM;
	memcpy(rec, &vh, sizeof(vh));
	memcpy(rec + sizeof(vh), data, len);
	err = block_alloc_run(n, &first);
	if (!err)
		err = vexfs_write_blocks(&V.img, first, n, rec);
	free(rec);
	if (err)
		return err;
	err = vec_free(d);
	d->vec_block = first;
	d->vec_dim = (uint16_t)dim;
	d->vec_type = (uint8_t)type;
	d->blocks += n;
	return err;
}

/* ---- directories ----------------------------------------------------------- */

struct dslot {
	uint64_t lb;		/* logical block */
	uint32_t pb, slot;	/* physical block, entry in it */
};

/*
 * Walk the entries of directory @d: for each used one (or, with @want_free,
 * the first free one) call @fn; stops when it returns non-zero (returned).
 */
typedef int (*dirent_fn)(struct vexfs_dirent *de, const struct dslot *where,
			 void *ctx);

static int dir_walk(struct vexfs_dinode *d, dirent_fn fn, void *ctx,
		    bool want_free)
{
	uint64_t nb = d->size / V.bs;
	struct vexfs_dirent *blk = malloc(V.bs);
	int ret = 0;

	if (!blk)
		return -ENOMEM;
	for (uint64_t lb = 0; lb < nb && !ret; lb++) {
		struct dslot w = { .lb = lb };

		ret = bmap(d, lb, false, &w.pb);
		if (!ret && !w.pb)
			ret = -EUCLEAN;	/* directories have no holes */
		if (!ret)
			ret = vexfs_read_blocks(&V.img, w.pb, 1, blk);
		for (w.slot = 0; !ret && w.slot < V.per_block; w.slot++) {
			struct vexfs_dirent *de = &blk[w.slot];

			if (!de->d_ino) {
				if (want_free && (lb || w.slot >= 2))
					ret = fn(de, &w, ctx);
				continue;
			}
			if (want_free)
				continue;
			if (vexfs_dirent_check_name(de) ||
			    !ino_valid(le32toh(de->d_ino)))
				ret = -EUCLEAN;
			else
				ret = fn(de, &w, ctx);
		}
	}
	free(blk);
	return ret;
}

struct find {
	const char *name;
	size_t len;
	uint32_t ino;
	uint8_t type;
	struct dslot where;
};

static int find_fn(struct vexfs_dirent *de, const struct dslot *w, void *ctx)
{
	struct find *f = ctx;

	if (de->d_name_len != f->len || memcmp(de->d_name, f->name, f->len))
		return 0;
	f->ino = le32toh(de->d_ino);
	f->type = de->d_type;
	f->where = *w;
	return 1;
}

/* 1 and @f filled if @name is in @d, 0 if not, or -errno */
static int dir_find(struct vexfs_dinode *d, const char *name, struct find *f)
{
	memset(f, 0, sizeof(*f));
	f->name = name;
	f->len = strlen(name);
	if (f->len > VEXFS_NAME_LEN)
		return -ENAMETOOLONG;
	return dir_walk(d, find_fn, f, false);
}

static int free_fn(struct vexfs_dirent *de, const struct dslot *w, void *ctx)
{
	(void)de;
	*(struct dslot *)ctx = *w;
	return 1;
}

static int write_dirent(const struct dslot *w, uint32_t ino, const char *name,
			uint8_t type)
{
	struct vexfs_dirent de;

	memset(&de, 0, sizeof(de));
	if (ino) {
		de.d_ino = htole32(ino);
		de.d_name_len = (uint8_t)strlen(name);
		de.d_type = type;
		memcpy(de.d_name, name, de.d_name_len);
	}
	return vexfs_write_bytes(&V.img, (uint64_t)w->pb * V.bs +
				 (uint64_t)w->slot * VEXFS_DIRENT_SIZE,
				 sizeof(de), &de);
}

/* Add @name -> @ino to directory @dir (@d updated, not written). */
static int dir_add(struct vexfs_dinode *d, const char *name, uint32_t ino,
		   uint8_t type)
{
	struct dslot w;
	int ret;

	if (strlen(name) > VEXFS_NAME_LEN)
		return -ENAMETOOLONG;
	ret = dir_walk(d, free_fn, &w, true);
	if (ret < 0)
		return ret;
	if (!ret) {
		w.lb = d->size / V.bs;
		w.slot = 0;
		ret = bmap(d, w.lb, true, &w.pb);
		if (ret)
			return ret;
		d->size += V.bs;
	}
	touch(d, true, true);
	return write_dirent(&w, ino, name, type);
}

static int empty_fn(struct vexfs_dirent *de, const struct dslot *w, void *ctx)
{
	(void)de;
	(void)ctx;
	return w->lb || w->slot >= 2;
}

static int make_dir_block(uint32_t b, uint32_t self, uint32_t parent)
{
	struct dslot w = { .pb = b, .slot = 0 };
	int err = write_dirent(&w, self, ".", VEXFS_FT_DIR);

	w.slot = 1;
	return err ? err : write_dirent(&w, parent, "..", VEXFS_FT_DIR);
}

/* ---- requests ---------------------------------------------------------- */

static void fill_stat(uint64_t ino, const struct vexfs_dinode *d,
		      struct stat *st)
{
	memset(st, 0, sizeof(*st));
	st->st_ino = ino;
	st->st_mode = d->mode;
	st->st_nlink = d->nlink;
	st->st_uid = d->uid;
	st->st_gid = d->gid;
	st->st_size = (off_t)d->size;
	st->st_blksize = V.bs;
	st->st_blocks = (blkcnt_t)(d->blocks * (V.bs / 512));
	st->st_atim.tv_sec = d->atime;
	st->st_atim.tv_nsec = d->atime_nsec;
	st->st_mtim.tv_sec = d->mtime;
	st->st_mtim.tv_nsec = d->mtime_nsec;
	st->st_ctim.tv_sec = d->ctime;
	st->st_ctim.tv_nsec = d->ctime_nsec;
	if (S_ISCHR(d->mode) || S_ISBLK(d->mode))
		st->st_rdev = makedev((d->rdev & 0xfff00) >> 8,
				      (d->rdev & 0xff) | ((d->rdev >> 12) & 0xfff00));
}

static void reply_entry(fuse_req_t req, uint64_t ino,
			const struct vexfs_dinode *d)
{
	struct fuse_entry_param e;

	memset(&e, 0, sizeof(e));
	e.ino = ino;
	e.generation = d->generation;
	e.attr_timeout = V.attr_timeout;
	e.entry_timeout = V.entry_timeout;
	fill_stat(ino, d, &e.attr);
	fuse_reply_entry(req, &e);
}

/* No @name: the kernel may remember that (until it makes the name itself). */
static void reply_no_entry(fuse_req_t req)
{
	struct fuse_entry_param e;

	if (!V.negative_timeout) {
		fuse_reply_err(req, ENOENT);
		return;
	}
	memset(&e, 0, sizeof(e));
	e.entry_timeout = V.negative_timeout;
	fuse_reply_entry(req, &e);
}

#define LOCK()		pthread_mutex_lock(&V.lock)
#define UNLOCK()	pthread_mutex_unlock(&V.lock)

/* ---- request counts (VEXFS_IOC_FUSE_COUNTS) ------------------------------ */

/*
 * The opcodes of <linux/fuse.h>, a stable ABI, as the kernel sends them;
 * that header is not included, its names clash with libfuse's.
 */
enum {
	FUSE_LOOKUP = 1, FUSE_FORGET = 2, FUSE_GETATTR = 3, FUSE_SETATTR = 4,
	FUSE_READLINK = 5, FUSE_SYMLINK = 6, FUSE_MKNOD = 8, FUSE_MKDIR = 9,
	FUSE_UNLINK = 10, FUSE_RMDIR = 11, FUSE_RENAME = 12, FUSE_LINK = 13,
	FUSE_OPEN = 14, FUSE_READ = 15, FUSE_WRITE = 16, FUSE_STATFS = 17,
	FUSE_RELEASE = 18, FUSE_FSYNC = 20, FUSE_FLUSH = 25, FUSE_OPENDIR = 27,
	FUSE_READDIR = 28, FUSE_RELEASEDIR = 29, FUSE_FSYNCDIR = 30,
	FUSE_CREATE = 35, FUSE_IOCTL = 39, FUSE_BATCH_FORGET = 42,
	FUSE_READDIRPLUS = 44, FUSE_RENAME2 = 45,
};

_Static_assert(sizeof(struct vexfs_fuse_counts) == VEXFS_FUSE_COUNTS_SIZE_VER0,
	       "struct vexfs_fuse_counts is ABI");

/* Requests answered since mount, by opcode; relaxed atomics: statistics. */
static uint64_t requests[VEXFS_FUSE_OPCODES], read_bytes, write_bytes;

static void count_request(unsigned int opcode)
{
	__atomic_fetch_add(&requests[opcode], 1, __ATOMIC_RELAXED);
}

static void count_bytes(uint64_t *counter, size_t n)
{
	__atomic_fetch_add(counter, (uint64_t)n, __ATOMIC_RELAXED);
}

static int getdir(uint64_t ino, struct vexfs_dinode *d)
{
	int err = iget(ino, d);

	if (!err && !S_ISDIR(d->mode))
		err = -ENOTDIR;
	return err;
}

/*
 * @name in directory @parent: the directory in @pd, the entry in @f, its
 * inode in @d; -ENOENT if there is no such entry.
 */
static int lookup_child(uint64_t parent, const char *name, struct vexfs_dinode *pd,
			struct find *f, struct vexfs_dinode *d)
{
	int err = getdir(parent, pd);

	if (!err)
		err = dir_find(pd, name, f);
	if (!err)
		return -ENOENT;
	if (err < 0)
		return err;
	return iget(f->ino, d);
}

static void vx_lookup(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	struct vexfs_dinode pd, d;
	struct find f;
	int err;

	count_request(FUSE_LOOKUP);
	LOCK();
	err = lookup_child(parent, name, &pd, &f, &d);
	UNLOCK();
	if (err == -ENOENT)
		reply_no_entry(req);
	else if (err)
		fuse_reply_err(req, -err);
	else
		reply_entry(req, f.ino, &d);
}

/* Answer a getattr or setattr: -@err, or the attributes of @d. */
static void reply_attr(fuse_req_t req, fuse_ino_t ino, const struct vexfs_dinode *d, int err)
{
	struct stat st;

	if (err) {
		fuse_reply_err(req, -err);
		return;
	}
	fill_stat(ino, d, &st);
	fuse_reply_attr(req, &st, V.attr_timeout);
}

static void vx_getattr(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct vexfs_dinode d;
	int err;

	count_request(FUSE_GETATTR);
	(void)fi;
	LOCK();
	err = iget(ino, &d);
	UNLOCK();
	reply_attr(req, ino, &d, err);
}

static void set_time(int64_t *sec, uint32_t *nsec, const struct timespec *ts,
		     bool now)
{
	if (now) {
		now_ts(sec, nsec);
	} else {
		*sec = ts->tv_sec;
		*nsec = (uint32_t)ts->tv_nsec;
	}
}

static void vx_setattr(fuse_req_t req, fuse_ino_t ino, struct stat *attr,
		       int to_set, struct fuse_file_info *fi)
{
	struct vexfs_dinode d;
	int err;

	count_request(FUSE_SETATTR);
	(void)fi;
	LOCK();
	err = V.ro ? -EROFS : iget(ino, &d);
	if (!err && (to_set & FUSE_SET_ATTR_SIZE)) {
		if (S_ISDIR(d.mode))
			err = -EISDIR;
		else if (!S_ISREG(d.mode))
			err = -EINVAL;
		else
			err = do_truncate(&d, (uint64_t)attr->st_size);
		if (!err)
			touch(&d, true, true);
	}
	if (!err) {
		if (to_set & FUSE_SET_ATTR_MODE)
			d.mode = (uint16_t)((d.mode & S_IFMT) | (attr->st_mode & 07777));
		if (to_set & FUSE_SET_ATTR_UID)
			d.uid = attr->st_uid;
		if (to_set & FUSE_SET_ATTR_GID)
			d.gid = attr->st_gid;
		/*
		 * FUSE_CAP_HANDLE_KILLPRIV (libfuse's default): chown drops
		 * set-user-ID and set-group-ID (if group-executable) of a
		 * non-directory, truncate by a caller without CAP_FSETID too
		 */
		if (!S_ISDIR(d.mode) && !(to_set & FUSE_SET_ATTR_MODE) &&
		    ((to_set & (FUSE_SET_ATTR_UID | FUSE_SET_ATTR_GID)) ||
		     ((to_set & FUSE_SET_ATTR_SIZE) && fuse_req_ctx(req)->uid)))
			d.mode &= (uint16_t)~(S_ISUID |
					      (d.mode & S_IXGRP ? S_ISGID : 0));
		if (to_set & (FUSE_SET_ATTR_ATIME | FUSE_SET_ATTR_ATIME_NOW))
			set_time(&d.atime, &d.atime_nsec, &attr->st_atim,
				 to_set & FUSE_SET_ATTR_ATIME_NOW);
		if (to_set & (FUSE_SET_ATTR_MTIME | FUSE_SET_ATTR_MTIME_NOW))
			set_time(&d.mtime, &d.mtime_nsec, &attr->st_mtim,
				 to_set & FUSE_SET_ATTR_MTIME_NOW);
		if (to_set & FUSE_SET_ATTR_CTIME)
			set_time(&d.ctime, &d.ctime_nsec, &attr->st_ctim, false);
		else
			touch(&d, false, true);
		err = iput(ino, &d);
	}
	UNLOCK();
	reply_attr(req, ino, &d, err);
}

static void vx_readlink(fuse_req_t req, fuse_ino_t ino)
{
	struct vexfs_dinode d;
	char buf[VEXFS_MAX_BLOCK_SIZE + 1];
	size_t done;
	int err;

	count_request(FUSE_READLINK);
	LOCK();
	err = iget(ino, &d);
	if (!err && !S_ISLNK(d.mode))
		err = -EINVAL;
	if (!err)
		err = data_rw(&d, false, buf, d.size, 0, &done);
	UNLOCK();
	if (!err && memchr(buf, 0, d.size))
		err = -EUCLEAN;
	if (err) {
		fuse_reply_err(req, -err);
		return;
	}
	buf[d.size] = 0;
	fuse_reply_readlink(req, buf);
}

/* Create inode of @mode named @name in @parent; fills *ino and *d. */
static int make_node(fuse_req_t req, uint64_t parent, const char *name,
		     mode_t mode, dev_t rdev, const char *target,
		     uint32_t *ino, struct vexfs_dinode *d)
{
	const struct fuse_ctx *ctx = fuse_req_ctx(req);
	struct vexfs_dinode pd;
	struct find f;
	uint32_t blk = 0;
	int err;

	if (V.ro)
		return -EROFS;
	if (vexfs_mode_to_ft(mode) == VEXFS_FT_UNKNOWN)
		return -EINVAL;
	if (target && (strlen(target) < 1 || strlen(target) >= V.bs))
		return -ENAMETOOLONG;
	err = getdir(parent, &pd);
	if (err)
		return err;
	if (!pd.nlink)
		return -ENOENT;
	err = dir_find(&pd, name, &f);
	if (err)
		return err < 0 ? err : -EEXIST;
	if (S_ISDIR(mode) && pd.nlink >= MAX_LINKS)
		return -EMLINK;
	err = inode_alloc(ino);
	if (err)
		return err;
	memset(d, 0, sizeof(*d));
	d->mode = (uint16_t)mode;
	d->nlink = S_ISDIR(mode) ? 2 : 1;
	d->uid = ctx->uid;
	d->gid = ctx->gid;
	if (pd.mode & S_ISGID) {
		d->gid = pd.gid;
		if (S_ISDIR(mode))
			d->mode |= S_ISGID;
	}
	d->generation = ++V.gen;
	now_ts(&d->mtime, &d->mtime_nsec);
	d->atime = d->ctime = d->mtime;
	d->atime_nsec = d->ctime_nsec = d->mtime_nsec;
	if (S_ISCHR(mode) || S_ISBLK(mode))
		d->rdev = (minor(rdev) & 0xff) | (major(rdev) << 8) |
			  ((minor(rdev) & ~0xffu) << 12);
	if (S_ISDIR(mode) || target) {
		err = bmap(d, 0, true, &blk);
		if (!err && S_ISDIR(mode)) {
			err = make_dir_block(blk, *ino, (uint32_t)parent);
			d->size = V.bs;
		} else if (!err) {
			d->size = strlen(target);
			err = vexfs_write_bytes(&V.img, (uint64_t)blk * V.bs,
						d->size, target);
		}
	}
	if (!err)
		err = iput(*ino, d);
	if (!err)
		err = dir_add(&pd, name, *ino, vexfs_mode_to_ft(mode));
	if (!err && S_ISDIR(mode))
		pd.nlink++;
	if (!err)
		err = iput(parent, &pd);
	if (err) {	/* give back what the new inode holds */
		trunc_blocks(d, 0);
		vexfs_clear_bit(V.ibm, *ino);
		V.free_inodes++;
		write_bitmap_bit(V.g->ibitmap_start, V.ibm, *ino);
	}
	return err;
}

static void reply_made(fuse_req_t req, int err, uint32_t ino,
		       const struct vexfs_dinode *d)
{
	if (err)
		fuse_reply_err(req, -err);
	else
		reply_entry(req, ino, d);
}

static void vx_mknod(fuse_req_t req, fuse_ino_t parent, const char *name,
		     mode_t mode, dev_t rdev)
{
	struct vexfs_dinode d;
	uint32_t ino;
	int err;

	count_request(FUSE_MKNOD);
	LOCK();
	err = make_node(req, parent, name, mode, rdev, NULL, &ino, &d);
	UNLOCK();
	reply_made(req, err, ino, &d);
}

static void vx_mkdir(fuse_req_t req, fuse_ino_t parent, const char *name,
		     mode_t mode)
{
	struct vexfs_dinode d;
	uint32_t ino;
	int err;

	count_request(FUSE_MKDIR);
	LOCK();
	err = make_node(req, parent, name, S_IFDIR | (mode & 07777), 0, NULL,
			&ino, &d);
	UNLOCK();
	reply_made(req, err, ino, &d);
}

static void vx_symlink(fuse_req_t req, const char *link, fuse_ino_t parent,
		       const char *name)
{
	struct vexfs_dinode d;
	uint32_t ino;
	int err;

	count_request(FUSE_SYMLINK);
	LOCK();
	err = make_node(req, parent, name, S_IFLNK | 0777, 0, link, &ino, &d);
	UNLOCK();
	reply_made(req, err, ino, &d);
}

static void vx_create(fuse_req_t req, fuse_ino_t parent, const char *name,
		      mode_t mode, struct fuse_file_info *fi)
{
	struct vexfs_dinode d;
	struct fuse_entry_param e;
	uint32_t ino;
	int err;

	count_request(FUSE_CREATE);
	LOCK();
	err = make_node(req, parent, name, S_IFREG | (mode & 07777), 0, NULL,
			&ino, &d);
	UNLOCK();
	if (err) {
		fuse_reply_err(req, -err);
		return;
	}
	memset(&e, 0, sizeof(e));
	e.ino = ino;
	e.generation = d.generation;
	e.attr_timeout = V.attr_timeout;
	e.entry_timeout = V.entry_timeout;
	fill_stat(ino, &d, &e.attr);
	fi->fh = (uint64_t)fi->flags;
	fuse_reply_create(req, &e, fi);
}

/* Free inode @ino (link count 0, no longer known to the kernel). */
static int free_inode(uint64_t ino)
{
	struct vexfs_dinode d;
	int err = iget(ino, &d);

	if (err)
		return err;
	if (d.nlink)
		return 0;
	if (!S_ISCHR(d.mode) && !S_ISBLK(d.mode) && !S_ISFIFO(d.mode) &&
	    !S_ISSOCK(d.mode))
		err = trunc_blocks(&d, 0);
	if (!err)
		err = vec_free(&d);
	if (err)
		return err;
	vexfs_clear_bit(V.ibm, ino);
	V.free_inodes++;
	return write_bitmap_bit(V.g->ibitmap_start, V.ibm, ino);
}

static int add_orphan(uint32_t ino)
{
	uint32_t *o = realloc(V.orphans, (V.norphans + 1) * sizeof(*o));

	if (!o)
		return -ENOMEM;
	V.orphans = o;
	V.orphans[V.norphans++] = ino;
	return 0;
}

/* Drop one link of @ino (@d); a directory loses all of them. */
static int drop_link(uint32_t ino, struct vexfs_dinode *d)
{
	if (S_ISDIR(d->mode))
		d->nlink = 0;
	else if (d->nlink)
		d->nlink--;
	touch(d, false, true);
	if (!d->nlink)
		add_orphan(ino);
	return iput(ino, d);
}

static int do_remove(uint64_t parent, const char *name, bool dir)
{
	struct vexfs_dinode pd, d;
	struct find f;
	int err;

	if (V.ro)
		return -EROFS;
	err = lookup_child(parent, name, &pd, &f, &d);
	if (err)
		return err;
	if (dir && !S_ISDIR(d.mode))
		return -ENOTDIR;
	if (!dir && S_ISDIR(d.mode))
		return -EISDIR;
	if (dir) {
		err = dir_walk(&d, empty_fn, NULL, false);
		if (err)
			return err < 0 ? err : -ENOTEMPTY;
	}
	err = write_dirent(&f.where, 0, NULL, 0);
	if (!err && dir)
		pd.nlink--;
	touch(&pd, true, true);
	if (!err)
		err = iput(parent, &pd);
	if (!err)
		err = drop_link(f.ino, &d);
	return err;
}

static void vx_unlink(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	int err;

	count_request(FUSE_UNLINK);
	LOCK();
	err = do_remove(parent, name, false);
	UNLOCK();
	fuse_reply_err(req, -err);
}

static void vx_rmdir(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	int err;

	count_request(FUSE_RMDIR);
	LOCK();
	err = do_remove(parent, name, true);
	UNLOCK();
	fuse_reply_err(req, -err);
}

static void vx_link(fuse_req_t req, fuse_ino_t ino, fuse_ino_t newparent,
		    const char *newname)
{
	struct vexfs_dinode pd, d;
	struct find f;
	int err;

	count_request(FUSE_LINK);
	LOCK();
	err = V.ro ? -EROFS : iget(ino, &d);
	if (!err && S_ISDIR(d.mode))
		err = -EPERM;
	if (!err && d.nlink >= MAX_LINKS)
		err = -EMLINK;
	if (!err && !d.nlink)
		err = -ENOENT;
	if (!err)
		err = getdir(newparent, &pd);
	if (!err) {
		err = dir_find(&pd, newname, &f);
		if (err == 1)
			err = -EEXIST;
	}
	if (!err)
		err = dir_add(&pd, newname, (uint32_t)ino, vexfs_mode_to_ft(d.mode));
	if (!err)
		err = iput(newparent, &pd);
	if (!err) {
		d.nlink++;
		touch(&d, false, true);
		err = iput(ino, &d);
	}
	UNLOCK();
	if (err)
		fuse_reply_err(req, -err);
	else
		reply_entry(req, ino, &d);
}

/* Whether directory @ino is @anc or below it. */
static int is_below(uint32_t ino, uint32_t anc)
{
	uint32_t budget = V.g->inodes_count;

	while (budget--) {
		struct vexfs_dinode d;
		struct find f;
		int err;

		if (ino == anc)
			return 1;
		if (ino == VEXFS_ROOT_INO)
			return 0;
		err = getdir(ino, &d);
		if (!err)
			err = dir_find(&d, "..", &f);
		if (err <= 0)
			return err ? err : -EUCLEAN;
		ino = f.ino;
	}
	return -EUCLEAN;
}

static int do_rename(uint64_t parent, const char *name, uint64_t newparent,
		     const char *newname, unsigned int flags)
{
	struct vexfs_dinode opd, npd, d, td;
	struct find f, t;
	bool isdir;
	int err;

	if (flags & ~RENAME_NOREPLACE)
		return -EINVAL;
	if (V.ro)
		return -EROFS;
	err = lookup_child(parent, name, &opd, &f, &d);
	if (!err)
		err = getdir(newparent, &npd);
	if (err)
		return err;
	isdir = S_ISDIR(d.mode);
	err = dir_find(&npd, newname, &t);
	if (err < 0)
		return err;
	if (err) {
		if (flags & RENAME_NOREPLACE)
			return -EEXIST;
		if (t.ino == f.ino)
			return 0;
		err = iget(t.ino, &td);
		if (err)
			return err;
		if (isdir && !S_ISDIR(td.mode))
			return -ENOTDIR;
		if (!isdir && S_ISDIR(td.mode))
			return -EISDIR;
		if (S_ISDIR(td.mode)) {
			err = dir_walk(&td, empty_fn, NULL, false);
			if (err)
				return err < 0 ? err : -ENOTEMPTY;
		}
	}
	if (isdir && parent != newparent) {
		err = is_below((uint32_t)newparent, f.ino);
		if (err)
			return err < 0 ? err : -EINVAL;
		if (!t.ino && npd.nlink >= MAX_LINKS)
			return -EMLINK;
	}
	/* the new name first: a crash leaves two links, which fsck fixes */
	if (t.ino) {
		err = write_dirent(&t.where, f.ino, newname,
				   vexfs_mode_to_ft(d.mode));
		touch(&npd, true, true);
	} else {
		err = dir_add(&npd, newname, f.ino, vexfs_mode_to_ft(d.mode));
	}
	if (err)
		return err;
	if (t.ino && S_ISDIR(td.mode))
		npd.nlink--;
	if (isdir && parent != newparent)
		npd.nlink++;
	err = iput(newparent, &npd);
	if (!err && parent == newparent)
		opd = npd;
	if (!err)
		err = write_dirent(&f.where, 0, NULL, 0);
	if (!err) {
		if (isdir && parent != newparent)
			opd.nlink--;
		touch(&opd, true, true);
		err = iput(parent, &opd);
	}
	if (!err && isdir && parent != newparent) {
		struct dslot w;
		uint32_t pb;

		err = bmap(&d, 0, false, &pb);
		w.pb = pb;
		w.slot = 1;
		if (!err)
			err = pb ? write_dirent(&w, (uint32_t)newparent, "..",
						VEXFS_FT_DIR) : -EUCLEAN;
	}
	if (!err) {
		touch(&d, false, true);
		err = iput(f.ino, &d);
	}
	if (!err && t.ino) {
		err = iget(t.ino, &td);
		if (!err)
			err = drop_link(t.ino, &td);
	}
	return err;
}

static void vx_rename(fuse_req_t req, fuse_ino_t parent, const char *name,
		      fuse_ino_t newparent, const char *newname,
		      unsigned int flags)
{
	int err;

	count_request(flags ? FUSE_RENAME2 : FUSE_RENAME);
	LOCK();
	err = do_rename(parent, name, newparent, newname, flags);
	UNLOCK();
	fuse_reply_err(req, -err);
}

static void forget_one(uint64_t ino)
{
	for (size_t i = 0; i < V.norphans; i++) {
		if (V.orphans[i] != ino)
			continue;
		V.orphans[i] = V.orphans[--V.norphans];
		free_inode(ino);
		return;
	}
}

static void vx_forget(fuse_req_t req, fuse_ino_t ino, uint64_t nlookup)
{
	count_request(FUSE_FORGET);
	(void)nlookup;
	LOCK();
	forget_one(ino);
	UNLOCK();
	fuse_reply_none(req);
}

static void vx_forget_multi(fuse_req_t req, size_t count,
			    struct fuse_forget_data *forgets)
{
	count_request(FUSE_BATCH_FORGET);
	LOCK();
	for (size_t i = 0; i < count; i++)
		forget_one(forgets[i].ino);
	UNLOCK();
	fuse_reply_none(req);
}

/* Answer an open or opendir: -@err, or a handle holding the open flags. */
static void reply_open(fuse_req_t req, struct fuse_file_info *fi, int err)
{
	if (err) {
		fuse_reply_err(req, -err);
		return;
	}
	fi->fh = (uint64_t)fi->flags;
	fuse_reply_open(req, fi);
}

static void vx_open(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct vexfs_dinode d;
	int err;

	count_request(FUSE_OPEN);
	LOCK();
	err = iget(ino, &d);
	if (!err && S_ISDIR(d.mode))
		err = -EISDIR;
	if (!err && V.ro && (fi->flags & O_ACCMODE) != O_RDONLY)
		err = -EROFS;
	if (!err && (fi->flags & O_DIRECT))
		err = -EINVAL;
	/*
	 * FUSE_CAP_ATOMIC_O_TRUNC (libfuse's default): O_TRUNC comes here,
	 * with any access mode (Linux truncates on O_RDONLY | O_TRUNC too;
	 * the kernel checked write permission)
	 */
	if (!err && (fi->flags & O_TRUNC) && S_ISREG(d.mode) && !V.ro) {
		if (d.size)
			err = do_truncate(&d, 0);
		touch(&d, true, true);
		if (!err)
			err = iput(ino, &d);
	}
	UNLOCK();
	reply_open(req, fi, err);
}

static void vx_read(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
		    struct fuse_file_info *fi)
{
	struct vexfs_dinode d;
	char *buf = NULL;
	size_t done;
	int err;

	count_request(FUSE_READ);
	(void)fi;
	LOCK();
	err = iget(ino, &d);
	if (!err) {
		if ((uint64_t)off >= d.size)
			size = 0;
		else if (size > d.size - (uint64_t)off)
			size = d.size - (uint64_t)off;
		buf = malloc(size ? size : 1);
		err = buf ? data_rw(&d, false, buf, size, (uint64_t)off, &done) :
			    -ENOMEM;
	}
	UNLOCK();
	if (err) {
		fuse_reply_err(req, -err);
	} else {
		count_bytes(&read_bytes, size);
		fuse_reply_buf(req, buf, size);
	}
	free(buf);
}

static void vx_write(fuse_req_t req, fuse_ino_t ino, const char *buf,
		     size_t size, off_t off, struct fuse_file_info *fi)
{
	struct vexfs_dinode d;
	size_t done = 0;
	uint64_t end;
	int err;

	count_request(FUSE_WRITE);
	count_bytes(&write_bytes, size);
	LOCK();
	err = V.ro ? -EROFS : iget(ino, &d);
	if (!err) {
		int e2 = 0;

		if (!V.writeback && (fi->flags & O_APPEND))
			off = (off_t)d.size;
		end = (uint64_t)off + size;
		err = end > max_size() ? -EFBIG :
		      data_rw(&d, true, (char *)buf, size, (uint64_t)off, &done);
		/*
		 * A short write (ENOSPC) keeps what was written; blocks
		 * allocated past the resulting end of file are given back.
		 */
		if (done && (uint64_t)off + done > d.size)
			d.size = (uint64_t)off + done;
		if (err)
			e2 = trunc_blocks(&d, (d.size + V.bs - 1) / V.bs);
		if (done)
			err = e2;
		touch(&d, true, true);
		if (fuse_req_ctx(req)->uid)	/* no CAP_FSETID */
			d.mode &= (uint16_t)~(S_ISUID |
					      (d.mode & S_IXGRP ? S_ISGID : 0));
		e2 = iput(ino, &d);
		if (!err)
			err = e2;
	}
	UNLOCK();
	if (err)
		fuse_reply_err(req, -err);
	else
		fuse_reply_write(req, done);
}

static void do_fsync(fuse_req_t req)
{
	int err;

	LOCK();
	err = vexfs_image_sync(&V.img);
	UNLOCK();
	fuse_reply_err(req, -err);
}

static void vx_fsync(fuse_req_t req, fuse_ino_t ino, int datasync,
		     struct fuse_file_info *fi)
{
	(void)ino;
	(void)datasync;
	(void)fi;
	count_request(FUSE_FSYNC);
	do_fsync(req);
}

static void vx_fsyncdir(fuse_req_t req, fuse_ino_t ino, int datasync,
			struct fuse_file_info *fi)
{
	(void)ino;
	(void)datasync;
	(void)fi;
	count_request(FUSE_FSYNCDIR);
	do_fsync(req);
}

/*
 * Every change is written when it is made: a close has nothing to flush
 * (ENOSYS: the kernel stops sending FLUSH) or release.  These are here to
 * count the requests, answering as libfuse does without them.
 */
static void vx_flush(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	(void)ino;
	(void)fi;
	count_request(FUSE_FLUSH);
	fuse_reply_err(req, ENOSYS);
}

static void vx_release(fuse_req_t req, fuse_ino_t ino,
		       struct fuse_file_info *fi)
{
	(void)ino;
	(void)fi;
	count_request(FUSE_RELEASE);
	fuse_reply_err(req, 0);
}

static void vx_releasedir(fuse_req_t req, fuse_ino_t ino,
			  struct fuse_file_info *fi)
{
	(void)ino;
	(void)fi;
	count_request(FUSE_RELEASEDIR);
	fuse_reply_err(req, 0);
}

struct rd {
	fuse_req_t req;
	char *buf;
	size_t size, len;
	off_t want;		/* first entry index to return */
	bool plus;		/* readdirplus: each entry's attributes too */
};

/*
 * readdirplus's entry for @name (inode @ino, type @type): its attributes,
 * as a lookup would answer; without them (e->ino 0: "." and "..", which the
 * kernel does not look up, or an inode that cannot be read: its lookup
 * will say why) the kernel treats it as a plain readdir entry.
 */
static void plus_entry(struct fuse_entry_param *e, const char *name,
		       uint32_t ino, uint8_t type)
{
	struct vexfs_dinode d;

	memset(e, 0, sizeof(*e));
	if (strcmp(name, ".") && strcmp(name, "..") && !iget(ino, &d)) {
		e->ino = ino;
		e->generation = d.generation;
		e->attr_timeout = V.attr_timeout;
		e->entry_timeout = V.entry_timeout;
		fill_stat(ino, &d, &e->attr);
		return;
	}
	e->attr.st_ino = ino;
	e->attr.st_mode = (mode_t)type << 12;
}

static int readdir_fn(struct vexfs_dirent *de, const struct dslot *w, void *ctx)
{
	struct rd *r = ctx;
	off_t idx = (off_t)(w->lb * V.per_block + w->slot);
	char name[VEXFS_NAME_LEN + 1];
	struct stat st;
	size_t n;

	if (idx < r->want)
		return 0;
	memcpy(name, de->d_name, de->d_name_len);
	name[de->d_name_len] = 0;
	if (r->plus) {
		struct fuse_entry_param e;

		plus_entry(&e, name, le32toh(de->d_ino), de->d_type);
		n = fuse_add_direntry_plus(r->req, r->buf + r->len,
					   r->size - r->len, name, &e, idx + 1);
	} else {
		memset(&st, 0, sizeof(st));
		st.st_ino = le32toh(de->d_ino);
		st.st_mode = (mode_t)de->d_type << 12;
		n = fuse_add_direntry(r->req, r->buf + r->len, r->size - r->len,
				      name, &st, idx + 1);
	}
	if (n > r->size - r->len)
		return 1;
	r->len += n;
	return 0;
}

static void do_readdir(fuse_req_t req, fuse_ino_t ino, size_t size,
		       off_t off, bool plus)
{
	struct vexfs_dinode d;
	struct rd r = { .req = req, .size = size, .want = off, .plus = plus };
	int err;

	r.buf = malloc(size);
	if (!r.buf) {
		fuse_reply_err(req, ENOMEM);
		return;
	}
	LOCK();
	err = getdir(ino, &d);
	if (!err)
		err = dir_walk(&d, readdir_fn, &r, false);
	UNLOCK();
	if (err < 0)
		fuse_reply_err(req, -err);
	else
		fuse_reply_buf(req, r.buf, r.len);
	free(r.buf);
}

static void vx_readdir(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
		       struct fuse_file_info *fi)
{
	count_request(FUSE_READDIR);
	(void)fi;
	do_readdir(req, ino, size, off, false);
}

/* readdir with each entry's attributes: "ls -l" in one request a buffer */
static void vx_readdirplus(fuse_req_t req, fuse_ino_t ino, size_t size,
			   off_t off, struct fuse_file_info *fi)
{
	count_request(FUSE_READDIRPLUS);
	(void)fi;
	do_readdir(req, ino, size, off, true);
}

static void vx_statfs(fuse_req_t req, fuse_ino_t ino)
{
	struct statvfs st;

	count_request(FUSE_STATFS);
	(void)ino;
	memset(&st, 0, sizeof(st));
	LOCK();
	st.f_bsize = V.bs;
	st.f_frsize = V.bs;
	st.f_blocks = V.g->blocks_count - V.g->data_start;
	st.f_bfree = V.free_blocks;
	st.f_bavail = V.free_blocks;
	st.f_files = V.g->inodes_count;
	st.f_ffree = V.free_inodes;
	st.f_favail = V.free_inodes;
	st.f_namemax = VEXFS_NAME_LEN;
	st.f_fsid = le32toh(*(uint32_t *)V.s.uuid);
	UNLOCK();
	fuse_reply_statfs(req, &st);
}

/* ---- the vector ioctls ----------------------------------------------------- */

/*
 * Kernels built without CONFIG_CROSS_MEMORY_ATTACH have no
 * process_vm_readv/writev (ENOSYS): /proc/PID/mem gives the same access
 * under the same ptrace check.
 */
static int peer_rw_procmem(pid_t pid, bool write, uint64_t addr, void *buf,
			   size_t len)
{
	char name[32];
	ssize_t n;
	int fd, err;

	snprintf(name, sizeof(name), "/proc/%d/mem", (int)pid);
	fd = open(name, (write ? O_WRONLY : O_RDONLY) | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? -EINTR : errno == EACCES ? -EPERM : -EFAULT;
	n = write ? pwrite(fd, buf, len, (off_t)addr) :
		    pread(fd, buf, len, (off_t)addr);
	err = n < 0 ? errno : 0;
	close(fd);
	if (n < 0)
		return err == EPERM || err == EACCES ? -EPERM : -EFAULT;
	return (size_t)n == len ? 0 : -EFAULT;
}

static int peer_rw(fuse_req_t req, bool write, uint64_t addr, void *buf,
		   size_t len)
{
	pid_t pid = fuse_req_ctx(req)->pid;
	struct iovec local = { .iov_base = buf, .iov_len = len };
	struct iovec remote = { .iov_base = (void *)(uintptr_t)addr,
				.iov_len = len };
	ssize_t n;

	if (!len)
		return 0;
	if (!pid)
		return -EPERM;	/* the caller is in another pid namespace */
	if (addr > (uint64_t)INT64_MAX - len)
		return -EFAULT;
	n = write ? process_vm_writev(pid, &local, 1, &remote, 1, 0) :
		    process_vm_readv(pid, &local, 1, &remote, 1, 0);
	if (n < 0 && errno == ENOSYS)
		return peer_rw_procmem(pid, write, addr, buf, len);
	if (n < 0)
		return errno == ESRCH ? -EINTR : errno == EPERM ? -EPERM : -EFAULT;
	return (size_t)n == len ? 0 : -EFAULT;
}

/* The versioned argument at @addr: at most @size bytes, at least @min. */
static int get_arg(fuse_req_t req, uint64_t addr, void *arg, uint32_t size,
		   uint32_t min, uint32_t *usize)
{
	int err = peer_rw(req, false, addr, usize, sizeof(*usize));

	if (err)
		return err;
	if (*usize < min)
		return -EINVAL;
	if (*usize > size) {	/* a newer caller: the extra bytes must be 0 */
		uint8_t *extra = malloc(*usize - size);

		if (!extra)
			return -ENOMEM;
		err = peer_rw(req, false, addr + size, extra, *usize - size);
		for (uint32_t i = 0; !err && i < *usize - size; i++)
			if (extra[i])
				err = -E2BIG;
		free(extra);
		if (err)
			return err;
	}
	memset(arg, 0, size);
	return peer_rw(req, false, addr, arg, *usize < size ? *usize : size);
}

/* the elements of a vector from the caller, floats checked finite */
static int get_elements(fuse_req_t req, uint64_t addr, uint32_t dim,
			uint32_t type, uint8_t **out)
{
	size_t len = (size_t)dim * vexfs_vec_elem_size(type);
	uint8_t *data = malloc(len);
	int err;

	if (!data)
		return -ENOMEM;
	err = peer_rw(req, false, addr, data, len);
	for (uint32_t i = 0; !err && type == VEXFS_VEC_FLOAT32 && i < dim; i++) {
		uint32_t bits;

		memcpy(&bits, data + 4 * i, 4);
		if (!vexfs_f32_finite(le32toh(bits)))
			err = -EINVAL;
	}
	if (err) {
		free(data);
		return err;
	}
	*out = data;
	return 0;
}

static int ioc_vec(fuse_req_t req, uint64_t ino, unsigned int cmd,
		   uint64_t addr, int flags)
{
	struct vexfs_vec_arg arg;
	struct vexfs_dinode d;
	uint8_t *data = NULL;
	uint32_t usize;
	int err;

	if (cmd != VEXFS_IOC_VEC_REMOVE) {
		err = get_arg(req, addr, &arg, sizeof(arg), VEXFS_VEC_ARG_SIZE_VER0,
			      &usize);
		if (err)
			return err;
		if (arg.flags)
			return -EINVAL;
	}
	err = iget(ino, &d);
	if (err)
		return err;
	if (!S_ISREG(d.mode))
		return -EINVAL;
	/* as vexfs.ko: GET reads the file's data, the others write it */
	if (cmd == VEXFS_IOC_VEC_GET ? (flags & O_ACCMODE) == O_WRONLY :
				       (flags & O_ACCMODE) == O_RDONLY)
		return -EBADF;
	if (cmd != VEXFS_IOC_VEC_GET && V.ro)
		return -EROFS;
	switch (cmd) {
	case VEXFS_IOC_VEC_SET:
		if (!vexfs_vector_valid(arg.dim, arg.elem_type))
			return -EINVAL;
		err = get_elements(req, arg.data, arg.dim, arg.elem_type, &data);
		if (err)
			return err;
		err = vec_write(ino, &d, arg.dim, arg.elem_type, data);
		break;
	case VEXFS_IOC_VEC_REMOVE:
		if (!d.vec_dim)
			return -ENODATA;
		err = vec_free(&d);
		break;
	default:	/* GET */
		if (!d.vec_dim)
			return -ENODATA;
		data = malloc((size_t)d.vec_dim * vexfs_vec_elem_size(d.vec_type));
		if (!data)
			return -ENOMEM;
		err = vec_read(ino, &d, data);
		if (err)
			break;
		if (arg.dim >= d.vec_dim)
			err = peer_rw(req, true, arg.data, data, (size_t)d.vec_dim *
				      vexfs_vec_elem_size(d.vec_type));
		if (err)
			break;
		if (arg.dim < d.vec_dim)
			err = -ENOSPC;
		arg.dim = d.vec_dim;
		arg.elem_type = d.vec_type;
		{
			int e2 = peer_rw(req, true, addr, &arg,
					 usize < sizeof(arg) ? usize : sizeof(arg));

			if (!err)
				err = e2;
		}
		free(data);
		return err;
	}
	free(data);
	if (!err) {
		touch(&d, false, true);
		err = iput(ino, &d);
	}
	return err;
}

struct search {
	fuse_req_t req;
	uint32_t metric, type, dim, k, n;
	int32_t *q;
	uint64_t nq, compared;
	uint8_t *raw;
	struct vexfs_candidate *best;
	uint64_t *stack;
	size_t depth, cap;
	gid_t *groups;
	int ngroups;
};

/* The caller's permission @mask (4 read, 1 exec) on @d, as generic_permission */
static bool may(struct search *s, const struct vexfs_dinode *d, int mask)
{
	const struct fuse_ctx *ctx = fuse_req_ctx(s->req);
	unsigned int m = d->mode;
	bool group = d->gid == ctx->gid;

	if (!ctx->uid)	/* CAP_DAC_OVERRIDE/READ_SEARCH */
		return !(mask & 1) || S_ISDIR(m) || (m & 0111);
	for (int i = 0; !group && i < s->ngroups; i++)
		group = s->groups[i] == d->gid;
	if (d->uid == ctx->uid)
		m >>= 6;
	else if (group)
		m >>= 3;
	return (m & (unsigned int)mask) == (unsigned int)mask;
}

static int search_file(struct search *s, uint32_t ino)
{
	struct vexfs_score_acc acc;
	struct vexfs_candidate c;
	struct vexfs_dinode d;
	int err = iget(ino, &d);

	if (err)
		return err;
	if (!S_ISREG(d.mode) || !may(s, &d, 4) || d.vec_dim != s->dim ||
	    d.vec_type != s->type)
		return 0;
	err = vec_read(ino, &d, s->raw);
	if (err)
		return err;
	vexfs_score_acc(s->q, s->raw, s->dim, s->type, &acc);
	s->compared++;
	c.ino = ino;
	c.dot = acc.dot;
	c.nv = acc.nv;
	if (!vexfs_score(s->metric, &acc, s->nq, &c.score))
		vexfs_topk_insert(s->best, &s->n, s->k, s->metric, s->type, &c);
	return 0;
}

static int push_dir(struct search *s, uint64_t ino)
{
	if (s->depth == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 64;
		uint64_t *st = realloc(s->stack, cap * sizeof(*st));

		if (!st)
			return -ENOMEM;
		s->stack = st;
		s->cap = cap;
	}
	s->stack[s->depth++] = ino;
	return 0;
}

static int search_fn(struct vexfs_dirent *de, const struct dslot *w, void *ctx)
{
	struct search *s = ctx;

	if (!w->lb && w->slot < 2)
		return 0;
	if (de->d_type == VEXFS_FT_DIR)
		return push_dir(s, le32toh(de->d_ino));
	if (de->d_type == VEXFS_FT_REG)
		return search_file(s, le32toh(de->d_ino));
	return 0;
}

static int search_tree(struct search *s, uint64_t start)
{
	uint64_t budget = V.g->inodes_count;
	int err = push_dir(s, start);

	while (!err && s->depth && budget--) {
		struct vexfs_dinode d;

		err = iget(s->stack[--s->depth], &d);
		if (!err && S_ISDIR(d.mode) && may(s, &d, 5))
			err = dir_walk(&d, search_fn, s, false);
		if (!err && fuse_req_interrupted(s->req))
			err = -EINTR;
	}
	return err;
}

static int ioc_search(fuse_req_t req, uint64_t ino, uint64_t addr)
{
	struct vexfs_search_arg arg;
	struct search s = { .req = req };
	struct vexfs_dinode d;
	uint8_t *query = NULL;
	uint32_t usize;
	int err;

	err = get_arg(req, addr, &arg, sizeof(arg), VEXFS_SEARCH_ARG_SIZE_VER0,
		      &usize);
	if (err)
		return err;
	err = iget(ino, &d);
	if (err)
		return err;
	if (!S_ISDIR(d.mode))
		return -ENOTDIR;
	if (!vexfs_search_arg_valid(&arg))
		return -EINVAL;
	s.metric = arg.metric;
	s.type = arg.elem_type;
	s.dim = arg.dim;
	s.k = arg.k;
	err = get_elements(req, arg.query, arg.dim, arg.elem_type, &query);
	if (err)
		return err;
	s.q = calloc(s.dim, sizeof(*s.q));
	s.raw = malloc((size_t)s.dim * vexfs_vec_elem_size(s.type));
	s.best = calloc(s.k, sizeof(*s.best));
	s.ngroups = fuse_req_getgroups(req, 0, NULL);
	if (s.ngroups > 0) {
		s.groups = calloc((size_t)s.ngroups, sizeof(*s.groups));
		if (s.groups)
			s.ngroups = fuse_req_getgroups(req, s.ngroups, s.groups);
	}
	if (s.ngroups < 0)
		s.ngroups = 0;
	if (!s.q || !s.raw || !s.best || (s.ngroups && !s.groups)) {
		err = -ENOMEM;
		goto out;
	}
	for (uint32_t i = 0; i < s.dim; i++) {
		s.q[i] = vexfs_vec_elem(query, i, s.type);
		s.nq += (uint64_t)((int64_t)s.q[i] * s.q[i]);
	}
	if (s.metric == VEXFS_METRIC_COSINE && !s.nq) {
		err = -EINVAL;
		goto out;
	}
	err = search_tree(&s, ino);
	for (uint32_t i = 0; !err && i < s.n; i++) {
		struct vexfs_search_result r = {
			.ino = s.best[i].ino,
			.score = s.best[i].score,
		};

		err = peer_rw(req, true, arg.results + i * sizeof(r), &r, sizeof(r));
	}
	if (err)
		goto out;
	arg.k = s.n;
	arg.compared = s.compared;
	arg.score_shift = vexfs_score_shift(s.metric, s.type);
	err = peer_rw(req, true, addr, &arg, usize < sizeof(arg) ? usize : sizeof(arg));
out:
	free(s.groups);
	free(s.stack);
	free(s.best);
	free(s.raw);
	free(s.q);
	free(query);
	return err;
}

/* VEXFS_IOC_FUSE_COUNTS: the request counts, into the caller's structure */
static int ioc_counts(fuse_req_t req, uint64_t addr)
{
	struct vexfs_fuse_counts c;
	uint32_t usize;
	int err;

	err = get_arg(req, addr, &c, sizeof(c), VEXFS_FUSE_COUNTS_SIZE_VER0,
		      &usize);
	if (err)
		return err;
	if (c.flags)
		return -EINVAL;
	for (unsigned int i = 0; i < VEXFS_FUSE_OPCODES; i++)
		c.requests[i] = __atomic_load_n(&requests[i], __ATOMIC_RELAXED);
	c.read_bytes = __atomic_load_n(&read_bytes, __ATOMIC_RELAXED);
	c.write_bytes = __atomic_load_n(&write_bytes, __ATOMIC_RELAXED);
	c.size = sizeof(c);
	return peer_rw(req, true, addr, &c, sizeof(c));
}

static void vx_ioctl(fuse_req_t req, fuse_ino_t ino, unsigned int cmd,
		     void *arg, struct fuse_file_info *fi, unsigned int flags,
		     const void *in_buf, size_t in_bufsz, size_t out_bufsz)
{
	uint64_t addr = (uintptr_t)arg;
	int err;

	count_request(FUSE_IOCTL);
	(void)in_buf;
	(void)in_bufsz;
	(void)out_bufsz;
	LOCK();
	switch (cmd) {
	case VEXFS_IOC_VEC_SET:
	case VEXFS_IOC_VEC_GET:
	case VEXFS_IOC_VEC_REMOVE:
		err = flags & FUSE_IOCTL_DIR ? -EINVAL :
		      ioc_vec(req, ino, cmd, addr, (int)fi->fh);
		break;
	case VEXFS_IOC_SEARCH:
		err = ioc_search(req, ino, addr);
		break;
	case VEXFS_IOC_FUSE_COUNTS:
		err = ioc_counts(req, addr);
		break;
	default:
		err = -ENOTTY;
	}
	UNLOCK();
	if (err) {
		fuse_reply_err(req, -err);
		return;
	}
	/*
	 * SET and REMOVE changed ctime and i_blocks: drop the kernel's cached
	 * attributes before the caller learns the ioctl is done, or its next
	 * stat may come first.  (Attributes only, offset -1: no page cache
	 * is invalidated, so nothing waits on this request.)
	 */
	if (cmd == VEXFS_IOC_VEC_SET || cmd == VEXFS_IOC_VEC_REMOVE)
		fuse_lowlevel_notify_inval_inode(session, ino, -1, 0);
	fuse_reply_ioctl(req, 0, NULL, 0);
}

static void vx_opendir(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct vexfs_dinode d;
	int err;

	count_request(FUSE_OPENDIR);
	LOCK();
	err = getdir(ino, &d);
	UNLOCK();
	reply_open(req, fi, err);
}

/* ---- mount and unmount ----------------------------------------------------- */

static int write_super(void)
{
	uint8_t raw[VEXFS_SUPER_SIZE];

	vexfs_super_encode(&V.s, raw);
	return vexfs_write_bytes(&V.img, 0, sizeof(raw), raw);
}

static void vx_init(void *userdata, struct fuse_conn_info *conn)
{
	(void)userdata;
	if (V.writeback && (conn->capable & FUSE_CAP_WRITEBACK_CACHE))
		conn->want |= FUSE_CAP_WRITEBACK_CACHE;
	else
		conn->want &= ~FUSE_CAP_WRITEBACK_CACHE;
}

static void vx_destroy(void *userdata)
{
	(void)userdata;
	LOCK();
	while (V.norphans)
		forget_one(V.orphans[V.norphans - 1]);
	if (!V.ro) {
		int64_t s;
		uint32_t ns;

		now_ts(&s, &ns);
		V.s.write_time = s;
		V.s.state |= VEXFS_STATE_CLEAN;
		write_super();
		vexfs_image_sync(&V.img);
	}
	UNLOCK();
}

static const struct fuse_lowlevel_ops ops = {
	.init = vx_init,
	.destroy = vx_destroy,
	.lookup = vx_lookup,
	.forget = vx_forget,
	.forget_multi = vx_forget_multi,
	.getattr = vx_getattr,
	.setattr = vx_setattr,
	.readlink = vx_readlink,
	.mknod = vx_mknod,
	.mkdir = vx_mkdir,
	.unlink = vx_unlink,
	.rmdir = vx_rmdir,
	.symlink = vx_symlink,
	.rename = vx_rename,
	.link = vx_link,
	.open = vx_open,
	.read = vx_read,
	.write = vx_write,
	.fsync = vx_fsync,
	.opendir = vx_opendir,
	.readdir = vx_readdir,
	.readdirplus = vx_readdirplus,
	.fsyncdir = vx_fsyncdir,
	.flush = vx_flush,
	.release = vx_release,
	.releasedir = vx_releasedir,
	.statfs = vx_statfs,
	.create = vx_create,
	.ioctl = vx_ioctl,
};

/*
 * Lock the image: exclusive, or shared for -o ro.  The umount of a FUSE
 * mount does not wait for its daemon, which then still writes the clean
 * state and exits; a mount right after it (xfstests' cycle mounts) waits
 * for that, up to LOCK_WAIT_MS, before it calls the image in use.
 */
#define LOCK_WAIT_MS	10000

static int lock_image(bool ro)
{
	for (int waited = 0;; waited += 50) {
		if (!flock(V.img.fd, (ro ? LOCK_SH : LOCK_EX) | LOCK_NB))
			return 0;
		if (errno != EWOULDBLOCK && errno != EINTR)
			return -1;
		if (waited >= LOCK_WAIT_MS)
			return -1;
		usleep(50 * 1000);
	}
}

static int load(const char *dev, bool ro, const char **why)
{
	uint8_t raw[VEXFS_SUPER_SIZE];
	struct vexfs_dinode root;
	bool not_vexfs;
	size_t len;
	int err;

	err = vexfs_image_open(&V.img, dev, !ro, true);
	if (err) {
		*why = strerror(-err);
		return err;
	}
	if (lock_image(ro) < 0) {
		*why = "in use by another vexfs-fuse";
		return -EBUSY;
	}
	err = vexfs_read_bytes(&V.img, 0, sizeof(raw), raw);
	if (err) {
		*why = "cannot read the superblock";
		return err;
	}
	if (vexfs_super_decode(raw, V.img.dev_bytes, &V.s, why, &not_vexfs))
		return -EINVAL;
	V.g = &V.s.g;
	V.bs = V.img.block_size = V.g->block_size;
	V.ptrs = V.bs / 4;
	V.per_block = V.bs / VEXFS_DIRENT_SIZE;
	if (V.s.feature_ro_compat & ~VEXFS_FEATURE_RO_COMPAT_SUPP)
		ro = true;	/* mounted read-only, as the kernel does */
	/*
	 * vexfs-fuse does not journal its own writes: a journaled filesystem
	 * is mounted read-only or not at all, never written without the
	 * guarantees its journal promises; one needing recovery not even
	 * read (fsck.vexfs -p replays it).
	 */
	if (vexfs_journal_needs_recovery(&V.img, &V.s)) {
		*why = "needs journal recovery: run fsck.vexfs -p";
		return -EUCLEAN;
	}
	if (vexfs_has_journal(&V.s) && !ro) {
		*why = "has a journal and vexfs-fuse does not journal its writes: mount it with -o ro";
		return -EROFS;
	}
	/*
	 * The inodes of an orphan list wait for a mount or fsck to delete or
	 * truncate them: unreachable, or readable as they are, but not to be
	 * changed (deleting one would leave the list naming a free inode).
	 */
	if (V.s.last_orphan && !ro) {
		*why = "has a non-empty orphan list: run fsck.vexfs -p, or mount it with -o ro";
		return -EUCLEAN;
	}
	V.ro = ro;
	len = (size_t)V.g->ibitmap_blocks * V.bs;
	V.ibm = malloc(len);
	V.bbm = malloc((size_t)V.g->bbitmap_blocks * V.bs);
	if (!V.ibm || !V.bbm) {
		*why = strerror(ENOMEM);
		return -ENOMEM;
	}
	err = vexfs_read_blocks(&V.img, V.g->ibitmap_start, V.g->ibitmap_blocks, V.ibm);
	if (!err)
		err = vexfs_read_blocks(&V.img, V.g->bbitmap_start,
					V.g->bbitmap_blocks, V.bbm);
	if (err) {
		*why = "cannot read the bitmaps";
		return err;
	}
	for (uint64_t i = 1; i <= V.g->inodes_count; i++)
		V.free_inodes += !vexfs_test_bit(V.ibm, i);
	for (uint64_t b = V.g->data_start; b < V.g->blocks_count; b++)
		V.free_blocks += !vexfs_test_bit(V.bbm, b);
	for (uint64_t b = 0; b < V.g->data_start; b++)
		if (!vexfs_test_bit(V.bbm, b)) {
			*why = "block bitmap marks metadata free (run fsck.vexfs)";
			return -EUCLEAN;
		}
	err = getdir(VEXFS_ROOT_INO, &root);
	if (err) {
		*why = "root inode is damaged or not a directory (run fsck.vexfs)";
		return err;
	}
	if (getrandom(&V.gen, sizeof(V.gen), 0) != sizeof(V.gen))
		V.gen = (uint32_t)time(NULL);
	if (!ro) {
		int64_t s;
		uint32_t ns;

		now_ts(&s, &ns);
		V.s.mount_time = s;
		V.s.write_time = s;
		V.s.mount_count++;
		V.s.state &= ~VEXFS_STATE_CLEAN;
		err = write_super();
		if (!err)
			err = vexfs_image_sync(&V.img);
		if (err) {
			*why = "cannot write the superblock";
			return err;
		}
	}
	return 0;
}

struct cli {
	const char *device;
	int writeback, ro, nosubtype, help, version, remount;
	double entry_timeout, attr_timeout, negative_timeout;
	unsigned int cache_mib;
};

#define CLI_OPT(t, p) { t, offsetof(struct cli, p), 1 }
#define CLI_VAL(t, p) { t, offsetof(struct cli, p), 0 }
static const struct fuse_opt cli_opts[] = {
	CLI_OPT("writeback", writeback),
	CLI_OPT("writeback_cache", writeback),
	CLI_OPT("nosubtype", nosubtype),
	CLI_OPT("remount", remount),
	CLI_VAL("entry_timeout=%lf", entry_timeout),
	CLI_VAL("attr_timeout=%lf", attr_timeout),
	CLI_VAL("negative_timeout=%lf", negative_timeout),
	CLI_VAL("cache_size=%u", cache_mib),
	FUSE_OPT_KEY("ro", 1),
	FUSE_OPT_END
};

static int cli_proc(void *data, const char *arg, int key, struct fuse_args *out)
{
	struct cli *c = data;

	(void)out;
	if (key == 1) {
		c->ro = 1;
		return 1;	/* keep: the kernel mounts it read-only too */
	}
	if (key == FUSE_OPT_KEY_NONOPT && !c->device) {
		c->device = strdup(arg);
		return 0;
	}
	return 1;
}

/*
 * "-o remount[,ro|rw]" (mount(8) runs the helper for a remount too): the
 * mount at @dir switches between read-only and read-write in the kernel;
 * the daemon serving it goes on (a second one would find the image
 * locked).  The mount point's other flags are kept.
 */
static int remount(const char *dir, bool ro)
{
	static const struct { unsigned long st, ms; } keep[] = {
		{ ST_NOSUID, MS_NOSUID }, { ST_NODEV, MS_NODEV },
		{ ST_NOEXEC, MS_NOEXEC }, { ST_NOATIME, MS_NOATIME },
		{ ST_NODIRATIME, MS_NODIRATIME }, { ST_RELATIME, MS_RELATIME },
		{ ST_SYNCHRONOUS, MS_SYNCHRONOUS },
	};
	unsigned long flags = MS_REMOUNT | (ro ? MS_RDONLY : 0);
	struct statvfs st;

	if (statvfs(dir, &st) < 0) {
		fprintf(stderr, "vexfs-fuse: remount %s: %s\n", dir, strerror(errno));
		return 1;
	}
	for (size_t i = 0; i < sizeof(keep) / sizeof(keep[0]); i++)
		if (st.f_flag & keep[i].st)
			flags |= keep[i].ms;
	if (mount(NULL, dir, NULL, flags, NULL) < 0) {
		fprintf(stderr, "vexfs-fuse: remount %s: %s\n", dir, strerror(errno));
		return 1;
	}
	return 0;
}

static void usage(const char *prog)
{
	printf("usage: %s [options] DEVICE MOUNTPOINT\n\n"
	       "Mount the VexFS filesystem on DEVICE (block device or image file)\n"
	       "at MOUNTPOINT with FUSE.\n\n"
	       "    -o ro                  read-only\n"
	       "    -o writeback           let the kernel cache writes (writeback cache)\n"
	       "    -o entry_timeout=S     how long the kernel may keep a name (default\n"
	       "                           86400 s: this daemon is the only writer)\n"
	       "    -o attr_timeout=S      ... a file's attributes (default 86400 s)\n"
	       "    -o negative_timeout=S  ... that a name does not exist (86400 s)\n"
	       "    -o cache_size=MIB      blocks of metadata kept in memory (default 64;\n"
	       "                           0: none; written through, never dirty)\n"
	       "    -o remount[,ro|rw]     switch the mount at MOUNTPOINT to read-only or\n"
	       "                           read-write (its daemon goes on serving it)\n"
	       "    -o nosubtype           mount as type \"fuse\", not \"fuse.vexfs\" (what\n"
	       "                           xfstests' FSTYP=fuse expects)\n"
	       "    -o allow_other         let other users in (needs user_allow_other)\n"
	       "    -s                     single-threaded (default: multithreaded)\n"
	       "    -f                     stay in the foreground\n"
	       "    -d                     debug output (implies -f)\n"
	       "    -h, --help             this text\n"
	       "    -V, --version          version\n", prog);
}

int main(int argc, char **argv)
{
	struct fuse_args args = FUSE_ARGS_INIT(argc, argv);
	struct fuse_cmdline_opts opts;
	struct fuse_loop_config *cfg;
	struct fuse_session *se;
	struct cli cli = {
		.entry_timeout = DEFAULT_TIMEOUT,
		.attr_timeout = DEFAULT_TIMEOUT,
		.negative_timeout = DEFAULT_TIMEOUT,
		.cache_mib = DEFAULT_CACHE_MIB,
	};
	const char *why = "";
	int err, ret = 1;

	if (fuse_opt_parse(&args, &cli, cli_opts, cli_proc) < 0)
		return 2;
	if (cli.device) {
		/*
		 * Before fuse_parse_cmdline(): an fsname keeps libfuse from
		 * adding a subtype of its own (the program's name), so that
		 * -o nosubtype mounts as plain "fuse".
		 */
		char fsname[PATH_MAX + 16];

		snprintf(fsname, sizeof(fsname), "-ofsname=%s", cli.device);
		fuse_opt_add_arg(&args, fsname);
	}
	if (fuse_parse_cmdline(&args, &opts) != 0)
		return 2;
	if (opts.show_help) {
		usage(argv[0]);
		return 0;
	}
	if (opts.show_version) {
		printf("vexfs-fuse %s (libfuse %s)\n", DSMIL_VERSION, fuse_pkgversion());
		return 0;
	}
	if (!cli.device || !opts.mountpoint) {
		fprintf(stderr, "vexfs-fuse: usage: vexfs-fuse [options] DEVICE MOUNTPOINT\n");
		return 2;
	}
	if (!(cli.entry_timeout >= 0 && cli.attr_timeout >= 0 &&
	      cli.negative_timeout >= 0)) {
		fprintf(stderr, "vexfs-fuse: entry_timeout, attr_timeout and "
			"negative_timeout are seconds, 0 or more\n");
		return 2;
	}
	if (cli.cache_mib > 65536) {
		fprintf(stderr, "vexfs-fuse: cache_size is MiB, at most 65536: %u\n", cli.cache_mib);
		return 2;
	}
	V.entry_timeout = cli.entry_timeout;
	V.attr_timeout = cli.attr_timeout;
	V.negative_timeout = cli.negative_timeout;
	if (cli.remount) {
		ret = remount(opts.mountpoint, cli.ro);
		free(opts.mountpoint);
		fuse_opt_free_args(&args);
		return ret;
	}
	/* the kernel checks permissions: the daemon runs with the mounter's */
	fuse_opt_add_arg(&args, "-odefault_permissions");
	if (!cli.nosubtype)
		fuse_opt_add_arg(&args, "-osubtype=vexfs");
	pthread_mutex_init(&V.lock, NULL);
	V.writeback = cli.writeback;
	err = load(cli.device, cli.ro, &why);
	if (!err && cli.cache_mib) {
		why = "no memory for the block cache (try a smaller -o cache_size)";
		err = vexfs_image_cache(&V.img, ((size_t)cli.cache_mib << 20) / V.bs);
	}
	if (err) {
		fprintf(stderr, "vexfs-fuse: %s: %s\n", cli.device, why);
		return 1;
	}
	se = fuse_session_new(&args, &ops, sizeof(ops), NULL);
	if (!se)
		goto out;
	session = se;
	if (fuse_set_signal_handlers(se) != 0)
		goto out_destroy;
	if (fuse_session_mount(se, opts.mountpoint) != 0)
		goto out_signals;
	fuse_daemonize(opts.foreground);
	if (opts.singlethread) {
		ret = fuse_session_loop(se);
	} else {
		cfg = fuse_loop_cfg_create();
		fuse_loop_cfg_set_clone_fd(cfg, opts.clone_fd);
		fuse_loop_cfg_set_max_threads(cfg, opts.max_threads);
		ret = fuse_session_loop_mt(se, cfg);
		fuse_loop_cfg_destroy(cfg);
	}
	fuse_session_unmount(se);
out_signals:
	fuse_remove_signal_handlers(se);
out_destroy:
	fuse_session_destroy(se);
out:
	free(opts.mountpoint);
	fuse_opt_free_args(&args);
	vexfs_image_close(&V.img);
	return ret ? 1 : 0;
}
