// SPDX-License-Identifier: GPL-2.0
/*
 * mmap of /dev/dsmil/<device> (platform backend, the reserved RAM): a
 * writable shared mapping reads and writes the same registers as
 * pread/pwrite; a quarantined device maps read-only only (PROT_WRITE
 * -EPERM, mprotect -EACCES); a file open read-only maps read-only;
 * MAP_PRIVATE and ranges past the window are -EINVAL.  During a thermal
 * emergency reads of a mapping go on and writes fault (SIGBUS); after it
 * writes work again.  The emu backend has no mappable windows
 * (-EOPNOTSUPP).
 * dsmil-matrix: compat: vm_flags_set
 */
#include <sys/mman.h>

#include "fe-case.h"

#define PAGE	4096
#define NODE	"/dev/dsmil/dsmil0:g0d00"
#define QNODE	"/dev/dsmil/dsmil0:g0d09"	/* token 0x8009: quarantined */

static void *map(int fd, size_t len, int prot, int flags, off_t off, int *err)
{
	void *p = mmap(NULL, len, prot, flags, fd, off);

	*err = p == MAP_FAILED ? errno : 0;
	return p == MAP_FAILED ? NULL : p;
}

static uint32_t pread32(int fd, off_t off)
{
	uint32_t v = 0;

	check(pread(fd, &v, 4, off) == 4, "pread at 0x%lx: %s", (long)off,
	      strerror(errno));
	return v;
}

int main(void)
{
	const char *base = getenv("DSMIL_RESERVED_BASE");
	const char *size = getenv("DSMIL_RESERVED_SIZE");
	volatile uint32_t *w, *q, *r;
	uint32_t v, win;
	int fd, qfd, rfd, err;
	FILE *f;

	fe_catch_sigbus();
	atexit(fe_cleanup);
	if (!base || !size ||
	    sh("modprobe dsmil_core backend=platform mmio_base=%s mmio_size=%s && modprobe dsmil",
	       base, size)) {
		printf("FAIL: cannot load the stack on the platform backend\n");
		return 1;
	}
	f = fopen("/sys/bus/dsmil/devices/dsmil0:g0d00/mmio_size", "r");
	if (!f || fscanf(f, "%u", &win) != 1) {
		printf("FAIL: no mmio_size\n");
		return 1;
	}
	fclose(f);
	fd = open(NODE, O_RDWR);
	qfd = open(QNODE, O_RDWR);
	rfd = open(NODE, O_RDONLY);
	check(fd >= 0 && qfd >= 0 && rfd >= 0, "open the nodes: %s", strerror(errno));

	/* Writable mapping: the same registers as pread/pwrite. */
	w = map(fd, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, 0, &err);
	check(w != NULL, "mmap RW: %s", strerror(err));
	if (w) {
		check(!fe_store(&w[3], 0xfeed0001), "store through the mapping");
		check(pread32(fd, 12) == 0xfeed0001, "pread after a store: 0x%x",
		      pread32(fd, 12));
		v = 0xfeed0002;
		check(pwrite(fd, &v, 4, PAGE + 8) == 4, "pwrite: %s", strerror(errno));
		check(!fe_load(&w[PAGE / 4 + 2], &v) && v == 0xfeed0002,
		      "load after pwrite: 0x%x", v);
	}
	check(!map(fd, PAGE, PROT_READ, MAP_PRIVATE, 0, &err) && err == EINVAL,
	      "MAP_PRIVATE: %s", strerror(err));
	check(!map(fd, PAGE, PROT_READ, MAP_SHARED, win, &err) && err == EINVAL,
	      "mmap at the window's end: %s", strerror(err));
	check(!map(fd, win + PAGE, PROT_READ, MAP_SHARED, 0, &err) && err == EINVAL,
	      "mmap longer than the window: %s", strerror(err));
	r = map(fd, win, PROT_READ, MAP_SHARED, 0, &err);
	check(r != NULL, "mmap of the whole window: %s", strerror(err));
	if (r)
		munmap((void *)r, win);

	/* Read-only file: read-only mapping. */
	check(!map(rfd, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, 0, &err) &&
	      err == EACCES, "RW mmap of a read-only file: %s", strerror(err));
	r = map(rfd, PAGE, PROT_READ, MAP_SHARED, 0, &err);
	check(r && !fe_load(&r[3], &v) && v == 0xfeed0001, "RO mapping reads 0x%x", v);
	check(r && mprotect((void *)r, PAGE, PROT_READ | PROT_WRITE) &&
	      errno == EACCES, "mprotect RW of a read-only file's mapping");

	/* Quarantined device: read-only mapping even for root, O_RDWR. */
	check(!map(qfd, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, 0, &err) &&
	      err == EPERM, "RW mmap of a quarantined device: %s", strerror(err));
	q = map(qfd, PAGE, PROT_READ, MAP_SHARED, 0, &err);
	check(q != NULL, "RO mmap of a quarantined device: %s", strerror(err));
	if (q) {
		check(!fe_load(&q[1], &v) && v == pread32(qfd, 4),
		      "quarantined mapping reads 0x%x", v);
		check(mprotect((void *)q, PAGE, PROT_READ | PROT_WRITE) &&
		      errno == EACCES, "mprotect RW of a quarantined mapping");
	}

	/* Thermal emergency: reads go on, writes fault; then writes again. */
	if (w) {
		check(!sh("echo 90000 > " FE_TEMP), "raise the temperature");
		check(!fe_load(&w[3], &v) && v == 0xfeed0001,
		      "load during the emergency: 0x%x (SIGBUS %d)", v, fe_sigbus);
		check(fe_store(&w[3], 0xbad), "a store during the emergency did not fault");
		check(pread32(fd, 12) == 0xfeed0001, "the faulting store wrote");
		check(!sh("echo 70000 > " FE_TEMP), "lower the temperature");
		check(!fe_store(&w[3], 0xfeed0003), "store after the emergency faulted");
		check(pread32(fd, 12) == 0xfeed0003, "store after the emergency");
		munmap((void *)w, 2 * PAGE);
	}
	if (q)
		munmap((void *)q, PAGE);
	if (r)
		munmap((void *)r, PAGE);
	close(fd);
	close(qfd);
	close(rfd);
	check(!sh(FE_UNLOAD), "unload");

	/* emu: no windows to map. */
	check(!sh("modprobe dsmil_core backend=emu && modprobe dsmil"), "load emu");
	fd = open(NODE, O_RDONLY);
	check(!map(fd, PAGE, PROT_READ, MAP_SHARED, 0, &err) && err == EOPNOTSUPP,
	      "mmap on emu: %s", strerror(err));
	close(fd);
	check(!sh(FE_UNLOAD), "unload");
	return done();
}
