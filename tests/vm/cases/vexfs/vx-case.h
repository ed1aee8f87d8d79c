/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vx-case.h - helpers of the vexfs C cases: an image in $DSMIL_TMP on a
 * loop device (ioctls, no losetup), mount(2)/umount2(2) at $DSMIL_PUB/mnt
 * (which an unprivileged child reaches: ../unpriv.h),
 * the host-built mkfs.vexfs/fsck.vexfs, and on-disk patching with the
 * checksums of <linux/vexfs_fs.h> recomputed (written here from the
 * specification, not from the module).  Under TCG every exec costs, so the
 * cases spawn as few processes as they can.
 */
#ifndef VX_CASE_H
#define VX_CASE_H

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/loop.h>

#include "../../../../modules/include/uapi/linux/vexfs_fs.h"
#include "../unpriv.h"

static char vx_mnt[256], vx_img[256], vx_src[200], vx_tmp[200];
static char vx_dev[64];
static int vx_loop_fd = -1;
static pid_t vx_owner;	/* the case's process: a forked child cleans up nothing */

static inline void __attribute__((format(printf, 1, 2), noreturn)) fail(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "FAIL: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	exit(1);
}

#define CHECK(cond) do { if (!(cond)) fail("%s:%d: %s (errno %d %s)", \
	__FILE__, __LINE__, #cond, errno, strerror(errno)); } while (0)
#define CHECK_ERR(expr, err) do { errno = 0; long _r = (long)(expr); \
	if (_r != -1 || errno != (err)) fail("%s:%d: %s: got %ld errno %d (%s), want errno %d (%s)", \
	__FILE__, __LINE__, #expr, _r, errno, strerror(errno), err, strerror(err)); } while (0)

/*
 * CHECK_ERR in a forked child: reports and counts in @bad, so that the
 * child reports every failed check before it ends with _exit().
 */
#define CHILD_CHECK_ERR(bad, expr, err) do { errno = 0; long _r = (long)(expr); \
	if (_r != -1 || errno != (err)) { fprintf(stderr, \
	"FAIL: %s:%d: %s: got %ld errno %d (%s), want errno %d (%s)\n", __FILE__, \
	__LINE__, #expr, _r, errno, strerror(errno), err, strerror(err)); (bad)++; } } while (0)
#define CHILD_CHECK(bad, cond) do { if (!(cond)) { fprintf(stderr, \
	"FAIL: %s:%d: %s (errno %d %s)\n", __FILE__, __LINE__, #cond, errno, \
	strerror(errno)); (bad)++; } } while (0)

/* A seeded xorshift64* generator: the same seed, the same run. */
static uint64_t vx_rng = 1;

static inline uint32_t vx_rnd(void)
{
	vx_rng ^= vx_rng >> 12;
	vx_rng ^= vx_rng << 25;
	vx_rng ^= vx_rng >> 27;
	return (uint32_t)((vx_rng * 2685821657736338717ULL) >> 32);
}

/*
 * NAME=value from the kernel command line, or @def: the harness passes a
 * case's knobs there (DSMIL_VM_APPEND), e.g. a seed or a count.
 */
static inline unsigned long long vx_cmdline(const char *name, unsigned long long def)
{
	char cl[4096], *p;
	size_t n = strlen(name);
	int fd = open("/proc/cmdline", O_RDONLY);
	ssize_t len;

	if (fd < 0)
		return def;
	len = read(fd, cl, sizeof(cl) - 1);
	close(fd);
	if (len <= 0)
		return def;
	cl[len] = 0;
	for (p = strtok(cl, " \n"); p; p = strtok(NULL, " \n"))
		if (!strncmp(p, name, n) && p[n] == '=')
			return strtoull(p + n + 1, NULL, 0);
	return def;
}

/* Run a shell command; returns its exit status. */
static inline int __attribute__((format(printf, 1, 2))) run(const char *fmt, ...)
{
	char cmd[2048];
	va_list ap;
	int rc;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	rc = system(cmd);
	if (rc < 0 || !WIFEXITED(rc))
		fail("cannot run: %s", cmd);
	return WEXITSTATUS(rc);
}

