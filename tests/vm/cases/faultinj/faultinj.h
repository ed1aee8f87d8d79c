/* SPDX-License-Identifier: GPL-2.0 */
/*
 * faultinj.h - what the fault-injection cases share (not a case: the
 * harness compiles *.c only).
 *
 * Every allocation the suite's code makes fails in turn: failslab and
 * fail_page_alloc (Documentation/fault-injection/fault-injection.rst)
 * count, through this task's /proc/thread-self/fail-nth, only the
 * allocations with module code among the FI_DEPTH innermost frames of
 * their call stack (the stack filter: require-start/require-end is the
 * module area, and the debug kernel has everything else built in, so
 * module code is the suite's), and the nth of them fails.  That is the
 * suite's own allocations and those of the kernel functions it calls a
 * few calls deep, whose errors the suite must handle; the error paths
 * deep inside other subsystems are theirs to test.  A sweep runs one
 * syscall (a module load, an unload, an ioctl) with nth = 1, 2, 3, ...
 * until the syscall no longer reaches the nth allocation; after every run
 * the state must be whole again: a failed load leaves nothing registered,
 * an unload always succeeds, a failed ioctl holds nothing.  Leaks are
 * kmemleak's to find (the harness scans after the cases), splats the
 * harness's.
 *
 * Needs a kernel with fault injection (the debug kernel); elsewhere the
 * cases skip.  The allocation failures stay quiet (verbose=0).
 */
#ifndef FAULTINJ_H
#define FAULTINJ_H

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "../case-check.h"

/*
 * x86-64 module area without KASLR (Documentation/arch/x86/x86_64/mm.rst,
 * MODULES_VADDR with a 512 MiB kernel image); fi_check_area() makes sure
 * the suite's modules do lie in it.
 */
#define FI_AREA_START	0xffffffffa0000000UL
#define FI_AREA_END	0xffffffffff000000UL
/*
 * Kernel functions whose own error handling is broken when one of their
 * allocations fails, so no allocation under them is failed (the stack
 * filter's one reject range; fi_setup() rejects FI_KERNEL_BROKEN,
 * fi_reject() another):
 *  - 6.12's bus_register() releases the bus (bus_release():
 *    lockdep_unregister_key()) when it fails before it has registered the
 *    bus's lock class key, and lockdep warns;
 *  - 6.12's register_irq_proc() ignores a /proc/irq/N/<entry> it could not
 *    create, and unregister_irq_proc() warns ("name 'node'",
 *    remove_proc_entry()) when it frees the descriptor of an MSI vector.
 */
#define FI_KERNEL_BROKEN	"bus_register"
#define FI_KERNEL_BROKEN_IRQ	"register_irq_proc"
/*
 * Frames of an allocation's stack searched for the suite's code (the
 * kernel's default is 32: everything a module call leads to).
 */
#define FI_DEPTH	"10"
/* More allocations than that in one syscall means the sweep runs away. */
#define FI_MAX_NTH	20000

static const char *const fi_attrs[] = {
	"/sys/kernel/debug/failslab",
	"/sys/kernel/debug/fail_page_alloc",
};


static inline void fi_die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

static inline void fi_die(const char *fmt, ...)
{
	va_list ap;

	fputs("FAIL: ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fputc('\n', stdout);
	exit(1);
}

static inline int fi_sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Run a shell command; its exit status. */
static inline int fi_sh(const char *fmt, ...)
{
	char cmd[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	fflush(stdout);
	return system(cmd);
}

static inline void fi_write(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY);

	if (fd < 0 || write(fd, val, strlen(val)) != (ssize_t)strlen(val))
		fi_die("cannot write '%s' to %s: %s", val, path, strerror(errno));
	close(fd);
}

static inline void fi_attr(const char *attr, const char *file, const char *val)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", attr, file);
	fi_write(path, val);
}

/* This task's fail-nth: the nth suite allocation from now on fails. */
static inline void fi_set_nth(unsigned int nth)
{
	char buf[16];

	snprintf(buf, sizeof(buf), "%u", nth);
	fi_write("/proc/thread-self/fail-nth", buf);
}

