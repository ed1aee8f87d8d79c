// SPDX-License-Identifier: GPL-2.0
/*
 * regs.c - register access through ctl: DSMIL_IOC_REG_READ,
 * DSMIL_IOC_REG_WRITE and DSMIL_IOC_REG_BATCH.
 *
 * Reads are open to anyone who can open ctl.  Writes need CAP_SYS_RAWIO, a
 * file open for writing and no kernel lockdown; the core refuses them for
 * quarantined devices (-EPERM) and during a thermal emergency (-EHOSTDOWN).
 * A token no device has is -ENOENT.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "frontend.h"

/**
 * dsmil_fe_reg_read() - dsmil_dev_read32() through a node, counted
 * @node: the node (a reference held)
 * @offset: register offset
 * @val: receives the value
 *
 * Runs under node->lock: never after the driver's remove returned.
 *
 * Context: process context.
 * Return: -ENODEV once the node is gone; else as dsmil_dev_read32().
 */
int dsmil_fe_reg_read(struct dsmil_fe_node *node, u32 offset, u32 *val)
{
	int ret = -ENODEV;

	down_read(&node->lock);
	if (!node->gone)
		ret = dsmil_dev_read32(node->ddev, offset, val);
	up_read(&node->lock);
	dsmil_fe_count(reg_reads);
	if (ret)
		dsmil_fe_count(reg_errors);
	return ret;
}

/**
 * dsmil_fe_reg_write() - dsmil_dev_write32() through a node, counted
 * @node: the node (a reference held)
 * @offset: register offset
 * @val: the value
 *
 * Runs under node->lock: never after the driver's remove returned.
 *
 * Context: process context.
 * Return: -ENODEV once the node is gone; else as dsmil_dev_write32().
 */
int dsmil_fe_reg_write(struct dsmil_fe_node *node, u32 offset, u32 val)
{
	int ret = -ENODEV;

	down_read(&node->lock);
	if (!node->gone)
		ret = dsmil_dev_write32(node->ddev, offset, val);
	up_read(&node->lock);
	dsmil_fe_count(reg_writes);
	if (ret)
		dsmil_fe_count(reg_errors);
	return ret;
}

static int dsmil_fe_ioc_reg_read(struct file *filp, void *p)
{
	struct dsmil_reg_args *a = p;
	struct dsmil_fe_node *node;
	int ret;

	if (a->flags || a->reserved0 || a->reserved1)
		return -EINVAL;
	node = dsmil_fe_node_get_token(a->token);
	if (!node)
		return -ENOENT;
	ret = dsmil_fe_reg_read(node, a->offset, &a->value);
	dsmil_fe_node_put(node);
	return ret;
}

static int dsmil_fe_ioc_reg_write(struct file *filp, void *p)
{
	struct dsmil_reg_args *a = p;
	struct dsmil_fe_node *node;
	int ret;

	if (a->flags || a->reserved0 || a->reserved1)
		return -EINVAL;
	node = dsmil_fe_node_get_token(a->token);
	if (!node)
		return -ENOENT;
	ret = dsmil_fe_reg_write(node, a->offset, a->value);
	dsmil_fe_node_put(node);
	return ret;
}

/* Runs validated ops; returns how many were attempted. */
static u32 dsmil_fe_reg_batch_run(struct dsmil_reg_op *ops, u32 count,
				  bool stop_on_error)
{
	struct dsmil_fe_node *node = NULL;
	bool stopped = false;
	u32 i, done = 0;
	int ret;

	for (i = 0; i < count; i++) {
		if (stopped || fatal_signal_pending(current)) {
			ops[i].result = -ECANCELED;
			continue;
		}
		if (!node || node->ddev->token != ops[i].token) {
			dsmil_fe_node_put(node);
			node = dsmil_fe_node_get_token(ops[i].token);
		}
		if (!node)
			ret = -ENOENT;
		else if (ops[i].op == DSMIL_OP_READ)
			ret = dsmil_fe_reg_read(node, ops[i].offset,
						&ops[i].value);
		else
			ret = dsmil_fe_reg_write(node, ops[i].offset,
						 ops[i].value);
		ops[i].result = ret;
		done++;
		stopped = ret && stop_on_error;
		cond_resched();
	}
	dsmil_fe_node_put(node);
	return done;
}

static int dsmil_fe_ioc_reg_batch(struct file *filp, void *p)
{
	struct dsmil_batch_args *a = p;
	void __user *uops = u64_to_user_ptr(a->ops);
	struct dsmil_reg_op *ops;
	bool writes = false;
	int ret, stride;
	u32 i;

	ret = dsmil_fe_check_batch(a, DSMIL_BATCH_STOP_ON_ERROR,
				   DSMIL_REG_BATCH_MAX);
	if (ret)
		return ret;
	stride = dsmil_fe_entry_size(a->entry_size,
				     DSMIL_REG_OP_ENTRY_SIZE_VER0);
	if (stride < 0)
		return stride;
	ops = kvmalloc_array(a->count, sizeof(*ops), GFP_KERNEL);
	if (!ops)
		return -ENOMEM;
	ret = dsmil_fe_array_in(ops, sizeof(*ops), uops, stride, a->count);
	if (ret)
		goto out_free;
	for (i = 0; i < a->count; i++) {
		ret = dsmil_fe_check_reg_op(&ops[i]);
		if (ret)
			goto out_free;
		writes |= ops[i].op == DSMIL_OP_WRITE;
	}
	if (writes) {
		ret = dsmil_fe_check_write(filp, CAP_SYS_RAWIO);
		if (!ret)
			ret = dsmil_fe_check_lockdown();
		if (ret)
			goto out_free;
	}
	/* The results go back into the same array: it must be writable. */
	ret = dsmil_fe_array_out(uops, stride, ops, sizeof(*ops), a->count,
				 false);
	if (ret)
		goto out_free;
	a->done = dsmil_fe_reg_batch_run(ops, a->count,
					 a->flags & DSMIL_BATCH_STOP_ON_ERROR);
	ret = dsmil_fe_array_out(uops, stride, ops, sizeof(*ops), a->count,
				 false);
out_free:
	kvfree(ops);
	return ret;
}

const struct dsmil_fe_cmd dsmil_fe_reg_cmds[] = {
	DSMIL_FE_CMD(DSMIL_IOC_REG_READ, struct dsmil_reg_args,
		     DSMIL_REG_SIZE_VER0, 0, DSMIL_FE_CMD_OUT,
		     dsmil_fe_ioc_reg_read),
	DSMIL_FE_CMD(DSMIL_IOC_REG_WRITE, struct dsmil_reg_args,
		     DSMIL_REG_SIZE_VER0, CAP_SYS_RAWIO, DSMIL_FE_CMD_LOCKDOWN,
		     dsmil_fe_ioc_reg_write),
	DSMIL_FE_CMD(DSMIL_IOC_REG_BATCH, struct dsmil_batch_args,
		     DSMIL_BATCH_SIZE_VER0, 0,
		     DSMIL_FE_CMD_OUT | DSMIL_FE_CMD_EFFECTS,
		     dsmil_fe_ioc_reg_batch),
};
const unsigned int dsmil_fe_nr_reg_cmds = ARRAY_SIZE(dsmil_fe_reg_cmds);

static_assert(sizeof(struct dsmil_reg_args) == DSMIL_REG_SIZE_VER0);
static_assert(sizeof(struct dsmil_reg_op) == DSMIL_REG_OP_ENTRY_SIZE_VER0);
static_assert(sizeof(struct dsmil_batch_args) == DSMIL_BATCH_SIZE_VER1);
