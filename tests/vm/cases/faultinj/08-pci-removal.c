// SPDX-License-Identifier: GPL-2.0
/*
 * Fault injection into the removal of QEMU's edu device (pci backend)
 * while a device node is open and mapped: every allocation the suite's
 * code makes during the write to the PCI device's "remove" fails in turn.
 * Whatever fails, when the write returns every node is gone, the open file
 * gets -ENODEV and a load through the former mapping faults (SIGBUS): a
 * removal that needed memory could be lost and leave the mapping on a
 * released BAR.  The frontend's remove allocates nothing, so the sweep
 * ends at its first point.  A rescan brings the devices back each time.
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

static int count_nodes(void)
{
	struct dirent *de;
	DIR *d = opendir("/dev/dsmil");
	int n = 0;

	if (!d)
		return 0;
	while ((de = readdir(d)))
		n += !strncmp(de->d_name, "dsmil", 5);
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

int main(void)
{
	const char *bdf = getenv("DSMIL_EDU_BDF");
	unsigned int nth, left = 0, points = 0;
	volatile uint32_t *regs;
	struct sigaction sa;
	char path[256];
	uint32_t v;
	int fd, rfd;

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

	for (nth = 1; nth <= FI_MAX_NTH && !left; nth++) {
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
		points += !left;

		check(!count_nodes(), "allocation %u failing: %d nodes after the removal returned",
		      nth, count_nodes());
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
		check(count_nodes() == 84, "allocation %u: %d nodes after the rescan",
		      nth, count_nodes());
		unload_all();
	}
	printf("# the removal made %u allocation(s) under the suite's code; each failed in turn\n",
	       points);
	return failures ? 1 : 0;
}