/* What is left of the count: 0 once the nth allocation has failed. */
static inline unsigned int fi_left(void)
{
	char buf[16] = "";
	int fd = open("/proc/thread-self/fail-nth", O_RDONLY);

	if (fd < 0 || read(fd, buf, sizeof(buf) - 1) < 0)
		fi_die("cannot read fail-nth: %s", strerror(errno));
	close(fd);
	return strtoul(buf, NULL, 10);
}

static inline void fi_restore(void)
{
	unsigned int i;

	fi_set_nth(0);
	for (i = 0; i < sizeof(fi_attrs) / sizeof(fi_attrs[0]); i++) {
		fi_attr(fi_attrs[i], "reject-start", "0");
		fi_attr(fi_attrs[i], "reject-end", "0");
		fi_attr(fi_attrs[i], "require-start", "0");
		fi_attr(fi_attrs[i], "require-end", "0xffffffffffffffff");
		fi_attr(fi_attrs[i], "ignore-gfp-wait", "Y");
		fi_attr(fi_attrs[i], "stacktrace-depth", "32");
		fi_attr(fi_attrs[i], "verbose", "2");
	}
	fi_attr("/sys/kernel/debug/fail_page_alloc", "ignore-gfp-highmem", "Y");
	fi_attr("/sys/kernel/debug/fail_page_alloc", "min-order", "1");
}

/*
 * Fail no allocation with @sym (a kernel text symbol) on the stack: the
 * reject range is the symbol's code, up to the next text symbol.
 */
static inline void fi_reject(const char *sym)
{
	unsigned long addr, start = 0, end = ~0UL;
	char line[512], type, name[256], buf[32];
	FILE *f = fopen("/proc/kallsyms", "r");
	unsigned int i, pass;

	if (!f)
		fi_die("cannot read /proc/kallsyms: %s", strerror(errno));
	for (pass = 0; pass < 2; pass++) {
		rewind(f);
		while (fgets(line, sizeof(line), f)) {
			if (sscanf(line, "%lx %c %255s", &addr, &type, name) != 3 ||
			    (type != 'T' && type != 't'))
				continue;
			if (!pass && !strcmp(name, sym))
				start = addr;
			else if (pass && addr > start && addr < end)
				end = addr;
		}
		if (!start)
			fi_die("no text symbol %s in /proc/kallsyms", sym);
	}
	fclose(f);
	for (i = 0; i < sizeof(fi_attrs) / sizeof(fi_attrs[0]); i++) {
		snprintf(buf, sizeof(buf), "%#lx", end);
		fi_attr(fi_attrs[i], "reject-end", buf);
		snprintf(buf, sizeof(buf), "%#lx", start);
		fi_attr(fi_attrs[i], "reject-start", buf);
	}
}

/* Reject no function: every allocation under the suite's code counts. */
static inline void fi_reject_none(void)
{
	unsigned int i;

	for (i = 0; i < sizeof(fi_attrs) / sizeof(fi_attrs[0]); i++) {
		fi_attr(fi_attrs[i], "reject-start", "0");
		fi_attr(fi_attrs[i], "reject-end", "0");
	}
}

