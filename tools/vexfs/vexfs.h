/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vexfs.h - the userspace side of VexFS: the format library shared by
 * mkfs.vexfs and fsck.vexfs (and their unit tests).
 *
 * The on-disk structures are <linux/vexfs_fs.h>; this library decodes and
 * encodes them (byte order, checksums), reads and writes the blocks of a
 * device or image file, formats a filesystem and checks one.
 */
#ifndef VEXFS_TOOLS_H
#define VEXFS_TOOLS_H

#include <endian.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <dsmil/vexfs_fs.h>

/* ---- checksums (crc32c.c) ------------------------------------------ */

/* Raw CRC-32C update (no inversion), as the kernel's crc32c(). */
uint32_t vexfs_crc32c_update(uint32_t crc, const void *buf, size_t len);
/* CRC-32C of a buffer: initial ~0, final inversion. */
uint32_t vexfs_crc32c(const void *buf, size_t len);

uint32_t vexfs_super_csum(const struct vexfs_super_block *sb);
uint32_t vexfs_inode_csum(const struct vexfs_inode *raw, uint32_t ino);
/* @data: the v_data_len element bytes following the header */
uint32_t vexfs_vector_csum(const struct vexfs_vector_head *vh,
			   const void *data);

/* ---- decoded structures (format.c) --------------------------------- */

struct vexfs_super {
	struct vexfs_geometry g;
	uint32_t magic, version;
	uint32_t feature_compat, feature_ro_compat, feature_incompat;
	uint32_t state;
	uint16_t errors;
	int64_t mkfs_time, mount_time, write_time;
	uint32_t mount_count;
	uint8_t uuid[16];
	char label[VEXFS_LABEL_LEN + 1];
	uint32_t journal_start, journal_blocks;	/* version 2 */
	uint32_t lpf_ino;			/* version 2 */
	uint32_t last_orphan;			/* version 2: orphan list */
	uint32_t checksum;
};

static inline bool vexfs_has_journal(const struct vexfs_super *s)
{
	return s->version >= VEXFS_VERSION_2 &&
	       (s->feature_compat & VEXFS_FEATURE_COMPAT_HAS_JOURNAL);
}

struct vexfs_dinode {
	uint16_t mode, flags;
	uint32_t nlink, uid, gid;
	uint64_t size, blocks;
	int64_t atime, mtime, ctime;
	uint32_t atime_nsec, mtime_nsec, ctime_nsec;
	uint32_t generation;
	uint32_t block[VEXFS_N_BLOCKS];
	uint32_t vec_block;
	uint16_t vec_dim;
	uint8_t vec_type;
	uint32_t rdev;
	uint32_t next_orphan;	/* version 2: the orphan list */
	uint32_t checksum;
	bool reserved_nonzero;	/* a reserved field is not zero */
};

/*
 * vexfs_super_decode - decode and verify a raw superblock, version 1 or 2.
 * Returns 0, or -1 with *why set to the problem (bad magic, version,
 * checksum, unknown incompat feature, geometry, journal extent, label not
 * terminated).  A bad magic sets *not_vexfs.  Version 1 has no feature
 * flags and its version 2 fields (part of s_reserved) decode as zero.
 * The orphan list head is decoded as it is; fsck.vexfs validates the list.
 */
int vexfs_super_decode(const void *raw, uint64_t dev_bytes,
		       struct vexfs_super *s, const char **why,
		       bool *not_vexfs);
/*
 * Encode @s into @raw (VEXFS_SUPER_SIZE bytes), checksum included, as
 * version s->version (0: VEXFS_VERSION).
 */
void vexfs_super_encode(const struct vexfs_super *s, void *raw);

void vexfs_inode_decode(const struct vexfs_inode *raw, struct vexfs_dinode *d);
/* Encode @d for inode @ino, checksum included. */
void vexfs_inode_encode(const struct vexfs_dinode *d, uint32_t ino,
			struct vexfs_inode *raw);
/* Whether a raw inode's checksum verifies for inode number @ino. */
bool vexfs_inode_csum_ok(const struct vexfs_inode *raw, uint32_t ino);

/* Validate a directory entry's name; returns NULL or the problem. */
const char *vexfs_dirent_check_name(const struct vexfs_dirent *de);

