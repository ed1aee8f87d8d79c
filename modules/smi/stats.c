// SPDX-License-Identifier: GPL-2.0
/*
 * stats.c - the service's counters and their sysfs files.
 *
 * /sys/module/dsmil_smi/stats/ has one read-only file per counter of
 * struct dsmil_smi_stats (decimal, since the load), and
 * /sys/module/dsmil_smi/status/ what the service is doing now: the
 * transport in use and the unlocked groups.  Counters are atomic64_t
 * updated without a common lock, so a snapshot taken during calls may be
 * off by the ops in flight.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/kobject.h>
#include <linux/module.h>
#include <linux/sysfs.h>

#include "internal.h"

static atomic64_t smi_counters[SMI_NR_COUNTERS];
static atomic64_t smi_last_latency;
static atomic64_t smi_max_latency;
static struct kobject *smi_stats_kobj;
static struct kobject *smi_status_kobj;

void smi_stat_inc(enum smi_counter c)
{
	atomic64_inc(&smi_counters[c]);
}

/**
 * smi_stat_latency() - record the duration of an op that entered the
 * transport
 * @ns: its duration, queueing included
 */
void smi_stat_latency(u64 ns)
{
	s64 max = atomic64_read(&smi_max_latency);

	atomic64_set(&smi_last_latency, ns);
	while ((s64)ns > max) {
		s64 seen = atomic64_cmpxchg(&smi_max_latency, max, ns);

		if (seen == max)
			break;
		max = seen;
	}
}

/**
 * smi_stats_account() - count an op the API returned
 * @opcode: enum dsmil_smi_opcode or SMI_OP_VERIFY
 * @result: what the caller got for it
 */
void smi_stats_account(u16 opcode, int result)
{
	smi_stat_inc(SMI_STAT_CALLS);
	if (opcode == DSMIL_SMI_OP_READ)
		smi_stat_inc(SMI_STAT_READS);
	else if (opcode == DSMIL_SMI_OP_WRITE)
		smi_stat_inc(SMI_STAT_WRITES);
	if (!result)
		return;
	smi_stat_inc(SMI_STAT_ERRORS);
	switch (result) {
	case -ENOENT:
	case -EPERM:
	case -EACCES:
		smi_stat_inc(SMI_STAT_DENIED);
		break;
	case -DSMIL_THERMAL_ERRNO:
		smi_stat_inc(SMI_STAT_THERMAL);
		break;
	case -EAGAIN:
		smi_stat_inc(SMI_STAT_RATE_LIMITED);
		break;
	case -ETIMEDOUT:
		smi_stat_inc(SMI_STAT_TIMEOUTS);
		break;
	}
}

/**
 * dsmil_smi_get_stats() - snapshot of the counters
 * @stats: receives them
 *
 * Context: any context.
 */
void dsmil_smi_get_stats(struct dsmil_smi_stats *stats)
{
	stats->calls = atomic64_read(&smi_counters[SMI_STAT_CALLS]);
	stats->reads = atomic64_read(&smi_counters[SMI_STAT_READS]);
	stats->writes = atomic64_read(&smi_counters[SMI_STAT_WRITES]);
	stats->errors = atomic64_read(&smi_counters[SMI_STAT_ERRORS]);
	stats->denied = atomic64_read(&smi_counters[SMI_STAT_DENIED]);
	stats->thermal_refusals = atomic64_read(&smi_counters[SMI_STAT_THERMAL]);
	stats->rate_limited = atomic64_read(&smi_counters[SMI_STAT_RATE_LIMITED]);
	stats->timeouts = atomic64_read(&smi_counters[SMI_STAT_TIMEOUTS]);
	stats->late_completions = atomic64_read(&smi_counters[SMI_STAT_LATE]);
	stats->transport_calls =
		atomic64_read(&smi_counters[SMI_STAT_TRANSPORT_CALLS]);
	stats->transport_errors =
		atomic64_read(&smi_counters[SMI_STAT_TRANSPORT_ERRORS]);
	stats->last_latency_ns = atomic64_read(&smi_last_latency);
	stats->max_latency_ns = atomic64_read(&smi_max_latency);
}
DSMIL_EXPORT(dsmil_smi_get_stats);

struct smi_stat_attr {
	struct kobj_attribute attr;
	atomic64_t *counter;
};

static ssize_t smi_stat_show(struct kobject *kobj, struct kobj_attribute *attr,
			     char *buf)
{
	struct smi_stat_attr *sa = container_of(attr, struct smi_stat_attr,
						attr);

	return sysfs_emit(buf, "%lld\n", atomic64_read(sa->counter));
}

#define SMI_STAT_ATTR(_name, _counter)					\
	static struct smi_stat_attr smi_attr_##_name = {		\
		.attr = __ATTR(_name, 0444, smi_stat_show, NULL),	\
		.counter = (_counter),					\
	}

