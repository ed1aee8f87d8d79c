// SPDX-License-Identifier: GPL-2.0
/*
 * A buffer of several pages moved through device memory piece by piece
 * and back into another locked buffer, checked byte for byte in
 * userspace, on the pci backend (edu's engine masters the bus and DMAs
 * straight into the locked pages) and on emu (a device without DMA: the
 * CPU copies).  DMA_QUERY's addresses are the edu pci_dev's: physical
 * addresses without an IOMMU, IOVAs with one (intel_iommu=on), bounce
 * slots under swiotlb=force, whose data must still be right, also after
 * a FROM_DEVICE lock took several transfers and after unlock.  emu gives
 * no DMA address at all.  Run plain and in the swiotlb and IOMMU legs of
 * "make check" (tests/vm/run --dma-leg).
 * dsmil-matrix: compat: kmap_local_page, dma_skip_sync
 */
#include "dmalock-lib.h"

#include <inttypes.h>

#define NPAGES 4
/* Bytes moved: not a multiple of a page. */
#define MOVED (3 * PAGE + 1234)
/* Bytes per piece: inside edu's usable 4095 and emu's 4096. */
#define PIECE 4000
/* DMA_QUERY's address of a segment of a CPU-only lock (no DMA device). */
#define NO_DMA_ADDR UINT64_MAX

enum leg { LEG_PLAIN, LEG_SWIOTLB, LEG_IOMMU };

static enum leg leg;

/* The physical address of the page at @p (root reads PFNs in pagemap). */
static uint64_t phys_of(const void *p)
{
	uint64_t e = 0;
	int fd = open("/proc/self/pagemap", O_RDONLY);

	if (fd < 0 || pread(fd, &e, sizeof(e),
			    (uintptr_t)p / PAGE * sizeof(e)) != sizeof(e))
		fail("pagemap: %s", strerror(errno));
	close(fd);
	if (!(e & (1ULL << 63)) || !(e & ((1ULL << 55) - 1)))
		fail("pagemap: page %p not present or PFN hidden", p);
	return (e & ((1ULL << 55) - 1)) * PAGE;
}

/* Which leg: the edu device in a translating IOMMU domain, or swiotlb=force. */
static enum leg which_leg(void)
{
	char path[256], type[32] = "", cmdline[4096] = "";
	FILE *f;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/iommu_group/type",
		 getenv("DSMIL_EDU_BDF") ? getenv("DSMIL_EDU_BDF") : "none");
	f = fopen(path, "r");
	if (f) {
		if (!fgets(type, sizeof(type), f))
			type[0] = 0;
		fclose(f);
		if (!strncmp(type, "DMA", 3))
			return LEG_IOMMU;
	}
	f = fopen("/proc/cmdline", "r");
	if (f) {
		if (!fgets(cmdline, sizeof(cmdline), f))
			cmdline[0] = 0;
		fclose(f);
	}
	return strstr(cmdline, "swiotlb=force") ? LEG_SWIOTLB : LEG_PLAIN;
}

/* Every segment's address is of the kind this leg and @backend give. */
static void check_addresses(int fd, uint32_t h, const unsigned char *p,
			    const char *backend)
{
	struct dsmil_dma_segment_entry seg[NPAGES];
	struct dsmil_dma_query_args q;
	uint64_t total = 0, phys[NPAGES];
	unsigned int i, j;

	for (i = 0; i < NPAGES; i++)
		phys[i] = phys_of(p + i * PAGE);
	expect_eq(dl_query(fd, h, &q), 0, "query");
	if (q.nr_segments < 1 || q.nr_segments > NPAGES)
		fail("%s: %u segments for %d pages", backend, q.nr_segments,
		     NPAGES);
	q.max_segments = NPAGES;
	q.segments = (uintptr_t)seg;
	q.entry_size = sizeof(seg[0]);
	expect_eq(dl_ioctl(fd, DSMIL_IOC_DMA_QUERY, &q), 0, "query segments");
	for (i = 0; i < q.nr_segments; i++) {
		total += seg[i].length;
		if (!strcmp(backend, "emu")) {
			if (seg[i].dma_addr != NO_DMA_ADDR)
				fail("emu: segment %u has DMA address %#" PRIx64
				     " but emu has no DMA device", i,
				     (uint64_t)seg[i].dma_addr);
			continue;
		}
		for (j = 0; j < NPAGES; j++) {
			if (leg == LEG_PLAIN || seg[i].dma_addr != phys[j])
				continue;
			fail("%s: segment %u at %#" PRIx64 " is page %u's physical address: not an %s address of edu",
			     backend, i, (uint64_t)seg[i].dma_addr, j,
			     leg == LEG_IOMMU ? "IOVA" : "swiotlb");
		}
	}
	if (leg == LEG_PLAIN && strcmp(backend, "emu") &&
	    seg[0].dma_addr != phys[0])
		fail("%s: segment 0 at %#" PRIx64 ", page 0 at %#" PRIx64,
		     backend, (uint64_t)seg[0].dma_addr, phys[0]);
	expect_eq(total, NPAGES * PAGE, "segments cover the lock");
}

