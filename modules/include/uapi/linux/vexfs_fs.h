/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * vexfs_fs.h - the on-disk format of VexFS, versions 1 and 2.
 *
 * Userspace includes it as <dsmil/vexfs_fs.h> (installed by libdsmil-dev and
 * dsmil-devel into /usr/include/dsmil/, outside linux-libc-dev's
 * <linux/...> namespace); the suite's modules as <linux/vexfs_fs.h>.
 *
 * The one definition of the format, shared by the kernel module
 * (modules/vexfs) and the userspace tools (tools/vexfs: mkfs.vexfs,
 * fsck.vexfs).  Documentation/filesystems/vexfs.rst is the specification;
 * this header must agree with it.
 *
 * Conventions:
 *  - Every integer is little-endian and fixed-width; structs have no
 *    implicit padding and their sizes are asserted below.
 *  - Block numbers are 32-bit; block 0 holds the superblock, so a block
 *    pointer of 0 means "no block" (a hole, no vector, ...).
 *  - Inode numbers start at 1 (the root directory); 0 means "no inode".
 *  - Checksums are CRC-32C (Castagnoli, as iSCSI and ext4 use it: initial
 *    value ~0, final inversion) of the bytes described at each struct.
 *
 * Besides the structs, the header holds the pure integer rules of the
 * geometry (vexfs_geometry_check()) so mkfs, fsck and the kernel agree on
 * them by construction.  Callers decode the little-endian fields first.
 */
#ifndef _UAPI_LINUX_VEXFS_FS_H
#define _UAPI_LINUX_VEXFS_FS_H

#include <linux/types.h>

#define VEXFS_SUPER_MAGIC	0x76657866	/* "vexf" */

/*
 * Format versions.  Version 2 is version 1 plus the feature flags below,
 * the journal extent (s_journal_start, s_journal_blocks), lost+found
 * (s_lpf_ino) and the orphan list (s_last_orphan, i_next_orphan); every
 * version 1 structure is unchanged.
 */
#define VEXFS_VERSION_1		1
#define VEXFS_VERSION_2		2

/* The superblock: at byte 0 of the device, VEXFS_SUPER_SIZE bytes. */
#define VEXFS_SUPER_OFFSET	0
#define VEXFS_SUPER_SIZE	512

#define VEXFS_MIN_BLOCK_SIZE	1024
#define VEXFS_MAX_BLOCK_SIZE	4096
#define VEXFS_INODE_SIZE	256
#define VEXFS_DIRENT_SIZE	256
#define VEXFS_NAME_LEN		250	/* longest file name, bytes */
#define VEXFS_LABEL_LEN		64	/* label field, NUL-terminated */
#define VEXFS_ROOT_INO		1
#define VEXFS_MAX_BLOCKS	0xffffffffULL	/* 32-bit block numbers */
#define VEXFS_MAX_INODES	0xfffffffeU
#define VEXFS_MIN_BLOCKS	16	/* smallest filesystem mkfs makes */

/* s_state */
#define VEXFS_STATE_CLEAN	0x0001	/* unmounted cleanly */
#define VEXFS_STATE_ERROR	0x0002	/* an error was detected: run fsck */
#define VEXFS_STATE_KNOWN	(VEXFS_STATE_CLEAN | VEXFS_STATE_ERROR)

/* s_errors: what the kernel does on a detected inconsistency */
#define VEXFS_ERRORS_CONTINUE	1
#define VEXFS_ERRORS_RO		2
#define VEXFS_ERRORS_PANIC	3

/*
 * Feature flags (version 2; version 1 defines none and requires zero).  A
 * kernel or fsck refuses a filesystem with an unknown incompat flag,
 * mounts one with an unknown ro_compat flag read-only, and ignores unknown
 * compat flags.
 *
 * COMPAT_HAS_JOURNAL: s_journal_start/s_journal_blocks describe a jbd2
 * journal (Documentation/filesystems/vexfs.rst, "Journal").
 * INCOMPAT_RECOVER: the journal may hold transactions not yet written home
 * ("needs recovery"): set by a read-write journaled mount, cleared at a
 * clean unmount or after a replay (fsck.vexfs, mount).  Only valid with
 * HAS_JOURNAL.
 */
#define VEXFS_FEATURE_COMPAT_HAS_JOURNAL	0x00000001U
#define VEXFS_FEATURE_INCOMPAT_RECOVER		0x00000001U

