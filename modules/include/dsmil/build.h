/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Build-type helpers shared by every module of the suite.
 *
 * The default build is a debug build (the Makefile defines DEBUG and
 * DSMIL_DEBUG): pr_debug() is live and DSMIL_ASSERT() checks its condition.
 * "make RELEASE=1" defines DSMIL_BUILD_RELEASE instead and every assertion
 * compiles to nothing.
 */
#ifndef _DSMIL_BUILD_H
#define _DSMIL_BUILD_H

#include <linux/bug.h>
#include <linux/module.h>

#ifndef DSMIL_VERSION
#error "DSMIL_VERSION must come from the VERSION file through the Makefile"
#endif

#ifdef DSMIL_DEBUG
#define DSMIL_BUILD_TYPE "debug"
/* Warns once, with the condition text in the splat, and evaluates to it. */
#define DSMIL_ASSERT(cond) WARN_ONCE(!(cond), "dsmil assertion failed: %s\n", #cond)
#else
#define DSMIL_BUILD_TYPE "release"
#define DSMIL_ASSERT(cond) BUILD_BUG_ON_INVALID(cond)
#endif

/*
 * Build type in modinfo ("dsmil_build: debug|release").  Every module of the
 * suite also says MODULE_VERSION(DSMIL_VERSION), next to its license.
 */
#define DSMIL_MODULE_INFO()	MODULE_INFO(dsmil_build, DSMIL_BUILD_TYPE)

#endif /* _DSMIL_BUILD_H */
