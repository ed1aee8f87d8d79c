// SPDX-License-Identifier: GPL-2.0
/*
 * dsmil_selftest - proves that the VM harness notices kernel splats.
 *
 * Loaded with warn=1 it triggers a WARN() at init; tests/vm/selftest checks
 * that the harness fails the case that did it.  Test-only, never shipped.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bug.h>
#include <linux/module.h>

#include <dsmil/build.h>

static bool warn;
module_param(warn, bool, 0444);
MODULE_PARM_DESC(warn, "Trigger a WARN() at load (default: no)");

static int __init dsmil_selftest_init(void)
{
	WARN(warn, "dsmil_selftest: deliberate warning for the harness self-test\n");
	return 0;
}

static void __exit dsmil_selftest_exit(void)
{
}

module_init(dsmil_selftest_init);
module_exit(dsmil_selftest_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("The dsmil developers");
MODULE_DESCRIPTION("dsmil test-only module: VM harness self-test");
MODULE_VERSION(DSMIL_VERSION);
DSMIL_MODULE_INFO();
