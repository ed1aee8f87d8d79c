/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * vexfs.h - the ioctl ABI of VexFS: per-file vectors and
 * nearest-neighbour search over a directory tree.
 *
 * Userspace includes it as <dsmil/vexfs.h> (installed by libdsmil-dev and
 * dsmil-devel into /usr/include/dsmil/, outside linux-libc-dev's
 * <linux/...> namespace); the suite's modules as <linux/vexfs.h>.
 *
 * Documentation/filesystems/vexfs.rst is the reference.  Conventions (as
 * for <linux/dsmil.h>):
 *  - Numbers are _IO(VEXFS_IOCTL_MAGIC, nr); the argument is versioned by
 *    its leading __u32 size (sizeof as the caller knows it).  A size below
 *    the first published one is -EINVAL; a larger one is accepted if the
 *    bytes the kernel does not know are zero (else -E2BIG).
 *  - flags and reserved fields must be zero (-EINVAL).
 *  - User pointers are __u64; no implicit padding; the same layout for 32-
 *    and 64-bit callers.
 *
 * Element types and limits are those of the on-disk format, defined in
 * <linux/vexfs_fs.h>: VEXFS_VEC_FLOAT32 or VEXFS_VEC_INT8, dimension
 * 1..VEXFS_VEC_MAX_DIM.
 */
#ifndef _UAPI_LINUX_VEXFS_H
#define _UAPI_LINUX_VEXFS_H

#include <linux/ioctl.h>
#include <linux/types.h>

/* dsmil's ioctl magic (<linux/dsmil.h>): VexFS uses numbers 0x40-0x4f. */
#define VEXFS_IOCTL_MAGIC	0xD5

/*
 * VEXFS_IOC_VEC_SET - give a regular file a vector (replacing any).
 * The file must be open for writing.  Float elements must be finite.
 * Errors: EBADF (not open for writing), EINVAL (not a regular file, bad
 * type, dimension, flags, or a NaN/infinity), EFAULT, ENOSPC (no free run
 * of blocks for the record), EROFS.
 */
#define VEXFS_IOC_VEC_SET	_IO(VEXFS_IOCTL_MAGIC, 0x40)
/*
 * VEXFS_IOC_VEC_GET - read a file's vector.  In: dim = capacity of data in
 * elements.  Out: dim and elem_type of the vector; the elements if they
 * fit, else ENOSPC (dim and elem_type are still written back).
 * Errors: ENODATA (no vector), EINVAL, EFAULT, EUCLEAN (damaged record).
 */
#define VEXFS_IOC_VEC_GET	_IO(VEXFS_IOCTL_MAGIC, 0x41)
/* VEXFS_IOC_VEC_REMOVE - drop a file's vector (open for writing; ENODATA). */
#define VEXFS_IOC_VEC_REMOVE	_IO(VEXFS_IOCTL_MAGIC, 0x42)
/*
 * VEXFS_IOC_SEARCH - exact top-k search over the subtree of the directory
 * the ioctl is issued on.  Only files whose vector has the query's type and
 * dimension are compared; files the caller may not read and directories it
 * may not read and search are skipped.  Each file is reported once, however
 * many links it has.
 * Errors: ENOTDIR, EINVAL, EFAULT, EINTR (fatal signal), EUCLEAN.
 */
#define VEXFS_IOC_SEARCH	_IO(VEXFS_IOCTL_MAGIC, 0x43)

struct vexfs_vec_arg {
	__u32	size;		/* sizeof(struct vexfs_vec_arg) */
	__u32	flags;		/* 0 */
	__u32	dim;		/* elements (GET: in capacity, out dimension) */
	__u32	elem_type;	/* VEXFS_VEC_FLOAT32 or VEXFS_VEC_INT8 */
	__u64	data;		/* user pointer to dim elements */
};
#define VEXFS_VEC_ARG_SIZE_VER0	24

/* Search metrics */
#define VEXFS_METRIC_L2		1	/* squared Euclidean distance, smallest first */
#define VEXFS_METRIC_DOT	2	/* inner product, largest first */
#define VEXFS_METRIC_COSINE	3	/* cosine similarity, largest first */

#define VEXFS_SEARCH_MAX_K	1024

struct vexfs_search_result {
	__u64	ino;		/* inode number of the file */
	__s64	score;		/* value * 2^score_shift (see vexfs_search_arg) */
};

struct vexfs_search_arg {
	__u32	size;		/* sizeof(struct vexfs_search_arg) */
	__u32	flags;		/* 0 */
	__u32	metric;		/* VEXFS_METRIC_* */
	__u32	elem_type;	/* type of the query and of the vectors compared */
	__u32	dim;		/* dimension of the query */
	/* in: results wanted (1..VEXFS_SEARCH_MAX_K); out: results written */
	__u32	k;
	__u64	query;		/* user pointer to dim elements */
	__u64	results;	/* user pointer to k results, best first */
	__u64	compared;	/* out: vectors compared */
	__u32	score_shift;	/* out: fractional bits of the scores */
	__u32	reserved;	/* 0 */
};
#define VEXFS_SEARCH_ARG_SIZE_VER0	56

/*
 * VEXFS_IOC_FUSE_COUNTS - the requests vexfs-fuse's daemon has answered
 * since it mounted, by FUSE opcode (<linux/fuse.h>): what each system call
 * costs in round trips to the daemon.  Issued on any file or directory of
 * a vexfs-fuse mount; the ioctl request itself is counted.  vexfs.ko has
 * no daemon and answers ENOTTY.  Errors: EINVAL (size, flags), EFAULT.
 */
#define VEXFS_IOC_FUSE_COUNTS	_IO(VEXFS_IOCTL_MAGIC, 0x4f)

#define VEXFS_FUSE_OPCODES	64	/* opcodes counted: 0..63 */

struct vexfs_fuse_counts {
	__u32	size;		/* sizeof(struct vexfs_fuse_counts) */
	__u32	flags;		/* 0 */
	__u64	requests[VEXFS_FUSE_OPCODES];	/* out: by opcode */
	__u64	read_bytes;	/* out: bytes READ replies carried */
	__u64	write_bytes;	/* out: bytes WRITE requests carried */
};
#define VEXFS_FUSE_COUNTS_SIZE_VER0	536

#endif /* _UAPI_LINUX_VEXFS_H */
