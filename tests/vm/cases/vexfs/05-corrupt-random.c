// SPDX-License-Identifier: GPL-2.0
/*
 * Randomly damaged images: a small populated image (512 KiB, 1 KiB blocks)
 * gets 1 to 8 random bytes of its metadata and first directory and file
 * blocks replaced (a fixed seed), then is mounted, walked, read and
 * written, and unmounted.  Whatever fails must fail cleanly: the harness
 * fails the case on any kernel splat, the unmount must succeed and the
 * module must unload at the end.  Every 20th image also goes through
 * fsck.vexfs -y: if that says it repaired or found nothing, the next check
 * must be clean and the image must mount.
 *
 * For speed the image is damaged in place, through the loop device that
 * stays attached: only the blocks that differ from the next image are
 * written (the damaged bytes of the last one, and what its mount changed),
 * and nothing is flushed to the backing file except before fsck.
 *
 * 1000 images by default (about 100 s under TCG); the kernel command line
 * sets another count and seed:
 *   DSMIL_VM_APPEND="vexfs_corrupt_runs=5000 vexfs_corrupt_seed=7" \
 *	tests/vm/run --kver K --only vexfs/05-corrupt-random
 */
#include "vx-case.h"

#include <dirent.h>
#include <time.h>

/* seconds spent per phase, printed at the end (where the time goes) */
enum { T_DAMAGE, T_MOUNT, T_EXERCISE, T_UMOUNT, T_FSCK, T_N };
static double spent[T_N];
static struct timespec t0;

static void lap(int phase)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	if (phase >= 0)
		spent[phase] += (double)(t.tv_sec - t0.tv_sec) +
				(double)(t.tv_nsec - t0.tv_nsec) / 1e9;
	t0 = t;
}

static void write_pattern(const char *p, size_t len)
{
	char buf[4096];
	int fd = open(p, O_CREAT | O_WRONLY | O_TRUNC, 0644);

	CHECK(fd >= 0);
	while (len) {
		size_t n = len < sizeof(buf) ? len : sizeof(buf);

		for (size_t i = 0; i < n; i++)
			buf[i] = (char)vx_rnd();
		CHECK(write(fd, buf, n) == (ssize_t)n);
		len -= n;
	}
	CHECK(close(fd) == 0);
}

static void populate(void)
{
	CHECK(mkdir(path("a"), 0755) == 0 && mkdir(path("a/b"), 0755) == 0 &&
	      mkdir(path("a/b/c"), 0755) == 0 && mkdir(path("e"), 0755) == 0);
	for (int i = 1; i <= 6; i++)
		write_pattern(path("a/f%d", i), i * 1500);
	for (int i = 1; i <= 20; i++)
		write_pattern(path("e/n%d", i), i);
	write_pattern(path("a/b/c/big"), 100000);	/* indirect blocks */
	CHECK(symlink("a/f1", path("s")) == 0);
	CHECK(link(path("a/f2"), path("a/b/h")) == 0);
	CHECK(mknod(path("a/fifo"), S_IFIFO | 0644, 0) == 0);
}

/* Read everything reachable (bounded: a damaged tree may loop). */
static void walk(const char *dir, int depth, int *budget)
{
	char p[4096 + 300], buf[4096];
	struct dirent *de;
	DIR *d;

	if (depth > 8 || *budget <= 0)
		return;
	d = opendir(dir);
	if (!d)
		return;
	while ((de = readdir(d)) && --*budget > 0) {
		struct stat st;
		int fd;

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		snprintf(p, sizeof(p), "%s/%s", dir, de->d_name);
		if (lstat(p, &st))
			continue;
		if (S_ISDIR(st.st_mode)) {
			walk(p, depth + 1, budget);
		} else if (S_ISLNK(st.st_mode)) {
			if (readlink(p, buf, sizeof(buf)) < 0)
				continue;
		} else if (S_ISREG(st.st_mode)) {
			fd = open(p, O_RDONLY);
			if (fd < 0)
				continue;
			while (read(fd, buf, sizeof(buf)) > 0)
				;
			close(fd);
		}
	}
	closedir(d);
}

/* Changes whose failures are fine; what matters is that nothing breaks. */
static void exercise(void)
{
	int budget = 400, fd;

	walk(vx_mnt, 0, &budget);
	if (!mkdir(path("new"), 0755)) {
		fd = open(path("new/x"), O_CREAT | O_WRONLY, 0644);
		if (fd >= 0) {
			if (write(fd, "x", 1) < 0)
				errno = 0;
			close(fd);
		}
	}
	if (rename(path("e"), path("e2")))
		errno = 0;
	if (unlink(path("a/b/h")) || unlink(path("e2/n3")) || rmdir(path("a/b/c")))
		errno = 0;
	if (truncate(path("a/f6"), 100))
		errno = 0;
	fd = open(path("a/f5"), O_WRONLY | O_TRUNC);
	if (fd >= 0) {
		char z[20000] = { 0 };

		if (write(fd, z, sizeof(z)) < 0)
			errno = 0;
		close(fd);
	}
	fd = open(vx_mnt, O_RDONLY | O_DIRECTORY);
	if (fd >= 0) {
		syncfs(fd);
		close(fd);
	}
}

