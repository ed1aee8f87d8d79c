/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * internal.h - what the files of libdsmil share (not installed).
 */
#ifndef LIBDSMIL_INTERNAL_H
#define LIBDSMIL_INTERNAL_H

#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>

#include "libdsmil.h"

struct dsmil {
	int fd;
	unsigned int flags;
	uint32_t abi_minor;	/* the kernel's DSMIL_ABI_MINOR */
};

/* The kernel speaks UAPI 1.1 (entry_size, DSMIL_DIR_*, DSMIL_QUERY_DIR). */
static inline int dsmil_abi_1_1(const struct dsmil *d)
{
	return d->abi_minor >= 1;
}

/* Start an argument struct: zeroed, size set. */
#define DSMIL_ARGS_INIT(args)					\
	do {							\
		memset(&(args), 0, sizeof(args));		\
		(args).size = sizeof(args);			\
	} while (0)

/* ioctl(2) with errno turned into a negative return value. */
static inline int dsmil_ioctl(struct dsmil *d, unsigned long cmd, void *arg)
{
	if (!d)
		return -EBADF;
	return ioctl(d->fd, cmd, arg) < 0 ? -errno : 0;
}

#endif
