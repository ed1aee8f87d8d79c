// SPDX-License-Identifier: GPL-2.0
/*
 * policy.c - which token calls are allowed: decided in the caller's
 * context before anything is queued (smi_policy_check()), and again by the
 * worker immediately before each op enters the transport
 * (smi_policy_recheck()), so that a call that waited for the service lock
 * acts on the policy of the moment it acts, not of the moment it asked.
 *
 * The token space and the quarantine list belong to dsmil_core: a token
 * exists when a dsmil device has it, belongs to that device's group, and
 * is quarantined when the device is (dsmil_core's quarantine parameter).
 * What this file adds is the write window of each group: writes need the
 * group unlocked, for a time measured on CLOCK_BOOTTIME.  A window is open
 * while its end lies in the future, so the check is one comparison; the
 * per-group delayed work only announces the expiry (log line, audit
 * record, DSMIL_SMI_EVENT_RELOCK).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/lockdep.h>
#include <linux/math64.h>
#include <linux/security.h>
#include <linux/spinlock.h>
#include <linux/ktime.h>
#include <linux/workqueue.h>

#include "internal.h"

struct smi_group {
	u64 ends_ns;		/* boottime end of the window; 0 = locked */
	struct delayed_work expire;
	unsigned int nr;
};

static struct smi_group smi_groups[DSMIL_MAX_GROUPS];
static DEFINE_SPINLOCK(smi_policy_lock);	/* ends_ns transitions */

static bool smi_group_open(unsigned int group, u64 now)
{
	return smi_window_open(READ_ONCE(smi_groups[group].ends_ns), now);
}

/*
 * Whether @token exists; *@group and *@quarantined receive its group and
 * whether it is quarantined.
 */
static int smi_token_lookup(u16 token, unsigned int *group, bool *quarantined)
{
	struct dsmil_device *ddev;

	if (smi_token_slot(token) < 0)
		return -ENOENT;
	ddev = dsmil_device_find(token);
	if (!ddev)
		return -ENOENT;
	*group = ddev->group;
	*quarantined = ddev->quarantined;
	dsmil_device_put(ddev);
	return 0;
}

/*
 * What may change while a write waits: quarantine, lockdown, the window.
 * The window is read under smi_policy_lock, which dsmil_smi_relock() takes
 * to close it.
 */
static int smi_write_state(unsigned int group, bool quarantined)
{
	bool open;

	if (quarantined)
		return -EPERM;
	if (security_locked_down(LOCKDOWN_DEV_MEM))
		return -EPERM;
	spin_lock(&smi_policy_lock);
	open = smi_group_open(group, ktime_get_boottime_ns());
	spin_unlock(&smi_policy_lock);
	return open ? 0 : -EACCES;
}

/**
 * smi_policy_check() - may @opcode be done on @token?
 * @token: the token (ignored for SMI_OP_VERIFY)
 * @opcode: DSMIL_SMI_OP_READ, DSMIL_SMI_OP_WRITE or SMI_OP_VERIFY
 * @group: receives the token's group when the token exists
 *
 * A verify is checked by the transport's deny-list as the read its
 * self-check makes.
 *
 * Context: process context (the caller's: dell's deny-list checks its
 * credentials).
 * Return: 0, -ENOENT, -EPERM or -EACCES (in this order of precedence).
 */
int smi_policy_check(u16 token, u16 opcode, unsigned int *group)
{
	bool quarantined;
	int ret;

	if (opcode == SMI_OP_VERIFY)
		return smi_transport->check ?
		       smi_transport->check(0, SMI_OP_VERIFY) : 0;
	ret = smi_token_lookup(token, group, &quarantined);
	if (ret)
		return ret;
	if (smi_transport->check) {
		ret = smi_transport->check(token, opcode);
		if (ret)
			return ret;
	}
	if (opcode != DSMIL_SMI_OP_WRITE)
		return 0;
	return smi_write_state(*group, quarantined);
}

/**
 * smi_policy_recheck() - may the op still be done, now?
 * @token: the token (ignored for SMI_OP_VERIFY)
 * @opcode: DSMIL_SMI_OP_READ, DSMIL_SMI_OP_WRITE or SMI_OP_VERIFY
 * @group: the group smi_policy_check() found
 *
 * The part of smi_policy_check() that can change while the op waits: the
 * token still exists (its device may be gone) and, for a write, it is not
 * quarantined, the kernel is not locked down and the group's window is
 * open.  The transport's deny-list depends on the caller's credentials
 * only and was decided by smi_policy_check().
 *
 * Context: the worker, under the transport lock, with the caller's
 * credentials in force.
 * Return: 0, -ENOENT, -EPERM or -EACCES.
 */
