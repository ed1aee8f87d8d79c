// SPDX-License-Identifier: GPL-2.0
/*
 * Anonymous buffers of 4 KiB to 256 MiB lock and unlock on the emu
 * backend: pages pinned and charged to VmLck while locked, query reports
 * the shape (its segments add up to the buffer), everything is back at
 * zero after unlock.
 */
#include "dmalock-lib.h"

/* The segments of lock @h: as many as the query said, adding up to @len. */
static void expect_segments(int fd, uint32_t h, uint32_t nr, size_t len)
{
	struct dsmil_dma_segment_entry *segs = calloc(nr + 1, sizeof(*segs));
	struct dsmil_dma_query_args q = {
		.size = sizeof(q), .handle = h, .max_segments = nr + 1,
		.segments = (uintptr_t)segs,
	};
	uint64_t sum = 0;
	uint32_t i;

	if (!segs)
		fail("calloc");
	expect_eq(dl_ioctl(fd, DSMIL_IOC_DMA_QUERY, &q), 0, "query with segments");
	expect_eq(q.nr_segments, nr, "nr_segments with segments");
	for (i = 0; i < nr; i++) {
		if (!segs[i].length || !segs[i].dma_addr)
			fail("segment %u: %#llx + %llu", i,
			     (unsigned long long)segs[i].dma_addr,
			     (unsigned long long)segs[i].length);
		sum += segs[i].length;
	}
	expect_eq(sum, len, "bytes in the segments");
	expect_eq(segs[nr].length, 0, "entry past the last segment untouched");
	free(segs);
}

int main(void)
{
	static const size_t sizes[] = {
		4096, 64 * 1024, 1 * MiB, 16 * MiB, 256 * MiB,
	};
	struct dsmil_dma_query_args q;
	struct dsmil_stats_args st;
	unsigned int i;
	uint32_t h;
	long lck0;
	int fd;

	load("emu");
	fd = ctl_open();
	lck0 = vmlck_kb();
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		size_t len = sizes[i];
		void *p = anon(len);

		expect_eq(dl_lock(fd, p, len, LOCK_BIDI, &h), 0, "lock");
		expect_eq(dl_query(fd, h, &q), 0, "query");
		expect_eq(q.addr, (uintptr_t)p, "query uaddr");
		expect_eq(q.length, len, "query len");
		expect_eq(q.nr_pages, len / PAGE, "query nr_pages");
		expect_eq(q.token, TOKEN, "query token");
		expect_eq(q.dir, LOCK_BIDI, "query dir");
		if (q.nr_segments < 1 || q.nr_segments > q.nr_pages)
			fail("%zu bytes: %u segments", len, q.nr_segments);
		expect_segments(fd, h, q.nr_segments, len);
		st = dl_stats();
		expect_eq(st.dma_locked_bytes, len, "locked_bytes");
		expect_eq(st.dma_pinned_pages, len / PAGE, "pinned_pages");
		expect_eq(st.dma_handles, 1, "handles");
		expect_eq(st.dma_segments, q.nr_segments, "segments");
		expect_eq(vmlck_kb() - lck0, len / 1024, "VmLck growth (kB)");
		note("%zu bytes: %u pages, %u segments", len, q.nr_pages,
		     q.nr_segments);
		expect_eq(dl_unlock(fd, h), 0, "unlock");
		expect_eq(dl_unlock(fd, h), -ENOENT, "second unlock");
		expect_eq(vmlck_kb(), lck0, "VmLck after unlock");
		expect_nothing_held("after unlock");
		munmap(p, len);
	}
	close(fd);
	return 0;
}
