// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the VexFS checker (tools/vexfs/check.c): images built by a
 * small writer below are damaged one way at a time; the check must find
 * exactly that, -n must change nothing, preen must fix only what is safe
 * and -y must leave a filesystem the next check finds clean.
 */
// sources: tools/vexfs/cache.c tools/vexfs/crc32c.c tools/vexfs/format.c tools/vexfs/image.c tools/vexfs/journal.c tools/vexfs/mkfs.c tools/vexfs/check.c
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "../../tools/vexfs/journal.h"
#include "../../tools/vexfs/vexfs.h"

#define BS 1024
#define IMG_BYTES (2 << 20)

struct fs {
	struct vexfs_image img;
	struct vexfs_super s;
	char path[64];
};

/* ---- a minimal writer -------------------------------------------------- */

static void rd(struct fs *fs, uint64_t b, void *buf)
{
	assert_int_equal(vexfs_read_blocks(&fs->img, b, 1, buf), 0);
}

static void wr(struct fs *fs, uint64_t b, const void *buf)
{
	assert_int_equal(vexfs_write_blocks(&fs->img, b, 1, buf), 0);
}

static void bit_set(struct fs *fs, uint64_t start, uint64_t n, bool on)
{
	uint8_t buf[BS];
	uint64_t blk = start + n / (BS * 8);

	rd(fs, blk, buf);
	if (on)
		vexfs_set_bit(buf, n % (BS * 8));
	else
		vexfs_clear_bit(buf, n % (BS * 8));
	wr(fs, blk, buf);
}

static bool bit_get(struct fs *fs, uint64_t start, uint64_t n)
{
	uint8_t buf[BS];

	rd(fs, start + n / (BS * 8), buf);
	return vexfs_test_bit(buf, n % (BS * 8));
}

static uint32_t alloc_block(struct fs *fs)
{
	uint8_t zero[BS] = {0};

	for (uint64_t b = fs->s.g.data_start; b < fs->s.g.blocks_count; b++) {
		if (!bit_get(fs, fs->s.g.bbitmap_start, b)) {
			bit_set(fs, fs->s.g.bbitmap_start, b, true);
			wr(fs, b, zero);
			return (uint32_t)b;
		}
	}
	fail_msg("image full");
	return 0;
}

static uint32_t alloc_ino(struct fs *fs)
{
	for (uint32_t i = 1; i <= fs->s.g.inodes_count; i++) {
		if (!bit_get(fs, fs->s.g.ibitmap_start, i)) {
			bit_set(fs, fs->s.g.ibitmap_start, i, true);
			return i;
		}
	}
	fail_msg("no free inode");
	return 0;
}

static void get_inode(struct fs *fs, uint32_t ino, struct vexfs_dinode *d)
{
	struct vexfs_inode raw;
	uint64_t off = fs->s.g.itable_start * BS + (uint64_t)(ino - 1) * VEXFS_INODE_SIZE;

	assert_int_equal(vexfs_read_bytes(&fs->img, off, sizeof(raw), &raw), 0);
	vexfs_inode_decode(&raw, d);
}

static void put_inode(struct fs *fs, uint32_t ino, const struct vexfs_dinode *d)
{
	struct vexfs_inode raw;
	uint64_t off = fs->s.g.itable_start * BS + (uint64_t)(ino - 1) * VEXFS_INODE_SIZE;

	vexfs_inode_encode(d, ino, &raw);
	assert_int_equal(vexfs_write_bytes(&fs->img, off, sizeof(raw), &raw), 0);
}

/* Map logical block @l of @d to a new block, indirect blocks as needed. */
static uint32_t map_new(struct fs *fs, struct vexfs_dinode *d, uint64_t l)
{
	uint64_t p = BS / 4, span = 1, base = VEXFS_NDIR;
	uint32_t *slot, buf[BS / 4], parent = 0;
	int depth, idx;

	if (l < VEXFS_NDIR) {
		d->block[l] = alloc_block(fs);
		d->blocks++;
		return d->block[l];
	}
	l -= VEXFS_NDIR;
	for (depth = 1; depth <= 4; depth++) {
		span *= p;
		if (l < span)
			break;
		l -= span;
		base += span;
	}
	assert_true(depth <= 4);
	idx = VEXFS_NDIR + depth - 1;
	slot = &d->block[idx];
	for (;;) {
		uint32_t nb = *slot;

		if (!nb) {
			nb = alloc_block(fs);
			d->blocks++;
			*slot = nb;
			if (parent)
				wr(fs, parent, buf);
		}
		if (depth == 0)
			return nb;
		span /= p;
		rd(fs, nb, buf);
		parent = nb;
		slot = &buf[l / span];
		l %= span;
		depth--;
	}
}

static void add_entry(struct fs *fs, uint32_t dir, const char *name, uint32_t ino, uint8_t ft)
{
	struct vexfs_dinode d;
	struct vexfs_dirent des[BS / VEXFS_DIRENT_SIZE];
	uint64_t nblk;

	get_inode(fs, dir, &d);
	nblk = d.size / BS;
	for (uint64_t l = 0; l < nblk; l++) {
		assert_true(l < VEXFS_NDIR);
		rd(fs, d.block[l], des);
		for (unsigned int k = 0; k < BS / VEXFS_DIRENT_SIZE; k++) {
			if (des[k].d_ino)
				continue;
			des[k].d_ino = htole32(ino);
			des[k].d_name_len = (uint8_t)strlen(name);
			des[k].d_type = ft;
			memcpy(des[k].d_name, name, strlen(name));
			wr(fs, d.block[l], des);
			return;
		}
	}
	map_new(fs, &d, nblk);
	d.size += BS;
	put_inode(fs, dir, &d);
	add_entry(fs, dir, name, ino, ft);
}

static uint32_t mk_node(struct fs *fs, uint32_t dir, const char *name, uint16_t mode)
{
	struct vexfs_dinode d = { .mode = mode, .nlink = 1, .mtime = 1 };
	uint32_t ino = alloc_ino(fs);

	put_inode(fs, ino, &d);
	add_entry(fs, dir, name, ino, vexfs_mode_to_ft(mode));
	return ino;
}

static uint32_t mk_file(struct fs *fs, uint32_t dir, const char *name, uint64_t nblocks)
{
	uint32_t ino = mk_node(fs, dir, name, VEXFS_S_IFREG | 0644);
	struct vexfs_dinode d;

	get_inode(fs, ino, &d);
	for (uint64_t l = 0; l < nblocks; l++) {
		uint8_t data[BS];
		uint32_t b = map_new(fs, &d, l);

		memset(data, (int)(l & 0xff), sizeof(data));
		wr(fs, b, data);
	}
	d.size = nblocks * BS;
	put_inode(fs, ino, &d);
	return ino;
}

static uint32_t mk_dir(struct fs *fs, uint32_t parent, const char *name)
{
	uint32_t ino = mk_node(fs, parent, name, VEXFS_S_IFDIR | 0755);
	struct vexfs_dirent des[BS / VEXFS_DIRENT_SIZE];
	struct vexfs_dinode d, p;

	get_inode(fs, ino, &d);
	d.nlink = 2;
	d.size = BS;
	map_new(fs, &d, 0);
	memset(des, 0, sizeof(des));
	des[0].d_ino = htole32(ino);
	des[0].d_name_len = 1;
	des[0].d_type = VEXFS_FT_DIR;
	des[0].d_name[0] = '.';
	des[1].d_ino = htole32(parent);
	des[1].d_name_len = 2;
	des[1].d_type = VEXFS_FT_DIR;
	memcpy(des[1].d_name, "..", 2);
	wr(fs, d.block[0], des);
	put_inode(fs, ino, &d);
	get_inode(fs, parent, &p);
	p.nlink++;
	put_inode(fs, parent, &p);
	return ino;
}

static uint32_t mk_symlink(struct fs *fs, uint32_t dir, const char *name, const char *target)
{
	uint32_t ino = mk_node(fs, dir, name, VEXFS_S_IFLNK | 0777);
	uint8_t data[BS] = {0};
	struct vexfs_dinode d;

	get_inode(fs, ino, &d);
	memcpy(data, target, strlen(target));
	wr(fs, map_new(fs, &d, 0), data);
	d.size = strlen(target);
	put_inode(fs, ino, &d);
	return ino;
}

static void set_vector(struct fs *fs, uint32_t ino, uint16_t dim, uint8_t type)
{
	uint32_t n = vexfs_vector_blocks(dim, type, BS), first = 0;
	uint32_t esize = vexfs_vec_elem_size(type);
	uint8_t *rec = calloc(n, BS);
	struct vexfs_vector_head *vh = (void *)rec;
	struct vexfs_dinode d;

	assert_non_null(rec);
	for (uint32_t i = 0; i < n; i++) {
		uint32_t b = alloc_block(fs);

		if (i == 0)
			first = b;
		assert_int_equal(b, first + i);	/* fresh images allocate in order */
	}
	get_inode(fs, ino, &d);
	vh->v_magic = htole32(VEXFS_VECTOR_MAGIC);
	vh->v_ino = htole32(ino);
	vh->v_dim = htole16(dim);
	vh->v_type = type;
	vh->v_data_len = htole32(dim * esize);
	vh->v_generation = htole32(d.generation);
	for (uint32_t i = 0; i < dim * esize; i++)
		rec[sizeof(*vh) + i] = (uint8_t)(i * 7);
	vh->v_checksum = htole32(vexfs_vector_csum(vh, vh + 1));
	assert_int_equal(vexfs_write_blocks(&fs->img, first, n, rec), 0);
	free(rec);
	d.vec_block = first;
	d.vec_dim = dim;
	d.vec_type = type;
	d.blocks += n;
	put_inode(fs, ino, &d);
}

static void fs_new(struct fs *fs)
{
	struct vexfs_mkfs_opts o = { .time = 1, .block_size = BS, .inodes = 64 };
	const char *why = NULL;
	int fd;

	strcpy(fs->path, "/tmp/vexfs-fsck.XXXXXX");
	fd = mkstemp(fs->path);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, IMG_BYTES), 0);
	close(fd);
	assert_int_equal(vexfs_image_open(&fs->img, fs->path, true, false), 0);
	assert_int_equal(vexfs_mkfs(&fs->img, &o, &fs->s, &why), 0);
}

static void fs_done(struct fs *fs)
{
	vexfs_image_close(&fs->img);
	unlink(fs->path);
}

/* Snapshot of the whole image, to prove a run changed nothing. */
static uint8_t *snapshot(struct fs *fs)
{
	uint8_t *buf = malloc(IMG_BYTES);

	assert_non_null(buf);
	assert_int_equal(vexfs_read_bytes(&fs->img, 0, IMG_BYTES, buf), 0);
	return buf;
}

