// SPDX-License-Identifier: GPL-2.0
/*
 * Arbitration of a controller's engine between two processes: an
 * exclusive claim makes a non-blocking claimant get -EAGAIN, a timed one
 * -ETIMEDOUT and a blocking one wait until the release wakes it; shared
 * claims coexist and exclude an exclusive one.
 */
#include "dmalock-lib.h"

int main(void)
{
	struct dsmil_stats_args st;
	int a, b, status, fd;
	uint64_t waits0;
	pid_t pid;

	load("emu");
	a = ctl_open();
	b = ctl_open();
	expect_eq(dl_claim(a, CLAIM_EXCL, 0, 0), 0, "A claims exclusive");
	expect_eq(dl_claim(a, CLAIM_SHARED, 0, 0), -EALREADY, "A claims again");
	expect_eq(dl_claim(b, CLAIM_EXCL, CLAIM_NONBLOCK, 0), -EAGAIN,
		  "B non-blocking exclusive");
	expect_eq(dl_claim(b, CLAIM_SHARED, CLAIM_NONBLOCK, 0), -EAGAIN,
		  "B non-blocking shared");
	expect_eq(dl_claim(b, CLAIM_EXCL, 0, 50), -ETIMEDOUT,
		  "B waits 50 ms");
	st = dl_stats();
	expect_eq(st.dma_claim_timeouts, 1, "claim_timeouts");
	waits0 = st.dma_claim_waits;

	/* Another process blocks until A releases. */
	pid = fork();
	if (pid == 0) {
		fd = ctl_open();
		_exit(dl_claim(fd, CLAIM_EXCL, 0, 0) == 0 ? 0 : 1);
	}
	do {
		usleep(10000);
		st = dl_stats();
	} while (st.dma_claim_waits == waits0);
	if (waitpid(pid, &status, WNOHANG) != 0)
		fail("the waiter did not wait");
	expect_eq(dl_release(a), 0, "A releases");
	expect_eq(dl_release(a), -ENOENT, "A releases again");
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status))
		fail("the waiter did not get the claim");

	/* The waiter exited: its claim went with its file. */
	expect_eq(dl_claim(a, CLAIM_SHARED, CLAIM_NONBLOCK, 0), 0, "A shared");
	expect_eq(dl_claim(b, CLAIM_SHARED, CLAIM_NONBLOCK, 0), 0, "B shared");
	fd = ctl_open();
	expect_eq(dl_claim(fd, CLAIM_EXCL, CLAIM_NONBLOCK, 0), -EAGAIN,
		  "exclusive while shared claims are held");
	expect_eq(dl_release(a), 0, "A releases shared");
	expect_eq(dl_release(b), 0, "B releases shared");
	expect_eq(dl_claim(fd, CLAIM_EXCL, CLAIM_NONBLOCK, 0), 0,
		  "exclusive once all are released");
	close(fd);
	close(a);
	close(b);
	return 0;
}