int main(void)
{
	int runs = (int)vx_cmdline("vexfs_corrupt_runs", 1000);
	int mounted = 0, refused = 0, repaired = 0;
	uint8_t *base, *img, *cur;
	const size_t bs = 1024;
	size_t len;
	const size_t meta = 32 * 1024;	/* superblock, bitmaps, inodes, first blocks */

	vx_rng = vx_cmdline("vexfs_corrupt_seed", 4242);
	if (!vx_rng)
		vx_rng = 1;
	printf("%d runs, seed %llu\n", runs, (unsigned long long)vx_rng);
	vx_case_init();
	vx_mkfs("512K", "-b 1024 -N 64");
	vx_mount(NULL);
	populate();
	vx_umount();
	vx_fsck_clean();
	len = 512 << 10;
	base = malloc(len);
	img = malloc(len);
	cur = malloc(len);	/* what the loop device holds */
	CHECK(base && img && cur);
	img_rw(base, len, 0, 0);
	memcpy(cur, base, len);

	vx_attach();
	for (int n = 1; n <= runs; n++) {
		int flips = 1 + vx_rnd() % 8, err, wfd;

		lap(-1);
		memcpy(img, base, len);
		for (int i = 0; i < flips; i++) {
			uint32_t off = vx_rnd() % 10 ? 1024 + vx_rnd() % (meta - 1024) : vx_rnd() % 512;

			img[off] ^= (uint8_t)(1 + vx_rnd() % 255);
		}
		/*
		 * Through the loop device, coherent with the page cache the
		 * mount reads: only the blocks that differ.
		 */
		wfd = open(vx_dev, O_RDWR);	/* closed before the mount */
		CHECK(wfd >= 0);
		for (size_t b = 0; b < len; b += bs)
			if (memcmp(img + b, cur + b, bs))
				CHECK(pwrite(wfd, img + b, bs, (off_t)b) == (ssize_t)bs);
		CHECK(close(wfd) == 0);
		memcpy(cur, img, len);
		lap(T_DAMAGE);
		err = vx_try_mount(n % 5 ? 0 : MS_RDONLY, "errors=continue");
		lap(T_MOUNT);
		if (err) {
			refused++;
		} else {
			mounted++;
			exercise();
			lap(T_EXERCISE);
			if (umount2(vx_mnt, 0))
				fail("run %d: umount: %s", n, strerror(errno));
			lap(T_UMOUNT);
		}
		/*
		 * What the mount wrote, undone with the next image; a refused
		 * or read-only mount must have written nothing.
		 */
		CHECK(pread(vx_loop_fd, cur, len, 0) == (ssize_t)len);
		if ((err || n % 5 == 0) && memcmp(cur, img, len))
			fail("run %d: a %s mount changed the device", n,
			     err ? "refused" : "read-only");
		lap(T_DAMAGE);
		if (n % 50 == 0) {
			printf("%d runs: %d mounted, %d refused\n", n, mounted, refused);
			fflush(stdout);
		}
		if (n % 20)
			continue;
		/* fsck.vexfs -y on this image: repaired means clean and mountable */
		CHECK(fsync(vx_loop_fd) == 0);	/* to the image file */
		vx_detach();
		err = vx_fsck("-y");
		if (err != 0 && err != 1 && err != 4 && err != 8) {
			run("cat %s/fsck.out >&2", vx_tmp);
			fail("run %d: fsck.vexfs -y exit %d", n, err);
		}
		if (err <= 1) {
			repaired++;
			err = vx_fsck("-n");
			if (err) {
				run("cat %s/fsck.out >&2", vx_tmp);
				fail("run %d: fsck -n after fsck -y: exit %d", n, err);
			}
			err = vx_try_mount(0, NULL);
			if (err)
				fail("run %d: a repaired image does not mount: %s", n, strerror(err));
			exercise();
			CHECK(umount2(vx_mnt, 0) == 0);
		}
		vx_detach();
		vx_attach();
		img_rw(cur, len, 0, 0);	/* fsck or its mount changed it */
		lap(T_FSCK);
	}
	vx_detach();
	printf("seconds: damage %.1f, mount %.1f, exercise %.1f, umount %.1f, fsck %.1f\n",
	       spent[T_DAMAGE], spent[T_MOUNT], spent[T_EXERCISE], spent[T_UMOUNT],
	       spent[T_FSCK]);
	printf("%d images: %d mounted, %d refused, %d of %d checked by fsck repaired\n",
	       runs, mounted, refused, repaired, runs / 20);
	if (!mounted || !refused || !repaired)
		fail("the damage is too mild or too strong to test every path");
	vx_case_done();
	return 0;
}