static void assert_unchanged(struct fs *fs, uint8_t *before)
{
	uint8_t *now = snapshot(fs);

	assert_memory_equal(before, now, IMG_BYTES);
	free(now);
	free(before);
}

/* Run a check; returns the status, @want_text must appear in a problem. */
static int check(struct fs *fs, enum vexfs_fsck_mode mode, const char *want_text)
{
	struct vexfs_fsck_result res;
	bool seen = !want_text;
	int st = vexfs_fsck(&fs->img, mode, &res);

	for (size_t i = 0; i < res.nproblems; i++) {
		if (want_text && strstr(res.problems[i].text, want_text))
			seen = true;
	}
	if (!seen) {
		for (size_t i = 0; i < res.nproblems; i++)
			print_message("problem: %s\n", res.problems[i].text);
		fail_msg("no problem mentions '%s' (status %d, %s)", want_text, st, res.error);
	}
	vexfs_fsck_result_free(&res);
	return st;
}

/*
 * The common shape of a repair test: -n reports (4) and changes nothing,
 * @mode repairs (1), the next -n is clean (0).
 */
static void expect_repair(struct fs *fs, enum vexfs_fsck_mode mode, const char *text)
{
	uint8_t *before = snapshot(fs);

	assert_int_equal(check(fs, VEXFS_FSCK_CHECK, text), VEXFS_FSCK_UNFIXED);
	assert_unchanged(fs, before);
	assert_int_equal(check(fs, mode, text), VEXFS_FSCK_FIXED);
	assert_int_equal(check(fs, VEXFS_FSCK_CHECK, NULL), VEXFS_FSCK_OK);
}

/* preen refuses (4) and changes nothing; -y repairs. */
static void expect_manual_repair(struct fs *fs, const char *text)
{
	uint8_t *before = snapshot(fs);

	assert_int_equal(check(fs, VEXFS_FSCK_PREEN, text), VEXFS_FSCK_UNFIXED);
	assert_unchanged(fs, before);
	expect_repair(fs, VEXFS_FSCK_REPAIR, text);
}

/* A little tree: /a (dir), /a/big (300 blocks: single and double indirect),
 * /a/link, /fifo, /chr, /vec (a file with a vector). */
struct tree {
	uint32_t a, big, link, fifo, chr, vec;
};

static void populate(struct fs *fs, struct tree *t)
{
	struct vexfs_dinode d;

	t->a = mk_dir(fs, VEXFS_ROOT_INO, "a");
	t->big = mk_file(fs, t->a, "big", 300);
	t->link = mk_symlink(fs, t->a, "link", "../vec");
	t->fifo = mk_node(fs, VEXFS_ROOT_INO, "fifo", VEXFS_S_IFIFO | 0600);
	t->chr = mk_node(fs, VEXFS_ROOT_INO, "chr", VEXFS_S_IFCHR | 0600);
	get_inode(fs, t->chr, &d);
	d.rdev = (1 << 8) | 3;
	put_inode(fs, t->chr, &d);
	t->vec = mk_file(fs, VEXFS_ROOT_INO, "vec", 1);
	set_vector(fs, t->vec, 300, VEXFS_VEC_FLOAT32);
}

/* ---- tests ------------------------------------------------------------- */

static void populated_image_is_clean(void **state)
{
	struct vexfs_fsck_result res;
	struct fs fs;
	struct tree t;
	struct vexfs_dinode d;

	(void)state;
	fs_new(&fs);
	populate(&fs, &t);
	get_inode(&fs, t.big, &d);
	assert_int_equal(d.blocks, 300 + 1 + 1 + 1);	/* ind, dind, one ind below */
	assert_int_equal(vexfs_fsck(&fs.img, VEXFS_FSCK_CHECK, &res), 0);
	for (size_t i = 0; i < res.nproblems; i++)
		print_message("problem: %s\n", res.problems[i].text);
	assert_int_equal(res.nproblems, 0);
	assert_int_equal(res.dirs, 3);		/* /, /a, /lost+found */
	assert_int_equal(res.files, 2);
	assert_int_equal(res.symlinks, 1);
	assert_int_equal(res.specials, 2);
	assert_int_equal(res.vectors, 1);
	assert_int_equal(res.inodes_used, 8);
	assert_int_equal(res.version, 2);
	assert_int_equal(res.lpf_ino, 2);
	assert_false(res.journal);	/* 2 MiB: too small for one */
	vexfs_fsck_result_free(&res);
	/* preen and -y on a clean image change nothing */
	{
		uint8_t *before = snapshot(&fs);

		assert_int_equal(check(&fs, VEXFS_FSCK_PREEN, NULL), 0);
		assert_int_equal(check(&fs, VEXFS_FSCK_REPAIR, NULL), 0);
		assert_unchanged(&fs, before);
	}
	fs_done(&fs);
}

static void block_bitmap_differences_preened(void **state)
{
	struct fs fs;
	struct tree t;
	struct vexfs_dinode d;

	(void)state;
	fs_new(&fs);
	populate(&fs, &t);
	get_inode(&fs, t.big, &d);
	bit_set(&fs, fs.s.g.bbitmap_start, d.block[3], false);	/* in use, marked free */
	bit_set(&fs, fs.s.g.bbitmap_start, fs.s.g.blocks_count - 1, true);	/* leaked */
	expect_repair(&fs, VEXFS_FSCK_PREEN, "block bitmap: 1 in use but marked free, 1 marked in use but free");
	assert_true(bit_get(&fs, fs.s.g.bbitmap_start, d.block[3]));
	assert_false(bit_get(&fs, fs.s.g.bbitmap_start, fs.s.g.blocks_count - 1));
	fs_done(&fs);
}

static void bitmap_padding_bits_restored(void **state)
{
	struct fs fs;

	(void)state;
	fs_new(&fs);
	bit_set(&fs, fs.s.g.ibitmap_start, 65, false);	/* beyond 64 inodes */
	expect_repair(&fs, VEXFS_FSCK_PREEN, "inode bitmap");
	fs_done(&fs);
}

static void link_counts_preened(void **state)
{
	struct fs fs;
	struct tree t;
	struct vexfs_dinode d;

	(void)state;
	fs_new(&fs);
	populate(&fs, &t);
	get_inode(&fs, t.big, &d);
	d.nlink = 5;
	put_inode(&fs, t.big, &d);
	get_inode(&fs, VEXFS_ROOT_INO, &d);
	d.nlink = 3;	/* has subdirectories a and lost+found: should be 4 */
	put_inode(&fs, VEXFS_ROOT_INO, &d);
	expect_repair(&fs, VEXFS_FSCK_PREEN, "link count 5, should be 1");
	get_inode(&fs, VEXFS_ROOT_INO, &d);
	assert_int_equal(d.nlink, 4);
	fs_done(&fs);
}

static void orphan_freed_by_preen(void **state)
{
	struct vexfs_dinode d = { .mode = VEXFS_S_IFREG | 0600, .nlink = 0 };
	struct fs fs;
	uint32_t ino, b;

	(void)state;
	fs_new(&fs);
	ino = alloc_ino(&fs);
	b = map_new(&fs, &d, 0);
	d.size = BS;
	put_inode(&fs, ino, &d);
	expect_repair(&fs, VEXFS_FSCK_PREEN, "orphan");
	assert_false(bit_get(&fs, fs.s.g.ibitmap_start, ino));
	assert_false(bit_get(&fs, fs.s.g.bbitmap_start, b));
	fs_done(&fs);
}

/* The inode of entry @name of directory @dir, 0 if none. */
static uint32_t lookup(struct fs *fs, uint32_t dir, const char *name)
{
	struct vexfs_dirent des[BS / VEXFS_DIRENT_SIZE];
	struct vexfs_dinode d;

	get_inode(fs, dir, &d);
	for (uint64_t l = 0; l < d.size / BS && l < VEXFS_NDIR; l++) {
		rd(fs, d.block[l], des);
		for (unsigned int k = 0; k < BS / VEXFS_DIRENT_SIZE; k++)
			if (des[k].d_ino && des[k].d_name_len == strlen(name) &&
			    !memcmp(des[k].d_name, name, strlen(name)))
				return le32toh(des[k].d_ino);
	}
	return 0;
}

static void unattached_linked_inode_reconnected(void **state)
{
	struct vexfs_dinode d = { .mode = VEXFS_S_IFREG | 0600, .nlink = 1 };
	struct fs fs;
	uint32_t ino;
	char name[16];

	(void)state;
	fs_new(&fs);
	ino = alloc_ino(&fs);
	put_inode(&fs, ino, &d);
	snprintf(name, sizeof(name), "#%u", ino);
	expect_manual_repair(&fs, "reconnected to /lost+found as \"#");
	assert_true(bit_get(&fs, fs.s.g.ibitmap_start, ino));
	assert_int_equal(lookup(&fs, lookup(&fs, VEXFS_ROOT_INO, "lost+found"), name), ino);
	fs_done(&fs);
}

static void lost_found_grows_for_many_inodes(void **state)
{
	struct vexfs_dinode d = { .mode = VEXFS_S_IFREG | 0600, .nlink = 2 };
	struct fs fs;
	uint32_t ino[5], lpf;
	char name[16];

	(void)state;
	fs_new(&fs);
	for (int i = 0; i < 5; i++) {
		ino[i] = alloc_ino(&fs);
		put_inode(&fs, ino[i], &d);
	}
	expect_manual_repair(&fs, "reconnected to /lost+found");
	lpf = lookup(&fs, VEXFS_ROOT_INO, "lost+found");
	get_inode(&fs, lpf, &d);
	assert_int_equal(d.size, 2 * BS);	/* 2 free slots per 1 KiB block */
	assert_int_equal(d.blocks, 2);
	for (int i = 0; i < 5; i++) {
		snprintf(name, sizeof(name), "#%u", ino[i]);
		assert_int_equal(lookup(&fs, lpf, name), ino[i]);
		get_inode(&fs, ino[i], &d);
		assert_int_equal(d.nlink, 1);	/* pass 4 after the reconnection */
	}
	fs_done(&fs);
}

