// SPDX-License-Identifier: GPL-2.0
/*
 * rmmod is refused while a handle exists (the owner pins dsmil_dmalock,
 * its file pins the test module) and succeeds after the release.
 */
#include "dmalock-lib.h"

int main(void)
{
	unsigned char *p;
	int fd;

	load("emu");
	fd = ctl_open();
	p = anon(PAGE);
	expect_eq(dl_lock(fd, p, PAGE, LOCK_BIDI, NULL), 0, "lock");
	if (!system("rmmod dsmil_dmalock 2>/dev/null"))
		fail("rmmod dsmil_dmalock succeeded with a handle");
	if (!system("rmmod dsmil_dmalock_test 2>/dev/null"))
		fail("rmmod dsmil_dmalock_test succeeded with a handle");
	if (system("test \"$(cat /sys/module/dsmil_dmalock/stats/handles)\" = 1"))
		fail("stats/handles is not 1");
	close(fd);
	if (system("rmmod dsmil_dmalock_test && rmmod dsmil_dmalock"))
		fail("rmmod after the release");
	if (!access("/sys/module/dsmil_dmalock", F_OK))
		fail("dsmil_dmalock still loaded");
	return 0;
}
