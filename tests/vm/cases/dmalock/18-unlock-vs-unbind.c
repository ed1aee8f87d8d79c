// SPDX-License-Identifier: GPL-2.0
/*
 * The other order of 17-unbind-vs-unload: the lock's owner goes first
 * (its file closed: the unlock runs the unmap of the lock's mapping), and
 * while that unmap runs, the edu device is removed.  The unbinding must
 * wait for the unmap before the driver is released: the mapping must not
 * outlive the driver's binding (the device may leave the bus and its
 * IOMMU right after; DMA-API debugging reports "device driver has pending
 * DMA allocations while released from device").  dsmil_core's managed
 * actions took the entry off the device's list and ran it outside, so an
 * unbinding that started then found nothing to wait for.
 *
 * The unmap is held 3 s by the test knob debugfs
 * dsmil_dmalock/unbind_delay_ms; the removal starts once debugfs
 * unbind_waiting says the unmap waits there, and must not end before the
 * unmap's 3 s have passed.  A rescan brings edu back.
 */
#include "dmalock-lib.h"

#include <sys/wait.h>
#include <time.h>

#define DELAY_MS 3000

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

int main(void)
{
	double t[2], close_start, close_end;
	const char *bdf;
	char cmd[256];
	int fd, status, pfd[2], ready[2];
	char c;
	pid_t pid;

	bdf = edu_removable();
	fd = lock_with_unmap_delay(DELAY_MS);
	if (pipe(pfd) || pipe(ready))
		fail("pipe: %s", strerror(errno));

	/* The removal, once the unlock's unmap waits in the delay. */
	pid = fork();
	if (pid < 0)
		fail("fork: %s", strerror(errno));
	if (pid == 0) {
		/* the owner's file: the parent's close must be the last */
		close(fd);
		close(pfd[0]);
		close(ready[0]);
		if (write(ready[1], "r", 1) != 1)
			_exit(1);
		wait_unmap_in_delay("the unlock");
		snprintf(cmd, sizeof(cmd),
			 "echo 1 > /sys/bus/pci/devices/%s/remove", bdf);
		t[0] = now_ms();
		if (system(cmd))
			_exit(1);
		t[1] = now_ms();
		_exit(write(pfd[1], t, sizeof(t)) == sizeof(t) ? 0 : 1);
	}
	close(pfd[1]);
	close(ready[1]);
	if (read(ready[0], &c, 1) != 1)
		fail("the removal's process did not start");

	close_start = now_ms();
	close(fd);	/* the owner goes: its unlock unmaps, held in the delay */
	close_end = now_ms();
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status))
		fail("the PCI removal failed");
	if (read(pfd[0], t, sizeof(t)) != sizeof(t))
		fail("no times from the removal");
	note("unlock's close: %.0f ms; removal: from %+.0f ms to %+.0f ms",
	     close_end - close_start, t[0] - close_start, t[1] - close_start);
	if (close_end - close_start < DELAY_MS)
		fail("the unlock's unmap did not wait in the delay (%.0f ms)",
		     close_end - close_start);
	if (t[1] < close_start + DELAY_MS)
		fail("the removal ended %.0f ms after the unlock began, before its %d ms unmap: the unbinding did not wait",
		     t[1] - close_start, DELAY_MS);
	printf("ok\n");
	return 0;
}
