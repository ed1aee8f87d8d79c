// SPDX-License-Identifier: GPL-2.0
/*
 * info.c - the commands that only look: DSMIL_IOC_INFO, DSMIL_IOC_DEV_LIST,
 * DSMIL_IOC_THERMAL and DSMIL_IOC_STATS.  Anyone who can open ctl may use
 * them.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "frontend.h"

static int dsmil_fe_ioc_info(struct file *filp, void *p)
{
	struct dsmil_info_args *a = p;

	if (a->flags)
		return -EINVAL;
	a->abi_major = DSMIL_ABI_MAJOR;
	a->abi_minor = DSMIL_ABI_MINOR;
	a->features = DSMIL_FEATURE_TOKENS | DSMIL_FEATURE_DMA;
	dsmil_fe_layout(&a->nr_devices, &a->groups, &a->devices_per_group);
	strscpy(a->version, DSMIL_VERSION, sizeof(a->version));
	dsmil_fe_token_fill_info(a);
	return 0;
}

static void dsmil_fe_fill_entry(struct dsmil_dev_entry *e,
				struct dsmil_fe_node *node)
{
	struct dsmil_device *ddev = node->ddev;
	unsigned int ctrl = 0;

	e->token = ddev->token;
	e->group = ddev->group;
	e->index = ddev->index;
	e->state = dsmil_fe_state(ddev);
	e->flags = (ddev->quarantined ? DSMIL_DEV_QUARANTINED : 0) |
		   (ddev->absent ? DSMIL_DEV_ABSENT : 0) |
		   (dsmil_fe_mappable(ddev) ? DSMIL_DEV_MAPPABLE : 0);
	e->mmio_size = ddev->mmio_size;
	/* The core names devices "dsmil<controller>:g<group>d<index>". */
	if (sscanf(dev_name(&ddev->dev), "dsmil%u:", &ctrl) != 1)
		ctrl = 0;
	e->controller = ctrl;
	e->minor = node->minor;
	strscpy(e->name, dev_name(&ddev->dev), sizeof(e->name));
}

static int dsmil_fe_ioc_dev_list(struct file *filp, void *p)
{
	struct dsmil_dev_list_args *a = p;
	u8 __user *dst = u64_to_user_ptr(a->entries);
	size_t kpart = min_t(size_t, a->entry_size, sizeof(struct dsmil_dev_entry));
	struct dsmil_dev_entry *ents = NULL;
	struct dsmil_fe_node *node;
	unsigned long minor;
	u32 total = 0, n = 0, i;
	int ret;

	ret = dsmil_fe_check_dev_list(a);
	if (ret)
		return ret;

	/* A snapshot: no copy to userspace under the registry lock. */
	mutex_lock(&dsmil_fe.lock);
	xa_for_each(&dsmil_fe.nodes, minor, node)
		total++;
	if (a->count && total) {
		ents = kvcalloc(min(a->count, total), sizeof(*ents), GFP_KERNEL);
		if (!ents)
			ret = -ENOMEM;
	}
	if (ents) {
		xa_for_each(&dsmil_fe.nodes, minor, node) {
			if (n == min(a->count, total))
				break;
			dsmil_fe_fill_entry(&ents[n++], node);
		}
	}
	mutex_unlock(&dsmil_fe.lock);
	if (ret)
		return ret;

	for (i = 0; i < n; i++, dst += a->entry_size) {
		if (copy_to_user(dst, &ents[i], kpart) ||
		    clear_user(dst + kpart, a->entry_size - kpart)) {
			ret = -EFAULT;
			break;
		}
	}
	kvfree(ents);
	a->count = total;
	return ret;
}

static int dsmil_fe_ioc_thermal(struct file *filp, void *p)
{
	struct dsmil_thermal_args *a = p;
	int temp;

	if (a->flags)
		return -EINVAL;
	switch (dsmil_thermal_status(&temp)) {
	case DSMIL_THERMAL_OK:
		a->state = DSMIL_THERMAL_STATE_OK;
		break;
	case DSMIL_THERMAL_EMERGENCY:
		a->state = DSMIL_THERMAL_STATE_EMERGENCY;
		break;
	default:
		a->state = DSMIL_THERMAL_STATE_UNKNOWN;
		break;
	}
	a->temp_mc = temp;
	a->limit_mc = dsmil_thermal_limit_mc();
	a->hysteresis_mc = DSMIL_THERMAL_HYSTERESIS_MC;
	return 0;
}

static int dsmil_fe_ioc_stats(struct file *filp, void *p)
{
	struct dsmil_stats_args *a = p;
	struct dsmil_fe_stats *s = &dsmil_fe.stats;

	if (a->flags)
		return -EINVAL;
	a->ioctls = atomic64_read(&s->ioctls);
	a->reg_reads = atomic64_read(&s->reg_reads);
	a->reg_writes = atomic64_read(&s->reg_writes);
	a->reg_errors = atomic64_read(&s->reg_errors);
	a->mmaps = atomic64_read(&s->mmaps);
	a->events = atomic64_read(&s->events);
	a->events_dropped = atomic64_read(&s->events_dropped);
	a->refused_perm = atomic64_read(&s->refused_perm);
	a->refused_lockdown = atomic64_read(&s->refused_lockdown);
	dsmil_fe_token_fill_stats(a);
	dsmil_fe_dma_fill_stats(a);
	return 0;
}

const struct dsmil_fe_cmd dsmil_fe_info_cmds[] = {
	DSMIL_FE_CMD(DSMIL_IOC_INFO, struct dsmil_info_args,
		     DSMIL_INFO_SIZE_VER0, 0, DSMIL_FE_CMD_OUT,
		     dsmil_fe_ioc_info),
	DSMIL_FE_CMD(DSMIL_IOC_DEV_LIST, struct dsmil_dev_list_args,
		     DSMIL_DEV_LIST_SIZE_VER0, 0, DSMIL_FE_CMD_OUT,
		     dsmil_fe_ioc_dev_list),
	DSMIL_FE_CMD(DSMIL_IOC_THERMAL, struct dsmil_thermal_args,
		     DSMIL_THERMAL_SIZE_VER0, 0, DSMIL_FE_CMD_OUT,
		     dsmil_fe_ioc_thermal),
	DSMIL_FE_CMD(DSMIL_IOC_STATS, struct dsmil_stats_args,
		     DSMIL_STATS_SIZE_VER0, 0, DSMIL_FE_CMD_OUT,
		     dsmil_fe_ioc_stats),
};
const unsigned int dsmil_fe_nr_info_cmds = ARRAY_SIZE(dsmil_fe_info_cmds);

static_assert(sizeof(struct dsmil_info_args) == DSMIL_INFO_SIZE_VER0);
static_assert(sizeof(struct dsmil_dev_entry) == DSMIL_DEV_ENTRY_SIZE_VER0);
static_assert(sizeof(struct dsmil_dev_list_args) == DSMIL_DEV_LIST_SIZE_VER0);
static_assert(sizeof(struct dsmil_thermal_args) == DSMIL_THERMAL_SIZE_VER0);
static_assert(sizeof(struct dsmil_stats_args) == DSMIL_STATS_SIZE_VER0);
static_assert(sizeof(struct dsmil_event_record) == DSMIL_EVENT_RECORD_SIZE);