static inline char *path(const char *fmt, ...)
{
	static char buf[8][4096 + 300];
	static int n;
	char rel[4096];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(rel, sizeof(rel), fmt, ap);
	va_end(ap);
	n = (n + 1) % 8;
	snprintf(buf[n], sizeof(buf[n]), "%s/%s", vx_mnt, rel);
	return buf[n];
}

/* ---- loop device ---------------------------------------------------- */

static inline void vx_detach(void)
{
	if (vx_loop_fd < 0)
		return;
	CHECK(ioctl(vx_loop_fd, LOOP_CLR_FD, 0) == 0);
	CHECK(close(vx_loop_fd) == 0);
	vx_loop_fd = -1;
}

static inline void vx_attach(void)
{
	int ctl, n, img;

	if (vx_loop_fd >= 0)
		return;
	ctl = open("/dev/loop-control", O_RDWR);
	CHECK(ctl >= 0);
	n = ioctl(ctl, LOOP_CTL_GET_FREE);
	CHECK(n >= 0);
	close(ctl);
	snprintf(vx_dev, sizeof(vx_dev), "/dev/loop%d", n);
	vx_loop_fd = open(vx_dev, O_RDWR);
	CHECK(vx_loop_fd >= 0);
	img = open(vx_img, O_RDWR);
	CHECK(img >= 0);
	CHECK(ioctl(vx_loop_fd, LOOP_SET_FD, img) == 0);
	close(img);
	/*
	 * Keep no writer open: without CONFIG_BLK_DEV_WRITE_MOUNTED (the
	 * debug kernel) mounting a device open for writing fails with
	 * EBUSY.  LOOP_CLR_FD needs no write access.
	 */
	CHECK(close(vx_loop_fd) == 0);
	vx_loop_fd = open(vx_dev, O_RDONLY);
	CHECK(vx_loop_fd >= 0);
}

/* ---- mount ------------------------------------------------------------ */

/* Mount the image (attached if needed); 0 or the errno of mount(2). */
static inline int vx_try_mount(unsigned long flags, const char *opts)
{
	vx_attach();
	if (mount(vx_dev, vx_mnt, "vexfs", flags, opts) == 0)
		return 0;
	return errno;
}

static inline void vx_mount(const char *opts)
{
	int err = vx_try_mount(0, opts);

	if (err)
		fail("mount -o %s: %s", opts ? opts : "", strerror(err));
}

static inline void vx_umount(void)
{
	CHECK(umount2(vx_mnt, 0) == 0);
	vx_detach();
}

static inline void vx_remount(void)
{
	vx_umount();
	vx_mount(NULL);
}

static inline void vx_cleanup(void)
{
	if (getpid() != vx_owner)
		return;
	umount2(vx_mnt, MNT_DETACH);
	if (vx_loop_fd >= 0) {
		ioctl(vx_loop_fd, LOOP_CLR_FD, 0);
		close(vx_loop_fd);
		vx_loop_fd = -1;
	}
}

/* ---- tools ---------------------------------------------------------------- */

