/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fe-case.h - what the C cases of the frontend share (not a case: the
 * harness compiles *.c only).  Each case is one program, linked with
 * nothing but libc; it loads and unloads the modules itself.
 */
#ifndef FE_CASE_H
#define FE_CASE_H

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "../../../../modules/include/uapi/linux/dsmil.h"
#include "../case-check.h"

#define FE_CTL		"/dev/dsmil/ctl"
#define FE_UNLOAD	"rmmod dsmil dsmil_dmalock dsmil_smi dsmil_core"
#define FE_TEMP		"/sys/kernel/debug/dsmil/emu_temp_mc"

static inline int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Run a shell command; returns its exit status (0 = success). */
static inline int sh(const char *fmt, ...)
{
	char cmd[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	fflush(stdout);
	return system(cmd);
}

/* ioctl(2): 0 or errno. */
static inline int ioc(int fd, unsigned long cmd, void *arg)
{
	return ioctl(fd, cmd, arg) ? errno : 0;
}

static inline void expect(const char *what, int got, int want)
{
	check(got == want, "%s: errno %d (%s), expected %d (%s)", what, got,
	      strerror(got), want, strerror(want));
}

/* Unload whatever of the stack is still loaded (atexit: early exits too). */
static inline void fe_cleanup(void)
{
	int fd;

	/* Open nodes pin the modules. */
	for (fd = 3; fd < 1024; fd++)
		close(fd);
	sh("for m in dsmil dsmil_dmalock dsmil_smi dsmil_core; do "
	   "[ ! -d /sys/module/$m ] || rmmod $m; done");
}

/*
 * Accesses through a mapping that may fault: fe_catch_sigbus() once, then
 * fe_load() and fe_store() return 1 when the access raised SIGBUS (each
 * thread has its own jump buffer).
 */
static __thread sigjmp_buf fe_jump;
static __thread volatile sig_atomic_t fe_sigbus;

static inline void fe_on_sigbus(int sig)
{
	(void)sig;
	fe_sigbus = 1;
	siglongjmp(fe_jump, 1);
}

static inline void fe_catch_sigbus(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = fe_on_sigbus;
	sigaction(SIGBUS, &sa, NULL);
}

static inline int fe_load(volatile uint32_t *p, uint32_t *v)
{
	fe_sigbus = 0;
	if (!sigsetjmp(fe_jump, 1))
		*v = *p;
	return fe_sigbus;
}

static inline int fe_store(volatile uint32_t *p, uint32_t v)
{
	fe_sigbus = 0;
	if (!sigsetjmp(fe_jump, 1))
		*p = v;
	return fe_sigbus;
}

/* Device nodes in /dev/dsmil (ctl not counted). */
static inline int fe_count_nodes(void)
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

/* The verdict: exit status of the case. */
static inline int done(void)
{
	printf("%d failure(s)\n", failures);
	return failures ? 1 : 0;
}

#endif