static void missing_lost_found_created(void **state)
{
	struct vexfs_dirent des[BS / VEXFS_DIRENT_SIZE];
	struct vexfs_dinode root, d;
	struct fs fs;
	uint32_t old, lpf;

	(void)state;
	fs_new(&fs);
	old = lookup(&fs, VEXFS_ROOT_INO, "lost+found");
	assert_int_equal(old, 2);
	/* rmdir lost+found by hand */
	get_inode(&fs, VEXFS_ROOT_INO, &root);
	rd(&fs, root.block[0], des);
	memset(&des[2], 0, sizeof(des[2]));
	wr(&fs, root.block[0], des);
	root.nlink = 2;
	put_inode(&fs, VEXFS_ROOT_INO, &root);
	get_inode(&fs, old, &d);
	bit_set(&fs, fs.s.g.bbitmap_start, d.block[0], false);
	bit_set(&fs, fs.s.g.ibitmap_start, old, false);
	{
		/* the superblock still names it: that is reported too */
		struct vexfs_fsck_result res;

		assert_int_equal(vexfs_fsck(&fs.img, VEXFS_FSCK_CHECK, &res), VEXFS_FSCK_UNFIXED);
		vexfs_fsck_result_free(&res);
	}
	expect_repair(&fs, VEXFS_FSCK_PREEN, "/lost+found not found; created");
	lpf = lookup(&fs, VEXFS_ROOT_INO, "lost+found");
	assert_int_not_equal(lpf, 0);
	get_inode(&fs, lpf, &d);
	assert_int_equal(d.mode, VEXFS_S_IFDIR | 0700);
	assert_int_equal(d.nlink, 2);
	get_inode(&fs, VEXFS_ROOT_INO, &root);
	assert_int_equal(root.nlink, 3);
	{
		uint8_t raw[BS];
		struct vexfs_super s;
		const char *why;
		bool nv;

		rd(&fs, 0, raw);
		assert_int_equal(vexfs_super_decode(raw, 0, &s, &why, &nv), 0);
		assert_int_equal(s.lpf_ino, lpf);
	}
	fs_done(&fs);
}

static void unreachable_directory_subtree_reconnected(void **state)
{
	struct fs fs;
	struct tree t;
	struct vexfs_dirent des[BS / VEXFS_DIRENT_SIZE];
	struct vexfs_dinode root, d;
	uint32_t lpf;
	char name[16];
	int k;

	(void)state;
	fs_new(&fs);
	populate(&fs, &t);
	/* drop the entry of /a: a, a/big and a/link become unreachable */
	get_inode(&fs, VEXFS_ROOT_INO, &root);
	rd(&fs, root.block[0], des);
	for (k = 2; k < BS / VEXFS_DIRENT_SIZE; k++)
		if (le32toh(des[k].d_ino) == t.a)
			break;
	assert_true(k < BS / VEXFS_DIRENT_SIZE);
	memset(&des[k], 0, sizeof(des[k]));
	wr(&fs, root.block[0], des);
	expect_manual_repair(&fs, "not in any directory");
	lpf = lookup(&fs, VEXFS_ROOT_INO, "lost+found");
	snprintf(name, sizeof(name), "#%u", t.a);
	assert_int_equal(lookup(&fs, lpf, name), t.a);
	assert_int_equal(lookup(&fs, t.a, ".."), lpf);
	assert_int_equal(lookup(&fs, t.a, "big"), t.big);
	assert_true(bit_get(&fs, fs.s.g.ibitmap_start, t.big));
	assert_true(bit_get(&fs, fs.s.g.ibitmap_start, t.link));
	get_inode(&fs, VEXFS_ROOT_INO, &root);
	assert_int_equal(root.nlink, 3);	/* ., lost+found */
	get_inode(&fs, lpf, &d);
	assert_int_equal(d.nlink, 3);		/* ., .., #a */
	fs_done(&fs);
}

static void entry_to_free_inode_removed(void **state)
{
	struct fs fs;

	(void)state;
	fs_new(&fs);
	add_entry(&fs, VEXFS_ROOT_INO, "ghost", 40, VEXFS_FT_REG);
	expect_manual_repair(&fs, "points to a free inode");
	fs_done(&fs);
}

static void entry_with_bad_number_or_name_removed(void **state)
{
	struct fs fs;
	struct vexfs_dirent des[BS / VEXFS_DIRENT_SIZE];
	struct vexfs_dinode root;

	(void)state;
	fs_new(&fs);
	add_entry(&fs, VEXFS_ROOT_INO, "far", 1000, VEXFS_FT_REG);
	expect_manual_repair(&fs, "inode number out of range");
	mk_file(&fs, VEXFS_ROOT_INO, "slash", 0);
	get_inode(&fs, VEXFS_ROOT_INO, &root);
	rd(&fs, root.block[0], des);
	des[2].d_name[1] = '/';
	wr(&fs, root.block[0], des);
	/* the entry goes; its inode, now unattached, is freed */
	expect_manual_repair(&fs, "name contains '/'");
	fs_done(&fs);
}

static void duplicate_block_cleared(void **state)
{
	struct fs fs;
	uint32_t f1, f2;
	struct vexfs_dinode d1, d2;

	(void)state;
	fs_new(&fs);
	f1 = mk_file(&fs, VEXFS_ROOT_INO, "one", 2);
	f2 = mk_file(&fs, VEXFS_ROOT_INO, "two", 2);
	get_inode(&fs, f1, &d1);
	get_inode(&fs, f2, &d2);
	d2.block[1] = d1.block[0];
	put_inode(&fs, f2, &d2);
	expect_manual_repair(&fs, "is also used elsewhere");
	get_inode(&fs, f2, &d2);
	assert_int_equal(d2.block[1], 0);
	assert_int_equal(d2.blocks, 1);
	fs_done(&fs);
}

static void pointer_out_of_range_cleared(void **state)
{
	struct fs fs;
	uint32_t f;
	struct vexfs_dinode d;

	(void)state;
	fs_new(&fs);
	f = mk_file(&fs, VEXFS_ROOT_INO, "f", 300);
	get_inode(&fs, f, &d);
	{
		uint32_t ind[BS / 4];

		rd(&fs, d.block[VEXFS_IND], ind);
		ind[7] = htole32(3);	/* the inode table */
		wr(&fs, d.block[VEXFS_IND], ind);
	}
	expect_manual_repair(&fs, "out of range");
	fs_done(&fs);
}

static void bad_inode_checksum_clears_inode(void **state)
{
	struct fs fs;
	struct tree t;
	uint8_t byte;
	uint64_t off;

	(void)state;
	fs_new(&fs);
	populate(&fs, &t);
	off = fs.s.g.itable_start * BS + (uint64_t)(t.vec - 1) * VEXFS_INODE_SIZE + 20;
	assert_int_equal(vexfs_read_bytes(&fs.img, off, 1, &byte), 0);
	byte ^= 0x40;
	assert_int_equal(vexfs_write_bytes(&fs.img, off, 1, &byte), 0);
	expect_manual_repair(&fs, "checksum mismatch");
	assert_false(bit_get(&fs, fs.s.g.ibitmap_start, t.vec));
	fs_done(&fs);
}

static void vector_record_damage_removes_vector(void **state)
{
	struct fs fs;
	struct tree t;
	struct vexfs_dinode d;
	uint8_t buf[BS];
	uint32_t vb;

	(void)state;
	fs_new(&fs);
	populate(&fs, &t);
	get_inode(&fs, t.vec, &d);
	vb = d.vec_block;
	rd(&fs, vb + 1, buf);
	buf[5] ^= 1;	/* an element: checksum mismatch */
	wr(&fs, vb + 1, buf);
	expect_manual_repair(&fs, "vector record checksum mismatch");
	get_inode(&fs, t.vec, &d);
	assert_int_equal(d.vec_block, 0);
	assert_int_equal(d.vec_dim, 0);
	assert_int_equal(d.blocks, 1);
	assert_false(bit_get(&fs, fs.s.g.bbitmap_start, vb));
	fs_done(&fs);
}

static void vector_fields_validated(void **state)
{
	struct fs fs;
	struct tree t;
	struct vexfs_dinode d;

	(void)state;
	fs_new(&fs);
	populate(&fs, &t);
	get_inode(&fs, t.vec, &d);
	d.vec_dim = 301;	/* differs from the record */
	put_inode(&fs, t.vec, &d);
	expect_manual_repair(&fs, "dimension or type differs");

	set_vector(&fs, t.big, 8, VEXFS_VEC_INT8);
	get_inode(&fs, t.big, &d);
	d.vec_type = 9;
	put_inode(&fs, t.big, &d);
	expect_manual_repair(&fs, "incomplete or unknown vector fields");
	fs_done(&fs);
}

static void blocks_past_eof_preened(void **state)
{
	struct fs fs;
	uint32_t f, b;
	struct vexfs_dinode d;

	(void)state;
	fs_new(&fs);
	f = mk_file(&fs, VEXFS_ROOT_INO, "f", 20);
	get_inode(&fs, f, &d);
	b = d.block[VEXFS_IND];
	d.size = 3 * BS + 1;	/* 4 blocks; 16 mapped past the end */
	put_inode(&fs, f, &d);
	expect_repair(&fs, VEXFS_FSCK_PREEN, "past the end of the file");
	get_inode(&fs, f, &d);
	assert_int_equal(d.block[VEXFS_IND], 0);
	assert_int_equal(d.block[4], 0);
	assert_int_equal(d.blocks, 4);
	assert_false(bit_get(&fs, fs.s.g.bbitmap_start, b));
	fs_done(&fs);
}

static void dot_entries_and_types_repaired(void **state)
{
	struct fs fs;
	struct tree t;
	struct vexfs_dinode d;
	struct vexfs_dirent des[BS / VEXFS_DIRENT_SIZE];

	(void)state;
	fs_new(&fs);
	populate(&fs, &t);
	get_inode(&fs, t.a, &d);
	rd(&fs, d.block[0], des);
	des[1].d_ino = htole32(t.a);	/* ".." of /a points to itself */
	des[2].d_type = VEXFS_FT_DIR;	/* "big" is a regular file */
	wr(&fs, d.block[0], des);
	expect_manual_repair(&fs, "entry \"..\" is wrong");
	rd(&fs, d.block[0], des);
	assert_int_equal(le32toh(des[1].d_ino), VEXFS_ROOT_INO);
	assert_int_equal(des[2].d_type, VEXFS_FT_REG);

	des[3].d_type = VEXFS_FT_FIFO;	/* "link": only a type: preen fixes it */
	wr(&fs, d.block[0], des);
	expect_repair(&fs, VEXFS_FSCK_PREEN, "has file type 1");
	fs_done(&fs);
}

static void duplicate_names_and_second_dir_link_removed(void **state)
{
	struct fs fs;
	struct tree t;
	uint32_t b;

	(void)state;
	fs_new(&fs);
	populate(&fs, &t);
	add_entry(&fs, t.a, "vec", t.vec, VEXFS_FT_REG);	/* a hard link: fine */
	add_entry(&fs, VEXFS_ROOT_INO, "vec", t.big, VEXFS_FT_REG);
	expect_manual_repair(&fs, "duplicate name \"vec\"");

	b = mk_dir(&fs, VEXFS_ROOT_INO, "b");
	add_entry(&fs, b, "again", t.a, VEXFS_FT_DIR);
	expect_manual_repair(&fs, "second link to a directory");
	fs_done(&fs);
}