int smi_policy_recheck(u16 token, u16 opcode, unsigned int group)
{
	unsigned int now_group;
	bool quarantined;
	int ret;

	if (opcode == SMI_OP_VERIFY)
		return 0;
	ret = smi_token_lookup(token, &now_group, &quarantined);
	if (ret)
		return ret;
	if (opcode != DSMIL_SMI_OP_WRITE)
		return 0;
	/* Another controller may have the token now, in its own group. */
	if (now_group != group)
		return -EACCES;
	return smi_write_state(group, quarantined);
}

/*
 * The audit record of a window that closed, made under smi_policy_lock
 * when it closes: every op refused because of it is decided later, under
 * the same lock, and is recorded after it.
 */
static void smi_relock_audit(unsigned int group, u16 kind)
{
	struct smi_audit_rec rec = { .kind = kind, .group = group };

	lockdep_assert_held(&smi_policy_lock);
	smi_audit(&rec);
}

static void smi_relock_announce(unsigned int group, u16 kind)
{
	struct dsmil_smi_event_data ev = { .group = group };

	if (kind == SMI_OP_EXPIRE)
		pr_info("group %u relocked: unlock window expired\n", group);
	else
		pr_info("group %u relocked\n", group);
	smi_notify(DSMIL_SMI_EVENT_RELOCK, &ev);
}

static void smi_expire_fn(struct work_struct *work)
{
	struct smi_group *g = container_of(to_delayed_work(work),
					   struct smi_group, expire);
	u64 now = ktime_get_boottime_ns();
	bool expired = false;
	u64 left = 0;

	spin_lock(&smi_policy_lock);
	if (g->ends_ns && g->ends_ns <= now) {
		WRITE_ONCE(g->ends_ns, 0);
		smi_relock_audit(g->nr, SMI_OP_EXPIRE);
		expired = true;
	} else if (g->ends_ns) {
		left = g->ends_ns - now;
	}
	spin_unlock(&smi_policy_lock);

	if (expired)
		smi_relock_announce(g->nr, SMI_OP_EXPIRE);
	else if (left)	/* woke up early (jiffies rounding): sleep again */
		mod_delayed_work(system_wq, &g->expire,
				 nsecs_to_jiffies(left) + 1);
}

/**
 * dsmil_smi_unlock() - open the write window of a group
 * @group: group number, 0..DSMIL_MAX_GROUPS - 1
 * @seconds: length of the window; 0 means the unlock_seconds parameter;
 *	at most the unlock_max_seconds parameter
 *
 * See <dsmil/smi.h>.
 *
 * Return: 0, -EINVAL or -ENOENT (no dsmil device in @group).
 */
int dsmil_smi_unlock(unsigned int group, unsigned int seconds)
{
	struct smi_audit_rec rec = { .kind = SMI_OP_UNLOCK, .group = group };
	struct dsmil_device *ddev;
	u64 ends;

	if (group >= DSMIL_MAX_GROUPS ||
	    seconds > smi_param_unlock_max_seconds())
		return -EINVAL;
	ddev = dsmil_device_find_by_pos(group, 0);
	if (!ddev)
		return -ENOENT;
	dsmil_device_put(ddev);

	if (!seconds)
		seconds = smi_param_unlock_seconds();
	rec.value = seconds;

	spin_lock(&smi_policy_lock);
	ends = ktime_get_boottime_ns() + (u64)seconds * NSEC_PER_SEC;
	WRITE_ONCE(smi_groups[group].ends_ns, ends);
	mod_delayed_work(system_wq, &smi_groups[group].expire,
			 msecs_to_jiffies(seconds * MSEC_PER_SEC) + 1);
	spin_unlock(&smi_policy_lock);

	pr_info("group %u unlocked for %u s\n", group, seconds);
	smi_audit(&rec);
	return 0;
}
DSMIL_EXPORT(dsmil_smi_unlock);

