// SPDX-License-Identifier: GPL-2.0
/*
 * 1 KiB and 2 KiB blocks: a file past 20 GiB on 1 KiB blocks goes through
 * the quadruple indirect block (12 + 256 + 256^2 + 256^3 blocks end below
 * 16.1 GiB), symlinks of block size - 1 bytes, directories of many blocks,
 * data across block boundaries, a block after a hole in its page;
 * truncation gives every block back; fsck is clean after each unmount.
 * dsmil-matrix: compat: block_write_full_page
 */
#include "vx-case.h"

static unsigned long free_blocks(void)
{
	struct statfs sf;

	CHECK(statfs(vx_mnt, &sf) == 0);
	return sf.f_bfree;
}

static void one_size(unsigned int bs)
{
	const off_t deep = 20LL << 30;
	char target[4096], buf[8192];
	unsigned long before;
	struct stat st;
	int fd;

	vx_mkfs("16M", "-b %u", bs);
	vx_mount(NULL);
	/* in a directory of its own: the root does not grow (directories never shrink) */
	before = free_blocks();
	CHECK(mkdir(path("w"), 0755) == 0);

	fd = open(path("w/deep"), O_CREAT | O_RDWR, 0644);
	CHECK(fd >= 0);
	CHECK(pwrite(fd, "quadruple", 9, deep) == 9);
	CHECK(fstat(fd, &st) == 0 && st.st_size == deep + 9);
	/* one data block and the indirect blocks above it */
	if (bs == 1024)
		CHECK(st.st_blocks == 5 * 2);	/* four levels */
	CHECK(close(fd) == 0);

	/* a symlink filling its block but for the NUL */
	memset(target, 'x', bs - 1);
	target[bs - 1] = 0;
	CHECK(symlink(target, path("w/long")) == 0);
	target[bs - 1] = 'x';
	target[bs] = 0;
	CHECK_ERR(symlink(target, path("w/toolong")), ENAMETOOLONG);

	/* a directory over many blocks (bs / 256 entries each) */
	CHECK(mkdir(path("w/dir"), 0755) == 0);
	for (int i = 0; i < 100; i++) {
		fd = open(path("w/dir/e%d", i), O_CREAT | O_WRONLY, 0644);
		CHECK(fd >= 0 && close(fd) == 0);
	}
	CHECK(stat(path("w/dir"), &st) == 0 && st.st_size == (102 + bs / 256 - 1) / (bs / 256) * bs);

	/* data across block boundaries */
	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = (char)(i * 13 + bs);
	fd = open(path("w/span"), O_CREAT | O_RDWR, 0644);
	CHECK(fd >= 0 && pwrite(fd, buf, sizeof(buf), bs / 2) == (ssize_t)sizeof(buf));
	CHECK(close(fd) == 0);

	/*
	 * a block after a hole in the same page: mpage_writepages() cannot
	 * write that page as one piece; before 5.19 it hands it to the
	 * writepage() callback, later kernels to the buffer-head helper
	 */
	fd = open(path("w/after-hole"), O_CREAT | O_RDWR, 0644);
	CHECK(fd >= 0 && pwrite(fd, "after", 5, bs) == 5);
	CHECK(fsync(fd) == 0);
	CHECK(fstat(fd, &st) == 0 && st.st_blocks == bs / 512);
	CHECK(close(fd) == 0);

	vx_remount();
	fd = open(path("w/deep"), O_RDONLY);
	CHECK(fd >= 0 && pread(fd, buf, 9, deep) == 9 && !memcmp(buf, "quadruple", 9));
	CHECK(close(fd) == 0);
	CHECK(readlink(path("w/long"), target, sizeof(target)) == (ssize_t)(bs - 1));
	fd = open(path("w/span"), O_RDONLY);
	CHECK(fd >= 0 && pread(fd, buf, sizeof(buf), bs / 2) == (ssize_t)sizeof(buf));
	for (size_t i = 0; i < sizeof(buf); i++)
		if (buf[i] != (char)(i * 13 + bs))
			fail("block size %u: data differs at %zu", bs, i);
	CHECK(close(fd) == 0);
	memset(buf, 1, sizeof(buf));
	fd = open(path("w/after-hole"), O_RDONLY);
	CHECK(fd >= 0 && pread(fd, buf, bs + 5, 0) == (ssize_t)(bs + 5));
	CHECK(!memcmp(buf + bs, "after", 5));
	for (size_t i = 0; i < bs; i++)
		if (buf[i])
			fail("block size %u: the hole before a block reads %#x at %zu",
			     bs, (unsigned char)buf[i], i);
	CHECK(close(fd) == 0);

	CHECK(truncate(path("w/deep"), 0) == 0);
	CHECK(stat(path("w/deep"), &st) == 0 && st.st_blocks == 0);
	CHECK(unlink(path("w/deep")) == 0 && unlink(path("w/long")) == 0 && unlink(path("w/span")) == 0);
	CHECK(unlink(path("w/after-hole")) == 0);
	for (int i = 0; i < 100; i++)
		CHECK(unlink(path("w/dir/e%d", i)) == 0);
	CHECK(rmdir(path("w/dir")) == 0);
	CHECK(rmdir(path("w")) == 0);
	CHECK(free_blocks() == before);
	vx_umount();
	vx_fsck_clean();
}

int main(void)
{
	vx_case_init();
	one_size(1024);
	one_size(2048);
	vx_case_done();
	printf("1 KiB and 2 KiB blocks work\n");
	return 0;
}
