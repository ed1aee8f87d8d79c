/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dmalock-lib.h - shared by the C cases of tests/vm/cases/dmalock/ (not a
 * case itself): loading the stack, the DMA ioctls of the frontend's
 * /dev/dsmil/ctl (<linux/dsmil.h>), checks.  The cases drive
 * dsmil_dmalock through this UAPI only and observe it through
 * DSMIL_IOC_STATS and its own sysfs counters.  Each open of CTL is one
 * dsmil_dmalock owner.
 */
#ifndef _DMALOCK_LIB_H
#define _DMALOCK_LIB_H

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../../../modules/include/uapi/linux/dsmil.h"

#define CTL "/dev/dsmil/ctl"
#define TOKEN 0x8000
#define PAGE 4096UL
#define MiB (1024UL * 1024)
#define STACK "dsmil dsmil_dmalock dsmil_smi dsmil_core"

#define LOCK_TO DSMIL_LOCK_TO_DEVICE
#define LOCK_FROM DSMIL_LOCK_FROM_DEVICE
#define LOCK_BIDI DSMIL_LOCK_BIDIRECTIONAL
#define XFER_TO_DEV DSMIL_XFER_TO_DEVICE
#define XFER_FROM_DEV DSMIL_XFER_FROM_DEVICE
#define CLAIM_SHARED DSMIL_CLAIM_SHARED
#define CLAIM_EXCL DSMIL_CLAIM_EXCLUSIVE
#define CLAIM_NONBLOCK DSMIL_CLAIM_NONBLOCK

static inline void fail(const char *fmt, ...)
	__attribute__((format(printf, 1, 2), noreturn));

static inline void fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "FAIL: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	exit(1);
}

static inline void note(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

static inline void note(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	printf("# ");
	vprintf(fmt, ap);
	printf("\n");
	va_end(ap);
	fflush(stdout);
}

#define expect_eq(got, want, what) do {					\
	long long __g = (long long)(got), __w = (long long)(want);	\
	if (__g != __w)							\
		fail("%s: got %lld, expected %lld", what, __g, __w);	\
} while (0)

static pid_t loader_pid;

/*
 * Unload the stack, frontend first (atexit: early exits too; not in a
 * forked child that fails).
 */
static inline void unload(void)
{
	fflush(stdout);
	if (getpid() != loader_pid)
		return;
	if (system("for m in " STACK "; do "
		   "[ ! -d /sys/module/$m ] || rmmod $m; done"))
		return;
}

/*
 * Load the stack (the frontend pulls in dsmil_dmalock and dsmil_smi) on
 * dsmil_core's BACKEND, after dsmil_dmalock with DMALOCK_PARAMS (may be
 * empty); unloaded at exit.
 */
static inline void load_with(const char *backend, const char *dmalock_params)
{
	char cmd[512];

	if (!access("/sys/module/dsmil_core", F_OK))
		fail("dsmil_core is already loaded (left over by another case?)");
	loader_pid = getpid();
	atexit(unload);
	snprintf(cmd, sizeof(cmd),
		 "modprobe dsmil_core backend=%s && "
		 "modprobe dsmil_dmalock %s && modprobe dsmil",
		 backend, dmalock_params);
	fflush(stdout);
	if (system(cmd))
		fail("cannot load: %s", cmd);
	if (access(CTL, F_OK))
		fail("no %s after loading dsmil", CTL);
}

static inline void load(const char *backend)
{
	load_with(backend, "");
}

static inline const char **edu_bdf_slot(void)
{
	static const char *bdf;

	return &bdf;
}

static inline void edu_rescan(void)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd),
		 "[ -e /sys/bus/pci/devices/%s ] || echo 1 > /sys/bus/pci/rescan",
		 *edu_bdf_slot());
	if (system(cmd))
		fprintf(stderr, "rescan failed\n");
}

