// SPDX-License-Identifier: GPL-2.0
/*
 * rmmod is refused while a handle exists (the open /dev/dsmil/ctl pins the
 * frontend, its owner pins dsmil_dmalock) and the lock is intact; after
 * the file is closed both unload.
 */
#include "dmalock-lib.h"

/* rmmod @mod must fail with "in use". */
static void rmmod_refused(const char *mod)
{
	char cmd[128], out[512] = "";
	size_t n;
	FILE *f;

	snprintf(cmd, sizeof(cmd), "rmmod %s 2>&1", mod);
	f = popen(cmd, "r");
	if (!f)
		fail("popen %s", cmd);
	n = fread(out, 1, sizeof(out) - 1, f);
	out[n] = '\0';
	if (!pclose(f))
		fail("rmmod %s succeeded with a handle", mod);
	if (!strstr(out, "in use"))
		fail("rmmod %s with a handle: '%s'", mod, out);
}

int main(void)
{
	struct dsmil_dma_query_args q;
	unsigned char *p;
	uint32_t h;
	int fd;

	load("emu");
	fd = ctl_open();
	p = anon(PAGE);
	expect_eq(dl_lock(fd, p, PAGE, LOCK_BIDI, &h), 0, "lock");
	rmmod_refused("dsmil_dmalock");
	rmmod_refused("dsmil");
	expect_eq(sysfs_stat("handles"), 1, "stats/handles");
	expect_eq(dl_query(fd, h, &q), 0, "query after the refused rmmods");
	expect_eq(q.nr_pages, 1, "pages of the lock");
	expect_eq(dl_xfer(fd, h, 0, 0, PAGE, XFER_TO_DEV), 0,
		  "xfer after the refused rmmods");
	close(fd);
	if (system("rmmod dsmil && rmmod dsmil_dmalock"))
		fail("rmmod after the release");
	if (!access("/sys/module/dsmil_dmalock", F_OK))
		fail("dsmil_dmalock still loaded");
	return 0;
}