/*
 * What a reader supports, the same for the kernel module and the userspace
 * tools (mkfs.vexfs, fsck.vexfs, vexfs-fuse): they read version 1 and 2
 * with every flag above; mkfs writes VEXFS_VERSION.  The kernel mounts
 * version 1 read-only only (it has no journal: "fsck.vexfs --upgrade").
 */
#define VEXFS_VERSION			VEXFS_VERSION_2	/* what mkfs writes */
#define VEXFS_FEATURE_COMPAT_SUPP	VEXFS_FEATURE_COMPAT_HAS_JOURNAL
#define VEXFS_FEATURE_RO_COMPAT_SUPP	0U
#define VEXFS_FEATURE_INCOMPAT_SUPP	VEXFS_FEATURE_INCOMPAT_RECOVER

/*
 * The journal: jbd2's smallest (JBD2_MIN_JOURNAL_BLOCKS) and the 32-bit
 * block numbers of its log.  See vexfs_journal_check().
 */
#define VEXFS_JOURNAL_MIN_BLOCKS	1024

/*
 * struct vexfs_super_block - the superblock.
 *
 * Layout of the device, in blocks of s_block_size:
 *   0                      superblock (rest of the block is zero)
 *   s_ibitmap_start        inode bitmap, s_ibitmap_blocks blocks
 *   s_bbitmap_start        block bitmap, s_bbitmap_blocks blocks
 *   s_itable_start         inode table, s_itable_blocks blocks
 *   s_data_start ...       data: directories, files, indirect blocks,
 *                          vector records, and (version 2) the journal:
 *                          s_journal_blocks contiguous blocks from
 *                          s_journal_start, marked in use in the block
 *                          bitmap, owned by no inode
 * The regions follow each other in this order without gaps; their sizes
 * are the ones vexfs_geometry_check() computes.
 *
 * s_journal_start, s_journal_blocks, s_lpf_ino, s_last_orphan: version 2
 * (zero in version 1, where they were part of s_reserved).
 * s_journal_start is 0 when the filesystem has no journal (HAS_JOURNAL
 * clear); s_lpf_ino is the inode of /lost+found, 0 if there is none.
 *
 * The orphan list: inodes whose deletion (no link left, still open) or
 * truncation is in progress, so a crash cannot leave them allocated with
 * no link, or owning blocks past their end.  s_last_orphan is the first
 * inode of the list, 0 when it is empty; each inode's i_next_orphan names
 * the next one, 0 on the last.  Only a journaled filesystem uses it: the
 * kernel adds an inode in the transaction that drops its last link or
 * starts the truncation and removes it in the one that finishes the work;
 * a read-write mount, or fsck.vexfs -p, deletes the inodes on it that have
 * no link and truncates the others to i_size.
 *
 * s_checksum: CRC-32C of bytes 0..507 (everything before it).
 */
struct vexfs_super_block {
	__le32	s_magic;		/* VEXFS_SUPER_MAGIC */
	__le32	s_version;		/* VEXFS_VERSION */
	__le32	s_feature_compat;
	__le32	s_feature_ro_compat;
	__le32	s_feature_incompat;
	__le32	s_block_size;		/* bytes: 1024, 2048 or 4096 */
	__le64	s_blocks_count;		/* size of the filesystem in blocks */
	__le32	s_inodes_count;		/* inodes 1..s_inodes_count */
	__le32	s_inode_size;		/* VEXFS_INODE_SIZE */
	__le64	s_ibitmap_start;
	__le64	s_bbitmap_start;
	__le64	s_itable_start;
	__le64	s_data_start;
	__le32	s_ibitmap_blocks;
	__le32	s_bbitmap_blocks;
	__le32	s_itable_blocks;
	__le32	s_root_ino;		/* VEXFS_ROOT_INO */
	__le32	s_state;		/* VEXFS_STATE_* */
	__le16	s_errors;		/* VEXFS_ERRORS_*: default errors= */
	__le16	s_reserved0;
	__le64	s_mkfs_time;		/* seconds since the epoch */
	__le64	s_mount_time;		/* last read-write mount */
	__le64	s_write_time;		/* last superblock write */
	__le32	s_mount_count;		/* read-write mounts since mkfs */
	__le32	s_reserved1;
	__u8	s_uuid[16];
	__u8	s_label[VEXFS_LABEL_LEN];	/* NUL-terminated, NUL-padded */
	__le32	s_journal_start;	/* first journal block, 0: none */
	__le32	s_journal_blocks;	/* journal length in blocks */
	__le32	s_lpf_ino;		/* inode of lost+found, 0: none */
	__le32	s_last_orphan;		/* first inode of the orphan list */
	__le32	s_reserved[71];		/* zero */
	__le32	s_checksum;
};

