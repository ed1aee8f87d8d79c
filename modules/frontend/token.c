// SPDX-License-Identifier: GPL-2.0
/*
 * token.c - firmware tokens through ctl (dsmil_smi): DSMIL_IOC_TOKEN_READ,
 * _WRITE, _BATCH, _INFO, DSMIL_IOC_UNLOCK, DSMIL_IOC_RELOCK and
 * DSMIL_IOC_VERIFY.
 *
 * Reads and token info are open to anyone who can open ctl.  The transport
 * self-check (VERIFY) calls the firmware without reading anything for the
 * caller: it needs CAP_SYS_RAWIO (what dell-smbios asks of a read of a
 * token it does not allow-list), on a file open for reading or writing,
 * and dsmil_smi runs the transport's deny-list on it as on a read.  Writes
 * need CAP_SYS_ADMIN, a file open for writing and no kernel lockdown;
 * unlock and relock need CAP_SYS_ADMIN and a file open for writing.  dsmil_smi applies its own policy on top (write window,
 * quarantine, thermal guard, rate limit, timeouts): its errnos come back
 * unchanged (include/dsmil/smi.h).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/ktime.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include <dsmil/smi.h>

#include "frontend.h"

static_assert(DSMIL_TOKEN_BATCH_MAX == DSMIL_SMI_BATCH_MAX);
static_assert(DSMIL_OP_READ == DSMIL_SMI_OP_READ);
static_assert(DSMIL_OP_WRITE == DSMIL_SMI_OP_WRITE);

/* A result no op has (results are 0 or a negative errno). */
#define DSMIL_FE_NO_RESULT	1

static int dsmil_fe_ioc_token_read(struct file *filp, void *p)
{
	struct dsmil_token_args *a = p;

	if (a->flags || a->reserved)
		return -EINVAL;
	return dsmil_smi_token_read(a->token, &a->value);
}

static int dsmil_fe_ioc_token_write(struct file *filp, void *p)
{
	struct dsmil_token_args *a = p;

	if (a->flags || a->reserved)
		return -EINVAL;
	return dsmil_smi_token_write(a->token, a->value);
}