static void directory_hole_truncated(void **state)
{
	struct fs fs;
	struct vexfs_dinode d;
	char name[16];

	(void)state;
	fs_new(&fs);
	for (int i = 0; i < 8; i++) {	/* 4 entries a block: 3 blocks */
		snprintf(name, sizeof(name), "f%d", i);
		mk_node(&fs, VEXFS_ROOT_INO, name, VEXFS_S_IFIFO | 0600);
	}
	get_inode(&fs, VEXFS_ROOT_INO, &d);
	assert_int_equal(d.size, 3 * BS);
	bit_set(&fs, fs.s.g.bbitmap_start, d.block[1], false);
	d.block[1] = 0;
	d.blocks--;
	put_inode(&fs, VEXFS_ROOT_INO, &d);
	expect_manual_repair(&fs, "directory has a hole at block 1");
	get_inode(&fs, VEXFS_ROOT_INO, &d);
	assert_int_equal(d.size, BS);
	fs_done(&fs);
}

static void superblock_damage_is_not_repaired(void **state)
{
	struct fs fs;
	uint8_t buf[BS];

	(void)state;
	fs_new(&fs);
	rd(&fs, 0, buf);
	buf[30] ^= 1;	/* blocks count: checksum mismatch */
	wr(&fs, 0, buf);
	assert_int_equal(check(&fs, VEXFS_FSCK_REPAIR, "superblock checksum mismatch"),
			 VEXFS_FSCK_UNFIXED);
	buf[0] = 0;
	wr(&fs, 0, buf);
	assert_int_equal(check(&fs, VEXFS_FSCK_CHECK, NULL), VEXFS_FSCK_OPERROR);
	fs_done(&fs);
}

static void unrepairable_root_changes_nothing(void **state)
{
	struct fs fs;
	struct tree t;
	struct vexfs_dinode d;
	uint8_t *before;

	(void)state;
	fs_new(&fs);
	populate(&fs, &t);
	get_inode(&fs, t.big, &d);
	d.nlink = 7;			/* repairable */
	put_inode(&fs, t.big, &d);
	get_inode(&fs, VEXFS_ROOT_INO, &d);
	d.mode = VEXFS_S_IFREG | 0644;	/* not */
	put_inode(&fs, VEXFS_ROOT_INO, &d);
	before = snapshot(&fs);
	assert_int_equal(check(&fs, VEXFS_FSCK_REPAIR, "root inode is not a valid directory"),
			 VEXFS_FSCK_UNFIXED);
	assert_int_equal(check(&fs, VEXFS_FSCK_PREEN, "root inode is not a valid directory"),
			 VEXFS_FSCK_UNFIXED);
	assert_unchanged(&fs, before);
	fs_done(&fs);
}

static void error_state_cleared_by_preen(void **state)
{
	struct fs fs;
	uint8_t raw[VEXFS_SUPER_SIZE];

	(void)state;
	fs_new(&fs);
	fs.s.state = VEXFS_STATE_ERROR;
	vexfs_super_encode(&fs.s, raw);
	assert_int_equal(vexfs_write_bytes(&fs.img, 0, sizeof(raw), raw), 0);
	expect_repair(&fs, VEXFS_FSCK_PREEN, "an error was recorded");
	fs_done(&fs);
}

static void special_file_with_data_cleared(void **state)
{
	struct fs fs;
	struct tree t;
	struct vexfs_dinode d;

	(void)state;
	fs_new(&fs);
	populate(&fs, &t);
	get_inode(&fs, t.fifo, &d);
	d.size = 10;
	put_inode(&fs, t.fifo, &d);
	expect_manual_repair(&fs, "special file with data");
	fs_done(&fs);
}

/* ---- the orphan list ------------------------------------------------------ */

static void set_last_orphan(struct fs *fs, uint32_t ino)
{
	uint8_t raw[VEXFS_SUPER_SIZE];

	fs->s.last_orphan = ino;
	vexfs_super_encode(&fs->s, raw);
	assert_int_equal(vexfs_write_bytes(&fs->img, 0, sizeof(raw), raw), 0);
}

static uint32_t last_orphan(struct fs *fs)
{
	uint8_t raw[VEXFS_SUPER_SIZE];
	struct vexfs_super s;
	const char *why = NULL;
	bool not_vexfs;

	assert_int_equal(vexfs_read_bytes(&fs->img, 0, sizeof(raw), raw), 0);
	assert_int_equal(vexfs_super_decode(raw, 0, &s, &why, &not_vexfs), 0);
	return s.last_orphan;
}

static void set_next_orphan(struct fs *fs, uint32_t ino, uint32_t next)
{
	struct vexfs_dinode d;

	get_inode(fs, ino, &d);
	d.next_orphan = next;
	put_inode(fs, ino, &d);
}

/* An inode no directory names, as unlink leaves an open file: @nblocks. */
static uint32_t mk_unlinked(struct fs *fs, uint16_t mode, uint64_t nblocks)
{
	struct vexfs_dinode d = { .mode = mode, .nlink = 0, .mtime = 1 };
	uint32_t ino = alloc_ino(fs);

	for (uint64_t l = 0; l < nblocks; l++)
		map_new(fs, &d, l);
	d.size = nblocks * BS;
	put_inode(fs, ino, &d);
	return ino;
}

/* Remove the entry @name of directory @dir. */
static void rm_entry(struct fs *fs, uint32_t dir, const char *name)
{
	struct vexfs_dirent des[BS / VEXFS_DIRENT_SIZE];
	struct vexfs_dinode d;

	get_inode(fs, dir, &d);
	for (uint64_t l = 0; l < d.size / BS && l < VEXFS_NDIR; l++) {
		rd(fs, d.block[l], des);
		for (unsigned int k = 0; k < BS / VEXFS_DIRENT_SIZE; k++) {
			if (!des[k].d_ino || des[k].d_name_len != strlen(name) ||
			    memcmp(des[k].d_name, name, strlen(name)))
				continue;
			memset(&des[k], 0, sizeof(des[k]));
			wr(fs, d.block[l], des);
			return;
		}
	}
	fail_msg("no entry %s", name);
}

/* The result of a run: status, and it must have no problem line. */
static int run_quiet(struct fs *fs, enum vexfs_fsck_mode mode,
		     struct vexfs_fsck_result *res)
{
	int st = vexfs_fsck(&fs->img, mode, res);

	for (size_t i = 0; i < res->nproblems; i++)
		print_message("problem: %s\n", res->problems[i].text);
	assert_int_equal(res->nproblems, 0);
	return st;
}

/* No problem line of the last run mentions @text. */
static void assert_not_said(struct fs *fs, enum vexfs_fsck_mode mode,
			    const char *text, int want_status)
{
	struct vexfs_fsck_result res;

	assert_int_equal(vexfs_fsck(&fs->img, mode, &res), want_status);
	for (size_t i = 0; i < res.nproblems; i++)
		if (strstr(res.problems[i].text, text))
			fail_msg("unexpected problem: %s", res.problems[i].text);
	vexfs_fsck_result_free(&res);
}

static void orphan_list_pending_is_clean_and_preen_deletes(void **state)
{
	struct vexfs_fsck_result res;
	struct vexfs_dinode d;
	struct fs fs;
	uint32_t a, b, blk_a, used;
	uint8_t *before;

	(void)state;
	fs_new(&fs);
	mk_file(&fs, VEXFS_ROOT_INO, "kept", 2);
	assert_int_equal(run_quiet(&fs, VEXFS_FSCK_CHECK, &res), 0);
	used = (uint32_t)res.blocks_used;
	vexfs_fsck_result_free(&res);
	/* a file with an indirect block and a directory, unlinked while open */
	a = mk_unlinked(&fs, VEXFS_S_IFREG | 0600, 14);
	b = mk_dir(&fs, VEXFS_ROOT_INO, "gone");
	/* rmdir: the entry and the root's link go, the inode stays */
	rm_entry(&fs, VEXFS_ROOT_INO, "gone");
	get_inode(&fs, VEXFS_ROOT_INO, &d);
	d.nlink--;
	put_inode(&fs, VEXFS_ROOT_INO, &d);
	get_inode(&fs, b, &d);
	d.nlink = 0;
	put_inode(&fs, b, &d);
	get_inode(&fs, a, &d);
	blk_a = d.block[VEXFS_IND];
	set_next_orphan(&fs, b, a);
	set_last_orphan(&fs, b);

	/* -n: pending work, not a problem */
	before = snapshot(&fs);
	assert_int_equal(run_quiet(&fs, VEXFS_FSCK_CHECK, &res), VEXFS_FSCK_OK);
	assert_int_equal(res.orphans, 2);
	assert_false(res.orphans_processed);
	assert_int_equal(res.inodes_used, 5);	/* /, lost+found, kept, a, b */
	vexfs_fsck_result_free(&res);
	assert_unchanged(&fs, before);

	/* -p deletes both, silently for the bitmaps */
	assert_int_equal(check(&fs, VEXFS_FSCK_PREEN, "inode 5: on the orphan list with no link; deleted"),
			 VEXFS_FSCK_FIXED);
	assert_int_equal(check(&fs, VEXFS_FSCK_CHECK, NULL), VEXFS_FSCK_OK);
	assert_int_equal(last_orphan(&fs), 0);
	assert_false(bit_get(&fs, fs.s.g.ibitmap_start, a));
	assert_false(bit_get(&fs, fs.s.g.ibitmap_start, b));
	assert_false(bit_get(&fs, fs.s.g.bbitmap_start, blk_a));
	assert_int_equal(run_quiet(&fs, VEXFS_FSCK_CHECK, &res), VEXFS_FSCK_OK);
	assert_int_equal(res.orphans, 0);
	assert_int_equal(res.blocks_used, used + 1);	/* the root grew for "gone" */
	assert_int_equal(res.inodes_used, 3);
	vexfs_fsck_result_free(&res);
	fs_done(&fs);
}

static void orphan_list_preen_reports_each_inode_not_the_bitmaps(void **state)
{
	struct vexfs_fsck_result res;
	struct fs fs;
	uint32_t a;

	(void)state;
	fs_new(&fs);
	a = mk_unlinked(&fs, VEXFS_S_IFREG | 0600, 20);
	set_last_orphan(&fs, a);
	assert_int_equal(vexfs_fsck(&fs.img, VEXFS_FSCK_PREEN, &res), VEXFS_FSCK_FIXED);
	assert_true(res.orphans_processed);
	assert_int_equal(res.orphans, 1);
	assert_int_equal(res.nproblems, 1);
	assert_string_equal(res.problems[0].text, "inode 3: on the orphan list with no link; deleted");
	assert_true(res.problems[0].fixed);
	vexfs_fsck_result_free(&res);
	assert_int_equal(run_quiet(&fs, VEXFS_FSCK_CHECK, &res), VEXFS_FSCK_OK);
	vexfs_fsck_result_free(&res);
	fs_done(&fs);
}

