/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dsmil_compat_crc32c.h - crc32c(): declared by <linux/crc32c.h> (from
 * libcrc32c) where the kernel has that header, by <linux/crc32.h> (the CRC
 * library) on newer kernels (probe crc32c_h).
 */
#ifndef _DSMIL_COMPAT_CRC32C_H
#define _DSMIL_COMPAT_CRC32C_H

#include "dsmil_compat_config.h"

#ifdef DSMIL_HAVE_CRC32C_H
#include <linux/crc32c.h>
#else
#include <linux/crc32.h>
#endif

#endif /* _DSMIL_COMPAT_CRC32C_H */
