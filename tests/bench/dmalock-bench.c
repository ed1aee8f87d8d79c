// SPDX-License-Identifier: GPL-2.0
/*
 * dmalock-bench - helper of tests/bench/dmalock.sh (compiled in the guest).
 *
 *   dmalock-bench lock GROUP_SUFFIX ROUNDS MIB...
 *   dmalock-bench xfer GROUP_SUFFIX ROUNDS PIECES NAME
 *
 * print result rows "bench<TAB>GROUP<TAB>NAME<TAB>VALUE<TAB>UNIT" for
 * tests/bench/guest-run; the groups end in GROUP_SUFFIX ("" or "-iommu").
 *
 * lock: for each size, ROUNDS rounds; each round times every method once
 * (the mean of a few operations for sizes under 16 MiB), in an order
 * that rotates from round to round, so that the methods share the
 * machine's drifts.  Each method's median, lowest and highest round are
 * rows NAME, NAME_min, NAME_max (ms per operation), then the ratios of
 * the medians (NAME_vs_udmabuf: 0.1 = a tenth of udmabuf's cost).  On
 * buffers populated beforehand:
 *   dmalock_thp    DSMIL_IOC_DMA_LOCK / _UNLOCK of anonymous memory with
 *                  MADV_HUGEPAGE (the share of it THP gave: thp_percent)
 *   dmalock_4k     the same with MADV_NOHUGEPAGE: 4 KiB pages
 *   dmalock_memfd  the same on a shared mapping of the memfd udmabuf uses:
 *                  the very pages udmabuf pins
 *   udmabuf        UDMABUF_CREATE on that memfd (pins its pages, builds
 *                  the dma-buf; no device mapping: that is the importer's
 *                  attach) and the close of the dma-buf
 *   mlock_4k       mlock / munlock of the 4 KiB buffer
 * A lock validates, accounts, pins, builds the sg table and maps it for
 * the controller's DMA device (on the pci backend edu's pci_dev: behind
 * an IOMMU that builds IOVA page tables).
 *
 * xfer: a locked buffer of PIECES pieces of 4000 bytes (one page each) is
 * moved to the device and back, piece by piece, ROUNDS times; per piece
 * median, lowest and highest round of each direction (us) and the median
 * throughput (MiB/s), rows NAME_to_device, NAME_from_device,
 * NAME_round_trip_mibs.  Data are checked after every round.
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

#define CTL		"/dev/dsmil/ctl"
#define TOKEN		0x8000
#define PAGE		4096UL
#define HPAGE		(2UL << 20)
#define PIECE		4000
#define MAX_ROUNDS	64

enum method { M_THP, M_4K, M_MEMFD, M_UDMABUF, M_MLOCK, NR_METHODS };

static const char *const method_name[NR_METHODS] = {
	"dmalock_thp", "dmalock_4k", "dmalock_memfd", "udmabuf", "mlock_4k",
};

static const char *sfx;
static int ctl = -1, udmabuf_dev = -1;

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static void die(const char *what)
{
	fprintf(stderr, "dmalock-bench: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void row(const char *group, const char *name, double v,
		const char *unit)
{
	printf("bench\t%s%s\t%s\t%.*f\t%s\n", group, sfx, name,
	       v >= 100 ? 0 : v >= 1 ? 2 : 4, v, unit);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Sorts @v; returns its median. */
static double median(uint64_t *v, int n)
{
	qsort(v, n, sizeof(*v), cmp_u64);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
}

/* Median, lowest and highest of @n samples in ns, as rows in @unit_ns. */
static double stat_rows(const char *group, const char *name, uint64_t *v,
			int n, double unit_ns, const char *unit)
{
	char buf[128];
	double m = median(v, n);

	row(group, name, m / unit_ns, unit);
	snprintf(buf, sizeof(buf), "%s_min", name);
	row(group, buf, v[0] / unit_ns, unit);
	snprintf(buf, sizeof(buf), "%s_max", name);
	row(group, buf, v[n - 1] / unit_ns, unit);
	return m;
}

/* @len bytes of anonymous memory, 2 MiB aligned, populated. */
static void *anon(size_t len, int advice)
{
	uint8_t *p = mmap(NULL, len + HPAGE, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint8_t *a;

	if (p == MAP_FAILED)
		die("mmap");
	a = (uint8_t *)(((uintptr_t)p + HPAGE - 1) & ~(HPAGE - 1));
	if (a > p)
		munmap(p, a - p);
	munmap(a + len, p + HPAGE - a);
	if (madvise(a, len, advice))
		die("madvise");
	memset(a, 1, len);
	return a;
}

/* Bytes of AnonHugePages in /proc/self/smaps_rollup. */
static uint64_t anon_huge(void)
{
	char line[256];
	uint64_t kib = 0;
	FILE *f = fopen("/proc/self/smaps_rollup", "r");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "AnonHugePages: %lu kB", &kib) == 1)
			break;
	fclose(f);
	return kib << 10;
}

