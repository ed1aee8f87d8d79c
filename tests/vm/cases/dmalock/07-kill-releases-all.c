// SPDX-License-Identifier: GPL-2.0
/*
 * A process killed while holding locks and a claim leaves the pinned and
 * locked counters exactly at their baseline, and the engine free.
 */
#include "dmalock-lib.h"

int main(void)
{
	struct dsmil_stats_args st;
	int sync[2], status, fd;
	pid_t pid;
	char c;

	load("emu");
	expect_nothing_held("baseline");
	if (pipe(sync))
		fail("pipe");
	pid = fork();
	if (pid == 0) {
		unsigned char *p = anon(8 * MiB);

		fd = ctl_open();
		if (dl_lock(fd, p, 4 * MiB, LOCK_BIDI, NULL) ||
		    dl_lock(fd, p + 4 * MiB, 4 * MiB, LOCK_FROM, NULL) ||
		    dl_lock(fd, p, 64 * 1024, LOCK_TO, NULL) ||
		    dl_claim(fd, CLAIM_EXCL, 0, 0))
			_exit(2);
		if (write(sync[1], "x", 1) != 1)
			_exit(3);
		pause();
		_exit(0);
	}
	close(sync[1]);
	if (read(sync[0], &c, 1) != 1)
		fail("the child did not lock");
	st = dl_stats();
	expect_eq(st.dma_handles, 3, "handles while the child lives");
	expect_eq(st.dma_pinned_pages, (8 * MiB + 64 * 1024) / PAGE,
		  "pinned pages while the child lives");
	kill(pid, SIGKILL);
	if (waitpid(pid, &status, 0) != pid || !WIFSIGNALED(status))
		fail("the child was not killed");

	expect_nothing_held("after the kill");
	st = dl_stats();
	expect_eq(st.dma_owners, 1, "owners after the kill (dl_stats()'s own)");
	fd = ctl_open();
	expect_eq(dl_claim(fd, CLAIM_EXCL, CLAIM_NONBLOCK, 0), 0,
		  "the killed child's claim is gone");
	close(fd);
	return 0;
}
