// SPDX-License-Identifier: GPL-2.0
/*
 * dsmil_kunit_selftest - proves that the harness turns a failing KUnit
 * test into a failing TAP test.  Suite dsmil_kunit_selftest: one case that
 * always passes, one that fails when the module is loaded with fail=1
 * (tests/debug/selftest checks both).
 *
 * Test-only, never shipped; built only for a kernel with CONFIG_KUNIT.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <kunit/test.h>
#include <linux/module.h>

#include <dsmil/build.h>

static bool fail;
module_param(fail, bool, 0444);
MODULE_PARM_DESC(fail, "Make selftest_fails_on_request fail (default: no)");

static void selftest_passes(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, 1 + 1, 2);
}

static void selftest_fails_on_request(struct kunit *test)
{
	KUNIT_EXPECT_FALSE_MSG(test, fail, "deliberate failure (fail=1)");
}

static struct kunit_case selftest_cases[] = {
	KUNIT_CASE(selftest_passes),
	KUNIT_CASE(selftest_fails_on_request),
	{}
};

static struct kunit_suite selftest_suite = {
	.name = "dsmil_kunit_selftest",
	.test_cases = selftest_cases,
};

kunit_test_suites(&selftest_suite);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("The dsmil developers");
MODULE_DESCRIPTION("dsmil test-only module: KUnit harness self-test");
MODULE_VERSION(DSMIL_VERSION);
DSMIL_MODULE_INFO();
