// SPDX-License-Identifier: GPL-2.0
/*
 * dsmil_smi_kunit - KUnit suite dsmil_smi_rules for dsmil_smi, built from
 * modules/smi/rules.c: the token space, parameter values, batch shapes,
 * write windows and the rate limit.
 *
 * Test-only, never shipped; built only for a kernel with CONFIG_KUNIT.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include "smi/rules.c"

#include <kunit/test.h>
#include <linux/module.h>

static void rules_token_slot(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, smi_token_slot(DSMIL_TOKEN_BASE), 0);
	KUNIT_EXPECT_EQ(test, smi_token_slot(0x8053), 0x53);
	KUNIT_EXPECT_EQ(test, smi_token_slot(DSMIL_TOKEN_LAST), SMI_NR_TOKENS - 1);
	KUNIT_EXPECT_EQ(test, smi_token_slot(DSMIL_TOKEN_BASE - 1), -ENOENT);
	KUNIT_EXPECT_EQ(test, smi_token_slot(DSMIL_TOKEN_LAST + 1), -ENOENT);
	KUNIT_EXPECT_EQ(test, smi_token_slot(0), -ENOENT);
	KUNIT_EXPECT_EQ(test, smi_token_slot(0xffff), -ENOENT);
}

static void rules_parse_uint(struct kunit *test)
{
	unsigned int v = 7;

	KUNIT_EXPECT_EQ(test, smi_parse_uint("100", 50, 200, &v), 0);
	KUNIT_EXPECT_EQ(test, v, 100);
	KUNIT_EXPECT_EQ(test, smi_parse_uint("0x32", 50, 200, &v), 0);
	KUNIT_EXPECT_EQ(test, v, 50);
	KUNIT_EXPECT_EQ(test, smi_parse_uint("200\n", 50, 200, &v), 0);
	KUNIT_EXPECT_EQ(test, v, 200);

	v = 7;
	KUNIT_EXPECT_EQ(test, smi_parse_uint("49", 50, 200, &v), -EINVAL);
	KUNIT_EXPECT_EQ(test, smi_parse_uint("201", 50, 200, &v), -EINVAL);
	KUNIT_EXPECT_EQ(test, smi_parse_uint("", 0, 200, &v), -EINVAL);
	KUNIT_EXPECT_EQ(test, smi_parse_uint("-1", 0, UINT_MAX, &v), -EINVAL);
	KUNIT_EXPECT_EQ(test, smi_parse_uint("1e2", 0, 200, &v), -EINVAL);
	KUNIT_EXPECT_EQ(test, smi_parse_uint("4294967296", 0, UINT_MAX, &v),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, smi_parse_uint(" 100", 0, 200, &v), -EINVAL);
	KUNIT_EXPECT_EQ(test, v, 7);	/* untouched on error */
	KUNIT_EXPECT_EQ(test, smi_parse_uint("0", 0, 0, &v), 0);
	KUNIT_EXPECT_EQ(test, v, 0);
}

static void rules_batch_check(struct kunit *test)
{
	struct dsmil_smi_op ops[DSMIL_SMI_BATCH_MAX + 1] = {};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ops); i++)
		ops[i].opcode = i % 2 ? DSMIL_SMI_OP_WRITE : DSMIL_SMI_OP_READ;
	KUNIT_EXPECT_EQ(test, smi_batch_check(ops, 1), 0);
	KUNIT_EXPECT_EQ(test, smi_batch_check(ops, DSMIL_SMI_BATCH_MAX), 0);
	KUNIT_EXPECT_EQ(test, smi_batch_check(ops, DSMIL_SMI_BATCH_MAX + 1),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, smi_batch_check(ops, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, smi_batch_check(NULL, 1), -EINVAL);
	/* One unknown opcode anywhere spoils the batch. */
	ops[DSMIL_SMI_BATCH_MAX - 1].opcode = 2;
	KUNIT_EXPECT_EQ(test, smi_batch_check(ops, DSMIL_SMI_BATCH_MAX), -EINVAL);
	KUNIT_EXPECT_EQ(test, smi_batch_check(ops, DSMIL_SMI_BATCH_MAX - 1), 0);
}

