/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dmalock-lib.h - shared by the C cases of tests/vm/cases/dmalock/ (not a
 * case itself): loading the modules, the test module's ioctls, checks.
 * Each open of CTL is one dsmil_dmalock owner.
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

#include "../../../kmod/dmalock_test/dmalock_test.h"

#define CTL "/sys/kernel/debug/dsmil_dmalock_test/ctl"
#define TOKEN 0x8000
#define PAGE 4096UL
#define MiB (1024UL * 1024)

#define LOCK_TO 1
#define LOCK_FROM 2
#define LOCK_BIDI 3
#define XFER_TO_DEV 0
#define XFER_FROM_DEV 1
#define CLAIM_SHARED 0
#define CLAIM_EXCL 1
#define CLAIM_NONBLOCK 1

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

static inline void unload(void)
{
	if (system("rmmod dsmil_dmalock_test dsmil_dmalock dsmil_core 2>/dev/null"))
		return;
}

/* Load dsmil_core with BACKEND and the test module (pulls dsmil_dmalock). */
static inline void load(const char *backend)
{
	char cmd[256];

	if (!access("/sys/module/dsmil_core", F_OK))
		fail("dsmil_core is already loaded (left over by another case?)");
	snprintf(cmd, sizeof(cmd),
		 "modprobe dsmil_core backend=%s && modprobe dsmil_dmalock_test",
		 backend);
	if (system(cmd))
		fail("cannot load: %s", cmd);
	atexit(unload);
}

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
	struct dmalock_test_lock lk = {
		.uaddr = (uintptr_t)addr, .len = len, .dir = dir, .token = TOKEN,
	};
	int ret = dl_ioctl(fd, DMALOCK_TEST_LOCK, &lk);

	if (!ret && handle)
		*handle = lk.handle;
	return ret;
}

static inline int dl_unlock(int fd, uint32_t handle)
{
	return dl_ioctl(fd, DMALOCK_TEST_UNLOCK, &handle);
}

static inline int dl_query(int fd, uint32_t handle, struct dmalock_test_query *q)
{
	memset(q, 0, sizeof(*q));
	q->handle = handle;
	return dl_ioctl(fd, DMALOCK_TEST_QUERY, q);
}

static inline int dl_xfer(int fd, uint32_t handle, uint64_t off, uint32_t dev_off,
		   uint64_t len, int dir)
{
	struct dmalock_test_xfer x = {
		.handle = handle, .offset = off, .dev_offset = dev_off,
		.len = len, .dir = dir,
	};

	return dl_ioctl(fd, DMALOCK_TEST_XFER, &x);
}

static inline int dl_claim(int fd, int mode, int flags, uint32_t timeout_ms)
{
	struct dmalock_test_claim c = {
		.token = TOKEN, .mode = mode, .flags = flags,
		.timeout_ms = timeout_ms,
	};

	return dl_ioctl(fd, DMALOCK_TEST_CLAIM, &c);
}

static inline int dl_release(int fd)
{
	uint16_t token = TOKEN;

	return dl_ioctl(fd, DMALOCK_TEST_RELEASE, &token);
}

static inline struct dmalock_test_stats dl_stats(void)
{
	struct dmalock_test_stats st;
	int fd = ctl_open();

	if (dl_ioctl(fd, DMALOCK_TEST_STATS, &st))
		fail("stats: %s", strerror(errno));
	close(fd);
	return st;
}

/* The counters of what is held now are back at zero (owners: none). */
static inline void expect_nothing_held(const char *when)
{
	struct dmalock_test_stats st = dl_stats();
	char what[128];

	/* dl_stats() opened an owner of its own, closed again. */
	snprintf(what, sizeof(what), "%s: locked_bytes", when);
	expect_eq(st.locked_bytes, 0, what);
	snprintf(what, sizeof(what), "%s: pinned_pages", when);
	expect_eq(st.pinned_pages, 0, what);
	snprintf(what, sizeof(what), "%s: handles", when);
	expect_eq(st.handles, 0, what);
	snprintf(what, sizeof(what), "%s: segments", when);
	expect_eq(st.segments, 0, what);
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

#endif /* _DMALOCK_LIB_H */
