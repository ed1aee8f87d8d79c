// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the VexFS format library (tools/vexfs: checksums, the
 * layout rules of <linux/vexfs_fs.h>, encoding and decoding, mkfs).
 */
// sources: tools/vexfs/cache.c tools/vexfs/crc32c.c tools/vexfs/format.c tools/vexfs/image.c tools/vexfs/journal.c tools/vexfs/mkfs.c tools/vexfs/check.c
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "../../tools/vexfs/journal.h"
#include "../../tools/vexfs/vexfs.h"

static void crc32c_known_answers(void **state)
{
	static const uint8_t zeros[32];

	(void)state;
	/* RFC 3720 B.4 and the classic check value */
	assert_int_equal(vexfs_crc32c("123456789", 9), 0xE3069283);
	assert_int_equal(vexfs_crc32c(zeros, sizeof(zeros)), 0x8A9136AA);
	assert_int_equal(vexfs_crc32c("", 0), 0);
	/* raw updates chain like one call */
	assert_int_equal(~vexfs_crc32c_update(vexfs_crc32c_update(~0u, "1234", 4), "56789", 5),
			 0xE3069283);
}

static void struct_layout_is_the_documented_one(void **state)
{
	(void)state;
	assert_int_equal(sizeof(struct vexfs_super_block), 512);
	assert_int_equal(offsetof(struct vexfs_super_block, s_block_size), 20);
	assert_int_equal(offsetof(struct vexfs_super_block, s_blocks_count), 24);
	assert_int_equal(offsetof(struct vexfs_super_block, s_data_start), 64);
	assert_int_equal(offsetof(struct vexfs_super_block, s_state), 88);
	assert_int_equal(offsetof(struct vexfs_super_block, s_uuid), 128);
	assert_int_equal(offsetof(struct vexfs_super_block, s_label), 144);
	/* version 2, carved out of s_reserved */
	assert_int_equal(offsetof(struct vexfs_super_block, s_journal_start), 208);
	assert_int_equal(offsetof(struct vexfs_super_block, s_journal_blocks), 212);
	assert_int_equal(offsetof(struct vexfs_super_block, s_lpf_ino), 216);
	assert_int_equal(offsetof(struct vexfs_super_block, s_last_orphan), 220);
	assert_int_equal(offsetof(struct vexfs_super_block, s_reserved), 224);
	assert_int_equal(offsetof(struct vexfs_super_block, s_checksum), 508);
	assert_int_equal(sizeof(struct vexfs_inode), 256);
	assert_int_equal(offsetof(struct vexfs_inode, i_size), 16);
	assert_int_equal(offsetof(struct vexfs_inode, i_atime), 32);
	assert_int_equal(offsetof(struct vexfs_inode, i_block), 72);
	assert_int_equal(offsetof(struct vexfs_inode, i_vec_block), 136);
	assert_int_equal(offsetof(struct vexfs_inode, i_rdev), 144);
	assert_int_equal(offsetof(struct vexfs_inode, i_next_orphan), 148);
	assert_int_equal(offsetof(struct vexfs_inode, i_reserved), 152);
	assert_int_equal(offsetof(struct vexfs_inode, i_checksum), 252);
	assert_int_equal(sizeof(struct vexfs_dirent), 256);
	assert_int_equal(offsetof(struct vexfs_dirent, d_name), 6);
	assert_int_equal(sizeof(struct vexfs_vector_head), 32);
	assert_int_equal(offsetof(struct vexfs_vector_head, v_checksum), 28);
}

