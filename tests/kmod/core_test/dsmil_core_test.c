// SPDX-License-Identifier: GPL-2.0
/*
 * dsmil_core_test - drives dsmil_core's exported API for the VM tests
 * (tests/vm/cases/core/).  Test-only, never shipped.
 *
 * One debugfs file, /sys/kernel/debug/dsmil_core_test/cmd.  Writing a
 * command runs it: a failing call makes write() fail with its errno; the
 * result of the last successful command is what reading the file returns.
 * Numbers accept C prefixes (0x...).
 *
 *   read TOKEN OFF            -> "0x%08x"
 *   write TOKEN OFF VAL
 *   hold TOKEN                keep a reference until "release" or unload
 *   release TOKEN
 *   find GROUP INDEX          -> "0x%04x" (token)
 *   window TOKEN              -> "phys=%pa size=%llu"
 *   dmasize TOKEN             -> "%zu"
 *   dma TOKEN OFF LEN SEED    DMA a pattern to the device and back,
 *                             compare (-EILSEQ on mismatch) -> "ok"
 *   dmasg TOKEN OFF LEN SEED  the same through a two-entry scatterlist
 *   dmaread TOKEN OFF LEN     one DMA from the device alone -> "ok"
 *   count                     -> "devices=%u" (dsmil_device_iterate)
 *   events                    -> "add=%u remove=%u irq=%u last_irq=0x%x"
 *   thermal                   -> "state=%s temp=%d emergencies=%u clears=%u
 *                                unknowns=%u refuses=%d"
 *   bound                     -> "%u" (devices bound to our driver)
 *   bench TOKEN N             N reads and N writes of offset 0x0c through
 *                             the API and, if the window is mappable,
 *                             through a raw ioremap of it -> "first_ns=..
 *                             api_read_ns=.. api_write_ns=.. raw_read_ns=..
 *                             raw_write_ns=.." (per access; first_ns is the
 *                             first API read, a chunk's first touch on a
 *                             freshly loaded platform backend)
 *
 * TOKEN is looked up with dsmil_device_find() unless it is held, in which
 * case the held reference is used (so a held device of a removed
 * controller answers -ENODEV).  An unknown token gives -ENOENT.
 *
 * With bind=1 the module also registers a dsmil driver for token 0x8001
 * and for (group 1, index 2).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/io.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include <dsmil/build.h>
#include <dsmil/core.h>
#include <dsmil_compat.h>

DSMIL_IMPORT_NS();

static bool bind;
module_param(bind, bool, 0444);
MODULE_PARM_DESC(bind, "Register a dsmil driver for token 0x8001 and (1, 2) (default: no)");

#define MAX_HELD 16

static DEFINE_MUTEX(test_lock);
static char result[160];
static struct dsmil_device *held[MAX_HELD];
static struct dentry *test_dir;

static atomic_t ev_add, ev_remove, ev_irq, ev_last_irq;
static atomic_t th_emergencies, th_clears, th_unknowns, drv_bound;

static int test_dev_event(struct notifier_block *nb, unsigned long action,
			  void *data)
{
	struct dsmil_event_data *ev = data;

	switch (action) {
	case DSMIL_EVENT_ADD:
		atomic_inc(&ev_add);
		break;
	case DSMIL_EVENT_REMOVE:
		atomic_inc(&ev_remove);
		break;
	case DSMIL_EVENT_IRQ:
		atomic_inc(&ev_irq);
		atomic_set(&ev_last_irq, ev->value);
		break;
	}
	return NOTIFY_OK;
}

static struct notifier_block test_dev_nb = {
	.notifier_call = test_dev_event,
};

static int test_thermal_event(struct notifier_block *nb, unsigned long action,
			      void *data)
{
	if (action == DSMIL_THERMAL_EMERGENCY)
		atomic_inc(&th_emergencies);
	else if (action == DSMIL_THERMAL_UNKNOWN)
		atomic_inc(&th_unknowns);
	else
		atomic_inc(&th_clears);
	return NOTIFY_OK;
}

static struct notifier_block test_thermal_nb = {
	.notifier_call = test_thermal_event,
};

static int test_probe(struct dsmil_device *ddev, const struct dsmil_device_id *id)
{
	atomic_inc(&drv_bound);
	dev_info(&ddev->dev, "bound (token %#x)\n", ddev->token);
	return 0;
}

static void test_remove(struct dsmil_device *ddev)
{
	atomic_dec(&drv_bound);
}

static const struct dsmil_device_id test_ids[] = {
	{ .match_flags = DSMIL_MATCH_TOKEN, .token = 0x8001 },
	{ .match_flags = DSMIL_MATCH_GROUP | DSMIL_MATCH_INDEX,
	  .group = 1, .index = 2 },
	{ }
};

static struct dsmil_driver test_driver = {
	.driver.name = "dsmil_core_test",
	.id_table = test_ids,
	.probe = test_probe,
	.remove = test_remove,
};

static int held_slot(u16 token)
{
	int i;

	for (i = 0; i < MAX_HELD; i++)
		if (held[i] && held[i]->token == token)
			return i;
	return -1;
}

/* A reference on @token: the held one, else a fresh lookup (*fresh set). */
static struct dsmil_device *test_get(u16 token, bool *fresh)
{
	int i = held_slot(token);