/* Point failslab and fail_page_alloc at the module area; skip without. */
static inline void fi_setup(void)
{
	char area[32];
	struct stat st;
	unsigned int i;

	for (i = 0; i < sizeof(fi_attrs) / sizeof(fi_attrs[0]); i++) {
		if (stat(fi_attrs[i], &st)) {
			printf("SKIP: the kernel has no %s (CONFIG_FAILSLAB, CONFIG_FAIL_PAGE_ALLOC, CONFIG_FAULT_INJECTION_DEBUG_FS)\n",
			       fi_attrs[i]);
			exit(77);
		}
	}
	if (stat("/proc/thread-self/fail-nth", &st)) {
		printf("SKIP: no /proc/thread-self/fail-nth\n");
		exit(77);
	}
	snprintf(area, sizeof(area), "%#lx", FI_AREA_START);
	for (i = 0; i < sizeof(fi_attrs) / sizeof(fi_attrs[0]); i++) {
		char path[256];

		snprintf(path, sizeof(path), "%s/require-start", fi_attrs[i]);
		if (stat(path, &st)) {
			printf("SKIP: no stack filter (CONFIG_FAULT_INJECTION_STACKTRACE_FILTER)\n");
			exit(77);
		}
		/* Only fail-nth injects: no random failures. */
		fi_attr(fi_attrs[i], "probability", "0");
		fi_attr(fi_attrs[i], "verbose", "0");
		fi_attr(fi_attrs[i], "ignore-gfp-wait", "N");
		fi_attr(fi_attrs[i], "stacktrace-depth", FI_DEPTH);
		fi_attr(fi_attrs[i], "require-start", area);
	}
	snprintf(area, sizeof(area), "%#lx", FI_AREA_END);
	for (i = 0; i < sizeof(fi_attrs) / sizeof(fi_attrs[0]); i++)
		fi_attr(fi_attrs[i], "require-end", area);
	fi_attr("/sys/kernel/debug/fail_page_alloc", "ignore-gfp-highmem", "N");
	fi_attr("/sys/kernel/debug/fail_page_alloc", "min-order", "0");
	atexit(fi_restore);
	fi_reject(FI_KERNEL_BROKEN);
}

static inline int fi_loaded(const char *mod)
{
	char path[256];
	struct stat st;

	snprintf(path, sizeof(path), "/sys/module/%s", mod);
	return !stat(path, &st);
}

/* The module's .text lies in the area the stack filter covers. */
static inline void fi_check_area(const char *mod)
{
	char path[256], buf[32] = "";
	unsigned long addr;
	int fd;

	snprintf(path, sizeof(path), "/sys/module/%s/sections/.text", mod);
	fd = open(path, O_RDONLY);
	if (fd < 0 || read(fd, buf, sizeof(buf) - 1) < 0)
		fi_die("cannot read %s: %s", path, strerror(errno));
	close(fd);
	addr = strtoul(buf, NULL, 16);
	if (addr < FI_AREA_START || addr >= FI_AREA_END)
		fi_die("%s's code at %#lx lies outside the module area %#lx-%#lx the stack filter covers",
		       mod, addr, FI_AREA_START, FI_AREA_END);
}

/* The module's reference count (modules using it, open files). */
static inline int fi_refcnt(const char *mod)
{
	char path[256], buf[16] = "";
	int fd;

	snprintf(path, sizeof(path), "/sys/module/%s/refcnt", mod);
	fd = open(path, O_RDONLY);
	if (fd < 0 || read(fd, buf, sizeof(buf) - 1) < 0)
		return -1;
	close(fd);
	return atoi(buf);
}