static void geometry_layout_packs_regions(void **state)
{
	struct vexfs_geometry g = { .block_size = 4096, .blocks_count = 16384,
				    .inodes_count = 4096 };

	(void)state;
	assert_int_equal(vexfs_geometry_layout(&g), 0);
	assert_int_equal(g.ibitmap_start, 1);
	assert_int_equal(g.ibitmap_blocks, 1);	/* 4097 bits */
	assert_int_equal(g.bbitmap_start, 2);
	assert_int_equal(g.bbitmap_blocks, 1);
	assert_int_equal(g.itable_start, 3);
	assert_int_equal(g.itable_blocks, 256);
	assert_int_equal(g.data_start, 259);
	assert_null(vexfs_geometry_check(&g, 16384ULL * 4096));

	/* 32768 inodes need 32769 bits: two bitmap blocks at 2 KiB */
	g = (struct vexfs_geometry){ .block_size = 2048, .blocks_count = 100000,
				     .inodes_count = 16384 };
	assert_int_equal(vexfs_geometry_layout(&g), 0);
	assert_int_equal(g.ibitmap_blocks, 2);
	assert_int_equal(g.bbitmap_blocks, 7);

	g.block_size = 3000;
	assert_int_equal(vexfs_geometry_layout(&g), -1);
	g.block_size = 512;
	assert_int_equal(vexfs_geometry_layout(&g), -1);
	g.block_size = 8192;
	assert_int_equal(vexfs_geometry_layout(&g), -1);
	g.block_size = 1024;
	g.inodes_count = 0;
	assert_int_equal(vexfs_geometry_layout(&g), -1);
	g.inodes_count = 10;
	g.blocks_count = VEXFS_MAX_BLOCKS + 1;
	assert_int_equal(vexfs_geometry_layout(&g), -1);
}

static void geometry_check_names_each_inconsistency(void **state)
{
	struct vexfs_geometry ok = { .block_size = 1024, .blocks_count = 4096,
				     .inodes_count = 256 }, g;

	(void)state;
	assert_int_equal(vexfs_geometry_layout(&ok), 0);
	assert_null(vexfs_geometry_check(&ok, 0));
	assert_null(vexfs_geometry_check(&ok, 4096 * 1024));

	g = ok;
	g.inode_size = 128;
	assert_string_equal(vexfs_geometry_check(&g, 0), "unsupported inode size");
	g = ok;
	g.root_ino = 2;
	assert_string_equal(vexfs_geometry_check(&g, 0), "root inode is not inode 1");
	g = ok;
	g.ibitmap_blocks++;
	assert_string_equal(vexfs_geometry_check(&g, 0), "inode bitmap location or size is wrong");
	g = ok;
	g.bbitmap_start++;
	assert_string_equal(vexfs_geometry_check(&g, 0), "block bitmap location or size is wrong");
	g = ok;
	g.itable_blocks--;
	assert_string_equal(vexfs_geometry_check(&g, 0), "inode table location or size is wrong");
	g = ok;
	g.data_start--;
	assert_string_equal(vexfs_geometry_check(&g, 0), "data region start is wrong");
	g = ok;
	assert_string_equal(vexfs_geometry_check(&g, 4095 * 1024),
			    "filesystem is larger than the device");
	/* all metadata, no data block */
	g = (struct vexfs_geometry){ .block_size = 1024, .inodes_count = 256 };
	g.blocks_count = 1 + 1 + 1 + 64;
	assert_int_equal(vexfs_geometry_layout(&g), 0);
	assert_string_equal(vexfs_geometry_check(&g, 0), "no room for data blocks");
}

static void sample_super(struct vexfs_super *s)
{
	memset(s, 0, sizeof(*s));
	s->g = (struct vexfs_geometry){ .block_size = 4096, .blocks_count = 1000,
					.inodes_count = 64 };
	assert_int_equal(vexfs_geometry_layout(&s->g), 0);
	s->state = VEXFS_STATE_CLEAN;
	s->errors = VEXFS_ERRORS_RO;
	s->mkfs_time = 1700000000;
	s->mount_count = 3;
	memset(s->uuid, 0xab, sizeof(s->uuid));
	strcpy(s->label, "vectors");
}

static void super_round_trip(void **state)
{
	uint8_t raw[VEXFS_SUPER_SIZE];
	struct vexfs_super s, d;
	const char *why = NULL;
	bool not_vexfs;

	(void)state;
	sample_super(&s);
	vexfs_super_encode(&s, raw);
	assert_int_equal(vexfs_super_decode(raw, 1000 * 4096, &d, &why, &not_vexfs), 0);
	assert_int_equal(d.g.blocks_count, 1000);
	assert_int_equal(d.g.data_start, s.g.data_start);
	assert_int_equal(d.errors, VEXFS_ERRORS_RO);
	assert_int_equal(d.mount_count, 3);
	assert_int_equal(d.mkfs_time, 1700000000);
	assert_string_equal(d.label, "vectors");
	assert_memory_equal(d.uuid, s.uuid, 16);
	/* little-endian on disk whatever the host */
	assert_int_equal(raw[0], 0x66);
	assert_int_equal(raw[3], 0x76);
}