static void orphan_list_linked_file_truncated_to_its_size(void **state)
{
	struct vexfs_fsck_result res;
	struct vexfs_dinode d;
	struct fs fs;
	uint32_t f, ind;
	uint8_t *before;

	(void)state;
	fs_new(&fs);
	f = mk_file(&fs, VEXFS_ROOT_INO, "f", 20);	/* 12 direct, 8 + IND */
	get_inode(&fs, f, &d);
	ind = d.block[VEXFS_IND];
	d.size = 3 * BS + 1;	/* a truncation to 4 blocks was in progress */
	put_inode(&fs, f, &d);
	set_last_orphan(&fs, f);

	before = snapshot(&fs);
	assert_int_equal(run_quiet(&fs, VEXFS_FSCK_CHECK, &res), VEXFS_FSCK_OK);
	assert_int_equal(res.orphans, 1);
	vexfs_fsck_result_free(&res);
	assert_unchanged(&fs, before);

	assert_int_equal(check(&fs, VEXFS_FSCK_REPAIR,
			       "inode 3: on the orphan list; truncated to 3073 bytes (17 block(s) freed)"),
			 VEXFS_FSCK_FIXED);
	assert_not_said(&fs, VEXFS_FSCK_CHECK, "bitmap", VEXFS_FSCK_OK);
	get_inode(&fs, f, &d);
	assert_int_equal(d.size, 3 * BS + 1);
	assert_int_equal(d.blocks, 4);
	assert_int_equal(d.block[4], 0);
	assert_int_equal(d.block[VEXFS_IND], 0);
	assert_int_equal(d.next_orphan, 0);
	assert_false(bit_get(&fs, fs.s.g.bbitmap_start, ind));
	assert_int_equal(last_orphan(&fs), 0);
	assert_int_equal(lookup(&fs, VEXFS_ROOT_INO, "f"), f);
	fs_done(&fs);
}

static void orphan_list_inode_still_named_keeps_its_entry(void **state)
{
	struct vexfs_dinode d;
	struct fs fs;
	uint32_t f;

	(void)state;
	fs_new(&fs);
	f = mk_file(&fs, VEXFS_ROOT_INO, "f", 2);
	get_inode(&fs, f, &d);
	d.nlink = 0;	/* on the list with no link, yet a directory names it */
	put_inode(&fs, f, &d);
	set_last_orphan(&fs, f);
	expect_repair(&fs, VEXFS_FSCK_PREEN, "link count 0, should be 1");
	get_inode(&fs, f, &d);
	assert_int_equal(d.nlink, 1);
	assert_int_equal(d.blocks, 2);
	assert_int_equal(lookup(&fs, VEXFS_ROOT_INO, "f"), f);
	assert_int_equal(last_orphan(&fs), 0);
	fs_done(&fs);
}

static void orphan_list_waits_when_preen_stops(void **state)
{
	struct vexfs_fsck_result res;
	struct vexfs_dinode d;
	struct fs fs;
	struct tree t;
	uint32_t a;
	uint8_t *before;

	(void)state;
	fs_new(&fs);
	populate(&fs, &t);
	a = mk_unlinked(&fs, VEXFS_S_IFREG | 0600, 1);
	set_last_orphan(&fs, a);
	get_inode(&fs, t.fifo, &d);
	d.size = 10;	/* not a preen job */
	put_inode(&fs, t.fifo, &d);
	before = snapshot(&fs);
	assert_int_equal(vexfs_fsck(&fs.img, VEXFS_FSCK_PREEN, &res), VEXFS_FSCK_UNFIXED);
	assert_int_equal(res.orphans, 1);
	assert_false(res.orphans_processed);
	vexfs_fsck_result_free(&res);
	assert_unchanged(&fs, before);
	assert_int_equal(check(&fs, VEXFS_FSCK_REPAIR, "on the orphan list with no link; deleted"),
			 VEXFS_FSCK_FIXED);
	assert_int_equal(check(&fs, VEXFS_FSCK_CHECK, NULL), VEXFS_FSCK_OK);
	assert_false(bit_get(&fs, fs.s.g.ibitmap_start, a));
	fs_done(&fs);
}

/* A malformed list: reported, dropped by preen, its inodes repaired. */
static void expect_list_dropped(struct fs *fs, const char *why)
{
	char text[128];

	snprintf(text, sizeof(text), "orphan list: %s; list dropped", why);
	expect_repair(fs, VEXFS_FSCK_PREEN, text);
	assert_int_equal(last_orphan(fs), 0);
}

static void orphan_list_malformed_is_dropped(void **state)
{
	struct fs fs;
	uint32_t a, b, d, f;
	char why[64];

	(void)state;
	fs_new(&fs);
	a = mk_unlinked(&fs, VEXFS_S_IFREG | 0600, 2);
	b = mk_unlinked(&fs, VEXFS_S_IFREG | 0600, 2);

	/* a loop: a -> b -> a; both freed as plain orphans, pointers cleared */
	set_next_orphan(&fs, a, b);
	set_next_orphan(&fs, b, a);
	set_last_orphan(&fs, a);
	snprintf(why, sizeof(why), "inode %u is on it twice (a loop)", a);
	expect_list_dropped(&fs, why);
	assert_false(bit_get(&fs, fs.s.g.ibitmap_start, a));
	assert_false(bit_get(&fs, fs.s.g.ibitmap_start, b));

	/* a bad inode number after a good inode */
	a = mk_unlinked(&fs, VEXFS_S_IFREG | 0600, 1);
	set_next_orphan(&fs, a, 1000);
	set_last_orphan(&fs, a);
	expect_list_dropped(&fs, "inode number 1000 out of range");
	assert_false(bit_get(&fs, fs.s.g.ibitmap_start, a));

	/* the root, and a free inode */
	set_last_orphan(&fs, VEXFS_ROOT_INO);
	expect_list_dropped(&fs, "inode number 1 out of range");
	set_last_orphan(&fs, 40);
	expect_list_dropped(&fs, "inode 40 is free");

	/* a linked directory: only a regular file is truncated */
	d = mk_dir(&fs, VEXFS_ROOT_INO, "d");
	set_last_orphan(&fs, d);
	snprintf(why, sizeof(why), "inode %u has links and is not a regular file", d);
	expect_list_dropped(&fs, why);

	/* a damaged inode on it: dropped too, but the inode is no preen job */
	f = mk_file(&fs, VEXFS_ROOT_INO, "f", 1);
	set_last_orphan(&fs, f);
	{
		struct vexfs_inode raw;
		uint64_t off = fs.s.g.itable_start * BS + (uint64_t)(f - 1) * VEXFS_INODE_SIZE;

		assert_int_equal(vexfs_read_bytes(&fs.img, off, sizeof(raw), &raw), 0);
		raw.i_checksum ^= htole32(1);
		assert_int_equal(vexfs_write_bytes(&fs.img, off, sizeof(raw), &raw), 0);
	}
	snprintf(why, sizeof(why), "orphan list: inode %u is damaged", f);
	expect_manual_repair(&fs, why);
	assert_int_equal(last_orphan(&fs), 0);
	fs_done(&fs);
}

static void stale_orphan_pointer_cleared_by_preen(void **state)
{
	struct vexfs_dinode d;
	struct fs fs;
	uint32_t f;

	(void)state;
	fs_new(&fs);
	f = mk_file(&fs, VEXFS_ROOT_INO, "f", 1);
	set_next_orphan(&fs, f, 9);
	expect_repair(&fs, VEXFS_FSCK_PREEN,
		      "orphan list pointer 9 set but the inode is not on the orphan list; cleared");
	get_inode(&fs, f, &d);
	assert_int_equal(d.next_orphan, 0);
	fs_done(&fs);
}

/* ---- the journal: a test-only jbd2 writer, replay, fsck ------------------- */

/* A 2 MiB image with a journal of 1024 blocks (1 MiB at 1 KiB blocks). */
static void fs_new_journal(struct fs *fs)
{
	struct vexfs_mkfs_opts o = { .time = 1, .block_size = BS, .inodes = 64,
				     .journal = VEXFS_JOURNAL_SIZE,
				     .journal_bytes = 1 << 20 };
	const char *why = NULL;
	int fd;

	strcpy(fs->path, "/tmp/vexfs-fsck.XXXXXX");
	fd = mkstemp(fs->path);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, IMG_BYTES), 0);
	close(fd);
	assert_int_equal(vexfs_image_open(&fs->img, fs->path, true, false), 0);
	assert_int_equal(vexfs_mkfs(&fs->img, &o, &fs->s, &why), 0);
	assert_int_equal(fs->s.journal_blocks, 1024);
}

#define JMAX 64

struct jw {
	struct fs *fs;
	uint32_t first, maxlen, start, next, tid, seed;
	/* the transaction being built */
	uint32_t home[JMAX];
	uint8_t data[JMAX][BS];
	uint32_t n;
	uint32_t revoke[JMAX], nrevoke;
};

static void jw_put(struct jw *w, uint32_t n, const void *blk)
{
	assert_true(n >= w->first && n < w->maxlen);
	wr(w->fs, w->fs->s.journal_start + n, blk);
}

static uint32_t jw_next(struct jw *w)
{
	uint32_t n = w->next;

	w->next = n + 1 >= w->maxlen ? w->first : n + 1;
	return n;
}

static void jw_header(uint8_t *b, uint32_t type, uint32_t tid)
{
	memset(b, 0, BS);
	vexfs_jbd2_put32(b, 0, VEXFS_JBD2_MAGIC);
	vexfs_jbd2_put32(b, 4, type);
	vexfs_jbd2_put32(b, 8, tid);
}

/* Write the journal superblock: log from @start, first transaction @tid. */
static void jw_super(struct jw *w, uint32_t start, uint32_t tid)
{
	uint8_t b[BS];

	vexfs_journal_sb_init(b, BS, w->maxlen, w->fs->s.uuid, tid);
	vexfs_jbd2_put32(b, JSB_START, start);
	vexfs_jbd2_put32(b, JSB_CHECKSUM, vexfs_jbd2_sb_csum(b));
	wr(w->fs, w->fs->s.journal_start, b);
}

/* Set or clear INCOMPAT_RECOVER in the VexFS superblock. */
static void set_recover(struct fs *fs, bool on)
{
	uint8_t raw[BS] = {0};

	if (on)
		fs->s.feature_incompat |= VEXFS_FEATURE_INCOMPAT_RECOVER;
	else
		fs->s.feature_incompat &= ~VEXFS_FEATURE_INCOMPAT_RECOVER;
	vexfs_super_encode(&fs->s, raw);
	wr(fs, 0, raw);
}

/* A log from @start, first transaction @tid; the superblock says so. */
static void jw_init(struct jw *w, struct fs *fs, uint32_t start, uint32_t tid)
{
	memset(w, 0, sizeof(*w));
	w->fs = fs;
	w->first = 1;
	w->maxlen = fs->s.journal_blocks;
	w->start = w->next = start;
	w->tid = tid;
	w->seed = vexfs_jbd2_seed(fs->s.uuid);
	jw_super(w, start, tid);
	set_recover(fs, true);
}

