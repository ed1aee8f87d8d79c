// SPDX-License-Identifier: GPL-2.0
/*
 * ctl.c - /dev/dsmil/ctl: open, release and the ioctl dispatcher.
 *
 * Every command is a table entry (struct dsmil_fe_cmd) in info.c, regs.c,
 * token.c or dma.c.  The dispatcher does what all commands share, in this
 * order: unknown command -ENOTTY; the capability the command needs
 * (-EPERM) and a file opened for writing (-EBADF); kernel lockdown for raw
 * writes (-EPERM); the extensible argument struct (-EFAULT, -EINVAL,
 * -E2BIG); for commands with side effects and results, that the results
 * can be written back (-EFAULT) before anything happens.  Then the command
 * checks its flags and reserved fields (-EINVAL) and runs.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/compat.h>
#include <linux/security.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "frontend.h"

/* Room for the argument struct of any command. */
union dsmil_fe_args {
	struct dsmil_info_args info;
	struct dsmil_dev_list_args dev_list;
	struct dsmil_reg_args reg;
	struct dsmil_batch_args batch;
	struct dsmil_token_args token;
	struct dsmil_token_info_args token_info;
	struct dsmil_unlock_args unlock;
	struct dsmil_verify_args verify;
	struct dsmil_dma_lock_args dma_lock;
	struct dsmil_dma_handle_args dma_handle;
	struct dsmil_dma_sync_args dma_sync;
	struct dsmil_dma_query_args dma_query;
	struct dsmil_dma_xfer_args dma_xfer;
	struct dsmil_dma_claim_args dma_claim;
	struct dsmil_thermal_args thermal;
	struct dsmil_stats_args stats;
};

static const struct {
	const struct dsmil_fe_cmd *cmds;
	const unsigned int *nr;
} dsmil_fe_cmd_tables[] = {
	{ dsmil_fe_info_cmds, &dsmil_fe_nr_info_cmds },
	{ dsmil_fe_reg_cmds, &dsmil_fe_nr_reg_cmds },
	{ dsmil_fe_token_cmds, &dsmil_fe_nr_token_cmds },
	{ dsmil_fe_dma_cmds, &dsmil_fe_nr_dma_cmds },
};

static const struct dsmil_fe_cmd *dsmil_fe_find_cmd(unsigned int cmd)
{
	unsigned int t, i;

	for (t = 0; t < ARRAY_SIZE(dsmil_fe_cmd_tables); t++)
		for (i = 0; i < *dsmil_fe_cmd_tables[t].nr; i++)
			if (dsmil_fe_cmd_tables[t].cmds[i].cmd == cmd)
				return &dsmil_fe_cmd_tables[t].cmds[i];
	return NULL;
}

/**
 * dsmil_fe_check_write() - may this caller change things through this file
 * @filp: the ctl file
 * @cap: the capability the operation needs
 *
 * Return: 0; -EPERM without @cap; -EBADF if @filp is not open for writing.
 */
int dsmil_fe_check_write(struct file *filp, int cap)
{
	if (!capable(cap)) {
		dsmil_fe_count(refused_perm);
		return -EPERM;
	}
	if (!(filp->f_mode & FMODE_WRITE))
		return -EBADF;
	return 0;
}

/**
 * dsmil_fe_check_lockdown() - refuse raw writes under kernel lockdown
 *
 * Register and token writes change the hardware behind the kernel's back,
 * as /dev/mem does, and are refused for the same reason; so are locking a
 * buffer for DMA and moving it (a device reading and writing memory).
 *
 * Return: 0, or -EPERM in integrity (or confidentiality) lockdown.
 */
int dsmil_fe_check_lockdown(void)
{
	int ret = security_locked_down(LOCKDOWN_DEV_MEM);

	if (ret)
		dsmil_fe_count(refused_lockdown);
	return ret;
}

/*
 * Copy in an extensible argument struct: @ksize bytes the kernel knows,
 * at least @ver0 from the caller, whose own size is the first field.
 */
static int dsmil_fe_args_in(void *karg, size_t ksize, size_t ver0,
			    void __user *uarg, u32 *usize)
{
	u32 size;
	int ret;

	if (get_user(size, (u32 __user *)uarg))
		return -EFAULT;
	ret = dsmil_fe_args_size(size, ver0);
	if (ret)
		return ret;
	ret = copy_struct_from_user(karg, ksize, uarg, size);
	if (ret)
		return ret;
	*usize = size;
	return 0;
}

/**
 * dsmil_fe_array_in() - copy in an array of structs with the caller's stride
 * @karr: room for @n entries of @ksize bytes
 * @ksize: the kernel's size of an entry
 * @uarr: the caller's array
 * @stride: the caller's entry size, from dsmil_fe_entry_size()
 * @n: number of entries
 *
 * Each entry is copied as an extensible struct (copy_struct_from_user()):
 * the bytes of a longer entry the kernel does not know must be zero.
 *
 * Return: 0, -EFAULT or -E2BIG (an unknown byte not zero).
 */
