/* SPDX-License-Identifier: GPL-2.0 */
/*
 * case-check.h: the expectation check of the VM test cases written in C.
 * check() counts and reports a failed expectation and the case goes on;
 * the case exits non-zero at the end when "failures" is not 0.
 */
#ifndef DSMIL_CASE_CHECK_H
#define DSMIL_CASE_CHECK_H

#include <stdarg.h>
#include <stdio.h>

static int failures;

static inline void check(int cond, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Count and report a failed expectation; the case goes on. */
static inline void check(int cond, const char *fmt, ...)
{
	va_list ap;

	if (cond)
		return;
	failures++;
	fputs("FAIL: ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fputc('\n', stdout);
	fflush(stdout);
}

#endif /* DSMIL_CASE_CHECK_H */
