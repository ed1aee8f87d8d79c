// SPDX-License-Identifier: GPL-2.0
/*
 * Fault injection into the removal of QEMU's edu device (pci backend)
 * while a device node is open and mapped: allocations made under the
 * suite's code during the write to the PCI device's "remove" fail.  The
 * removal path runs through the driver core, sysfs, kobject uevents and
 * devtmpfs (some 60 allocations on 6.12), so the case counts them once
 * and fails a few spread over them.  Whatever fails, when the write
 * returns the open file gets -ENODEV, a load through the former mapping
 * faults (SIGBUS) and no node can be opened: a removal that needed memory
 * in the frontend could be lost and leave the mapping on a released BAR.
 * (A node's /dev entry may stay when the name devtmpfs needs to delete it
 * cannot be allocated, devtmpfs's own limit; it opens nothing.)  A rescan
 * brings the devices back each time.
 */
#include <dirent.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>

#include "faultinj.h"

#define NODE	"/dev/dsmil/dsmil0:g0d00"
#define EDU_ID	0x010000ed

static sigjmp_buf jump;
static volatile sig_atomic_t sigbus;

static void on_sigbus(int sig)
{
	(void)sig;
	sigbus = 1;
	siglongjmp(jump, 1);
}

static int load(volatile uint32_t *p, uint32_t *v)
{
	sigbus = 0;
	if (!sigsetjmp(jump, 1))
		*v = *p;
	return sigbus;
}

/* /dev/dsmil entries of devices; *@open gets how many of them open. */
static int count_nodes(int *open_ok)
{
	char path[300];
	struct dirent *de;
	DIR *d = opendir("/dev/dsmil");
	int n = 0, fd;

	*open_ok = 0;
	if (!d)
		return 0;
	while ((de = readdir(d))) {
		if (strncmp(de->d_name, "dsmil", 5))
			continue;
		n++;
		snprintf(path, sizeof(path), "/dev/dsmil/%s", de->d_name);
		fd = open(path, O_RDONLY);
		if (fd >= 0) {
			(*open_ok)++;
			close(fd);
		}
	}
	closedir(d);
	return n;
}

static void unload_all(void)
{
	fi_sh("rmmod dsmil dsmil_dmalock dsmil_smi dsmil_core 2>/dev/null");
}

static void edu_restore(void)
{
	const char *bdf = getenv("DSMIL_EDU_BDF");

	if (bdf && *bdf)
		fi_sh("[ -e /sys/bus/pci/devices/%s ] || echo 1 > /sys/bus/pci/rescan", bdf);
}

/*
 * One removal with the @nth allocation under the suite's code failing (0:
 * none; FI_COUNT_NTH: count them).  Returns how many allocations were left
 * of @nth (0: the @nth one failed).
 */
static unsigned int remove_once(const char *path, unsigned int nth)
{
	volatile uint32_t *regs;
	unsigned int left;
	int fd, rfd, nodes, open_ok;
	uint32_t v;

	if (fi_sh("modprobe dsmil_core backend=pci && modprobe dsmil"))
		fi_die("cannot load the stack on the pci backend");
	fd = open(NODE, O_RDONLY);
	if (fd < 0)
		fi_die("open %s: %s", NODE, strerror(errno));
	regs = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);
	if (regs == MAP_FAILED)
		fi_die("mmap %s: %s", NODE, strerror(errno));
	check(!load(regs, &v) && v == EDU_ID,
	      "allocation %u: edu id through the mapping: 0x%x", nth, v);

	rfd = open(path, O_WRONLY);
	if (rfd < 0)
		fi_die("open %s: %s", path, strerror(errno));
	fi_set_nth(nth);
	check(write(rfd, "1", 1) == 1, "allocation %u failing: remove: %s",
	      nth, strerror(errno));
	left = fi_left();
	fi_set_nth(0);
	close(rfd);

	nodes = count_nodes(&open_ok);
	check(!open_ok, "allocation %u failing: %d of %d nodes still open after the removal returned",
	      nth, open_ok, nodes);
	if (nodes)
		printf("# allocation %u failing: %d stale /dev entries (devtmpfs could not name them)\n",
		       nth, nodes);
	check(pread(fd, &v, 4, 0) < 0 && errno == ENODEV,
	      "allocation %u failing: pread after the removal: %s", nth,
	      strerror(errno));
	check(load(regs, &v),
	      "allocation %u failing: a load after the removal did not fault (0x%x)",
	      nth, v);
	munmap((void *)regs, 4096);
	close(fd);
	if (fi_sh("echo 1 > /sys/bus/pci/rescan"))
		fi_die("rescan failed");
	check(count_nodes(&open_ok) >= 84 && open_ok == 84,
	      "allocation %u: %d nodes open after the rescan", nth, open_ok);
	unload_all();
	return left;
}

#define SAMPLES	4

int main(void)
{
	const char *bdf = getenv("DSMIL_EDU_BDF");
	unsigned int points, i, nth;
	struct sigaction sa;
	char path[256];

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!bdf || !*bdf) {
		printf("SKIP: no edu device in this VM\n");
		return 77;
	}
	fi_setup();
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sigbus;
	sigaction(SIGBUS, &sa, NULL);
	atexit(unload_all);
	atexit(edu_restore);
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/remove", bdf);

	points = FI_COUNT_NTH - remove_once(path, FI_COUNT_NTH);
	printf("# the removal makes %u allocations under the suite's code\n",
	       points);
	for (i = 0; i < SAMPLES && points; i++) {
		nth = 1 + (unsigned int)((unsigned long)points * (2 * i + 1) /
					 (2 * SAMPLES));
		check(!remove_once(path, nth), "allocation %u of %u: not reached",
		      nth, points);
	}
	return failures ? 1 : 0;
}