/*
 * Block pointers of an inode: VEXFS_NDIR direct blocks, then one single,
 * one double, one triple and one quadruple indirect block.  An indirect
 * block is an array of block_size / 4 __le32 block numbers.
 */
#define VEXFS_NDIR		12
#define VEXFS_IND		12
#define VEXFS_DIND		13
#define VEXFS_TIND		14
#define VEXFS_QIND		15
#define VEXFS_N_BLOCKS		16
#define VEXFS_MAX_DEPTH		5	/* levels to a data block, inode incl. */

/* i_vec_type: element type of a vector */
#define VEXFS_VEC_NONE		0
#define VEXFS_VEC_FLOAT32	1	/* IEEE-754 binary32, little-endian */
#define VEXFS_VEC_INT8		2	/* two's complement */
#define VEXFS_VEC_MAX_DIM	4096

/*
 * struct vexfs_inode - an inode of the inode table (VEXFS_INODE_SIZE
 * bytes).  Inode n is at byte (n - 1) * VEXFS_INODE_SIZE of the table.
 *
 * i_blocks counts every block the inode owns: data, indirect and vector
 * record blocks.  Regular files and symlinks map their data through
 * i_block[]; directories too (every block of a directory is allocated, no
 * holes); device nodes, FIFOs and sockets have no blocks and keep their
 * device number in i_rdev (new_encode_dev() encoding).  A symlink's
 * target is the first i_size bytes of its block 0 (1 <= i_size <
 * block size).  A regular file may carry one vector record (i_vec_*).
 *
 * i_next_orphan (version 2; zero in version 1, where it was part of
 * i_reserved) is the next inode of the orphan list while this inode is on
 * it (0 on the last one), else 0.
 *
 * The content of a free inode (bit clear in the inode bitmap) is ignored.
 * i_checksum: CRC-32C of bytes 0..251 followed by the inode number as a
 * __le32, so an inode copied to the wrong slot does not verify.
 */
struct vexfs_inode {
	__le16	i_mode;			/* type and permissions, as st_mode */
	__le16	i_flags;		/* zero in version 1 */
	__le32	i_nlink;
	__le32	i_uid;
	__le32	i_gid;
	__le64	i_size;			/* bytes */
	__le64	i_blocks;		/* filesystem blocks owned */
	__le64	i_atime;		/* seconds since the epoch, signed */
	__le64	i_mtime;
	__le64	i_ctime;
	__le32	i_atime_nsec;		/* 0..999999999 */
	__le32	i_mtime_nsec;
	__le32	i_ctime_nsec;
	__le32	i_generation;
	__le32	i_block[VEXFS_N_BLOCKS];
	__le32	i_vec_block;		/* first block of the vector record */
	__le16	i_vec_dim;		/* 1..VEXFS_VEC_MAX_DIM, 0: none */
	__u8	i_vec_type;		/* VEXFS_VEC_* */
	__u8	i_reserved0;
	__le32	i_rdev;
	__le32	i_next_orphan;		/* next inode of the orphan list */
	__le32	i_reserved[25];		/* zero */
	__le32	i_checksum;
};

/*
 * struct vexfs_dirent - a directory entry (VEXFS_DIRENT_SIZE bytes).
 * A directory is an array of them; d_ino 0 marks a free slot.  Entry 0 of
 * every directory is ".", entry 1 is "..".  d_name holds d_name_len bytes
 * (1..VEXFS_NAME_LEN, no '/' and no NUL), the rest is zero.
 */
struct vexfs_dirent {
	__le32	d_ino;
	__u8	d_name_len;
	__u8	d_type;			/* VEXFS_FT_* */
	__u8	d_name[VEXFS_NAME_LEN];
};

/* d_type: the file type, the values of the DT_* constants of dirent.h */
#define VEXFS_FT_UNKNOWN	0
#define VEXFS_FT_FIFO		1
#define VEXFS_FT_CHR		2
#define VEXFS_FT_DIR		4
#define VEXFS_FT_BLK		6
#define VEXFS_FT_REG		8
#define VEXFS_FT_LNK		10
#define VEXFS_FT_SOCK		12

/* Mode type bits, as in <sys/stat.h>, for the helpers below. */
#define VEXFS_S_IFMT		0170000
#define VEXFS_S_IFSOCK		0140000
#define VEXFS_S_IFLNK		0120000
#define VEXFS_S_IFREG		0100000
#define VEXFS_S_IFBLK		0060000
#define VEXFS_S_IFDIR		0040000
#define VEXFS_S_IFCHR		0020000
#define VEXFS_S_IFIFO		0010000

