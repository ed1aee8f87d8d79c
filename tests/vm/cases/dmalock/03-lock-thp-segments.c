// SPDX-License-Identifier: GPL-2.0
/*
 * A THP-backed buffer (2 MiB aligned, MADV_HUGEPAGE) coalesces into far
 * fewer segments than pages: at most one per 2 MiB huge page.
 * dsmil-matrix: compat: sg_pages_segment
 */
#include "dmalock-lib.h"

#define HPAGE (2 * MiB)
#define LEN (16 * MiB)

int main(void)
{
	struct dsmil_dma_query_args q;
	unsigned char *raw, *p;
	uint32_t h;
	int fd;

	load("emu");
	raw = mmap(NULL, LEN + HPAGE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (raw == MAP_FAILED)
		fail("mmap: %s", strerror(errno));
	p = (unsigned char *)(((uintptr_t)raw + HPAGE - 1) & ~(HPAGE - 1));
	if (madvise(p, LEN, MADV_HUGEPAGE))
		fail("madvise(MADV_HUGEPAGE): %s", strerror(errno));
	memset(p, 0x5a, LEN);

	fd = ctl_open();
	expect_eq(dl_lock(fd, p, LEN, LOCK_BIDI, &h), 0, "lock");
	expect_eq(dl_query(fd, h, &q), 0, "query");
	note("%u pages in %u segments", q.nr_pages, q.nr_segments);
	expect_eq(q.nr_pages, LEN / PAGE, "nr_pages");
	if (q.nr_segments > LEN / HPAGE)
		fail("%u segments for %lu huge pages: not coalesced",
		     q.nr_segments, LEN / HPAGE);
	expect_eq(dl_unlock(fd, h), 0, "unlock");
	close(fd);
	expect_nothing_held("after unlock");
	return 0;
}
