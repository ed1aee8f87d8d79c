// SPDX-License-Identifier: GPL-2.0
/*
 * Structured image fuzzer (issue 18).  Where 05-corrupt-random flips
 * random bytes, which the checksums mostly catch, this case damages
 * *fields* of the on-disk structures and recomputes their checksums, so
 * the damage gets past mount validation into the paths that trust what
 * they read: lookup, readdir, the block map, the vector code, the orphan
 * list, the bitmaps and the journal replay.
 *
 * Seeds, made here with mkfs.vexfs and the module itself (fixed UUID and
 * time): 1, 2 and 4 KiB blocks without a journal (512 KiB), a journaled
 * 1 KiB image unmounted cleanly and one copied (O_DIRECT, the device's
 * content) while mounted after an fsync: committed transactions with
 * descriptor, commit and revoke blocks the mount must replay, and an
 * open unlinked file on the orphan list (1.5 MiB).  Each is populated:
 * directories several levels deep, small files, files mapped through
 * single and double indirect blocks, a sparse one, symlinks, a hard
 * link, a FIFO, a device node, float32 and int8 vectors (one over two
 * blocks).  The seeds are scanned into lists of objects (inodes,
 * directory entries, indirect blocks, vector records, journal blocks) and
 * each image changes 1 to 3 fields of one mutation class (the table
 * below) to values chosen to hurt: 0, 1, the maximum and one below,
 * one past the valid limit, another object's number (a block of another
 * file or of the metadata, the file's own indirect block, its parent's
 * block, an ancestor directory), or random; then the checksums are
 * recomputed (the superblock's, the inode's, the vector record's, the
 * journal's), but now and then left stale.
 *
 * The classes: super (any superblock field), inode-mode, inode-nlink,
 * inode-size, inode-iblocks, inode-ptr (direct and indirect pointers;
 * those to indirect blocks only out of the data region), inode-vec
 * (i_vec_block/dim/type, a vector shared with another inode), inode-misc
 * (flags, times, nsec, generation, rdev, next_orphan, reserved),
 * dirent-ino (another, free, out of range, own inode; d_type),
 * dirent-name (name_len 0/250/251/255, '/' or NUL in the name, a
 * duplicate name, bytes past the name), dirent-dots ("." and ".."
 * naming the wrong inode or renamed), dir-loop (an entry naming the
 * directory or an ancestor), indirect (slots of indirect blocks),
 * ind-shared (pointers to indirect blocks aimed at data-region blocks:
 * the block itself, another indirect block, a data block, the parent's
 * directory block, every slot of a double indirect block the same: trees
 * that share blocks or loop), vector (the record's header fields and
 * elements, a consistent new dimension up to VEXFS_VEC_MAX_DIM), bitmap
 * (used objects marked free and free ones used, bit 0, bits past the
 * end, whole bytes and blocks), orphan (s_last_orphan and i_next_orphan
 * chains through free, linked, directory inodes, loops), journal-sb (the
 * jbd2 superblock's fields), journal-blk (descriptor tags, revoke counts
 * and records, commit fields, block headers) and journal-data (a logged
 * copy of an inode table block or of the superblock: what the replay
 * writes home).  The journal classes apply to the journaled seeds.
 *
 * Each image is mounted (errors=continue, one in six read-only, one in
 * eight errors=remount-ro) and gets a bounded workload in this process
 * (no exec per image: under TCG an exec costs more than an image):
 * a readdir walk with a budget, lstat, reading every file (its first
 * block, the middle and the end), readlink, VEXFS_IOC_VEC_GET, a
 * VEXFS_IOC_SEARCH on the root, on a read-write mount a new file with a
 * vector, a mkdir and a rename, then unlink and rmdir everything, and the
 * unmount.  A mount succeeds or is refused with an error; the harness
 * fails the case on any kernel splat (BUG, WARNING, KASAN, lockdep, a
 * soft lockup), and this case reads the kernel log after every image to
 * name the image that caused one and save it; a refused or read-only
 * mount of an image without a journal must not write to the device.  No
 * image may take longer than vexfs_fuzz_limit seconds (10): the slowest
 * is reported, one over the limit fails the case, and one that takes six
 * times as long is taken for a hang (saved, and the case ends).  The
 * per-class statistics are printed at the end: a class that never
 * mounts, or whose damage is never noticed (refused, EUCLEAN or EIO from
 * the workload, or a vexfs error or a VFS loop in the kernel log), fails
 * the case: it would not test what it claims to.
 *
 * For speed the images are written in place through a loop device that
 * stays attached: only the blocks that differ from what the image file
 * holds, then flushed (file data is read from the file, not through the
 * buffer cache); after the unmount the buffer cache is dropped
 * (BLKFLSBUF: it may hold blocks the disk no longer has) and what the
 * mount wrote is read back from the image file.  The mount point is
 * reused; the console log level is lowered for the run (each error line
 * on the serial console costs milliseconds under TCG; the log keeps
 * them).  Images come in runs of 8 of one seed, shared among 2 worker
 * processes (each its own loop device and mount point: twice the images
 * on an idle 2-CPU guest, the same on a busy host).  Image N's damage
 * depends only on the seed and N.  A run stops early, with its
 * statistics, at 80 % of DSMIL_CASE_TIMEOUT.  About 8 images/s on the
 * debug kernel and 25 to 40 on 6.12 under TCG.
 *
 * Kernel command line (DSMIL_VM_APPEND):
 *   vexfs_fuzz_images=N   images (default 10000; 0 skips the case)
 *   vexfs_fuzz_seed=N     seed (default 1318)
 *   vexfs_fuzz_first=N    number of the first image (reproduce image N
 *                         with vexfs_fuzz_first=N vexfs_fuzz_images=1
 *                         vexfs_fuzz_workers=1)
 *   vexfs_fuzz_limit=S    seconds an image may take (default 10)
 *   vexfs_fuzz_workers=N  worker processes (default 2)
 *   vexfs_fuzz_skip=A,B   mutation classes not to run (names as printed):
 *                         ind-shared hangs free_tree() until the fix of
 *                         the shared and looping indirect blocks lands
 *   vexfs_fuzz_only=A,B   only these classes
 */
#include "vx-case.h"

#include <dirent.h>
#include <pthread.h>
#include <sys/mman.h>
#include <sys/sysmacros.h>
#include <linux/fs.h>
#include <time.h>

#include "../../../../modules/include/uapi/linux/vexfs.h"

#define __printf(a, b)	__attribute__((format(printf, a, b)))
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define DEV_LEN		(1536u << 10)	/* the loop device: the largest seed */
#define MAX_OBJ		512
#define RUN_LEN		8		/* images of one seed in a row */

/* jbd2, big-endian (tools/vexfs/journal.h) */
#define JBD2_MAGIC	0xc03b3998u
#define JBD2_DESC	1
#define JBD2_COMMIT	2
#define JBD2_REVOKE	5
#define JBD2_DATA	100		/* a logged block (not a jbd2 type) */
#define JTAG_SAME_UUID	2
#define JTAG_LAST	8

/* ---- the seeds ------------------------------------------------------- */

struct fz_ino {
	uint32_t ino, parent;	/* parent: a directory's ".." */
	uint16_t mode;
};

struct fz_dent {
	uint32_t dir, blk, slot, ino;
};

struct fz_ind {
	uint32_t ino, blk, level;	/* 1: single, 2: double, 3: under a double */
};

struct fz_jblk {
	uint32_t blk, type, seq, home;	/* home: of a logged block */
	uint32_t tag_blk, tag_off;	/* its tag (descriptor block, offset) */
};

struct fz_seed {
	const char *name;
	uint8_t *img;			/* DEV_LEN bytes, zero past the fs */
	uint32_t bs, blocks, inodes, ibitmap, bbitmap, itable, itable_blocks;
	uint32_t data_start, jstart, jblocks, jseed;
	int journal, recover;
	struct fz_ino ino[MAX_OBJ];
	int nino;
	uint32_t free_ino[MAX_OBJ];
	int nfree;
	struct fz_dent de[MAX_OBJ];
	int nde;
	struct fz_ind ind[MAX_OBJ];
	int nind;
	uint32_t data[2048], data_owner[2048];	/* data and directory blocks */
	int ndata;
	uint32_t vec[64];		/* inodes with a vector */
	int nvec;
	struct fz_jblk jb[MAX_OBJ];	/* the live log */
	int njb;
};

enum { SEED_1K, SEED_2K, SEED_4K, SEED_JCLEAN, SEED_JDIRTY, NSEEDS };
static struct fz_seed seeds[NSEEDS];

/* ---- mutation classes ----------------------------------------------- */

enum {
	C_SUPER, C_IMODE, C_INLINK, C_ISIZE, C_IBLOCKS, C_IPTR, C_IVEC, C_IMISC,
	C_DINO, C_DNAME, C_DDOTS, C_DLOOP, C_IND, C_INDSHARED, C_VEC, C_BITMAP,
	C_ORPHAN, C_JSB, C_JBLK, C_JDATA, NCLASSES
};

static const char *const class_name[NCLASSES] = {
	"super", "inode-mode", "inode-nlink", "inode-size", "inode-iblocks",
	"inode-ptr", "inode-vec", "inode-misc", "dirent-ino", "dirent-name",
	"dirent-dots", "dir-loop", "indirect", "ind-shared", "vector", "bitmap",
	"orphan",
	"journal-sb", "journal-blk", "journal-data",
};

/* refusal errnos counted apart; the rest is "other" */
static const int errnos[] = { EINVAL, EUCLEAN, EROFS, EIO, ENOMEM };
#define NERR	(ARRAY_SIZE(errnos) + 1)

struct fz_stat {
	int images, mounted, refused, noticed, err[NERR];
	double max_s;
	int max_image;
};

static struct fz_stat stats[NCLASSES];
static int enabled[NCLASSES];

/* the image being tried, its damage and timing (the watchdog reads them) */
static uint8_t *img;
static char desc[2048];
static size_t desc_len;
static int cur_image = -1;	/* under img_lock */
static struct timespec img_t0;
static double limit_s;
static pthread_mutex_t img_lock = PTHREAD_MUTEX_INITIALIZER;

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void __printf(1, 2) note(const char *fmt, ...)
{
	va_list ap;

	if (desc_len && desc_len < sizeof(desc) - 2) {
		desc[desc_len++] = ';';
		desc[desc_len++] = ' ';
	}
	va_start(ap, fmt);
	if (desc_len < sizeof(desc))
		desc_len += vsnprintf(desc + desc_len, sizeof(desc) - desc_len, fmt, ap);
	va_end(ap);
	if (desc_len >= sizeof(desc))
		desc_len = sizeof(desc) - 1;
}

/* ---- little- and big-endian fields, checksums -------------------------- */