/*
 * src (TO_DEVICE) -> device memory -> dst (FROM_DEVICE), PIECE bytes at a
 * time at shifting device offsets; then check dst in userspace.
 */
static void move(const char *backend)
{
	unsigned char *src, *dst;
	uint32_t hs, hd;
	size_t off, n;
	int fd;

	load(backend);
	fd = ctl_open();
	src = anon(NPAGES * PAGE);
	dst = anon(NPAGES * PAGE);
	pattern(src, NPAGES * PAGE, 11);
	memset(dst, 0xee, NPAGES * PAGE);
	expect_eq(dl_lock(fd, src, NPAGES * PAGE, LOCK_TO, &hs), 0, "lock src");
	expect_eq(dl_lock(fd, dst, NPAGES * PAGE, LOCK_FROM, &hd), 0,
		  "lock dst");

	for (off = 0; off < MOVED; off += n) {
		n = MOVED - off < PIECE ? MOVED - off : PIECE;
		/* Offsets 1 and 7 make pieces cross page boundaries. */
		expect_eq(dl_xfer(fd, hs, off + 1, 7, n, XFER_TO_DEV), 0,
			  "piece to device");
		expect_eq(dl_xfer(fd, hd, off + 3, 7, n, XFER_FROM_DEV), 0,
			  "piece from device");
	}
	expect_eq(dl_sync(fd, hd, DSMIL_SYNC_FOR_CPU), 0, "sync dst for CPU");
	for (off = 0; off < NPAGES * PAGE; off++) {
		unsigned char want = off >= 3 && off < 3 + MOVED ?
				     src[off - 3 + 1] : 0xee;

		if (dst[off] != want)
			fail("%s: byte %zu of dst is %#x, expected %#x (%s)",
			     backend, off, dst[off], want,
			     leg == LEG_SWIOTLB ? "swiotlb=force" :
			     leg == LEG_IOMMU ? "IOMMU" : "plain");
	}
	check_addresses(fd, hs, src, backend);
	check_addresses(fd, hd, dst, backend);
	/* What the CPU writes now is not overwritten when the lock goes. */
	memset(dst, 0x5a, NPAGES * PAGE);
	expect_eq(dl_unlock(fd, hd), 0, "unlock dst");
	for (off = 0; off < NPAGES * PAGE; off++)
		if (dst[off] != 0x5a)
			fail("%s: unlock changed byte %zu of dst to %#x",
			     backend, off, dst[off]);
	expect_eq(dl_unlock(fd, hs), 0, "unlock src");
	close(fd);
	expect_nothing_held(backend);
	note("%s: %lu bytes in pieces of %d through device memory, byte-exact",
	     backend, MOVED, PIECE);
	unload();
}

int main(void)
{
	leg = which_leg();
	note("leg: %s", leg == LEG_SWIOTLB ? "swiotlb=force" :
	     leg == LEG_IOMMU ? "IOMMU" : "plain");
	if (getenv("DSMIL_EDU_BDF") && *getenv("DSMIL_EDU_BDF"))
		move("pci");
	else
		note("no edu device: emu only");
	move("emu");
	return 0;
}