static int dsmil_fe_ioc_token_batch(struct file *filp, void *p)
{
	struct dsmil_batch_args *a = p;
	void __user *uops = u64_to_user_ptr(a->ops);
	struct dsmil_token_op *ops;
	struct dsmil_smi_op *sops;
	bool writes = false;
	int ret, stride;
	u32 i;

	ret = dsmil_fe_check_batch(a, 0, DSMIL_TOKEN_BATCH_MAX);
	if (ret)
		return ret;
	stride = dsmil_fe_entry_size(a->entry_size,
				     DSMIL_TOKEN_OP_ENTRY_SIZE_VER0);
	if (stride < 0)
		return stride;
	ops = kmalloc_array(a->count, sizeof(*ops), GFP_KERNEL);
	sops = kcalloc(a->count, sizeof(*sops), GFP_KERNEL);
	if (!ops || !sops) {
		ret = -ENOMEM;
		goto out_free;
	}
	ret = dsmil_fe_array_in(ops, sizeof(*ops), uops, stride, a->count);
	if (ret)
		goto out_free;
	for (i = 0; i < a->count; i++) {
		ret = dsmil_fe_check_token_op(&ops[i]);
		if (ret)
			goto out_free;
		writes |= ops[i].op == DSMIL_OP_WRITE;
		sops[i].token = ops[i].token;
		sops[i].opcode = ops[i].op;
		sops[i].value = ops[i].value;
		sops[i].result = DSMIL_FE_NO_RESULT;
	}
	if (writes) {
		ret = dsmil_fe_check_write(filp, CAP_SYS_ADMIN);
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
	/*
	 * Op failures are in the results and the batch itself ran, unless
	 * dsmil_smi_batch() wrote no result at all (it could not allocate
	 * its request): that is the ioctl's error.
	 */
	ret = dsmil_smi_batch(sops, a->count);
	if (ret && sops[0].result == DSMIL_FE_NO_RESULT)
		goto out_free;
	a->done = 0;
	for (i = 0; i < a->count; i++) {
		ops[i].value = sops[i].value;
		ops[i].result = sops[i].result;
		if (sops[i].result != -ECANCELED)
			a->done++;
	}
	ret = dsmil_fe_array_out(uops, stride, ops, sizeof(*ops), a->count,
				 false);
out_free:
	kfree(sops);
	kfree(ops);
	return ret;
}

static int dsmil_fe_ioc_token_info(struct file *filp, void *p)
{
	struct dsmil_token_info_args *a = p;
	struct dsmil_smi_token_info info;
	int ret;

	if (a->flags || a->reserved)
		return -EINVAL;
	ret = dsmil_smi_token_info(a->token, &info);
	if (ret)
		return ret;
	a->group = info.group;
	a->index = info.index;
	a->token_flags = (info.quarantined ? DSMIL_TOKEN_QUARANTINED : 0) |
			 (info.unlocked ? DSMIL_TOKEN_UNLOCKED : 0);
	a->unlock_remaining_ms = dsmil_smi_unlock_remaining_ms(info.group);
	return 0;
}

static int dsmil_fe_ioc_unlock(struct file *filp, void *p)
{
	struct dsmil_unlock_args *a = p;
	int ret;

	if (a->flags || a->reserved)
		return -EINVAL;
	ret = dsmil_smi_unlock(a->group, a->seconds);
	if (ret)
		return ret;
	a->remaining_ms = dsmil_smi_unlock_remaining_ms(a->group);
	return 0;
}

static int dsmil_fe_ioc_relock(struct file *filp, void *p)
{
	struct dsmil_unlock_args *a = p;
	int ret = dsmil_fe_check_relock(a);

	if (ret)
		return ret;
	if (a->flags & DSMIL_RELOCK_ALL)
		dsmil_smi_relock_all();
	else
		ret = dsmil_smi_relock(a->group);
	a->remaining_ms = 0;
	return ret;
}

static int dsmil_fe_ioc_verify(struct file *filp, void *p)
{
	struct dsmil_verify_args *a = p;
	u64 start;
	int ret;

	if (a->flags)
		return -EINVAL;
	/* Changes nothing: a file open for reading will do. */
	if (!capable(CAP_SYS_RAWIO)) {
		dsmil_fe_count(refused_perm);
		return -EPERM;
	}
	start = ktime_get_ns();
	ret = dsmil_smi_verify();
	a->latency_ns = ktime_get_ns() - start;
	strscpy(a->transport, dsmil_smi_transport_name(), sizeof(a->transport));
	return ret;
}

/**
 * dsmil_fe_token_fill_info() - the token part of DSMIL_IOC_INFO
 * @a: the arguments being filled
 */
void dsmil_fe_token_fill_info(struct dsmil_info_args *a)
{
	strscpy(a->smi_transport, dsmil_smi_transport_name(),
		sizeof(a->smi_transport));
}

/**
 * dsmil_fe_token_fill_stats() - the token part of DSMIL_IOC_STATS
 * @a: the arguments being filled
 */
void dsmil_fe_token_fill_stats(struct dsmil_stats_args *a)
{
	struct dsmil_smi_stats s;

	dsmil_smi_get_stats(&s);
	a->smi_calls = s.calls;
	a->smi_reads = s.reads;
	a->smi_writes = s.writes;
	a->smi_errors = s.errors;
	a->smi_denied = s.denied;
	a->smi_thermal_refusals = s.thermal_refusals;
	a->smi_rate_limited = s.rate_limited;
	a->smi_timeouts = s.timeouts;
	a->smi_late_completions = s.late_completions;
	a->smi_transport_calls = s.transport_calls;
	a->smi_transport_errors = s.transport_errors;
	a->smi_last_latency_ns = s.last_latency_ns;
	a->smi_max_latency_ns = s.max_latency_ns;
}

const struct dsmil_fe_cmd dsmil_fe_token_cmds[] = {
	DSMIL_FE_CMD(DSMIL_IOC_TOKEN_READ, struct dsmil_token_args,
		     DSMIL_TOKEN_SIZE_VER0, 0, DSMIL_FE_CMD_OUT,
		     dsmil_fe_ioc_token_read),
	DSMIL_FE_CMD(DSMIL_IOC_TOKEN_WRITE, struct dsmil_token_args,
		     DSMIL_TOKEN_SIZE_VER0, CAP_SYS_ADMIN, DSMIL_FE_CMD_LOCKDOWN,
		     dsmil_fe_ioc_token_write),
	DSMIL_FE_CMD(DSMIL_IOC_TOKEN_BATCH, struct dsmil_batch_args,
		     DSMIL_BATCH_SIZE_VER0, 0,
		     DSMIL_FE_CMD_OUT | DSMIL_FE_CMD_EFFECTS,
		     dsmil_fe_ioc_token_batch),
	DSMIL_FE_CMD(DSMIL_IOC_TOKEN_INFO, struct dsmil_token_info_args,
		     DSMIL_TOKEN_INFO_SIZE_VER0, 0, DSMIL_FE_CMD_OUT,
		     dsmil_fe_ioc_token_info),
	DSMIL_FE_CMD(DSMIL_IOC_UNLOCK, struct dsmil_unlock_args,
		     DSMIL_UNLOCK_SIZE_VER0, CAP_SYS_ADMIN,
		     DSMIL_FE_CMD_OUT | DSMIL_FE_CMD_EFFECTS,
		     dsmil_fe_ioc_unlock),
	DSMIL_FE_CMD(DSMIL_IOC_RELOCK, struct dsmil_unlock_args,
		     DSMIL_UNLOCK_SIZE_VER0, CAP_SYS_ADMIN,
		     DSMIL_FE_CMD_OUT | DSMIL_FE_CMD_EFFECTS,
		     dsmil_fe_ioc_relock),
	DSMIL_FE_CMD(DSMIL_IOC_VERIFY, struct dsmil_verify_args,
		     DSMIL_VERIFY_SIZE_VER0, 0, DSMIL_FE_CMD_OUT,
		     dsmil_fe_ioc_verify),
};
const unsigned int dsmil_fe_nr_token_cmds = ARRAY_SIZE(dsmil_fe_token_cmds);

static_assert(sizeof(struct dsmil_token_args) == DSMIL_TOKEN_SIZE_VER0);
static_assert(sizeof(struct dsmil_token_op) == DSMIL_TOKEN_OP_ENTRY_SIZE_VER0);
static_assert(sizeof(struct dsmil_token_info_args) == DSMIL_TOKEN_INFO_SIZE_VER0);
static_assert(sizeof(struct dsmil_unlock_args) == DSMIL_UNLOCK_SIZE_VER0);
static_assert(sizeof(struct dsmil_verify_args) == DSMIL_VERIFY_SIZE_VER0);
