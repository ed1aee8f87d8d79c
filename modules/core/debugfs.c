// SPDX-License-Identifier: GPL-2.0
/*
 * debugfs.c - /sys/kernel/debug/dsmil/: the emulated temperature sensor
 * (emu_temp_mc, and emu_temp_error: the positive errno its reads fail
 * with, 0 for none; root read-write) and one directory per controller for
 * its backend's counters.  Debugfs is optional: failures are ignored.
 */
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/uaccess.h>

#include "core.h"

static struct dentry *dsmil_debugfs;

static ssize_t dsmil_emu_temp_read(struct file *file, char __user *ubuf,
				   size_t count, loff_t *ppos)
{
	char buf[16];
	int len;

	len = scnprintf(buf, sizeof(buf), "%d\n", dsmil_thermal_emu_get());
	return simple_read_from_buffer(ubuf, count, ppos, buf, len);
}

/* The guard has seen the new value when write() returns. */
static ssize_t dsmil_emu_temp_write(struct file *file,
				    const char __user *ubuf, size_t count,
				    loff_t *ppos)
{
	int temp, ret;

	ret = kstrtoint_from_user(ubuf, count, 0, &temp);
	if (ret)
		return ret;
	dsmil_thermal_emu_set(temp);
	return count;
}

static const struct file_operations dsmil_emu_temp_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.read = dsmil_emu_temp_read,
	.write = dsmil_emu_temp_write,
	.llseek = default_llseek,
};

static ssize_t dsmil_emu_error_read(struct file *file, char __user *ubuf,
				    size_t count, loff_t *ppos)
{
	char buf[16];
	int len;

	len = scnprintf(buf, sizeof(buf), "%d\n", dsmil_thermal_emu_get_error());
	return simple_read_from_buffer(ubuf, count, ppos, buf, len);
}

/* 0 or a positive errno (1-4095); the guard has seen it when write() returns. */
static ssize_t dsmil_emu_error_write(struct file *file,
				     const char __user *ubuf, size_t count,
				     loff_t *ppos)
{
	int err, ret;

	ret = kstrtoint_from_user(ubuf, count, 0, &err);
	if (ret)
		return ret;
	if (err < 0 || err >= MAX_ERRNO)
		return -EINVAL;
	dsmil_thermal_emu_set_error(err);
	return count;
}

static const struct file_operations dsmil_emu_error_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.read = dsmil_emu_error_read,
	.write = dsmil_emu_error_write,
	.llseek = default_llseek,
};

/**
 * dsmil_debugfs_root() - the dsmil debugfs directory
 *
 * Return: the dentry (possibly an error pointer, which debugfs accepts).
 */
struct dentry *dsmil_debugfs_root(void)
{
	return dsmil_debugfs;
}

/**
 * dsmil_debugfs_add_controller() - create the controller's directory
 * @ctrl: the controller; ctrl->debugfs gets the directory
 */
void dsmil_debugfs_add_controller(struct dsmil_controller *ctrl)
{
	ctrl->debugfs = debugfs_create_dir(dev_name(&ctrl->dev), dsmil_debugfs);
}

/**
 * dsmil_debugfs_remove_controller() - remove the controller's directory
 * @ctrl: the controller
 *
 * When this returns, no reader of the directory's files is running.
 */
void dsmil_debugfs_remove_controller(struct dsmil_controller *ctrl)
{
	debugfs_remove_recursive(ctrl->debugfs);
	ctrl->debugfs = NULL;
}

/**
 * dsmil_debugfs_init() - create /sys/kernel/debug/dsmil/
 */
void dsmil_debugfs_init(void)
{
	dsmil_debugfs = debugfs_create_dir("dsmil", NULL);
	debugfs_create_file("emu_temp_mc", 0600, dsmil_debugfs, NULL,
			    &dsmil_emu_temp_fops);
	debugfs_create_file("emu_temp_error", 0600, dsmil_debugfs, NULL,
			    &dsmil_emu_error_fops);
	debugfs_create_u32("emu_dma_delay_ms", 0600, dsmil_debugfs,
			   &dsmil_emu_dma_delay_ms);
}

/**
 * dsmil_debugfs_exit() - remove /sys/kernel/debug/dsmil/
 */
void dsmil_debugfs_exit(void)
{
	debugfs_remove_recursive(dsmil_debugfs);
}