static void jw_log(struct jw *w, uint32_t home, const void *blk)
{
	assert_true(w->n < JMAX);
	w->home[w->n] = home;
	memcpy(w->data[w->n++], blk, BS);
}

static void jw_log_fill(struct jw *w, uint32_t home, int byte)
{
	uint8_t b[BS];

	memset(b, byte, sizeof(b));
	jw_log(w, home, b);
}

enum { JW_OK, JW_NO_COMMIT, JW_BAD_COMMIT };

/* Write the transaction: revoke block, descriptor, blocks, commit. */
static void jw_commit(struct jw *w, int how)
{
	uint8_t b[BS];

	if (w->nrevoke) {
		uint32_t off = VEXFS_JBD2_REVOKE_HEADER_SIZE;

		jw_header(b, VEXFS_JBD2_REVOKE_BLOCK, w->tid);
		for (uint32_t i = 0; i < w->nrevoke; i++, off += 4)
			vexfs_jbd2_put32(b, off, w->revoke[i]);
		vexfs_jbd2_put32(b, VEXFS_JBD2_HEADER_SIZE, off);
		vexfs_jbd2_put32(b, BS - 4, vexfs_jbd2_block_tail_csum(w->seed, b, BS));
		jw_put(w, jw_next(w), b);
	}
	if (w->n) {
		uint32_t off = VEXFS_JBD2_HEADER_SIZE;

		jw_header(b, VEXFS_JBD2_DESCRIPTOR_BLOCK, w->tid);
		for (uint32_t i = 0; i < w->n; i++) {
			uint32_t flags = i ? VEXFS_JBD2_FLAG_SAME_UUID : 0;

			/* a block starting with the magic is logged escaped */
			if (vexfs_jbd2_get32(w->data[i], 0) == VEXFS_JBD2_MAGIC) {
				flags |= VEXFS_JBD2_FLAG_ESCAPE;
				memset(w->data[i], 0, 4);
			}
			if (i == w->n - 1)
				flags |= VEXFS_JBD2_FLAG_LAST_TAG;
			assert_true(off + VEXFS_JBD2_TAG3_SIZE + (i ? 0 : 16) <= BS - 4);
			vexfs_jbd2_put32(b, off + JTAG_BLOCKNR, w->home[i]);
			vexfs_jbd2_put32(b, off + JTAG_FLAGS, flags);
			vexfs_jbd2_put32(b, off + JTAG_CHECKSUM,
					 vexfs_jbd2_tag_csum(w->seed, w->tid, w->data[i], BS));
			off += VEXFS_JBD2_TAG3_SIZE;
			if (!i) {
				memcpy(b + off, w->fs->s.uuid, 16);
				off += 16;
			}
			assert_true(off <= BS - 4);
		}
		vexfs_jbd2_put32(b, BS - 4, vexfs_jbd2_block_tail_csum(w->seed, b, BS));
		jw_put(w, jw_next(w), b);
		for (uint32_t i = 0; i < w->n; i++)
			jw_put(w, jw_next(w), w->data[i]);
	}
	if (how != JW_NO_COMMIT) {
		jw_header(b, VEXFS_JBD2_COMMIT_BLOCK, w->tid);
		vexfs_jbd2_put32(b, JCOMMIT_SEC + 4, 1700000000);
		vexfs_jbd2_put32(b, JCOMMIT_CHKSUM, vexfs_jbd2_commit_csum(w->seed, b, BS));
		if (how == JW_BAD_COMMIT)
			b[100] ^= 1;
		jw_put(w, jw_next(w), b);
	}
	w->tid++;
	w->n = 0;
	w->nrevoke = 0;
}

static void assert_block_fill(struct fs *fs, uint32_t b, int byte)
{
	uint8_t got[BS], want[BS];

	rd(fs, b, got);
	memset(want, byte, sizeof(want));
	assert_memory_equal(got, want, BS);
}

/* Replay; the journal is empty and RECOVER clear afterwards. */
static void replay_ok(struct fs *fs, struct vexfs_replay *r)
{
	uint8_t raw[BS];
	const char *why;
	bool nv;

	if (vexfs_journal_replay(&fs->img, &fs->s, r))
		fail_msg("replay failed: %s", r->error);
	rd(fs, fs->s.journal_start, raw);
	assert_int_equal(vexfs_jbd2_get32(raw, JSB_START), 0);
	assert_int_equal(vexfs_jbd2_get32(raw, JSB_SEQUENCE), r->end_tid + 1);
	assert_int_equal(vexfs_jbd2_get32(raw, JSB_CHECKSUM), vexfs_jbd2_sb_csum(raw));
	rd(fs, 0, raw);
	assert_int_equal(vexfs_super_decode(raw, 0, &fs->s, &why, &nv), 0);
	assert_false(fs->s.feature_incompat & VEXFS_FEATURE_INCOMPAT_RECOVER);
	assert_false(vexfs_journal_needs_recovery(&fs->img, &fs->s));
}

/* Replay must fail with @text in the error and change no byte. */
static void replay_refused(struct fs *fs, const char *text)
{
	uint8_t *before = snapshot(fs);
	struct vexfs_replay r;

	assert_int_equal(vexfs_journal_replay(&fs->img, &fs->s, &r), -1);
	if (!strstr(r.error, text))
		fail_msg("error '%s' does not mention '%s'", r.error, text);
	assert_unchanged(fs, before);
}

/* home blocks for the tests: free data blocks at the end of the image */
#define HOME(i) ((uint32_t)(IMG_BYTES / BS - 1 - (i)))

static void journal_super_and_geometry(void **state)
{
	uint8_t raw[BS];
	struct vexfs_jsb j;
	const char *why = NULL;
	struct fs fs;

	(void)state;
	fs_new_journal(&fs);
	assert_int_equal(fs.s.version, 2);
	assert_true(fs.s.feature_compat & VEXFS_FEATURE_COMPAT_HAS_JOURNAL);
	assert_int_equal(fs.s.journal_start, fs.s.g.data_start);
	rd(&fs, fs.s.journal_start, raw);
	assert_int_equal(vexfs_journal_sb_decode(raw, &fs.s, &j, &why), 0);
	assert_int_equal(j.blocksize, BS);
	assert_int_equal(j.maxlen, 1024);
	assert_int_equal(j.first, 1);
	assert_int_equal(j.sequence, 1);
	assert_int_equal(j.start, 0);
	assert_int_equal(j.feature_incompat, VEXFS_JBD2_INCOMPAT_REVOKE | VEXFS_JBD2_INCOMPAT_CSUM_V3);
	assert_int_equal(j.nr_users, 1);
	/* big-endian, as jbd2 */
	assert_int_equal(raw[0], 0xc0);
	assert_int_equal(raw[3], 0x98);
	/* the journal is in use and owned by no inode: the check is clean */
	assert_true(bit_get(&fs, fs.s.g.bbitmap_start, fs.s.journal_start));
	assert_true(bit_get(&fs, fs.s.g.bbitmap_start, fs.s.journal_start + 1023));
	assert_int_equal(check(&fs, VEXFS_FSCK_CHECK, NULL), 0);
	/* a block of the journal freed in the bitmap is found */
	bit_set(&fs, fs.s.g.bbitmap_start, fs.s.journal_start + 5, false);
	expect_repair(&fs, VEXFS_FSCK_PREEN, "block bitmap");
	/* a damaged journal superblock: -y recreates it */
	rd(&fs, fs.s.journal_start, raw);
	raw[JSB_MAXLEN + 3] ^= 1;
	wr(&fs, fs.s.journal_start, raw);
	expect_manual_repair(&fs, "journal superblock checksum mismatch");
	fs_done(&fs);
}

static void journal_pointer_into_journal_found(void **state)
{
	struct fs fs;
	struct vexfs_dinode d;
	uint32_t ino;

	(void)state;
	fs_new_journal(&fs);
	ino = mk_file(&fs, VEXFS_ROOT_INO, "f", 1);
	get_inode(&fs, ino, &d);
	d.block[1] = fs.s.journal_start + 7;
	d.size = 2 * BS;
	d.blocks = 2;
	put_inode(&fs, ino, &d);
	expect_manual_repair(&fs, "also used elsewhere");
	fs_done(&fs);
}

static void replay_one_and_several_transactions(void **state)
{
	struct vexfs_replay r;
	struct fs fs;
	struct jw w;

	(void)state;
	fs_new_journal(&fs);
	jw_init(&w, &fs, 1, 10);
	jw_log_fill(&w, HOME(0), 0xa1);
	jw_log_fill(&w, HOME(1), 0xa2);
	jw_commit(&w, JW_OK);
	jw_log_fill(&w, HOME(1), 0xb2);	/* a later copy wins */
	jw_log_fill(&w, HOME(2), 0xb3);
	jw_commit(&w, JW_OK);
	jw_log_fill(&w, HOME(3), 0xc4);
	jw_commit(&w, JW_OK);
	replay_ok(&fs, &r);
	assert_int_equal(r.transactions, 3);
	assert_int_equal(r.blocks, 5);
	assert_int_equal(r.first_tid, 10);
	assert_int_equal(r.end_tid, 13);
	assert_false(r.log_cut);
	assert_block_fill(&fs, HOME(0), 0xa1);
	assert_block_fill(&fs, HOME(1), 0xb2);
	assert_block_fill(&fs, HOME(2), 0xb3);
	assert_block_fill(&fs, HOME(3), 0xc4);
	fs_done(&fs);
}

static void replay_honours_revokes(void **state)
{
	struct vexfs_replay r;
	struct fs fs;
	struct jw w;

	(void)state;
	fs_new_journal(&fs);
	jw_init(&w, &fs, 1, 1);
	jw_log_fill(&w, HOME(0), 0x11);	/* revoked later: not written */
	jw_log_fill(&w, HOME(1), 0x12);	/* revoked, then logged again */
	jw_log_fill(&w, HOME(2), 0x13);
	jw_commit(&w, JW_OK);
	w.revoke[w.nrevoke++] = HOME(0);
	w.revoke[w.nrevoke++] = HOME(1);
	jw_commit(&w, JW_OK);
	jw_log_fill(&w, HOME(1), 0x32);
	jw_commit(&w, JW_OK);
	replay_ok(&fs, &r);
	assert_int_equal(r.transactions, 3);
	assert_int_equal(r.revoked, 2);
	assert_block_fill(&fs, HOME(0), 0);
	assert_block_fill(&fs, HOME(1), 0x32);
	assert_block_fill(&fs, HOME(2), 0x13);
	fs_done(&fs);
}

