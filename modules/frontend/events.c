// SPDX-License-Identifier: GPL-2.0
/*
 * events.c - the event stream of /dev/dsmil/ctl.
 *
 * Every open ctl file has its own ring of DSMIL_FE_EVENT_QUEUE records,
 * under its own spinlock.  Events are posted from any context (device
 * interrupts included) to every ring; a full ring drops new events and
 * counts them, and the reader gets one DSMIL_EV_OVERFLOW record carrying
 * the count where they were lost.
 *
 * The fan-out walks the open files under RCU (list_for_each_entry_rcu())
 * and takes each file's lock only for its own ring, so no lock is held
 * across the readers and interrupts are disabled for one ring push at a
 * time, whatever the number of open files.  dsmil_fe.events_lock only
 * serialises opens and releases (process context); a released file is
 * freed after a grace period (kvfree_rcu() in ctl.c).
 *
 * Sources: the core's device notifier (node.c: devices added, removed,
 * interrupts), the core's thermal notifier and dsmil_smi's notifier (here).
 * A thermal emergency also revokes the device mappings (mmap.c).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/poll.h>
#include <linux/rculist.h>
#include <linux/timekeeping.h>
#include <linux/uaccess.h>

#include <dsmil/smi.h>

#include "frontend.h"

/* Records moved to userspace per read() at most. */
#define DSMIL_FE_READ_BATCH	8

/* Called with ctl->lock held. */
static void dsmil_fe_ring_push(struct dsmil_fe_ctl *ctl,
			       const struct dsmil_event_record *ev)
{
	struct dsmil_event_record *slot;

	slot = &ctl->queue[(ctl->head + ctl->len) % DSMIL_FE_EVENT_QUEUE];
	*slot = *ev;
	slot->seq = ctl->seq++;
	ctl->len++;
}

/* Called with ctl->lock held: the record of the lost events. */
static void dsmil_fe_overflow_record(struct dsmil_fe_ctl *ctl,
				     struct dsmil_event_record *ev)
{
	*ev = (struct dsmil_event_record) {
		.timestamp_ns = ktime_get_ns(),
		.type = DSMIL_EV_OVERFLOW,
		.value = ctl->dropped,
	};
	ctl->dropped = 0;
}

/* Called with ctl->lock held; true if @ev was queued. */
static bool dsmil_fe_queue(struct dsmil_fe_ctl *ctl,
			   const struct dsmil_event_record *ev)
{
	struct dsmil_event_record overflow;
	unsigned int need = ctl->dropped ? 2 : 1;

	if (DSMIL_FE_EVENT_QUEUE - ctl->len < need) {
		ctl->dropped++;
		dsmil_fe_count(events_dropped);
		return false;
	}
	if (ctl->dropped) {
		dsmil_fe_overflow_record(ctl, &overflow);
		dsmil_fe_ring_push(ctl, &overflow);
	}
	dsmil_fe_ring_push(ctl, ev);
	dsmil_fe_count(events);
	return true;
}

/**
 * dsmil_fe_event_post() - queue an event to every open ctl file
 * @type: DSMIL_EV_*
 * @token: the token of a device or SMI event, else 0
 * @value: per @type (see the UAPI header)
 * @aux: per @type
 *
 * Context: any.  Walks the open files under RCU; each file's lock is held
 * (interrupts disabled) only while its own ring takes the event.
 */
void dsmil_fe_event_post(u32 type, u16 token, s32 value, u32 aux)
{
	struct dsmil_event_record ev = {
		.timestamp_ns = ktime_get_ns(),
		.type = type,
		.token = token,
		.value = value,
		.aux = aux,
	};
	struct dsmil_fe_ctl *ctl;
	unsigned long flags;
	bool queued;

	rcu_read_lock();
	list_for_each_entry_rcu(ctl, &dsmil_fe.ctl_files, link) {
		spin_lock_irqsave(&ctl->lock, flags);
		queued = dsmil_fe_queue(ctl, &ev);
		spin_unlock_irqrestore(&ctl->lock, flags);
		if (queued)
			wake_up_interruptible_poll(&ctl->wait,
						   EPOLLIN | EPOLLRDNORM);
	}
	rcu_read_unlock();
}

/**
 * dsmil_fe_events_add() - start queueing events to a ctl file
 * @ctl: the file's state
 */
void dsmil_fe_events_add(struct dsmil_fe_ctl *ctl)
{
	init_waitqueue_head(&ctl->wait);
	spin_lock_init(&ctl->lock);
	spin_lock(&dsmil_fe.events_lock);
	list_add_tail_rcu(&ctl->link, &dsmil_fe.ctl_files);
	spin_unlock(&dsmil_fe.events_lock);
}

/**
 * dsmil_fe_events_del() - stop queueing events to a ctl file
 * @ctl: the file's state
 *
 * A fan-out already walking may still queue to @ctl: free it after a
 * grace period.
 */
void dsmil_fe_events_del(struct dsmil_fe_ctl *ctl)
{
	spin_lock(&dsmil_fe.events_lock);
	list_del_rcu(&ctl->link);
	spin_unlock(&dsmil_fe.events_lock);
}

static bool dsmil_fe_events_ready(struct dsmil_fe_ctl *ctl)
{
	return READ_ONCE(ctl->len) || READ_ONCE(ctl->dropped);
}

