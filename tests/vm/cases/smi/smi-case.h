/* SPDX-License-Identifier: GPL-2.0 */
/*
 * smi-case.h - what the C cases of tests/vm/cases/smi/ share (not a case:
 * the harness compiles *.c only).  The cases drive dsmil_smi through the
 * frontend's UAPI only: ioctls on /dev/dsmil/ctl (<linux/dsmil.h>), linked
 * with nothing but libc.  They observe the service through its own sysfs
 * and debugfs files (stats, parameters, emu_calls, the audit ring), the
 * core's emulated sensor and the kernel log.  Each case loads the stack
 * with smi_load() and unloads it at exit.
 */
#ifndef SMI_CASE_H
#define SMI_CASE_H

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "../../../../modules/include/uapi/linux/dsmil.h"

#define CTL		"/dev/dsmil/ctl"
#define SMI_MOD		"/sys/module/dsmil_smi"
#define SMI_PAR		SMI_MOD "/parameters/"
#define SMI_STATS	SMI_MOD "/stats/"
#define SMI_DBG		"/sys/kernel/debug/dsmil_smi/"
#define CORE_TEMP	"/sys/kernel/debug/dsmil/emu_temp_mc"
#define CORE_TEMP_ERROR	"/sys/kernel/debug/dsmil/emu_temp_error"
#define STACK		"dsmil dsmil_dmalock dsmil_smi dsmil_core"

static inline void fail(const char *fmt, ...)
	__attribute__((format(printf, 1, 2), noreturn));

static inline void fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("FAIL: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(1);
}

static inline void note(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

static inline void note(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("# ", stdout);
	vprintf(fmt, ap);
	fputc('\n', stdout);
	va_end(ap);
	fflush(stdout);
}

#define expect_eq(got, want, what) do {					\
	long long __g = (long long)(got), __w = (long long)(want);	\
	if (__g != __w)							\
		fail("%s: got %lld (%#llx), expected %lld (%#llx)",	\
		     what, __g, __g, __w, __w);				\
} while (0)

/* A call's result, 0 or -errno, against the expected one. */
#define expect_ret(got, want, what) do {				\
	int __g = (got), __w = (want);					\
	if (__g != __w)							\
		fail("%s: %d (%s), expected %d (%s)", what, __g,	\
		     __g ? strerror(-__g) : "success", __w,		\
		     __w ? strerror(-__w) : "success");			\
} while (0)

