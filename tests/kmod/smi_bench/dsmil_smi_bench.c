// SPDX-License-Identifier: GPL-2.0
/*
 * dsmil_smi_bench - the in-kernel half of tests/bench/smi.sh: the per-op
 * cost of a token read through dsmil_smi's exported API, which only an
 * in-kernel caller can measure without the ioctl path around it.
 * Bench-only, never shipped, and nothing else: the VM tests drive the
 * service through the frontend's UAPI.
 *
 * One debugfs file, /sys/kernel/debug/dsmil_smi_bench/bench: writing N
 * times N reads of DSMIL_TOKEN_BASE one by one and N reads in batches of
 * DSMIL_SMI_BATCH_MAX (N >= DSMIL_SMI_BATCH_MAX); reading the file then
 * gives "single_ns=.. batch_ns=.. batch=64 retries=..": the cost per op,
 * each the best of three rounds after a warm-up round, and how many rounds
 * were run again because a busy host starved a call past timeout_ms
 * (-ETIMEDOUT, then -EBUSY until the transport is idle).  A write fails
 * with the errno of the call that failed.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include <dsmil/build.h>
#include <dsmil/core.h>
#include <dsmil/smi.h>
#include <dsmil_compat.h>

DSMIL_IMPORT_NS();

#define BENCH_ROUNDS	3
#define BENCH_RETRIES	10

static DEFINE_MUTEX(bench_lock);
static char bench_result[128];
static struct dentry *bench_dir;

static int bench_round(struct dsmil_smi_op *ops, u32 n, u32 nb, u64 *single,
		       u64 *batch)
{
	unsigned int i, j;
	int err = 0;
	u64 t;
	u32 v;

	t = ktime_get_ns();
	for (i = 0; i < n && !err; i++)
		err = dsmil_smi_token_read(DSMIL_TOKEN_BASE, &v);
	*single = ktime_get_ns() - t;

	t = ktime_get_ns();
	for (i = 0; i < nb && !err; i++) {
		for (j = 0; j < DSMIL_SMI_BATCH_MAX; j++) {
			ops[j].token = DSMIL_TOKEN_BASE + j % 8;
			ops[j].opcode = DSMIL_SMI_OP_READ;
		}
		err = dsmil_smi_batch(ops, DSMIL_SMI_BATCH_MAX);
	}
	*batch = ktime_get_ns() - t;
	return err;
}

/* Called with bench_lock held. */
static int bench_run(u32 n)
{
	u64 single, batch, best_single = U64_MAX, best_batch = U64_MAX;
	unsigned int r = 0, retries = 0;
	struct dsmil_smi_op *ops;
	int err = 0;
	u32 nb;

	if (n < DSMIL_SMI_BATCH_MAX)
		return -EINVAL;
	ops = kcalloc(DSMIL_SMI_BATCH_MAX, sizeof(*ops), GFP_KERNEL);
	if (!ops)
		return -ENOMEM;
	nb = n / DSMIL_SMI_BATCH_MAX;
	while (r <= BENCH_ROUNDS) {
		err = bench_round(ops, n, nb, &single, &batch);
		if (err == -ETIMEDOUT || err == -EBUSY) {
			if (++retries > BENCH_RETRIES)
				break;
			msleep(200);
			continue;
		}
		if (err)
			break;
		/* Round 0 is the warm-up. */
		if (r && single < best_single)
			best_single = single;
		if (r && batch < best_batch)
			best_batch = batch;
		r++;
	}
	kfree(ops);
	if (err)
		return err;
	snprintf(bench_result, sizeof(bench_result),
		 "single_ns=%llu batch_ns=%llu batch=%d retries=%u\n",
		 div_u64(best_single, n),
		 div_u64(best_batch, nb * DSMIL_SMI_BATCH_MAX),
		 DSMIL_SMI_BATCH_MAX, retries);
	return 0;
}

static ssize_t bench_write(struct file *file, const char __user *ubuf,
			   size_t count, loff_t *ppos)
{
	u32 n;
	int ret;

	ret = kstrtou32_from_user(ubuf, count, 0, &n);
	if (ret)
		return ret;
	mutex_lock(&bench_lock);
	bench_result[0] = '\0';
	ret = bench_run(n);
	mutex_unlock(&bench_lock);
	return ret ? ret : count;
}

static ssize_t bench_read(struct file *file, char __user *ubuf, size_t count,
			  loff_t *ppos)
{
	char buf[sizeof(bench_result)];
	size_t len;

	mutex_lock(&bench_lock);
	strscpy(buf, bench_result, sizeof(buf));
	len = strlen(buf);
	mutex_unlock(&bench_lock);
	return simple_read_from_buffer(ubuf, count, ppos, buf, len);
}

static const struct file_operations bench_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.read = bench_read,
	.write = bench_write,
	.llseek = default_llseek,
};

static int __init dsmil_smi_bench_init(void)
{
	BUILD_BUG_ON(DSMIL_SMI_API_VERSION != 1);
	bench_dir = debugfs_create_dir(KBUILD_MODNAME, NULL);
	debugfs_create_file("bench", 0600, bench_dir, NULL, &bench_fops);
	return 0;
}

static void __exit dsmil_smi_bench_exit(void)
{
	debugfs_remove_recursive(bench_dir);
}

module_init(dsmil_smi_bench_init);
module_exit(dsmil_smi_bench_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("The dsmil developers");
MODULE_DESCRIPTION("dsmil bench-only module: per-op cost of the dsmil_smi API");
MODULE_VERSION(DSMIL_VERSION);
DSMIL_MODULE_INFO();