static uint32_t dma_lock(void *p, size_t len, uint32_t *nr_segments)
{
	struct dsmil_dma_lock_args lk = {
		.size = sizeof(lk), .addr = (uintptr_t)p, .length = len,
		.dir = DSMIL_DIR_BIDIRECTIONAL, .token = TOKEN,
	};
	struct dsmil_dma_query_args q = { .size = sizeof(q) };

	if (ioctl(ctl, DSMIL_IOC_DMA_LOCK, &lk))
		die("DSMIL_IOC_DMA_LOCK");
	if (nr_segments) {
		q.handle = lk.handle;
		if (ioctl(ctl, DSMIL_IOC_DMA_QUERY, &q))
			die("DSMIL_IOC_DMA_QUERY");
		*nr_segments = q.nr_segments;
	}
	return lk.handle;
}

static void dma_unlock(uint32_t handle)
{
	struct dsmil_dma_handle_args ul = { .size = sizeof(ul), .handle = handle };

	if (ioctl(ctl, DSMIL_IOC_DMA_UNLOCK, &ul))
		die("DSMIL_IOC_DMA_UNLOCK");
}

struct bufs {
	size_t len;
	void *thp, *small, *shared;
	int memfd;
};

/*
 * @ops operations of method @m; their mean lock (or create) and unlock
 * (or destroy) times in @lock_ns and @unlock_ns.  Returns false when
 * udmabuf refuses.
 */
static int timed(enum method m, struct bufs *b, int ops, uint64_t *lock_ns,
		 uint64_t *unlock_ns)
{
	struct udmabuf_create c = { .memfd = b->memfd, .size = b->len };
	void *p = m == M_THP ? b->thp : m == M_MEMFD ? b->shared : b->small;
	uint64_t t, tl = 0, tu = 0;
	uint32_t h;
	int i, fd;

	for (i = 0; i < ops; i++) {
		t = now_ns();
		switch (m) {
		case M_UDMABUF:
			fd = ioctl(udmabuf_dev, UDMABUF_CREATE, &c);
			if (fd < 0)
				return 0;
			tl += now_ns() - t;
			t = now_ns();
			close(fd);
			break;
		case M_MLOCK:
			if (mlock(p, b->len))
				die("mlock");
			tl += now_ns() - t;
			t = now_ns();
			if (munlock(p, b->len))
				die("munlock");
			break;
		default:
			h = dma_lock(p, b->len, NULL);
			tl += now_ns() - t;
			t = now_ns();
			dma_unlock(h);
			break;
		}
		tu += now_ns() - t;
	}
	*lock_ns = tl / ops;
	*unlock_ns = tu / ops;
	return 1;
}

static void bench_size(size_t mib, int rounds)
{
	uint64_t lock[NR_METHODS][MAX_ROUNDS], unlock[NR_METHODS][MAX_ROUNDS];
	double lmed[NR_METHODS], umed[NR_METHODS];
	int have[NR_METHODS], ops = mib >= 16 ? 1 : 16 / mib, r, i;
	struct bufs b = { .len = mib << 20 };
	uint32_t seg_thp, seg_4k, seg_memfd;
	uint64_t huge0;
	char name[128];

	huge0 = anon_huge();
	b.thp = anon(b.len, MADV_HUGEPAGE);
	snprintf(name, sizeof(name), "thp_percent_%zuMiB", mib);
	row("dmalock-thp", name, 100.0 * (anon_huge() - huge0) / b.len, "%");
	b.small = anon(b.len, MADV_NOHUGEPAGE);
	b.memfd = memfd_create("dmalock-bench", MFD_ALLOW_SEALING);
	if (b.memfd < 0 || ftruncate(b.memfd, b.len) ||
	    fcntl(b.memfd, F_ADD_SEALS, F_SEAL_SHRINK))
		die("memfd");
	b.shared = mmap(NULL, b.len, PROT_READ | PROT_WRITE, MAP_SHARED,
			b.memfd, 0);
	if (b.shared == MAP_FAILED)
		die("mmap memfd");
	memset(b.shared, 1, b.len);

	dma_unlock(dma_lock(b.thp, b.len, &seg_thp));
	dma_unlock(dma_lock(b.small, b.len, &seg_4k));
	dma_unlock(dma_lock(b.shared, b.len, &seg_memfd));
	snprintf(name, sizeof(name), "segments_thp_%zuMiB", mib);
	row("dmalock-segments", name, seg_thp, "segments");
	snprintf(name, sizeof(name), "segments_4k_%zuMiB", mib);
	row("dmalock-segments", name, seg_4k, "segments");
	snprintf(name, sizeof(name), "segments_memfd_%zuMiB", mib);
	row("dmalock-segments", name, seg_memfd, "segments");

	for (i = 0; i < NR_METHODS; i++)
		have[i] = i != M_UDMABUF || udmabuf_dev >= 0;
	/* A warm-up round (TCG translates each path's first run), untimed. */
	for (r = -1; r < rounds; r++) {
		for (i = 0; i < NR_METHODS; i++) {
			int m = (i + (r < 0 ? 0 : r)) % NR_METHODS;
			uint64_t l, u;

			if (!have[m])
				continue;
			if (!timed(m, &b, ops, &l, &u)) {
				fprintf(stderr, "udmabuf refuses %zu MiB: %s\n",
					mib, strerror(errno));
				have[m] = 0;
				continue;
			}
			if (r >= 0) {
				lock[m][r] = l;
				unlock[m][r] = u;
			}
		}
	}

	for (i = 0; i < NR_METHODS; i++) {
		if (!have[i])
			continue;
		snprintf(name, sizeof(name), "%s_%zuMiB", method_name[i], mib);
		lmed[i] = stat_rows("dmalock-lock", name, lock[i], rounds,
				    1e6, "ms");
		umed[i] = stat_rows("dmalock-unlock", name, unlock[i], rounds,
				    1e6, "ms");
	}
	for (i = 0; i < NR_METHODS; i++) {
		if (i == M_UDMABUF || !have[i] || !have[M_UDMABUF])
			continue;
		snprintf(name, sizeof(name), "%s_vs_udmabuf_%zuMiB",
			 method_name[i], mib);
		row("dmalock-lock", name, lmed[i] / lmed[M_UDMABUF], "x");
		row("dmalock-unlock", name, umed[i] / umed[M_UDMABUF], "x");
	}
	fflush(stdout);
	munmap(b.thp, b.len);
	munmap(b.small, b.len);
	munmap(b.shared, b.len);
	close(b.memfd);
}

