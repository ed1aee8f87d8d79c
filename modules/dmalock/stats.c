// SPDX-License-Identifier: GPL-2.0
/*
 * stats.c - counters of dsmil_dmalock, one read-only file per counter in
 * /sys/module/dsmil_dmalock/stats/ and as a snapshot for the frontend.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kobject.h>
#include <linux/module.h>
#include <linux/sysfs.h>

#include "internal.h"

struct dmalock_counters dmalock_counters;

static struct kobject *dmalock_stats_kobj;

#define DMALOCK_STAT_ATTR(name)						\
static ssize_t name##_show(struct kobject *kobj,			\
			   struct kobj_attribute *attr, char *buf)	\
{									\
	return sysfs_emit(buf, "%lld\n",				\
			  atomic64_read(&dmalock_counters.name));	\
}									\
static struct kobj_attribute dmalock_attr_##name = __ATTR_RO(name)

DMALOCK_STAT_ATTR(locked_bytes);
DMALOCK_STAT_ATTR(pinned_pages);
DMALOCK_STAT_ATTR(handles);
DMALOCK_STAT_ATTR(segments);
DMALOCK_STAT_ATTR(owners);
DMALOCK_STAT_ATTR(locks);
DMALOCK_STAT_ATTR(xfers);
DMALOCK_STAT_ATTR(xfer_bytes);
DMALOCK_STAT_ATTR(claim_waits);
DMALOCK_STAT_ATTR(claim_timeouts);

static struct attribute *dmalock_stats_attrs[] = {
	&dmalock_attr_locked_bytes.attr,
	&dmalock_attr_pinned_pages.attr,
	&dmalock_attr_handles.attr,
	&dmalock_attr_segments.attr,
	&dmalock_attr_owners.attr,
	&dmalock_attr_locks.attr,
	&dmalock_attr_xfers.attr,
	&dmalock_attr_xfer_bytes.attr,
	&dmalock_attr_claim_waits.attr,
	&dmalock_attr_claim_timeouts.attr,
	NULL
};

static const struct attribute_group dmalock_stats_group = {
	.attrs = dmalock_stats_attrs,
};

/**
 * dsmil_dma_get_stats() - snapshot of the counters of all owners
 * @stats: receives the counters (each read atomically, not all at once)
 *
 * Context: any.
 */
void dsmil_dma_get_stats(struct dsmil_dma_stats *stats)
{
	struct dmalock_counters *c = &dmalock_counters;

	stats->locked_bytes = atomic64_read(&c->locked_bytes);
	stats->pinned_pages = atomic64_read(&c->pinned_pages);
	stats->handles = atomic64_read(&c->handles);
	stats->segments = atomic64_read(&c->segments);
	stats->owners = atomic64_read(&c->owners);
	stats->locks = atomic64_read(&c->locks);
	stats->xfers = atomic64_read(&c->xfers);
	stats->xfer_bytes = atomic64_read(&c->xfer_bytes);
	stats->claim_waits = atomic64_read(&c->claim_waits);
	stats->claim_timeouts = atomic64_read(&c->claim_timeouts);
}
DSMIL_EXPORT(dsmil_dma_get_stats);

/**
 * dmalock_stats_init() - create /sys/module/dsmil_dmalock/stats/
 *
 * Return: 0 or a negative errno.
 */
int dmalock_stats_init(void)
{
	int ret;

	dmalock_stats_kobj = kobject_create_and_add("stats",
						    &THIS_MODULE->mkobj.kobj);
	if (!dmalock_stats_kobj)
		return -ENOMEM;
	ret = sysfs_create_group(dmalock_stats_kobj, &dmalock_stats_group);
	if (ret) {
		kobject_put(dmalock_stats_kobj);
		return ret;
	}
	return 0;
}

/**
 * dmalock_stats_exit() - remove the stats directory
 */
void dmalock_stats_exit(void)
{
	sysfs_remove_group(dmalock_stats_kobj, &dmalock_stats_group);
	kobject_put(dmalock_stats_kobj);
}