static uint32_t get_le(const uint8_t *p, int n)
{
	uint32_t v = 0;

	for (int i = n - 1; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static void put_le(uint8_t *p, int n, uint64_t v)
{
	for (int i = 0; i < n; i++, v >>= 8)
		p[i] = (uint8_t)v;
}

static uint32_t get_be(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void put_be(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static uint8_t *blk(const struct fz_seed *s, uint8_t *im, uint64_t b)
{
	if (b * s->bs + s->bs > DEV_LEN)
		return NULL;
	return im + b * s->bs;
}

static void super_fix(uint8_t *im)
{
	put_le(im + 508, 4, ~crc32c(~0u, im, 508));
}

static struct vexfs_inode *inode_at(const struct fz_seed *s, uint8_t *im, uint32_t ino)
{
	return (struct vexfs_inode *)(im + (uint64_t)s->itable * s->bs +
				      (uint64_t)(ino - 1) * VEXFS_INODE_SIZE);
}

static void inode_fix(const struct fz_seed *s, uint8_t *im, uint32_t ino)
{
	struct vexfs_inode *in = inode_at(s, im, ino);
	uint32_t crc = crc32c(~0u, in, offsetof(struct vexfs_inode, i_checksum));

	crc = crc32c(crc, &ino, sizeof(ino));	/* little-endian guest */
	in->i_checksum = ~crc;
}

/* The vector record of @ino, as the inode now describes it. */
static void vector_fix(const struct fz_seed *s, uint8_t *im, uint32_t ino)
{
	struct vexfs_inode *in = inode_at(s, im, ino);
	uint64_t off = (uint64_t)in->i_vec_block * s->bs;
	uint32_t len = in->i_vec_dim * vexfs_vec_elem_size(in->i_vec_type);
	uint32_t crc;

	if (!in->i_vec_block || off + 32 + len > DEV_LEN)
		return;
	crc = crc32c(~0u, im + off, offsetof(struct vexfs_vector_head, v_checksum));
	put_le(im + off + 28, 4, ~crc32c(crc, im + off + 32, len));
}

/* jbd2: raw CRC-32C updates; the seed is crc32c(~0, uuid) */
static void jsb_fix(const struct fz_seed *s, uint8_t *im)
{
	uint8_t *j = blk(s, im, s->jstart);

	put_be(j + 0xfc, 0);
	put_be(j + 0xfc, crc32c(~0u, j, 1024));
}

static void jtail_fix(const struct fz_seed *s, uint8_t *b)
{
	put_be(b + s->bs - 4, 0);
	put_be(b + s->bs - 4, crc32c(s->jseed, b, s->bs));
}

static void jcommit_fix(const struct fz_seed *s, uint8_t *b)
{
	put_be(b + 0x10, 0);
	put_be(b + 0x10, crc32c(s->jseed, b, s->bs));
}

static void jtag_fix(const struct fz_seed *s, uint8_t *im, const struct fz_jblk *d)
{
	uint8_t be[4];
	uint32_t crc;

	put_be(be, d->seq);
	crc = crc32c(crc32c(s->jseed, be, 4), blk(s, im, d->blk), s->bs);
	put_be(blk(s, im, d->tag_blk) + d->tag_off + 12, crc);
	jtail_fix(s, blk(s, im, d->tag_blk));
}

/* ---- picking values ---------------------------------------------------------- */

static uint32_t rnd(uint32_t n)
{
	return n ? vx_rnd() % n : 0;
}

/* An interesting value for a field of @bytes bytes that holds @orig. */
static uint64_t pick_num(uint64_t orig, int bytes)
{
	uint64_t max = bytes >= 8 ? ~0ull : (1ull << (8 * bytes)) - 1;
	static const uint64_t v[] = { 0, 1, 2, 0x7f, 0x80, 0xff, 0x100, 0x7fff,
		0x8000, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xffffffff,
		0x100000000ull, 0x7fffffffffffffffull, 0x8000000000000000ull };

	switch (rnd(6)) {
	case 0: return orig + 1;
	case 1: return orig - 1;
	case 2: return max;
	case 3: return max - 1;
	case 4: return (orig ^ (1ull << rnd(8 * bytes))) & max;
	}
	if (rnd(4) == 0)
		return ((uint64_t)vx_rnd() << 32 | vx_rnd()) & max;
	return v[rnd(ARRAY_SIZE(v))] & max;
}

static const struct fz_ind *find_ind(const struct fz_seed *s, uint32_t ino)
{
	int first = -1, n = 0;

	for (int i = 0; i < s->nind; i++)
		if (s->ind[i].ino == ino && (first < 0 || !rnd(++n + 1)))
			first = i;
	return first < 0 ? NULL : &s->ind[first];
}

static const struct fz_ino *find_ino(const struct fz_seed *s, uint32_t ino)
{
	for (int i = 0; i < s->nino; i++)
		if (s->ino[i].ino == ino)
			return &s->ino[i];
	return NULL;
}

/*
 * An interesting block number for a pointer of inode @ino (0: none) in
 * the block @here (0: in the inode).
 */
static uint32_t pick_blk(const struct fz_seed *s, uint32_t ino, uint32_t here)
{
	const struct fz_ind *ind;
	const struct fz_ino *fi;

	switch (rnd(20)) {
	case 0: return 0;
	case 1: return 1;				/* inode bitmap */
	case 2: return s->bbitmap;
	case 3: return s->itable + rnd(s->itable_blocks);
	case 4: return s->data_start - 1;		/* off by one below data */
	case 5: return s->blocks - 1;
	case 6: return s->blocks;			/* off by one past the end */
	case 7: return s->blocks + 1 + rnd(1000);
	case 8: return 0xffffffffu - rnd(2);
	case 9:						/* the journal */
		return s->jstart ? s->jstart + rnd(s->jblocks) : s->data_start;
	case 10:					/* the block it is in */
		if (here)
			return here;
		/* fallthrough */
	case 11:					/* the inode's own indirect */
		ind = find_ind(s, ino);
		if (ind)
			return ind->blk;
		/* fallthrough */
	case 12:					/* its parent's block */
		fi = find_ino(s, ino);
		if (fi && fi->parent) {
			for (int i = 0; i < s->nde; i++)
				if (s->de[i].dir == fi->parent)
					return s->de[i].blk;
		}
		return s->data[0];
	case 13:					/* another's indirect */
		if (s->nind)
			return s->ind[rnd(s->nind)].blk;
		/* fallthrough */
	case 14:
		if (s->nvec)
			return inode_at(s, s->img, s->vec[rnd(s->nvec)])->i_vec_block;
		/* fallthrough */
	case 15: case 16:				/* another's data: shared */
		return s->ndata ? s->data[rnd(s->ndata)] : 0;
	case 17:
		return s->data_start + rnd(s->blocks - s->data_start);
	case 18:
		return 0;
	}
	return vx_rnd();
}

/*
 * For a pointer to an indirect block outside class ind-shared: no block of
 * the data region, whose content (data, another indirect block, itself)
 * would be taken for block numbers.  Out of range or metadata: what the
 * block map must refuse.
 */
static uint32_t pick_blk_tame(const struct fz_seed *s)
{
	switch (rnd(7)) {
	case 0: return 0;
	case 1: return 1;
	case 2: return s->itable + rnd(s->itable_blocks);
	case 3: return s->data_start - 1;
	case 4: return s->blocks;
	case 5: return 0xffffffffu;
	}
	return s->blocks + vx_rnd() % (0xffffffffu - s->blocks);
}

/* An interesting inode number (@self: the inode the field is in). */
static uint32_t pick_ino(const struct fz_seed *s, uint32_t self)
{
	switch (rnd(14)) {
	case 0: return 0;
	case 1: return VEXFS_ROOT_INO;
	case 2: return s->inodes;
	case 3: return s->inodes + 1;
	case 4: return s->inodes - 1;
	case 5: return 0xffffffffu - rnd(2);
	case 6: case 7:
		if (s->nfree)
			return s->free_ino[rnd(s->nfree)];
		/* fallthrough */
	case 8: case 9: case 10:
		return s->ino[rnd(s->nino)].ino;
	case 11:
		if (self)
			return self;
		/* fallthrough */
	case 12:
		return 2;			/* lost+found */
	}
	return vx_rnd();
}

static const struct fz_ino *any_ino(const struct fz_seed *s, uint16_t type)
{
	for (int tries = 0; tries < 64; tries++) {
		const struct fz_ino *fi = &s->ino[rnd(s->nino)];

		if (!type || (fi->mode & S_IFMT) == type)
			return fi;
	}
	return &s->ino[0];
}

/* A file that maps blocks: regular, symlink or directory, not 0-sized. */
static const struct fz_ino *mapping_ino(const struct fz_seed *s, const uint8_t *im)
{
	for (int tries = 0; tries < 64; tries++) {
		const struct fz_ino *fi = &s->ino[rnd(s->nino)];
		struct vexfs_inode *in = inode_at(s, (uint8_t *)im, fi->ino);

		if ((S_ISREG(fi->mode) || S_ISDIR(fi->mode) || S_ISLNK(fi->mode)) &&
		    in->i_block[0])
			return fi;
	}
	return &s->ino[0];
}

/* ---- mutations ------------------------------------------------------------- */

struct field {
	const char *name;
	int off, bytes;
};

static const struct field super_fields[] = {
	{ "magic", 0, 4 }, { "version", 4, 4 }, { "compat", 8, 4 },
	{ "ro_compat", 12, 4 }, { "incompat", 16, 4 }, { "block_size", 20, 4 },
	{ "blocks_count", 24, 8 }, { "inodes_count", 32, 4 },
	{ "inode_size", 36, 4 }, { "ibitmap_start", 40, 8 },
	{ "bbitmap_start", 48, 8 }, { "itable_start", 56, 8 },
	{ "data_start", 64, 8 }, { "ibitmap_blocks", 72, 4 },
	{ "bbitmap_blocks", 76, 4 }, { "itable_blocks", 80, 4 },
	{ "root_ino", 84, 4 }, { "state", 88, 4 }, { "errors", 92, 2 },
	{ "reserved0", 94, 2 }, { "mkfs_time", 96, 8 }, { "mount_time", 104, 8 },
	{ "write_time", 112, 8 }, { "mount_count", 120, 4 },
	{ "uuid", 128, 4 }, { "label", 144, 8 }, { "label_end", 200, 8 },
	{ "journal_start", 208, 4 }, { "journal_blocks", 212, 4 },
	{ "lpf_ino", 216, 4 }, { "last_orphan", 220, 4 }, { "reserved", 300, 4 },
};

static void mut_super(const struct fz_seed *s)
{
	const struct field *f = &super_fields[rnd(ARRAY_SIZE(super_fields))];
	uint64_t v, orig = f->bytes == 8 ? get_le(img + f->off, 4) |
		(uint64_t)get_le(img + f->off + 4, 4) << 32 : get_le(img + f->off, f->bytes);

	if (!strcmp(f->name, "last_orphan") || !strcmp(f->name, "lpf_ino") ||
	    !strcmp(f->name, "root_ino"))
		v = pick_ino(s, 0);
	else if (!strcmp(f->name, "journal_start") || !strcmp(f->name, "data_start"))
		v = rnd(2) ? pick_blk(s, 0, 0) : pick_num(orig, f->bytes);
	else if (!strcmp(f->name, "blocks_count") && rnd(2))
		v = rnd(2) ? DEV_LEN / s->bs + rnd(3) - 1 : orig * 2;
	else if (!strcmp(f->name, "block_size") && rnd(2))
		v = 512u << rnd(5);
	else if (!strcmp(f->name, "label_end"))
		v = 0x4141414141414141ull;	/* with "label": no NUL */
	else
		v = pick_num(orig, f->bytes);
	put_le(img + f->off, f->bytes, v);
	note("super %s = %#llx (was %#llx)", f->name, (unsigned long long)v,
	     (unsigned long long)orig);
	if (!strcmp(f->name, "label_end"))
		memset(img + 144, 'A', 64);
}

static void mut_inode(const struct fz_seed *s, int cls)
{
	const struct fz_ino *fi = cls == C_IPTR ? mapping_ino(s, img) :
		cls == C_IVEC && s->nvec && rnd(4) ? find_ino(s, s->vec[rnd(s->nvec)]) :
		any_ino(s, 0);
	struct vexfs_inode *in;
	uint32_t ino, k;
	uint64_t v;

	if (!fi)
		fi = &s->ino[0];
	ino = fi->ino;
	in = inode_at(s, img, ino);
	switch (cls) {
	case C_IMODE: {
		static const uint16_t types[] = { 0, S_IFREG, S_IFDIR, S_IFLNK,
			S_IFIFO, S_IFCHR, S_IFBLK, S_IFSOCK, 0170000, 0030000 };

		v = rnd(4) ? (in->i_mode & 07777) | types[rnd(10)] : pick_num(in->i_mode, 2);
		note("inode %u mode = %#llo (was %#o)", ino, (unsigned long long)v, in->i_mode);
		in->i_mode = (uint16_t)v;
		break;
	}
	case C_INLINK:
		v = rnd(3) ? rnd(4) : pick_num(in->i_nlink, 4);
		note("inode %u nlink = %llu (was %u)", ino, (unsigned long long)v, in->i_nlink);
		in->i_nlink = (uint32_t)v;
		break;
	case C_ISIZE: {
		uint64_t p = s->bs / 4, sizes[] = { 0, 1, s->bs - 1, s->bs, s->bs + 1,
			VEXFS_NDIR * (uint64_t)s->bs, (VEXFS_NDIR + p) * s->bs,
			(VEXFS_NDIR + p + p * p) * s->bs,
			vexfs_max_file_blocks(s->bs) * s->bs,
			vexfs_max_file_blocks(s->bs) * s->bs + 1,
			0x7fffffffffffffffull, 0x8000000000000000ull, ~0ull };

		v = rnd(3) ? sizes[rnd(13)] : pick_num(in->i_size, 8);
		note("inode %u size = %#llx (was %#llx)", ino, (unsigned long long)v,
		     (unsigned long long)in->i_size);
		in->i_size = v;
		break;
	}
	case C_IBLOCKS:
		v = rnd(2) ? in->i_blocks + rnd(3) - 1 : pick_num(in->i_blocks, 8);
		note("inode %u i_blocks = %llu (was %llu)", ino, (unsigned long long)v,
		     (unsigned long long)in->i_blocks);
		in->i_blocks = v;
		break;
	case C_IPTR:
		/* a used pointer mostly, the indirect ones often */
		k = rnd(3) == 0 ? VEXFS_IND + rnd(4) : rnd(VEXFS_NDIR);
		if (rnd(2) && in->i_block[VEXFS_IND] && k < VEXFS_IND)
			k = VEXFS_IND + rnd(2);
		v = k >= VEXFS_IND ? pick_blk_tame(s) : pick_blk(s, ino, 0);
		note("inode %u i_block[%u] = %llu (was %u)", ino, k, (unsigned long long)v,
		     in->i_block[k]);
		in->i_block[k] = (uint32_t)v;
		break;
	case C_IVEC:
		switch (rnd(4)) {
		case 0:
			v = pick_blk(s, ino, 0);
			note("inode %u vec_block = %llu (was %u)", ino, (unsigned long long)v,
			     in->i_vec_block);
			in->i_vec_block = (uint32_t)v;
			break;
		case 1:
			v = rnd(2) ? pick_num(in->i_vec_dim, 2) : VEXFS_VEC_MAX_DIM + rnd(3) - 1;
			note("inode %u vec_dim = %llu (was %u)", ino, (unsigned long long)v,
			     in->i_vec_dim);
			in->i_vec_dim = (uint16_t)v;
			break;
		case 2:
			v = rnd(4);
			note("inode %u vec_type = %llu (was %u)", ino, (unsigned long long)v,
			     in->i_vec_type);
			in->i_vec_type = (uint8_t)v;
			break;
		default:
			/* a vector on an inode that has none, or a record twice */
			if (s->nvec) {
				struct vexfs_inode *o = inode_at(s, img, s->vec[rnd(s->nvec)]);

				note("inode %u vector = that of another (block %u dim %u)",
				     ino, o->i_vec_block, o->i_vec_dim);
				in->i_vec_block = o->i_vec_block;
				in->i_vec_dim = o->i_vec_dim;
				in->i_vec_type = o->i_vec_type;
			}
		}
		break;
	default: {	/* C_IMISC */
		static const struct field f[] = {
			{ "flags", 2, 2 }, { "uid", 8, 4 }, { "atime", 32, 8 },
			{ "atime_nsec", 56, 4 }, { "mtime_nsec", 60, 4 },
			{ "generation", 68, 4 }, { "reserved0", 143, 1 },
			{ "rdev", 144, 4 }, { "next_orphan", 148, 4 },
			{ "reserved", 152, 4 } };
		const struct field *m = &f[rnd(10)];
		uint8_t *p = (uint8_t *)in + m->off;

		v = m->off == 148 ? pick_ino(s, ino) : pick_num(get_le(p, m->bytes > 4 ?
			4 : m->bytes), m->bytes);
		note("inode %u %s = %#llx", ino, m->name, (unsigned long long)v);
		put_le(p, m->bytes, v);
	}
	}
	if (rnd(16))
		inode_fix(s, img, ino);
	else
		note("inode %u checksum left stale", ino);
}

static struct vexfs_dirent *dent_at(const struct fz_seed *s, const struct fz_dent *d)
{
	return (struct vexfs_dirent *)(blk(s, img, d->blk) + d->slot * VEXFS_DIRENT_SIZE);
}

static void mut_dirent(const struct fz_seed *s, int cls)
{
	const struct fz_dent *d = &s->de[rnd(s->nde)];
	struct vexfs_dirent *e;
	uint32_t v, pos;

	/* entries other than "." and ".." mostly, or those only */
	for (int tries = 0; tries < 32; tries++) {
		if ((cls == C_DDOTS) == (d->slot < 2))
			break;
		d = &s->de[rnd(s->nde)];
	}
	e = dent_at(s, d);
	switch (cls) {
	case C_DINO:
	case C_DDOTS:
		if (cls == C_DDOTS && rnd(3) == 0) {
			static const char *const names[] = { ".", "..", "...", "x", "" };
			const char *n = names[rnd(5)];

			note("dir %u slot %u name = \"%s\"", d->dir, d->slot, n);
			e->d_name_len = (uint8_t)strlen(n);
			memset(e->d_name, 0, sizeof(e->d_name));
			memcpy(e->d_name, n, strlen(n));
			break;
		}
		if (rnd(5) == 0) {
			v = vexfs_mode_to_ft(any_ino(s, 0)->mode) ^ (rnd(2) ? 0 : rnd(16));
			note("dir %u slot %u type = %u (was %u)", d->dir, d->slot, v, e->d_type);
			e->d_type = (uint8_t)v;
			break;
		}
		v = pick_ino(s, d->dir);
		note("dir %u slot %u ino = %u (was %u)", d->dir, d->slot, v, e->d_ino);
		e->d_ino = v;
		break;
	case C_DNAME:
		switch (rnd(5)) {
		case 0: {
			static const uint8_t lens[] = { 0, 1, 249, 250, 251, 255 };

			v = rnd(2) ? lens[rnd(6)] : (uint8_t)(e->d_name_len + rnd(3) - 1);
			note("dir %u slot %u name_len = %u (was %u)", d->dir, d->slot, v,
			     e->d_name_len);
			e->d_name_len = (uint8_t)v;
			break;
		}
		case 1:
		case 2:
			pos = e->d_name_len ? rnd(e->d_name_len) : 0;
			v = rnd(2) ? '/' : 0;
			note("dir %u slot %u name[%u] = %#x", d->dir, d->slot, pos, v);
			e->d_name[pos] = (uint8_t)v;
			break;
		case 3: {
			/* the name of another entry of the directory: a duplicate */
			const struct fz_dent *o = &s->de[rnd(s->nde)];

			for (int tries = 0; tries < 16 && o->dir != d->dir; tries++)
				o = &s->de[rnd(s->nde)];
			note("dir %u slot %u name = that of slot %u", d->dir, d->slot, o->slot);
			memcpy(e->d_name, dent_at(s, o)->d_name, sizeof(e->d_name));
			e->d_name_len = dent_at(s, o)->d_name_len;
			break;
		}
		default:
			/* junk past the name */
			pos = e->d_name_len + rnd(VEXFS_NAME_LEN - e->d_name_len + 1);
			if (pos >= VEXFS_NAME_LEN)
				pos = VEXFS_NAME_LEN - 1;
			note("dir %u slot %u name[%u] = 'x' (past the name)", d->dir, d->slot, pos);
			e->d_name[pos] = 'x';
		}
		break;
	default: {	/* C_DLOOP: an entry naming the directory or an ancestor */
		const struct fz_ino *dir = find_ino(s, d->dir);
		uint32_t target = d->dir;
		int up = rnd(4);

		while (up-- && dir && dir->parent && dir->parent != dir->ino) {
			target = dir->parent;
			dir = find_ino(s, dir->parent);
		}
		if (rnd(3) == 0 || d->slot < 2) {
			/* a free slot or a new one, named "loop" */
			struct fz_dent n = *d;

			n.slot = d->slot < 2 ? 2 + rnd(s->bs / VEXFS_DIRENT_SIZE - 2) : d->slot;
			if (n.slot >= s->bs / VEXFS_DIRENT_SIZE)
				n.slot = s->bs / VEXFS_DIRENT_SIZE - 1;
			e = dent_at(s, &n);
			memset(e, 0, sizeof(*e));
			memcpy(e->d_name, "loop", 4);
			e->d_name_len = 4;
			d = &n;
			note("dir %u slot %u = \"loop\" -> dir %u", n.dir, n.slot, target);
		} else {
			note("dir %u slot %u ino = dir %u (an ancestor or itself, was %u)",
			     d->dir, d->slot, target, e->d_ino);
		}
		e->d_ino = target;
		e->d_type = VEXFS_FT_DIR;
	}
	}
}

static void mut_ind(const struct fz_seed *s)
{
	const struct fz_ind *ind = &s->ind[rnd(s->nind)];
	uint8_t *b = blk(s, img, ind->blk);
	uint32_t n = s->bs / 4, k, v, used = 0;

	/* a used slot mostly: the first ones are */
	while (used < n && get_le(b + used * 4, 4))
		used++;
	k = rnd(4) && used ? rnd(used) : rnd(4) ? used : rnd(n);
	/* the slots of a double indirect block point to indirect blocks */
	v = ind->level == 2 ? pick_blk_tame(s) : pick_blk(s, ind->ino, ind->blk);
	note("inode %u indirect %u (level %u)[%u] = %u (was %u)", ind->ino, ind->blk,
	     ind->level, k, v, get_le(b + k * 4, 4));
	put_le(b + k * 4, 4, v);
}

/*
 * Pointers to indirect blocks aimed at blocks of the data region: the
 * block itself, another indirect block, a data block, the parent's
 * directory block: a tree that shares blocks or loops, and whose walk
 * (truncation, freeing) must stay bounded.
 */
static void mut_ind_shared(const struct fz_seed *s)
{
	const struct fz_ind *ind = s->nind && rnd(2) ? &s->ind[rnd(s->nind)] : NULL;
	uint32_t v, k;

	if (!ind || (ind->level != 2 && rnd(2))) {
		const struct fz_ino *fi = mapping_ino(s, img);
		struct vexfs_inode *in = inode_at(s, img, fi->ino);

		k = VEXFS_IND + rnd(4);
		do
			v = pick_blk(s, fi->ino, 0);
		while (v < s->data_start || v >= s->blocks);
		note("inode %u i_block[%u] = %u (was %u)", fi->ino, k, v, in->i_block[k]);
		in->i_block[k] = v;
		inode_fix(s, img, fi->ino);
		return;
	}
	do
		v = rnd(2) ? ind->blk : pick_blk(s, ind->ino, ind->blk);
	while (v < s->data_start || v >= s->blocks);
	if (rnd(3) == 0) {
		uint8_t *b = blk(s, img, ind->blk);

		note("inode %u indirect %u (level %u): every slot = %u", ind->ino,
		     ind->blk, ind->level, v);
		for (uint32_t i = 0; i < s->bs / 4; i++)
			put_le(b + i * 4, 4, v);
		return;
	}
	/* a double indirect block's slot, or the inode's pointer to it */
	if (ind->level == 2 || ind->level == 3) {
		const struct fz_ind *d = ind;

		for (int i = 0; i < s->nind && d->level != 2; i++)
			if (s->ind[i].ino == ind->ino && s->ind[i].level == 2)
				d = &s->ind[i];
		k = rnd(4);
		note("inode %u double indirect %u[%u] = %u", d->ino, d->blk, k, v);
		put_le(blk(s, img, d->blk) + k * 4, 4, v);
		return;
	}
	{
		struct vexfs_inode *in = inode_at(s, img, ind->ino);

		note("inode %u i_block[%u] = %u (was %u)", ind->ino, VEXFS_DIND, v,
		     in->i_block[VEXFS_DIND]);
		in->i_block[VEXFS_DIND] = v;
		inode_fix(s, img, ind->ino);
	}
}

static void mut_vec(const struct fz_seed *s)
{
	uint32_t ino = s->vec[rnd(s->nvec)];
	struct vexfs_inode *in = inode_at(s, img, ino);
	uint8_t *h = blk(s, img, in->i_vec_block);
	static const struct field f[] = {
		{ "magic", 0, 4 }, { "ino", 4, 4 }, { "dim", 8, 2 }, { "type", 10, 1 },
		{ "reserved0", 11, 1 }, { "data_len", 12, 4 }, { "generation", 16, 4 },
		{ "reserved", 20, 4 }, { "element", 32, 4 } };
	const struct field *m = &f[rnd(9)];
	uint64_t v;

	if (rnd(4) == 0) {
		/* a consistent new dimension: inode, header and length agree */
		uint32_t esz = vexfs_vec_elem_size(in->i_vec_type);

		v = rnd(2) ? VEXFS_VEC_MAX_DIM - rnd(2) : 1 + rnd(2 * in->i_vec_dim);
		note("inode %u vector dim %u -> %llu, everywhere", ino, in->i_vec_dim,
		     (unsigned long long)v);
		in->i_vec_dim = (uint16_t)v;
		put_le(h + 8, 2, v);
		put_le(h + 12, 4, v * esz);
		inode_fix(s, img, ino);
	} else {
		v = m->off == 4 ? pick_ino(s, ino) : m->off == 32 ?
			(rnd(2) ? 0x7fc00000u : 0x7f800000u) /* NaN, inf */ :
			pick_num(get_le(h + m->off, m->bytes), m->bytes);
		note("inode %u vector record (block %u) %s = %#llx", ino, in->i_vec_block,
		     m->name, (unsigned long long)v);
		put_le(h + m->off, m->bytes, v);
	}
	if (rnd(8))
		vector_fix(s, img, ino);
	else
		note("vector checksum left stale");
}

static void mut_bitmap(const struct fz_seed *s)
{
	int inodes = rnd(2), set = rnd(2);
	const char *what = inodes ? "inode" : "block";
	uint8_t *b = blk(s, img, inodes ? s->ibitmap : s->bbitmap);
	uint32_t n;

	switch (rnd(5)) {
	case 0:		/* an object in use marked free */
		n = inodes ? s->ino[rnd(s->nino)].ino : rnd(2) && s->ndata ?
			s->data[rnd(s->ndata)] : rnd(s->data_start + 1);
		break;
	case 1:		/* a free one marked in use */
		n = inodes ? (s->nfree ? s->free_ino[rnd(s->nfree)] : 0) :
			s->data_start + rnd(s->blocks - s->data_start);
		break;
	case 2:		/* bit 0, the last bits, past the end */
		n = rnd(2) ? 0 : (inodes ? s->inodes : s->blocks - 1) + rnd(3);
		break;
	case 3:		/* a whole byte */
		n = rnd((inodes ? s->inodes : s->blocks) / 8 + 1);
		if (n >= s->bs)
			n = 0;
		note("%s bitmap byte %u = 0x%02x (was 0x%02x)", what, n, set ? 0xff : 0, b[n]);
		b[n] = set ? 0xff : 0;
		return;
	default:	/* all full or all empty */
		note("%s bitmap block: all %s", what, set ? "set" : "clear");
		memset(b, set ? 0xff : 0, s->bs);
		return;
	}
	if (n / 8 >= s->bs)
		n = 0;
	note("%s bitmap bit %u flipped", what, n);
	b[n / 8] ^= (uint8_t)(1u << (n % 8));
}

/* The orphan list: s_last_orphan and i_next_orphan chains. */
static void mut_orphan(const struct fz_seed *s)
{
	uint32_t head = pick_ino(s, 0), cur = head, next;
	int len = 1 + rnd(3);

	note("orphan list: last_orphan = %u", head);
	put_le(img + 220, 4, head);
	super_fix(img);
	for (int i = 0; i < len && cur >= 1 && cur <= s->inodes; i++) {
		struct vexfs_inode *in = inode_at(s, img, cur);

		next = rnd(3) == 0 ? cur : rnd(3) == 0 ? head : rnd(2) ? 0 : pick_ino(s, cur);
		in->i_next_orphan = next;
		if (rnd(2)) {
			in->i_nlink = 0;
			note("inode %u nlink = 0", cur);
		}
		if (rnd(4) == 0) {
			in->i_size = rnd(2) ? 0 : pick_num(in->i_size, 8);
			note("inode %u size = %llu", cur, (unsigned long long)in->i_size);
		}
		note("inode %u next_orphan = %u", cur, next);
		inode_fix(s, img, cur);
		if (next == cur || next == head)
			break;
		cur = next;
	}
}

static void mut_jsb(const struct fz_seed *s)
{
	static const struct field f[] = {
		{ "blocktype", 4, 4 }, { "blocksize", 0x0c, 4 }, { "maxlen", 0x10, 4 },
		{ "first", 0x14, 4 }, { "sequence", 0x18, 4 }, { "start", 0x1c, 4 },
		{ "errno", 0x20, 4 }, { "feature_compat", 0x24, 4 },
		{ "feature_incompat", 0x28, 4 }, { "feature_ro_compat", 0x2c, 4 },
		{ "uuid", 0x30, 4 }, { "nr_users", 0x40, 4 }, { "max_transaction", 0x48, 4 },
		{ "checksum_type", 0x50, 1 }, { "magic", 0, 4 } };
	const struct field *m = &f[rnd(15)];
	uint8_t *j = blk(s, img, s->jstart);
	uint32_t orig = m->bytes == 1 ? j[m->off] : get_be(j + m->off), v;

	if (m->off == 0x10 || m->off == 0x14 || m->off == 0x1c)
		v = rnd(2) ? (uint32_t)pick_num(orig, 4) :
			(uint32_t)(s->jblocks + rnd(3) - 1) >> rnd(2);
	else if (m->off == 0x18)
		v = orig + rnd(3) - 1 + (rnd(2) ? 0 : 0x80000000u);
	else
		v = (uint32_t)pick_num(orig, m->bytes);
	note("journal superblock %s = %#x (was %#x)", m->name, v, orig);
	if (m->bytes == 1)
		j[m->off] = (uint8_t)v;
	else
		put_be(j + m->off, v);
	if (rnd(8))
		jsb_fix(s, img);
	else
		note("journal superblock checksum left stale");
}

static const struct fz_jblk *pick_jblk(const struct fz_seed *s, int data)
{
	for (int tries = 0; tries < 64; tries++) {
		const struct fz_jblk *d = &s->jb[rnd(s->njb)];

		if ((d->type == JBD2_DATA) == data)
			return d;
	}
	return &s->jb[0];
}

static void mut_jblk(const struct fz_seed *s)
{
	const struct fz_jblk *d = pick_jblk(s, 0);
	uint8_t *b = blk(s, img, d->blk);
	uint32_t off, v;

	if (rnd(5) == 0) {
		off = rnd(3) * 4;	/* magic, blocktype, sequence */
		v = off == 8 ? d->seq + rnd(3) - 1 : off == 4 ? rnd(7) :
			(uint32_t)pick_num(get_be(b), 4);
		note("journal block %u (type %u) header +%u = %#x", d->blk, d->type, off, v);
		put_be(b + off, v);
	} else if (d->type == JBD2_DESC) {
		uint32_t tags[256], ntags = 0;

		for (uint32_t o = 12; o + 16 <= s->bs - 4 && ntags < 256;) {
			uint32_t fl = get_be(b + o + 4);

			tags[ntags++] = o;
			if (fl & JTAG_LAST)
				break;
			o += fl & JTAG_SAME_UUID ? 16 : 32;
		}
		off = ntags ? tags[rnd(ntags)] : 12;
		switch (rnd(3)) {
		case 0:
			v = pick_blk(s, 0, 0);
			note("journal descriptor %u tag +%u blocknr = %u (was %u)", d->blk, off,
			     v, get_be(b + off));
			put_be(b + off, v);
			break;
		case 1:
			v = get_be(b + off + 4) ^ (1u << rnd(4));
			note("journal descriptor %u tag +%u flags = %#x", d->blk, off, v);
			put_be(b + off + 4, v);
			break;
		default:
			v = (uint32_t)pick_num(0, 4);
			note("journal descriptor %u tag +%u blocknr_high = %#x", d->blk, off, v);
			put_be(b + off + 8, v);
		}
	} else if (d->type == JBD2_REVOKE) {
		uint32_t count = get_be(b + 12);

		if (rnd(2)) {
			static const uint32_t c[] = { 0, 1, 15, 16, 17, 20 };

			v = rnd(2) ? c[rnd(6)] : rnd(2) ? s->bs - 4 + rnd(3) - 1 :
				(uint32_t)pick_num(count, 4);
			note("journal revoke %u r_count = %u (was %u)", d->blk, v, count);
			put_be(b + 12, v);
		} else {
			off = 16 + 4 * rnd(count > 16 ? (count - 16) / 4 : 1);
			v = pick_blk(s, 0, 0);
			note("journal revoke %u record +%u = %u", d->blk, off, v);
			put_be(b + off, v);
		}
	} else {	/* commit */
		static const struct field f[] = { { "chksum_type", 0x0c, 1 },
			{ "chksum_size", 0x0d, 1 }, { "sec", 0x30, 4 }, { "nsec", 0x38, 4 } };
		const struct field *m = &f[rnd(4)];

		v = (uint32_t)pick_num(0, m->bytes);
		note("journal commit %u %s = %#x", d->blk, m->name, v);
		if (m->bytes == 1)
			b[m->off] = (uint8_t)v;
		else
			put_be(b + m->off, v);
	}
	if (rnd(8) == 0)
		note("journal block checksum left stale");
	else if (d->type == JBD2_COMMIT)
		jcommit_fix(s, b);
	else
		jtail_fix(s, b);
}

/* A logged block: what the replay writes home. */
static void mut_jdata(const struct fz_seed *s)
{
	const struct fz_jblk *d = pick_jblk(s, 1);
	uint8_t *b = blk(s, img, d->blk);

	if (d->home >= s->itable && d->home < s->itable + s->itable_blocks) {
		/* an inode of the logged copy of the inode table */
		uint32_t per = s->bs / VEXFS_INODE_SIZE, i = rnd(per);
		uint32_t ino = (d->home - s->itable) * per + i + 1;
		struct vexfs_inode *in = (struct vexfs_inode *)(b + i * VEXFS_INODE_SIZE);
		uint32_t k = rnd(5), slot = rnd(VEXFS_N_BLOCKS), crc;

		if (k == 0)
			in->i_mode = (uint16_t)(rnd(2) ? S_IFDIR | 0755 : pick_num(in->i_mode, 2));
		else if (k == 1)
			in->i_size = pick_num(in->i_size, 8);
		else if (k == 2)
			in->i_nlink = (uint32_t)pick_num(in->i_nlink, 4);
		else
			in->i_block[slot] = slot >= VEXFS_IND ?
				pick_blk_tame(s) : pick_blk(s, ino, 0);
		note("logged inode table block %u (journal block %u): inode %u field %u",
		     d->home, d->blk, ino, k);
		crc = crc32c(~0u, in, offsetof(struct vexfs_inode, i_checksum));
		in->i_checksum = ~crc32c(crc, &ino, 4);
	} else if (d->home == 0) {
		/* the logged superblock */
		const struct field *f = &super_fields[rnd(ARRAY_SIZE(super_fields))];
		uint64_t v = pick_num(get_le(b + f->off, f->bytes > 4 ? 4 : f->bytes), f->bytes);

		note("logged superblock (journal block %u) %s = %#llx", d->blk, f->name,
		     (unsigned long long)v);
		put_le(b + f->off, f->bytes, v);
		super_fix(b);
	} else {
		uint32_t off = rnd(s->bs / 4) * 4, v = pick_blk(s, 0, d->home);

		note("logged block %u (journal block %u) +%u = %u", d->home, d->blk, off, v);
		put_le(b + off, 4, v);
	}
	if (rnd(8))
		jtag_fix(s, img, d);
	else
		note("tag checksum left stale");
}

static int applicable(const struct fz_seed *s, int cls)
{
	switch (cls) {
	case C_JSB: return s->journal;
	case C_JBLK: return s->recover && s->njb;
	case C_JDATA: return s->recover && s->njb;
	case C_ORPHAN: return s->journal;
	case C_IND: return s->nind > 0;
	case C_VEC: return s->nvec > 0;
	}
	return 1;
}

static void mutate(const struct fz_seed *s, int cls)
{
	int n = rnd(4) ? 1 : 2 + rnd(2);

	for (int i = 0; i < n; i++) {
		switch (cls) {
		case C_SUPER:
			mut_super(s);
			break;
		case C_DINO:
		case C_DNAME:
		case C_DDOTS:
		case C_DLOOP:
			mut_dirent(s, cls);
			break;
		case C_IND:
			mut_ind(s);
			break;
		case C_INDSHARED:
			mut_ind_shared(s);
			break;
		case C_VEC:
			mut_vec(s);
			break;
		case C_BITMAP:
			mut_bitmap(s);
			break;
		case C_ORPHAN:
			mut_orphan(s);
			break;
		case C_JSB:
			mut_jsb(s);
			break;
		case C_JBLK:
			mut_jblk(s);
			break;
		case C_JDATA:
			mut_jdata(s);
			break;
		default:
			mut_inode(s, cls);
		}
	}
	if (cls == C_SUPER) {
		if (rnd(16))
			super_fix(img);
		else
			note("superblock checksum left stale");
	}
}

/* ---- scanning a seed ---------------------------------------------------------- */

static void add_data(struct fz_seed *s, uint32_t b, uint32_t ino)
{
	if (b && s->ndata < (int)(ARRAY_SIZE(s->data))) {
		s->data_owner[s->ndata] = ino;
		s->data[s->ndata++] = b;
	}
}

static void add_ind(struct fz_seed *s, uint32_t ino, uint32_t b, uint32_t level)
{
	uint32_t n = s->bs / 4;

	if (!b || s->nind >= MAX_OBJ)
		return;
	s->ind[s->nind++] = (struct fz_ind){ ino, b, level };
	for (uint32_t i = 0; i < n; i++) {
		uint32_t c = get_le(blk(s, s->img, b) + i * 4, 4);

		if (level == 2)
			add_ind(s, ino, c, 3);
		else
			add_data(s, c, ino);
	}
}

static int bit(const struct fz_seed *s, uint32_t start, uint32_t n)
{
	return blk(s, s->img, start)[n / 8] >> (n % 8) & 1;
}

static void scan_journal(struct fz_seed *s)
{
	uint8_t *j = blk(s, s->img, s->jstart);
	uint32_t first = get_be(j + 0x14), maxlen = get_be(j + 0x10);
	uint32_t seq = get_be(j + 0x18), jb = get_be(j + 0x1c);

	s->jseed = crc32c(~0u, j + 0x30, 16);
	if (!jb)
		return;
	for (int iter = 0; iter < 400 && s->njb < MAX_OBJ - 64; iter++) {
		uint8_t *b = blk(s, s->img, s->jstart + jb);
		uint32_t type = get_be(b + 4), desc_blk = s->jstart + jb;

		if (get_be(b) != JBD2_MAGIC || get_be(b + 8) != seq)
			break;
		s->jb[s->njb++] = (struct fz_jblk){ desc_blk, type, seq, 0, 0, 0 };
		if (type == JBD2_DESC) {
			for (uint32_t o = 12; o + 16 <= s->bs - 4;) {
				uint32_t fl = get_be(b + o + 4);

				jb = jb + 1 == maxlen ? first : jb + 1;
				s->jb[s->njb++] = (struct fz_jblk){ s->jstart + jb, JBD2_DATA, seq,
					get_be(b + o), desc_blk, o };
				o += fl & JTAG_SAME_UUID ? 16 : 32;
				if (fl & JTAG_LAST || s->njb >= MAX_OBJ - 1)
					break;
			}
		} else if (type == JBD2_COMMIT) {
			seq++;
		}
		jb = jb + 1 == maxlen ? first : jb + 1;
	}
}

static void scan(struct fz_seed *s)
{
	const struct vexfs_super_block *sb = (const void *)s->img;

	s->bs = sb->s_block_size;
	s->blocks = (uint32_t)sb->s_blocks_count;
	s->inodes = sb->s_inodes_count;
	s->ibitmap = (uint32_t)sb->s_ibitmap_start;
	s->bbitmap = (uint32_t)sb->s_bbitmap_start;
	s->itable = (uint32_t)sb->s_itable_start;
	s->itable_blocks = sb->s_itable_blocks;
	s->data_start = (uint32_t)sb->s_data_start;
	s->jstart = sb->s_journal_start;
	s->jblocks = sb->s_journal_blocks;
	s->journal = !!s->jstart;
	s->recover = !!(sb->s_feature_incompat & VEXFS_FEATURE_INCOMPAT_RECOVER);
	for (uint32_t ino = 1; ino <= s->inodes; ino++) {
		struct vexfs_inode *in = inode_at(s, s->img, ino);

		if (!bit(s, s->ibitmap, ino)) {
			if (s->nfree < MAX_OBJ)
				s->free_ino[s->nfree++] = ino;
			continue;
		}
		if (s->nino >= MAX_OBJ)
			continue;
		s->ino[s->nino++] = (struct fz_ino){ ino, 0, in->i_mode };
		if (in->i_vec_block && s->nvec < 64)
			s->vec[s->nvec++] = ino;
		if (!S_ISREG(in->i_mode) && !S_ISDIR(in->i_mode) && !S_ISLNK(in->i_mode))
			continue;
		for (int k = 0; k < VEXFS_NDIR; k++) {
			uint32_t b = in->i_block[k];

			add_data(s, b, ino);
			if (!b || !S_ISDIR(in->i_mode))
				continue;
			for (uint32_t slot = 0; slot < s->bs / VEXFS_DIRENT_SIZE; slot++) {
				struct vexfs_dirent *e = (void *)(blk(s, s->img, b) +
								  slot * VEXFS_DIRENT_SIZE);

				if (k == 0 && slot == 1)
					s->ino[s->nino - 1].parent = e->d_ino;
				if (e->d_ino && s->nde < MAX_OBJ)
					s->de[s->nde++] = (struct fz_dent){ ino, b, slot, e->d_ino };
			}
		}
		add_ind(s, ino, in->i_block[VEXFS_IND], 1);
		add_ind(s, ino, in->i_block[VEXFS_DIND], 2);
	}
	if (s->journal)
		scan_journal(s);
	printf("seed %s: %u-byte blocks, %u blocks, %d inodes in use, %d entries, %d indirect blocks, %d vectors, %d live journal blocks%s\n",
	       s->name, s->bs, s->blocks, s->nino, s->nde, s->nind, s->nvec, s->njb,
	       s->recover ? " (needs recovery)" : "");
	if (s->nino < 5 || s->nde < 5)
		fail("seed %s: too little in it", s->name);
}

/* ---- making the seeds ---------------------------------------------------------- */

static void write_file(const char *p, size_t len, off_t at)
{
	static char buf[16384];
	int fd = open(p, O_CREAT | O_WRONLY, 0644);

	CHECK(fd >= 0);
	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = (char)(i * 7 + 3);
	while (len) {
		size_t n = len < sizeof(buf) ? len : sizeof(buf);

		CHECK(pwrite(fd, buf, n, at) == (ssize_t)n);
		len -= n;
		at += (off_t)n;
	}
	CHECK(close(fd) == 0);
}

static void set_vec(const char *p, uint32_t type, uint32_t dim)
{
	static float f[512];
	struct vexfs_vec_arg a = { .size = sizeof(a), .dim = dim, .elem_type = type,
				   .data = (uintptr_t)f };
	int fd = open(p, O_WRONLY);

	for (uint32_t i = 0; i < 512; i++)
		f[i] = (float)i / 8 + 1;	/* int8: the bytes of the floats */
	CHECK(fd >= 0);
	CHECK(ioctl(fd, VEXFS_IOC_VEC_SET, &a) == 0);
	CHECK(close(fd) == 0);
}

static void populate(uint32_t bs, int dind)
{
	CHECK(mkdir(path("a"), 0755) == 0 && mkdir(path("a/b"), 0755) == 0 &&
	      mkdir(path("a/b/c"), 0755) == 0 && mkdir(path("a/b/c/d"), 0755) == 0 &&
	      mkdir(path("e"), 0755) == 0);
	for (int i = 1; i <= 4; i++)
		write_file(path("a/f%d", i), i * bs - 100 * i, 0);
	write_file(path("a/b/ind"), (VEXFS_NDIR + 4) * bs, 0);	/* single indirect */
	if (dind)		/* double indirect, filled */
		write_file(path("a/b/c/dind"), (VEXFS_NDIR + bs / 4 + 6) * bs, 0);
	/* double indirect, sparse */
	write_file(path("a/b/c/d/sparse"), 3, (off_t)(VEXFS_NDIR + bs / 4 + 2) * bs);
	for (int i = 1; i <= 5; i++)
		write_file(path("e/n%d", i), i, 0);
	CHECK(symlink("a/f1", path("s")) == 0);
	CHECK(symlink("../../../e/n1", path("a/b/c/up")) == 0);
	CHECK(link(path("a/f2"), path("a/b/h")) == 0);
	CHECK(mknod(path("a/fifo"), S_IFIFO | 0644, 0) == 0);
	CHECK(mknod(path("e/null"), S_IFCHR | 0644, makedev(1, 3)) == 0);
	set_vec(path("a/f1"), VEXFS_VEC_FLOAT32, 8);
	set_vec(path("a/b/ind"), VEXFS_VEC_FLOAT32, 8);
	set_vec(path("a/f3"), VEXFS_VEC_FLOAT32, 300);		/* two 1 KiB blocks */
	set_vec(path("e/n1"), VEXFS_VEC_INT8, 4);
}

static uint8_t *read_image(void)
{
	uint8_t *b = calloc(1, DEV_LEN);

	CHECK(b);
	img_rw(b, DEV_LEN, 0, 0);
	return b;
}

static void make_seed(int k)
{
	static const char *const opts[NSEEDS] = {
		"-s 512K -b 1024 -N 64 -J none", "-s 512K -b 2048 -N 48 -J none",
		"-s 512K -b 4096 -N 48 -J none", "-b 1024 -N 64 -J size=1",
		"-b 1024 -N 64 -J size=1" };
	static const char *const names[NSEEDS] = { "1k", "2k", "4k", "journal",
		"journal-dirty" };
	struct fz_seed *s = &seeds[k];
	uint32_t bs = k == SEED_2K ? 2048 : k == SEED_4K ? 4096 : 1024;

	s->name = names[k];
	vx_mkfs("1536K", "%s -U 13131313-1313-1313-1313-%012d --time 1300000000",
		opts[k], k + 1);
	vx_mount(NULL);
	populate(bs, k == SEED_1K);
	if (k == SEED_JDIRTY) {
		/*
		 * Committed, not written home: transactions to replay, revoke
		 * records (freed metadata), an open unlinked file (orphan).
		 */
		int held, dfd, dio;
		uint8_t *buf;

		vx_umount();
		vx_mount(NULL);
		CHECK(mkdir(path("j"), 0755) == 0);
		write_file(path("j/x"), 3 * bs, 0);
		set_vec(path("j/x"), VEXFS_VEC_FLOAT32, 8);
		dfd = open(vx_mnt, O_RDONLY | O_DIRECTORY);
		CHECK(dfd >= 0 && fsync(dfd) == 0);
		CHECK(unlink(path("a/b/ind")) == 0);
		CHECK(unlink(path("a/b/c/d/sparse")) == 0 && rmdir(path("a/b/c/d")) == 0);
		for (int i = 2; i <= 3; i++)
			CHECK(unlink(path("e/n%d", i)) == 0);
		held = open(path("a/f4"), O_RDWR);
		CHECK(held >= 0 && unlink(path("a/f4")) == 0);
		write_file(path("j/y"), bs, 0);
		CHECK(fsync(held) == 0 && fsync(dfd) == 0);
		dio = open(vx_dev, O_RDONLY | O_DIRECT);
		CHECK(dio >= 0 && posix_memalign((void **)&buf, 4096, DEV_LEN) == 0);
		CHECK(pread(dio, buf, DEV_LEN, 0) == (ssize_t)DEV_LEN);
		close(dio);
		close(held);
		close(dfd);
		vx_umount();
		s->img = buf;
	} else {
		vx_umount();
		s->img = read_image();
	}
	/* nothing of the fs past its end */
	memset(s->img + (uint64_t)((struct vexfs_super_block *)s->img)->s_blocks_count *
	       bs, 0, DEV_LEN - ((struct vexfs_super_block *)s->img)->s_blocks_count * bs);
	scan(s);
}

/* ---- the workload -------------------------------------------------------------- */

/* seconds spent per phase, printed at the end (where the time goes) */
enum { T_DAMAGE, T_MOUNT, T_WALK, T_WRITE, T_UMOUNT, T_N };
static double spent[T_N], t_lap;

static void lap(int phase)
{
	double t = now();

	if (phase >= 0)
		spent[phase] += t - t_lap;
	t_lap = t;
}

static int noticed;	/* the workload saw EUCLEAN or EIO */
static char iobuf[65536];

static void check_err(void)
{
	if (errno == EUCLEAN || errno == EIO)
		noticed = 1;
}

static void file_ops(const char *p, const struct stat *st)
{
	static float v[VEXFS_VEC_MAX_DIM];
	struct vexfs_vec_arg a = { .size = sizeof(a), .dim = VEXFS_VEC_MAX_DIM,
				   .data = (uintptr_t)v };
	int fd = open(p, O_RDONLY | O_NONBLOCK);

	if (fd < 0) {
		check_err();
		return;
	}
	/*
	 * The first block, the middle and the end: the direct blocks and,
	 * in a larger file, the indirect ones (each image reads through the
	 * loop device: a page read costs more than it seems under TCG).
	 */
	if (read(fd, iobuf, 4096) < 0)
		check_err();
	if (st->st_size > 8192 && pread(fd, iobuf, 4096, st->st_size / 2) < 0)
		check_err();
	if (st->st_size > 4096 && pread(fd, iobuf, 8192, st->st_size - 4096) < 0)
		check_err();
	if (ioctl(fd, VEXFS_IOC_VEC_GET, &a) && errno != ENODATA)
		check_err();
	close(fd);
}

static void walk(const char *dir, int depth, int *budget)
{
	char p[4096 + 300];
	struct dirent *de;
	DIR *d;

	if (depth > 8 || *budget <= 0)
		return;
	d = opendir(dir);
	if (!d) {
		check_err();
		return;
	}
	while (--*budget > 0) {
		struct stat st;

		errno = 0;
		de = readdir(d);
		if (!de) {
			check_err();
			break;
		}
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (snprintf(p, sizeof(p), "%s/%s", dir, de->d_name) >= (int)sizeof(p))
			continue;
		if (lstat(p, &st)) {
			check_err();
			continue;
		}
		if (S_ISDIR(st.st_mode))
			walk(p, depth + 1, budget);
		else if (S_ISLNK(st.st_mode) && readlink(p, iobuf, sizeof(iobuf)) < 0)
			check_err();
		else if (S_ISREG(st.st_mode))
			file_ops(p, &st);
	}
	closedir(d);
}

static void search(void)
{
	float q[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	struct vexfs_search_result r[16];
	struct vexfs_search_arg a = { .size = sizeof(a), .metric = VEXFS_METRIC_L2,
		.elem_type = VEXFS_VEC_FLOAT32, .dim = 8, .k = 16,
		.query = (uintptr_t)q, .results = (uintptr_t)r };
	int fd = open(vx_mnt, O_RDONLY | O_DIRECTORY);

	if (fd < 0) {
		check_err();
		return;
	}
	if (ioctl(fd, VEXFS_IOC_SEARCH, &a))
		check_err();
	close(fd);
}

/* Unlink and rmdir everything (bounded: the tree may loop). */
static void remove_tree(const char *dir, int depth, int *budget)
{
	char names[32][256], p[4096 + 300];
	struct dirent *de;
	int n = 0;
	DIR *d;

	if (depth > 8 || *budget <= 0)
		return;
	d = opendir(dir);
	if (!d) {
		check_err();
		return;
	}
	while (n < 32 && --*budget > 0) {
		errno = 0;
		de = readdir(d);
		if (!de) {
			check_err();
			break;
		}
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			snprintf(names[n++], sizeof(names[0]), "%s", de->d_name);
	}
	closedir(d);
	for (int i = 0; i < n && *budget > 0; i++) {
		struct stat st;

		if (snprintf(p, sizeof(p), "%s/%s", dir, names[i]) >= (int)sizeof(p))
			continue;
		if (lstat(p, &st)) {
			check_err();
			continue;
		}
		if (S_ISDIR(st.st_mode)) {
			remove_tree(p, depth + 1, budget);
			if (rmdir(p))
				check_err();
		} else if (unlink(p)) {
			check_err();
		}
	}
}

static void workload(int rw)
{
	int budget = 300, fd;

	walk(vx_mnt, 0, &budget);
	search();
	lap(T_WALK);
	if (rw) {
		fd = open(path("fz-new"), O_CREAT | O_WRONLY | O_TRUNC, 0644);
		if (fd >= 0) {
			struct vexfs_vec_arg a = { .size = sizeof(a), .dim = 8,
				.elem_type = VEXFS_VEC_FLOAT32, .data = (uintptr_t)iobuf };

			memset(iobuf, 0, 64);
			if (write(fd, iobuf, 20000) < 0)
				check_err();
			if (ioctl(fd, VEXFS_IOC_VEC_SET, &a))
				check_err();
			close(fd);
		} else {
			check_err();
		}
		if (mkdir(path("fz-dir"), 0755) || rename(path("fz-new"), path("fz-dir/x")))
			check_err();
		budget = 300;
		remove_tree(vx_mnt, 0, &budget);
	}
}

/* ---- running the images ----------------------------------------------------------- */

static void save_image(int n, const char *why)
{
	const char *dir = getenv("DSMIL_VM_RESULTS");
	char p[512];
	int fd;

	snprintf(p, sizeof(p), "%s/vexfs-fuzz-%d.img", dir ? dir : vx_tmp, n);
	fd = open(p, O_CREAT | O_WRONLY | O_TRUNC, 0644);
	if (fd >= 0) {
		if (write(fd, img, DEV_LEN) != (ssize_t)DEV_LEN)
			fprintf(stderr, "cannot write %s\n", p);
		close(fd);
	}
	fprintf(stderr, "image %d %s: saved as %s; its damage: %s\n", n, why, p, desc);
}

/* Takes an image that does not end for a hang: saves it and ends the case. */
static void *watchdog(void *arg)
{
	(void)arg;
	for (;;) {
		sleep(1);
		pthread_mutex_lock(&img_lock);
		if (cur_image >= 0) {
			double t = now() - ((double)img_t0.tv_sec + img_t0.tv_nsec / 1e9);

			if (t > 6 * limit_s) {
				save_image(cur_image, "hangs");
				fprintf(stderr, "FAIL: image %d still running after %.0f s\n",
					cur_image, t);
				_exit(1);
			}
		}
		pthread_mutex_unlock(&img_lock);
	}
	return NULL;
}

/* NAME=a,b,c of the kernel command line: whether @word is listed. */
static int cmdline_lists(const char *name, const char *word, int *present)
{
	char cl[4096], *p, *save, *w;
	size_t n = strlen(name);
	int fd = open("/proc/cmdline", O_RDONLY);
	ssize_t len;

	*present = 0;
	if (fd < 0)
		return 0;
	len = read(fd, cl, sizeof(cl) - 1);
	close(fd);
	if (len <= 0)
		return 0;
	cl[len] = 0;
	for (p = strtok_r(cl, "\n ", &save); p; p = strtok_r(NULL, "\n ", &save)) {
		char *save2;

		if (strncmp(p, name, n) || p[n] != '=')
			continue;
		*present = 1;
		for (w = strtok_r(p + n + 1, ",", &save2); w; w = strtok_r(NULL, ",", &save2))
			if (!strcmp(w, word))
				return 1;
	}
	return 0;
}

/*
 * The kernel log since the last call (/dev/kmsg, opened at the end of
 * the log): whether it holds a splat (what the harness looks for; it
 * fails the case on it, this names the image that caused it) and whether
 * the filesystem on this worker's device reported the damage (a vexfs
 * error, a loop the VFS refused).
 */
static int kmsg_fd = -1;
static char kmsg_dev_error[96], kmsg_dev_loop[96];

static void kmsg_scan(int *splat, int *reported)
{
	static const char *const splats[] = { "BUG:", "WARNING:", "Oops", "Call Trace",
		"general protection fault", "kernel BUG", "possible recursive locking",
		"possible circular locking", "DEBUG_LOCKS_WARN_ON", "KASAN", "UBSAN",
		"refcount_t:", "list_add corruption", "list_del corruption",
		"INFO: task", "soft lockup", "rcu_sched self-detected",
		"locking correctness validator" };
	char rec[8192];
	ssize_t n;

	*splat = *reported = 0;
	if (kmsg_fd < 0)
		return;
	for (;;) {
		n = read(kmsg_fd, rec, sizeof(rec) - 1);
		if (n < 0 && errno == EPIPE)
			continue;	/* overwritten before read: go on */
		if (n <= 0)
			break;
		rec[n] = 0;
		if (strstr(rec, kmsg_dev_error) || strstr(rec, kmsg_dev_loop))
			*reported = 1;
		for (size_t i = 0; i < ARRAY_SIZE(splats); i++)
			if (strstr(rec, splats[i]))
				*splat = 1;
	}
}

/*
 * The console's log level, lowered for the run: each image may log a few
 * errors at KERN_ERR, and under TCG every line written to the serial
 * console costs milliseconds.  The log itself keeps them (the harness
 * reads it), and panics and oopses still reach the console.
 */
static char printk_saved[64];

static void printk_restore(void)
{
	int fd;

	if (!printk_saved[0] || getpid() != vx_owner)
		return;
	fd = open("/proc/sys/kernel/printk", O_WRONLY);
	if (fd >= 0) {
		if (write(fd, printk_saved, strlen(printk_saved)) < 0)
			perror("restoring /proc/sys/kernel/printk");
		close(fd);
	}
}

static void printk_quiet(void)
{
	int fd = open("/proc/sys/kernel/printk", O_RDWR);
	ssize_t n;

	if (fd < 0)
		return;
	n = read(fd, printk_saved, sizeof(printk_saved) - 1);
	if (n > 0) {
		printk_saved[n] = 0;
		if (write(fd, "2", 1) == 1)
			atexit(printk_restore);
		else
			printk_saved[0] = 0;
	}
	close(fd);
}

static uint64_t mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ull;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

/* What the workers share with the parent: their results. */
struct fz_result {
	struct fz_stat stats[NCLASSES];
	double spent[T_N];
	int failures, mounted, images, stopped;
};

static struct fz_result *results;
static uint64_t fz_seed;
static int fz_first, fz_images, fz_workers;
static double fz_deadline;	/* now() past which no image starts */

/* Worker @w: the runs of RUN_LEN images w, w + workers, ... */
static void run_worker(int w)
{
	struct fz_result *res = &results[w];
	size_t cur_len = DEV_LEN;
	int saved = 0, splat, reported, img_fd;
	uint8_t *cur;
	pthread_t wd;

	img = malloc(DEV_LEN);
	cur = calloc(1, DEV_LEN);	/* the image file: zeros */
	CHECK(img && cur);
	img_fd = open(vx_img, O_RDONLY);
	CHECK(img_fd >= 0);
	CHECK(pthread_create(&wd, NULL, watchdog, NULL) == 0);
	kmsg_fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK);
	if (kmsg_fd >= 0)
		lseek(kmsg_fd, 0, SEEK_END);
	snprintf(kmsg_dev_error, sizeof(kmsg_dev_error), "(device %s)", vx_dev + 5);
	snprintf(kmsg_dev_loop, sizeof(kmsg_dev_loop), "vexfs %s would", vx_dev + 5);

	/*
	 * Image numbers below the first: each seed undamaged, which must
	 * mount and go through the workload without an error.
	 */
	for (int n = fz_first - NSEEDS; n < fz_first + fz_images; n++) {
		int base = n < fz_first, k, cls = -1, err, wfd, ro = 0;
		size_t span;
		const struct fz_seed *s;
		struct fz_stat *st;
		double t;

		if (!base && ((n - fz_first) / RUN_LEN) % fz_workers != w)
			continue;
		if (!base && now() > fz_deadline) {
			res->stopped = n;
			break;
		}
		k = base ? n - fz_first + NSEEDS : (n / RUN_LEN) % NSEEDS;
		s = &seeds[k];
		if (!base) {
			int any = 0;

			for (int c = 0; c < NCLASSES; c++)
				any |= enabled[c] && applicable(s, c);
			if (!any)
				continue;	/* (only classes of other seeds) */
		}
		desc_len = 0;
		desc[0] = 0;
		vx_rng = mix(fz_seed ^ mix((uint64_t)n));
		if (!base) {
			do
				cls = (int)rnd(NCLASSES);
			while (!enabled[cls] || !applicable(s, cls));
			ro = rnd(6) == 0;
		}
		span = (s->journal || cls == C_SUPER) ? DEV_LEN :
			(size_t)s->blocks * s->bs;
		memcpy(img, s->img, span > cur_len ? span : cur_len);
		if (!base)
			mutate(s, cls);
		pthread_mutex_lock(&img_lock);
		clock_gettime(CLOCK_MONOTONIC, &img_t0);
		cur_image = n;
		pthread_mutex_unlock(&img_lock);
		/*
		 * Through the loop device, coherent with the buffer cache the
		 * mount reads its metadata from: only the blocks that differ
		 * from what the device holds, then flushed to the image file
		 * (file data is read from there, not through the buffer
		 * cache).  Closed before the mount: the debug kernel refuses
		 * to mount a device open for writing.  Past the filesystem
		 * the device holds zeros, and a mount can only write there
		 * if the superblock or the journal says so.
		 */
		lap(-1);
		wfd = -1;
		for (size_t b = 0; b < (span > cur_len ? span : cur_len); b += 1024) {
			if (!memcmp(img + b, cur + b, 1024))
				continue;
			if (wfd < 0)
				wfd = open(vx_dev, O_RDWR);
			CHECK(wfd >= 0);
			CHECK(pwrite(wfd, img + b, 1024, (off_t)b) == 1024);
		}
		if (wfd >= 0)
			CHECK(fsync(wfd) == 0 && close(wfd) == 0);
		if (cur_len > span)	/* (read back up to @span only) */
			memcpy(cur + span, img + span, cur_len - span);
		lap(T_DAMAGE);
		err = vx_try_mount(ro ? MS_RDONLY : 0,
				   !base && rnd(8) == 0 ? "errors=remount-ro" : "errors=continue");
		lap(T_MOUNT);
		noticed = 0;
		if (!err) {
			workload(!ro);
			lap(T_WRITE);
			if (umount2(vx_mnt, 0))
				fail("image %d: umount: %s (damage: %s)", n, strerror(errno), desc);
			lap(T_UMOUNT);
		}
		/*
		 * What the mount wrote: in the image file (the unmount synced).
		 * The buffer cache may still hold blocks the disk no longer
		 * has (a block freed with bforget(), a block written as file
		 * data through the file's pages): dropped, so that the next
		 * image's partial block writes and its mount read the disk.
		 */
		CHECK(ioctl(vx_loop_fd, BLKFLSBUF, 0) == 0);
		cur_len = span;
		CHECK(pread(img_fd, cur, cur_len, 0) == (ssize_t)cur_len);
		lap(T_DAMAGE);
		pthread_mutex_lock(&img_lock);
		cur_image = -1;
		t = now() - ((double)img_t0.tv_sec + img_t0.tv_nsec / 1e9);
		pthread_mutex_unlock(&img_lock);
		kmsg_scan(&splat, &reported);
		if (base) {
			if (err)
				fail("seed %s does not mount: %s", s->name, strerror(err));
			if (noticed || (reported && fz_workers == 1))
				fail("seed %s: the workload saw EUCLEAN or EIO, or the kernel logged an error",
				     s->name);
			continue;
		}
		if (splat) {
			fprintf(stderr, "image %d: a kernel splat%s\n", n, fz_workers > 1 ?
				" (or in the image another worker ran at the time)" : "");
			if (saved++ < 8)
				save_image(n, "caused a kernel splat");
			res->failures++;
		}
		if (!s->journal && (err || ro) && memcmp(cur, img, cur_len)) {
			fprintf(stderr, "image %d: 1 KiB blocks changed:", n);
			for (size_t b = 0; b < cur_len; b += 1024)
				if (memcmp(img + b, cur + b, 1024))
					fprintf(stderr, " %zu", b / 1024);
			fprintf(stderr, "\n");
			if (saved++ < 8)
				save_image(n, err ? "changed by a refused mount" :
					   "changed by a read-only mount");
			res->failures++;
		}
		if (t > limit_s) {
			if (saved++ < 8)
				save_image(n, "took too long");
			fprintf(stderr, "image %d took %.1f s\n", n, t);
			res->failures++;
		}
		st = &res->stats[cls];
		st->images++;
		res->images++;
		if (t > st->max_s) {
			st->max_s = t;
			st->max_image = n;
		}
		if (err) {
			size_t e;

			st->refused++;
			for (e = 0; e < NERR - 1 && errnos[e] != err; e++)
				;
			st->err[e]++;
		} else {
			st->mounted++;
			res->mounted++;
			st->noticed += noticed || reported;
		}
		if (res->images % 1000 == 0)
			printf("worker %d: %d images\n", w, res->images);
	}
	memcpy(res->spent, spent, sizeof(spent));
	close(img_fd);
}

int main(void)
{
	int ncls = 0, failures = 0, mounted = 0, images = 0;
	char base_mnt[256], base_img[256];
	char devs[8][64];
	int loop_fds[8];
	pid_t pids[8];
	double t_start, t_total, t_case;
	struct fz_stat *st;

	fz_images = (int)vx_cmdline("vexfs_fuzz_images", 10000);
	fz_first = (int)vx_cmdline("vexfs_fuzz_first", 0);
	fz_seed = vx_cmdline("vexfs_fuzz_seed", 1318);
	fz_workers = (int)vx_cmdline("vexfs_fuzz_workers", 2);
	if (fz_workers < 1 || fz_workers > 8)
		fail("vexfs_fuzz_workers=%d: 1 to 8", fz_workers);
	limit_s = (double)vx_cmdline("vexfs_fuzz_limit", 10);
	if (fz_images <= 0) {
		/* make check's debug leg: the fuzzer has a lane of its own */
		printf("SKIP: vexfs_fuzz_images=%d\n", fz_images);
		return 77;
	}
	printf("%d images from %d, seed %llu, %d workers, %.0f s per image at most\n",
	       fz_images, fz_first, (unsigned long long)fz_seed, fz_workers, limit_s);
	for (int c = 0; c < NCLASSES; c++) {
		int only, skip, listed_only = cmdline_lists("vexfs_fuzz_only", class_name[c], &only);

		enabled[c] = (!only || listed_only) &&
			     !cmdline_lists("vexfs_fuzz_skip", class_name[c], &skip);
		ncls += enabled[c];
		if (!enabled[c])
			printf("class %s disabled on the command line\n", class_name[c]);
	}
	if (!ncls)
		fail("every mutation class is disabled");
	t_case = now();
	vx_case_init();
	vx_rng = mix(fz_seed);
	for (int k = 0; k < NSEEDS; k++)
		make_seed(k);

	/* each worker: an image file of zeros on its loop device, a mount point */
	results = mmap(NULL, sizeof(*results) * fz_workers, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	CHECK(results != MAP_FAILED);
	snprintf(base_mnt, sizeof(base_mnt), "%s", vx_mnt);
	snprintf(base_img, sizeof(base_img), "%s", vx_img);
	for (int w = 0; w < fz_workers; w++) {
		int fd;

		CHECK(snprintf(vx_img, sizeof(vx_img), "%s.w%d", base_img, w) < (int)sizeof(vx_img));
		fd = open(vx_img, O_CREAT | O_RDWR | O_TRUNC, 0600);
		CHECK(fd >= 0 && ftruncate(fd, DEV_LEN) == 0 && close(fd) == 0);
		vx_attach();
		snprintf(devs[w], sizeof(devs[w]), "%s", vx_dev);
		loop_fds[w] = vx_loop_fd;
		vx_loop_fd = -1;
		CHECK(snprintf(vx_mnt, sizeof(vx_mnt), "%s%d", base_mnt, w) < (int)sizeof(vx_mnt));
		CHECK(mkdir(vx_mnt, 0755) == 0);
	}
	printk_quiet();
	fflush(stdout);
	t_start = now();
	/*
	 * Not past 80 % of the harness's time for a case: a run of more
	 * images than the kernel does in that time stops early (and says
	 * so) rather than being killed without its statistics.
	 */
	fz_deadline = t_start + 1e9;
	if (getenv("DSMIL_CASE_TIMEOUT"))
		fz_deadline = t_start + 0.8 * atof(getenv("DSMIL_CASE_TIMEOUT")) -
			      (t_start - t_case);
	for (int w = 0; w < fz_workers; w++) {
		pids[w] = fork();
		CHECK(pids[w] >= 0);
		if (pids[w])
			continue;
		CHECK(snprintf(vx_img, sizeof(vx_img), "%s.w%d", base_img, w) < (int)sizeof(vx_img));
		snprintf(vx_dev, sizeof(vx_dev), "%s", devs[w]);
		CHECK(snprintf(vx_mnt, sizeof(vx_mnt), "%s%d", base_mnt, w) < (int)sizeof(vx_mnt));
		vx_loop_fd = loop_fds[w];
		run_worker(w);
		fflush(stdout);
		_exit(0);
	}
	for (int w = 0; w < fz_workers; w++) {
		int status;

		CHECK(waitpid(pids[w], &status, 0) == pids[w]);
		if (!WIFEXITED(status) || WEXITSTATUS(status)) {
			fprintf(stderr, "worker %d failed (status %#x)\n", w, status);
			failures++;
		}
		CHECK(snprintf(vx_mnt, sizeof(vx_mnt), "%s%d", base_mnt, w) < (int)sizeof(vx_mnt));
		umount2(vx_mnt, MNT_DETACH);	/* (if the worker failed) */
		vx_loop_fd = loop_fds[w];
		vx_detach();
	}
	t_total = now() - t_start;
	snprintf(vx_mnt, sizeof(vx_mnt), "%s", base_mnt);

	for (int w = 0; w < fz_workers; w++) {
		for (int p = 0; p < T_N; p++)
			spent[p] += results[w].spent[p];
		for (int c = 0; c < NCLASSES; c++) {
			struct fz_stat *a = &stats[c], *b = &results[w].stats[c];

			a->images += b->images;
			a->mounted += b->mounted;
			a->refused += b->refused;
			a->noticed += b->noticed;
			for (size_t e = 0; e < NERR; e++)
				a->err[e] += b->err[e];
			if (b->max_s > a->max_s) {
				a->max_s = b->max_s;
				a->max_image = b->max_image;
			}
		}
		failures += results[w].failures;
		if (results[w].stopped)
			printf("worker %d stopped before image %d: 80%% of DSMIL_CASE_TIMEOUT (%s s) spent\n",
			       w, results[w].stopped, getenv("DSMIL_CASE_TIMEOUT"));
		mounted += results[w].mounted;
		images += results[w].images;
	}
	printf("seconds, all workers: damage and read back %.1f, mount %.1f, walk and read %.1f, write and remove %.1f, umount %.1f\n",
	       spent[T_DAMAGE], spent[T_MOUNT], spent[T_WALK], spent[T_WRITE], spent[T_UMOUNT]);
	printf("%-14s %6s %7s %7s %7s | refused: %6s %6s %6s %6s %6s %6s | %6s\n",
	       "class", "images", "mounted", "noticed", "refused", "EINVAL", "EUCLEAN",
	       "EROFS", "EIO", "ENOMEM", "other", "max s");
	for (int c = 0; c < NCLASSES; c++) {
		st = &stats[c];
		if (!st->images)
			continue;
		printf("%-14s %6d %7d %7d %7d | %15d %6d %6d %6d %6d %6d | %6.2f (image %d)\n",
		       class_name[c], st->images, st->mounted, st->noticed, st->refused,
		       st->err[0], st->err[1], st->err[2], st->err[3], st->err[4], st->err[5],
		       st->max_s, st->max_image);
	}
	printf("%d images in %.1f s: %.1f images/s, %d mounted\n", images, t_total,
	       images / t_total, mounted);
	for (int c = 0; c < NCLASSES; c++) {
		st = &stats[c];
		if (!enabled[c] || st->images < 20)
			continue;
		if (!st->mounted) {
			fprintf(stderr, "class %s: no image mounted\n", class_name[c]);
			failures++;
		}
		if (!st->refused && !st->noticed) {
			fprintf(stderr, "class %s: no damage noticed\n", class_name[c]);
			failures++;
		}
	}
	if (failures)
		fail("%d failures", failures);
	vx_case_done();
	return 0;
}