/*
 * For a case that removes the edu PCI device: its address (DSMIL_EDU_BDF;
 * without one the case skips, exit 77), and a rescan that brings it back
 * at exit.  Call it before load(), so that the rescan runs after the
 * stack is unloaded.
 */
static inline const char *edu_removable(void)
{
	const char *bdf = getenv("DSMIL_EDU_BDF");

	if (!bdf || !*bdf) {
		printf("SKIP: no edu device\n");
		exit(77);
	}
	*edu_bdf_slot() = bdf;
	atexit(edu_rescan);
	return bdf;
}

#define UNBIND_DELAY "/sys/kernel/debug/dsmil_dmalock/unbind_delay_ms"
#define UNBIND_WAITING "/sys/kernel/debug/dsmil_dmalock/unbind_waiting"

/*
 * Wait (at most 60 s) until an unmap of dsmil_dmalock waits in its test
 * delay (debugfs unbind_delay_ms): the unbinding or the unlock that runs
 * it is inside dsmil_dmalock's code now.
 */
static inline void wait_unmap_in_delay(const char *who)
{
	for (int i = 0; i < 6000; i++) {
		FILE *f = fopen(UNBIND_WAITING, "r");
		int n = 0;

		if (!f)
			fail("open %s: %s", UNBIND_WAITING, strerror(errno));
		if (fscanf(f, "%d", &n) != 1)
			n = 0;
		fclose(f);
		if (n > 0)
			return;
		usleep(10000);
	}
	fail("%s never waited in the unmap's delay (%s)", who, UNBIND_DELAY);
}

/* Each open of CTL is one dsmil_dmalock owner. */
static inline int ctl_open(void)
{
	int fd = open(CTL, O_RDWR);

	if (fd < 0)
		fail("open %s: %s", CTL, strerror(errno));
	return fd;
}

/* Each returns 0 or -errno. */
static inline int dl_ioctl(int fd, unsigned long cmd, void *arg)
{
	return ioctl(fd, cmd, arg) ? -errno : 0;
}

static inline int dl_lock(int fd, void *addr, uint64_t len, int dir, uint32_t *handle)
{
	struct dsmil_dma_lock_args a = {
		.size = sizeof(a), .addr = (uintptr_t)addr, .length = len,
		.dir = dir, .token = TOKEN,
	};
	int ret = dl_ioctl(fd, DSMIL_IOC_DMA_LOCK, &a);

	if (!ret && handle)
		*handle = a.handle;
	return ret;
}

static inline int dl_unlock(int fd, uint32_t handle)
{
	struct dsmil_dma_handle_args a = { .size = sizeof(a), .handle = handle };

	return dl_ioctl(fd, DSMIL_IOC_DMA_UNLOCK, &a);
}

static inline int dl_sync(int fd, uint32_t handle, uint32_t dir)
{
	struct dsmil_dma_sync_args a = {
		.size = sizeof(a), .handle = handle, .dir = dir,
	};

	return dl_ioctl(fd, DSMIL_IOC_DMA_SYNC, &a);
}

/* The shape of a lock, without its segments. */
static inline int dl_query(int fd, uint32_t handle, struct dsmil_dma_query_args *q)
{
	memset(q, 0, sizeof(*q));
	q->size = sizeof(*q);
	q->handle = handle;
	return dl_ioctl(fd, DSMIL_IOC_DMA_QUERY, q);
}

static inline int dl_xfer(int fd, uint32_t handle, uint64_t off, uint32_t dev_off,
		   uint64_t len, int dir)
{
	struct dsmil_dma_xfer_args a = {
		.size = sizeof(a), .handle = handle, .offset = off,
		.dev_offset = dev_off, .length = len, .dir = dir,
	};

	return dl_ioctl(fd, DSMIL_IOC_DMA_XFER, &a);
}

static inline int dl_claim(int fd, int mode, int flags, uint32_t timeout_ms)
{
	struct dsmil_dma_claim_args a = {
		.size = sizeof(a), .flags = flags, .token = TOKEN,
		.mode = mode, .timeout_ms = timeout_ms,
	};

	return dl_ioctl(fd, DSMIL_IOC_DMA_CLAIM, &a);
}