static void rules_window(struct kunit *test)
{
	u64 now = 1000 * NSEC_PER_SEC;

	KUNIT_EXPECT_FALSE(test, smi_window_open(0, now));
	KUNIT_EXPECT_FALSE(test, smi_window_open(now - 1, now));
	KUNIT_EXPECT_FALSE(test, smi_window_open(now, now));
	KUNIT_EXPECT_TRUE(test, smi_window_open(now + 1, now));
	/* Locked at boot time 0 too: 0 means locked, not "ended at 0". */
	KUNIT_EXPECT_FALSE(test, smi_window_open(0, 0));

	KUNIT_EXPECT_EQ(test, smi_window_remaining_ms(0, now), 0);
	KUNIT_EXPECT_EQ(test, smi_window_remaining_ms(now, now), 0);
	KUNIT_EXPECT_EQ(test, smi_window_remaining_ms(now - NSEC_PER_SEC, now), 0);
	/* At least 1 ms while open, else rounded down. */
	KUNIT_EXPECT_EQ(test, smi_window_remaining_ms(now + 1, now), 1);
	KUNIT_EXPECT_EQ(test, smi_window_remaining_ms(now + 2500000, now), 2);
	KUNIT_EXPECT_EQ(test, smi_window_remaining_ms(now + 60 * NSEC_PER_SEC, now),
			60000);
	KUNIT_EXPECT_EQ(test, smi_window_remaining_ms(now + 3600 * NSEC_PER_SEC, now),
			3600000);
}

/* Ops the limiter lets through at @now before refusing one. */
static unsigned int burst(u64 *tat, u64 now, unsigned int max)
{
	unsigned int n = 0;

	while (n <= 2 * max && !smi_rate_gcra(tat, now, max))
		n++;
	return n;
}

static void rules_rate_limit(struct kunit *test)
{
	u64 now = 5 * NSEC_PER_SEC, tat = 0, before;
	unsigned int i;

	/* 0: no limit, no state. */
	for (i = 0; i < 10000; i++)
		KUNIT_ASSERT_EQ(test, smi_rate_gcra(&tat, now, 0), 0);
	KUNIT_EXPECT_EQ(test, tat, 0);

	/* A burst of one second's worth, then one op per interval. */
	KUNIT_EXPECT_EQ(test, burst(&tat, now, 1000), 1000);
	before = tat;
	KUNIT_EXPECT_EQ(test, smi_rate_gcra(&tat, now, 1000), -EAGAIN);
	KUNIT_EXPECT_EQ(test, tat, before);	/* a refusal costs nothing */
	KUNIT_EXPECT_EQ(test, burst(&tat, now + NSEC_PER_MSEC, 1000), 1);
	KUNIT_EXPECT_EQ(test, burst(&tat, now + NSEC_PER_MSEC + NSEC_PER_MSEC / 2,
				    1000), 0);
	/* Idle for a second: a full burst again, not more. */
	KUNIT_EXPECT_EQ(test, burst(&tat, now + 3 * NSEC_PER_SEC, 1000), 1000);

	tat = 0;
	KUNIT_EXPECT_EQ(test, burst(&tat, now, 1), 1);
	KUNIT_EXPECT_EQ(test, burst(&tat, now + NSEC_PER_SEC - 1, 1), 0);
	KUNIT_EXPECT_EQ(test, burst(&tat, now + NSEC_PER_SEC, 1), 1);

	/* Intervals that do not divide a second: never more than max. */
	tat = 0;
	KUNIT_EXPECT_EQ(test, burst(&tat, now, 3), 3);
	tat = 0;
	KUNIT_EXPECT_EQ(test, burst(&tat, now, 100000), 100000);
}

static struct kunit_case rules_cases[] = {
	KUNIT_CASE(rules_token_slot),
	KUNIT_CASE(rules_parse_uint),
	KUNIT_CASE(rules_batch_check),
	KUNIT_CASE(rules_window),
	KUNIT_CASE(rules_rate_limit),
	{}
};

static struct kunit_suite rules_suite = {
	.name = "dsmil_smi_rules",
	.test_cases = rules_cases,
};

kunit_test_suites(&rules_suite);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("The dsmil developers");
MODULE_DESCRIPTION("dsmil test-only module: KUnit suite of dsmil_smi");
MODULE_VERSION(DSMIL_VERSION);
DSMIL_MODULE_INFO();
