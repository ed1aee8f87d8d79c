// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/dsmil/<device> as a file of 32-bit registers (emu backend):
 * pread/pwrite at 4-byte aligned offsets and counts (else EINVAL), end of
 * file at the end of the window, ENOSPC writing there, short transfers
 * across it, EPERM writing a quarantined device, EHOSTDOWN during a thermal
 * emergency while reads go on, lseek within the window, no ioctls.
 */
#include "fe-case.h"

#define NODE	"/dev/dsmil/dsmil0:g0d03"
#define QNODE	"/dev/dsmil/dsmil0:g0d09"

/* pread/pwrite: the byte count, or -errno. */
static long rd(int fd, void *buf, size_t n, off_t off)
{
	ssize_t r = pread(fd, buf, n, off);

	return r < 0 ? -errno : r;
}

static long wr(int fd, const void *buf, size_t n, off_t off)
{
	ssize_t r = pwrite(fd, buf, n, off);

	return r < 0 ? -errno : r;
}

int main(void)
{
	uint32_t v[2048], w[2] = { 0x1111, 0x2222 };
	int fd, q;

	atexit(fe_cleanup);
	if (sh("modprobe dsmil_core backend=emu && modprobe dsmil")) {
		printf("FAIL: cannot load the stack\n");
		return 1;
	}
	fd = open(NODE, O_RDWR);
	q = open(QNODE, O_RDWR);
	check(fd >= 0 && q >= 0, "open: %s", strerror(errno));

	check(rd(fd, v, 4, 0) == 4 && v[0] == 0xd5008003, "ID register 0x%x", v[0]);
	check(rd(fd, v, 3, 0) == -EINVAL, "count 3");
	check(rd(fd, v, 4, 2) == -EINVAL, "offset 2");
	check(rd(fd, v, 8, 4092) == 4, "short read at the end");
	check(rd(fd, v, 4, 4096) == 0, "end of file");
	check(rd(fd, v, sizeof(v), 0) == 4096, "the whole window");
	check(wr(fd, w, 8, 0x08) == 8, "pwrite of CONTROL and SCRATCH");
	check(rd(fd, v, 8, 0x08) == 8 && v[0] == 0x1 && v[1] == 0x2222,
	      "CONTROL keeps its bits (0x%x), SCRATCH all (0x%x)", v[0], v[1]);
	check(wr(fd, w, 2, 0x0c) == -EINVAL, "write of 2 bytes");
	check(wr(fd, w, 4, 0x0e) == -EINVAL, "write at offset 0xe");
	check(wr(fd, w, 4, 4096) == -ENOSPC, "write at the end");
	check(wr(fd, w, 8, 4092) == 4, "short write at the end");
	check(lseek(fd, 0, SEEK_END) == 4096, "SEEK_END");
	check(lseek(fd, 0x0c, SEEK_SET) == 0x0c && read(fd, v, 4) == 4 &&
	      v[0] == 0x2222 && lseek(fd, 0, SEEK_CUR) == 0x10,
	      "read at the file offset");
	check(lseek(fd, 4097, SEEK_SET) < 0 && errno == EINVAL, "seek past the end");
	check(ioctl(fd, DSMIL_IOC_INFO, v) < 0 && errno == ENOTTY, "ioctl on a node");

	check(wr(q, w, 4, 0x0c) == -EPERM, "write of a quarantined device");
	check(rd(q, v, 4, 0x0c) == 4 && v[0] == 0, "quarantined SCRATCH 0x%x", v[0]);

	check(!sh("echo 95000 > " FE_TEMP), "raise the temperature");
	check(wr(fd, w, 4, 0x0c) == -EHOSTDOWN, "write during an emergency");
	check(rd(fd, v, 4, 0x0c) == 4 && v[0] == 0x2222, "read during an emergency");
	check(!sh("echo 40000 > " FE_TEMP), "lower the temperature");
	check(wr(fd, w, 4, 0x0c) == 4, "write after the emergency");

	close(q);
	close(fd);
	check(!sh(FE_UNLOAD), "unload");
	return done();
}