	*fresh = i < 0;
	return i < 0 ? dsmil_device_find(token) : held[i];
}

static int test_parse_args(char *buf, u32 *v, int max)
{
	char *tok;
	int n = 0;

	while ((tok = strsep(&buf, " \t\n"))) {
		if (!*tok)
			continue;
		if (n == max || kstrtou32(tok, 0, &v[n]))
			return -EINVAL;
		n++;
	}
	return n;
}

/* One transfer from the device alone: what a quarantined device is refused. */
static int test_dma_read(struct dsmil_device *ddev, u32 off, u32 len)
{
	u8 *in;
	int ret;

	if (!len || len > PAGE_SIZE)
		return -EINVAL;
	in = kmalloc(len, GFP_KERNEL);
	if (!in)
		return -ENOMEM;
	ret = dsmil_dev_dma(ddev, DSMIL_DMA_FROM_DEVICE, off, in, len);
	kfree(in);
	return ret;
}

static int test_dma(struct dsmil_device *ddev, u32 off, u32 len, u32 seed,
		    bool sg)
{
	struct scatterlist sgl[2];
	u8 *out, *in;
	u32 i, half;
	int ret;

	if (!len || len > PAGE_SIZE)
		return -EINVAL;
	out = kmalloc(len, GFP_KERNEL);
	in = kzalloc(len, GFP_KERNEL);
	if (!out || !in) {
		ret = -ENOMEM;
		goto out_free;
	}
	for (i = 0; i < len; i++)
		out[i] = seed + i;

	if (!sg) {
		ret = dsmil_dev_dma(ddev, DSMIL_DMA_TO_DEVICE, off, out, len);
		if (!ret)
			ret = dsmil_dev_dma(ddev, DSMIL_DMA_FROM_DEVICE, off, in,
					    len);
	} else {
		half = len / 2;
		sg_init_table(sgl, 2);
		sg_set_buf(&sgl[0], out, half);
		sg_set_buf(&sgl[1], out + half, len - half);
		ret = dsmil_dev_dma_sg(ddev, DSMIL_DMA_TO_DEVICE, off, sgl, 2,
				       len);
		if (!ret) {
			sg_init_table(sgl, 2);
			sg_set_buf(&sgl[0], in, half);
			sg_set_buf(&sgl[1], in + half, len - half);
			ret = dsmil_dev_dma_sg(ddev, DSMIL_DMA_FROM_DEVICE, off,
					       sgl, 2, len);
		}
	}
	if (!ret && memcmp(out, in, len))
		ret = -EILSEQ;
out_free:
	kfree(in);
	kfree(out);
	return ret;
}

/*
 * Cost per call of @n calls of @op, best of three rounds after a warm-up
 * round: under TCG the first executions of a code path pay for its
 * translation, and the machine is noisy.
 */
#define BENCH_ROUNDS 3
#define bench_best(n, op) ({						\
	u64 __best = U64_MAX, __t;					\
	u32 __r, __i;							\
	for (__r = 0; __r <= BENCH_ROUNDS; __r++) {			\
		__t = ktime_get_ns();					\
		for (__i = 0; __i < (n); __i++)				\
			op;						\
		__t = ktime_get_ns() - __t;				\
		if (__r && __t < __best)				\
			__best = __t;					\
	}								\
	div_u64(__best, (n));						\
})