SMI_STAT_ATTR(calls, &smi_counters[SMI_STAT_CALLS]);
SMI_STAT_ATTR(reads, &smi_counters[SMI_STAT_READS]);
SMI_STAT_ATTR(writes, &smi_counters[SMI_STAT_WRITES]);
SMI_STAT_ATTR(errors, &smi_counters[SMI_STAT_ERRORS]);
SMI_STAT_ATTR(denied, &smi_counters[SMI_STAT_DENIED]);
SMI_STAT_ATTR(thermal_refusals, &smi_counters[SMI_STAT_THERMAL]);
SMI_STAT_ATTR(rate_limited, &smi_counters[SMI_STAT_RATE_LIMITED]);
SMI_STAT_ATTR(timeouts, &smi_counters[SMI_STAT_TIMEOUTS]);
SMI_STAT_ATTR(late_completions, &smi_counters[SMI_STAT_LATE]);
SMI_STAT_ATTR(transport_calls, &smi_counters[SMI_STAT_TRANSPORT_CALLS]);
SMI_STAT_ATTR(transport_errors, &smi_counters[SMI_STAT_TRANSPORT_ERRORS]);
SMI_STAT_ATTR(last_latency_ns, &smi_last_latency);
SMI_STAT_ATTR(max_latency_ns, &smi_max_latency);

static struct attribute *smi_stats_attrs[] = {
	&smi_attr_calls.attr.attr,
	&smi_attr_reads.attr.attr,
	&smi_attr_writes.attr.attr,
	&smi_attr_errors.attr.attr,
	&smi_attr_denied.attr.attr,
	&smi_attr_thermal_refusals.attr.attr,
	&smi_attr_rate_limited.attr.attr,
	&smi_attr_timeouts.attr.attr,
	&smi_attr_late_completions.attr.attr,
	&smi_attr_transport_calls.attr.attr,
	&smi_attr_transport_errors.attr.attr,
	&smi_attr_last_latency_ns.attr.attr,
	&smi_attr_max_latency_ns.attr.attr,
	NULL,
};

static const struct attribute_group smi_stats_group = {
	.attrs = smi_stats_attrs,
};

static ssize_t transport_show(struct kobject *kobj,
			      struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%s\n", smi_transport->name);
}

/* Unlocked groups, ascending, separated by spaces; empty line if none. */
static ssize_t unlocked_show(struct kobject *kobj,
			     struct kobj_attribute *attr, char *buf)
{
	unsigned int mask = smi_policy_unlocked_mask(), g;
	int len = 0;

	for (g = 0; g < DSMIL_MAX_GROUPS; g++)
		if (mask & BIT(g))
			len += sysfs_emit_at(buf, len, "%s%u", len ? " " : "",
					     g);
	len += sysfs_emit_at(buf, len, "\n");
	return len;
}

static struct kobj_attribute smi_attr_transport = __ATTR_RO(transport);
static struct kobj_attribute smi_attr_unlocked = __ATTR_RO(unlocked);

static struct attribute *smi_status_attrs[] = {
	&smi_attr_transport.attr,
	&smi_attr_unlocked.attr,
	NULL,
};

static const struct attribute_group smi_status_group = {
	.attrs = smi_status_attrs,
};

static struct kobject *smi_kobj_add(const char *name,
				    const struct attribute_group *grp)
{
	struct kobject *kobj;

	kobj = kobject_create_and_add(name, &THIS_MODULE->mkobj.kobj);
	if (!kobj)
		return NULL;
	if (sysfs_create_group(kobj, grp)) {
		kobject_put(kobj);
		return NULL;
	}
	return kobj;
}

/**
 * smi_stats_init() - create /sys/module/dsmil_smi/{stats,status}/
 *
 * Return: 0 or -ENOMEM.
 */
int smi_stats_init(void)
{
	int i;

	for (i = 0; i < SMI_NR_COUNTERS; i++)
		atomic64_set(&smi_counters[i], 0);
	atomic64_set(&smi_last_latency, 0);
	atomic64_set(&smi_max_latency, 0);

	smi_stats_kobj = smi_kobj_add("stats", &smi_stats_group);
	if (!smi_stats_kobj)
		return -ENOMEM;
	smi_status_kobj = smi_kobj_add("status", &smi_status_group);
	if (!smi_status_kobj) {
		smi_stats_exit();
		return -ENOMEM;
	}
	return 0;
}

void smi_stats_exit(void)
{
	if (smi_status_kobj) {
		sysfs_remove_group(smi_status_kobj, &smi_status_group);
		kobject_put(smi_status_kobj);
		smi_status_kobj = NULL;
	}
	if (smi_stats_kobj) {
		sysfs_remove_group(smi_stats_kobj, &smi_stats_group);
		kobject_put(smi_stats_kobj);
		smi_stats_kobj = NULL;
	}
}
