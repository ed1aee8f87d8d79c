// SPDX-License-Identifier: GPL-2.0
/*
 * <linux/crc32c.h> declares crc32c() (libcrc32c).  Newer kernels declare
 * it in <linux/crc32.h> as part of the CRC library and drop crc32c.h.
 */
#include <linux/crc32c.h>

u32 dsmil_probe_crc32c(const void *p, unsigned int len);
u32 dsmil_probe_crc32c(const void *p, unsigned int len)
{
	return crc32c(~0U, p, len);
}