static int test_bench(struct dsmil_device *ddev, u32 n)
{
	u64 t, first, api_r, api_w, raw_r = 0, raw_w = 0;
	struct dsmil_window win;
	void __iomem *raw;
	int ret, err = 0;
	u32 v;

	if (!n)
		return -EINVAL;
	t = ktime_get_ns();
	ret = dsmil_dev_read32(ddev, 0x0c, &v);
	first = ktime_get_ns() - t;
	if (ret)
		return ret;

	api_r = bench_best(n, err |= dsmil_dev_read32(ddev, 0x0c, &v));
	api_w = bench_best(n, err |= dsmil_dev_write32(ddev, 0x0c, v));
	if (err)
		return -EIO;

	if (!dsmil_dev_window(ddev, &win)) {
		raw = ioremap(win.phys, PAGE_SIZE);
		if (!raw)
			return -ENOMEM;
		raw_r = bench_best(n, v = readl(raw + 0x0c));
		raw_w = bench_best(n, writel(v, raw + 0x0c));
		iounmap(raw);
	}
	snprintf(result, sizeof(result),
		 "first_ns=%llu api_read_ns=%llu api_write_ns=%llu raw_read_ns=%llu raw_write_ns=%llu",
		 first, api_r, api_w, raw_r, raw_w);
	return 0;
}

static int count_one(struct dsmil_device *ddev, void *data)
{
	(*(unsigned int *)data)++;
	return 0;
}

/* Runs one command; test_lock held. */
static int test_run(char *buf)
{
	struct dsmil_device *ddev = NULL;
	struct dsmil_window win;
	char *op = strsep(&buf, " \t\n");
	bool fresh = false;
	u32 a[4], val;
	size_t size;
	int n, ret, temp, slot;

	n = test_parse_args(buf ?: "", a, ARRAY_SIZE(a));
	if (n < 0)
		return n;

	if (!strcmp(op, "count")) {
		unsigned int count = 0;

		ret = dsmil_device_iterate(count_one, &count);
		snprintf(result, sizeof(result), "devices=%u", count);
		return ret;
	}
	if (!strcmp(op, "events")) {
		snprintf(result, sizeof(result),
			 "add=%d remove=%d irq=%d last_irq=0x%x",
			 atomic_read(&ev_add), atomic_read(&ev_remove),
			 atomic_read(&ev_irq), atomic_read(&ev_last_irq));
		return 0;
	}
	if (!strcmp(op, "thermal")) {
		enum dsmil_thermal_state st = dsmil_thermal_status(&temp);
		static const char *const names[] = { "ok", "emergency", "unknown" };

		snprintf(result, sizeof(result),
			 "state=%s temp=%d emergencies=%d clears=%d",
			 st < ARRAY_SIZE(names) ? names[st] : "?", temp,
			 atomic_read(&th_emergencies), atomic_read(&th_clears));
		/* Only when there is something to say: older cases match the rest. */
		if (atomic_read(&th_unknowns) || st == DSMIL_THERMAL_UNKNOWN)
			snprintf(result + strlen(result),
				 sizeof(result) - strlen(result),
				 " unknowns=%d refuses=%d",
				 atomic_read(&th_unknowns),
				 dsmil_thermal_refuses(st));
		return 0;
	}
	if (!strcmp(op, "bound")) {
		snprintf(result, sizeof(result), "%d", atomic_read(&drv_bound));
		return 0;
	}
	if (!strcmp(op, "find")) {
		if (n != 2)
			return -EINVAL;
		ddev = dsmil_device_find_by_pos(a[0], a[1]);
		if (!ddev)
			return -ENOENT;
		snprintf(result, sizeof(result), "0x%04x", ddev->token);
		dsmil_device_put(ddev);
		return 0;
	}

	/* Everything below takes a token first. */
	if (n < 1 || a[0] > U16_MAX)
		return -EINVAL;
	if (!strcmp(op, "release")) {
		slot = held_slot(a[0]);
		if (slot < 0)
			return -ENOENT;
		dsmil_device_put(held[slot]);
		held[slot] = NULL;
		return 0;
	}
	if (!strcmp(op, "hold")) {
		if (held_slot(a[0]) >= 0)
			return -EEXIST;
		for (slot = 0; slot < MAX_HELD && held[slot]; slot++)
			;
		if (slot == MAX_HELD)
			return -ENOSPC;
		held[slot] = dsmil_device_find(a[0]);
		return held[slot] ? 0 : -ENOENT;
	}

	ddev = test_get(a[0], &fresh);
	if (!ddev)
		return -ENOENT;
	ret = -EINVAL;
	if (!strcmp(op, "read") && n == 2) {
		ret = dsmil_dev_read32(ddev, a[1], &val);
		if (!ret)
			snprintf(result, sizeof(result), "0x%08x", val);
	} else if (!strcmp(op, "write") && n == 3) {
		ret = dsmil_dev_write32(ddev, a[1], a[2]);
	} else if (!strcmp(op, "window") && n == 1) {
		ret = dsmil_dev_window(ddev, &win);
		if (!ret)
			snprintf(result, sizeof(result), "phys=%pa size=%llu",
				 &win.phys, (unsigned long long)win.size);
	} else if (!strcmp(op, "dmasize") && n == 1) {
		ret = dsmil_dev_dma_size(ddev, &size);
		if (!ret)
			snprintf(result, sizeof(result), "%zu", size);
	} else if (!strcmp(op, "bench") && n == 2) {
		ret = test_bench(ddev, a[1]);
	} else if (!strcmp(op, "dmaread") && n == 3) {
		ret = test_dma_read(ddev, a[1], a[2]);
		if (!ret)
			snprintf(result, sizeof(result), "ok");
	} else if ((!strcmp(op, "dma") || !strcmp(op, "dmasg")) && n == 4) {
		ret = test_dma(ddev, a[1], a[2], a[3], op[3] == 's');
		if (!ret)
			snprintf(result, sizeof(result), "ok");
	}
	if (fresh)
		dsmil_device_put(ddev);
	return ret;
}

