// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the image block cache (tools/vexfs/cache.c) that
 * vexfs-fuse reads through: it answers reads inside one block, it is
 * written through (the device has every write at once, the cached copies
 * follow), a failed write drops what it covered, it holds no more than
 * its size, and the overlay of "fsck -n" still lies over it.
 */
// sources: tools/vexfs/cache.c tools/vexfs/image.c
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "../../tools/vexfs/vexfs.h"

#define BS	1024u
#define NBLK	16u

static char path[] = "/tmp/vexfs-cache-XXXXXX";

/* An image of NBLK blocks, byte i of block b = b * 16 + i % 16; cached. */
static int setup(void **state)
{
	static struct vexfs_image img;
	uint8_t blk[BS];
	int fd = mkstemp(path);

	if (fd < 0)
		return -1;
	for (uint32_t b = 0; b < NBLK; b++) {
		for (uint32_t i = 0; i < BS; i++)
			blk[i] = (uint8_t)(b * 16 + i % 16);
		if (pwrite(fd, blk, BS, (off_t)b * BS) != (ssize_t)BS)
			return -1;
	}
	close(fd);
	if (vexfs_image_open(&img, path, true, false))
		return -1;
	img.block_size = BS;
	if (vexfs_image_cache(&img, 4))
		return -1;
	*state = &img;
	return 0;
}

static int teardown(void **state)
{
	vexfs_image_close(*state);
	unlink(path);
	strcpy(path, "/tmp/vexfs-cache-XXXXXX");
	return 0;
}

/* the bytes of block @b at @at as the device has them (no cache) */
static uint8_t on_disk(uint32_t b, uint32_t at)
{
	uint8_t v = 0;
	int fd = open(path, O_RDONLY);

	assert_true(fd >= 0);
	assert_int_equal(pread(fd, &v, 1, (off_t)b * BS + at), 1);
	close(fd);
	return v;
}

static void reads_inside_a_block_are_cached(void **state)
{
	struct vexfs_image *img = *state;
	uint8_t buf[2 * BS];
	uint64_t h, m;
	size_t n;

	assert_int_equal(vexfs_read_bytes(img, 3 * BS + 5, 10, buf), 0);
	assert_int_equal(buf[0], 3 * 16 + 5);
	assert_int_equal(vexfs_read_bytes(img, 3 * BS + 100, 1, buf), 0);
	assert_int_equal(buf[0], 3 * 16 + 100 % 16);
	assert_int_equal(vexfs_read_blocks(img, 3, 1, buf), 0);
	assert_int_equal(buf[BS - 1], 3 * 16 + 15);
	vexfs_image_cache_stats(img, &h, &m, &n);
	assert_int_equal(m, 1);
	assert_int_equal(h, 2);
	assert_int_equal(n, 1);
	/* across two blocks: read from the device, not counted */
	assert_int_equal(vexfs_read_bytes(img, 4 * BS - 4, 8, buf), 0);
	assert_int_equal(buf[3], 3 * 16 + 15);
	assert_int_equal(buf[4], 4 * 16);
	assert_int_equal(vexfs_read_blocks(img, 6, 2, buf), 0);
	assert_int_equal(buf[BS], 7 * 16);
	vexfs_image_cache_stats(img, &h, &m, &n);
	assert_int_equal(m + h, 3);
}

static void writes_go_through_and_update_the_copies(void **state)
{
	struct vexfs_image *img = *state;
	uint8_t big[3 * BS], buf[BS];

	assert_int_equal(vexfs_read_blocks(img, 1, 1, buf), 0);	/* cached */
	assert_int_equal(vexfs_read_blocks(img, 2, 1, buf), 0);	/* cached */
	memset(big, 0xab, sizeof(big));
	/* from the middle of block 1 to the middle of block 4 */
	assert_int_equal(vexfs_write_bytes(img, BS + BS / 2, sizeof(big), big), 0);
	assert_int_equal(on_disk(2, 0), 0xab);
	assert_int_equal(on_disk(1, BS / 2 - 1), 1 * 16 + 15);
	assert_int_equal(on_disk(4, BS / 2 - 1), 0xab);
	assert_int_equal(on_disk(4, BS / 2), 4 * 16);
	assert_int_equal(vexfs_read_blocks(img, 2, 1, buf), 0);
	assert_int_equal(buf[0], 0xab);
	assert_int_equal(buf[BS - 1], 0xab);
	/* a copy the write covered in part */
	assert_int_equal(vexfs_read_bytes(img, BS + BS / 2 - 1, 2, buf), 0);
	assert_int_equal(buf[0], 1 * 16 + 15);
	assert_int_equal(buf[1], 0xab);
	assert_int_equal(vexfs_read_bytes(img, 4 * BS + BS / 2 - 1, 2, buf), 0);
	assert_int_equal(buf[0], 0xab);
	assert_int_equal(buf[1], 4 * 16);
}

