// SPDX-License-Identifier: GPL-2.0
/*
 * devfile.c - /dev/dsmil/<device>: the device's 32-bit registers as a
 * file.  The file offset is the register offset; offsets and counts must
 * be multiples of 4.  Reads stop at the end of the window (end of file);
 * writes there fail with -ENOSPC.
 *
 * Opening for writing needs CAP_SYS_RAWIO and no kernel lockdown, like
 * /dev/mem; lockdown is checked again at every write, since it can be
 * raised at run time.  Register writes are refused by the core for
 * quarantined devices (-EPERM) and during a thermal emergency (-EHOSTDOWN).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/sched/signal.h>
#include <linux/security.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "frontend.h"

/* Registers moved per copy to or from userspace. */
#define DSMIL_FE_IO_REGS	32

static int dsmil_fe_dev_open(struct inode *inode, struct file *filp)
{
	struct dsmil_fe_node *node;
	struct dsmil_fe_file *f;
	int ret;

	node = dsmil_fe_node_get_minor(iminor(inode));
	if (!node)
		return -ENODEV;
	if (filp->f_mode & FMODE_WRITE) {
		if (!capable(CAP_SYS_RAWIO)) {
			dsmil_fe_count(refused_perm);
			ret = -EPERM;
			goto err_put_node;
		}
		ret = security_locked_down(LOCKDOWN_DEV_MEM);
		if (ret) {
			dsmil_fe_count(refused_lockdown);
			goto err_put_node;
		}
	}
	f = kzalloc(sizeof(*f), GFP_KERNEL_ACCOUNT);
	if (!f) {
		ret = -ENOMEM;
		goto err_put_node;
	}
	f->node = node;
	f->filp = filp;
	dsmil_device_get(node->ddev);
	mutex_lock(&node->files_lock);
	list_add(&f->link, &node->files);
	mutex_unlock(&node->files_lock);
	filp->private_data = f;
	return 0;

err_put_node:
	dsmil_fe_node_put(node);
	return ret;
}

static int dsmil_fe_dev_release(struct inode *inode, struct file *filp)
{
	struct dsmil_fe_file *f = filp->private_data;
	struct dsmil_fe_node *node = f->node;

	mutex_lock(&node->files_lock);
	list_del(&f->link);
	mutex_unlock(&node->files_lock);
	dsmil_device_put(node->ddev);
	kfree(f);
	dsmil_fe_node_put(node);
	return 0;
}

/* Checks shared by read and write; returns the bytes to move or -errno. */
static ssize_t dsmil_fe_dev_span(struct dsmil_fe_node *node, loff_t pos,
				 size_t count)
{
	struct dsmil_device *ddev = node->ddev;

	if (READ_ONCE(node->gone))
		return -ENODEV;
	if ((pos | count) & 3)
		return -EINVAL;
	if (ddev->absent)
		return -ENXIO;
	if (pos >= ddev->mmio_size)
		return 0;
	return min_t(size_t, count, ddev->mmio_size - pos);
}

static ssize_t dsmil_fe_dev_read(struct file *filp, char __user *buf,
				 size_t count, loff_t *ppos)
{
	struct dsmil_fe_file *f = filp->private_data;
	u32 regs[DSMIL_FE_IO_REGS];
	size_t done = 0, n, i;
	ssize_t len;
	int ret = 0;

	len = dsmil_fe_dev_span(f->node, *ppos, count);
	if (len <= 0)
		return len;
	while (done < len && !ret) {
		n = min_t(size_t, len - done, sizeof(regs));
		for (i = 0; i < n / 4; i++) {
			ret = dsmil_fe_reg_read(f->node,
						*ppos + done + i * 4, &regs[i]);
			if (ret)
				break;
		}
		n = i * 4;
		if (copy_to_user(buf + done, regs, n))
			ret = -EFAULT;
		else
			done += n;
		if (fatal_signal_pending(current))
			break;
		cond_resched();
	}
	*ppos += done;
	return done ? done : ret;
}

static ssize_t dsmil_fe_dev_write(struct file *filp, const char __user *buf,
				  size_t count, loff_t *ppos)
{
	struct dsmil_fe_file *f = filp->private_data;
	u32 regs[DSMIL_FE_IO_REGS];
	size_t done = 0, n, i;
	ssize_t len;
	int ret = 0;

	ret = security_locked_down(LOCKDOWN_DEV_MEM);
	if (ret) {
		dsmil_fe_count(refused_lockdown);
		return ret;
	}
	len = dsmil_fe_dev_span(f->node, *ppos, count);
	if (len < 0)
		return len;
	if (!len)
		return count ? -ENOSPC : 0;
	while (done < len && !ret) {
		n = min_t(size_t, len - done, sizeof(regs));
		if (copy_from_user(regs, buf + done, n)) {
			ret = -EFAULT;
			break;
		}
		for (i = 0; i < n / 4; i++) {
			ret = dsmil_fe_reg_write(f->node,
						 *ppos + done + i * 4, regs[i]);
			if (ret)
				break;
		}
		done += i * 4;
		if (fatal_signal_pending(current))
			break;
		cond_resched();
	}
	*ppos += done;
	return done ? done : ret;
}

static loff_t dsmil_fe_dev_llseek(struct file *filp, loff_t offset, int whence)
{
	struct dsmil_fe_file *f = filp->private_data;

	return fixed_size_llseek(filp, offset, whence, f->node->ddev->mmio_size);
}

const struct file_operations dsmil_fe_dev_fops = {
	.owner = THIS_MODULE,
	.open = dsmil_fe_dev_open,
	.release = dsmil_fe_dev_release,
	.read = dsmil_fe_dev_read,
	.write = dsmil_fe_dev_write,
	.llseek = dsmil_fe_dev_llseek,
	.mmap = dsmil_fe_mmap,
};