/*
 * struct vexfs_vector_head - start of a vector record.  A record occupies
 * vexfs_vector_blocks() contiguous blocks from the inode's i_vec_block:
 * this header, then v_dim elements of v_type, then zero up to the end of
 * the last block.  v_ino, v_dim and v_type repeat the owner's inode number
 * and its i_vec_dim/i_vec_type.
 * v_checksum: CRC-32C of header bytes 0..27 followed by the elements.
 */
struct vexfs_vector_head {
	__le32	v_magic;		/* VEXFS_VECTOR_MAGIC */
	__le32	v_ino;
	__le16	v_dim;
	__u8	v_type;
	__u8	v_reserved0;
	__le32	v_data_len;		/* v_dim * element size */
	__le32	v_generation;		/* owner's i_generation */
	__le32	v_reserved[2];		/* zero */
	__le32	v_checksum;
};
#define VEXFS_VECTOR_MAGIC	0x76656376	/* "vecv" */

#ifndef __cplusplus
_Static_assert(sizeof(struct vexfs_super_block) == VEXFS_SUPER_SIZE,
	       "vexfs superblock size");
_Static_assert(sizeof(struct vexfs_inode) == VEXFS_INODE_SIZE,
	       "vexfs inode size");
_Static_assert(sizeof(struct vexfs_dirent) == VEXFS_DIRENT_SIZE,
	       "vexfs dirent size");
_Static_assert(sizeof(struct vexfs_vector_head) == 32,
	       "vexfs vector head size");
/* the version 2 fields, where version 1 had reserved zeros */
_Static_assert(__builtin_offsetof(struct vexfs_super_block, s_journal_start) ==
	       208, "vexfs s_journal_start offset");
_Static_assert(__builtin_offsetof(struct vexfs_super_block, s_lpf_ino) == 216,
	       "vexfs s_lpf_ino offset");
_Static_assert(__builtin_offsetof(struct vexfs_super_block, s_last_orphan) ==
	       220, "vexfs s_last_orphan offset");
_Static_assert(__builtin_offsetof(struct vexfs_super_block, s_checksum) == 508,
	       "vexfs s_checksum offset");
_Static_assert(__builtin_offsetof(struct vexfs_inode, i_next_orphan) == 148,
	       "vexfs i_next_orphan offset");
_Static_assert(__builtin_offsetof(struct vexfs_inode, i_checksum) == 252,
	       "vexfs i_checksum offset");
#endif

/* Bytes of one vector element, 0 for an unknown type. */
static inline __u32 vexfs_vec_elem_size(__u32 type)
{
	return type == VEXFS_VEC_FLOAT32 ? 4 : type == VEXFS_VEC_INT8 ? 1 : 0;
}

/* Blocks of the vector record of @dim elements of @type. */
static inline __u32 vexfs_vector_blocks(__u32 dim, __u32 type,
					__u32 block_size)
{
	__u32 bytes = sizeof(struct vexfs_vector_head) +
		      dim * vexfs_vec_elem_size(type);

	return (bytes + block_size - 1) / block_size;
}

/* The d_type of a mode, VEXFS_FT_UNKNOWN for an invalid type. */
static inline __u8 vexfs_mode_to_ft(__u32 mode)
{
	switch (mode & VEXFS_S_IFMT) {
	case VEXFS_S_IFREG:	return VEXFS_FT_REG;
	case VEXFS_S_IFDIR:	return VEXFS_FT_DIR;
	case VEXFS_S_IFLNK:	return VEXFS_FT_LNK;
	case VEXFS_S_IFCHR:	return VEXFS_FT_CHR;
	case VEXFS_S_IFBLK:	return VEXFS_FT_BLK;
	case VEXFS_S_IFIFO:	return VEXFS_FT_FIFO;
	case VEXFS_S_IFSOCK:	return VEXFS_FT_SOCK;
	}
	return VEXFS_FT_UNKNOWN;
}

/*
 * Logical blocks a file can map: VEXFS_NDIR + P + P^2 + P^3 + P^4 with
 * P = block_size / 4 pointers per indirect block.
 */
static inline __u64 vexfs_max_file_blocks(__u32 block_size)
{
	__u64 p = block_size / 4;

	return VEXFS_NDIR + p + p * p + p * p * p + p * p * p * p;
}

/*
 * struct vexfs_geometry - the superblock's numbers in CPU byte order: what
 * vexfs_geometry_check() validates and vexfs_geometry_layout() computes.
 */