static void super_decode_refuses_corruption(void **state)
{
	uint8_t raw[VEXFS_SUPER_SIZE];
	struct vexfs_super_block *sb = (void *)raw;
	struct vexfs_super s, d;
	const char *why = NULL;
	bool not_vexfs;

	(void)state;
	sample_super(&s);

	vexfs_super_encode(&s, raw);
	raw[0] ^= 1;
	assert_int_equal(vexfs_super_decode(raw, 0, &d, &why, &not_vexfs), -1);
	assert_true(not_vexfs);

	vexfs_super_encode(&s, raw);
	raw[200] ^= 0x10;	/* inside the label: checksum no longer matches */
	assert_int_equal(vexfs_super_decode(raw, 0, &d, &why, &not_vexfs), -1);
	assert_false(not_vexfs);
	assert_string_equal(why, "superblock checksum mismatch");

	vexfs_super_encode(&s, raw);
	sb->s_version = htole32(3);
	sb->s_checksum = htole32(vexfs_super_csum(sb));
	assert_int_equal(vexfs_super_decode(raw, 0, &d, &why, &not_vexfs), -1);
	assert_string_equal(why, "unsupported format version");

	vexfs_super_encode(&s, raw);
	sb->s_feature_incompat = htole32(0x80);
	sb->s_checksum = htole32(vexfs_super_csum(sb));
	assert_int_equal(vexfs_super_decode(raw, 0, &d, &why, &not_vexfs), -1);
	assert_string_equal(why, "unknown incompatible feature");

	/* unknown compat and ro_compat features decode (the caller decides) */
	vexfs_super_encode(&s, raw);
	sb->s_feature_compat = htole32(0x2);
	sb->s_feature_ro_compat = htole32(0x1);
	sb->s_checksum = htole32(vexfs_super_csum(sb));
	assert_int_equal(vexfs_super_decode(raw, 0, &d, &why, &not_vexfs), 0);
	assert_int_equal(d.feature_ro_compat, 1);

	vexfs_super_encode(&s, raw);
	memset(sb->s_label, 'x', VEXFS_LABEL_LEN);
	sb->s_checksum = htole32(vexfs_super_csum(sb));
	assert_int_equal(vexfs_super_decode(raw, 0, &d, &why, &not_vexfs), -1);
	assert_string_equal(why, "label is not NUL-terminated");

	vexfs_super_encode(&s, raw);
	sb->s_state = htole32(0x10);
	sb->s_checksum = htole32(vexfs_super_csum(sb));
	assert_int_equal(vexfs_super_decode(raw, 0, &d, &why, &not_vexfs), -1);
	assert_string_equal(why, "unknown state flags");

	vexfs_super_encode(&s, raw);
	sb->s_errors = htole16(0);
	sb->s_checksum = htole32(vexfs_super_csum(sb));
	assert_int_equal(vexfs_super_decode(raw, 0, &d, &why, &not_vexfs), -1);
	assert_string_equal(why, "invalid errors behaviour");

	vexfs_super_encode(&s, raw);
	assert_int_equal(vexfs_super_decode(raw, 999 * 4096, &d, &why, &not_vexfs), -1);
	assert_string_equal(why, "filesystem is larger than the device");
}