int dsmil_fe_array_in(void *karr, size_t ksize, const void __user *uarr,
		      size_t stride, u32 n)
{
	const u8 __user *src = uarr;
	u8 *dst = karr;
	u32 i;
	int ret;

	if (stride == ksize)
		return copy_from_user(karr, uarr, n * ksize) ? -EFAULT : 0;
	for (i = 0; i < n; i++, dst += ksize, src += stride) {
		ret = copy_struct_from_user(dst, ksize, src, stride);
		if (ret)
			return ret;
	}
	return 0;
}

/**
 * dsmil_fe_array_out() - copy out an array of structs with the caller's stride
 * @uarr: the caller's array
 * @stride: the caller's entry size, from dsmil_fe_entry_size()
 * @karr: @n entries of @ksize bytes
 * @ksize: the kernel's size of an entry
 * @n: number of entries
 * @clear_tail: zero each entry's bytes past @ksize (an output-only array);
 *	else they are left alone (an in/out array, whose tail was zero)
 *
 * Return: 0 or -EFAULT.
 */
int dsmil_fe_array_out(void __user *uarr, size_t stride, const void *karr,
		       size_t ksize, u32 n, bool clear_tail)
{
	size_t part = min(stride, ksize);
	const u8 *src = karr;
	u8 __user *dst = uarr;
	u32 i;

	if (stride == ksize)
		return copy_to_user(uarr, karr, n * ksize) ? -EFAULT : 0;
	for (i = 0; i < n; i++, src += ksize, dst += stride) {
		if (copy_to_user(dst, src, part))
			return -EFAULT;
		if (clear_tail && stride > part &&
		    clear_user(dst + part, stride - part))
			return -EFAULT;
	}
	return 0;
}

static long dsmil_fe_ctl_ioctl(struct file *filp, unsigned int cmd,
			       unsigned long arg)
{
	void __user *uarg = (void __user *)arg;
	const struct dsmil_fe_cmd *c;
	union dsmil_fe_args args;
	size_t out;
	u32 usize;
	int ret;

	dsmil_fe_count(ioctls);
	c = dsmil_fe_find_cmd(cmd);
	if (!c)
		return -ENOTTY;
	if (WARN_ON_ONCE(c->size > sizeof(args)))
		return -ENOTTY;
	if (c->cap) {
		ret = dsmil_fe_check_write(filp, c->cap);
		if (ret)
			return ret;
	}
	if (c->flags & DSMIL_FE_CMD_LOCKDOWN) {
		ret = dsmil_fe_check_lockdown();
		if (ret)
			return ret;
	}
	ret = dsmil_fe_args_in(&args, c->size, c->size_ver0, uarg, &usize);
	if (ret)
		return ret;
	out = min_t(size_t, usize, c->size);
	/* Nothing may happen that the caller cannot hear about. */
	if ((c->flags & DSMIL_FE_CMD_EFFECTS) && (c->flags & DSMIL_FE_CMD_OUT) &&
	    copy_to_user(uarg, &args, out))
		return -EFAULT;
	ret = c->fn(filp, &args);
	if (ret || !(c->flags & DSMIL_FE_CMD_OUT))
		return ret;
	if (copy_to_user(uarg, &args, out))
		return -EFAULT;
	return 0;
}

static int dsmil_fe_ctl_open(struct inode *inode, struct file *filp)
{
	struct dsmil_fe_ctl *ctl;
	int ret;

	/* About 8 KiB an open file: charged to the opener's memory cgroup. */
	ctl = kvzalloc(sizeof(*ctl), GFP_KERNEL_ACCOUNT);
	if (!ctl)
		return -ENOMEM;
	filp->private_data = ctl;
	ret = dsmil_fe_dma_open(ctl, filp);
	if (ret)
		goto err_free_ctl;
	dsmil_fe_events_add(ctl);
	return stream_open(inode, filp);

err_free_ctl:
	kvfree(ctl);
	return ret;
}

static int dsmil_fe_ctl_release(struct inode *inode, struct file *filp)
{
	struct dsmil_fe_ctl *ctl = filp->private_data;

	dsmil_fe_events_del(ctl);
	dsmil_fe_dma_release(ctl);
	/* An event fan-out may still be walking past it (events.c). */
	kvfree_rcu(ctl, rcu);
	return 0;
}

static ssize_t dsmil_fe_ctl_read(struct file *filp, char __user *buf,
				 size_t count, loff_t *ppos)
{
	return dsmil_fe_events_read(filp->private_data, filp, buf, count);
}

static __poll_t dsmil_fe_ctl_poll(struct file *filp,
				  struct poll_table_struct *wait)
{
	return dsmil_fe_events_poll(filp->private_data, filp, wait);
}

const struct file_operations dsmil_fe_ctl_fops = {
	.owner = THIS_MODULE,
	.open = dsmil_fe_ctl_open,
	.release = dsmil_fe_ctl_release,
	.read = dsmil_fe_ctl_read,
	.poll = dsmil_fe_ctl_poll,
	.unlocked_ioctl = dsmil_fe_ctl_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
};
