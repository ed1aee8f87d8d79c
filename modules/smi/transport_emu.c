// SPDX-License-Identifier: GPL-2.0
/*
 * transport_emu.c - the emulated transport: a token store in memory.
 *
 * Every token of DSMIL_TOKEN_BASE..DSMIL_TOKEN_LAST holds a u32, 0 at load.
 * Each op takes emu_latency_us (a sleep, so a long one looks like a
 * firmware call that does not return in time).  Debugfs, under
 * /sys/kernel/debug/dsmil_smi/:
 *
 *   emu_calls      ops that reached the store since the load (read-only):
 *                  what a test counts to prove nothing reached firmware
 *   emu_fail_next  the next N ops fail with -EIO (a firmware error status)
 *
 * Ops run one at a time in the service's worker, so the store needs no
 * lock; the counters are atomics because debugfs reads them anytime.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/kernel.h>

#include "internal.h"

#define SMI_EMU_SIGNATURE	0x44534d49	/* "DSMI" */

static u32 smi_emu_store[SMI_NR_TOKENS];
static u32 smi_emu_signature;
static atomic64_t smi_emu_ncalls;
static atomic_t smi_emu_fail_next;

/* Every op: count it, take the emulated time, maybe fail it. */
static int smi_emu_enter(void)
{
	unsigned int us = smi_param_emu_latency_us();

	atomic64_inc(&smi_emu_ncalls);
	if (us)
		fsleep(us);
	if (atomic_add_unless(&smi_emu_fail_next, -1, 0))
		return -EIO;
	return 0;
}

static int smi_emu_read(u16 token, u32 *value)
{
	int ret = smi_emu_enter();

	if (!ret)
		*value = smi_emu_store[token - DSMIL_TOKEN_BASE];
	return ret;
}

static int smi_emu_write(u16 token, u32 value)
{
	int ret = smi_emu_enter();

	if (!ret)
		smi_emu_store[token - DSMIL_TOKEN_BASE] = value;
	return ret;
}

static int smi_emu_verify(void)
{
	int ret = smi_emu_enter();

	if (!ret && READ_ONCE(smi_emu_signature) != SMI_EMU_SIGNATURE)
		ret = -EIO;
	return ret;
}

static int smi_emu_init(const char **why)
{
	memset(smi_emu_store, 0, sizeof(smi_emu_store));
	smi_emu_signature = SMI_EMU_SIGNATURE;
	atomic64_set(&smi_emu_ncalls, 0);
	atomic_set(&smi_emu_fail_next, 0);
	return 0;
}

const struct smi_transport_ops smi_transport_emu = {
	.name = "emu",
	.init = smi_emu_init,
	.read = smi_emu_read,
	.write = smi_emu_write,
	.verify = smi_emu_verify,
};

static int smi_emu_calls_get(void *data, u64 *val)
{
	*val = atomic64_read(&smi_emu_ncalls);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(smi_emu_calls_fops, smi_emu_calls_get, NULL,
			 "%llu\n");

static int smi_emu_fail_get(void *data, u64 *val)
{
	*val = atomic_read(&smi_emu_fail_next);
	return 0;
}

static int smi_emu_fail_set(void *data, u64 val)
{
	if (val > INT_MAX)
		return -EINVAL;
	atomic_set(&smi_emu_fail_next, val);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(smi_emu_fail_fops, smi_emu_fail_get,
			 smi_emu_fail_set, "%llu\n");

/**
 * smi_emu_debugfs_init() - the emu transport's debugfs files
 * @dir: the module's debugfs directory (may be an error pointer)
 *
 * Only created when the emu transport is the one in use.
 */
void smi_emu_debugfs_init(struct dentry *dir)
{
	debugfs_create_file_unsafe("emu_calls", 0400, dir, NULL,
				   &smi_emu_calls_fops);
	debugfs_create_file_unsafe("emu_fail_next", 0600, dir, NULL,
				   &smi_emu_fail_fops);
}