static void inode_round_trip_and_checksum_binds_number(void **state)
{
	struct vexfs_dinode a, b;
	struct vexfs_inode raw;

	(void)state;
	memset(&a, 0, sizeof(a));
	a.mode = VEXFS_S_IFREG | 0640;
	a.nlink = 2;
	a.uid = 1000;
	a.gid = 100;
	a.size = 5ULL << 40;	/* 5 TiB: 64-bit sizes */
	a.blocks = 7;
	a.atime = -1;		/* before the epoch */
	a.mtime = 4102444800;	/* after 2038 */
	a.mtime_nsec = 999999999;
	for (int i = 0; i < VEXFS_N_BLOCKS; i++)
		a.block[i] = 100 + i;
	a.vec_block = 500;
	a.vec_dim = 4096;
	a.vec_type = VEXFS_VEC_INT8;
	a.next_orphan = 7;
	vexfs_inode_encode(&a, 42, &raw);
	assert_true(vexfs_inode_csum_ok(&raw, 42));
	assert_false(vexfs_inode_csum_ok(&raw, 43));
	vexfs_inode_decode(&raw, &b);
	a.checksum = b.checksum;
	assert_memory_equal(&a, &b, sizeof(a));
	assert_false(b.reserved_nonzero);
	raw.i_reserved[3] = 1;
	vexfs_inode_decode(&raw, &b);
	assert_true(b.reserved_nonzero);
	assert_false(vexfs_inode_csum_ok(&raw, 42));
}

static void dirent_names_validated(void **state)
{
	struct vexfs_dirent de;

	(void)state;
	memset(&de, 0, sizeof(de));
	de.d_name_len = 3;
	memcpy(de.d_name, "abc", 3);
	assert_null(vexfs_dirent_check_name(&de));
	de.d_name_len = VEXFS_NAME_LEN;
	memset(de.d_name, 'n', VEXFS_NAME_LEN);
	assert_null(vexfs_dirent_check_name(&de));
	de.d_name_len = 0;
	assert_non_null(vexfs_dirent_check_name(&de));
	de.d_name_len = VEXFS_NAME_LEN + 1;
	assert_non_null(vexfs_dirent_check_name(&de));
	memset(&de, 0, sizeof(de));
	de.d_name_len = 3;
	memcpy(de.d_name, "a/b", 3);
	assert_string_equal(vexfs_dirent_check_name(&de), "name contains '/'");
	memcpy(de.d_name, "a\0b", 3);
	assert_string_equal(vexfs_dirent_check_name(&de), "name contains a NUL byte");
	memcpy(de.d_name, "abcd", 4);
	assert_string_equal(vexfs_dirent_check_name(&de), "bytes after the name are not zero");
}

static void vector_and_file_limits(void **state)
{
	(void)state;
	assert_int_equal(vexfs_vec_elem_size(VEXFS_VEC_FLOAT32), 4);
	assert_int_equal(vexfs_vec_elem_size(VEXFS_VEC_INT8), 1);
	assert_int_equal(vexfs_vec_elem_size(7), 0);
	/* 32-byte header + 4096 floats = 16416 bytes */
	assert_int_equal(vexfs_vector_blocks(4096, VEXFS_VEC_FLOAT32, 4096), 5);
	assert_int_equal(vexfs_vector_blocks(4096, VEXFS_VEC_FLOAT32, 1024), 17);
	assert_int_equal(vexfs_vector_blocks(4064, VEXFS_VEC_INT8, 4096), 1);
	assert_int_equal(vexfs_vector_blocks(4065, VEXFS_VEC_INT8, 4096), 2);
	/* at least 1 TiB per file at every block size */
	assert_true(vexfs_max_file_blocks(1024) * 1024 >= 1ULL << 40);
	assert_true(vexfs_max_file_blocks(4096) * 4096 >= 1ULL << 40);
	assert_int_equal(vexfs_max_file_blocks(1024), 12 + 256 + 65536 + 16777216ULL +
			 4294967296ULL);
	assert_int_equal(vexfs_mode_to_ft(VEXFS_S_IFLNK | 0777), VEXFS_FT_LNK);
	assert_int_equal(vexfs_mode_to_ft(0170000), VEXFS_FT_UNKNOWN);
}

/* ---- mkfs on an image file ---- */

static char img_path[64];

static int make_image(uint64_t bytes, struct vexfs_image *img)
{
	int fd;

	strcpy(img_path, "/tmp/vexfs-unit.XXXXXX");
	fd = mkstemp(img_path);
	if (fd < 0 || ftruncate(fd, (off_t)bytes) < 0)
		return -1;
	close(fd);
	return vexfs_image_open(img, img_path, true, false);
}