/* The module's file, as modprobe would load it (looked up once). */
static inline int fi_open_ko(const char *mod)
{
	static char name[64], path[512];
	char cmd[256];
	FILE *p;
	int fd;

	if (strcmp(name, mod)) {
		snprintf(cmd, sizeof(cmd), "modinfo -n %s", mod);
		p = popen(cmd, "r");
		if (!p || !fgets(path, sizeof(path), p))
			fi_die("modinfo -n %s failed", mod);
		pclose(p);
		path[strcspn(path, "\n")] = '\0';
		snprintf(name, sizeof(name), "%s", mod);
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		fi_die("cannot open %s: %s", path, strerror(errno));
	return fd;
}

static inline int fi_finit(int fd, const char *params)
{
	return syscall(SYS_finit_module, fd, params, 0) ? errno : 0;
}

static inline int fi_delete(const char *mod)
{
	return syscall(SYS_delete_module, mod, O_NONBLOCK) ? errno : 0;
}

/*
 * Load @mod with @params while the nth allocation fails (0: none).
 * Returns the errno of the load; *@left is what was left of the count
 * afterwards (0: the nth allocation happened, and failed).
 */
static inline int fi_load_nth(const char *mod, const char *params, unsigned int nth,
		       unsigned int *left)
{
	int fd = fi_open_ko(mod), err;

	fi_set_nth(nth);
	err = fi_finit(fd, params);
	*left = fi_left();
	fi_set_nth(0);
	close(fd);
	return err;
}

/* How many suite allocations a syscall makes: the count minus what is left. */
#define FI_COUNT_NTH	1000000

/*
 * check_clean(): what must hold after every run (nothing of a failed
 * load registered, the dependencies' reference counts back, ...).
 */
typedef void (*fi_check_fn)(const char *what);

/*
 * The allocations a sweep fails: every @stride-th from the offset on
 * (stride 1: every one).  DSMIL_FI_STRIDE overrides the case's stride and
 * DSMIL_FI_OFFSET the offset, which is otherwise the day number modulo the
 * stride: a strided sweep covers all allocations over @stride days.
 */
static inline void fi_stride(unsigned int *stride, unsigned int *offset)
{
	const char *s = getenv("DSMIL_FI_STRIDE"), *o = getenv("DSMIL_FI_OFFSET");

	if (s && atoi(s) > 0)
		*stride = atoi(s);
	if (*stride < 1)
		*stride = 1;
	*offset = o ? (unsigned int)atoi(o) : (unsigned int)(time(NULL) / 86400);
	*offset %= *stride;
}

/*
 * How many allocations (of those the filter counts) a load of @mod makes
 * when none fails; the module is unloaded again.
 */
static inline unsigned int fi_count_load(const char *mod, const char *params)
{
	unsigned int left;
	int err;

	err = fi_load_nth(mod, params, FI_COUNT_NTH, &left);
	if (err)
		fi_die("load %s %s: %s", mod, params, strerror(err));
	err = fi_delete(mod);
	if (err)
		fi_die("unload %s: %s", mod, strerror(err));
	return FI_COUNT_NTH - left;
}

/*
 * Sweep the load and the unload of @mod (its dependencies loaded): every
 * @stride-th allocation of the load (fi_stride()) from the @first on
 * fails once, in turn; a load that succeeds anyway is unloaded, which must
 * succeed.  Then the allocations of the unload fail in turn: the unload
 * must succeed all the same.  Returns the number of allocations failed
 * during loads.
 */
static inline unsigned int fi_sweep_load_from(const char *mod,
					      const char *params,
					      unsigned int first,
					      unsigned int stride,
					      fi_check_fn check_clean)
{
	unsigned int nth, offset, points = 0, failed = 0, survived = 0, left;
	int err, reached;
	char what[512];

	fi_stride(&stride, &offset);
	check(!fi_loaded(mod), "%s is loaded before the sweep", mod);
	for (nth = first + offset; nth <= FI_MAX_NTH; nth += stride) {
		err = fi_load_nth(mod, params, nth, &left);
		reached = !left;
		snprintf(what, sizeof(what), "load %s %s, allocation %u failing",
			 mod, params, nth);
		if (!err) {
			if (!points)
				fi_check_area(mod);
			err = fi_delete(mod);
			check(!err, "%s: rmmod failed: %s", what, strerror(err));
		}
		if (!reached) {
			check(!err, "load %s %s without a failure: %s", mod,
				 params, strerror(err));
			break;
		}
		points++;
		if (err)
			failed++;
		else
			survived++;
		check(!fi_loaded(mod), "%s: still loaded", what);
		if (check_clean)
			check_clean(what);
	}
	check(nth <= FI_MAX_NTH, "load %s: more than %d allocations", mod,
		 FI_MAX_NTH);
	printf("# load %s %s: %u of %u allocations failed in turn (from %u, stride %u, offset %u): %u failed the load, %u were survived\n",
	       mod, params, points, nth - 1, first, stride, offset, failed,
	       survived);

	/* The unload: it may not fail, whatever allocation fails. */
	for (nth = 1 + offset; nth <= FI_MAX_NTH; nth += stride) {
		err = fi_load_nth(mod, params, 0, &left);
		if (err)
			fi_die("load %s %s: %s", mod, params, strerror(err));
		fi_set_nth(nth);
		err = fi_delete(mod);
		reached = !fi_left();
		fi_set_nth(0);
		check(!err, "unload %s, allocation %u failing: %s", mod, nth,
			 strerror(err));
		if (err && !fi_delete(mod))
			err = 0;
		if (err)
			fi_die("%s cannot be unloaded", mod);
		if (!reached)
			break;
	}
	printf("# unload %s: %u allocations (stride %u, offset %u)\n", mod,
	       nth - 1, stride, offset);
	return points;
}

/*
 * The first allocation of a dsmil_core load after bus_register()'s (the
 * parameter checks before it allocate nothing): bus_register() makes the
 * difference between the load's count without and with it rejected
 * (fi_setup()), nothing failing.  A load's count may vary by an
 * allocation or so (lazily created kernel state), so after a first load
 * the difference is taken twice and the larger one counts: the sweep
 * starts after bus_register() for sure, at worst an allocation later
 * (those right after it are the backends' shared part, swept on emu).
 * Leaves no function rejected.
 */
static inline unsigned int fi_after_bus_register(const char *params)
{
	unsigned int i, with, without, skip = 0;

	fi_count_load("dsmil_core", params);
	for (i = 0; i < 2; i++) {
		fi_reject(FI_KERNEL_BROKEN);
		without = fi_count_load("dsmil_core", params);
		fi_reject_none();
		with = fi_count_load("dsmil_core", params);
		if (with <= without)
			fi_die("bus_register() made no allocation (%u with it, %u without)",
			       with, without);
		if (with - without > skip)
			skip = with - without;
		printf("# load dsmil_core %s: %u allocations, %u of them bus_register()'s\n",
		       params, with, with - without);
	}
	return skip + 1;
}

/* fi_sweep_load_from() from the first allocation on. */
static inline unsigned int fi_sweep_load(const char *mod, const char *params,
					 unsigned int stride,
					 fi_check_fn check_clean)
{
	return fi_sweep_load_from(mod, params, 1, stride, check_clean);
}

/*
 * Sample a load with many allocations (the default layout): count them,
 * then fail @samples of them spread over the whole load.
 */
static inline void fi_sample_load(const char *mod, const char *params,
			   unsigned int samples, fi_check_fn check_clean)
{
	unsigned int i, nth, points, left;
	char what[512];
	int err;

	err = fi_load_nth(mod, params, FI_COUNT_NTH, &left);
	if (err)
		fi_die("load %s %s: %s", mod, params, strerror(err));
	points = FI_COUNT_NTH - left;
	err = fi_delete(mod);
	if (err)
		fi_die("unload %s: %s", mod, strerror(err));
	for (i = 0; i < samples && points; i++) {
		nth = 1 + (unsigned int)((unsigned long)points * (2 * i + 1) /
					 (2 * samples));
		err = fi_load_nth(mod, params, nth, &left);
		snprintf(what, sizeof(what), "load %s %s, allocation %u of %u failing",
			 mod, params, nth, points);
		check(!left, "%s: not reached", what);
		if (!err) {
			err = fi_delete(mod);
			check(!err, "%s: rmmod failed: %s", what, strerror(err));
		}
		check(!fi_loaded(mod), "%s: still loaded", what);
		if (check_clean)
			check_clean(what);
	}
	printf("# load %s %s: %u allocations, %u of them failed in turn\n",
	       mod, params, points, samples);
}

/* After a failed dsmil_core load: no bus, no class, no debugfs left. */
static inline void fi_core_clean(const char *what)
{
	struct stat st;

	check(stat("/sys/bus/dsmil", &st), "%s: /sys/bus/dsmil left behind", what);
	check(stat("/sys/class/dsmil_controller", &st),
		 "%s: /sys/class/dsmil_controller left behind", what);
	check(stat("/sys/kernel/debug/dsmil", &st),
		 "%s: /sys/kernel/debug/dsmil left behind", what);
}

#endif /* FAULTINJ_H */
