// SPDX-License-Identifier: GPL-2.0
/*
 * While the edu device's driver unbinding (PCI removal) is unmapping a
 * lock in dsmil_dmalock's code, the lock's owner goes (its file closed:
 * the unlock finds the mapping already taken by the unbinding) and the
 * frontend is unloaded: dsmil_dmalock must still refuse to unload
 * ("in use") until the unbinding has left its code, then unload cleanly.
 * Unloading it in that window freed the code the unbinding was running
 * (an oops) and found a lock still accounted (a warning).  The unbinding
 * is held in the unmap by the test knob debugfs
 * dsmil_dmalock/unbind_delay_ms, and the case goes on once debugfs
 * unbind_waiting says it waits there.  A rescan brings edu back.
 */
#include "dmalock-lib.h"

#include <sys/wait.h>

int main(void)
{
	const char *bdf;
	char cmd[256];
	int fd, status;
	pid_t pid;

	bdf = edu_removable();
	fd = lock_with_unmap_delay(3000);

	/* The removal runs the devres release, which waits 3 s in it. */
	pid = fork();
	if (pid < 0)
		fail("fork: %s", strerror(errno));
	if (pid == 0) {
		close(fd);	/* the owner's file: only the parent holds it */
		snprintf(cmd, sizeof(cmd),
			 "echo 1 > /sys/bus/pci/devices/%s/remove", bdf);
		_exit(system(cmd) ? 1 : 0);
	}
	wait_unmap_in_delay("the removal");
	if (waitpid(pid, &status, WNOHANG) != 0)
		fail("the removal ended while it waited in the unmap");

	close(fd);	/* the owner goes: its unlock finds no mapping left */
	if (system("rmmod dsmil"))
		fail("rmmod dsmil while the removal unmaps");
	if (!system("rmmod dsmil_dmalock 2>/dev/null"))
		fail("dsmil_dmalock unloaded while the unbinding ran its code");
	note("rmmod dsmil_dmalock refused while the removal unmaps");

	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status))
		fail("the PCI removal failed");
	if (system("rmmod dsmil_dmalock"))
		fail("rmmod dsmil_dmalock after the removal");
	printf("ok\n");
	return 0;
}
