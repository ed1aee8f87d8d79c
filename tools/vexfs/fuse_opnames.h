/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fuse_opnames.h - the names of the FUSE opcodes (<linux/fuse.h>) that
 * VEXFS_IOC_FUSE_COUNTS reports, as "vexctl requests" and the benchmark
 * print them.  Not for the daemon: <linux/fuse.h> clashes with libfuse.
 */
#ifndef VEXFS_FUSE_OPNAMES_H
#define VEXFS_FUSE_OPNAMES_H

#include <linux/fuse.h>

static const char *const vexfs_fuse_opnames[] = {
	[FUSE_LOOKUP] = "lookup",	[FUSE_FORGET] = "forget",
	[FUSE_GETATTR] = "getattr",	[FUSE_SETATTR] = "setattr",
	[FUSE_READLINK] = "readlink",	[FUSE_SYMLINK] = "symlink",
	[FUSE_MKNOD] = "mknod",		[FUSE_MKDIR] = "mkdir",
	[FUSE_UNLINK] = "unlink",	[FUSE_RMDIR] = "rmdir",
	[FUSE_RENAME] = "rename",	[FUSE_LINK] = "link",
	[FUSE_OPEN] = "open",		[FUSE_READ] = "read",
	[FUSE_WRITE] = "write",		[FUSE_STATFS] = "statfs",
	[FUSE_RELEASE] = "release",	[FUSE_FSYNC] = "fsync",
	[FUSE_FLUSH] = "flush",		[FUSE_OPENDIR] = "opendir",
	[FUSE_READDIR] = "readdir",	[FUSE_RELEASEDIR] = "releasedir",
	[FUSE_FSYNCDIR] = "fsyncdir",	[FUSE_CREATE] = "create",
	[FUSE_IOCTL] = "ioctl",		[FUSE_BATCH_FORGET] = "batch_forget",
	[FUSE_READDIRPLUS] = "readdirplus", [FUSE_RENAME2] = "rename2",
};

/* the name of @op, "op<N>" in @buf for one without a name here */
static inline const char *vexfs_fuse_opname(unsigned int op, char *buf,
					    size_t len)
{
	if (op < sizeof(vexfs_fuse_opnames) / sizeof(vexfs_fuse_opnames[0]) &&
	    vexfs_fuse_opnames[op])
		return vexfs_fuse_opnames[op];
	snprintf(buf, len, "op%u", op);
	return buf;
}

#endif /* VEXFS_FUSE_OPNAMES_H */