static void replay_ignores_torn_and_bad_commits(void **state)
{
	struct vexfs_replay r;
	struct fs fs;
	struct jw w;

	(void)state;
	/* no commit block: the last transaction is not replayed */
	fs_new_journal(&fs);
	jw_init(&w, &fs, 1, 5);
	jw_log_fill(&w, HOME(0), 0x51);
	jw_commit(&w, JW_OK);
	jw_log_fill(&w, HOME(1), 0x62);
	jw_commit(&w, JW_NO_COMMIT);
	replay_ok(&fs, &r);
	assert_int_equal(r.transactions, 1);
	assert_int_equal(r.end_tid, 6);
	assert_block_fill(&fs, HOME(0), 0x51);
	assert_block_fill(&fs, HOME(1), 0);
	fs_done(&fs);

	/* a bad commit checksum ends the log there, later ones included */
	fs_new_journal(&fs);
	jw_init(&w, &fs, 1, 5);
	jw_log_fill(&w, HOME(0), 0x51);
	jw_commit(&w, JW_OK);
	jw_log_fill(&w, HOME(1), 0x62);
	jw_commit(&w, JW_BAD_COMMIT);
	jw_log_fill(&w, HOME(2), 0x73);
	jw_commit(&w, JW_OK);
	replay_ok(&fs, &r);
	assert_int_equal(r.transactions, 1);
	assert_true(r.log_cut);
	assert_non_null(strstr(r.note, "commit block checksum mismatch"));
	assert_block_fill(&fs, HOME(1), 0);
	assert_block_fill(&fs, HOME(2), 0);
	fs_done(&fs);

	/* a logged block failing its checksum is skipped, as jbd2 does */
	fs_new_journal(&fs);
	jw_init(&w, &fs, 1, 5);
	jw_log_fill(&w, HOME(0), 0x51);
	jw_log_fill(&w, HOME(1), 0x52);
	jw_commit(&w, JW_OK);
	{
		uint8_t b[BS];

		rd(&fs, fs.s.journal_start + 3, b);	/* HOME(1)'s copy */
		b[9] ^= 0xff;
		wr(&fs, fs.s.journal_start + 3, b);
	}
	replay_ok(&fs, &r);
	assert_int_equal(r.bad_csum, 1);
	assert_block_fill(&fs, HOME(0), 0x51);
	assert_block_fill(&fs, HOME(1), 0);
	fs_done(&fs);
}

static void replay_wrapped_log_and_escaped_block(void **state)
{
	struct vexfs_replay r;
	uint8_t magic[BS], got[BS];
	struct fs fs;
	struct jw w;

	(void)state;
	fs_new_journal(&fs);
	jw_init(&w, &fs, 1022, 77);	/* two blocks before the end */
	memset(magic, 0x5a, sizeof(magic));
	vexfs_jbd2_put32(magic, 0, VEXFS_JBD2_MAGIC);
	jw_log(&w, HOME(0), magic);
	jw_log_fill(&w, HOME(1), 0x22);
	jw_log_fill(&w, HOME(2), 0x23);
	jw_commit(&w, JW_OK);
	assert_int_equal(w.next, 4);	/* 1022, 1023, then 1, 2, 3 */
	jw_log_fill(&w, HOME(3), 0x24);
	jw_commit(&w, JW_OK);
	/* the logged copy is escaped */
	rd(&fs, fs.s.journal_start + 1023, got);
	assert_int_equal(vexfs_jbd2_get32(got, 0), 0);
	replay_ok(&fs, &r);
	assert_int_equal(r.transactions, 2);
	rd(&fs, HOME(0), got);
	assert_memory_equal(got, magic, BS);
	assert_block_fill(&fs, HOME(1), 0x22);
	assert_block_fill(&fs, HOME(2), 0x23);
	assert_block_fill(&fs, HOME(3), 0x24);
	fs_done(&fs);
}

static void replay_logged_superblock(void **state)
{
	struct vexfs_replay r;
	struct vexfs_super s2;
	uint8_t raw[BS];
	struct fs fs;
	struct jw w;

	(void)state;
	/* a valid copy of block 0 (as the kernel logs it) is replayed */
	fs_new_journal(&fs);
	jw_init(&w, &fs, 1, 1);
	s2 = fs.s;
	strcpy(s2.label, "journaled");
	memset(raw, 0, sizeof(raw));
	vexfs_super_encode(&s2, raw);
	jw_log(&w, 0, raw);
	jw_commit(&w, JW_OK);
	replay_ok(&fs, &r);
	assert_string_equal(fs.s.label, "journaled");
	assert_int_equal(check(&fs, VEXFS_FSCK_CHECK, NULL), 0);
	fs_done(&fs);

	/* one that moves the journal is refused, nothing written */
	fs_new_journal(&fs);
	jw_init(&w, &fs, 1, 1);
	jw_log_fill(&w, HOME(0), 0x44);
	jw_commit(&w, JW_OK);
	s2 = fs.s;
	s2.journal_start += 1;
	memset(raw, 0, sizeof(raw));
	vexfs_super_encode(&s2, raw);
	jw_log(&w, 0, raw);
	jw_commit(&w, JW_OK);
	replay_refused(&fs, "invalid superblock");
	fs_done(&fs);
}

static void replay_refuses_crafted_journals(void **state)
{
	uint8_t b[BS];
	struct fs fs;
	struct jw w;

	(void)state;
	/* a home block past the end of the filesystem */
	fs_new_journal(&fs);
	jw_init(&w, &fs, 1, 1);
	jw_log_fill(&w, HOME(0), 1);
	jw_commit(&w, JW_OK);
	jw_log_fill(&w, (uint32_t)fs.s.g.blocks_count, 1);
	jw_commit(&w, JW_OK);
	replay_refused(&fs, "beyond the end of the filesystem");
	fs_done(&fs);

	/* a home block inside the journal */
	fs_new_journal(&fs);
	jw_init(&w, &fs, 1, 1);
	jw_log_fill(&w, fs.s.journal_start, 1);
	jw_commit(&w, JW_OK);
	replay_refused(&fs, "inside the journal");
	fs_done(&fs);

	/* a revoke record out of range, a revoke byte count overflowing */
	fs_new_journal(&fs);
	jw_init(&w, &fs, 1, 1);
	w.revoke[w.nrevoke++] = 0xfffffff0;
	jw_commit(&w, JW_OK);
	replay_refused(&fs, "revoke block");
	jw_init(&w, &fs, 1, 1);
	jw_header(b, VEXFS_JBD2_REVOKE_BLOCK, 1);
	vexfs_jbd2_put32(b, VEXFS_JBD2_HEADER_SIZE, BS + 64);
	vexfs_jbd2_put32(b, BS - 4, vexfs_jbd2_block_tail_csum(w.seed, b, BS));
	jw_put(&w, 1, b);
	w.next = 2;
	jw_commit(&w, JW_OK);
	replay_refused(&fs, "byte count");
	fs_done(&fs);

	/* tags filling the whole descriptor, none marked last: parsed up to
	 * the tail, their blocks checked like any */
	fs_new_journal(&fs);
	jw_init(&w, &fs, 1, 1);
	jw_header(b, VEXFS_JBD2_DESCRIPTOR_BLOCK, 1);
	for (uint32_t off = VEXFS_JBD2_HEADER_SIZE; off + 16 <= BS - 4; off += 16) {
		vexfs_jbd2_put32(b, off, 0xffffff00);
		vexfs_jbd2_put32(b, off + 4, VEXFS_JBD2_FLAG_SAME_UUID);
	}
	vexfs_jbd2_put32(b, BS - 4, vexfs_jbd2_block_tail_csum(w.seed, b, BS));
	jw_put(&w, 1, b);
	w.next = 1 + 1 + (BS - 16) / 16;
	jw_commit(&w, JW_OK);
	replay_refused(&fs, "beyond the end");
	fs_done(&fs);

	/* a log that never ends: descriptors chained all around the journal */
	fs_new_journal(&fs);
	jw_init(&w, &fs, 1, 1);
	for (int i = 0; i < 17; i++) {	/* 16 * (1 + 62) + 1 + 14 = 1023 */
		for (int k = 0; k < (i == 16 ? 14 : 62); k++)
			jw_log_fill(&w, HOME(k), k);
		w.tid = 1;
		jw_commit(&w, JW_NO_COMMIT);
	}
	assert_int_equal(w.next, 1);
	replay_refused(&fs, "longer than the journal");
	fs_done(&fs);

	/* journal superblock nonsense: s_first, s_maxlen, s_start */
	{
		static const struct { uint32_t off, val; const char *why; } bad[] = {
			{ JSB_FIRST, 0, "s_first" },
			{ JSB_FIRST, 1024, "s_first" },
			{ JSB_MAXLEN, 1025, "s_maxlen" },
			{ JSB_MAXLEN, 100, "s_maxlen" },
			{ JSB_START, 1024, "s_start" },
			{ JSB_BLOCKSIZE, 4096, "block size" },
			{ JSB_FEATURE_INCOMPAT, VEXFS_JBD2_INCOMPAT_CSUM_V3 |
			  VEXFS_JBD2_INCOMPAT_64BIT, "unsupported" },
		};

		for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			fs_new_journal(&fs);
			jw_init(&w, &fs, 1, 1);
			jw_log_fill(&w, HOME(0), 1);
			jw_commit(&w, JW_OK);
			rd(&fs, fs.s.journal_start, b);
			vexfs_jbd2_put32(b, bad[i].off, bad[i].val);
			vexfs_jbd2_put32(b, JSB_CHECKSUM, vexfs_jbd2_sb_csum(b));
			wr(&fs, fs.s.journal_start, b);
			replay_refused(&fs, bad[i].why);
			fs_done(&fs);
		}
	}
}

/*
 * fsck and a journal needing recovery: -n replays it in memory and checks
 * what that leaves, writing nothing; -p replays it; then clean
 */
