/* SPDX-License-Identifier: GPL-2.0 */
/*
 * journal.h - the jbd2 on-disk format, as VexFS version 2 uses it, and the
 * userspace journal library (journal.c): create a journal superblock,
 * validate one, replay a log.
 *
 * The format is jbd2's (the kernel's include/linux/jbd2.h and
 * Documentation/filesystems/ext4/journal.rst): every field big-endian.
 * VexFS uses one subset of it: a journal inside the filesystem (one
 * contiguous extent of filesystem blocks), journal block size = filesystem
 * block size, a version 2 journal superblock in journal block 0, 32-bit
 * block numbers (no INCOMPAT_64BIT), INCOMPAT_REVOKE and INCOMPAT_CSUM_V3
 * (CRC-32C), no async commit, no fast commit.
 */
#ifndef VEXFS_JOURNAL_H
#define VEXFS_JOURNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vexfs.h"

#define VEXFS_JBD2_MAGIC		0xc03b3998U

/* h_blocktype */
#define VEXFS_JBD2_DESCRIPTOR_BLOCK	1
#define VEXFS_JBD2_COMMIT_BLOCK		2
#define VEXFS_JBD2_SUPERBLOCK_V1	3
#define VEXFS_JBD2_SUPERBLOCK_V2	4
#define VEXFS_JBD2_REVOKE_BLOCK		5

/* features */
#define VEXFS_JBD2_COMPAT_CHECKSUM	0x00000001U
#define VEXFS_JBD2_INCOMPAT_REVOKE	0x00000001U
#define VEXFS_JBD2_INCOMPAT_64BIT	0x00000002U
#define VEXFS_JBD2_INCOMPAT_ASYNC_COMMIT 0x00000004U
#define VEXFS_JBD2_INCOMPAT_CSUM_V2	0x00000008U
#define VEXFS_JBD2_INCOMPAT_CSUM_V3	0x00000010U
#define VEXFS_JBD2_INCOMPAT_FAST_COMMIT	0x00000020U
/* what VexFS journals carry, and all a replay accepts */
#define VEXFS_JBD2_INCOMPAT_VEXFS	(VEXFS_JBD2_INCOMPAT_REVOKE | \
					 VEXFS_JBD2_INCOMPAT_CSUM_V3)

#define VEXFS_JBD2_CRC32C_CHKSUM	4

/* tag flags */
#define VEXFS_JBD2_FLAG_ESCAPE		1
#define VEXFS_JBD2_FLAG_SAME_UUID	2
#define VEXFS_JBD2_FLAG_DELETED		4
#define VEXFS_JBD2_FLAG_LAST_TAG	8

/* sizes and byte offsets of the structures (all fields __be32 unless said) */
#define VEXFS_JBD2_HEADER_SIZE		12	/* magic, blocktype, sequence */
#define VEXFS_JBD2_TAG3_SIZE		16	/* blocknr, flags, high, csum */
#define VEXFS_JBD2_TAIL_SIZE		4	/* descriptor/revoke checksum */
#define VEXFS_JBD2_REVOKE_HEADER_SIZE	16	/* header + r_count */
#define VEXFS_JBD2_SB_SIZE		1024	/* journal_superblock_t */

/* journal superblock (journal_superblock_t) */
#define JSB_BLOCKSIZE		0x0c
#define JSB_MAXLEN		0x10
#define JSB_FIRST		0x14
#define JSB_SEQUENCE		0x18
#define JSB_START		0x1c
#define JSB_ERRNO		0x20
#define JSB_FEATURE_COMPAT	0x24
#define JSB_FEATURE_INCOMPAT	0x28
#define JSB_FEATURE_RO_COMPAT	0x2c
#define JSB_UUID		0x30	/* 16 bytes */
#define JSB_NR_USERS		0x40
#define JSB_CHECKSUM_TYPE	0x50	/* __u8 */
#define JSB_CHECKSUM		0xfc
#define JSB_USERS		0x100	/* 16 * 48 bytes */

/* commit block (struct commit_header) */
#define JCOMMIT_CHKSUM_TYPE	0x0c	/* __u8, 0 with CSUM_V3 */
#define JCOMMIT_CHKSUM_SIZE	0x0d	/* __u8, 0 with CSUM_V3 */
#define JCOMMIT_CHKSUM		0x10	/* h_chksum[0] */
#define JCOMMIT_SEC		0x30	/* __be64 */
#define JCOMMIT_NSEC		0x38

/* tag3 */
#define JTAG_BLOCKNR		0x00
#define JTAG_FLAGS		0x04
#define JTAG_BLOCKNR_HIGH	0x08
#define JTAG_CHECKSUM		0x0c

/* jbd2 checksums: raw CRC-32C updates (no final inversion), big-endian */
static inline uint32_t vexfs_jbd2_get32(const void *p, size_t off)
{
	const uint8_t *b = (const uint8_t *)p + off;

	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
	       (uint32_t)b[2] << 8 | b[3];
}