static inline int dl_release(int fd)
{
	struct dsmil_dma_claim_args a = { .size = sizeof(a), .token = TOKEN };

	return dl_ioctl(fd, DSMIL_IOC_DMA_RELEASE, &a);
}

/* The counters of DSMIL_IOC_STATS, through an owner of its own. */
static inline struct dsmil_stats_args dl_stats(void)
{
	struct dsmil_stats_args st = { .size = sizeof(st) };
	int fd = ctl_open();

	if (dl_ioctl(fd, DSMIL_IOC_STATS, &st))
		fail("stats: %s", strerror(errno));
	close(fd);
	return st;
}

/* dsmil_dmalock's counter /sys/module/dsmil_dmalock/stats/@name. */
static inline long long sysfs_stat(const char *name)
{
	char path[128];
	long long v = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/module/dsmil_dmalock/stats/%s", name);
	f = fopen(path, "r");
	if (!f || fscanf(f, "%lld", &v) != 1)
		fail("cannot read %s", path);
	fclose(f);
	return v;
}

/*
 * The counters of what is held now are back at zero, through the ioctl
 * and in sysfs.
 */
static inline void expect_nothing_held(const char *when)
{
	struct dsmil_stats_args st = dl_stats();
	char what[128];

	/* dl_stats() opened an owner of its own, closed again. */
	snprintf(what, sizeof(what), "%s: dma_locked_bytes", when);
	expect_eq(st.dma_locked_bytes, 0, what);
	snprintf(what, sizeof(what), "%s: dma_pinned_pages", when);
	expect_eq(st.dma_pinned_pages, 0, what);
	snprintf(what, sizeof(what), "%s: dma_handles", when);
	expect_eq(st.dma_handles, 0, what);
	snprintf(what, sizeof(what), "%s: dma_segments", when);
	expect_eq(st.dma_segments, 0, what);
	snprintf(what, sizeof(what), "%s: stats/locked_bytes", when);
	expect_eq(sysfs_stat("locked_bytes"), 0, what);
	snprintf(what, sizeof(what), "%s: stats/pinned_pages", when);
	expect_eq(sysfs_stat("pinned_pages"), 0, what);
	snprintf(what, sizeof(what), "%s: stats/handles", when);
	expect_eq(sysfs_stat("handles"), 0, what);
}

/* Anonymous memory, touched so that it is populated. */
static inline void *anon(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);

	if (p == MAP_FAILED)
		fail("mmap %zu: %s", len, strerror(errno));
	return p;
}

static inline void pattern(unsigned char *p, size_t len, unsigned int seed)
{
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = (unsigned char)(i * 31 + seed + (i >> 8));
}

/* Locked memory (VmLck) of this process, in kB. */
static inline long vmlck_kb(void)
{
	char line[256];
	long kb = -1;
	FILE *f = fopen("/proc/self/status", "r");

	if (!f)
		fail("/proc/self/status: %s", strerror(errno));
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmLck: %ld kB", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

/*
 * The stack on the pci backend, a new owner (returned) holding a
 * two-page BIDIRECTIONAL lock on edu, and every unmap of dsmil_dmalock
 * held @delay_ms in the test delay from now on: the setting of the cases
 * that race an unmap against the device's removal (edu_removable() first).
 */
static inline int lock_with_unmap_delay(unsigned int delay_ms)
{
	char cmd[128];
	uint32_t h;
	int fd;

	load("pci");
	fd = ctl_open();
	expect_eq(dl_lock(fd, anon(2 * PAGE), 2 * PAGE, LOCK_BIDI, &h), 0, "lock");
	snprintf(cmd, sizeof(cmd), "echo %u > %s", delay_ms, UNBIND_DELAY);
	if (system(cmd))
		fail("cannot set %s", UNBIND_DELAY);
	return fd;
}

#endif /* _DMALOCK_LIB_H */
