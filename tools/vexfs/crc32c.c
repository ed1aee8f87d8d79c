// SPDX-License-Identifier: GPL-2.0
/*
 * crc32c.c - CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), table
 * driven, bit-compatible with the kernel's crc32c(): the raw update takes
 * and returns the register without inversion.
 */
#include "vexfs.h"

static uint32_t crc_table[256];
static int crc_table_ready;

static void crc_init(void)
{
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;

		for (int k = 0; k < 8; k++)
			c = (c >> 1) ^ (0x82F63B78u & (0u - (c & 1)));
		crc_table[i] = c;
	}
	crc_table_ready = 1;
}

uint32_t vexfs_crc32c_update(uint32_t crc, const void *buf, size_t len)
{
	const uint8_t *p = buf;

	if (!crc_table_ready)
		crc_init();
	while (len--)
		crc = (crc >> 8) ^ crc_table[(crc ^ *p++) & 0xff];
	return crc;
}

uint32_t vexfs_crc32c(const void *buf, size_t len)
{
	return ~vexfs_crc32c_update(~0u, buf, len);
}

uint32_t vexfs_super_csum(const struct vexfs_super_block *sb)
{
	return vexfs_crc32c(sb, offsetof(struct vexfs_super_block, s_checksum));
}

uint32_t vexfs_inode_csum(const struct vexfs_inode *raw, uint32_t ino)
{
	uint32_t le = htole32(ino);
	uint32_t crc;

	crc = vexfs_crc32c_update(~0u, raw, offsetof(struct vexfs_inode, i_checksum));
	return ~vexfs_crc32c_update(crc, &le, sizeof(le));
}

uint32_t vexfs_vector_csum(const struct vexfs_vector_head *vh, const void *data)
{
	uint32_t crc;

	crc = vexfs_crc32c_update(~0u, vh, offsetof(struct vexfs_vector_head, v_checksum));
	return ~vexfs_crc32c_update(crc, data, le32toh(vh->v_data_len));
}