static ssize_t cmd_write(struct file *file, const char __user *ubuf,
			 size_t count, loff_t *ppos)
{
	char buf[96];
	int ret;

	if (count >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	buf[count] = '\0';

	mutex_lock(&test_lock);
	result[0] = '\0';
	ret = test_run(buf);
	mutex_unlock(&test_lock);
	return ret ? ret : count;
}

static ssize_t cmd_read(struct file *file, char __user *ubuf, size_t count,
			loff_t *ppos)
{
	char buf[sizeof(result) + 1];
	int len;

	mutex_lock(&test_lock);
	len = scnprintf(buf, sizeof(buf), "%s\n", result);
	mutex_unlock(&test_lock);
	return simple_read_from_buffer(ubuf, count, ppos, buf, len);
}

static const struct file_operations cmd_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.read = cmd_read,
	.write = cmd_write,
	.llseek = default_llseek,
};

static int __init dsmil_core_test_init(void)
{
	int ret;

	BUILD_BUG_ON(DSMIL_CORE_API_VERSION != 1);
	dsmil_register_device_notifier(&test_dev_nb);
	dsmil_register_thermal_notifier(&test_thermal_nb);
	if (bind) {
		ret = dsmil_driver_register(&test_driver);
		if (ret)
			goto err_unregister_notifiers;
	}
	test_dir = debugfs_create_dir(KBUILD_MODNAME, NULL);
	debugfs_create_file("cmd", 0600, test_dir, NULL, &cmd_fops);
	return 0;

err_unregister_notifiers:
	dsmil_unregister_thermal_notifier(&test_thermal_nb);
	dsmil_unregister_device_notifier(&test_dev_nb);
	return ret;
}

static void __exit dsmil_core_test_exit(void)
{
	int i;

	debugfs_remove_recursive(test_dir);
	for (i = 0; i < MAX_HELD; i++)
		dsmil_device_put(held[i]);
	if (bind)
		dsmil_driver_unregister(&test_driver);
	dsmil_unregister_thermal_notifier(&test_thermal_nb);
	dsmil_unregister_device_notifier(&test_dev_nb);
}

module_init(dsmil_core_test_init);
module_exit(dsmil_core_test_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("The dsmil developers");
MODULE_DESCRIPTION("dsmil test-only module: drives the dsmil_core API");
DSMIL_MODULE_INFO();