static inline void __attribute__((format(printf, 2, 3))) vx_mkfs(const char *size, const char *fmt, ...)
{
	char opts[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(opts, sizeof(opts), fmt, ap);
	va_end(ap);
	unlink(vx_img);
	if (run("truncate -s %s %s && %s/build/tools/mkfs.vexfs -q %s %s", size, vx_img,
		vx_src, opts, vx_img))
		fail("mkfs.vexfs %s failed", opts);
}

/* fsck.vexfs MODE (-n, -p, -y) on the image; returns its exit code. */
static inline int vx_fsck(const char *mode)
{
	return run("%s/build/tools/fsck.vexfs %s %s > %s/fsck.out 2>&1", vx_src, mode, vx_img,
		   vx_tmp);
}

static inline void vx_fsck_clean(void)
{
	int rc = vx_fsck("-n");

	if (rc) {
		run("cat %s/fsck.out >&2", vx_tmp);
		fail("fsck.vexfs -n exit %d", rc);
	}
}

/* Whether the last fsck output mentions @text. */
static inline int vx_fsck_said(const char *text)
{
	return run("grep -qF -- '%s' %s/fsck.out", text, vx_tmp) == 0;
}

/* ---- on-disk patching (image detached) --------------------------------- */

static inline uint32_t crc32c(uint32_t crc, const void *buf, size_t len)
{
	const uint8_t *p = buf;

	while (len--) {
		crc ^= *p++;
		for (int k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0x82F63B78u & (0u - (crc & 1)));
	}
	return crc;
}

static inline void img_rw(void *buf, size_t len, uint64_t off, int write)
{
	int fd = open(vx_img, O_RDWR);
	ssize_t n;

	CHECK(fd >= 0);
	n = write ? pwrite(fd, buf, len, (off_t)off) : pread(fd, buf, len, (off_t)off);
	CHECK(n == (ssize_t)len);
	CHECK(close(fd) == 0);
}

static inline void super_get(struct vexfs_super_block *sb)
{
	img_rw(sb, sizeof(*sb), 0, 0);
}

static inline void super_put(struct vexfs_super_block *sb)
{
	sb->s_checksum = ~crc32c(~0u, sb, offsetof(struct vexfs_super_block, s_checksum));
	img_rw(sb, sizeof(*sb), 0, 1);
}

static inline uint64_t inode_off(uint32_t ino)
{
	struct vexfs_super_block sb;

	super_get(&sb);
	return sb.s_itable_start * sb.s_block_size + (uint64_t)(ino - 1) * VEXFS_INODE_SIZE;
}

static inline void inode_get(uint32_t ino, struct vexfs_inode *in)
{
	img_rw(in, sizeof(*in), inode_off(ino), 0);
}

static inline void inode_put(uint32_t ino, struct vexfs_inode *in)
{
	uint32_t crc = crc32c(~0u, in, offsetof(struct vexfs_inode, i_checksum));

	crc = crc32c(crc, &ino, sizeof(ino));	/* little-endian host */
	in->i_checksum = ~crc;
	img_rw(in, sizeof(*in), inode_off(ino), 1);
}

static inline void img_xor(uint64_t off, uint8_t v)
{
	uint8_t b;

	img_rw(&b, 1, off, 0);
	b ^= v;
	img_rw(&b, 1, off, 1);
}

/* ---- setup ------------------------------------------------------------------ */

static inline void vx_case_init(void)
{
	const char *src = getenv("DSMIL_SRC"), *tmp = getenv("DSMIL_TMP");
	const char *pub = getenv("DSMIL_PUB");

	/* line by line: a case killed by the harness's timeout keeps its log */
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!src || !tmp || !pub || strlen(src) > 150 || strlen(tmp) > 150 ||
	    strlen(pub) > 150)
		fail("DSMIL_SRC, DSMIL_TMP and DSMIL_PUB must be set (and short)");
	snprintf(vx_src, sizeof(vx_src), "%s", src);
	snprintf(vx_tmp, sizeof(vx_tmp), "%s", tmp);
	/* reachable by the unprivileged checks */
	snprintf(vx_mnt, sizeof(vx_mnt), "%s/mnt", pub);
	snprintf(vx_img, sizeof(vx_img), "%s/vexfs.img", tmp);
	vx_owner = getpid();
	atexit(vx_cleanup);
	CHECK(mkdir(vx_mnt, 0755) == 0);
	if (run("modprobe loop && modprobe vexfs"))
		fail("modprobe loop vexfs failed");
}

/* At the end: everything released, the module unloads. */
static inline void vx_case_done(void)
{
	vx_cleanup();
	if (run("rmmod vexfs"))
		fail("rmmod vexfs failed");
}

#endif /* VX_CASE_H */