static void xfer(uint32_t h, uint32_t dir, size_t off, size_t len)
{
	struct dsmil_dma_xfer_args x = {
		.size = sizeof(x), .handle = h, .dir = dir, .offset = off,
		.length = len,
	};

	if (ioctl(ctl, DSMIL_IOC_DMA_XFER, &x))
		die("DSMIL_IOC_DMA_XFER");
}

static void bench_xfer(int rounds, int pieces, const char *name)
{
	uint64_t to[MAX_ROUNDS], from[MAX_ROUNDS], rt[MAX_ROUNDS], t, tt, tf;
	size_t len = pieces * PAGE, i;
	uint8_t *p = anon(len, MADV_NOHUGEPAGE);
	uint32_t h = dma_lock(p, len, NULL);
	char buf[128];
	int r, k;

	for (r = -1; r < rounds; r++) {
		for (i = 0; i < len; i++)
			p[i] = (uint8_t)(i * 7 + r);
		tt = tf = 0;
		for (k = 0; k < pieces; k++) {
			t = now_ns();
			xfer(h, DSMIL_DIR_TO_DEVICE, k * PAGE, PIECE);
			tt += now_ns() - t;
			memset(p + k * PAGE, 0, PIECE);
			t = now_ns();
			xfer(h, DSMIL_DIR_FROM_DEVICE, k * PAGE, PIECE);
			tf += now_ns() - t;
		}
		for (k = 0; k < pieces; k++)
			for (i = k * PAGE; i < k * PAGE + PIECE; i++)
				if (p[i] != (uint8_t)(i * 7 + r)) {
					fprintf(stderr, "dmalock-bench: %s: byte %zu differs after the round trip\n",
						name, i);
					exit(1);
				}
		if (r < 0)
			continue;
		to[r] = tt / pieces;
		from[r] = tf / pieces;
		rt[r] = tt + tf;
	}
	dma_unlock(h);
	munmap(p, len);
	snprintf(buf, sizeof(buf), "%s_to_device", name);
	stat_rows("dmalock-xfer", buf, to, rounds, 1e3, "us");
	snprintf(buf, sizeof(buf), "%s_from_device", name);
	stat_rows("dmalock-xfer", buf, from, rounds, 1e3, "us");
	snprintf(buf, sizeof(buf), "%s_round_trip_mibs", name);
	/* MiB moved each way per second of round trip. */
	row("dmalock-xfer", buf,
	    (double)pieces * PIECE / (1 << 20) / (median(rt, rounds) / 1e9),
	    "MiB/s");
}

static int usage(void)
{
	fprintf(stderr, "usage: dmalock-bench lock SUFFIX ROUNDS MIB...\n"
			"       dmalock-bench xfer SUFFIX ROUNDS PIECES NAME\n");
	return 2;
}

int main(int argc, char **argv)
{
	int rounds, i;

	if (argc < 5)
		return usage();
	sfx = argv[2];
	rounds = atoi(argv[3]);
	if (rounds < 1 || rounds > MAX_ROUNDS)
		return usage();
	ctl = open(CTL, O_RDWR);
	if (ctl < 0)
		die("open " CTL);
	if (!strcmp(argv[1], "lock")) {
		udmabuf_dev = open("/dev/udmabuf", O_RDWR);
		for (i = 4; i < argc; i++)
			bench_size(strtoul(argv[i], NULL, 0), rounds);
	} else if (!strcmp(argv[1], "xfer") && argc == 6) {
		bench_xfer(rounds, atoi(argv[4]), argv[5]);
	} else {
		return usage();
	}
	return 0;
}