/* Little-endian bitmap helpers (bit n is bit n % 8 of byte n / 8). */
static inline bool vexfs_test_bit(const uint8_t *map, uint64_t n)
{
	return map[n >> 3] & (1u << (n & 7));
}

static inline void vexfs_set_bit(uint8_t *map, uint64_t n)
{
	map[n >> 3] |= (uint8_t)(1u << (n & 7));
}

static inline void vexfs_clear_bit(uint8_t *map, uint64_t n)
{
	map[n >> 3] &= (uint8_t)~(1u << (n & 7));
}

/* ---- block I/O on a device or image file (image.c) ----------------- */

struct vexfs_overlay;
struct vexfs_bcache;

struct vexfs_image {
	int fd;
	uint64_t dev_bytes;	/* size of the device or file */
	uint32_t block_size;	/* 0 until known */
	bool writable;
	bool is_blockdev;
	const char *path;
	struct vexfs_overlay *ov;	/* writes kept in memory, if set */
	struct vexfs_bcache *bc;	/* blocks cached, if set (cache.c) */
};

/*
 * Open @path (block device or regular file).  @exclusive: O_EXCL on a
 * block device, so a mounted one is refused.  Returns 0 or -errno.
 */
int vexfs_image_open(struct vexfs_image *img, const char *path, bool writable,
		     bool exclusive);
void vexfs_image_close(struct vexfs_image *img);
/* Read/write @count blocks at @block; 0 or -errno (-EIO on a short read). */
int vexfs_read_blocks(struct vexfs_image *img, uint64_t block, uint32_t count,
		      void *buf);
int vexfs_write_blocks(struct vexfs_image *img, uint64_t block,
		       uint32_t count, const void *buf);
int vexfs_read_bytes(struct vexfs_image *img, uint64_t off, size_t len,
		     void *buf);
int vexfs_write_bytes(struct vexfs_image *img, uint64_t off, size_t len,
		      const void *buf);
int vexfs_image_sync(struct vexfs_image *img);
/*
 * vexfs_image_overlay - from now on, writes to @img (also one opened
 * read-only) go to memory, never to the device, and reads see them: what
 * "fsck.vexfs -n" replays a journal into.  0 or -ENOMEM.
 * vexfs_image_overlay_drop() forgets them (vexfs_image_close() too).
 */
int vexfs_image_overlay(struct vexfs_image *img);
void vexfs_image_overlay_drop(struct vexfs_image *img);

/*
 * vexfs_image_cache - from now on, keep up to @blocks blocks of @img
 * (block_size must be set) in memory: a read inside one block is answered
 * from there; writes still go to the device at once and update the copies
 * (write-through).  For a program that is the device's only user while
 * the cache lives (vexfs-fuse).  0, -EINVAL (no block size, already
 * cached) or -ENOMEM.  vexfs_image_cache_drop() frees it (so does
 * vexfs_image_close()); vexfs_image_cache_stats() counts hits, misses and
 * the blocks held.
 */
int vexfs_image_cache(struct vexfs_image *img, size_t blocks);
void vexfs_image_cache_drop(struct vexfs_image *img);
void vexfs_image_cache_stats(const struct vexfs_image *img, uint64_t *hits,
			     uint64_t *misses, size_t *blocks);
/* @len bytes at @off from the device itself (no cache, no overlay) */
int vexfs_image_pread(struct vexfs_image *img, uint64_t off, size_t len,
		      void *buf);
/* image.c's calls into the cache (cache.c) */
int vexfs_bcache_read(struct vexfs_image *img, uint64_t off, size_t len,
		      void *buf);
void vexfs_bcache_wrote(struct vexfs_image *img, uint64_t off, size_t len,
			const void *buf);

/* ---- mkfs (mkfs.c) -------------------------------------------------- */

struct vexfs_mkfs_opts {
	uint32_t block_size;	/* 0: 4096 */
	uint64_t blocks;	/* 0: the whole device */
	uint32_t inodes;	/* 0: one per bytes_per_inode */
	uint32_t bytes_per_inode;	/* 0: 16384 */
	const char *label;	/* NULL: empty */
	const uint8_t *uuid;	/* NULL: random */
	int64_t time;		/* -1: now (tests pass a fixed time) */
	uint32_t root_uid, root_gid;
	enum {
		VEXFS_JOURNAL_DEFAULT,	/* the default size, none if too small */
		VEXFS_JOURNAL_NONE,	/* -J none */
		VEXFS_JOURNAL_SIZE,	/* -J size=: journal_bytes */
	} journal;
	uint64_t journal_bytes;
};