static inline void vexfs_jbd2_put32(void *p, size_t off, uint32_t v)
{
	uint8_t *b = (uint8_t *)p + off;

	b[0] = (uint8_t)(v >> 24);
	b[1] = (uint8_t)(v >> 16);
	b[2] = (uint8_t)(v >> 8);
	b[3] = (uint8_t)v;
}

/* The checksum seed of a journal: crc32c(~0, uuid). */
uint32_t vexfs_jbd2_seed(const uint8_t uuid[16]);
/* Superblock checksum of a raw journal superblock (s_checksum as zero). */
uint32_t vexfs_jbd2_sb_csum(const void *jsb);
/* Checksum of a descriptor or revoke block (tail as zero). */
uint32_t vexfs_jbd2_block_tail_csum(uint32_t seed, const void *blk,
				    uint32_t bs);
/* Checksum of a commit block (h_chksum[0] as zero). */
uint32_t vexfs_jbd2_commit_csum(uint32_t seed, const void *blk, uint32_t bs);
/* The tag3 checksum of a logged block (as logged: escaped) of @seq. */
uint32_t vexfs_jbd2_tag_csum(uint32_t seed, uint32_t seq, const void *blk,
			     uint32_t bs);

/* A decoded journal superblock. */
struct vexfs_jsb {
	uint32_t blocktype, blocksize, maxlen, first, sequence, start, err;
	uint32_t feature_compat, feature_incompat, feature_ro_compat;
	uint32_t nr_users;
	uint8_t checksum_type;
	uint8_t uuid[16];
};

/*
 * vexfs_journal_sb_init - a new, empty journal superblock in @blk (@bs
 * bytes, zeroed first): version 2, @blocks long, log from block 1,
 * sequence @sequence, s_start 0, REVOKE | CSUM_V3 with CRC-32C, one user.
 */
void vexfs_journal_sb_init(void *blk, uint32_t bs, uint32_t blocks,
			   const uint8_t uuid[16], uint32_t sequence);

/*
 * vexfs_journal_sb_decode - decode and validate the journal superblock
 * @raw of the filesystem @s.  Returns 0, or -1 with *why set.
 */
int vexfs_journal_sb_decode(const void *raw, const struct vexfs_super *s,
			    struct vexfs_jsb *j, const char **why);

/*
 * vexfs_journal_write_new - write an empty journal for @s: zero its
 * blocks and write a new superblock (sequence @sequence) in block 0.
 * 0 or -errno.
 */
int vexfs_journal_write_new(struct vexfs_image *img,
			    const struct vexfs_super *s, uint32_t sequence);

/* What a replay did. */
struct vexfs_replay {
	bool needed;		/* RECOVER set or the log not empty */
	uint32_t first_tid;	/* s_sequence of the journal superblock */
	uint32_t end_tid;	/* first transaction not replayed */
	uint32_t transactions;	/* committed transactions replayed */
	uint32_t blocks;	/* blocks written home */
	uint32_t revoked;	/* logged blocks skipped: revoked */
	uint32_t bad_csum;	/* logged blocks skipped: bad checksum */
	bool log_cut;		/* the log ended at a damaged transaction */
	char note[160];		/* why it ended there, if log_cut */
	char error[200];	/* set when the replay fails */
};

/*
 * vexfs_journal_replay - replay the journal of the filesystem whose
 * superblock is @s (HAS_JOURNAL) on @img, opened writable.
 *
 * As jbd2's recovery: a SCAN pass finds the end of the log (the first
 * block that is not the next block of a committed transaction), a REVOKE
 * pass collects the revoke records and validates every tag (block numbers
 * inside the filesystem, outside the journal; logged copies of block 0 are
 * valid VexFS superblocks of this filesystem), a REPLAY pass writes the
 * logged blocks home, skipping those revoked by the same or a later
 * transaction and those failing their checksum.  Then the journal is
 * marked empty (s_start 0, s_sequence past the last transaction) and
 * INCOMPAT_RECOVER is cleared in the VexFS superblock; *s is updated.
 *
 * Nothing is written when the journal superblock is invalid or the log
 * holds an invalid tag or revoke block: returns -1 with r->error set.  A
 * clean journal (s_start 0) only gets RECOVER cleared.  Returns 0.
 */
int vexfs_journal_replay(struct vexfs_image *img, struct vexfs_super *s,
			 struct vexfs_replay *r);

/*
 * vexfs_journal_needs_recovery - whether the journal of @s needs a
 * replay: RECOVER set, or a readable journal superblock with s_start != 0.
 */
bool vexfs_journal_needs_recovery(struct vexfs_image *img,
				  const struct vexfs_super *s);

/*
 * vexfs_journal_default_blocks - the default journal length of a
 * filesystem of @blocks blocks whose data region starts at @data_start
 * (mke2fs's rule, roughly blocks / 32 in [1024, 32768]), 0 if it is too
 * small for a journal of 1024 blocks and as many data blocks.
 */
uint32_t vexfs_journal_default_blocks(uint64_t blocks, uint64_t data_start);

/* Zero @count blocks from @block: punched or discarded where possible. */
int vexfs_zero_blocks(struct vexfs_image *img, uint64_t block, uint64_t count);

#endif /* VEXFS_JOURNAL_H */