/**
 * dsmil_smi_relock() - close the write window of a group now
 * @group: group number, 0..DSMIL_MAX_GROUPS - 1
 *
 * See <dsmil/smi.h>.
 *
 * Context: process context; waits for the op in the transport, if any.
 * Return: 0 or -EINVAL.
 */
int dsmil_smi_relock(unsigned int group)
{
	bool was_open;

	if (group >= DSMIL_MAX_GROUPS)
		return -EINVAL;

	spin_lock(&smi_policy_lock);
	was_open = smi_group_open(group, ktime_get_boottime_ns());
	WRITE_ONCE(smi_groups[group].ends_ns, 0);
	if (was_open)
		smi_relock_audit(group, SMI_OP_RELOCK);
	spin_unlock(&smi_policy_lock);
	/* If it runs anyway, the work finds the group locked: a no-op. */
	cancel_delayed_work(&smi_groups[group].expire);
	/*
	 * A write that passed its last check before the window closed may
	 * be in the transport: wait for it to leave.  Every later check
	 * sees the window closed.
	 */
	smi_transport_quiesce();

	if (was_open)
		smi_relock_announce(group, SMI_OP_RELOCK);
	return 0;
}
DSMIL_EXPORT(dsmil_smi_relock);

/**
 * dsmil_smi_relock_all() - close every write window
 */
void dsmil_smi_relock_all(void)
{
	unsigned int g;

	for (g = 0; g < DSMIL_MAX_GROUPS; g++)
		dsmil_smi_relock(g);
}
DSMIL_EXPORT(dsmil_smi_relock_all);

/**
 * dsmil_smi_unlock_remaining_ms() - time left in a group's write window
 * @group: group number
 *
 * Context: any context.
 * Return: milliseconds until the window closes (at least 1 while it is
 * open), 0 when the group is locked or @group is out of range.
 */
unsigned int dsmil_smi_unlock_remaining_ms(unsigned int group)
{
	if (group >= DSMIL_MAX_GROUPS)
		return 0;
	return smi_window_remaining_ms(READ_ONCE(smi_groups[group].ends_ns),
				       ktime_get_boottime_ns());
}
DSMIL_EXPORT(dsmil_smi_unlock_remaining_ms);

/**
 * dsmil_smi_token_info() - look a token up without calling the transport
 * @token: the token
 * @info: receives what the policy says about it
 *
 * Return: 0, -EINVAL (@info NULL) or -ENOENT.
 */
int dsmil_smi_token_info(u16 token, struct dsmil_smi_token_info *info)
{
	struct dsmil_device *ddev;

	if (!info)
		return -EINVAL;
	if (smi_token_slot(token) < 0)
		return -ENOENT;
	ddev = dsmil_device_find(token);
	if (!ddev)
		return -ENOENT;
	info->token = token;
	info->group = ddev->group;
	info->index = ddev->index;
	info->quarantined = ddev->quarantined;
	info->unlocked = !ddev->quarantined &&
			 smi_group_open(ddev->group, ktime_get_boottime_ns());
	dsmil_device_put(ddev);
	return 0;
}
DSMIL_EXPORT(dsmil_smi_token_info);

/**
 * smi_policy_unlocked_mask() - the groups whose window is open
 *
 * Return: bit g set for each open group g.
 */
unsigned int smi_policy_unlocked_mask(void)
{
	u64 now = ktime_get_boottime_ns();
	unsigned int g, mask = 0;

	for (g = 0; g < DSMIL_MAX_GROUPS; g++)
		if (smi_group_open(g, now))
			mask |= BIT(g);
	return mask;
}

void smi_policy_init(void)
{
	unsigned int g;

	for (g = 0; g < DSMIL_MAX_GROUPS; g++) {
		smi_groups[g].nr = g;
		smi_groups[g].ends_ns = 0;
		INIT_DELAYED_WORK(&smi_groups[g].expire, smi_expire_fn);
	}
}

/* Every group locked, no expiry work left; the caller unloads next. */
void smi_policy_exit(void)
{
	unsigned int g;

	for (g = 0; g < DSMIL_MAX_GROUPS; g++) {
		spin_lock(&smi_policy_lock);
		WRITE_ONCE(smi_groups[g].ends_ns, 0);
		spin_unlock(&smi_policy_lock);
		cancel_delayed_work_sync(&smi_groups[g].expire);
	}
}