/*
 * vexfs_mkfs_plan - the superblock vexfs_mkfs() would write on a device of
 * @dev_bytes, without writing anything.  0, or -EINVAL with *why set.
 */
int vexfs_mkfs_plan(uint64_t dev_bytes, const struct vexfs_mkfs_opts *opts,
		    struct vexfs_super *out, const char **why);

/*
 * vexfs_mkfs - write an empty filesystem (version 2: the root directory,
 * /lost+found with one block, the journal if any) on @img.
 * On success fills @out with the superblock written and returns 0; on a
 * bad option returns -EINVAL with *why set, on an I/O error -errno.
 */
int vexfs_mkfs(struct vexfs_image *img, const struct vexfs_mkfs_opts *opts,
	       struct vexfs_super *out, const char **why);

/* ---- fsck (check.c) ------------------------------------------------- */

enum vexfs_fsck_mode {
	VEXFS_FSCK_CHECK,	/* -n: report only, open read-only */
	VEXFS_FSCK_PREEN,	/* -p: fix what is safe, else give up */
	VEXFS_FSCK_REPAIR,	/* -y: fix everything */
};

/* Exit status bits of fsck(8). */
#define VEXFS_FSCK_OK		0
#define VEXFS_FSCK_FIXED	1
#define VEXFS_FSCK_UNFIXED	4
#define VEXFS_FSCK_OPERROR	8
#define VEXFS_FSCK_USAGE	16

struct vexfs_fsck_problem {
	char *text;		/* one line, no newline */
	bool fixed;
};

struct vexfs_fsck_result {
	int status;		/* VEXFS_FSCK_* bits, the exit code */
	bool was_clean;		/* superblock said clean before the check */
	struct vexfs_fsck_problem *problems;
	size_t nproblems;
	/* the filesystem after the check (and repairs, if any) */
	uint64_t blocks_used, blocks_count;
	uint32_t inodes_used, inodes_count;
	uint32_t files, dirs, symlinks, specials, vectors;
	uint32_t version;	/* format version, 0 if unreadable */
	uint32_t lpf_ino;	/* /lost+found after the check, 0: none */
	const char *lpf_missing;	/* why there is none, if so */
	/* the journal (version 2) */
	bool journal;		/* the filesystem has one */
	bool journal_needed_recovery;	/* it did before the check */
	bool journal_replayed;	/* this run replayed it */
	/*
	 * A CHECK replayed it in memory, wrote nothing, and checked what the
	 * replay leaves: the transactions are pending, not a problem.
	 */
	bool journal_in_memory;
	uint32_t journal_transactions, journal_blocks_replayed;
	char journal_note[192];	/* a CHECK's: where the log ended, if cut */
	/*
	 * The orphan list (version 2): inodes on a well-formed list, and
	 * whether this run did its work (preen, repair).  A check reports
	 * them as pending, not as a problem.
	 */
	uint32_t orphans;
	bool orphans_processed;
	char error[256];	/* operational error, if status has OPERROR */
};

/*
 * vexfs_fsck - check (and per @mode repair) the filesystem on @img, which
 * must be opened writable for PREEN and REPAIR.  Always fills @res; the
 * caller frees it with vexfs_fsck_result_free().  Returns res->status.
 *
 * A journal that needs recovery is replayed first by PREEN and REPAIR; a
 * CHECK replays it in memory (nothing written) and checks the filesystem
 * the replay leaves, reporting the replay as pending (res->journal_in_memory),
 * not as a problem.  A journal no replay accepts is a problem for every
 * mode; CHECK then checks the image as it is.
 */
int vexfs_fsck(struct vexfs_image *img, enum vexfs_fsck_mode mode,
	       struct vexfs_fsck_result *res);
void vexfs_fsck_result_free(struct vexfs_fsck_result *res);

/*
 * vexfs_upgrade - turn the clean version 1 filesystem on @img (writable)
 * into version 2: a journal of the default size where a contiguous free
 * extent has room for it, /lost+found where an inode, a block and a root
 * slot are free.  Returns 0 with *msg describing what was done (static
 * storage), or -1 with *msg the reason nothing was changed.
 */
int vexfs_upgrade(struct vexfs_image *img, const char **msg);

#endif /* VEXFS_TOOLS_H */