/* Takes up to @max records off the ring; returns how many. */
static unsigned int dsmil_fe_events_pop(struct dsmil_fe_ctl *ctl,
					struct dsmil_event_record *recs,
					unsigned int max)
{
	unsigned int n = 0;

	spin_lock_irq(&ctl->lock);
	while (n < max && ctl->len) {
		recs[n++] = ctl->queue[ctl->head];
		ctl->head = (ctl->head + 1) % DSMIL_FE_EVENT_QUEUE;
		ctl->len--;
	}
	/* Events lost after the last queued one. */
	if (n < max && !ctl->len && ctl->dropped) {
		dsmil_fe_overflow_record(ctl, &recs[n]);
		recs[n++].seq = ctl->seq++;
	}
	spin_unlock_irq(&ctl->lock);
	return n;
}

/**
 * dsmil_fe_events_read() - read() of /dev/dsmil/ctl
 * @ctl: the file's state
 * @filp: the file
 * @buf: user buffer
 * @count: its size; at least one record
 *
 * Return: bytes read (whole records, at most DSMIL_FE_READ_BATCH), or
 * -EINVAL (@count below a record), -EAGAIN (O_NONBLOCK, nothing queued),
 * -ERESTARTSYS, -EFAULT (the records taken off the ring are lost).
 */
ssize_t dsmil_fe_events_read(struct dsmil_fe_ctl *ctl, struct file *filp,
			     char __user *buf, size_t count)
{
	struct dsmil_event_record recs[DSMIL_FE_READ_BATCH];
	unsigned int max, n;
	int ret;

	if (count < sizeof(recs[0]))
		return -EINVAL;
	max = min_t(size_t, count / sizeof(recs[0]), ARRAY_SIZE(recs));
	for (;;) {
		n = dsmil_fe_events_pop(ctl, recs, max);
		if (n)
			break;
		if (filp->f_flags & O_NONBLOCK)
			return -EAGAIN;
		ret = wait_event_interruptible(ctl->wait,
					       dsmil_fe_events_ready(ctl));
		if (ret)
			return ret;
	}
	if (copy_to_user(buf, recs, n * sizeof(recs[0])))
		return -EFAULT;
	return n * sizeof(recs[0]);
}

/**
 * dsmil_fe_events_poll() - poll() of /dev/dsmil/ctl
 * @ctl: the file's state
 * @filp: the file
 * @wait: the poll table
 *
 * Return: EPOLLIN | EPOLLRDNORM when a record can be read.
 */
__poll_t dsmil_fe_events_poll(struct dsmil_fe_ctl *ctl, struct file *filp,
			      struct poll_table_struct *wait)
{
	poll_wait(filp, &ctl->wait, wait);
	return dsmil_fe_events_ready(ctl) ? EPOLLIN | EPOLLRDNORM : 0;
}

/* The core's thermal notifier: process context, one call per transition. */
static int dsmil_fe_thermal_event(struct notifier_block *nb,
				  unsigned long state, void *data)
{
	bool refuses = dsmil_thermal_refuses(state);
	int temp = *(int *)data;
	u32 type;

	/* Writes through mappings follow the guard (mmap.c). */
	WRITE_ONCE(dsmil_fe.thermal_emergency, refuses);
	if (refuses)
		dsmil_fe_nodes_revoke_all();
	if (state == DSMIL_THERMAL_EMERGENCY)
		type = DSMIL_EV_THERMAL_EMERGENCY;
	else if (state == DSMIL_THERMAL_UNKNOWN)
		type = DSMIL_EV_THERMAL_UNKNOWN;
	else
		type = DSMIL_EV_THERMAL_CLEARED;
	dsmil_fe_event_post(type, 0, temp, dsmil_thermal_limit_mc());
	return NOTIFY_DONE;
}

static struct notifier_block dsmil_fe_thermal_nb = {
	.notifier_call = dsmil_fe_thermal_event,
};

/* dsmil_smi's notifier: process context. */
static int dsmil_fe_smi_event(struct notifier_block *nb, unsigned long action,
			      void *data)
{
	struct dsmil_smi_event_data *ev = data;

	switch (action) {
	case DSMIL_SMI_EVENT_TIMEOUT:
		dsmil_fe_event_post(DSMIL_EV_SMI_TIMEOUT, ev->token,
				    ev->timeout_ms, ev->opcode);
		break;
	case DSMIL_SMI_EVENT_RELOCK:
		dsmil_fe_event_post(DSMIL_EV_SMI_RELOCK, 0, ev->group, 0);
		break;
	}
	return NOTIFY_DONE;
}

static struct notifier_block dsmil_fe_smi_nb = {
	.notifier_call = dsmil_fe_smi_event,
};

/**
 * dsmil_fe_events_init() - subscribe to the thermal guard and dsmil_smi
 *
 * Return: 0 or a negative errno (nothing left subscribed).
 */
int dsmil_fe_events_init(void)
{
	int ret;

	ret = dsmil_register_thermal_notifier(&dsmil_fe_thermal_nb);
	if (ret)
		return ret;
	/* After subscribing: a transition from now on is heard. */
	WRITE_ONCE(dsmil_fe.thermal_emergency,
		   dsmil_thermal_refuses(dsmil_thermal_status(NULL)));
	ret = dsmil_smi_register_notifier(&dsmil_fe_smi_nb);
	if (ret)
		goto err_unregister_thermal;
	return 0;

err_unregister_thermal:
	dsmil_unregister_thermal_notifier(&dsmil_fe_thermal_nb);
	return ret;
}

/**
 * dsmil_fe_events_exit() - unsubscribe
 */
void dsmil_fe_events_exit(void)
{
	dsmil_smi_unregister_notifier(&dsmil_fe_smi_nb);
	dsmil_unregister_thermal_notifier(&dsmil_fe_thermal_nb);
}