static void mkfs_defaults_then_fsck_clean(void **state)
{
	struct vexfs_mkfs_opts o = { .time = 1700000000, .label = "unit" };
	struct vexfs_fsck_result res;
	struct vexfs_image img;
	struct vexfs_super s;
	const char *why = NULL;

	(void)state;
	assert_int_equal(make_image(32 << 20, &img), 0);
	assert_int_equal(vexfs_mkfs(&img, &o, &s, &why), 0);
	assert_int_equal(s.g.block_size, 4096);
	assert_int_equal(s.g.blocks_count, 8192);
	assert_int_equal(s.g.inodes_count, 2048);	/* one per 16 KiB */
	/* 8192 blocks: the smallest default journal, at the data start */
	assert_int_equal(s.version, 2);
	assert_int_equal(s.journal_start, s.g.data_start);
	assert_int_equal(s.journal_blocks, 1024);
	assert_int_equal(s.lpf_ino, 2);
	assert_int_equal(vexfs_fsck(&img, VEXFS_FSCK_CHECK, &res), 0);
	assert_int_equal(res.nproblems, 0);
	assert_int_equal(res.inodes_used, 2);
	assert_int_equal(res.dirs, 2);
	assert_true(res.journal);
	assert_int_equal(res.blocks_used, s.g.data_start + 1024 + 2);
	assert_true(res.was_clean);
	vexfs_fsck_result_free(&res);
	vexfs_image_close(&img);
	unlink(img_path);
}

static void mkfs_refuses_bad_options(void **state)
{
	struct vexfs_image img;
	struct vexfs_super s;
	const char *why = NULL;
	struct vexfs_mkfs_opts o;

	(void)state;
	assert_int_equal(make_image(1 << 20, &img), 0);
	o = (struct vexfs_mkfs_opts){ .time = 0, .block_size = 3000 };
	assert_int_equal(vexfs_mkfs(&img, &o, &s, &why), -EINVAL);
	assert_string_equal(why, "block size must be 1024, 2048 or 4096");
	o = (struct vexfs_mkfs_opts){ .time = 0,
		.label = "0123456789012345678901234567890123456789012345678901234567890123" };
	assert_int_equal(vexfs_mkfs(&img, &o, &s, &why), -EINVAL);
	assert_string_equal(why, "label longer than 63 bytes");
	o = (struct vexfs_mkfs_opts){ .time = 0, .blocks = 1000 };
	assert_int_equal(vexfs_mkfs(&img, &o, &s, &why), -EINVAL);
	assert_string_equal(why, "filesystem larger than the device");
	o = (struct vexfs_mkfs_opts){ .time = 0, .blocks = 8 };
	assert_int_equal(vexfs_mkfs(&img, &o, &s, &why), -EINVAL);
	o = (struct vexfs_mkfs_opts){ .time = 0, .inodes = 100000 };
	assert_int_equal(vexfs_mkfs(&img, &o, &s, &why), -EINVAL);
	assert_string_equal(why, "too many inodes: no room left for data");
	/* nothing was written: still no filesystem on it */
	{
		uint8_t raw[VEXFS_SUPER_SIZE];
		static const uint8_t zero[VEXFS_SUPER_SIZE];

		assert_int_equal(vexfs_read_bytes(&img, 0, sizeof(raw), raw), 0);
		assert_memory_equal(raw, zero, sizeof(raw));
	}
	o = (struct vexfs_mkfs_opts){ .time = 0, .block_size = 1024, .inodes = 16 };
	assert_int_equal(vexfs_mkfs(&img, &o, &s, &why), 0);
	assert_int_equal(s.g.inodes_count, 16);
	assert_int_equal(s.g.data_start, 1 + 1 + 1 + 4);
	vexfs_image_close(&img);
	unlink(img_path);
}

