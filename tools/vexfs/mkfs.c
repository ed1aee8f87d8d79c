// SPDX-License-Identifier: GPL-2.0
/*
 * mkfs.c - format a device or image with an empty VexFS filesystem,
 * version 2: the superblock, both bitmaps, the journal (at the start of the
 * data region), the root directory and /lost+found.  Free inodes need not
 * be zeroed (the format ignores their content), so the inode table is
 * written only where the first inodes live.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "journal.h"
#include "vexfs.h"

#define DEFAULT_BLOCK_SIZE	4096
#define DEFAULT_BYTES_PER_INODE	16384
#define MIN_INODES		16

/* Write a bitmap region: bits [0, used) set, bits from @valid on set. */
static int write_bitmap(struct vexfs_image *img, uint64_t start,
			uint32_t nblocks, uint64_t used, uint64_t valid)
{
	uint32_t bs = img->block_size;
	uint64_t bits_per_block = (uint64_t)bs * 8;
	uint8_t *buf = malloc(bs);
	int err = 0;

	if (!buf)
		return -ENOMEM;
	for (uint32_t b = 0; b < nblocks && !err; b++) {
		uint64_t first = b * bits_per_block;

		memset(buf, 0, bs);
		for (uint64_t i = 0; i < bits_per_block; i++) {
			uint64_t n = first + i;

			if (n < used || n >= valid)
				vexfs_set_bit(buf, i);
		}
		err = vexfs_write_blocks(img, start + b, 1, buf);
	}
	free(buf);
	return err;
}

static void make_dirent(struct vexfs_dirent *de, uint32_t ino, const char *name,
			uint8_t type)
{
	memset(de, 0, sizeof(*de));
	de->d_ino = htole32(ino);
	de->d_name_len = (uint8_t)strlen(name);
	de->d_type = type;
	memcpy(de->d_name, name, de->d_name_len);
}

int vexfs_mkfs_plan(uint64_t dev_bytes, const struct vexfs_mkfs_opts *opts,
		    struct vexfs_super *out, const char **why)
{
	struct vexfs_super s;
	struct vexfs_geometry *g = &s.g;
	uint64_t dev_blocks, bytes;
	uint32_t bs, bpi;

	memset(&s, 0, sizeof(s));
	bs = opts->block_size ? opts->block_size : DEFAULT_BLOCK_SIZE;
	if (bs < VEXFS_MIN_BLOCK_SIZE || bs > VEXFS_MAX_BLOCK_SIZE || (bs & (bs - 1))) {
		*why = "block size must be 1024, 2048 or 4096";
		return -EINVAL;
	}
	if (opts->label && strlen(opts->label) >= VEXFS_LABEL_LEN) {
		*why = "label longer than 63 bytes";
		return -EINVAL;
	}
	dev_blocks = dev_bytes / bs;
	g->blocks_count = opts->blocks ? opts->blocks : dev_blocks;
	if (g->blocks_count > dev_blocks) {
		*why = "filesystem larger than the device";
		return -EINVAL;
	}
	if (g->blocks_count > VEXFS_MAX_BLOCKS) {
		if (opts->blocks) {
			*why = "more than 2^32 - 1 blocks";
			return -EINVAL;
		}
		g->blocks_count = VEXFS_MAX_BLOCKS;	/* use what we can address */
	}
	if (g->blocks_count < VEXFS_MIN_BLOCKS) {
		*why = "device too small (at least 16 blocks are needed)";
		return -EINVAL;
	}
	bpi = opts->bytes_per_inode ? opts->bytes_per_inode : DEFAULT_BYTES_PER_INODE;
	if (bpi < bs) {
		*why = "bytes per inode smaller than the block size";
		return -EINVAL;
	}
	if (opts->inodes) {
		g->inodes_count = opts->inodes;
	} else {
		bytes = g->blocks_count * bs;
		g->inodes_count = bytes / bpi > VEXFS_MAX_INODES ?
				  VEXFS_MAX_INODES : (uint32_t)(bytes / bpi);
		if (g->inodes_count < MIN_INODES)
			g->inodes_count = MIN_INODES;
	}
	g->block_size = bs;
	if (g->inodes_count < 2) {
		*why = "at least 2 inodes are needed (root and lost+found)";
		return -EINVAL;
	}
	if (vexfs_geometry_layout(g)) {
		*why = "inode count out of range";
		return -EINVAL;
	}
	/* the root directory and lost+found need one data block each */
	if (g->data_start + 2 > g->blocks_count) {
		*why = "too many inodes: no room left for data";
		return -EINVAL;
	}
	s.version = VEXFS_VERSION;
	switch (opts->journal) {
	case VEXFS_JOURNAL_DEFAULT:
		s.journal_blocks = vexfs_journal_default_blocks(g->blocks_count,
								g->data_start);
		break;
	case VEXFS_JOURNAL_NONE:
		break;
	case VEXFS_JOURNAL_SIZE: {
		uint64_t jb = opts->journal_bytes / bs;

		if (jb < VEXFS_JOURNAL_MIN_BLOCKS) {
			*why = "journal smaller than 1024 blocks";
			return -EINVAL;
		}
		if (g->data_start + jb + 2 > g->blocks_count) {
			*why = "journal does not fit: larger than the data region";
			return -EINVAL;
		}
		s.journal_blocks = (uint32_t)jb;
		break;
	}
	}
	if (s.journal_blocks) {
		s.feature_compat |= VEXFS_FEATURE_COMPAT_HAS_JOURNAL;
		s.journal_start = (uint32_t)g->data_start;
	}
	if (opts->label)
		strcpy(s.label, opts->label);
	*out = s;
	return 0;
}

