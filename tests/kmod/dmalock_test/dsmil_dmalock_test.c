// SPDX-License-Identifier: GPL-2.0
/*
 * dsmil_dmalock_test - drives dsmil_dmalock's exported API for the VM
 * tests (tests/vm/cases/dmalock/) and the benchmark until the frontend
 * exists.  Test-only, never shipped.
 *
 * /sys/kernel/debug/dsmil_dmalock_test/ctl: each open file is one owner
 * (dsmil_dma_owner_create() at open, dsmil_dma_owner_release() at
 * release); the ioctls of dmalock_test.h call the API and fail with its
 * errno.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include <dsmil/build.h>
#include <dsmil/dmalock.h>
#include <dsmil_compat.h>

#include "dmalock_test.h"

DSMIL_IMPORT_NS();

#define TEST_MAX_SEGS	65536

static struct dentry *test_dir;

static int test_open(struct inode *inode, struct file *filp)
{
	struct dsmil_dma_owner *owner = dsmil_dma_owner_create(filp);

	if (IS_ERR(owner))
		return PTR_ERR(owner);
	filp->private_data = owner;
	return 0;
}

static int test_release(struct inode *inode, struct file *filp)
{
	dsmil_dma_owner_release(filp->private_data);
	return 0;
}

static long test_query(struct dsmil_dma_owner *owner, void __user *arg)
{
	struct dmalock_test_query q;
	struct dsmil_dma_lock_info info;
	struct dsmil_dma_segment *segs = NULL;
	unsigned int n;
	long ret;

	if (copy_from_user(&q, arg, sizeof(q)))
		return -EFAULT;
	n = min_t(u32, q.max_segs, TEST_MAX_SEGS);
	if (n) {
		segs = kvcalloc(n, sizeof(*segs), GFP_KERNEL);
		if (!segs)
			return -ENOMEM;
	}
	ret = dsmil_dma_query(owner, q.handle, &info, segs, n);
	if (ret)
		goto out_free;
	q.uaddr = info.uaddr;
	q.len = info.len;
	q.nr_pages = info.nr_pages;
	q.nr_segments = info.nr_segments;
	q.token = info.token;
	q.dir = info.dir;
	n = min(n, info.nr_segments);
	if (copy_to_user(arg, &q, sizeof(q)) ||
	    (n && copy_to_user(u64_to_user_ptr(q.segs), segs,
			       n * sizeof(*segs))))
		ret = -EFAULT;
out_free:
	kvfree(segs);
	return ret;
}

static long test_ioctl(struct file *filp, unsigned int cmd, unsigned long arg)
{
	struct dsmil_dma_owner *owner = filp->private_data;
	void __user *uarg = (void __user *)arg;
	struct dmalock_test_lock lk;
	struct dmalock_test_sync sy;
	struct dmalock_test_xfer xf;
	struct dmalock_test_claim cl;
	struct dmalock_test_stats ts;
	struct dsmil_dma_stats st;
	u32 handle;
	u16 token;
	long ret;

	switch (cmd) {
	case DMALOCK_TEST_LOCK:
		if (copy_from_user(&lk, uarg, sizeof(lk)))
			return -EFAULT;
		ret = dsmil_dma_lock(owner, lk.uaddr, lk.len, lk.dir, lk.token,
				     &lk.handle);
		if (!ret && copy_to_user(uarg, &lk, sizeof(lk)))
			ret = -EFAULT;	/* the lock stays: owner release frees it */
		return ret;
	case DMALOCK_TEST_UNLOCK:
		if (get_user(handle, (u32 __user *)uarg))
			return -EFAULT;
		return dsmil_dma_unlock(owner, handle);
	case DMALOCK_TEST_SYNC:
		if (copy_from_user(&sy, uarg, sizeof(sy)))
			return -EFAULT;
		return dsmil_dma_sync(owner, sy.handle, sy.dir);
	case DMALOCK_TEST_QUERY:
		return test_query(owner, uarg);
	case DMALOCK_TEST_XFER:
		if (copy_from_user(&xf, uarg, sizeof(xf)))
			return -EFAULT;
		return dsmil_dma_xfer(owner, xf.handle, xf.offset, xf.dev_offset,
				      xf.len, xf.dir);
	case DMALOCK_TEST_CLAIM:
		if (copy_from_user(&cl, uarg, sizeof(cl)))
			return -EFAULT;
		return dsmil_dma_claim(owner, cl.token, cl.mode, cl.flags,
				       cl.timeout_ms);
	case DMALOCK_TEST_RELEASE:
		if (get_user(token, (u16 __user *)uarg))
			return -EFAULT;
		return dsmil_dma_release_claim(owner, token);
	case DMALOCK_TEST_STATS:
		dsmil_dma_get_stats(&st);
		BUILD_BUG_ON(sizeof(ts) != sizeof(st));
		memcpy(&ts, &st, sizeof(ts));
		return copy_to_user(uarg, &ts, sizeof(ts)) ? -EFAULT : 0;
	default:
		return -ENOTTY;
	}
}

static const struct file_operations test_fops = {
	.owner = THIS_MODULE,
	.open = test_open,
	.release = test_release,
	.unlocked_ioctl = test_ioctl,
};

static int __init test_init(void)
{
	test_dir = debugfs_create_dir(KBUILD_MODNAME, NULL);
	debugfs_create_file("ctl", 0600, test_dir, NULL, &test_fops);
	return 0;
}

static void __exit test_exit(void)
{
	debugfs_remove_recursive(test_dir);
}

module_init(test_init);
module_exit(test_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("The dsmil developers");
MODULE_DESCRIPTION("dsmil test-only: drives the dsmil_dmalock API from userspace");
MODULE_VERSION(DSMIL_VERSION);
DSMIL_MODULE_INFO();