static void mkfs_journal_options(void **state)
{
	struct vexfs_image img;
	struct vexfs_super s;
	const char *why = NULL;
	struct vexfs_mkfs_opts o;

	(void)state;
	/* default: blocks / 32 within [1024, 32768] */
	assert_int_equal(vexfs_journal_default_blocks(16384, 259), 1024);
	assert_int_equal(vexfs_journal_default_blocks(65536, 1000), 2048);
	assert_int_equal(vexfs_journal_default_blocks(1572864, 20000), 32768);
	assert_int_equal(vexfs_journal_default_blocks(1ULL << 32, 20000), 32768);
	/* too small for 1024 journal and 1024 data blocks: none */
	assert_int_equal(vexfs_journal_default_blocks(2048, 19), 0);
	assert_int_equal(vexfs_journal_default_blocks(2048 + 19 + 2, 19), 1024);

	assert_int_equal(make_image(64 << 20, &img), 0);
	o = (struct vexfs_mkfs_opts){ .time = 0 };
	assert_int_equal(vexfs_mkfs(&img, &o, &s, &why), 0);
	assert_int_equal(s.journal_blocks, 1024);
	o = (struct vexfs_mkfs_opts){ .time = 0, .journal = VEXFS_JOURNAL_SIZE,
				      .journal_bytes = 16 << 20 };
	assert_int_equal(vexfs_mkfs(&img, &o, &s, &why), 0);
	assert_int_equal(s.journal_blocks, 4096);
	assert_int_equal(s.journal_start, s.g.data_start);
	assert_true(s.feature_compat & VEXFS_FEATURE_COMPAT_HAS_JOURNAL);
	o = (struct vexfs_mkfs_opts){ .time = 0, .journal = VEXFS_JOURNAL_NONE };
	assert_int_equal(vexfs_mkfs(&img, &o, &s, &why), 0);
	assert_int_equal(s.version, 2);
	assert_int_equal(s.journal_blocks, 0);
	assert_int_equal(s.journal_start, 0);
	assert_false(s.feature_compat & VEXFS_FEATURE_COMPAT_HAS_JOURNAL);
	assert_int_equal(s.lpf_ino, 2);
	o = (struct vexfs_mkfs_opts){ .time = 0, .journal = VEXFS_JOURNAL_SIZE,
				      .journal_bytes = 64 << 20 };
	assert_int_equal(vexfs_mkfs(&img, &o, &s, &why), -EINVAL);
	assert_string_equal(why, "journal does not fit: larger than the data region");
	o = (struct vexfs_mkfs_opts){ .time = 0, .journal = VEXFS_JOURNAL_SIZE,
				      .journal_bytes = 1 << 20 };
	assert_int_equal(vexfs_mkfs(&img, &o, &s, &why), -EINVAL);
	assert_string_equal(why, "journal smaller than 1024 blocks");
	vexfs_image_close(&img);
	unlink(img_path);

	/* a small filesystem gets none by default */
	assert_int_equal(make_image(2 << 20, &img), 0);
	o = (struct vexfs_mkfs_opts){ .time = 0 };
	assert_int_equal(vexfs_mkfs(&img, &o, &s, &why), 0);
	assert_int_equal(s.journal_blocks, 0);
	vexfs_image_close(&img);
	unlink(img_path);
}

