// SPDX-License-Identifier: GPL-2.0
/*
 * Anonymous buffers of 4 KiB to 256 MiB lock and unlock on the emu
 * backend: pages pinned and charged to VmLck while locked, query reports
 * the shape, everything is back at zero after unlock.
 */
#include "dmalock-lib.h"

int main(void)
{
	static const size_t sizes[] = {
		4096, 64 * 1024, 1 * MiB, 16 * MiB, 256 * MiB,
	};
	struct dmalock_test_query q;
	struct dmalock_test_stats st;
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
		expect_eq(q.uaddr, (uintptr_t)p, "query uaddr");
		expect_eq(q.len, len, "query len");
		expect_eq(q.nr_pages, len / PAGE, "query nr_pages");
		if (q.nr_segments < 1 || q.nr_segments > q.nr_pages)
			fail("%zu bytes: %u segments", len, q.nr_segments);
		st = dl_stats();
		expect_eq(st.locked_bytes, len, "locked_bytes");
		expect_eq(st.pinned_pages, len / PAGE, "pinned_pages");
		expect_eq(st.handles, 1, "handles");
		expect_eq(st.segments, q.nr_segments, "segments");
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