int vexfs_mkfs(struct vexfs_image *img, const struct vexfs_mkfs_opts *opts,
	       struct vexfs_super *out, const char **why)
{
	struct vexfs_super s;
	struct vexfs_geometry *g = &s.g;
	struct vexfs_dinode root;
	struct vexfs_inode raw;
	uint32_t bs, root_blk, lpf_blk, lpf_ino = VEXFS_ROOT_INO + 1;
	int64_t now;
	uint8_t *buf;
	int err;

	err = vexfs_mkfs_plan(img->dev_bytes, opts, &s, why);
	if (err)
		return err;
	bs = g->block_size;

	now = opts->time >= 0 ? opts->time : (int64_t)time(NULL);
	s.state = VEXFS_STATE_CLEAN;
	s.errors = VEXFS_ERRORS_CONTINUE;
	s.mkfs_time = now;
	s.write_time = now;
	if (opts->uuid) {
		memcpy(s.uuid, opts->uuid, sizeof(s.uuid));
	} else if (getrandom(s.uuid, sizeof(s.uuid), 0) != sizeof(s.uuid)) {
		*why = "no random numbers for the UUID";
		return -errno;
	} else {
		s.uuid[6] = (s.uuid[6] & 0x0f) | 0x40;	/* version 4 */
		s.uuid[8] = (s.uuid[8] & 0x3f) | 0x80;	/* RFC 4122 variant */
	}
	img->block_size = bs;
	buf = calloc(1, bs);
	if (!buf)
		return -ENOMEM;
	*why = "write error";

	/* the journal: zeroed, its superblock in its first block */
	if (s.journal_blocks) {
		err = vexfs_journal_write_new(img, &s, 1);
		if (err)
			goto out;
	}
	root_blk = (uint32_t)g->data_start + s.journal_blocks;
	lpf_blk = root_blk + 1;
	s.lpf_ino = lpf_ino;

	/* inode bitmap: bit 0 (no inode 0), root, lost+found; padding set */
	err = write_bitmap(img, g->ibitmap_start, g->ibitmap_blocks,
			   lpf_ino + 1, (uint64_t)g->inodes_count + 1);
	if (err)
		goto out;
	/* block bitmap: metadata, journal, root's and lost+found's blocks */
	err = write_bitmap(img, g->bbitmap_start, g->bbitmap_blocks,
			   lpf_blk + 1, g->blocks_count);
	if (err)
		goto out;

	/* root directory: ".", "..", "lost+found" */
	memset(buf, 0, bs);
	make_dirent((struct vexfs_dirent *)buf, VEXFS_ROOT_INO, ".", VEXFS_FT_DIR);
	make_dirent((struct vexfs_dirent *)buf + 1, VEXFS_ROOT_INO, "..", VEXFS_FT_DIR);
	make_dirent((struct vexfs_dirent *)buf + 2, lpf_ino, "lost+found",
		    VEXFS_FT_DIR);
	err = vexfs_write_blocks(img, root_blk, 1, buf);
	if (err)
		goto out;
	/* lost+found: ".", "..", and free slots for fsck */
	memset(buf, 0, bs);
	make_dirent((struct vexfs_dirent *)buf, lpf_ino, ".", VEXFS_FT_DIR);
	make_dirent((struct vexfs_dirent *)buf + 1, VEXFS_ROOT_INO, "..", VEXFS_FT_DIR);
	err = vexfs_write_blocks(img, lpf_blk, 1, buf);
	if (err)
		goto out;

	/* root and lost+found: the first two slots of the inode table */
	memset(&root, 0, sizeof(root));
	root.mode = VEXFS_S_IFDIR | 0755;
	root.nlink = 3;
	root.uid = opts->root_uid;
	root.gid = opts->root_gid;
	root.size = bs;
	root.blocks = 1;
	root.atime = root.mtime = root.ctime = now;
	root.block[0] = root_blk;
	memset(buf, 0, bs);
	vexfs_inode_encode(&root, VEXFS_ROOT_INO, &raw);
	memcpy(buf, &raw, sizeof(raw));
	root.mode = VEXFS_S_IFDIR | 0700;
	root.nlink = 2;
	root.uid = 0;
	root.gid = 0;
	root.block[0] = lpf_blk;
	vexfs_inode_encode(&root, lpf_ino, &raw);
	memcpy(buf + sizeof(raw), &raw, sizeof(raw));
	err = vexfs_write_blocks(img, g->itable_start, 1, buf);
	if (err)
		goto out;

	/* the superblock last: until it is there the device is no VexFS */
	memset(buf, 0, bs);
	vexfs_super_encode(&s, buf);
	err = vexfs_write_blocks(img, 0, 1, buf);
	if (err)
		goto out;
	err = vexfs_image_sync(img);
	if (err)
		goto out;
	if (out)
		*out = s;
out:
	free(buf);
	return err;
}