static void fsck_replays_a_crashed_transaction(void **state)
{
	struct vexfs_fsck_result res;
	uint8_t *before, *after;
	uint64_t nblocks = IMG_BYTES / BS;
	struct fs fs;
	struct jw w;
	uint32_t ino, files;

	(void)state;
	fs_new_journal(&fs);
	/* a file creation, as its transaction would log it: every block it
	 * changes, taken from an image where it happened */
	before = snapshot(&fs);
	ino = mk_file(&fs, VEXFS_ROOT_INO, "created", 3);
	after = snapshot(&fs);
	assert_int_equal(vexfs_write_bytes(&fs.img, 0, IMG_BYTES, before), 0);
	jw_init(&w, &fs, 1, 1);
	for (uint64_t b = 0; b < nblocks; b++)
		if (memcmp(before + b * BS, after + b * BS, BS))
			jw_log(&w, (uint32_t)b, after + b * BS);
	assert_true(w.n >= 5);	/* bitmaps, inode table, root dir, data */
	jw_commit(&w, JW_OK);
	/* the crash came while the transaction was written home: all of it
	 * but the bitmaps (the image as it is has a file in a free inode) */
	for (uint64_t b = 1; b < nblocks; b++)
		if (memcmp(before + b * BS, after + b * BS, BS) &&
		    (b < fs.s.g.ibitmap_start || b >= fs.s.g.ibitmap_start + fs.s.g.ibitmap_blocks) &&
		    (b < fs.s.g.bbitmap_start || b >= fs.s.g.bbitmap_start + fs.s.g.bbitmap_blocks))
			wr(&fs, b, after + b * BS);
	free(before);

	before = snapshot(&fs);
	assert_int_equal(vexfs_fsck(&fs.img, VEXFS_FSCK_CHECK, &res), VEXFS_FSCK_OK);
	assert_true(res.journal_needed_recovery);
	assert_false(res.journal_replayed);
	assert_true(res.journal_in_memory);
	assert_int_equal(res.journal_transactions, 1);
	assert_true(res.journal_blocks_replayed >= 5);
	assert_int_equal(res.nproblems, 0);
	files = res.files;	/* the created file's among them: below */
	vexfs_fsck_result_free(&res);
	assert_unchanged(&fs, before);
	/* and on an image opened read-only, as fsck.vexfs -n opens it */
	before = snapshot(&fs);
	{
		struct vexfs_image ro;

		assert_int_equal(vexfs_image_open(&ro, fs.path, false, false), 0);
		assert_int_equal(vexfs_fsck(&ro, VEXFS_FSCK_CHECK, &res), VEXFS_FSCK_OK);
		assert_true(res.journal_in_memory);
		assert_null(ro.ov);	/* the overlay is gone with the check */
		vexfs_fsck_result_free(&res);
		vexfs_image_close(&ro);
	}
	assert_unchanged(&fs, before);

	assert_int_equal(vexfs_fsck(&fs.img, VEXFS_FSCK_PREEN, &res), VEXFS_FSCK_FIXED);
	assert_true(res.journal_replayed);
	assert_int_equal(res.journal_transactions, 1);
	assert_non_null(strstr(res.problems[0].text, "journal replayed"));
	assert_int_equal(res.nproblems, 1);	/* nothing else to repair */
	vexfs_fsck_result_free(&res);
	assert_int_equal(vexfs_fsck(&fs.img, VEXFS_FSCK_CHECK, &res), VEXFS_FSCK_OK);
	assert_int_equal(res.files, files);
	assert_false(res.journal_needed_recovery);
	vexfs_fsck_result_free(&res);
	assert_int_equal(lookup(&fs, VEXFS_ROOT_INO, "created"), ino);
	/* the image is the one where the file was created, but for the
	 * superblock and the journal */
	before = snapshot(&fs);
	for (uint64_t b = 1; b < nblocks; b++)
		if (b < fs.s.journal_start || b >= fs.s.journal_start + fs.s.journal_blocks)
			assert_memory_equal(before + b * BS, after + b * BS, BS);
	free(before);
	free(after);
	fs_done(&fs);
}

/* -y on a journal that cannot be replayed: cleared, then checked */
static void fsck_clears_an_unreplayable_journal(void **state)
{
	struct fs fs;
	struct jw w;

	(void)state;
	fs_new_journal(&fs);
	jw_init(&w, &fs, 1, 1);
	jw_log_fill(&w, (uint32_t)fs.s.g.blocks_count + 5, 1);
	jw_commit(&w, JW_OK);
	assert_int_equal(check(&fs, VEXFS_FSCK_CHECK, "cannot be replayed"), VEXFS_FSCK_UNFIXED);
	assert_int_equal(check(&fs, VEXFS_FSCK_PREEN, "cannot be replayed"), VEXFS_FSCK_UNFIXED);
	assert_int_equal(check(&fs, VEXFS_FSCK_REPAIR, "journal cleared"), VEXFS_FSCK_FIXED);
	assert_int_equal(check(&fs, VEXFS_FSCK_CHECK, NULL), VEXFS_FSCK_OK);
	fs_done(&fs);
}

/* --upgrade: a version 1 image becomes version 2 with a journal and lost+found */
static void upgrade_version_1(void **state)
{
	uint8_t raw[BS];
	struct vexfs_dirent des[BS / VEXFS_DIRENT_SIZE];
	struct vexfs_dinode root, d;
	struct tree t;
	struct fs fs;
	const char *msg = NULL, *why;
	uint32_t lpf;
	bool nv;
	int fd;

	(void)state;
	/* 4 MiB: room for the smallest journal */
	strcpy(fs.path, "/tmp/vexfs-fsck.XXXXXX");
	fd = mkstemp(fs.path);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, 4 << 20), 0);
	close(fd);
	assert_int_equal(vexfs_image_open(&fs.img, fs.path, true, false), 0);
	{
		struct vexfs_mkfs_opts o = { .time = 1, .block_size = BS, .inodes = 64,
					     .journal = VEXFS_JOURNAL_NONE };

		assert_int_equal(vexfs_mkfs(&fs.img, &o, &fs.s, &why), 0);
	}
	populate(&fs, &t);
	/* make it what the version 1 mkfs wrote: no lost+found */
	get_inode(&fs, VEXFS_ROOT_INO, &root);
	rd(&fs, root.block[0], des);
	assert_int_equal(le32toh(des[2].d_ino), 2);
	memset(&des[2], 0, sizeof(des[2]));
	wr(&fs, root.block[0], des);
	root.nlink--;
	put_inode(&fs, VEXFS_ROOT_INO, &root);
	get_inode(&fs, 2, &d);
	bit_set(&fs, fs.s.g.bbitmap_start, d.block[0], false);
	bit_set(&fs, fs.s.g.ibitmap_start, 2, false);
	fs.s.version = VEXFS_VERSION_1;
	fs.s.lpf_ino = 0;
	memset(raw, 0, sizeof(raw));
	vexfs_super_encode(&fs.s, raw);
	wr(&fs, 0, raw);
	assert_int_equal(vexfs_super_decode(raw, 0, &fs.s, &why, &nv), 0);
	assert_int_equal(fs.s.version, 1);
	assert_int_equal(check(&fs, VEXFS_FSCK_CHECK, NULL), VEXFS_FSCK_OK);

	if (vexfs_upgrade(&fs.img, &msg))
		fail_msg("upgrade: %s", msg);
	assert_non_null(strstr(msg, "a journal of 1024 blocks"));
	rd(&fs, 0, raw);
	assert_int_equal(vexfs_super_decode(raw, 0, &fs.s, &why, &nv), 0);
	assert_int_equal(fs.s.version, 2);
	assert_int_equal(fs.s.journal_blocks, 1024);
	lpf = lookup(&fs, VEXFS_ROOT_INO, "lost+found");
	assert_int_not_equal(lpf, 0);
	assert_int_equal(fs.s.lpf_ino, lpf);
	assert_int_equal(check(&fs, VEXFS_FSCK_CHECK, NULL), VEXFS_FSCK_OK);
	assert_int_equal(lookup(&fs, t.a, "big"), t.big);
	/* twice: refused */
	assert_int_equal(vexfs_upgrade(&fs.img, &msg), -1);
	assert_string_equal(msg, "already version 2");
	vexfs_image_close(&fs.img);
	unlink(fs.path);

	/* too small for a journal: version 2 without one, saying why */
	fs_new(&fs);
	fs.s.version = VEXFS_VERSION_1;
	fs.s.lpf_ino = 0;
	memset(raw, 0, sizeof(raw));
	vexfs_super_encode(&fs.s, raw);
	wr(&fs, 0, raw);
	if (vexfs_upgrade(&fs.img, &msg))
		fail_msg("upgrade: %s", msg);
	assert_non_null(strstr(msg, "no journal (filesystem too small"));
	assert_int_equal(check(&fs, VEXFS_FSCK_CHECK, NULL), VEXFS_FSCK_OK);
	fs_done(&fs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(populated_image_is_clean),
		cmocka_unit_test(block_bitmap_differences_preened),
		cmocka_unit_test(bitmap_padding_bits_restored),
		cmocka_unit_test(link_counts_preened),
		cmocka_unit_test(orphan_freed_by_preen),
		cmocka_unit_test(unattached_linked_inode_reconnected),
		cmocka_unit_test(lost_found_grows_for_many_inodes),
		cmocka_unit_test(missing_lost_found_created),
		cmocka_unit_test(unreachable_directory_subtree_reconnected),
		cmocka_unit_test(entry_to_free_inode_removed),
		cmocka_unit_test(entry_with_bad_number_or_name_removed),
		cmocka_unit_test(duplicate_block_cleared),
		cmocka_unit_test(pointer_out_of_range_cleared),
		cmocka_unit_test(bad_inode_checksum_clears_inode),
		cmocka_unit_test(vector_record_damage_removes_vector),
		cmocka_unit_test(vector_fields_validated),
		cmocka_unit_test(blocks_past_eof_preened),
		cmocka_unit_test(dot_entries_and_types_repaired),
		cmocka_unit_test(duplicate_names_and_second_dir_link_removed),
		cmocka_unit_test(directory_hole_truncated),
		cmocka_unit_test(superblock_damage_is_not_repaired),
		cmocka_unit_test(unrepairable_root_changes_nothing),
		cmocka_unit_test(error_state_cleared_by_preen),
		cmocka_unit_test(special_file_with_data_cleared),
		cmocka_unit_test(orphan_list_pending_is_clean_and_preen_deletes),
		cmocka_unit_test(orphan_list_preen_reports_each_inode_not_the_bitmaps),
		cmocka_unit_test(orphan_list_linked_file_truncated_to_its_size),
		cmocka_unit_test(orphan_list_inode_still_named_keeps_its_entry),
		cmocka_unit_test(orphan_list_waits_when_preen_stops),
		cmocka_unit_test(orphan_list_malformed_is_dropped),
		cmocka_unit_test(stale_orphan_pointer_cleared_by_preen),
		cmocka_unit_test(journal_super_and_geometry),
		cmocka_unit_test(journal_pointer_into_journal_found),
		cmocka_unit_test(replay_one_and_several_transactions),
		cmocka_unit_test(replay_honours_revokes),
		cmocka_unit_test(replay_ignores_torn_and_bad_commits),
		cmocka_unit_test(replay_wrapped_log_and_escaped_block),
		cmocka_unit_test(replay_logged_superblock),
		cmocka_unit_test(replay_refuses_crafted_journals),
		cmocka_unit_test(fsck_replays_a_crashed_transaction),
		cmocka_unit_test(fsck_clears_an_unreplayable_journal),
		cmocka_unit_test(upgrade_version_1),
	};

	return cmocka_run_group_tests_name("vexfs_fsck", tests, NULL, NULL);
}
