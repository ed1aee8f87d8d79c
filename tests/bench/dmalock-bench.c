// SPDX-License-Identifier: GPL-2.0
/*
 * dmalock-bench - helper of tests/bench/dmalock.sh (compiled in the guest).
 *
 * dmalock-bench MIB ITERATIONS prints one line
 *   mib=N lock_ns=.. unlock_ns=.. segments=.. pages=.. mlock_ns=..
 *   munlock_ns=.. udmabuf_create_ns=.. udmabuf_destroy_ns=..
 * with the mean time per operation on an already populated buffer:
 *   dsmil_dmalock lock (validate, account, pin, sg, dma map) and unlock,
 *   through the frontend's DSMIL_IOC_DMA_LOCK / _UNLOCK on /dev/dsmil/ctl;
 *   mlock/munlock of the same anonymous buffer;
 *   udmabuf: UDMABUF_CREATE on a populated, F_SEAL_SHRINK-sealed memfd
 *   (pins its pages, builds the dma-buf) and close of the dma-buf
 *   (udmabuf_*_ns=-1 when /dev/udmabuf is missing or refuses the size).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/udmabuf.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "../../modules/include/uapi/linux/dsmil.h"

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static void die(const char *what)
{
	fprintf(stderr, "dmalock-bench: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void udmabuf_bench(size_t len, int iters, long long *create_ns,
			  long long *destroy_ns)
{
	struct udmabuf_create c = { .size = len };
	uint64_t t_create = 0, t_destroy = 0, t;
	int dev, memfd, buf, i;
	void *p;

	*create_ns = *destroy_ns = -1;
	dev = open("/dev/udmabuf", O_RDWR);
	if (dev < 0)
		return;
	memfd = memfd_create("dmalock-bench", MFD_ALLOW_SEALING);
	if (memfd < 0 || ftruncate(memfd, len) ||
	    fcntl(memfd, F_ADD_SEALS, F_SEAL_SHRINK))
		die("memfd");
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, memfd, 0);
	if (p == MAP_FAILED)
		die("mmap memfd");
	memset(p, 1, len);
	c.memfd = memfd;
	for (i = 0; i < iters; i++) {
		t = now_ns();
		buf = ioctl(dev, UDMABUF_CREATE, &c);
		if (buf < 0)
			goto out;
		t_create += now_ns() - t;
		t = now_ns();
		close(buf);
		t_destroy += now_ns() - t;
	}
	*create_ns = t_create / iters;
	*destroy_ns = t_destroy / iters;
out:
	munmap(p, len);
	close(memfd);
	close(dev);
}

int main(int argc, char **argv)
{
	uint64_t t_lock = 0, t_unlock = 0, t_mlock = 0, t_munlock = 0, t;
	long long u_create, u_destroy;
	struct dsmil_dma_query_args q = { .size = sizeof(q) };
	struct dsmil_dma_lock_args lk = { .size = sizeof(lk) };
	struct dsmil_dma_handle_args ul = { .size = sizeof(ul) };
	size_t mib, len;
	int iters, i, fd;
	void *p;

	if (argc != 3)
		return 2;
	mib = strtoul(argv[1], NULL, 0);
	iters = atoi(argv[2]);
	len = mib << 20;

	p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (p == MAP_FAILED)
		die("mmap");
	memset(p, 1, len);
	fd = open("/dev/dsmil/ctl", O_RDWR);
	if (fd < 0)
		die("open /dev/dsmil/ctl");
	lk.addr = (uintptr_t)p;
	lk.length = len;
	lk.dir = DSMIL_LOCK_BIDIRECTIONAL;
	lk.token = 0x8000;
	for (i = 0; i < iters; i++) {
		t = now_ns();
		if (ioctl(fd, DSMIL_IOC_DMA_LOCK, &lk))
			die("lock");
		t_lock += now_ns() - t;
		if (i == 0) {
			q.handle = lk.handle;
			if (ioctl(fd, DSMIL_IOC_DMA_QUERY, &q))
				die("query");
		}
		ul.handle = lk.handle;
		t = now_ns();
		if (ioctl(fd, DSMIL_IOC_DMA_UNLOCK, &ul))
			die("unlock");
		t_unlock += now_ns() - t;

		t = now_ns();
		if (mlock(p, len))
			die("mlock");
		t_mlock += now_ns() - t;
		t = now_ns();
		if (munlock(p, len))
			die("munlock");
		t_munlock += now_ns() - t;
	}
	close(fd);
	munmap(p, len);
	udmabuf_bench(len, iters, &u_create, &u_destroy);

	printf("mib=%zu lock_ns=%llu unlock_ns=%llu segments=%u pages=%u mlock_ns=%llu munlock_ns=%llu udmabuf_create_ns=%lld udmabuf_destroy_ns=%lld\n",
	       mib, (unsigned long long)(t_lock / iters),
	       (unsigned long long)(t_unlock / iters), q.nr_segments,
	       q.nr_pages, (unsigned long long)(t_mlock / iters),
	       (unsigned long long)(t_munlock / iters), u_create, u_destroy);
	return 0;
}