static inline int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Run a shell command; its exit status (0 = success). */
static inline int sh(const char *fmt, ...)
{
	char cmd[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	fflush(stdout);
	fflush(stderr);
	return system(cmd);
}

static inline uint64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

/* ---- sysfs and debugfs ---- */

static inline uint64_t file_u64(const char *path)
{
	unsigned long long v;
	FILE *f = fopen(path, "r");

	if (!f || fscanf(f, "%llu", &v) != 1)
		fail("cannot read a number from %s", path);
	fclose(f);
	return v;
}

/* Write @val to @path; 0 or -errno. */
static inline int file_write(const char *path, const char *val)
{
	ssize_t n;
	int fd = open(path, O_WRONLY);

	if (fd < 0)
		return -errno;
	n = write(fd, val, strlen(val));
	n = n < 0 ? -errno : 0;
	close(fd);
	return n;
}

/* dsmil_smi's counter /sys/module/dsmil_smi/stats/@name. */
static inline uint64_t smi_stat(const char *name)
{
	char path[128];

	snprintf(path, sizeof(path), SMI_STATS "%s", name);
	return file_u64(path);
}

/* Ops of the emu transport that reached its token store since the load. */
static inline uint64_t emu_calls(void)
{
	return file_u64(SMI_DBG "emu_calls");
}

/* A runtime parameter write of dsmil_smi that must succeed. */
static inline void set_param(const char *name, const char *val)
{
	char path[128];
	int ret;

	snprintf(path, sizeof(path), SMI_PAR "%s", name);
	ret = file_write(path, val);
	if (ret)
		fail("cannot set %s=%s: %s", name, val, strerror(-ret));
}

/*
 * The value of NAME=VALUE on the guest kernel's command line (make check's
 * DSMIL_VM_APPEND), else @def (tests/vm/lib.sh: cmdline_arg).
 */
static inline unsigned long cmdline_ulong(const char *name, unsigned long def)
{
	char line[4096], *tok, *save = NULL;
	size_t len = strlen(name);
	FILE *f = fopen("/proc/cmdline", "r");

	if (!f)
		return def;
	if (!fgets(line, sizeof(line), f))
		line[0] = '\0';
	fclose(f);
	for (tok = strtok_r(line, " \n", &save); tok; tok = strtok_r(NULL, " \n", &save))
		if (!strncmp(tok, name, len) && tok[len] == '=')
			return strtoul(tok + len + 1, NULL, 0);
	return def;
}

/* Make the emulated sensor's reads fail with errno @err (0: read again). */
static inline void set_sensor_error(int err)
{
	char buf[16];
	int ret;

	snprintf(buf, sizeof(buf), "%d", err);
	ret = file_write(CORE_TEMP_ERROR, buf);
	if (ret)
		fail("cannot set %s to %d: %s", CORE_TEMP_ERROR, err, strerror(-ret));
}

/* The emulated sensor of dsmil_core, in m°C. */
static inline void set_temp(int mc)
{
	char buf[16];
	int ret;

	snprintf(buf, sizeof(buf), "%d", mc);
	ret = file_write(CORE_TEMP, buf);
	if (ret)
		fail("cannot set %s to %d: %s", CORE_TEMP, mc, strerror(-ret));
}

/* ---- the kernel log ---- */

static int dmesg_mark_line;

static inline int dmesg_lines(void)
{
	FILE *f = popen("\"$DSMIL_SRC/tests/vm/guest/klog\" --lines", "r");
	int n = -1;

	if (!f || fscanf(f, "%d", &n) != 1)
		fail("cannot read the kernel log");
	pclose(f);
	return n;
}

/* Remember where the kernel log is now. */
static inline void dmesg_mark(void)
{
	dmesg_mark_line = dmesg_lines();
}

/* Lines logged since the mark that match the extended regex @re. */
static inline int dmesg_count(const char *re)
{
	char mark[16];
	FILE *f;
	int n = -1;

	snprintf(mark, sizeof(mark), "%d", dmesg_mark_line);
	setenv("SMI_CASE_MARK", mark, 1);
	setenv("SMI_CASE_RE", re, 1);
	fflush(stdout);
	f = popen("\"$DSMIL_SRC/tests/vm/guest/klog\" --since \"$SMI_CASE_MARK\" | "
		  "grep -cE -- \"$SMI_CASE_RE\"", "r");
	if (!f || fscanf(f, "%d", &n) != 1)
		fail("cannot read the kernel log");
	pclose(f);
	return n;
}

static inline void expect_dmesg(const char *re, int count)
{
	int n = dmesg_count(re);

	if (n != count)
		fail("dmesg: '%s' seen %d times, expected %d", re, n, count);
}

/* ---- loading ---- */

static inline void smi_cleanup(void)
{
	int fd;

	if (!access(CORE_TEMP, W_OK))
		file_write(CORE_TEMP, "40000");
	/* Open files of ctl pin the frontend. */
	for (fd = 3; fd < 1024; fd++)
		close(fd);
	sh("for m in " STACK "; do [ ! -d /sys/module/$m ] || rmmod $m; done");
}

/*
 * The core on its emu backend, dsmil_smi with @params, the frontend (which
 * pulls in dsmil_dmalock); unloaded at exit.
 */
static inline void smi_load(const char *params)
{
	if (!access("/sys/module/dsmil_core", F_OK))
		fail("dsmil_core is already loaded (left over by another case?)");
	atexit(smi_cleanup);
	if (sh("modprobe dsmil_core backend=emu && modprobe dsmil_smi %s && "
	       "modprobe dsmil", params))
		fail("cannot load the stack with dsmil_smi %s", params);
	if (access(CTL, F_OK))
		fail("no %s after loading dsmil", CTL);
}

/* ---- the UAPI ---- */

static inline int ctl_open(void)
{
	int fd = open(CTL, O_RDWR | O_CLOEXEC);

	if (fd < 0)
		fail("open %s: %s", CTL, strerror(errno));
	return fd;
}

/* A file for the event stream; events queued after this open only. */
static inline int events_open(void)
{
	int fd = open(CTL, O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0)
		fail("open %s: %s", CTL, strerror(errno));
	return fd;
}

/* The next queued event: 0, or -EAGAIN when none is queued. */
static inline int event_next(int fd, struct dsmil_event_record *ev)
{
	ssize_t n = read(fd, ev, sizeof(*ev));

	if (n < 0)
		return -errno;
	if (n != sizeof(*ev))
		fail("event read of %zd bytes", n);
	return 0;
}

/* Each returns 0 or -errno. */
static inline int ioc(int fd, unsigned long cmd, void *arg)
{
	return ioctl(fd, cmd, arg) ? -errno : 0;
}

static inline int tok_read(int fd, uint16_t token, uint32_t *value)
{
	struct dsmil_token_args a = { .size = sizeof(a), .token = token };
	int ret = ioc(fd, DSMIL_IOC_TOKEN_READ, &a);

	if (!ret)
		*value = a.value;
	return ret;
}

static inline int tok_write(int fd, uint16_t token, uint32_t value)
{
	struct dsmil_token_args a = {
		.size = sizeof(a), .token = token, .value = value,
	};

	return ioc(fd, DSMIL_IOC_TOKEN_WRITE, &a);
}

/* @done (may be NULL) receives the number of ops attempted. */
static inline int tok_batch(int fd, struct dsmil_token_op *ops, uint32_t n,
			    uint32_t *done)
{
	struct dsmil_batch_args a = {
		.size = sizeof(a), .count = n, .ops = (uintptr_t)ops,
	};
	int ret = ioc(fd, DSMIL_IOC_TOKEN_BATCH, &a);

	if (!ret && done)
		*done = a.done;
	return ret;
}

static inline int tok_info(int fd, uint16_t token,
			   struct dsmil_token_info_args *info)
{
	memset(info, 0, sizeof(*info));
	info->size = sizeof(*info);
	info->token = token;
	return ioc(fd, DSMIL_IOC_TOKEN_INFO, info);
}

/* @remaining_ms (may be NULL) receives the time left in the window. */
static inline int tok_unlock(int fd, uint32_t group, uint32_t seconds,
			     uint32_t *remaining_ms)
{
	struct dsmil_unlock_args a = {
		.size = sizeof(a), .group = group, .seconds = seconds,
	};
	int ret = ioc(fd, DSMIL_IOC_UNLOCK, &a);

	if (!ret && remaining_ms)
		*remaining_ms = a.remaining_ms;
	return ret;
}

static inline int tok_relock(int fd, uint32_t group)
{
	struct dsmil_unlock_args a = { .size = sizeof(a), .group = group };

	return ioc(fd, DSMIL_IOC_RELOCK, &a);
}

static inline int tok_verify(int fd)
{
	struct dsmil_verify_args a = { .size = sizeof(a) };

	return ioc(fd, DSMIL_IOC_VERIFY, &a);
}

static inline struct dsmil_stats_args smi_stats(int fd)
{
	struct dsmil_stats_args s = { .size = sizeof(s) };
	int ret = ioc(fd, DSMIL_IOC_STATS, &s);

	if (ret)
		fail("DSMIL_IOC_STATS: %s", strerror(-ret));
	return s;
}

/* Batch op initializers. */
static inline struct dsmil_token_op op_read(uint16_t token)
{
	return (struct dsmil_token_op){ .token = token, .op = DSMIL_OP_READ };
}

static inline struct dsmil_token_op op_write(uint16_t token, uint32_t value)
{
	return (struct dsmil_token_op){
		.token = token, .op = DSMIL_OP_WRITE, .value = value,
	};
}

/* The ops' results, "r0,r1,..." into @buf. */
static inline const char *batch_results(const struct dsmil_token_op *ops,
					uint32_t n, char *buf, size_t len)
{
	size_t off = 0;
	uint32_t i;

	buf[0] = '\0';
	for (i = 0; i < n && off < len; i++)
		off += snprintf(buf + off, len - off, "%s%d", i ? "," : "",
				ops[i].result);
	return buf;
}

/* Every result of a batch against "r0,r1,...". */
static inline void expect_results(const struct dsmil_token_op *ops, uint32_t n,
				  const char *want, const char *what)
{
	char got[1024];

	batch_results(ops, n, got, sizeof(got));
	if (strcmp(got, want))
		fail("%s: results %s, expected %s", what, got, want);
}

#endif /* SMI_CASE_H */