struct vexfs_geometry {
	__u32	block_size;
	__u64	blocks_count;
	__u32	inodes_count;
	__u32	inode_size;
	__u64	ibitmap_start;
	__u64	bbitmap_start;
	__u64	itable_start;
	__u64	data_start;
	__u32	ibitmap_blocks;
	__u32	bbitmap_blocks;
	__u32	itable_blocks;
	__u32	root_ino;
};

/*
 * vexfs_geometry_layout - fill in the region fields of @g from its
 * block_size and inodes_count and blocks_count: the only layout version 1
 * allows.  Returns 0, or -1 if block_size or the counts are out of range.
 */
static inline int vexfs_geometry_layout(struct vexfs_geometry *g)
{
	__u64 bits = (__u64)g->block_size * 8;

	if (g->block_size < VEXFS_MIN_BLOCK_SIZE ||
	    g->block_size > VEXFS_MAX_BLOCK_SIZE ||
	    (g->block_size & (g->block_size - 1)))
		return -1;
	if (g->inodes_count < 1 || g->inodes_count > VEXFS_MAX_INODES ||
	    g->blocks_count < 1 || g->blocks_count > VEXFS_MAX_BLOCKS)
		return -1;
	g->inode_size = VEXFS_INODE_SIZE;
	g->root_ino = VEXFS_ROOT_INO;
	g->ibitmap_blocks = (__u32)(((__u64)g->inodes_count + 1 + bits - 1) /
				    bits);
	g->bbitmap_blocks = (__u32)((g->blocks_count + bits - 1) / bits);
	g->itable_blocks = (__u32)(((__u64)g->inodes_count * VEXFS_INODE_SIZE +
				    g->block_size - 1) / g->block_size);
	g->ibitmap_start = 1;
	g->bbitmap_start = g->ibitmap_start + g->ibitmap_blocks;
	g->itable_start = g->bbitmap_start + g->bbitmap_blocks;
	g->data_start = g->itable_start + g->itable_blocks;
	return 0;
}

/*
 * vexfs_geometry_check - validate a superblock's geometry.
 * @g: the decoded fields
 * @dev_bytes: size of the device, 0 if unknown
 *
 * Returns NULL if @g is a valid version 1 layout that fits the device and
 * leaves at least one data block (the root directory's), else a short
 * English description of the first problem found.
 */
static inline const char *
vexfs_geometry_check(const struct vexfs_geometry *g, __u64 dev_bytes)
{
	struct vexfs_geometry want = *g;

	if (vexfs_geometry_layout(&want))
		return "block size, block count or inode count out of range";
	if (g->inode_size != want.inode_size)
		return "unsupported inode size";
	if (g->root_ino != want.root_ino)
		return "root inode is not inode 1";
	if (g->ibitmap_start != want.ibitmap_start ||
	    g->ibitmap_blocks != want.ibitmap_blocks)
		return "inode bitmap location or size is wrong";
	if (g->bbitmap_start != want.bbitmap_start ||
	    g->bbitmap_blocks != want.bbitmap_blocks)
		return "block bitmap location or size is wrong";
	if (g->itable_start != want.itable_start ||
	    g->itable_blocks != want.itable_blocks)
		return "inode table location or size is wrong";
	if (g->data_start != want.data_start)
		return "data region start is wrong";
	if (g->data_start >= g->blocks_count)
		return "no room for data blocks";
	if (dev_bytes && g->blocks_count > dev_bytes / g->block_size)
		return "filesystem is larger than the device";
	return 0;
}

/*
 * vexfs_journal_check - validate the journal extent of a version 2
 * superblock against its (already valid) geometry @g.
 * @has_journal: VEXFS_FEATURE_COMPAT_HAS_JOURNAL is set
 *
 * Returns NULL if the extent is valid (or absent and zero), else a short
 * English description of the problem.
 */
static inline const char *
vexfs_journal_check(const struct vexfs_geometry *g, int has_journal,
		    __u32 journal_start, __u32 journal_blocks)
{
	if (!has_journal)
		return journal_start || journal_blocks ?
		       "journal fields set without the journal feature" : 0;
	if (journal_blocks < VEXFS_JOURNAL_MIN_BLOCKS)
		return "journal shorter than 1024 blocks";
	if (journal_start < g->data_start ||
	    (__u64)journal_start + journal_blocks > g->blocks_count)
		return "journal extent outside the data region";
	return 0;
}

#endif /* _UAPI_LINUX_VEXFS_FS_H */
