// SPDX-License-Identifier: GPL-2.0
/*
 * dsmil_hello - the smallest module of the dsmil suite.
 *
 * It is the template for a new module (Documentation/dev/adding-a-module.rst):
 * pr_fmt prefix, the suite's build header, module metadata that
 * scripts/ko-check insists on, and a validated parameter.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/module.h>
#include <linux/moduleparam.h>

#include <dsmil/build.h>

static unsigned int repeat = 1;
module_param(repeat, uint, 0444);
MODULE_PARM_DESC(repeat, "How many times to log the init line (1-8, default 1)");

static int __init dsmil_hello_init(void)
{
	unsigned int i;

	if (repeat < 1 || repeat > 8) {
		pr_err("invalid repeat=%u: allowed range 1-8\n", repeat);
		return -EINVAL;
	}

	for (i = 0; i < repeat; i++)
		pr_info("init\n");
	pr_debug("debug build, version %s\n", DSMIL_VERSION);
	return 0;
}

static void __exit dsmil_hello_exit(void)
{
	/*
	 * repeat is read-only in sysfs, so it still holds the value validated
	 * at init.  Debug builds check such invariants; release builds compile
	 * DSMIL_ASSERT() away.
	 */
	DSMIL_ASSERT(repeat >= 1 && repeat <= 8);
	pr_info("exit\n");
}

module_init(dsmil_hello_init);
module_exit(dsmil_hello_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("The dsmil developers");
MODULE_DESCRIPTION("dsmil sample module: logs init and exit");
MODULE_VERSION(DSMIL_VERSION);
DSMIL_MODULE_INFO();