static void super_v2_fields_validated(void **state)
{
	uint8_t raw[VEXFS_SUPER_SIZE];
	struct vexfs_super_block *sb = (void *)raw;
	struct vexfs_super s, d;
	const char *why = NULL;
	bool not_vexfs;

	(void)state;
	sample_super(&s);
	s.g.blocks_count = 4000;
	assert_int_equal(vexfs_geometry_layout(&s.g), 0);
	s.feature_compat = VEXFS_FEATURE_COMPAT_HAS_JOURNAL;
	s.journal_start = (uint32_t)s.g.data_start;
	s.journal_blocks = 1024;
	s.lpf_ino = 2;
	s.last_orphan = 9;
	vexfs_super_encode(&s, raw);
	assert_int_equal(le32toh(sb->s_version), 2);
	assert_int_equal(le32toh(sb->s_last_orphan), 9);
	assert_int_equal(vexfs_super_decode(raw, 0, &d, &why, &not_vexfs), 0);
	assert_int_equal(d.journal_start, s.g.data_start);
	assert_int_equal(d.journal_blocks, 1024);
	assert_int_equal(d.lpf_ino, 2);
	assert_int_equal(d.last_orphan, 9);
	s.last_orphan = 0;

	s.feature_incompat = VEXFS_FEATURE_INCOMPAT_RECOVER;
	vexfs_super_encode(&s, raw);
	assert_int_equal(vexfs_super_decode(raw, 0, &d, &why, &not_vexfs), 0);
	s.feature_compat = 0;
	vexfs_super_encode(&s, raw);
	assert_int_equal(vexfs_super_decode(raw, 0, &d, &why, &not_vexfs), -1);
	assert_string_equal(why, "journal fields set without the journal feature");
	s.journal_start = s.journal_blocks = 0;
	vexfs_super_encode(&s, raw);
	assert_int_equal(vexfs_super_decode(raw, 0, &d, &why, &not_vexfs), -1);
	assert_string_equal(why, "needs journal recovery but has no journal");
	s.feature_incompat = 0;
	s.feature_compat = VEXFS_FEATURE_COMPAT_HAS_JOURNAL;
	s.journal_start = 3;
	s.journal_blocks = 1024;
	vexfs_super_encode(&s, raw);
	assert_int_equal(vexfs_super_decode(raw, 0, &d, &why, &not_vexfs), -1);
	assert_string_equal(why, "journal extent outside the data region");
	s.journal_start = 3500;
	vexfs_super_encode(&s, raw);
	assert_int_equal(vexfs_super_decode(raw, 0, &d, &why, &not_vexfs), -1);
	s.journal_start = (uint32_t)s.g.data_start;
	s.journal_blocks = 1000;
	vexfs_super_encode(&s, raw);
	assert_int_equal(vexfs_super_decode(raw, 0, &d, &why, &not_vexfs), -1);
	assert_string_equal(why, "journal shorter than 1024 blocks");
	s.journal_blocks = 1024;
	s.lpf_ino = 65;
	vexfs_super_encode(&s, raw);
	assert_int_equal(vexfs_super_decode(raw, 0, &d, &why, &not_vexfs), -1);
	assert_string_equal(why, "lost+found inode number out of range");

	/* version 1: no feature flags; its version 2 fields are reserved */
	sample_super(&s);
	s.version = VEXFS_VERSION_1;
	vexfs_super_encode(&s, raw);
	sb->s_journal_start = htole32(99);
	sb->s_last_orphan = htole32(5);
	sb->s_checksum = htole32(vexfs_super_csum(sb));
	assert_int_equal(vexfs_super_decode(raw, 0, &d, &why, &not_vexfs), 0);
	assert_int_equal(d.version, 1);
	assert_int_equal(d.journal_start, 0);
	assert_int_equal(d.last_orphan, 0);
	sb->s_feature_incompat = htole32(VEXFS_FEATURE_INCOMPAT_RECOVER);
	sb->s_checksum = htole32(vexfs_super_csum(sb));
	assert_int_equal(vexfs_super_decode(raw, 0, &d, &why, &not_vexfs), -1);
	assert_string_equal(why, "unknown incompatible feature");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(crc32c_known_answers),
		cmocka_unit_test(struct_layout_is_the_documented_one),
		cmocka_unit_test(geometry_layout_packs_regions),
		cmocka_unit_test(geometry_check_names_each_inconsistency),
		cmocka_unit_test(super_round_trip),
		cmocka_unit_test(super_decode_refuses_corruption),
		cmocka_unit_test(inode_round_trip_and_checksum_binds_number),
		cmocka_unit_test(dirent_names_validated),
		cmocka_unit_test(vector_and_file_limits),
		cmocka_unit_test(mkfs_defaults_then_fsck_clean),
		cmocka_unit_test(mkfs_refuses_bad_options),
		cmocka_unit_test(mkfs_journal_options),
		cmocka_unit_test(super_v2_fields_validated),
	};

	return cmocka_run_group_tests_name("vexfs_format", tests, NULL, NULL);
}
