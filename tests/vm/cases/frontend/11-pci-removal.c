// SPDX-License-Identifier: GPL-2.0
/*
 * Surprise removal of QEMU's edu device (pci backend) while a device node
 * is open and mapped: the nodes go away, the open file gets -ENODEV, the
 * mapping faults (SIGBUS) instead of reaching a removed BAR, readers of
 * ctl get one device-removed event per device; a rescan brings the
 * devices and their nodes back, and everything unloads.
 */
#include <sys/mman.h>
#include <sys/stat.h>

#include "fe-case.h"

#define NODE	"/dev/dsmil/dsmil0:g0d00"
#define EDU_ID	0x010000ed

/* Bring edu back if a removal was left behind (atexit). */
static void edu_restore(void)
{
	const char *bdf = getenv("DSMIL_EDU_BDF");

	if (bdf && *bdf)
		sh("[ -e /sys/bus/pci/devices/%s ] || echo 1 > /sys/bus/pci/rescan", bdf);
}

/* Events of @type read from @fd within about @ms milliseconds. */
static int count_events(int fd, uint32_t type, int want, int ms)
{
	struct dsmil_event_record ev[8];
	int n = 0, i;
	ssize_t r;

	while (n < want && ms > 0) {
		r = read(fd, ev, sizeof(ev));
		if (r < 0 && errno == EAGAIN) {
			usleep(20000);
			ms -= 20;
			continue;
		}
		if (r <= 0)
			break;
		for (i = 0; i < r / (ssize_t)sizeof(ev[0]); i++)
			n += ev[i].type == type;
	}
	return n;
}

int main(void)
{
	const char *bdf = getenv("DSMIL_EDU_BDF");
	volatile uint32_t *regs;
	uint32_t v = 0;
	int fd, ctl, i, faulted;
	struct stat st;

	if (!bdf || !*bdf) {
		printf("SKIP: no edu device in this VM\n");
		return 77;
	}
	fe_catch_sigbus();
	atexit(edu_restore);
	atexit(fe_cleanup);
	if (sh("modprobe dsmil_core backend=pci && modprobe dsmil")) {
		printf("FAIL: cannot load the stack on the pci backend\n");
		return 1;
	}
	ctl = open(FE_CTL, O_RDONLY | O_NONBLOCK);
	fd = open(NODE, O_RDWR);
	check(ctl >= 0 && fd >= 0, "open: %s", strerror(errno));
	regs = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);
	check(regs != MAP_FAILED, "mmap: %s", strerror(errno));
	if (regs == MAP_FAILED)
		return 1;
	check(regs[0] == EDU_ID, "edu id through the mapping: 0x%x", regs[0]);
	check(pread(fd, &v, 4, 0) == 4 && v == EDU_ID, "edu id through pread");

	check(!sh("echo 1 > /sys/bus/pci/devices/%s/remove", bdf), "remove edu");
	check(count_events(ctl, DSMIL_EV_DEVICE_REMOVED, 84, 5000) == 84,
	      "device-removed events");
	for (i = 0; i < 100 && fe_count_nodes(); i++)
		usleep(50000);
	check(!fe_count_nodes(), "%d nodes left after the removal", fe_count_nodes());
	check(stat(NODE, &st) && errno == ENOENT, "%s still exists", NODE);
	check(pread(fd, &v, 4, 0) < 0 && errno == ENODEV,
	      "pread of a removed device: %s", strerror(errno));
	faulted = fe_load(regs, &v);
	check(faulted, "a load from a removed device's mapping did not fault (0x%x)", v);
	check(mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0) == MAP_FAILED &&
	      errno == ENODEV, "mmap of a removed device: %s", strerror(errno));

	check(!sh("echo 1 > /sys/bus/pci/rescan"), "rescan");
	check(count_events(ctl, DSMIL_EV_DEVICE_ADDED, 84, 10000) == 84,
	      "device-added events after the rescan");
	for (i = 0; i < 100 && fe_count_nodes() != 84; i++)
		usleep(50000);
	check(fe_count_nodes() == 84, "%d nodes after the rescan", fe_count_nodes());

	munmap((void *)regs, 4096);
	close(fd);
	close(ctl);
	check(!sh(FE_UNLOAD), "unload");
	return done();
}