static void a_failed_write_drops_the_copies(void **state)
{
	struct vexfs_image *img = *state;
	uint8_t buf[BS];
	uint64_t h, m;
	size_t n;
	int rw = img->fd, ro = open(path, O_RDONLY);

	assert_true(ro >= 0);
	assert_int_equal(vexfs_read_blocks(img, 5, 1, buf), 0);
	vexfs_image_cache_stats(img, &h, &m, &n);
	assert_int_equal(n, 1);
	img->fd = ro;	/* pwrite fails with EBADF */
	memset(buf, 0xcd, sizeof(buf));
	assert_int_equal(vexfs_write_bytes(img, 5 * BS, 8, buf), -EBADF);
	vexfs_image_cache_stats(img, &h, &m, &n);
	assert_int_equal(n, 0);
	img->fd = rw;
	close(ro);
	assert_int_equal(vexfs_read_blocks(img, 5, 1, buf), 0);
	assert_int_equal(buf[0], 5 * 16);
}

static void it_holds_no_more_than_its_size(void **state)
{
	struct vexfs_image *img = *state;
	uint8_t buf[BS];
	uint64_t h, m;
	size_t n;

	for (uint32_t b = 0; b < NBLK; b++) {
		assert_int_equal(vexfs_read_blocks(img, b, 1, buf), 0);
		assert_int_equal(buf[7], b * 16 + 7);
	}
	vexfs_image_cache_stats(img, &h, &m, &n);
	assert_int_equal(n, 4);
	assert_int_equal(m, NBLK);
	/* the last four are there, the first one was evicted */
	assert_int_equal(vexfs_read_blocks(img, NBLK - 1, 1, buf), 0);
	assert_int_equal(vexfs_read_blocks(img, 0, 1, buf), 0);
	vexfs_image_cache_stats(img, &h, &m, &n);
	assert_int_equal(h, 1);
	assert_int_equal(m, NBLK + 1);
	assert_int_equal(buf[9], 9);
}

static void the_overlay_lies_over_it(void **state)
{
	struct vexfs_image *img = *state;
	uint8_t buf[BS];

	assert_int_equal(vexfs_read_blocks(img, 8, 1, buf), 0);
	assert_int_equal(vexfs_image_overlay(img), 0);
	memset(buf, 0xee, 16);
	assert_int_equal(vexfs_write_bytes(img, 8 * BS, 16, buf), 0);
	assert_int_equal(vexfs_read_bytes(img, 8 * BS + 15, 2, buf), 0);
	assert_int_equal(buf[0], 0xee);
	assert_int_equal(buf[1], 8 * 16);
	assert_int_equal(on_disk(8, 0), 8 * 16);	/* the device unchanged */
	vexfs_image_overlay_drop(img);
	assert_int_equal(vexfs_read_bytes(img, 8 * BS, 1, buf), 0);
	assert_int_equal(buf[0], 8 * 16);
}

static void refused_without_a_block_size(void **state)
{
	struct vexfs_image *img = *state;
	struct vexfs_image other;

	assert_int_equal(vexfs_image_cache(img, 4), -EINVAL);	/* has one */
	assert_int_equal(vexfs_image_open(&other, path, false, false), 0);
	assert_int_equal(vexfs_image_cache(&other, 4), -EINVAL);
	vexfs_image_close(&other);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(reads_inside_a_block_are_cached, setup, teardown),
		cmocka_unit_test_setup_teardown(writes_go_through_and_update_the_copies, setup, teardown),
		cmocka_unit_test_setup_teardown(a_failed_write_drops_the_copies, setup, teardown),
		cmocka_unit_test_setup_teardown(it_holds_no_more_than_its_size, setup, teardown),
		cmocka_unit_test_setup_teardown(the_overlay_lies_over_it, setup, teardown),
		cmocka_unit_test_setup_teardown(refused_without_a_block_size, setup, teardown),
	};

	return cmocka_run_group_tests_name("vexfs image cache", tests, NULL, NULL);
}
